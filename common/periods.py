"""Report periods: the last N calendar months, counted by month or by quarter. Pure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

MONTH = "month"
QUARTER = "quarter"
GROUPINGS = ((MONTH, "Month"), (QUARTER, "Quarter"))


@dataclass(frozen=True)
class ReportPeriod:
    """From `start` (the first day of a month, or of a quarter when grouped by quarter) to
    `end` (today), both included, counted in `grouping`s."""

    start: datetime.date
    end: datetime.date
    grouping: str

    def buckets(self) -> list[datetime.date]:
        """The first day of each month or quarter in the period, oldest first."""
        step = relativedelta(months=3 if self.grouping == QUARTER else 1)
        found, day = [], self.start
        while day <= self.end:
            found.append(day)
            day += step
        return found

    def bucket_of(self, day: datetime.date) -> datetime.date:
        """The first day of the month or quarter that holds `day`."""
        return bucket_of(day.replace(day=1), self.grouping)

    def label(self, bucket: datetime.date) -> str:
        if self.grouping == QUARTER:
            last = bucket + relativedelta(months=2)
            return f"{bucket:%B} to {last:%B %Y}"
        return f"{bucket:%B %Y}"


def bucket_of(month: datetime.date, grouping: str) -> datetime.date:
    """The first day of the quarter holding a month's first day (the month itself by month)."""
    if grouping == QUARTER:
        return datetime.date(month.year, (month.month - 1) // 3 * 3 + 1, 1)
    return month


def last_months(*, months: int, grouping: str, today: datetime.date) -> ReportPeriod:
    """The last `months` calendar months, this one included; grouped by quarter, from the start
    of the quarter that holds the first of them, so that every quarter is counted whole."""
    first = today.replace(day=1) - relativedelta(months=months - 1)
    return ReportPeriod(start=bucket_of(first, grouping), end=today, grouping=grouping)
