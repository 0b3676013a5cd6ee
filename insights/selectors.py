"""The commissioners' figures for a local authority district: supply, need and the gap, per
small area and theme, gathered from the apps below and worked out by `insights.arithmetic`.

Supply comes through search (what search finds is what is counted); deprivation and population
from `common.deprivation`; need from searches that found nothing (search), people who agreed to
be counted (matching) and referrals declined for lack of space (referrals). Counts from people
are used only as they may be published (`arithmetic.published`).
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from assets_directory.geocoding import nearest_outcode
from assets_directory.selectors import top_level_categories
from common import deprivation
from matching.selectors import counted_people_themes
from referrals.selectors import declined_for_space_by_area
from search.selectors import directory_version, supply_documents, zero_result_themes

from .arithmetic import EARTH_RADIUS_M, Area, Need, Offer, Reach, Supply, explain, gap_score, supply

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


def offers(*, within: tuple[float, float, float, float] | None = None) -> list[Offer]:
    """What search finds, as offers; with `within`, only what can reach that box."""
    return [
        Offer(
            themes=doc.categories,
            weekly_hours=doc.weekly_hours,
            lat=doc.lat,
            lng=doc.lng,
            box=doc.area,
            anywhere=doc.anywhere,
        )
        for doc in supply_documents(within=within)
    ]


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


def district_gaps(lad_code: str | None = None, *, days: int = 90) -> DistrictGaps:
    """Every area × theme of the district with its gap, biggest first (see the module)."""
    lad_code = lad_code or district()
    since = timezone.localdate() - datetime.timedelta(days=days)
    areas = district_areas(lad_code)
    themes = {c.slug: c.name for c in top_level_categories()}
    found = supply(
        areas, offers(within=_around(areas, reach().nearest_within_m)), list(themes), reach()
    )
    outcodes = {a.code: nearest_outcode(a.lat, a.lng) or "" for a in areas}
    needs = _needs(set(outcodes.values()), since)
    rows = []
    for i, area in enumerate(areas):
        outcode = outcodes[area.code]
        for slug, name in themes.items():
            need = needs.get((outcode, slug), Need())
            here = found[slug][i]
            rows.append(
                GapRow(
                    area=area,
                    outcode=outcode,
                    theme=slug,
                    theme_name=name,
                    supply=here,
                    need=need,
                    score=gap_score(area, here, need),
                    explanation=explain(area, name, here, need, where=f"in {outcode}"
                                        if outcode else "here", period=f"in the last {days} days"),
                )
            )  # fmt: skip
    rows.sort(key=lambda r: (-r.score, r.area.code, r.theme))
    neighbourhoods = deprivation.in_district(lad_code)
    name = neighbourhoods[0].lad_name if neighbourhoods else lad_code
    return DistrictGaps(lad_code, name, since, reach(), len(areas), len(themes), tuple(rows))


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


def _needs(outcodes: set[str], since: datetime.date) -> dict[tuple[str, str], Need]:
    """Need signals by (outward code, theme): searches that found nothing (and their words),
    people counted, referrals declined for lack of space."""
    searches: Counter = Counter()
    words: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for outcode, theme, terms in zero_result_themes(outcodes=outcodes, since=since):
        searches[outcode, theme] += 1
        if terms:
            words[outcode, theme][terms] += 1
    people = counted_people_themes(outcodes=outcodes)
    declined = declined_for_space_by_area(outcodes=outcodes, since=since)
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
    """`district_gaps`, kept until the directory changes (or a day passes, for the need)."""
    lad_code = lad_code or district()
    key = f"insights:gaps:{lad_code}:{directory_version()}:{timezone.localdate()}"
    found = cache.get(key)
    if found is None:
        found = district_gaps(lad_code)
        cache.set(key, found, CACHE_SECONDS)
    return found
