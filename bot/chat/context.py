"""What a handler knows about the message it answers: the user, their state, the services."""

import copy
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from handlers.common import UNREAD


@dataclass
class Context:
    """Per-message context passed to every handler (no Flask in here)."""

    message: Any
    load_user: Callable[[], Any]  # the sender's bot.models.User, loaded only if a handler asks
    state: Any  # bot.chat.state.ConversationState
    session: Any  # SQLAlchemy session
    redis: Any  # Redis client (calls may raise redis.RedisError: degrade, don't fail)
    config: Mapping[str, Any]
    now: datetime  # aware, Asia/Shanghai
    enqueue: Callable[..., Any]  # enqueue(func, *args, **kwargs): slow work goes to RQ
    reader: Any = None  # bot.understanding.Reader: the app's classifier (staff keywords included)
    garbage: Any = None  # bot.garbage.GarbageDictionary
    parking: Any = None  # bot.parking.search.ParkingSearch
    quiz: Any = None  # bot.quiz.QuizBank
    msg_key: str | None = None
    intent: str | None = None
    match: Any = None  # the regex match of the command that fired
    extras: dict = field(default_factory=dict)
    # The sender's recent location as Redis held it when the message came (read with the state, in
    # the same round trip): bytes, None (none kept) or UNREAD (Redis was down: ask the database).
    location_raw: Any = UNREAD

    @cached_property
    def user(self):
        """The sender's row (created on first contact); raises if the database is down."""
        return self.load_user()

    @property
    def openid(self):
        return self.message.source

    @cached_property
    def text(self):
        """The words the user sent: a text's content or a voice message's recognition."""
        if self.message.type == "text":
            return (self.message.content or "").strip()
        if self.message.type == "voice":
            recognition = (getattr(self.message, "recognition", None) or "").strip()
            return recognition or None
        return None

    @cached_property
    def understanding(self):
        """nlp/'s reading of the text, computed once per message."""
        return self.reader.understand(self.text or "")

    def checkpoint(self):
        """A function that puts this context back as it is now (to handle a message again)."""
        name, data = self.state.name, copy.deepcopy(self.state.data)
        intent, match = self.intent, self.match

        def restore():
            self.state.name, self.state.data = name, copy.deepcopy(data)
            self.intent, self.match = intent, match
            self.__dict__.pop("user", None)  # loaded again, on the new connection

        return restore

    def say(self, text):
        """One of our texts with this district's words filled in ({hotline}, {example_address}…)."""
        return text.format_map(self.config["DISTRICT"])

    def rollback(self):
        """Undo the failed handler's database work."""
        if self.session is not None:
            self.session.rollback()


def openid_hash(openid, salt):
    """A short stable pseudonym for logs and statistics."""
    return hashlib.sha256(f"{salt}:{openid}".encode()).hexdigest()[:16]
