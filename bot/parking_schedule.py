"""Opening schedules of shared parking lots: `DAYS HH:MM-HH:MM` rules separated by `;`.

DAYS is `daily`, a day `mon`…`sun`, or a range like `mon-fri`. A window whose end is before
its start runs past midnight (`mon-fri 18:00-08:00` opens Monday evening and closes Tuesday
morning); `00:00-24:00` is all day. Pure: no Flask, no database.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
RULE = re.compile(r"^(?:(?P<days>[a-z]+(?:-[a-z]+)?)\s+)?(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")


class ScheduleError(ValueError):
    """A schedule that does not follow the grammar; the message says which rule and why."""


@dataclass(frozen=True)
class Window:
    days: frozenset  # weekday numbers (0 = Monday) on which the window starts
    start: int  # minutes after midnight
    end: int  # minutes after midnight, may be <= start (runs past midnight) or 1440

    @property
    def overnight(self):
        return self.end <= self.start


def _minutes(text, rule):
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ScheduleError(f"「{rule}」的时间 {text} 不对（应为 00:00–24:00）")
    return hours * 60 + minutes


def _days(text, rule):
    if text == "daily":
        return frozenset(range(7))
    first, _, last = text.partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise ScheduleError(f"「{rule}」的日期 {text} 不对（用 daily、mon…sun 或 mon-fri）")
    a, b = DAYS.index(first), DAYS.index(last or first)
    return frozenset((a + i) % 7 for i in range((b - a) % 7 + 1))


def parse(schedule):
    """The windows of a schedule string; ScheduleError names the bad rule."""
    rules = [rule.strip().lower() for rule in (schedule or "").split(";") if rule.strip()]
    if not rules:
        raise ScheduleError("开放时间不能为空（例如 mon-fri 18:00-08:00; sat-sun 00:00-24:00）")
    windows = []
    for rule in rules:
        match = RULE.match(re.sub(r"\s+", " ", rule))
        if not match:
            raise ScheduleError(f"「{rule}」不符合格式「日期 HH:MM-HH:MM」")
        start, end = _minutes(match["start"], rule), _minutes(match["end"], rule)
        if start == end and not (start == 0 and end == 0):
            raise ScheduleError(f"「{rule}」的开始和结束时间相同")
        if start == 0 and end == 0:
            end = 1440
        windows.append(Window(_days(match["days"] or "daily", rule), start, end))  # no DAYS: every day
    return windows


def is_open(windows, at: datetime):
    """Is the lot open at this (local) moment?"""
    minute = at.hour * 60 + at.minute
    today, yesterday = at.weekday(), (at.weekday() - 1) % 7
    for window in windows:
        if today in window.days and window.start <= minute < (1440 if window.overnight else window.end):
            return True
        if window.overnight and yesterday in window.days and minute < window.end:
            return True
    return False


def next_change(windows, at: datetime, limit_days=8):
    """The next moment the lot opens (if closed) or closes (if open), to the minute; None if never."""
    state = is_open(windows, at)
    moment = at.replace(second=0, microsecond=0)
    step = timedelta(minutes=15 - moment.minute % 15) if moment.minute % 15 else timedelta(minutes=15)
    moment += step
    while moment - at <= timedelta(days=limit_days):
        if is_open(windows, moment) != state:
            return _first_minute(windows, moment - timedelta(minutes=15), moment, state)
        moment += timedelta(minutes=15)
    return None


def _first_minute(windows, low, high, state):
    """The first minute in (low, high] whose state differs (windows need not be on quarters)."""
    moment = low + timedelta(minutes=1)
    while moment < high and is_open(windows, moment) == state:
        moment += timedelta(minutes=1)
    return moment


def describe(windows):
    """A short Chinese description ("周一至周五 18:00-次日08:00；周六、周日 全天")."""
    parts = []
    for window in windows:
        days = _describe_days(window.days)
        if window.start == 0 and window.end == 1440:
            parts.append(f"{days} 全天")
        else:
            end = f"{'次日' if window.overnight else ''}{window.end // 60:02d}:{window.end % 60:02d}"
            parts.append(f"{days} {window.start // 60:02d}:{window.start % 60:02d}-{end}")
    return "；".join(parts)


def _describe_days(days):
    if len(days) == 7:
        return "每天"
    ordered = sorted(days)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{DAY_NAMES[ordered[0]]}至{DAY_NAMES[ordered[-1]]}"
    return "、".join(DAY_NAMES[d] for d in ordered)
