"""群众监督员: invite codes (CLI), 绑定, their menu, points, monthly ranking (Redis cached, DB the truth)."""

import itertools
import re
import time

from bot import supervisors as points
from bot.models import Supervisor, Ticket, User
from tests.support.tickets import NUMBER

_seconds = itertools.count(int(time.time()))


def _click(wechat, openid, key):
    """A menu click; its own CreateTime, or the pipeline would take it for WeChat's retry."""
    return wechat.event(openid, "CLICK", EventKey=key, create_time=next(_seconds))["Content"]


def _invite(runner, name, *extra):
    result = runner.invoke(args=["supervisor", "invite", "--name", name, *extra])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_invite_prints_only_the_code_and_list_and_disable(app, runner, wechat):
    code = _invite(runner, "李师傅", "--phone", "13800000001")
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)
    listing = runner.invoke(args=["supervisor", "list"]).output
    assert code in listing and "李师傅" in listing and "not bound" in listing and "13800000001" not in listing
    assert runner.invoke(args=["supervisor", "disable", code.lower()]).exit_code == 0
    assert "停用" in wechat.say("o-sv1", f"绑定 {code}")
    assert runner.invoke(args=["supervisor", "disable", "NOPE42"]).exit_code != 0


def test_binding_is_case_insensitive_and_repeatable(app, runner, wechat):
    code = _invite(runner, "张姐")
    assert "绑定成功" in wechat.say("o-sv2", f"绑定 {code.lower()}")
    assert "绑定成功" in wechat.say("o-sv2", f"绑定{code}")  # the same person again: fine
    assert "邀请码" in wechat.say("o-sv2", "绑定")
    with app.app_context():
        user = User.query.filter_by(openid="o-sv2").one()
        assert user.role == "supervisor" and user.supervisor.name == "张姐"
    assert "bound" in runner.invoke(args=["supervisor", "list"]).output


def test_binding_tags_the_supervisor_for_their_menu(standin_app, standin_wechat, standin):
    code = _invite(standin_app.test_cli_runner(), "周哥")
    standin_wechat.say("o-sv3", f"绑定 {code}")
    tagged = standin.sent("tags/members/batchtagging")
    assert tagged and tagged[0]["openid_list"] == ["o-sv3"]


def test_supervisor_menu_keys(app, runner, wechat):
    assert "绑定" in _click(wechat, "o-sv4", "SUPERVISOR")
    assert "监督员" in _click(wechat, "o-sv4", "MY_POINTS")
    wechat.say("o-sv4", f"绑定 {_invite(runner, '陈叔')}")
    assert "我的积分" in _click(wechat, "o-sv4", "SUPERVISOR")
    assert "0 分" in _click(wechat, "o-sv4", "MY_POINTS")
    number = NUMBER.search(wechat.report("o-sv4", "路灯不亮", 29.32, 106.28)).group(0)
    assert number in _click(wechat, "o-sv4", "MY_TICKETS")


def test_reports_skip_triage_and_ranking_follows_points(app, runner, wechat):
    for openid, name in (("o-sa", "甲"), ("o-sb", "乙")):
        wechat.say(openid, f"绑定 {_invite(runner, name)}")
    assert "已派遣" in wechat.say("o-sa", f"查询 {NUMBER.search(wechat.report('o-sa', '路灯不亮', 29.33, 106.29)).group(0)}")
    first = wechat.say("o-sb", "我的积分")
    assert "暂无排名" in first and "累计反映：0 件" in first
    assert "第 1 名（共 1 人）" in wechat.say("o-sa", "我的积分")
    wechat.report("o-sb", "井盖不见了", 29.40, 106.30)
    wechat.report("o-sb", "人行道地砖坏了", 29.41, 106.31)
    mine = wechat.say("o-sb", "我的积分")
    assert "20 分" in mine and "累计反映：2 件" in mine and "第 1 名（共 2 人）" in mine  # cache updated in place
    assert "第 2 名" in wechat.say("o-sa", "我的积分")


def test_ranking_is_rebuilt_from_the_ledger(app, runner, wechat):
    wechat.say("o-sc", f"绑定 {_invite(runner, '丙')}")
    wechat.report("o-sc", "垃圾桶满了没人收", 29.35, 106.20)
    with app.app_context():
        client = app.extensions["redis"]
        wechat.say("o-sc", "我的积分")
        key = next(iter(client.keys("points:month:*")))
        client.zadd(key, {"999": 10_000})  # a stale cache...
        client.delete(key)                   # ...that expired: the ledger rebuilds it
        supervisor = Supervisor.query.one()
        assert points.ranking(Ticket.query.session, client) == [(supervisor.id, 10)]
        assert client.ttl(key) > 0


def test_rejected_report_loses_its_points(app, runner, wechat):
    wechat.say("o-sd", f"绑定 {_invite(runner, '丁')}")
    number = NUMBER.search(wechat.report("o-sd", "这里有个违建", 29.36, 106.21)).group(0)
    assert "10 分" in wechat.say("o-sd", "我的积分")
    assert runner.invoke(args=["tickets", "status", number, "不予受理", "--reason", "已有规划许可"]).exit_code == 0
    reply = wechat.say("o-sd", "我的积分")
    assert "积分：0 分" in reply and "暂无排名" in reply


def test_residents_have_no_points(wechat):
    assert "监督员" in wechat.say("o-se", "我的积分")
