"""The registry that maps what a citizen sent to the handler that answers it.

Handlers all have one signature, ``handler(message, context) -> reply``, where the reply is
plain text, a wechatpy reply object, or None for "not mine, ask the next one". Several handlers
may register for the same key (an event, intent, type or menu key): they are asked in the
order they registered, so a feature's handler goes before handlers/common.py's default.
"""

import logging
import re
from collections import defaultdict

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from wechatpy.replies import BaseReply, EmptyReply, TextReply

log = logging.getLogger(__name__)

KIND_ERROR = "抱歉，系统刚才开了个小差，您的消息没有丢，请稍后再发一次。急事请拨 {hotline}。"
DATABASE_DOWN = "系统正在维护，这项功能暂时用不了，请几分钟后再试。急事请拨 {hotline}。"
DATABASE_DOWN_KEPT = ("系统正在维护，刚才这一步没有办成，请几分钟后再发一次。"
                      "您正在填写的内容已保留，不用从头再来。急事请拨 {hotline}。")


class Dispatcher:
    """Decorator registry (WeRoBot-style) for commands, states, intents, events, menus and types."""

    def __init__(self):
        self._early_commands = []  # work even in the middle of a conversation (取消, 帮助 …)
        self._commands = []
        self._states = {}
        self._intents = defaultdict(list)
        self._events = defaultdict(list)
        self._menus = defaultdict(list)
        self._types = defaultdict(list)
        self._fallback = None

    # -- registration -------------------------------------------------------------------------
    def command(self, pattern, *, anytime=False):
        """Handle text that fully matches ``pattern``; ``anytime`` ones win over a conversation."""
        compiled = re.compile(pattern, re.IGNORECASE)
        target = self._early_commands if anytime else self._commands
        return self._add(lambda handler: target.append((compiled, handler)))

    def state(self, name):
        """Handle every message while the user's conversation is in state ``name``."""
        return self._add(lambda handler: self._states.__setitem__(name, handler))

    def intent(self, name):
        """Handle text that nlp/ understood as ``name``."""
        return self._add(self._intents[name].append)

    def event(self, name):
        """Handle an event (subscribe, unsubscribe, subscribe_scan, scan, location, click, view)."""
        return self._add(self._events[name].append)

    def menu(self, key):
        """Handle a CLICK on the custom-menu button with this key."""
        return self._add(self._menus[key].append)

    def message(self, msg_type):
        """Handle a message type (image, voice, location, link, video, shortvideo, text)."""
        return self._add(self._types[msg_type].append)

    def fallback(self, handler):
        """The handler of last resort."""
        self._fallback = handler
        return handler

    @staticmethod
    def _add(store):
        def decorator(handler):
            store(handler)
            return handler

        return decorator

    # -- dispatch -----------------------------------------------------------------------------
    def dispatch(self, message, context):
        """Find the handler, run it inside the one error boundary, and return a reply object."""
        try:
            reply = self._route_reconnecting(message, context)
            context.state.flush()  # the conversation's one write for this message
        except SQLAlchemyError:
            log.exception("database unavailable for msg %s (intent %s)", context.msg_key, context.intent)
            context.rollback()
            reply = context.say(DATABASE_DOWN_KEPT if context.state.name and context.state.available else DATABASE_DOWN)
        except Exception:
            log.exception("handler failed for msg %s (intent %s)", context.msg_key, context.intent)
            context.rollback()
            reply = context.say(KIND_ERROR)
        return to_reply(reply, message)

    def _route_reconnecting(self, message, context):
        """Route; once more if a pooled connection turned out dead (the database restarted).

        SQLAlchemy then discards the whole pool, so the second try gets a fresh connection. A
        dead connection fails on its first statement, before the handler has changed anything
        in the database, and the conversation state is put back as it was.
        """
        restore = context.checkpoint()
        try:
            return self._route(message, context)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            log.warning("stale database connection for msg %s: routed again on a new one", context.msg_key)
            context.rollback()
            restore()
            return self._route(message, context)

    def _route(self, message, context):
        for handler in self._candidates(message, context):
            reply = handler(message, context)
            if reply is not None:
                return reply
        return self._fallback(message, context) if self._fallback else None

    def _candidates(self, message, context):
        """Handlers in the order they get a chance to answer."""
        if message.type == "event":
            yield from self._event_handlers(message)
            return
        text = context.text
        if text is not None:
            yield from _matching(self._early_commands, text, context)
        if context.state.name in self._states:
            yield self._states[context.state.name]
        if text is None:
            yield from self._types.get(message.type, ())
            return
        yield from _matching(self._commands, text, context)
        yield from self._types.get(message.type, ())
        intent = context.understanding.intent if text else None
        if intent in self._intents:
            context.intent = intent
            yield from self._intents[intent]

    def _event_handlers(self, message):
        if message.event == "click":
            yield from self._menus.get(message.key, ())
        yield from self._events.get(message.event, ())


def _matching(commands, text, context):
    for pattern, handler in commands:
        match = pattern.fullmatch(text)
        if match:
            context.match = match
            yield handler


def to_reply(reply, message):
    """Turn a handler's return value into a wechatpy reply addressed back to the sender."""
    if reply is None:
        return EmptyReply()
    if isinstance(reply, str):
        return TextReply(content=reply, message=message)
    if isinstance(reply, BaseReply):
        if message is not None and not isinstance(reply, EmptyReply):
            reply.source = reply.source or message.target
            reply.target = reply.target or message.source
        return reply
    raise TypeError(f"a handler returned {type(reply).__name__}, not text or a reply")
