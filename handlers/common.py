"""Welcome, help, the kind fallback and default answers for every message type."""

import functools
import json
import logging
import math

import redis
from sqlalchemy.exc import SQLAlchemyError
from wechatpy.replies import EmptyReply

from bot import garbage
from bot.config import utcnow
from bot.extensions import one_way, write_one
from bot.models.core import SUBSCRIBED

log = logging.getLogger(__name__)

WELCOME = (
    "您好，这里是{short_name}城管「{account}」👋\n"
    "① 发「电池是什么垃圾」查垃圾分类\n"
    "② 发送位置，找附近错时共享停车位\n"
    "③ 发照片或文字，随手拍反映城市问题\n"
    "发「帮助」看全部功能。"
)

HELP = (
    "{account}可以帮您：\n"
    "🗑 垃圾分类：发「奶茶杯是什么垃圾」\n"
    "🅿️ 找停车位：点 + 号 → 位置，发送您的位置\n"
    "📷 随手拍：直接描述问题，如「人民路井盖不见了」，可附照片和位置\n"
    "🔎 查进度：发「我的反映」或「查询 JJ2026…」\n"
    "📝 答题：发「答题」参加垃圾分类知识竞赛，「排行榜」看排名\n"
    "🦺 监督员：发「绑定 邀请码」\n"
    "任何时候发「取消」可退出当前操作。紧急情况请拨 110 / 119 / 120。"
)

FALLBACK = (
    "抱歉，我没太明白您的意思 😅\n"
    "您可以试试：\n"
    "· 查垃圾分类：「塑料袋是什么垃圾」\n"
    "· 反映问题：「某某路路灯不亮了」\n"
    "· 找停车：发送您的位置\n"
    "发「帮助」查看全部功能。"
)

OUT_OF_SCOPE = (
    "这件事归其他部门管，城管这边办不了 🙏 社保、医疗、教育、劳动、消费、邻里纠纷、小区物业等事项，"
    "请拨打 {hotline} 政务服务便民热线{gov_clause}。\n"
    "城市管理的问题（垃圾、井盖、路灯、占道、停车等）随时找我。"
)
HOTLINE = (
    "城管方面的问题直接发给我就行：说清楚是什么问题、在哪里，我会派给对口部门，还能随时查进度。\n"
    "☎️ 打电话请拨 {hotline}（政务服务便民热线，24 小时），{bureau}的咨询和投诉也由它受理。\n"
    "紧急情况请拨 110 / 119 / 120。"
)
THANKS = "不客气 😊 有城市管理的问题随时找我。"
ACK = "好的 👌 有需要随时找我。"
GREETING = "您好 👋 我是{account}，{bureau}的公众号。\n" + WELCOME.split("\n", 1)[1]

NO_VOICE = "抱歉，这条语音没听清 🙉 请再说一遍，或者直接打字告诉我。"


def in_local_words(handler):
    """A garbage or quiz handler whose text uses the district's category names and bin colours."""
    @functools.wraps(handler)
    def wrapped(message, context):
        reply = handler(message, context)
        return garbage.local_names(reply, context.config["DISTRICT"]) if isinstance(reply, str) else reply
    return wrapped


def register(bot):
    """Help, welcome and the defaults every message type falls back to."""
    bot.command(r"(取消|退出|不报了|不答了|结束)", anytime=True)(cancel)
    bot.command(r"(帮助|help|\?|？|菜单|功能|使用说明)", anytime=False)(show_help)
    bot.intent("help")(help_intent)
    bot.intent("out_of_scope")(out_of_scope)
    bot.event("subscribe")(welcome)
    bot.event("subscribe_scan")(welcome)
    bot.event("scan")(welcome)
    bot.event("unsubscribe")(unsubscribe)
    bot.event("location")(remember_location_event)
    bot.event("view")(nothing)
    bot.event("view_miniprogram")(nothing)
    bot.menu("HELP")(show_help)
    bot.message("voice")(voice_not_understood)
    bot.message("location")(location_received)
    bot.message("image")(image_received)
    bot.message("link")(link_received)
    bot.message("video")(video_received)
    bot.message("shortvideo")(video_received)
    bot.fallback(fallback)


CANCELLED = {
    "report": "已取消本次反映，草稿已删除。有问题随时再发给我。",
    "quiz": "已退出答题。想再来一轮就发「答题」。",
}


def cancel(message, context):
    """取消/退出 always work: leave whatever conversation the user is in."""
    name = context.state.name
    context.state.clear()
    if name is None:
        return "当前没有进行中的操作。发「帮助」看看我能做什么。"
    return CANCELLED.get(name, "好的，已取消。")


def show_help(message, context):
    """帮助: what the account can do."""
    return context.say(HELP)


def help_intent(message, context):
    """nlp says help: a hotline question gets the number, a greeting a greeting, the rest the help."""
    topic = context.understanding.entities.get("topic")
    if topic == "hotline":
        return context.say(HOTLINE)
    if topic == "greeting":
        return context.say(GREETING)
    if context.understanding.entities.get("guessed"):
        return FALLBACK  # a statistical guess at "help" is no request for the menu: ask what they mean
    return context.say(HELP)


def welcome(message, context):
    """Subscribe (or scan): three short lines about what the account can do. The row is made, or
    marked subscribed again, by one statement; with the database down the welcome still goes out
    (the row is made by the first message that needs it)."""
    try:
        write_one(context.session, SUBSCRIBED, openid=context.openid, now=utcnow())
    except SQLAlchemyError as error:
        context.session.rollback()
        log.warning("subscribe of a user not recorded (database unavailable): %s", type(error).__name__)
    return context.say(WELCOME)


def unsubscribe(message, context):
    """Remember that the user left; WeChat shows no reply to an unsubscribe."""
    if context.user is not None:
        context.user.subscribed = False
        context.session.commit()
    context.state.clear()
    return EmptyReply()


def nothing(message, context):
    """Events that need no answer (menu links)."""
    return EmptyReply()


BAD_LOCATION = "没能读出这个位置，请重新发送位置（＋ → 位置）。"


def coordinates(lat, lng):
    """(lat, lng) as floats when they are a place on Earth, else None (the fields are only text)."""
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
        return None
    return lat, lng


UNREAD = object()  # Context.location_raw when Redis could not be read: the database is asked instead
LOCATION_KEY = "loc:{}"  # the sender's last location, kept LOCATION_FRESH_MINUTES


def remember_location(context, lat, lng, label=None):
    """Keep the user's last location for LOCATION_FRESH_MINUTES (a report offers it, parking uses it).

    In Redis, sent one-way (no round trip, no database work on a location message); read back with
    the next message's state. Only while Redis is down does it go to the user's row."""
    place = coordinates(lat, lng)
    if place is None:
        return
    record = {"lat": place[0], "lng": place[1], "label": (label or "")[:200] or None, "at": context.now.timestamp()}
    try:
        one_way(context.redis, "SET", LOCATION_KEY.format(context.openid), json.dumps(record, ensure_ascii=False),
                "EX", int(context.config["LOCATION_FRESH_MINUTES"] * 60) + 60)
        return
    except redis.RedisError:
        pass
    user = context.user
    if user is None:
        return
    user.last_lat, user.last_lng = place
    user.last_label = record["label"]
    user.last_location_at = utcnow()
    context.session.commit()


def recent_location(context):
    """{lat, lng, label} the user sent in the last LOCATION_FRESH_MINUTES, or None."""
    fresh = context.config["LOCATION_FRESH_MINUTES"] * 60
    raw = context.location_raw
    if raw is UNREAD:  # Redis was down when the message came: what the database kept meanwhile
        user = context.user
        if user is None or user.last_location_at is None:
            return None
        record = {"lat": user.last_lat, "lng": user.last_lng, "label": user.last_label,
                  "at": user.last_location_at.timestamp()}
    else:
        try:
            record = json.loads(raw) if raw else None
        except ValueError:
            record = None
    if not record or context.now.timestamp() - record["at"] > fresh:
        return None
    return record


def remember_location_event(message, context):
    """The LOCATION event WeChat reports in the background: remember it, say nothing."""
    remember_location(context, message.latitude, message.longitude)
    return EmptyReply()


def location_received(message, context):
    """A location message nobody else wanted: remember it and say what it can be used for."""
    if coordinates(*message.location) is None:
        return BAD_LOCATION
    remember_location(context, *message.location, message.label)
    return "已收到您的位置 📍\n想找附近停车位、或要反映这里的问题，直接告诉我就行。"


def image_received(message, context):
    return "收到照片 📷 如果要反映问题，请再发一句话说明是什么问题。"


def link_received(message, context):
    return "收到链接，谢谢分享。需要反映问题的话，请直接用文字描述，并发送位置。"


def video_received(message, context):
    return "收到视频 🎬 目前反映问题请发照片和文字说明，视频暂时无法处理。"


def voice_not_understood(message, context):
    """Voice without WeChat's recognition; recognised voice goes on to the intents as text."""
    return None if context.text else NO_VOICE


def out_of_scope(message, context):
    """Thanks get a kind word, 「好的」 a short one; another bureau's matter gets 12345; a mere guess that
    it is another bureau's gets the helpful question instead."""
    entities = context.understanding.entities
    if entities.get("guessed") and message.type in ("text", "voice"):
        return FALLBACK
    return {"thanks": THANKS, "ack": ACK}.get(entities.get("topic")) or context.say(OUT_OF_SCOPE)


def fallback(message, context):
    """Unclear text (or an unhandled type): a helpful question, never silence."""
    if message.type == "event":
        return EmptyReply()
    return FALLBACK
