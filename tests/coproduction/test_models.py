"""Coproduction's data: the seeded vocabulary, and what the database refuses."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from coproduction.models import (
    Ask,
    CapabilityItem,
    CapabilityTerm,
    ServiceLine,
    ServiceTeamMembership,
    validate_outcodes,
)
from tests.factories.coproduction import (
    AskFactory,
    CapabilityItemFactory,
    CapabilityProfileFactory,
    CapabilityTermFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

pytestmark = pytest.mark.django_db

SEED_LINES = [
    "Health promotion",
    "Healthy cooking and eating",
    "Exercise and physical activity",
    "Health checks",
    "Early diagnosis of dementia",
    "Self-management of long-term conditions",
    "Talking therapies and family therapy",
]


def test_the_seven_service_lines_of_the_seed_are_there_in_order():
    assert list(ServiceLine.objects.values_list("name", flat=True)) == SEED_LINES


def test_the_vocabulary_starts_with_terms_of_every_kind():
    kinds = set(CapabilityTerm.objects.values_list("kind", flat=True))
    assert kinds == set(CapabilityTerm.Kind.values)
    # The same word may be a community and a language, as two terms.
    assert CapabilityTerm.objects.filter(name="Tamil").count() == 2


def test_a_term_name_is_unique_within_its_kind():
    CapabilityTermFactory(kind="skill", name="Knitting", slug="skill-knitting")
    with pytest.raises(IntegrityError):
        CapabilityTermFactory(kind="skill", name="Knitting", slug="skill-knitting-2")


@pytest.mark.parametrize(
    "value", [["SW17", "sw18"], "SW17", ["SW17 0QT"], [17], ["<script>"]], ids=repr
)
def test_areas_must_be_a_list_of_upper_case_outward_codes(value):
    with pytest.raises(ValidationError):
        validate_outcodes(value)


def test_good_areas_pass():
    validate_outcodes(["SW17", "SW18", "E1", "EC1A"])
    validate_outcodes([])


def test_a_team_full_clean_names_the_areas_field():
    team = ServiceTeamFactory.build(
        service_line=ServiceLine.objects.first(), areas=["SW17", "nowhere"]
    )
    with pytest.raises(ValidationError) as raised:
        team.full_clean()
    assert "areas" in raised.value.message_dict
    assert "nowhere" in raised.value.message_dict["areas"][0]


def test_a_user_belongs_to_a_team_once():
    team = ServiceTeamFactory()
    user = make_service_team_member(team, role=ServiceTeamMembership.Role.LEAD)
    with pytest.raises(IntegrityError):
        ServiceTeamMembership.objects.create(team=team, user=user)


def test_a_verified_item_must_say_what_evidence_was_seen():
    item = CapabilityItemFactory()
    item.verified_on = datetime.date(2026, 12, 1)
    with pytest.raises(IntegrityError):
        item.save()


def test_an_item_is_verified_once_dated_with_evidence():
    item = CapabilityItemFactory(verified_on=datetime.date(2026, 12, 1), evidence="Policy seen")
    assert item.verified
    assert not CapabilityItemFactory(profile=item.profile).verified


def test_a_group_lists_each_term_once():
    profile = CapabilityProfileFactory()
    term = CapabilityTermFactory()
    CapabilityItem.objects.create(profile=profile, term=term)
    with pytest.raises(IntegrityError):
        CapabilityItem.objects.create(profile=profile, term=term)


def test_an_ask_cannot_end_before_it_starts():
    ask = AskFactory.build(
        team=ServiceTeamFactory(),
        starts_on=datetime.date(2027, 3, 1),
        ends_on=datetime.date(2027, 2, 1),
    )
    ask.service_line = ask.team.service_line
    with pytest.raises(ValidationError) as raised:
        ask.full_clean()
    assert "ends_on" in raised.value.message_dict
    with pytest.raises(IntegrityError):
        ask.save()


def test_an_ask_offers_only_what_it_can():
    ask = AskFactory(offers=["funding", "hugs"])
    with pytest.raises(ValidationError) as raised:
        ask.full_clean()
    assert raised.value.message_dict["offers"] == ["Unknown offers: hugs."]
    ask.offers = [Ask.Offer.FUNDING, Ask.Offer.TRAINING]
    ask.full_clean()
