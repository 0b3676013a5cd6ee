"""The session form in the activity editor: what each frequency needs, said per field; the
fields it does not use cleared on save; and the preview in words with the next three dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assets_directory import scheduling, selectors
from assets_directory.forms import SessionPreviewForm
from common.vocabulary import long_date
from tests.assets_directory.test_permissions import edit_post_data
from tests.factories import ActivityScheduleFactory, SchoolHolidayFactory

LONDON = "Europe/London"
TEN, NOON = datetime.time(10, 0), datetime.time(12, 0)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# A Tuesday well in the future, so that the next dates do not depend on today.
NEW_YEAR_2030 = datetime.date(2030, 1, 1)


# -- in words -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        (
            scheduling.Recurrence("weekly", TEN, NOON, weekdays=(TUE, THU)),
            "Every Tuesday and Thursday, 10:00 to 12:00",
        ),
        (
            scheduling.Recurrence(
                "fortnightly", TEN, NOON, weekdays=(TUE,), starts_on=NEW_YEAR_2030,
                term_time_only=True,
            ),
            "Every other Tuesday, 10:00 to 12:00, term time only, from 1 January 2030",
        ),
        (
            scheduling.Recurrence("monthly", datetime.time(19), None, weekdays=(FRI,), nth=-1),
            "Last Friday of the month, 19:00",
        ),
        (
            scheduling.Recurrence("once", TEN, NOON, on_date=datetime.date(2030, 3, 16)),
            "Saturday 16 March 2030, 10:00 to 12:00",
        ),
    ],
)  # fmt: skip
def test_each_frequency_in_words(rule, words):
    assert scheduling.describe(rule) == words


def test_a_session_date_is_said_with_its_day():
    occurrence = scheduling.next_occurrences(
        [scheduling.Recurrence("weekly", TEN, NOON, weekdays=(TUE,))],
        after=datetime.datetime(2026, 12, 5, 12, 0),
        count=1,
        tz=LONDON,
    )[0]
    assert scheduling.describe_occurrence(occurrence) == "Tuesday 8 December 2026"


@pytest.mark.django_db
def test_the_preview_gives_the_next_three_dates_skipping_holidays_in_term_time():
    SchoolHolidayFactory(
        name="Half term", start_date=datetime.date(2030, 1, 13), end_date=datetime.date(2030, 1, 19)
    )
    rule = scheduling.Recurrence(
        "fortnightly", TEN, NOON, weekdays=(TUE,), starts_on=NEW_YEAR_2030, term_time_only=True
    )
    preview = selectors.session_preview(
        recurrence=rule, after=datetime.datetime(2029, 12, 1, tzinfo=datetime.UTC)
    )
    assert preview.description.startswith("Every other Tuesday, 10:00 to 12:00, term time only")
    assert preview.next_dates == [
        "Tuesday 1 January 2030",
        # Tuesday 15 January is in half term.
        "Tuesday 29 January 2030",
        "Tuesday 12 February 2030",
    ]


# -- what each frequency needs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "given", "missing"),
    [
        ("weekly", {}, {"weekdays"}),
        ("weekly", {"weekdays": (TUE,)}, set()),
        ("fortnightly", {"weekdays": (TUE,)}, {"starts_on"}),
        ("fortnightly", {}, {"weekdays", "starts_on"}),
        ("fortnightly", {"weekdays": (TUE,), "starts_on": NEW_YEAR_2030}, set()),
        ("monthly", {"weekdays": (TUE,)}, {"nth"}),
        ("monthly", {"weekdays": (TUE, WED), "nth": 1}, {"weekdays"}),
        ("monthly", {"weekdays": (TUE,), "nth": -1}, set()),
        ("once", {"weekdays": (TUE,), "nth": 1}, {"on_date"}),
        ("once", {"on_date": NEW_YEAR_2030}, set()),
    ],
)
def test_each_frequency_says_what_it_still_needs(frequency, given, missing):
    found = scheduling.missing_for_frequency(frequency, **given)
    assert set(found) == missing
    for message in found.values():
        assert message[0].isupper() and message.endswith(".")


def test_every_field_a_frequency_can_need_is_one_it_uses():
    assert scheduling.frequencies_using("nth") == ("monthly",)
    assert scheduling.frequencies_using("on_date") == ("once",)
    assert scheduling.frequencies_using("starts_on") == ("weekly", "fortnightly", "monthly")


@pytest.mark.django_db
def test_a_fortnightly_session_without_a_date_is_refused_naming_the_field(activity):
    session = ActivityScheduleFactory.build(
        activity=activity, frequency="fortnightly", weekdays="tue", starts_on=None
    )
    with pytest.raises(ValidationError) as refused:
        session.clean()
    assert set(refused.value.message_dict) == {"starts_on"}
    assert "which weeks" in refused.value.message_dict["starts_on"][0]


@pytest.mark.django_db
def test_a_monthly_session_without_its_week_is_refused_naming_the_field(activity):
    session = ActivityScheduleFactory.build(activity=activity, frequency="monthly", nth=None)
    with pytest.raises(ValidationError) as refused:
        session.clean()
    assert set(refused.value.message_dict) == {"nth"}
    assert "week of the month" in refused.value.message_dict["nth"][0]


@pytest.mark.django_db
def test_a_one_off_session_keeps_only_its_date(activity):
    session = ActivityScheduleFactory.build(
        activity=activity,
        frequency="once",
        weekdays="tue,thu",
        nth=2,
        starts_on=NEW_YEAR_2030,
        ends_on=datetime.date(2030, 6, 1),
        on_date=datetime.date(2030, 3, 16),
        term_time_only=True,
    )
    session.clean()
    assert (session.weekdays, session.nth, session.starts_on, session.ends_on) == (
        "",
        None,
        None,
        None,
    )
    assert session.term_time_only is False
    assert session.on_date == datetime.date(2030, 3, 16)


@pytest.mark.django_db
def test_a_weekly_session_forgets_a_one_off_date_and_week_of_the_month(activity):
    session = ActivityScheduleFactory.build(
        activity=activity, frequency="weekly", nth=3, on_date=NEW_YEAR_2030, term_time_only=True
    )
    session.clean()
    assert (session.nth, session.on_date, session.term_time_only) == (None, None, True)


@pytest.mark.django_db
def test_without_javascript_the_editor_shows_every_field_saying_which_frequency_uses_it(
    client, moderator, activity
):
    client.force_login(moderator)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[activity.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-session-for="monthly"' in html
    assert 'data-session-for="once"' in html
    assert html.count('data-session-for="weekly fortnightly monthly"') >= 3
    assert "Only for once a month" in html
    assert "Every other week needs it, to know which weeks it runs" in html
    assert "js/session-times-admin.js" in html


def session_post(activity, **session):
    """The editor's form for ``activity`` with one new session time, its fields as given."""
    return edit_post_data(
        activity,
        **{
            "schedules-TOTAL_FORMS": "1",
            "schedules-0-ORDER": "1",
            "schedules-0-start_time": "10:00",
            "schedules-0-end_time": "12:00",
            **{f"schedules-0-{name}": value for name, value in session.items()},
        },
    )


@pytest.mark.django_db
def test_the_editor_says_which_field_a_fortnightly_session_still_needs(client, moderator, activity):
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        session_post(activity, frequency="fortnightly", weekdays=["tue"]),
    )
    assert response.status_code == 200
    session_form = response.context["form"].formsets["schedules"].forms[0]
    assert list(session_form.errors) == ["starts_on"]
    assert "which weeks" in session_form.errors["starts_on"][0]


@pytest.mark.django_db
def test_the_editor_saves_a_one_off_session_without_the_fields_it_does_not_use(
    client, moderator, activity
):
    client.force_login(moderator)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        session_post(
            activity,
            frequency="once",
            on_date="2030-03-16",
            weekdays=["tue", "thu"],
            nth="2",
            starts_on="2030-01-01",
            term_time_only="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    saved = activity.get_latest_revision().as_object().schedules.get(frequency="once")
    assert saved.on_date == datetime.date(2030, 3, 16)
    assert (saved.weekdays, saved.nth, saved.starts_on, saved.term_time_only) == (
        "",
        None,
        None,
        False,
    )
    assert saved.describe() == "Saturday 16 March 2030, 10:00 to 12:00"


# -- the preview form and view ------------------------------------------------------------------


def test_the_preview_form_ignores_fields_the_frequency_does_not_use():
    form = SessionPreviewForm(
        {"frequency": "once", "on_date": "2030-03-16", "start_time": "10:00",
         "weekdays": ["tue"], "nth": "2", "starts_on": "2030-01-01", "term_time_only": "on"}
    )  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["recurrence"] == scheduling.Recurrence(
        "once", TEN, on_date=datetime.date(2030, 3, 16)
    )


PREVIEW = "session_preview"


@pytest.fixture
def signed_in(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.django_db
def test_an_editor_sees_a_fortnightly_session_in_words_with_its_next_three_dates(signed_in):
    # A Tuesday some weeks ahead, so that the first date is the start whatever today is.
    start = datetime.date.today() + datetime.timedelta(days=30)
    start += datetime.timedelta(days=(TUE - start.weekday()) % 7)
    response = signed_in.get(
        reverse(PREVIEW),
        {"frequency": "fortnightly", "weekdays": ["tue"], "start_time": "10:00",
         "end_time": "12:00", "starts_on": start.isoformat(), "term_time_only": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {
        "description": "Every other Tuesday, 10:00 to 12:00, term time only, "
        f"from {long_date(start)}",
        "next_dates": [
            f"Tuesday {long_date(start + datetime.timedelta(weeks=weeks))}" for weeks in (0, 2, 4)
        ],
    }


@pytest.mark.django_db
def test_the_preview_is_for_admin_users_only(client):
    response = client.get(reverse(PREVIEW), {"frequency": "weekly", "weekdays": "tue"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_the_preview_answers_only_get(signed_in):
    assert signed_in.post(reverse(PREVIEW), {"frequency": "weekly"}).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({}, {"frequency", "start_time"}),
        ({"frequency": "fortnightly", "weekdays": "tue", "start_time": "10:00"}, {"starts_on"}),
        ({"frequency": "monthly", "weekdays": "tue", "start_time": "10:00"}, {"nth"}),
        ({"frequency": "once", "start_time": "10:00"}, {"on_date"}),
        ({"frequency": "weekly", "start_time": "10:00"}, {"weekdays"}),
        ({"frequency": "hourly", "start_time": "10:00"}, {"frequency"}),
        ({"frequency": "weekly", "weekdays": "tue", "start_time": "25:99"}, {"start_time"}),
        ({"frequency": "weekly", "weekdays": "funday", "start_time": "10:00"}, {"weekdays"}),
        ({"frequency": "monthly", "weekdays": "tue", "nth": "7", "start_time": "10:00"}, {"nth"}),
        ({"frequency": "monthly", "weekdays": "tue", "nth": "x", "start_time": "10:00"}, {"nth"}),
        ({"frequency": "once", "on_date": "2030-02-30", "start_time": "10:00"}, {"on_date"}),
        ({"frequency": "once", "on_date": "9" * 5000, "start_time": "10:00"}, {"on_date"}),
        (
            {"frequency": "weekly", "weekdays": "tue", "start_time": "12:00", "end_time": "10:00"},
            {"__all__"},
        ),
        (
            {"frequency": "weekly", "weekdays": "tue", "start_time": "10:00",
             "starts_on": "2030-02-01", "ends_on": "2030-01-01"},
            {"__all__"},
        ),
        (
            {"frequency": "<script>alert(1)</script>", "start_time": "<img src=x onerror=1>"},
            {"frequency", "start_time"},
        ),
    ],
)  # fmt: skip
def test_bad_input_is_answered_with_the_fields_to_correct_never_a_crash(signed_in, query, fields):
    response = signed_in.get(reverse(PREVIEW), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = response.json()["errors"]
    assert set(errors) == fields
    text = " ".join(m for messages in errors.values() for m in messages)
    assert "<script>" not in text and "<img" not in text
    assert "This field is required" not in text
