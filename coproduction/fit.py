"""How well a community group fits a service team's ask, in a score that explains itself.

Pure functions of plain values, so the scoring is tested by hand and the callers decide where
the values come from (selectors read the profiles and asks; venues near an ask come through
search, never by loading every venue).

The score is out of 100:
- capabilities, up to 50: each capability asked for counts 1 if the group has it verified by a
  moderator, 0.5 if it says so but it is not verified yet;
- communities, up to 30: the share of the communities asked for that the group reaches;
- place, up to 20: full within NEAR_M of the ask's nearest area, none from FAR_M, in between
  in proportion. When the ask is for the most deprived fifth of neighbourhoods, a group with no
  such neighbourhood within REACH_M of its venues gets half of that.
An ask that names no capabilities (or communities, or areas) gives every group that part in
full: it does not tell groups apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from common.geo import format_distance, haversine_m

CAPABILITY_POINTS = 50
COMMUNITY_POINTS = 30
PLACE_POINTS = 20
UNVERIFIED_WEIGHT = 0.5
NEAR_M = 2_000
FAR_M = 10_000
# How far people come to a group's venue, for the population it reaches.
REACH_M = 2_000


@dataclass(frozen=True)
class AskNeeds:
    """What an ask looks for. Terms are named (their display names), places are points."""

    capabilities: frozenset[str] = frozenset()
    communities: frozenset[str] = frozenset()
    # (outward code, lat, lng) of each area the ask is for.
    areas: tuple[tuple[str, float, float], ...] = ()
    most_deprived_fifth: bool = False


@dataclass(frozen=True)
class GroupOffer:
    """What a group offers and whom it reaches."""

    verified: frozenset[str] = frozenset()
    unverified: frozenset[str] = frozenset()
    reaches: frozenset[str] = frozenset()
    # (lat, lng) of each venue of the group's activities.
    venues: tuple[tuple[float, float], ...] = ()
    # People living in the most deprived fifth of neighbourhoods within REACH_M of its venues
    # (common.deprivation), when known.
    deprived_population: int | None = None


@dataclass(frozen=True)
class Fit:
    score: int
    capability_points: float
    community_points: float
    place_points: float
    covered: tuple[str, ...]
    unverified: tuple[str, ...]
    missing: tuple[str, ...]
    communities_reached: tuple[str, ...]
    communities_missing: tuple[str, ...]
    distance_m: float | None
    nearest_area: str | None
    reasons: tuple[str, ...] = field(default=())


def _listed(names: Iterable[str]) -> str:
    names = sorted(names, key=str.lower)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _nearest(
    venues: tuple[tuple[float, float], ...], areas: tuple[tuple[str, float, float], ...]
) -> tuple[float, str] | None:
    best = None
    for lat, lng in venues:
        for outcode, area_lat, area_lng in areas:
            metres = haversine_m(lat, lng, area_lat, area_lng)
            if best is None or metres < best[0]:
                best = (metres, outcode)
    return best


def place_share(metres: float) -> float:
    """1 within NEAR_M, 0 from FAR_M, in proportion between."""
    if metres <= NEAR_M:
        return 1.0
    if metres >= FAR_M:
        return 0.0
    return (FAR_M - metres) / (FAR_M - NEAR_M)


def fit(needs: AskNeeds, offer: GroupOffer) -> Fit:
    """The group's fit to the ask, with its reasons in words."""
    reasons = []

    asked = needs.capabilities
    covered = asked & offer.verified
    unverified = (asked & offer.unverified) - covered
    missing = asked - covered - unverified
    if asked:
        share = (len(covered) + UNVERIFIED_WEIGHT * len(unverified)) / len(asked)
        capability_points = CAPABILITY_POINTS * share
        has = len(covered) + len(unverified)
        reasons.append(f"Offers {has} of the {len(asked)} capabilities asked for.")
        if covered:
            reasons.append(f"Verified: {_listed(covered)}.")
        if unverified:
            reasons.append(f"Not yet verified: {_listed(unverified)}.")
        if missing:
            reasons.append(f"Missing: {_listed(missing)}.")
    else:
        capability_points = CAPABILITY_POINTS
        reasons.append("The ask names no capabilities.")

    communities = needs.communities
    reached = communities & offer.reaches
    unreached = communities - reached
    if communities:
        community_points = COMMUNITY_POINTS * len(reached) / len(communities)
        if reached:
            reasons.append(
                f"Reaches {len(reached)} of the {len(communities)} communities asked for: "
                f"{_listed(reached)}."
            )
        else:
            reasons.append("Reaches none of the communities asked for.")
        if unreached and reached:
            reasons.append(f"Does not reach: {_listed(unreached)}.")
    else:
        community_points = COMMUNITY_POINTS
        reasons.append("The ask names no communities.")

    nearest = _nearest(offer.venues, needs.areas)
    distance_m = nearest_area = None
    if not needs.areas:
        place_points = PLACE_POINTS
        reasons.append("The ask names no areas.")
    elif nearest is None:
        place_points = 0.0
        reasons.append("None of its activities has a venue on the map.")
    else:
        distance_m, nearest_area = nearest
        place_points = PLACE_POINTS * place_share(distance_m)
        if distance_m <= NEAR_M:
            reasons.append(f"Has a venue in or near {nearest_area}.")
        else:
            reasons.append(
                f"Its nearest venue is {format_distance(distance_m)} from {nearest_area}."
            )
    if offer.deprived_population is not None:
        if offer.deprived_population:
            reasons.append(
                f"About {offer.deprived_population:,} people in the most deprived fifth of "
                f"neighbourhoods live within {REACH_M // 1000} km of its venues."
            )
        else:
            reasons.append(
                "No neighbourhood in the most deprived fifth is within "
                f"{REACH_M // 1000} km of its venues."
            )
            if needs.most_deprived_fifth and needs.areas:
                place_points /= 2

    score = round(capability_points + community_points + place_points)
    return Fit(
        score=score,
        capability_points=capability_points,
        community_points=community_points,
        place_points=place_points,
        covered=tuple(sorted(covered)),
        unverified=tuple(sorted(unverified)),
        missing=tuple(sorted(missing)),
        communities_reached=tuple(sorted(reached)),
        communities_missing=tuple(sorted(unreached)),
        distance_m=distance_m,
        nearest_area=nearest_area,
        reasons=tuple(reasons),
    )
