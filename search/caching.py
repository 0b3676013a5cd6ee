"""The small in-process caches of search (decoded hits, parsed queries, next sessions)."""

from __future__ import annotations

from typing import TypeVar

V = TypeVar("V")


def remember(cache: dict, key, value: V, *, limit: int) -> V:
    """Keep value under key and return it; a cache holding `limit` entries is emptied first.

    Emptying at once, rather than evicting the least used, keeps lookups a plain dict read
    with no bookkeeping; what is still in use comes back on its next use.
    """
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value
