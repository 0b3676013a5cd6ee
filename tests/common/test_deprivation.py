"""The shipped deprivation data: every English neighbourhood, and who lives near a place."""

import pytest

from common import deprivation
from common.geo import haversine_m

WANDSWORTH = "E09000032"
TOOTING = (51.4275, -0.1681)


def test_every_english_neighbourhood_is_there_once():
    found = deprivation.neighbourhoods()
    assert len(found) == 33_755
    assert len({n.code for n in found}) == len(found)
    assert all(n.code.startswith("E01") and 1 <= n.imd_decile <= 10 for n in found)


def test_a_neighbourhood_reads_as_published():
    city = deprivation.neighbourhood(" e01000001 ")
    assert city.name == "City of London 001A" and city.lad_name == "City of London"
    assert (city.lat, city.lng) == (51.519593, -0.096240)
    assert city.population == 1474 and city.imd_decile == 8 and city.imd_rank == 26525
    assert not city.core20
    assert deprivation.neighbourhood("E01999999") is None
    # The health domain is its own column: Southwark 026B is decile 3 overall, 4 for health.
    southwark = deprivation.neighbourhood("E01004001")
    assert (southwark.imd_decile, southwark.health_decile) == (3, 4)


def test_the_most_deprived_fifth_is_deciles_1_and_2():
    found = deprivation.neighbourhoods()
    core20 = [n for n in found if n.core20]
    assert {n.imd_decile for n in core20} == {1, 2}
    # A fifth of England's neighbourhoods, give or take the rounding of deciles.
    assert len(core20) / len(found) == pytest.approx(0.2, abs=0.001)


def test_a_district_has_its_own_neighbourhoods():
    wandsworth = deprivation.in_district(WANDSWORTH)
    assert len(wandsworth) == 186
    assert {n.lad_name for n in wandsworth} == {"Wandsworth"}


def test_within_finds_exactly_the_neighbourhoods_whose_centre_is_in_range():
    reach = deprivation.within([TOOTING], 1_500)
    expected = {
        n.code for n in deprivation.neighbourhoods() if haversine_m(*TOOTING, n.lat, n.lng) <= 1_500
    }
    assert {n.code for n in reach.neighbourhoods} == expected and expected
    assert reach.population == sum(n.population for n in reach.neighbourhoods)
    assert reach.core20_population == sum(n.population for n in reach.neighbourhoods if n.core20)


def test_within_several_places_counts_each_neighbourhood_once():
    one = deprivation.within([TOOTING], 1_000)
    twice = deprivation.within([TOOTING, TOOTING], 1_000)
    assert twice.neighbourhoods == one.neighbourhoods


def test_no_places_or_no_distance_reach_nobody():
    assert deprivation.within([], 5_000).population == 0
    assert deprivation.within([TOOTING], 0).neighbourhoods == ()


def test_the_attribution_names_the_licence_and_sources():
    assert "Open Government Licence v3.0" in deprivation.ATTRIBUTION
    assert "Indices of Deprivation 2025" in deprivation.ATTRIBUTION
