"""Per-openid rate limiting in fixed one-minute windows."""

import logging
import time

log = logging.getLogger(__name__)


clock = time.time  # replaceable in tests


def _key(openid):
    return f"rl:{openid}:{int(clock() // 60)}"


def commands(openid):
    """This message's count, as Redis commands (two results: the count, the expiry)."""
    key = _key(openid)
    return [("INCR", key), ("EXPIRE", key, 61)]


def verdict(count, limit):
    """'ok', 'warn' (first message over the limit: answer politely once) or 'drop'."""
    if not limit or count <= limit:
        return "ok"
    return "warn" if count == limit + 1 else "drop"
