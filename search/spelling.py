"""Close spellings: what a search's words were probably meant to be ("yogga" → "yoga").

The words to choose from are those of the activities a typo-tolerant search found (their
titles, summaries, organisations, venues and category names): a handful of hits, so a
correction costs microseconds and only ever offers words the directory really holds.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable

from . import fields
from .query import fuzzy_distance
from .results import SearchHit


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, change a letter, or swap two neighbours) from a to b; any
    number over `limit` is returned as limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return min(previous[-1], limit + 1)


def hit_words(hits: Iterable[SearchHit]) -> Counter:
    """The words of the hits, with how many hits hold each."""
    counts: Counter = Counter()
    for hit in hits:
        text = " ".join(
            (
                hit.title,
                hit.summary,
                hit.organisation,
                hit.venue,
                " ".join(slug.replace("-", " ") for slug in hit.categories),
            )
        )
        counts.update(set(fields.query_words(text)))
    return counts


@functools.lru_cache(maxsize=4)
def _by_length(words: frozenset[str]) -> dict[int, tuple[str, ...]]:
    """A fixed vocabulary (the concepts' words) by word length: a correction only ever
    compares words whose lengths differ by at most its edit distance."""
    lengths: dict[int, list[str]] = {}
    for word in sorted(words):
        lengths.setdefault(len(word), []).append(word)
    return {length: tuple(group) for length, group in lengths.items()}


def correct(
    text: str,
    hits: Iterable[SearchHit],
    *,
    known: Callable[[str], bool],
    also: frozenset[str] = frozenset(),
) -> str:
    """The words of `text` with each unknown one replaced by its closest spelling among the
    hits' words (within search.query.fuzzy_distance; the most common of equally close ones),
    or among `also` (the concepts' words, which name what the directory holds in other
    words; after the hits' words when as close); "" when no word changes. `known(word)` says
    whether the word finds anything as it is: such a word stays, even when the hits spell it
    otherwise ("walks" for "walking")."""
    counts = hit_words(hits)
    also_by_length = _by_length(also)
    words = fields.query_words(text)
    changed = False
    corrected = []
    for word in words:
        limit = fuzzy_distance(word)
        if not limit or word in counts or word in also or known(word):
            corrected.append(word)
            continue
        best = None
        lengths = range(len(word) - limit, len(word) + limit + 1)
        letters = set(word)
        candidates = [w for w in counts if len(w) in lengths]
        candidates += [w for n in lengths for w in also_by_length.get(n, ())]
        for candidate in candidates:
            # An edit adds or removes at most one letter of each kind (a swap none): words
            # with more letters apart than twice the limit are never close. Cheap, and it
            # leaves few for the exact count.
            if len(letters.symmetric_difference(candidate)) > 2 * limit:
                continue
            distance = edit_distance(word, candidate, limit)
            if distance <= limit:
                rank = (distance, -counts.get(candidate, 0), candidate)
                if best is None or rank < best:
                    best = rank
        if best is None:
            corrected.append(word)
        else:
            corrected.append(best[2])
            changed = True
    return " ".join(corrected) if changed else ""
