"""Issue 17: a group with an account finds the referrals made to it on its Wagtail dashboard,
with what was shared, and answers them there; nobody else sees them."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from referrals.services import (
    SharedDetails,
    referral_shared_details_erase_expired,
    referral_status_change,
)
from referrals.status import Party
from tests.conftest import make_editor
from tests.factories import ActivityFactory, UserFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

PANEL = "Referrals to your group"
ANSWER_LINK = re.compile(r'href="(/referrals/answer/[^"]+/)"')


@pytest.fixture
def referral(person, choir, facilitator):
    return refer(person, choir, facilitator)


@pytest.fixture
def choir_editor(choir):
    return make_editor(choir.get_parent(), username="choir-editor")


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


def test_the_groups_editor_sees_what_was_shared_and_answers_through_the_link(
    client, referral, choir_editor
):
    page = dashboard(client, choir_editor)
    assert PANEL in page
    for shown in (
        "Community choir: Marker-Jo",
        "07700 900123",
        "Phone call",
        "Marker-help meeting people",
        "Marker-access step-free",
        "Sent, waiting for the group",
        "Wandle link workers",
        f"{referral.due_by:%A} {referral.due_by.day} {referral.due_by:%B %Y}",
    ):
        assert shown in page
    assert "overdue" not in page
    (link,) = ANSWER_LINK.findall(page)

    answer = client.get(link)
    assert answer.status_code == 200
    assert "Marker-help meeting people" in answer.content.decode()

    client.post(link, {"status": "accepted", "note": ""})
    referral.refresh_from_db()
    assert referral.status == "accepted"
    # Still open: the next visit offers a new link (the first is spent) to say how it went.
    page = dashboard(client, choir_editor)
    (new_link,) = ANSWER_LINK.findall(page)
    assert new_link != link and "Accepted by the group" in page
    assert client.get(new_link).status_code == 200
    assert client.get(link).status_code == 410


def test_an_editor_of_another_group_sees_none_of_it(
    client, referral, editor, organisation, person, facilitator
):
    # Their own group has a referral too, so that they do get the panel.
    knitting = ActivityFactory(
        parent=organisation, title="Knit and natter", referral_route="takes_referrals"
    )
    refer(person, knitting, facilitator, shared=SharedDetails(first_name="Marker-Sam"))
    page = dashboard(client, editor)
    assert PANEL in page and "Marker-Sam" in page
    for private in ("Marker-Jo", "Marker-help", "Marker-access", "Community choir"):
        assert private not in page
    assert len(ANSWER_LINK.findall(page)) == 1


def test_moderators_and_superusers_who_edit_no_group_get_no_wall_of_referrals(
    client, referral, moderator
):
    superuser = UserFactory(username="root", is_superuser=True)
    for user in (moderator, superuser):
        page = dashboard(client, user)
        assert PANEL not in page and "Marker-Jo" not in page


def test_a_group_with_no_referrals_gets_no_panel(client, choir_editor):
    assert PANEL not in dashboard(client, choir_editor)


def test_a_closed_referral_shows_how_it_ended_with_no_answer_link(client, referral, choir_editor):
    referral_status_change(
        referral=referral, party=Party.GROUP, status="rejected", reason="no_capacity"
    )
    page = dashboard(client, choir_editor)
    assert "Marker-Jo" in page
    assert "Declined by the group: no space at the moment" in page
    assert not ANSWER_LINK.findall(page)


def test_a_referral_closed_long_ago_is_no_longer_shown(client, referral, choir_editor):
    referral_status_change(
        referral=referral, party=Party.GROUP, status="rejected", reason="no_capacity"
    )
    Referral.objects.filter(pk=referral.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )
    assert PANEL not in dashboard(client, choir_editor)


def test_erased_details_say_so(client, settings, referral, choir_editor):
    settings.REFERRAL_RETENTION_DAYS = 0
    referral_status_change(
        referral=referral, party=Party.GROUP, status="rejected", reason="no_capacity"
    )
    assert (
        referral_shared_details_erase_expired(now=timezone.now() + datetime.timedelta(minutes=1))
        == 1
    )
    page = dashboard(client, choir_editor)
    assert "Details deleted" in page
    for private in ("Marker-Jo", "Marker-help", "Marker-access", "07700 900123"):
        assert private not in page


def test_an_overdue_referral_is_flagged(client, referral, choir_editor):
    Referral.objects.filter(pk=referral.pk).update(
        due_by=timezone.localdate() - datetime.timedelta(days=1)
    )
    page = dashboard(client, choir_editor)
    assert "overdue" in page
    assert len(ANSWER_LINK.findall(page)) == 1


def test_what_was_shared_is_shown_as_text(client, person, choir, facilitator, choir_editor):
    hostile = '<img src=x onerror="alert(1)">'
    refer(
        person,
        choir,
        facilitator,
        shared=SharedDetails(first_name=hostile[:80], help_with=hostile, access_needs=hostile),
    )
    page = dashboard(client, choir_editor)
    assert hostile not in page
    assert "&lt;img src=x onerror=" in page


def test_the_panel_costs_one_query_however_many_referrals(
    person, choir, facilitator, choir_editor, django_assert_num_queries
):
    # Imported here: the panel is the unit under test, not a fixture's dependency.
    from referrals.dashboard import GroupReferralsPanel

    for _ in range(3):
        refer(person, choir, facilitator)
    with django_assert_num_queries(1):
        panel = GroupReferralsPanel.for_user(choir_editor)
        context = panel.get_context_data()
    assert [len(group["referrals"]) for group in context["groups"]] == [3]
