"""Supply, need and the gap, per small area and theme: pure arithmetic, no Django.

An *area* is a small neighbourhood (an English LSOA, about 1,500 residents) drawn at its
population-weighted centroid. An *offer* is what one live activity adds to a theme's supply:
its weekly session-hours, at a place (counted for the areas within reach of it) or, for online,
phone and area-wide services, for every area whose centroid lies in the area it serves.

Supply, for each area and theme:
- the weekly session-hours of activities within walking distance (`Reach.walk_m`, 1 km) and
  within a short trip (`Reach.trip_m`, 5 km), each per 1,000 residents;
- the hours of services that reach the area wherever they are held (online, phone, area-wide);
- the distance from the area's centroid to the nearest activity of the theme held in a place,
  or None if there is none within `Reach.nearest_within_m`.

Need, from what can honestly be known (`Need`): deprivation (IMD decile, and the health and
disability domain's), searches that found nothing, people who said they need or like it (only
those who agreed to be counted) and referrals declined for lack of space.

The gap sets need against supply (`gap_score`), and `explain` says why in words. The formula is
simple on purpose, so that a commissioner can check it by hand:

    need     = deprivation + health / 2 + min(1, asked / 10)
    scarcity = 1 / (1 + hours within walking distance per 1,000 + remote hours per 1,000 / 2)
    gap      = need × scarcity

where deprivation and health run from 0.1 (least deprived tenth of England) to 1.0 (most
deprived tenth), and `asked` is searches that found nothing + people counted + referrals
declined for lack of space. An area with nothing within walking distance has scarcity 1.

Distances are worked out on a flat projection centred on each area, which is within 0.1% of
the great-circle distance at these ranges (a few kilometres) in England's latitudes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from common.geo import EARTH_RADIUS_M


@dataclass(frozen=True)
class Area:
    """A small area: where its residents live on average, how many, and how deprived."""

    code: str
    name: str
    lat: float
    lng: float
    population: int
    imd_decile: int
    health_decile: int


@dataclass(frozen=True)
class Offer:
    """What one activity adds to the supply of each of its themes (top-level categories or
    service lines). Held at a point; or remote: serving a box of (south, west, north, east)
    edges, or anywhere (`anywhere`)."""

    themes: tuple[str, ...]
    weekly_hours: float
    lat: float | None = None
    lng: float | None = None
    box: tuple[float, float, float, float] | None = None
    anywhere: bool = False

    @property
    def is_place(self) -> bool:
        return self.lat is not None and self.lng is not None


@dataclass(frozen=True)
class Reach:
    """How far people go: on foot, on a short trip, and how far to look for the nearest."""

    walk_m: float = 1_000
    trip_m: float = 5_000
    nearest_within_m: float = 20_000

    def __post_init__(self):
        if not 0 < self.walk_m <= self.trip_m <= self.nearest_within_m:
            raise ValueError("Reach needs 0 < walk_m <= trip_m <= nearest_within_m.")


@dataclass(frozen=True)
class Supply:
    """One theme's supply for one area."""

    walk_hours: float
    trip_hours: float
    remote_hours: float
    nearest_m: float | None
    population: int

    def per_1000(self, hours: float) -> float:
        return hours * 1000 / self.population if self.population > 0 else 0.0

    @property
    def walk_per_1000(self) -> float:
        return self.per_1000(self.walk_hours)

    @property
    def trip_per_1000(self) -> float:
        return self.per_1000(self.trip_hours)

    @property
    def remote_per_1000(self) -> float:
        return self.per_1000(self.remote_hours)


@dataclass(frozen=True)
class Need:
    """What says people in an area need a theme, beyond deprivation: counts, unsuppressed (the
    caller suppresses what it shows)."""

    searches: int = 0
    people: int = 0
    declined_no_space: int = 0
    # The words of those searches, most searched first: [(words, count)].
    search_words: tuple[tuple[str, int], ...] = field(default_factory=tuple)

    @property
    def asked(self) -> int:
        """Searches, and the counts from people as they may be published (see `published`):
        so that the gap score cannot give away a count that is suppressed where it is shown."""
        return self.searches + published(self.people) + published(self.declined_no_space)


SMALL_NUMBER = 5
SUPPRESSED = "fewer than 5"


def published(count: int) -> int:
    """A count from people as it may be used in a published figure: 0 below 5 (it could pick
    someone out), and otherwise rounded to the nearest 5, so that no two published figures can
    be subtracted to recover a small one."""
    if count < SMALL_NUMBER:
        return 0
    return SMALL_NUMBER * math.floor(count / SMALL_NUMBER + 0.5)


def shown(count: int) -> int | str:
    """A count from people as it is shown: "fewer than 5" from 1 to 4, else `published`."""
    return SUPPRESSED if 0 < count < SMALL_NUMBER else published(count)


@dataclass(frozen=True)
class OfferTable:
    """Offers as columns, for speed: one row per (offer held at a place, theme), sorted by
    theme, with its point and hours; and the remote offers as they are. Made by `offer_table`."""

    themes: tuple[str, ...]
    lat: np.ndarray
    lng: np.ndarray
    theme: np.ndarray  # index into `themes`
    hours: np.ndarray
    remote: tuple[Offer, ...]


def offer_table(
    offers: Iterable[Offer | tuple],
    themes: Sequence[str],
    *,
    counts_for: Mapping[str, Sequence[str]] | None = None,
) -> OfferTable:
    """The offers as an `OfferTable` for these themes (others are left out). An offer may also
    be given as a tuple of (themes, weekly_hours, lat, lng, box, anywhere), which costs less
    to make by the hundred thousand.

    With `counts_for`, an offer's names are not themes but what the themes gather (categories):
    each name counts for the themes it maps to, and an offer counts once for each theme however
    many of its names lead there."""
    theme_index = {theme: i for i, theme in enumerate(themes)}
    if counts_for is None:
        index_of = {theme: (i,) for theme, i in theme_index.items()}
    else:
        index_of = {
            name: tuple(theme_index[t] for t in keys if t in theme_index)
            for name, keys in counts_for.items()
        }
    # Offers with the same names count for the same themes: each set of names is worked out
    # once, and the rows for its themes are laid out with numpy, not appended one by one.
    groups: dict[tuple, int] = {}
    group_themes: list[tuple[int, ...]] = []
    lat, lng, hours, group_of, remote = [], [], [], [], []
    for offer in offers:
        if isinstance(offer, Offer):
            names, weekly, y, x = offer.themes, offer.weekly_hours, offer.lat, offer.lng
            box, anywhere = offer.box, offer.anywhere
        else:
            names, weekly, y, x, box, anywhere = offer
        key = names if isinstance(names, tuple) else tuple(names)
        group = groups.get(key)
        if group is None:
            group = groups[key] = len(group_themes)
            group_themes.append(tuple(sorted({t for name in key for t in index_of.get(name, ())})))
        indices = group_themes[group]
        if not indices:
            continue
        if y is None or x is None:
            if counts_for is not None or not isinstance(offer, Offer):
                offer = Offer(tuple(themes[t] for t in indices), weekly, y, x, box, bool(anywhere))
            remote.append(offer)
            continue
        lat.append(y)
        lng.append(x)
        hours.append(weekly)
        group_of.append(group)
    # Each offer held at a place becomes one row per theme of its group, in the offers' order.
    sizes = np.array([len(t) for t in group_themes], dtype=np.intp)
    starts = np.cumsum(sizes) - sizes
    flat = np.array([t for themes_of in group_themes for t in themes_of], dtype=np.intp)
    group_array = np.array(group_of, dtype=np.intp)
    per_offer = sizes[group_array]
    offer_of_row = np.repeat(np.arange(len(group_array)), per_offer)
    first_row = np.cumsum(per_offer) - per_offer
    within = np.arange(len(offer_of_row)) - np.repeat(first_row, per_offer)
    theme_array = flat[starts[group_array][offer_of_row] + within]
    order = np.argsort(theme_array, kind="stable")
    rows = offer_of_row[order]
    return OfferTable(
        themes=tuple(themes),
        lat=np.array(lat, dtype=np.float64)[rows],
        lng=np.array(lng, dtype=np.float64)[rows],
        theme=theme_array[order],
        hours=np.array(hours, dtype=np.float64)[rows],
        remote=tuple(remote),
    )


def supply(
    areas: Sequence[Area],
    offers: Sequence[Offer] | OfferTable,
    themes: Sequence[str],
    reach: Reach = Reach(),
) -> dict[str, list[Supply]]:
    """Each theme's supply for each area, in the areas' order."""
    table = offers if isinstance(offers, OfferTable) else offer_table(offers, themes)
    if tuple(themes) != table.themes:
        raise ValueError("The offer table was made for other themes.")
    n_themes = len(themes)
    # Each theme's rows are one run (the table is sorted by theme): sums and minimums per
    # theme are reductions over the runs' starts, far cheaper than a scatter per row.
    present, starts = np.unique(table.theme, return_index=True)
    y_m = np.radians(table.lat) * EARTH_RADIUS_M
    x_m = np.radians(table.lng) * EARTH_RADIUS_M
    hours = table.hours
    walk2, trip2, near2 = reach.walk_m**2, reach.trip_m**2, reach.nearest_within_m**2
    remote = _remote_hours(areas, table.remote, {t: i for i, t in enumerate(themes)})
    result: dict[str, list[Supply]] = {theme: [] for theme in themes}
    walk = np.zeros(n_themes)
    trip = np.zeros(n_themes)
    near = np.full(n_themes, np.inf)
    for a, area in enumerate(areas):
        if len(present):
            # Squared metres on a flat projection centred on the area (see the module).
            lat0 = math.radians(area.lat)
            dy = y_m - lat0 * EARTH_RADIUS_M
            dx = (x_m - math.radians(area.lng) * EARTH_RADIUS_M) * math.cos(lat0)
            d2 = dy * dy + dx * dx
            walk[present] = np.add.reduceat(np.where(d2 <= walk2, hours, 0.0), starts)
            trip[present] = np.add.reduceat(np.where(d2 <= trip2, hours, 0.0), starts)
            near[present] = np.minimum.reduceat(np.where(d2 <= near2, d2, np.inf), starts)
        for t, theme in enumerate(themes):
            result[theme].append(
                Supply(
                    walk_hours=float(walk[t]),
                    trip_hours=float(trip[t]),
                    remote_hours=float(remote[a, t]),
                    nearest_m=None if math.isinf(near[t]) else math.sqrt(near[t]),
                    population=area.population,
                )
            )
    return result


def _remote_hours(areas, offers, theme_index) -> np.ndarray:
    """Hours of services that reach each area wherever they are held: [area, theme]."""
    found = np.zeros((len(areas), len(theme_index)))
    if not areas:
        return found
    lats = np.array([a.lat for a in areas])
    lngs = np.array([a.lng for a in areas])
    for offer in offers:
        if offer.anywhere:
            served = np.ones(len(areas), dtype=bool)
        elif offer.box is not None:
            south, west, north, east = offer.box
            served = (lats >= south) & (lats <= north) & (lngs >= west) & (lngs <= east)
        else:
            continue
        for theme in dict.fromkeys(offer.themes):
            if theme in theme_index:
                found[served, theme_index[theme]] += offer.weekly_hours
    return found


def deprivation_weight(decile: int) -> float:
    """0.1 for the least deprived tenth of England up to 1.0 for the most deprived."""
    if not 1 <= decile <= 10:
        raise ValueError(f"A decile runs from 1 to 10, not {decile}.")
    return (11 - decile) / 10


def need_score(area: Area, need: Need) -> float:
    return (
        deprivation_weight(area.imd_decile)
        + deprivation_weight(area.health_decile) / 2
        + min(1.0, need.asked / 10)
    )


def scarcity(found: Supply) -> float:
    if found.walk_hours == 0 and found.remote_hours == 0:
        return 1.0
    return 1 / (1 + found.walk_per_1000 + found.remote_per_1000 / 2)


def gap_score(area: Area, found: Supply, need: Need) -> float:
    """Need set against supply: higher is a bigger gap (see the module's docstring)."""
    return need_score(area, need) * scarcity(found)


def _distance_words(metres: float) -> str:
    if metres < 1000:
        return f"{round(metres, -1):,.0f} m"
    return f"{metres / 1000:.1f}".removesuffix(".0") + " km"


def explain(
    area: Area,
    theme_name: str,
    found: Supply,
    need: Need,
    reach: Reach = Reach(),
    *,
    period: str = "this quarter",
    where: str = "here",
) -> str:
    """The gap in one sentence: "Roehampton 004B: IMD decile 2, 1,640 residents, no mental
    wellbeing activity within 1 km (the nearest 2.3 km away), 14 searches for 'anxiety' found
    nothing here this quarter." Counts from people are suppressed and rounded (`shown`)."""
    parts = [f"IMD decile {area.imd_decile}", f"{area.population:,} residents"]
    walk = _distance_words(reach.walk_m)
    theme = theme_name[:1].lower() + theme_name[1:]
    if found.walk_hours == 0:
        nearest = (
            f" (the nearest {_distance_words(found.nearest_m)} away)"
            if found.nearest_m is not None
            else f" (none within {_distance_words(reach.nearest_within_m)})"
        )
        parts.append(f"no {theme} activity within {walk}{nearest}")
    else:
        parts.append(
            f"{found.walk_per_1000:.1f} hours a week of {theme} within {walk} per 1,000 residents"
        )
    if found.remote_hours:
        parts.append(f"{found.remote_hours:g} hours a week online, by phone or area-wide")
    if need.searches:
        words = need.search_words[0][0] if need.search_words else ""
        what = f" for '{words}'" if words else ""
        plural = "es" if need.searches != 1 else ""
        parts.append(f"{need.searches} search{plural}{what} found nothing {where} {period}")
    if need.people:
        parts.append(f"{shown(need.people)} people counted who want it")
    if need.declined_no_space:
        parts.append(f"{shown(need.declined_no_space)} referrals declined for lack of space")
    return f"{area.name}: " + ", ".join(parts) + "."
