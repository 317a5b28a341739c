"""Open311 with hostile input: whatever a client stores, every read (JSON and XML) stays well-formed."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support import hostile as h
from tests.support.open311 import BASE, KEY, post

XML_ILLEGAL = "\ufffe\uffff"  # no XML 1.0 document may carry these (control characters are refused at POST)
STORABLE = st.characters(exclude_categories=("Cs", "Cc"))


def test_characters_xml_cannot_carry_are_left_out_of_xml(make_app):
    app = make_app(OPEN311_API_KEYS=[KEY])
    api = app.test_client()
    created = post(api, description=f"路灯{XML_ILLEGAL}坏了 {h.ALL}", address_string=f"滨江路{XML_ILLEGAL}")
    assert created.status_code == 201
    number = created.get_json()[0]["service_request_id"]
    for path in (f"{BASE}/requests.xml", f"{BASE}/requests/{number}.xml"):
        root = h.parse_xml(api.get(path).get_data())
        record = root.find("request")
        assert record.findtext("description") == f"路灯坏了 {h.ALL}"
        assert record.findtext("address") == "滨江路"
    assert api.get(f"{BASE}/requests.json").get_json()[0]["description"].startswith("路灯")


def test_xml_errors_that_echo_the_request_stay_well_formed(client):
    for path in (f"{BASE}/requests/JJ\uffff.xml", f"{BASE}/services/\ufffe{h.SCRIPT}.xml"):
        response = client.get(path)
        assert response.status_code == 404
        assert h.parse_xml(response.get_data()).tag == "errors"
    response = client.get(f"{BASE}/requests.xml", query_string={"service_request_id": f"JJ\uffff{h.SCRIPT}"})
    assert response.status_code == 200 and h.parse_xml(response.get_data()).tag == "service_requests"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(STORABLE, min_size=1, max_size=200).filter(str.strip))
def test_any_stored_text_reads_back_as_xml(make_app, text):
    app = make_app(OPEN311_API_KEYS=[KEY])
    api = app.test_client()
    created = post(api, description=text, address_string=text)
    assert created.status_code == 201, created.get_data(as_text=True)
    number = created.get_json()[0]["service_request_id"]
    h.parse_xml(api.get(f"{BASE}/requests/{number}.xml").get_data())


def test_a_huge_body_is_refused_before_it_is_read(make_app):
    app = make_app(OPEN311_API_KEYS=[KEY])
    api = app.test_client()
    body = {"api_key": KEY, "service_code": "noise", "address_string": "x" * (20 * 1024 * 1024)}
    response = api.post(f"{BASE}/requests.json", json=body)
    assert response.status_code == 413 and response.get_json()[0]["code"] == 413
