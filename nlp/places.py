"""The district's 街道/镇, roads and landmarks, found in a message by name or alias."""

import csv
import math
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


def nearest(lat, lng, within_m=3000):
    """The landmark or 街道/镇 nearest (lat, lng), if one is within within_m metres (to name a location)."""
    _load()
    best, best_m = None, within_m
    for place in set(_PLACES.values()):
        metres = _metres(lat, lng, place.lat, place.lng)
        if metres <= best_m:
            best, best_m = place, metres
    return best


def _metres(lat1, lng1, lat2, lng2):
    """Distance on the ground, near enough for a few kilometres (equirectangular)."""
    x = math.radians(lng2 - lng1) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, math.radians(lat2 - lat1)) * 6_371_000
