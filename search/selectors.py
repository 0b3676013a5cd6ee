"""Reads from the search index: the one way the rest of the project searches the directory."""

from __future__ import annotations

from django.utils import timezone

from assets_directory import scheduling
from assets_directory.selectors import holiday_ranges

from .backends import get_backend
from .query import DirectoryQuery
from .results import SearchResults


def search_directory(query: DirectoryQuery) -> SearchResults:
    """Run a validated query, then add each hit's next session (presentation only)."""
    results = get_backend().search(query)
    now = timezone.now()
    holidays = holiday_ranges() if results.hits else ()
    for hit in results.hits:
        rules = []
        for data in hit.schedule:
            try:
                rules.append(scheduling.from_hsds(data))
            except ValueError:
                continue
        upcoming = scheduling.next_occurrences(rules, after=now, count=1, holidays=holidays)
        hit.next_session = upcoming[0].start if upcoming else None
    return results
