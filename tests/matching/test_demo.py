import pytest
from django.contrib.auth import authenticate

from matching.demo import DEMO_FACILITATORS, DEMO_PEOPLE, ensure_demo_teams
from matching.models import Person, Team
from matching.selectors import answers_for_person, people_for_user

pytestmark = pytest.mark.django_db


def test_demo_teams_have_facilitators_who_can_sign_in_and_consented_people():
    accounts = ensure_demo_teams()
    assert {username for _, username, _ in accounts} == set(DEMO_FACILITATORS)
    for _, username, password in accounts:
        assert authenticate(username=username, password=password) is not None
    assert Team.objects.count() == 2
    assert Person.objects.count() == len(DEMO_PEOPLE)
    for person in Person.objects.all():
        assert person.current_consent is not None
        assert person.network_maps.count() == 1
        assert answers_for_person(person)["needs"]


def test_each_demo_facilitator_sees_only_their_team():
    ensure_demo_teams()
    linkworker = authenticate(username="linkworker", password="common-ground-linkworker")
    librarian = authenticate(username="librarian", password="common-ground-librarian")
    mine = set(people_for_user(linkworker))
    theirs = set(people_for_user(librarian))
    assert mine and theirs and not mine & theirs


def test_running_the_demo_again_changes_nothing():
    ensure_demo_teams()
    ensure_demo_teams()
    assert Person.objects.count() == len(DEMO_PEOPLE)
