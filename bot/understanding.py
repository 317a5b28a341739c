"""Keywords staff add in the dashboard reach every worker's classifier within seconds.

The rows live in PostgreSQL (staff_keywords); a random version token in Redis says when they changed.
Each process looks at that token at most every CHECK_SECONDS, on the message path, and reloads
the rows only when it moved. With Redis down a process keeps the keywords it has.
"""

import logging
import threading
import time
import uuid

import redis
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

import nlp
from bot.models import StaffKeyword

log = logging.getLogger(__name__)
VERSION_KEY = "nlp:staff-keywords:version"
CHECK_SECONDS = 5.0
MAX_LENGTH = 20
_NEVER = object()  # no version seen yet: the first look always loads


class KeywordError(ValueError):
    """A keyword staff may not add; the message says why, in Chinese."""


class StaffKeywords:
    def __init__(self, redis_client, check_seconds=CHECK_SECONDS):
        self.redis = redis_client
        self.check_seconds = check_seconds
        self._version = _NEVER
        self._next_check = 0.0
        self._lock = threading.Lock()

    def refresh(self, session, force=False):
        """Reload staff keywords into this process's classifier when they changed elsewhere."""
        now = time.monotonic()
        if not force and now < self._next_check:
            return
        with self._lock:
            if not force and now < self._next_check:
                return
            self._next_check = now + self.check_seconds
            try:
                version = self.redis.get(VERSION_KEY)
            except redis.RedisError:
                if not force:
                    return
                version = None
            if version == self._version and not force:
                return
            try:
                rows = session.execute(select(StaffKeyword.keyword, StaffKeyword.category_code, StaffKeyword.weight)).all()
            except SQLAlchemyError as error:
                session.rollback()
                log.warning("staff keywords not loaded (database unavailable or not migrated yet): %s", error)
                return
            nlp.load().use_staff_keywords(rows)
            self._version = version
            log.info("staff keywords loaded: %d", len(rows))

    def changed(self, session):
        """After an edit: tell every process, and reload here at once."""
        try:
            self.redis.set(VERSION_KEY, uuid.uuid4().hex)  # not a counter: a Redis restart must not replay an old value
        except redis.RedisError:
            log.warning("Redis unavailable: other workers pick up the keyword change when it returns")
        self.refresh(session, force=True)


def check(keyword, category, categories):
    """The cleaned keyword, or KeywordError with what is wrong."""
    keyword = "".join(keyword.split())
    if not 2 <= len(keyword) <= MAX_LENGTH:
        raise KeywordError(f"关键词需 2–{MAX_LENGTH} 个字。")
    if category not in categories:
        raise KeywordError("请选择一个类别。")
    claimed = nlp.load().keyword_claim(keyword)
    if claimed:
        raise KeywordError(f"「{keyword}」已由内置词表归为 {categories.get(claimed, claimed)}，不能再归到别的类别。")
    return keyword
