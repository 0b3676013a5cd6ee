"""The moderators' review queue: what waits, in words, and one step to approve or send back."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from wagtail.models import Workflow, WorkflowState

from assets_directory.models import Activity, GroupRegistration, Organisation
from assets_directory.review_queue import SECTION_PROVIDERS, provider_for
from assets_directory.services import registration_submit
from tests.conftest import make_editor
from tests.factories import ActivityFactory

LINK = re.compile(r"https?://\S+")
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def assert_plain_and_linked_home(email):
    text = LINK.sub("", f"{email.subject}\n{email.body}")
    for jargon in ("workflow", "moderation stage", "Moderators approval", "task"):
        assert jargon.lower() not in text.lower(), (jargon, text)
    links = LINK.findall(email.body)
    assert links, email.body
    for link in links:
        assert link.startswith("http://testserver/"), link
        try:
            resolve(urlsplit(link).path)
        except Resolver404:
            pytest.fail(f"{link} leads nowhere")


def send_for_approval(page, user, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=user)
    Workflow.objects.get(name="Moderators approval").start(page, user)
    return page


@pytest.fixture
def live_activity(activity, moderator):
    activity.save_revision(user=moderator).publish()
    return Activity.objects.get(pk=activity.pk)


@pytest.fixture
def second_editor(organisation):
    return make_editor(organisation, username="purl", email="purl@example.org")


@pytest.fixture
def waiting(live_activity, editor, second_editor, mailoutbox):
    send_for_approval(live_activity, editor, title="Knit, natter and crochet", cost="paid",
                      cost_details="£2 a session")  # fmt: skip
    mailoutbox.clear()
    return live_activity


@pytest.fixture
def registration(directory):
    return registration_submit(
        organisation_name="Wandle Walkers",
        kind=Organisation.Kind.COMMUNITY_GROUP,
        description="Walks along the Wandle.",
        website="",
        email="walkers@example.org",
        phone="",
        postcode="SW18 4DJ",
        areas_served="SW18",
        contact_name="Ada Walker",
        contact_email="ada@example.org",
    )


def by_recipient(mailoutbox):
    return {email.to[0]: email for email in mailoutbox}


@pytest.mark.django_db
def test_the_queue_shows_each_change_in_words_and_each_registration(
    client, moderator, waiting, registration
):
    client.force_login(moderator)
    response = client.get(reverse("review_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Knit, natter and crochet" in html
    # Before and after, in the form's words.
    assert "Name of the activity" in html and "Knit and natter" in html
    assert "Cost" in html and "Free" in html and "Paid" in html
    assert "£2 a session" in html
    assert "Wandle Walkers" in html and "Groups asking to be listed (1)" in html
    assert "Listings and changes to check (1)" in html


@pytest.mark.django_db
def test_the_menu_counts_what_waits_for_moderators_only(
    client, moderator, editor, waiting, registration
):
    client.force_login(moderator)
    assert "Review queue (2)" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(editor)
    assert "Review queue" not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.django_db
def test_approve_publishes_the_change_and_tells_the_group_in_plain_english(
    client, moderator, waiting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review_approve", args=["page", waiting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("review_queue")
    activity = Activity.objects.get(pk=waiting.pk)
    assert activity.title == "Knit, natter and crochet" and activity.cost == "paid"
    assert activity.current_workflow_state is None
    emails = by_recipient(mailoutbox)
    # The one who sent it hears from Wagtail's notice, the rest of the group from ours; once each.
    assert sorted(emails) == ["knitter@example.org", "purl@example.org"]
    assert len(mailoutbox) == 2
    public = f"http://testserver{activity.url}"
    for email in emails.values():
        assert f'"Knit, natter and crochet" is now live on Common Ground: {public}' in email.body
        assert_plain_and_linked_home(email)
    assert emails["purl@example.org"].subject == 'Now live: "Knit, natter and crochet"'


@pytest.mark.django_db
def test_request_changes_needs_a_reason_naming_the_field(client, moderator, waiting, mailoutbox):
    client.force_login(moderator)
    url = reverse("review_request_changes", args=["page", waiting.pk])
    response = client.post(url, {f"page-{waiting.pk}-reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter what needs changing" in html
    assert 'aria-invalid="true"' in html
    state = WorkflowState.objects.get(object_id=str(waiting.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert mailoutbox == []


@pytest.mark.django_db
def test_request_changes_sends_it_back_with_the_reason(
    client, moderator, waiting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    url = reverse("review_request_changes", args=["page", waiting.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {f"page-{waiting.pk}-reason": "Please give the price."})
    assert response.status_code == 302
    state = WorkflowState.objects.get(object_id=str(waiting.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert Activity.objects.get(pk=waiting.pk).title == "Knit and natter"  # not published
    emails = by_recipient(mailoutbox)
    assert sorted(emails) == ["knitter@example.org", "purl@example.org"]
    edit = f"http://testserver{reverse('wagtailadmin_pages:edit', args=[waiting.pk])}"
    for email in emails.values():
        assert (
            'A moderator asked for changes to "Knit, natter and crochet": Please give the price.'
            in email.body
        )
        assert f"Edit it here: {edit}" in email.body
        assert_plain_and_linked_home(email)


@pytest.mark.django_db
def test_editors_cannot_decide(client, editor, waiting):
    client.force_login(editor)
    # Wagtail's refusal: back to the admin home with "you do not have permission".
    for response in (
        client.get(reverse("review_queue")),
        client.post(reverse("review_approve", args=["page", waiting.pk])),
        client.post(
            reverse("review_request_changes", args=["page", waiting.pk]),
            {f"page-{waiting.pk}-reason": "No"},
        ),
    ):
        assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert WorkflowState.objects.get(object_id=str(waiting.pk)).status == "in_progress"
    assert Activity.objects.get(pk=waiting.pk).title == "Knit and natter"


@pytest.mark.django_db
def test_a_decided_change_cannot_be_decided_twice(client, moderator, waiting):
    client.force_login(moderator)
    client.post(reverse("review_approve", args=["page", waiting.pk]))
    response = client.post(reverse("review_approve", args=["page", waiting.pk]), follow=True)
    assert "is not waiting to be checked any more" in response.content.decode()


@pytest.mark.django_db
def test_a_new_listing_shows_its_main_fields(client, moderator, organisation, editor):
    draft = ActivityFactory(parent=organisation, title="Crochet club", live=False)
    send_for_approval(draft, editor)
    client.force_login(moderator)
    html = client.get(reverse("review_queue")).content.decode()
    assert "New listing" in html and "Crochet club" in html and "As sent" in html


@pytest.mark.django_db
def test_registrations_are_approved_or_turned_down_with_a_reason(
    client, moderator, registration, mailoutbox
):
    client.force_login(moderator)
    url = reverse("review_request_changes", args=["registration", registration.pk])
    response = client.post(url, {f"registration-{registration.pk}-reason": ""})
    assert response.status_code == 400
    assert GroupRegistration.objects.get(pk=registration.pk).is_pending
    client.post(reverse("review_approve", args=["registration", registration.pk]))
    registration.refresh_from_db()
    assert registration.status == GroupRegistration.Status.APPROVED
    assert registration.organisation.live


@pytest.mark.django_db
def test_hostile_strings_are_escaped(client, moderator, live_activity, editor, registration):
    send_for_approval(live_activity, editor, title=HOSTILE, summary=HOSTILE)
    GroupRegistration.objects.filter(pk=registration.pk).update(message=HOSTILE)
    client.force_login(moderator)
    html = client.get(reverse("review_queue")).content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_every_kind_of_decision_has_one_provider_with_its_own_address():
    keys = [provider.key for provider in SECTION_PROVIDERS]
    assert sorted(keys) == ["claim", "page", "registration", "venue"]
    for key in keys:
        assert provider_for(key).key == key
        assert re.fullmatch(r"[a-z-]+", key)
    assert provider_for("nothing") is None


@pytest.mark.django_db
def test_moderators_are_sent_to_the_review_queue_for_a_new_group(moderator, directory, mailoutbox):
    registration_submit(
        organisation_name="Wandle Walkers",
        kind=Organisation.Kind.COMMUNITY_GROUP,
        description="",
        website="",
        email="",
        phone="",
        postcode="SW18 4DJ",
        areas_served="",
        contact_name="Ada Walker",
        contact_email="ada@example.org",
    )
    email = by_recipient(mailoutbox)["moderator@example.org"]
    assert "in the review queue: http://testserver/admin/review/" in email.body
    assert_plain_and_linked_home(email)


# Venues groups added or changed ----------------------------------------------------------------


@pytest.fixture
def groups_venue(organisation):
    from django.utils import timezone

    from tests.factories import VenueFactory

    return VenueFactory(
        name="Fircroft Room",
        postcode="SW17 7PP",
        organisation=organisation,
        changed_by_group_at=timezone.now(),
    )


@pytest.mark.django_db
def test_a_venue_a_group_added_waits_in_the_queue_and_looks_right_clears_it(
    client, moderator, groups_venue
):
    client.force_login(moderator)
    page = client.get(reverse("review_queue")).content.decode()
    assert "Venues groups added or changed" in page
    assert "Fircroft Room" in page
    assert "Looks right" in page
    response = client.post(reverse("review_approve", args=["venue", groups_venue.pk]))
    assert response.status_code == 302
    groups_venue.refresh_from_db()
    assert groups_venue.changed_by_group_at is None
    page = client.get(reverse("review_queue")).content.decode()
    assert "Looks right" not in page
    assert "No venue waiting." in page


@pytest.mark.django_db
def test_asking_a_group_to_correct_its_venue_tells_them_what_and_where(
    client, moderator, editor, groups_venue, mailoutbox
):
    client.force_login(moderator)
    url = reverse("review_request_changes", args=["venue", groups_venue.pk])
    response = client.post(url, {f"venue-{groups_venue.pk}-reason": ""})
    assert response.status_code == 400
    assert "Enter what needs changing" in response.content.decode()
    assert not mailoutbox
    client.post(url, {f"venue-{groups_venue.pk}-reason": f"Wrong postcode {HOSTILE}"})
    (email,) = mailoutbox
    assert email.to == [editor.email]
    assert "Fircroft Room" in email.subject
    assert "Wrong postcode" in email.body
    assert_plain_and_linked_home(email)
    groups_venue.refresh_from_db()
    assert groups_venue.changed_by_group_at is None


@pytest.mark.django_db
def test_a_venue_already_checked_cannot_be_decided_twice(client, moderator, groups_venue):
    client.force_login(moderator)
    client.post(reverse("review_approve", args=["venue", groups_venue.pk]))
    response = client.post(reverse("review_approve", args=["venue", groups_venue.pk]), follow=True)
    assert "already been checked" in response.content.decode()
