"""From a parsed WeChat message to rendered reply XML: dedupe, rate limit, user, state, dispatch."""

import logging
import time

import redis
from sqlalchemy import select
from wechatpy.replies import EmptyReply, TextReply

from bot.chat import ratelimit
from bot.chat.context import Context, openid_hash
from bot.chat.dedupe import TAKEN, ReplyCache, message_key
from bot.chat.message_log import MessageLogBuffer
from bot.chat.state import NOT_LOADED, UNAVAILABLE, Conversations
from bot.chat.state import key_for as state_key
from bot.chat.state_store import DatabaseStateStore
from bot.config import utcnow
from bot.extensions import round_trip
from bot.models import User
from bot.models.core import NEW_USER
from handlers.common import LOCATION_KEY, UNREAD

log = logging.getLogger(__name__)

SLOW_DOWN = "您发得太快啦，请稍等一分钟再发。急事请拨 {hotline}。"


class Pipeline:
    """Everything between parsing and rendering; built once per app."""

    def __init__(self, dispatcher, session, redis_client, config, services, enqueue):
        self.dispatcher = dispatcher
        self.session = session
        self.redis = redis_client
        self.config = config
        self.services = services  # reader, garbage, parking, quiz: the app's objects handed to handlers
        self.enqueue = enqueue
        self.log = MessageLogBuffer(config["MESSAGE_LOG_BATCH"], retry_after=config["MESSAGE_LOG_RETRY_SECONDS"])
        self.conversations = Conversations(redis_client, config["STATE_TTL_SECONDS"])
        self.replies = ReplyCache(
            redis_client, config["WECHAT_REPLY_CACHE_SECONDS"], config["WECHAT_RETRY_WAIT_SECONDS"],
            config["WECHAT_CLAIM_SECONDS"],
        )

    def handle(self, message):
        """Reply XML (or "success" for no reply) for one message, handling each MsgId once."""
        key = message_key(message)
        claimed, verdict, raw_state, raw_location = self._prefetch(message, key)
        if not claimed:
            cached = self.replies.wait_for(key)
            if cached is not TAKEN:
                log.info("retry of %s answered from cache", key)
                return cached or "success"
            log.warning("retry of %s took over a claim that ran out (its worker died?)", key)
            raw_state = NOT_LOADED  # read afresh: the abandoned attempt may have moved the conversation on
            raw_location = UNREAD
        try:
            xml = self._answer(message, key, verdict, raw_state, raw_location)
        except BaseException:
            if key:
                self.replies.release(key)
            raise
        if key:
            self.replies.store(key, xml)
        return xml

    def _prefetch(self, message, key):
        """One Redis round trip: claim the MsgId, count the sender's messages, read their state and
        recent location."""
        limit = self.config["RATE_LIMIT_PER_MINUTE"]
        commands = []
        if key:
            commands.append(self.replies.claim_command(key))
        if limit:
            commands.extend(ratelimit.commands(message.source))
        commands += [("GET", state_key(message.source)), ("GET", LOCATION_KEY.format(message.source))]
        try:
            results = round_trip(self.redis, commands)
        except redis.RedisError:
            log.warning("Redis unavailable: no retry protection, rate limit or state for %s", key)
            return True, "ok", UNAVAILABLE, UNREAD
        claimed = bool(results[0]) if key else True
        verdict = ratelimit.verdict(results[1 if key else 0], limit) if limit else "ok"
        return claimed, verdict, results[-2], results[-1]

    def _answer(self, message, key, verdict, raw_state, raw_location):
        started = time.perf_counter()
        if verdict != "ok":
            log.info("rate limit (%s) for %s", verdict, key)
            return render(TextReply(content=SLOW_DOWN.format_map(self.config["DISTRICT"]), message=message) if verdict == "warn" else None)
        self.services["reader"].refresh(self.session)
        context = self._context(message, key, raw_state, raw_location)
        reply = self.dispatcher.dispatch(message, context)
        self._log(message, context, started)
        return render(reply)

    def _context(self, message, key, raw_state, raw_location=UNREAD):
        state = self.conversations.load(message.source, raw_state, fallback=DatabaseStateStore(self.session))
        state.defer()  # written once, when the handler is done (Dispatcher.dispatch)
        return Context(
            message=message, load_user=lambda: self._user(message.source), state=state, session=self.session,
            redis=self.redis, config=self.config, now=self.config["CLOCK"](), enqueue=self.enqueue, msg_key=key,
            location_raw=raw_location, **self.services,
        )

    def _user(self, openid):
        """The sender's row, created on first contact (safe when two first messages race)."""
        user = self.session.execute(select(User).filter_by(openid=openid)).scalar_one_or_none()
        now = utcnow()
        if user is None:
            user = self.session.execute(NEW_USER, {"openid": openid, "now": now}).scalar_one_or_none()
            if user is None:  # a racing first message made the row (its INSERT did nothing here)
                user = self.session.execute(select(User).filter_by(openid=openid)).scalar_one()
            self.session.commit()
        elif (now - user.seen_at).total_seconds() > self.config["USER_SEEN_EVERY_SECONDS"]:
            user.seen_at = now
            self.session.commit()
        return user

    def _log(self, message, context, started):
        """One message-log row: type, intent, latency; never the words."""
        self.log.add(
            self.session,
            msgid=str(message.id) if message.id else None,
            openid_hash=openid_hash(message.source, self.config["SECRET_KEY"]),
            msg_type=message.type if message.type != "event" else f"event:{message.event}",
            intent=context.intent,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
        )


def render(reply):
    """Reply XML, or WeChat's "success" when there is nothing to say."""
    if reply is None or isinstance(reply, EmptyReply):
        return "success"
    return reply.render()
