"""Reads from the search index: the one way the rest of the project searches the directory;
and, at the end, the report of searches that found nothing (from the database).

Every read here raises `SearchBackendError` when the engine cannot answer; other apps catch it
from here, never from `search.backends`, which nothing outside `search/` reaches.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import connections
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from assets_directory import scheduling
from assets_directory.models import Activity, Category
from assets_directory.selectors import Listing, category_themes, holiday_ranges
from common.geo import haversine_m
from common.periods import ReportPeriod, bucket_of, last_months

from . import concepts, spelling
from .backends import SearchBackendError, get_backend
from .backends.base import BaseSearchBackend
from .caching import remember
from .documents import session_buckets
from .models import IndexJournal, SupplyEntry, ZeroResultSearch
from .query import BUCKETS_PER_DAY, MAX_RESULT_WINDOW, DirectoryQuery, Sort
from .results import SearchHit, SearchResults

__all__ = [
    "SearchBackendError",
    "add_next_sessions",
    "category_counts",
    "directory_listing",
    "search_directory",
    "title_suggestions",
    "title_word_suggestions",
    "zero_result_period",
    "zero_result_report",
]

logger = logging.getLogger(__name__)

Rules = tuple[scheduling.Recurrence, ...]
Holidays = tuple[tuple[datetime.date, datetime.date], ...]

# Next sessions already worked out, by (schedule key, or (schedule key, session filter), and
# holidays): (worked out after, next start).
# Sessions are fixed by the rules and holidays, so the first one after `now` is still the first
# one after any later moment before it starts: the entry holds until then, exactly.
_NEXT_SESSIONS: dict[tuple, tuple[datetime.datetime, datetime.datetime]] = {}
# Either cache is emptied when it reaches this many entries.
_CACHE_MAX = 4096
# Session patterns read from stored schedules, by schedule key (SearchHit.schedule_key).
_RULES: dict[bytes, Rules] = {}
# The same narrowed to a query's days and times, by (schedule key, DirectoryQuery.session_filter).
_FITTING: dict[tuple, Rules] = {}
# The quarter hours each session filter asks for.
_FILTER_BUCKETS: dict[tuple, frozenset[int]] = {}


# "Few results": when the words as typed find fewer than this, close spellings are tried.
FEW_RESULTS = 3
# The typo-tolerant hits whose words a correction is chosen from.
CORRECTION_HITS = 10


def search_directory(query: DirectoryQuery) -> SearchResults:
    """Run a validated query, then add each hit's next session (presentation only): the next
    one that fits the query's days and times, when it asks for some.

    When the words find few activities (fewer than FEW_RESULTS, by the words themselves: not
    counting what concepts add, unless concepts account for every word) and the backend
    answers close spellings, they are tried (`closer_spelling`): the results may then be
    those of corrected words, which `did_you_mean` names."""
    backend = get_backend()
    results = backend.search(query)
    if query.text and not (query.prefix or query.fuzzy) and backend.supports_fuzzy:
        by_words = results.total
        if by_words >= FEW_RESULTS and query.expansions and not concepts.understood(query.text):
            # "englsh class": "class" names a concept that finds twenty courses, but the
            # words as typed find nothing.
            alone = replace(query, expansions=None, page=1, page_size=1, facets=())
            by_words = backend.search(alone).total
        if by_words < FEW_RESULTS:
            results = closer_spelling(backend, query, results, by_words)
    if results.hits:
        measure_to_shown_points(results.hits, query=query)
        add_next_sessions(results.hits, now=timezone.now(), query=query)
    return results


def search_places(query: DirectoryQuery) -> SearchResults:
    """Run a validated query for where activities are (their points and organisations), as
    callers that place groups on a map need: no next sessions, no spelling suggestions."""
    results = get_backend().search(query)
    measure_to_shown_points(results.hits, query=query)
    return results


def measure_to_shown_points(hits: list[SearchHit], *, query: DirectoryQuery) -> None:
    """Measure each hit at a private venue from the point it shows (its outward code's
    centre), in place: the venue's own point finds it within a radius and orders it by
    distance, but a distance measured to it, from wherever one chose to search, would give it
    away."""
    if query.near is None:
        return
    for i, hit in enumerate(hits):
        # A hit with a distance but no point shown: a private venue whose outward code has
        # no known centre. It is measured from nowhere.
        if hit.distance_m is None or not (hit.approximate or hit.lat is None):
            continue
        distance = None
        if hit.lat is not None:
            distance = haversine_m(query.near.lat, query.near.lng, hit.lat, hit.lng)
        hits[i] = hit.copy(distance_m=distance)


def closer_spelling(
    backend: BaseSearchBackend, query: DirectoryQuery, results: SearchResults, by_words: int
) -> SearchResults:
    """Results for close spellings of the query's words when they find more than the words
    as typed (`by_words` activities, `results` with any concepts); `results` otherwise.

    A typo-tolerant search (DirectoryQuery.fuzzy) finds what the words may have meant; each
    word that finds nothing as it is is corrected to the closest of those hits' words or of
    the concepts' words (search.spelling: "englsh class" finds nothing even typo-tolerant,
    and "english" is a concept's word), and the corrected words are searched as words
    (ranked as any search is, concepts applied), with `did_you_mean` set to them. When no
    word can be corrected the typo-tolerant results themselves are given, if more."""
    probe = replace(
        query, fuzzy=True, expansions=None, page=1, page_size=CORRECTION_HITS, facets=()
    )
    found = backend.search(probe)

    def known(word: str) -> bool:
        alone = replace(query, text=word, expansions=None, page=1, page_size=1, facets=())
        return backend.search(alone).total > 0

    also = concepts.phrase_vocabulary() if backend.supports_expansions else frozenset()
    correction = spelling.correct(query.text, found.hits, known=known, also=also)
    if correction:
        expansions = concepts.expansions_for(correction) if backend.supports_expansions else None
        corrected = backend.search(replace(query, text=correction, expansions=expansions))
        if corrected.total:
            corrected.did_you_mean = correction
            return corrected
    if found.total <= by_words:
        return results
    widened = backend.search(replace(query, fuzzy=True))
    return widened if widened.total > results.total else results


def title_suggestions(prefix: str, *, size: int = 8) -> list[str]:
    """Titles of running activities that begin with `prefix`, for a type-ahead menu: at most
    `size`, each once. [] when the backend cannot suggest titles (its
    supports_title_suggestions is False): a caller then offers none, and never needs to know
    which backend runs."""
    backend = get_backend()
    if not backend.supports_title_suggestions:
        return []
    return backend.suggest_titles(prefix, size=size)


def title_word_suggestions(prefix: str, *, size: int = 8) -> list[str]:
    """Titles of running activities with a later word beginning with `prefix` (never one that
    begins with it), for a type-ahead menu after `title_suggestions`: at most `size`, each
    once. [] when the backend cannot (supports_title_word_suggestions is False)."""
    backend = get_backend()
    if not backend.supports_title_word_suggestions:
        return []
    return backend.suggest_title_words(prefix, size=size)


def category_counts() -> dict[str, int] | None:
    """How many activities the directory lists in each category, its descendants' included,
    by slug; or None when the search engine cannot answer. Listed means what
    `assets_directory.selectors.listed_activities` means: the index holds the live, public
    activities, and the count keeps those of Activity.LISTED_STATUSES.

    One aggregation in the engine: counting in the database joins every activity to its page
    and categories (about 0.4 s at 100,000 activities, on every home page).
    """
    query = DirectoryQuery(facets=("categories",), statuses=Activity.LISTED_STATUSES, page_size=1)
    try:
        results = get_backend().search(query)
    except SearchBackendError:
        logger.warning("Category counts fell back to the database", exc_info=True)
        return None
    return results.facets.get("categories", {})


def directory_listing(*, category: str | None, page: int, page_size: int) -> Listing | None:
    """A page of the activities the directory lists, A to Z, optionally in a category (and
    its descendants), from the index: the directory's listing hook (LISTING_HOOK). None when
    the engine cannot answer, and the directory lists from the database.

    Listed as the category counts count (`category_counts`), so a tile and its page agree.
    """
    deepest = max(1, MAX_RESULT_WINDOW // page_size)
    query = DirectoryQuery(
        categories=(category,) if category else (),
        statuses=Activity.LISTED_STATUSES,
        sort=Sort.TITLE,
        # Past the pages the engine can reach, the last of them: for the total.
        page=min(page, deepest),
        page_size=page_size,
    )
    try:
        results = get_backend().search(query)
    except SearchBackendError:
        logger.warning("The directory listing fell back to the database", exc_info=True)
        return None
    return Listing(
        ids=[hit.id for hit in results.hits] if page <= deepest else [],
        total=results.total,
        pageable=min(results.total, deepest * page_size),
    )


def add_next_sessions(
    hits: Sequence[SearchHit], *, now: datetime.datetime, query: DirectoryQuery | None = None
) -> None:
    """Set each hit's next session after `now`; with a query that asks for days or times, the
    next one that fits them (Tuesdays wanted: the Tuesday session, not Saturday's)."""
    key = query.session_filter if query is not None else None
    buckets = None
    if key is not None:
        buckets = _FILTER_BUCKETS.get(key)
        if buckets is None:
            wanted = frozenset(query.session_buckets())
            buckets = remember(_FILTER_BUCKETS, key, wanted, limit=_CACHE_MAX)
    rules = [_rules(hit, key, buckets) for hit in hits]
    # Holidays only ever skip term-time-only sessions: the database is asked only for those.
    term_time = any(rule.term_time_only for hit_rules in rules for rule in hit_rules)
    holidays = tuple(holiday_ranges()) if term_time else ()
    for hit, hit_rules in zip(hits, rules, strict=True):
        # Without a filter the schedule key alone, as it is the common case and the cheapest.
        cache_key = hit.schedule_key if key is None else (hit.schedule_key, key)
        hit.next_session = _next_session(cache_key, hit_rules, now, holidays)


def _rules(hit: SearchHit, key, buckets: frozenset[int] | None) -> Rules:
    """The session patterns of a hit's stored schedule (ones that cannot be read are left out),
    narrowed to the days that fit `buckets` when there are some."""
    if not hit.schedule:
        return ()
    rules = _RULES.get(hit.schedule_key)
    if rules is None:
        rules = remember(_RULES, hit.schedule_key, _read_rules(hit.schedule), limit=_CACHE_MAX)
    if buckets is None:
        return rules
    fitting = _FITTING.get((hit.schedule_key, key))
    if fitting is None:
        fitting = remember(
            _FITTING, (hit.schedule_key, key), _fitting(rules, buckets), limit=_CACHE_MAX
        )
    return fitting


def _fitting(rules: Rules, buckets: frozenset[int]) -> Rules:
    """The patterns' sessions that touch `buckets`, as search matched them: each pattern kept
    for the days on which it does (a Tuesday and Saturday pattern becomes a Tuesday one)."""
    fitting = []
    for rule in rules:
        touched = session_buckets(rule)[1] & buckets
        if not touched:
            continue
        days = tuple(sorted({bucket // BUCKETS_PER_DAY for bucket in touched}))
        if rule.frequency in (scheduling.WEEKLY, scheduling.FORTNIGHTLY) and days != rule.weekdays:
            # Fortnightly weeks are counted from the pattern's anchor, whatever its days.
            rule = replace(rule, weekdays=days)
        fitting.append(rule)
    return tuple(fitting)


def _read_rules(schedule: list[dict]) -> Rules:
    rules = []
    for data in schedule:
        try:
            rules.append(scheduling.from_hsds(data))
        except ValueError:
            continue
    return tuple(rules)


def _next_session(
    schedule_key: bytes | tuple, rules: Rules, now: datetime.datetime, holidays: Holidays
) -> datetime.datetime | None:
    if not rules:
        return None
    key = (schedule_key, holidays)
    known = _NEXT_SESSIONS.get(key)
    if known is not None and known[0] <= now < known[1]:
        return known[1]
    upcoming = scheduling.next_occurrences(rules, after=now, count=1, holidays=holidays)
    if not upcoming:
        return None
    start = upcoming[0].start
    remember(_NEXT_SESSIONS, key, (now, start), limit=_CACHE_MAX)
    return start


# Searches that found nothing, as a report --------------------------------------------------
# Read from the database (search.models.ZeroResultSearch), not the index: for moderators and
# commissioners, to see what people look for and do not find, where, and when.

# The words people type may hold a name or a phone number: a phrase is shown only when at least
# this many searches used it in what a table counts (the period, or one month or quarter of it).
MIN_WORD_SEARCHES = 3
# The phrases shown for each month or quarter of the trend.
TREND_TOP_WORDS = 3
OTHER_WORDS = f"Other words (each searched fewer than {MIN_WORD_SEARCHES} times)"
NO_WORDS = "No words (a category or a place only)"
NO_CATEGORY = "No category chosen"
NO_PLACE = "No place given"


def zero_result_period(
    *, months: int, grouping: str, today: datetime.date | None = None
) -> ReportPeriod:
    """The last `months` calendar months, this one included; grouped by quarter, from the start
    of the quarter that holds the first of them, so that every quarter is counted whole."""
    return last_months(months=months, grouping=grouping, today=today or timezone.localdate())


@dataclass(frozen=True)
class CountRow:
    label: str
    searches: int


@dataclass(frozen=True)
class TrendRow:
    label: str
    searches: int
    # The most searched phrases of the month or quarter, each used at least MIN_WORD_SEARCHES
    # times in it.
    top_words: list[CountRow]


@dataclass(frozen=True)
class ZeroResultReport:
    period: ReportPeriod
    total: int
    words: list[CountRow]
    categories: list[CountRow]
    areas: list[CountRow]
    trend: list[TrendRow]


def normalise_words(terms: str) -> str:
    """Lower case, trimmed, spaces collapsed: "  Chair  Yoga" and "chair yoga" are one phrase."""
    return " ".join((terms or "").lower().split())


def _sorted_rows(counts: Counter) -> list[CountRow]:
    return [
        CountRow(label, n) for label, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _folded_words(counts: Counter) -> list[CountRow]:
    """Phrases used at least MIN_WORD_SEARCHES times, most first; the rest in one row, last."""
    shown: Counter = Counter()
    other = 0
    for words, n in counts.items():
        if not words:
            shown[NO_WORDS] += n
        elif n >= MIN_WORD_SEARCHES:
            shown[words] += n
        else:
            other += n
    rows = _sorted_rows(shown)
    if other:
        rows.append(CountRow(OTHER_WORDS, other))
    return rows


def _period_searches(period: ReportPeriod):
    # Local midnights: a search at 00:30 in summer belongs to the day London saw it on.
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return ZeroResultSearch.objects.filter(created_at__gte=since, created_at__lt=until).order_by()


def zero_result_report(period: ReportPeriod) -> ZeroResultReport:
    """Searches with no results in the period, counted by words, category, outward code and
    month or quarter. Counted in the database by the values as stored, then merged here once
    normalised (a few rows per distinct search, not one per search)."""
    searches = _period_searches(period)

    words: Counter = Counter()
    for terms, n in searches.values_list("terms").annotate(n=Count("id")):
        words[normalise_words(terms)] += n

    by_slug: Counter = Counter()
    for stored, n in searches.values_list("categories").annotate(n=Count("id")):
        slugs = {s.strip() for s in (stored or "").split(",") if s.strip()}
        # A search in two categories counts once in each.
        for slug in slugs or {""}:
            by_slug[slug] += n
    names = {c.slug: str(c) for c in Category.objects.filter(slug__in=by_slug)}
    categories: Counter = Counter()
    for slug, n in by_slug.items():
        label = names.get(slug) or (f"{slug} (no longer a category)" if slug else NO_CATEGORY)
        categories[label] += n

    areas: Counter = Counter()
    for outcode, n in searches.values_list("outcode").annotate(n=Count("id")):
        areas[(outcode or "").strip().upper() or NO_PLACE] += n

    by_bucket: dict[datetime.date, Counter] = {b: Counter() for b in period.buckets()}
    monthly = (
        searches.annotate(month=TruncMonth("created_at"))
        .values_list("month", "terms")
        .annotate(n=Count("id"))
    )
    for month, terms, n in monthly:
        month = timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        bucket = by_bucket.setdefault(bucket_of(month, period.grouping), Counter())
        bucket[normalise_words(terms)] += n
    trend = [
        TrendRow(
            label=period.label(bucket),
            searches=sum(counts.values()),
            top_words=[
                CountRow(words_, n)
                for words_, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                if words_ and n >= MIN_WORD_SEARCHES
            ][:TREND_TOP_WORDS],
        )
        for bucket, counts in sorted(by_bucket.items())
    ]
    return ZeroResultReport(
        period=period,
        total=sum(words.values()),
        words=_folded_words(words),
        categories=_sorted_rows(categories),
        areas=_sorted_rows(areas),
        trend=trend,
    )


# Supply, for the commissioners' figures (insights) -----------------------------------------


@dataclass(frozen=True)
class SupplyDocument:
    """What an indexed activity offers, as its search document says: its categories (with
    their ancestors), its weekly session-hours, and where it is held or whom it serves."""

    id: int
    categories: tuple[str, ...]
    weekly_hours: float
    lat: float | None
    lng: float | None
    # (south, west, north, east) of the area an online, phone or area-wide service serves.
    area: tuple[float, float, float, float] | None
    anywhere: bool


SUPPLY_COLUMNS = (
    "activity_id", "categories", "weekly_hours", "lat", "lng",
    "south", "west", "north", "east", "anywhere",
)  # fmt: skip


def supply_rows(*, within: tuple[float, float, float, float] | None = None) -> list[tuple]:
    """Every indexed activity's supply as plain rows in SUPPLY_COLUMNS' order (categories
    comma-separated, anywhere 0 or 1), from the entries kept beside the index, so it counts
    exactly what search finds. With `within` (south, west, north, east), only what is held
    inside that box or serves somewhere that overlaps it, and what serves anywhere.

    Read with the database's own cursor: at 100,000 activities Django's per-row converters
    would cost more than the query (bench/insights_bench.py)."""
    entries = SupplyEntry.objects.order_by()
    if within is not None:
        south, west, north, east = within
        entries = entries.filter(
            Q(lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east)
            | Q(south__lte=north, north__gte=south, west__lte=east, east__gte=west)
            | Q(anywhere=True)
        )
    sql, params = entries.values_list(*SUPPLY_COLUMNS).query.sql_with_params()
    with connections[entries.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def supply_documents(*, within: tuple[float, float, float, float] | None = None):
    """`supply_rows` as SupplyDocuments."""
    for pk, categories, hours, lat, lng, south, west, north, east, anywhere in supply_rows(
        within=within
    ):
        yield SupplyDocument(
            id=pk,
            categories=tuple(categories.split(",")) if categories else (),
            weekly_hours=hours,
            lat=lat,
            lng=lng,
            area=None if south is None else (south, west, north, east),
            anywhere=bool(anywhere),
        )


def directory_version() -> int:
    """A number that grows whenever an activity's index entry is written or removed: figures
    worked out from the directory are kept until it changes."""
    return IndexJournal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def zero_result_themes(*, outcodes, since: datetime.date, themes=None):
    """(outward code, theme, words) of each search in those outward codes since that day that
    found nothing, once for each theme it asked for; a search that named no category counts
    for the categories its words name through the concepts ("lonely" → befriending → social
    and friendship). One that names neither is left out: its theme is not known. Themes are
    the top-level categories, or `themes` as `category_themes` takes them."""
    theme_of = category_themes(themes)
    rows = ZeroResultSearch.objects.filter(
        outcode__in=outcodes, created_at__date__gte=since
    ).values_list("outcode", "categories", "terms")
    meant: dict[str, tuple[str, ...]] = {}
    for outcode, categories, terms in rows.iterator():
        words = normalise_words(terms)
        if categories:
            slugs = categories.split(",")
        else:
            if words not in meant:
                expansions = concepts.expansions_for(words) if words else None
                meant[words] = expansions.categories if expansions else ()
            slugs = meant[words]
        for theme in dict.fromkeys(t for c in slugs for t in theme_of.get(c, ())):
            yield outcode, theme, words


def zero_result_counts_by_month(*, outcodes, since: datetime.date) -> dict[datetime.date, int]:
    """Searches in those outward codes that found nothing, by the first day of each month
    since that day (months with none left out)."""
    monthly = (
        ZeroResultSearch.objects.filter(outcode__in=outcodes, created_at__date__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: Counter = Counter()
    for month, n in monthly:
        month = timezone.localtime(month).date() if isinstance(month, datetime.datetime) else month
        counts[month.replace(day=1)] += n
    return dict(counts)
