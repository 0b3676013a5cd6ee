"""One query model for the directory, shared by every backend and every caller.

A `DirectoryQuery` is validated when it is made: a bad value raises `QueryError` naming the
field, so no backend ever sees (or fails on) input it cannot answer.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

from common.vocabulary import AUDIENCES, DELIVERY, EVERYONE, WEEKDAY_SLUGS

LONDON = ZoneInfo("Europe/London")
MAX_PAGE_SIZE = 100
# How deep results can be paged: Elasticsearch's default max_result_window.
MAX_RESULT_WINDOW = 10_000
MAX_RADIUS_M = 200_000
# A bound on one query's exclusion list, which each backend sends as one term set.
MAX_EXCLUDED_ORGANISATIONS = 1_000
FACETS = ("categories", "days", "cost", "access", "delivery", "audience")
# What the "Who it's for" filter takes: an audience, or open to everyone.
AUDIENCE_VALUES = (EVERYONE, *AUDIENCES)
# Activities that list no sessions are indexed with this bucket alone, so "any time, or times
# not given" is one term query like the rest.
UNSCHEDULED_BUCKET = -1
# Time of day is indexed in quarter hours: a session covers the buckets it overlaps.
BUCKET_MINUTES = 15
BUCKETS_PER_DAY = 24 * 60 // BUCKET_MINUTES
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180


class QueryError(ValueError):
    """A query value that cannot be searched; `field` names the parameter, `message` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DISTANCE = "distance"
    CHECKED = "checked"
    TITLE = "title"


# Ids in a title key: wide enough for any primary key, so keys sort as their ids do.
TITLE_KEY_ID_DIGITS = 20


def fold_title(title: str) -> str:
    """A title with case, accents, control characters and extra spacing set aside."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    folded = "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c)[0] != "C"
    )
    return " ".join(folded.split())


def title_key(title: str, id: int) -> str:
    """What "A to Z" sorts by: the folded title (`fold_title`), then the id, so that equal
    titles keep one order. Every backend sorts by this string, compared character by
    character (as UTF-8 bytes), so they all order alike. The separator sorts before any
    character a folded title holds, so "Cafe" comes before "Cafe chat"."""
    return f"{fold_title(title)}\x00{int(id):0{TITLE_KEY_ID_DIGITS}d}"


@dataclass(frozen=True)
class GeoPoint:
    """A point to search around. `area` names the outward code ("SW18") when the point is only
    that area's centre, as an outward code or an offline lookup of a full postcode gives: then
    distances from it are only as good as the area is small (see common.geo.distance_text). It
    takes no part in equality, so a query is the same query whatever its place is called."""

    lat: float
    lng: float
    area: str = field(default="", compare=False)

    def __post_init__(self):
        if not (isinstance(self.lat, int | float) and isinstance(self.lng, int | float)):
            raise QueryError("near", "Latitude and longitude must be numbers.")
        if not (math.isfinite(self.lat) and math.isfinite(self.lng)):
            raise QueryError("near", "Latitude and longitude must be numbers.")
        if not (-90 <= self.lat <= 90 and -180 <= self.lng <= 180):
            raise QueryError("near", "Latitude must be -90 to 90 and longitude -180 to 180.")


@dataclass(frozen=True)
class BBox:
    min_lng: float
    min_lat: float
    max_lng: float
    max_lat: float

    def __post_init__(self):
        values = (self.min_lng, self.min_lat, self.max_lng, self.max_lat)
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in values):
            raise QueryError("bbox", "Give four numbers: min_lng,min_lat,max_lng,max_lat.")
        if not (-180 <= self.min_lng <= 180 and -180 <= self.max_lng <= 180):
            raise QueryError("bbox", "Longitudes must be between -180 and 180.")
        if not (-90 <= self.min_lat <= 90 and -90 <= self.max_lat <= 90):
            raise QueryError("bbox", "Latitudes must be between -90 and 90.")
        if self.min_lat > self.max_lat or self.min_lng > self.max_lng:
            raise QueryError("bbox", "The minimum must not be greater than the maximum.")

    @classmethod
    def around(cls, point: GeoPoint, radius_m: float) -> BBox:
        """The smallest box holding a circle: a cheap pre-filter before exact distance."""
        # Metres per degree on the mean-radius sphere the backends measure distance on, less a
        # hair, so the box always holds the whole circle.
        per_degree = METRES_PER_DEGREE * 0.999
        dlat = radius_m / per_degree
        dlng = radius_m / (per_degree * max(math.cos(math.radians(point.lat)), 0.01))
        return cls(
            min_lng=max(point.lng - dlng, -180),
            min_lat=max(point.lat - dlat, -90),
            max_lng=min(point.lng + dlng, 180),
            max_lat=min(point.lat + dlat, 90),
        )


@dataclass(frozen=True)
class TimeWindow:
    start: datetime.time
    end: datetime.time

    def __post_init__(self):
        if self.end <= self.start and self.end != datetime.time(0, 0):
            raise QueryError("time_to", "The end time must be after the start time.")

    def buckets(self) -> range:
        """Quarter-hour buckets of one day that the window overlaps."""
        first = (self.start.hour * 60 + self.start.minute) // BUCKET_MINUTES
        end_minutes = self.end.hour * 60 + self.end.minute or 24 * 60
        last = math.ceil(end_minutes / BUCKET_MINUTES)
        return range(first, last)


def fuzzy_distance(word: str) -> int:
    """How many edits a close spelling of `word` may be away: none for a word of 3 letters or
    fewer (too many words are that close), 1 for 4 to 7, 2 for 8 or more. A swap of two
    neighbouring letters counts as one edit. Every backend uses this rule."""
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 7 else 2


@dataclass(frozen=True)
class Expansions:
    """What else a query's words may match: the concepts people's words name (search.concepts
    finds them), as categories, access features, audiences and other words.

    A document matches the query when it matches the words, as always, or any of these (then
    the query's own words only raise its score). Expansions weigh less than the words, so a
    hit on the words themselves ranks first. An access feature is matched like a category:
    "wheelchair" finds activities at step-free venues, the whole point of asking.
    """

    categories: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    # Phrases: a document must have every word of one of them (stemmed, as the words are).
    words: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.categories or self.access or self.audience or self.words)


@dataclass(frozen=True)
class DirectoryQuery:
    """What, where and when someone is looking for. Everything is optional."""

    text: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    near: GeoPoint | None = None
    radius_m: float | None = None
    bbox: BBox | None = None
    days: tuple[int, ...] = ()
    time_window: TimeWindow | None = None
    # Several (day, window) pairs, e.g. "Tuesday morning or Saturday afternoon": any of them.
    slots: tuple[tuple[int, TimeWindow], ...] = ()
    open_at: datetime.datetime | None = None
    # With days, a time window or slots: also match activities that list no sessions at all
    # (times "to be arranged"), so that a time filter does not hide them. Not with open_at.
    include_unscheduled: bool = False
    free_only: bool = False
    max_cost: Decimal | None = None
    access: tuple[str, ...] = ()
    age: int | None = None
    delivery: tuple[str, ...] = ()
    # Whom it is for: any of these (AUDIENCE_VALUES).
    audience: tuple[str, ...] = ()
    # None run by these organisations (page ids): the matching engine asks for more groups
    # once one group's listings fill a page.
    exclude_organisations: tuple[int, ...] = ()
    # The statuses matched: what runs now by default. The directory's lists and counts pass
    # Activity.LISTED_STATUSES (temporarily closed ones too). include_not_running: every one.
    statuses: tuple[str, ...] = ("running",)
    include_not_running: bool = False
    prefix: bool = False
    # What the words may match instead (see Expansions); None: only the words.
    expansions: Expansions | None = None
    # Close spellings: each word also matches words within fuzzy_distance() edits of it, as
    # written (unstemmed). Not with prefix, whose last word is already a part of a word.
    fuzzy: bool = False
    sort: Sort = Sort.RELEVANCE
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = field(default=())

    def __post_init__(self):
        if len(self.text) > 200:
            raise QueryError("q", "Search words must be 200 characters or fewer.")
        if self.radius_m is not None:
            if self.near is None:
                raise QueryError("radius_km", "A radius needs a place: give near as well.")
            if not (isinstance(self.radius_m, int | float) and math.isfinite(self.radius_m)):
                raise QueryError("radius_km", "The radius must be a number.")
            if not (0 < self.radius_m <= MAX_RADIUS_M):
                raise QueryError("radius_km", "The radius must be more than 0 and at most 200 km.")
        for day in self.days:
            if day not in range(7):
                raise QueryError("day", "Days are mon, tue, wed, thu, fri, sat or sun.")
        for day, window in self.slots:
            if day not in range(7) or not isinstance(window, TimeWindow):
                raise QueryError("free_times", "Each free time needs a day and a time window.")
        if self.max_cost is not None and not Decimal(self.max_cost).is_finite():
            raise QueryError("max_cost", "The most you can pay must be a number.")
        if self.max_cost is not None and self.max_cost < 0:
            raise QueryError("max_cost", "The most you can pay cannot be negative.")
        if self.age is not None and not (0 <= self.age <= 120):
            raise QueryError("age", "Age must be between 0 and 120.")
        for value in self.delivery:
            if value not in DELIVERY:
                raise QueryError("delivery", f"Delivery is one of {', '.join(DELIVERY)}.")
        for value in self.audience:
            if value not in AUDIENCE_VALUES:
                raise QueryError(
                    "audience", f"Who it is for is one of {', '.join(AUDIENCE_VALUES)}."
                )
        if len(self.exclude_organisations) > MAX_EXCLUDED_ORGANISATIONS or not all(
            isinstance(o, int) and not isinstance(o, bool) and o > 0
            for o in self.exclude_organisations
        ):
            raise QueryError(
                "exclude_organisations",
                f"Leave out at most {MAX_EXCLUDED_ORGANISATIONS} organisations, by their ids.",
            )
        if not self.statuses or not all(isinstance(s, str) and s for s in self.statuses):
            raise QueryError("status", "Give at least one status.")
        for facet in self.facets:
            if facet not in FACETS:
                raise QueryError("facets", f"Facets are {', '.join(FACETS)}.")
        if self.expansions is not None and not isinstance(self.expansions, Expansions):
            raise QueryError("q", "Expansions must be an Expansions.")
        if self.sort == Sort.DISTANCE and self.near is None:
            raise QueryError("sort", "Sorting by distance needs a place: give near as well.")
        if not (isinstance(self.page, int) and self.page >= 1):
            raise QueryError("page", "The page must be a whole number, 1 or more.")
        if not (isinstance(self.page_size, int) and 1 <= self.page_size <= MAX_PAGE_SIZE):
            raise QueryError("page_size", f"The page size must be 1 to {MAX_PAGE_SIZE}.")
        if self.page * self.page_size > MAX_RESULT_WINDOW:
            raise QueryError(
                "page", f"Only the first {MAX_RESULT_WINDOW:,} results can be paged through."
            )

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def day_slugs(self) -> tuple[str, ...]:
        return tuple(WEEKDAY_SLUGS[d] for d in self.days)

    def time_buckets(self) -> list[int] | None:
        """Week-wide quarter-hour buckets to match, from days, time window and open_at."""
        if self.open_at is not None:
            # Sessions are indexed in London wall-clock time.
            local = (
                self.open_at.astimezone(LONDON) if self.open_at.tzinfo is not None else self.open_at
            )
            minute = local.hour * 60 + local.minute
            return [local.weekday() * BUCKETS_PER_DAY + minute // BUCKET_MINUTES]
        if self.days and not (self.slots or self.time_window or self.include_unscheduled):
            # Days alone are matched on the days field. With unscheduled ones wanted as well,
            # every quarter hour of those days plus the marker answers the same question.
            return None
        buckets = self.session_buckets()
        if buckets is None:
            return None
        if self.include_unscheduled:
            buckets = [UNSCHEDULED_BUCKET, *buckets]
        return buckets

    def session_buckets(self) -> list[int] | None:
        """The week-wide quarter hours a session must touch to fit the days, time window or
        slots asked for (sorted), or None when none is asked for. Search matches a session
        pattern that touches one of them, and the next session shown is one that does."""
        if self.slots:
            return sorted(
                {d * BUCKETS_PER_DAY + b for d, window in self.slots for b in window.buckets()}
            )
        if self.time_window is not None:
            days = self.days or tuple(range(7))
            return [d * BUCKETS_PER_DAY + b for d in days for b in self.time_window.buckets()]
        if self.days:
            return [d * BUCKETS_PER_DAY + b for d in self.days for b in range(BUCKETS_PER_DAY)]
        return None

    @property
    def session_filter(self) -> tuple | None:
        """What session_buckets() depends on, as a small hashable key; None without a filter.
        With open_at the session fitting is the one on now, which a next session never is."""
        if self.open_at is not None or not (self.days or self.time_window or self.slots):
            return None
        return (self.days, self.time_window, self.slots)
