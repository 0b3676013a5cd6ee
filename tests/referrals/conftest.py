import datetime

import pytest

from referrals.services import SharedDetails, referral_create
from tests.factories import ActivityFactory, OrganisationFactory
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator

SHARED = SharedDetails(
    first_name="Marker-Jo",
    contact="07700 900123",
    help_with="Marker-help meeting people",
    access_needs="Marker-access step-free",
)


@pytest.fixture
def team(db):
    return TeamFactory(name="Wandle link workers")


@pytest.fixture
def facilitator(team):
    return make_facilitator(team, username="linkworker", email="linkworker@example.org")


@pytest.fixture
def person(team):
    return PersonFactory(team=team, display_name="Jo B")


@pytest.fixture
def choir(directory):
    group = OrganisationFactory(
        parent=directory, title="Balham Community Choir", email="choir@example.org"
    )
    return ActivityFactory(parent=group, title="Community choir", referral_route="takes_referrals")


def refer(person, activity, by, *, shared=SHARED, **kwargs):
    kwargs.setdefault("consent_to_share", True)
    kwargs.setdefault("today", datetime.date(2026, 12, 14))
    return referral_create(person=person, activity_id=activity.pk, by=by, shared=shared, **kwargs)
