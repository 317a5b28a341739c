"""The garbage dictionary in the database: seeding from the merged public lists, staff edits,
unknown items, and the app's lookup index kept in step with the table.

Refresh: each app keeps a GarbageDictionary (app.extensions["garbage"]) that, at most every
GARBAGE_CHECK_SECONDS, reads the table's signature (row count, newest updated_at). A staff edit
moves it; the rows edited since are then patched into a copy of the index (a few ms), a deletion
rebuilds it. The signature is in the database itself, so every worker sees every edit, with or
without a shared Redis. A table holding just the shipped rows is answered from the index of the
shipped file, built once per process and shared (it never changes).
"""

import logging
import re
import threading
import time
from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.config import ROOT, STANDARD_BINS, STANDARD_GARBAGE, utcnow
from bot.models.garbage import GarbageItem, GarbageUnknown
from nlp.garbage_lookup import CATEGORIES, GarbageIndex, key, normalise_category

log = logging.getLogger(__name__)
ITEMS_FILE = ROOT / "nlp" / "data" / "garbage_items.tsv"
# Shipped rows carry this fixed timestamp; a staff edit is newer and moves max(updated_at).
SHIPPED_AT = datetime(2026, 1, 1, tzinfo=UTC)
PRIVATE = re.compile(r"\d{5}|@|https?:")  # phone numbers, e-mail, links: never kept as an "item"
COLUMNS = (GarbageItem.name, GarbageItem.category, GarbageItem.aliases, GarbageItem.tip, GarbageItem.sources)

_SHIPPED = {}  # the index of the shipped file: immutable, one per process
_SHIPPED_LOCK = threading.Lock()


def read_items_file(path=ITEMS_FILE):
    """Rows (name, category, aliases, sources) of the shipped dictionary."""
    with open(path, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle if line.strip() and not line.startswith(("#", "name\t"))]
    return [tuple(line.split("\t")) for line in lines]


def seed(session):
    """Bring the shipped rows in line with the file; rows staff added or edited are kept."""
    shipped = {r.name: r for r in session.execute(select(GarbageItem).filter_by(added_by=None)).scalars()}
    taken = set(session.execute(select(GarbageItem.name).where(GarbageItem.added_by.is_not(None))).scalars())
    wanted = {name: (name, c, a, s) for name, c, a, s in read_items_file() if name not in taken}
    new = [_row(*fields) for name, fields in wanted.items() if name not in shipped]
    changed = [{"id": shipped[name].id, **_row(*fields)} for name, fields in wanted.items()
               if name in shipped and _differs(shipped[name], fields)]
    gone = [row.id for name, row in shipped.items() if name not in wanted]
    if new:
        session.execute(insert(GarbageItem), new)
    if changed:
        session.execute(update(GarbageItem), changed)
    if gone:
        session.execute(delete(GarbageItem).where(GarbageItem.id.in_(gone)))
    session.commit()


def _row(name, category, aliases, sources):
    return {"name": name, "category": category, "aliases": aliases, "sources": sources, "updated_at": SHIPPED_AT}


def _differs(row, fields):
    return (row.name, row.category, row.aliases, row.sources) != fields


class GarbageDictionary:
    """An app's lookup index, checked against the garbage_items table every few seconds."""

    def __init__(self, check_seconds):
        self.check_seconds = check_seconds
        self._index, self._checked = None, 0.0

    def index(self, session=None, quiet=False):
        """The current index (the shipped file's until the table can be read)."""
        if session is None:
            return self._index or shipped_index()
        now = time.monotonic()
        if self._index is None or now - self._checked >= self.check_seconds:
            self._checked = now
            try:
                self._index = _current(session, self._index)
            except SQLAlchemyError:
                session.rollback()
                log.log(logging.DEBUG if quiet else logging.WARNING,
                        "garbage dictionary not readable: answering from the shipped list")
        return self._index or shipped_index()

    def refresh_soon(self):
        """Make the next lookup check the table (after a staff edit in this process)."""
        self._checked = 0.0


def _current(session, known):
    """The same index if the table is unchanged, patched with the rows edited since, else rebuilt."""
    count, latest = session.execute(select(func.count(GarbageItem.id), func.max(GarbageItem.updated_at))).one()
    if not count:
        return known
    if known is not None and (count, latest) == known.version:
        return known
    shipped = shipped_index()
    if (count, latest) == shipped.version:  # the table holds the shipped rows and nothing else
        return shipped
    if known is not None and known.version[1] is not None:
        rows = session.execute(select(*COLUMNS).where(GarbageItem.updated_at > known.version[1])).all()
        patched = known.updated(rows, version=(count, latest))
        if len(patched) == count:  # else something was deleted too
            return patched
    log.info("garbage index built: %d items", count)
    return GarbageIndex(session.execute(select(*COLUMNS)).all(), version=(count, latest))


def shipped_index():
    """The index of the shipped file (what seed() puts in the table), built once per process."""
    if "index" not in _SHIPPED:
        with _SHIPPED_LOCK:
            if "index" not in _SHIPPED:
                rows = read_items_file()
                _SHIPPED["index"] = GarbageIndex([(n, c, a, "", s) for n, c, a, s in rows],
                                                 version=(len(rows), SHIPPED_AT))
    return _SHIPPED["index"]


def remember_unknown(session, phrase, suggestion=None):
    """Count an item phrase the dictionary could not answer (never one that looks personal)."""
    phrase = key(phrase)[:20]
    if len(phrase) < 2 or PRIVATE.search(phrase):
        return
    try:
        if session.execute(update(GarbageUnknown).filter_by(phrase=phrase).values(
                count=GarbageUnknown.count + 1, last_seen=utcnow(), resolved=False)).rowcount == 0:
            session.add(GarbageUnknown(phrase=phrase, suggestion=suggestion and suggestion[:40]))
        session.commit()
    except IntegrityError:  # another worker inserted it a moment ago
        session.rollback()
        remember_unknown(session, phrase, suggestion)
    except SQLAlchemyError:
        session.rollback()
        log.warning("could not record an unknown garbage item")


def upsert_item(session, name, category, aliases=(), actor="staff", tip=None):
    """Add or change an item (staff); resolves it in the unknown list."""
    official = normalise_category(category)
    name = name.strip()
    if official is None:
        raise ValueError(f"分类须为 {' / '.join(CATEGORIES)} 之一")
    if not name or len(name) > 40:
        raise ValueError("名称须为 1–40 个字")
    item = session.execute(select(GarbageItem).filter_by(name=name)).scalar_one_or_none()
    if item is None:
        item = GarbageItem(name=name, category=official, aliases="", sources="")
        session.add(item)
    item.category, item.added_by, item.updated_at = official, actor[:40], utcnow()
    item.aliases = "|".join(dict.fromkeys(a for a in [*(item.aliases or "").split("|"), *aliases] if a.strip()))[:200]
    item.tip = tip if tip is not None else item.tip
    session.execute(update(GarbageUnknown).where(GarbageUnknown.phrase.in_([key(name), *map(key, aliases)]))
                    .values(resolved=True))
    session.commit()
    return item


def top_unknown(session, limit=20):
    """The most-asked unanswered phrases."""
    query = (select(GarbageUnknown).filter_by(resolved=False)
             .order_by(GarbageUnknown.count.desc(), GarbageUnknown.last_seen.desc()).limit(limit))
    return list(session.execute(query).scalars())


def local_names(text, district):
    """Our garbage texts in the district's own words: its four category names and bin colours
    (上海: 湿垃圾/干垃圾, 棕色桶/黑色桶). The same text where the profile uses the standard ones."""
    garbage = district.get("garbage") or {}
    names, bins = garbage.get("categories", STANDARD_GARBAGE), garbage.get("bins", STANDARD_BINS)
    for standard, local in zip(STANDARD_GARBAGE, names, strict=True):
        if local != standard:
            text = text.replace(f"（以前也叫{local}）", "").replace(standard, local)
    for standard, local in zip(STANDARD_BINS, bins, strict=True):
        if local != standard:
            text = text.replace(f"{standard}（有的小区是黑色桶）", local).replace(standard, local)
    return text
