"""The commissioners' figures for a local authority district: supply, need and the gap, per
small area and theme, gathered from the apps below and worked out by `insights.arithmetic`.

Supply comes through search (what search finds is what is counted); deprivation and population
from `common.deprivation`; need from searches that found nothing (search), people who agreed to
be counted (matching) and referrals declined for lack of space (referrals). Counts from people
are used only as they may be published (`arithmetic.published`).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from assets_directory.geocoding import nearest_outcode
from assets_directory.selectors import category_themes, top_level_categories
from common import deprivation
from common.geo import EARTH_RADIUS_M
from common.periods import ReportPeriod
from coproduction.selectors import open_asks_by_area, service_line_categories
from matching.selectors import counted_people_by_month, counted_people_themes
from referrals.selectors import declined_for_space_by_area, referral_counts_by_month
from search.selectors import (
    directory_version,
    supply_rows,
    zero_result_counts_by_month,
    zero_result_themes,
)

from .arithmetic import (
    Area,
    Need,
    OfferTable,
    Reach,
    Supply,
    explain,
    gap_score,
    need_score,
    offer_table,
    shown,
    supply,
)
from .models import SupplySnapshot

# Wandsworth, the demo borough, unless the site says which district it serves.
DEFAULT_DISTRICT = "E09000032"
CACHE_SECONDS = 24 * 60 * 60


def district() -> str:
    return getattr(settings, "INSIGHTS_DISTRICT", DEFAULT_DISTRICT)


def reach() -> Reach:
    return Reach(
        walk_m=getattr(settings, "INSIGHTS_WALK_M", 1_000),
        trip_m=getattr(settings, "INSIGHTS_TRIP_M", 5_000),
    )


def district_areas(lad_code: str) -> list[Area]:
    return [
        Area(n.code, n.name, n.lat, n.lng, n.population, n.imd_decile, n.health_decile)
        for n in deprivation.in_district(lad_code)
    ]


# A service line's theme key: never a category's slug, which has no colon.
LINE_PREFIX = "line:"


@dataclass(frozen=True)
class Theme:
    """What supply, need and the gap are worked out for: a top-level kind of activity, or a
    service line of coproduction, which gathers the kinds of activity that count as its
    supply (`coproduction.models.ServiceLine.categories`)."""

    key: str  # the category's slug, or LINE_PREFIX and the line's slug
    name: str
    categories: tuple[str, ...]  # gathered with everything below them

    @property
    def is_line(self) -> bool:
        return self.key.startswith(LINE_PREFIX)

    @property
    def label(self) -> str:
        """The name in a list or table, where a line must not pass for a kind of activity."""
        return f"{self.name} (service line)" if self.is_line else self.name


def district_themes() -> list[Theme]:
    """The top-level kinds of activity in their order, then the service lines linked to any."""
    return [
        *(Theme(c.slug, c.name, (c.slug,)) for c in top_level_categories()),
        *(Theme(LINE_PREFIX + line.slug, line.name, line.categories)
          for line in service_line_categories()),
    ]  # fmt: skip


def theme_choices(themes: Sequence[Theme] | None = None) -> list:
    """The themes as a form's choices: the kinds of activity, then the service lines as a
    group of their own when there are any."""
    themes = district_themes() if themes is None else themes
    kinds = [(t.key, t.name) for t in themes if not t.is_line]
    lines = [(t.key, t.name) for t in themes if t.is_line]
    return kinds + ([("Service lines", lines)] if lines else [])


def offers(
    themes: Sequence[Theme], *, within: tuple[float, float, float, float] | None = None
) -> OfferTable:
    """What search finds, as a table of offers for these themes; with `within`, only what can
    reach that box."""
    return offer_table(
        (
            (categories.split(",") if categories else (), hours, lat, lng,
             None if south is None else (south, west, north, east), anywhere)
            for _, categories, hours, lat, lng, south, west, north, east, anywhere
            in supply_rows(within=within)
        ),
        [t.key for t in themes],
        counts_for=category_themes({t.key: t.categories for t in themes}),
    )  # fmt: skip


@dataclass(frozen=True)
class GapRow:
    area: Area
    outcode: str
    theme: str
    theme_name: str
    supply: Supply
    need: Need
    score: float
    explanation: str


@dataclass(frozen=True)
class DistrictGaps:
    district: str
    district_name: str
    since: datetime.date
    reach: Reach
    areas: int
    themes: int
    rows: tuple[GapRow, ...]  # every area × theme, biggest gap first


def district_gaps(
    lad_code: str | None = None,
    *,
    days: int = 90,
    explained: bool = True,
    themes: Sequence[Theme] | None = None,
) -> DistrictGaps:
    """Every area × theme of the district with its gap, biggest first (see the module); each
    explained in words unless `explained` is False (all of England has half a million). The
    themes are `district_themes()` unless given."""
    lad_code = lad_code or district()
    since = timezone.localdate() - datetime.timedelta(days=days)
    areas = district_areas(lad_code)
    themes = district_themes() if themes is None else themes
    keys = [t.key for t in themes]
    table = offers(themes, within=_around(areas, reach().nearest_within_m))
    found = supply(areas, table, keys, reach())
    outcodes = {a.code: _outcode(a.code, a.lat, a.lng) for a in areas}
    needs = _needs(set(outcodes.values()), since, themes)
    rows = []
    for i, area in enumerate(areas):
        outcode = outcodes[area.code]
        for theme in themes:
            need = needs.get((outcode, theme.key), Need())
            here = found[theme.key][i]
            rows.append(
                GapRow(
                    area=area,
                    outcode=outcode,
                    theme=theme.key,
                    theme_name=theme.label,
                    supply=here,
                    need=need,
                    score=gap_score(area, here, need),
                    explanation=explain(area, theme.name, here, need, where=f"in {outcode}"
                                        if outcode else "here", period=f"in the last {days} days")
                    if explained else "",
                )
            )  # fmt: skip
    rows.sort(key=lambda r: (-r.score, r.area.code, r.theme))
    neighbourhoods = deprivation.in_district(lad_code)
    name = neighbourhoods[0].lad_name if neighbourhoods else lad_code
    return DistrictGaps(lad_code, name, since, reach(), len(areas), len(themes), tuple(rows))


@functools.lru_cache(maxsize=40_000)
def _outcode(code: str, lat: float, lng: float) -> str:
    """The outward code nearest an area's centre: neither moves while the process runs."""
    return nearest_outcode(lat, lng) or ""


def _around(areas: list[Area], margin_m: float) -> tuple[float, float, float, float] | None:
    """The box (south, west, north, east) holding the areas' centroids and everything within
    `margin_m` of them: nothing outside it can be in reach or nearest."""
    if not areas:
        return None
    south, north = min(a.lat for a in areas), max(a.lat for a in areas)
    west, east = min(a.lng for a in areas), max(a.lng for a in areas)
    dlat = math.degrees(margin_m / EARTH_RADIUS_M)
    # Degrees of longitude shrink towards the pole: widen by the narrowest latitude's.
    widest = max(abs(south), abs(north))
    dlng = dlat / max(math.cos(math.radians(widest)), 0.01)
    return (south - dlat, west - dlng, north + dlat, east + dlng)


@dataclass(frozen=True)
class ThemeTotal:
    """One kind of activity across the district, from its gap rows."""

    theme: str
    name: str
    hours: float  # within walking distance, added up over the small areas
    residents: int
    without: int  # residents of small areas with none of it within walking distance

    @property
    def per_1000(self) -> float:
        return self.hours * 1000 / self.residents if self.residents else 0.0

    @property
    def share_without(self) -> float:
        return self.without / self.residents if self.residents else 0.0


def theme_totals(found: DistrictGaps) -> list[ThemeTotal]:
    """Each kind of activity's supply across the district, in the rows' first order."""
    totals: dict[str, list] = {}
    for row in found.rows:
        total = totals.setdefault(row.theme, [row.theme_name, 0.0, 0, 0])
        total[1] += row.supply.walk_hours
        total[2] += row.area.population
        total[3] += row.area.population if row.supply.walk_hours == 0 else 0
    return [ThemeTotal(theme, *total) for theme, total in totals.items()]


def unique_areas(found: DistrictGaps) -> list[Area]:
    """The district's small areas, each once (its rows hold each once per kind)."""
    return list({row.area.code: row.area for row in found.rows}.values())


def _needs(
    outcodes: set[str], since: datetime.date, themes: Sequence[Theme]
) -> dict[tuple[str, str], Need]:
    """Need signals by (outward code, theme): searches that found nothing (and their words),
    people counted, referrals declined for lack of space. Each search, person or referral once
    per theme, however many of the theme's categories it names."""
    gathers = {t.key: t.categories for t in themes}
    searches: Counter = Counter()
    words: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for outcode, theme, terms in zero_result_themes(outcodes=outcodes, since=since, themes=gathers):
        searches[outcode, theme] += 1
        if terms:
            words[outcode, theme][terms] += 1
    people = counted_people_themes(outcodes=outcodes, themes=gathers)
    declined = declined_for_space_by_area(outcodes=outcodes, since=since, themes=gathers)
    keys = set(searches) | set(people) | set(declined)
    return {
        key: Need(
            searches=searches[key],
            people=people.get(key, 0),
            declined_no_space=declined.get(key, 0),
            search_words=tuple(words[key].most_common(3)),
        )
        for key in keys
    }


def district_gaps_cached(lad_code: str | None = None) -> DistrictGaps:
    """`district_gaps`, kept until the directory or the themes change (a category renamed, a
    service line linked), or a day passes, for the need."""
    lad_code = lad_code or district()
    themes = district_themes()
    signature = hashlib.blake2s(repr(themes).encode(), digest_size=8).hexdigest()
    key = f"insights:gaps:{lad_code}:{directory_version()}:{signature}:{timezone.localdate()}"
    found = cache.get(key)
    if found is None:
        found = district_gaps(lad_code, themes=themes)
        cache.set(key, found, CACHE_SECONDS)
    return found


# What the map can colour the areas by: each deprivation domain (public data), or for one
# theme its supply, need or gap.
DEPRIVATION_MEASURES = {"imd": "Index of Multiple Deprivation", **deprivation.DOMAINS}
THEME_MEASURES = {
    "supply": "Hours a week within walking distance, per 1,000 residents",
    "need": "Need",
    "gap": "Gap",
}
MEASURES = {**DEPRIVATION_MEASURES, **THEME_MEASURES}
GROUPS = {"lsoa": "Small area (LSOA)", "outcode": "Outward code"}


@dataclass(frozen=True)
class MapArea:
    """One small area, or a group of them, with the figures the map and its table show."""

    code: str
    name: str
    lat: float
    lng: float
    population: int
    areas: int  # small areas in it (1 for a small area)
    imd_decile: float  # a group's is its areas' average, weighted by residents
    decile: float  # of the chosen deprivation measure (the IMD's for a theme's measure)
    walk_per_1000: float
    nearest_m: float | None
    searches: int
    need: float
    gap: float

    def value(self, measure: str) -> float:
        if measure in DEPRIVATION_MEASURES:
            return self.decile
        return {"supply": self.walk_per_1000, "need": self.need, "gap": self.gap}[measure]


@dataclass(frozen=True)
class DistrictMap:
    district: str
    district_name: str
    measure: str
    theme: str
    theme_name: str
    group: str
    areas: tuple[MapArea, ...]  # in code order


def district_map(
    lad_code: str | None = None, *, measure: str = "imd", theme: str = "", group: str = "lsoa"
) -> DistrictMap:
    """The district's areas (or outward codes) with one theme's figures, for the map and its
    table. Worked out from `district_gaps_cached`, so it costs nothing once the gaps are kept."""
    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}")
    if group not in GROUPS:
        raise ValueError(f"Unknown grouping {group!r}")
    found = district_gaps_cached(lad_code)
    themes = {r.theme: r.theme_name for r in found.rows}
    theme = theme if theme in themes else min(themes, default="")
    rows = sorted((r for r in found.rows if r.theme == theme), key=lambda r: r.area.code)
    domain = measure if measure in DEPRIVATION_MEASURES else "imd"
    areas = [_map_area(row, domain) for row in rows]
    if group == "outcode":
        areas = _by_outcode(rows, areas)
    return DistrictMap(
        found.district, found.district_name, measure, theme, themes.get(theme, ""), group,
        tuple(areas),
    )  # fmt: skip


def _map_area(row: GapRow, domain: str) -> MapArea:
    area = row.area
    lsoa = deprivation.neighbourhood(area.code)
    return MapArea(
        code=area.code,
        name=area.name,
        lat=area.lat,
        lng=area.lng,
        population=area.population,
        areas=1,
        imd_decile=area.imd_decile,
        decile=lsoa.decile(domain) if lsoa else area.imd_decile,
        walk_per_1000=row.supply.walk_per_1000,
        nearest_m=row.supply.nearest_m,
        searches=row.need.searches,
        need=need_score(area, row.need),
        gap=row.score,
    )


def _by_outcode(rows: list[GapRow], areas: list[MapArea]) -> list[MapArea]:
    """Areas grouped by the outward code their centre is in: places and figures weighted by
    residents; supply per 1,000 as the group's hours over its residents; the nearest, the
    nearest of any; searches counted once per outward code (that is where they are kept)."""
    groups: dict[str, list[tuple[GapRow, MapArea]]] = defaultdict(list)
    for row, area in zip(rows, areas, strict=True):
        groups[row.outcode or "Unknown"].append((row, area))
    grouped = []
    for outcode, members in sorted(groups.items()):
        people = sum(a.population for _, a in members) or 1

        def weighted(attr, members=members, people=people):
            return sum(getattr(a, attr) * a.population for _, a in members) / people

        nearest = [a.nearest_m for _, a in members if a.nearest_m is not None]
        grouped.append(
            MapArea(
                code=outcode,
                name=f"{outcode} ({len(members)} small areas)",
                lat=weighted("lat"),
                lng=weighted("lng"),
                population=sum(a.population for _, a in members),
                areas=len(members),
                imd_decile=round(weighted("imd_decile"), 1),
                decile=round(weighted("decile"), 1),
                walk_per_1000=sum(r.supply.walk_hours for r, _ in members) * 1000 / people,
                nearest_m=min(nearest) if nearest else None,
                searches=members[0][0].need.searches,
                need=weighted("need"),
                gap=weighted("gap"),
            )
        )
    return grouped


@dataclass(frozen=True)
class CoproduceFirst:
    """An outward code and kind of activity where coproduction would close most of the gap."""

    outcode: str
    theme: str
    theme_name: str
    total_gap: float  # its small areas' gaps added up
    areas: int
    areas_without: int  # of them, with nothing of the kind within walking distance
    residents_without: int
    searches: int
    worst: GapRow
    asks: tuple  # coproduction's open asks reaching the outward code


def coproduce_first(found: DistrictGaps, *, limit: int = 10) -> list[CoproduceFirst]:
    """The outward codes × kinds of activity with the biggest gaps added up over their small
    areas, biggest first, each with the open asks that reach it (for a service line, that
    line's own; for a kind of activity, those of the lines that count it first)."""
    groups: dict[tuple[str, str], list[GapRow]] = defaultdict(list)
    for row in found.rows:
        if row.outcode:
            groups[row.outcode, row.theme].append(row)
    ranked = sorted(groups.items(), key=lambda item: (-sum(r.score for r in item[1]), item[0]))[
        :limit
    ]
    asks = open_asks_by_area({outcode for (outcode, _), _ in ranked})
    lines_counting = _lines_counting_each_kind()
    chosen = []
    for (outcode, theme), rows in ranked:
        without = [r for r in rows if r.supply.walk_hours == 0]
        chosen.append(
            CoproduceFirst(
                outcode=outcode,
                theme=theme,
                theme_name=rows[0].theme_name,
                total_gap=sum(r.score for r in rows),
                areas=len(rows),
                areas_without=len(without),
                residents_without=sum(r.area.population for r in without),
                searches=rows[0].need.searches,
                worst=max(rows, key=lambda r: r.score),
                asks=_asks_for(theme, asks.get(outcode, ()), lines_counting),
            )
        )
    return chosen


def _lines_counting_each_kind() -> dict[str, set[str]]:
    """Each top-level kind of activity → the service lines (slugs) that count it, or some of
    the kinds below it, as their supply."""
    top_of = category_themes()
    counting: dict[str, set[str]] = defaultdict(set)
    for theme in district_themes():
        if theme.is_line:
            for category in theme.categories:
                for kind in top_of.get(category, ()):
                    counting[kind].add(theme.key.removeprefix(LINE_PREFIX))
    return counting


def _asks_for(theme: str, asks, lines_counting: dict[str, set[str]]) -> tuple:
    """A service line's own asks; for a kind of activity, every ask, those of the lines that
    count the kind first."""
    if theme.startswith(LINE_PREFIX):
        line = theme.removeprefix(LINE_PREFIX)
        return tuple(ask for ask in asks if ask.service_line_slug == line)
    relevant = lines_counting.get(theme, set())
    return tuple(sorted(asks, key=lambda ask: ask.service_line_slug not in relevant))


@dataclass(frozen=True)
class TrendRow:
    """One month or quarter of the district's figures. Counts from people are as shown
    (`arithmetic.shown`: "fewer than 5" from 1 to 4, else to the nearest 5); searches are
    counted as they are (nobody is in them); supply is the last day recorded in the month or
    quarter, if any."""

    bucket: datetime.date
    label: str
    searches: int
    referrals: int | str
    declined_no_space: int | str
    people_counted: int | str
    walk_per_1000: float | None
    residents_without: int | None  # for one kind of activity only


@dataclass(frozen=True)
class DistrictTrends:
    district: str
    district_name: str
    period: ReportPeriod
    theme: str  # "" for every kind of activity together
    theme_name: str
    rows: tuple[TrendRow, ...]
    # The period's totals, each shown from the raw total, never added up from the rows
    # (added up, rounded parts could give away more than the whole).
    referrals: int | str
    declined_no_space: int | str
    people_counted: int | str
    searches: int
    supply_since: datetime.date | None  # the first day supply was recorded


def district_trends(
    lad_code: str | None = None, *, period: ReportPeriod, theme: str = ""
) -> DistrictTrends:
    """The district's figures by month or quarter over the period: need (searches that found
    nothing, referrals, referrals declined for lack of space, people counted) and supply."""
    lad_code = lad_code or district()
    areas = district_areas(lad_code)
    outcodes = {_outcode(a.code, a.lat, a.lng) for a in areas} - {""}
    themes = {t.key: t.label for t in district_themes()}
    theme = theme if theme in themes else ""
    since = period.start
    searches = _by_bucket(period, zero_result_counts_by_month(outcodes=outcodes, since=since))
    people = _by_bucket(period, counted_people_by_month(outcodes=outcodes, since=since))
    made_declined = referral_counts_by_month(outcodes=outcodes, since=since)
    made = _by_bucket(period, {m: pair[0] for m, pair in made_declined.items()})
    declined = _by_bucket(period, {m: pair[1] for m, pair in made_declined.items()})
    supply_rows, supply_since = _supply_by_bucket(lad_code, period, theme)
    rows = tuple(
        TrendRow(
            bucket=bucket,
            label=period.label(bucket),
            searches=searches.get(bucket, 0),
            referrals=shown(made.get(bucket, 0)),
            declined_no_space=shown(declined.get(bucket, 0)),
            people_counted=shown(people.get(bucket, 0)),
            walk_per_1000=supply_rows.get(bucket, (None, None))[0],
            residents_without=supply_rows.get(bucket, (None, None))[1],
        )
        for bucket in period.buckets()
    )
    neighbourhoods = deprivation.in_district(lad_code)
    return DistrictTrends(
        district=lad_code,
        district_name=neighbourhoods[0].lad_name if neighbourhoods else lad_code,
        period=period,
        theme=theme,
        theme_name=themes.get(theme, "Every kind of activity"),
        rows=rows,
        referrals=shown(sum(made.values())),
        declined_no_space=shown(sum(declined.values())),
        people_counted=shown(sum(people.values())),
        searches=sum(searches.values()),
        supply_since=supply_since,
    )


def _by_bucket(period: ReportPeriod, monthly: dict[datetime.date, int]) -> dict:
    found: Counter = Counter()
    for month, n in monthly.items():
        if period.start <= month <= period.end:
            found[period.bucket_of(month)] += n
    return found


def _supply_by_bucket(lad_code: str, period: ReportPeriod, theme: str):
    """{bucket: (hours a week within walking distance per 1,000, residents with none)} from
    the last day recorded in each month or quarter; and the first day ever recorded."""
    snapshots = SupplySnapshot.objects.filter(district=lad_code)
    first = snapshots.order_by("taken_on").values_list("taken_on", flat=True).first()
    if theme:
        snapshots = snapshots.filter(theme=theme)
    days: dict[datetime.date, list] = {}
    for taken_on, hours, residents, without in snapshots.filter(
        taken_on__gte=period.start, taken_on__lte=period.end
    ).values_list("taken_on", "walk_hours", "residents", "residents_without"):
        # Every kind together: hours add up; the residents are the district's, once.
        day = days.setdefault(taken_on, [0.0, residents, None])
        day[0] += hours
        # Residents with none of any kind cannot be told from each kind's: only for one kind.
        day[2] = without if theme else None
    found = {}
    for taken_on in sorted(days):
        hours, residents, without = days[taken_on]
        per_1000 = hours * 1000 / residents if residents else 0.0
        found[period.bucket_of(taken_on)] = (per_1000, without)
    return found, first


# What the map of England can colour each local authority by: the share of its residents in
# the most deprived fifth, or with none of a theme within walking distance.
CORE20 = "core20"
ENGLAND_MEASURES = {
    CORE20: "Residents in the most deprived fifth of England (Core20)",
    "without": "Residents with none within walking distance",
}


@dataclass(frozen=True)
class AuthorityFigure:
    """One local authority of a run of England, with the chosen share of its residents."""

    code: str
    name: str
    lat: float | None  # None in a run made before the map
    lng: float | None
    residents: int
    share: float  # per cent of its residents
    summary: dict  # the run's summary of it


@dataclass(frozen=True)
class EnglandMap:
    measure: str
    measure_name: str
    authorities: list[AuthorityFigure]  # highest share first

    @property
    def placed(self) -> bool:
        """Every authority has a place (a run made before the map has none)."""
        return bool(self.authorities) and all(a.lat is not None for a in self.authorities)


def england_themes(summary: Sequence[dict]) -> list[Theme]:
    """The themes a run of England worked out, named as they are now (one since removed keeps
    its key as its name)."""
    now = {t.key: t for t in district_themes()}
    keys = dict.fromkeys(key for row in summary for key in row.get("without") or {})
    return [now.get(key) or Theme(key, key, ()) for key in keys]


def england_map(summary: Sequence[dict], measure: str, themes: Sequence[Theme]) -> EnglandMap:
    """A run's local authorities with the share of residents `measure` counts (CORE20, or a
    theme's key for those with none of it within walking distance)."""
    named = {t.key: t.label for t in themes}
    if measure == CORE20:
        name = ENGLAND_MEASURES[CORE20]
    else:
        name = f"{ENGLAND_MEASURES['without']}: {named.get(measure, measure)}"
    return EnglandMap(measure, name, england_authorities(summary, measure))


def england_authorities(summary: Sequence[dict], measure: str) -> list[AuthorityFigure]:
    """Each local authority of a run with `measure` (CORE20, or a theme's key for the share of
    residents with none of it within walking distance), highest share first."""
    found = []
    for row in summary:
        residents = row.get("residents") or 0
        if measure == CORE20:
            count = row.get("core20_residents", 0)
        else:
            count = (row.get("without") or {}).get(measure, 0)
        found.append(
            AuthorityFigure(
                code=row["code"],
                name=row["name"],
                lat=row.get("lat"),
                lng=row.get("lng"),
                residents=residents,
                share=100 * count / residents if residents else 0.0,
                summary=row,
            )
        )
    found.sort(key=lambda a: (-a.share, a.name))
    return found
