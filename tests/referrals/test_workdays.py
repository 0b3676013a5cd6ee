"""Working days for deadlines: weekends and England and Wales' bank holidays skipped."""

import datetime

import pytest

from common.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date


def test_ten_working_days_from_a_monday_is_the_monday_two_weeks_on():
    assert add_working_days(D(2026, 11, 2), 10) == D(2026, 11, 16)


def test_christmas_and_its_substitute_day_are_skipped():
    # Thursday 24 December 2026: Friday 25th and Monday 28th (Boxing Day's substitute) are
    # bank holidays, so one working day on is Tuesday 29th.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert not is_working_day(D(2026, 12, 28))


def test_easter_2027_is_skipped():
    assert add_working_days(D(2027, 3, 25), 1) == D(2027, 3, 30)


def test_the_settings_can_give_other_bank_holidays(settings):
    settings.BANK_HOLIDAYS = ["2026-11-03"]
    assert add_working_days(D(2026, 11, 2), 1) == D(2026, 11, 4)
    assert is_working_day(D(2026, 12, 25))


def test_counting_between_two_days():
    assert working_days_between(D(2026, 11, 6), D(2026, 11, 9)) == 1
    assert working_days_between(D(2026, 11, 9), D(2026, 11, 6)) == 0
    assert working_days_between(D(2026, 11, 2), add_working_days(D(2026, 11, 2), 10)) == 10


def test_counting_backwards_is_refused():
    with pytest.raises(ValueError, match="Count forwards"):
        add_working_days(D(2026, 11, 2), -1)
