"""Tests for assets_directory.scheduling: plain functions, no database."""

import dataclasses
import datetime
import time
import zoneinfo

import pytest

from assets_directory.scheduling import (
    SEARCH_HORIZON_DAYS,
    Occurrence,
    Recurrence,
    describe,
    from_hsds,
    next_occurrences,
    occurrences_between,
    to_hsds,
)
from common.vocabulary import WEEKDAY_SLUGS

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = datetime.UTC
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)

# Properties of the HSDS 3.0 schedule object (openreferral hsds-3.0 schema/schedule.json).
HSDS_SCHEDULE_FIELDS = {
    "id",
    "service_id",
    "location_id",
    "service_at_location_id",
    "valid_from",
    "valid_to",
    "dtstart",
    "timezone",
    "until",
    "count",
    "wkst",
    "freq",
    "interval",
    "byday",
    "byweekno",
    "bymonthday",
    "byyearday",
    "description",
    "opens_at",
    "closes_at",
    "schedule_link",
    "attending_type",
    "notes",
    "attributes",
    "metadata",
}


def t(hhmm: str) -> datetime.time:
    return datetime.time.fromisoformat(hhmm)


def d(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


def london(iso: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(iso).replace(tzinfo=LONDON)


def weekly(*days, start="10:00", end="12:00", **kwargs) -> Recurrence:
    return Recurrence(
        "weekly", start_time=t(start), end_time=t(end) if end else None, weekdays=days, **kwargs
    )


def fortnightly(*days, start="10:00", end="12:00", **kwargs) -> Recurrence:
    return Recurrence(
        "fortnightly",
        start_time=t(start),
        end_time=t(end) if end else None,
        weekdays=days,
        **kwargs,
    )


def monthly(nth, day, start="14:00", end="16:00", **kwargs) -> Recurrence:
    return Recurrence(
        "monthly",
        start_time=t(start),
        end_time=t(end) if end else None,
        weekdays=(day,),
        nth=nth,
        **kwargs,
    )


def once(on, start="11:00", end="15:00", **kwargs) -> Recurrence:
    return Recurrence(
        "once", start_time=t(start), end_time=t(end) if end else None, on_date=d(on), **kwargs
    )


def start_dates(occurrences):
    return [occ.start.date().isoformat() for occ in occurrences]


# --------------------------------------------------------------------------------------------
# constants and the dataclasses


def test_weekday_slugs_start_on_monday():
    assert WEEKDAY_SLUGS == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    assert WEEKDAY_SLUGS[datetime.date(2026, 1, 5).weekday()] == "mon"


def test_recurrence_is_immutable():
    rule = weekly(TUE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.start_time = t("11:00")


def test_weekdays_are_sorted_and_deduplicated_so_equal_rules_compare_equal():
    assert weekly(THU, MON, THU).weekdays == (MON, THU)
    assert weekly(THU, MON) == weekly(MON, THU)


def test_weekdays_accept_a_list():
    rule = Recurrence("weekly", start_time=t("10:00"), weekdays=[FRI, MON])
    assert rule.weekdays == (MON, FRI)


def test_ends_on_may_equal_starts_on():
    rule = weekly(TUE, starts_on=d("2026-01-06"), ends_on=d("2026-01-06"))
    assert rule.starts_on == rule.ends_on


# --------------------------------------------------------------------------------------------
# validation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(frequency="daily", weekdays=(MON,)), "Unknown frequency 'daily'"),
        (dict(frequency="Weekly", weekdays=(MON,)), "Unknown frequency"),
        (dict(frequency="weekly"), "weekly session needs at least one day"),
        (dict(frequency="fortnightly"), "fortnightly session needs at least one day"),
        (dict(frequency="weekly", weekdays=(MON,), nth=1), "only applies to monthly"),
        (dict(frequency="monthly", weekdays=(WED,)), "which week of the month"),
        (dict(frequency="monthly", nth=1), "exactly one day of the week"),
        (dict(frequency="monthly", weekdays=(MON, WED), nth=1), "exactly one day of the week"),
        (dict(frequency="monthly", weekdays=(WED,), nth=5), "must be 1, 2, 3, 4 or -1"),
        (dict(frequency="monthly", weekdays=(WED,), nth=0), "must be 1, 2, 3, 4 or -1"),
        (dict(frequency="monthly", weekdays=(WED,), nth=-2), "must be 1, 2, 3, 4 or -1"),
        (dict(frequency="monthly", weekdays=(WED,), nth=True), "must be 1, 2, 3, 4 or -1"),
        (dict(frequency="once"), "one-off session needs a date"),
        (
            dict(frequency="once", on_date=d("2026-03-14"), weekdays=(SAT,)),
            "not days of the week",
        ),
        (dict(frequency="once", on_date=d("2026-03-14"), nth=1), "not a week of the month"),
        (
            dict(frequency="once", on_date=d("2026-03-14"), starts_on=d("2026-03-01")),
            "single date, not a first and last date",
        ),
        (
            dict(frequency="once", on_date=d("2026-03-14"), ends_on=d("2026-03-20")),
            "single date, not a first and last date",
        ),
        (
            dict(frequency="weekly", weekdays=(MON,), on_date=d("2026-03-14")),
            "only applies to a one-off session",
        ),
        (
            dict(frequency="weekly", weekdays=(MON,), end_time=t("10:00")),
            r"end time \(10:00\) must be after the start time \(10:00\)",
        ),
        (
            dict(frequency="weekly", weekdays=(MON,), end_time=t("09:00")),
            "must be after the start time",
        ),
        (
            dict(
                frequency="weekly",
                weekdays=(MON,),
                starts_on=d("2026-07-20"),
                ends_on=d("2026-01-05"),
            ),
            r"last date \(5 January 2026\) is before the first date \(20 July 2026\)",
        ),
        (dict(frequency="weekly", weekdays=(7,)), "numbered 0 \\(Monday\\) to 6 \\(Sunday\\)"),
        (dict(frequency="weekly", weekdays=(-1,)), "numbered 0"),
        (dict(frequency="weekly", weekdays=("mon",)), "numbered 0"),
        (
            dict(frequency="weekly", weekdays=(MON,), starts_on=datetime.datetime(2026, 1, 5)),
            "starts_on must be a date",
        ),
        (dict(frequency="weekly", weekdays=(MON,), ends_on="2026-01-05"), "ends_on must be a date"),
    ],
)
def test_inconsistent_rules_raise_value_error_with_plain_message(kwargs, message):
    kwargs.setdefault("start_time", t("10:00"))
    with pytest.raises(ValueError, match=message):
        Recurrence(**kwargs)


def test_start_time_must_be_a_time_object():
    with pytest.raises(ValueError, match="start_time must be a time of day"):
        Recurrence("weekly", start_time="10:00", weekdays=(MON,))


def test_times_with_a_time_zone_are_rejected_because_times_are_local():
    with pytest.raises(ValueError, match="local wall-clock time"):
        Recurrence("weekly", start_time=datetime.time(10, tzinfo=UTC), weekdays=(MON,))


# --------------------------------------------------------------------------------------------
# describe


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (weekly(TUE), "Every Tuesday, 10:00 to 12:00"),
        (weekly(THU, MON, start="18:30", end="20:00"), "Every Monday and Thursday, 18:30 to 20:00"),
        (
            weekly(MON, WED, FRI, start="09:00", end=None),
            "Every Monday, Wednesday and Friday, 09:00",
        ),
        (
            weekly(MON, TUE, WED, THU, FRI, start="09:00", end="17:00"),
            "Every weekday, 09:00 to 17:00",
        ),
        (weekly(*range(7), start="06:00", end=None), "Every day, 06:00"),
        (weekly(SAT, SUN), "Every Saturday and Sunday, 10:00 to 12:00"),
        (
            fortnightly(TUE, term_time_only=True),
            "Every other Tuesday, 10:00 to 12:00, term time only",
        ),
        (fortnightly(MON, THU, end=None), "Every other Monday and Thursday, 10:00"),
        (
            fortnightly(*range(7), end=None),
            "Every other Monday, Tuesday, Wednesday, Thursday, Friday, Saturday and Sunday, 10:00",
        ),
        (monthly(1, WED), "First Wednesday of the month, 14:00 to 16:00"),
        (monthly(2, MON), "Second Monday of the month, 14:00 to 16:00"),
        (monthly(3, SAT), "Third Saturday of the month, 14:00 to 16:00"),
        (monthly(4, SUN), "Fourth Sunday of the month, 14:00 to 16:00"),
        (
            monthly(-1, FRI, start="19:00", end="21:00"),
            "Last Friday of the month, 19:00 to 21:00",
        ),
        (once("2026-03-14"), "Saturday 14 March 2026, 11:00 to 15:00"),
        (once("2026-03-01", start="07:05", end=None), "Sunday 1 March 2026, 07:05"),
        (
            weekly(TUE, starts_on=d("2026-01-05")),
            "Every Tuesday, 10:00 to 12:00, from 5 January 2026",
        ),
        (
            weekly(TUE, ends_on=d("2026-07-20")),
            "Every Tuesday, 10:00 to 12:00, until 20 July 2026",
        ),
        (
            weekly(TUE, starts_on=d("2026-01-05"), ends_on=d("2026-07-20")),
            "Every Tuesday, 10:00 to 12:00, from 5 January 2026 until 20 July 2026",
        ),
        (
            fortnightly(TUE, starts_on=d("2026-01-06"), term_time_only=True),
            "Every other Tuesday, 10:00 to 12:00, term time only, from 6 January 2026",
        ),
        (
            monthly(-1, FRI, ends_on=d("2026-12-31")),
            "Last Friday of the month, 14:00 to 16:00, until 31 December 2026",
        ),
        (
            once("2026-03-14", term_time_only=True),
            "Saturday 14 March 2026, 11:00 to 15:00, term time only",
        ),
    ],
)
def test_describe_renders_plain_uk_english(rule, expected):
    assert describe(rule) == expected


def test_describe_ignores_seconds_and_pads_hours():
    rule = weekly(MON, start="08:05:59", end="09:00:30")
    assert describe(rule) == "Every Monday, 08:05 to 09:00"


# --------------------------------------------------------------------------------------------
# next_occurrences: basics


def test_weekly_returns_next_sessions_with_start_and_end_in_london():
    result = next_occurrences([weekly(TUE)], after=london("2026-01-05T09:00"), count=3)
    assert result == [
        Occurrence(london("2026-01-06T10:00"), london("2026-01-06T12:00")),
        Occurrence(london("2026-01-13T10:00"), london("2026-01-13T12:00")),
        Occurrence(london("2026-01-20T10:00"), london("2026-01-20T12:00")),
    ]
    assert all(occ.start.tzinfo == LONDON for occ in result)


def test_default_count_is_five():
    assert len(next_occurrences([weekly(TUE)], after=london("2026-01-05T09:00"))) == 5


def test_count_limits_the_number_of_results():
    rules = [weekly(MON, TUE, WED)]
    assert len(next_occurrences(rules, after=london("2026-01-05T00:00"), count=2)) == 2
    assert len(next_occurrences(rules, after=london("2026-01-05T00:00"), count=7)) == 7


def test_count_zero_returns_nothing_and_negative_count_is_an_error():
    assert next_occurrences([weekly(TUE)], after=london("2026-01-05T09:00"), count=0) == []
    with pytest.raises(ValueError, match="count must not be negative"):
        next_occurrences([weekly(TUE)], after=london("2026-01-05T09:00"), count=-1)


def test_no_rules_give_no_occurrences():
    assert next_occurrences([], after=london("2026-01-05T09:00")) == []


def test_rules_may_be_any_iterable():
    rules = (rule for rule in [weekly(TUE)])
    assert start_dates(next_occurrences(rules, after=london("2026-01-05T09:00"), count=1)) == [
        "2026-01-06"
    ]


def test_occurrence_starting_exactly_at_after_is_excluded():
    result = next_occurrences([weekly(TUE)], after=london("2026-01-06T10:00"), count=1)
    assert result[0].start == london("2026-01-13T10:00")


def test_occurrence_starting_a_minute_after_after_is_included():
    result = next_occurrences([weekly(TUE)], after=london("2026-01-06T09:59"), count=1)
    assert result[0].start == london("2026-01-06T10:00")


def test_session_already_started_today_is_not_returned():
    result = next_occurrences([weekly(TUE)], after=london("2026-01-06T10:30"), count=1)
    assert result[0].start == london("2026-01-13T10:00")


def test_rule_without_end_time_gives_occurrences_without_end():
    result = next_occurrences([weekly(TUE, end=None)], after=london("2026-01-05T09:00"), count=1)
    assert result == [Occurrence(london("2026-01-06T10:00"), None)]


def test_naive_after_is_read_as_local_time_not_utc():
    # 09:30 in July is 09:30 BST; if read as UTC it would be 10:30 BST, after the session.
    result = next_occurrences([weekly(TUE)], after=datetime.datetime(2026, 7, 7, 9, 30), count=1)
    assert result[0].start == london("2026-07-07T10:00")


def test_aware_after_in_another_zone_is_compared_as_an_instant():
    # 09:30 UTC is 10:30 in London in July, so that day's 10:00 session has begun.
    after = datetime.datetime(2026, 7, 7, 9, 30, tzinfo=UTC)
    result = next_occurrences([weekly(TUE)], after=after, count=1)
    assert result[0].start == london("2026-07-14T10:00")


def test_after_late_evening_utc_is_already_next_day_in_summer_london():
    # 23:30 UTC on Monday is 00:30 on Tuesday in London: Tuesday's session is still ahead.
    after = datetime.datetime(2026, 7, 6, 23, 30, tzinfo=UTC)
    result = next_occurrences([weekly(TUE, start="00:45", end="01:45")], after=after, count=1)
    assert result[0].start == london("2026-07-07T00:45")


def test_tz_can_be_given_as_zoneinfo_or_other_zone_name():
    new_york = zoneinfo.ZoneInfo("America/New_York")
    after = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=new_york)
    by_name = next_occurrences([weekly(TUE)], after=after, count=1, tz="America/New_York")
    by_object = next_occurrences([weekly(TUE)], after=after, count=1, tz=new_york)
    assert by_name == by_object
    assert by_name[0].start.utcoffset() == datetime.timedelta(hours=-5)
    assert by_name[0].start.astimezone(UTC) == datetime.datetime(2026, 1, 6, 15, 0, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# next_occurrences: daylight saving


def test_weekly_keeps_local_ten_oclock_across_spring_clock_change():
    result = next_occurrences([weekly(TUE)], after=london("2026-03-23T00:00"), count=2)
    assert [occ.start.hour for occ in result] == [10, 10]
    assert [occ.start.astimezone(UTC).hour for occ in result] == [10, 9]
    assert result[0].start.utcoffset() == datetime.timedelta(0)
    assert result[1].start.utcoffset() == datetime.timedelta(hours=1)


def test_weekly_keeps_local_ten_oclock_across_autumn_clock_change():
    result = next_occurrences([weekly(TUE)], after=london("2026-10-19T00:00"), count=2)
    assert start_dates(result) == ["2026-10-20", "2026-10-27"]
    assert [occ.start.hour for occ in result] == [10, 10]
    assert [occ.start.astimezone(UTC).hour for occ in result] == [9, 10]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [("2026-03-29", 9), ("2026-10-25", 10)],
)
def test_session_on_the_day_the_clocks_change_is_at_local_ten(day, utc_hour):
    result = next_occurrences([weekly(SUN)], after=london(f"{day}T00:00"), count=1)
    assert result[0].start.date().isoformat() == day
    assert result[0].start.hour == 10
    assert result[0].start.astimezone(UTC).hour == utc_hour


def test_time_inside_the_spring_forward_gap_becomes_the_real_instant():
    # 01:30 on 29 March 2026 never happens in London; the clocks jump from 01:00 to 02:00.
    result = next_occurrences(
        [weekly(SUN, start="01:30", end="03:00")], after=london("2026-03-28T12:00"), count=1
    )
    assert result[0].start.astimezone(UTC) == datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert (result[0].start.hour, result[0].start.minute) == (2, 30)
    assert result[0].end.astimezone(UTC) == datetime.datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_time_in_the_repeated_autumn_hour_takes_the_first_one():
    result = next_occurrences(
        [weekly(SUN, start="01:30", end=None)], after=london("2026-10-24T12:00"), count=1
    )
    assert result[0].start.astimezone(UTC) == datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# next_occurrences: fortnightly


def test_fortnightly_skips_alternate_weeks_from_anchor():
    rule = fortnightly(TUE, starts_on=d("2026-01-06"))
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=4)
    assert start_dates(result) == ["2026-01-06", "2026-01-20", "2026-02-03", "2026-02-17"]


def test_fortnightly_keeps_alternation_when_asked_long_after_the_anchor():
    rule = fortnightly(TUE, starts_on=d("2026-01-06"))
    # 2026-09-01 is 34 weeks after the anchor, so it is an "on" week.
    result = next_occurrences([rule], after=london("2026-08-26T00:00"), count=2)
    assert start_dates(result) == ["2026-09-01", "2026-09-15"]


def test_fortnightly_anchor_is_the_week_of_starts_on_not_the_day():
    # starts_on is a Wednesday: that week's Monday is before it so not offered, but Thursday is;
    # both days then repeat every other week.
    rule = fortnightly(MON, THU, starts_on=d("2026-01-07"))
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=4)
    assert start_dates(result) == ["2026-01-08", "2026-01-19", "2026-01-22", "2026-02-02"]


def test_fortnightly_across_year_boundary_into_new_year():
    rule = fortnightly(TUE, starts_on=d("2025-12-16"))
    result = next_occurrences([rule], after=london("2025-12-01T00:00"), count=4)
    assert start_dates(result) == ["2025-12-16", "2025-12-30", "2026-01-13", "2026-01-27"]


def test_fortnightly_across_a_53_week_year_does_not_follow_iso_week_number_parity():
    # 2026 has an ISO week 53, so week 52 (22 Dec) and week 1 of 2027 (5 Jan) are two weeks
    # apart even though 52 and 1 have different parity.
    rule = fortnightly(TUE, starts_on=d("2026-12-22"))
    result = next_occurrences([rule], after=london("2026-12-01T00:00"), count=3)
    assert start_dates(result) == ["2026-12-22", "2027-01-05", "2027-01-19"]


def test_fortnightly_without_starts_on_anchors_on_week_of_1_january_2024():
    # 2026-01-05 is 105 weeks after Monday 2024-01-01, an "off" week.
    rule = fortnightly(TUE)
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=2)
    assert start_dates(result) == ["2026-01-13", "2026-01-27"]
    anchored = fortnightly(TUE, starts_on=d("2024-01-01"))
    assert next_occurrences([anchored], after=london("2026-01-01T00:00"), count=2) == result


# --------------------------------------------------------------------------------------------
# next_occurrences: monthly


def test_monthly_first_wednesday():
    result = next_occurrences([monthly(1, WED)], after=london("2026-01-01T00:00"), count=4)
    assert start_dates(result) == ["2026-01-07", "2026-02-04", "2026-03-04", "2026-04-01"]


def test_monthly_second_monday():
    result = next_occurrences([monthly(2, MON)], after=london("2026-01-01T00:00"), count=3)
    assert start_dates(result) == ["2026-01-12", "2026-02-09", "2026-03-09"]


def test_monthly_last_friday():
    result = next_occurrences([monthly(-1, FRI)], after=london("2026-01-01T00:00"), count=5)
    assert start_dates(result) == [
        "2026-01-30",
        "2026-02-27",
        "2026-03-27",
        "2026-04-24",
        "2026-05-29",
    ]


def test_fourth_and_last_differ_in_a_month_with_five_of_that_weekday():
    # January 2026 has Fridays on the 2nd, 9th, 16th, 23rd and 30th.
    after = london("2026-01-01T00:00")
    assert start_dates(next_occurrences([monthly(4, FRI)], after=after, count=1)) == ["2026-01-23"]
    assert start_dates(next_occurrences([monthly(-1, FRI)], after=after, count=1)) == ["2026-01-30"]


def test_last_weekday_of_february_in_a_leap_year_can_be_the_29th():
    result = next_occurrences([monthly(-1, TUE)], after=london("2028-02-01T00:00"), count=1)
    assert start_dates(result) == ["2028-02-29"]


def test_monthly_skips_this_month_once_its_session_has_passed():
    result = next_occurrences([monthly(1, WED)], after=london("2026-01-07T15:00"), count=1)
    assert start_dates(result) == ["2026-02-04"]


# --------------------------------------------------------------------------------------------
# next_occurrences: one-off


def test_once_in_the_future_occurs_exactly_once():
    result = next_occurrences([once("2026-03-14")], after=london("2026-01-01T00:00"), count=5)
    assert result == [Occurrence(london("2026-03-14T11:00"), london("2026-03-14T15:00"))]


def test_once_in_the_past_yields_nothing():
    assert next_occurrences([once("2026-03-14")], after=london("2026-03-15T00:00")) == []


def test_once_earlier_the_same_day_yields_nothing():
    assert next_occurrences([once("2026-03-14")], after=london("2026-03-14T11:00")) == []


# --------------------------------------------------------------------------------------------
# next_occurrences: date limits and term time


def test_starts_on_in_the_future_delays_the_first_session():
    rule = weekly(TUE, starts_on=d("2026-02-01"))
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=2)
    assert start_dates(result) == ["2026-02-03", "2026-02-10"]


def test_ends_on_stops_the_rule_and_is_inclusive():
    rule = weekly(TUE, ends_on=d("2026-01-20"))
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=10)
    assert start_dates(result) == ["2026-01-06", "2026-01-13", "2026-01-20"]


def test_rule_that_has_ended_yields_nothing():
    rule = monthly(-1, FRI, ends_on=d("2025-12-31"))
    assert next_occurrences([rule], after=london("2026-01-01T00:00")) == []


def test_term_time_only_skips_dates_inside_holidays_inclusive_of_both_ends():
    rule = weekly(TUE, term_time_only=True)
    holidays = [
        (d("2026-02-16"), d("2026-02-20")),  # half term, Tuesday in the middle
        (d("2026-03-03"), d("2026-03-03")),  # a single-day closure on a Tuesday
        (d("2026-03-10"), d("2026-03-17")),  # starts and ends on a Tuesday
    ]
    result = next_occurrences([rule], after=london("2026-02-09T00:00"), count=4, holidays=holidays)
    assert start_dates(result) == ["2026-02-10", "2026-02-24", "2026-03-24", "2026-03-31"]


def test_holidays_do_not_affect_rules_that_run_all_year():
    holidays = [(d("2026-02-16"), d("2026-02-20"))]
    result = next_occurrences(
        [weekly(TUE)], after=london("2026-02-09T00:00"), count=2, holidays=holidays
    )
    assert start_dates(result) == ["2026-02-10", "2026-02-17"]


def test_fortnightly_term_time_keeps_alternation_through_a_holiday():
    # The holiday swallows one "on" week; the next session is still on the original rhythm.
    rule = fortnightly(TUE, starts_on=d("2026-02-03"), term_time_only=True)
    holidays = [(d("2026-02-16"), d("2026-02-20"))]
    result = next_occurrences([rule], after=london("2026-02-01T00:00"), count=3, holidays=holidays)
    assert start_dates(result) == ["2026-02-03", "2026-03-03", "2026-03-17"]


def test_reversed_holiday_range_is_an_error():
    with pytest.raises(ValueError, match="starts later"):
        next_occurrences(
            [weekly(TUE)],
            after=london("2026-01-01T00:00"),
            holidays=[(d("2026-02-20"), d("2026-02-16"))],
        )


def test_rule_that_can_never_occur_again_returns_quickly():
    rules = [
        weekly(*range(7), term_time_only=True),
        fortnightly(MON, term_time_only=True),
        monthly(-1, FRI, term_time_only=True),
    ]
    holidays = [(d("2020-01-01"), d("2040-12-31"))]
    started = time.perf_counter()
    result = next_occurrences(rules, after=london("2026-01-01T00:00"), holidays=holidays)
    assert result == []
    assert time.perf_counter() - started < 1.0


def test_search_finds_sessions_within_about_two_years():
    rule = weekly(TUE, starts_on=d("2027-06-01"))
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=1)
    assert start_dates(result) == ["2027-06-01"]


def test_search_stops_beyond_about_two_years_ahead():
    rules = [weekly(TUE, starts_on=d("2029-01-01")), once("2029-01-01")]
    assert next_occurrences(rules, after=london("2026-01-01T00:00")) == []


# --------------------------------------------------------------------------------------------
# next_occurrences: merging


def test_multiple_rules_are_merged_and_sorted_by_start():
    rules = [
        monthly(1, WED, start="14:00", end="16:00"),
        weekly(TUE, start="10:00", end="12:00"),
        once("2026-01-06", start="09:00", end="09:30"),
        weekly(TUE, THU, start="18:30", end="20:00"),
    ]
    result = next_occurrences(rules, after=london("2026-01-05T00:00"), count=6)
    assert [occ.start for occ in result] == [
        london("2026-01-06T09:00"),
        london("2026-01-06T10:00"),
        london("2026-01-06T18:30"),
        london("2026-01-07T14:00"),
        london("2026-01-08T18:30"),
        london("2026-01-13T10:00"),
    ]


def test_identical_sessions_from_overlapping_rules_are_listed_once():
    rules = [weekly(TUE), weekly(TUE, THU), weekly(TUE)]
    result = next_occurrences(rules, after=london("2026-01-05T00:00"), count=3)
    assert start_dates(result) == ["2026-01-06", "2026-01-08", "2026-01-13"]


def test_sessions_at_the_same_time_with_different_ends_are_both_kept():
    rules = [weekly(TUE, end="11:00"), weekly(TUE, end="12:00")]
    result = next_occurrences(rules, after=london("2026-01-05T00:00"), count=2)
    assert [occ.start for occ in result] == [london("2026-01-06T10:00")] * 2
    assert {occ.end for occ in result} == {london("2026-01-06T11:00"), london("2026-01-06T12:00")}


# --------------------------------------------------------------------------------------------
# HSDS


def test_to_hsds_weekly():
    rule = weekly(THU, TUE, starts_on=d("2026-01-05"), ends_on=d("2026-07-20"))
    assert to_hsds(rule) == {
        "freq": "WEEKLY",
        "interval": 1,
        "byday": "TU,TH",
        "dtstart": "2026-01-05",
        "valid_from": "2026-01-05",
        "valid_to": "2026-07-20",
        "until": "2026-07-20",
        "opens_at": "10:00",
        "closes_at": "12:00",
        "description": (
            "Every Tuesday and Thursday, 10:00 to 12:00, from 5 January 2026 until 20 July 2026"
        ),
    }


def test_to_hsds_fortnightly_term_time_uses_interval_two_and_notes():
    rule = fortnightly(TUE, starts_on=d("2026-01-06"), term_time_only=True)
    assert to_hsds(rule) == {
        "freq": "WEEKLY",
        "interval": 2,
        "byday": "TU",
        "wkst": "MO",
        "dtstart": "2026-01-06",
        "valid_from": "2026-01-06",
        "opens_at": "10:00",
        "closes_at": "12:00",
        "description": "Every other Tuesday, 10:00 to 12:00, term time only, from 6 January 2026",
        "notes": "Term time only",
    }


def test_to_hsds_fortnightly_without_start_gives_implicit_anchor_as_dtstart():
    data = to_hsds(fortnightly(TUE))
    assert data["dtstart"] == "2024-01-01"
    assert "valid_from" not in data


@pytest.mark.parametrize(("nth", "day", "byday"), [(1, WED, "1WE"), (-1, FRI, "-1FR")])
def test_to_hsds_monthly_prefixes_day_with_week_of_month(nth, day, byday):
    data = to_hsds(monthly(nth, day, end=None))
    assert data == {
        "freq": "MONTHLY",
        "interval": 1,
        "byday": byday,
        "opens_at": "14:00",
        "description": describe(monthly(nth, day, end=None)),
    }


def test_to_hsds_once_is_a_single_occurrence_weekly_rule():
    assert to_hsds(once("2026-03-14")) == {
        "freq": "WEEKLY",
        "interval": 1,
        "byday": "SA",
        "dtstart": "2026-03-14",
        "count": 1,
        "valid_from": "2026-03-14",
        "valid_to": "2026-03-14",
        "opens_at": "11:00",
        "closes_at": "15:00",
        "description": "Saturday 14 March 2026, 11:00 to 15:00",
    }


ROUND_TRIP_RULES = [
    weekly(TUE),
    weekly(MON, WED, FRI, start="09:00", end=None),
    weekly(TUE, starts_on=d("2026-01-05"), ends_on=d("2026-07-20"), term_time_only=True),
    weekly(SUN, ends_on=d("2026-07-20")),
    fortnightly(TUE),
    fortnightly(MON, THU, starts_on=d("2026-01-07"), term_time_only=True),
    fortnightly(TUE, starts_on=d("2025-12-16"), ends_on=d("2026-12-31"), end=None),
    monthly(1, WED),
    monthly(2, MON, starts_on=d("2026-02-01")),
    monthly(3, SAT, ends_on=d("2026-12-31"), term_time_only=True),
    monthly(4, SUN, end=None),
    monthly(-1, FRI, start="19:00", end="21:00"),
    once("2026-03-14"),
    once("2026-03-14", end=None, term_time_only=True),
]


@pytest.mark.parametrize("rule", ROUND_TRIP_RULES, ids=describe)
def test_from_hsds_round_trips_to_hsds(rule):
    assert from_hsds(to_hsds(rule)) == rule


@pytest.mark.parametrize("rule", ROUND_TRIP_RULES, ids=describe)
def test_to_hsds_only_emits_schedule_schema_fields(rule):
    data = to_hsds(rule)
    assert set(data) <= HSDS_SCHEDULE_FIELDS
    assert data["description"] == describe(rule)


def test_from_hsds_accepts_common_variations_from_other_publishers():
    rule = from_hsds(
        {
            "id": "48102e86-bb50-41c4-8f1e-e269368c41d1",
            "service_id": "ac148810-d857-441c-9679-408f346de14b",
            "freq": "weekly",
            "interval": "1",
            "byday": "tu, th",
            "opens_at": "10:00:00",
            "closes_at": "12:00:00",
            "valid_from": "",
            "valid_to": None,
            "notes": "Closed in the school holidays. Term time only.",
            "timezone": 0,
        }
    )
    assert rule == weekly(TUE, THU, term_time_only=True)


def test_from_hsds_weekly_without_byday_repeats_on_weekday_of_dtstart():
    rule = from_hsds({"freq": "WEEKLY", "dtstart": "2026-01-08", "opens_at": "10:00"})
    assert rule == weekly(THU, end=None, starts_on=d("2026-01-08"))


def test_hsds_times_keep_their_minutes_both_ways():
    rule = weekly(TUE, start="10:30", end="11:45")
    data = to_hsds(rule)
    assert (data["opens_at"], data["closes_at"]) == ("10:30", "11:45")
    assert data["description"] == "Every Tuesday, 10:30 to 11:45"
    assert from_hsds(data) == rule
    # Other publishers write seconds, or an hour without its leading zero.
    read = from_hsds({"freq": "WEEKLY", "byday": "TU", "opens_at": "9:05", "closes_at": "10:30:00"})
    assert (read.start_time, read.end_time) == (t("09:05"), t("10:30"))


def test_from_hsds_fortnightly_anchored_by_dtstart_alone_runs_in_the_weeks_of_dtstart():
    # 6 January 2026 falls in a week that the implicit anchor (the week of 1 January 2024)
    # would make an "off" week: the dates must follow dtstart, not the anchor.
    data = {"freq": "WEEKLY", "interval": 2, "byday": "TU", "dtstart": "2026-01-06",
            "opens_at": "10:00"}  # fmt: skip
    rule = from_hsds(data)
    assert rule == fortnightly(TUE, end=None, starts_on=d("2026-01-06"))
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=3)
    assert start_dates(result) == ["2026-01-06", "2026-01-20", "2026-02-03"]
    unanchored = next_occurrences(
        [fortnightly(TUE, end=None)], after=london("2026-01-01T00:00"), count=1
    )
    assert start_dates(unanchored) == ["2026-01-13"]


def test_from_hsds_uses_the_earlier_of_valid_to_and_until():
    data = {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00"}
    rule = from_hsds({**data, "valid_to": "2026-07-20", "until": "2026-06-30"})
    assert rule.ends_on == d("2026-06-30")


def test_from_hsds_fortnightly_valid_from_in_off_week_moves_to_next_on_week():
    # dtstart fixes the rhythm (weeks of 5 Jan, 19 Jan, ...); valid_from falls in an off week.
    rule = from_hsds(
        {
            "freq": "WEEKLY",
            "interval": 2,
            "byday": "TU",
            "dtstart": "2026-01-06",
            "valid_from": "2026-01-14",
            "opens_at": "10:00",
        }
    )
    assert rule.starts_on == d("2026-01-19")
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=2)
    assert start_dates(result) == ["2026-01-20", "2026-02-03"]


def test_from_hsds_fortnightly_valid_from_in_on_week_is_kept():
    rule = from_hsds(
        {
            "freq": "WEEKLY",
            "interval": 2,
            "byday": "TU,FR",
            "dtstart": "2026-01-06",
            "valid_from": "2026-01-21",
            "opens_at": "10:00",
        }
    )
    assert rule.starts_on == d("2026-01-21")
    result = next_occurrences([rule], after=london("2026-01-01T00:00"), count=2)
    assert start_dates(result) == ["2026-01-23", "2026-02-03"]


def test_from_hsds_fortnightly_dtstart_later_than_valid_from_wins():
    rule = from_hsds(
        {
            "freq": "WEEKLY",
            "interval": 2,
            "byday": "TU",
            "dtstart": "2026-03-03",
            "valid_from": "2026-01-01",
            "opens_at": "10:00",
        }
    )
    assert rule.starts_on == d("2026-03-03")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"freq": "DAILY"}, "Unsupported schedule frequency 'DAILY'"),
        ({"freq": None}, "Unsupported schedule frequency"),
        ({"opens_at": None}, "no opening time"),
        ({"opens_at": "10:00Z"}, "without a time zone"),
        ({"opens_at": "10:00-05:00"}, "without a time zone"),
        ({"closes_at": "25:00"}, "Cannot read closes_at"),
        ({"timezone": 1}, "fixed UTC offset"),
        ({"bymonthday": "1,15"}, "bymonthday cannot be represented"),
        ({"byweekno": "41"}, "byweekno cannot be represented"),
        ({"byyearday": "100"}, "byyearday cannot be represented"),
        ({"interval": 3}, "every 3 weeks"),
        ({"interval": "1.5"}, "expected a whole number"),
        ({"interval": "often"}, "expected a whole number"),
        ({"count": 4}, "limited to 4 occurrences"),
        ({"byday": "1TU"}, "weekly schedule cannot say which week"),
        ({"byday": "TUE"}, "Cannot read day 'TUE'"),
        ({"byday": None}, "needs at least one day"),
        ({"valid_from": "05/01/2026"}, "expected a date like"),
        ({"interval": 2, "wkst": "SU"}, "not starting on Monday"),
        ({"valid_from": "2026-07-01", "valid_to": "2026-01-01"}, "is before the first date"),
    ],
)
def test_from_hsds_rejects_weekly_schedules_it_cannot_represent(changes, message):
    data = {"freq": "WEEKLY", "interval": 1, "byday": "TU", "opens_at": "10:00", **changes}
    with pytest.raises(ValueError, match=message):
        from_hsds(data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"byday": "WE"}, "week of the month"),
        ({"byday": "1WE,3WE"}, "exactly one day"),
        ({"byday": "5WE"}, "must be 1, 2, 3, 4 or -1"),
        ({"byday": "-2WE"}, "must be 1, 2, 3, 4 or -1"),
        ({"interval": 2}, "every 2 months"),
    ],
)
def test_from_hsds_rejects_monthly_schedules_it_cannot_represent(changes, message):
    data = {"freq": "MONTHLY", "interval": 1, "byday": "1WE", "opens_at": "14:00", **changes}
    with pytest.raises(ValueError, match=message):
        from_hsds(data)


def test_from_hsds_once_byday_must_match_the_date():
    data = to_hsds(once("2026-03-14")) | {"byday": "SU"}
    with pytest.raises(ValueError, match="does not match the date"):
        from_hsds(data)


def test_from_hsds_once_needs_a_date():
    with pytest.raises(ValueError, match="needs a date"):
        from_hsds({"freq": "WEEKLY", "count": 1, "opens_at": "10:00"})


# --- exact messages and boundaries ----------------------------------------------------------

NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def test_a_start_time_is_required_and_named():
    with pytest.raises(ValueError, match="^start_time must be a time of day, not None\\.$"):
        Recurrence("weekly", None, weekdays=(TUE,))


def test_an_end_time_that_is_not_a_time_is_refused_by_name():
    with pytest.raises(ValueError, match="^end_time must be a time of day, not '11:00'\\.$"):
        Recurrence("weekly", t("10:00"), "11:00", weekdays=(TUE,))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("opens_at", "25:00"),
        ("interval", "two"),
        ("count", "once"),
        ("dtstart", "soon"),
        ("valid_from", "2026-13-01"),
        ("valid_to", "later"),
        ("until", "never"),
    ],
)
def test_an_unreadable_hsds_field_is_named(field, value):
    data = {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", field: value}
    with pytest.raises(ValueError, match=f"^Cannot read {field} {value!r}"):
        from_hsds(data)


def test_hsds_times_keep_their_minutes_and_seconds():
    rule = from_hsds(
        {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:30", "closes_at": "11:45:30"}
    )
    assert (rule.start_time, rule.end_time) == (t("10:30"), datetime.time(11, 45, 30))


def test_an_empty_day_in_byday_is_skipped_not_the_end_of_the_list():
    rule = from_hsds({"freq": "WEEKLY", "byday": "TU,,TH", "opens_at": "10:00"})
    assert rule.weekdays == (TUE, THU)


@pytest.mark.parametrize("field", ["dtstart", "valid_from"])
def test_a_one_off_hsds_schedule_takes_its_date_from_either_field(field):
    rule = from_hsds({"freq": "WEEKLY", "count": 1, "opens_at": "10:00", field: "2026-03-14"})
    assert (rule.frequency, rule.on_date) == ("once", d("2026-03-14"))


def test_a_monthly_hsds_day_without_its_week_is_refused_saying_so():
    with pytest.raises(ValueError, match="^A monthly schedule needs exactly one day with a week"):
        from_hsds({"freq": "MONTHLY", "byday": "WE", "opens_at": "10:00"})


def test_a_fortnightly_hsds_schedule_anchored_by_dtstart_alone_starts_then():
    data = {"freq": "WEEKLY", "interval": 2, "byday": "TU", "opens_at": "10:00"}
    rule = from_hsds({**data, "dtstart": "2026-03-03"})
    assert (rule.frequency, rule.starts_on) == ("fortnightly", d("2026-03-03"))
    assert from_hsds(data).starts_on is None


def test_a_one_off_session_on_the_first_or_last_day_searched_is_found():
    after = datetime.datetime(2026, 3, 14, 9, 0, tzinfo=LONDON)
    today = Recurrence("once", t("10:00"), on_date=after.date())
    last = after.date() + datetime.timedelta(days=SEARCH_HORIZON_DAYS)
    furthest = Recurrence("once", t("10:00"), on_date=last)
    assert [o.start.date() for o in next_occurrences([today, furthest], after=after)] == [
        after.date(),
        last,
    ]


def test_sessions_in_another_zone_start_and_end_on_its_clock():
    rule = Recurrence("weekly", t("10:00"), t("11:00"), weekdays=(TUE,))
    after = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=NEW_YORK)
    (occurrence,) = next_occurrences([rule], after=after, count=1, tz=NEW_YORK)
    assert occurrence == Occurrence(
        start=datetime.datetime(2026, 3, 10, 10, 0, tzinfo=NEW_YORK),
        end=datetime.datetime(2026, 3, 10, 11, 0, tzinfo=NEW_YORK),
    )


def test_the_first_day_searched_is_the_date_in_the_sessions_zone():
    # 21:00 in New York is already the next day in London; the 22:00 session is still tonight.
    rule = Recurrence("weekly", t("22:00"), weekdays=(TUE,))
    after = datetime.datetime(2026, 3, 10, 21, 0, tzinfo=NEW_YORK)
    (occurrence,) = next_occurrences([rule], after=after, count=1, tz=NEW_YORK)
    assert occurrence.start == datetime.datetime(2026, 3, 10, 22, 0, tzinfo=NEW_YORK)


class _Floating(datetime.tzinfo):
    """A zone that gives no offset: Python treats such a datetime as naive."""

    def utcoffset(self, dt):
        return None

    def dst(self, dt):
        return None


def test_a_time_whose_zone_gives_no_offset_is_read_as_local_time():
    rule = Recurrence("weekly", t("10:00"), weekdays=(TUE,))
    after = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=_Floating())
    (occurrence,) = next_occurrences([rule], after=after, count=1)
    assert occurrence.start == datetime.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize("offset", [0, "0", None])
def test_from_hsds_reads_a_zero_utc_offset_written_as_a_number_or_text_as_local_time(offset):
    data = {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "timezone": offset}
    assert from_hsds(data) == weekly(TUE, end=None)


# occurrences_between


def test_occurrences_between_lists_every_session_in_the_dates_past_ones_too():
    rule = Recurrence("fortnightly", t("10:00"), t("12:00"), weekdays=(TUE,))
    sessions = occurrences_between(rule, datetime.date(2026, 3, 1), datetime.date(2026, 4, 21))
    assert [s.start.date() for s in sessions] == [
        datetime.date(2026, 3, 10),
        datetime.date(2026, 3, 24),
        datetime.date(2026, 4, 7),
        datetime.date(2026, 4, 21),  # the last date is included
    ]
    # Across the clock change, still 10:00 to 12:00 local time.
    assert sessions[-1].start == datetime.datetime(2026, 4, 21, 10, 0, tzinfo=LONDON)
    assert sessions[-1].end == datetime.datetime(2026, 4, 21, 12, 0, tzinfo=LONDON)


def test_occurrences_between_skips_holidays_for_term_time_only_rules_alone():
    holidays = [(datetime.date(2026, 2, 16), datetime.date(2026, 2, 20))]
    first, last = datetime.date(2026, 2, 9), datetime.date(2026, 2, 28)
    term_time = Recurrence("weekly", t("10:00"), weekdays=(WED,), term_time_only=True)
    always = Recurrence("weekly", t("10:00"), weekdays=(WED,))
    assert [s.start.day for s in occurrences_between(term_time, first, last)] == [11, 18, 25]
    found = occurrences_between(term_time, first, last, holidays=holidays)
    assert [s.start.day for s in found] == [11, 25]
    found = occurrences_between(always, first, last, holidays=holidays)
    assert [s.start.day for s in found] == [11, 18, 25]


def test_occurrences_between_agrees_with_next_occurrences():
    rule = Recurrence(
        "monthly", t("19:00"), weekdays=(FRI,), nth=-1, ends_on=datetime.date(2026, 9, 1)
    )
    after = datetime.datetime(2026, 1, 1, tzinfo=LONDON)
    expected = next_occurrences([rule], after=after, count=20)
    assert (
        occurrences_between(rule, datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)) == expected
    )
    assert len(expected) == 8


def test_occurrences_between_an_empty_range_is_empty():
    rule = Recurrence("once", t("10:00"), on_date=datetime.date(2026, 3, 3))
    assert occurrences_between(rule, datetime.date(2026, 3, 4), datetime.date(2026, 3, 2)) == []
    assert len(occurrences_between(rule, datetime.date(2026, 3, 3), datetime.date(2026, 3, 3))) == 1
