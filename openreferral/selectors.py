"""Reads for the Open Referral feed: which records a list holds, in what order, and each
record with everything its serialiser needs (in a fixed number of queries per page).

Text search goes through `search` (its index ranks the words); places through search's
geography (`GeoPoint`, `BBox.around` and its sphere), measured in the database, so no list
ever loads every venue or every activity into Python.
"""

from __future__ import annotations

import datetime
import math
import time
import uuid
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from django.core.cache import cache
from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from assets_directory.geocoding import GeocodingError, geocode
from assets_directory.models import Activity, ActivitySchedule, Category, Organisation, Venue
from common.vocabulary import WEEKDAY_SLUGS
from search.caching import remember
from search.query import MAX_PAGE_SIZE, METRES_PER_DEGREE, BBox, DirectoryQuery, GeoPoint
from search.query import QueryError as SearchQueryError
from search.selectors import SearchBackendError, search_places

from . import ids
from .params import BadParameter, Filters

__all__ = [
    "MAX_SEARCH_MATCHES",
    "SearchBackendError",
    "Selection",
    "categories",
    "directory_changed",
    "directory_version",
    "taxonomies",
    "taxonomy_by_id",
    "category_by_term_id",
    "organisation_by_id",
    "organisations",
    "organisations_by_pk",
    "service_at_location_by_id",
    "service_by_id",
    "services",
    "services_at_locations",
    "brief_activities",
    "load_activities",
]

# The name of the one taxonomy the feed publishes: the directory's categories.
TAXONOMY_NAME = "Common Ground categories"
# A text search reads at most this many of the index's best matches (in pages of the
# index's largest size), then narrows them with the other filters in the database.
MAX_SEARCH_MATCHES = 1_000
# Records loaded at a time when a list is streamed (ndjson).
STREAM_CHUNK = 200


@dataclass
class Selection:
    """The records of a list: how many, one page of them, or all of them a chunk at a time.

    `queryset` is ordered; `ranked` (a text search) overrides its order with the index's.
    `key` names the list (its kind and filters): its ids, in order, are then kept in this
    process (`_ordered_ids`) until the directory changes, so that counting it and reaching a
    deep page cost a lookup rather than a join over every activity.
    """

    queryset: object
    ranked: list[int] | None = None
    key: tuple | None = None

    def count(self) -> int:
        return len(self._ids())

    def page(self, offset: int, limit: int) -> list[int]:
        return list(self._ids()[offset : offset + limit])

    def chunks(self, size: int = STREAM_CHUNK) -> Iterator[list[int]]:
        found = self._ids()
        for start in range(0, len(found), size):
            yield list(found[start : start + size])

    def _ids(self) -> Sequence[int]:
        if not hasattr(self, "_found"):
            if self.ranked is not None:
                kept = set(self.queryset.filter(pk__in=self.ranked).values_list("pk", flat=True))
                self._found = [pk for pk in self.ranked if pk in kept]
            elif self.key is not None:
                self._found = _ordered_ids(self.key, self.queryset)
            else:
                self._found = list(self.queryset.values_list("pk", flat=True))
        return self._found


# Lists' ids, in order, by (list key): (directory version, when read, ids).
_LISTS: dict[tuple, tuple[str, float, array]] = {}
# At most this many lists (of 100,000 ids at most 800 kB each) are kept in a process.
_LISTS_MAX = 16
# A list is read again after this long even when no change was signalled (a change made by
# another process reaches this one through the shared cache's version; this is the backstop).
LIST_SECONDS = 300
VERSION_KEY = "openreferral:directory-version"


def directory_version() -> str:
    """A token that changes whenever what the feed lists may have changed (openreferral.signals
    sets a new one). A cache emptied or restarted gives a new token too: lists read before it
    are never trusted after."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def directory_changed() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _ordered_ids(key: tuple, queryset) -> array:
    version = directory_version()
    now = time.monotonic()
    known = _LISTS.get(key)
    if known is not None and known[0] == version and now - known[1] < LIST_SECONDS:
        return known[2]
    found = array("q", queryset.values_list("pk", flat=True))
    return remember(_LISTS, key, (version, now, found), limit=_LISTS_MAX)[2]


class FixedSelection(Selection):
    """A list known without asking the database: its keys, in order."""

    def __init__(self, keys: list):
        super().__init__(queryset=None)
        self._found = keys


class IndexSelection(Selection):
    """Words alone: the search index counts and pages them itself, in its order, as far as
    it can page (search.query.MAX_RESULT_WINDOW)."""

    def __init__(self, text: str):
        super().__init__(queryset=None)
        self.text = text

    def _search(self, page: int, size: int):
        try:
            query = DirectoryQuery(
                text=self.text, statuses=Activity.LISTED_STATUSES, page=page, page_size=size
            )
        except SearchQueryError as exc:
            raise BadParameter("page" if exc.field == "page" else "search", exc.message) from exc
        return search_places(query)

    def count(self) -> int:
        return self._search(1, 1).total

    def page(self, offset: int, limit: int) -> list[int]:
        # The index pages in pages of at most MAX_PAGE_SIZE: a larger page is read as several
        # of a size that divides both where it starts and how long it is.
        common = math.gcd(offset, limit)
        size = max(d for d in range(1, MAX_PAGE_SIZE + 1) if common % d == 0)
        found: list[int] = []
        for number in range(offset // size + 1, (offset + limit) // size + 1):
            hits = self._search(number, size).hits
            found += [hit.id for hit in hits]
            if len(hits) < size:
                break
        return found

    def _ids(self) -> Sequence[int]:
        if not hasattr(self, "_found"):
            self._found = _text_matches(self.text)
        return self._found


# Organisations ------------------------------------------------------------------------------


def _organisations():
    return Organisation.objects.live().public()


def organisations(filters: Filters) -> Selection:
    """Live, public organisations, by name; `search` narrows them to names with the words."""
    queryset = _organisations()
    for word in filters.text.split()[:10]:
        queryset = queryset.filter(title__icontains=word)
    return Selection(queryset.order_by("title", "pk"), key=("organizations", filters))


def organisation_by_id(text: str) -> Organisation | None:
    value = ids.parse_uuid(text)
    if value is None:
        return None
    return _organisations().filter(uuid=value).first()


# What a brief organization needs, read as plain rows: making a Wagtail page object costs
# more than the whole of its row's share of a list.
ORGANISATION_FIELDS = (
    "pk",
    "uuid",
    "title",
    "description",
    "email",
    "website",
    "url_path",
    "path",
    "charity_number",
    "company_number",
    "languages",
)


def organisations_by_pk(pks: Sequence[int]) -> list[SimpleNamespace]:
    """The organisations, in the order given, as rows with their fields as attributes."""
    rows = Organisation.objects.filter(pk__in=list(pks)).values(*ORGANISATION_FIELDS)
    found = {row["pk"]: SimpleNamespace(**row) for row in rows}
    return [found[pk] for pk in pks if pk in found]


def organisation_services(organisation: Organisation) -> list[Activity]:
    """The organisation's listed activities, by title."""
    return list(
        Activity.objects.listed()
        .child_of(organisation)
        .order_by("title", "pk")
        .only("pk", "uuid", "title", "status", "path")
    )


def organisations_services_full(organisations: Sequence) -> dict[str, list[Activity]]:
    """Each organisation's listed activities (by title), loaded whole as `load_activities`
    loads them, by the organisation's path: one pass for a page of organisations."""
    if not organisations:
        return {}
    under = Q()
    for organisation in organisations:
        under |= Q(
            path__startswith=organisation.path, depth=len(organisation.path) // Activity.steplen + 1
        )
    found: dict[str, list[Activity]] = {o.path: [] for o in organisations}
    queryset = Activity.objects.listed().filter(under).order_by("title", "pk")
    for activity in load_activities(queryset):
        found[activity.path[: -Activity.steplen]].append(activity)
    return found


# Taxonomy -----------------------------------------------------------------------------------


def taxonomies(filters: Filters) -> Selection:
    """The one taxonomy, by its id: narrowed away when `search` has words not in its name."""
    words = filters.text.casefold().split()
    name = TAXONOMY_NAME.casefold()
    return FixedSelection([] if any(w not in name for w in words) else [ids.taxonomy_id()])


def taxonomy_by_id(text: str) -> bool:
    value = ids.parse_uuid(text)
    return value is not None and str(value) == ids.taxonomy_id()


def categories(filters: Filters) -> Selection:
    """The categories as terms, in tree order; narrowed by taxonomy, parent and words."""
    queryset = Category.objects.in_tree_order()
    if filters.taxonomy_id is not None and filters.taxonomy_id != ids.taxonomy_id():
        queryset = queryset.none()
    if filters.top_only:
        queryset = queryset.filter(parent__isnull=True)
    if filters.parent_id is not None:
        parent = category_by_term_id(filters.parent_id)
        queryset = queryset.filter(parent=parent) if parent else queryset.none()
    for word in filters.text.split()[:10]:
        queryset = queryset.filter(name__icontains=word)
    return Selection(queryset, key=("taxonomy_terms", filters))


def category_by_term_id(text: str) -> Category | None:
    value = ids.parse_uuid(text)
    if value is None:
        return None
    # Derived ids cannot be searched for: the categories are few, and each id is worked out.
    for pk in Category.objects.values_list("pk", flat=True):
        if ids.term_id(pk) == str(value):
            return Category.objects.get(pk=pk)
    return None


def categories_by_pk(pks: Sequence[int]) -> list[Category]:
    found = {c.pk: c for c in Category.objects.filter(pk__in=list(pks))}
    return [found[pk] for pk in pks if pk in found]


def all_categories() -> list[Category]:
    return list(Category.objects.in_tree_order())


# Services -----------------------------------------------------------------------------------


def _listed():
    """Listed activities (`Activity.objects.listed`) whose organisation is published too:
    Wagtail lets a live page stay under an unpublished one, but the feed names each service's
    organization, and that must resolve."""
    hidden = Q()
    # Every organisation's row, filtered here: asked for "not live", SQLite would scan every
    # page (100,000 activities') for the few organisations that are not.
    for path, live in Organisation.objects.values_list("path", "live"):
        if not live:
            hidden |= Q(path__startswith=path)
    listed = Activity.objects.listed()
    return listed.exclude(hidden) if hidden else listed


def _narrowed(queryset, filters: Filters):
    """The activities matching every filter the database answers (all but words and place)."""
    if filters.taxonomy_term_id is not None:
        category = category_by_term_id(filters.taxonomy_term_id)
        if category is None:
            return queryset.none()
        # A term stands for itself and the narrower terms under it, as the directory's
        # category pages do.
        queryset = queryset.filter(
            Q(categories=category) | Q(categories__parent=category)
        ).distinct()
    if filters.taxonomy_id is not None:
        if filters.taxonomy_id != ids.taxonomy_id():
            return queryset.none()
        queryset = queryset.filter(categories__isnull=False).distinct()
    if filters.organization_id is not None:
        organisation = organisation_by_id(filters.organization_id)
        if organisation is None:
            return queryset.none()
        queryset = queryset.child_of(organisation)
    if filters.modified_after is not None:
        queryset = queryset.filter(last_published_at__gt=filters.modified_after)
    if filters.minimum_age is not None:
        queryset = queryset.filter(age_min__gte=filters.minimum_age)
    if filters.maximum_age is not None:
        queryset = queryset.filter(age_max__lte=filters.maximum_age)
    if filters.asks_sessions:
        queryset = queryset.filter(Exists(_fitting_sessions(filters)))
    return queryset


def _fitting_sessions(filters: Filters):
    """Session patterns of the outer activity that fit the day and times asked for, all in
    one pattern (a Tuesday morning and a Saturday afternoon do not make a Tuesday afternoon),
    leaving out patterns that have ended."""
    today = timezone.localdate()
    once = ActivitySchedule.Frequency.ONCE
    sessions = ActivitySchedule.objects.filter(activity=OuterRef("pk")).exclude(
        Q(frequency=once, on_date__lt=today) | Q(ends_on__lt=today)
    )
    if filters.day is not None:
        sessions = sessions.filter(
            Q(frequency=once, on_date__iso_week_day=filters.day + 1)
            | (~Q(frequency=once) & Q(weekdays__contains=WEEKDAY_SLUGS[filters.day]))
        )
    if filters.start_time is not None:
        sessions = sessions.filter(start_time__gte=filters.start_time)
    if filters.end_time is not None:
        sessions = sessions.filter(end_time__lte=filters.end_time)
    return sessions


def _place(filters: Filters) -> GeoPoint | None:
    if not filters.postcode:
        return None
    try:
        found = geocode(filters.postcode)
    except GeocodingError as exc:
        raise BadParameter("postcode", exc.message) from exc
    try:
        point = GeoPoint(found.latitude, found.longitude)
        if filters.proximity_m is not None:
            # Checked as the search API checks a radius: at most 200 km.
            DirectoryQuery(near=point, radius_m=filters.proximity_m)
    except SearchQueryError as exc:
        raise BadParameter("proximity", "proximity must be at most 200,000 metres.") from exc
    return point


# Above this many venues within the distance asked for, activities are measured in the join.
MAX_NEAR_VENUES = 2_000


def _near(queryset, point: GeoPoint, radius_m: float | None):
    """Held at a venue, within `radius_m` of the point when given, nearest first.

    Distances are on search's sphere, flattened around the point (an error under 0.1% within
    200 km). With a distance, the venues inside search's bounding box are measured first, on
    their own (few, and their table small), and the activities are then read by venue.
    """
    across = METRES_PER_DEGREE * math.cos(math.radians(point.lat))

    def squared(prefix: str):
        dx = (F(f"{prefix}longitude") - point.lng) * across
        dy = (F(f"{prefix}latitude") - point.lat) * METRES_PER_DEGREE
        return ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField())

    if radius_m is not None:
        box = BBox.around(point, radius_m)
        venues = list(
            Venue.objects.filter(
                latitude__range=(box.min_lat, box.max_lat),
                longitude__range=(box.min_lng, box.max_lng),
            )
            .annotate(distance_squared=squared(""))
            .filter(distance_squared__lte=radius_m * radius_m)
            .values_list("pk", "distance_squared")[: MAX_NEAR_VENUES + 1]
        )
        if len(venues) <= MAX_NEAR_VENUES:
            if not venues:
                return queryset.none()
            distance = Case(
                *(When(venue_id=pk, then=Value(d)) for pk, d in venues),
                output_field=FloatField(),
            )
            return (
                queryset.filter(venue_id__in=[pk for pk, _ in venues])
                .annotate(distance_squared=distance)
                .order_by("distance_squared", "pk")
            )
    queryset = queryset.filter(venue__latitude__isnull=False, venue__longitude__isnull=False)
    if radius_m is not None:
        box = BBox.around(point, radius_m)
        queryset = queryset.filter(
            venue__latitude__range=(box.min_lat, box.max_lat),
            venue__longitude__range=(box.min_lng, box.max_lng),
        )
    queryset = queryset.annotate(distance_squared=squared("venue__"))
    if radius_m is not None:
        queryset = queryset.filter(distance_squared__lte=radius_m * radius_m)
    return queryset.order_by("distance_squared", "pk")


def _text_matches(text: str) -> list[int]:
    """The activities the index finds for the words, best first (MAX_SEARCH_MATCHES at most)."""
    matches: list[int] = []
    page = 1
    while len(matches) < MAX_SEARCH_MATCHES:
        try:
            query = DirectoryQuery(
                text=text,
                statuses=Activity.LISTED_STATUSES,
                page=page,
                page_size=MAX_PAGE_SIZE,
            )
        except SearchQueryError as exc:
            raise BadParameter("search", exc.message) from exc
        results = search_places(query)
        matches.extend(hit.id for hit in results.hits)
        if len(results.hits) < MAX_PAGE_SIZE or len(matches) >= results.total:
            break
        page += 1
    return matches[:MAX_SEARCH_MATCHES]


def _activities(kind: str, base, filters: Filters) -> Selection:
    queryset = _narrowed(base, filters)
    point = _place(filters)
    if point is not None:
        queryset = _near(queryset, point, filters.proximity_m)
    else:
        queryset = queryset.order_by("pk")
    if filters.text:
        if filters == Filters(text=filters.text) and kind == "services":
            return IndexSelection(filters.text)
        return Selection(queryset, ranked=_text_matches(filters.text))
    # Sessions that have ended fall out of a list by the day: the day is part of its name.
    today = timezone.localdate() if filters.asks_sessions else None
    return Selection(queryset, key=(kind, filters, today))


def services(filters: Filters) -> Selection:
    """Listed activities matching the filters: by the index's rank for words, nearest first
    for a postcode, otherwise in the order they were added."""
    return _activities("services", _listed(), filters)


def services_at_locations(filters: Filters) -> Selection:
    """As `services`, for the activities held at a venue: each is one service at a location."""
    return _activities("service_at_locations", _listed().filter(venue__isnull=False), filters)


def service_by_id(text: str) -> Activity | None:
    value = ids.parse_uuid(text)
    if value is None:
        return None
    found = load_activities(_listed().filter(uuid=value))
    return found[0] if found else None


def service_at_location_by_id(text: str) -> Activity | None:
    """The listed activity whose stored service_at_location id this is (the ids published
    before they were stored are those same stored values: migration 0018)."""
    value = ids.parse_uuid(text)
    if value is None:
        return None
    found = load_activities(_listed().filter(location_uuid=value, venue__isnull=False))
    return found[0] if found else None


BRIEF_ACTIVITY_FIELDS = (
    "pk",
    "uuid",
    "title",
    "summary",
    "description",
    "contact_email",
    "status",
    "cost",
    "cost_details",
    "last_reviewed",
    "last_published_at",
    "age_min",
    "age_max",
    "url_path",
    "path",
    "venue_id",
    "location_uuid",
)


def brief_activities(pks: Sequence[int]) -> list[SimpleNamespace]:
    """The activities, in the order given, as rows with the fields a list shows (a service's
    one-to-one fields, its venue as a location) as attributes: `feed_organisation` as an
    organisation row, `venue` a venue with its accessibility."""
    rows = list(Activity.objects.filter(pk__in=list(pks)).values(*BRIEF_ACTIVITY_FIELDS))
    steplen = Activity.steplen
    parents = {row["path"][:-steplen] for row in rows}
    organisations = {
        row["path"]: SimpleNamespace(**row)
        for row in Organisation.objects.filter(path__in=parents).values(*ORGANISATION_FIELDS)
    }
    venues = {
        v.pk: v
        for v in Venue.objects.filter(
            pk__in={row["venue_id"] for row in rows if row["venue_id"]}
        ).prefetch_related("accessibility")
    }
    found = {}
    for row in rows:
        found[row["pk"]] = SimpleNamespace(
            **row,
            feed_organisation=organisations.get(row["path"][:-steplen]),
            venue=venues.get(row["venue_id"]),
        )
    return [found[pk] for pk in pks if pk in found]


# Rows read at a time for minimal lists: well inside SQLite's limit on a query's parameters.
STAMP_CHUNK = 5_000


def service_stamps(pks: Sequence[int]) -> list[tuple]:
    """(pk, uuid, title, status, last_published_at) of each activity, in the order given: what
    a minimal list shows, read as plain tuples, a chunk of keys at a time."""
    found: dict[int, tuple] = {}
    for start in range(0, len(pks), STAMP_CHUNK):
        chunk = list(pks[start : start + STAMP_CHUNK])
        rows = Activity.objects.filter(pk__in=chunk).values_list(
            "pk", "uuid", "title", "status", "last_published_at"
        )
        found.update((row[0], row) for row in rows)
    return [found[pk] for pk in pks if pk in found]


def load_activities(pks, *, full: bool = True) -> list[Activity]:
    """The activities (`pks`, in that order, or a queryset's), each with `feed_organisation`
    set, its venue's accessibility and, when `full`, its sessions, categories and conditions
    prefetched."""
    if isinstance(pks, QuerySet):
        queryset, pks = pks, None
    else:
        queryset = Activity.objects.filter(pk__in=list(pks))
    queryset = queryset.select_related("venue")
    # A location is always whole (its accessibility with it), wherever it is nested.
    queryset = queryset.prefetch_related("venue__accessibility")
    if full:
        queryset = queryset.prefetch_related(
            # Sessions saved without a sort order (made by a script) come first on every
            # database: PostgreSQL puts NULL last and SQLite first unless told.
            Prefetch(
                "schedules",
                queryset=ActivitySchedule.objects.order_by(
                    F("sort_order").asc(nulls_first=True), "pk"
                ),
            ),
            Prefetch("categories", queryset=Category.objects.order_by("pk")),
            "conditions",
        )
    found = {a.pk: a for a in queryset}
    activities = list(found.values()) if pks is None else [found[pk] for pk in pks if pk in found]
    # Each activity's organisation is its parent page: one query for the page, not one each.
    parents = {a.path[: -Activity.steplen] for a in activities}
    by_path = {o.path: o for o in Organisation.objects.filter(path__in=parents)}
    for activity in activities:
        activity.feed_organisation = by_path.get(activity.path[: -Activity.steplen])
    return activities


def schedule_is_current(schedule: ActivitySchedule, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    if schedule.frequency == ActivitySchedule.Frequency.ONCE:
        return schedule.on_date is None or schedule.on_date >= today
    return schedule.ends_on is None or schedule.ends_on >= today


def venue_ids(pks: Sequence[int]) -> dict[int, Venue]:
    return {v.pk: v for v in Venue.objects.filter(pk__in=list(pks))}
