"""The commissioners' pages: where the gaps are, and the map of supply, need and deprivation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from assets_directory.selectors import top_level_categories, top_level_slugs
from common import deprivation
from common.csv_export import csv_response
from common.middleware import mark_private
from common.periods import last_months

from .forms import ActivityFilterForm, EnglandMapForm, MapForm, TrendForm
from .legend import band_of, decile_bands, quantile_bands
from .models import EnglandRun
from .selectors import (
    DEPRIVATION_MEASURES,
    MEASURES,
    coproduce_first,
    district_gaps_cached,
    district_map,
    district_trends,
    england_map,
    england_themes,
    theme_totals,
    unique_areas,
)
from .services import england_run_start
from .tasks import england_run_enqueue

SHOWN = 50
COMMISSIONERS = "matching.view_aggregates"


def _download_format(request, *formats: str) -> tuple[str, HttpResponseBadRequest | None]:
    """The download asked for with `?format=` ("" for the page itself), or a plain 400 naming
    the formats there are when it is none of them."""
    wanted = request.GET.get("format", "")
    if wanted and wanted not in formats:
        return wanted, HttpResponseBadRequest(
            "There is no download in that format. Use "
            + " or ".join(f"format={f}" for f in formats)
            + ".",
            content_type="text/plain; charset=utf-8",
        )
    return wanted, None


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_safe
def gaps(request):
    """The district's gaps, biggest first, with where to coproduce first; every area × theme
    as CSV (`?format=csv`), and every outward code × theme ranked as CSV (`?format=first-csv`)."""
    wanted, refusal = _download_format(request, "csv", "first-csv")
    if refusal:
        return refusal
    found = district_gaps_cached()
    if wanted == "first-csv":
        return mark_private(_first_csv(found))
    if wanted == "csv":
        return mark_private(csv_response(
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
        ))  # fmt: skip
    return mark_private(
        render(
            request,
            "insights/gaps.html",
            {"found": found, "rows": found.rows[:SHOWN], "first": coproduce_first(found)},
        )
    )


def _first_csv(found):
    ranked = coproduce_first(found, limit=len(found.rows))
    return csv_response(
        f"coproduce-first-{found.district}.csv",
        ["Rank", "Outward code", "Theme", "Gap added up", "Small areas",
         f"Small areas with none within {found.reach.walk_m:g} m", "Their residents",
         "Searches that found nothing", "Biggest gap", "Open asks that reach it"],
        (
            [rank, p.outcode, p.theme_name, round(p.total_gap, 3), p.areas, p.areas_without,
             p.residents_without, p.searches, p.worst.explanation,
             "; ".join(f"{a.title} ({a.team}, {a.service_line})" for a in p.asks)]
            for rank, p in enumerate(ranked, start=1)
        ),
    )  # fmt: skip


def _value_text(measure: str, value: float) -> str:
    if measure in DEPRIVATION_MEASURES:
        return f"{value:g}"
    if measure == "supply":
        return f"{value:,.1f}"
    return f"{value:.2f}"


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_safe
def area_map(request):
    """The district's small areas (or outward codes) coloured by one measure, with the same
    figures in a table and as CSV (`?format=csv`); the activities on top, through search."""
    wanted, refusal = _download_format(request, "csv")
    if refusal:
        return refusal
    form = MapForm.from_query(request.GET)
    choice = form.cleaned_data
    found = district_map(measure=choice["measure"], theme=choice["theme"], group=choice["group"])
    measure = found.measure
    values = [a.value(measure) for a in found.areas]
    bands = decile_bands() if measure in DEPRIVATION_MEASURES else quantile_bands(values)
    rows = [
        {"area": a, "value": _value_text(measure, v), "band": band_of(v, bands)}
        for a, v in zip(found.areas, values, strict=True)
    ]
    measure_name = MEASURES[measure]
    if wanted:
        return mark_private(_map_csv(found, measure_name, rows))
    filters = ActivityFilterForm(request.GET)
    search_params = filters.search_params()
    query = urlencode({k: choice[k] for k in ("measure", "theme", "group")})
    return mark_private(
        render(
            request,
            "insights/map.html",
            {
                "form": form,
                "filters": filters,
                "found": found,
                "measure_name": measure_name,
                "is_decile": measure in DEPRIVATION_MEASURES,
                "rows": rows,
                "bands": bands,
                "query": query,
                "search_url": reverse("search:search") + "?" + urlencode(search_params),
                "attribution": deprivation.ATTRIBUTION,
                "map_data": {
                    "areas": [
                        {
                            "code": r["area"].code,
                            "name": r["area"].name,
                            "lat": r["area"].lat,
                            "lng": r["area"].lng,
                            "value": r["value"],
                            "band": r["band"],
                        }
                        for r in rows
                    ],
                    "bands": [
                        {"label": b.label, "colour": b.colour, "radius": b.radius} for b in bands
                    ],
                    "measure": measure_name,
                    "geojson": reverse("search:api_search_geojson"),
                    "search": search_params,
                    "top": top_level_slugs(),
                    "names": {c.slug: c.name for c in top_level_categories()},
                },
            },
        )  # fmt: skip
    )


def _map_csv(found, measure_name: str, rows):
    group = "Outward code" if found.group == "outcode" else "Area code"
    return csv_response(
        f"map-{found.district}-{found.measure}-{found.theme}-{found.group}.csv",
        [group, "Name", "Small areas", "Residents", "Latitude", "Longitude", measure_name,
         "Band", "IMD decile",
         f"{found.theme_name}: hours a week within walking distance per 1,000",
         f"{found.theme_name}: nearest (m)", "Searches that found nothing", "Need", "Gap"],
        (
            [r["area"].code, r["area"].name, r["area"].areas, r["area"].population,
             round(r["area"].lat, 6), round(r["area"].lng, 6), r["value"], r["band"] + 1,
             r["area"].imd_decile, round(r["area"].walk_per_1000, 2),
             "" if r["area"].nearest_m is None else round(r["area"].nearest_m),
             r["area"].searches, round(r["area"].need, 3), round(r["area"].gap, 3)]
            for r in rows
        ),
    )  # fmt: skip


def _trends(request):
    form = TrendForm.from_query(request.GET)
    choice = form.cleaned_data
    period = last_months(months=choice["months"], grouping=choice["by"], today=timezone.localdate())
    return form, district_trends(period=period, theme=choice["theme"])


def _drawn(count: int | str) -> int:
    """A count as a chart draws it: one shown as "fewer than 5" is drawn as 0."""
    return count if isinstance(count, int) else 0


def trend_charts(trends) -> dict:
    """What the trends' charts draw: the same figures as their table."""
    labels = [row.label for row in trends.rows]
    return {
        "need": {
            "labels": labels,
            "series": [
                {"label": "Searches that found nothing", "data": [r.searches for r in trends.rows]},
                {"label": "Referrals made", "data": [_drawn(r.referrals) for r in trends.rows]},
                {"label": "Declined for lack of space",
                 "data": [_drawn(r.declined_no_space) for r in trends.rows]},
                {"label": "People counted",
                 "data": [_drawn(r.people_counted) for r in trends.rows]},
            ],
        },
        "supply": {
            "labels": labels,
            "series": [{
                "label": "Hours a week within walking distance, per 1,000 residents",
                "data": [None if r.walk_per_1000 is None else round(r.walk_per_1000, 2)
                         for r in trends.rows],
            }],
        },
    }  # fmt: skip


TREND_HEADINGS = [
    "Month or quarter", "Searches that found nothing", "Referrals made",
    "Referrals declined for lack of space", "People counted",
    "Hours a week within walking distance per 1,000", "Residents with none within walking distance",
]  # fmt: skip


def _trend_cells(row) -> list:
    return [
        row.label, row.searches, row.referrals, row.declined_no_space, row.people_counted,
        "" if row.walk_per_1000 is None else round(row.walk_per_1000, 2),
        "" if row.residents_without is None else row.residents_without,
    ]  # fmt: skip


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_safe
def trends(request):
    """The district's need and supply by month or quarter, as charts with their table; the
    table as CSV with `?format=csv`."""
    wanted, refusal = _download_format(request, "csv")
    if refusal:
        return refusal
    form, found = _trends(request)
    if wanted:
        name = f"trends-{found.district}-{found.period.grouping}-{found.theme or 'all'}.csv"
        return mark_private(
            csv_response(name, TREND_HEADINGS, (_trend_cells(r) for r in found.rows))
        )
    return mark_private(
        render(
            request,
            "insights/trends.html",
            {
                "form": form,
                "trends": found,
                "rows": [_trend_cells(r) for r in found.rows],
                "headings": TREND_HEADINGS,
                "charts": trend_charts(found),
                "query": urlencode(form.cleaned_data),
            },
        )
    )


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_safe
def report(request):
    """Everything on one page laid out for paper: the district, supply by kind of activity,
    where to coproduce first, the biggest gaps, the trends with their charts, and the open data's
    attribution."""
    wanted, refusal = _download_format(request, "csv")
    if refusal:
        return refusal
    found = district_gaps_cached()
    themes = sorted(theme_totals(found), key=lambda t: (-t.share_without, t.name))
    if wanted:
        return mark_private(csv_response(
            f"supply-by-theme-{found.district}.csv",
            ["Theme", "Hours a week within walking distance per 1,000 residents",
             "Residents with none within walking distance", "Share of residents (%)"],
            ([t.name, round(t.per_1000, 2), t.without, round(100 * t.share_without, 1)]
             for t in themes),
        ))  # fmt: skip
    _, trends_found = _trends(request)
    areas = unique_areas(found)
    core20 = [a for a in areas if a.imd_decile in deprivation.CORE20_DECILES]
    return mark_private(
        render(
            request,
            "insights/report.html",
            {
                "found": found,
                "residents": sum(a.population for a in areas),
                "core20_areas": len(core20),
                "core20_residents": sum(a.population for a in core20),
                "themes": themes,
                "first": coproduce_first(found),
                "rows": found.rows[:20],
                "trends": trends_found,
                "trend_rows": [_trend_cells(r) for r in trends_found.rows],
                "headings": TREND_HEADINGS,
                "charts": trend_charts(trends_found),
                "attribution": deprivation.ATTRIBUTION,
                "printed_on": timezone.localdate(),
            },
        )
    )


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def england(request):
    """All of England: start the analysis (POST), follow its progress, read each local
    authority's summary and download every small area × kind of activity."""
    if request.method == "POST":
        run, started = england_run_start(by=request.user)
        if started:
            england_run_enqueue(run.pk)
            messages.success(request, "The analysis of England has started.")
        else:
            messages.info(request, "The analysis of England is already running.")
        return redirect("insights:england")
    wanted, refusal = _download_format(request, "csv")
    if refusal:
        return refusal
    runs = EnglandRun.objects.all()
    latest = runs.first()
    finished = runs.filter(status=EnglandRun.Status.DONE).first()
    summary = finished.summary if finished else []
    themes = england_themes(summary)
    form = EnglandMapForm.from_query(request.GET, themes=themes)
    found = england_map(summary, form.cleaned_data["measure"], themes)
    authorities = found.authorities
    if wanted:
        return mark_private(_england_summary_csv(finished, found))
    bands = quantile_bands([a.share for a in authorities])
    return mark_private(
        render(
            request,
            "insights/england.html",
            {
                "latest": latest,
                "finished": finished,
                "busy": latest is not None
                and latest.status in (EnglandRun.Status.QUEUED, EnglandRun.Status.RUNNING),
                "form": form,
                "found": found,
                "bands": bands,
                "query": urlencode({"measure": found.measure}),
                "map_data": {
                    "areas": [
                        {
                            "code": a.code,
                            "name": a.name,
                            "lat": a.lat,
                            "lng": a.lng,
                            "value": f"{a.share:.1f}%",
                            "band": band_of(a.share, bands),
                        }
                        for a in authorities
                    ],
                    "bands": [
                        {"label": b.label, "colour": b.colour, "radius": b.radius} for b in bands
                    ],
                    "measure": found.measure_name,
                }
                if found.placed
                else None,
            },
        )  # fmt: skip
    )


def _england_summary_csv(finished, found):
    day = f"{finished.finished_at:%Y-%m-%d}" if finished and finished.finished_at else "none"
    measure_name = found.measure_name
    return csv_response(
        f"england-local-authorities-{day}.csv",
        ["Local authority code", "Local authority", "Small areas", "Residents",
         f"{measure_name} (%)", "Core20 residents", "Kind of activity fewest reach on foot",
         "Residents without it within walking distance", "Biggest gap", "Latitude",
         "Longitude"],
        (
            [a.code, a.name, a.summary.get("areas"), a.residents, round(a.share, 1),
             a.summary.get("core20_residents"), a.summary.get("fewest_reached"),
             a.summary.get("fewest_reached_without"), a.summary.get("biggest_gap"),
             a.lat, a.lng]
            for a in found.authorities
        ),
    )  # fmt: skip


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_safe
def england_progress(request, pk: int):
    """How far a run of England has got, as JSON, for the page's progress bar."""
    run = get_object_or_404(EnglandRun, pk=pk)
    return mark_private(
        JsonResponse(
            {
                "status": run.status,
                "status_label": run.get_status_display(),
                "districts_done": run.districts_done,
                "districts_total": run.districts_total,
                "percent": run.percent,
            }
        )
    )


@login_required
@permission_required(COMMISSIONERS, raise_exception=True)
@require_safe
def england_csv(request, pk: int):
    """A finished run's every small area × kind of activity, as CSV."""
    run = get_object_or_404(EnglandRun, pk=pk, status=EnglandRun.Status.DONE)
    if not run.file:
        raise Http404("This run kept no file.")
    response = FileResponse(
        run.file.open("rb"),
        as_attachment=True,
        filename=run.file.name.rsplit("/", 1)[-1],
        content_type="text/csv; charset=utf-8",
    )
    return mark_private(response)
