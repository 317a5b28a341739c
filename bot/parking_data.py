"""Parking lots: CSV import (all or nothing), the shipped sample, nearest-first search.

Search uses Redis GEO (GEOSEARCH) over a key rebuilt when the table changes; when Redis is
down it scans an in-memory list with a bounding box, so the answer degrades, never fails.
"""

import csv
import hashlib
import io
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import redis
from sqlalchemy import func, select

from bot import geo
from bot.models.core import utcnow
from bot.models.parking import ParkingLot, ParkingOperator
from bot.parking_schedule import ScheduleError, parse

log = logging.getLogger(__name__)
COLUMNS = ["name", "address", "lat", "lng", "spaces", "schedule", "fee", "phone"]
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "parking_sample.csv"
GEO_KEY, SIG_KEY = "parking:geo", "parking:geo:signature"


class ImportError_(ValueError):
    """Bad rows, each as (line number, message); nothing was imported."""

    def __init__(self, problems):
        super().__init__("; ".join(f"line {n}: {m}" for n, m in problems))
        self.problems = problems


def _row(line, record):
    """A validated lot dict from one CSV record (raises ValueError with a message)."""
    name, address = (record.get("name") or "").strip(), (record.get("address") or "").strip()
    if not name or not address:
        raise ValueError("name 和 address 不能为空")
    try:
        lat, lng = float(record["lat"]), float(record["lng"])
    except (TypeError, ValueError):
        raise ValueError("lat/lng 必须是数字") from None
    if not (3 < lat < 54 and 73 < lng < 136):
        raise ValueError(f"坐标 {lat},{lng} 不在中国境内（应为 GCJ-02 纬度,经度）")
    spaces = (record.get("spaces") or "").strip()
    if not spaces.isdigit():
        raise ValueError("spaces 必须是非负整数")
    parse(record.get("schedule"))  # ScheduleError is a ValueError with a clear message
    return {"name": name, "address": address, "lat": lat, "lng": lng, "spaces": int(spaces),
            "schedule": record["schedule"].strip(), "fee": (record.get("fee") or "").strip(),
            "phone": (record.get("phone") or "").strip()}


def read_csv(text):
    """Validated rows of a CSV text; ImportError_ lists every bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_([(1, "缺少列：" + ",".join(missing))])
    rows, problems = [], []
    for record in reader:
        try:
            rows.append(_row(reader.line_num, record))
        except (ValueError, ScheduleError) as error:
            problems.append((reader.line_num, str(error)))
    if problems:
        raise ImportError_(problems)
    return rows


def import_rows(session, rows, sample=False):
    """Insert or update (by name + address) every row in one transaction: (added, updated)."""
    existing = {(lot.name, lot.address): lot for lot in session.execute(select(ParkingLot)).scalars()}
    added = updated = 0
    for row in rows:
        lot = existing.get((row["name"], row["address"]))
        if lot is None:
            session.add(ParkingLot(**row, sample=sample))
            added += 1
        else:
            for key, value in row.items():
                setattr(lot, key, value)
            lot.updated_at = utcnow()
            updated += 1
    session.commit()
    return added, updated


def seed(session):
    """The shipped sample lots, only into an empty table (a bureau's real data is never touched)."""
    if session.execute(select(func.count(ParkingLot.id))).scalar():
        return
    import_rows(session, read_csv(SAMPLE.read_text(encoding="utf-8")), sample=True)


@dataclass
class Nearby:
    lot: ParkingLot
    distance_m: float


def nearest(session, client, lat, lng, limit=3, radius_m=5000):
    """Lots nearest to (lat, lng), nearest first, within radius."""
    try:
        ids = _geo_ids(session, client, lat, lng, limit, radius_m)
    except redis.RedisError:
        log.warning("Redis unavailable: parking search scans the table")
        ids = None
    if ids is None:
        return _scan(session, lat, lng, limit, radius_m)
    lots = {lot.id: lot for lot in session.execute(select(ParkingLot).where(ParkingLot.id.in_(ids))).scalars()}
    return [Nearby(lots[i], geo.distance_m(lat, lng, lots[i].lat, lots[i].lng)) for i in ids if i in lots]


def _signature(session):
    """Changes when lots are added, removed or moved (not on occupancy updates)."""
    count, lats, lngs, top = session.execute(select(
        func.count(ParkingLot.id), func.sum(ParkingLot.lat), func.sum(ParkingLot.lng), func.max(ParkingLot.id))).one()
    return f"{count}:{top}:{lats or 0:.6f}:{lngs or 0:.6f}"


def _geo_ids(session, client, lat, lng, limit, radius_m):
    signature = _signature(session)
    if client.get(SIG_KEY) != signature.encode():
        _rebuild_geo(session, client, signature)
    found = client.geosearch(GEO_KEY, longitude=lng, latitude=lat, radius=radius_m, unit="m", sort="ASC", count=limit)
    return [int(member) for member in found]


def _rebuild_geo(session, client, signature):
    lots = session.execute(select(ParkingLot.id, ParkingLot.lat, ParkingLot.lng)).all()
    pipe = client.pipeline()
    pipe.delete(GEO_KEY)
    for start in range(0, len(lots), 1000):
        values = [v for lot_id, lat, lng in lots[start:start + 1000] for v in (lng, lat, lot_id)]
        pipe.geoadd(GEO_KEY, values)
    pipe.set(SIG_KEY, signature)
    pipe.execute()


def _scan(session, lat, lng, limit, radius_m):
    box = radius_m / 111_000
    rows = session.execute(select(ParkingLot).where(
        ParkingLot.lat.between(lat - box, lat + box), ParkingLot.lng.between(lng - box * 1.2, lng + box * 1.2))).scalars()
    found = sorted((Nearby(lot, geo.distance_m(lat, lng, lot.lat, lot.lng)) for lot in rows), key=lambda n: n.distance_m)
    return [n for n in found if n.distance_m <= radius_m][:limit]


def live_free_spaces(lot, now, max_age_minutes):
    """The operator's free-space count if it is fresh enough to show as live, else None."""
    if lot.free_spaces is None or lot.free_updated_at is None:
        return None
    return lot.free_spaces if now - lot.free_updated_at <= timedelta(minutes=max_age_minutes) else None


def hash_key(key):
    return hashlib.sha256(key.encode()).hexdigest()


def create_operator(session, name):
    """A lot operator and its API key (shown once; only its hash is kept)."""
    key = "jjp_" + secrets.token_urlsafe(24)
    session.add(ParkingOperator(name=name, key_hash=hash_key(key)))
    session.commit()
    return key


def named_lot(session, text, threshold=80):
    """The lot a complaint names ("区政府停车场晚上锁着门"), matched loosely; None if unsure."""
    from rapidfuzz import fuzz

    best, best_score = None, 0.0
    for lot in session.execute(select(ParkingLot)).scalars():
        name = lot.name.replace("【示例】", "")
        score = fuzz.partial_ratio(name, text) if len(name) <= len(text) else fuzz.partial_ratio(text, name)
        if score > best_score:
            best, best_score = lot, score
    return best if best_score >= threshold else None
