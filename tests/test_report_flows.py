"""More report conversations: emergencies, corrections, photos, stale locations, other conversations."""

import json
from datetime import timedelta

from bot.models import Ticket, TicketPhoto


def test_fire_gets_119_even_when_nlp_has_no_intent(app, wechat):
    reply = wechat.say("o-e1", "小区着火了")
    assert reply.startswith("⚠️ 有火情请立即拨打 119") and "位置" in reply  # and the report goes on
    assert "120" in wechat.say("o-e2", "有人被砸了")
    assert "110" in wechat.say("o-e3", "挡墙垮了")
    assert "119" in wechat.voice("o-e4", "闻到好大一股煤气味")["Content"]


def test_emergency_in_the_middle_of_a_report_keeps_the_draft(app, wechat):
    assert "什么问题" in wechat.click("o-e5", "REPORT")["Content"]
    reply = wechat.say("o-e5", "井盖没了 有人掉进去了")
    assert "120" in reply and "位置" in reply
    wechat.location("o-e5", 29.29, 106.25)
    wechat.say("o-e5", "跳过")
    assert "井盖" in wechat.say("o-e5", "跳过")


def test_garbage_question_about_a_gas_can_is_no_emergency(wechat):
    reply = wechat.say("o-e6", "煤气罐是什么垃圾")
    assert "119" not in reply and "可回收物" in reply


def test_category_correction_by_name_and_bad_pick(app, wechat):
    wechat.say("o-c1", "滨江路井盖不见了")
    wechat.location("o-c1", 29.29, 106.25)
    wechat.say("o-c1", "跳过")
    assert "市政设施管理所" in wechat.say("o-c1", "跳过")
    assert "请回复数字" in wechat.say("o-c1", "类别不对")
    assert "没找到这个类别" in wechat.say("o-c1", "99")
    summary = wechat.say("o-c1", "排水")
    assert "排水不畅与积水" in summary and "确认" in summary
    wechat.say("o-c1", "确认")
    with app.app_context():
        assert Ticket.query.one().category_code == "drainage"


def test_unknown_category_asks_from_the_list(app, wechat):
    wechat.click("o-c2", "REPORT")
    reply = wechat.say("o-c2", "那边那个东西好久都没人管了")
    assert "请回复数字" in reply or "位置" in reply  # nlp may be unsure: never forced silently


def test_up_to_nine_photos_and_a_masked_phone(app, wechat):
    wechat.say("o-ph", "公园的健身器材坏了")
    wechat.location("o-ph", 29.29, 106.25)
    for i in range(9):
        wechat.image("o-ph", media_id=f"P{i}")
    reply = wechat.image("o-ph", media_id="P9")["Content"]
    assert "最多 9 张" in reply
    summary = wechat.say("o-ph", "138 1234 5678")
    assert "照片：9 张" in summary and "138****5678" in summary
    wechat.say("o-ph", "提交")
    with app.app_context():
        assert TicketPhoto.query.count() == 9 and Ticket.query.one().phone == "13812345678"


def test_bad_phone_is_asked_again(wechat):
    wechat.say("o-ph2", "路灯不亮")
    wechat.location("o-ph2", 29.29, 106.25)
    wechat.say("o-ph2", "跳过")
    assert "号码好像不对" in wechat.say("o-ph2", "12345")


def test_confirm_at_the_phone_question_means_no_phone_and_shows_the_summary(app, wechat):
    wechat.say("o-ph3", "路灯不亮")
    wechat.location("o-ph3", 29.29, 106.25)
    assert "手机号" in wechat.say("o-ph3", "跳过")  # no photos; now the phone question
    assert "请核对" in wechat.say("o-ph3", "确认")  # not asked again: no phone, on to the summary
    assert "工单号" in wechat.say("o-ph3", "确认")
    with app.app_context():
        assert Ticket.query.one().phone is None


def test_location_older_than_thirty_minutes_is_asked_again(app, wechat):
    wechat.location("o-l1", 29.31, 106.24, label="圣泉街道")
    later = app.config["CLOCK"]() + timedelta(minutes=31)
    app.config["CLOCK"] = lambda: later
    reply = wechat.say("o-l1", "这里的公厕脏得很")
    assert "位置" in reply and "圣泉街道" not in reply


def test_photo_during_a_quiz_does_not_start_a_report(app, wechat):
    assert "答题开始" in wechat.say("o-qz", "答题")
    wechat.image("o-qz", media_id="QZ")
    state = json.loads(app.extensions["redis"].get("state:o-qz"))
    assert state["name"] == "quiz"


def test_confirm_without_a_draft_files_nothing(app, wechat):
    assert "提交成功" not in wechat.say("o-n1", "确认")
    with app.app_context():
        assert Ticket.query.count() == 0


def test_text_address_from_location_first_label(app, wechat):
    wechat.location("o-l2", 29.28, 106.26, label="江津区几江街道艾坪山")
    assert "江津区几江街道艾坪山" in wechat.say("o-l2", "这里乱扔渣土")
    wechat.say("o-l2", "对的")
    wechat.say("o-l2", "跳过")
    summary = wechat.say("o-l2", "跳过")
    assert "艾坪山" in summary and "城管执法大队" in summary


def _to_summary(wechat, openid, text, lat=29.33, lng=106.33, photos=()):
    wechat.say(openid, text)
    wechat.location(openid, lat, lng)
    for media_id in photos:
        wechat.image(openid, media_id=media_id)
    wechat.say(openid, "好了" if photos else "跳过")
    return wechat.say(openid, "跳过")


def test_reporting_the_same_problem_again_asks_first(app, wechat):
    _to_summary(wechat, "o-d1", "路灯不亮")
    wechat.say("o-d1", "确认")
    _to_summary(wechat, "o-d1", "这个路灯还是不亮")
    assert "已反映过同类问题" in wechat.say("o-d1", "确认")
    assert "提交成功" in wechat.say("o-d1", "仍然提交")
    with app.app_context():
        assert Ticket.query.count() == 2


def test_a_followers_photos_join_the_open_ticket(app, wechat):
    _to_summary(wechat, "o-d2", "人行道地砖碎了一大片", photos=["F1"])
    wechat.say("o-d2", "确认")
    _to_summary(wechat, "o-d3", "人行道的砖烂了", photos=["F2", "F3"])
    reply = wechat.say("o-d3", "确认")
    assert "2 张照片已补充" in reply and "关注人" in reply
    with app.app_context():
        ticket = Ticket.query.one()
        assert [p.media_id for p in ticket.photos] == ["F1", "F2", "F3"]
        assert ticket.history[-1].note == "关注人补充了 2 张照片"


def test_supervisor_phone_is_not_asked_and_skip_at_summary_changes_nothing(app, runner, wechat):
    code = runner.invoke(args=["supervisor", "invite", "--name", "王", "--phone", "13900000000"]).output.strip()
    wechat.say("o-d4", f"绑定 {code}")
    wechat.say("o-d4", "井盖烂了")
    wechat.location("o-d4", 29.34, 106.34)
    summary = wechat.say("o-d4", "跳过")  # photos; the phone is on file
    assert "139****0000" in summary
    assert wechat.say("o-d4", "跳过") == summary
    wechat.say("o-d4", "确认")
    with app.app_context():
        assert Ticket.query.one().description == "井盖烂了"
