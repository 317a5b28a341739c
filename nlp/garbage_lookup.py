"""Find the garbage item a resident means: exact, alias, head noun, homophone, near miss.

Pure (no Flask, no database). GarbageIndex is built once per process from the dictionary rows
(name, category, aliases, tip, sources); a lookup is a handful of dictionary probes over the
phrase's substrings, so it costs microseconds. Questions are read by item_phrases():
"请问用过的纸巾和电池分别是什么垃圾呀" -> ["用过的纸巾", "电池"].
"""

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlp.pinyin import pinyin

CATEGORIES = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
CATEGORY_ALIASES = {"湿垃圾": "厨余垃圾", "干垃圾": "其他垃圾", "可回收垃圾": "可回收物", "可回收": "可回收物",
                    "厨余": "厨余垃圾", "其他": "其他垃圾", "其它": "其他垃圾", "有害": "有害垃圾", "可回收的": "可回收物",
                    "有毒垃圾": "有害垃圾", "餐厨垃圾": "厨余垃圾", "厨房垃圾": "厨余垃圾", "其它垃圾": "其他垃圾",
                    **{c: c for c in CATEGORIES}}
_KIND = "|".join(sorted(CATEGORY_ALIASES, key=len, reverse=True))
_WHICH = r"(什么|啥子?|哪种|哪一种|哪类|哪一类|哪个|哪一个|哪样|几类|那一类|那一种|那类)"  # 那 for 哪: a common slip
_GARBAGE = r"(垃圾|拉圾|垃级|拉级|垃极|垃鸡|辣鸡|腊鸡|垃扱)"  # and the ways it gets mistyped
_THROW = r"(扔|丢|放|投放|投|倒|分)(进|到|在|入|去)?"
# The ways a sorting question ends; what comes before is the item part.
ASK = (rf"(是|属于|算|算是|归|归于|应该是|应该属于|该属于)?{_WHICH}(类|种|类型)?的?({_GARBAGE}|分类|类别|类型)"
       rf"|(是|属于|算)?{_WHICH}(类|种)|(是|属于|算|归)?(哪类|哪一类|哪种|哪一种|什么类|啥类|那一类|那类)(别|型)?"
       rf"|(要|应该|应|该|得)?{_THROW}{_WHICH}(颜色)?的?{_GARBAGE}?(桶|箱|里|里面|地方)?"
       r"|(要|应该|应|该|得)?(扔|丢|投放|投)(进|到|在|入|去)?(哪里|哪儿|哪|什么地方)"
       r"|(要|应该|该)?(怎么|咋个?|啷个|如何)(扔|丢|投放|分类|归类|分)"
       rf"|(是|属于|算)?({_KIND})(还是|或者|或是)({_KIND})"
       rf"|(是|属于|算|算是)({_KIND})(吗|嘛|么|不|没|哇|噻)"
       r"|(能|可以|可)(不能|不可以)?回收(吗|嘛|么|不)?"
       rf"|(能|可以|可|能不能|可不可以)(放|丢|扔|投|当)?(进|到|在)?({_KIND})的?(桶|箱|垃圾桶)?(里|里面)?(丢|扔|放)?(吗|嘛|么|不|没)?"
       rf"|(是不是|是否|算不算|属不属于)({_KIND}|可以回收的?|能回收的?)")
WEAK_ASK = r"(要|应该|该)?(怎么|咋个?|啷个|如何)处理|(的)?垃圾分类"  # said of other things too: known items only
END = r"[呀啊哦噢呢嘛哇喃哟嗦撒咧吧?？!！。.,，~～\s]*"
QUESTION_PATTERN = rf"\s*(?P<items>[^?？]{{1,40}}?)(?P<ask>{ASK}|{WEAK_ASK}){END}"
PREFIX = re.compile(r"^(请问一?下?|我想问一?下|问一?下|麻烦问?一?下|请教一?下|你好|您好|小津|津管家|那么?|还有|垃圾分类)"
                    r"[，,:：\s]*")
SUFFIX = re.compile(rf"(分别|各自|都|又|到底|究竟)?({ASK}|{WEAK_ASK})$")
TAIL = re.compile(END + "$")
SEPARATORS = re.compile(r"[、,，;；/\s]+")
CONJUNCTIONS = re.compile(r"还有|以及|或者|和|与|及|或")
PRONOUN = re.compile(r"(这|那|它|这个|那个|这些|那些|这种|那种|这东西|这玩意儿?)")
MODIFIERS = re.compile(r"^(用过的?|用完的?|用剩的?|吃剩的?|吃完的?|喝完的?|喝剩的?|穿旧的?|穿破的?|废旧的?|废弃的?|旧的?|坏的?|"
                       r"坏了的|坏掉的|破的?|破了的|烂的?|烂了的|过期的?|脏的?|空的?|碎的?|一(个|只|块|张|袋|瓶|盒|根|片|把|堆|些)|"
                       r"这个|那个|这种|那种|这些|那些|我的|家里的?|小孩的?|家里用的)+")
# What happened to it, said after the item: 碗打烂了, 电池鼓包了, 药没吃完过期了.
STATE = re.compile(r"(没|没有)?(打|摔|弄|搞|吃|喝|用)?(烂|碎|坏|破|断|完|剩)(了|掉了)?$|(过期|没电|鼓包|发霉|生虫|变质|坏掉|用不了)了?$")
MEDICINE = re.compile(r"药(片|丸|水|膏|品)?(没吃完|吃剩|吃不完|过期|用完|$)|头孢|布洛芬|阿莫西林|美林|泰诺|感冒灵|板蓝根|胶囊$|冲剂$")
SMALL_BONES = re.compile(r"鸡|鸭|鹅|鱼|虾|蟹|鸭脖|鸡爪|凤爪|排骨")
# Where it might go is not what it is: 「湿巾能不能丢马桶」 asks about 湿巾.
_SINK = r"(丢|冲|倒|扔)(进|到)?(马桶|下水道|厕所|水池|下水)(里|里面)?"
DESTINATION = re.compile(rf"((能|可以|能不能|可不可以){_SINK}(吗|嘛|么|不|没)?|{_SINK}(吗|嘛|么|不|没))$")  # asked, not told
OTHERWISE = re.compile(r"[，,]\s*(不(能|行)的话|那|那么|还是说).{0,10}$")
CONTAINER = re.compile(r"(瓶|罐|桶|盒|袋|管|包装)子?$")
FRAGMENTS = re.compile(r"(的)?(碎片|碎块|碎渣|残渣|渣子|盖子|壳子|外壳|包装|袋子)$")


@dataclass(frozen=True)
class Item:
    name: str
    category: str
    tip: str = ""


@dataclass(frozen=True)
class Match:
    query: str
    item: Item | None
    how: str  # exact | alias | trimmed | head | pinyin | category | fuzzy | none
    suggestions: tuple = ()  # Items offered as "您是不是想问…"
    category: str | None = None  # for how == "category": the official name asked about


def key(text):
    """The form names are compared in: NFKC, lower case, no spaces ("ＬＥＤ 灯" -> "led灯")."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _parsed(rows):
    """(Item, aliases, weight) per row (name, category[, aliases[, tip[, sources]]])."""
    for name, category, aliases, tip, sources in (tuple(r) + ("", "", "")[: 5 - len(r)] for r in rows):
        weight = (-len((sources or "").split(",")), len(name))  # common, short names win a homophone
        yield Item(name, category, tip or ""), [a for a in (aliases or "").split("|") if a], weight


class GarbageIndex:
    """In-memory index of the dictionary, built once and replaced when staff change an item."""

    def __init__(self, rows, version=None):
        self.version = version
        self.items, self.aliases, self.by_pinyin, self.by_gram = {}, {}, {}, {}
        self._add(sorted(_parsed(rows), key=lambda parsed: parsed[2]))
        self.longest = max((len(n) for n in self.items), default=1)

    def _add(self, parsed):
        """Index items (earlier ones keep a shared alias or homophone)."""
        for item, aliases, _ in parsed:
            self.items[key(item.name)] = item
            self.by_pinyin.setdefault(" ".join(syllables(key(item.name))), item)
            for alias in map(key, aliases):
                self.aliases.setdefault(alias, item)
                self.by_pinyin.setdefault(" ".join(syllables(alias)), item)
            name = key(item.name)
            for gram in {name[i:i + 2] for i in range(len(name) - 1)} or {name}:
                self.by_gram.setdefault(gram, []).append(name)

    def updated(self, rows, version=None):
        """A copy with these rows added or changed (staff edits); this index stays as it was."""
        parsed = list(_parsed(rows))
        new = GarbageIndex((), version)
        changed = {self.items[key(i.name)]: i for i, _, _ in parsed if key(i.name) in self.items}
        new.items = {k: changed.get(v, v) for k, v in self.items.items()}
        new.aliases = {k: changed.get(v, v) for k, v in self.aliases.items()}
        new.by_pinyin = {k: changed.get(v, v) for k, v in self.by_pinyin.items()}
        new.by_gram = {k: list(v) for k, v in self.by_gram.items()}
        new._add([p for p in parsed if p[0] not in changed.values()])
        for item, aliases, _ in parsed:  # staff aliases win over shipped ones
            new.aliases.update(dict.fromkeys(map(key, aliases), item))
        new.longest = max([self.longest, *(len(i.name) for i, _, _ in parsed)])
        return new

    def __len__(self):
        return len(self.items)

    def known(self, name):
        """The item with exactly this name or alias, else None."""
        name = key(name)
        return self.items.get(name) or self.aliases.get(name)

    def lookup(self, phrase):
        """The best reading of one item phrase."""
        query = key(phrase).strip("的")
        if query in CATEGORY_ALIASES:
            return Match(phrase, None, "category", category=CATEGORY_ALIASES[query])
        if query in self.items or query in self.aliases:
            return Match(phrase, self.known(query), "exact" if query in self.items else "alias")
        core = MODIFIERS.sub("", query) or query
        family = self._family(phrase, core)
        if family:
            return family
        before, _, head = core.rpartition("的")
        for candidate in (query.replace("的", ""), core, head, FRAGMENTS.sub("", core), _stateless(core), _stateless(head)):
            if candidate and self.known(candidate):
                return self._contents(phrase, before, candidate) or Match(phrase, self.known(candidate), "trimmed")
        whole = self.by_pinyin.get(" ".join(syllables(core)))
        if whole:
            return Match(phrase, whole, "pinyin")
        after = self._head(phrase, head) if before and len(head) >= 2 else None  # 笔记本电脑的电池鼓包了: the 电池
        return after or self._head(phrase, core) or self._sounds_like(phrase, core) or self._near(phrase, core)

    def _family(self, phrase, core):
        """Whole families the dictionary holds one entry for: medicines, mercury, rechargeable cells, small bones."""
        for pattern, name in ((MEDICINE, "过期药品"), (re.compile("水银|含汞"), "水银温度计"),
                              (re.compile("充电.{0,4}电池|电池.{0,2}充电"), "充电电池")):
            if pattern.search(core) and self.known(name):
                return Match(phrase, self.known(name), "trimmed")
        if re.search("骨头?$", core) and SMALL_BONES.search(core) and self.known("小骨头"):
            return Match(phrase, self.known("小骨头"), "trimmed")
        return None

    def _contents(self, phrase, before, head):
        """"装过农药的瓶子": a container of hazardous waste is hazardous waste (its packaging is too)."""
        if before and CONTAINER.search(head):
            found = self._head(phrase, before + "的")
            if found and found.item.category == "有害垃圾":
                return found
        return None

    def _head(self, phrase, query):
        """Longest known word inside the phrase; at equal length the last (Chinese heads are final)."""
        for size in range(min(len(query) - 1, self.longest), 1, -1):
            for start in range(len(query) - size, -1, -1):
                item = self.known(query[start:start + size])
                if item:
                    return Match(phrase, item, "head")
        return None

    def _sounds_like(self, phrase, query):
        """A homophone typo inside a longer phrase ("坏掉的打隐机墨盒"), three syllables at least."""
        sounds = syllables(query)
        for size in range(len(sounds) - 1, max(3, (len(sounds) + 1) // 2) - 1, -1):
            for start in range(len(sounds) - size, -1, -1):
                item = self.by_pinyin.get(" ".join(sounds[start:start + size]))
                if item:
                    return Match(phrase, item, "pinyin")
        return None

    def _near(self, phrase, query):
        """Up to three listed names close in spelling, offered rather than assumed."""
        grams = {query[i:i + 2] for i in range(len(query) - 1)}
        candidates = {name for gram in grams for name in self.by_gram.get(gram, ())}
        found = process.extract(query, candidates, scorer=fuzz.ratio, limit=3, score_cutoff=60) if candidates else []
        suggestions = tuple(self.items[name] for name, _, _ in found)
        return Match(phrase, None, "fuzzy" if suggestions else "none", suggestions)


# Emoji and pictographs (with the joiners and variation selectors of emoji sequences); <, > and = are not among them.
PICTOGRAPHS = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u3297\u3299\ufe0f\u200d]")


def without_symbols(text):
    """The text without emoji and other pictographs (「西瓜皮丢哪个桶🍉」 asks about 西瓜皮)."""
    return PICTOGRAPHS.sub("", text).strip()


def strip_question(text):
    """The item part of a question: "请问电池是什么垃圾呀" -> "电池" ("" if nothing is left)."""
    core = TAIL.sub("", PREFIX.sub("", OTHERWISE.sub("", without_symbols(text))))
    core = SUFFIX.sub("", core).strip()
    return DESTINATION.sub("", core).strip() or core


def _stateless(phrase):
    """The item without what happened to it (碗打烂了 -> 碗, 药没吃完过期了 -> 药)."""
    for _ in range(3):
        phrase = STATE.sub("", phrase)
    return phrase


def is_question(text, weak=True):
    """Does the text end like a garbage-sorting question (weak: also "X怎么处理")?"""
    text = OTHERWISE.sub("", without_symbols(text))
    if DESTINATION.search(text):
        return True  # 「湿巾能不能丢马桶」: whether it may go down the toilet is a sorting question
    match = re.fullmatch(QUESTION_PATTERN, text)
    return bool(match) and (weak or not re.fullmatch(WEAK_ASK, match["ask"]))


def item_phrases(text):
    """The item phrases in a question: "电池和塑料袋分别是什么垃圾" -> ["电池", "塑料袋"]."""
    phrases = []
    for chunk in SEPARATORS.split(strip_question(text)):
        parts = CONJUNCTIONS.split(chunk)
        phrases += parts if all(len(p) > 1 for p in parts) else [chunk]  # "高跟鞋", "糖和藕粉" stay whole
    phrases = [p.strip("的") for p in phrases]
    return [p for p in phrases if p and len(p) <= 20 and not (PRONOUN.fullmatch(p) or MODIFIERS.fullmatch(p))][:5]


def syllables(text):
    """Toneless pinyin per character ("电池" -> ["dian", "chi"])."""
    return [pinyin(char) for char in text]


def normalise_category(word):
    """Official category name for a word residents use (湿垃圾 -> 厨余垃圾), else None."""
    return CATEGORY_ALIASES.get(key(word or ""))


def read_item_names(path=None):
    """Item names and the other words residents use for them, from the shipped dictionary file (for the
    tokenizer and bare-item questions), in the form names are compared in (key())."""
    from pathlib import Path

    path = path or Path(__file__).resolve().parent / "data" / "garbage_items.tsv"
    words = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith(("#", "name\t")) or not line.strip():
                continue
            name, _, aliases, *_ = line.rstrip("\n").split("\t") + ["", ""]
            words += [key(name), *(key(a) for a in aliases.split("|") if a)]
    return list(dict.fromkeys(words))


BARE_PREFIX = re.compile(r"^(废|坏|旧|烂|破|空|脏|剩)(?=..)")  # 废铁锅, 烂铁锅: what it is comes after
DOUBLED = re.compile(r"(.)\1$")  # 罐罐, 瓶瓶, 皮皮: Chongqing doubles a final noun
DESCRIBED = re.compile(r"^([^的]{0,2}(起来|下来|过|完|剩|坏|烂|碎|破|扫|捡|拆|换|掉|生虫|发霉|变质|过期)了?|宠物狗?|猫咪?|狗狗?|娃儿|孩子|宝宝|老人|奶奶|爷爷)的")
STALE = re.compile(r"(过期|没电|用完|吃完|喝完|吃剩|发霉|生虫|变质)了?$")  # said after a bare item; 坏了/破了 make a report
HOLDER = re.compile(r"(瓶|罐|桶|盒|袋|管|壳|皮|渣|盖|包装)子?$")  # 杀虫剂罐: the container of a listed thing


def bare_item(text, names):
    """The item a message names and nothing else ("纸板", "用过的口罩。", "废铁锅", "杀虫剂罐罐"), or None.

    names: item names and aliases as key() gives them."""
    text = without_symbols(text)
    core = key(TAIL.sub("", PREFIX.sub("", text.strip())))
    if not 2 <= len(core) <= 20:
        return None
    plain = BARE_PREFIX.sub("", MODIFIERS.sub("", DOUBLED.sub(r"\1", core)))
    described = DESCRIBED.sub("", plain)  # 扫起来的落叶, 宠物狗的尿垫: what it is comes after 的
    for candidate in (core, MODIFIERS.sub("", core), plain, HOLDER.sub("", plain), described, core.replace("的", ""),
                      STALE.sub("", described)):
        if len(candidate) >= 2 and candidate in names:
            return core
    if any(plain[:i] in names and plain[i:] in names for i in range(2, len(plain) - 1)):
        return core  # 鱼鳞鱼内脏: two items typed together
    return None
