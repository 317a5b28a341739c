"""Shared parking: schedule grammar, CSV import, nearest-first answers, time queries, occupancy."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.models.parking import ParkingLot
from bot.parking_schedule import ScheduleError, describe, is_open, next_change, parse

TZ = ZoneInfo("Asia/Shanghai")
MONDAY_NOON = datetime(2026, 11, 23, 12, 0, tzinfo=TZ)  # a working Monday
HEADER = "name,address,lat,lng,spaces,schedule,fee,phone\n"
LOTS = HEADER + (
    "机关停车场,几江街道1号,29.2900,106.2600,100,mon-fri 18:00-08:00; sat-sun 00:00-24:00,免费,023-1\n"
    "商场停车场,几江街道2号,29.2950,106.2600,300,daily 00:00-24:00,每小时3元,\n"
    "学校停车场,几江街道3号,29.3100,106.2600,50,mon-fri 19:00-07:00,每次5元,\n"
)


@pytest.mark.parametrize("schedule, moment, expected", [
    ("mon-fri 18:00-08:00", datetime(2026, 11, 23, 17, 59), False),
    ("mon-fri 18:00-08:00", datetime(2026, 11, 23, 18, 0), True),
    ("mon-fri 18:00-08:00", datetime(2026, 11, 24, 7, 59), True),  # Monday's window, Tuesday morning
    ("mon-fri 18:00-08:00", datetime(2026, 11, 28, 7, 0), True),  # Friday's window, Saturday morning
    ("mon-fri 18:00-08:00", datetime(2026, 11, 29, 7, 0), False),  # Sunday morning
    ("sat-sun 00:00-24:00", datetime(2026, 11, 29, 23, 59), True),
    ("daily 00:00-24:00", datetime(2026, 11, 25, 3, 0), True),
    ("sun 22:00-06:00", datetime(2026, 11, 30, 5, 0), True),  # wraps into Monday
    ("fri-mon 08:00-12:00", datetime(2026, 11, 29, 9, 0), True),  # a range across the week's end
    ("fri-mon 08:00-12:00", datetime(2026, 11, 25, 9, 0), False),
])
def test_schedule_grammar(schedule, moment, expected):
    assert is_open(parse(schedule), moment) is expected


@pytest.mark.parametrize("bad", ["", "mon-fri 18:00", "weekdays 10:00-12:00", "mon 25:00-26:00",
                                 "daily 10:00-10:00", "mon-fri 08:60-09:00"])
def test_invalid_rules_are_rejected_clearly(bad):
    with pytest.raises(ScheduleError) as error:
        parse(bad)
    assert str(error.value)


def test_next_change_and_description():
    windows = parse("mon-fri 18:00-08:00; sat-sun 00:00-24:00")
    assert next_change(windows, MONDAY_NOON.replace(tzinfo=None)) == datetime(2026, 11, 23, 18, 0)
    assert describe(windows) == "周一至周五 18:00-次日08:00；周六、周日 全天"


def test_import_reports_bad_lines_and_imports_nothing(app, runner, tmp_path):
    path = tmp_path / "lots.csv"
    path.write_text(HEADER + "好的,地址,29.29,106.26,10,daily 00:00-24:00,,\n"
                    "坏的,地址,abc,106.26,10,daily 00:00-24:00,,\n"
                    "也坏,地址,29.29,106.26,10,someday 10:00-12:00,,\n", encoding="utf-8")
    result = runner.invoke(args=["parking", "import", str(path)])
    assert result.exit_code != 0
    assert "line 3" in result.output and "line 4" in result.output and "line 2" not in result.output
    with app.app_context():
        assert ParkingLot.query.filter_by(name="好的").count() == 0


def test_reimport_updates_by_name_and_address(app, runner, tmp_path):
    path = tmp_path / "lots.csv"
    path.write_text(LOTS, encoding="utf-8")
    assert "3 added" in runner.invoke(args=["parking", "import", str(path)]).output
    path.write_text(LOTS.replace(",100,", ",120,"), encoding="utf-8")
    assert "3 updated" in runner.invoke(args=["parking", "import", str(path)]).output
    with app.app_context():
        assert ParkingLot.query.filter_by(name="机关停车场").one().spaces == 120


@pytest.fixture
def lots_app(make_app, tmp_path):
    app = make_app(CLOCK=lambda: MONDAY_NOON)
    with app.app_context():
        from bot.extensions import db

        ParkingLot.query.delete()
        db.session.commit()
    path = tmp_path / "lots.csv"
    path.write_text(LOTS, encoding="utf-8")
    app.test_cli_runner().invoke(args=["parking", "import", str(path)])
    yield app
    with app.app_context():
        from bot.extensions import db
        from bot.parking_data import seed

        ParkingLot.query.delete()
        db.session.commit()
        seed(db.session)


@pytest.fixture
def chat(lots_app):
    from tests.conftest import TOKEN
    from tests.wechat_client import WeChatServer

    return WeChatServer(lots_app.test_client(), TOKEN)


def test_location_gets_nearest_first_with_open_status(chat):
    reply = chat.location("o-p", 29.2899, 106.2601)["Content"]
    assert reply.index("机关停车场") < reply.index("商场停车场") < reply.index("学校停车场")
    office = reply.split("机关停车场")[1].split("\n")[1]
    assert "未开放" in office and "18:00开放" in office
    mall = reply.split("商场停车场")[1].split("\n")[1]
    assert "开放中" in mall
    assert "米" in reply and "uri.amap.com" in reply


def test_place_name_query(chat):
    reply = chat.say("o-p", "几江街道哪里能停车")
    assert "几江街道" in reply and "机关停车场" in reply


def test_time_query_answers_for_that_time(chat):
    reply = chat.say("o-p", "今晚8点几江街道附近有车位没")
    office = reply.split("机关停车场")[1].split("\n")[1]
    assert "开放中" in office and "11月23日 20:00" in reply


def test_no_location_asks_for_one(chat):
    assert "位置" in chat.say("o-new", "附近哪里可以停车")


def test_rules_faq(chat):
    assert "收费" in chat.say("o-p", "错时停车怎么收费")


def test_occupancy_updates_and_staleness(lots_app, chat):
    runner = lots_app.test_cli_runner()
    with lots_app.app_context():
        lot_id = ParkingLot.query.filter_by(name="商场停车场").one().id
    import uuid

    name = f"万达物业-{uuid.uuid4().hex[:6]}"
    key = runner.invoke(args=["parking", "operator", name, "--lot", str(lot_id)]).output.strip()
    client = lots_app.test_client()
    assert client.post("/api/parking/occupancy", json={"lot_id": lot_id, "free_spaces": 5}).status_code == 401
    bad = client.post("/api/parking/occupancy", json={"lot_id": lot_id, "free_spaces": 999},
                      headers={"Authorization": f"Bearer {key}"})
    assert bad.status_code == 400
    ok = client.post("/api/parking/occupancy", json={"lot_id": lot_id, "free_spaces": 42},
                     headers={"Authorization": f"Bearer {key}"})
    assert ok.status_code == 200
    assert "空位 42（实时）" in chat.location("o-p", 29.2950, 106.2600)["Content"]
    with lots_app.app_context():
        from datetime import timedelta

        from bot.extensions import db
        from bot.models.core import utcnow

        lot = db.session.get(ParkingLot, lot_id)
        lot.free_updated_at = utcnow() - timedelta(minutes=30)
        db.session.commit()
    stale = chat.location("o-p", 29.2950, 106.2600)["Content"]
    assert "空位 42" not in stale and "共 300 个车位" in stale


def test_search_works_with_redis_down(lots_app):
    from bot import create_app
    from tests.conftest import TOKEN
    from tests.wechat_client import WeChatServer

    down = create_app({**lots_app.config, "REDIS_URL": "redis://127.0.0.1:1/0"})
    reply = WeChatServer(down.test_client(), TOKEN).location("o-p", 29.2899, 106.2601)["Content"]
    assert reply.index("机关停车场") < reply.index("商场停车场")


def test_complaint_naming_a_lot_links_it(lots_app, chat):
    from bot.models import Ticket

    assert "照片" in chat.say("o-pc", "机关停车场晚上七点了还锁着门 进不去")  # no need to ask where
    chat.say("o-pc", "跳过")
    assert "几江街道1号" in chat.say("o-pc", "跳过")
    assert "停车管理中心" in chat.say("o-pc", "确认")
    with lots_app.app_context():
        ticket = Ticket.query.one()
        assert "涉及停车场：机关停车场" in ticket.description and ticket.lat is not None
