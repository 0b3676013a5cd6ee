"""Type-ahead for the "What" box: a few suggestions for what someone has typed so far.

Suggestions come from a short list of providers (`PROVIDERS`), each answering for one kind:

- "category": directory categories whose name, or a word of it, begins with the text (held in
  memory: a few hundred names at most);
- "title": titles of running activities beginning with the text, then, for three letters or
  more, those with a later word beginning with it (the search backend's term dictionaries:
  `search.selectors.title_suggestions` and `title_word_suggestions`);
- "concept": the everyday phrases of the concept vocabulary (search.concepts: "lonely",
  "on my own") that begin with the text, or have a later word that does; searching one finds
  what it means.

Every call must stay cheap: the whole answer has 20 ms at the 95th percentile at 100,000
activities (bench/search_bench.py measures it), so no provider reads the database per call.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Protocol

from assets_directory.models import Category

from .concepts import phrases_starting
from .query import fold_title
from .selectors import title_suggestions, title_word_suggestions

MAX_SUGGESTIONS = 8
# Longer text is not being typed into a search box: the API refuses it.
MAX_TEXT = 100
KINDS = ("category", "concept", "title")


@dataclass(frozen=True)
class Suggestion:
    kind: str
    text: str
    # The category's slug, so that choosing it can set the category filter.
    slug: str | None = None

    def as_json(self) -> dict:
        data = {"kind": self.kind, "text": self.text}
        if self.slug is not None:
            data["slug"] = self.slug
        return data


class SuggestionProvider(Protocol):
    #: What the suggestions are ("category", "concept", "title": see KINDS).
    kind: str
    #: How many of the answer's places this provider is sure of when others have suggestions
    #: too; places the others leave empty are filled from every provider in turn.
    share: int

    def suggest(self, text: str, size: int) -> list[Suggestion]:
        """At most `size` suggestions for `text` (folded: see `search.query.fold_title`),
        best first."""
        ...


def _word_start(folded_name: str, text: str) -> int | None:
    """0 when the name begins with the text, 1 when a later word does, else None."""
    if folded_name.startswith(text):
        return 0
    if f" {text}" in folded_name:
        return 1
    return None


class CategorySuggestions:
    """Categories by name, from a copy in memory.

    The copy is dropped whenever a category is saved or deleted in this process, and is never
    kept longer than CACHE_SECONDS, so the other server processes see a change within that.
    """

    kind = "category"
    share = 3
    CACHE_SECONDS = 300

    def __init__(self):
        self._lock = threading.Lock()
        self._names: list[tuple[str, str, str]] | None = None
        self._loaded_at = 0.0

    def invalidate(self) -> None:
        with self._lock:
            self._names = None

    def _all(self) -> list[tuple[str, str, str]]:
        names = self._names
        if names is None or time.monotonic() - self._loaded_at > self.CACHE_SECONDS:
            with self._lock:
                rows = Category.objects.order_by("name").values_list("name", "slug")
                names = [(fold_title(name), name, slug) for name, slug in rows]
                self._names = names
                self._loaded_at = time.monotonic()
        return names

    def suggest(self, text: str, size: int) -> list[Suggestion]:
        ranked = []
        for folded, name, slug in self._all():
            rank = _word_start(folded, text)
            if rank is not None:
                ranked.append((rank, folded, name, slug))
        ranked.sort()
        return [Suggestion(self.kind, name, slug) for _, _, name, slug in ranked[:size]]


class TitleSuggestions:
    """Titles of running activities: first those beginning with the text, then (for three
    letters or more) those with a later word beginning with it. Both from the search index's
    term dictionaries (search.selectors), never the database."""

    kind = "title"
    share = MAX_SUGGESTIONS
    # Fewer letters than this begin a word in too many titles to be of use.
    WORD_START_MIN = 3

    def suggest(self, text: str, size: int) -> list[Suggestion]:
        titles = title_suggestions(text, size=size)
        if len(titles) < size and len(text) >= self.WORD_START_MIN:
            titles += title_word_suggestions(text, size=size - len(titles))
        return [Suggestion(self.kind, title) for title in titles]


class ConceptSuggestions:
    """Everyday phrases of the concept vocabulary, from the copy each process keeps.

    A phrase is left out when one of the categories it means is offered for the same text
    ("sin" offers "Choirs and singing", so not "singing" too): choosing the category finds
    the same activities, and says so more plainly."""

    kind = "concept"
    share = 2

    def __init__(self, categories: CategorySuggestions):
        self._categories = categories

    def suggest(self, text: str, size: int) -> list[Suggestion]:
        offered = {s.slug for s in self._categories.suggest(text, MAX_SUGGESTIONS)}
        return [
            Suggestion(self.kind, phrase)
            for phrase, meaning in phrases_starting(text, size=size + len(offered))
            if not offered.intersection(meaning.categories)
        ][:size]


_categories = CategorySuggestions()
# In the order their suggestions are listed.
PROVIDERS: list[SuggestionProvider] = [
    _categories,
    ConceptSuggestions(_categories),
    TitleSuggestions(),
]


def suggest(text: str, *, size: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """At most `size` suggestions for what has been typed, each text once (case and accents
    aside), grouped by provider in PROVIDERS order. [] for blank text.

    Each provider is sure of its `share` of the places; places left over go to the providers'
    further suggestions, in order. Raises SearchBackendError when the engine cannot answer.
    """
    folded = fold_title(text)
    if not folded or size < 1:
        return []
    answers = [provider.suggest(folded, size) for provider in PROVIDERS]
    shares = [getattr(provider, "share", size) for provider in PROVIDERS]
    seen: set[str] = set()
    taken: list[list[Suggestion]] = [[] for _ in PROVIDERS]
    total = 0

    def take(index: int, limit: int) -> None:
        nonlocal total
        for suggestion in answers[index]:
            if total >= size or len(taken[index]) >= limit:
                return
            key = fold_title(suggestion.text)
            if key in seen:
                continue
            seen.add(key)
            taken[index].append(suggestion)
            total += 1

    for index, share in enumerate(shares):
        take(index, share)
    for index in range(len(PROVIDERS)):
        take(index, size)
    return [suggestion for group in taken for suggestion in group]


def forget_categories() -> None:
    """A category was saved or deleted (search.signals calls this)."""
    _categories.invalidate()
