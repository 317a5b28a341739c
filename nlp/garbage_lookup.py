"""Find the garbage item a resident means: exact, alias, head noun, homophone, near miss.

Pure (no Flask, no database): build a GarbageIndex from (name, category, aliases) rows once per
process; lookups are dictionary probes over the phrase's substrings, so they cost microseconds.
"""

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from nlp.pinyin import pinyin

CATEGORY_ALIASES = {"湿垃圾": "厨余垃圾", "干垃圾": "其他垃圾", "可回收垃圾": "可回收物", "可回收": "可回收物",
                    "有毒垃圾": "有害垃圾", "餐厨垃圾": "厨余垃圾", "厨房垃圾": "厨余垃圾"}
PREFIX = re.compile(r"^(请问一?下?|我想问一?下|问一?下|麻烦问一?下|你好|您好|小津|津管家)[，,\s]*")
SUFFIX = re.compile(
    r"(是|属于|算|归|应该是|应该|该|要)?(扔|丢|放|投)?(进|到|在|入)?"
    r"(什么|啥子?|哪种|哪一种|哪类|哪一类|哪个|哪)(子)?(类|种)?(的)?(垃圾|桶|分类|类别|颜色的?桶)?$"
    r"|(要|应该)?(怎么|咋个?|啷个|如何)(扔|丢|分类?|处理|分)$"
    r"|(是|属于)?(干垃圾还是湿垃圾|湿垃圾还是干垃圾)$|(的)?(垃圾)?分类$"
    r"|(是|属于|算)(可回收物|可回收垃圾|有害垃圾|厨余垃圾|其他垃圾|湿垃圾|干垃圾)(吗|不|没|嘛)?$"
    r"|(该|要|应该)?(扔|丢|放|投)(到|在|进)?(哪里|哪儿|哪)$"
)
TAIL = re.compile(r"[呀啊哦呢嘛哇喃哟嗦撒?？!！。，,~～\s]+$")
SPLIT = re.compile(r"[、,，;；/和与跟及]|还有|以及|或者|或")
MODIFIERS = re.compile(r"^(用过的|用完的|吃剩的|吃完的|喝完的|废旧的?|废弃的?|旧的?|坏的?|坏了的|破的?|过期的?|"
                       r"一(个|只|块|张|袋|瓶|盒|根|片|把|堆)|这个|那个|这种|那种|我的|家里的?)+")


@dataclass(frozen=True)
class Item:
    name: str
    category: str


@dataclass(frozen=True)
class Match:
    query: str
    item: Item | None
    how: str  # exact | alias | head | pinyin | fuzzy | none
    suggestions: tuple = ()


def _pinyin(text):
    return pinyin(text)


class GarbageIndex:
    """In-memory index of the dictionary, built once and replaced when staff change an item."""

    def __init__(self, rows, version=None):
        self.version = version
        self.items, self.aliases = {}, {}
        for name, category, aliases in rows:
            item = Item(name, category)
            self.items[name] = item
            for alias in filter(None, (aliases or "").split("|")):
                self.aliases.setdefault(alias, item)
        self.by_pinyin = {}
        for name in self.items:
            self.by_pinyin.setdefault(_pinyin(name), name)
        self.names = list(self.items)
        self.by_char = {}
        for name in self.names:
            for char in set(name):
                self.by_char.setdefault(char, []).append(name)
        self.longest = max((len(n) for n in self.items), default=1)

    def __len__(self):
        return len(self.items)

    def known(self, name):
        """The item with exactly this name or alias, else None."""
        return self.items.get(name) or self.aliases.get(name)

    def lookup(self, phrase):
        """The best reading of one item phrase."""
        query = MODIFIERS.sub("", phrase.strip()) or phrase.strip()
        for candidate in dict.fromkeys((phrase.strip(), query)):
            item = self.known(candidate)
            if item:
                return Match(phrase, item, "exact" if candidate in self.items else "alias")
        item = self._head(query)
        if item:
            return Match(phrase, item, "head")
        name = self.by_pinyin.get(_pinyin(query))
        if name:
            return Match(phrase, self.items[name], "pinyin")
        return self._fuzzy(phrase, query)

    def _head(self, query):
        """Longest known item inside the phrase, preferring one at its end (Chinese heads are final)."""
        best = None
        for size in range(min(len(query) - 1, self.longest), 1, -1):
            for start in range(len(query) - size, -1, -1):
                item = self.known(query[start:start + size])
                if item and (best is None or start + size == len(query)):
                    if start + size == len(query):
                        return item
                    best = best or item
            if best:
                return best
        return best

    def _fuzzy(self, phrase, query):
        if len(query) < 2:
            return Match(phrase, None, "none")
        candidates = {name for char in set(query) for name in self.by_char.get(char, ())}
        found = process.extract(query, candidates, scorer=fuzz.ratio, limit=3, score_cutoff=60)
        suggestions = tuple(name for name, score, _ in found)
        return Match(phrase, None, "fuzzy" if suggestions else "none", suggestions)


def strip_question(text):
    """The item part of a question: "请问电池是什么垃圾呀" -> "电池" ("" if nothing is left)."""
    core = PREFIX.sub("", text.strip())
    core = TAIL.sub("", core)
    core = re.sub(r"(分别|各自|都)(是|属于)?", "", core)
    return SUFFIX.sub("", core).strip()


def is_question(text):
    """Does the text end like a garbage-sorting question?"""
    core = TAIL.sub("", text.strip())
    return core != SUFFIX.sub("", core) and re.search(r"垃圾|桶|分类|哪一?类|可回收|(扔|丢|放|投)", core) is not None


def item_phrases(text):
    """The item phrases in a question: "电池和塑料袋分别是什么垃圾" -> ["电池", "塑料袋"]."""
    parts = [p.strip(" 的") for p in SPLIT.split(strip_question(text))]
    return [p for p in parts if p and len(p) <= 20][:5]


def normalise_category(word):
    """Official category name for a word residents use (湿垃圾 -> 厨余垃圾)."""
    return CATEGORY_ALIASES.get(word, word)


def read_item_names(path=None):
    """Item names from the shipped dictionary file (for the tokenizer and bare-item questions)."""
    from pathlib import Path

    path = path or Path(__file__).resolve().parent / "data" / "garbage_items.tsv"
    with open(path, encoding="utf-8") as handle:
        return [line.split("\t", 1)[0] for line in handle if not line.startswith(("#", "name\t")) and line.strip()]
