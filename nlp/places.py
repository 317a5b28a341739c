"""The district's 街道/镇, roads and landmarks, found in a message by name or alias.

They come from the district profile's places.tsv (DISTRICT_DIR; default 江津区's): one profile per
process, chosen by `use(path)` when the app starts.
"""

import csv
import functools
import math
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # town | landmark | road
    lat: float  # GCJ-02, approximate
    lng: float


DEFAULT = Path(__file__).resolve().parent.parent / "data" / "districts" / "jiangjin" / "places.tsv"


class Gazetteer:
    """The places of one district profile (its places.tsv: name, kind, lat, lng, |-separated aliases)."""

    def __init__(self, path):
        self.path = Path(path)
        self.places = {}  # name or alias -> Place
        self.by_first = {}  # first character -> aliases starting with it, longest first
        with open(self.path, encoding="utf-8") as handle:
            lines = [line for line in handle if line.strip() and not line.startswith("#")]
        for number, row in enumerate(csv.reader(lines, delimiter="\t"), start=1):
            if len(row) < 4:
                raise ValueError(f"{self.path}: row {number} needs name, kind, lat, lng")
            name, kind, lat, lng, *aliases = row
            place = Place(name.strip(), kind.strip(), float(lat), float(lng))
            for alias in [name, *filter(None, "|".join(aliases).split("|"))]:
                self.places.setdefault(alias.strip(), place)
        for alias in sorted(self.places, key=len, reverse=True):
            if len(alias) >= 2:
                self.by_first.setdefault(alias[0], []).append(alias)

    def names(self):
        return list(self.places)

    def find(self, text):
        found, at = [], 0
        while at < len(text):
            alias = next((a for a in self.by_first.get(text[at], ()) if text.startswith(a, at)), None)
            if alias is None:
                at += 1
                continue
            if self.places[alias] not in found:
                found.append(self.places[alias])
            at += len(alias)
        return found

    def nearest(self, lat, lng, within_m=3000):
        best, best_m = None, within_m
        for place in set(self.places.values()):
            metres = _metres(lat, lng, place.lat, place.lng)
            if metres <= best_m:
                best, best_m = place, metres
        return best

    def towns(self):
        """The 街道/镇 (kind town), in the file's order."""
        return [p for p in dict.fromkeys(self.places.values()) if p.kind == "town"]


_current = {}  # "g": the Gazetteer in use (one district profile per process; use() switches it)


@functools.cache
def gazetteer(path):
    """The Gazetteer of one places.tsv, read once per process."""
    return Gazetteer(path)


def use(path):
    """Read places from this profile's places.tsv from now on (bot.create_app calls it); the Gazetteer."""
    _current["g"] = gazetteer(Path(path))
    return _current["g"]


def current():
    return _current.get("g") or use(DEFAULT)


def names():
    """Every name and alias (for the tokenizer)."""
    return current().names()


def find(text):
    """Places named in the text in reading order, each once; the longest name wins ("鼎山公园" hides "鼎山")."""
    return current().find(text)


def nearest(lat, lng, within_m=3000):
    """The landmark or 街道/镇 nearest (lat, lng), if one is within within_m metres (to name a location)."""
    return current().nearest(lat, lng, within_m)


def _metres(lat1, lng1, lat2, lng2):
    """Distance on the ground, near enough for a few kilometres (equirectangular)."""
    x = math.radians(lng2 - lng1) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, math.radians(lat2 - lat1)) * 6_371_000
