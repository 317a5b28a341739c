"""Jobs that tell reporters and followers what happened to their ticket (RQ, with retries)."""

import json
import logging

from flask import current_app
from sqlalchemy import select

from bot import tickets, wechat_api
from bot.extensions import db
from bot.models import Ticket, TicketFollower, TicketHistory, User

log = logging.getLogger(__name__)
RATING_TTL_SECONDS = 3 * 24 * 3600


def message_for(ticket, entry):
    """The chat text for one change of a ticket."""
    head = f"【津管家】您反映的问题（工单 {ticket.number}）"
    if entry.action == "reroute":
        return f"{head}已转交：{entry.note}。"
    if entry.to_status == tickets.RESOLVED:
        return (f"{head}已办结。{('处理说明：' + entry.note + '。') if entry.note else ''}\n"
                "请回复 1–5 为处理结果打分（5 分最满意，1–2 分会重新处理）。")
    if entry.to_status == tickets.REJECTED:
        return f"{head}不予受理，原因：{entry.note}。如有疑问请拨 12345。"
    note = f"（{entry.note}）" if entry.note else ""
    return f"{head}状态更新为「{entry.to_status}」{note}，承办部门：{ticket.department.name}。"


def ticket_changed(ticket_id, history_id):
    """Queue one delivery per person who should hear about this change."""
    ticket = db.session.get(Ticket, ticket_id)
    entry = db.session.get(TicketHistory, history_id)
    if ticket is None or entry is None:
        return 0
    text = message_for(ticket, entry)
    followers = select(User.openid).join(TicketFollower, TicketFollower.user_id == User.id).where(
        TicketFollower.ticket_id == ticket.id)
    openids = ([ticket.reporter.openid] if ticket.reporter else []) + list(db.session.execute(followers).scalars())
    jobs = current_app.extensions["jobs"]
    for openid in dict.fromkeys(openids):
        asks_rating = entry.to_status == tickets.RESOLVED and ticket.reporter and openid == ticket.reporter.openid
        jobs.enqueue(deliver, openid, text, ticket.number, entry.to_status or "", bool(asks_rating))
    return len(openids)


def deliver(openid, text, number, status, asks_rating=False):
    """Customer-service message; a template message when the user is outside the 48-hour window."""
    config, client = current_app.config, current_app.extensions["redis"]
    try:
        wechat_api.send_text(config, client, openid, text)
    except wechat_api.WeChatAPIError as error:
        if error.errcode != wechat_api.OUTSIDE_48H_WINDOW:
            raise  # RQ retries with backoff, then keeps it in the failed registry
        _send_template(config, client, openid, text, number, status)
    if asks_rating:
        _await_rating(client, openid, number)
    return "sent"


def _send_template(config, client, openid, text, number, status):
    template = config.get("WECHAT_TEMPLATE_TICKET")
    if not template:
        log.warning("ticket %s: user outside the 48 h window and no template configured", number)
        return
    data = {"first": {"value": "您反映的问题有新进展"}, "keyword1": {"value": number},
            "keyword2": {"value": status}, "remark": {"value": text}}
    wechat_api.send_template(config, client, openid, template, data)


def _await_rating(client, openid, number):
    """Put the reporter into the rating conversation (a reply 1–5 rates the ticket)."""
    record = json.dumps({"name": "rating", "data": {"ticket": number}}, ensure_ascii=False)
    try:
        client.set(f"state:{openid}", record, ex=RATING_TTL_SECONDS)
    except Exception:  # Redis down: the reporter can still rate with 「评价 JJ… 5」
        log.warning("rating state for %s not kept", number)


def tag_supervisor(openid):
    """Job: tag a newly bound supervisor so WeChat shows them the supervisors' menu."""
    return wechat_api.tag_supervisor(current_app.config, current_app.extensions["redis"], openid)
