"""Telling reporters and followers what happened to their ticket (RQ jobs, with retries).

A change of a ticket writes one outbox row per person (bot.models.reports.Notification) in the
same transaction as the history entry; a job per row then sends a customer-service message, or a
template message when the person has been silent for over 48 hours (errcode 45015). A failure
is retried by RQ with backoff (bot/jobs.py); a row whose job never ran (Redis or the worker was
down) stays pending until `flask --app bot tickets notify-pending` queues it again. A row that
was sent is never sent twice, whatever RQ retries.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from bot.config import utcnow
from bot.extensions import db
from bot.models import Ticket, TicketFollower, TicketHistory, User
from bot.models.reports import Notification
from bot.outbound import wechat_api
from bot.tickets.states import REJECTED, RESOLVED

log = logging.getLogger(__name__)
# Retrying these is pointless: unsubscribed, unknown openid, the user blocked the account.
GONE = {43004, 40003, 43019}


def message_for(ticket, entry):
    """The chat text for one change of a ticket."""
    head = f"【{current_app.config['DISTRICT']['account']}】您反映的问题（工单 {ticket.number}）"
    if entry.action == "reroute":
        return f"{head}已转交：{entry.note}。"
    if entry.to_status == RESOLVED:
        return (f"{head}已办结。{('处理说明：' + entry.note + '。') if entry.note else ''}\n"
                "请回复 1–5 为处理结果打分（5 分最满意，1–2 分会重新处理）。")
    if entry.to_status == REJECTED:
        return f"{head}不予受理，原因：{entry.note}。如有疑问请拨 {current_app.config['DISTRICT']['hotline']}。"
    note = f"（{entry.note}）" if entry.note else ""
    return f"{head}状态更新为「{entry.to_status}」{note}，承办部门：{ticket.department.name}。"


def plan(session, ticket, entry):
    """Outbox rows for the reporter and every follower (added to the session, not committed)."""
    followers = select(User.openid).join(TicketFollower, TicketFollower.user_id == User.id).where(
        TicketFollower.ticket_id == ticket.id)
    reporter = ticket.reporter.openid if ticket.reporter is not None else None
    openids = ([reporter] if reporter else []) + list(session.execute(followers).scalars())
    rows = [Notification(ticket=ticket, history=entry, openid=openid,
                         asks_rating=entry.to_status == RESOLVED and openid == reporter)
            for openid in dict.fromkeys(openids)]
    session.add_all(rows)
    return rows


def queue(enqueue, rows):
    """One job per committed outbox row (a row stays pending when the queue is unavailable)."""
    for row in rows:
        enqueue(deliver, row.id)


def deliver(notification_id):
    """Send one outbox row: customer-service message, template message outside the 48 h window."""
    row = db.session.get(Notification, notification_id, with_for_update=True)  # one sender per row
    if row is None or row.status != "pending":
        return row.status if row else "missing"
    row.attempts += 1
    try:
        row.channel = _send(row)
    except wechat_api.WeChatAPIError as error:
        row.errcode = error.errcode
        if error.errcode not in GONE:
            db.session.commit()
            raise  # RQ retries with backoff, then keeps it in the failed registry
        row.status = "skipped"
    else:
        row.status, row.sent_at = ("sent" if row.channel else "skipped"), utcnow()
    db.session.commit()
    return row.status


def _send(row):
    """The channel that carried the message (None when it could not be carried)."""
    config, client = current_app.config, current_app.extensions["redis"]
    ticket, entry = row.ticket, row.history
    try:
        wechat_api.send_text(config, client, row.openid, message_for(ticket, entry))
        return "custom"
    except wechat_api.WeChatAPIError as error:
        if error.errcode != wechat_api.OUTSIDE_48H_WINDOW:
            raise
    return _send_template(config, client, row.openid, message_for(ticket, entry), ticket.number,
                          entry.to_status or ticket.status)


def _send_template(config, client, openid, text, number, status):
    template = config.get("WECHAT_TEMPLATE_TICKET")
    if not template:
        log.warning("ticket %s: user outside the 48 h window and no template configured", number)
        return None
    data = {"first": {"value": "您反映的问题有新进展"}, "keyword1": {"value": number},
            "keyword2": {"value": status}, "remark": {"value": text}}
    wechat_api.send_template(config, client, openid, template, data)
    return "template"


def pending(session, older_than=timedelta(minutes=10), limit=500):
    """Outbox rows whose job never finished (for `tickets notify-pending`)."""
    cutoff = utcnow() - older_than
    query = (select(Notification).where(Notification.status == "pending", Notification.created_at < cutoff)
             .order_by(Notification.id).limit(limit))
    return list(session.execute(query).scalars())


def ticket_changed(ticket_id, history_id):
    """Job (kept for jobs queued before the outbox): plan and queue the rows of one change."""
    ticket, entry = db.session.get(Ticket, ticket_id), db.session.get(TicketHistory, history_id)
    if ticket is None or entry is None:
        return 0
    exists = db.session.execute(select(Notification.id).filter_by(history_id=history_id)).first()
    rows = [] if exists else plan(db.session, ticket, entry)
    db.session.commit()
    queue(current_app.extensions["jobs"].enqueue, rows)
    return len(rows)


def tag_supervisor(openid):
    """Job: tag a newly bound supervisor so WeChat shows them the supervisors' menu."""
    return wechat_api.tag_supervisor(current_app.config, current_app.extensions["redis"], openid)
