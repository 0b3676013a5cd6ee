"""GET /api/insights/gaps: the district's supply and gaps by small area and theme, as open data.

Nothing here is personal: supply and deprivation are public data, and the counts from people
that the gap score uses are those that may be published (suppressed below 5, rounded to 5).
"""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from common.deprivation import ATTRIBUTION

from .selectors import district, district_gaps_cached

PAGE_SIZE = 500
MAX_PAGE = 1_000
THEME = re.compile(r"(line:)?[a-z0-9_-]{1,120}")


def _error(field: str | None, message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message, "field": field}, status=status)


@require_GET
def gaps(request):
    served = district()
    asked = request.GET.get("district", served)
    if asked != served:
        return _error("district", f"Only {served} is analysed on this site.")
    theme = request.GET.get("theme")
    if theme is not None and not THEME.fullmatch(theme):
        return _error(
            "theme",
            "theme is a top-level category's slug, or line: and a service line's slug "
            "(lower-case letters, digits, - and _).",
        )
    raw_page = request.GET.get("page", "1")
    if not (raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE):
        return _error("page", f"page must be a whole number from 1 to {MAX_PAGE}.")
    found = district_gaps_cached(served)
    ranked = list(enumerate(found.rows, start=1))
    if theme is not None:
        if theme not in {r.theme for r in found.rows}:
            return _error("theme", "No top-level category or service line has that slug.")
        ranked = [(rank, r) for rank, r in ranked if r.theme == theme]
    paginator = Paginator(ranked, PAGE_SIZE)
    number = int(raw_page)
    rows = paginator.page(number).object_list if number <= paginator.num_pages else []
    response = JsonResponse(
        {
            "district": {"code": found.district, "name": found.district_name},
            "reach": {"walk_m": found.reach.walk_m, "trip_m": found.reach.trip_m},
            "searches_since": found.since.isoformat(),
            "count": paginator.count,
            "page": number,
            "pages": paginator.num_pages,
            "attribution": ATTRIBUTION,
            "results": [
                {
                    "rank": rank,
                    "area": r.area.code,
                    "name": r.area.name,
                    "lat": r.area.lat,
                    "lng": r.area.lng,
                    "population": r.area.population,
                    "imd_decile": r.area.imd_decile,
                    "health_decile": r.area.health_decile,
                    "outcode": r.outcode,
                    "theme": r.theme,
                    "theme_name": r.theme_name,
                    "walk_hours_per_1000": round(r.supply.walk_per_1000, 3),
                    "trip_hours_per_1000": round(r.supply.trip_per_1000, 3),
                    "remote_hours": r.supply.remote_hours,
                    "nearest_m": round(r.supply.nearest_m)
                    if r.supply.nearest_m is not None
                    else None,
                    "searches_with_no_results": r.need.searches,
                    "gap_score": round(r.score, 4),
                    "explanation": r.explanation,
                }
                for rank, r in rows
            ],
        }
    )
    # Open data, the same for everyone: caches may keep it for an hour.
    response["Cache-Control"] = "public, max-age=3600"
    return response
