"""Working days: Monday to Friday, less the bank holidays of England and Wales.

Deadlines people are held to ("reply within ten working days") are counted in working days, as
organisations count them. The bank holidays are GOV.UK's (https://www.gov.uk/bank-holidays)
for England and Wales, 2026 to 2028; `BANK_HOLIDAYS` in the settings replaces them (ISO dates),
for Scotland or Northern Ireland, or when the list runs out. A year past the list's end is
counted by weekdays alone, which errs towards an earlier deadline, never a later one.
"""

from __future__ import annotations

import datetime

from django.conf import settings

ENGLAND_AND_WALES = (
    # 2026
    "2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
    "2026-12-25", "2026-12-28",
    # 2027
    "2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
    "2027-12-27", "2027-12-28",
    # 2028
    "2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28",
    "2028-12-25", "2028-12-26",
)  # fmt: skip


def bank_holidays() -> frozenset[datetime.date]:
    dates = getattr(settings, "BANK_HOLIDAYS", None) or ENGLAND_AND_WALES
    return frozenset(datetime.date.fromisoformat(d) for d in dates)


def is_working_day(day: datetime.date, holidays: frozenset[datetime.date] | None = None) -> bool:
    holidays = bank_holidays() if holidays is None else holidays
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The working day `days` working days after `start` (which need not be one itself)."""
    if days < 0:
        raise ValueError("Count forwards: days must be 0 or more.")
    holidays = bank_holidays()
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            days -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 if `end` is not later)."""
    holidays = bank_holidays()
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
