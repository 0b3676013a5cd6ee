"""What the commissioners' tests share: supply near SW18, and a commissioner."""

import datetime

import pytest
from django.contrib.auth.models import Permission

from common import deprivation
from search.services import index_rebuild
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.places import SW18, local_activity


@pytest.fixture
def near_sw18(directory):
    """A two-hour mental wellbeing group and a one-hour walk at the same hall in SW18."""
    group = OrganisationFactory(parent=directory, title="Wandle Wellbeing")
    local_activity(
        group, "Anxiety peer support", "mental-wellbeing",
        start=datetime.time(10), end=datetime.time(12),
    )  # fmt: skip
    local_activity(
        group, "Health walk", "physical-activity",
        start=datetime.time(9), end=datetime.time(10),
    )  # fmt: skip
    index_rebuild()
    # The small area whose centre is nearest the hall.
    return deprivation.within([SW18], 500).neighbourhoods[0]


@pytest.fixture
def commissioner(db):
    user = UserFactory(username="commissioner")
    user.user_permissions.add(Permission.objects.get(codename="view_aggregates"))
    return user
