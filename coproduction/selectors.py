"""Reads for coproduction: what an ask needs, what groups offer, and the groups that fit an ask.

Where a group's activities are comes from the directory's search (activities near the ask's
areas, nearest first), never from loading every venue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from assets_directory.geocoding import GeocodingError, geocode
from common import deprivation
from search.query import DirectoryQuery, GeoPoint, QueryError, Sort
from search.selectors import search_places

from .fit import FAR_M, REACH_M, AskNeeds, Fit, GroupOffer, fit
from .models import (
    Ask,
    CapabilityProfile,
    CapabilityTerm,
    GroupLeader,
    Partnership,
    ReadinessAssessment,
    Review,
    ServiceTeam,
)
from .models.partnerships import SURVEY_QUESTIONS
from .models.people import READINESS_AREAS

# How many of the activities nearest each of an ask's areas are read to place the groups: a
# group none of whose activities is among them is placed as having no venue within reach.
NEAREST_ACTIVITIES = 1_000
PAGE_SIZE = 100
_NOT_GIVEN = object()


@dataclass(frozen=True)
class Candidate:
    """A group's fit to an ask."""

    profile: CapabilityProfile
    fit: Fit

    @property
    def organisation(self):
        return self.profile.organisation


def area_points(outcodes: Iterable[str]) -> tuple[tuple[str, float, float], ...]:
    """(outward code, lat, lng) of each outward code the geocoder can place."""
    points = []
    for outcode in outcodes:
        try:
            found = geocode(outcode)
        except GeocodingError:
            continue
        points.append((found.outcode, found.latitude, found.longitude))
    return tuple(points)


def ask_needs(ask: Ask) -> AskNeeds:
    return AskNeeds(
        capabilities=frozenset(term.name for term in ask.capabilities.all()),
        communities=frozenset(term.name for term in ask.communities.all()),
        areas=area_points(ask.areas),
        most_deprived_fifth=ask.most_deprived_fifth,
    )


def venues_near(
    areas: tuple[tuple[str, float, float], ...], *, radius_m: float = FAR_M
) -> dict[int, set[tuple[float, float]]]:
    """Organisation id -> the points of its running activities within `radius_m` of any of the
    areas, from the search index (at most NEAREST_ACTIVITIES an area). Read in A to Z order,
    the engine's cheapest: the fit measures each distance itself."""
    found: dict[int, set[tuple[float, float]]] = {}
    for outcode, lat, lng in areas:
        for page in range(1, NEAREST_ACTIVITIES // PAGE_SIZE + 1):
            try:
                query = DirectoryQuery(
                    near=GeoPoint(lat, lng, area=outcode),
                    radius_m=radius_m,
                    sort=Sort.TITLE,
                    page=page,
                    page_size=PAGE_SIZE,
                )
            except QueryError:
                break
            results = search_places(query)
            for hit in results.hits:
                if hit.organisation_id is not None and hit.lat is not None:
                    found.setdefault(hit.organisation_id, set()).add((hit.lat, hit.lng))
            if page * PAGE_SIZE >= results.total:
                break
    return found


def group_offer(
    profile: CapabilityProfile,
    venues: Iterable[tuple[float, float]] = (),
    *,
    deprived_population: int | None | object = _NOT_GIVEN,
) -> GroupOffer:
    """What a group offers, placed at `venues`. The people in the most deprived fifth of
    neighbourhoods near them are worked out unless given (`deprived_population`)."""
    verified, unverified, reaches = set(), set(), set()
    for item in profile.items.all():
        if item.term.kind in CapabilityTerm.REACH_KINDS:
            reaches.add(item.term.name)
        elif item.verified:
            verified.add(item.term.name)
        else:
            unverified.add(item.term.name)
    venues = tuple(sorted(venues))
    if deprived_population is _NOT_GIVEN:
        deprived_population = (
            deprivation.within(venues, REACH_M).core20_population if venues else None
        )
    return GroupOffer(
        verified=frozenset(verified),
        unverified=frozenset(unverified),
        reaches=frozenset(reaches),
        venues=venues,
        deprived_population=deprived_population,
    )


def candidates_for(ask: Ask, *, limit: int | None = None) -> list[Candidate]:
    """Every group with a capability profile, best fit first (then by name)."""
    needs = ask_needs(ask)
    venues = venues_near(needs.areas) if needs.areas else {}
    profiles = CapabilityProfile.objects.select_related("organisation").prefetch_related(
        "items__term"
    )
    candidates = [
        Candidate(
            profile, fit(needs, group_offer(profile, venues.get(profile.organisation_id, ())))
        )
        for profile in profiles
        if profile.organisation.live
    ]
    candidates.sort(key=lambda c: (-c.fit.score, c.organisation.title.lower()))
    return candidates[:limit] if limit else candidates


# Answers this far apart on the 1 to 5 scale are worth talking about.
DIVERGENT_SPREAD = 2


@dataclass(frozen=True)
class SurveyQuestion:
    key: str
    text: str
    lowest: int
    highest: int
    answers: int

    @property
    def spread(self) -> int:
        return self.highest - self.lowest

    @property
    def divergent(self) -> bool:
        return self.spread >= DIVERGENT_SPREAD


def survey_summary(review) -> list[SurveyQuestion]:
    """Each survey question with its lowest and highest answer at a review, where partners'
    answers diverge first (the widest spread), then in the survey's order."""
    responses = list(review.responses.all())
    if not responses:
        return []
    summary = [
        SurveyQuestion(
            key=key,
            text=text,
            lowest=min(getattr(r, key) for r in responses),
            highest=max(getattr(r, key) for r in responses),
            answers=len(responses),
        )
        for key, text in SURVEY_QUESTIONS.items()
    ]
    order = {key: n for n, key in enumerate(SURVEY_QUESTIONS)}
    return sorted(summary, key=lambda q: (-q.spread, order[q.key]))


@dataclass(frozen=True)
class MatrixRow:
    profile: CapabilityProfile
    fits: tuple[Fit, ...]  # one per ask, in the matrix's order

    @property
    def best(self) -> int:
        return max((f.score for f in self.fits), default=0)


@dataclass(frozen=True)
class CapabilityMatrix:
    asks: tuple[Ask, ...]
    rows: tuple[MatrixRow, ...]


def capability_matrix(
    asks: Iterable[Ask], *, community: CapabilityTerm | None = None, sort_ask: int | None = None
) -> CapabilityMatrix:
    """Every group with a profile (reaching `community`, if given) against each ask: the fit of
    each, sorted by one ask's fit (`sort_ask`, an ask's id), or by each group's best fit."""
    asks = tuple(asks)
    profiles = list(
        CapabilityProfile.objects.filter(organisation__live=True)
        .select_related("organisation")
        .prefetch_related("items__term")
        .order_by("organisation__title")
    )
    if community is not None:
        profiles = [p for p in profiles if any(i.term_id == community.pk for i in p.items.all())]
    # The same venues (a group far from every area has none) give the same deprived
    # population: worked out once.
    deprived: dict[tuple, int | None] = {}
    # Asks for the same areas (several for SW17) place the groups alike.
    placed: dict[tuple, dict] = {}
    fits: dict[int, list[Fit]] = {p.pk: [] for p in profiles}
    for ask in asks:
        needs = ask_needs(ask)
        if needs.areas not in placed:
            placed[needs.areas] = venues_near(needs.areas) if needs.areas else {}
        venues = placed[needs.areas]
        for profile in profiles:
            points = tuple(sorted(venues.get(profile.organisation_id, ())))
            if points not in deprived:
                deprived[points] = (
                    deprivation.within(points, REACH_M).core20_population if points else None
                )
            offer = group_offer(profile, points, deprived_population=deprived[points])
            fits[profile.pk].append(fit(needs, offer))
    rows = [MatrixRow(p, tuple(fits[p.pk])) for p in profiles]
    column = next((n for n, a in enumerate(asks) if a.pk == sort_ask), None)
    if column is None:
        rows.sort(key=lambda r: (-r.best, r.profile.organisation.title.lower()))
    else:
        rows.sort(key=lambda r: (-r.fits[column].score, r.profile.organisation.title.lower()))
    return CapabilityMatrix(asks=asks, rows=tuple(rows))


# A group "can help" with an ask when its fit reaches this: the capabilities and communities
# mostly covered, or all of them a little further away.
CAPABLE_SCORE = 60


@dataclass(frozen=True)
class AreaCoverage:
    service_line: str
    area: str
    asks: int
    covered: int
    # The share of the people living within REACH_M of the area's centre who live in the most
    # deprived fifth of neighbourhoods (None when the area cannot be placed).
    core20_share: float | None

    @property
    def gaps(self) -> int:
        return self.asks - self.covered


@dataclass(frozen=True)
class Gap:
    ask: Ask
    best: Candidate | None


@dataclass(frozen=True)
class Commissioning:
    coverage: tuple[AreaCoverage, ...]
    gaps: tuple[Gap, ...]
    # (team, number of groups it works with in partnerships that are not closed)
    engaged: tuple[tuple[object, int], ...]
    by_stage: tuple[tuple[str, int], ...]
    # (level label, partnerships whose latest review reached it)
    by_level: tuple[tuple[str, int], ...]
    # ("2026 Q3", partnerships proposed in that quarter)
    by_quarter: tuple[tuple[str, int], ...]


def _core20_share(area: str) -> float | None:
    points = area_points([area])
    if not points:
        return None
    reach = deprivation.within([points[0][1:]], REACH_M)
    return reach.core20_population / reach.population if reach.population else 0.0


def commissioning_overview() -> Commissioning:
    """Coverage, gaps and how partnerships are going, across every team: what commissioners
    see. Counts and names of groups and teams only, never a person."""
    open_asks = list(
        Ask.objects.filter(status=Ask.Status.OPEN)
        .select_related("team", "service_line")
        .prefetch_related("capabilities", "communities")
        .order_by("service_line__sort_order", "title")
    )
    matrix = capability_matrix(open_asks)
    best_for: dict[int, Candidate | None] = {}
    for column, ask in enumerate(matrix.asks):
        ranked = sorted(matrix.rows, key=lambda r: -r.fits[column].score)
        best_for[ask.pk] = Candidate(ranked[0].profile, ranked[0].fits[column]) if ranked else None
    cells: dict[tuple[str, str], list[Ask]] = {}
    for ask in open_asks:
        for area in ask.areas or ["Anywhere"]:
            cells.setdefault((ask.service_line.name, area), []).append(ask)
    shares: dict[str, float | None] = {}
    coverage = []
    for (line, area), asks in sorted(cells.items()):
        if area not in shares:
            shares[area] = None if area == "Anywhere" else _core20_share(area)
        covered = sum(
            1 for a in asks if best_for[a.pk] and best_for[a.pk].fit.score >= CAPABLE_SCORE
        )
        coverage.append(AreaCoverage(line, area, len(asks), covered, shares[area]))
    gaps = tuple(
        Gap(ask, best_for[ask.pk])
        for ask in open_asks
        if not best_for[ask.pk] or best_for[ask.pk].fit.score < CAPABLE_SCORE
    )
    engaged = tuple(
        (team, team.groups_engaged)
        for team in ServiceTeam.objects.annotate(
            groups_engaged=Count(
                "partnerships__organisations",
                filter=~Q(partnerships__status=Partnership.Status.CLOSED),
                distinct=True,
            )
        ).order_by("name")
    )
    stages = dict(
        Partnership.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_stage = tuple((label, stages.get(value, 0)) for value, label in Partnership.Status.choices)
    latest: dict[int, int] = {}
    for partnership_id, level in Review.objects.order_by("held_on", "pk").values_list(
        "partnership_id", "level"
    ):
        latest[partnership_id] = level
    by_level = tuple(
        (label, sum(1 for level in latest.values() if level == value))
        for value, label in Review.Level.choices
    )
    quarters: dict[str, int] = {}
    for created in Partnership.objects.order_by("created_at").values_list("created_at", flat=True):
        key = f"{created.year} Q{(created.month - 1) // 3 + 1}"
        quarters[key] = quarters.get(key, 0) + 1
    return Commissioning(
        coverage=tuple(coverage),
        gaps=gaps,
        engaged=engaged,
        by_stage=by_stage,
        by_level=by_level,
        by_quarter=tuple(quarters.items()),
    )


# Leaders and readiness --------------------------------------------------------------------------


def leaders_shown(organisation):
    """The group's leaders who have agreed to be shown beyond its editors."""
    return GroupLeader.objects.consented().filter(organisation=organisation)


def readiness_waiting():
    """Assessments waiting for a moderator's review, longest waiting first."""
    return (
        ReadinessAssessment.objects.filter(status=ReadinessAssessment.Status.WAITING)
        .select_related("organisation", "submitted_by")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )


@dataclass(frozen=True)
class AreaOverTime:
    """One area of readiness across a group's assessments, oldest first."""

    area: str
    label: str
    scores: tuple[int | None, ...]

    @property
    def change(self) -> str:
        """The latest score against the one before, in words."""
        known = [s for s in self.scores if s is not None]
        if len(known) < 2:
            return "First assessment"
        difference = known[-1] - known[-2]
        if difference > 0:
            return f"Up {difference}"
        if difference < 0:
            return f"Down {-difference}"
        return "No change"


@dataclass(frozen=True)
class ReadinessHistory:
    assessments: tuple  # oldest first
    areas: tuple[AreaOverTime, ...]


def readiness_history(organisation) -> ReadinessHistory:
    """A group's assessments, oldest first, and each area's score across them."""
    assessments = tuple(
        ReadinessAssessment.objects.filter(organisation=organisation)
        .select_related("reviewed_by")
        .prefetch_related("answers")
        .order_by("submitted_at", "pk")
    )
    scores = [a.scores() for a in assessments]
    areas = tuple(
        AreaOverTime(area=key, label=label, scores=tuple(s.get(key) for s in scores))
        for key, (label, *_) in READINESS_AREAS.items()
    )
    return ReadinessHistory(assessments=assessments, areas=areas)
