"""Reads a DirectoryQuery from URL parameters: one parser for the search page and the API."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.http import QueryDict
from django.utils import timezone

from assets_directory.geocoding import GeocodingError, geocode, nearest_outcode
from assets_directory.models import AccessibilityFeature, Category
from common.text import has_control_character
from common.vocabulary import TIMES_OF_DAY, WEEKDAY_SLUGS

from .backends import get_backend
from .concepts import expansions_for
from .query import FACETS, BBox, DirectoryQuery, GeoPoint, QueryError, Sort, TimeWindow

TRUE = {"1", "true", "on", "yes"}
FALSE = {"0", "false", "off", "no", ""}
LAT_LNG = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

# Parameters the API documents (search/openapi.py lists the same ones).
PARAMETERS = (
    "q", "category", "tag", "near", "radius_km", "bbox", "day", "time_from", "time_to",
    "time_of_day", "open_now", "free", "max_cost", "access", "age", "delivery", "audience",
    "sort", "page", "page_size", "facets", "prefix", "all_statuses", "understand",
)  # fmt: skip


class _Params:
    """The request's parameters, read once into a plain dict of lists.

    A search asks for every documented parameter, present or not, and QueryDict's own lookups
    cost more than the rest of the parsing.
    """

    __slots__ = ("_lists",)

    def __init__(self, params: QueryDict):
        self._lists = dict(params.lists())

    def get(self, name: str, default: str = "") -> str:
        values = self._lists.get(name)
        return values[-1] if values else default

    def __getitem__(self, name: str) -> str:
        return self._lists[name][-1]

    def getlist(self, name: str) -> list[str]:
        return self._lists.get(name, [])


# The search page's defaults (the API applies none: it searches exactly what it is given).
PAGE_RADIUS_KM = 5
# What the place box says after "Use my location"; the point itself travels in near_point.
YOUR_LOCATION = "Your location"


def page_search_params(params: QueryDict) -> QueryDict:
    """The search page's parameters as the page applies them.

    The page's form, its map, its page links and its "widen the search" links are all made
    from this one copy, so each shows, and repeats, exactly the search that was run:

    - After "Use my location" the box says "Your location" and the point is in `near_point`;
      the point is the place unless something else has been typed in the box since.
    - A place with no `radius_km` at all (a shared link, a search from elsewhere) is searched
      within PAGE_RADIUS_KM, and `radius_km` says so. The form's "Any distance" sends an empty
      `radius_km`, which stays empty: no limit.
    - With no place, a distance means nothing: it is left out rather than refused.
    """
    data = params.copy()
    point = data.pop("near_point", [""])[-1].strip()
    typed = data.get("near", "").strip()
    if point and typed.casefold() in ("", YOUR_LOCATION.casefold()):
        data["near"] = point
    if not data.get("near", "").strip():
        data.pop("radius_km", None)
    elif "radius_km" not in data:
        data["radius_km"] = str(PAGE_RADIUS_KM)
    return data


def is_point(value: str) -> bool:
    """Whether a place is given as "lat,lng" (a located device, or typed coordinates)."""
    return bool(LAT_LNG.match(value or ""))


@dataclass
class ParsedSearch:
    query: DirectoryQuery
    # The place as people typed it, and its outward code (for the zero-results record).
    place_label: str = ""
    outcode: str | None = None


def _refuse_control_characters(params: _Params) -> None:
    # A NUL or an escape sequence in a word or a slug is never a search, and PostgreSQL refuses
    # NUL in any text it is asked to compare or store (the API's schema says the same).
    for name in PARAMETERS:
        for value in params.getlist(name):
            if has_control_character(value):
                raise QueryError(name, f"{name} contains a control character.")


def _bool(params: _Params, name: str) -> bool:
    value = params.get(name, "").strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise QueryError(name, "Use true or false.")


def _float(params: _Params, name: str, message: str) -> float | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        number = float(value)
    except ValueError as exc:
        raise QueryError(name, message) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise QueryError(name, message)
    return number


def _int(params: _Params, name: str, default: int | None, message: str) -> int | None:
    value = params.get(name, "").strip()
    if not value:
        return default
    if not re.fullmatch(r"-?\d{1,6}", value):
        raise QueryError(name, message)
    return int(value)


def _list(params: _Params, name: str) -> list[str]:
    """Repeatable parameters, also accepting comma-separated values."""
    values = []
    for raw in params.getlist(name):
        values.extend(v.strip() for v in raw.split(",") if v.strip())
    return list(dict.fromkeys(values))


def _time(params: _Params, name: str) -> datetime.time | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    match = HH_MM.match(value)
    if not match:
        raise QueryError(name, "Give a time as HH:MM, for example 09:30.")
    return datetime.time(int(match.group(1)), int(match.group(2)))


def _place(params: _Params) -> tuple[GeoPoint | None, str, str | None]:
    raw = params.get("near", "").strip()
    if not raw:
        return None, "", None
    match = LAT_LNG.match(raw)
    if match:
        point = GeoPoint(float(match.group(1)), float(match.group(2)))
        return point, "your location", nearest_outcode(point.lat, point.lng)
    try:
        result = geocode(raw)
    except GeocodingError as exc:
        raise QueryError("near", exc.message) from exc
    area = result.outcode if result.precision == "outcode" else ""
    return GeoPoint(result.latitude, result.longitude, area=area), result.label, result.outcode


def understanding_requested(params: QueryDict, *, default: bool) -> bool:
    """The `understand` parameter: whether the words are read for a place and filters
    (search.understanding). Raises QueryError for a value that is not true or false."""
    if not params.get("understand", "").strip():
        return default
    return _bool(_Params(params), "understand")


def parse_search_params(params: QueryDict, *, now: datetime.datetime | None = None) -> ParsedSearch:
    """Turn GET parameters into a validated query; a bad value raises QueryError(field)."""
    params = _Params(params)
    _refuse_control_characters(params)
    near, place_label, outcode = _place(params)

    radius_km = _float(params, "radius_km", "The radius must be a number of kilometres.")
    radius_m = radius_km * 1000 if radius_km is not None else None
    if radius_m is not None and near is None:
        raise QueryError("radius_km", "A radius needs a place: give near as well.")

    bbox = None
    if params.get("bbox", "").strip():
        parts = params["bbox"].split(",")
        try:
            numbers = [float(p) for p in parts]
        except ValueError as exc:
            raise QueryError("bbox", "Give four numbers: min_lng,min_lat,max_lng,max_lat.") from exc
        if len(numbers) != 4:
            raise QueryError("bbox", "Give four numbers: min_lng,min_lat,max_lng,max_lat.")
        bbox = BBox(*numbers)

    days = []
    for slug in _list(params, "day"):
        if slug.lower() not in WEEKDAY_SLUGS:
            raise QueryError("day", "Days are mon, tue, wed, thu, fri, sat or sun.")
        days.append(WEEKDAY_SLUGS.index(slug.lower()))

    window = None
    time_of_day = params.get("time_of_day", "").strip().lower()
    if time_of_day:
        if time_of_day not in TIMES_OF_DAY:
            raise QueryError("time_of_day", "Choose morning, afternoon or evening.")
        window = TimeWindow(*TIMES_OF_DAY[time_of_day])
    time_from, time_to = _time(params, "time_from"), _time(params, "time_to")
    if time_from or time_to:
        window = TimeWindow(time_from or datetime.time(0, 0), time_to or datetime.time(0, 0))

    open_at = None
    if _bool(params, "open_now"):
        open_at = timezone.localtime(now or timezone.now())

    max_cost = None
    if params.get("max_cost", "").strip():
        try:
            max_cost = Decimal(params["max_cost"].strip())
        except InvalidOperation as exc:
            raise QueryError("max_cost", "The most you can pay must be a number.") from exc
        if not max_cost.is_finite():
            raise QueryError("max_cost", "The most you can pay must be a number.")

    categories = _list(params, "category")
    if categories:
        known = set(Category.objects.filter(slug__in=categories).values_list("slug", flat=True))
        unknown = [c for c in categories if c not in known]
        if unknown:
            raise QueryError("category", f"Unknown category: {', '.join(unknown)}.")
    access = _list(params, "access")
    if access:
        known = set(
            AccessibilityFeature.objects.filter(slug__in=access).values_list("slug", flat=True)
        )
        unknown = [a for a in access if a not in known]
        if unknown:
            raise QueryError("access", f"Unknown accessibility feature: {', '.join(unknown)}.")

    sort_value = params.get("sort", "").strip().lower()
    text = params.get("q", "").strip()
    if not sort_value:
        sort = Sort.DISTANCE if near is not None and not text else Sort.RELEVANCE
    else:
        try:
            sort = Sort(sort_value)
        except ValueError as exc:
            raise QueryError("sort", "Sort by relevance, distance, checked or title.") from exc

    facets = _list(params, "facets")
    if [f.lower() for f in facets] in (["1"], ["true"], ["all"]):
        facets = list(FACETS)

    # The concepts people's words name ("lonely": befriending), for a backend that applies them.
    expansions = expansions_for(text) if text and get_backend().supports_expansions else None

    query = DirectoryQuery(
        text=text,
        categories=tuple(categories),
        tags=tuple(_list(params, "tag")),
        near=near,
        radius_m=radius_m,
        bbox=bbox,
        days=tuple(days),
        time_window=window,
        open_at=open_at,
        free_only=_bool(params, "free"),
        max_cost=max_cost,
        access=tuple(access),
        age=_int(params, "age", None, "Age must be a whole number."),
        delivery=tuple(_list(params, "delivery")),
        audience=tuple(_list(params, "audience")),
        include_not_running=_bool(params, "all_statuses"),
        prefix=_bool(params, "prefix"),
        expansions=expansions,
        sort=sort,
        page=_int(params, "page", 1, "The page must be a whole number, 1 or more."),
        page_size=_int(params, "page_size", 20, "The page size must be a whole number."),
        facets=tuple(facets),
    )
    return ParsedSearch(query=query, place_label=place_label, outcode=outcode)


# Parameters whose documented schema (search/openapi.py) is a number, a boolean, a pattern or
# a list of values: an empty value is not one of them. The search page's own form sends empty
# fields and treats them as not given; the API says so instead of guessing.
TYPED_PARAMETERS = (
    "bbox", "radius_km", "day", "time_from", "time_to", "time_of_day", "open_now", "free",
    "max_cost", "age", "delivery", "audience", "sort", "page", "page_size", "facets", "prefix",
    "all_statuses", "understand",
)  # fmt: skip


def refuse_blank_values(params: QueryDict) -> None:
    """Raise QueryError for a typed parameter given with an empty value (`?time_to=`)."""
    for name in TYPED_PARAMETERS:
        if any(not value.strip() for value in params.getlist(name)):
            raise QueryError(name, f"{name} is empty: give a value or leave it out.")
