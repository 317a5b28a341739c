"""A user's conversation state (report in progress, quiz round): a small record in Redis."""

import json
import logging

import redis

log = logging.getLogger(__name__)


NOT_LOADED, UNAVAILABLE = object(), object()


def key_for(openid):
    return f"state:{openid}"


class ConversationState:
    """Name + data of the conversation a user is in; expires after ``ttl`` seconds idle."""

    def __init__(self, client, openid, ttl, raw=NOT_LOADED):
        self._client = client
        self._key = key_for(openid)
        self.ttl = ttl
        self.name = None
        self.data = {}
        self.available = True
        self._load(raw)

    def _load(self, raw):
        """Parse the stored record (read here unless the pipeline already fetched it)."""
        if raw is NOT_LOADED:
            try:
                raw = self._client.get(self._key)
            except redis.RedisError:
                raw = UNAVAILABLE
        if raw is UNAVAILABLE:
            log.warning("Redis unavailable: conversation state not loaded")
            self.available = False
            return
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
        try:
            self._client.delete(self._key)
        except redis.RedisError:
            log.warning("Redis unavailable: conversation state not cleared")

    def _save(self, ttl):
        record = json.dumps({"name": self.name, "data": self.data}, ensure_ascii=False)
        try:
            self._client.set(self._key, record, ex=ttl or self.ttl)
        except redis.RedisError:
            log.warning("Redis unavailable: conversation state not saved")
            self.available = False
