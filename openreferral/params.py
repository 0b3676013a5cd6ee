"""The feed's query parameters, read and checked: a bad value raises `BadParameter`.

Unknown parameters are ignored (harvesters send their own), but every parameter the feed
knows is checked whatever it holds: the answer to a bad one is a 400 naming it, never a 500.
"""

from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime

from common.text import has_control_character

from . import ids

DEFAULT_PER_PAGE = 50
# A page of fully nested services is about 2 kB each: 500 keeps a page well under 1 MB.
MAX_PER_PAGE = 500
# minimal=true: "aim to return all services within one call". Its items are about 150 bytes
# each, so one page holds every service of a large directory (100,000): that is its default.
MAX_MINIMAL_PER_PAGE = 100_000
MAX_PAGE = 1_000_000
MAX_TEXT = 200
# Longer than any postcode written with spaces.
MAX_POSTCODE = 16
MAX_AGE = 120
FORMATS = ("json", "ndjson")
_DAYS = {
    **{code.lower(): i for i, code in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))},
    **{s: i for i, s in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))},
    **{
        name: i
        for i, name in enumerate(
            ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        )
    },
}
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")
_WHOLE = re.compile(r"^\d{1,9}$")
_NUMBER = re.compile(r"^\d{1,9}(?:\.\d{1,6})?$")


class BadParameter(ValueError):
    """A parameter the feed cannot answer; `field` names it, `message` says why."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    # ndjson: every record, streamed, without pages.
    stream: bool = False
    # full=true: a list's items fully nested, as their item endpoint gives them.
    full: bool = False
    # minimal=true (/services only): each item just its id and when it last changed.
    minimal: bool = False

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass(frozen=True)
class Filters:
    """What a list is narrowed to; every part optional, and all of them combine with AND."""

    text: str = ""
    # A term's id, read; None when not asked for.
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    parent_id: str | None = None
    top_only: bool = False
    modified_after: datetime.datetime | None = None
    postcode: str = ""
    proximity_m: float | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: int | None = None
    start_time: datetime.time | None = None
    end_time: datetime.time | None = None

    @property
    def asks_sessions(self) -> bool:
        return self.day is not None or self.start_time is not None or self.end_time is not None


def _value(params: QueryDict, name: str) -> str | None:
    """A parameter's value, stripped; None when it is not given. Empty counts as not given."""
    if name not in params:
        return None
    values = params.getlist(name)
    if len(values) > 1:
        raise BadParameter(name, f"Give {name} once.")
    value = values[0]
    if has_control_character(value):
        raise BadParameter(name, f"{name} contains a control character.")
    value = value.strip()
    return value or None


def _whole(params: QueryDict, name: str, *, low: int, high: int) -> int | None:
    raw = _value(params, name)
    if raw is None:
        return None
    if not (raw.isascii() and _WHOLE.match(raw)) or not low <= int(raw) <= high:
        raise BadParameter(name, f"{name} must be a whole number from {low} to {high:,}.")
    return int(raw)


def _id(params: QueryDict, name: str) -> str | None:
    raw = _value(params, name)
    if raw is None:
        return None
    value = ids.parse_uuid(raw)
    if value is None:
        raise BadParameter(name, f"{name} must be a UUID.")
    return str(value)


def _bool(params: QueryDict, name: str) -> bool:
    raw = _value(params, name)
    if raw is None:
        return False
    if raw.lower() not in ("true", "false"):
        raise BadParameter(name, f"{name} must be true or false.")
    return raw.lower() == "true"


def _time(params: QueryDict, name: str) -> datetime.time | None:
    raw = _value(params, name)
    if raw is None:
        return None
    match = _TIME.match(raw) if raw.isascii() else None
    if not match:
        raise BadParameter(name, f"Give {name} as HH:MM, for example 09:30.")
    return datetime.time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def _moment(params: QueryDict, name: str) -> datetime.datetime | None:
    raw = _value(params, name)
    if raw is None:
        return None
    moment = None
    if raw.isascii() and len(raw) <= 40:
        try:
            moment = parse_datetime(raw.replace(" ", "+"))  # "+" arrives as a space
            if moment is None:
                day = parse_date(raw)
                moment = datetime.datetime.combine(day, datetime.time()) if day else None
        except ValueError:
            moment = None
    if moment is None:
        raise BadParameter(name, f"Give {name} as a date and time, e.g. 2026-01-31T09:00:00Z.")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def read_paging(params: QueryDict, *, allows_minimal: bool = False) -> Paging:
    """Pages, format and nesting; `allows_minimal` for the one list the OpenAPI gives
    `minimal` (/services): elsewhere it is not read, so it cannot stretch another list's pages."""
    fmt = _value(params, "format")
    if fmt is not None and fmt.lower() not in FORMATS:
        raise BadParameter("format", "format is json or ndjson.")
    full = _bool(params, "full")
    minimal = allows_minimal and _bool(params, "minimal")
    if minimal and full:
        raise BadParameter("minimal", "Give minimal=true or full=true, not both.")
    most = MAX_MINIMAL_PER_PAGE if minimal else MAX_PER_PAGE
    page = _whole(params, "page", low=1, high=MAX_PAGE)
    per_page = _whole(params, "per_page", low=1, high=most)
    return Paging(
        page=page or 1,
        per_page=per_page or (MAX_MINIMAL_PER_PAGE if minimal else DEFAULT_PER_PAGE),
        stream=fmt is not None and fmt.lower() == "ndjson",
        full=full,
        minimal=minimal,
    )


def read_full_service(params: QueryDict) -> bool:
    """full_service=true: an organization's services each fully nested (/organizations and
    /organizations/{id})."""
    return _bool(params, "full_service")


def read_filters(params: QueryDict) -> Filters:
    text = _value(params, "search") or ""
    if len(text) > MAX_TEXT:
        raise BadParameter("search", f"search may be at most {MAX_TEXT} characters long.")
    postcode = _value(params, "postcode") or ""
    if len(postcode) > MAX_POSTCODE:
        raise BadParameter("postcode", "postcode must be a UK postcode, e.g. SW18 4DJ.")
    proximity = _value(params, "proximity")
    proximity_m = None
    if proximity is not None:
        if not postcode:
            raise BadParameter("proximity", "proximity needs a postcode: give postcode as well.")
        if not (proximity.isascii() and _NUMBER.match(proximity)):
            raise BadParameter("proximity", "proximity must be a number of metres.")
        proximity_m = float(proximity)
        if not (math.isfinite(proximity_m) and proximity_m > 0):
            raise BadParameter("proximity", "proximity must be more than 0 metres.")
    day = _value(params, "day")
    if day is not None and day.lower() not in _DAYS:
        raise BadParameter("day", "day is one of MO, TU, WE, TH, FR, SA or SU.")
    filters = Filters(
        text=text,
        taxonomy_term_id=_id(params, "taxonomy_term_id"),
        taxonomy_id=_id(params, "taxonomy_id"),
        organization_id=_id(params, "organization_id"),
        parent_id=_id(params, "parent_id"),
        top_only=_bool(params, "top_only"),
        modified_after=_moment(params, "modified_after"),
        postcode=postcode,
        proximity_m=proximity_m,
        minimum_age=_whole(params, "minimum_age", low=0, high=MAX_AGE),
        maximum_age=_whole(params, "maximum_age", low=0, high=MAX_AGE),
        day=_DAYS[day.lower()] if day is not None else None,
        start_time=_time(params, "start_time"),
        end_time=_time(params, "end_time"),
    )
    if (
        filters.minimum_age is not None
        and filters.maximum_age is not None
        and filters.maximum_age < filters.minimum_age
    ):
        raise BadParameter("maximum_age", "maximum_age must not be less than minimum_age.")
    return filters
