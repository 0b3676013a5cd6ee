"""JSON search API: GET /api/search and /api/search.geojson (documented at /api/schema/)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import orjson
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from common.text import has_control_character

from .backends import SearchBackendError
from .params import (
    ParsedSearch,
    parse_search_params,
    refuse_blank_values,
    understanding_requested,
)
from .query import QueryError
from .results import SearchHit, SearchResults
from .selectors import search_directory
from .services import zero_result_record
from .suggestions import MAX_SUGGESTIONS, MAX_TEXT, suggest
from .understanding import Understanding, understand

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
        # A private venue's point is the centre of its outward code (lat and lng above).
        "approximate": hit.approximate,
        "distance_m": round(hit.distance_m) if hit.distance_m is not None else None,
        # orjson writes datetimes in ISO 8601 itself, with the offset, as isoformat() would.
        "next_session": hit.next_session,
        "cost": hit.cost,
        "cost_amount": hit.cost_amount,
        "delivery": hit.delivery,
        "area_wide": hit.area_wide,
        "categories": hit.categories,
        "access": hit.access,
        "audience": hit.audience,
        "conditions": hit.conditions,
        "booking": hit.booking,
        "capacity": hit.capacity,
        "carers_welcome": hit.carers_welcome,
        "age_min": hit.age_min,
        "age_max": hit.age_max,
        "venue": hit.venue,
    }


@dataclass
class SearchOutcome:
    parsed: ParsedSearch | None = None
    results: SearchResults | None = None
    error: dict | None = None
    status: int = 200
    # What was read from the words, when they were read (understand=true).
    understanding: Understanding | None = None

    def error_response(self) -> JsonResponse | None:
        return JsonResponse(self.error, status=self.status) if self.error else None


def run_search(params, *, record_zero: bool, strict: bool = False) -> SearchOutcome:
    """Parse, search and (for a first page with nothing) record; or say what went wrong.

    `strict` (the API) refuses typed parameters sent empty; the search page's form sends its
    empty fields, which mean "not given". With understand=true the words are read first
    (search.understanding); the search page reads them itself, before its own defaults.
    """
    understanding = None
    try:
        if strict:
            refuse_blank_values(params)
        if understanding_requested(params, default=False):
            understanding = understand(params)
            params = understanding.params
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
    return SearchOutcome(parsed=parsed, results=results, understanding=understanding)


def understanding_json(understanding: Understanding | None) -> dict:
    """What was read from the words; empty lists when they were not read."""
    if understanding is None:
        return {"understood": [], "offers": []}
    return {
        "words": understanding.words,
        "understood": [
            {
                "kind": item.kind,
                "label": item.label,
                "words": item.words,
                "parameters": {name: list(values) for name, values in item.parameters.items()},
            }
            for item in understanding.understood
        ],
        "offers": [
            {"kind": o.kind, "label": o.label, "parameter": o.parameter, "value": o.value}
            for o in understanding.offers
        ],
    }


def results_json(results: SearchResults, understanding: Understanding | None = None) -> dict:
    return {
        "total": results.total,
        "page": results.page,
        "page_size": results.page_size,
        "results": [hit_json(h) for h in results.hits],
        "facets": results.facets,
        **understanding_json(understanding),
        # The corrected words when few results matched the words as given (see openapi).
        "did_you_mean": results.did_you_mean or None,
    }


@require_GET
def search_json(request):
    outcome = run_search(request.GET, record_zero=True, strict=True)
    return outcome.error_response() or json_response(
        results_json(outcome.results, outcome.understanding)
    )


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


def _refusal(field: str, message: str) -> JsonResponse:
    return JsonResponse({"error": message, "field": field}, status=400)


@require_GET
def suggest_json(request):
    """Type-ahead for the "What" box: {"q": ..., "suggestions": [{"kind", "text", "slug"?}]}.

    Not rate limited: an answer is a few lookups in memory and in the index's term
    dictionary (bench/search_bench.py times it), cheaper than counting the request in the
    shared cache would be. Cached like the other public answers: nothing in it is personal.
    """
    text = request.GET.get("q", "")
    if len(text) > MAX_TEXT:
        return _refusal("q", f"q may be at most {MAX_TEXT} characters long.")
    if has_control_character(text):
        return _refusal("q", "q contains a control character.")
    size = MAX_SUGGESTIONS
    if "limit" in request.GET:
        raw = request.GET["limit"]
        if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_SUGGESTIONS):
            return _refusal("limit", f"limit must be a whole number from 1 to {MAX_SUGGESTIONS}.")
        size = int(raw)
    try:
        found = suggest(text, size=size)
    except SearchBackendError:
        logger.exception("Suggestions failed")
        return JsonResponse(
            {"error": "Suggestions are not available just now.", "field": None}, status=503
        )
    return json_response({"q": text, "suggestions": [s.as_json() for s in found]})
