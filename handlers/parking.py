"""错时共享停车: nearest lots to a location or a named place, open now (or at the time asked)."""

import re
from datetime import timedelta

from bot import parking_data
from bot.models.core import utcnow
from bot.parking_schedule import describe, is_open, next_change, parse
from handlers.common import remember_location

LOCATION_FRESH = timedelta(minutes=30)
ASK_LOCATION = ("想找哪里的停车位？点输入框旁的 ＋ → 位置，把位置发给我；"
                "也可以直接说地名，比如「鼎山公园附近停车」「几江街道哪里能停车」。")
FAQ = ("错时共享停车：机关、学校、医院等单位的停车场在下班或节假日向市民开放。\n"
       "· 收费：各停车场不同，多数单位场免费或每次几元，以现场公示为准\n"
       "· 时间：一般工作日晚上到次日早上、周末全天开放，务必按时驶离，以免影响单位使用\n"
       "· 发送您的位置，我告诉您附近哪些正在开放。")
RULES = re.compile(r"收费|多少钱|开放时间|几点|规则|须知|怎么停|要钱")
CLOCK = re.compile(r"(早上|上午|中午|下午|傍晚|晚上|今晚|明晚|半夜|凌晨)?(\d{1,2})[点时](半)?")
MAX_AGE_MINUTES = 15


def register(bot):
    bot.message("location")(lots_near_location)
    bot.event("location")(remember_quietly)
    bot.menu("PARKING")(ask_location)
    bot.intent("parking")(parking_question)


def remember_quietly(message, context):
    return None  # handlers/common.py stores the background LOCATION event


def ask_location(message, context):
    return ASK_LOCATION


def lots_near_location(message, context):
    lat, lng = (float(v) for v in message.location)
    remember_location(context, lat, lng, message.label)
    context.intent = "parking"
    return answer(context, lat, lng, "您") + "\n要反映这里的问题，直接发文字说明即可。"


def parking_question(message, context):
    """A text question: a place name, the user's recent location, or the rules."""
    text = context.text or ""
    places = context.understanding.entities.get("places") or []
    if places:
        return answer(context, places[0].lat, places[0].lng, places[0].name)
    if RULES.search(text):
        return FAQ
    user = context.user
    if user is not None and user.last_location_at and utcnow() - user.last_location_at <= LOCATION_FRESH:
        return answer(context, user.last_lat, user.last_lng, "您")
    return ASK_LOCATION


def when(context):
    """The moment the user asks about: now, or 「今晚8点」/「明天」/「周末」."""
    text, now = context.text or "", context.now
    moment = now
    if "明天" in text or "明晚" in text:
        moment += timedelta(days=1)
    if "周末" in text and now.weekday() < 5:
        moment = (now + timedelta(days=5 - now.weekday())).replace(hour=10, minute=0)
    match = CLOCK.search(text)
    if match:
        hour = int(match.group(2)) % 24
        if match.group(1) in ("下午", "傍晚", "晚上", "今晚", "明晚") and hour < 12:
            hour += 12
        moment = moment.replace(hour=hour, minute=30 if match.group(3) else 0, second=0, microsecond=0)
        if moment < now - timedelta(minutes=30) and "明" not in text:
            moment += timedelta(days=1)
    return moment


def answer(context, lat, lng, origin):
    """Up to three lots nearest first, with distance, open status, live spaces and fee."""
    moment = when(context)
    found = parking_data.nearest(context.session, context.redis, lat, lng)
    if not found:
        return f"{origin}附近 5 公里内暂时没有收录的停车场。可以换个位置试试，或拨打 12345 咨询。"
    at = "现在" if moment == context.now else f"{moment:%m月%d日 %H:%M}"
    lines = [f"🅿️ 离{origin}最近的停车场（{at}）："]
    for i, nearby in enumerate(found, start=1):
        lines += _lot_lines(i, nearby, moment, context.now)
    first = found[0].lot
    lines.append(f"导航到最近的：https://uri.amap.com/marker?position={first.lng:.6f},{first.lat:.6f}")
    return "\n".join(lines)


def _lot_lines(i, nearby, moment, now):
    lot, distance = nearby.lot, nearby.distance_m
    windows = parse(lot.schedule)
    change = next_change(windows, moment)
    if is_open(windows, moment):
        status = "🟢 开放中" + (f"，{change:%H:%M}停止开放" if change and change - moment < timedelta(hours=24) else "")
    else:
        status = "🔴 未开放" + (f"，{_day(change, moment)}{change:%H:%M}开放" if change else "")
    free = parking_data.live_free_spaces(lot, utcnow(), MAX_AGE_MINUTES)
    spaces = f"空位 {free}（实时）" if free is not None else f"共 {lot.spaces} 个车位"
    far = f"{distance:.0f}米" if distance < 1000 else f"{distance / 1000:.1f}公里"
    return [f"{i}. {lot.name} {far}", f"   {status} · {spaces}", f"   {lot.fee or '收费以现场为准'} · {describe(windows)}"]


def _day(change, moment):
    days = (change.date() - moment.date()).days
    return {0: "", 1: "明天", 2: "后天"}.get(days, f"{change:%m月%d日}")
