"""The matching engine: a person's profile becomes directory queries (through search/, never a
backend directly), and the hits are ranked with an explainable score.

`match_outcome(answers)` is the one call the pages make (the facilitated flow and the kiosk
alike): numbered cards for the suggestions, or why there are none, never an exception.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from common.vocabulary import DELIVERY, EVERYONE
from search.query import DirectoryQuery, GeoPoint, Sort, TimeWindow
from search.selectors import SearchBackendError, search_directory

from .answers import MatchInputError, parse_match_request
from .network import NetworkMetrics, network_metrics
from .scoring import Profile, Suggestion, candidate_from_hit, rank_candidates, variety
from .selectors import category_names, condition_names
from .suggestions import Card, suggestion_cards
from .vocabulary import NEED_CATEGORIES

logger = logging.getLogger(__name__)

DEFAULT_TRAVEL_M = 5_000
# The nearest this many activities of each group of categories (see candidate_groups) are
# scored: usually enough for a group to fill the list on its own after variety (at most two of
# one organisation or title before the rest), few enough that scoring stays cheap.
CANDIDATES_PER_GROUP = 40
# When the pages found cannot fill the list with at most two of one organisation, the full ones
# are crowded: one busy group (207 listings at one venue in the 100,000-activity borough) would
# otherwise be all a choice could offer. So each full page is followed by one leaving out the
# organisations it found, up to MORE_PAGES times: bounded, and only while the list is short.
# Each such page adds at least one organisation.
MORE_PAGES = 4


@dataclass
class MatchResult:
    network: NetworkMetrics | None
    suggestions: list[Suggestion]


def profile_categories(profile: Profile, network: NetworkMetrics | None) -> tuple[str, ...]:
    """Every category worth asking the directory for (the groups of candidate_groups, as one)."""
    return tuple(
        dict.fromkeys(slug for group in candidate_groups(profile, network) for slug in group)
    )


def open_audiences(profile: Profile) -> tuple[str, ...]:
    """The audiences an activity may be for and still suit the person, for the directory to
    match any of: it leaves out most of what is meant for others before scoring, which then
    applies the whole rule (scoring._fits_audience) to what is left."""
    audiences = [EVERYONE, "lgbtq", "community", "older", "young"]
    if profile.conditions or (profile.cares_for and profile.cared_for_conditions):
        audiences.append("condition")
    if profile.cares_for:
        audiences.append("carers")
    if profile.young_children:
        audiences.append("young_children")
    if profile.single_sex:
        audiences.append(profile.single_sex)
    return tuple(audiences)


def candidate_groups(
    profile: Profile, network: NetworkMetrics | None
) -> tuple[tuple[str, ...], ...]:
    """The groups of categories the directory is asked for, each for its nearest few.

    One group per reason a suggestion can have, so that none crowds out another: each of the
    top three on its own (each keeps a place in the list), each need's categories, the other
    interests, and what the network suggests. With none of these, one group of everything
    nearby (the empty tuple: no category filter).
    """
    groups: list[tuple[str, ...]] = [(slug,) for slug in profile.top_three]
    groups += [tuple(NEED_CATEGORIES.get(need, ())) for need in profile.needs]
    groups.append(tuple(s for s in profile.interests if s not in profile.top_three))
    if network is not None and network.wants_groups:
        groups.append(tuple(network.suggested_categories))
    groups = list(dict.fromkeys(group for group in groups if group))
    return tuple(groups) or ((),)


def _slots(profile: Profile) -> tuple[tuple[int, TimeWindow], ...]:
    return tuple((free.day, TimeWindow(free.start, free.end)) for free in profile.free_times)


def match_activities(
    *,
    near: GeoPoint,
    profile: Profile,
    network: NetworkMetrics | None = None,
    limit: int = 10,
) -> MatchResult:
    """Suggestions for a person, best first, each with the reasons it was chosen.

    Two directory queries per group of categories (candidate_groups) share the person's
    limits: activities at a venue (which must have the access they need), nearest first, and
    activities that come to them (online, phone, area-wide), which have no venue to check.
    Each reads one page (and at most MORE_PAGES more, of other organisations, while busy
    organisations crowd the list), so the cost is bounded however big the borough: asking for
    every category at once and reading the nearest thousand scored ten times as many, and a
    far choice still lost its place to nearer extras. The engine does the filtering; scoring
    only orders and explains.
    """
    deliveries = profile.delivery or DELIVERY
    elsewhere = tuple(d for d in deliveries if d != "in_person")
    common = {
        "near": near,
        "radius_m": profile.max_travel_m or DEFAULT_TRAVEL_M,
        "max_cost": profile.max_cost,
        "slots": _slots(profile),
        # An activity that lists no times may still suit them: it is scored "Ask about times".
        "include_unscheduled": True,
        "audience": open_audiences(profile),
        "page_size": CANDIDATES_PER_GROUP,
    }
    queries = []
    for group in candidate_groups(profile, network):
        if "in_person" in deliveries:
            queries.append(
                DirectoryQuery(
                    categories=group,
                    delivery=("in_person",),
                    access=profile.access_needs,
                    sort=Sort.DISTANCE,
                    **common,
                )
            )
        if elsewhere:
            queries.append(DirectoryQuery(categories=group, delivery=elsewhere, **common))
    # An activity in two groups is found twice: it is scored once.
    hits = _candidate_hits(queries, wanted=limit)
    names = category_names()
    conditions = condition_names()
    candidates = [
        candidate_from_hit(
            hit, category_names=names, condition_names=conditions, distance_area=near.area
        )
        for hit in hits
    ]
    wants_groups = network.wants_groups if network is not None else profile.wants_groups
    if wants_groups != profile.wants_groups:
        profile = Profile(**{**profile.__dict__, "wants_groups": wants_groups})
    return MatchResult(
        network=network, suggestions=rank_candidates(candidates, profile, limit=limit)
    )


def _candidate_hits(queries: list[DirectoryQuery], *, wanted: int) -> list:
    """Each query's nearest page, then, while all that was found cannot make `wanted`
    suggestions (scoring.variety), another page of other organisations for each query whose
    last page was full: one busy organisation can fill a page, and a list takes two of it."""
    pages = [search_directory(query).hits for query in queries]
    found = [list(page) for page in pages]
    for _ in range(MORE_PAGES):
        # An activity in two groups is found twice: it is scored once.
        unique = {hit.id: hit for hits in found for hit in hits}
        if variety((hit.organisation, hit.title) for hit in unique.values()) >= wanted:
            break
        crowded = [i for i, query in enumerate(queries) if len(pages[i]) == query.page_size]
        if not crowded:
            break  # nothing more to find
        for i in crowded:
            seen = {hit.organisation_id for hit in found[i] if hit.organisation_id is not None}
            leave_out = queries[i].exclude_organisations + tuple(sorted(seen))
            pages[i] = search_directory(replace(queries[i], exclude_organisations=leave_out)).hits
            found[i] += pages[i]
    return list({hit.id: hit for hits in found for hit in hits}.values())


def match_answers(answers: dict, *, limit: int = 10) -> MatchResult:
    """Suggestions for answers in the JSON shape of POST /api/match.

    Raises matching.answers.MatchInputError naming the field when an answer is invalid.
    """
    near, profile, members = parse_match_request(answers)
    network = network_metrics(members) if members else None
    return match_activities(near=near, profile=profile, network=network, limit=limit)


# What the pages show ----------------------------------------------------------------------

SUGGESTION_LIMIT = 10
# Said instead of a refusal that names an answer by its API field (only the postcode's
# messages are written for the person who typed it).
UNUSABLE_ANSWERS = "Some of your answers could not be used."


@dataclass
class MatchOutcome:
    """What the matcher made of some answers: numbered cards, or why there are none."""

    result: MatchResult | None = None
    cards: list[Card] = field(default_factory=list)
    problem: str = ""
    problem_field: str | None = None
    unavailable: bool = False

    @property
    def network(self) -> NetworkMetrics | None:
        return self.result.network if self.result is not None else None

    @property
    def public_problem(self) -> str:
        """The problem in words for the public: the postcode's own message, else a plain one."""
        if not self.problem or self.problem_field == "near":
            return self.problem
        return UNUSABLE_ANSWERS

    @property
    def cards_by_id(self) -> dict[int, Card]:
        return {card.activity.pk: card for card in self.cards}

    @property
    def reasons_by_id(self) -> dict[int, str]:
        return {card.activity.pk: card.reason_line for card in self.cards}

    @property
    def rank_by_id(self) -> dict[int, int]:
        return {card.activity.pk: card.number for card in self.cards}


def match_outcome(answers: dict, *, limit: int = SUGGESTION_LIMIT) -> MatchOutcome:
    """Suggestions as cards for answers in the POST /api/match shape. Answers the matcher
    refuses, and a search backend that cannot answer, become a problem to show, not an error."""
    try:
        result = match_answers(answers, limit=limit)
    except MatchInputError as exc:
        return MatchOutcome(problem=exc.message, problem_field=exc.field)
    except SearchBackendError as exc:
        # The type only: the error's arguments could carry the search, and so the answers.
        logger.error("Search backend failed while suggesting activities (%s)", type(exc).__name__)
        return MatchOutcome(unavailable=True)
    return MatchOutcome(result=result, cards=suggestion_cards(result.suggestions))
