"""「X是什么垃圾」: the category by its official name, the bin colour in Chongqing, one tip."""

import logging

from bot import garbage_data
from nlp.garbage_lookup import is_question, item_phrases

log = logging.getLogger(__name__)

BINS = {"可回收物": "蓝色桶", "有害垃圾": "红色桶", "厨余垃圾": "绿色桶", "其他垃圾": "灰色（黑色）桶"}
ICONS = {"可回收物": "♻️", "有害垃圾": "☣️", "厨余垃圾": "🥬", "其他垃圾": "🗑"}
TIPS = {
    "可回收物": "尽量清洁干燥、压扁后投放，纸箱拆开叠好。",
    "有害垃圾": "请轻放，保持完整不破损；电池、灯管、药品不要拆开。",
    "厨余垃圾": "沥干水分，去掉塑料袋等包装后投放。",
    "其他垃圾": "沥干水分后投放；大件或装修垃圾请预约清运。",
}
ITEM_TIPS = (  # (words in the name, tip): more useful than the category's tip
    (("电池",), "普通一次性干电池属于其他垃圾；充电电池、纽扣电池属于有害垃圾。"),
    (("灯管", "荧光灯", "节能灯"), "灯管易碎含汞，请包好后完整投放。"),
    (("药",), "过期药品连同包装一起投放，不要倒进下水道。"),
    (("骨",), "大骨头很硬难以粉碎，属于其他垃圾；鸡骨、鱼骨等小骨头属于厨余垃圾。"),
    (("纸巾", "卫生纸", "餐巾纸"), "纸巾遇水即溶，不能回收，属于其他垃圾。"),
    (("杯",), "杯里剩的饮料先倒掉，再按材质投放。"),
    (("贝壳", "椰子壳", "蛋壳", "虾壳", "蟹壳", "螺"), "贝壳、椰子壳等硬壳属于其他垃圾；蛋壳、虾壳属于厨余垃圾。"),
)
GENERAL_RULE = (
    "一般规则：纸、塑料、玻璃、金属、衣物等能回收利用的→可回收物（蓝色桶）；"
    "电池、灯管、药品、油漆等→有害垃圾（红色桶）；剩菜剩饭、果皮菜叶→厨余垃圾（绿色桶）；"
    "其余→其他垃圾（灰色桶）。"
)
QUESTION_PATTERNS = (
    r".{1,40}?(是|属于|算|归|要|该)?(扔|丢|放|投)?(进|到|在|入)?(什么|啥子?|哪种|哪一种|哪类|哪一类|哪个|哪)"
    r"(类|种)?的?(垃圾|桶|分类)?(还是.{1,8})?[呀啊哦呢嘛喃哟?？!！。\s]*",
    r".{1,40}?(要|应该)?(怎么|咋个?|啷个|如何)(扔|丢|分类?|处理)[呀啊哦呢嘛?？!！。\s]*",
    r".{1,40}?(是|属于)?(干垃圾还是湿垃圾|湿垃圾还是干垃圾)[呀啊哦呢嘛?？!！。\s]*",
)


def register(bot):
    """Explicit questions by pattern, bare item names, and nlp's garbage intent."""
    for pattern in QUESTION_PATTERNS:
        bot.command(pattern)(answer_question)
    bot.message("text")(answer_bare_item)
    bot.intent("garbage")(answer_intent)
    bot.menu("GARBAGE_HELP")(explain)


def warm_up(session=None):
    """Build the lookup index (and pypinyin's tables) before the first question."""
    garbage_data.index()
    if session is not None:
        garbage_data.index(session)


def answer_question(message, context):
    """A phrased question: answer only when it really asks about sorting."""
    if not is_question(context.text):
        return None
    context.intent = "garbage"
    return answer(context, item_phrases(context.text))


def answer_bare_item(message, context):
    """A message that is exactly an item name (「奶茶杯」)."""
    text = context.text.strip("?？!！。 ")
    if len(text) < 2 or garbage_data.index(context.session).known(text) is None:
        return None
    context.intent = "garbage"
    return answer(context, [text])


def answer_intent(message, context):
    """nlp says it is a garbage question."""
    phrases = context.understanding.entities.get("items") or item_phrases(context.text)
    return answer(context, phrases) if phrases else explain(message, context)


def explain(message, context):
    return "发送物品名称就能查分类，比如「电池是什么垃圾」「奶茶杯扔哪个桶」。\n" + GENERAL_RULE


def answer(context, phrases):
    """One block per item; unknown ones are logged for staff."""
    index = garbage_data.index(context.session)
    blocks = [_block(context, index.lookup(phrase)) for phrase in phrases[:5]]
    return "\n\n".join(blocks) if blocks else explain(None, context)


def _block(context, match):
    if match.item is not None:
        return _known(match.item, corrected=match.how in ("pinyin",) and match.query)
    garbage_data.remember_unknown(context.session, match.query, match.suggestions[0] if match.suggestions else None)
    log.info("garbage item not found (%s)", match.how)
    if match.suggestions:
        names = "、".join(match.suggestions)
        return f"暂未收录「{match.query}」。您是不是想问：{names}？回复名称即可查询。"
    return f"暂未收录「{match.query}」，我们已记录下来，会尽快补充。\n{GENERAL_RULE}"


def _known(item, corrected=None):
    category = item.category
    tip = next((t for words, t in ITEM_TIPS if any(w in item.name for w in words)), TIPS[category])
    heard = f"（按「{item.name}」查询）" if corrected else ""
    return f"{ICONS[category]} {item.name}：{category}{heard}\n投放：{BINS[category]}\n小贴士：{tip}"
