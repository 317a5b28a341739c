"""A user's conversation state (report in progress, quiz round): a small record in Redis.

When Redis is down the record goes to a fallback store (the database), so a resident can
finish a report during an outage; for an hour after the app last needed the fallback, a Redis
miss also looks there, so conversations begun during the outage carry on after it.
"""

import json
import logging
import time

import redis

from bot.extensions import round_trip

log = logging.getLogger(__name__)
FALLBACK_WINDOW_SECONDS = 3600
NOT_LOADED, UNAVAILABLE = object(), object()


def key_for(openid):
    return f"state:{openid}"


class Conversations:
    """An app's conversation states: where they live and when the fallback store was last needed."""

    def __init__(self, client, ttl):
        self.client, self.ttl = client, ttl
        self._fell_back_at = 0.0

    def load(self, openid, raw=NOT_LOADED, fallback=None):
        """The sender's ConversationState (raw: the record the pipeline already read)."""
        return ConversationState(self, openid, raw, fallback)

    def fell_back(self):
        self._fell_back_at = time.monotonic()

    def recently_fell_back(self):
        return self._fell_back_at and time.monotonic() - self._fell_back_at < FALLBACK_WINDOW_SECONDS


class ConversationState:
    """Name + data of the conversation a user is in; expires after ``ttl`` seconds idle."""

    def __init__(self, conversations, openid, raw=NOT_LOADED, fallback=None):
        self._conversations = conversations
        self._client = conversations.client
        self._fallback = fallback
        self._key = key_for(openid)
        self.ttl = conversations.ttl
        self.name = None
        self.data = {}
        self.available = True
        self._deferred = False  # defer(): changes wait for flush()
        self._pending = None  # what flush() writes: CLEAR, or the ttl of a save
        self._load(raw)

    def _load(self, raw):
        """Parse the stored record (read here unless the pipeline already fetched it)."""
        if raw is NOT_LOADED:
            try:
                raw = self._client.get(self._key)
            except redis.RedisError:
                raw = UNAVAILABLE
        if raw is UNAVAILABLE or (not raw and self._conversations.recently_fell_back()):
            if raw is UNAVAILABLE:
                log.warning("Redis unavailable: conversation state read from the fallback store")
                self.available = self._fallback is not None
            raw = self._fallback.get(self._key) if self._fallback is not None else None
        if raw:
            record = json.loads(raw)
            self.name, self.data = record["name"], record["data"]

    def start(self, name, ttl=None, **data):
        """Enter conversation ``name`` with fresh data."""
        self.name, self.data = name, dict(data)
        self._save(ttl)

    def update(self, ttl=None, **data):
        """Change some fields of the current conversation."""
        self.data.update(data)
        self._save(ttl)

    def clear(self):
        """Leave the conversation."""
        self.name, self.data = None, {}
        if self._deferred:
            self._pending = CLEAR
            return
        self._clear_now()

    def defer(self):
        """Keep changes in memory until flush(): the pipeline writes a message's state once, however
        many steps its handler took (a report's start is a start and an update)."""
        self._deferred = True

    def flush(self):
        """Write what changed since defer() (the last change wins, with its ttl)."""
        self._deferred, pending, self._pending = False, self._pending, None
        if pending is CLEAR:
            self._clear_now()
        elif pending is not None:
            self._save_now(pending)

    def _clear_now(self):
        try:
            round_trip(self._client, [("DEL", self._key)])
        except redis.RedisError:
            log.warning("Redis unavailable: conversation state cleared in the fallback store")
            self._conversations.fell_back()
        if self._fallback is not None and self._conversations.recently_fell_back():
            self._fallback.delete(self._key)

    def _save(self, ttl):
        ttl = ttl or self.ttl
        if self._deferred:
            self._pending = ttl
            return
        self._save_now(ttl)

    def _save_now(self, ttl):
        record = json.dumps({"name": self.name, "data": self.data}, ensure_ascii=False)
        try:
            round_trip(self._client, [("SET", self._key, record, "EX", int(ttl))])
        except redis.RedisError:
            log.warning("Redis unavailable: conversation state saved in the fallback store")
            self._conversations.fell_back()
            if self._fallback is None:
                self.available = False
                return
            self._fallback.set(self._key, record, ttl)
            return
        if self._fallback is not None and self._conversations.recently_fell_back():
            self._fallback.delete(self._key)  # Redis is back: it holds the record again


CLEAR = object()  # a deferred clear()
