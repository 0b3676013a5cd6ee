from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..query import DirectoryQuery
from ..results import SearchResults

ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True, eq=False)
class EngineCall:
    """One call a backend made to its engine while traced (`BaseSearchBackend.trace`).

    `name` says which call it was, in the engine's words ("search", "aggregate", "doc", ...);
    `function` is the engine's own function, bound to the object it was called on (a searcher,
    a client), and `args` and `kwargs` are the very objects it was given, queries already
    built. `replay()` makes the same call again with nothing of the backend in between: what
    the engine alone costs. A replay reads and never writes, so it may be made any number of
    times; its answer is the engine's raw one.
    """

    name: str
    function: Callable
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)

    def replay(self):
        return self.function(*self.args, **self.kwargs)


TraceCallback = Callable[[EngineCall], None]

# The traces open in this thread (context): (backend, callback) pairs, innermost last. A
# context variable, so a trace sees only the calls made for the code inside its block, not
# those of other threads sharing the backend.
_TRACES: contextvars.ContextVar[tuple[tuple[BaseSearchBackend, TraceCallback], ...]] = (
    contextvars.ContextVar("search_backend_traces", default=())
)


class SearchBackendError(RuntimeError):
    """The engine could not be reached or refused a request; the message says which."""


class BaseSearchBackend:
    """What every directory search backend provides.

    Documents are the flat dicts made by `search.documents.build_documents`. A backend does
    all filtering, scoring, sorting, paging and facet counting in its engine; callers only ever
    pass a validated `DirectoryQuery`. Every backend gives the same answers (the contract tests
    in tests/search/contract.py hold them to it):

    - text: English stemming over the fields `search.fields` declares searched by words (title,
      summary, category_names, tags, body, organisation, venue), each with its declared
      weight (title most); every word (`search.fields.query_words`) must match (AND).
      `prefix=True` treats the last word as a prefix ("sing" finds "singing", "sin" too) for
      type-ahead. Empty text matches all.
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
    - access: every slug listed must be in `access` (all). delivery, audience: any of.
    - age: age_min <= age <= age_max.
    - sort: relevance (score; equal scores in any stable order), distance (nearest first, ties
      by id; documents without a point after those with, in id order), checked (last_reviewed
      newest first, then id), title (A to Z by `search.query.title_key`: case, accents and
      spacing aside, then id).
    - hits carry distance_m whenever `near` is given and the document has a point.
    - facets: for each facet asked for, counts over all matching documents (not just the page)
      of each value of that field: categories, days, cost, access, delivery, audience.

    Capability flags, read from the class (the contract tests in tests/search/contract.py
    hold every backend to what its flags claim):

    - What `search` does natively: supports_text, supports_prefix, supports_geo,
      supports_distance_sort, supports_facets, supports_highlight, and supports_atomic_rebuild
      for `rebuild`. True here; a backend that lacks one sets it to False.
    - Optional methods, False here: a backend that implements the method sets its flag to
      True. Callers check the flag first (search's selectors do, so the rest of the project
      never needs to know which backend runs); without it the method raises
      NotImplementedError naming the flag.
      supports_title_suggestions: `suggest_titles`. supports_title_word_suggestions:
      `suggest_title_words`. supports_trace: `trace`.
    - Optional query features, False here: a backend that answers them sets its flag.
      Callers leave the feature out of a query for a backend without it (search's params and
      selectors do).
      supports_expansions: `DirectoryQuery.expansions` (concepts): a document matches the
      words, or any expanded category, access feature, audience or phrase; the expanded
      matches score below a match on the words themselves.
      supports_fuzzy: `DirectoryQuery.fuzzy` (close spellings): each word matches as it does,
      or any word as written within `search.query.fuzzy_distance` edits of it (a swap of two
      neighbouring letters is one edit).
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
    #: Optional methods this backend implements (see above).
    supports_title_suggestions = False
    supports_title_word_suggestions = False
    supports_trace = False
    #: Optional query features this backend answers (see above).
    supports_expansions = False
    supports_fuzzy = False

    def __init__(self, **options):
        self.options = options

    def _missing(self, method: str):
        return NotImplementedError(
            f"{type(self).__name__} must implement {method}() to be used as a directory "
            "search backend (see search.backends.base.BaseSearchBackend)."
        )

    def _unsupported(self, method: str, flag: str):
        return NotImplementedError(
            f"{type(self).__name__} does not implement {method}() ({flag} is False); "
            f"check {flag} first."
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

    def suggest_titles(self, prefix: str, *, size: int = 8) -> list[str]:
        """At most `size` titles of running activities that begin with `prefix` (case aside),
        each once, for type-ahead menus; [] for a blank prefix.

        Optional: only when supports_title_suggestions (callers use
        `search.selectors.title_suggestions`, which checks it).
        """
        raise self._unsupported("suggest_titles", "supports_title_suggestions")

    def suggest_title_words(self, prefix: str, *, size: int = 8) -> list[str]:
        """At most `size` titles of running activities in which a word other than the first
        begins `prefix` (case and accents aside: "choir" finds "Gospel choir", "comm" finds
        "Wandsworth Community Choir"), each once, A to Z; never one that begins with `prefix`
        (`suggest_titles` has those); [] for a blank prefix. Words are what the title holds
        between spaces.

        Optional: only when supports_title_word_suggestions (callers use
        `search.selectors.title_word_suggestions`, which checks it).
        """
        raise self._unsupported("suggest_title_words", "supports_title_word_suggestions")

    @contextlib.contextmanager
    def trace(self, callback: TraceCallback) -> Iterator[None]:
        """Report to `callback`, as it is made, every call this backend makes to its engine
        to answer reads (`search`, `suggest_titles`, `suggest_title_words`) in this thread
        until the block ends.

        Each report is an `EngineCall` that can be replayed bare, as the benchmark's "floor"
        does. Writes (indexing, deleting, rebuilding) and opening or reloading the index are
        not reported: a replay must never change the index. Traces nest, and each sees only
        this backend's calls. Optional: only when supports_trace.

            calls = []
            with backend.trace(calls.append):
                backend.search(query)
            floor = [call.replay for call in calls]
        """
        if not type(self).supports_trace:
            raise self._unsupported("trace", "supports_trace")
        token = _TRACES.set((*_TRACES.get(), (self, callback)))
        try:
            yield
        finally:
            _TRACES.reset(token)

    def _engine_call(self, name: str, function: Callable, /, *args, **kwargs):
        """`function(*args, **kwargs)`: one read from the engine, reported to this backend's
        traces first (see `trace`). Backends that support tracing make every engine call that
        a read needs through this."""
        traces = _TRACES.get()
        if traces:
            call = EngineCall(name, function, args, kwargs)
            for backend, callback in traces:
                if backend is self:
                    callback(call)
        return function(*args, **kwargs)

    def check(self) -> list[str]:
        """Problems that stop the backend working (unreachable, misconfigured); [] if none."""
        return []

    def close(self) -> None:
        """Release files and connections (tests and reloads call this)."""
