"""群众监督员: invitations, and points in a ledger in the database (the truth) with each month's
ranking in a Redis sorted set (a cache that `我的积分` reads, rebuilt from the ledger whenever it is
missing).

Changes reach Redis only after their transaction commits, and only into a ranking that already
exists, so a rolled-back report or a half-built cache never shows wrong numbers for long; the
key also expires daily, so any drift heals itself from the ledger.
"""

import logging
import secrets

import redis
from sqlalchemy import event, func, select

from bot.config import TZ, utcnow
from bot.config import now as clock
from bot.extensions import db
from bot.models import PointEntry, Supervisor

FIRST_REPORT, DUPLICATE_REPORT = 10, 2  # first reporter of a problem / a later one on patrol
RANKING_TTL_SECONDS = 24 * 3600
PENDING = "point_changes"  # session.info key: Redis increments waiting for the commit
# ZINCRBY only into a ranking that exists: a missing one is rebuilt whole from the ledger.
INCR_IF_BUILT = "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('ZINCRBY', KEYS[1], ARGV[1], ARGV[2]) end"
log = logging.getLogger(__name__)


def ranking_key(moment):
    """The Redis key of the month (Asia/Shanghai) that ``moment`` falls in."""
    return f"points:month:{moment.astimezone(TZ):%Y%m}"


ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


NAME_MAX, PHONE_MAX = 64, 32  # the columns' sizes: PostgreSQL refuses longer values


def invite(session, name, phone=None):
    """A new supervisor with a fresh invite code (ValueError when the name or phone won't fit)."""
    if not name or len(name) > NAME_MAX or len(phone or "") > PHONE_MAX:
        raise ValueError(f"姓名需为 1–{NAME_MAX} 个字，电话最多 {PHONE_MAX} 位")
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(6))
        if session.execute(select(Supervisor).filter_by(invite_code=code)).first() is None:
            break
    row = Supervisor(name=name, phone=phone, invite_code=code)
    session.add(row)
    session.commit()
    return row


def supervisor_user(session, supervisor):
    """The WeChat user bound to a supervisor, or None."""
    from bot.models import User

    return session.execute(select(User).filter_by(supervisor_id=supervisor.id)).scalar_one_or_none()


def award(session, supervisor_id, ticket, points, reason, now=None):
    """Add a ledger entry and the supervisor's total; the ranking follows after commit."""
    at = now or utcnow()
    session.add(PointEntry(supervisor_id=supervisor_id, ticket_id=ticket.id, points=points, reason=reason,
                           created_at=at))
    supervisor = session.get(Supervisor, supervisor_id)
    supervisor.points += points
    session.info.setdefault(PENDING, []).append((ranking_key(at), supervisor_id, points))


def revoke(session, ticket, now=None):
    """A rejected report earns nothing: take back what it gave, per supervisor."""
    given = session.execute(select(PointEntry.supervisor_id, func.sum(PointEntry.points))
                            .where(PointEntry.ticket_id == ticket.id).group_by(PointEntry.supervisor_id)).all()
    for supervisor_id, total in given:
        if total and total > 0:
            award(session, supervisor_id, ticket, -int(total), "rejected", now)


def monthly_points(session, now=None):
    """[(supervisor_id, points)] of the month from the ledger, highest first (only those above 0)."""
    now = (now or clock()).astimezone(TZ)
    start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = func.sum(PointEntry.points)
    query = (select(PointEntry.supervisor_id, total).where(PointEntry.created_at >= start)
             .group_by(PointEntry.supervisor_id).order_by(total.desc(), PointEntry.supervisor_id))
    return [(sid, int(points)) for sid, points in session.execute(query) if points and points > 0]


def ranking(session, client, now=None):
    """The month's ranking from Redis, rebuilt from the ledger when missing (or Redis is down)."""
    now = now or clock()
    key = ranking_key(now)
    try:
        cached = client.zrevrange(key, 0, -1, withscores=True)
        if cached:
            return [(int(member), int(score)) for member, score in cached if score > 0]
    except redis.RedisError:
        log.warning("Redis unavailable: ranking read from the database")
        return monthly_points(session, now)
    rows = monthly_points(session, now)
    _store(client, key, rows)
    return rows


def standing(session, client, supervisor_id, now=None):
    """(rank or None, this month's points, number ranked) for one supervisor."""
    rows = ranking(session, client, now)
    for rank, (sid, points) in enumerate(rows, start=1):
        if sid == supervisor_id:
            return rank, points, len(rows)
    return None, 0, len(rows)


def _store(client, key, rows):
    """Replace the cached ranking in one transaction."""
    if not rows:
        return
    try:
        pipe = client.pipeline(transaction=True)
        pipe.delete(key)
        pipe.zadd(key, {str(sid): points for sid, points in rows})
        pipe.expire(key, RANKING_TTL_SECONDS)
        pipe.execute()
    except redis.RedisError:
        log.warning("Redis unavailable: ranking not cached")


def init_app(app):
    """Rankings follow committed points: listen on the app's database sessions (db.session), not on
    every SQLAlchemy Session of the process. Every app shares Flask-SQLAlchemy's one db, so the
    listeners are added once and find each app's Redis through the app context."""
    if not event.contains(db.session, "after_commit", _apply_after_commit):
        event.listen(db.session, "after_commit", _apply_after_commit)
        event.listen(db.session, "after_rollback", _forget_after_rollback)


def _apply_after_commit(session):
    """Committed points go into the cached rankings that exist."""
    changes = session.info.pop(PENDING, None)
    if not changes:
        return
    client = _app_redis()
    if client is None:
        return
    try:
        for key, supervisor_id, points in changes:
            client.eval(INCR_IF_BUILT, 1, key, points, str(supervisor_id))
    except redis.RedisError:
        log.warning("Redis unavailable: ranking will be rebuilt from the ledger")


def _forget_after_rollback(session):
    session.info.pop(PENDING, None)


def _app_redis():
    """The app's Redis client, when there is an app (the CLI, chat, dashboard and jobs all have one)."""
    from flask import current_app, has_app_context

    return current_app.extensions.get("redis") if has_app_context() else None
