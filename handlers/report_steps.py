"""Reading the resident's answer to the report's current question: only a plausible answer counts.

Each reader returns the next reply, or None when the text is not an answer to its question (the
report conversation then treats it as a message on the side). An address is short and names a
place; a phone is a phone number; a category is a menu number or its short name.
"""

import re

from handlers.report_text import (
    ADDED_TO_DESCRIPTION,
    ASK_LOCATION,
    DONE_WORDS,
    NO_WORDS,
    NOT_A_PHONE,
    NOT_AN_ADDRESS,
    SKIP_WORDS,
    YES_WORDS,
    short_names,
)

PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
ADDRESS_MAX = 60  # characters: more is a story, not an address
PLACE_WORD = re.compile(
    r"路|街|巷|道|桥|号|栋|幢|单元|楼|层|小区|花园|苑|广场|公园|学校|小学|中学|幼儿园|医院|市场|超市|商场|银行|车站|站|"
    r"村|社区|组|镇|乡|门口|大门|对面|旁边|附近|路口|转角|拐角|后面|背后|楼下|外面|边上|口子|坝|湾|沟|坡|梯|坎|码头|"
    r"江边|河边|堤|湖|园|城|府|院|厂|店|馆|中心|大厦|酒店|宾馆|加油站|停车场|车库|菜场|隧道|立交|转盘|环道")
QUESTION = re.compile(r"[吗嘛呢？?]\s*$|是不是|有没有|能不能|可不可以|多少|好多|怎么|咋个|啷个|为什么|为啥|什么|啥子")
DESCRIPTION_MAX = 2000


def plausible_address(text, found):
    """A short text that names a place (a known 街道/镇/landmark, or words addresses are made of) and
    does not read as something else: 「楼上的狗天天叫」 names 楼, 「旁边路灯也坏了」 旁边."""
    text = text.strip()
    if not 2 <= len(text) <= ADDRESS_MAX or QUESTION.search(text):
        return False
    if found.entities.get("places") and len(text) <= 30:
        return True
    if found.confidence >= 0.6 and found.intent not in ("parking", None):
        return False  # a problem, another bureau's matter, thanks…: not where
    return bool(PLACE_WORD.search(text)) or bool(re.search(r"\d", text))


def take_address(context, text, next_step):
    """The address typed at the location prompt, a story added to the description, or None."""
    data = context.state.data
    inferred = data.get("address") if data.get("address_inferred") else None
    if text in SKIP_WORDS and inferred:
        context.state.update(address_inferred=False)  # the place named in the message will do
        return next_step(context)
    if text in SKIP_WORDS:
        return "位置是必填的，工作人员要知道去哪里处理 🙏\n" + context.say(ASK_LOCATION)
    found = context.understanding
    short_spot = inferred and 2 <= len(text) <= 20 and not QUESTION.search(text) and found.confidence < 0.6
    if plausible_address(text, found) or short_spot:
        address = text if not inferred or inferred in text else f"{inferred} {text}"
        context.state.update(address=address, address_inferred=False, reuse=None)
        return next_step(context)
    if found.intent in ("report", None) and (len(text) > ADDRESS_MAX or found.confidence >= 0.6):
        add_to_description(context, text)  # more about the problem, not where it is
        return f"{ADDED_TO_DESCRIPTION}\n{context.say(NOT_AN_ADDRESS)}"
    return None


def take_reuse(context, text, next_step):
    """是 uses the location sent earlier; 不是 asks for another; an address typed instead is taken."""
    data = context.state.data
    word = text.strip().rstrip("。.!！~～")
    if word in YES_WORDS:
        reuse = data.get("reuse") or {}
        context.state.update(lat=reuse.get("lat"), lng=reuse.get("lng"), label=reuse.get("label"), reuse=None)
        return next_step(context)
    if word in NO_WORDS:
        context.state.update(reuse=None)
        return next_step(context)
    return take_address(context, text, next_step)


# At the phone question, a resident who means to send the report says so: no phone, on to the summary.
# (Not 「好了」: after a photo it means the photos are done, and the phone may follow.)
ON_WITHOUT_PHONE = (*SKIP_WORDS, "确认", "提交", "确定")


def take_phone(context, text, next_step):
    """A phone number, or 跳过 (or 确认: no phone); None for a message that is no phone at all."""
    if text in ON_WITHOUT_PHONE:
        context.state.update(phone_done=True)
        return next_step(context)
    number = re.sub(r"[\s-]", "", text)
    if PHONE.match(number):
        context.state.update(phone=number, phone_done=True)
        return next_step(context)
    return NOT_A_PHONE if re.fullmatch(r"[\d\s+()-]{5,20}", text) else None


def pick_category(context, text, next_step):
    """A menu number or a short name, or 是 for the suggested one; None for anything else."""
    suggested = context.state.data.get("suggested")
    word = text.strip().rstrip("。.!！~～")
    names = short_names(context.config["DISTRICT"])
    code = names.get(word) or _category_by_number(names, word) or (suggested if word in YES_WORDS else None)
    if code is None:
        return None
    context.state.update(category=code, category_fixed=True)
    return next_step(context)


def _category_by_number(names, text):
    digits = text.strip().rstrip("。.")
    codes = list(dict.fromkeys(names.values()))
    return codes[int(digits) - 1] if digits.isdigit() and 1 <= int(digits) <= len(codes) else None


def take_photos_text(context, text, next_step):
    """跳过 / 好了 end the photos; more words about the problem join the description."""
    if text in SKIP_WORDS or text in DONE_WORDS:
        context.state.update(photos_done=True)
        return next_step(context)
    if context.understanding.intent == "report":
        add_to_description(context, text)
        return f"{ADDED_TO_DESCRIPTION}\n\n" + next_step(context)
    return None


def add_to_description(context, text):
    """More words about the problem (kept whole up to the ticket's 2,000 characters)."""
    description = context.state.data.get("description") or ""
    joined = f"{description}；{text}" if description else text
    context.state.update(description=joined[:DESCRIPTION_MAX])
