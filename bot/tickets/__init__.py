"""The ticket service: numbering, routing, duplicates, state changes and their history.

Every change goes through here (chat, dashboard, CLI, Open311) so history, points and the
reporter's notifications are never forgotten. Each function commits its own unit of work.
Notifications: pass ``enqueue`` (context.enqueue, app.extensions["jobs"].enqueue) and one outbox
row per person is written with the change and a job queued for it after the commit; never sent
inline. Without ``enqueue`` nobody is told (imports, tests of the service itself).

    create_ticket(session, *, category_code, description, source, ...) -> (ticket, created)
    by_idempotency_key(session, key) -> the ticket a draft already made | None
    find_duplicate(session, category_code, lat, lng, now=None) -> open ticket nearby | None
    change_status(session, ticket, to_status, *, actor, note=None, enqueue=None, reason=None)
    reject(session, ticket, *, actor, reason, enqueue=None)
    reroute(session, ticket, category_code, *, actor, enqueue=None)
    merge(session, ticket, into, *, actor, enqueue=None)
    rate(session, ticket, stars, *, user, enqueue=None)   # 1–2 reopens
    follow(session, ticket, user, supervisor=None, now=None)
"""

from datetime import timedelta

from sqlalchemy import bindparam, exists, select, text, union
from sqlalchemy.exc import IntegrityError

from bot import geo
from bot import supervisors as points
from bot.config import TZ, utcnow
from bot.config import now as clock
from bot.extensions import read_rows
from bot.models import (
    Category,
    Ticket,
    TicketFollower,
    TicketHistory,
    TicketPhoto,
    TicketSequence,
    User,
)
from bot.tickets import notify, sla
from bot.tickets.states import (  # noqa: F401  (the service's vocabulary)
    ACCEPTED,
    ACTION_NAMES,
    DISPATCHED,
    IN_PROGRESS,
    NEXT,
    OPEN_STATES,
    REJECTED,
    RESOLVED,
    SOURCE_NAMES,
    STATES,
    actor_name,
)

FIRST_REPORT_POINTS, DUPLICATE_REPORT_POINTS = points.FIRST_REPORT, points.DUPLICATE_REPORT
MAX_PHOTOS = 9


class TicketError(ValueError):
    """A change the ticket's state does not allow, with a message for people."""


def next_number(session, now):
    """JJ + YYYYMMDD + 4-digit daily sequence; the day's row is locked until commit (no gaps racing).

    The 10,000th report of one day gets a fifth digit rather than being refused (the chat and
    nlp read 12 or 13 digits)."""
    day = now.astimezone(TZ).strftime("%Y%m%d")
    last = session.execute(NEXT_IN_DAY, {"day": day}).scalar_one()
    return f"JJ{day}{last:04d}"


# The same SQL on PostgreSQL and SQLite, as text: SQLAlchemy compiles its dialect INSERT … ON CONFLICT
# afresh on every execution (it has no cache key).
NEXT_IN_DAY = text(f"INSERT INTO {TicketSequence.__tablename__} (day, last) VALUES (:day, 1) ON CONFLICT (day) "
                   f"DO UPDATE SET last = {TicketSequence.__tablename__}.last + 1 RETURNING last")


def create_ticket(session, *, category_code, description, source, reporter=None, supervisor=None, lat=None,
                  lng=None, address=None, phone=None, photos=(), idempotency_key=None, now=None, actor="citizen"):
    """(ticket, created): a new routed ticket, or the one this idempotency key already made.

    A supervisor's report is trusted: it skips staff triage (已受理) and goes out as 已派遣.
    """
    existing = by_idempotency_key(session, idempotency_key)
    if existing is not None:
        return existing, False
    now = now or clock()
    category = session.get(Category, category_code) or session.get(Category, "other")
    status = DISPATCHED if supervisor is not None else ACCEPTED
    ticket = Ticket(
        number=next_number(session, now), category_code=category.code, department_id=category.department_id,
        status=status, source=source, reporter=reporter, supervisor_id=supervisor.id if supervisor else None,
        description=description[:2000], address=(address or "")[:200] or None, lat=lat, lng=lng, phone=phone,
        idempotency_key=idempotency_key, created_at=now, updated_at=now,
        due_at=sla.add_working_hours(now, category.sla_hours),
    )
    ticket.photos = [TicketPhoto(media_id=p.get("media_id"), pic_url=p.get("pic_url")) for p in photos[:MAX_PHOTOS]]
    trusted = "，监督员上报免分拣" if supervisor is not None else ""
    ticket.history.append(TicketHistory(at=now, actor=actor, action="created", to_status=status,
                                        note=f"来源：{SOURCE_NAMES.get(source, source)}，派往{category.department.name}{trusted}"))
    session.add(ticket)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # the racing delivery won; the day's sequence is given back too
        if not idempotency_key:
            raise
        existing = by_idempotency_key(session, idempotency_key)
        if existing is None:
            raise
        return existing, False
    if supervisor is not None:
        points.award(session, supervisor.id, ticket, points.FIRST_REPORT, "first_report", now)
    session.commit()
    return ticket, True


def by_idempotency_key(session, key):
    """The ticket a draft (or an Open311 request) already made, if any."""
    if not key:
        return None
    return session.execute(select(Ticket).filter_by(idempotency_key=key)).scalar_one_or_none()


def find_duplicate(session, category_code, lat, lng, now=None):
    """An open ticket of the same category within the category's radius, nearest first."""
    category = session.get(Category, category_code)
    if lat is None or lng is None or category is None or not category.duplicate_radius_m:
        return None
    since = (now or clock()) - timedelta(days=30)
    box = category.duplicate_radius_m / 111_000 * 1.5
    candidates = session.execute(select(Ticket).where(
        Ticket.category_code == category_code, Ticket.status.in_(OPEN_STATES), Ticket.created_at >= since,
        Ticket.lat.between(lat - box, lat + box), Ticket.lng.between(lng - box * 1.2, lng + box * 1.2),
    )).scalars()
    near = [(geo.distance_m(lat, lng, t.lat, t.lng), t) for t in candidates]
    near = [(d, t) for d, t in near if d <= category.duplicate_radius_m]
    return min(near, key=lambda pair: pair[0])[1] if near else None


def follow(session, ticket, user, supervisor=None, now=None):
    """Make a later reporter of the same problem a follower (supervisors earn a little)."""
    if user is None or (ticket.reporter_id == user.id):
        return False
    exists = session.execute(select(TicketFollower).filter_by(ticket_id=ticket.id, user_id=user.id)).first()
    if exists:
        return False
    session.add(TicketFollower(ticket_id=ticket.id, user_id=user.id))
    if supervisor is not None:
        points.award(session, supervisor.id, ticket, points.DUPLICATE_REPORT, "duplicate_report", now)
    try:
        session.commit()
    except IntegrityError:  # the same person's racing delivery already made them a follower
        session.rollback()
        return False
    return True


def change_status(session, ticket, to_status, *, actor, note=None, enqueue=None, reason=None):
    """Move a ticket to another state (history kept, reporter and followers notified)."""
    if to_status not in STATES:
        raise TicketError(f"未知状态：{to_status}")
    if to_status == ticket.status or to_status not in NEXT[ticket.status]:
        raise TicketError(f"工单状态为「{ticket.status}」，不能改为「{to_status}」")
    if to_status == REJECTED and not (reason or note):
        raise TicketError("不予受理需要填写理由")
    before, ticket.status = ticket.status, to_status
    ticket.updated_at = now = utcnow()
    ticket.resolved_at = now if to_status == RESOLVED else (None if to_status in OPEN_STATES else ticket.resolved_at)
    if to_status == REJECTED:
        ticket.reject_reason = reason or note
        points.revoke(session, ticket)
    entry = TicketHistory(ticket=ticket, at=now, actor=actor, action="status", from_status=before,
                          to_status=to_status, note=reason or note)
    return _record(session, ticket, entry, enqueue)


def reject(session, ticket, *, actor, reason, enqueue=None):
    """不予受理 with the reason the reporter is told (any supervisor points are taken back)."""
    if not (reason or "").strip():
        raise TicketError("不予受理需要填写理由")
    return change_status(session, ticket, REJECTED, actor=actor, reason=reason.strip(), enqueue=enqueue)


def reroute(session, ticket, category_code, *, actor, enqueue=None):
    """Give the ticket another category (and so another department)."""
    category = session.get(Category, category_code)
    if category is None:
        raise TicketError(f"未知类别：{category_code}")
    old = ticket.category.name
    ticket.category_code, ticket.department_id = category.code, category.department_id
    entry = TicketHistory(ticket=ticket, at=utcnow(), actor=actor, action="reroute",
                          note=f"类别由「{old}」改为「{category.name}」，改派{category.department.name}")
    return _record(session, ticket, entry, enqueue)


def merge(session, ticket, into, *, actor, enqueue=None):
    """Close a duplicate into another ticket; its reporter follows the surviving one."""
    if ticket.id == into.id:
        raise TicketError("不能合并到自身")
    if into.status not in OPEN_STATES:
        raise TicketError(f"工单 {into.number} 已{into.status}，不能合并进去")
    if REJECTED not in NEXT[ticket.status]:
        raise TicketError(f"工单状态为「{ticket.status}」，不能合并")
    ticket.duplicate_of_id = into.id
    if ticket.reporter is not None:
        follow(session, into, ticket.reporter)
    return change_status(session, ticket, REJECTED, actor=actor, enqueue=enqueue,
                         reason=f"与工单 {into.number} 为同一问题，已合并处理")


def rate(session, ticket, stars, *, user, enqueue=None):
    """The reporter's 1–5 rating of a resolved ticket; 1–2 reopens it."""
    if ticket.status != RESOLVED or ticket.reporter_id != getattr(user, "id", None):
        raise TicketError("只有已办结的本人工单可以评价")
    if stars not in (1, 2, 3, 4, 5):
        raise TicketError("请打 1–5 分")
    ticket.rating = stars
    session.add(TicketHistory(ticket=ticket, at=utcnow(), actor="citizen", action="rating", note=f"满意度 {stars} 星"))
    session.commit()
    if stars <= 2:
        return change_status(session, ticket, IN_PROGRESS, actor="citizen", enqueue=enqueue,
                             note="群众评价不满意，工单重新处理")
    return None


def awaiting_rating(session, user, since):
    """The user's own ticket resolved since then and not rated since its resolution (the latest), or None."""
    rated = exists().where(TicketHistory.ticket_id == Ticket.id, TicketHistory.action == "rating",
                           TicketHistory.at >= Ticket.resolved_at)
    query = (select(Ticket).where(Ticket.reporter_id == user.id, Ticket.status == RESOLVED,
                                  Ticket.resolved_at >= since, ~rated)
             .order_by(Ticket.resolved_at.desc()).limit(1))
    return session.execute(query).scalar_one_or_none()


def visible_to(ticket, user, session):
    """Only the reporter and followers may see a ticket's details."""
    if user is None:
        return False
    if ticket.reporter_id == user.id:
        return True
    return session.execute(select(TicketFollower).filter_by(ticket_id=ticket.id, user_id=user.id)).first() is not None


def latest_reported(session, user):
    """The last ticket the user reported themselves, or None."""
    query = select(Ticket).filter_by(reporter_id=user.id).order_by(Ticket.created_at.desc()).limit(1)
    return session.execute(query).scalar_one_or_none()


def _tickets_of_query():
    """(number, category name, status) of the own and followed tickets of one openid, newest first."""
    user_id = select(User.id).where(User.openid == bindparam("openid")).scalar_subquery()
    # A UNION of two index lookups: "reporter OR followed" made PostgreSQL walk every ticket by date.
    mine = union(select(Ticket.id).where(Ticket.reporter_id == user_id),
                 select(TicketFollower.ticket_id).where(TicketFollower.user_id == user_id)).subquery()
    return (select(Ticket.number, Category.name, Ticket.status).join(Category, Ticket.category_code == Category.code)
            .where(Ticket.id.in_(select(mine.c.id))).order_by(Ticket.created_at.desc()).limit(bindparam("limit")))


TICKETS_OF = _tickets_of_query()  # built once: its SQL and cache key are reused by every 我的反映


def tickets_of(session, openid, limit=5):
    """(number, category name, status) of the own and followed tickets of the user with this openid,
    newest first: one read-only query, no user row read first."""
    return read_rows(session, TICKETS_OF, openid=openid, limit=limit)


def monthly_points(session, now=None):
    """[(supervisor_id, points)] of the current month, highest first (see bot.supervisors)."""
    return points.monthly_points(session, now)


def _record(session, ticket, entry, enqueue):
    """Keep the history entry, write the outbox with it, commit, then queue the deliveries."""
    session.add(entry)
    rows = notify.plan(session, ticket, entry) if enqueue is not None else []
    session.commit()
    if rows:
        notify.queue(enqueue, rows)
    return entry
