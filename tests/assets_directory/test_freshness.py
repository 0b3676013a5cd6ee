"""Freshness: reminders to owners, one-use signed links, flags to moderators, publish resets."""

import re
import time
import types
from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command
from django.db.models import F
from django.test import Client
from django.utils import dateformat, timezone

from assets_directory import tasks
from assets_directory.models import Activity, FreshnessReminder, ListingReport
from assets_directory.services import (
    FRESHNESS_SALT,
    freshness_link,
    freshness_send_reminders,
)
from tests.conftest import make_editor
from tests.factories import ActivityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"http://testserver(/listing-check/[^\s]+/)")


@pytest.fixture(autouse=True)
def _settings(settings):
    # Pin the numbers the tests rely on, whatever the environment says.
    settings.FRESHNESS_REVIEW_DAYS = 182
    settings.FRESHNESS_REMINDER_INTERVAL_DAYS = 14
    settings.FRESHNESS_MAX_REMINDERS = 3
    settings.FRESHNESS_LINK_MAX_AGE_DAYS = 30
    settings.MODERATOR_EMAILS = []
    return settings


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


def make_stale(activity, days=200):
    Activity.objects.filter(pk=activity.pk).update(last_reviewed=days_ago(days))
    activity.refresh_from_db()
    return activity


@pytest.fixture
def stale(activity):
    return make_stale(activity)


def reload(activity):
    return Activity.objects.get(pk=activity.pk)


def links(message):
    """The confirm and closed link paths in a reminder e-mail, in that order."""
    confirm = re.search(r"confirm it here:\s*(\S+)", message.body).group(1)
    closed = re.search(r"temporarily closed:\s*(\S+)", message.body).group(1)
    return (
        LINK_RE.fullmatch(confirm).group(1),
        LINK_RE.fullmatch(closed).group(1),
    )


def age_reminders(activity, days):
    """Pretend every reminder for the activity was sent `days` earlier than it was."""
    FreshnessReminder.objects.filter(activity=activity).update(
        sent_at=F("sent_at") - timedelta(days=days)
    )


def token_of(path):
    return path.rstrip("/").rsplit("/", 1)[1]


@pytest.fixture
def fake_clock(monkeypatch):
    """Move the clock django.core.signing reads (and only that one) forward."""

    def shift(seconds):
        monkeypatch.setattr(
            signing, "time", types.SimpleNamespace(time=lambda: time.time() + seconds)
        )

    return shift


# Which listings are due -----------------------------------------------------------------------


def test_stale_live_activity_reminder_goes_to_organisation_editors(editor, stale, mailoutbox):
    other_editor = make_editor(stale.organisation, username="natter", email="natter@example.org")
    summary = freshness_send_reminders()

    assert (summary.reminded, summary.flagged, summary.skipped_no_owner) == (1, 0, 0)
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == sorted([editor.email, other_editor.email])
    assert "Knit and natter" in message.subject
    assert "http://testserver" + stale.url in message.body
    reminder = FreshnessReminder.objects.get(activity=stale)
    assert reminder.reviewed_on == stale.last_reviewed
    assert reminder.response == ""
    assert set(reminder.sent_to.splitlines()) == {editor.email, other_editor.email}


def test_stale_activity_without_editors_reminder_goes_to_organisation_email(stale, mailoutbox):
    summary = freshness_send_reminders()

    assert summary.reminded == 1
    assert [m.to for m in mailoutbox] == [["tooting-knit-and-natter@example.org"]]


def test_inactive_editor_is_not_reminded(organisation, stale, mailoutbox):
    make_editor(organisation, username="gone", email="gone@example.org", is_active=False)
    freshness_send_reminders()

    assert [m.to for m in mailoutbox] == [["tooting-knit-and-natter@example.org"]]


def test_stale_activity_without_any_owner_address_is_skipped(directory, mailoutbox):
    organisation = OrganisationFactory(parent=directory, title="No Address Group", email="")
    make_stale(ActivityFactory(parent=organisation, title="Quiet club"))

    summary = freshness_send_reminders()

    assert (summary.reminded, summary.skipped_no_owner) == (0, 1)
    assert mailoutbox == []
    assert not FreshnessReminder.objects.exists()


def test_listing_exactly_review_days_old_is_due_one_day_younger_is_not(
    organisation, editor, mailoutbox
):
    due = ActivityFactory(parent=organisation, title="Due", last_reviewed=days_ago(182))
    ActivityFactory(parent=organisation, title="Not yet", last_reviewed=days_ago(181))

    summary = freshness_send_reminders()

    assert summary.reminded == 1
    assert [m.subject for m in mailoutbox] == ["Is your listing still right? Due"]
    assert list(FreshnessReminder.objects.values_list("activity_id", flat=True)) == [due.pk]


def test_review_days_setting_is_used(settings, activity, editor, mailoutbox):
    settings.FRESHNESS_REVIEW_DAYS = 10
    make_stale(activity, days=10)

    assert freshness_send_reminders().reminded == 1
    assert len(mailoutbox) == 1


def test_fresh_ended_and_unpublished_activities_get_no_reminder(organisation, editor, mailoutbox):
    ActivityFactory(parent=organisation, title="Fresh")  # checked today
    ActivityFactory(
        parent=organisation,
        title="Ended",
        last_reviewed=days_ago(400),
        status=Activity.Status.ENDED,
    )
    draft = ActivityFactory(parent=organisation, title="Draft", last_reviewed=days_ago(400))
    draft.unpublish()
    assert not reload(draft).live

    summary = freshness_send_reminders()

    assert (summary.reminded, summary.flagged, summary.skipped_no_owner) == (0, 0, 0)
    assert mailoutbox == []
    assert not FreshnessReminder.objects.exists()


def test_temporarily_closed_stale_activity_is_still_reminded(stale, editor, mailoutbox):
    Activity.objects.filter(pk=stale.pk).update(status=Activity.Status.TEMPORARILY_CLOSED)

    assert freshness_send_reminders().reminded == 1
    assert len(mailoutbox) == 1


def test_today_argument_moves_the_cutoff(activity, editor, mailoutbox):
    assert freshness_send_reminders().reminded == 0
    later = timezone.localdate() + timedelta(days=182)

    assert freshness_send_reminders(today=later).reminded == 1
    assert len(mailoutbox) == 1


# The links ------------------------------------------------------------------------------------


def test_reminder_email_contains_confirm_and_closed_links(stale, editor, mailoutbox):
    freshness_send_reminders()
    confirm, closed = links(mailoutbox[0])
    reminder = FreshnessReminder.objects.get()

    assert confirm != closed
    assert signing.TimestampSigner(salt=FRESHNESS_SALT).unsign_object(token_of(confirm)) == {
        "r": reminder.pk,
        "a": "confirm",
    }
    assert signing.TimestampSigner(salt=FRESHNESS_SALT).unsign_object(token_of(closed)) == {
        "r": reminder.pk,
        "a": "closed",
    }
    assert "These links work once, for 30 days." in mailoutbox[0].body


def test_link_get_shows_confirmation_page_and_changes_nothing(client, stale, editor, mailoutbox):
    freshness_send_reminders()
    confirm, closed = links(mailoutbox[0])

    response = client.get(confirm)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Confirm your listing is right" in content
    assert "Knit and natter" in content
    assert f'<form method="post" action="{confirm}">' in content
    assert "csrfmiddlewaretoken" in content

    response = client.get(closed)
    assert response.status_code == 200
    assert "Mark as temporarily closed" in response.content.decode()

    # Mail scanners follow links: nothing may have happened.
    activity = reload(stale)
    assert activity.last_reviewed == days_ago(200)
    assert activity.status == Activity.Status.RUNNING
    reminder = FreshnessReminder.objects.get()
    assert reminder.response == ""
    assert reminder.responded_at is None


def test_confirm_link_post_marks_listing_checked_today(client, stale, editor, mailoutbox):
    freshness_send_reminders()
    confirm, _ = links(mailoutbox[0])
    page = client.get(stale.url).content.decode()
    assert "may be out of date" in page

    response = client.post(confirm)

    assert response.status_code == 200
    assert "now shows as checked today" in response.content.decode()
    activity = reload(stale)
    assert activity.last_reviewed == timezone.localdate()
    assert activity.status == Activity.Status.RUNNING
    reminder = FreshnessReminder.objects.get()
    assert reminder.response == FreshnessReminder.Response.CONFIRMED
    assert reminder.responded_at is not None

    page = client.get(stale.url)
    assert page.status_code == 200
    content = page.content.decode()
    today = timezone.localdate()
    assert "<dt>Last checked</dt>" in content
    assert (
        f'<time datetime="{today:%Y-%m-%d}">{dateformat.format(today, "j F Y")}</time>' in content
    )
    assert "may be out of date" not in content
    assert "Temporarily closed" not in content


def test_closed_link_post_marks_listing_temporarily_closed(client, stale, editor, mailoutbox):
    freshness_send_reminders()
    _, closed = links(mailoutbox[0])

    response = client.post(closed)

    assert response.status_code == 200
    assert "now shows as temporarily closed" in response.content.decode()
    activity = reload(stale)
    assert activity.status == Activity.Status.TEMPORARILY_CLOSED
    assert activity.last_reviewed == timezone.localdate()
    assert FreshnessReminder.objects.get().response == FreshnessReminder.Response.CLOSED
    content = client.get(stale.url).content.decode()
    assert "Temporarily closed" in content


def test_confirm_page_form_posts_with_csrf_token(stale, editor, mailoutbox):
    freshness_send_reminders()
    confirm, _ = links(mailoutbox[0])
    client = Client(enforce_csrf_checks=True)

    assert client.post(confirm).status_code == 403
    assert reload(stale).last_reviewed == days_ago(200)

    page = client.get(confirm).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = client.post(confirm, {"csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert reload(stale).last_reviewed == timezone.localdate()


def test_reminder_link_works_once(client, stale, editor, mailoutbox):
    freshness_send_reminders()
    confirm, closed = links(mailoutbox[0])
    assert client.post(confirm).status_code == 200
    first = FreshnessReminder.objects.get()
    # Put the listing back as it was, to see that the second use changes nothing.
    Activity.objects.filter(pk=stale.pk).update(last_reviewed=days_ago(200))

    for path in (confirm, closed):
        for method in (client.post, client.get):
            response = method(path)
            assert response.status_code == 400
            assert "already been used" in response.content.decode()

    activity = reload(stale)
    assert activity.last_reviewed == days_ago(200)
    assert activity.status == Activity.Status.RUNNING
    again = FreshnessReminder.objects.get()
    assert (again.response, again.responded_at) == (first.response, first.responded_at)


@pytest.mark.parametrize("max_age_days", [30, 5])
def test_reminder_link_expires_after_max_age(
    client, settings, stale, editor, mailoutbox, fake_clock, max_age_days
):
    settings.FRESHNESS_LINK_MAX_AGE_DAYS = max_age_days
    freshness_send_reminders()
    confirm, closed = links(mailoutbox[0])
    day = 24 * 60 * 60

    fake_clock(max_age_days * day - 60)  # a minute before it expires: still usable
    assert client.get(confirm).status_code == 200

    fake_clock(max_age_days * day + 60)
    for path in (confirm, closed):
        response = client.post(path)
        assert response.status_code == 400
        assert "expired" in response.content.decode()
    assert client.get(confirm).status_code == 400

    activity = reload(stale)
    assert activity.last_reviewed == days_ago(200)
    assert activity.status == Activity.Status.RUNNING
    assert FreshnessReminder.objects.get().response == ""


def _change_char(text, index):
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1 :]


@pytest.mark.parametrize("part", [0, 1, 2], ids=["payload", "timestamp", "signature"])
def test_tampered_token_is_not_valid(client, stale, editor, mailoutbox, part):
    freshness_send_reminders()
    _, closed = links(mailoutbox[0])
    token = token_of(closed)
    pieces = token.split(":")
    assert len(pieces) == 3
    pieces[part] = _change_char(pieces[part], len(pieces[part]) // 2)
    tampered = ":".join(pieces)
    assert tampered != token

    for method in (client.get, client.post):
        response = method(f"/listing-check/{tampered}/")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()

    activity = reload(stale)
    assert activity.status == Activity.Status.RUNNING
    assert activity.last_reviewed == days_ago(200)
    assert FreshnessReminder.objects.get().response == ""


@pytest.mark.parametrize(
    "signer_kwargs",
    [
        {"key": "not-the-secret-key-0000000000000000000000000000", "salt": FRESHNESS_SALT},
        {"salt": "some.other.salt"},
    ],
    ids=["wrong-key", "wrong-salt"],
)
def test_resigned_token_with_swapped_action_is_not_valid(
    client, stale, editor, mailoutbox, signer_kwargs
):
    freshness_send_reminders()
    confirm, _ = links(mailoutbox[0])
    data = signing.TimestampSigner(salt=FRESHNESS_SALT).unsign_object(token_of(confirm))
    assert data["a"] == "confirm"
    data["a"] = "closed"
    forged = signing.TimestampSigner(**signer_kwargs).sign_object(data)

    response = client.post(f"/listing-check/{forged}/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    activity = reload(stale)
    assert activity.status == Activity.Status.RUNNING
    assert activity.last_reviewed == days_ago(200)


@pytest.mark.parametrize(
    "payload",
    [
        lambda pk: {"r": pk, "a": "ended"},
        lambda pk: {"r": pk},
        lambda pk: {"r": pk + 1000, "a": "confirm"},
        lambda pk: {"a": "confirm"},
    ],
    ids=["unknown-action", "no-action", "unknown-reminder", "no-reminder"],
)
def test_signed_token_with_unknown_content_is_not_valid(client, stale, editor, mailoutbox, payload):
    freshness_send_reminders()
    reminder = FreshnessReminder.objects.get()
    data = payload(reminder.pk)
    token = signing.TimestampSigner(salt=FRESHNESS_SALT).sign_object(data)

    response = client.post(f"/listing-check/{token}/")

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert reload(stale).status == Activity.Status.RUNNING


def test_link_from_earlier_reminder_is_refused_after_listing_checked(
    client, stale, editor, mailoutbox
):
    freshness_send_reminders()
    age_reminders(stale, 14)
    freshness_send_reminders()
    assert len(mailoutbox) == 2
    old_confirm, old_closed = links(mailoutbox[0])
    new_confirm, _ = links(mailoutbox[1])
    assert client.post(new_confirm).status_code == 200
    Activity.objects.filter(pk=stale.pk).update(last_reviewed=days_ago(3))

    for path in (old_confirm, old_closed):
        response = client.post(path)
        assert response.status_code == 400
        assert "checked since" in response.content.decode()

    activity = reload(stale)
    assert activity.status == Activity.Status.RUNNING
    assert activity.last_reviewed == days_ago(3)
    old = FreshnessReminder.objects.order_by("sent_at").first()
    assert old.response == ""


def test_link_from_earlier_cycle_is_refused_after_a_publish(
    client, stale, editor, moderator, mailoutbox
):
    freshness_send_reminders()
    _, closed = links(mailoutbox[0])
    stale.save_revision(user=moderator).publish()
    assert reload(stale).last_reviewed == timezone.localdate()

    response = client.post(closed)

    assert response.status_code == 400
    assert reload(stale).status == Activity.Status.RUNNING


def test_freshness_link_url_is_under_listing_check(stale, editor):
    freshness_send_reminders()
    reminder = FreshnessReminder.objects.get()
    assert freshness_link(reminder=reminder, action="confirm").startswith("/listing-check/")


# Reminder rhythm and flags --------------------------------------------------------------------


def test_no_second_reminder_before_interval(stale, editor, mailoutbox):
    assert freshness_send_reminders().reminded == 1
    assert freshness_send_reminders().reminded == 0
    age_reminders(stale, 13)
    assert freshness_send_reminders().reminded == 0
    assert len(mailoutbox) == 1
    assert FreshnessReminder.objects.count() == 1

    age_reminders(stale, 1)  # now 14 days ago
    assert freshness_send_reminders().reminded == 1
    assert len(mailoutbox) == 2
    assert FreshnessReminder.objects.count() == 2


def test_silent_listing_flagged_to_moderators_once_after_max_reminders(
    stale, editor, moderator, mailoutbox
):
    for _ in range(3):
        assert freshness_send_reminders().reminded == 1
        assert not ListingReport.objects.exists()
        age_reminders(stale, 14)
    assert [m.to for m in mailoutbox] == [[editor.email]] * 3

    summary = freshness_send_reminders()

    assert (summary.reminded, summary.flagged) == (0, 1)
    report = ListingReport.objects.get()
    assert report.activity_id == stale.pk
    assert report.kind == ListingReport.Kind.STALE
    assert report.status == ListingReport.Status.OPEN
    assert "3 reminders" in report.message
    assert len(mailoutbox) == 4
    flag = mailoutbox[3]
    assert flag.to == [moderator.email]
    assert flag.subject == "Listing not checked: Knit and natter"
    assert "3 reminders have had no answer" in flag.body
    assert FreshnessReminder.objects.count() == 3

    # Re-runs, even much later, neither flag again nor remind the owner again.
    for _ in range(2):
        summary = freshness_send_reminders()
        assert (summary.reminded, summary.flagged) == (0, 0)
        age_reminders(stale, 30)
    assert ListingReport.objects.count() == 1
    assert len(mailoutbox) == 4
    assert FreshnessReminder.objects.count() == 3


def test_stale_listing_not_flagged_again_after_moderator_closes_the_report(
    stale, editor, moderator, mailoutbox
):
    for _ in range(3):
        freshness_send_reminders()
        age_reminders(stale, 14)
    assert freshness_send_reminders().flagged == 1
    ListingReport.objects.update(status=ListingReport.Status.RESOLVED)
    age_reminders(stale, 30)

    summary = freshness_send_reminders()

    assert (summary.reminded, summary.flagged) == (0, 0)
    assert ListingReport.objects.count() == 1


def test_max_reminders_setting_is_used(settings, stale, editor, moderator, mailoutbox):
    settings.FRESHNESS_MAX_REMINDERS = 1
    assert freshness_send_reminders().reminded == 1
    age_reminders(stale, 14)

    assert freshness_send_reminders().flagged == 1
    assert ListingReport.objects.filter(kind=ListingReport.Kind.STALE).count() == 1


def test_answering_reminder_resolves_open_stale_report(
    client, stale, editor, moderator, mailoutbox
):
    for _ in range(4):
        freshness_send_reminders()
        age_reminders(stale, 14)
    stale_report = ListingReport.objects.get(kind=ListingReport.Kind.STALE)
    public_report = ListingReport.objects.create(
        activity=stale, kind=ListingReport.Kind.WRONG_DETAILS, message="Wrong day"
    )
    confirm, _ = links(mailoutbox[2])  # the latest reminder

    assert client.post(confirm).status_code == 200

    stale_report.refresh_from_db()
    assert stale_report.status == ListingReport.Status.RESOLVED
    assert stale_report.resolved_at is not None
    public_report.refresh_from_db()
    assert public_report.status == ListingReport.Status.OPEN
    assert reload(stale).last_reviewed == timezone.localdate()
    # Checked today: nothing is due any more.
    mailoutbox.clear()
    assert vars(freshness_send_reminders()) == {"reminded": 0, "flagged": 0, "skipped_no_owner": 0}
    assert mailoutbox == []


def test_new_review_cycle_starts_reminders_afresh(client, stale, editor, moderator, mailoutbox):
    for _ in range(3):
        freshness_send_reminders()
        age_reminders(stale, 14)
    confirm, _ = links(mailoutbox[2])
    assert client.post(confirm).status_code == 200
    # Half a year later the listing is due again: a new cycle, with a new reminder.
    make_stale(stale, days=183)
    mailoutbox.clear()

    summary = freshness_send_reminders()

    assert (summary.reminded, summary.flagged) == (1, 0)
    assert [m.to for m in mailoutbox] == [[editor.email]]
    assert not ListingReport.objects.exists()


# Publishing ----------------------------------------------------------------------------------


def test_publishing_new_revision_resets_last_reviewed(stale, moderator):
    stale.summary = "Now on Wednesdays."
    revision = stale.save_revision(user=moderator)
    assert reload(stale).last_reviewed == days_ago(200)  # a draft is not a check

    revision.publish(user=moderator)

    activity = reload(stale)
    assert activity.last_reviewed == timezone.localdate()
    assert activity.summary == "Now on Wednesdays."


def test_publishing_other_page_types_does_not_touch_activities(stale, organisation, moderator):
    organisation.save_revision(user=moderator).publish(user=moderator)
    assert reload(stale).last_reviewed == days_ago(200)


# Scheduled entry points -----------------------------------------------------------------------


def test_check_freshness_command_prints_counts(directory, stale, editor, moderator, mailoutbox):
    orphan_org = OrganisationFactory(parent=directory, title="No Address Group", email="")
    make_stale(ActivityFactory(parent=orphan_org, title="Quiet club"))
    flagged = make_stale(ActivityFactory(parent=stale.organisation, title="Silent one"))
    for _ in range(3):
        FreshnessReminder.objects.create(
            activity=flagged, sent_to=editor.email, reviewed_on=flagged.last_reviewed
        )
    age_reminders(flagged, 14)

    out = StringIO()
    call_command("check_freshness", stdout=out)

    assert out.getvalue().strip() == (
        "Reminders sent: 1. Flagged to moderators: 1. Without an owner to remind: 1."
    )
    assert sorted(m.subject for m in mailoutbox) == [
        "Is your listing still right? Knit and natter",
        "Listing not checked: Silent one",
    ]


def test_check_freshness_command_with_nothing_due(activity):
    out = StringIO()
    call_command("check_freshness", stdout=out)
    assert "Reminders sent: 0. Flagged to moderators: 0." in out.getvalue()


def test_send_freshness_reminders_task_returns_summary(stale, editor, mailoutbox):
    # apply() runs the task here whatever the broker; the broker round trip is in test_tasks.py.
    result = tasks.send_freshness_reminders.apply()

    assert result.get() == {"reminded": 1, "flagged": 0, "skipped_no_owner": 0}
    assert len(mailoutbox) == 1
    assert FreshnessReminder.objects.filter(activity=stale).count() == 1

    assert tasks.send_freshness_reminders.apply().get() == {
        "reminded": 0,
        "flagged": 0,
        "skipped_no_owner": 0,
    }
