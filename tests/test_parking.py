"""Finding a space through /wechat: nearest first, open or not at a fixed clock, places, times,
rules, operators' live counts and their staleness, Redis down, complaints left to reports."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.extensions import db
from bot.models.parking import ParkingLot, ParkingOperator

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=TZ)  # a working Monday
LOTS = "name,address,lat,lng,spaces,schedule,fee,phone\n" + (
    "机关停车场,几江街道1号,29.2900,106.2600,100,mon-fri 18:00-08:00; sat-sun 00:00-24:00,免费,023-1\n"
    "商场停车场,几江街道2号,29.2950,106.2600,300,daily 00:00-24:00,每小时3元,\n"
    "学校停车场,几江街道3号,29.3100,106.2600,50,mon-fri 19:00-07:00,每次5元,\n"
)
NEAR_OFFICE = (29.2899, 106.2601)


@pytest.fixture
def clock():
    return {"now": MONDAY_NOON}


@pytest.fixture
def lots_app(make_app, tmp_path, clock):
    """An app at a fixed clock whose only lots are the three above (the sample comes back after)."""
    app = make_app(CLOCK=lambda: clock["now"])
    with app.app_context():
        ParkingLot.query.delete()
        db.session.commit()
    path = tmp_path / "lots.csv"
    path.write_text(LOTS, encoding="utf-8")
    assert "3 added" in app.test_cli_runner().invoke(args=["parking", "import", str(path)]).output
    yield app
    with app.app_context():
        from bot.parking.lots import seed

        ParkingLot.query.delete()
        db.session.commit()
        seed(db.session)


@pytest.fixture
def chat(lots_app):
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    return WeChatServer(lots_app.test_client(), TOKEN)


def line_of(reply, name):
    """The status line under a lot's name."""
    return reply.split(name)[1].split("\n")[1]


def test_location_gets_nearest_first_with_open_status(chat):
    reply = chat.location("o-p", *NEAR_OFFICE)["Content"]
    assert reply.index("机关停车场") < reply.index("商场停车场") < reply.index("学校停车场")
    assert "未开放，18:00开放" in line_of(reply, "机关停车场")
    assert "开放中" in line_of(reply, "商场停车场")
    assert "未开放，19:00开放" in line_of(reply, "学校停车场")
    assert "米" in reply and "uri.amap.com/marker?position=106.260000,29.290000" in reply
    assert len(reply.encode()) < 2048 and reply.count("\n") < 16  # one chat screen


def test_evening_clock_changes_the_answer(chat, clock):
    clock["now"] = MONDAY_NOON.replace(hour=22)
    reply = chat.location("o-p", *NEAR_OFFICE)["Content"]
    assert "开放中，明天08:00停止开放" in line_of(reply, "机关停车场")
    assert "开放中，明天07:00停止开放" in line_of(reply, "学校停车场")


def test_place_name_queries(chat):
    reply = chat.say("o-p", "几江街道哪里能停车")
    assert "离几江街道最近" in reply and "机关停车场" in reply
    reply = chat.say("o-p", "鼎山公园附近停车")
    assert "离鼎山公园最近" in reply
    assert reply.index("机关停车场") < reply.index("商场停车场") < reply.index("学校停车场")


def test_time_queries_answer_for_that_time(chat):
    reply = chat.say("o-p", "今晚8点几江街道附近有车位没")
    assert "11月23日 20:00" in reply and "开放中" in line_of(reply, "机关停车场")
    reply = chat.say("o-p", "周末几江街道哪里能停车")
    assert "11月28日 10:00" in reply and "开放中" in line_of(reply, "机关停车场")
    assert "未开放，后天19:00开放" in line_of(reply, "学校停车场")


def test_no_location_asks_for_one_then_answers_for_the_time_asked(chat):
    ask = chat.say("o-new", "今晚8点附近哪里能停车")
    assert "位置" in ask and "＋" in ask
    reply = chat.location("o-new", *NEAR_OFFICE)["Content"]
    assert "11月23日 20:00" in reply and "开放中" in line_of(reply, "机关停车场")
    assert "（现在）" in chat.location("o-new", *NEAR_OFFICE)["Content"]  # the asked time is used once


def test_menu_button_and_location_event(chat):
    assert "位置" in chat.click("o-ev", "PARKING")["Content"]
    chat.event("o-ev", "LOCATION", Latitude=29.2899, Longitude=106.2601, Precision=30)
    reply = chat.say("o-ev", "附近停车场")
    assert "离您最近" in reply and reply.index("机关停车场") < reply.index("商场停车场")


def test_rules_from_the_data_and_a_lot_named(chat):
    reply = chat.say("o-p", "错时停车怎么收费")
    assert "收费" in reply and "错时共享停车场 2 个" in reply and "1 个免费" in reply
    reply = chat.say("o-p", "学校停车场几点开放")
    assert "周一至周五 19:00-次日07:00" in reply and "每次5元" in reply


def test_nothing_nearby_points_to_the_nearest_further_away(chat):
    reply = chat.location("o-far", 29.05, 106.26)["Content"]  # ~26 km south
    assert "5 公里内暂时没有" in reply and "机关停车场" in reply and "公里" in reply


def test_an_open_lot_is_shown_when_the_nearest_are_closed(chat, lots_app, tmp_path):
    extra = "\n".join(f"关着的{i},几江街道{i}0号,29.28{i},106.26,10,sun 01:00-02:00,免费," for i in range(4))
    path = tmp_path / "more.csv"
    path.write_text(LOTS.splitlines()[0] + "\n" + extra + "\n", encoding="utf-8")
    lots_app.test_cli_runner().invoke(args=["parking", "import", str(path)])
    reply = chat.location("o-p", 29.281, 106.26)["Content"]
    assert "商场停车场" in reply and "开放中" in line_of(reply, "商场停车场") and "4. " in reply


def test_occupancy_api_auth_and_staleness(lots_app, chat, clock):
    with lots_app.app_context():
        mall = ParkingLot.query.filter_by(name="商场停车场").one().id
        office = ParkingLot.query.filter_by(name="机关停车场").one().id
    key = lots_app.test_cli_runner().invoke(
        args=["parking", "operator", f"万达物业-{uuid.uuid4().hex[:6]}", "--lot", str(mall)]).output.strip()
    client, auth = lots_app.test_client(), {"Authorization": f"Bearer {key}"}
    post = lambda body, headers=auth: client.post("/api/parking/occupancy", json=body, headers=headers)  # noqa: E731
    assert post({"lot_id": mall, "free_spaces": 5}, {}).status_code == 401
    assert post({"lot_id": mall, "free_spaces": 5}, {"Authorization": "Bearer jjp_wrong"}).status_code == 401
    assert post({"lot_id": office, "free_spaces": 5}).status_code == 403  # not this operator's lot
    assert post({"lot_id": mall, "free_spaces": 999}).status_code == 400
    assert post([{"lot_id": mall, "free_spaces": 1}, {"lot_id": office, "free_spaces": 1}]).status_code == 403
    assert post({"lot_id": mall, "free_spaces": 42}).status_code == 200
    assert client.get("/api/parking/lots", headers=auth).get_json()["lots"][0]["free_spaces"] == 42
    assert "空位 42（实时）" in line_of(chat.location("o-p", 29.2950, 106.2600)["Content"], "商场停车场")
    clock["now"] = MONDAY_NOON + timedelta(minutes=16)  # older than the default 15 minutes
    stale = line_of(chat.location("o-p", 29.2950, 106.2600)["Content"], "商场停车场")
    assert "空位 42" not in stale and "共 300 个车位" in stale
    with lots_app.app_context():
        ParkingLot.query.filter_by(id=mall).update({"operator_id": None})
        ParkingOperator.query.delete()
        db.session.commit()


def test_another_process_shows_an_operators_new_count_at_once(lots_app, chat, clock):
    """Each process keeps the lots it answered with; an operator's update reaches them all through Redis."""
    from bot import create_app
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    other = WeChatServer(create_app(dict(lots_app.config)).test_client(), TOKEN)  # a second worker
    assert "共 300 个车位" in line_of(other.location("o-p2", 29.2950, 106.2600)["Content"], "商场停车场")
    with lots_app.app_context():
        mall = ParkingLot.query.filter_by(name="商场停车场").one().id
    key = lots_app.test_cli_runner().invoke(
        args=["parking", "operator", f"物业-{uuid.uuid4().hex[:6]}", "--lot", str(mall)]).output.strip()
    response = lots_app.test_client().post("/api/parking/occupancy", json={"lot_id": mall, "free_spaces": 9},
                                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert "空位 9（实时）" in line_of(other.location("o-p2", 29.2950, 106.2600)["Content"], "商场停车场")
    with lots_app.app_context():
        ParkingLot.query.filter_by(id=mall).update({"operator_id": None, "free_spaces": None})
        ParkingOperator.query.delete()
        db.session.commit()


def test_staleness_is_configurable(make_app, lots_app, clock):
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    with lots_app.app_context():
        ParkingLot.query.filter_by(name="商场停车场").update(
            {"free_spaces": 7, "free_updated_at": MONDAY_NOON - timedelta(minutes=50)})
        db.session.commit()
    patient = make_app(CLOCK=lambda: clock["now"], PARKING_LIVE_MAX_AGE_MINUTES=60)
    with patient.app_context():  # make_app emptied the per-test tables, not the lots
        assert ParkingLot.query.count() == 3
    reply = WeChatServer(patient.test_client(), TOKEN).location("o-p", 29.2950, 106.2600)["Content"]
    assert "空位 7（实时）" in reply


def test_search_works_with_redis_down(lots_app):
    from bot import create_app
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    down = create_app({**lots_app.config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    reply = WeChatServer(down.test_client(), TOKEN).location("o-p", *NEAR_OFFICE)["Content"]
    assert reply.index("机关停车场") < reply.index("商场停车场") < reply.index("学校停车场")
    assert "未开放，18:00开放" in line_of(reply, "机关停车场")


def test_complaint_naming_a_lot_is_a_report_that_links_it(lots_app, chat):
    from bot.models import Ticket

    assert "照片" in chat.say("o-pc", "机关停车场晚上七点了还锁着门 进不去")  # no need to ask where
    chat.say("o-pc", "跳过")
    assert "几江街道1号" in chat.say("o-pc", "跳过")
    assert "停车管理中心" in chat.say("o-pc", "确认")
    with lots_app.app_context():
        ticket = Ticket.query.one()
        assert "涉及停车场：机关停车场" in ticket.description and ticket.lat is not None


def test_a_location_during_a_report_belongs_to_the_report(chat):
    chat.say("o-rep", "人民路井盖不见了")
    reply = chat.location("o-rep", *NEAR_OFFICE)["Content"]
    assert "机关停车场" not in reply


def test_explicit_phrasings_and_voice(chat):
    chat.location("o-v", *NEAR_OFFICE)
    for text in ("找车位", "附近有停车位吗", "哪里可以停车？"):
        assert "离您最近" in chat.say("o-v", text)
    reply = chat.voice("o-v2", "今晚8点几江街道哪里能停车")
    assert "11月23日 20:00" in reply["Content"]
