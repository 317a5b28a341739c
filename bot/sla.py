"""Working hours for handling limits: weekdays 08:30–12:00 and 14:00–18:00 (Asia/Shanghai),
minus China's public holidays plus the make-up working days (chinesecalendar, which covers
2004–2026; later years fall back to Monday–Friday until the package is updated)."""

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

TZ = ZoneInfo("Asia/Shanghai")
PERIODS = ((time(8, 30), time(12, 0)), (time(14, 0), time(18, 0)))
log = logging.getLogger(__name__)
_warned = set()


def is_workday(day: date) -> bool:
    """A working day in China (holidays and make-up Saturdays included)."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("no holiday data for %s: counting Monday–Friday only", day.year)
        return day.weekday() < 5


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
    """"4个工作小时" or "5个工作日" for a reply."""
    if hours % 8 == 0 and hours >= 8 and hours != 8:
        return f"{hours // 8}个工作日"
    return f"{hours}个工作小时"
