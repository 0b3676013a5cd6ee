"""The `network_suggested_members` hook and the service that adds a suggestion, on their own
(referrals' answer is tested in tests/referrals/test_network_suggestions.py)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail import hooks

from matching.models import AuditEvent
from matching.network import Member
from matching.sections import NETWORK_HOOK, SuggestedMember, network_suggestion, network_suggestions
from matching.services import network_member_add
from tests.factories.matching import PersonFactory, make_facilitator

pytestmark = pytest.mark.django_db


def walkers(key="walkers"):
    return SuggestedMember(
        key=key, label="Garratt Park Walkers", kind="group", circle=3, frequency="weekly",
        why="They have joined Garratt Park Walkers (Nordic walking).",
        other_names=("Nordic walking",),
    )  # fmt: skip


def test_suggestions_leave_out_what_is_on_the_map_and_repeats():
    person = PersonFactory()  # no referrals: only this test's hook answers

    def answers(person):
        return [walkers("a"), walkers("b")]

    with hooks.register_temporarily(NETWORK_HOOK, answers):
        assert [s.key for s in network_suggestions(person, [])] == ["a"]
        assert network_suggestion(person, [], "a") == walkers("a")
        assert network_suggestion(person, [], "b") is None
        for label in ("GARRATT PARK WALKERS", " nordic walking "):
            on_map = [Member(circle=1, kind="friend", label=label)]
            assert network_suggestions(person, on_map) == []


def test_adding_a_member_keeps_the_rest_and_is_audited():
    person = PersonFactory()
    by = make_facilitator(person.team, username="fac")
    first = network_member_add(person=person, by=by, member=Member(circle=1, kind="pet",
                                                                   label="Rex"))  # fmt: skip
    second = network_member_add(person=person, by=by, member=walkers().member(), note="Joined.")
    assert first.pk != second.pk
    assert [m.label for m in second.member_objects()] == ["Rex", "Garratt Park Walkers"]
    assert second.note == "Joined."
    assert AuditEvent.objects.filter(person=person, what="Network map", actor=by).count() == 2


def test_a_member_of_the_same_name_is_not_added_twice():
    person = PersonFactory()
    by = make_facilitator(person.team, username="fac")
    network_member_add(person=person, by=by, member=walkers().member())
    with pytest.raises(ValidationError, match="on their map already"):
        network_member_add(
            person=person, by=by,
            member=Member(circle=2, kind="group", label="garratt park walkers"),
        )  # fmt: skip
    assert person.network_maps.count() == 1
