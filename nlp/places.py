"""The district's 街道/镇, roads and landmarks, found in a message by name or alias."""

import csv
from dataclasses import dataclass

from nlp.tables import DATA


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # town | landmark | road
    lat: float  # GCJ-02, approximate
    lng: float


_PLACES = {}  # name or alias -> Place
_BY_FIRST = {}  # first character -> aliases starting with it, longest first


def _load():
    if not _PLACES:
        with open(DATA / "places.tsv", encoding="utf-8") as handle:
            rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
            for name, kind, lat, lng, *aliases in rows:
                place = Place(name, kind, float(lat), float(lng))
                for alias in [name, *filter(None, "|".join(aliases).split("|"))]:
                    _PLACES.setdefault(alias.strip(), place)
        for alias in sorted(_PLACES, key=len, reverse=True):
            if len(alias) >= 2:
                _BY_FIRST.setdefault(alias[0], []).append(alias)
    return _PLACES


def names():
    """Every name and alias (for the tokenizer)."""
    return list(_load())


def find(text):
    """Places named in the text in reading order, each once; the longest name wins ("鼎山公园" hides "鼎山")."""
    _load()
    found, at = [], 0
    while at < len(text):
        alias = next((a for a in _BY_FIRST.get(text[at], ()) if text.startswith(a, at)), None)
        if alias is None:
            at += 1
            continue
        if _PLACES[alias] not in found:
            found.append(_PLACES[alias])
        at += len(alias)
    return found
