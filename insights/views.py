"""The commissioners' gap analysis: where need is high and little is within reach."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from common.csv_export import csv_response

from .selectors import district_gaps_cached

SHOWN = 50


@login_required
@permission_required("matching.view_aggregates", raise_exception=True)
def gaps(request):
    found = district_gaps_cached()
    if request.GET.get("format") == "csv":
        return csv_response(
            f"gaps-{found.district}.csv",
            ["Rank", "Area code", "Area", "Outward code", "Theme", "IMD decile",
             "Health decile", "Residents", "Hours a week within walking distance per 1,000",
             "Hours a week within a short trip per 1,000", "Hours a week online or by phone",
             "Nearest (m)", "Searches that found nothing", "Gap score", "Why"],
            (
                [rank, r.area.code, r.area.name, r.outcode, r.theme_name, r.area.imd_decile,
                 r.area.health_decile, r.area.population, round(r.supply.walk_per_1000, 2),
                 round(r.supply.trip_per_1000, 2), r.supply.remote_hours,
                 round(r.supply.nearest_m) if r.supply.nearest_m is not None else "",
                 r.need.searches, round(r.score, 3), r.explanation]
                for rank, r in enumerate(found.rows, start=1)
            ),
        )  # fmt: skip
    return render(request, "insights/gaps.html", {"found": found, "rows": found.rows[:SHOWN]})
