"""Quiz rankings: Redis sorted sets per period and scope, the database as the source of truth.

Keys: quiz:rank:<period>:<scope>, period = ISO week (2026-W48) or "all", scope = district,
school:<code> or class:<code>:<class>. A member is a user id, its score the sum of the user's
counted rounds (only the first finished round of a day counts). A missing key is rebuilt from
quiz_rounds; when Redis is down every read goes to the database.
"""

import logging
from datetime import datetime, timedelta

import redis
from sqlalchemy import func, select

from bot.models import QuizRound

log = logging.getLogger(__name__)
REBUILD_SECONDS = 86400  # boards are rebuilt from the database at least daily, so any drift heals


def week(now):
    """The ISO week of a local datetime, e.g. 2026-W48."""
    year, number, _ = now.isocalendar()
    return f"{year}-W{number:02d}"


def periods(now):
    return [week(now), "all"]


def scopes(school_code, class_name):
    """Ranking scopes a student belongs to, widest first."""
    keys = ["district"]
    if school_code:
        keys.append(f"school:{school_code}")
        if class_name:
            keys.append(f"class:{school_code}:{class_name}")
    return keys


def ranking_key(period, scope):
    return f"quiz:rank:{period}:{scope}"


def add_score(client, row, now):
    """Add a counted round to every scope and period it belongs to (a Redis failure only logs)."""
    keys = [ranking_key(p, s) for p in periods(now) for s in scopes(row.school_code, row.class_name)]
    try:
        pipe = client.pipeline()
        for key in keys:
            pipe.exists(key)
        present = [key for key, found in zip(keys, pipe.execute(), strict=True) if found]
        pipe = client.pipeline()
        for key in present:  # a missing board is rebuilt whole from the database when read
            pipe.zincrby(key, row.score, row.user_id)
        pipe.execute()
    except redis.RedisError:
        log.warning("Redis unavailable: quiz round %s ranked from the database only", row.id)


def board(session, client, scope, period, user_id, top=3):
    """(the user's place or None, [(user_id, score)] of the top) without reading the whole board."""
    key = ranking_key(period, scope)
    try:
        _ensure(session, client, key, scope, period)
        place, best = client.pipeline().zrevrank(key, user_id).zrevrange(key, 0, top - 1, withscores=True).execute()
        return (None if place is None else place + 1), [(int(uid), score) for uid, score in best]
    except redis.RedisError:
        rows = from_db(session, scope, period)
        return rank_of(rows, user_id), rows[:top]


def _ensure(session, client, key, scope, period):
    """Rebuild a board missing from Redis (lost, expired or never built) from the database."""
    if client.exists(key):
        return
    rows = from_db(session, scope, period)
    if rows:
        client.pipeline().zadd(key, {str(uid): score for uid, score in rows}).expire(key, REBUILD_SECONDS).execute()


def standings(session, client, scope, period):
    """The whole board [(user_id, score)], best first (Redis, or the database when it is down)."""
    key = ranking_key(period, scope)
    try:
        _ensure(session, client, key, scope, period)
        return [(int(uid), score) for uid, score in client.zrevrange(key, 0, -1, withscores=True)]
    except redis.RedisError:
        return from_db(session, scope, period)


def rank_of(rows, user_id):
    """1-based place of user_id in a board list, None when absent."""
    return next((place for place, (uid, _) in enumerate(rows, start=1) if uid == user_id), None)


def from_db(session, scope, period):
    """The same board computed from counted rounds."""
    query = select(QuizRound.user_id, func.sum(QuizRound.score)).where(QuizRound.counts.is_(True))
    if period != "all":
        monday = datetime.fromisocalendar(int(period[:4]), int(period[-2:]), 1)
        query = query.where(QuizRound.day.in_([(monday + timedelta(days=i)).strftime("%Y%m%d") for i in range(7)]))
    parts = scope.split(":", 2)
    if parts[0] in ("school", "class"):
        query = query.where(QuizRound.school_code == parts[1])
    if parts[0] == "class":
        query = query.where(QuizRound.class_name == parts[2])
    rows = session.execute(query.group_by(QuizRound.user_id)).all()
    rows = sorted(((uid, float(total)) for uid, total in rows), key=lambda r: str(r[0]), reverse=True)
    return sorted(rows, key=lambda r: -r[1])  # ties in Redis' order (member, descending)
