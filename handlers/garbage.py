"""「X是什么垃圾」: the category by its official name first, the bin colour in Chongqing, one tip."""

import logging
import re

from bot import garbage as dictionary
from handlers.common import in_local_words
from nlp.garbage_lookup import QUESTION_PATTERN, TAIL, is_question, item_phrases, normalise_category

log = logging.getLogger(__name__)

BINS = {"可回收物": "蓝色桶", "有害垃圾": "红色桶", "厨余垃圾": "绿色桶", "其他垃圾": "灰色桶（有的小区是黑色桶）"}
ICONS = {"可回收物": "♻️", "有害垃圾": "☣️", "厨余垃圾": "🥬", "其他垃圾": "🗑"}
TIPS = {
    "可回收物": "清空、洗净、晾干后投放，纸箱拆开压扁，瓶罐压扁省空间。",
    "有害垃圾": "轻放，保持完整，不要拆开或打碎；有液体的拧紧盖子。",
    "厨余垃圾": "沥干水分，把塑料袋、餐盒、牙签等杂物挑出去再投放。",
    "其他垃圾": "尽量沥干；能回收的部分（如外包装纸箱）拆出来单独投放。",
}
ITEM_TIPS = (  # (pattern on the name, category it applies to, tip): more useful than the category's
    (r"电池", "有害垃圾", "充电电池、纽扣电池、蓄电池含重金属，请完整投放，别拆开；普通无汞干电池属于其他垃圾。"),
    (r"电池", "其他垃圾", "普通无汞干电池属于其他垃圾；充电电池、纽扣电池才是有害垃圾，要投红色桶。"),
    (r"灯管|荧光灯|节能灯|日光灯", "有害垃圾", "灯管易碎且含汞，请用纸包好，完整投放。"),
    (r"灯泡|白炽|LED", "其他垃圾", "普通灯泡属于其他垃圾；节能灯、荧光灯管含汞，属于有害垃圾。"),
    (r"灯泡|灯$", "有害垃圾", "节能灯、荧光灯含汞，请包好完整投放；分不清是哪种灯泡时，投红色桶最稳妥。"),
    (r"药", "有害垃圾", "过期药品连同药板、药瓶一起投放，不要倒进下水道。"),
    (r"油漆|杀虫|农药|消毒", "有害垃圾", "连同容器一起投放，盖紧盖子，不要倒进下水道。"),
    (r"大骨|棒骨|筒骨|[猪牛羊]骨", "其他垃圾", "大骨头太硬，粉碎不了，属于其他垃圾；鸡骨、鱼骨等小骨头属于厨余垃圾。"),
    (r"[鸡鸭鹅鱼]骨|鱼刺", "厨余垃圾", "小骨头属于厨余垃圾；猪牛羊的大骨头属于其他垃圾。"),
    (r"贝|螺|蚌|蚝|椰子壳|榴莲壳", "其他垃圾", "贝壳、椰子壳等硬壳难以粉碎，属于其他垃圾；蛋壳、虾壳属于厨余垃圾。"),
    (r"核$|壳$", "厨余垃圾", "果核、瓜子壳、蛋壳属于厨余垃圾；贝壳、椰子壳、榴莲壳等硬壳属于其他垃圾。"),
    (r"纸巾|卫生纸|餐巾纸|湿巾", "其他垃圾", "纸巾遇水即溶，不能回收，属于其他垃圾。"),
    (r"杯|奶茶", None, "杯里剩的饮料先倒进下水口，珍珠、果粒等残渣投厨余垃圾，杯子再按材质投放。"),
    (r"外卖|餐盒|饭盒", None, "剩饭剩菜倒进厨余垃圾，餐盒再按材质投放。"),
    (r"快递|纸箱|纸盒", "可回收物", "撕掉胶带和面单（面单属于其他垃圾），压扁后投放。"),
    (r"衣|裤|鞋|被", "可回收物", "洗净打包投放，也可以放进小区的旧衣回收箱。"),
    (r"玻璃|镜", None, "碎玻璃、碎镜片请用纸包好，注明「小心碎玻璃」，以免划伤清运人员。"),
)
GENERAL_RULE = (
    "一般规则：纸、塑料、玻璃、金属、衣物等能回收利用的→可回收物（蓝色桶）；"
    "充电电池、灯管、药品、油漆等→有害垃圾（红色桶）；剩菜剩饭、果皮菜叶→厨余垃圾（绿色桶）；"
    "其余→其他垃圾（灰色桶）。"
)
MEANING = {
    "可回收物": "废纸、塑料、玻璃、金属、旧衣物等适宜回收利用的物品",
    "有害垃圾": "充电电池、纽扣电池、灯管、过期药品、油漆、杀虫剂、水银温度计等有害物品及其包装",
    "厨余垃圾": "剩菜剩饭、瓜果皮核、菜叶、过期食品、花草落叶等易腐烂的垃圾（以前也叫湿垃圾）",
    "其他垃圾": "纸巾、尿不湿、烟头、陶瓷碎片、大骨头、贝壳等难以回收的垃圾（以前也叫干垃圾）",
}
CATEGORY_WORD = re.compile(r"湿垃圾|干垃圾|可回收物|可回收垃圾|有害垃圾|厨余垃圾|其他垃圾|餐厨垃圾")
SURE = ("exact", "alias", "trimmed", "pinyin", "category")


def register(bot):
    """Explicit questions by pattern, bare item names, and nlp's garbage intent."""
    bot.command(QUESTION_PATTERN)(answer_question)
    bot.message("text")(answer_bare_item)
    bot.intent("garbage")(answer_intent)
    bot.menu("GARBAGE_HELP")(explain)


@in_local_words
def answer_question(message, context):
    """「X是什么垃圾」「X扔哪个桶」…; a weak form (「X怎么处理」) only when every X is listed."""
    text = context.text or ""
    if not is_question(text):
        return None
    matches = _lookups(context, item_phrases(text))
    if not matches or (not is_question(text, weak=False) and any(m.item is None and not m.category for m in matches)):
        return None
    return _answer(context, matches)


@in_local_words
def answer_bare_item(message, context):
    """A message that is only item names (「奶茶杯」「电池、纸巾」「电弛」) and not another feature's."""
    text = TAIL.sub("", (context.text or "").strip())
    if not 2 <= len(text) <= 20 or context.understanding.intent not in (None, "garbage"):
        return None
    matches = _lookups(context, item_phrases(text))
    if not matches or not all(m.how in SURE and _close(m) for m in matches):
        return None
    return _answer(context, matches)


def _close(match):
    """Unasked, a homophone counts only as a one-character slip (「电弛」, not 「你好」 for some 泥蚝)."""
    name, query = match.item.name if match.item else "", match.query
    return match.how != "pinyin" or (len(name) == len(query) and sum(a != b for a, b in zip(name, query, strict=True)) <= 1)


@in_local_words
def answer_intent(message, context):
    """nlp says it is about garbage sorting: its item phrases, else ours, else the rules."""
    entities = context.understanding.entities
    phrases = entities.get("items") or item_phrases(context.text or "")
    matches = _lookups(context, phrases) if phrases else []
    if matches and (entities.get("items") or any(m.item or m.category for m in matches)):
        return _answer(context, matches)  # an item read out of a longer question counts only when it is known
    word = CATEGORY_WORD.search(context.text or "")
    return _category(normalise_category(word.group())) if word else explain(message, context)


@in_local_words
def explain(message, context):
    """How to ask, and the four categories."""
    context.intent = "garbage"
    return "发物品名称就能查分类，比如「电池是什么垃圾」「奶茶杯扔哪个桶」，一次可以问几样。\n" + GENERAL_RULE


def _lookups(context, phrases):
    index = context.garbage.index(context.session)
    return [index.lookup(phrase) for phrase in phrases[:5]]


def _answer(context, matches):
    """One block per item; unknown ones are logged for staff, the general rule said once."""
    context.intent = "garbage"
    blocks = [_block(context, match) for match in matches]
    log.info("garbage answer: %s", ",".join(m.how for m in matches))
    if any(m.item is None and not m.category for m in matches):
        blocks.append(GENERAL_RULE)
    return "\n\n".join(blocks)


def _block(context, match):
    if match.category:
        return _category(match.category)
    if match.item is not None:
        return _known(match)
    suggestion = match.suggestions[0].name if match.suggestions else None
    dictionary.remember_unknown(context.session, match.query, suggestion)
    if match.suggestions:
        lines = "\n".join(f"· {s.name} → {s.category}" for s in match.suggestions)
        return f"❓ 暂未收录「{match.query}」，已记下。您是不是想问：\n{lines}"
    return f"❓ 暂未收录「{match.query}」，已记下，工作人员会尽快补充。"


def _known(match):
    """【category】name, the bin, one tip (staff's own tip first)."""
    item, category = match.item, match.item.category
    read_as = f"（按「{item.name}」回答您问的「{match.query}」）" if match.how in ("head", "pinyin") else ""
    tip = item.tip or next((t for pattern, cat, t in ITEM_TIPS if cat in (None, category)
                            and re.search(pattern, item.name)), TIPS[category])
    return f"{ICONS[category]}【{category}】{item.name}{read_as}\n投放：{BINS[category]}\n小贴士：{tip}"


def _category(category):
    return f"{ICONS[category]}【{category}】投放{BINS[category]}：{MEANING[category]}。\n小贴士：{TIPS[category]}"
