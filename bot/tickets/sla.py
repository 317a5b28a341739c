"""Working hours for handling limits (Asia/Shanghai).

A working day has two periods, 08:30–12:00 and 14:00–18:00 (7.5 hours, the usual office hours
of Chongqing's district bureaus). Working days are Monday–Friday minus China's public holidays
plus the make-up working days (调休), from the chinesecalendar package (2004–2026). Later years
come from data/holidays.tsv once the State Council publishes them; a year in neither falls back
to Monday–Friday minus the fixed-date statutory holidays, and says so once in the log.
"""

import csv
import logging
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import chinese_calendar

from bot.config import ROOT, TZ

PERIODS = ((time(8, 30), time(12, 0)), (time(14, 0), time(18, 0)))
HOLIDAYS_FILE = ROOT / "data" / "holidays.tsv"  # national (State Council); a profile may bring its own
_schedule = {"path": HOLIDAYS_FILE}


def use_holidays(path):
    """Read the holiday schedule from this file from now on (a district profile's holidays.tsv)."""
    _schedule["path"] = Path(path) if path else HOLIDAYS_FILE
FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)}  # statutory, same date every year
log = logging.getLogger(__name__)
_warned = set()


@cache
def published(path=HOLIDAYS_FILE):
    """{year: {date: is_workday}} from the data file (empty when it lists nothing)."""
    years = {}
    if not path.exists():
        return years
    with open(path, encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if line.strip() and not line.startswith("#")), delimiter="\t")
        for row in rows:
            day = date.fromisoformat(row[0].strip())
            years.setdefault(day.year, {})[day] = row[1].strip() == "workday"
    return years


def is_workday(day: date) -> bool:
    """A working day in China (holidays and make-up days included)."""
    listed = published(_schedule["path"]).get(day.year)
    if listed is not None:
        return listed.get(day, day.weekday() < 5)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("no holiday schedule for %s: counting Monday–Friday minus fixed-date holidays; "
                        "add the year to data/holidays.tsv", day.year)
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def _periods(day):
    """The working periods of a day as aware datetimes."""
    if not is_workday(day):
        return []
    return [(datetime.combine(day, a, TZ), datetime.combine(day, b, TZ)) for a, b in PERIODS]


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment ``hours`` working hours after ``start``."""
    remaining = timedelta(hours=hours)
    moment = start.astimezone(TZ)
    day = moment.date()
    for _ in range(3700):  # ten years of days at most
        for begin, end in _periods(day):
            begin = max(begin, moment)
            if begin >= end:
                continue
            if end - begin >= remaining:
                return begin + remaining
            remaining -= end - begin
        day += timedelta(days=1)
    raise ValueError("working hours beyond ten years")


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours elapsed from start to end (0 if end is earlier)."""
    if end <= start:
        return 0.0
    total = timedelta()
    day, last = start.astimezone(TZ).date(), end.astimezone(TZ).date()
    while day <= last:
        for begin, finish in _periods(day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta():
                total += overlap
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def describe(hours: int) -> str:
    """"4个工作小时" for a reply (the confirmation adds the concrete deadline)."""
    return f"{hours}个工作小时"
