"""The matching engine: a person's profile becomes directory queries (through search/, never a
backend directly), and the hits are ranked with an explainable score."""

from __future__ import annotations

from dataclasses import dataclass, replace

from search.query import DELIVERY, DirectoryQuery, GeoPoint, Sort, TimeWindow
from search.selectors import search_directory

from .network import NetworkMetrics
from .scoring import Profile, Suggestion, candidate_from_hit, rank_candidates
from .selectors import category_names
from .vocabulary import NEED_CATEGORIES

DEFAULT_TRAVEL_M = 5_000
CANDIDATES_PER_QUERY = 100  # one page of hits: the most the directory returns at once
# Pages are read until this many hits per query, so latency stays bounded in a big borough.
MAX_CANDIDATES_PER_QUERY = 1_000


@dataclass
class MatchResult:
    network: NetworkMetrics | None
    suggestions: list[Suggestion]


def profile_categories(profile: Profile, network: NetworkMetrics | None) -> tuple[str, ...]:
    """The categories worth asking the directory for: chosen, liked, needed, network-widening."""
    wanted = [*profile.top_three, *profile.interests]
    for need in profile.needs:
        wanted.extend(NEED_CATEGORIES.get(need, ()))
    if network is not None and network.wants_groups:
        wanted.extend(network.suggested_categories)
    return tuple(dict.fromkeys(wanted))


def _slots(profile: Profile) -> tuple[tuple[int, TimeWindow], ...]:
    return tuple((free.day, TimeWindow(free.start, free.end)) for free in profile.free_times)


def _hits(query: DirectoryQuery) -> list:
    """Every hit for the query, page by page, up to ``MAX_CANDIDATES_PER_QUERY``.

    One page is not enough: the in-person query is sorted by distance, and a network that
    wants groups adds several categories, so the nearest hundred can be all network extras and
    crowd out the person's own top choice a little further away.
    """
    hits = []
    for page in range(1, max(1, MAX_CANDIDATES_PER_QUERY // query.page_size) + 1):
        results = search_directory(replace(query, page=page))
        hits += results.hits
        if not results.hits or page * query.page_size >= results.total:
            break
    return hits


def match_activities(
    *,
    near: GeoPoint,
    profile: Profile,
    network: NetworkMetrics | None = None,
    limit: int = 10,
) -> MatchResult:
    """Suggestions for a person, best first, each with the reasons it was chosen.

    Two directory queries share the person's limits: activities at a venue (which must have
    the access they need) and activities that come to them (online, phone, area-wide), which
    have no venue to check. The engine does the filtering; scoring only orders and explains.
    """
    categories = profile_categories(profile, network)
    deliveries = profile.delivery or DELIVERY
    common = {
        "categories": categories,
        "near": near,
        "radius_m": profile.max_travel_m or DEFAULT_TRAVEL_M,
        "max_cost": profile.max_cost,
        "slots": _slots(profile),
        # An activity that lists no times may still suit them: it is scored "Ask about times".
        "include_unscheduled": True,
        "page_size": CANDIDATES_PER_QUERY,
    }
    hits = []
    if "in_person" in deliveries:
        hits += _hits(
            DirectoryQuery(
                delivery=("in_person",),
                access=profile.access_needs,
                sort=Sort.DISTANCE,
                **common,
            )
        )
    elsewhere = tuple(d for d in deliveries if d != "in_person")
    if elsewhere:
        hits += _hits(DirectoryQuery(delivery=elsewhere, **common))
    names = category_names()
    candidates = [
        candidate_from_hit(hit, category_names=names, distance_area=near.area) for hit in hits
    ]
    wants_groups = network.wants_groups if network is not None else profile.wants_groups
    if wants_groups != profile.wants_groups:
        profile = Profile(**{**profile.__dict__, "wants_groups": wants_groups})
    return MatchResult(
        network=network, suggestions=rank_candidates(candidates, profile, limit=limit)
    )


def match_answers(answers: dict, *, limit: int = 10) -> MatchResult:
    """Suggestions for answers in the JSON shape of POST /api/match.

    Raises matching.answers.MatchInputError naming the field when an answer is invalid.
    """
    from .answers import parse_match_request
    from .network import network_metrics

    near, profile, members = parse_match_request(answers)
    network = network_metrics(members) if members else None
    return match_activities(near=near, profile=profile, network=network, limit=limit)
