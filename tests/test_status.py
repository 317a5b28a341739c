"""查询 / 我的反映 / 评价: reporters and followers see their tickets; nobody else sees details."""


from bot import tickets
from bot.extensions import db
from bot.models import Ticket
from tests.support.tickets import NUMBER


def _set_status(app, number, *states):
    with app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        for state in states:
            tickets.change_status(db.session, ticket, state, actor="staff:test", note="已处理",
                                  enqueue=app.extensions["jobs"].enqueue)


def test_someone_elses_ticket_shows_nothing(app, wechat):
    number = NUMBER.search(wechat.report("o-q1")).group(0)
    for ask in (f"查询 {number}", number, f"查询{number}", f"进度 {number}"):
        reply = wechat.say("o-q2", ask)
        assert "没有找到" in reply and "井盖" not in reply and "已受理" not in reply
    assert wechat.say("o-q2", "查询 JJ209901019999") == wechat.say("o-q2", f"查询 {number}")  # existence not leaked
    assert "已受理" in wechat.say("o-q1", number) and "时限" in wechat.say("o-q1", f"查询{number}")


def test_a_follower_sees_the_ticket_and_lists_it(app, wechat):
    number = NUMBER.search(wechat.report("o-q3")).group(0)
    assert number in wechat.report("o-q4", "这里井盖丢了")  # duplicate: follower, told the number
    assert "市政设施管理所" in wechat.say("o-q4", f"查询 {number}")
    assert number in wechat.say("o-q4", "我的反映")


def test_my_reports_lists_states_newest_first(app, wechat):
    first = NUMBER.search(wechat.report("o-q5", "路灯不亮", 29.30, 106.26)).group(0)
    second = NUMBER.search(wechat.report("o-q5", "垃圾桶满了", 29.31, 106.27)).group(0)
    _set_status(app, first, "已派遣")
    listing = wechat.say("o-q5", "我的反映")
    assert listing.index(second) < listing.index(first)
    assert f"{first} 路灯及景观灯故障 —— 已派遣" in listing


def test_rating_with_the_number(app, wechat):
    number = NUMBER.search(wechat.report("o-q6")).group(0)
    assert "只有已办结" in wechat.say("o-q6", f"评价 {number} 5")
    _set_status(app, number, "已办结")
    assert f"评价 {number}" in wechat.say("o-q6", f"查询 {number}")
    assert "没有找到" in wechat.say("o-q7", f"评价 {number} 1")
    assert "感谢" in wechat.say("o-q6", f"评价 {number} 4")
    with app.app_context():
        assert Ticket.query.filter_by(number=number).one().rating == 4


def test_resolution_does_not_throw_away_a_report_in_progress(standin_app, standin_wechat):
    wechat = standin_wechat
    number = NUMBER.search(wechat.report("o-q8")).group(0)
    assert "位置" in wechat.say("o-q8", "路灯又坏了")  # a new report in progress when the old one is resolved
    _set_status(standin_app, number, "已办结")
    assert "位置是必填的" in wechat.say("o-q8", "跳过")
    assert wechat.say("o-q8", "取消").startswith("已取消本次反映")


def test_bare_digit_rates_after_the_resolution_notice(standin_app, standin_wechat):
    number = NUMBER.search(standin_wechat.report("o-q9")).group(0)
    _set_status(standin_app, number, "已办结")  # the notice (delivered) asks for a rating
    assert "重新交办" in standin_wechat.say("o-q9", "1分")
    with standin_app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        assert ticket.status == "处置中" and [h.action for h in ticket.history][-2:] == ["rating", "status"]


def test_status_in_the_middle_of_a_report_keeps_the_draft(app, wechat):
    number = NUMBER.search(wechat.report("o-q10")).group(0)
    assert "位置" in wechat.say("o-q10", "路灯不亮了")
    assert "已受理" in wechat.say("o-q10", f"查询 {number.lower()}")
    assert number in wechat.say("o-q10", "我的反映")
    assert "照片" in wechat.say("o-q10", "鼎山街道长江路口")  # the report goes on where it was
