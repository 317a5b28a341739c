"""The schedule grammar of the parking contract and the times people ask about (pure, no app)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.parking.moment import moment_asked
from bot.parking.schedule import (
    Schedule,
    ScheduleError,
    describe,
    is_open,
    next_change,
    next_opening,
    parse,
    validate,
)

TZ = ZoneInfo("Asia/Shanghai")
OFFICE = "mon-fri 18:00-08:00; sat-sun 00:00-24:00"


def at(day, hour, minute=0):
    """A moment in the week of Monday 2026-11-23 (day 23 = Monday … 29 = Sunday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize("schedule, moment, expected", [
    ("mon-fri 18:00-08:00", at(23, 17, 59), False),
    ("mon-fri 18:00-08:00", at(23, 18), True),
    ("mon-fri 18:00-08:00", at(24, 7, 59), True),  # Monday's window, Tuesday morning
    ("mon-fri 18:00-08:00", at(24, 8), False),  # the end minute is closed
    ("mon-fri 18:00-08:00", at(28, 7), True),  # Friday's window, Saturday morning
    ("mon-fri 18:00-08:00", at(29, 7), False),  # Sunday morning: no Saturday window
    ("mon-fri 18:00-08:00", at(23, 7), False),  # Monday morning: no Sunday window
    ("sat-sun 00:00-24:00", at(29, 23, 59), True),
    ("sat-sun 00:00-24:00", at(30, 0), False),  # Monday 00:00
    ("daily 00:00-24:00", at(25, 3), True),
    ("00:00-24:00", at(25, 3), True),  # no DAYS: every day
    ("sun 22:00-06:00", at(30, 5), True),  # wraps into Monday
    ("fri-mon 08:00-12:00", at(29, 9), True),  # a range across the week's end
    ("fri-mon 08:00-12:00", at(25, 9), False),
    ("mon 09:00-11:00; wed 09:00-11:00", at(25, 10), True),
    ("mon 09:00-11:00; wed 09:00-11:00", at(24, 10), False),
    ("  MON-FRI   18:00-24:00 ;", at(27, 23, 30), True),  # case, spaces and a trailing ; forgiven
    (OFFICE, at(23, 12), False),
    (OFFICE, at(28, 12), True),
])
def test_schedule_grammar(schedule, moment, expected):
    assert is_open(parse(schedule), moment) is expected


@pytest.mark.parametrize("bad, words", [
    ("", "empty"),
    ("mon-fri 18:00", "DAYS HH:MM-HH:MM"),
    ("weekdays 10:00-12:00", "bad days"),
    ("mon-xyz 10:00-12:00", "bad days"),
    ("mon 25:00-26:00", "bad time 25:00"),
    ("mon-fri 08:60-09:00", "bad time 08:60"),
    ("daily 24:00-08:00", "24:00 only as an end"),
    ("daily 10:00-10:00", "same time"),
    ("mon-fri 18:00-08:00; sat-sun 00:00-24:30", "'sat-sun 00:00-24:30'"),
    ("mon-fri 18.00-08.00", "DAYS HH:MM-HH:MM"),
])
def test_invalid_rules_are_rejected_with_a_clear_message(bad, words):
    with pytest.raises(ScheduleError) as error:
        parse(bad)
    message = str(error.value)
    assert words in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)  # English and 中文
    assert validate(bad) == message and validate(OFFICE) is None


def test_next_opening_and_next_change():
    windows = parse(OFFICE)
    assert next_opening(windows, at(23, 12)) == at(23, 18)
    assert next_opening(windows, at(23, 19)) == at(23, 19)  # open now
    assert next_change(windows, at(23, 19)) == at(24, 8)
    assert next_change(windows, at(28, 12)) == at(30, 0)  # weekend ends Monday 00:00
    assert next_opening(parse("sun 10:00-11:00"), at(23, 12)) == at(29, 10)
    assert next_change(parse("daily 00:00-24:00"), at(23, 12)) is None  # never closes


def test_describe_and_schedule_object():
    schedule = Schedule.parse(OFFICE)
    assert schedule.describe() == "周一至周五 18:00-次日08:00；周六、周日 全天"
    assert schedule.is_open(at(28, 12)) and schedule.next_opening(at(23, 12)) == at(23, 18)
    assert describe(parse("daily 07:00-22:00")) == "每天 07:00-22:00"


NOON_MONDAY = at(23, 12)


@pytest.mark.parametrize("text, expected", [
    ("附近哪里能停车", NOON_MONDAY),
    ("今晚8点几江街道停车", at(23, 20)),
    ("今晚", at(23, 20)),
    ("8点", at(23, 20)),  # said at noon: this evening
    ("早上7点", at(24, 7)),  # already past: tomorrow
    ("明早", at(24, 8)),
    ("明天晚上9点半", at(24, 21, 30)),
    ("周末", at(28, 10)),
    ("周六下午3点", at(28, 15)),
    ("周日晚上", at(29, 20)),
    ("20:30", at(23, 20, 30)),
    ("停2小时多少钱", NOON_MONDAY),  # a duration is not a time of day
])
def test_the_moment_asked(text, expected):
    assert moment_asked(text, NOON_MONDAY) == expected
