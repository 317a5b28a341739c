"""Open311 GeoReport v2: services, requests with filters, POST with api_key, errors, privacy."""

import re

import pytest

from bot import geo

KEY = "hotline-12345-key"


@pytest.fixture
def api(make_app):
    return make_app(OPEN311_API_KEYS=[KEY]).test_client()


def _post(api, **fields):
    data = {"api_key": KEY, "service_code": "street_light", "lat": "29.29", "long": "106.25",
            "description": "路灯不亮（12345 热线转来）", **fields}
    return api.post("/open311/v2/requests.json", data={k: v for k, v in data.items() if v is not None})


def test_services_are_the_category_table(api):
    services = api.get("/open311/v2/services.json").get_json()
    assert len(services) == 22
    light = next(s for s in services if s["service_code"] == "street_light")
    assert light["group"] == "路灯管理所" and light["service_name"] == "路灯及景观灯故障"
    assert api.get("/open311/v2/services/manhole_cover.json").get_json()["service_code"] == "manhole_cover"
    assert api.get("/open311/v2/services/nothing.json").status_code == 404


def test_post_creates_a_routed_ticket_and_reads_back(api):
    response = _post(api, email="zhang@example.com", first_name="张", phone="13800000000")
    assert response.status_code == 201
    number = response.get_json()[0]["service_request_id"]
    assert re.fullmatch(r"JJ\d{12}", number)
    record = api.get(f"/open311/v2/requests/{number}.json").get_json()[0]
    assert record["agency_responsible"] == "路灯管理所"
    assert record["status"] == "open" and record["status_notes"] == "已受理"
    assert geo.distance_m(29.29, 106.25, record["lat"], record["long"]) < 1
    raw = api.get(f"/open311/v2/requests/{number}.json").get_data(as_text=True)
    assert "13800000000" not in raw and "zhang@" not in raw and "张" not in raw


def test_stored_coordinates_are_gcj02(app, api):
    from bot.models import Ticket

    number = _post(api).get_json()[0]["service_request_id"]
    with app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        expected = geo.wgs84_to_gcj02(29.29, 106.25)
        assert geo.distance_m(ticket.lat, ticket.lng, *expected) < 0.1


def test_post_errors(api):
    assert _post(api, api_key="wrong").status_code == 403
    assert _post(api, api_key=None).status_code == 403
    assert _post(api, service_code="nope").status_code == 404
    assert _post(api, service_code=None).status_code == 400
    assert _post(api, lat=None, long=None).status_code == 400
    assert _post(api, lat="abc").status_code == 400
    assert _post(api, description="").status_code == 400
    body = _post(api, api_key="wrong").get_json()
    assert body[0]["code"] == 403 and body[0]["description"]


def test_idempotency_key_makes_one_ticket(api):
    first = api.post("/open311/v2/requests.json", headers={"Idempotency-Key": "hotline-778"},
                     data={"api_key": KEY, "service_code": "noise", "address_string": "几江街道", "description": "吵"})
    again = api.post("/open311/v2/requests.json", headers={"Idempotency-Key": "hotline-778"},
                     data={"api_key": KEY, "service_code": "noise", "address_string": "几江街道", "description": "吵"})
    assert first.get_json()[0]["service_request_id"] == again.get_json()[0]["service_request_id"]


def test_request_filters(app, api, runner):
    light = _post(api).get_json()[0]["service_request_id"]
    noise = _post(api, service_code="noise").get_json()[0]["service_request_id"]
    runner.invoke(args=["tickets", "status", noise, "不予受理", "--reason", "属于环保部门"])
    ids = lambda **q: [r["service_request_id"] for r in api.get("/open311/v2/requests.json", query_string=q).get_json()]  # noqa: E731
    assert set(ids()) == {light, noise}
    assert ids(service_code="street_light") == [light]
    assert ids(status="closed") == [noise]
    assert ids(service_request_id=f"{light},{noise}") and len(ids(service_request_id=light)) == 1
    assert ids(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == []
    closed = api.get(f"/open311/v2/requests/{noise}.json").get_json()[0]
    assert closed["status_notes"] == "不予受理：属于环保部门"
    assert api.get("/open311/v2/requests.json?start_date=yesterday").status_code == 400
    assert api.get("/open311/v2/requests/JJ000000000000.json").status_code == 404


def test_xml_variant(api):
    _post(api)
    response = api.get("/open311/v2/requests.xml")
    assert response.content_type.startswith("text/xml")
    assert b"<service_requests><request>" in response.data and b"<agency_responsible>" in response.data


def test_wechat_ticket_never_shows_the_openid(app, api, wechat):
    wechat.say("o-secret-openid", "井盖不见了")
    wechat.location("o-secret-openid", 29.29, 106.25)
    wechat.say("o-secret-openid", "跳过")
    wechat.say("o-secret-openid", "13811112222")
    wechat.say("o-secret-openid", "确认")
    raw = api.get("/open311/v2/requests.json").get_data(as_text=True)
    assert "JJ" in raw and "o-secret-openid" not in raw and "13811112222" not in raw
