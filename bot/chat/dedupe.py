"""Exactly-once handling of WeChat's retries: one reply per MsgId, served again on a retry.

The first delivery claims the MsgId, naming its process (host:pid), for ``claim`` seconds; its
reply is then kept for ``ttl``. When that worker dies mid-message (SIGKILL, OOM, a restart), a
retry on the same machine sees the process is gone and takes the message over at once; on
another machine it takes over when the claim runs out, in time for WeChat's later retries.
Either way the resident gets an answer instead of silence, and the handlers' own keys (a ticket
per draft) keep that second attempt safe.
"""

import contextlib
import logging
import os
import socket
import time

import redis

from bot.extensions import one_way

log = logging.getLogger(__name__)
PENDING = b"\x00pending"
HOST = socket.gethostname()
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

    def claim_command(self, key):
        """The claim as a Redis command; its result is truthy when this delivery won."""
        return ("SET", f"reply:{key}", _claim(), "NX", "PX", self._claim_ms)

    def store(self, key, reply_xml):
        """Keep the reply so a retry gets the same answer: one-way when the client can (no round trip
        on the message's path; nobody reads the answer of this SET), else a plain SET."""
        try:
            one_way(self._client, "SET", f"reply:{key}", reply_xml.encode(), "EX", self._ttl)
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
                if (value is None or _abandoned(value)) and self._take_over(key, value):
                    return TAKEN
            except redis.RedisError:
                return None
            if value is None:
                continue  # another waiting delivery took it over first: wait for its reply
            if not value.startswith(PENDING):
                return value.decode()
            if time.monotonic() >= deadline:
                return None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def _take_over(self, key, seen):
        """Claim the key for this process if it still holds ``seen`` (None: nothing)."""
        if seen is None:
            return bool(self._client.set(f"reply:{key}", _claim(), nx=True, px=self._claim_ms))
        with self._client.pipeline() as pipe:
            try:
                pipe.watch(f"reply:{key}")
                if pipe.get(f"reply:{key}") != seen:
                    return False
                pipe.multi()
                pipe.set(f"reply:{key}", _claim(), px=self._claim_ms)
                pipe.execute()
                return True
            except redis.WatchError:
                return False


def _claim():
    """The claim's value: pending, and which process (host:pid) is doing the work."""
    return PENDING + f":{HOST}:{os.getpid()}".encode()



def _abandoned(value):
    """True for a claim made by a process on this machine that no longer runs."""
    if not value.startswith(PENDING + b":"):
        return False
    host, _, pid = value[len(PENDING) + 1:].decode(errors="replace").rpartition(":")
    if host != HOST or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # someone else's process: alive
        return False
    return False
