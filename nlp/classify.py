"""Intent and report category from keyword weights: honest "no idea" rather than a guess."""

import copy
import re
from dataclasses import dataclass, field

from nlp import entities, evidence, followup, smalltalk, tables
from nlp.garbage_lookup import (
    MODIFIERS,
    TAIL,
    bare_item,
    is_question,
    item_phrases,
    key,
    syllables,
    without_symbols,
)

REPORT_INTENT = "report"
COMMANDS = ("status", "quiz", "supervisor", "help")
THANKS = smalltalk.THANKS
CATEGORY_TALK = re.compile(r"湿垃圾|干垃圾|可回收物|有害垃圾|厨余垃圾|其他垃圾|垃圾分类")
MALFORMED_TICKET = re.compile(r"JJ\s?\d{8,11}(?!\d)", re.I)
ASKS_TO_PARK = re.compile(r"(可以|能|能不能|可不可以)停")
LOT_COMPLAINT = re.compile(r"多收|乱收|扣了钱|多扣|收贵了|还说我欠费|比牌子上|地锁[^，。！？]{0,4}锁|锁起的|不开放|没开放|"
                           r"不让(我们?)?停|喊我走|说好[^，。！？]{0,8}开放|(扫|付|缴|交)不(出来|了)|不抬杆|抬不起|道闸|"
                           r"高于(公示|标准)|不(给|开|出具)(票|发票|票据)|没(得|有)工作牌|乱收费")  # a lot that broke its word or overcharged
SORTING = re.compile(r"(丢|扔|投|放|装)(到|进|在|去)?哪(个|种|一种|类|一类|样)?(颜色的?)?(垃圾)?桶|(该|应该|要)(丢|扔|投|放)(到|进)?哪|"
                     r"(分别|各自)(该|应该|要)?(咋个|怎么|如何)?(扔|丢|放|投|分)|(怎么|咋个|如何)(分类|分)(扔|丢|一下)?|"
                     r"帮我分一下|分不清|分错|搞不清楚?[^，。！？]{0,6}(丢|扔|放)|(是|属于)哪(一)?类|哪些(是|算|属于)|"
                     r"(咋个?|怎么|如何)(丢|扔|投放)|(投放|扔|丢|放)(至|到|进)?(何种|哪种|什么)(垃圾)?桶")
LAST_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?\s]*$")
OFFICIAL = r"(可回收物|可回收垃圾|有害垃圾|厨余垃圾|其他垃圾|湿垃圾|干垃圾)"
EITHER_OR = re.compile(rf"(是|属于|算)?{OFFICIAL}(还是|或者|或是){OFFICIAL}[呀啊哦呢嘛?？]*$")
GREETING = re.compile(r"(你好|您好|早上好|上午好|中午好|午安|下午好|晚上好|晚安|哈喽|嗨|喂|hello|hi)+[呀啊哦嘛]?[\s，。！!,.~]*"
                      r"(在吗|在不在|有人吗|有人没|在没)?[\s，。！!,.~？?]*", re.I)
DESCRIBED_ITEM = re.compile(r"[^\s，。！？,.!?的]{0,5}(了|过|剩|完|坏|破|烂|旧)[^\s，。！？,.!?的]{0,3}的"
                            r"(?P<item>[^\s，。！？,.!?的]{2,8})")  # what was done to it, then the item
NOISE_SOURCE = re.compile(r"施工|工地|打桩|电钻|电锯|切割|挖机|挖掘机|机器|店|馆|厂|酒吧|KTV|广场|音响|音箱|喇叭|"
                          r"广告|车|摊|市场|工程|装修|跳舞|唱歌|放歌")
IN_A_PARK = re.compile(r"(公园|广场)(?!舞|门口|大门|外面|外头|旁边|附近|对面|路)")
PARK_FIXTURES = ("road_damage",)  # paving inside a park or square is the park's; lamps stay the lamp service's
QUESTION = re.compile(r"哪里|哪儿|哪些|在哪|哪个|有没有|能不能|可不可以|可以.{0,6}[吗不]|几点|多久|多少钱|收费(?!员)|怎么|"
                      r"如何|预约|找个?(?!不到)|可以停|能停|停好久|了没有?(?=[\s，。！？,!?]|$)|[吗嘛呢？?]$|[不没]$")


@dataclass
class Understanding:
    """What a message means: intent (None = unsure), confidence, report category, entities."""

    intent: str | None
    confidence: float = 0.0
    category: str | None = None
    department: str | None = None
    entities: dict = field(default_factory=dict)


class Classifier:
    """Built once from the data tables; classify() is pure and allocation-light."""

    def __init__(self, tokenizer, garbage_names=frozenset(), fallback=None):
        self.tokenizer = tokenizer
        self.dialect = sorted(tables.pairs("dialect.tsv"), key=lambda p: -len(p[0]))
        self.categories = tables.categories()
        self.category_words = self._normalised(tables.keywords("category_keywords.tsv", set(self.categories)))
        self.category_patterns = tables.patterns("category_patterns.tsv", set(self.categories))
        self.intent_words = self._normalised(tables.keywords("intent_keywords.tsv"))
        intents = {label for claims in self.intent_words.values() for label, _ in claims}
        self.intent_patterns = tables.patterns("intent_patterns.tsv", intents)
        self.problem_words = {self.normalise(w): [("problem", 2.0)] for w in tables.words("problem_words.txt")}
        self.indexes = {name: evidence.KeywordIndex(getattr(self, name))
                        for name in ("category_words", "intent_words", "problem_words")}
        self.shipped_category_words = self.category_words
        self.garbage_names = garbage_names
        self.garbage_sounds = {" ".join(syllables(n)): n for n in garbage_names if 2 <= len(n) <= 8}
        self.fallback = fallback  # NaiveBayes over the labelled examples, asked when no keyword fires

    def keyword_claim(self, keyword):
        """Which shipped label already claims a keyword (read as messages are read), or None."""
        word = self.normalise(keyword.strip())
        for table in (self.shipped_category_words, self.intent_words):
            if word in table:
                return table[word][0][0]
        return None

    def with_staff_keywords(self, rows):
        """A classifier reading like this one plus staff's keywords [(keyword, category, weight)] (this
        one is left as it is). A keyword the shipped tables already claim is skipped (the dashboard
        refuses those when they are added); staff keywords have two characters or more, so they
        match as text and the shared tokenizer needs no new words."""
        table = dict(self.shipped_category_words)
        for keyword, category, weight in rows:
            word = self.normalise(keyword.strip())
            if len(word) < 2 or category not in self.categories or self.keyword_claim(word):
                continue
            table[word] = [(category, float(weight))]
        overlay = copy.copy(self)
        overlay.category_words = table
        overlay.indexes = {**self.indexes, "category_words": evidence.KeywordIndex(table)}
        return overlay

    def with_fallback(self, fallback):
        """A classifier like this one with another statistical fallback (cross-validation)."""
        other = copy.copy(self)
        other.fallback = fallback
        return other

    def normalise(self, text):
        """Chongqing speech and voice slips to the Mandarin the tables use (没得人 -> 没人)."""
        for source, target in self.dialect:
            if source in text:
                text = text.replace(source, target)
        return text

    def _normalised(self, table):
        """Keywords read the way messages are read (a dialect keyword would otherwise never match)."""
        merged = {}
        for keyword, claims in table.items():
            weights = dict(merged.get(self.normalise(keyword), ()))
            for label, weight in claims:  # "路等" and "路灯" are one word: count it once
                weights[label] = max(weight, weights.get(label, 0.0))
            merged[self.normalise(keyword)] = list(weights.items())
        return merged

    def evidence(self, text):
        """Keyword scores of a normalised message, negated clauses left out."""
        tokens = set(self.tokenizer.lcut(text)) if len(text) < 400 else set()
        spans = evidence.negated_spans(text, self.problem_words)
        found = evidence.Evidence(resolved=bool(spans))
        found.problem = 2.0 * len(self.indexes["problem_words"].matches(text, None, spans))
        intents = evidence.as_places(self.indexes["intent_words"].matches(text, tokens, spans), text)
        intents += evidence.pattern_matches(self.intent_patterns, text, spans)
        intents = evidence.not_the_topic(intents, text, found.problem >= 2)
        evidence.add(found.intents, None, intents)
        _rank_for_its_owner(found.intents)
        if GREETING.fullmatch(text):  # a bare greeting, not the 晚上好 in "晚上好停车不"; no more than a keyword
            found.intents["help"] = max(found.intents.get("help", 0.0), 4.0)
        categories = self.indexes["category_words"].matches(text, tokens, spans)
        categories += evidence.pattern_matches(self.category_patterns, text, spans)
        evidence.add(found.categories, found.first, evidence.as_places_of_others(categories, text))
        if spans and not found.categories and found.problem >= 2 and len(text) <= 80:  # "井盖修好了 旁边又有一个不见了"
            evidence.add(found.categories, found.first, self.indexes["category_words"].matches(text, tokens, []))
        return found

    def classify(self, text):
        """The Understanding of one message."""
        text = (text or "").strip()
        found = entities.extract(text)
        if not text:
            return Understanding(None, 0.0, entities=found)
        if found["tickets"]:
            return Understanding("status", 0.95, entities=found)
        talk = smalltalk.topic(text)  # before the dialect pass: 「电话是好多」 asks how much, 好多 is not 很多
        text = self.normalise(text)
        if talk in ("ack", "greeting"):  # 「好的」「收到」, 「你好 在吗」: a word back, never a report
            return Understanding("out_of_scope" if talk == "ack" else "help", 0.8, entities={**found, "topic": talk})
        if MALFORMED_TICKET.search(text):  # JJ20261201009: a ticket number, one digit short
            return Understanding("status", 0.8, entities=found)
        ev = self.evidence(text)
        commanded = max(ev.intents.get("supervisor", 0.0), ev.intents.get("quiz", 0.0)) >= 6
        if followup.is_follow_up(text) and not commanded:  # "上回反映的路灯怎么还没修": their ticket, not a new one
            return Understanding("status", 0.85, entities=found)
        if talk == "hotline":
            return self._hotline(text, ev, found)
        return self._decide(text, ev, found)

    def _hotline(self, text, ev, found):
        """「12345电话多少」 asks for a number; 「路灯坏了三天了 打哪个电话」 is still the report, and says so."""
        decided = self._decide(text, ev, found)
        if decided.intent == "report" and ev.problem >= 2 and max(ev.categories.values(), default=0.0) >= 3:
            decided.entities = {**decided.entities, "topic": "hotline"}
            return decided
        return Understanding("help", 0.9, entities={**found, "topic": "hotline"})

    def _decide(self, text, ev, found):
        item = bare_item(text, self.garbage_names) or self._sounds_like_item(text)
        if item is not None and not self._names_a_problem(item):  # 「纸板」「荧光灯管」「快递盒」: a sorting question
            return Understanding("garbage", 0.85, entities={**found, "items": [item]})
        city = max(ev.categories.values(), default=0.0)
        best = max(ev.intents, key=ev.intents.get, default=None)
        strength = ev.intents.get(best, 0.0)
        items = self._asked_items(text, ev.problem)
        if items is not None:
            return Understanding("garbage", 0.9, entities={**found, "items": items})
        if SORTING.search(text) and (city < 5 or SORTING.search(LAST_SENTENCE.search(text).group())):
            return Understanding("garbage", 0.7, entities={**found, "items": []})  # what goes in which bin
        if best in COMMANDS and strength >= 4 and strength >= city:
            return Understanding(best, _confidence(strength), entities=found)
        asking = best in ("parking", "garbage", "quiz", "supervisor") and strength >= 3 and QUESTION.search(text)
        if THANKS.search(text) and (ev.problem < 2 or (ev.resolved and not ev.categories)) \
                and not ev.intents.get("status") and not asking:  # 「…能停不 谢谢」 is a polite question
            return Understanding("out_of_scope", 0.6, entities={**found, "topic": "thanks"})  # thanks, no new problem
        if best == "out_of_scope" and (strength > city + ev.problem / 2 or self._household_noise(text, ev, strength)):
            return Understanding("out_of_scope", _confidence(strength), entities=found)
        if CATEGORY_TALK.search(text) and (ev.problem < 2 or (QUESTION.search(text) and city < 3)):
            return Understanding("garbage", 0.7, entities={**found, "items": []})
        if best == "parking" and self._parking_question(text, ev):
            return Understanding("parking", _confidence(strength + 1), entities=found)
        if city >= 3 or (city >= 2 and ev.problem >= 2) or (ev.problem >= 2 and ev.categories):
            return self._report(ev, city + ev.problem, found, text)
        return self._weak(text, ev, best, strength, found)

    def _weak(self, text, ev, best, strength, found):
        """Little keyword evidence: a bare item, the statistical guess, or an honest no idea."""
        item = text if key(text) in self.garbage_names else self._described_item(text, ev) or self._item_head(text, ev)
        if item:
            return Understanding("garbage", 0.8, entities={**found, "items": [item]})
        if ev.resolved and not ev.categories and ev.problem < 2:
            return Understanding(None, 0.0, entities=found)  # "井盖没问题": nothing to act on
        if best in COMMANDS and strength >= 3:  # a keyword, however weak, outranks the statistics
            return Understanding(best, _confidence(strength), entities=found)
        guess = self._guess(text, found)
        if guess is not None and guess.intent in ("status", "out_of_scope") and ev.problem >= 2:
            guess = None  # a problem with no word of an earlier report or another bureau is the city's (asked)
        if guess is not None:
            return guess
        if ev.problem >= 2 or ev.categories.get("other"):
            return self._report(evidence.Evidence(categories={"other": 1.0}), ev.problem, {**found, "guessed": True})
        if best and strength >= 3:
            return Understanding(best, _confidence(strength), entities=found)
        return Understanding(None, 0.0, entities=found)

    def _sounds_like_item(self, text):
        """A short message that sounds like an item with one character mistyped (陶瓷随片, 矿泉水平), or None."""
        core = key(TAIL.sub("", without_symbols(text)))
        if not 3 <= len(core) <= 8:
            return None
        name = self.garbage_sounds.get(" ".join(syllables(core)))
        if name and len(name) == len(core) and sum(a != b for a, b in zip(name, core, strict=True)) <= 1:
            return core
        return None

    def _item_head(self, text, ev):
        """A short message with no other evidence whose last word is an item (南孚电池, 不锈钢锅), or None."""
        core = key(TAIL.sub("", without_symbols(text)))
        if len(core) > 10 or ev.categories or ev.problem or ev.intents:
            return None
        return core if any(core[i:] in self.garbage_names for i in range(1, len(core) - 1)) else None

    def _names_a_problem(self, word):
        """A bare word that is a strong report keyword of its own (地沟油, 渣土, 健身器材): a report's start."""
        return any(weight >= 5 for _, weight in self.category_words.get(word, ()))

    def _described_item(self, text, ev):
        """A bare item with what happened to it ("擦了鼻涕的餐巾纸", "坏了的节能灯泡"), or None."""
        match = DESCRIBED_ITEM.fullmatch(text)
        if match is None or ev.categories:
            return None
        return text if key(match["item"]) in self.garbage_names else None

    def _asked_items(self, text, problem):
        """The item phrases of a sorting question ([] = about the rules), None if it is not one."""
        if not is_question(text):
            return None
        core = EITHER_OR.sub("是什么垃圾", text)
        phrases = [p for p in item_phrases(core) if not CATEGORY_TALK.fullmatch(p)]
        if any(self._known_item(p) for p in phrases):
            return phrases
        if not is_question(text, weak=False):  # "驾照扣分怎么处理" is not about rubbish
            return None
        return phrases if problem < 4 else None

    def _known_item(self, phrase):
        """A dictionary item ends the phrase ("坏了的雨伞") or opens it ("水银温度计打碎了")."""
        core = key(MODIFIERS.sub("", phrase) or phrase)
        return (any(core[i:] in self.garbage_names for i in range(max(len(core) - 1, 1)))
                or any(core[:j] in self.garbage_names for j in range(3, len(core))))

    def _guess(self, text, found, threshold=0.6):
        """The statistical fallback's reading, when it is confident enough; else None."""
        if self.fallback is None or len(text) > 80:  # trained on chat-length messages, not letters
            return None
        label, probability = self.fallback.predict(text)
        if label is None or probability < threshold:
            return None
        confidence = round(0.5 * probability, 2)  # below any keyword decision: the bot may still ask
        if label in self.categories:
            return Understanding(REPORT_INTENT, confidence, label, self.categories[label].department,
                                 {**found, "guessed": True})  # no keyword said so: the bot may ask
        if label == "garbage":
            return Understanding(label, confidence, entities={**found, "items": [], "guessed": True})
        return Understanding(label, confidence, entities={**found, "guessed": True})

    @staticmethod
    def _household_noise(text, ev, strength):
        """Noise with no works or business making it, where another bureau's matter is named
        (两口子打架 吵得睡不着, 邻居跺脚): the city's noise is construction and trade."""
        top = max(ev.categories, key=ev.categories.get, default=None)
        return top == "noise" and strength >= 4 and NOISE_SOURCE.search(text) is None

    @staticmethod
    def _parking_question(text, ev):
        """Looking for a space or asking the rules, not complaining about a lot or a car."""
        other = max((v for k, v in ev.categories.items() if k != "parking_facility"), default=0.0)
        if LOT_COMPLAINT.search(text):
            return False  # a complaint about a lot or a meter (多收钱, 还说我欠费), not a question
        if ASKS_TO_PARK.search(text) and ev.problem < 2:
            return True  # 「摩托车可以停人行道上吗」 asks where one may park
        if other >= 4:
            return False
        return ev.problem < 2 or (ev.problem < 4 and QUESTION.search(text) is not None)

    def _report(self, ev, evidence_score, found, text=""):
        scores = dict(ev.categories)
        first = ev.named_first(text)
        if first not in (None, "other"):  # several problems: the one named first is the one the message is about
            scores[first] += 1.0
        for label in ev.named_in_passing(text):  # "大坑 旁边路灯也不亮": the lamp is an aside
            scores[label] -= 2.0
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        code, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if code in PARK_FIXTURES and "park_facility" in scores and IN_A_PARK.search(text):
            code, score = "park_facility", max(score, 2.0)  # "广场的地砖烂了": the square's keeper mends it
        if score < 2 or (score - runner_up < 1 and code == "other"):
            code = "other"
        if code == "other" and ev.categories.get("other", 0.0) < 3:  # no category of its own: staff triage, or ask
            found = {**found, "guessed": True}
        confidence = round(_confidence(evidence_score) * (0.6 if code == "other" else 1.0), 2)
        return Understanding(REPORT_INTENT, confidence, code, self.categories[code].department, found)


def _rank_for_its_owner(intents):
    """A ranking word counts for the supervisors' ranking when supervisors are named, else the quiz's."""
    ranking = intents.pop("ranking", 0.0)
    if ranking:
        owner = "supervisor" if intents.get("supervisor", 0.0) > intents.get("quiz", 0.0) else "quiz"
        intents[owner] = intents.get(owner, 0.0) + ranking


def _confidence(score):
    """Map a keyword score onto (0, 0.97]: one strong keyword ~0.7, several ~0.9."""
    return round(min(0.97, 0.4 + score / (score + 6.0) * 0.6 + (0.1 if score >= 6 else 0.0)), 2)
