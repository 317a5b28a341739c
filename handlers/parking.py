"""错时共享停车: nearest lots to a location or a named place, open now (or at the time asked).

Complaints about a lot (locked during its hours, spaces taken) are reports: nlp gives them the
report intent and handlers/report.py links the lot they name, so nothing here claims them.
"""

import logging
import re
from datetime import datetime

import redis
from sqlalchemy import select

from bot.extensions import round_trip
from bot.models.parking import ParkingLot
from bot.parking import reply as parking_reply
from bot.parking.lots import named_lot
from bot.parking.moment import moment_asked
from handlers.common import BAD_LOCATION, coordinates, recent_location, remember_location

log = logging.getLogger(__name__)
RADIUS_M, WIDE_RADIUS_M, CANDIDATES = 5000, 50_000, 8
ASKED_KEY, ASKED_TTL = "parking:asked:{}", 600
ASK_LOCATION = ("想找哪里的停车位？点输入框旁的 ＋ → 位置，把位置发给我；"
                "也可以直接说地名，比如「{example_landmark}附近停车」「{example_town}哪里能停车」。")
FAQ = ("错时共享停车：机关、学校、医院等单位的停车场在下班后和节假日向市民开放。\n"
       "· 收费：各场不同，以现场公示为准\n"
       "· 时间：多为工作日晚上到次日早上、周末全天；请在开放时间结束前驶离\n"
       "· 发送位置或地名，我告诉您附近哪些正在开放。")
RULES = re.compile(r"收费|多少钱|要钱|免费吗|开放时间|几点开|几点关|什么时候开|规则|须知|怎么停|注意什么")
WHEN = r"(今晚|今天|明天|明早|明晚|周末|周[一二三四五六日]|晚上|早上|下午)?(\d{1,2}[点:：]\d{0,2}半?)?"
FIND = (WHEN + r"(我要|我想|想|帮我|请问)?(找|查)?(一下)?(附近|周边|旁边|这附近|最近)?(的|有)?(哪里|哪儿|哪有|哪里有)?"
        r"(可以|能)?(错时|共享|错时共享|免费)?(停车|停车场|停车位|车位|泊位)(在哪|在哪里|在哪儿|有吗|吗|呢)?[?？!！。]*")
ASK_RULES = r"(错时|共享|错时共享)?停车(场)?(怎么|如何)?(收费|收费标准|开放时间|规则|须知|要钱吗|几点开放)[?？。]*"


def register(bot):
    bot.command(FIND)(parking_question)
    bot.command(ASK_RULES)(parking_question)
    bot.message("location")(lots_near_location)
    bot.menu("PARKING")(ask_location)
    bot.intent("parking")(parking_question)


def lots_near_location(message, context):
    """A location message (outside a report): the nearest lots, for the time asked just before."""
    place = coordinates(*message.location)
    if place is None:
        return BAD_LOCATION
    lat, lng = place
    remember_location(context, lat, lng, message.label)
    context.intent = "parking"
    moment = _asked_moment(context) or context.now
    return answer(context, lat, lng, "您", moment) + "\n要反映这里的问题，直接发文字说明即可。"


def parking_question(message, context):
    """A text question: the rules, a named lot or place, the user's recent location, or ask."""
    context.intent = "parking"
    text, moment = context.text or "", moment_asked(context.text, context.now)
    if RULES.search(text):
        return rules_answer(context, text, moment)
    places = context.understanding.entities.get("places") or []
    if places:
        return answer(context, places[0].lat, places[0].lng, places[0].name, moment)
    recent = recent_location(context)
    if recent is not None:
        return answer(context, recent["lat"], recent["lng"], "您", moment)
    _remember_moment(context, moment)
    return context.say(ASK_LOCATION)


def ask_location(message, context):
    """The 找车位 menu button."""
    return context.say(ASK_LOCATION)


def rules_answer(context, text, moment):
    """Fees, hours, rules: of the lot the user names, else a summary of the data and the FAQ."""
    lot = named_lot(context.session, text)
    if lot is not None:
        return parking_reply.lot_details(lot, moment)
    lots = context.session.execute(select(ParkingLot)).scalars().all()
    return f"{FAQ}\n{parking_reply.summary(lots)}".strip()


def answer(context, lat, lng, origin, moment):
    """The lots nearest (lat, lng), nearest first, each open or not at `moment`."""
    max_age = int(context.config["PARKING_LIVE_MAX_AGE_MINUTES"])
    found = context.parking.nearest(context.session, lat, lng, limit=CANDIDATES, radius_m=RADIUS_M)
    if found:
        return parking_reply.nearby_text(parking_reply.pick(found, moment), origin, moment, context.now, max_age)
    wide = context.parking.nearest(context.session, lat, lng, limit=1, radius_m=WIDE_RADIUS_M)
    if not wide:
        return f"{origin}附近暂时没有收录的停车场。可以换个地方试试，或拨打 {context.config['DISTRICT']['hotline']} 咨询。"
    title = "🅿️ {origin}附近 5 公里内暂时没有收录的停车场，最近的是（{at}）："
    return parking_reply.nearby_text(wide, origin, moment, context.now, max_age, title)


def _remember_moment(context, moment):
    """A time asked before the location arrives (「今晚8点哪里能停」, then the location)."""
    if moment == context.now:
        return
    try:
        context.redis.set(ASKED_KEY.format(context.openid), moment.isoformat(), ex=ASKED_TTL)
    except redis.RedisError:
        log.warning("Redis unavailable: the asked time is not kept")


def _asked_moment(context):
    """The time asked in the last few minutes, once; None if none (or Redis is down)."""
    try:
        raw, = round_trip(context.redis, [("GETDEL", ASKED_KEY.format(context.openid))])
    except redis.RedisError:
        return None
    return datetime.fromisoformat(raw.decode()) if raw else None
