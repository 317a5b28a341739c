"""The garbage dictionary in the database: seeding from the merged public lists, staff edits,
unknown items, and the per-process lookup index kept in step with the table."""

import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from bot.models.core import utcnow
from bot.models.garbage import GarbageItem, GarbageUnknown
from nlp.garbage_lookup import GarbageIndex

log = logging.getLogger(__name__)
ITEMS_FILE = Path(__file__).resolve().parent.parent / "nlp" / "data" / "garbage_items.tsv"
CATEGORIES = ("可回收物", "有害垃圾", "厨余垃圾", "其他垃圾")
CHECK_EVERY_SECONDS = 5.0
# Shipped rows carry this fixed timestamp, so a freshly seeded table has the same signature as
# the file's index and nothing is rebuilt; a staff edit moves max(updated_at) and triggers one.
SHIPPED_AT = datetime(2026, 1, 1, tzinfo=UTC)

_cache = {}  # database URL -> {"index", "checked"}; one process may serve several apps (tests)
_FILE = {"index": None}


def read_items_file(path=ITEMS_FILE):
    """Rows (name, category, aliases, sources) of the shipped dictionary."""
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or line.startswith("name\t") or not line.strip():
                continue
            name, category, aliases, sources = line.rstrip("\n").split("\t")
            rows.append((name, category, aliases, sources))
    return rows


def seed(session):
    """Insert the shipped items the table lacks (staff edits are kept)."""
    have = set(session.execute(select(GarbageItem.name)).scalars())
    new = [{"name": n, "category": c, "aliases": a, "sources": s, "updated_at": SHIPPED_AT}
           for n, c, a, s in read_items_file() if n not in have]
    if new:
        session.execute(insert(GarbageItem), new)
    session.commit()


def _signature(session):
    count, latest = session.execute(select(func.count(GarbageItem.id), func.max(GarbageItem.updated_at))).one()
    return count, latest


def index(session=None):
    """The lookup index: built from the table, rebuilt when staff changed it (checked every few s)."""
    if session is None:
        return _from_file()
    entry = _cache.setdefault(str(session.get_bind().url), {"index": _from_file(), "checked": 0.0})
    now = time.monotonic()
    if now - entry["checked"] < CHECK_EVERY_SECONDS:
        return entry["index"]
    entry["checked"] = now
    try:
        signature = _signature(session)
    except SQLAlchemyError:
        session.rollback()
        return entry["index"]
    if entry["index"].version != signature and signature[0]:
        rows = session.execute(select(GarbageItem.name, GarbageItem.category, GarbageItem.aliases)).all()
        entry["index"] = GarbageIndex(rows, version=signature)
        log.info("garbage index built: %d items", len(rows))
    return entry["index"]


def refresh_soon():
    """Make the next lookup check the table (after a staff edit in this process)."""
    for entry in _cache.values():
        entry["checked"] = 0.0


def _from_file():
    """Index from the shipped file (before the database is reachable or seeded)."""
    if _FILE["index"] is None:
        rows = [(n, c, a) for n, c, a, _ in read_items_file()]
        _FILE["index"] = GarbageIndex(rows, version=(len(rows), SHIPPED_AT))
    return _FILE["index"]


def remember_unknown(session, phrase, suggestion=None):
    """Count an item phrase the dictionary could not answer."""
    phrase = phrase[:40]
    row = session.execute(select(GarbageUnknown).filter_by(phrase=phrase)).scalar_one_or_none()
    if row is None:
        session.add(GarbageUnknown(phrase=phrase, suggestion=suggestion))
    else:
        row.count += 1
        row.last_seen = utcnow()
    session.commit()


def upsert_item(session, name, category, aliases=(), actor="staff"):
    """Add or change an item (staff); resolves it in the unknown list."""
    if category not in CATEGORIES:
        raise ValueError(f"category must be one of {', '.join(CATEGORIES)}")
    item = session.execute(select(GarbageItem).filter_by(name=name)).scalar_one_or_none()
    if item is None:
        item = GarbageItem(name=name, category=category, aliases="|".join(aliases), sources=actor)
        session.add(item)
    else:
        item.category, item.sources = category, f"{item.sources},{actor}".strip(",")[:100]
        if aliases:
            item.aliases = "|".join(dict.fromkeys([*filter(None, item.aliases.split("|")), *aliases]))
        item.updated_at = utcnow()
    for row in session.execute(select(GarbageUnknown).filter_by(phrase=name)).scalars():
        row.resolved = True
    session.commit()
    refresh_soon()
    return item


def top_unknown(session, limit=20):
    """The most-asked unanswered phrases."""
    query = (select(GarbageUnknown).filter_by(resolved=False)
             .order_by(GarbageUnknown.count.desc(), GarbageUnknown.last_seen.desc()).limit(limit))
    return list(session.execute(query).scalars())
