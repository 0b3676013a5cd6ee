"""Commissioners' figures: referrals counted by outcome and by group, no personal data."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from referrals.services import referral_status_change
from referrals.status import Party
from tests.factories import UserFactory
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def commissioner():
    user = UserFactory(username="commissioner")
    user.user_permissions.add(Permission.objects.get(codename="view_aggregates"))
    return user


def test_referrals_are_counted_by_outcome_with_small_numbers_hidden(
    client, commissioner, person, choir, facilitator
):
    for n in range(6):
        referral = refer(person, choir, facilitator)
        referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
        if n < 5:
            referral_status_change(referral=referral, party=Party.GROUP, status="completed")
    refer(person, choir, facilitator)  # one still waiting
    client.force_login(commissioner)

    response = client.get(reverse("referrals:figures"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<td>Going regularly</td><td>5</td>" in page
    assert "<td>Accepted by the group</td><td>fewer than 5</td>" in page
    assert "<td>Sent, waiting for the group</td><td>fewer than 5</td>" in page
    assert "<td>Balham Community Choir</td><td>7</td><td>6</td><td>5</td>" in page
    for personal in ("Jo B", "Marker-Jo", "Marker-help", str(person.reference)):
        assert personal not in page
    insights = client.get(reverse("matching:insights")).content.decode()
    assert reverse("referrals:figures") in insights


def test_a_facilitator_cannot_see_the_figures(client, facilitator):
    client.force_login(facilitator)
    assert client.get(reverse("referrals:figures")).status_code == 403
