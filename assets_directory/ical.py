"""Calendar files (iCalendar, RFC 5545) of an activity's sessions, or of all of a group's.

Each session time of an activity (an :class:`~assets_directory.models.ActivitySchedule`) is one
event: a one-off date, or a repeating rule a calendar app expands itself.

- Times are local wall-clock times in the directory's time zone (Europe/London), given with its
  TZID and a VTIMEZONE, so a 10:00 session stays at 10:00 when the clocks change.
- Every week is ``FREQ=WEEKLY``; every other week ``FREQ=WEEKLY;INTERVAL=2`` with weeks starting
  on Monday, from a week it runs (as :mod:`~assets_directory.scheduling` counts them); the nth
  weekday of the month ``FREQ=MONTHLY;BYDAY=2TU`` (``-1FR`` for the last Friday). A last date
  becomes ``UNTIL``.
- A repeating rule starts at its first date, or, without one, at its first session on or after
  the day the activity was first published: the event stays the same from one download to the
  next.
- Term-time-only sessions on a day in a school holiday the directory knows of are exceptions
  (EXDATE), from the first session until a year ahead; the description says so, since later
  holidays may not be known yet.
- A temporarily closed or ended activity's events are ``STATUS:CANCELLED``, so that a calendar
  that has them already shows they are off.

Text is escaped by icalendar: a comma, semicolon or line break in a title cannot add a field.
This is the only module that imports icalendar (an import-linter contract).
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Event, vDuration, vText

from common.site import absolute_url, site_url
from common.vocabulary import ICAL_DAYS

from . import scheduling

CONTENT_TYPE = "text/calendar; charset=utf-8"
PRODID = "-//Common Ground//Community activity directory//EN"
# How far ahead holidays become exceptions, and how long the time zone's description lasts.
EXCEPTIONS_AHEAD_DAYS = 366
TIMEZONE_YEARS_AHEAD = 10
# Calendar apps that subscribe to a feed may fetch it again this often.
REFRESH = datetime.timedelta(days=1)

TERM_TIME_WORDS = (
    "Term time only: sessions on school holiday dates the directory knows of are left out. "
    "Check with the group before going in a holiday."
)
CLOSED_WORDS = {
    "temporarily_closed": "Temporarily closed: contact the group to find out when it starts again.",
    "ended": "This activity has ended.",
}

Holidays = Sequence[tuple[datetime.date, datetime.date]]


@dataclass(frozen=True)
class CalendarFile:
    """A calendar ready to send: its bytes and a file name made only of safe characters."""

    filename: str
    body: bytes


def activity_calendar(
    activity, *, holidays: Holidays = (), now: datetime.datetime | None = None
) -> CalendarFile:
    """The calendar of one activity's session times."""
    now = now or timezone.now()
    calendar = _calendar(name=activity.title, url=_page_url(activity))
    _add_events(calendar, _activity_events(activity, holidays=holidays, now=now), now=now)
    return CalendarFile(filename=_filename(activity.title, "activity"), body=calendar.to_ical())


def organisation_calendar(
    organisation,
    activities: Iterable,
    *,
    holidays: Holidays = (),
    now: datetime.datetime | None = None,
) -> CalendarFile:
    """The calendar of the session times of ``activities``: the organisation's listed ones."""
    now = now or timezone.now()
    calendar = _calendar(name=organisation.title, url=_page_url(organisation))
    events = [
        event
        for activity in activities
        for event in _activity_events(
            activity, holidays=holidays, now=now, organisation=organisation
        )
    ]
    _add_events(calendar, events, now=now)
    return CalendarFile(
        filename=_filename(organisation.title, "organisation"), body=calendar.to_ical()
    )


# --------------------------------------------------------------------------------------------


def _calendar(*, name: str, url: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # icalendar escapes the name (RFC 7986 text) and writes X- properties right only when
    # told their type.
    calendar.add("name", vText(_one_line(name)))
    calendar.add("x-wr-calname", vText(_one_line(name)))
    calendar.add("url", url)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    return calendar


def _add_events(calendar: Calendar, events: list[Event], *, now: datetime.datetime) -> None:
    for event in events:
        calendar.add_component(event)
    if events:
        first = min(event.decoded("dtstart") for event in events).date()
        last = timezone.localdate(now) + datetime.timedelta(days=365 * TIMEZONE_YEARS_AHEAD)
        calendar.add_missing_timezones(first_date=first.replace(month=1, day=1), last_date=last)


def _activity_events(activity, *, holidays: Holidays, now: datetime.datetime, organisation=None):
    organisation = organisation or activity.organisation
    url = _page_url(activity)
    location = _location(activity)
    since = activity.first_published_at or now
    events = []
    for schedule in activity.schedules.all():
        rule = schedule.as_recurrence()
        event = schedule_event(
            rule,
            uid=f"{activity.uuid}-{schedule.pk}@{_host()}",
            summary=activity.title,
            description=_description(
                activity, rule, organisation=organisation, location=location, url=url
            ),
            location=location,
            url=url,
            cancelled=activity.status != "running",
            since=timezone.localdate(since),
            holidays=holidays,
            now=now,
        )
        if event is not None:
            # A private venue's calendar entry has no point: an outward code's centre in a
            # calendar app would look like the place itself.
            where = activity.venue.public_location() if activity.venue_id else None
            if where is not None and where.has_point and not where.approximate:
                event.add("geo", (where.latitude, where.longitude))
            if activity.last_published_at:
                event.add("last-modified", activity.last_published_at)
            events.append(event)
    return events


def schedule_event(
    rule: scheduling.Recurrence,
    *,
    uid: str,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    cancelled: bool = False,
    since: datetime.date,
    holidays: Holidays = (),
    now: datetime.datetime,
    tz: str = scheduling.DEFAULT_TZ,
) -> Event | None:
    """One session time as an event, or None when it has no session to show.

    ``since`` is the day a repeating rule without a first date starts from. Term-time-only
    sessions in ``holidays`` from the first session until a year after ``now`` are exceptions.
    """
    zone = zoneinfo.ZoneInfo(tz)
    if rule.frequency == scheduling.ONCE:
        sessions = scheduling.occurrences_between(
            rule, rule.on_date, rule.on_date, holidays=holidays, tz=zone
        )
        if not sessions:
            return None  # a term-time-only date in a holiday
        first = sessions[0]
        rrule = None
    else:
        start = max(rule.starts_on, since) if rule.starts_on else since
        first = _first_session(rule, start, zone)
        if first is None:
            return None  # ended before it started, or no date in the next two years
        rrule = _rrule(rule, zone)

    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", first.start)
    if first.end is not None:
        event.add("dtend", first.end)
    if rrule:
        event.add("rrule", rrule)
        if rule.term_time_only and holidays:
            last = timezone.localdate(now) + datetime.timedelta(days=EXCEPTIONS_AHEAD_DAYS)
            exceptions = _holiday_sessions(rule, first.start.date(), last, holidays, zone)
            if exceptions:
                event.add("exdate", exceptions)
    event.add("summary", _one_line(summary))
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _first_session(
    rule: scheduling.Recurrence, start: datetime.date, zone: zoneinfo.ZoneInfo
) -> scheduling.Occurrence | None:
    last = start + datetime.timedelta(days=scheduling.SEARCH_HORIZON_DAYS)
    if rule.ends_on:
        last = min(last, rule.ends_on)
    # Holidays are not skipped: the first session of the rule is its start, even in a holiday
    # (it is then an exception like the others).
    for session in scheduling.occurrences_between(rule, start, last, tz=zone):
        return session
    return None


def _rrule(rule: scheduling.Recurrence, zone: zoneinfo.ZoneInfo) -> dict:
    if rule.frequency == scheduling.MONTHLY:
        rrule = {"freq": "MONTHLY", "byday": [f"{rule.nth}{ICAL_DAYS[rule.weekdays[0]]}"]}
    else:
        rrule = {"freq": "WEEKLY", "byday": [ICAL_DAYS[day] for day in rule.weekdays]}
        if rule.frequency == scheduling.FORTNIGHTLY:
            # Every other week counted from the first session's week, weeks starting on Monday,
            # as scheduling counts them.
            rrule.update(interval=2, wkst="MO")
    if rule.ends_on:
        # With a local DTSTART, UNTIL must be in UTC: the end of the last day there.
        end_of_day = datetime.datetime.combine(rule.ends_on, datetime.time.max, tzinfo=zone)
        rrule["until"] = end_of_day.astimezone(datetime.UTC).replace(microsecond=0)
    return rrule


def _holiday_sessions(
    rule: scheduling.Recurrence,
    first: datetime.date,
    last: datetime.date,
    holidays: Holidays,
    zone: zoneinfo.ZoneInfo,
) -> list[datetime.datetime]:
    """The starts of the sessions the rule gives from ``first`` to ``last`` that term time
    leaves out."""
    every = scheduling.occurrences_between(rule, first, last, tz=zone)
    kept = set(scheduling.occurrences_between(rule, first, last, holidays=holidays, tz=zone))
    return [session.start for session in every if session not in kept]


def _description(activity, rule, *, organisation, location: str, url: str) -> str:
    lines = [activity.summary, "", f"When: {scheduling.describe(rule)}"]
    if rule.term_time_only:
        lines.append(TERM_TIME_WORDS)
    if activity.status in CLOSED_WORDS:
        lines.append(CLOSED_WORDS[activity.status])
    if location:
        lines.append(f"Where: {location}")
    lines.append(f"Run by: {organisation.title}")
    if url:
        lines += ["", f"More about it, and any changes: {url}"]
    return "\n".join(lines)


def _location(activity) -> str:
    if activity.venue_id:
        where = activity.venue.public_location()
        return ", ".join(_one_line(part) for part in [where.name, *where.address_lines])
    return activity.get_delivery_display()


def _page_url(page) -> str:
    return absolute_url(page.url or "/")


def _host() -> str:
    return urlsplit(site_url()).hostname


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _filename(title: str, fallback: str) -> str:
    """An ASCII file name: nothing in a title can break the Content-Disposition header."""
    return f"{slugify(title)[:60].strip('-') or fallback}.ics"
