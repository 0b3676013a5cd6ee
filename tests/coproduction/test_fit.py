"""Fit scoring, against values worked out by hand (coproduction/fit.py)."""

import pytest

from coproduction.fit import AskNeeds, GroupOffer, fit, place_share

# SW17's centre and points north of it: 0.01 degree of latitude is 1,112 m.
SW17 = ("SW17", 51.43, -0.17)
NORTH_1KM = (51.439, -0.17)
NORTH_6KM = (51.484, -0.17)
NORTH_11KM = (51.529, -0.17)


def test_a_group_with_everything_verified_nearby_scores_100():
    needs = AskNeeds(
        capabilities=frozenset({"Kitchen", "Cooking"}),
        communities=frozenset({"Tamil"}),
        areas=(SW17,),
    )
    offer = GroupOffer(
        verified=frozenset({"Kitchen", "Cooking", "Hall"}),
        reaches=frozenset({"Tamil", "Women"}),
        venues=(NORTH_1KM,),
    )
    result = fit(needs, offer)
    assert result.score == 100
    assert result.covered == ("Cooking", "Kitchen") and result.missing == ()
    assert "Offers 2 of the 2 capabilities asked for." in result.reasons
    assert "Verified: Cooking and Kitchen." in result.reasons
    assert "Reaches 1 of the 1 communities asked for: Tamil." in result.reasons
    assert "Has a venue in or near SW17." in result.reasons


def test_unverified_capabilities_count_half_and_missing_ones_nothing():
    needs = AskNeeds(capabilities=frozenset({"Kitchen", "Cooking", "Interpreters", "Hall"}))
    offer = GroupOffer(verified=frozenset({"Kitchen"}), unverified=frozenset({"Cooking"}))
    result = fit(needs, offer)
    # (1 + 0.5) of 4 capabilities: 50 x 3/8 = 18.75; communities and place not asked: 30 + 20.
    assert result.capability_points == pytest.approx(18.75)
    assert result.score == 69
    assert result.unverified == ("Cooking",)
    assert result.missing == ("Hall", "Interpreters")
    assert "Not yet verified: Cooking." in result.reasons
    assert "Missing: Hall and Interpreters." in result.reasons


def test_a_capability_both_verified_and_claimed_counts_once_as_verified():
    needs = AskNeeds(capabilities=frozenset({"Kitchen"}))
    offer = GroupOffer(verified=frozenset({"Kitchen"}), unverified=frozenset({"Kitchen"}))
    result = fit(needs, offer)
    assert result.covered == ("Kitchen",) and result.unverified == ()
    assert result.capability_points == 50


def test_communities_count_by_share_and_say_which_are_not_reached():
    needs = AskNeeds(communities=frozenset({"Tamil", "Somali", "Polish"}))
    result = fit(needs, GroupOffer(reaches=frozenset({"Tamil", "Men"})))
    assert result.community_points == pytest.approx(10)
    assert result.communities_missing == ("Polish", "Somali")
    assert "Does not reach: Polish and Somali." in result.reasons
    nobody = fit(needs, GroupOffer())
    assert nobody.community_points == 0
    assert "Reaches none of the communities asked for." in nobody.reasons


@pytest.mark.parametrize(
    ("metres", "share"), [(0, 1.0), (2_000, 1.0), (6_000, 0.5), (10_000, 0.0), (25_000, 0.0)]
)
def test_place_counts_in_full_near_and_nothing_far(metres, share):
    assert place_share(metres) == pytest.approx(share)


def test_the_nearest_venue_to_the_nearest_area_decides_place():
    needs = AskNeeds(areas=(SW17, ("SW18", 51.45, -0.19)))
    result = fit(needs, GroupOffer(venues=(NORTH_11KM, NORTH_6KM)))
    # NORTH_6KM is 3,781 m north and 1,385 m east of SW18's centre: 4,026 m, nearer than
    # SW17's 6 km.
    assert result.nearest_area == "SW18"
    assert result.distance_m == pytest.approx(4_026, abs=5)
    assert result.place_points == pytest.approx(20 * (10_000 - result.distance_m) / 8_000)
    assert "Its nearest venue is 4.0 km from SW18." in result.reasons


def test_a_group_without_a_located_venue_gets_no_place_points_when_areas_are_asked():
    result = fit(AskNeeds(areas=(SW17,)), GroupOffer())
    assert result.place_points == 0 and result.distance_m is None
    assert "None of its activities has a venue on the map." in result.reasons
    assert fit(AskNeeds(), GroupOffer()).place_points == 20


def test_an_ask_for_the_most_deprived_fifth_halves_place_for_a_group_reaching_none():
    needs = AskNeeds(areas=(SW17,), most_deprived_fifth=True)
    near_deprived = fit(needs, GroupOffer(venues=(NORTH_1KM,), deprived_population=4_321))
    near_none = fit(needs, GroupOffer(venues=(NORTH_1KM,), deprived_population=0))
    assert near_deprived.place_points == 20 and near_none.place_points == 10
    assert (
        "About 4,321 people in the most deprived fifth of neighbourhoods live within 2 km of "
        "its venues." in near_deprived.reasons
    )
    # Without the ask asking for it, the figure is said but not scored.
    plain = fit(AskNeeds(areas=(SW17,)), GroupOffer(venues=(NORTH_1KM,), deprived_population=0))
    assert plain.place_points == 20


def test_an_ask_naming_nothing_does_not_tell_groups_apart():
    result = fit(AskNeeds(), GroupOffer())
    assert result.score == 100
    assert result.reasons == (
        "The ask names no capabilities.",
        "The ask names no communities.",
        "The ask names no areas.",
    )
