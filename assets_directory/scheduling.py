"""Recurring community-activity schedules, as people say them.

Community groups describe their sessions as "every Tuesday morning", "every other Thursday in
term time" or "the last Friday of the month". :class:`Recurrence` holds exactly that much and no
more, so it can be turned into plain English (:func:`describe`), into concrete sessions
(:func:`next_occurrences`, :func:`occurrences_between`) and into an Open Referral HSDS 3.0
``schedule`` (:func:`to_hsds` / :func:`from_hsds`).

Times are local wall-clock times: "10:00" means 10:00 in the directory's time zone whatever the
season, which is what organisers mean. Sessions run within one day; one that crosses midnight
cannot be expressed (``end_time`` must be after ``start_time``).

This module is pure Python so it can be tested without a database and reused outside Django.
"""

from __future__ import annotations

import calendar
import datetime
import heapq
import itertools
import re
import zoneinfo
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from common.vocabulary import (
    DAY_NAMES,
    ICAL_DAYS,
    MONTH_WEEK_ORDINALS,
    clock,
    join_words,
    long_date,
    time_range,
)

WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"
ONCE = "once"
FREQUENCIES = (WEEKLY, FORTNIGHTLY, MONTHLY, ONCE)

NTH_VALUES = (1, 2, 3, 4, -1)

DEFAULT_TZ = "Europe/London"

# Without an explicit start, "every other week" still needs a fixed reference week so the same
# rule gives the same dates on every page load and on every server. 2024-01-01 is a Monday.
DEFAULT_FORTNIGHTLY_ANCHOR = datetime.date(2024, 1, 1)

# A rule may never occur again (ended, or every date falls in a holiday); looking further ahead
# than this would only burn CPU on a page render.
SEARCH_HORIZON_DAYS = 2 * 366

TERM_TIME_NOTE = "Term time only"


@dataclass(frozen=True)
class Recurrence:
    """One recurring (or one-off) session pattern.

    ``weekdays`` is normalised to a sorted tuple without duplicates, so two rules that mean the
    same thing compare equal. Inconsistent input raises :class:`ValueError` with a message that
    can be shown to an editor.
    """

    frequency: str  # "weekly" | "fortnightly" | "monthly" | "once"
    start_time: datetime.time
    end_time: datetime.time | None = None
    weekdays: tuple[int, ...] = ()  # 0=Mon..6=Sun; weekly/fortnightly: one or more; monthly: one
    nth: int | None = None  # monthly only: 1, 2, 3, 4 or -1 meaning "last"
    starts_on: datetime.date | None = None  # first possible date; fortnightly: the anchor week
    ends_on: datetime.date | None = None  # last possible date (inclusive)
    on_date: datetime.date | None = None  # frequency "once": the date
    term_time_only: bool = False

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ValueError(
                f"Unknown frequency {self.frequency!r}: choose one of {', '.join(FREQUENCIES)}."
            )
        _check_time("start_time", self.start_time, required=True)
        _check_time("end_time", self.end_time, required=False)
        for name in ("starts_on", "ends_on", "on_date"):
            _check_date(name, getattr(self, name))

        object.__setattr__(self, "weekdays", _normalise_weekdays(self.weekdays))

        if self.end_time is not None and self.end_time <= self.start_time:
            raise ValueError(
                f"The end time ({clock(self.end_time)}) must be after the start time "
                f"({clock(self.start_time)}); sessions running past midnight are not supported."
            )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError(
                f"The last date ({long_date(self.ends_on)}) is before the first date "
                f"({long_date(self.starts_on)})."
            )

        if self.frequency == ONCE:
            self._validate_once()
            return
        if self.on_date is not None:
            raise ValueError(
                "A single date (on_date) only applies to a one-off session; "
                "use starts_on and ends_on to limit a repeating one."
            )
        if self.frequency == MONTHLY:
            if len(self.weekdays) != 1:
                raise ValueError(
                    "A monthly session needs exactly one day of the week, "
                    "e.g. the first Wednesday of the month."
                )
            if self.nth is None:
                raise ValueError(
                    "A monthly session needs to say which week of the month: "
                    "first, second, third, fourth or last."
                )
            if isinstance(self.nth, bool) or self.nth not in NTH_VALUES:
                raise ValueError(
                    f"Week of the month must be 1, 2, 3, 4 or -1 (last), not {self.nth!r}."
                )
            return
        if not self.weekdays:
            raise ValueError(f"A {self.frequency} session needs at least one day of the week.")
        if self.nth is not None:
            raise ValueError(
                "Week of the month (nth) only applies to monthly sessions, "
                f"not {self.frequency} ones."
            )

    def _validate_once(self) -> None:
        if self.on_date is None:
            raise ValueError("A one-off session needs a date.")
        # A one-off session is fully pinned down by its date; extra pattern fields would be
        # silently ignored, which hides editing mistakes, so refuse them.
        if self.weekdays:
            raise ValueError("A one-off session takes a date, not days of the week.")
        if self.nth is not None:
            raise ValueError("A one-off session takes a date, not a week of the month.")
        if self.starts_on is not None or self.ends_on is not None:
            raise ValueError("A one-off session takes a single date, not a first and last date.")


# Which session fields each frequency uses; the others are ignored (and cleared when a session
# is saved), so an editor switching "every week" to "one date only" is not stuck on hidden values.
FIELDS_FOR_FREQUENCY = {
    WEEKLY: ("weekdays", "starts_on", "ends_on", "term_time_only"),
    FORTNIGHTLY: ("weekdays", "starts_on", "ends_on", "term_time_only"),
    MONTHLY: ("weekdays", "nth", "starts_on", "ends_on", "term_time_only"),
    ONCE: ("on_date",),
}
# Fields that depend on the frequency (start and end times are always asked for).
FREQUENCY_FIELDS = ("weekdays", "nth", "starts_on", "ends_on", "on_date", "term_time_only")


def frequencies_using(field: str) -> tuple[str, ...]:
    """The frequencies that use ``field``, in the order they are offered."""
    return tuple(f for f in FREQUENCIES if field in FIELDS_FOR_FREQUENCY[f])


def missing_for_frequency(
    frequency: str,
    *,
    weekdays: Sequence[int] = (),
    nth: int | None = None,
    starts_on: datetime.date | None = None,
    on_date: datetime.date | None = None,
) -> dict[str, str]:
    """What the chosen frequency still needs, per field, in words an editor can act on.

    Only the fields that ``frequency`` uses are looked at. An empty dict means nothing is missing.
    """
    missing: dict[str, str] = {}
    if frequency in (WEEKLY, FORTNIGHTLY) and not weekdays:
        missing["weekdays"] = "Choose the day or days of the week it runs on."
    if frequency == FORTNIGHTLY and starts_on is None:
        missing["starts_on"] = (
            "Enter the first session date, or any date it runs on: every other week needs "
            "it to know which weeks."
        )
    if frequency == MONTHLY:
        if len(weekdays) != 1:
            missing["weekdays"] = (
                "Choose one day of the week for a monthly session, "
                "for example Wednesday for the first Wednesday of the month."
            )
        if nth is None:
            missing["nth"] = (
                "Choose which week of the month it runs: first, second, third, fourth or last."
            )
    if frequency == ONCE and on_date is None:
        missing["on_date"] = "Enter the date of the session."
    return missing


@dataclass(frozen=True)
class Occurrence:
    """One concrete session: timezone-aware start and (if known) end."""

    start: datetime.datetime
    end: datetime.datetime | None


# --------------------------------------------------------------------------------------------
# describe


def describe(rule: Recurrence) -> str:
    """Return the rule in plain UK English with 24-hour times.

    Examples: "Every Tuesday, 10:00 to 12:00", "Every other Tuesday, 10:00 to 12:00, term time
    only", "Last Friday of the month, 19:00 to 21:00", "Saturday 14 March 2026, 11:00 to 15:00",
    "Every Monday, 18:30, from 5 January 2026 until 20 July 2026".
    """
    if rule.frequency == ONCE:
        assert rule.on_date is not None  # guaranteed by validation
        when = f"{DAY_NAMES[rule.on_date.weekday()]} {long_date(rule.on_date)}"
    elif rule.frequency == MONTHLY:
        assert rule.nth is not None
        when = f"{MONTH_WEEK_ORDINALS[rule.nth]} {DAY_NAMES[rule.weekdays[0]]} of the month"
    elif rule.frequency == FORTNIGHTLY:
        # "Every other day" would be wrong here, so fortnightly always lists the days.
        when = f"Every other {join_words([DAY_NAMES[d] for d in rule.weekdays])}"
    elif rule.weekdays == (0, 1, 2, 3, 4):
        when = "Every weekday"
    elif rule.weekdays == (0, 1, 2, 3, 4, 5, 6):
        when = "Every day"
    else:
        when = f"Every {join_words([DAY_NAMES[d] for d in rule.weekdays])}"

    parts = [when, time_range(rule.start_time, rule.end_time)]
    if rule.term_time_only:
        parts.append("term time only")
    if rule.starts_on and rule.ends_on:
        parts.append(f"from {long_date(rule.starts_on)} until {long_date(rule.ends_on)}")
    elif rule.starts_on:
        parts.append(f"from {long_date(rule.starts_on)}")
    elif rule.ends_on:
        parts.append(f"until {long_date(rule.ends_on)}")
    return ", ".join(parts)


def describe_occurrence(occurrence: Occurrence) -> str:
    """The date of one session, as people say it: "Tuesday 8 December 2026"."""
    day = occurrence.start.date()
    return f"{DAY_NAMES[day.weekday()]} {long_date(day)}"


# --------------------------------------------------------------------------------------------
# next_occurrences


def next_occurrences(
    rules: Iterable[Recurrence],
    *,
    after: datetime.datetime,
    count: int = 5,
    holidays: Sequence[tuple[datetime.date, datetime.date]] = (),
    tz: zoneinfo.ZoneInfo | str = DEFAULT_TZ,
) -> list[Occurrence]:
    """Return the next ``count`` sessions from all ``rules``, starting strictly after ``after``.

    Results are sorted by start, timezone-aware in ``tz`` and built from local wall-clock times,
    so a 10:00 session stays at 10:00 across the clock changes. A naive ``after`` is read as
    local time in ``tz``. ``holidays`` are inclusive ``(first, last)`` date ranges skipped by
    term-time-only rules. Identical sessions from overlapping rules are listed once. Only about
    two years ahead are searched, so a rule that never occurs again costs little.
    """
    if count < 0:
        raise ValueError(f"count must not be negative, got {count}.")
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    for first, last in holidays:
        if last < first:
            raise ValueError(
                f"Holiday ending {long_date(last)} starts later, on {long_date(first)}."
            )
    if after.tzinfo is None or after.utcoffset() is None:
        after = after.replace(tzinfo=zone)
    # Any session on an earlier local date has already started, so the local date of `after`
    # is the earliest one worth generating.
    first_day = after.astimezone(zone).date()
    last_day = first_day + datetime.timedelta(days=SEARCH_HORIZON_DAYS)

    streams = [
        _rule_occurrences(rule, first_day, last_day, holidays, zone, after) for rule in rules
    ]
    # Ordering by the real instant (timestamp) rather than wall-clock keeps the merge correct
    # in the repeated hour when the clocks go back.
    merged = heapq.merge(*streams, key=lambda occ: occ.start.timestamp())
    return list(itertools.islice(_unique(merged), count))


def occurrences_between(
    rule: Recurrence,
    first: datetime.date,
    last: datetime.date,
    *,
    holidays: Sequence[tuple[datetime.date, datetime.date]] = (),
    tz: zoneinfo.ZoneInfo | str = DEFAULT_TZ,
) -> list[Occurrence]:
    """Return every session of ``rule`` on a local date from ``first`` to ``last`` inclusive,
    past ones too, sorted by start.

    Term-time-only rules skip the ``holidays`` as in :func:`next_occurrences`; pass none to get
    every date the pattern gives, holidays included (a calendar file's repeating rule, whose
    holiday dates are then listed as exceptions).
    """
    if last < first:
        return []
    zone = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
    occurrences = []
    for day in _rule_dates(rule, first, last):
        if rule.term_time_only and any(lo <= day <= hi for lo, hi in holidays):
            continue
        end = _local(day, rule.end_time, zone) if rule.end_time else None
        occurrences.append(Occurrence(start=_local(day, rule.start_time, zone), end=end))
    return occurrences


def _unique(occurrences: Iterable[Occurrence]) -> Iterator[Occurrence]:
    seen: set[Occurrence] = set()
    for occ in occurrences:
        if occ not in seen:
            seen.add(occ)
            yield occ


def _rule_occurrences(
    rule: Recurrence,
    first_day: datetime.date,
    last_day: datetime.date,
    holidays: Sequence[tuple[datetime.date, datetime.date]],
    zone: zoneinfo.ZoneInfo,
    after: datetime.datetime,
) -> Iterator[Occurrence]:
    for day in _rule_dates(rule, first_day, last_day):
        if rule.term_time_only and any(first <= day <= last for first, last in holidays):
            continue
        start = _local(day, rule.start_time, zone)
        if start <= after:
            continue
        end = _local(day, rule.end_time, zone) if rule.end_time else None
        yield Occurrence(start=start, end=end)


def _rule_dates(
    rule: Recurrence, first_day: datetime.date, last_day: datetime.date
) -> Iterator[datetime.date]:
    if rule.frequency == ONCE:
        if first_day <= rule.on_date <= last_day:
            yield rule.on_date
        return
    lo = max(first_day, rule.starts_on) if rule.starts_on else first_day
    hi = min(last_day, rule.ends_on) if rule.ends_on else last_day
    # Walking day by day over at most two years is cheap and keeps each pattern's test obviously
    # right, instead of clever date arithmetic per frequency.
    day = lo
    one_day = datetime.timedelta(days=1)
    while day <= hi:
        if _matches(rule, day):
            yield day
        day += one_day


def _matches(rule: Recurrence, day: datetime.date) -> bool:
    weekday = day.weekday()
    if weekday not in rule.weekdays:
        return False
    if rule.frequency == WEEKLY:
        return True
    if rule.frequency == FORTNIGHTLY:
        anchor = _monday(rule.starts_on or DEFAULT_FORTNIGHTLY_ANCHOR)
        return ((_monday(day) - anchor).days // 7) % 2 == 0
    # monthly
    if rule.nth == -1:
        return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
    return (day.day - 1) // 7 + 1 == rule.nth


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _local(day: datetime.date, time: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    naive_local = datetime.datetime.combine(day, time)
    # The round trip through UTC turns a wall-clock time that does not exist (inside the
    # spring-forward gap) into the real instant it denotes, so the result is always valid.
    # In the repeated autumn hour fold=0 picks the first pass, when the session really starts.
    return naive_local.replace(tzinfo=zone).astimezone(datetime.UTC).astimezone(zone)


# --------------------------------------------------------------------------------------------
# HSDS 3.0


def to_hsds(rule: Recurrence) -> dict:
    """Map the rule onto Open Referral HSDS 3.0 ``schedule`` fields.

    Only fields defined by the schema are emitted, and never ``id`` or the ``*_id`` links, which
    belong to the caller. Times are local wall-clock "HH:MM" in the directory's time zone.

    - weekly: ``freq`` WEEKLY, ``interval`` 1, ``byday`` e.g. "TU,TH".
    - fortnightly: as weekly with ``interval`` 2 and ``wkst`` "MO"; ``dtstart`` is always set
      because the spec requires it with ``interval``: ``starts_on``, or the implicit anchor
      2024-01-01 when the rule has no start.
    - monthly: ``freq`` MONTHLY, ``byday`` e.g. "1WE" or "-1FR".
    - once: the spec only allows WEEKLY or MONTHLY, so a one-off is a single-occurrence rule:
      ``freq`` WEEKLY, ``byday`` the date's weekday, ``dtstart`` the date, ``count`` 1, and
      ``valid_from`` = ``valid_to`` = the date for consumers that ignore the iCal fields.
    - ``starts_on``/``ends_on`` become ``valid_from``/``valid_to`` (and ``dtstart``/``until``).
    - term time only becomes ``notes`` "Term time only"; ``description`` is :func:`describe`.
    """
    data: dict = {}
    if rule.frequency == ONCE:
        day = rule.on_date.isoformat()
        data.update(
            freq="WEEKLY",
            interval=1,
            byday=ICAL_DAYS[rule.on_date.weekday()],
            dtstart=day,
            count=1,
            valid_from=day,
            valid_to=day,
        )
    else:
        if rule.frequency == MONTHLY:
            data.update(
                freq="MONTHLY", interval=1, byday=f"{rule.nth}{ICAL_DAYS[rule.weekdays[0]]}"
            )
        else:
            data.update(
                freq="WEEKLY",
                interval=2 if rule.frequency == FORTNIGHTLY else 1,
                byday=",".join(ICAL_DAYS[d] for d in rule.weekdays),
            )
        if rule.frequency == FORTNIGHTLY:
            data["wkst"] = "MO"
            data["dtstart"] = (rule.starts_on or DEFAULT_FORTNIGHTLY_ANCHOR).isoformat()
        elif rule.starts_on:
            data["dtstart"] = rule.starts_on.isoformat()
        if rule.starts_on:
            data["valid_from"] = rule.starts_on.isoformat()
        if rule.ends_on:
            data["valid_to"] = rule.ends_on.isoformat()
            data["until"] = rule.ends_on.isoformat()
    data["opens_at"] = clock(rule.start_time)
    if rule.end_time:
        data["closes_at"] = clock(rule.end_time)
    data["description"] = describe(rule)
    if rule.term_time_only:
        data["notes"] = TERM_TIME_NOTE
    return data


# Fields that would change which dates occur but have no equivalent in Recurrence.
_UNSUPPORTED_HSDS_FIELDS = ("byweekno", "bymonthday", "byyearday")

_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
_BYDAY_RE = re.compile(r"^([+-]?\d+)?(MO|TU|WE|TH|FR|SA|SU)$")


def from_hsds(data: dict) -> Recurrence:
    """Build a :class:`Recurrence` from an HSDS 3.0 ``schedule`` mapping.

    The inverse of :func:`to_hsds` for every field it emits. Also accepts common variations
    (lower-case codes, "HH:MM:SS" times, numbers as strings, empty strings for missing values).
    Raises :class:`ValueError` for schedules this model cannot represent, such as times with a
    UTC offset, ``bymonthday``, every-third-week intervals or several monthly days.
    """
    fields = {k: v for k, v in data.items() if v is not None and v != ""}

    for name in _UNSUPPORTED_HSDS_FIELDS:
        if name in fields:
            raise ValueError(f"Schedules using {name} cannot be represented.")
    if fields.get("timezone") not in (None, 0, "0"):
        raise ValueError(
            "Schedules with a fixed UTC offset cannot be represented; times are local."
        )

    if "opens_at" not in fields:
        raise ValueError("The schedule has no opening time (opens_at).")
    start_time = _parse_time("opens_at", fields["opens_at"])
    end_time = _parse_time("closes_at", fields["closes_at"]) if "closes_at" in fields else None
    term_time_only = TERM_TIME_NOTE.lower() in str(fields.get("notes", "")).lower()

    freq = str(fields.get("freq", "")).upper()
    if freq not in ("WEEKLY", "MONTHLY"):
        raise ValueError(f"Unsupported schedule frequency {fields.get('freq')!r}.")
    interval = _parse_int("interval", fields.get("interval", 1))
    count = _parse_int("count", fields["count"]) if "count" in fields else None

    dtstart = _parse_date("dtstart", fields.get("dtstart"))
    valid_from = _parse_date("valid_from", fields.get("valid_from"))
    valid_to = _parse_date("valid_to", fields.get("valid_to"))
    until = _parse_date("until", fields.get("until"))
    byday = _parse_byday(fields.get("byday"))

    if count is not None:
        if count != 1:
            raise ValueError(f"Schedules limited to {count} occurrences cannot be represented.")
        # RFC 5545: DTSTART is always the first occurrence, so with COUNT=1 it is the only one.
        on_date = dtstart or valid_from
        if on_date is None:
            raise ValueError("A one-off schedule needs a date (dtstart).")
        if byday and byday != [(None, on_date.weekday())]:
            raise ValueError(f"byday {fields['byday']!r} does not match the date {on_date}.")
        return Recurrence(
            frequency=ONCE,
            start_time=start_time,
            end_time=end_time,
            on_date=on_date,
            term_time_only=term_time_only,
        )

    ends_on = min((d for d in (valid_to, until) if d), default=None)

    if freq == "MONTHLY":
        if interval != 1:
            raise ValueError(f"Monthly schedules every {interval} months cannot be represented.")
        if len(byday) != 1 or byday[0][0] is None:
            raise ValueError(
                "A monthly schedule needs exactly one day with a week of the month, e.g. '1WE'."
            )
        nth, weekday = byday[0]
        return Recurrence(
            frequency=MONTHLY,
            start_time=start_time,
            end_time=end_time,
            weekdays=(weekday,),
            nth=nth,
            starts_on=max((d for d in (valid_from, dtstart) if d), default=None),
            ends_on=ends_on,
            term_time_only=term_time_only,
        )

    if interval not in (1, 2):
        raise ValueError(f"Weekly schedules every {interval} weeks cannot be represented.")
    if any(n is not None for n, _ in byday):
        raise ValueError("A weekly schedule cannot say which week of the month.")
    weekdays = tuple(d for _, d in byday)
    if not weekdays and dtstart:
        # RFC 5545: without BYDAY a weekly rule repeats on the weekday of DTSTART.
        weekdays = (dtstart.weekday(),)

    if interval == 1:
        return Recurrence(
            frequency=WEEKLY,
            start_time=start_time,
            end_time=end_time,
            weekdays=weekdays,
            starts_on=max((d for d in (valid_from, dtstart) if d), default=None),
            ends_on=ends_on,
            term_time_only=term_time_only,
        )

    if str(fields.get("wkst", "MO")).upper() != "MO":
        raise ValueError("Fortnightly schedules with weeks not starting on Monday are unsupported.")
    return Recurrence(
        frequency=FORTNIGHTLY,
        start_time=start_time,
        end_time=end_time,
        weekdays=weekdays,
        starts_on=_fortnightly_start(dtstart, valid_from),
        ends_on=ends_on,
        term_time_only=term_time_only,
    )


def _fortnightly_start(
    dtstart: datetime.date | None, valid_from: datetime.date | None
) -> datetime.date | None:
    """Find a ``starts_on`` giving the same dates as HSDS's separate anchor and validity start.

    In HSDS ``dtstart`` fixes which weeks are "on" and ``valid_from`` when the rule begins; here
    ``starts_on`` does both, so it becomes the later of the two, moved to the next Monday if
    that lands in an "off" week (which has no valid sessions anyway).
    """
    if valid_from is None and dtstart == DEFAULT_FORTNIGHTLY_ANCHOR:
        # to_hsds writes the implicit anchor for rules without a start; read it back as such.
        return None
    anchor = _monday(dtstart or DEFAULT_FORTNIGHTLY_ANCHOR)
    start = max((d for d in (valid_from, dtstart) if d), default=None)
    if start is None:
        return None
    if ((_monday(start) - anchor).days // 7) % 2:
        start = _monday(start) + datetime.timedelta(days=7)
    return start


def _parse_byday(value: object) -> list[tuple[int | None, int]]:
    if value is None:
        return []
    parsed = []
    for part in str(value).upper().replace(" ", "").split(","):
        if not part:
            continue
        match = _BYDAY_RE.match(part)
        if not match:
            raise ValueError(f"Cannot read day {part!r} in byday {value!r}.")
        nth = int(match.group(1)) if match.group(1) else None
        parsed.append((nth, ICAL_DAYS.index(match.group(2))))
    return parsed


def _parse_time(name: str, value: object) -> datetime.time:
    match = _TIME_RE.match(str(value).strip())
    if not match:
        raise ValueError(
            f"Cannot read {name} {value!r}: expected a local time like '10:00', "
            "without a time zone."
        )
    hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime.time(hour, minute, second)
    except ValueError as exc:
        raise ValueError(f"Cannot read {name} {value!r}: {exc}.") from None


def _parse_date(name: str, value: object) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(
            f"Cannot read {name} {value!r}: expected a date like 2026-01-05."
        ) from None


def _parse_int(name: str, value: object) -> int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"Cannot read {name} {value!r}: expected a whole number.") from None
    if not number.is_integer():
        raise ValueError(f"Cannot read {name} {value!r}: expected a whole number.")
    return int(number)


# --------------------------------------------------------------------------------------------
# validation helpers


def _check_time(name: str, value: object, *, required: bool) -> None:
    if value is None and not required:
        return
    if not isinstance(value, datetime.time):
        raise ValueError(f"{name} must be a time of day, not {value!r}.")
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a local wall-clock time without a time zone.")


def _check_date(name: str, value: object) -> None:
    # datetime is a subclass of date, but comparing one with a date raises TypeError later on.
    if value is not None and (
        not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)
    ):
        raise ValueError(f"{name} must be a date, not {value!r}.")


def _normalise_weekdays(weekdays: Iterable[int]) -> tuple[int, ...]:
    days = tuple(weekdays)
    for day in days:
        if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
            raise ValueError(
                f"Days of the week are numbered 0 (Monday) to 6 (Sunday), not {day!r}."
            )
    return tuple(sorted(set(days)))
