"""随手拍: a report from text, voice, photo, menu or location to a routed ticket.

The conversation asks only for what is missing (description, category, location, photos,
phone), shows a summary and files the ticket on 「确认」. Emergencies get the hotline at once.
At every step only a plausible answer counts (handlers/report_steps.py); a message that is
clearly something else is answered as itself and the report is kept (handlers/side.py). A
location sent earlier is offered, never used silently.
"""

import uuid

from bot import geo, tickets
from bot.models import Category
from handlers import report_steps, report_submit, side
from handlers.common import BAD_LOCATION, coordinates, recent_location
from handlers.report_text import (
    ASK_DESCRIPTION,
    ASK_LOCATION,
    ASK_PHONE,
    ASK_PHOTOS,
    ASK_REUSE,
    CONFIRM_WORDS,
    DONE_WORDS,
    EMERGENCY_PATTERN,
    NOT_AN_ADDRESS,
    OUTSIDE,
    SKIP_WORDS,
    category_menu_text,
    emergency_advice,
    kept,
    summary,
)
from nlp import places as gazetteer

STATE = "report"
CHANGE_CATEGORY = ("改类别", "修改类别", "类别不对", "换个类别")
HOTLINE_NOTE = "不用打电话，在这里就能直接反映，工作人员会按时处理 👇\n"


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
    reply = _start(context, description=context.text, category=sure_category(found) or default_category,
                   suggested=suggested_category(found), **draft)
    return HOTLINE_NOTE + reply if found.entities.get("topic") == "hotline" else reply


def sure_category(found):
    """nlp's category when its keywords say so; a statistical guess is not sure: the resident picks."""
    return found.category if found.category and not found.entities.get("guessed") else None


def suggested_category(found):
    """The statistical guess, offered at the top of the category menu ("other" is no suggestion)."""
    return found.category if found.entities.get("guessed") and found.category != "other" else None


def start_from_photo(message, context):
    """A photo outside any other conversation starts a report (the photo is its first piece)."""
    if context.state.name is not None:
        return None
    return _start(context, photos=[{"media_id": message.media_id, "pic_url": message.image}])


def _start(context, **draft):
    data = {"draft": uuid.uuid4().hex, "photos": [], "asked": None, **{k: v for k, v in draft.items() if v}}
    _offer_earlier_location(context, data)
    context.state.start(STATE, ttl=context.config["REPORT_TTL_SECONDS"], **data)
    context.intent = "report"
    return _next(context)


def _offer_earlier_location(context, data):
    """A location sent in the last minutes may be where the problem is: offer it (never use it silently),
    unless the message already says where."""
    if data.get("lat") is not None or data.get("address"):
        return
    recent = recent_location(context)
    if recent is None or not geo.within(context.config["DISTRICT"]["bounds"], recent["lat"], recent["lng"]):
        return  # none, or somewhere else: never offered for a report here
    data["reuse"] = {"lat": recent["lat"], "lng": recent["lng"], "label": _label(recent)}


def _label(recent):
    """How to name a location to the resident: its label, else the nearest landmark or 街道/镇."""
    if recent.get("label"):
        return recent["label"]
    place = gazetteer.nearest(recent["lat"], recent["lng"])
    return f"{place.name}附近" if place else "您刚才所在的位置"


def _supervisor_phone(context):
    """A supervisor's phone is on file: don't ask for it on every patrol report."""
    user = context.user
    if user is not None and user.role == "supervisor" and user.supervisor is not None and user.supervisor.phone:
        context.state.update(phone=user.supervisor.phone, phone_done=True)


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
        if not geo.within(context.config["DISTRICT"]["bounds"], lat, lng):
            context.state.update(asked="location", reuse=None)
            return context.say(OUTSIDE)
        context.state.update(lat=lat, lng=lng, label=message.label or "地图位置", address=None, reuse=None)
        return _next(context)
    text = context.text
    if text is None:
        return "这种消息我暂时处理不了，请发文字、照片或位置。回复「取消」可放弃本次反映。"
    return _on_text(context, data, text)


def _on_text(context, data, text):
    asked = data.get("asked")
    if text in CHANGE_CATEGORY:
        context.state.update(asked="category")
        return category_menu_text(context.config["DISTRICT"])
    if asked in ("confirm", "own_duplicate") and text in CONFIRM_WORDS:
        return report_submit.submit(context, _category(context))
    if asked == "own_duplicate" and text in report_submit.FILE_ANYWAY:
        return report_submit.submit(context, _category(context), check_duplicates=False)
    reply = _answer(context, data, asked, text)
    if reply is not None:
        return reply
    return _on_the_side(context, asked) or _not_an_answer(context, asked)


def _answer(context, data, asked, text):
    """The reply when the text answers the step's question, else None."""
    if asked == "description":  # 「垃圾桶」 describes the problem; 「纸板是什么垃圾」 and 「谢谢」 do not
        if context.understanding.intent not in ("report", None, "garbage") or side.strong(context) or len(text) < 2:
            return None
        report_steps.add_to_description(context, text)
        if not data.get("category"):
            found = context.understanding
            context.state.update(category=sure_category(found), suggested=suggested_category(found))
        return _next(context)
    if asked == "category":
        return report_steps.pick_category(context, text, _next)
    if asked == "reuse":
        return report_steps.take_reuse(context, text, _next)
    if asked == "location":
        return report_steps.take_address(context, text, _next)
    if asked == "photos":
        return report_steps.take_photos_text(context, text, _next)
    if asked == "phone":
        return report_steps.take_phone(context, text, _next)
    if asked == "confirm" and (text in SKIP_WORDS or text in DONE_WORDS):
        return summary(data, _category(context))  # nothing left to skip: show what will be filed
    if asked == "confirm" and context.understanding.intent in ("report", None) and len(text) >= 4:
        report_steps.add_to_description(context, text)
        return "已补充到描述里。\n\n" + summary(context.state.data, _category(context))
    return None


def _on_the_side(context, asked):
    """Answer a message that is something else, and say the report is still there."""
    reply = side.answer(context.message, context, bare_items=asked != "description")
    return f"{reply}\n\n{kept(asked)}" if reply else None


def _not_an_answer(context, asked):
    """Neither an answer nor a known side question: say what this step needs."""
    context.intent = "report"
    if asked == "location":
        return context.say(NOT_AN_ADDRESS)
    if asked == "category":
        return "没找到这个类别，请回复类别前面的数字。\n\n" + category_menu(context, context.state.data.get("suggested"))
    if asked == "reuse":
        return ASK_REUSE.format(label=context.state.data.get("reuse", {}).get("label", "您刚发送的位置"))
    if asked == "confirm":
        return summary(context.state.data, _category(context))
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


def _next(context):
    """Ask for the first missing piece, or show the summary."""
    data = context.state.data
    where_missing = data.get("lat") is None and (not data.get("address") or data.get("address_inferred"))
    if not data.get("phone_done") and not where_missing and data.get("description") and data.get("category") \
            and (data.get("photos_done") or data.get("photos")):
        _supervisor_phone(context)  # only now, when the phone would be asked: no user row read before
        data = context.state.data
    for step, missing, question in (
        ("description", not data.get("description"), lambda: ASK_DESCRIPTION),
        ("category", not data.get("category"), lambda: category_menu(context, data.get("suggested"))),
        ("reuse", where_missing and bool(data.get("reuse")), lambda: ASK_REUSE.format(**data["reuse"])),
        ("location", where_missing, lambda: _ask_location(context, data)),
        ("photos", not data.get("photos_done") and not data.get("photos"), lambda: ASK_PHOTOS),
        ("phone", not data.get("phone_done"), lambda: ASK_PHONE),
    ):
        if missing:
            context.state.update(asked=step)
            return question()
    context.state.update(asked="confirm")
    return summary(data, _category(context))


def _ask_location(context, data):
    """Ask where; when the message named a road or landmark, ask for the exact spot there."""
    if data.get("address_inferred"):
        return (f"问题在「{data['address']}」的哪个位置？发送位置最准确（＋ → 位置），"
                "也可以补充门牌号或路口；不清楚就回复「跳过」。")
    return context.say(ASK_LOCATION)


def category_menu(context, suggested=None):
    """The numbered menu; with a guess, the guess first (「是」 takes it)."""
    category = context.session.get(Category, suggested) if suggested else None
    if category is None:
        return category_menu_text(context.config["DISTRICT"])
    return f"是「{category.name}」方面的问题吗？是的话回复「是」；不是的话{category_menu_text(context.config['DISTRICT'])}"


def _category(context):
    code = context.state.data.get("category") or "other"
    return context.session.get(Category, code) or context.session.get(Category, "other")
