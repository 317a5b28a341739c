"""Parking lots: CSV import (all rows or none), the shipped sample, operators' keys, live counts.

CSV columns (the contract): name,address,lat,lng,spaces,schedule,fee,phone. An optional `kind`
column (shared / public / on-street) may follow; without it the kind is read from the name.
"""

import csv
import hashlib
import io
import logging
import re
import secrets
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from bot.config import utcnow
from bot.models.parking import ParkingLot, ParkingOperator
from bot.parking.schedule import ScheduleError, parse

log = logging.getLogger(__name__)
COLUMNS = ["name", "address", "lat", "lng", "spaces", "schedule", "fee", "phone"]
KINDS = {"shared": "错时共享", "public": "公共停车场", "on-street": "路内泊位"}
SAMPLE_MARK = "【示例】"
MAX_SPACES, SCHEDULE_MAX = 100_000, 300  # SCHEDULE_MAX: the column's size (PostgreSQL refuses longer)


class ImportError_(ValueError):
    """Bad rows, each as (line number, message); nothing was imported."""

    def __init__(self, problems):
        super().__init__("; ".join(f"line {n}: {m}" for n, m in problems))
        self.problems = problems


def guess_kind(name):
    """A lot's kind from its name when the file does not say (路内泊位 → on-street …)."""
    if re.search(r"路内|路边|泊位", name):
        return "on-street"
    return "shared" if re.search(r"错时|共享|机关|学校|中学|小学|大学|校区|医院|管委会|政府|办事处", name) else "public"


def _number(record, column, kind, low, high):
    """A numeric cell within [low, high], or ValueError naming the column."""
    text = (record.get(column) or "").strip()
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{column} 必须是数字 / {column} must be a number: {text!r}") from None
    if not low <= value <= high:
        raise ValueError(f"{column}={text} 超出范围 {low}–{high} / {column} out of range")
    return value


def _row(record):
    """A validated lot dict from one CSV record (raises ValueError with a clear message)."""
    if any("\x00" in value for value in record.values() if isinstance(value, str)):
        raise ValueError("含有无效字符 NUL / contains a NUL character")  # PostgreSQL cannot store it
    name, address = (record.get("name") or "").strip(), (record.get("address") or "").strip()
    if not name or not address:
        raise ValueError("name 和 address 不能为空 / name and address are required")
    lat, lng = _number(record, "lat", float, 3, 54), _number(record, "lng", float, 73, 136)
    spaces = _number(record, "spaces", int, 0, MAX_SPACES)
    schedule = checked_schedule(record.get("schedule") or "")
    kind = (record.get("kind") or "").strip() or guess_kind(name)
    if kind not in KINDS:
        raise ValueError(f"kind 只能是 {'/'.join(KINDS)} / kind must be one of {', '.join(KINDS)}")
    return {"name": name[:100], "address": address[:200], "lat": lat, "lng": lng, "spaces": spaces,
            "schedule": schedule, "fee": (record.get("fee") or "").strip()[:200],
            "phone": (record.get("phone") or "").strip()[:40], "kind": kind}


def checked_schedule(text):
    """A schedule that parses and fits its column (ScheduleError, a ValueError, names the problem)."""
    schedule = text.strip()
    if len(schedule) > SCHEDULE_MAX:
        raise ValueError(f"schedule 最长 {SCHEDULE_MAX} 个字符 / schedule is longer than {SCHEDULE_MAX} characters")
    parse(schedule)
    return schedule


def read_csv(text):
    """Validated rows of a CSV text; ImportError_ lists every bad line (1 = the header)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_([(1, "缺少列 / missing columns: " + ",".join(missing))])
    rows, problems, seen = [], [], {}
    for record in reader:
        try:
            row = _row(record)
            key = (row["name"], row["address"])
            if key in seen:
                raise ValueError(f"与第 {seen[key]} 行重复 / duplicate of line {seen[key]}")
            seen[key] = reader.line_num
            rows.append(row)
        except (ValueError, ScheduleError) as error:
            problems.append((reader.line_num, str(error)))
    if problems:
        raise ImportError_(problems)
    return rows


def import_rows(session, rows, sample=False, search=None):
    """Insert or update (by name + address) every row in one transaction: (added, updated).

    Pass the app's ParkingSearch so every process's nearest-lot search sees the new lots at once."""
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
    if search is not None:
        search.invalidate()
    return added, updated


def drop_sample(session, search=None):
    """Remove the shipped sample lots (once a bureau has imported its real list)."""
    lots = session.execute(select(ParkingLot).filter_by(sample=True)).scalars().all()
    for lot in lots:
        session.delete(lot)
    session.commit()
    if search is not None:
        search.invalidate()
    return len(lots)


def seed(session):
    """The profile's sample lots (parking_sample.csv, if it has one), only into an empty table (a
    bureau's real data is never touched)."""
    sample = current_app.config["DISTRICT"].get("parking_sample.csv")
    if not sample or session.execute(select(func.count(ParkingLot.id))).scalar():
        return
    import_rows(session, read_csv(Path(sample).read_text(encoding="utf-8")), sample=True)


def live_free_spaces(lot, now, max_age_minutes):
    """The operator's free-space count if it is fresh enough to show as live, else None."""
    if lot.free_spaces is None or lot.free_updated_at is None:
        return None
    return lot.free_spaces if now - lot.free_updated_at <= timedelta(minutes=max_age_minutes) else None


def hash_key(key):
    """Operators' keys are kept only as their SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()


def create_operator(session, name):
    """A lot operator and its API key (shown once; only its hash is kept)."""
    key = "jjp_" + secrets.token_urlsafe(24)
    session.add(ParkingOperator(name=name, key_hash=hash_key(key)))
    session.commit()
    return key


def named_lot(session, text, threshold=80):
    """The lot a message names ("区政府停车场晚上锁着门"), matched loosely; None if unsure."""
    from rapidfuzz import fuzz

    best, best_score = None, 0.0
    for lot in session.execute(select(ParkingLot)).scalars():
        name = lot.name.replace(SAMPLE_MARK, "")
        score = fuzz.partial_ratio(name, text) if len(name) <= len(text) else fuzz.partial_ratio(text, name)
        if score > best_score:
            best, best_score = lot, score
    return best if best_score >= threshold else None
