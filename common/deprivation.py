"""How deprived each English neighbourhood is, and how many people live there.

Neighbourhoods are 2021 Lower layer Super Output Areas (LSOAs, about 1,500 people each), with
their population-weighted centroid, Census 2021 population and English Indices of Deprivation
2025 decile (common/data/deprivation/README.md gives the sources and licence). Read once per
process, on first use.
"""

from __future__ import annotations

import csv
import functools
import gzip
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from common.geo import EARTH_RADIUS_M, haversine_m

DATA_PATH = Path(__file__).resolve().parent / "data" / "deprivation" / "lsoa_imd.csv.gz"
# NHS England's Core20: the most deprived fifth of the country, IMD deciles 1 and 2.
CORE20_DECILES = (1, 2)
# The Indices' domains, each with its own decile: key and plain name.
DOMAINS = {
    "income": "Income",
    "employment": "Employment",
    "education": "Education, skills and training",
    "health": "Health deprivation and disability",
    "crime": "Crime",
    "barriers": "Barriers to housing and services",
    "living_environment": "Living environment",
}
OTHER_DOMAINS = tuple(key for key in DOMAINS if key != "health")
ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "English Indices of Deprivation 2025, Ministry of Housing, Communities and Local Government. "
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2023. "
    "Census 2021 data: Office for National Statistics, © Crown copyright."
)


@dataclass(frozen=True)
class Neighbourhood:
    """One LSOA."""

    code: str
    name: str
    lad_code: str
    lad_name: str
    lat: float
    lng: float
    population: int
    imd_decile: int
    imd_rank: int
    # The Health Deprivation and Disability domain's decile (1 is the most deprived tenth).
    health_decile: int = 0
    # The other domains' deciles, in DOMAINS' order (income, employment, education, crime,
    # barriers to housing and services, living environment).
    domain_deciles: tuple[int, ...] = ()

    def decile(self, measure: str) -> int:
        """The decile of "imd" or of one of DOMAINS' keys (1 is the most deprived tenth)."""
        if measure == "imd":
            return self.imd_decile
        if measure == "health":
            return self.health_decile
        return self.domain_deciles[OTHER_DOMAINS.index(measure)]

    @property
    def core20(self) -> bool:
        """In the most deprived fifth of England (IMD deciles 1 and 2)."""
        return self.imd_decile in CORE20_DECILES


@dataclass(frozen=True)
class Reach:
    """The neighbourhoods within reach of some places, and who lives in them."""

    neighbourhoods: tuple[Neighbourhood, ...]

    @property
    def population(self) -> int:
        return sum(n.population for n in self.neighbourhoods)

    @property
    def core20_population(self) -> int:
        return sum(n.population for n in self.neighbourhoods if n.core20)

    @property
    def core20_count(self) -> int:
        return sum(1 for n in self.neighbourhoods if n.core20)


@functools.cache
def neighbourhoods() -> tuple[Neighbourhood, ...]:
    """Every English LSOA, in code order."""
    with gzip.open(DATA_PATH, "rt", encoding="utf-8", newline="") as handle:
        return tuple(
            Neighbourhood(
                code=row["lsoa_code"],
                name=row["lsoa_name"],
                lad_code=row["lad_code"],
                lad_name=row["lad_name"],
                lat=float(row["lat"]),
                lng=float(row["lng"]),
                population=int(row["population"]),
                imd_decile=int(row["imd_decile"]),
                imd_rank=int(row["imd_rank"]),
                health_decile=int(row["health_decile"]),
                domain_deciles=tuple(int(row[f"{key}_decile"]) for key in OTHER_DOMAINS),
            )
            for row in csv.DictReader(handle)
        )


@functools.cache
def _by_code() -> dict[str, Neighbourhood]:
    return {n.code: n for n in neighbourhoods()}


def neighbourhood(code: str) -> Neighbourhood | None:
    return _by_code().get(code.strip().upper())


def in_district(lad_code: str) -> tuple[Neighbourhood, ...]:
    """The neighbourhoods of one local authority district (e.g. "E09000032", Wandsworth)."""
    return _by_district().get(lad_code, ())


def districts() -> dict[str, str]:
    """Every local authority district's code and name, in code order."""
    return {code: areas[0].lad_name for code, areas in sorted(_by_district().items())}


@functools.cache
def _by_district() -> dict[str, tuple[Neighbourhood, ...]]:
    found: dict[str, list[Neighbourhood]] = {}
    for n in neighbourhoods():
        found.setdefault(n.lad_code, []).append(n)
    return {code: tuple(areas) for code, areas in found.items()}


# The neighbourhoods in cells of this many degrees, so that finding those near a place measures
# a few dozen of them rather than all 33,755.
CELL_DEGREES = 0.02


def _cell(lat: float, lng: float) -> tuple[int, int]:
    return math.floor(lat / CELL_DEGREES), math.floor(lng / CELL_DEGREES)


@functools.cache
def _grid() -> dict[tuple[int, int], tuple[Neighbourhood, ...]]:
    cells: dict[tuple[int, int], list[Neighbourhood]] = {}
    for n in neighbourhoods():
        cells.setdefault(_cell(n.lat, n.lng), []).append(n)
    return {key: tuple(found) for key, found in cells.items()}


def within(points: Iterable[tuple[float, float]], radius_m: float) -> Reach:
    """The neighbourhoods whose centroid is within `radius_m` of any of the (lat, lng) points,
    in code order."""
    points = list(points)
    if not points or radius_m <= 0:
        return Reach(())
    grid = _grid()
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    found: dict[str, Neighbourhood] = {}
    for lat, lng in points:
        # The cells of a box around the point first: only those in them are measured exactly.
        dlng = dlat / max(math.cos(math.radians(lat)), 1e-6)
        south, west = _cell(lat - dlat, lng - dlng)
        north, east = _cell(lat + dlat, lng + dlng)
        for i in range(south, north + 1):
            for j in range(west, east + 1):
                for n in grid.get((i, j), ()):
                    if n.code not in found and haversine_m(lat, lng, n.lat, n.lng) <= radius_m:
                        found[n.code] = n
    return Reach(tuple(found[code] for code in sorted(found)))
