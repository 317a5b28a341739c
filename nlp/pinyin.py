"""Toneless pinyin per character, from pypinyin's character table.

pypinyin's own API loads its 400,000-phrase table too (about 45 MB per worker); matching
homophone typos of short item names needs only one reading per character, and both sides
(the dictionary and the question) are read the same way. The reduced table is kept in the
cache directory: parsing pypinyin's JSON costs ~100 ms, reading the cache ~10 ms.
"""

import importlib.util
import json
import unicodedata
from pathlib import Path

from nlp.cache import cached


def _source():
    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    return Path(next(iter(spec.submodule_search_locations))) / "pinyin_dict.json"


def _from_pypinyin(path):
    """code point -> first reading without tones ("电" -> "dian")."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {int(code): _toneless(readings.split(",")[0]) for code, readings in raw.items()}


def _toneless(reading):
    return "".join(c for c in unicodedata.normalize("NFD", reading) if unicodedata.category(c) != "Mn")


def _table():
    path = _source()
    stamp = path.stat()
    return cached(f"pinyin-{stamp.st_size}-{int(stamp.st_mtime)}.marshal", lambda: _from_pypinyin(path))


_TABLE = _table()


def syllables(text):
    """"电池" -> ["dian", "chi"]: one reading per character; characters without one are kept."""
    return [_TABLE.get(ord(char), char) for char in text]


def pinyin(text):
    """"电池" -> "dianchi"; characters without a reading are kept as they are."""
    return "".join(syllables(text))
