"""随手拍: a report from text, voice, photo, menu or location to a routed ticket.

The conversation asks only for what is missing (description, category, location, photos,
phone), shows a summary and files the ticket on 「确认」. Emergencies get the hotline at once.
"""

import re
import uuid
from datetime import timedelta

from bot import tickets
from bot.config import utcnow
from bot.models import Category
from handlers import report_submit
from handlers.common import BAD_LOCATION, coordinates
from handlers.report_text import (
    ASK_DESCRIPTION,
    ASK_LOCATION,
    ASK_PHONE,
    ASK_PHOTOS,
    CATEGORY_MENU,
    CONFIRM_WORDS,
    DONE_WORDS,
    EMERGENCY_PATTERN,
    SHORT_NAMES,
    SKIP_WORDS,
    emergency_advice,
    summary,
)

STATE = "report"
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
OTHER_INTENTS = ("garbage", "parking", "status", "quiz", "help", "supervisor")


def register(bot):
    bot.command(EMERGENCY_PATTERN, anytime=True)(emergency)
    bot.command(r"(随手拍|我要反映|我要举报|我要投诉|反映问题|我要报料)")(start_from_menu)
    bot.menu("REPORT")(start_from_menu)
    bot.intent("report")(start_from_text)
    bot.message("image")(start_from_photo)
    bot.state(STATE)(continue_report)
    bot.command(r"(确认|提交)")(report_submit.confirm_again)


def emergency(message, context):
    """Danger now: the hotline first, then the report goes on (or starts) as usual."""
    advice = emergency_advice(context.text)
    if context.state.name == STATE:
        reply = continue_report(message, context) or _next(context)
    else:
        reply = start_from_text(message, context, default_category="other")
    return f"{advice}\n\n{reply}"


def start_from_menu(message, context):
    return _start(context)


def start_from_text(message, context, default_category=None):
    """A report-like message: its words are the description, nlp's category a first guess."""
    found = context.understanding
    places = (found.entities or {}).get("places") or []
    place = getattr(places[0], "name", None) if places else None  # nlp is free to change its entities
    draft = {"address": place, "address_inferred": bool(place)}
    if found.category == "parking_facility":
        from bot.parking.lots import named_lot

        lot = named_lot(context.session, context.text)
        if lot is not None:  # the lot the complaint names is where the problem is
            draft = {"address": lot.address, "lat": lot.lat, "lng": lot.lng, "label": lot.name}
    return _start(context, description=context.text, category=found.category or default_category, **draft)


def start_from_photo(message, context):
    """A photo outside any other conversation starts a report (the photo is its first piece)."""
    if context.state.name not in (None, "rating"):
        return None
    return _start(context, photos=[{"media_id": message.media_id, "pic_url": message.image}])


def _start(context, **draft):
    data = {"draft": uuid.uuid4().hex, "photos": [], "asked": None, **{k: v for k, v in draft.items() if v}}
    _reuse_location(context, data)
    _supervisor_phone(context, data)
    context.state.start(STATE, ttl=context.config["REPORT_TTL_SECONDS"], **data)
    context.intent = "report"
    return _next(context)


def _reuse_location(context, data):
    """A location sent in the last 30 minutes is where the problem is (ask again if wrong)."""
    user = context.user
    if user is None or user.last_location_at is None or data.get("lat") is not None:
        return
    if utcnow() - user.last_location_at <= timedelta(minutes=context.config["LOCATION_FRESH_MINUTES"]):
        data.update(lat=user.last_lat, lng=user.last_lng, label=user.last_label or "您刚发送的位置")


def _supervisor_phone(context, data):
    """A supervisor's phone is on file: don't ask for it on every patrol report."""
    user = context.user
    if user is not None and user.role == "supervisor" and user.supervisor is not None and user.supervisor.phone:
        data.update(phone=user.supervisor.phone, phone_done=True)


def continue_report(message, context):
    """Every message while a report is being written."""
    data = context.state.data
    if message.type == "image":
        return _add_photo(message, context)
    if message.type == "location":
        place = coordinates(*message.location)
        if place is None:
            return BAD_LOCATION
        lat, lng = place
        context.state.update(lat=lat, lng=lng, label=message.label or "地图位置", address=None)
        return _next(context)
    text = context.text
    if text is None:
        return "这种消息我暂时处理不了，请发文字、照片或位置。回复「取消」可放弃本次反映。"
    return _on_text(context, data, text)


def _on_text(context, data, text):
    asked = data.get("asked")
    if text in ("改类别", "修改类别", "类别不对", "换个类别"):
        context.state.update(asked="category")
        return CATEGORY_MENU
    if asked == "category":
        return _pick_category(context, text)
    if asked in ("confirm", "own_duplicate") and text in CONFIRM_WORDS:
        return report_submit.submit(context, _category(context))
    if asked == "own_duplicate" and text in report_submit.FILE_ANYWAY:
        return report_submit.submit(context, _category(context), check_duplicates=False)
    if asked == "description":
        context.state.update(description=text, category=data.get("category") or context.understanding.category)
        return _next(context)
    if asked == "location":
        return _take_address(context, text)
    if asked == "photos" and (text in SKIP_WORDS or text in DONE_WORDS):
        context.state.update(photos_done=True)
        return _next(context)
    if asked == "phone":
        return _take_phone(context, text)
    if context.understanding.intent in OTHER_INTENTS and context.understanding.confidence >= 0.8:
        return None  # a question on the side: answer it normally, keep the draft
    if asked == "confirm" and (text in SKIP_WORDS or text in DONE_WORDS):
        return summary(data, _category(context))  # nothing left to skip: show what will be filed
    if asked == "confirm":
        context.state.update(description=f"{data.get('description', '')}；{text}"[:1000])
        return "已补充到描述里。\n\n" + summary(context.state.data, _category(context))
    return _next(context)


def _add_photo(message, context):
    photos = context.state.data.get("photos", [])
    if len(photos) >= tickets.MAX_PHOTOS:
        return f"最多 {tickets.MAX_PHOTOS} 张照片，已经够啦。" + "\n\n" + _next(context)
    photos.append({"media_id": message.media_id, "pic_url": message.image})
    context.state.update(photos=photos)
    if context.state.data.get("asked") == "photos" and len(photos) < tickets.MAX_PHOTOS:
        return f"已收到第 {len(photos)} 张照片。还可以继续发，发完回复「好了」。"
    return _next(context)


def _pick_category(context, text):
    code = SHORT_NAMES.get(text.strip()) or _category_by_number(text)
    if code is None:
        return "没找到这个类别，请回复类别前面的数字。\n\n" + CATEGORY_MENU
    context.state.update(category=code, category_fixed=True)
    return _next(context)


def _category_by_number(text):
    digits = text.strip().rstrip("。.")
    codes = list(dict.fromkeys(SHORT_NAMES.values()))
    return codes[int(digits) - 1] if digits.isdigit() and 1 <= int(digits) <= len(codes) else None


def _take_address(context, text):
    inferred = context.state.data.get("address") if context.state.data.get("address_inferred") else None
    if text in SKIP_WORDS and inferred:
        context.state.update(address_inferred=False)  # the place named in the message will do
        return _next(context)
    if text in SKIP_WORDS or len(text) < 2:
        return "位置是必填的，工作人员要知道去哪里处理 🙏\n" + ASK_LOCATION
    address = text if not inferred or inferred in text else f"{inferred} {text}"
    context.state.update(address=address[:200], address_inferred=False)
    return _next(context)


def _take_phone(context, text):
    if text in SKIP_WORDS:
        context.state.update(phone_done=True)
        return _next(context)
    number = re.sub(r"[\s-]", "", text)
    if not PHONE.match(number):
        return "这个号码好像不对，请发 11 位手机号，或回复「跳过」。"
    context.state.update(phone=number, phone_done=True)
    return _next(context)


def _next(context):
    """Ask for the first missing piece, or show the summary."""
    data = context.state.data
    for step, missing, question in (
        ("description", not data.get("description"), ASK_DESCRIPTION),
        ("category", not data.get("category"), CATEGORY_MENU),
        ("location", data.get("lat") is None and (not data.get("address") or data.get("address_inferred")),
         _ask_location(data)),
        ("photos", not data.get("photos_done") and not data.get("photos"), ASK_PHOTOS),
        ("phone", not data.get("phone_done"), ASK_PHONE),
    ):
        if missing:
            context.state.update(asked=step)
            return question
    context.state.update(asked="confirm")
    return summary(data, _category(context))


def _ask_location(data):
    """Ask where; when the message named a road or landmark, ask for the exact spot there."""
    if data.get("address_inferred"):
        return (f"问题在「{data['address']}」的哪个位置？发送位置最准确（＋ → 位置），"
                "也可以补充门牌号或路口；不清楚就回复「跳过」。")
    return ASK_LOCATION


def _category(context):
    code = context.state.data.get("category") or "other"
    return context.session.get(Category, code) or context.session.get(Category, "other")
