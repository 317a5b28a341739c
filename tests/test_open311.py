"""Open311 read side: services, definitions, requests by id and by filter, records without identity."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from bot import geo, tickets
from tests.support.open311 import BASE, CHINA, ids
from tests.support.tickets import NUMBER, make_ticket


def test_services_are_the_category_table(api):
    services = api.get(f"{BASE}/services.json").get_json()
    assert len(services) == 22
    light = next(s for s in services if s["service_code"] == "street_light")
    assert light["service_name"] == "路灯及景观灯故障" and light["group"] == "路灯管理所"
    assert light["metadata"] is False and light["type"] == "realtime"
    assert "路灯" in light["keywords"].split(",") and "路灯管理所" in light["description"]
    groups = {s["service_code"]: s["group"] for s in services}
    assert groups["manhole_cover"] == "市政设施管理所" and groups["other"] == "数字城管指挥中心"


def test_service_definition(api):
    definition = api.get(f"{BASE}/services/manhole_cover.json").get_json()
    assert definition == {"service_code": "manhole_cover", "attributes": []}
    tree = ET.fromstring(api.get(f"{BASE}/services/manhole_cover.xml").data)
    assert tree.tag == "service_definition" and tree.findtext("service_code") == "manhole_cover"
    assert tree.find("attributes") is not None
    missing = api.get(f"{BASE}/services/nothing.json")
    assert missing.status_code == 404 and missing.get_json()[0]["code"] == 404


def test_request_record_fields(api_app, api):
    number = make_ticket(api_app, lat=29.29, lng=106.26, address="几江街道鼎山大道")
    assert NUMBER.fullmatch(number) and number[2:10] == datetime.now(CHINA).strftime("%Y%m%d")
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    assert record["service_request_id"] == number and record["service_code"] == "street_light"
    assert record["agency_responsible"] == "路灯管理所" and record["service_name"] == "路灯及景观灯故障"
    assert record["status"] == "open" and record["status_notes"] == "已受理"
    assert record["address"] == "几江街道鼎山大道" and record["description"] == "路灯坏了"
    assert record["requested_datetime"].endswith("+08:00")
    assert datetime.fromisoformat(record["expected_datetime"]) > datetime.fromisoformat(record["requested_datetime"])


def test_coordinates_go_out_as_wgs84(api_app, api):
    number = make_ticket(api_app, lat=29.29, lng=106.26)  # GCJ-02, as a WeChat location message
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    expected = geo.gcj02_to_wgs84(29.29, 106.26)
    assert geo.distance_m(record["lat"], record["long"], *expected) < 1
    assert geo.distance_m(record["lat"], record["long"], 29.29, 106.26) > 100  # really converted


def test_states_and_rejection_reason(api_app, api):
    dispatched = make_ticket(api_app, status=tickets.DISPATCHED)
    resolved = make_ticket(api_app, status=tickets.RESOLVED)
    rejected = make_ticket(api_app, status=tickets.REJECTED, reason="属于生态环境局职责，请拨打12345")
    records = {r["service_request_id"]: r for r in api.get(f"{BASE}/requests.json").get_json()}
    assert (records[dispatched]["status"], records[dispatched]["status_notes"]) == ("open", "已派遣")
    assert (records[resolved]["status"], records[resolved]["status_notes"]) == ("closed", "已办结")
    assert records[rejected]["status"] == "closed"
    assert records[rejected]["status_notes"] == "不予受理：属于生态环境局职责，请拨打12345"


def test_filters_by_id_code_and_status(api_app, api):
    light = make_ticket(api_app)
    noise = make_ticket(api_app, category="noise", status=tickets.REJECTED, reason="不属于城管职责")
    toilet = make_ticket(api_app, category="public_toilet", status=tickets.IN_PROGRESS)
    assert set(ids(api)) == {light, noise, toilet}
    assert ids(api, service_code="street_light") == [light]
    assert set(ids(api, service_code="noise,public_toilet")) == {noise, toilet}
    assert ids(api, status="closed") == [noise]
    assert set(ids(api, status="open")) == {light, toilet}
    assert set(ids(api, status="open,closed")) == {light, noise, toilet}
    assert set(ids(api, service_request_id=f"{light}, {noise}")) == {light, noise}
    # service_request_id overrides every other filter, as the spec says
    assert ids(api, service_request_id=light, service_code="noise", status="closed") == [light]
    assert ids(api, service_code="no_such_code") == []


def test_date_window(api_app, api):
    today = make_ticket(api_app)
    month = make_ticket(api_app, days_ago=30)
    old = make_ticket(api_app, days_ago=120)
    assert ids(api) == [today, month]  # default: the last 90 days, newest first
    start = (datetime.now(CHINA) - timedelta(days=200)).isoformat(timespec="seconds")
    assert ids(api, start_date=start) == [old]  # the 90 days from start_date
    recent = (datetime.now(CHINA) - timedelta(days=60)).isoformat(timespec="seconds")
    assert ids(api, start_date=recent) == [today, month]  # … but never past now
    end = (datetime.now(CHINA) - timedelta(days=10)).isoformat(timespec="seconds")
    assert ids(api, end_date=end) == [month]  # 90 days before end_date
    since = (datetime.now(CHINA) - timedelta(days=100)).isoformat(timespec="seconds")
    assert ids(api, start_date=since, end_date=end) == [month]  # exactly 90 days
    for fmt in ("json", "xml"):  # the spec caps a range at 90 days; the wrong way round is no range
        for query in ({"start_date": start, "end_date": end}, {"start_date": end, "end_date": since}):
            refused = api.get(f"/open311/v2/requests.{fmt}", query_string=query)
            assert refused.status_code == 400, (fmt, query)
            text = refused.get_data(as_text=True)
            assert ("90" in text or "after" in text) and (text.startswith("[") if fmt == "json" else "<errors>" in text)
    day = (datetime.now(CHINA) - timedelta(days=30)).date().isoformat()
    assert ids(api, start_date=day, end_date=day + "T23:59:59+08:00") == [month]
    assert ids(api, start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z") == []
    assert old in ids(api, service_request_id=old)  # by id, whatever its age


def test_window_limit_is_1000(api_app, api, monkeypatch):
    from bot.open311 import read

    monkeypatch.setattr(read, "MAX_RESULTS", 2)
    for _ in range(3):
        make_ticket(api_app)
    assert len(ids(api)) == 2


def test_no_reporter_identity_anywhere(api_app, api):
    number = make_ticket(api_app, openid="o-secret-openid", phone="13811112222", lat=29.29, lng=106.26,
                         description="井盖丢了，我是张小明，电话 138 1111 2222，座机023-47512345",
                         photos=[{"media_id": "MEDIA-1", "pic_url": "http://mmbiz.qpic.cn/secret.jpg"}])
    for path in ("requests.json", "requests.xml", f"requests/{number}.json", f"requests/{number}.xml"):
        raw = api.get(f"{BASE}/{path}").get_data(as_text=True)
        assert number in raw
        for secret in ("o-secret-openid", "openid", "13811112222", "1111 2222", "47512345", "reporter",
                       "phone", "mmbiz", "MEDIA-1"):
            assert secret not in raw, (path, secret)
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    assert record["description"].startswith("井盖丢了") and "[已隐去]" in record["description"]
    assert record["media_url"] == ""


def test_xml_variants(api_app, api):
    number = make_ticket(api_app, lat=29.29, lng=106.26, description="控制字符\x01不应破坏 XML")
    services = ET.fromstring(api.get(f"{BASE}/services.xml").data)
    assert services.tag == "services" and len(services.findall("service")) == 22
    assert services.find("service/metadata").text == "false"
    requests = ET.fromstring(api.get(f"{BASE}/requests.xml").data)
    node = requests.find("request")
    assert requests.tag == "service_requests" and node.findtext("service_request_id") == number
    assert node.findtext("agency_responsible") == "路灯管理所" and node.findtext("status") == "open"
    assert abs(float(node.findtext("lat")) - geo.gcj02_to_wgs84(29.29, 106.26)[0]) < 1e-6
    assert api.get(f"{BASE}/requests.xml").content_type.startswith("text/xml")


def test_discovery(api):
    document = api.get(f"{BASE}/discovery.json").get_json()
    endpoint = document["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2") and "text/xml" in endpoint["formats"]
    assert ET.fromstring(api.get(f"{BASE}/discovery.xml").data).findtext("endpoints/endpoint/type") == "production"


def test_wechat_report_reads_back_without_identity(api, wechat):
    wechat.say("o-chat-openid", "井盖不见了")
    wechat.location("o-chat-openid", 29.29, 106.25)
    wechat.say("o-chat-openid", "跳过")
    wechat.say("o-chat-openid", "13811112222")
    confirmation = wechat.say("o-chat-openid", "确认")
    number = NUMBER.search(confirmation).group()
    raw = api.get(f"{BASE}/requests.json").get_data(as_text=True)
    assert number in raw and "o-chat-openid" not in raw and "13811112222" not in raw
    record = api.get(f"{BASE}/requests/{number}.json").get_json()[0]
    assert record["agency_responsible"] == "市政设施管理所" and record["service_code"] == "manhole_cover"
    assert geo.distance_m(record["lat"], record["long"], *geo.gcj02_to_wgs84(29.29, 106.25)) < 1


def test_masking_keeps_ticket_numbers_dates_and_decimals():
    from bot.open311.render import masked

    kept = "与工单 JJ202611240007 为同一问题，2026-11-24，坐标106.2512345，房号1203"
    assert masked(kept) == kept
    for text in ("电话13811112222。", "+86 138-1111-2222", "8613811112222", "座机023-47512345", "50038119900101123X"):
        assert "[已隐去]" in masked(text) and not any(ch.isdigit() for ch in masked(text).replace("[已隐去]", "")), text
