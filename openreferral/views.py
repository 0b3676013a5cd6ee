"""The Open Referral UK 3.0 feed: GET only, no key, JSON (or ndjson), open to any origin.

Views are thin: `params` reads the query, `selectors` finds the records, `serialisers` writes
them. Every answer, the errors included, is JSON and carries Access-Control-Allow-Origin: *.
"""

from __future__ import annotations

import functools
import logging
import math

import orjson
from django.http import HttpResponse, StreamingHttpResponse

from . import selectors, serialisers
from .params import BadParameter, read_filters, read_full_service, read_paging
from .serialisers import Context

logger = logging.getLogger(__name__)

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


def _json(data, *, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), status=status, content_type="application/json")


def _error(status: int, message: str, field: str | None = None) -> HttpResponse:
    return _json({"error": message, "field": field}, status=status)


def feed_view(view):
    """GET (and HEAD, OPTIONS) only; bad parameters as 400, an index that cannot answer as
    503; and the CORS header on every answer, so that a browser on any site can read it."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ALLOWED_METHODS:
            response = _error(405, "The feed is read only: use GET.")
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        elif request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Max-Age"] = "86400"
        else:
            try:
                response = view(request, *args, **kwargs)
            except BadParameter as exc:
                response = _error(400, exc.message, exc.field)
            except selectors.SearchBackendError:
                logger.exception("The feed's search failed")
                response = _error(503, "Search is not available just now. Try again soon.")
        response["Access-Control-Allow-Origin"] = "*"
        return response

    # A cross-site read carries no cookies that matter and changes nothing.
    wrapped.csrf_exempt = True
    return wrapped


def _page(selection: selectors.Selection, paging, serialise) -> HttpResponse:
    """The Page object: counts, flags and one page of contents."""
    total = selection.count()
    pages = max(1, math.ceil(total / paging.per_page))
    pks = selection.page(paging.offset, paging.per_page) if paging.offset < total else []
    contents = serialise(pks)
    return _json(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": paging.page,
            "size": len(contents),
            "first_page": paging.page == 1,
            "last_page": paging.page >= pages,
            "empty": not contents,
            "contents": contents,
        }
    )


def _stream(
    selection: selectors.Selection, serialise, *, chunk: int = selectors.STREAM_CHUNK
) -> StreamingHttpResponse:
    """Every record, one JSON object a line, loaded a chunk at a time."""

    def lines():
        for pks in selection.chunks(chunk):
            for item in serialise(pks):
                yield orjson.dumps(item) + b"\n"

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson")


def _list(request, select, serialise, *, full_serialise=None, minimal_serialise=None):
    paging = read_paging(request.GET, allows_minimal=minimal_serialise is not None)
    selection = select(read_filters(request.GET))
    if paging.minimal:
        if paging.stream:
            return _stream(selection, minimal_serialise, chunk=selectors.STAMP_CHUNK)
        return _page(selection, paging, minimal_serialise)
    if paging.stream:
        return _stream(selection, full_serialise or serialise)
    if paging.full and full_serialise is not None:
        return _page(selection, paging, full_serialise)
    return _page(selection, paging, serialise)


def _not_found(kind: str) -> HttpResponse:
    return _error(404, f"No {kind} has this id.", "id")


# The endpoints ------------------------------------------------------------------------------


@feed_view
def api_details(request):
    return _json(serialisers.api_details(Context(request)))


@feed_view
def service_list(request):
    ctx = Context(request)

    def brief(pks):
        return [serialisers.service_brief(a, ctx) for a in selectors.brief_activities(pks)]

    def full(pks):
        return [serialisers.service_full(a, ctx) for a in selectors.load_activities(pks)]

    def minimal(pks):
        # Plain rows, never page objects: this page may hold every service.
        return [serialisers.service_minimal(row) for row in selectors.service_stamps(pks)]

    return _list(request, selectors.services, brief, full_serialise=full, minimal_serialise=minimal)


@feed_view
def service_detail(request, id):
    activity = selectors.service_by_id(id)
    if activity is None:
        return _not_found("service")
    return _json(serialisers.service_full(activity, Context(request)))


@feed_view
def service_at_location_list(request):
    ctx = Context(request)

    def brief(pks):
        return [
            serialisers.service_at_location(a, ctx, full=False)
            for a in selectors.brief_activities(pks)
        ]

    def full(pks):
        return [
            serialisers.service_at_location(a, ctx, full=True)
            for a in selectors.load_activities(pks)
        ]

    return _list(request, selectors.services_at_locations, brief, full_serialise=full)


@feed_view
def service_at_location_detail(request, id):
    activity = selectors.service_at_location_by_id(id)
    if activity is None:
        return _not_found("service at a location")
    return _json(serialisers.service_at_location(activity, Context(request), full=True))


@feed_view
def organization_list(request):
    ctx = Context(request)

    full_service = read_full_service(request.GET)

    def brief(pks):
        organisations = selectors.organisations_by_pk(pks)
        if not full_service:
            return [serialisers.organization_brief(o, ctx) for o in organisations]
        services = selectors.organisations_services_full(organisations)
        return [
            {
                **serialisers.organization_brief(o, ctx),
                "services": [serialisers.service_full(s, ctx) for s in services[o.path]],
            }
            for o in organisations
        ]

    return _list(request, selectors.organisations, brief)


@feed_view
def organization_detail(request, id):
    organisation = selectors.organisation_by_id(id)
    if organisation is None:
        return _not_found("organization")
    if read_full_service(request.GET):
        services = selectors.organisations_services_full([organisation])[organisation.path]
        return _json(
            serialisers.organization_full(
                organisation, Context(request), services, full_service=True
            )
        )
    services = selectors.organisation_services(organisation)
    return _json(serialisers.organization_full(organisation, Context(request), services))


@feed_view
def taxonomy_list(request):
    ctx = Context(request)
    return _list(
        request, selectors.taxonomies, lambda keys: [serialisers.taxonomy(ctx) for _ in keys]
    )


@feed_view
def taxonomy_detail(request, id):
    if not selectors.taxonomy_by_id(id):
        return _not_found("taxonomy")
    return _json(serialisers.taxonomy(Context(request), terms=selectors.all_categories()))


@feed_view
def taxonomy_term_list(request):
    def terms(pks):
        return [serialisers.taxonomy_term(c) for c in selectors.categories_by_pk(pks)]

    return _list(request, selectors.categories, terms)


@feed_view
def taxonomy_term_detail(request, id):
    category = selectors.category_by_term_id(id)
    if category is None:
        return _not_found("taxonomy term")
    return _json(serialisers.taxonomy_term(category))


@feed_view
def not_found(request, rest=""):
    return _error(404, "The feed has no such endpoint.")
