"""Writes of the commissioners' figures."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from .models import SupplySnapshot
from .selectors import DistrictGaps, district, district_gaps_cached


def supply_snapshot_take(*, found: DistrictGaps, on: datetime.date | None = None) -> int:
    """Record the district's supply of each kind of activity on a day (today), replacing that
    day's record if there is one. Returns how many kinds were recorded."""
    on = on or timezone.localdate()
    totals: dict[str, list] = defaultdict(lambda: ["", 0.0, 0, 0])
    for row in found.rows:
        total = totals[row.theme]
        total[0] = row.theme_name
        total[1] += row.supply.walk_hours
        total[2] += row.area.population
        total[3] += row.area.population if row.supply.walk_hours == 0 else 0
    SupplySnapshot.objects.bulk_create(
        [
            SupplySnapshot(
                district=found.district, taken_on=on, theme=theme, theme_name=name,
                walk_hours=hours, residents=residents, residents_without=without,
            )
            for theme, (name, hours, residents, without) in totals.items()
        ],
        update_conflicts=True,
        unique_fields=["district", "taken_on", "theme"],
        update_fields=["theme_name", "walk_hours", "residents", "residents_without"],
    )  # fmt: skip
    return len(totals)


def district_figures_refresh(*, lad_code: str | None = None) -> int:
    """Work the district's figures out if the directory changed since they were kept, and
    record today's supply: what the periodic task does, so that views find them ready."""
    return supply_snapshot_take(found=district_gaps_cached(lad_code or district()))
