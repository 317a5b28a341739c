"""Open311 POST requests.json: api_key, required fields, WGS-84 in, idempotency, nothing about the caller kept."""

import threading
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from bot import geo
from bot.extensions import db
from bot.models import Ticket, TicketHistory
from tests.support.open311 import BASE, KEY, post
from tests.support.tickets import NUMBER


@pytest.fixture
def api_app(make_app):
    return make_app(OPEN311_API_KEYS=[KEY, "second-channel-key"])


@pytest.fixture
def api(api_app):
    return api_app.test_client()


def stored(app, number):
    """(ticket, its history notes) as the database holds them."""
    with app.app_context():
        ticket = db.session.execute(select(Ticket).filter_by(number=number)).scalar_one()
        history = db.session.execute(select(TicketHistory).filter_by(ticket_id=ticket.id)).scalars().all()
        db.session.expunge_all()
        return ticket, history


def test_post_creates_a_routed_open311_ticket(api_app, api):
    response = post(api)
    assert response.status_code == 201
    answer = response.get_json()[0]
    number = answer["service_request_id"]
    assert NUMBER.fullmatch(number) and "路灯管理所" in answer["service_notice"]
    ticket, history = stored(api_app, number)
    assert ticket.source == "open311" and ticket.category_code == "street_light" and ticket.reporter_id is None
    assert history[0].actor.startswith("open311:") and KEY not in history[0].actor
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    assert record["agency_responsible"] == "路灯管理所" and record["status_notes"] == "已受理"


def test_coordinates_round_trip_within_a_metre(api_app, api):
    number = post(api, lat="29.2905123", long="106.2598765").get_json()[0]["service_request_id"]
    ticket, _ = stored(api_app, number)
    assert geo.distance_m(ticket.lat, ticket.lng, *geo.wgs84_to_gcj02(29.2905123, 106.2598765)) < 0.1
    assert geo.distance_m(ticket.lat, ticket.lng, 29.2905123, 106.2598765) > 100  # stored as GCJ-02
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    assert geo.distance_m(record["lat"], record["long"], 29.2905123, 106.2598765) < 1


def test_address_alone_and_defaults(api_app, api):
    response = post(api, lat=None, long=None, address_string="江津区几江街道艾坪山路12号", description=None)
    assert response.status_code == 201
    ticket, _ = stored(api_app, response.get_json()[0]["service_request_id"])
    assert ticket.address == "江津区几江街道艾坪山路12号" and ticket.lat is None
    assert ticket.description == "路灯及景观灯故障"  # no description: the service's name


def test_caller_identity_is_never_stored(api_app, api):
    identity = {"email": "zhang@example.com", "first_name": "小明", "last_name": "张", "phone": "13800000000",
                "device_id": "device-42", "account_id": "acct-7"}
    number = post(api, **identity).get_json()[0]["service_request_id"]
    ticket, history = stored(api_app, number)
    kept = " ".join(str(v) for v in (ticket.description, ticket.address, ticket.phone, ticket.idempotency_key,
                                     *(h.note for h in history), *(h.actor for h in history)))
    for value in identity.values():
        assert value not in kept
    assert ticket.phone is None
    raw = api.get(f"{BASE}/requests/{number}.json").get_data(as_text=True)
    for value in identity.values():
        assert value not in raw


def test_api_key(api):
    assert post(api).status_code == 201
    assert post(api, api_key="second-channel-key").status_code == 201
    for bad in ("wrong", "", None, KEY + "x", "ключ", KEY + "\x00"):
        response = post(api, api_key=bad)
        assert response.status_code == 403, bad
        assert response.get_json() == [{"code": 403, "description": "api_key missing or invalid"}]
    assert api.post(f"{BASE}/requests.json?api_key={KEY}", data={
        "service_code": "noise", "address_string": "几江街道", "description": "夜间施工"}).status_code == 201


def test_no_keys_configured_refuses_every_post(make_app):
    client = make_app(OPEN311_API_KEYS=[]).test_client()
    assert post(client).status_code == 403


def test_missing_and_invalid_fields(api):
    cases = [({"service_code": None}, 400), ({"service_code": ""}, 400), ({"service_code": "nope"}, 404),
             ({"service_code": "x" * 100}, 404), ({"lat": None, "long": None}, 400), ({"long": None}, 400),
             ({"lat": "abc"}, 400), ({"lat": "91"}, 400), ({"long": "nan"}, 400), ({"lat": "inf"}, 400)]
    for fields, status in cases:
        response = post(api, **fields)
        assert response.status_code == status, fields
        error = response.get_json()[0]
        assert error["code"] == status and error["description"]


def test_json_body_is_accepted_too(api):
    response = api.post(f"{BASE}/requests.json", json={
        "api_key": KEY, "service_code": "drainage", "lat": 29.29, "long": 106.25, "description": "积水"})
    assert response.status_code == 201
    assert api.post(f"{BASE}/requests.json", json=[KEY]).status_code == 400


def test_idempotency_key_makes_one_ticket(api_app, api):
    headers = {"Idempotency-Key": "hotline-778"}
    first = post(api, headers=headers)
    again = post(api, headers=headers, description="重发")
    assert (first.status_code, again.status_code) == (201, 200)
    number = first.get_json()[0]["service_request_id"]
    assert again.get_json()[0]["service_request_id"] == number
    assert post(api, idempotency_key="hotline-778").get_json()[0]["service_request_id"] == number
    other_channel = post(api, headers=headers, api_key="second-channel-key").get_json()[0]["service_request_id"]
    assert other_channel != number
    assert post(api).get_json()[0]["service_request_id"] not in (number, other_channel)  # no key: a new one
    with api_app.app_context():
        assert db.session.query(Ticket).count() == 3


def test_media_url_is_kept_and_shown(api):
    number = post(api, media_url="https://12345.cq.gov.cn/photo/1.jpg").get_json()[0]["service_request_id"]
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    assert record["media_url"] == "https://12345.cq.gov.cn/photo/1.jpg"
    assert post(api, media_url="file:///etc/passwd").status_code == 400  # refused, not dropped


def test_post_xml(api):
    response = post(api, fmt="xml")
    assert response.status_code == 201 and response.content_type.startswith("text/xml")
    tree = ET.fromstring(response.data)
    assert tree.tag == "service_requests" and NUMBER.fullmatch(tree.findtext("request/service_request_id"))
    error = ET.fromstring(post(api, fmt="xml", api_key="wrong").data)
    assert error.tag == "errors" and error.findtext("error/code") == "403"


def test_simultaneous_retries_make_one_ticket(api_app, backend):
    """Two POSTs with the same Idempotency-Key at the same moment: one ticket, one number."""
    if backend != "postgres":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    start = threading.Barrier(4)

    def send(answers):
        client = api_app.test_client()
        start.wait()
        answers.append(post(client, headers={"Idempotency-Key": "same-call"}).get_json()[0]["service_request_id"])

    answers = []
    threads = [threading.Thread(target=send, args=(answers,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 4 and len(set(answers)) == 1
    with api_app.app_context():
        assert db.session.query(Ticket).count() == 1
