"""Intent and report category from keyword weights: honest "no idea" rather than a guess."""

import re
from dataclasses import dataclass, field

from nlp import entities, tables
from nlp.garbage_lookup import MODIFIERS, is_question, item_phrases

REPORT_INTENT = "report"
NEGATED = re.compile(r"(没|没有|莫得|不是)(啥|什么)?(问题|事)|(已经|都)(修好|解决|处理|弄好)了|谢谢")
CATEGORY_TALK = re.compile(r"湿垃圾|干垃圾|可回收物|有害垃圾|厨余垃圾|其他垃圾|垃圾分类")
ASKS_RULES = re.compile(r"(怎么|咋个?|啷个|如何)?(收费|开放时间|几点|规则|标准)|哪里|哪儿|附近|在哪|有没有|找个?|能停")


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
        self.categories = tables.categories()
        self.category_words = tables.keywords("category_keywords.tsv", set(self.categories))
        self.intent_words = tables.keywords("intent_keywords.tsv")
        self.problem_words = tables.words("problem_words.txt")
        self.garbage_names = garbage_names
        self.fallback = fallback  # NaiveBayes over the labelled examples, asked when no keyword fires
        self.dialect = sorted(((r[0], r[1]) for r in tables.pairs("dialect.tsv")), key=lambda p: -len(p[0]))

    def normalise(self, text):
        """Chongqing speech and voice slips to the Mandarin the tables use (没得人 -> 没人)."""
        for source, target in self.dialect:
            if source in text:
                text = text.replace(source, target)
        return text

    def _asks_about_item(self, text):
        """A sorting question about something in the dictionary ("坏了的雨伞是什么垃圾")."""
        if not is_question(text):
            return False
        for phrase in item_phrases(text):
            core = MODIFIERS.sub("", phrase) or phrase
            if any(core[i:] in self.garbage_names for i in range(max(len(core) - 1, 1))):
                return True
        return False

    def _scores(self, text, table, tokens):
        scores = {}
        for keyword, claims in table.items():
            if (len(keyword) > 1 and keyword in text) or (len(keyword) == 1 and keyword in tokens):
                for label, weight in claims:
                    scores[label] = scores.get(label, 0.0) + weight
        return scores

    def classify(self, text):
        """The Understanding of one message."""
        text = (text or "").strip()
        found = entities.extract(text)
        if not text:
            return Understanding(None, 0.0, entities=found)
        text = self.normalise(text)
        tokens = set(self.tokenizer.lcut(text)) if len(text) < 400 else set()
        if found["tickets"]:
            return Understanding("status", 0.95, entities=found)
        intents = self._scores(text, self.intent_words, tokens)
        categories = self._scores(text, self.category_words, tokens)
        problem = sum(2.0 for word in self.problem_words if word in text)
        if NEGATED.search(text):
            problem = max(problem - 4.0, 0.0)
        return self._decide(text, intents, categories, problem, found)

    def _decide(self, text, intents, categories, problem, found):
        city = max(categories.values(), default=0.0)
        best_intent = max(intents, key=intents.get, default=None)
        strength = intents.get(best_intent, 0.0)
        if (is_question(text) and problem < 4) or self._asks_about_item(text):
            return Understanding("garbage", 0.9, entities={**found, "asks": "category"})
        if best_intent in ("status", "quiz", "supervisor", "help") and strength >= 4 and strength >= city:
            return Understanding(best_intent, _confidence(strength), entities=found)
        if best_intent == "out_of_scope" and strength > city + problem / 2:
            return Understanding("out_of_scope", _confidence(strength), entities=found)
        if CATEGORY_TALK.search(text) and problem < 2:
            return Understanding("garbage", 0.7, entities={**found, "asks": "rules"})
        if best_intent == "parking" and self._parking_question(text, categories, problem):
            return Understanding("parking", _confidence(strength + 1), entities=found)
        if city >= 3 or (city >= 2 and problem >= 2) or (problem >= 2 and categories):
            return self._report(categories, city + problem, found)
        if text in self.garbage_names:
            return Understanding("garbage", 0.8, entities=found)
        guess = self._guess(text, found)
        if guess is not None:
            return guess
        if problem >= 2 or categories.get("other"):
            return self._report({"other": 1.0}, problem, found)
        if best_intent and strength >= 3:
            return Understanding(best_intent, _confidence(strength), entities=found)
        return Understanding(None, 0.0, entities=found)

    def _guess(self, text, found, threshold=0.6):
        """The statistical fallback's reading, when it is confident enough; else None."""
        if self.fallback is None or len(text) > 80:  # trained on chat-length messages, not letters
            return None
        label, probability = self.fallback.predict(text)
        if label is None or probability < threshold:
            return None
        confidence = round(0.5 * probability, 2)  # below any keyword decision: the bot may still ask
        if label in self.categories:
            return Understanding(REPORT_INTENT, confidence, label, self.categories[label].department, found)
        return Understanding(label, confidence, entities=found)

    @staticmethod
    def _parking_question(text, categories, problem):
        """Looking for a space or asking the rules, not complaining about a lot or a car."""
        other = max((v for k, v in categories.items() if k != "parking_facility"), default=0.0)
        return other < 4 and (problem < 2 or (ASKS_RULES.search(text) and problem < 4))

    def _report(self, categories, evidence, found):
        ranked = sorted(categories.items(), key=lambda kv: -kv[1])
        code, score = ranked[0]
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if score < 2 or (score - runner_up < 1 and code == "other"):
            code = "other"
        category = self.categories[code]
        confidence = _confidence(evidence) * (0.6 if code == "other" else 1.0)
        return Understanding(REPORT_INTENT, confidence, code, category.department, found)


def _confidence(score):
    """Map a keyword score onto (0, 0.97]: one strong keyword ~0.7, several ~0.9."""
    return round(min(0.97, 0.4 + score / (score + 6.0) * 0.6 + (0.1 if score >= 6 else 0.0)), 2)
