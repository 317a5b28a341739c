"""Status queries, supervisors, state changes with notifications at the WeChat stand-in, rating."""

import re

from bot.models import Supervisor, Ticket
from tests.support.tickets import NUMBER


def _report(wechat, openid, text="井盖不见了", lat=29.29, lng=106.25):
    return NUMBER.search(wechat.report(openid, text, lat, lng)).group(0)


def test_status_of_own_ticket_and_not_of_others(wechat):
    number = _report(wechat, "o-s1")
    mine = wechat.say("o-s1", f"查询 {number}")
    assert "已受理" in mine and "市政设施管理所" in mine
    theirs = wechat.say("o-s2", f"查询 {number}")
    assert "没有找到" in theirs and "市政设施管理所" not in theirs
    listing = wechat.say("o-s1", "我的反映")
    assert number in listing
    assert "还没有反映" in wechat.say("o-s2", "我的反映")


def test_every_state_change_notifies_reporter_and_follower(standin_app, standin_wechat, standin, runner_for):
    number = _report(standin_wechat, "o-n1")
    _report(standin_wechat, "o-n2", "这里井盖丢了")  # follower of the same problem
    runner = runner_for(standin_app)
    for state in ("已派遣", "处置中", "已办结"):
        result = runner.invoke(args=["tickets", "status", number, state, "--note", "已更换井盖"])
        assert result.exit_code == 0, result.output
    sent = standin.sent("message/custom/send")
    to_reporter = [m["text"]["content"] for m in sent if m["touser"] == "o-n1"]
    to_follower = [m["text"]["content"] for m in sent if m["touser"] == "o-n2"]
    assert len(to_reporter) == 3 and len(to_follower) == 3
    assert "已派遣" in to_reporter[0] and "已办结" in to_reporter[2] and number in to_reporter[2]
    assert "打分" in to_reporter[2]


def test_rejection_needs_a_reason_and_tells_it(standin_app, standin_wechat, standin, runner_for):
    number = _report(standin_wechat, "o-n3")
    runner = runner_for(standin_app)
    assert runner.invoke(args=["tickets", "status", number, "不予受理"]).exit_code != 0
    result = runner.invoke(args=["tickets", "status", number, "不予受理", "--reason", "属于物业管理范围"])
    assert result.exit_code == 0
    assert "物业管理范围" in standin.sent("message/custom/send")[-1]["text"]["content"]


def test_outside_48h_window_falls_back_to_template(make_app, standin, runner_for):
    from tests.conftest import TOKEN
    from tests.support.wechat_client import WeChatServer

    app = make_app(WECHAT_API_BASE_URL=standin.base_url, WECHAT_SECRET="s", WECHAT_TEMPLATE_TICKET="TPL1")
    number = _report(WeChatServer(app.test_client(), TOKEN), "o-n4")
    standin.fail("message/custom/send", errcode=45015)
    runner_for(app).invoke(args=["tickets", "status", number, "已派遣"])
    template = standin.sent("message/template/send")
    assert template and template[0]["template_id"] == "TPL1" and template[0]["data"]["keyword1"]["value"] == number


def test_rating_after_resolution_and_low_rating_reopens(standin_app, standin_wechat, runner_for):
    number = _report(standin_wechat, "o-n5")
    runner = runner_for(standin_app)
    runner.invoke(args=["tickets", "status", number, "已办结", "--note", "已修复"])
    reply = standin_wechat.say("o-n5", "2")
    assert "重新交办" in reply
    with standin_app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        assert ticket.rating == 2 and ticket.status == "处置中"
    runner.invoke(args=["tickets", "status", number, "已办结"])
    assert "感谢" in standin_wechat.say("o-n5", "5")


def test_photo_is_downloaded_by_a_job(standin_app, standin_wechat, standin, tmp_path):
    standin_app.config["MEDIA_DIR"] = str(tmp_path)
    standin_wechat.image("o-p1", media_id="MEDIA-77")
    standin_wechat.say("o-p1", "路边倒了一堆建筑垃圾")
    standin_wechat.location("o-p1", 29.29, 106.25)
    standin_wechat.say("o-p1", "跳过")
    number = NUMBER.search(standin_wechat.say("o-p1", "确认")).group(0)
    assert any(c["query"].get("media_id") == "MEDIA-77" for c in standin.calls if c["endpoint"] == "media/get")
    saved = list(tmp_path.rglob("*.jpg"))
    assert saved and saved[0].parent.name == number and saved[0].read_bytes().startswith(b"\xff\xd8")


def test_supervisor_invite_bind_and_points(app, wechat, runner):
    code = runner.invoke(args=["supervisor", "invite", "--name", "王大姐", "--phone", "13900000000"]).output.strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    assert "绑定成功" in wechat.say("o-sup", f"绑定 {code}")
    assert "已经被其他微信号绑定" in wechat.say("o-other", f"绑定 {code}")
    assert "邀请码不对" in wechat.say("o-other", "绑定 ZZZZZZ")
    _report(wechat, "o-sup", "人行道上有个大坑 好危险", lat=29.30, lng=106.26)
    _report(wechat, "o-res", "人行道上有个大坑", lat=29.30, lng=106.26)  # resident: follower only
    points = wechat.say("o-sup", "我的积分")
    assert "10 分" in points and "第 1 名" in points
    with app.app_context():
        ticket = Ticket.query.one()
        assert ticket.source == "supervisor" and ticket.status == "已派遣"  # trusted: no triage
        assert Supervisor.query.one().points == 10


def test_later_supervisor_on_a_duplicate_earns_a_little(app, wechat, runner):
    first = runner.invoke(args=["supervisor", "invite", "--name", "甲"]).output.strip()
    second = runner.invoke(args=["supervisor", "invite", "--name", "乙"]).output.strip()
    wechat.say("o-a", f"绑定 {first}")
    wechat.say("o-b", f"绑定 {second}")
    _report(wechat, "o-a", "路灯不亮", lat=29.31, lng=106.27)
    wechat.say("o-b", "路灯坏了")
    wechat.location("o-b", 29.31, 106.27)
    wechat.say("o-b", "跳过")
    wechat.say("o-b", "跳过")
    assert "关注人" in wechat.say("o-b", "确认")
    with app.app_context():
        points = {s.name: s.points for s in Supervisor.query.all()}
        assert points == {"甲": 10, "乙": 2}
