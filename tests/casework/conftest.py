import pytest

from casework.services import wellbeing_measure_ons4
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator


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
def ons4(db):
    return wellbeing_measure_ons4()


START = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 3, "anxiety": 6}
LATER = {"life_satisfaction": 7, "worthwhile": 5, "happiness": 6, "anxiety": 4}
