"""Open311 at the edges, as strict clients and the spec expect: what we cannot keep exactly as sent
is refused with the spec's error list (400/404), in JSON and in XML alike, and nothing is stored."""

import xml.etree.ElementTree as ET
from urllib.parse import quote_from_bytes

import pytest

from bot.extensions import db
from bot.models import Ticket
from tests.support.open311 import BASE, KEY, post


def tickets_stored(app):
    with app.app_context():
        return db.session.query(Ticket).count()


def refused(response, status, fmt, words):
    """The spec's error list with this status, in the path's format, naming what was wrong."""
    assert response.status_code == status, response.get_data(as_text=True)
    if fmt == "json":
        [error] = response.get_json()
        code, description = error["code"], error["description"]
    else:
        root = ET.fromstring(response.data)
        assert root.tag == "errors" and response.content_type.startswith("text/xml")
        code, description = int(root.findtext("error/code")), root.findtext("error/description")
    assert code == status and all(word in description for word in words), description


EDGES = [
    ({"lat": "39.9042", "long": "116.4074"}, ["outside", "江津区"]),  # Beijing
    ({"lat": "0", "long": "0"}, ["outside"]),
    ({"description": "长" * 10_000}, ["description", "2000"]),
    ({"address_string": "址" * 500, "lat": None, "long": None}, ["address_string", "200"]),
    ({"address_id": "A-10086", "lat": None, "long": None}, ["address_id"]),
    ({"address_id": "A-10086"}, ["address_id"]),
    ({"media_url": "javascript:alert(1)"}, ["media_url"]),
    ({"media_url": "https://12345.cq.gov.cn/" + "p" * 600 + ".jpg"}, ["media_url", "500"]),
    ({"description": "井盖\x00不见了"}, ["description", "control"]),
    ({"address_string": "滨江路\x1b[31m"}, ["address_string", "control"]),
]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(("fields", "words"), EDGES)
def test_what_cannot_be_kept_as_sent_is_refused(api_app, api, fmt, fields, words):
    refused(post(api, fmt=fmt, **fields), 400, fmt, words)
    assert tickets_stored(api_app) == 0


def test_the_limits_themselves_are_kept_whole(api_app, api):
    description, address = "长" * 2000, "址" * 200
    number = post(api, description=description, address_string=address).get_json()[0]["service_request_id"]
    with api_app.app_context():
        ticket = db.session.execute(db.select(Ticket).filter_by(number=number)).scalar_one()
        assert (ticket.description, ticket.address) == (description, address)
    assert post(api, description="换行\n和\t制表符可以").status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_body_that_is_not_utf8_is_refused(api_app, api, fmt):
    gbk = "路灯不亮".encode("gbk")
    fields = f"api_key={KEY}&service_code=street_light&lat=29.29&long=106.25&description="
    for body in (fields.encode() + quote_from_bytes(gbk).encode(), fields.encode() + gbk):
        response = api.post(f"{BASE}/requests.{fmt}", data=body, content_type="application/x-www-form-urlencoded")
        refused(response, 400, fmt, ["UTF-8"])
    assert tickets_stored(api_app) == 0
    utf8 = fields.encode() + quote_from_bytes("路灯不亮".encode()).encode()
    assert api.post(f"{BASE}/requests.{fmt}", data=utf8, content_type="application/x-www-form-urlencoded").status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_names_the_request_it_filed(api, fmt):
    number = post(api).get_json()[0]["service_request_id"]
    response = api.get(f"{BASE}/tokens/{number}.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        assert response.get_json() == [{"service_request_id": number, "token": number}]
    else:
        root = ET.fromstring(response.data)
        assert (root.findtext("request/service_request_id"), root.findtext("request/token")) == (number, number)
    refused(api.get(f"{BASE}/tokens/JJ209901010001.{fmt}"), 404, fmt, ["token"])


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_doubled_slash_is_the_spec_404_not_a_redirect(api, fmt):
    for path in (f"/open311/v2//services.{fmt}", f"/open311/v2/requests//x.{fmt}"):
        refused(api.get(path), 404, fmt, ["not found"])
    refused(api.post(f"/open311/v2//requests.{fmt}", data={"api_key": KEY}), 404, fmt, ["not found"])
