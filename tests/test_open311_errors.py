"""Open311 errors: the spec's [{code, description}] with the right HTTP status, never a 500."""

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from tests.support.open311 import BASE, KEY, post


@pytest.fixture
def api(make_app):
    return make_app(OPEN311_API_KEYS=[KEY]).test_client()


def assert_error(response, status):
    """The spec's JSON error list with this status."""
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]


@pytest.mark.parametrize("path", ["nothing", "services", "requests", "requests.csv", "services/street_light.html",
                                  "requests/JJ000000000000.json", "services/no_such.json", "requests/%00.json"])
def test_unknown_routes_and_resources_are_404(api, path):
    assert_error(api.get(f"{BASE}/{path}"), 404)


def test_404_in_xml_for_xml_paths(api):
    response = api.get(f"{BASE}/requests/JJ000000000000.xml")
    assert response.status_code == 404
    tree = ET.fromstring(response.data)
    assert tree.tag == "errors" and tree.findtext("error/code") == "404"


def test_wrong_method_is_405(api):
    assert_error(api.post(f"{BASE}/services.json"), 405)
    assert_error(api.delete(f"{BASE}/requests.json"), 405)
    assert_error(api.put(f"{BASE}/requests/JJ202611240001.json"), 405)


def test_other_paths_keep_their_own_404(api):
    response = api.get("/no-such-page")
    assert response.status_code == 404 and not response.is_json


@pytest.mark.parametrize("query", [
    {"start_date": "yesterday"}, {"end_date": "2026-13-45"}, {"end_date": "0001-01-01T00:00:00Z"},
    {"start_date": "9999-12-31T23:59:59-12:00"}, {"status": "pending"}, {"status": "已受理"},
    {"service_code": "a\x00b"}, {"service_request_id": "JJ\x00"}, {"service_request_id": ",".join(["JJ1"] * 1001)},
])
def test_bad_filters_are_400(api, query):
    assert_error(api.get(f"{BASE}/requests.json", query_string=query), 400)


def test_unencoded_plus_in_a_date_still_parses(api):
    assert api.get(f"{BASE}/requests.json?start_date=2026-11-01T00:00:00+08:00").status_code == 200


@pytest.mark.parametrize("fields", [
    {"address_string": "鼎山\x00大道"}, {"description": "NUL\x00字节"}, {"description": "长" * 5000},
    {"address_string": "址" * 500}, {"service_code": "street_light\x00"},
])
def test_hostile_post_fields_never_500(api, fields):
    response = post(api, **fields)
    assert response.status_code == 400, response.get_data(as_text=True)


def test_lone_surrogates_in_json_are_refused_not_replaced(api):
    body = '{"api_key": "KEY", "service_code": "noise", "address_string": "\\ud800", "description": "\\udfff"}'
    body = body.replace("KEY", KEY)  # the escapes must reach json.loads as written
    assert_error(api.post(f"{BASE}/requests.json", data=body, content_type="application/json"), 400)
    assert_error(api.post(f"{BASE}/requests.json", data='{"api_key": "\\ud800"}', content_type="application/json"), 400)


def test_malformed_bodies(api):
    assert_error(api.post(f"{BASE}/requests.json", data="not json", content_type="application/json"), 400)
    assert_error(api.post(f"{BASE}/requests.json", data="%%%&&&", content_type="application/x-www-form-urlencoded"), 403)


def test_database_down_is_503_not_500(api, monkeypatch):
    from bot.open311 import read

    def broken(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    monkeypatch.setattr(read.db.session, "execute", broken)
    assert_error(api.get(f"{BASE}/services.json"), 503)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["service_code", "lat", "long", "address_string", "description", "media_url",
                              "idempotency_key", "email", "api_key"]),
       value=st.text(max_size=40))
def test_any_post_field_value_never_500(api, field, value):
    response = post(api, **{field: value})
    assert response.status_code in (200, 201, 400, 403, 404), response.get_data(as_text=True)
    assert isinstance(response.get_json(), list)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.text(min_size=1, max_size=30).filter(lambda p: "?" not in p and "#" not in p))
def test_any_request_id_never_500(api, path):
    response = api.get(f"{BASE}/requests/{quote(path, safe='')}.json")
    assert response.status_code in (200, 404)  # a "//" too: no Werkzeug 308 redirect page
