"""Supply, need and the gap on small hand-made areas, worked out by hand."""

import math
import random

import pytest

from common.geo import haversine_m
from insights.arithmetic import (
    Area,
    Need,
    Offer,
    Reach,
    Supply,
    deprivation_weight,
    explain,
    gap_score,
    need_score,
    offer_table,
    published,
    scarcity,
    shown,
    supply,
)

# A degree of latitude is 111,195 m on the mean sphere: points due north are easy to place.
M_PER_DEGREE = math.radians(1) * 6_371_008.8


def north_of(area, metres):
    return area.lat + metres / M_PER_DEGREE, area.lng


HOME = Area("E01000001", "Roehampton 004B", 51.45, -0.24, 2000, imd_decile=2, health_decile=3)
AWAY = Area("E01000002", "Putney 001A", 51.50, -0.24, 1000, imd_decile=9, health_decile=10)


def place(area, metres, themes, hours):
    lat, lng = north_of(area, metres)
    return Offer(themes=themes, weekly_hours=hours, lat=lat, lng=lng)


def test_hours_within_walking_distance_and_a_short_trip_per_1000_residents():
    offers = [
        place(HOME, 400, ("wellbeing",), 2),  # within a walk
        place(HOME, 999, ("wellbeing", "arts"), 1.5),  # just within, counted for both themes
        place(HOME, 1001, ("wellbeing",), 3),  # just beyond a walk: a short trip
        place(HOME, 4900, ("wellbeing",), 4),
        place(HOME, 5100, ("wellbeing",), 100),  # beyond a short trip
    ]
    found = supply([HOME], offers, ["wellbeing", "arts", "sport"])

    wellbeing = found["wellbeing"][0]
    assert wellbeing.walk_hours == pytest.approx(3.5)
    assert wellbeing.trip_hours == pytest.approx(10.5)
    assert wellbeing.walk_per_1000 == pytest.approx(1.75)  # 3.5 hours for 2,000 people
    assert wellbeing.trip_per_1000 == pytest.approx(5.25)
    assert wellbeing.nearest_m == pytest.approx(400, abs=1)
    assert found["arts"][0].walk_hours == 1.5
    assert found["arts"][0].nearest_m == pytest.approx(999, abs=1)
    sport = found["sport"][0]
    assert (sport.walk_hours, sport.trip_hours, sport.nearest_m) == (0, 0, None)


def test_the_nearest_is_looked_for_only_so_far():
    offers = [place(HOME, 15_000, ("arts",), 1)]
    near = supply([HOME], offers, ["arts"], Reach(nearest_within_m=20_000))["arts"][0]
    far = supply([HOME], offers, ["arts"], Reach(nearest_within_m=10_000))["arts"][0]
    assert near.nearest_m == pytest.approx(15_000, rel=1e-3)
    assert far.nearest_m is None


def test_distances_agree_with_the_great_circle_east_and_west_too():
    # 3 km due east at this latitude: the flat projection is within a metre of haversine.
    lng = HOME.lng + math.degrees(3000 / (6_371_008.8 * math.cos(math.radians(HOME.lat))))
    found = supply([HOME], [Offer(("arts",), 1, lat=HOME.lat, lng=lng)], ["arts"])["arts"][0]
    assert found.nearest_m == pytest.approx(3000, abs=1)


def test_remote_services_count_for_the_areas_they_serve_only():
    box = (51.44, -0.30, 51.46, -0.20)  # around HOME, not AWAY
    offers = [
        Offer(("wellbeing",), 2, box=box),
        Offer(("wellbeing",), 1, anywhere=True),
        Offer(("arts",), 5),  # neither a place nor an area: counts nowhere
    ]
    found = supply([HOME, AWAY], offers, ["wellbeing", "arts"])
    assert [s.remote_hours for s in found["wellbeing"]] == [3, 1]
    assert [s.remote_hours for s in found["arts"]] == [0, 0]
    assert found["wellbeing"][0].walk_hours == 0  # remote hours are not walking distance


def test_each_area_counts_what_is_near_it():
    offers = [place(AWAY, 100, ("arts",), 2)]
    found = supply([HOME, AWAY], offers, ["arts"])["arts"]
    assert [s.walk_hours for s in found] == [0, 2]
    assert found[0].nearest_m == pytest.approx(5660, rel=0.01)  # 0.05 degrees north, less 100 m


def test_no_areas_or_no_offers_is_not_an_error():
    assert supply([], [], ["arts"]) == {"arts": []}
    assert supply([HOME], [], ["arts"])["arts"][0].nearest_m is None


def test_reach_must_make_sense():
    with pytest.raises(ValueError):
        Reach(walk_m=2000, trip_m=1000)
    with pytest.raises(ValueError):
        Reach(walk_m=0)


def test_deprivation_runs_from_a_tenth_to_one():
    assert [deprivation_weight(d) for d in (1, 5, 10)] == [1.0, 0.6, pytest.approx(0.1)]
    with pytest.raises(ValueError):
        deprivation_weight(0)


def test_need_adds_deprivation_half_of_health_and_what_people_asked_for():
    # IMD decile 2 gives 0.9, health decile 3 gives 0.8 / 2, and 12 asked caps at 1.
    assert need_score(HOME, Need()) == pytest.approx(1.3)
    assert need_score(HOME, Need(searches=3)) == pytest.approx(1.6)
    assert need_score(HOME, Need(searches=12)) == pytest.approx(2.3)


def test_counts_from_people_under_5_add_nothing_to_the_score_and_the_rest_are_rounded():
    assert [published(n) for n in (0, 1, 4, 5, 7, 8, 12, 13)] == [0, 0, 0, 5, 5, 10, 10, 15]
    assert [shown(n) for n in (0, 3, 7)] == [0, "fewer than 5", 5]
    # 4 people and 3 declined referrals could pick someone out: the score cannot tell them
    # from none, so no two scores can be subtracted to find them.
    assert need_score(HOME, Need(people=4, declined_no_space=3)) == need_score(HOME, Need())
    assert need_score(HOME, Need(people=7)) == need_score(HOME, Need(people=5))


def test_the_gap_grows_with_need_and_shrinks_with_supply():
    none = Supply(0, 0, 0, None, 2000)
    some = Supply(walk_hours=4, trip_hours=10, remote_hours=0, nearest_m=300, population=2000)
    remote = Supply(walk_hours=0, trip_hours=0, remote_hours=4, nearest_m=None, population=2000)
    assert scarcity(none) == 1
    assert scarcity(some) == pytest.approx(1 / 3)  # 2 hours per 1,000
    assert scarcity(remote) == pytest.approx(1 / 2)  # remote hours count half
    need = Need(searches=2)
    assert gap_score(HOME, none, need) > gap_score(HOME, remote, need) > gap_score(HOME, some, need)
    assert gap_score(HOME, none, need) > gap_score(AWAY, none, need)  # less deprived
    assert gap_score(HOME, none, Need(searches=5)) > gap_score(HOME, none, need)


def test_the_gap_is_explained_in_words():
    found = Supply(0, 3, 0, nearest_m=2340, population=1640)
    area = Area("E01004000", "Roehampton 004B", 51.45, -0.24, 1640, 2, 3)
    need = Need(searches=14, search_words=(("anxiety", 9), ("panic", 5)), people=3)
    assert explain(area, "Mental wellbeing", found, need) == (
        "Roehampton 004B: IMD decile 2, 1,640 residents, no mental wellbeing activity within "
        "1 km (the nearest 2.3 km away), 14 searches for 'anxiety' found nothing here this "
        "quarter, fewer than 5 people counted who want it."
    )
    some = Supply(walk_hours=3.28, trip_hours=9, remote_hours=2, nearest_m=200, population=1640)
    assert explain(area, "Arts", some, Need(), Reach(walk_m=800)) == (
        "Roehampton 004B: IMD decile 2, 1,640 residents, 2.0 hours a week of arts within 800 m "
        "per 1,000 residents, 2 hours a week online, by phone or area-wide."
    )
    lonely = Supply(0, 0, 0, None, 1640)
    assert "(none within 20 km)" in explain(area, "Arts", lonely, Need())


def test_many_offers_sum_like_the_great_circle_done_one_by_one():
    """The table's sums and minimums per theme agree with a plain loop over every offer, with
    themes that have no offers between ones that do, and offers given as tuples."""
    rng = random.Random(18)
    themes = ["advice", "arts", "music", "sport"]
    areas = [
        Area(f"E0{i}", f"Area {i}", 51.45 + rng.uniform(-0.05, 0.05),
             -0.2 + rng.uniform(-0.08, 0.08), rng.randint(800, 3000), 5, 5)
        for i in range(12)
    ]  # fmt: skip
    offers = [
        (rng.sample(["advice", "music", "knitting"], rng.randint(1, 2)), rng.choice([0.5, 1, 2]),
         51.45 + rng.uniform(-0.1, 0.1), -0.2 + rng.uniform(-0.15, 0.15), None, False)
        for _ in range(400)
    ]  # fmt: skip
    reach = Reach(walk_m=1_000, trip_m=5_000, nearest_within_m=8_000)

    found = supply(areas, offer_table(offers, themes), themes, reach)

    for i, area in enumerate(areas):
        for theme in themes:
            near = [
                (haversine_m(area.lat, area.lng, lat, lng), hours)
                for names, hours, lat, lng, _, _ in offers
                if theme in names
            ]
            here = found[theme][i]
            # The flat projection is within 0.1% of the great circle: an offer that close to
            # the edge may fall either side of it.
            for got, edge in ((here.walk_hours, 1_000), (here.trip_hours, 5_000)):
                surely = sum(h for d, h in near if d <= edge * 0.999)
                maybe = sum(h for d, h in near if edge * 0.999 < d <= edge * 1.001)
                assert surely - 1e-9 <= got <= surely + maybe + 1e-9
            within = [d for d, _ in near if d <= 8_000]
            if within:
                assert here.nearest_m == pytest.approx(min(within), rel=1e-3)
            else:
                assert here.nearest_m is None
    assert all(s.walk_hours == 0 and s.nearest_m is None for s in found["arts"] + found["sport"])


def test_a_table_made_for_other_themes_is_refused():
    table = offer_table([place(HOME, 10, ("arts",), 1)], ["arts"])
    with pytest.raises(ValueError, match="other themes"):
        supply([HOME], table, ["arts", "music"])
