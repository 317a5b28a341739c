"""Opening schedules of shared parking lots: `DAYS HH:MM-HH:MM` rules separated by `;`.

DAYS is `daily`, a day `mon`…`sun`, or a range like `mon-fri` (`fri-mon` wraps the week). A
window whose end is before its start runs past midnight (`mon-fri 18:00-08:00` opens Monday
evening and closes Tuesday morning); `00:00-24:00` is all day. Pure: no Flask, no database.

    schedule = Schedule.parse("mon-fri 18:00-08:00; sat-sun 00:00-24:00")
    schedule.is_open(at), schedule.next_opening(at), schedule.describe()
"""

import functools
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
RULE = re.compile(r"^(?:(?P<days>[a-z]+(?:-[a-z]+)?)\s+)?(?P<start>\d{1,2}:\d{2})-(?P<end>\d{1,2}:\d{2})$")
EXAMPLE = "mon-fri 18:00-08:00; sat-sun 00:00-24:00"
ALL_DAY = 1440


class ScheduleError(ValueError):
    """A schedule that does not follow the grammar; the message (中文 / English) names the rule."""


@dataclass(frozen=True)
class Window:
    days: frozenset  # weekday numbers (0 = Monday) on which the window starts
    start: int  # minutes after midnight
    end: int  # minutes after midnight; <= start means it runs past midnight; 1440 = 24:00

    @property
    def overnight(self):
        return self.end <= self.start


def _minutes(text, rule, is_start):
    hours, minutes = (int(part) for part in text.split(":"))
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and (minutes or is_start)):
        raise ScheduleError(f"「{rule}」的时间 {text} 不对，应在 00:00–24:00 之间"
                            f" / bad time {text} in '{rule}' (use 00:00-24:00; 24:00 only as an end)")
    return hours * 60 + minutes


def _days(text, rule):
    if text == "daily":
        return frozenset(range(7))
    first, _, last = text.partition("-")
    if first not in DAYS or (last and last not in DAYS):
        raise ScheduleError(f"「{rule}」的日期 {text} 不对，请用 daily、mon…sun 或 mon-fri 这样的范围"
                            f" / bad days '{text}' in '{rule}' (use daily, mon…sun or a range like mon-fri)")
    a, b = DAYS.index(first), DAYS.index(last or first)
    return frozenset((a + i) % 7 for i in range((b - a) % 7 + 1))


def _window(rule):
    """One rule (`mon-fri 18:00-08:00`) as a Window; a rule with no DAYS means every day."""
    match = RULE.match(rule)
    if not match:
        raise ScheduleError(f"「{rule}」不符合「日期 HH:MM-HH:MM」格式，例如 {EXAMPLE}"
                            f" / '{rule}' is not 'DAYS HH:MM-HH:MM', e.g. {EXAMPLE}")
    start, end = _minutes(match["start"], rule, True), _minutes(match["end"], rule, False)
    if start == end:
        raise ScheduleError(f"「{rule}」的开始和结束时间相同（全天请写 00:00-24:00）"
                            f" / '{rule}' starts and ends at the same time (all day is 00:00-24:00)")
    return Window(_days(match["days"] or "daily", rule), start, end)


@functools.lru_cache(maxsize=4096)
def parse(schedule):
    """The windows of a schedule string; ScheduleError names the bad rule (kept per text: a lot's
    schedule is read on every answer that shows it)."""
    rules = [re.sub(r"\s+", " ", rule.strip().lower()) for rule in (schedule or "").split(";")]
    rules = [rule for rule in rules if rule]
    if not rules:
        raise ScheduleError(f"开放时间不能为空，例如 {EXAMPLE} / the schedule is empty, e.g. {EXAMPLE}")
    return tuple(_window(rule) for rule in rules)


def validate(schedule):
    """None if the schedule is valid, else the reason (for forms and imports)."""
    try:
        parse(schedule)
    except ScheduleError as error:
        return str(error)
    return None


def is_open(windows, at: datetime):
    """Is the lot open at this (local) moment?"""
    minute = at.hour * 60 + at.minute
    today, yesterday = at.weekday(), (at.weekday() - 1) % 7
    for window in windows:
        if today in window.days and window.start <= minute < (ALL_DAY if window.overnight else window.end):
            return True
        if window.overnight and yesterday in window.days and minute < window.end:
            return True
    return False


def _boundaries(windows, at):
    """Every window start and end from yesterday to eight days on, in time order."""
    midnight = at.replace(hour=0, minute=0, second=0, microsecond=0)
    moments = set()
    for offset in range(-1, 9):
        day = midnight + timedelta(days=offset)
        for window in windows:
            if day.weekday() in window.days:
                end = window.end + (ALL_DAY if window.overnight else 0)
                moments.update((day + timedelta(minutes=window.start), day + timedelta(minutes=end)))
    return sorted(moments)


def next_change(windows, at: datetime):
    """The next moment the lot opens (if closed now) or closes (if open now); None if never.

    Windows start and end on whole minutes, so the answer is the same for every second of a
    minute: it is kept per schedule and minute (a parking answer asks it for every lot shown)."""
    return _next_change(tuple(windows), at.replace(second=0, microsecond=0))


@functools.lru_cache(maxsize=8192)
def _next_change(windows, at):
    state = is_open(windows, at)
    for moment in _boundaries(windows, at):
        if moment > at and is_open(windows, moment) != state:
            return moment
    return None


def next_opening(windows, at: datetime):
    """`at` itself if the lot is open then, else the moment it next opens (None if never)."""
    return at if is_open(windows, at) else next_change(windows, at)


def describe(windows):
    """A short Chinese description ("周一至周五 18:00-次日08:00；周六、周日 全天")."""
    return _describe(tuple(windows))


@functools.lru_cache(maxsize=4096)
def _describe(windows):
    parts = []
    for window in windows:
        days = _describe_days(window.days)
        if window.start == 0 and window.end == ALL_DAY:
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


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule with its text: `Schedule.parse(text).is_open(at)`."""

    text: str
    windows: tuple

    @classmethod
    def parse(cls, text):
        return cls(text.strip(), tuple(parse(text)))

    def is_open(self, at):
        return is_open(self.windows, at)

    def next_opening(self, at):
        return next_opening(self.windows, at)

    def next_change(self, at):
        return next_change(self.windows, at)

    def describe(self):
        return describe(self.windows)
