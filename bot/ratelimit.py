"""Per-openid rate limiting in fixed one-minute windows."""

import logging
import time

import redis

log = logging.getLogger(__name__)


def check(client, openid, limit):
    """'ok', 'warn' (first message over the limit: answer politely once) or 'drop'."""
    if not limit:
        return "ok"
    window = int(time.time() // 60)
    key = f"rl:{openid}:{window}"
    try:
        pipe = client.pipeline()
        pipe.incr(key)
        pipe.expire(key, 61)
        count = pipe.execute()[0]
    except redis.RedisError:
        return "ok"
    if count <= limit:
        return "ok"
    return "warn" if count == limit + 1 else "drop"
