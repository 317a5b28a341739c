"""Per-openid rate limiting in fixed one-minute windows."""

import logging
import time

log = logging.getLogger(__name__)


clock = time.time  # replaceable in tests


def _key(openid):
    return f"rl:{openid}:{int(clock() // 60)}"


def queue(pipe, openid):
    """Add this message's count to a Redis pipeline (two results: the count, the expiry)."""
    key = _key(openid)
    pipe.incr(key)
    pipe.expire(key, 61)


def verdict(count, limit):
    """'ok', 'warn' (first message over the limit: answer politely once) or 'drop'."""
    if not limit or count <= limit:
        return "ok"
    return "warn" if count == limit + 1 else "drop"
