"""The groups that fit an ask: scored from their profiles, placed through the search index."""

import datetime

import pytest

from assets_directory.models import Activity
from common import deprivation
from coproduction.models import CapabilityItem, CapabilityTerm
from coproduction.selectors import area_points, ask_needs, candidates_for, venues_near
from search.services import index_rebuild
from tests.factories import ActivityFactory, OrganisationFactory, VenueFactory
from tests.factories.coproduction import AskFactory, CapabilityProfileFactory

SW17 = (51.43070, -0.16470)
SW11 = (51.46917, -0.16193)


def term(kind, name):
    return CapabilityTerm.objects.get(kind=kind, name=name)


def group(directory, title, *, at=None, verified=(), claimed=(), reaches=()):
    organisation = OrganisationFactory(parent=directory, title=title)
    if at is not None:
        venue = VenueFactory(latitude=at[0], longitude=at[1], postcode="SW17 0QT")
        ActivityFactory(parent=organisation, title=f"{title} meets", venue=venue)
    profile = CapabilityProfileFactory(organisation=organisation)
    for kind, name in verified:
        CapabilityItem.objects.create(
            profile=profile,
            term=term(kind, name),
            verified_on=datetime.date(2026, 11, 1),
            evidence="Seen at a visit",
        )
    for kind, name in (*claimed, *reaches):
        CapabilityItem.objects.create(profile=profile, term=term(kind, name))
    return organisation


@pytest.fixture
def ask(db):
    ask = AskFactory(title="Healthy cooking for Tamil women", areas=["SW17"])
    ask.capabilities.set([term("asset", "Kitchen"), term("skill", "Cooking")])
    ask.communities.set([term("community", "Tamil")])
    return ask


@pytest.fixture
def groups(search_index, directory):
    tamil = group(
        directory,
        "Tooting Tamil Women",
        at=SW17,
        verified=[("asset", "Kitchen")],
        claimed=[("skill", "Cooking")],
        reaches=[("community", "Tamil"), ("language", "Tamil")],
    )
    walkers = group(
        directory, "Battersea Walkers", at=SW11, verified=[("skill", "Leading exercise")]
    )
    nowhere = group(directory, "Phone Friends", verified=[("asset", "Kitchen")])
    # Near, but with no capability profile: not a candidate.
    ActivityFactory(parent=OrganisationFactory(parent=directory), venue=VenueFactory())
    index_rebuild()
    return tamil, walkers, nowhere


def test_groups_are_ranked_by_fit_with_their_reasons(groups, ask):
    tamil, walkers, nowhere = groups
    ranked = candidates_for(ask)
    # A verified kitchen far away (25) fits better than nothing asked for nearby (14).
    assert [c.organisation for c in ranked] == [tamil, nowhere, walkers]
    best = ranked[0].fit
    # Kitchen verified (1) and cooking claimed (0.5) of 2: 37.5; Tamil reached: 30; in SW17: 20.
    assert best.score == 88
    assert "Verified: Kitchen." in best.reasons and "Not yet verified: Cooking." in best.reasons
    assert "Reaches 1 of the 1 communities asked for: Tamil." in best.reasons
    assert "Has a venue in or near SW17." in best.reasons
    deprived = deprivation.within([SW17], 2_000).core20_population
    assert deprived > 0
    assert any(f"About {deprived:,} people" in reason for reason in best.reasons)
    # SW11's venue is 4.3 km from SW17's centre: (10,000 - 4,281) / 8,000 of 20 points.
    assert ranked[1].fit.score == 25  # the kitchen, verified, and nothing else
    assert "None of its activities has a venue on the map." in ranked[1].fit.reasons
    assert ranked[2].fit.score == 14 and ranked[2].fit.missing == ("Cooking", "Kitchen")


def test_an_ended_activity_places_no_group(groups, ask):
    tamil, _walkers, _nowhere = groups
    Activity.objects.filter(title="Tooting Tamil Women meets").update(status=Activity.Status.ENDED)
    index_rebuild()
    (tamil_fit,) = [c.fit for c in candidates_for(ask) if c.organisation == tamil]
    assert tamil_fit.distance_m is None and tamil_fit.place_points == 0


def test_an_unpublished_group_is_not_a_candidate(groups, ask):
    tamil, walkers, nowhere = groups
    tamil.unpublish()
    assert tamil not in [c.organisation for c in candidates_for(ask)]


def test_venues_near_come_from_the_search_index(groups):
    tamil, walkers, _nowhere = groups
    found = venues_near((("SW17", *SW17),), radius_m=10_000)
    assert found[tamil.pk] == {SW17}
    assert found[walkers.pk] == {SW11}
    assert walkers.pk not in venues_near((("SW17", *SW17),), radius_m=3_000)


def test_an_area_the_geocoder_cannot_place_is_left_out(db):
    assert area_points(["SW17", "ZE99"]) == (("SW17", *SW17),)


def test_what_an_ask_needs_is_named_in_words(ask):
    needs = ask_needs(ask)
    assert needs.capabilities == {"Kitchen", "Cooking"}
    assert needs.communities == {"Tamil"}
    assert needs.areas == (("SW17", *SW17),)


def test_limit_keeps_the_best(groups, ask):
    tamil, _walkers, _nowhere = groups
    assert [c.organisation for c in candidates_for(ask, limit=1)] == [tamil]
