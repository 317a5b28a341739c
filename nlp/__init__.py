"""Understanding citizens' messages. Pure: no Flask, no database; data files loaded once.

    understand("小区垃圾桶满了没人收") -> Understanding(intent="report", category="garbage_collection", …)

`load()` builds the base classifier once per process and never changes it afterwards; an app
puts its staff's keywords on top with `Classifier.with_staff_keywords`, which returns a new one.
"""

import threading

from nlp.classify import Classifier, Understanding
from nlp.tables import DATA

__all__ = ["Understanding", "load", "understand", "classify", "use_places"]

EXAMPLES = ("train.tsv", "dev.tsv")  # the labelled messages the tables were tuned on (nlp/data)
_lock = threading.Lock()
_classifier = {}


def load():
    """The base classifier: tokenizer, tables and fallback (built once per process, read-only)."""
    if "c" not in _classifier:
        with _lock:
            if "c" not in _classifier:
                from nlp import places, tokenizer
                from nlp.garbage_lookup import read_item_names

                garbage = read_item_names()
                words = [*places.names(), *_keyword_words(), *garbage]
                _classifier["c"] = Classifier(tokenizer.build(words), frozenset(garbage), _fallback())
    return _classifier["c"]


def use_places(path):
    """Read places from a district profile's places.tsv; their names join the tokenizer's words."""
    from nlp import places

    gazetteer = places.use(path)
    if "c" in _classifier:
        for name in gazetteer.names():
            if len(name) > 1:
                _classifier["c"].tokenizer.add_word(name, freq=500)
    return gazetteer


def training_examples():
    """(text, label) pairs of the tuned labelled sets; label = category for reports, else intent."""
    examples = []
    for name in EXAMPLES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.strip() and not line.startswith("#") and len(parts) >= 2 and parts[1] != "none":
                examples.append((parts[0], parts[2] if parts[1] == "report" and len(parts) > 2 else parts[1]))
    return examples


def fit_fallback(examples):
    """Naive Bayes over (text, label) pairs; None when there are none."""
    from nlp.naive_bayes import NaiveBayes

    examples = list(examples)
    return NaiveBayes().fit(examples) if examples else None


def _fallback():
    return fit_fallback(training_examples())


def _keyword_words():
    from nlp import tables

    return [*tables.keywords("category_keywords.tsv"), *tables.keywords("intent_keywords.tsv")]


def understand(text):
    """Intent, confidence, report category/department and entities of one message (base tables)."""
    return load().classify(text)


def as_json(result):
    """The contract's JSON-ready view of an Understanding: intent, category, department, confidence."""
    return {
        "intent": result.intent,
        "category": result.category,
        "department": result.department,
        "confidence": result.confidence,
    }


def classify(text):
    """as_json(understand(text))."""
    return as_json(understand(text))
