"""JSON search API: GET /api/search and /api/search.geojson (documented at /api/schema/)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import orjson
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .backends import SearchBackendError
from .params import ParsedSearch, parse_search_params, refuse_blank_values
from .query import QueryError
from .results import SearchHit, SearchResults
from .selectors import search_directory
from .services import zero_result_record

logger = logging.getLogger(__name__)


def json_response(data: dict, *, status: int = 200, content_type: str = "application/json"):
    # orjson encodes a page of hits several times faster than the json module, and the API's
    # own overhead is what stands between a sub-millisecond search and its response.
    return HttpResponse(orjson.dumps(data, default=str), status=status, content_type=content_type)


def hit_json(hit: SearchHit) -> dict:
    return {
        "id": hit.id,
        "title": hit.title,
        "organisation": hit.organisation,
        "url": hit.url,
        "summary": hit.summary,
        # Already HTML: the backend escapes the text and marks the matched words.
        "snippet": hit.snippet,
        "lat": hit.lat,
        "lng": hit.lng,
        "distance_m": round(hit.distance_m) if hit.distance_m is not None else None,
        # orjson writes datetimes in ISO 8601 itself, with the offset, as isoformat() would.
        "next_session": hit.next_session,
        "cost": hit.cost,
        "cost_amount": hit.cost_amount,
        "delivery": hit.delivery,
        "area_wide": hit.area_wide,
        "categories": hit.categories,
        "access": hit.access,
        "venue": hit.venue,
    }


@dataclass
class SearchOutcome:
    parsed: ParsedSearch | None = None
    results: SearchResults | None = None
    error: dict | None = None
    status: int = 200

    def error_response(self) -> JsonResponse | None:
        return JsonResponse(self.error, status=self.status) if self.error else None


def run_search(params, *, record_zero: bool, strict: bool = False) -> SearchOutcome:
    """Parse, search and (for a first page with nothing) record; or say what went wrong.

    `strict` (the API) refuses typed parameters sent empty; the search page's form sends its
    empty fields, which mean "not given".
    """
    try:
        if strict:
            refuse_blank_values(params)
        parsed = parse_search_params(params)
    except QueryError as exc:
        return SearchOutcome(error={"error": exc.message, "field": exc.field}, status=400)
    try:
        results = search_directory(parsed.query)
    except SearchBackendError:
        logger.exception("Search failed")
        return SearchOutcome(
            error={"error": "Search is not available just now. Try again soon.", "field": None},
            status=503,
        )
    if record_zero and results.total == 0 and parsed.query.page == 1:
        zero_result_record(parsed=parsed)
    return SearchOutcome(parsed=parsed, results=results)


def results_json(results: SearchResults) -> dict:
    return {
        "total": results.total,
        "page": results.page,
        "page_size": results.page_size,
        "results": [hit_json(h) for h in results.hits],
        "facets": results.facets,
    }


@require_GET
def search_json(request):
    outcome = run_search(request.GET, record_zero=True, strict=True)
    return outcome.error_response() or json_response(results_json(outcome.results))


@require_GET
def search_geojson(request):
    outcome = run_search(request.GET, record_zero=False, strict=True)
    if outcome.error:
        return outcome.error_response()
    results = outcome.results
    features = [
        {
            "type": "Feature",
            "id": hit.id,
            "geometry": {"type": "Point", "coordinates": [hit.lng, hit.lat]},
            "properties": hit_json(hit),
        }
        for hit in results.hits
        if hit.lat is not None and hit.lng is not None
    ]
    return json_response(
        {
            "type": "FeatureCollection",
            "features": features,
            "total": results.total,
            "page": results.page,
            "page_size": results.page_size,
        },
        content_type="application/geo+json",
    )
