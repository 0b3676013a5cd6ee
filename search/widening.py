"""Wider searches for a search that found nothing, each with how many it would find.

Offered: a wider distance, then any distance; the same search without each filter in turn
(and without the words); the category above the one asked for and its other sub-categories;
and the categories the words name, searched instead of the words. Each is counted with a
one-result search without facets, at most MAX_SEARCHES of them (the sub-categories share one,
from its facet counts); those that would find nothing too are dropped, and the rest come most
results first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from assets_directory.models import Category

from .backends import SearchBackendError
from .params import parse_search_params
from .query import QueryError
from .selectors import search_directory
from .understanding import categories_named, category_choices

MAX_SEARCHES = 6
RADII_KM = (1, 2, 5, 10, 20, 50)
MAX_SIBLINGS = 2
# The filters a person can drop, and how the offer names each.
FILTERS = (
    ("day", "the days"), ("time_of_day", "the time of day"), ("open_now", "happening now"),
    ("free", "free only"), ("max_cost", "the cost limit"), ("category", "the category"),
    ("access", "the access needs"), ("delivery", "how it is delivered"),
    ("audience", "who it is for"), ("age", "the age"), ("time_from", "the start time"),
    ("time_to", "the end time"), ("q", "the search words"),
)  # fmt: skip


@dataclass(frozen=True)
class WiderSearch:
    label: str
    query: str
    count: int


def _query(params: QueryDict, **changes) -> QueryDict:
    data = params.copy()
    for name in ("page", "facets"):
        data.pop(name, None)
    for name, values in changes.items():
        if values is None:
            data.pop(name, None)
        else:
            data.setlist(name, list(values))
    return data


def _given(params: QueryDict, name: str) -> bool:
    return any(v.strip() for v in params.getlist(name))


class _Counter:
    """Counts what a search would find, at most `budget` times."""

    def __init__(self, budget: int):
        self.budget = budget

    def count(self, params: QueryDict, facets: tuple[str, ...] = ()):
        if self.budget <= 0:
            return None
        self.budget -= 1
        data = params.copy()
        data["page"] = "1"
        data["page_size"] = "1"
        data.setlist("facets", list(facets))
        try:
            results = search_directory(parse_search_params(data).query)
        except (QueryError, SearchBackendError):
            return None
        return results


def wider_searches(params: QueryDict, parsed, *, limit: int = MAX_SEARCHES) -> list[WiderSearch]:
    """Wider searches than `params` (which found nothing), with their counts."""
    query = parsed.query
    counter = _Counter(limit)
    found: list[WiderSearch] = []

    def offer(label: str, data: QueryDict) -> WiderSearch | None:
        results = counter.count(data)
        if results is not None and results.total:
            found.append(WiderSearch(label, data.urlencode(), results.total))
            return found[-1]
        return None

    nearer = None
    if query.radius_m:
        wider = next((r for r in RADII_KM if r * 1000 > query.radius_m), None)
        if wider is not None:
            nearer = offer(f"Search within {wider} km", _query(params, radius_km=[f"{wider:g}"]))
    for name, label in FILTERS:
        if _given(params, name):
            offer(f"Remove {label}", _query(params, **{name: None}))
    _related_categories(params, query, counter, found)
    if query.radius_m:
        anywhere = offer("Search at any distance", _query(params, radius_km=[""]))
        if anywhere and nearer and anywhere.count == nearer.count:
            # As many as the nearer widening finds: the nearer one is the better offer.
            found.remove(anywhere)
    # The most results first; among equals, the order offered (the nearest widening first).
    return sorted(found, key=lambda s: -s.count)


def _related_categories(params, query, counter, found) -> None:
    if query.categories:
        for category in Category.objects.filter(slug__in=query.categories[:1]).select_related(
            "parent"
        ):
            parent = category.parent
            if parent is None:
                # A top category's neighbours are unrelated; dropping it is offered already.
                continue
            results = counter.count(_query(params, category=[parent.slug]), ("categories",))
            if results is None:
                continue
            counts = results.facets.get("categories", {})
            if results.total:
                found.append(
                    WiderSearch(
                        f"Any of {parent.name}",
                        _query(params, category=[parent.slug]).urlencode(),
                        results.total,
                    )
                )
            siblings = [
                c
                for c in parent.children.exclude(pk=category.pk)
                if counts.get(c.slug, 0) > 0 and c.slug not in query.categories
            ]
            siblings.sort(key=lambda c: -counts[c.slug])
            for sibling in siblings[:MAX_SIBLINGS]:
                found.append(
                    WiderSearch(
                        f"Try {sibling.name}",
                        _query(params, category=[sibling.slug]).urlencode(),
                        counts[sibling.slug],
                    )
                )
    elif query.text:
        for slug, name in categories_named(query.text, category_choices())[:MAX_SIBLINGS]:
            data = _query(params, category=[slug], q=None)
            results = counter.count(data)
            if results is not None and results.total:
                found.append(
                    WiderSearch(f"Everything in {name}, whatever the words", data.urlencode(),
                                results.total)
                )  # fmt: skip
