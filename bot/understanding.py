"""The app's reader of messages: the process's base classifier with this app's staff keywords on top.

The base classifier (nlp.load()) is built once per process and never changes. Staff add keywords
in the dashboard; the rows live in the database (staff_keywords) and a random version token in
Redis says when they changed. Each app looks at that token at most every
STAFF_KEYWORDS_CHECK_SECONDS, on the message path, and rebuilds its overlay only when it moved.
With Redis down an app keeps the keywords it has.
"""

import dataclasses
import functools
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
MAX_LENGTH = 20
# Residents ask the same things in the same words (「电池是什么垃圾」 all evening after a campaign),
# and reading a text is pure: each reading is kept, per classifier, for the most recent texts.
REMEMBERED_TEXTS = 4096
REMEMBERED_LENGTH = 64  # longer texts (a report's description) are rarely sent twice
_NEVER = object()  # no version seen yet: the first look always loads


class KeywordError(ValueError):
    """A keyword staff may not add; the message says why, in Chinese."""


class Reader:
    """Kept in app.extensions["understanding"]; handlers reach it through Context."""

    def __init__(self, redis_client, check_seconds, base=None, categories=None):
        self.base = base or nlp.load()
        # The district profile's categories: a code it does not have goes to 'other', and every
        # department is the profile's (the classifier's own are the default profile's).
        self.categories = categories
        self._use(self.base)
        self.redis = redis_client
        self.check_seconds = check_seconds
        self._version = _NEVER
        self._next_check = 0.0
        self._lock = threading.Lock()

    def _use(self, classifier):
        """Swap the classifier; its memory of readings holds the classifier it read with, so a thread
        never keeps a reading of the old one under the new."""
        self.classifier = classifier
        self._remembered = functools.lru_cache(maxsize=REMEMBERED_TEXTS)(functools.partial(self._read, classifier))

    def understand(self, text):
        """nlp's Understanding of one message, with this app's staff keywords, in this district's terms.

        The same object is returned for the same short text: callers read it, never change it."""
        if len(text) <= REMEMBERED_LENGTH:
            return self._remembered(text)
        return self._read(self.classifier, text)

    def _read(self, classifier, text):
        understood = classifier.classify(text)
        if self.categories is None or understood.category is None:
            return understood
        code = understood.category if understood.category in self.categories else "other"
        department = self.categories[code].department
        if (code, department) == (understood.category, understood.department):
            return understood
        return dataclasses.replace(understood, category=code, department=department)

    def refresh(self, session, force=False, quiet=False):
        """Rebuild the overlay when staff keywords changed (in any process)."""
        now = time.monotonic()
        if not force and now < self._next_check:
            return
        with self._lock:
            if not force and now < self._next_check:
                return
            self._next_check = now + self.check_seconds
            version = self._stored_version(force)
            if version is _NEVER or (version == self._version and not force):
                return
            try:
                rows = session.execute(select(StaffKeyword.keyword, StaffKeyword.category_code, StaffKeyword.weight)).all()
            except SQLAlchemyError as error:
                session.rollback()
                log.log(logging.DEBUG if quiet else logging.WARNING,
                        "staff keywords not loaded (database unavailable): %s", type(error).__name__)
                return
            self._use(self.base.with_staff_keywords(rows))
            self._version = version
            log.log(logging.DEBUG if force else logging.INFO, "staff keywords loaded: %d", len(rows))

    def _stored_version(self, force):
        """The version token in Redis (None if never set); _NEVER when Redis is down and not forced."""
        try:
            return self.redis.get(VERSION_KEY)
        except redis.RedisError:
            return None if force else _NEVER

    def changed(self, session):
        """After an edit: tell every process, and rebuild here at once."""
        try:
            self.redis.set(VERSION_KEY, uuid.uuid4().hex)  # not a counter: a Redis restart must not replay an old value
        except redis.RedisError:
            log.warning("Redis unavailable: other workers pick up the keyword change when it returns")
        self.refresh(session, force=True)

    def check(self, keyword, category, categories):
        """The cleaned keyword, or KeywordError with what is wrong."""
        keyword = "".join(keyword.split())
        if not 2 <= len(keyword) <= MAX_LENGTH:
            raise KeywordError(f"关键词需 2–{MAX_LENGTH} 个字。")
        if category not in categories:
            raise KeywordError("请选择一个类别。")
        claimed = self.base.keyword_claim(keyword)
        if claimed:
            raise KeywordError(f"「{keyword}」已由内置词表归为 {categories.get(claimed, claimed)}，不能再归到别的类别。")
        return keyword
