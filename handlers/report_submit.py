"""「确认」: file the draft as a ticket exactly once, or join an open ticket about the same problem."""

from datetime import timedelta

from bot import tickets
from bot.models import TicketHistory, TicketPhoto
from bot.tickets import sla

FILE_ANYWAY = ("仍然提交", "继续提交", "还是提交", "是另一处")


def submit(context, category, check_duplicates=True):
    """File the ticket (once per draft, whatever WeChat retries), or follow an open duplicate."""
    data, user = context.state.data, context.user
    supervisor = user.supervisor if user is not None and user.role == "supervisor" else None
    filed = tickets.by_idempotency_key(context.session, _idempotency_key(context, data))
    if filed is not None:  # this draft was filed and the answer lost (a killed worker): say so again
        return _filed(context, filed)
    duplicate = None
    if check_duplicates:
        duplicate = tickets.find_duplicate(context.session, category.code, data.get("lat"), data.get("lng"),
                                           context.now)
    if duplicate is not None and duplicate.reporter_id == getattr(user, "id", None):
        context.state.update(asked="own_duplicate")
        return (f"您在附近已反映过同类问题（工单 {duplicate.number}，{duplicate.status}），正在处理中。\n"
                "如果这是另一处问题，回复「仍然提交」；不用再提交就回复「取消」。")
    if duplicate is not None:
        return _join(context, duplicate, user, supervisor)
    return _file(context, category, user, supervisor)


def _join(context, duplicate, user, supervisor):
    """Someone else reported it already: follow that ticket and hand over any photos."""
    added = _add_photos(context, duplicate, context.state.data.get("photos", []))
    tickets.follow(context.session, duplicate, user, supervisor)
    context.state.clear()
    photos = f"您的 {added} 张照片已补充到该工单，" if added else ""
    return (f"附近已有人反映了同样的问题（工单 {duplicate.number}，{duplicate.status}，"
            f"{duplicate.department.name}承办）。{photos}我们已把您加为关注人，处理进展会通知您。谢谢！")


def _add_photos(context, ticket, photos):
    """A follower's photos are evidence too (up to the ticket's limit), downloaded by a job."""
    room = max(tickets.MAX_PHOTOS - len(ticket.photos), 0)
    new = [TicketPhoto(media_id=p.get("media_id"), pic_url=p.get("pic_url")) for p in photos[:room]]
    if not new:
        return 0
    ticket.photos.extend(new)
    context.session.add(TicketHistory(ticket=ticket, at=context.now, actor="citizen", action="note",
                                      note=f"关注人补充了 {len(new)} 张照片"))
    context.session.commit()
    _download(context, new)
    return len(new)


def _file(context, category, user, supervisor):
    data = context.state.data
    description = data.get("description") or "（照片反映）"
    if category.code == "parking_facility":
        data, description = _link_lot(context, data, description)
    ticket, _ = tickets.create_ticket(
        context.session, category_code=category.code, description=description,
        source="supervisor" if supervisor else "resident", reporter=user, supervisor=supervisor,
        lat=data.get("lat"), lng=data.get("lng"), address=data.get("address") or data.get("label"),
        phone=data.get("phone"), photos=data.get("photos", []), idempotency_key=_idempotency_key(context, data),
        now=context.now,
    )
    _download(context, ticket.photos)
    return _filed(context, ticket)


def confirm_again(message, context):
    """「确认」 with no report open: the answer to the one that filed it was lost (its worker died
    after the commit), so give that ticket's number again instead of "I don't understand"."""
    user = context.user
    ticket = tickets.latest_reported(context.session, user) if user is not None else None
    if ticket is None or context.now - ticket.created_at > timedelta(minutes=context.config["REPORT_RESENT_MINUTES"]):
        return None
    context.intent = "report"
    return "这条反映已经提交过了。\n" + _filed_text(context, ticket)


def _filed(context, ticket):
    """Leave the conversation and give the ticket's number, department and time limit."""
    context.state.clear()
    return _filed_text(context, ticket)


def _filed_text(context, ticket):
    """What a filed report's resident is told: number, department, time limit."""
    due = ticket.due_at.astimezone(context.now.tzinfo)
    return (f"✅ 提交成功！工单号：{ticket.number}\n已派往：{ticket.department.name}\n"
            f"处理时限：{sla.describe(ticket.category.sla_hours)}（{due:%m月%d日 %H:%M}前）\n"
            f"发「查询 {ticket.number}」随时看进度。")


def _idempotency_key(context, data):
    """One ticket per draft and sender: WeChat's retries of 确认 (same MsgId) and a second 确认
    racing the first (another MsgId, same draft) both land on the ticket the first one filed."""
    return f"report:{context.openid}:{data['draft']}"


def _link_lot(context, data, description):
    """A complaint about a parking lot the user names: say which, and use its place if none given."""
    from bot.parking.lots import named_lot

    lot = named_lot(context.session, description)
    if lot is None:
        return data, description
    data = dict(data)
    if data.get("lat") is None:
        data.update(lat=lot.lat, lng=lot.lng, address=data.get("address") or lot.address)
    return data, f"{description}（涉及停车场：{lot.name}，{lot.address}）"


def _download(context, photos):
    """Queue the download of each photo (WeChat keeps temporary media for three days only)."""
    from bot.outbound import media

    for photo in photos:
        if photo.media_id and not photo.path:
            context.enqueue(media.download_photo, photo.id)
