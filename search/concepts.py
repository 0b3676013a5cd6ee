"""Concepts: the words people use for what the directory holds ("lonely" → befriending).

`expansions_for(text)` finds the concepts a search's words name and merges what they map to
into one `search.query.Expansions`, which the backends turn into their engine's query (the
words, or what the concepts expand to, ranked lower). The backends never read the database:
the vocabulary is read here, once, and kept in this process until a concept changes.

A phrase matches whole words anywhere in the text, case, accents and punctuation aside
("Feeling LONELY!" names "lonely"); where phrases overlap the longest wins ("art class" is
one concept, not "art" and "class"), so each word counts towards one concept at most.
"""

from __future__ import annotations

import threading
import time
import uuid

from django.core.cache import cache

from . import fields
from .models import Concept
from .query import Expansions, fold_title

# The vocabulary's version in the shared cache: a change in any process (the admin) bumps
# it, and every process reloads on its next search. A process finding none sets one.
VERSION_KEY = "search:concepts:version"
# The shared version is read at most this often (seconds): a read of a networked cache costs
# more than the whole of a search. A change made in this process is seen at once.
VERSION_CHECK_S = 1.0
# Phrases longer than this many words are never tried (none is anywhere near it).
MAX_PHRASE_WORDS = 8

_lock = threading.Lock()
# (version, {phrase words: Expansions}, longest phrase in words, every word of a phrase)
_loaded: tuple[str, dict[tuple[str, ...], Expansions], int, frozenset[str]] | None = None
# When this process last read the shared version (time.monotonic()).
_checked = 0.0


def phrase_words(text: str) -> tuple[str, ...]:
    """The words of a phrase or a search as concepts compare them: folded (case and accents
    aside), split at anything but letters and digits, apostrophes dropped ("men's" is "mens")."""
    folded = fold_title(text).replace("'", "").replace("\u2019", "")
    return tuple(fields.query_words(folded))


def invalidate() -> None:
    """A concept changed: this process reads the vocabulary again on its next search, every
    other one within VERSION_CHECK_S."""
    forget()
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def forget() -> None:
    """Drop this process's copy of the vocabulary (tests do, as their transactions roll
    back concepts without a signal)."""
    global _loaded
    _loaded = None


def _vocabulary() -> tuple[dict[tuple[str, ...], Expansions], int, frozenset[str]]:
    global _loaded, _checked
    loaded = _loaded
    now = time.monotonic()
    if loaded is not None and now - _checked < VERSION_CHECK_S:
        return loaded[1:]
    version = cache.get(VERSION_KEY)
    _checked = now
    if loaded is not None and version is not None and loaded[0] == version:
        return loaded[1:]
    with _lock:
        if version is None:
            version = uuid.uuid4().hex
            # add: another process may have set one meanwhile; theirs stands.
            cache.add(VERSION_KEY, version, timeout=None)
            version = cache.get(VERSION_KEY) or version
        table = _read()
        longest = max((len(words) for words in table), default=0)
        words = frozenset(word for phrase in table for word in phrase)
        _loaded = (version, table, longest, words)
        return table, longest, words


def _read() -> dict[tuple[str, ...], Expansions]:
    table: dict[tuple[str, ...], Expansions] = {}
    concepts = Concept.objects.prefetch_related("categories", "access")
    for concept in concepts:
        expansion = Expansions(
            categories=tuple(sorted(c.slug for c in concept.categories.all())),
            access=tuple(sorted(a.slug for a in concept.access.all())),
            audience=concept.audience_list(),
            words=tuple(concept.word_list()),
        )
        for phrase in concept.phrase_list():
            words = phrase_words(phrase)
            if words and len(words) <= MAX_PHRASE_WORDS:
                # A phrase in two concepts means both.
                table[words] = merge(table[words], expansion) if words in table else expansion
    return table


def merge(*expansions: Expansions) -> Expansions:
    """One Expansions holding every value of these, each once, in order."""

    def union(name: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for e in expansions for v in getattr(e, name)))

    return Expansions(
        categories=union("categories"),
        access=union("access"),
        audience=union("audience"),
        words=union("words"),
    )


def _named(words: tuple[str, ...]) -> tuple[list[Expansions], int]:
    """The concepts the words name, longest phrase first, and how many words they cover."""
    table, longest, _ = _vocabulary()
    found: list[Expansions] = []
    covered = 0
    i = 0
    while table and i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            expansion = table.get(words[i : i + n])
            if expansion is not None:
                found.append(expansion)
                covered += n
                i += n
                break
        else:
            i += 1
    return found, covered


def expansions_for(text: str) -> Expansions | None:
    """What the concepts named in `text` expand to, merged; None when it names none."""
    words = phrase_words(text)
    if not words:
        return None
    found, _ = _named(words)
    if not found:
        return None
    return merge(*found) or None


def understood(text: str) -> bool:
    """Whether every word of `text` is part of a concept's phrase ("feeling lonely" is not:
    "feeling" is nobody's)."""
    words = phrase_words(text)
    return bool(words) and _named(words)[1] == len(words)


def phrases_starting(text: str, *, size: int) -> list[tuple[str, Expansions]]:
    """Phrases people use (as the vocabulary holds them, folded) that begin with `text`, or
    with a later word beginning with it, shortest first, with what each means: type-ahead's
    everyday words. One phrase per meaning: "sing", "singing" and "singers" mean the same,
    and listing all three would crowd out the rest."""
    text = " ".join(phrase_words(text))
    if not text:
        return []
    table = _vocabulary()[0]
    found = []
    for words, expansion in table.items():
        phrase = " ".join(words)
        if phrase.startswith(text):
            found.append((0, len(phrase), phrase, expansion))
        elif f" {text}" in phrase:
            found.append((1, len(phrase), phrase, expansion))
    found.sort(key=lambda row: row[:3])
    chosen: list[tuple[str, Expansions]] = []
    meanings: set[Expansions] = set()
    for _, _, phrase, expansion in found:
        if len(chosen) >= size:
            break
        if expansion not in meanings:
            meanings.add(expansion)
            chosen.append((phrase, expansion))
    return chosen


def phrase_vocabulary() -> frozenset[str]:
    """Every word of every concept's phrases: words people use, for spelling corrections."""
    return _vocabulary()[2]
