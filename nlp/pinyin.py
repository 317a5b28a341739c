"""Toneless pinyin per character, from pypinyin's character table.

pypinyin's own API loads its 400,000-phrase table too (about 45 MB per worker); matching
homophone typos of short item names needs only one reading per character, and both sides
(the dictionary and the question) are read the same way.
"""

import importlib.util
import json
import unicodedata
from pathlib import Path


def _table():
    """code point -> first reading without tones ("电" -> "dian")."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    path = Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {int(code): _toneless(readings.split(",")[0]) for code, readings in raw.items()}


def _toneless(reading):
    return "".join(c for c in unicodedata.normalize("NFD", reading) if unicodedata.category(c) != "Mn")


_TABLE = _table()


def pinyin(text):
    """"电池" -> "dianchi"; characters without a reading are kept as they are."""
    return "".join(_TABLE.get(ord(char), char) for char in text)
