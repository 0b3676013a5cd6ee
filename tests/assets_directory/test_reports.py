"""Public problem reports: the form, e-mails to moderators and owners, spam and rate limits."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from assets_directory.models import ListingReport

pytestmark = pytest.mark.django_db

THANKS = "Thank you. We will check the listing."


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.MODERATOR_EMAILS = []
    settings.PUBLIC_FORM_RATE_LIMIT = 5
    return settings


def report_url(activity):
    return reverse("assets_directory:report", args=[activity.uuid])


def valid_data(**overrides):
    data = {
        "kind": ListingReport.Kind.NOT_RUNNING,
        "message": "The hall was locked last Tuesday.",
        "reporter_email": "neighbour@example.net",
        "website_url": "",
    }
    data.update(overrides)
    return data


def test_report_form_page_shows_labelled_fields(client, activity):
    response = client.get(report_url(activity))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Report a problem with “Knit and natter”" in content
    assert "<legend>What is wrong?</legend>" in content
    for value, label in ListingReport.Kind.choices:
        if value == ListingReport.Kind.STALE:
            assert f'value="{value}"' not in content
            assert label not in content
            continue
        match = re.search(
            rf'<input type="radio" name="kind" value="{value}"[^>]*id="([^"]+)"', content
        )
        assert match, value
        assert f'<label for="{match.group(1)}">{label}</label>' in content
    assert '<label for="id_message">Tell us more (optional)</label>' in content
    assert '<label for="id_reporter_email">Your e-mail address (optional)</label>' in content
    assert 'name="reporter_email"' in content
    assert 'name="website_url"' in content  # the honeypot
    assert "csrfmiddlewaretoken" in content


def test_valid_report_is_saved_and_sent_to_moderators_and_owners(
    client, activity, editor, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(activity), valid_data())

    assert response.status_code == 302
    assert response["Location"] == activity.url
    report = ListingReport.objects.get()
    assert report.activity_id == activity.pk
    assert report.kind == ListingReport.Kind.NOT_RUNNING
    assert report.message == "The hall was locked last Tuesday."
    assert report.reporter_email == "neighbour@example.net"
    assert report.status == ListingReport.Status.OPEN

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == sorted([editor.email, moderator.email])
    assert message.subject == "Problem reported: Knit and natter"
    assert "What is wrong: It is not running any more" in message.body
    assert "Details: The hall was locked last Tuesday." in message.body
    assert "Reply to: neighbour@example.net" in message.body
    assert "http://testserver" + activity.url in message.body

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert THANKS in page.content.decode()


def test_report_without_editors_goes_to_organisation_email_and_moderator_emails_setting(
    settings, client, activity, mailoutbox, django_capture_on_commit_callbacks
):
    settings.MODERATOR_EMAILS = ["team@example.org"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            report_url(activity), valid_data(message="", reporter_email="", kind="other")
        )

    assert response.status_code == 302
    assert ListingReport.objects.get().kind == ListingReport.Kind.OTHER
    assert [sorted(m.to) for m in mailoutbox] == [
        ["team@example.org", "tooting-knit-and-natter@example.org"]
    ]
    assert "Reply to:" not in mailoutbox[0].body
    assert "Details:" not in mailoutbox[0].body


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (valid_data(kind=""), "kind", "Choose what is wrong with the listing."),
        (valid_data(kind="stale"), "kind", "Choose one of the options for “What is wrong?”"),
        (
            valid_data(reporter_email="not-an-address"),
            "reporter_email",
            "Enter your e-mail address in the right form",
        ),
        (
            valid_data(message="x" * 2001),
            "message",
            "“Tell us more” must be 2000 characters or fewer (it has 2001)",
        ),
    ],
    ids=["no-kind", "stale-kind", "bad-email", "long-message"],
)
def test_invalid_report_shows_errors_and_saves_nothing(
    client, activity, moderator, mailoutbox, django_capture_on_commit_callbacks, data, field, error
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(activity), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'id="id_{field}_error"' in content
    assert error in content
    assert not ListingReport.objects.exists()
    assert mailoutbox == []


def test_invalid_report_with_no_kind_and_bad_email_shows_both_errors(client, activity):
    response = client.post(report_url(activity), {"kind": "", "reporter_email": "nope"})

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"kind", "reporter_email"}
    assert not ListingReport.objects.exists()


def test_empty_post_shows_required_error_and_saves_nothing(client, activity):
    response = client.post(report_url(activity), {})

    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not ListingReport.objects.exists()


def test_honeypot_filled_saves_nothing_but_redirects_normally(
    client, activity, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            report_url(activity), valid_data(website_url="http://spam.example.com")
        )

    assert response.status_code == 302
    assert response["Location"] == activity.url
    assert not ListingReport.objects.exists()
    assert mailoutbox == []
    assert THANKS in client.get(activity.url).content.decode()


def test_rate_limit_blocks_one_address_after_limit(
    settings,
    client,
    activity,
    other_activity,
    moderator,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    settings.PUBLIC_FORM_TARGET_RATE_LIMIT = 10
    limit = settings.PUBLIC_FORM_RATE_LIMIT
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(limit):
            response = client.post(report_url(activity), valid_data(), REMOTE_ADDR="10.0.0.1")
            assert response.status_code == 302
    assert ListingReport.objects.count() == limit
    assert len(mailoutbox) == limit

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(other_activity), valid_data(), REMOTE_ADDR="10.0.0.1")

    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many reports" in body
    assert "The hall was locked last Tuesday." in body  # what they wrote is kept
    assert ListingReport.objects.count() == limit
    assert len(mailoutbox) == limit

    # Another visitor is not held back by the first one.
    response = client.post(report_url(other_activity), valid_data(), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302
    assert ListingReport.objects.count() == limit + 1


def test_one_listing_cannot_be_flooded_from_many_addresses(settings, client, activity):
    settings.PUBLIC_FORM_TARGET_RATE_LIMIT = 3
    for n in range(3):
        response = client.post(report_url(activity), valid_data(), REMOTE_ADDR=f"10.0.1.{n}")
        assert response.status_code == 302
    response = client.post(report_url(activity), valid_data(), REMOTE_ADDR="10.0.1.99")
    assert response.status_code == 429
    assert ListingReport.objects.count() == 3


def test_mistakes_do_not_count_and_forwarded_header_does_not_dodge_the_limit(
    settings, client, activity, other_activity
):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    # A shared screen: someone gets the form wrong again and again; it costs nothing.
    for _ in range(5):
        response = client.post(report_url(activity), valid_data(kind=""), REMOTE_ADDR="10.0.0.3")
        assert response.status_code == 400
    for target in (activity, other_activity):
        response = client.post(report_url(target), valid_data(), REMOTE_ADDR="10.0.0.3")
        assert response.status_code == 302

    response = client.post(
        report_url(activity),
        valid_data(),
        REMOTE_ADDR="10.0.0.3",
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )

    assert response.status_code == 429
    assert ListingReport.objects.count() == 2


def test_report_for_unpublished_activity_is_404(client, activity):
    activity.unpublish()

    assert client.get(report_url(activity)).status_code == 404
    assert client.post(report_url(activity), valid_data()).status_code == 404
    assert not ListingReport.objects.exists()


def test_report_for_unknown_uuid_is_404(client, activity):
    url = reverse("assets_directory:report", args=[uuid.uuid4()])

    assert client.get(url).status_code == 404
    assert client.post(url, valid_data()).status_code == 404
    assert not ListingReport.objects.exists()


def test_activity_page_report_form_has_csrf_token(client, activity):
    response = client.get(activity.url)

    assert response.status_code == 200
    content = response.content.decode()
    form = re.search(
        rf'<form method="post" action="{re.escape(report_url(activity))}".*?</form>',
        content,
        re.S,
    )
    assert form, "the activity page has no report form"
    assert 'name="csrfmiddlewaretoken"' in form.group(0)
    assert 'name="kind"' in form.group(0)


def test_report_post_without_csrf_token_is_refused(activity):
    client = Client(enforce_csrf_checks=True)

    response = client.post(report_url(activity), valid_data())

    assert response.status_code == 403
    assert not ListingReport.objects.exists()


def test_report_post_with_csrf_token_from_activity_page_is_accepted(activity):
    client = Client(enforce_csrf_checks=True)
    page = client.get(activity.url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post(report_url(activity), valid_data(csrfmiddlewaretoken=token))

    assert response.status_code == 302
    assert ListingReport.objects.count() == 1
