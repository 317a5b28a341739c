"""Exactly-once handling of WeChat's retries: one reply per MsgId, served again on a retry.

The first delivery claims the MsgId for ``claim`` seconds (less than a retry waits for an
answer); its reply is then kept for ``ttl``. A claim whose worker died (SIGKILL, OOM, a lost
machine) runs out, and the retry that finds it gone takes the message over instead of
answering nothing: the handlers' own keys (a ticket per draft) keep that second attempt safe.
"""

import contextlib
import logging
import time

import redis

log = logging.getLogger(__name__)
PENDING = b"\x00pending"
TAKEN = object()  # wait_for's answer when the first delivery's claim ran out and this one now holds it


def message_key(message):
    """MsgId for messages; FromUserName + CreateTime for events (which have no MsgId)."""
    if message.type == "event":
        created = int(message.create_time.timestamp()) if message.create_time else 0
        return f"evt:{message.source}:{created}:{message.event}"
    return f"msg:{message.id}" if message.id else None


class ReplyCache:
    """Claims a message key before work starts and keeps the rendered reply for retries."""

    def __init__(self, client, ttl, wait_seconds, claim_seconds):
        self._client = client
        self._ttl = ttl
        self._wait = wait_seconds
        self._claim_ms = int(claim_seconds * 1000)

    def queue_claim(self, pipe, key):
        """Add the claim to a Redis pipeline; its result is truthy when this delivery won."""
        pipe.set(f"reply:{key}", PENDING, nx=True, px=self._claim_ms)

    def store(self, key, reply_xml):
        """Keep the reply so a retry gets the same answer."""
        try:
            self._client.set(f"reply:{key}", reply_xml.encode(), ex=self._ttl)
        except redis.RedisError:
            log.warning("Redis unavailable: reply for %s not kept", key)

    def release(self, key):
        """Forget a claim whose work failed, so WeChat's retry can try again."""
        with contextlib.suppress(redis.RedisError):
            self._client.delete(f"reply:{key}")

    def wait_for(self, key):
        """The reply another delivery produced, waiting briefly while it is still working;
        TAKEN when its claim is gone (its worker died, or its work failed) and this delivery won it."""
        deadline = time.monotonic() + self._wait
        delay = 0.005
        while True:
            try:
                value = self._client.get(f"reply:{key}")
                if value is None and self._client.set(f"reply:{key}", PENDING, nx=True, px=self._claim_ms):
                    return TAKEN
            except redis.RedisError:
                return None
            if value is None:
                continue  # another waiting delivery took it over first: wait for its reply
            if value != PENDING:
                return value.decode()
            if time.monotonic() >= deadline:
                return None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
