"""Working hours: lunch breaks, weekends, public holidays, make-up working days, later years."""

import logging
from datetime import date, datetime

import pytest

from bot.tickets import sla

TZ = sla.TZ


def at(*args):
    return datetime(*args, tzinfo=TZ)


@pytest.mark.parametrize(("start", "hours", "due"), [
    (at(2026, 11, 24, 9, 0), 4, at(2026, 11, 24, 15, 0)),     # across the lunch break
    (at(2026, 11, 24, 12, 30), 1, at(2026, 11, 24, 15, 0)),   # reported during lunch
    (at(2026, 11, 24, 20, 0), 2, at(2026, 11, 25, 10, 30)),   # reported in the evening
    (at(2026, 11, 27, 17, 0), 2, at(2026, 11, 30, 9, 30)),    # Friday -> Monday
    (at(2026, 9, 30, 17, 0), 2, at(2026, 10, 8, 9, 30)),      # National Day week off
    (at(2026, 10, 9, 17, 30), 1, at(2026, 10, 10, 9, 0)),     # make-up Saturday is worked
    (at(2026, 11, 24, 9, 0), 40, at(2026, 12, 1, 11, 30)),    # five and a bit working days
])
def test_add_working_hours(start, hours, due):
    assert sla.add_working_hours(start, hours) == due


def test_utc_input_is_read_in_shanghai():
    from datetime import UTC

    assert sla.add_working_hours(datetime(2026, 11, 24, 1, 0, tzinfo=UTC), 1) == at(2026, 11, 24, 10, 0)


def test_working_hours_between_is_the_inverse():
    start = at(2026, 9, 30, 10, 0)
    due = sla.add_working_hours(start, 24)
    assert sla.working_hours_between(start, due) == pytest.approx(24)
    assert sla.working_hours_between(due, start) == 0.0


def test_holidays_and_make_up_days_from_chinesecalendar():
    assert not sla.is_workday(date(2026, 10, 5))  # Monday of the National Day week
    assert sla.is_workday(date(2026, 9, 20))      # make-up Sunday
    assert not sla.is_workday(date(2026, 2, 17))  # Spring Festival


def test_year_without_data_falls_back_and_says_so(caplog, monkeypatch):
    monkeypatch.setattr(sla, "_warned", set())
    monkeypatch.setattr(sla, "published", lambda path: {})
    with caplog.at_level(logging.WARNING, logger="bot.tickets.sla"):
        assert not sla.is_workday(date(2028, 10, 2))   # statutory National Day, a Monday
        assert not sla.is_workday(date(2028, 1, 1))    # Saturday
        assert sla.is_workday(date(2028, 10, 4))       # Wednesday: no schedule known
    assert sum("2028" in r.getMessage() for r in caplog.records) == 1


def test_published_schedule_file_overrides(tmp_path, monkeypatch):
    schedule = tmp_path / "holidays.tsv"
    schedule.write_text("# test\n2027-02-05\tholiday\t春节\n2027-02-20\tworkday\t春节调休\n", encoding="utf-8")
    sla.use_holidays(schedule)  # as a district profile's holidays.tsv is used
    try:
        assert not sla.is_workday(date(2027, 2, 5))   # a Friday off
        assert sla.is_workday(date(2027, 2, 20))      # a Saturday worked
        assert sla.is_workday(date(2027, 10, 1))      # the year is listed: only its lines count
    finally:
        sla.use_holidays(None)


def test_shipped_schedule_file_parses():
    assert isinstance(sla.published.__wrapped__(sla.HOLIDAYS_FILE), dict)
