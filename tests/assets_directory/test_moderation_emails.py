"""What the people on either side of moderation are told, and where their links lead."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.urls import Resolver404, resolve, reverse
from wagtail.models import WorkflowState

from tests.assets_directory.test_permissions import edit_post_data
from tests.factories import UserFactory

LINK = re.compile(r"https?://\S+")


def assert_plain_and_linked_home(email):
    """No Wagtail jargon, and every link is on this site's address and leads somewhere."""
    text = LINK.sub("", f"{email.subject}\n{email.body}")
    for jargon in ("workflow", "moderation stage", "Moderators approval", "task"):
        assert jargon.lower() not in text.lower(), (jargon, text)
    assert "localhost" not in text
    links = LINK.findall(email.body)
    assert links, email.body
    for link in links:
        assert link.startswith("http://testserver/"), link
        try:
            resolve(urlsplit(link).path)
        except Resolver404:
            pytest.fail(f"{link} leads nowhere")


@pytest.fixture
def submitted(client, editor, moderator, activity, django_capture_on_commit_callbacks, mailoutbox):
    """The editor sends a change to the published activity to be checked."""
    activity.save_revision(user=moderator).publish()
    UserFactory(username="admin", email="admin@example.org", is_superuser=True)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailadmin_pages:edit", args=[activity.pk]),
            edit_post_data(activity, title="Knit, natter and crochet", **{"action-submit": "1"}),
        )
    assert response.status_code == 302
    return response


def by_recipient(mailoutbox):
    return {email.to[0]: email for email in mailoutbox}


@pytest.mark.django_db
def test_editor_is_told_on_screen_and_by_email_that_the_change_arrived(
    client, submitted, editor, mailoutbox
):
    shown = [str(m) for m in get_messages(submitted.wsgi_request)]
    assert any(
        "A moderator will check it before it goes on the site" in m
        and "We will e-mail you at knitter@example.org when it is published" in m
        for m in shown
    ), shown
    receipt = by_recipient(mailoutbox)["knitter@example.org"]
    assert receipt.subject == "We have your change: Knit, natter and crochet"
    assert 'We have your change to "Knit, natter and crochet" (Tooting Knit and Natter)' in (
        receipt.body
    )
    assert "a moderator will check it before it goes on the site" in receipt.body
    assert_plain_and_linked_home(receipt)


@pytest.mark.django_db
def test_moderators_and_administrators_are_asked_in_plain_english(submitted, mailoutbox):
    emails = by_recipient(mailoutbox)
    to_moderator = emails["moderator@example.org"]
    assert to_moderator.subject == 'To check: "Knit, natter and crochet"'
    assert 'A change to "Knit, natter and crochet" (Tooting Knit and Natter)' in to_moderator.body
    assert (
        "Approve it, or ask for changes, in the review queue: http://testserver/admin/review/"
        in to_moderator.body
    )
    assert_plain_and_linked_home(to_moderator)
    # Administrators hear of it twice (as administrators and as approvers); both are plain.
    to_admin = [e for e in mailoutbox if e.to == ["admin@example.org"]]
    assert any(e.subject == 'Sent to be checked: "Knit, natter and crochet"' for e in to_admin)
    for email in to_admin:
        assert_plain_and_linked_home(email)


def decide(client, moderator, activity, action, comment="", callbacks=None):
    state = WorkflowState.objects.get(object_id=str(activity.pk))
    client.force_login(moderator)
    with callbacks(execute=True):
        response = client.post(
            reverse(
                "wagtailadmin_pages:workflow_action",
                args=[activity.pk, action, state.current_task_state.pk],
            ),
            {"comment": comment},
        )
    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_editor_hears_the_change_is_published_with_its_public_address(
    client, submitted, moderator, activity, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    decide(client, moderator, activity, "approve", callbacks=django_capture_on_commit_callbacks)
    email = by_recipient(mailoutbox)["knitter@example.org"]
    assert email.subject == 'Approved: "Knit, natter and crochet"'
    activity.refresh_from_db()
    assert (
        f'Your activity "Knit, natter and crochet" is now live on Common Ground: '
        f"http://testserver{activity.url}" in email.body
    )
    assert_plain_and_linked_home(email)


@pytest.mark.django_db
def test_editor_hears_what_to_change_when_a_moderator_asks(
    client, submitted, moderator, activity, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    decide(
        client,
        moderator,
        activity,
        "reject",
        comment="Please add the price.",
        callbacks=django_capture_on_commit_callbacks,
    )
    email = by_recipient(mailoutbox)["knitter@example.org"]
    assert email.subject == 'Changes needed: "Knit, natter and crochet"'
    assert (
        'A moderator asked for changes to "Knit, natter and crochet": Please add the price.'
        in email.body
    )
    assert "Edit it here: http://testserver/admin/pages/" in email.body
    assert_plain_and_linked_home(email)


@pytest.mark.django_db
def test_editor_sending_a_new_activity_is_told_it_is_a_new_listing(
    client, editor, organisation, activity, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    data = edit_post_data(activity, title="Crochet club", slug="crochet-club")
    data["action-submit"] = "1"
    url = reverse("wagtailadmin_pages:add", args=["assets_directory", "activity", organisation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt = by_recipient(mailoutbox)["knitter@example.org"]
    assert receipt.subject == "We have your new listing: Crochet club"
    assert 'your new listing "Crochet club" (Tooting Knit and Natter)' in receipt.body
    assert_plain_and_linked_home(receipt)
