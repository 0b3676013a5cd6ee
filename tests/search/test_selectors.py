"""Next sessions added to search hits: exact at any moment, and the database only when needed."""

import datetime

import pytest

from assets_directory import scheduling
from assets_directory.models import SchoolHoliday
from search.query import DirectoryQuery, TimeWindow
from search.results import SearchHit
from search.selectors import add_next_sessions


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def hit(*rules: scheduling.Recurrence) -> SearchHit:
    schedule = [scheduling.to_hsds(rule) for rule in rules]
    return SearchHit(id=1, title="", organisation="", url="", summary="", schedule=schedule)


TUESDAY_10 = scheduling.Recurrence("weekly", datetime.time(10), weekdays=(1,))
TERM_TIME_TUESDAY_10 = scheduling.Recurrence(
    "weekly", datetime.time(10), weekdays=(1,), term_time_only=True
)


def next_session(rules, now):
    found = hit(*rules)
    add_next_sessions([found], now=now)
    return found.next_session


def test_next_session_is_exact_whenever_asked_and_in_any_order():
    # Tuesday 7 January 2025, 10:00 London (GMT), then the Tuesdays after it.
    moments = [
        ("2025-01-06T12:00:00+00:00", "2025-01-07T10:00:00+00:00"),
        ("2025-01-07T09:59:59+00:00", "2025-01-07T10:00:00+00:00"),
        ("2025-01-07T10:00:00+00:00", "2025-01-14T10:00:00+00:00"),
        ("2025-01-06T00:00:00+00:00", "2025-01-07T10:00:00+00:00"),
        ("2025-01-20T08:00:00+00:00", "2025-01-21T10:00:00+00:00"),
        ("2025-01-08T08:00:00+00:00", "2025-01-14T10:00:00+00:00"),
    ]
    for now, expected in moments:
        assert next_session([TUESDAY_10], at(now)) == at(expected), now
    assert next_session([], at("2025-01-06T12:00:00+00:00")) is None


def test_hits_without_term_time_sessions_ask_no_database():
    # No django_db mark: any query would fail the test.
    found = [hit(TUESDAY_10), hit(), hit(TUESDAY_10, TUESDAY_10)]
    add_next_sessions(found, now=at("2025-01-06T12:00:00+00:00"))
    assert [h.next_session for h in found] == [
        at("2025-01-07T10:00:00+00:00"),
        None,
        at("2025-01-07T10:00:00+00:00"),
    ]


@pytest.mark.django_db
def test_term_time_sessions_skip_the_holidays_as_they_are_now():
    now = at("2025-01-06T12:00:00+00:00")
    assert next_session([TERM_TIME_TUESDAY_10], now) == at("2025-01-07T10:00:00+00:00")
    SchoolHoliday.objects.create(
        name="Snow week", start_date=datetime.date(2025, 1, 6), end_date=datetime.date(2025, 1, 10)
    )
    assert next_session([TERM_TIME_TUESDAY_10], now) == at("2025-01-14T10:00:00+00:00")
    # The same rule without "term time only" ignores holidays.
    assert next_session([TUESDAY_10], now) == at("2025-01-07T10:00:00+00:00")


TUESDAY_AND_SATURDAY_10 = scheduling.Recurrence("weekly", datetime.time(10), weekdays=(1, 5))
# Friday 10 January 2025, noon: Saturday comes first, Tuesday after it.
FRIDAY = at("2025-01-10T12:00:00+00:00")
SATURDAY_10 = at("2025-01-11T10:00:00+00:00")
TUESDAY_10_NEXT = at("2025-01-14T10:00:00+00:00")


def next_fitting(rules, now, **query):
    found = hit(*rules)
    add_next_sessions([found], now=now, query=DirectoryQuery(**query))
    return found.next_session


def test_next_session_fits_the_days_asked_for():
    assert next_fitting([TUESDAY_AND_SATURDAY_10], FRIDAY) == SATURDAY_10
    assert next_fitting([TUESDAY_AND_SATURDAY_10], FRIDAY, days=(1,)) == TUESDAY_10_NEXT
    assert next_fitting([TUESDAY_AND_SATURDAY_10], FRIDAY, days=(1, 5)) == SATURDAY_10
    # Asked in the other order, each answer is still its own (the cache knows the filter).
    assert next_fitting([TUESDAY_AND_SATURDAY_10], FRIDAY) == SATURDAY_10


def test_next_session_fits_the_time_of_day_asked_for():
    morning = scheduling.Recurrence("weekly", datetime.time(10), datetime.time(12), weekdays=(5,))
    evening = scheduling.Recurrence("weekly", datetime.time(18), datetime.time(20), weekdays=(1,))
    evenings = TimeWindow(datetime.time(17), datetime.time(0))
    assert next_fitting([morning, evening], FRIDAY) == SATURDAY_10
    assert next_fitting([morning, evening], FRIDAY, time_window=evenings) == at(
        "2025-01-14T18:00:00+00:00"
    )
    # Free on Saturday afternoons only: the 10:00 to 12:00 session does not touch it.
    saturday_afternoon = ((5, TimeWindow(datetime.time(12), datetime.time(17))),)
    assert next_fitting([morning], FRIDAY, slots=saturday_afternoon) is None
    saturday_late_morning = ((5, TimeWindow(datetime.time(11), datetime.time(13))),)
    assert next_fitting([morning], FRIDAY, slots=saturday_late_morning) == SATURDAY_10


def test_a_fortnightly_pattern_keeps_its_weeks_when_narrowed():
    # Every other Tuesday and Saturday, from the week of Monday 6 January 2025.
    rule = scheduling.Recurrence(
        "fortnightly", datetime.time(10), weekdays=(1, 5), starts_on=datetime.date(2025, 1, 6)
    )
    # Saturday 11 is in an "on" week; Tuesday 14 is not, so the next Tuesday is the 21st.
    assert next_fitting([rule], FRIDAY) == SATURDAY_10
    assert next_fitting([rule], FRIDAY, days=(1,)) == at("2025-01-21T10:00:00+00:00")


def test_happening_now_does_not_narrow_the_next_session():
    assert next_fitting([TUESDAY_AND_SATURDAY_10], FRIDAY, open_at=FRIDAY) == SATURDAY_10
