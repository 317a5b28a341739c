"""Understanding citizens' messages. Pure: no Flask, no database; data files loaded once.

    understand("小区垃圾桶满了没人收") -> Understanding(intent="report", category="garbage_collection", …)
"""

import threading

from nlp.classify import Classifier, Understanding

__all__ = ["Understanding", "load", "understand", "classify"]

_lock = threading.Lock()
_classifier = {}


def load():
    """Build the tokenizer and tables (once per process; cheap afterwards)."""
    if "c" not in _classifier:
        with _lock:
            if "c" not in _classifier:
                from nlp import places, tokenizer
                from nlp.garbage_lookup import read_item_names

                garbage = read_item_names()
                words = [*places.names(), *_keyword_words(), *garbage]
                _classifier["c"] = Classifier(tokenizer.build(words), frozenset(garbage))
    return _classifier["c"]


def _keyword_words():
    from nlp import tables

    return [*tables.keywords("category_keywords.tsv"), *tables.keywords("intent_keywords.tsv")]


def understand(text):
    """Intent, confidence, report category/department and entities of one message."""
    return load().classify(text)


def classify(text):
    """The contract's JSON-ready view: intent, category, department, confidence."""
    result = understand(text)
    return {
        "intent": result.intent,
        "category": result.category,
        "department": result.department,
        "confidence": result.confidence,
    }
