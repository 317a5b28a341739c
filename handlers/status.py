"""「查询 JJ…」 and 「我的反映」: the reporter's own tickets, never anyone else's details."""

import re
from datetime import timedelta

from sqlalchemy import select

from bot import tickets
from bot.models import Ticket

NUMBER = re.compile(r"JJ\s?\d{12,13}(?!\d)")
NOT_YOURS = "没有找到您名下的这个工单。为保护隐私，工单详情只对反映人本人显示。"


def register(bot):
    # Unambiguous, so they work in the middle of a report or quiz too (which carries on after).
    bot.command(r"(查询|查|进度|查进度|查工单)\s*(JJ\s?\d{12,13})", anytime=True)(show_one)
    bot.command(r"(JJ\s?\d{12,13})", anytime=True)(show_one)
    bot.command(r"(我的反映|我的工单|我的投诉|我反映的|我的随手拍)", anytime=True)(show_mine)
    bot.command(r"(查询|进度查询)")(show_mine)
    bot.command(r"评价\s*(JJ\s?\d{12,13})\s*([1-5])", anytime=True)(rate_by_number)
    bot.menu("MY_TICKETS")(show_mine)
    bot.command(r"([1-5])\s*(分|星|颗星)?\s*[。.!！]?")(rate_latest)
    bot.intent("status")(show_from_intent)


def _number(context):
    """The ticket number in the text (read here, so it works whatever nlp's entities look like)."""
    found = NUMBER.search((context.text or "").upper())
    return found.group(0).replace(" ", "") if found else None


def show_one(message, context):
    """One ticket in detail, if it is the sender's (or one they follow)."""
    number = _number(context)
    ticket = context.session.execute(select(Ticket).filter_by(number=number)).scalar_one_or_none()
    context.intent = "status"
    if ticket is None or not tickets.visible_to(ticket, context.user, context.session):
        return NOT_YOURS
    return describe(ticket, context)


def show_from_intent(message, context):
    return show_one(message, context) if _number(context) else show_mine(message, context)


def show_mine(message, context):
    """The sender's latest tickets with their states."""
    context.intent = "status"
    mine = tickets.tickets_of(context.session, context.openid)
    if not mine:
        return "您还没有反映过问题。遇到井盖缺失、路灯不亮、占道摆摊等，直接发给我就行。"
    lines = [f"{number} {category} —— {status}" for number, category, status in mine]
    return "您最近反映的问题：\n" + "\n".join(lines) + "\n发「查询 工单号」看详情。"


def describe(ticket, context):
    """Status, department, handling limit and the latest history."""
    tz = context.now.tzinfo
    lines = [f"工单 {ticket.number}", f"类别：{ticket.category.name}", f"状态：{ticket.status}",
             f"承办：{ticket.department.name}"]
    if ticket.status in tickets.OPEN_STATES and ticket.due_at:
        lines.append(f"时限：{ticket.due_at.astimezone(tz):%m月%d日 %H:%M}前")
    if ticket.status == tickets.REJECTED and ticket.reject_reason:
        lines.append(f"原因：{ticket.reject_reason}")
    for entry in ticket.history[-3:]:
        lines.append(f"· {entry.at.astimezone(tz):%m-%d %H:%M} {entry.to_status or ''} {entry.note or ''}".rstrip())
    if ticket.status == tickets.RESOLVED and ticket.rating is None and ticket.reporter_id == context.user.id:
        lines.append(f"回复「评价 {ticket.number} 5」为处理结果打分（1–5）。")
    return "\n".join(lines)


def rate_latest(message, context):
    """A bare 1–5 after the 已办结 notice rates the sender's latest resolved, unrated ticket."""
    user = context.user
    since = context.now - timedelta(days=context.config["RATING_WINDOW_DAYS"])
    ticket = tickets.awaiting_rating(context.session, user, since) if user is not None else None
    if ticket is None:
        return None
    return _rate(context, ticket.number, int(context.match.group(1)))


def rate_by_number(message, context):
    return _rate(context, _number(context), int(context.match.group(2)))


def _rate(context, number, stars):
    ticket = context.session.execute(select(Ticket).filter_by(number=number)).scalar_one_or_none()
    context.intent = "status"
    if ticket is None or ticket.reporter_id != getattr(context.user, "id", None):
        return NOT_YOURS
    try:
        reopened = tickets.rate(context.session, ticket, stars, user=context.user, enqueue=context.enqueue)
    except tickets.TicketError as error:
        return str(error)
    if reopened:
        return f"收到您的 {stars} 分评价，抱歉处理没让您满意。工单 {number} 已重新交办，我们会跟进到底。"
    return f"感谢您的 {stars} 分评价！有问题随时再找{context.config['DISTRICT']['account']}。"
