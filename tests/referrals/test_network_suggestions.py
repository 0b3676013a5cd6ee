"""Outcomes flow back to the network map: a group the person joined through a referral is
offered on the network page, to add in one step (matching's `network_suggested_members` hook)."""

import pytest
from django.urls import reverse

from matching.models import AuditEvent, NetworkMap
from matching.network import members_from_dicts
from matching.sections import network_suggestions
from matching.services import network_map_save
from referrals.services import referral_status_change
from referrals.status import Party
from tests.factories import ActivityFactory, OrganisationFactory
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

OFFER = "They have joined Balham Community Choir (Community choir) through a referral"
BUTTON = "Add Balham Community Choir to their network"


# The reasons the group must give for these (the others need none).
REASONS = {"rejected": "no_capacity", "failed": "did_not_attend"}


def moved(referral, *statuses):
    """The referral, answered by the group with each status in turn."""
    for status in statuses:
        referral = referral_status_change(
            referral=referral, party=Party.GROUP, status=status, reason=REASONS.get(status, "")
        )
    return referral


@pytest.fixture
def joined(person, choir, facilitator):
    """The person goes regularly to the choir, through a referral."""
    return moved(refer(person, choir, facilitator), "accepted", "completed")


def network_page(client, person):
    return client.get(reverse("matching:network", args=[person.reference]))


def add(client, person, key):
    return client.post(
        reverse("matching:network_add_suggested", args=[person.reference]), {"suggestion": key}
    )


def key_of(referral):
    return f"referral-{referral.reference}"


def test_the_network_page_offers_a_group_they_go_to(client, person, joined, facilitator):
    client.force_login(facilitator)
    page = network_page(client, person).content.decode()
    assert f"{OFFER} (going regularly)." in page
    assert BUTTON in page
    assert key_of(joined) in page
    assert reverse("matching:network_add_suggested", args=[person.reference]) in page


def test_a_group_they_have_started_going_to_is_offered(client, person, choir, facilitator):
    moved(refer(person, choir, facilitator), "accepted", "in_progress")
    client.force_login(facilitator)
    assert f"{OFFER} (started going)." in network_page(client, person).content.decode()


@pytest.mark.parametrize(
    "statuses",
    [(), ("accepted",), ("rejected",), ("accepted", "failed")],
    ids=["requested", "accepted", "declined", "did-not-work-out"],
)
def test_a_group_they_have_not_joined_is_not_offered(client, person, choir, facilitator, statuses):
    referral = moved(refer(person, choir, facilitator), *statuses)
    client.force_login(facilitator)
    page = network_page(client, person).content.decode()
    assert "They have joined" not in page
    assert network_suggestions(person, []) == []
    # ...nor can it be added by posting its key.
    response = add(client, person, key_of(referral))
    assert response.status_code == 302
    assert not NetworkMap.objects.filter(person=person).exists()


def test_two_referrals_to_one_group_are_offered_once(client, person, choir, joined, facilitator):
    moved(refer(person, choir, facilitator), "accepted", "in_progress")
    client.force_login(facilitator)
    page = network_page(client, person).content.decode()
    assert page.count(BUTTON) == 1
    assert len(network_suggestions(person, [])) == 1


@pytest.mark.parametrize("label", ["balham community choir ", "Community Choir"])
def test_a_group_on_the_map_already_is_not_offered(client, person, joined, facilitator, label):
    # By the group's name in any case, or by the activity's.
    members = members_from_dicts([{"circle": 2, "kind": "place", "label": label}])
    network_map_save(person=person, by=facilitator, members=members)
    client.force_login(facilitator)
    page = network_page(client, person).content.decode()
    assert BUTTON not in page
    assert "They have joined" not in page


def test_adding_it_saves_a_new_version_with_the_group_and_audits_it(
    client, person, joined, facilitator
):
    network_map_save(
        person=person, by=facilitator,
        members=members_from_dicts([{"circle": 1, "kind": "family", "label": "Mum"}]),
    )  # fmt: skip
    audited = AuditEvent.objects.filter(person=person, what="Network map").count()
    client.force_login(facilitator)

    response = add(client, person, key_of(joined))

    assert response.status_code == 302
    assert response["Location"] == reverse("matching:network", args=[person.reference])
    latest = NetworkMap.objects.filter(person=person).latest()
    assert latest.created_by == facilitator
    assert latest.members == [
        {"circle": 1, "kind": "family", "support": [], "frequency": None, "label": "Mum"},
        {"circle": 3, "kind": "group", "support": [], "frequency": "weekly",
         "label": "Balham Community Choir"},
    ]  # fmt: skip
    assert "through a referral" in latest.note
    assert NetworkMap.objects.filter(person=person).count() == 2
    events = AuditEvent.objects.filter(person=person, what="Network map")
    assert events.count() == audited + 1
    assert events.latest("at").actor == facilitator
    assert events.latest("at").action == AuditEvent.Action.CREATE
    # ...and then it is not offered again, and posting it again adds nothing.
    page = client.get(response["Location"]).content.decode()
    assert "Balham Community Choir is on their map now, in the outer circle." in page
    assert BUTTON not in page
    add(client, person, key_of(joined))
    assert NetworkMap.objects.filter(person=person).count() == 2


def test_a_group_they_have_started_going_to_is_added_without_a_frequency(
    client, person, choir, facilitator
):
    referral = moved(refer(person, choir, facilitator), "accepted", "in_progress")
    client.force_login(facilitator)
    add(client, person, key_of(referral))
    (member,) = NetworkMap.objects.get(person=person).member_objects()
    assert (member.kind, member.circle, member.frequency) == ("group", 3, None)


def test_another_teams_facilitator_is_neither_offered_it_nor_can_add_it(client, person, joined):
    other = make_facilitator(TeamFactory(name="Tooting link workers"), username="other")
    client.force_login(other)
    assert network_page(client, person).status_code == 404
    assert add(client, person, key_of(joined)).status_code == 404
    assert not NetworkMap.objects.filter(person=person).exists()


def test_another_persons_referral_cannot_be_added_to_this_map(
    client, person, team, joined, facilitator
):
    someone_else = PersonFactory(team=team, display_name="Sam K")
    client.force_login(facilitator)
    assert "They have joined" not in network_page(client, someone_else).content.decode()
    add(client, someone_else, key_of(joined))
    assert not NetworkMap.objects.filter(person=someone_else).exists()


def test_a_get_adds_nothing(client, person, joined, facilitator):
    client.force_login(facilitator)
    url = reverse("matching:network_add_suggested", args=[person.reference])
    assert client.get(url + f"?suggestion={key_of(joined)}").status_code == 405
    assert not NetworkMap.objects.filter(person=person).exists()


def test_nothing_is_offered_or_added_without_consent(client, team, choir, facilitator):
    person = PersonFactory(team=team, display_name="Jo B")
    referral = moved(refer(person, choir, facilitator), "accepted", "completed")
    person.consents.all().delete()
    client.force_login(facilitator)
    assert BUTTON not in network_page(client, person).content.decode()
    add(client, person, key_of(referral))
    assert not NetworkMap.objects.filter(person=person).exists()


def test_a_long_group_name_is_cut_to_fit_the_map(client, person, directory, facilitator):
    group = OrganisationFactory(parent=directory, title="W" * 120, email="w@example.org")
    activity = ActivityFactory(parent=group, title="Walks", referral_route="takes_referrals")
    referral = moved(refer(person, activity, facilitator), "accepted", "completed")
    client.force_login(facilitator)
    add(client, person, key_of(referral))
    (member,) = NetworkMap.objects.get(person=person).member_objects()
    assert member.label == "W" * 80
