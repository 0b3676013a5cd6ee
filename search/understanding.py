"""Reading people's words: a postcode, "free", "today", "tonight", "this weekend" and day names
typed into "What" become the search's place and filters; a category or audience named in the
words is offered as a filter.

`understand(params)` returns the search to run (the words left, the place and filters added),
what was understood (each with a plain label and the query string of the search without it)
and the filters offered. The search page applies it always, the API when asked
(`understand=true`).

Rules:
- A parameter the person set wins over the words: with `near` given, a postcode in the words is
  left in the words; with `day` given, day words are; and so on. When the parameter already says
  what the words say ("free" with free=true), the words are simply taken out.
- The words that were read are taken out of the search, with the small words that tie them to
  the rest ("near SW18", "on Tuesday"). Words like "activities" or "things to do" are dropped
  too once something was read, since they then say nothing more.
- Place names ("yoga in Putney") are left to the words: the offline geocoder knows postcodes and
  outward codes only, and the repository holds no gazetteer of neighbourhood names (the demo's
  list is the demo's, not the deployment's).
- Words with control characters, or more than the query model takes, are not read at all: the
  query model refuses them with its own message.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone

from assets_directory.geocoding import GeocodingError, geocode, normalise_postcode
from assets_directory.geocoding.exceptions import InvalidPostcode
from assets_directory.models import Category
from common.text import has_control_character
from common.vocabulary import AUDIENCE_LABELS, DAY_NAMES, WEEKDAY_SLUGS

from .params import page_search_params

# The words "free" means something else beside ("step free", "gluten free", "free time").
NOT_COST_BEFORE = frozenset(
    [
        "step",
        "gluten",
        "alcohol",
        "sugar",
        "dairy",
        "smoke",
        "drug",
        "nut",
        "meat",
        "lactose",
        "scent",
        "hands",
        "stress",
        "pain",
        "debt",
        "toll",
        "fee",
        "fat",
    ]
)
NOT_COST_AFTER = frozenset(["time", "running", "flow", "standing", "weights", "style", "form"])
COST_PHRASES = (("free", "of", "charge"), ("for", "free"), ("at", "no", "cost"), ("no", "cost"),
                ("free",))  # fmt: skip
# Small words that tie a place or a time to the rest of the words.
PLACE_TIES = frozenset(["near", "in", "around", "at", "by", "nr"])
CONJUNCTIONS = frozenset(("or", "and", "&", "/"))
DAY_TIES = frozenset(["on", "every", "each"])
TIME_WORDS = {"morning": "morning", "afternoon": "afternoon", "evening": "evening",
              "night": "evening"}  # fmt: skip
# Said alone they ask for nothing in particular, once a place or a time says what is wanted.
FILLER_PHRASES = (("things", "to", "do"), ("what's", "on"), ("whats", "on"), ("near", "me"),
                  ("nearby",), ("activities",), ("activity",), ("events",), ("something",),
                  ("anything",), ("stuff",), ("happening",))  # fmt: skip
WEEKEND_PHRASES = (("this", "weekend"), ("at", "the", "weekend"), ("on", "the", "weekend"),
                   ("at", "weekends"), ("on", "weekends"), ("weekends",), ("weekend",))  # fmt: skip
# Words that name an audience (common.vocabulary.AUDIENCES); offered as a filter, never applied.
AUDIENCE_WORDS = {
    "older": ("older people", "older person", "elderly", "over 60s", "over-60s", "over 60",
              "over 50s", "over 65s", "pensioner", "pensioners", "seniors", "retired"),
    "carers": ("carer", "carers", "caring for"),
    "young_children": ("toddler", "toddlers", "baby", "babies", "mum and baby",
                       "parent and baby", "parents and babies", "under 5s", "under fives"),
    "young": ("teenager", "teenagers", "teens", "young people", "youth", "young person"),
    "women": ("women", "woman", "ladies", "women's"),
    "men": ("men", "men's", "mens", "man"),
    "lgbtq": ("lgbt", "lgbtq", "lgbtq+", "lgbt+", "gay", "lesbian", "queer", "trans"),
}  # fmt: skip
MAX_CATEGORY_OFFERS = 2
# What the query model takes (search.query.DirectoryQuery refuses more, with its message).
MAX_TEXT_LENGTH = 200
PUNCTUATION = '.,;:!?"()[]{}<>'
# Parameters that say when; a time word conflicts with any of them.
TIME_PARAMETERS = ("time_of_day", "time_from", "time_to", "open_now")


@dataclass(frozen=True)
class Understood:
    """One thing read from the words: `parameters` is what it adds to the search."""

    kind: str  # "place", "cost" or "when"
    label: str
    words: str
    parameters: dict[str, tuple[str, ...]]
    # The query string of the same search without it (the words it came from taken out).
    remove_query: str = ""


@dataclass(frozen=True)
class Offer:
    """A filter the words name, offered rather than applied ("Show only Walking")."""

    kind: str  # "category" or "audience"
    label: str
    parameter: str
    value: str
    query: str


@dataclass
class Understanding:
    params: QueryDict
    words: str
    understood: tuple[Understood, ...] = ()
    offers: tuple[Offer, ...] = ()
    typed_words: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.understood) or self.words != self.typed_words


@dataclass
class _Token:
    text: str
    key: str
    used: bool = False


@dataclass
class _Reading:
    kind: str
    label: str
    spans: list[int]
    parameters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words that go with it when it is removed, though read with another ("Monday or").
    ties: list[int] = field(default_factory=list)


def _key(word: str) -> str:
    return word.strip(PUNCTUATION).casefold().replace("\u2019", "'")


def _tokens(text: str) -> list[_Token]:
    tokens = [_Token(word, _key(word)) for word in text.split()]
    return [t for t in tokens if t.key or t.text]


def _match(tokens: list[_Token], start: int, phrase: Sequence[str]) -> bool:
    end = start + len(phrase)
    if end > len(tokens):
        return False
    return all(
        not tokens[start + i].used and tokens[start + i].key == word
        for i, word in enumerate(phrase)
    )


def _explicit(params: QueryDict, name: str) -> list[str]:
    return [v.strip() for v in params.getlist(name) if v.strip()]


# Place ----------------------------------------------------------------------------------------


def _postcode_at(tokens: list[_Token], i: int) -> tuple[str, int] | None:
    """The postcode or outward code starting at token i, and how many tokens it takes."""
    for width in (2, 1):
        if i + width > len(tokens) or any(t.used for t in tokens[i : i + width]):
            continue
        text = " ".join(t.key for t in tokens[i : i + width])
        if not any(c.isdigit() for c in text):
            continue
        try:
            outcode, full = normalise_postcode(text)
        except InvalidPostcode:
            continue
        if width == 2 and full is None:
            continue
        return full or outcode, width
    return None


def _read_place(tokens: list[_Token], params: QueryDict) -> _Reading | None:
    for i in range(len(tokens)):
        found = _postcode_at(tokens, i)
        if found is None:
            continue
        postcode, width = found
        try:
            geocode(postcode)
        except GeocodingError:
            # Not a place the geocoder knows ("U3A" looks like an outward code): words.
            continue
        spans = list(range(i, i + width))
        if i > 0 and not tokens[i - 1].used and tokens[i - 1].key in PLACE_TIES:
            spans.insert(0, i - 1)
        if explicit_place(params):
            # The place given wins; the same place in the words is said twice.
            if _same_place(params, postcode):
                return _Reading("place", "", spans, {})
            return None
        return _Reading("place", f"Place: {postcode}", spans, {"near": (postcode,)})
    return None


def explicit_place(params: QueryDict) -> bool:
    return bool(params.get("near", "").strip() or params.get("near_point", "").strip())


def _same_place(params: QueryDict, postcode: str) -> bool:
    try:
        return postcode in normalise_postcode(params.get("near", ""))
    except InvalidPostcode:
        return False


# Cost -----------------------------------------------------------------------------------------


def _read_cost(tokens: list[_Token]) -> _Reading | None:
    for i in range(len(tokens)):
        for phrase in COST_PHRASES:
            if not _match(tokens, i, phrase):
                continue
            if phrase == ("free",):
                before = tokens[i - 1].key if i > 0 else ""
                after = tokens[i + 1].key if i + 1 < len(tokens) else ""
                if before in NOT_COST_BEFORE or after in NOT_COST_AFTER:
                    continue
            return _Reading("cost", "Free only", list(range(i, i + len(phrase))), {"free": ("1",)})
    return None


# When -----------------------------------------------------------------------------------------


def _day_word(key: str) -> int | None:
    for index, name in enumerate(DAY_NAMES):
        if key in (name.casefold(), f"{name.casefold()}s"):
            return index
    return None


def _time_word(key: str) -> str | None:
    return TIME_WORDS.get(key.removesuffix("s"))


def _when(label: str, spans: list[int], days: Iterable[int], time: str | None) -> _Reading:
    parameters = {"day": tuple(WEEKDAY_SLUGS[d] for d in days)}
    if time:
        parameters["time_of_day"] = (time,)
    return _Reading("when", label, spans, parameters)


def _read_when(tokens: list[_Token], today: int) -> list[_Reading]:
    readings = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.used:
            i += 1
            continue
        reading = None
        weekend = next((p for p in WEEKEND_PHRASES if _match(tokens, i, p)), None)
        if weekend:
            reading = _when("Saturday and Sunday", list(range(i, i + len(weekend))), (5, 6), None)
        elif token.key in ("today", "tomorrow"):
            day = today if token.key == "today" else (today + 1) % 7
            reading = _when(f"{token.key.capitalize()} ({DAY_NAMES[day]})", [i], (day,), None)
        elif token.key == "tonight" or (
            token.key == "this" and i + 1 < len(tokens) and _time_word(tokens[i + 1].key)
        ):
            width = 1 if token.key == "tonight" else 2
            time = "evening" if width == 1 else _time_word(tokens[i + 1].key)
            name = "Tonight" if width == 1 else f"This {time}"
            reading = _when(
                f"{name} ({DAY_NAMES[today]} {time})", list(range(i, i + width)), (today,), time
            )
        elif (day := _day_word(token.key)) is not None:
            spans = [i]
            time = None
            if i + 1 < len(tokens) and (time := _time_word(tokens[i + 1].key)):
                spans.append(i + 1)
            label = DAY_NAMES[day] + (f" {time}" if time else "")
            reading = _when(label, spans, (day,), time)
        if reading is None:
            i += 1
            continue
        first = reading.spans[0]
        if first > 0 and not tokens[first - 1].used and tokens[first - 1].key in DAY_TIES:
            reading.spans.insert(0, first - 1)
        # "Monday or Tuesday": the "or" goes with the second.
        if (
            readings
            and first > 1
            and tokens[first - 1].key in CONJUNCTIONS
            and readings[-1].spans[-1] == first - 2
        ):
            reading.spans.insert(0, first - 1)
            readings[-1].ties.append(first - 1)
        for span in reading.spans:
            tokens[span].used = True
        readings.append(reading)
        i = reading.spans[-1] + 1
    return readings


# Offers ---------------------------------------------------------------------------------------


def _stem(key: str) -> str:
    key = key.replace("'", "")
    return key[:-1] if len(key) > 3 and key.endswith("s") else key


def _phrase_in(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def _name_parts(name: str) -> list[list[str]]:
    """A category's name and its parts ("Yoga and tai chi": "yoga", "tai chi")."""
    parts = [name, *re.split(r",| and | & ", name)]
    stems = []
    for part in parts:
        words = [_stem(_key(w)) for w in part.split() if _key(w)]
        if words and (len(words) > 1 or len(words[0]) >= 3) and words not in stems:
            stems.append(words)
    return stems


def category_choices() -> list[tuple[str, str, bool]]:
    """(slug, name, is a sub-category) for every category."""
    return [
        (slug, name, parent is not None)
        for slug, name, parent in Category.objects.values_list("slug", "name", "parent_id")
    ]


def categories_named(
    words: str, categories: Iterable[tuple[str, str, bool]]
) -> list[tuple[str, str]]:
    """The categories the words name, (slug, name), the most specific first."""
    stems = [_stem(_key(w)) for w in words.split() if _key(w)]
    found = []
    for slug, name, is_child in categories:
        longest = max((len(p) for p in _name_parts(name) if _phrase_in(stems, p)), default=0)
        if longest:
            found.append((-longest, not is_child, slug, name))
    found.sort()
    return [(slug, name) for _, _, slug, name in found]


def _audiences_named(words: str) -> list[str]:
    keys = [_key(w) for w in words.split() if _key(w)]
    text = f" {' '.join(keys)} "
    return [slug for slug, phrases in AUDIENCE_WORDS.items() if any(
        f" {phrase} " in text for phrase in phrases
    )]  # fmt: skip


# The whole ------------------------------------------------------------------------------------


def _query(params: QueryDict, **changes) -> str:
    data = params.copy()
    data.pop("page", None)
    for name, values in changes.items():
        if values is None:
            data.pop(name, None)
        else:
            data.setlist(name, list(values))
    return data.urlencode()


def _agrees(params: QueryDict, reading: _Reading) -> bool | None:
    """None when the parameters say nothing of it; else whether they say the same."""
    names = set(reading.parameters)
    if reading.kind == "when":
        names |= set(TIME_PARAMETERS) if "time_of_day" in names else set()
    given = {name: _explicit(params, name) for name in names}
    if not any(given.values()):
        return None
    for name, values in reading.parameters.items():
        if name == "near":
            continue
        if name == "free":
            if not given[name] or given[name][-1].lower() not in ("1", "true", "on", "yes"):
                return False
            continue
        if not set(values) <= {v for g in given.get(name, []) for v in g.split(",")}:
            return False
    return True


def understand(
    params: QueryDict,
    *,
    now: datetime.datetime | None = None,
    categories: Iterable[tuple[str, str, bool]] | None = None,
) -> Understanding:
    """Read the words of `params` (see the module's docstring); never raises for any words."""
    typed = params.get("q", "")
    words = typed.strip()
    if not words or len(words) > MAX_TEXT_LENGTH or has_control_character(typed):
        return Understanding(params=params, words=words, typed_words=words)
    tokens = _tokens(words)
    today = timezone.localtime(now or timezone.now()).weekday()

    readings: list[_Reading] = []
    place = _read_place(tokens, params)
    if place:
        readings.append(place)
        for span in place.spans:
            tokens[span].used = True
    cost = _read_cost(tokens)
    if cost:
        readings.append(cost)
        for span in cost.spans:
            tokens[span].used = True
    readings.extend(_read_when(tokens, today))

    applied: list[_Reading] = []
    taken_time: str | None = None
    for reading in readings:
        agrees = True if reading.kind == "place" and not reading.label else _agrees(params, reading)
        time = reading.parameters.get("time_of_day", (None,))[0]
        if agrees is False or (time and taken_time and time != taken_time):
            for span in reading.spans:
                tokens[span].used = False
            continue
        taken_time = taken_time or time
        if agrees is None:
            applied.append(reading)
    if any(t.used for t in tokens):
        for i in range(len(tokens)):
            phrase = next((p for p in FILLER_PHRASES if _match(tokens, i, p)), None)
            for j in range(i, i + len(phrase or ())):
                tokens[j].used = True
    left = " ".join(t.text for t in tokens if not t.used)

    search = params.copy()
    search["q"] = left
    for reading in applied:
        for name, values in reading.parameters.items():
            merged = list(dict.fromkeys([*_explicit(search, name), *values]))
            search.setlist(name, merged)
    understood = tuple(
        Understood(
            kind=reading.kind,
            label=reading.label,
            words=" ".join(tokens[i].text for i in reading.spans),
            parameters=dict(reading.parameters),
            remove_query=_query(params, q=[_without_spans(tokens, reading)]),
        )
        for reading in applied
    )
    offers = _offers(params, left, categories)
    return Understanding(
        params=search,
        words=left,
        understood=understood,
        offers=tuple(offers),
        typed_words=words,
    )


def _without_spans(tokens: list[_Token], reading: _Reading) -> str:
    """The words as typed, less those this reading was read from (and an "or" left hanging)."""
    gone = {*reading.spans, *reading.ties}
    kept = [t for i, t in enumerate(tokens) if i not in gone]
    while kept and kept[0].key in CONJUNCTIONS:
        kept.pop(0)
    while kept and kept[-1].key in CONJUNCTIONS:
        kept.pop()
    return " ".join(t.text for t in kept)


def _offers(params, words, categories) -> list[Offer]:
    offers = []
    if not words:
        return offers
    if not _explicit(params, "category"):
        choices = category_choices() if categories is None else categories
        for slug, name in categories_named(words, choices)[:MAX_CATEGORY_OFFERS]:
            offers.append(
                Offer("category", f"Show only {name}", "category", slug,
                      _query(params, category=[slug]))
            )  # fmt: skip
    if not _explicit(params, "audience"):
        for slug in _audiences_named(words):
            offers.append(
                Offer("audience", f"Show only: {AUDIENCE_LABELS[slug]}", "audience", slug,
                      _query(params, audience=[slug]))
            )  # fmt: skip
    return offers


def understood_page_params(
    params: QueryDict, *, now: datetime.datetime | None = None
) -> tuple[QueryDict, Understanding]:
    """The search page's search: the words read (unless understand=false), then the page's
    defaults (search.params.page_search_params) on the result. The benchmark of relevance
    searches through this too, so it measures what the page does."""
    if params.get("understand", "").strip().lower() in ("0", "false", "off", "no"):
        return page_search_params(params), Understanding(params=params, words=params.get("q", ""))
    understanding = understand(params, now=now)
    return page_search_params(understanding.params), understanding
