"""Calendar files (.ics): read back as a calendar app would (icalendar to parse, then
recurring_ical_events to expand the repeating rules), the sessions must be the ones the
directory's own schedule gives (assets_directory.scheduling)."""

import datetime
import uuid
import zoneinfo

import icalendar
import pytest
import recurring_ical_events
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from assets_directory import ical, scheduling
from assets_directory.models import Activity
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    SchoolHolidayFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
# A Monday at midnight, long before any session of the day: a year of sessions from here takes
# in both clock changes.
NOW = datetime.datetime(2026, 1, 5, 0, 0, tzinfo=LONDON)
YEAR_END = NOW + datetime.timedelta(days=365)

HOLIDAYS = (
    (datetime.date(2026, 2, 16), datetime.date(2026, 2, 20)),  # February half term
    (datetime.date(2026, 3, 30), datetime.date(2026, 4, 10)),  # Easter
    (datetime.date(2026, 5, 25), datetime.date(2026, 5, 29)),  # May half term
    (datetime.date(2026, 7, 22), datetime.date(2026, 9, 1)),  # Summer
    (datetime.date(2026, 10, 26), datetime.date(2026, 10, 30)),  # October half term
    (datetime.date(2026, 12, 21), datetime.date(2027, 1, 1)),  # Christmas
)


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def expanded(calendar: icalendar.Calendar, start=NOW, end=YEAR_END):
    """(start, end) of each session a calendar app would show from `start` to `end`, in UTC."""
    sessions = []
    for session in recurring_ical_events.of(calendar).between(start, end):
        first = session.decoded("dtstart").astimezone(UTC)
        # Without an end time the event has none; the library gives it no length.
        last = session.decoded("dtend").astimezone(UTC) if "DTEND" in session else first
        sessions.append((first, None if last == first else last))
    return sorted(sessions)


def scheduled(activity, holidays=(), after=NOW, end=YEAR_END):
    """The same sessions as the directory's own schedule gives them."""
    sessions = scheduling.next_occurrences(
        activity.recurrences, after=after, count=2000, holidays=holidays
    )
    return [
        (s.start.astimezone(UTC), s.end.astimezone(UTC) if s.end else None)
        for s in sessions
        if s.start < end
    ]


def events(calendar):
    return [c for c in calendar.walk("VEVENT")]


def calendar_of(activity, holidays=(), now=NOW):
    return parse(ical.activity_calendar(activity, holidays=holidays, now=now).body)


@pytest.fixture
def venue():
    return VenueFactory(name="St Anne's Hall", address_1="2 Garratt Lane", postcode="SW18 4DJ")


def make_activity(organisation, venue, *schedules, **fields):
    activity = ActivityFactory(parent=organisation, venue=venue, **fields)
    for schedule in schedules:
        ActivityScheduleFactory(activity=activity, **schedule)
    return Activity.objects.get(pk=activity.pk)


# The sessions, compared with the schedule's own ------------------------------------------------


def test_fortnightly_sessions_match_the_schedule_for_a_year(organisation, venue):
    activity = make_activity(
        organisation,
        venue,
        {"frequency": "fortnightly", "weekdays": "tue"},
        # Two days a fortnight, from a Wednesday of an "on" week: its Thursday is the first.
        {
            "frequency": "fortnightly",
            "weekdays": "tue,thu",
            "starts_on": datetime.date(2026, 1, 21),
            "start_time": datetime.time(18, 30),
            "end_time": datetime.time(20, 0),
        },
    )
    calendar = calendar_of(activity)

    sessions = expanded(calendar)
    assert sessions == scheduled(activity)
    assert len(sessions) == 26 + 49
    first, second = events(calendar)
    assert first["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=MO"
    assert second.decoded("dtstart") == datetime.datetime(2026, 1, 22, 18, 30, tzinfo=LONDON)


def test_nth_weekday_of_the_month_sessions_match_the_schedule_for_a_year(organisation, venue):
    activity = make_activity(
        organisation,
        venue,
        {"frequency": "monthly", "weekdays": "tue", "nth": 2},
        {
            "frequency": "monthly",
            "weekdays": "fri",
            "nth": -1,
            "start_time": datetime.time(19),
            "end_time": datetime.time(21),
        },
        {"frequency": "monthly", "weekdays": "sun", "nth": 4, "end_time": None},
    )
    calendar = calendar_of(activity)

    sessions = expanded(calendar)
    assert sessions == scheduled(activity)
    assert len(sessions) == 36
    rules = sorted(e["RRULE"].to_ical() for e in events(calendar))
    assert rules == [
        b"FREQ=MONTHLY;BYDAY=-1FR",
        b"FREQ=MONTHLY;BYDAY=2TU",
        b"FREQ=MONTHLY;BYDAY=4SU",
    ]


def test_term_time_only_sessions_skip_the_holidays_as_the_schedule_does(organisation, venue):
    activity = make_activity(
        organisation,
        venue,
        {"frequency": "weekly", "weekdays": "mon,wed", "term_time_only": True},
        {"frequency": "fortnightly", "weekdays": "fri", "term_time_only": True},
        {
            "frequency": "monthly",
            "weekdays": "mon",
            "nth": 1,
            "start_time": datetime.time(14),
            "end_time": datetime.time(15),
            "term_time_only": True,
        },
        {"frequency": "weekly", "weekdays": "sat"},  # not term time only: runs in holidays
    )
    calendar = calendar_of(activity, holidays=HOLIDAYS)

    sessions = expanded(calendar)
    assert sessions == scheduled(activity, holidays=HOLIDAYS)
    in_holidays = [
        start
        for start, _ in sessions
        if any(a <= start.astimezone(LONDON).date() <= b for a, b in HOLIDAYS)
    ]
    assert in_holidays and all(s.astimezone(LONDON).weekday() == 5 for s in in_holidays)
    weekly, *_, saturdays = events(calendar)
    assert "EXDATE" in weekly and "EXDATE" not in saturdays
    assert "Term time only" in str(weekly["DESCRIPTION"])


def test_term_time_holidays_from_the_database_become_exceptions(client, organisation, venue):
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=14 - today.weekday())
    SchoolHolidayFactory(start_date=monday, end_date=monday + datetime.timedelta(days=4))
    activity = make_activity(
        organisation, venue, {"frequency": "weekly", "weekdays": "wed", "term_time_only": True}
    )

    response = client.get(calendar_url(activity))

    sessions = [
        s.decoded("dtstart").astimezone(LONDON).date()
        for s in recurring_ical_events.of(parse(response.content)).between(
            monday - datetime.timedelta(days=7), monday + datetime.timedelta(days=14)
        )
    ]
    wednesday = monday + datetime.timedelta(days=2)
    week = datetime.timedelta(days=7)
    assert sessions == [wednesday - week, wednesday + week]


def test_first_and_last_dates_bound_the_rule(organisation, venue):
    activity = make_activity(
        organisation,
        venue,
        {
            "frequency": "weekly",
            "weekdays": "thu",
            "starts_on": datetime.date(2026, 3, 1),
            "ends_on": datetime.date(2026, 7, 16),
        },
    )
    calendar = calendar_of(activity)

    sessions = expanded(calendar)
    assert sessions == scheduled(activity)
    assert sessions[0][0] == datetime.datetime(2026, 3, 5, 10, tzinfo=LONDON)
    # The last date's session is in (UNTIL is the end of that day, in UTC).
    assert sessions[-1][0] == datetime.datetime(2026, 7, 16, 10, tzinfo=LONDON)
    assert "UNTIL=20260716T225959Z" in events(calendar)[0]["RRULE"].to_ical().decode()


def test_sessions_stay_at_their_local_time_across_the_clock_changes(organisation, venue):
    activity = make_activity(organisation, venue, {"frequency": "weekly", "weekdays": "sun"})
    calendar = calendar_of(activity)

    hours = {start.astimezone(LONDON).hour for start, _ in expanded(calendar)}
    offsets = {start.astimezone(LONDON).utcoffset() for start, _ in expanded(calendar)}
    assert hours == {10}
    assert len(offsets) == 2  # GMT and BST
    body = ical.activity_calendar(activity, now=NOW).body.decode()
    assert "DTSTART;TZID=Europe/London:" in body
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_a_one_off_session_is_one_event_and_none_in_a_holiday_if_term_time_only(
    organisation, venue
):
    activity = make_activity(
        organisation,
        venue,
        {"frequency": "once", "weekdays": "", "on_date": datetime.date(2026, 3, 14)},
        {
            "frequency": "once",
            "weekdays": "",
            "on_date": datetime.date(2026, 4, 1),
            "term_time_only": True,
        },
    )
    calendar = calendar_of(activity, holidays=HOLIDAYS)

    (event,) = events(calendar)
    assert "RRULE" not in event
    assert expanded(calendar) == scheduled(activity, holidays=HOLIDAYS)
    assert expanded(calendar) == [
        (
            datetime.datetime(2026, 3, 14, 10, tzinfo=UTC),
            datetime.datetime(2026, 3, 14, 12, tzinfo=UTC),
        )
    ]


def test_a_rule_without_a_first_date_starts_when_the_activity_was_first_published(
    organisation, venue
):
    activity = make_activity(organisation, venue, {"frequency": "weekly", "weekdays": "tue"})
    Activity.objects.filter(pk=activity.pk).update(
        first_published_at=datetime.datetime(2025, 9, 3, 9, tzinfo=UTC)
    )
    activity.refresh_from_db()

    first = calendar_of(activity)
    later = calendar_of(activity, now=NOW + datetime.timedelta(days=40))

    (event,) = events(first)
    assert event.decoded("dtstart") == datetime.datetime(2025, 9, 9, 10, tzinfo=LONDON)
    # The same event from one download to the next.
    assert event.to_ical().replace(event["DTSTAMP"].to_ical(), b"") == events(later)[
        0
    ].to_ical().replace(events(later)[0]["DTSTAMP"].to_ical(), b"")


def test_a_rule_that_ended_before_it_was_listed_has_no_event(organisation, venue):
    activity = make_activity(
        organisation,
        venue,
        {"frequency": "weekly", "weekdays": "tue", "ends_on": datetime.date(2025, 12, 1)},
        {"frequency": "weekly", "weekdays": "wed"},
    )
    (event,) = events(calendar_of(activity))
    assert "Wednesday" in str(event["DESCRIPTION"])


# What each event says --------------------------------------------------------------------------


def test_each_event_names_the_activity_its_place_and_page(organisation, venue):
    activity = make_activity(
        organisation, venue, {"frequency": "weekly", "weekdays": "tue"}, title="Knit and natter"
    )
    schedule = activity.schedules.get()
    (event,) = events(calendar_of(activity))

    assert str(event["SUMMARY"]) == "Knit and natter"
    assert str(event["LOCATION"]) == "St Anne's Hall, 2 Garratt Lane, London, SW18 4DJ"
    assert str(event["URL"]) == f"http://testserver{activity.url}"
    assert str(event["UID"]) == f"{activity.uuid}-{schedule.pk}@testserver"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["GEO"].latitude == pytest.approx(51.4489)
    description = str(event["DESCRIPTION"])
    assert "When: Every Tuesday, 10:00 to 12:00" in description
    assert f"Run by: {organisation.title}" in description
    assert f"http://testserver{activity.url}" in description


def test_an_activity_without_a_venue_says_how_people_take_part(organisation):
    activity = ActivityFactory(parent=organisation, venue=None, delivery=Activity.Delivery.ONLINE)
    ActivityScheduleFactory(activity=activity)
    (event,) = events(calendar_of(Activity.objects.get(pk=activity.pk)))
    assert str(event["LOCATION"]) == "Online"
    assert "GEO" not in event


@pytest.mark.parametrize(
    "status, words",
    [("temporarily_closed", "Temporarily closed"), ("ended", "This activity has ended")],
)
def test_a_closed_activitys_sessions_are_cancelled(organisation, venue, status, words):
    activity = make_activity(
        organisation, venue, {"frequency": "weekly", "weekdays": "tue"}, status=status
    )
    (event,) = events(calendar_of(activity))
    assert str(event["STATUS"]) == "CANCELLED"
    assert words in str(event["DESCRIPTION"])


HOSTILE_TITLE = 'Knit, natter; "tea" \\ cake\r\nATTENDEE:mailto:evil@example.org'
HOSTILE_SUMMARY = "Bring wool, needles; and\nEND:VEVENT\nBEGIN:VTODO\nSUMMARY:owned"


def test_hostile_text_is_escaped_and_adds_no_field(organisation):
    venue = VenueFactory(name="Hall; back room, upstairs\nURL:https://evil.example")
    activity = make_activity(
        organisation,
        venue,
        {"frequency": "weekly", "weekdays": "tue"},
        title=HOSTILE_TITLE,
        summary=HOSTILE_SUMMARY,
    )
    body = ical.activity_calendar(activity, now=NOW).body
    calendar = parse(body)

    (event,) = events(calendar)
    assert str(event["SUMMARY"]) == 'Knit, natter; "tea" \\ cake ATTENDEE:mailto:evil@example.org'
    assert str(event["DESCRIPTION"]).startswith(HOSTILE_SUMMARY + "\n")
    assert str(event["LOCATION"]).startswith("Hall; back room, upstairs URL:https://evil.example")
    # The calendar's name is escaped as text too (icalendar reads it back as it is written).
    unfolded = body.replace(b"\r\n ", b"")
    assert b"\r\nX-WR-CALNAME:" + event["SUMMARY"].to_ical() + b"\r\n" in unfolded
    assert "ATTENDEE" not in event and event["URL"] == f"http://testserver{activity.url}"
    assert [c.name for c in calendar.walk()] == ["VCALENDAR", "VTIMEZONE", "STANDARD",
                                                 "DAYLIGHT", "STANDARD", "VEVENT"]  # fmt: skip
    assert b'SUMMARY:Knit\\, natter\\; "tea" \\\\ cake ATTENDEE:' in body
    # Every line, unfolded, starts a property or a component of its own.
    lines = unfolded.split(b"\r\n")
    assert not any(line.startswith((b"ATTENDEE", b"BEGIN:VTODO")) for line in lines)


def test_the_file_name_is_safe_whatever_the_title(organisation, venue):
    activity = make_activity(organisation, venue, {}, title=HOSTILE_TITLE)
    assert ical.activity_calendar(activity, now=NOW).filename == (
        "knit-natter-tea-cake-attendeemailtoevilexampleorg.ics"
    )
    odd = make_activity(organisation, venue, {}, title='"; ";', slug="odd")
    assert ical.activity_calendar(odd, now=NOW).filename == "activity.ics"


# The downloads --------------------------------------------------------------------------------


def calendar_url(activity):
    return reverse("assets_directory:activity_calendar", args=[activity.uuid])


def organisation_calendar_url(organisation):
    return reverse("assets_directory:organisation_calendar", args=[organisation.uuid])


def test_an_activitys_calendar_is_a_calendar_file_to_download(client, activity):
    response = client.get(calendar_url(activity))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="knit-and-natter.ics"'
    calendar = parse(response.content)
    assert str(calendar["PRODID"]) == ical.PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in response.content
    assert b"\r\nX-PUBLISHED-TTL:P1D\r\n" in response.content
    (event,) = events(calendar)
    assert str(event["SUMMARY"]) == "Knit and natter"
    now = timezone.now()
    assert len(expanded(calendar, now, now + datetime.timedelta(days=28))) == 4


def test_the_calendar_of_a_draft_is_not_found(client, organisation):
    draft = ActivityFactory(parent=organisation, live=False)
    ActivityScheduleFactory(activity=draft)
    assert client.get(calendar_url(draft)).status_code == 404


def test_an_unknown_calendar_is_not_found(client, db):
    missing = uuid.uuid4()
    url = reverse("assets_directory:activity_calendar", args=[missing])
    assert client.get(url).status_code == 404
    url = reverse("assets_directory:organisation_calendar", args=[missing])
    assert client.get(url).status_code == 404


def test_the_calendar_of_a_private_activity_or_organisation_is_not_found(client, activity):
    PageViewRestriction.objects.create(page=activity.get_parent(), restriction_type="login")
    assert client.get(calendar_url(activity)).status_code == 404
    assert client.get(organisation_calendar_url(activity.organisation)).status_code == 404


def test_the_calendar_of_an_unpublished_organisation_is_not_found(client, organisation):
    organisation.unpublish()
    assert client.get(organisation_calendar_url(organisation)).status_code == 404


def test_an_organisations_calendar_has_each_listed_activitys_sessions(client, organisation, venue):
    choir = make_activity(
        organisation, venue, {"frequency": "fortnightly", "weekdays": "thu"}, title="Choir"
    )
    knit = make_activity(
        organisation,
        venue,
        {"frequency": "weekly", "weekdays": "tue"},
        {"frequency": "monthly", "weekdays": "sat", "nth": 1},
        title="Knit and natter",
    )
    closed = make_activity(
        organisation,
        venue,
        {"frequency": "weekly", "weekdays": "fri"},
        title="Walking football",
        status="temporarily_closed",
    )
    make_activity(organisation, venue, {"weekdays": "mon"}, title="Ended club", status="ended")
    draft = ActivityFactory(parent=organisation, title="Draft club", live=False)
    ActivityScheduleFactory(activity=draft)
    elsewhere = make_activity(OrganisationFactory(), venue, {"weekdays": "wed"}, title="Other")

    response = client.get(organisation_calendar_url(organisation))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="tooting-knit-and-natter.ics"')
    calendar = parse(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Tooting Knit and Natter"
    by_summary = {}
    for event in events(calendar):
        by_summary.setdefault(str(event["SUMMARY"]), []).append(event)
    assert sorted(by_summary) == ["Choir", "Knit and natter", "Walking football"]
    assert len(by_summary["Knit and natter"]) == 2
    assert [str(e["STATUS"]) for e in by_summary["Walking football"]] == ["CANCELLED"]
    uids = {str(e["UID"]) for e in events(calendar)}
    assert len(uids) == 4
    for activity in (choir, knit, closed):
        assert any(uid.startswith(str(activity.uuid)) for uid in uids)
    assert not any(uid.startswith(str(elsewhere.uuid)) for uid in uids)
    # The organisation's feed gives each activity the same events as its own.
    own = calendar_of(knit, now=timezone.now())
    assert {str(e["UID"]) for e in events(own)} == {str(e["UID"]) for e in by_summary[knit.title]}


# The links on the pages --------------------------------------------------------------------------


def test_the_activity_page_links_to_its_calendar(client, activity):
    html = client.get(activity.url).content.decode()
    assert f'href="{calendar_url(activity)}"' in html
    assert "Add to your calendar (.ics)" in html


def test_an_activity_without_session_times_has_no_calendar_link(client, organisation):
    activity = ActivityFactory(parent=organisation)
    html = client.get(activity.url).content.decode()
    assert "Add to your calendar" not in html


def test_the_organisation_page_links_to_its_calendar(client, activity):
    organisation = activity.organisation
    html = client.get(organisation.url).content.decode()
    assert f'href="{organisation_calendar_url(organisation)}"' in html
    assert "Add to your calendar (.ics)" in html
