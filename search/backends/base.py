from __future__ import annotations

from collections.abc import Callable, Iterable

from ..query import DirectoryQuery
from ..results import SearchResults

ProgressCallback = Callable[[int, int | None], None]


class SearchBackendError(RuntimeError):
    """The engine could not be reached or refused a request; the message says which."""


class BaseSearchBackend:
    """What every directory search backend provides.

    Documents are the flat dicts made by `search.documents.build_documents`. A backend does
    all filtering, scoring, sorting, paging and facet counting in its engine; callers only ever
    pass a validated `DirectoryQuery`. Every backend gives the same answers (the contract tests
    in tests/search/contract.py hold them to it):

    - text: English stemming over title (most weight), summary, category_names, tags, body,
      organisation and venue; every word must match (AND). `prefix=True` treats the last word
      as a prefix ("sing" finds "singing", "sin" too) for type-ahead. Empty text matches all.
    - categories: a document matches if any of the slugs is in its `categories` (which already
      holds each category's ancestors, so a parent matches its children). Tags likewise (any).
    - status: one of `statuses` (only "running" by default); any with include_not_running.
    - near + radius_m: a document with a point (`has_point`) matches when its great-circle
      distance to `near` is at most radius_m. A document without a point (online, phone,
      area-wide) matches when `anywhere` is true or its `area` box
      (min_lat, min_lng, max_lat, max_lng) intersects the box around the circle.
    - bbox: a point inside the box; or no point and (`anywhere` or `area` intersects the box).
    - days (any of) and time_window: the document's `buckets` hold the week-wide quarter hours
      its sessions cover; `DirectoryQuery.time_buckets()` lists the ones to match (any). With
      days and no time window, `days` (slugs, any) must match. open_at works like a window.
    - free_only: cost == "free". max_cost: cost_amount <= max_cost (free and pay-what-you-can
      index as 0; a paid activity with no price never matches a max_cost).
    - access: every slug listed must be in `access` (all). delivery: any of.
    - age: age_min <= age <= age_max.
    - sort: relevance (score; equal scores in any stable order), distance (nearest first, ties
      by id; documents without a point after those with, in id order), checked (last_reviewed
      newest first, then id), title (A to Z by `search.query.title_key`: case, accents and
      spacing aside, then id).
    - hits carry distance_m whenever `near` is given and the document has a point.
    - facets: for each facet asked for, counts over all matching documents (not just the page)
      of each value of that field: categories, days, cost, access, delivery.
    """

    #: Short name shown in checks and benchmark output.
    name = "base"
    #: What the engine can do natively; the contract tests read these.
    supports_text = True
    supports_prefix = True
    supports_geo = True
    supports_distance_sort = True
    supports_facets = True
    supports_highlight = True
    supports_atomic_rebuild = True

    def __init__(self, **options):
        self.options = options

    def _missing(self, method: str):
        return NotImplementedError(
            f"{type(self).__name__} must implement {method}() to be used as a directory "
            "search backend (see search.backends.base.BaseSearchBackend)."
        )

    def search(self, query: DirectoryQuery) -> SearchResults:
        """Run a query: hits for the requested page, the total, and facet counts if asked."""
        raise self._missing("search")

    def index_documents(self, documents: Iterable[dict]) -> int:
        """Add or replace documents (by their `id`) in the live index; return how many."""
        raise self._missing("index_documents")

    def delete_documents(self, ids: Iterable[int]) -> None:
        """Remove documents from the live index; unknown ids are ignored."""
        raise self._missing("delete_documents")

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        total: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Build a fresh index from `documents` and swap it in at once.

        Until the swap, searches keep using the old index; an interruption leaves it whole.
        """
        raise self._missing("rebuild")

    def check(self) -> list[str]:
        """Problems that stop the backend working (unreachable, misconfigured); [] if none."""
        return []

    def close(self) -> None:
        """Release files and connections (tests and reloads call this)."""
