"""The district's 街道/镇 and landmarks, found in a message by name or alias."""

import csv
from dataclasses import dataclass

from nlp.tables import DATA


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # town | landmark | road
    lat: float  # GCJ-02, approximate
    lng: float


_PLACES = {}


def _load():
    if not _PLACES:
        with open(DATA / "places.tsv", encoding="utf-8") as handle:
            rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
            for name, kind, lat, lng, *aliases in rows:
                place = Place(name, kind, float(lat), float(lng))
                for alias in [name, *filter(None, "|".join(aliases).split("|"))]:
                    _PLACES.setdefault(alias, place)
    return _PLACES


def names():
    """Every name and alias (for the tokenizer)."""
    return list(_load())


def find(text):
    """Places named in the text, longest names first, each once ("鼎山公园" hides "鼎山")."""
    found, taken = [], []
    for alias in sorted(_load(), key=len, reverse=True):
        if len(alias) < 2 or alias not in text or any(alias in longer for longer in taken):
            continue
        taken.append(alias)
        if _PLACES[alias] not in found:
            found.append(_PLACES[alias])
    return found
