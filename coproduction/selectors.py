"""Reads for coproduction: what an ask needs, what groups offer, and the groups that fit an ask.

Where a group's activities are comes from the directory's search (activities near the ask's
areas, nearest first), never from loading every venue.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from assets_directory.geocoding import GeocodingError, geocode
from common import deprivation
from search.query import DirectoryQuery, GeoPoint, QueryError, Sort
from search.selectors import search_places

from . import network
from .fit import FAR_M, REACH_M, AskNeeds, Fit, GroupOffer, fit
from .models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    CapabilityTerm,
    GroupLeader,
    GroupLink,
    Partnership,
    PrincipleEvidence,
    ReadinessAssessment,
    Review,
    ServiceLine,
    ServiceTeam,
)
from .models.partnerships import SURVEY_QUESTIONS
from .models.people import READINESS_AREAS
from .models.principles import PRINCIPLES, Principle

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


# The network map ------------------------------------------------------------------------------


def network_graph(*, on, visible_partnerships: set[int] | None = None) -> nx.Graph:
    """The whole system as it was on `on` (network.system_graph, with the leaders who have agreed
    to be shown), each group and team with the outward codes it serves as `areas` (a group's
    from its capability profile), and every partnership whose id is not in
    `visible_partnerships` unnamed (None: the reader may see them all). Three queries on top of
    the graph's own."""
    graph = network.system_graph(on=on, with_leaders=True)
    group_areas = dict(
        CapabilityProfile.objects.filter(
            organisation_id__in=[
                int(n.split(":", 1)[1]) for n, k in graph.nodes(data="kind") if k == network.GROUP
            ]
        ).values_list("organisation_id", "areas")
    )
    team_areas = dict(ServiceTeam.objects.values_list("pk", "areas"))
    for node, data in graph.nodes(data=True):
        kind, _, pk = str(node).partition(":")
        if data.get("kind") == network.GROUP and kind == network.GROUP:
            data["areas"] = tuple(group_areas.get(int(pk)) or ())
        elif data.get("kind") == network.TEAM and kind == network.TEAM:
            data["areas"] = tuple(team_areas.get(int(pk)) or ())
    if visible_partnerships is not None:
        shown = {network.node_id(network.PARTNERSHIP, pk) for pk in visible_partnerships}
        graph = network.hide_labels(graph, shown=shown)
    return graph


@dataclass(frozen=True)
class NetworkRow:
    """A node of the map, with its measures and what they mean."""

    node: str
    label: str
    kind: str
    kind_words: str
    degree: int
    betweenness: float
    closeness: float
    community: str
    roles: tuple[str, ...]

    @property
    def betweenness_text(self) -> str:
        return f"{self.betweenness:.2f}"

    @property
    def closeness_text(self) -> str:
        return f"{self.closeness:.2f}"

    @property
    def roles_text(self) -> str:
        return "; ".join(self.roles)


@dataclass(frozen=True)
class NetworkMap:
    """What the map page shows: `graph`, the nodes and links drawn (the focus's neighbourhood
    when there is a focus); `measured`, the network they were measured in (the filtered
    system: a node's measures do not change when another is focused); their rows, sentences
    and roles."""

    graph: nx.Graph
    measured: nx.Graph
    result: network.NetworkMetrics
    roles: dict
    rows: tuple[NetworkRow, ...]
    summary: tuple[str, ...]
    focus: str | None


def network_map(graph: nx.Graph, *, focus: str | None = None, steps: int = 1) -> NetworkMap:
    """Measure `graph` (already narrowed), put the measures in words, and keep the part to draw:
    the neighbourhood of `focus` within `steps` links, or everything when `focus` is None or is
    not in the graph."""
    measured = network.measure(graph)
    result, roles, names = measured.result, measured.roles, measured.names
    focus = focus if focus is not None and graph.has_node(focus) else None
    shown = network.neighbourhood(graph, focus, steps=steps) if focus else graph
    rows = tuple(
        sorted(
            (
                NetworkRow(
                    node=str(node),
                    label=str(data.get("label") or node),
                    kind=str(data.get("kind") or ""),
                    kind_words=network.kind_words(str(data.get("kind") or "node")),
                    degree=result.degree.get(node, 0),
                    betweenness=result.betweenness.get(node, 0.0),
                    closeness=result.closeness.get(node, 0.0),
                    community=names.get(result.community.get(node), ""),
                    roles=tuple(roles.get(node, ())),
                )
                for node, data in shown.nodes(data=True)
            ),
            key=lambda row: (-row.degree, row.label.lower(), row.node),
        )
    )
    return NetworkMap(
        graph=shown,
        measured=graph,
        result=result,
        roles=roles,
        rows=rows,
        summary=measured.summary,
        focus=focus,
    )


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
    # Asks for the same areas (several for SW17) place the groups alike, and areas recur
    # across asks: each area is searched once.
    placed: dict[tuple, dict] = {}
    near_area: dict[tuple, dict[int, set]] = {}
    fits: dict[int, list[Fit]] = {p.pk: [] for p in profiles}
    for ask in asks:
        needs = ask_needs(ask)
        if needs.areas not in placed:
            venues: dict[int, set] = {}
            for area in needs.areas:
                if area not in near_area:
                    near_area[area] = venues_near((area,))
                for organisation_id, points in near_area[area].items():
                    venues.setdefault(organisation_id, set()).update(points)
            placed[needs.areas] = venues
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
    # (service line, open asks, with a capable group, gaps), every line with open asks
    by_line: tuple[tuple[str, int, int, int], ...]
    # (month, {stage label: partnerships proposed that month now at that stage}), every month
    # from the first partnership's to the last's
    by_month: tuple[tuple[datetime.date, dict[str, int]], ...]


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
    lines: dict[str, list[int]] = {}
    for ask in open_asks:
        counts = lines.setdefault(ask.service_line.name, [0, 0])
        counts[0] += 1
        counts[1] += bool(best_for[ask.pk] and best_for[ask.pk].fit.score >= CAPABLE_SCORE)
    return Commissioning(
        coverage=tuple(coverage),
        gaps=gaps,
        engaged=engaged,
        by_stage=by_stage,
        by_level=by_level,
        by_line=tuple(
            (line, asks, covered, asks - covered) for line, (asks, covered) in lines.items()
        ),
        by_month=_by_month(),
    )


# The overview reads every open ask against every group (through the search index), too slow
# to work out on each view of the report: it is kept until coproduction's data changes
# (coproduction.signals forgets it) and for at most this long, since the venues in the
# directory can change under it.
OVERVIEW_CACHE_KEY = "coproduction:commissioning-overview"
OVERVIEW_CACHE_SECONDS = 600


def commissioning_overview_cached() -> Commissioning:
    """`commissioning_overview()`, worked out once until coproduction's data changes."""
    overview = cache.get(OVERVIEW_CACHE_KEY)
    if overview is None:
        overview = commissioning_overview()
        cache.set(OVERVIEW_CACHE_KEY, overview, OVERVIEW_CACHE_SECONDS)
    return overview


def forget_commissioning_overview() -> None:
    cache.delete(OVERVIEW_CACHE_KEY)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _by_month() -> tuple[tuple[datetime.date, dict[str, int]], ...]:
    """Partnerships proposed each month (in the site's time zone), by the stage each is at now;
    months with none are kept, so that a chart's time runs evenly."""
    labels = dict(Partnership.Status.choices)
    counts: dict[datetime.date, dict[str, int]] = {}
    for created, status in Partnership.objects.values_list("created_at", "status"):
        month = _month(timezone.localdate(created))
        stages = counts.setdefault(month, dict.fromkeys(labels.values(), 0))
        stages[labels[status]] += 1
    if not counts:
        return ()
    months, month, last = [], min(counts), max(counts)
    while month <= last:
        months.append((month, counts.get(month, dict.fromkeys(labels.values(), 0))))
        month = _month(month + datetime.timedelta(days=32))
    return tuple(months)


@dataclass(frozen=True)
class PrincipleRow:
    principle: Principle
    # The partnerships with evidence of it, A to Z, each with its pieces of evidence.
    partnerships: tuple[tuple[Partnership, int], ...]
    evidence: int

    @property
    def count(self) -> int:
        return len(self.partnerships)


def principles_log() -> tuple[PrincipleRow, ...]:
    """Each of NHS England's ten principles, in the guidance's order, with the partnerships
    that have evidence of it. No one is named: who recorded it is not read."""
    found: dict[str, dict[int, list]] = {p.code: {} for p in PRINCIPLES}
    rows = PrincipleEvidence.objects.select_related("partnership").order_by(
        "partnership__title", "pk"
    )
    for evidence in rows:
        entry = found[evidence.principle].setdefault(
            evidence.partnership_id, [evidence.partnership, 0]
        )
        entry[1] += 1
    return tuple(
        PrincipleRow(
            principle=p,
            partnerships=tuple((partnership, n) for partnership, n in found[p.code].values()),
            evidence=sum(n for _, n in found[p.code].values()),
        )
        for p in PRINCIPLES
    )


def evidence_rows():
    """Every piece of evidence with its partnership and team, by principle then partnership:
    for the evidence CSV. Who recorded it is left out (commissioners see no one)."""
    order = {p.code: p.number for p in PRINCIPLES}
    rows = list(
        PrincipleEvidence.objects.select_related("partnership__team").order_by(
            "partnership__title", "recorded_on", "pk"
        )
    )
    rows.sort(key=lambda e: order[e.principle])
    return rows


def commissioning_charts(overview: Commissioning, principles: Iterable[PrincipleRow]) -> dict:
    """The numbers the commissioning page's charts draw, from the same overview as its tables:
    each chart's labels and series, in the tables' order."""
    stages = [label for _, label in Partnership.Status.choices]
    principles = tuple(principles)
    charts = {
        "over_time": {
            "labels": [f"{month:%b %Y}" for month, _ in overview.by_month],
            "series": [
                {"label": stage, "data": [counts[stage] for _, counts in overview.by_month]}
                for stage in stages
            ],
        },
        "by_level": {
            "labels": [label for label, _ in overview.by_level],
            "series": [{"label": "Partnerships", "data": [n for _, n in overview.by_level]}],
        },
        "engaged": {
            "labels": [team.name for team, _ in overview.engaged],
            "series": [{"label": "Groups engaged", "data": [n for _, n in overview.engaged]}],
        },
        "coverage": {
            "labels": [line for line, *_ in overview.by_line],
            "series": [
                {"label": "With a capable group", "data": [c for _, _, c, _ in overview.by_line]},
                {"label": "Gaps", "data": [g for *_, g in overview.by_line]},
            ],
        },
        "principles": {
            "labels": [f"{row.principle.number}. {row.principle.label}" for row in principles],
            "series": [{"label": "Partnerships", "data": [row.count for row in principles]}],
        },
    }
    for name, summary in _summaries(overview, principles).items():
        charts[name]["summary"] = summary
    return charts


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _most(pairs) -> tuple[str, int]:
    """The (label, count) with the highest count, the first of equals."""
    return max(pairs, key=lambda pair: pair[1], default=("", 0))


def _summaries(overview: Commissioning, principles: tuple[PrincipleRow, ...]) -> dict[str, str]:
    """Each chart's point in a sentence or two, for people who cannot see it (and for print)."""
    months = [(f"{month:%B %Y}", sum(counts.values())) for month, counts in overview.by_month]
    proposed = sum(n for _, n in months)
    busiest, most = _most(months)
    over_time = (
        f"{_n(proposed, 'partnership')} proposed from {months[0][0]} to {months[-1][0]}; "
        f"the most in {busiest} ({most})."
        if proposed
        else "No partnerships yet."
    )
    reviewed = sum(n for _, n in overview.by_level)
    high = sum(n for label, n in overview.by_level[3:])
    by_level = (
        f"Of {_n(reviewed, 'partnership')} reviewed, {high} reached co-design or co-production at "
        "their latest review."
        if reviewed
        else "No partnership has been reviewed yet."
    )
    team, groups = _most((team.name, n) for team, n in overview.engaged)
    idle = sum(1 for _, n in overview.engaged if not n)
    engaged = (
        f"{team} works with the most groups ({groups}); {idle} of {len(overview.engaged)} "
        "teams work with none."
        if groups
        else "No team works with a group yet."
    )
    asks = sum(a for _, a, _, _ in overview.by_line)
    gaps = sum(g for *_, g in overview.by_line)
    line, most_gaps = _most((line, g) for line, *_, g in overview.by_line)
    coverage = (
        f"Open asks with a group able to help: {asks - gaps} of {asks}. Gaps: {gaps}"
        + (f", the most in {line} ({most_gaps})." if gaps else ".")
        if asks
        else "No open asks."
    )
    shown = [row for row in principles if row.count]
    label, count = _most((f"{r.principle.number}. {r.principle.label}", r.count) for r in shown)
    principle = (
        f"{len(shown)} of the ten principles have evidence; the one shown by most partnerships "
        f"is {label} ({count})."
        if shown
        else "No evidence of the principles is logged yet."
    )
    return {
        "over_time": over_time,
        "by_level": by_level,
        "engaged": engaged,
        "coverage": coverage,
        "principles": principle,
    }


# Links between groups, and where the vocabulary is used ----------------------------------------


@dataclass(frozen=True)
class GroupLinkRow:
    """One of a group's links, as the group sees it: the other group, and whether it lasts."""

    link: GroupLink
    other: object  # the Organisation at the other end
    entered_here: bool  # entered from this group's side (from_organisation)

    @property
    def current(self) -> bool:
        return self.link.ended_on is None


def group_links(organisation) -> list[GroupLinkRow]:
    """Every link of `organisation`, both directions, current ones first (each part newest
    first), with the other group and who entered and ended it."""
    links = (
        GroupLink.objects.filter(
            Q(from_organisation=organisation) | Q(to_organisation=organisation)
        )
        .select_related("from_organisation", "to_organisation", "created_by", "ended_by")
        .order_by("-started_on", "-pk")
    )
    rows = [
        GroupLinkRow(
            link=link,
            other=link.other_than(organisation),
            entered_here=link.from_organisation_id == organisation.pk,
        )
        for link in links
    ]
    return sorted(rows, key=lambda row: not row.current)


# Most of the rows of one kind named in a refusal; the rest are counted.
USES_NAMED = 5


def vocabulary_uses(instance) -> list[str]:
    """Where a capability term or a service line is used, one phrase for each kind of use
    ("2 groups' capability profiles: Tooting Tamil Women, Balham Choir"); empty if unused.

    Every relation pointing at it counts, including ones added later by other parts of the
    site, so that nothing is deleted (or silently unticked) from under them.
    """
    uses = []
    for relation in instance._meta.related_objects:
        # Asked of the other model, so that relations without a reverse accessor count too.
        model = relation.related_model
        rows = model._default_manager.filter(**{relation.field.name: instance}).order_by("pk")
        count = rows.count()
        if not count:
            continue
        names = [_use_name(row) for row in rows[:USES_NAMED]]
        more = f" and {count - USES_NAMED} more" if count > USES_NAMED else ""
        one, many = _USE_LABELS.get(
            (model._meta.label_lower, relation.field.name),
            (str(model._meta.verbose_name), str(model._meta.verbose_name_plural)),
        )
        uses.append(f"{count} {one if count == 1 else many}: {', '.join(names)}{more}")
    return uses


_USE_LABELS = {
    ("coproduction.capabilityitem", "term"): (
        "group's capability profile",
        "groups' capability profiles",
    ),
    ("coproduction.ask", "communities"): (
        "ask, as a community to reach",
        "asks, as a community to reach",
    ),
    ("coproduction.ask", "capabilities"): (
        "ask, as a capability sought",
        "asks, as a capability sought",
    ),
    ("coproduction.ask", "service_line"): ("ask", "asks"),
    ("coproduction.serviceteam", "service_line"): ("service team", "service teams"),
}


def _use_name(row) -> str:
    if isinstance(row, CapabilityItem):
        return row.profile.organisation.title
    return str(row)


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


@dataclass(frozen=True)
class LineCategories:
    """A service line and the directory categories that count as its supply."""

    slug: str
    name: str
    categories: tuple[str, ...]


def service_line_categories() -> list[LineCategories]:
    """The service lines linked to at least one directory category, in their order."""
    lines = ServiceLine.objects.filter(categories__isnull=False).distinct()
    return [
        LineCategories(line.slug, line.name, tuple(c.slug for c in line.categories.all()))
        for line in lines.prefetch_related("categories")
    ]


@dataclass(frozen=True)
class OpenAsk:
    pk: int
    title: str
    team: str
    service_line: str
    areas: tuple[str, ...]  # () for an ask open to the whole district
    service_line_slug: str = ""


def open_asks_by_area(outcodes: Iterable[str]) -> dict[str, list[OpenAsk]]:
    """Open asks that reach each of these outward codes (an ask naming no areas reaches them
    all), newest first: where a gap can be taken to a service team."""
    wanted = set(outcodes)
    found: dict[str, list[OpenAsk]] = {code: [] for code in wanted}
    asks = (
        Ask.objects.filter(status=Ask.Status.OPEN)
        .select_related("team", "service_line")
        .order_by("-created_at", "-pk")
    )
    for ask in asks:
        areas = tuple(ask.areas or ())
        row = OpenAsk(
            ask.pk, ask.title, ask.team.name, ask.service_line.name, areas, ask.service_line.slug
        )
        for code in (wanted & set(areas)) if areas else wanted:
            found[code].append(row)
    return found
