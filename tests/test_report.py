"""Reports through /wechat: from text, voice, photo, location and menu to a routed ticket."""

import threading

from sqlalchemy import select

from bot.models import Ticket, TicketFollower, TicketPhoto
from tests.conftest import TOKEN
from tests.support.tickets import NUMBER
from tests.support.wechat_client import WeChatServer, message_xml

JIANGJIN = (29.2905, 106.2590)


def file_report(wechat, openid, first, *, location=True, photos=0, phone="跳过"):
    """Walk the conversation to the summary; return the replies."""
    replies = [wechat.say(openid, first)]
    if location:
        replies.append(wechat.location(openid, *JIANGJIN, label="江津区滨江路").get("Content", ""))
    for i in range(photos):
        replies.append(wechat.image(openid, media_id=f"M{i}").get("Content", ""))
    if photos:
        replies.append(wechat.say(openid, "好了"))
    else:
        replies.append(wechat.say(openid, "跳过"))
    replies.append(wechat.say(openid, phone))
    return replies


def test_text_report_to_ticket_with_number_and_department(app, wechat):
    replies = file_report(wechat, "o-r1", "滨江路的井盖不见了 好危险")
    assert "井盖" in replies[-1] and "确认" in replies[-1]
    done = wechat.say("o-r1", "确认")
    number = NUMBER.search(done).group(0)
    assert "市政设施管理所" in done and "处理时限" in done
    with app.app_context():
        ticket = Ticket.query.filter_by(number=number).one()
        assert ticket.category_code == "manhole_cover" and ticket.status == "已受理"
        assert [h.action for h in ticket.history] == ["created"]
        assert round(ticket.lat, 4) == JIANGJIN[0]


def test_voice_report_uses_recognition(app, wechat):
    first = wechat.voice("o-r2", "我们这条街的路灯坏了 晚上黢黑的").get("Content", "")
    assert "位置" in first
    wechat.location("o-r2", 29.30, 106.27)
    wechat.say("o-r2", "跳过")
    wechat.say("o-r2", "13812345678")
    done = wechat.say("o-r2", "确认")
    assert "路灯管理所" in done
    with app.app_context():
        assert Ticket.query.one().phone == "13812345678"


def test_photo_first_then_description(app, wechat):
    reply = wechat.image("o-r3", media_id="PHOTO1").get("Content", "")
    assert "什么问题" in reply
    reply = wechat.say("o-r3", "垃圾堆成山了没人收")
    assert "位置" in reply
    wechat.location("o-r3", 29.28, 106.25)
    wechat.say("o-r3", "跳过")  # phone
    done = wechat.say("o-r3", "确认")
    assert "环境卫生管理所" in done
    with app.app_context():
        assert [p.media_id for p in TicketPhoto.query.all()] == ["PHOTO1"]


def test_location_first_is_offered_and_used_when_confirmed(app, wechat):
    wechat.location("o-r4", 29.31, 106.24, label="圣泉街道")
    reply = wechat.say("o-r4", "这里的公厕脏得很 臭得进不去")
    assert "用刚才的位置：圣泉街道？" in reply  # shown and asked, never used silently
    assert "照片" in wechat.say("o-r4", "是")
    wechat.say("o-r4", "跳过")
    wechat.say("o-r4", "跳过")
    assert "环境卫生管理所" in wechat.say("o-r4", "确认")


def test_menu_start_and_text_address(app, wechat):
    assert "什么问题" in wechat.click("o-r5", "REPORT")["Content"]
    assert "位置" in wechat.say("o-r5", "小区门口好多人摆摊 把路都堵了")
    wechat.say("o-r5", "几江街道东门口菜市场")
    wechat.say("o-r5", "跳过")
    summary = wechat.say("o-r5", "跳过")
    assert "东门口菜市场" in summary and "城管执法大队" in summary


def test_cancel_at_any_point(app, wechat):
    wechat.say("o-r6", "路灯不亮")
    assert "已取消" in wechat.say("o-r6", "取消")
    assert "没有进行中" in wechat.say("o-r6", "取消")
    with app.app_context():
        assert Ticket.query.count() == 0


def test_unclear_category_is_asked_and_can_be_corrected(app, wechat):
    assert "选择问题类别" in wechat.say("o-r7a", "我要反映一个问题 这里好久没人管")  # a guess is not a category
    assert "位置" in wechat.say("o-r7a", "22")
    file_report(wechat, "o-r7", "人行道上的井盖松了 踩上去晃")
    menu = wechat.say("o-r7", "改类别")
    assert "1井盖" in menu
    summary = wechat.say("o-r7", "4")
    assert "路灯" in summary and "路灯管理所" in summary
    assert "路灯管理所" in wechat.say("o-r7", "确认")


def test_emergency_gets_the_hotline_at_once(wechat):
    reply = wechat.say("o-r8", "燃气管道漏气了 味道好大")
    assert "119" in reply
    reply = wechat.say("o-r9", "井盖没了有人掉进去了受伤了")
    assert "120" in reply


def test_nearby_open_ticket_makes_a_follower_not_a_duplicate(app, wechat):
    file_report(wechat, "o-r10", "井盖不见了")
    wechat.say("o-r10", "确认")
    file_report(wechat, "o-r11", "这里井盖丢了")
    reply = wechat.say("o-r11", "确认")
    assert "关注人" in reply
    with app.app_context():
        assert Ticket.query.count() == 1
        assert TicketFollower.query.count() == 1


def test_retried_confirmation_files_one_ticket(app, wechat):
    file_report(wechat, "o-r12", "路灯坏了")
    first = wechat.say("o-r12", "确认", msgid=555001)
    again = wechat.say("o-r12", "确认", msgid=555001)
    assert first == again
    with app.app_context():
        assert Ticket.query.count() == 1


def test_two_concurrent_confirmations_file_one_ticket(app, wechat):
    file_report(wechat, "o-r13", "消防通道被堵了")
    results = []

    def confirm(msgid):
        server = WeChatServer(app.test_client(), TOKEN)
        response = server.post_xml(message_xml("o-r13", "text", {"Content": "确认"}, msgid=msgid))
        results.append(response.status_code)

    threads = [threading.Thread(target=confirm, args=(556000 + i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200, 200]
    with app.app_context():
        assert Ticket.query.count() == 1


def test_ticket_numbers_are_sequential_per_day(app):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot import tickets
    from bot.extensions import db

    now = datetime(2026, 11, 24, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with app.app_context():
        numbers = [tickets.create_ticket(db.session, category_code="road_damage", description="x", source="resident",
                                         now=now)[0].number for _ in range(3)]
        assert numbers == ["JJ202611240001", "JJ202611240002", "JJ202611240003"]
        numbers = db.session.execute(select(Ticket.number)).scalars().all()
        assert len(set(numbers)) == 3


def test_named_road_asks_for_the_exact_spot(app, wechat):
    assert "「人民路」的哪个位置" in wechat.say("o-r20", "人民路井盖不见了")
    assert "照片" in wechat.say("o-r20", "农行门口")
    wechat.say("o-r20", "跳过")
    assert "人民路 农行门口" in wechat.say("o-r20", "跳过")
    wechat.say("o-r21", "人民路井盖不见了")
    assert "照片" in wechat.say("o-r21", "跳过")  # the road alone will do
