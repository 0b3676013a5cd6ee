"""A person's answers (the JSON shape of POST /api/match) checked and turned into a Profile.

One parser for the API, the facilitated flow (answers read from the person's record) and the
kiosk (answers carried in the page), so all three accept and refuse the same things.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from assets_directory.geocoding import GeocodingError, geocode
from common.vocabulary import DELIVERY, WEEKDAY_SLUGS
from search.query import GeoPoint, QueryError

from . import vocabulary
from .network import members_from_dicts
from .scoring import FreeTime, Profile
from .selectors import access_slugs, category_slugs, condition_names

LAT_LNG = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class MatchInputError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def _slug_list(data: dict, name: str, known: set[str], *, limit: int | None = None) -> tuple:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise MatchInputError(name, "Give a list of slugs (see /api/match/vocabulary).")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise MatchInputError(name, f"Unknown: {', '.join(unknown)} (see /api/match/vocabulary).")
    if limit is not None and len(value) > limit:
        raise MatchInputError(name, f"Choose at most {limit}.")
    return tuple(dict.fromkeys(value))


def _number(data: dict, name: str, *, minimum: str = "0", maximum: str | None = None):
    """A number within [minimum, maximum], compared as decimals (0.1 is 0.1, not the float
    just above it); absent means no limit, and null is refused like any other non-number."""
    if name not in data:
        return None
    value = data[name]
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MatchInputError(name, f"Give a number, or leave {name} out for no limit.")
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise MatchInputError(name, "Give a number.") from exc
    low, high = Decimal(minimum), Decimal(maximum) if maximum is not None else None
    if not number.is_finite() or number < low or (high is not None and number > high):
        limit = f" up to {maximum}" if maximum is not None else ""
        raise MatchInputError(name, f"Give a number from {minimum}{limit}.")
    return number


def _near(data: dict) -> GeoPoint:
    raw = data.get("near")
    if not isinstance(raw, str) or not raw.strip():
        raise MatchInputError("near", "Give a postcode, an outward code or 'lat,lng'.")
    match = LAT_LNG.match(raw)
    try:
        if match:
            return GeoPoint(float(match.group(1)), float(match.group(2)))
        result = geocode(raw)
    except GeocodingError as exc:
        raise MatchInputError("near", exc.message) from exc
    except QueryError as exc:
        raise MatchInputError("near", exc.message) from exc
    area = result.outcode if result.precision == "outcode" else ""
    return GeoPoint(result.latitude, result.longitude, area=area)


def _free_times(data: dict) -> tuple[FreeTime, ...]:
    items = data.get("free_times", [])
    if not isinstance(items, list):
        raise MatchInputError("free_times", 'Give a list like [{"day": "tue", "from": "09:00", '
                              '"to": "12:00"}].')  # fmt: skip
    times = []
    for index, item in enumerate(items):
        field = f"free_times[{index}]"
        if not isinstance(item, dict):
            raise MatchInputError(field, "Each free time needs day, from and to.")
        day = str(item.get("day", "")).lower()
        if day not in WEEKDAY_SLUGS:
            raise MatchInputError(f"{field}.day", "Days are mon, tue, wed, thu, fri, sat or sun.")
        parsed = []
        for key in ("from", "to"):
            match = HH_MM.match(str(item.get(key, "")))
            if not match:
                raise MatchInputError(f"{field}.{key}", "Give a time as HH:MM, like 09:30.")
            parsed.append(datetime.time(int(match.group(1)), int(match.group(2))))
        try:
            times.append(FreeTime(day=WEEKDAY_SLUGS.index(day), start=parsed[0], end=parsed[1]))
        except ValueError as exc:
            raise MatchInputError(f"{field}.to", str(exc)) from exc
    return tuple(times)


def _flag(data: dict, name: str) -> bool:
    value = data.get(name, False)
    if not isinstance(value, bool):
        raise MatchInputError(name, "Give true or false, or leave it out.")
    return value


def _choice(data: dict, name: str, allowed) -> str:
    value = data.get(name, "")
    if not isinstance(value, str) or (value and value not in allowed):
        raise MatchInputError(name, f"Give one of {', '.join(allowed)}, or leave it out.")
    return value


def parse_match_request(data) -> tuple[GeoPoint, Profile, list]:
    if not isinstance(data, dict):
        raise MatchInputError(None, "Send a JSON object.")
    near = _near(data)
    categories = category_slugs()
    top_three = _slug_list(data, "top_three", categories, limit=3)
    interests = _slug_list(data, "interests", categories)
    needs = _slug_list(data, "needs", set(vocabulary.NEED_CATEGORIES))
    access = _slug_list(data, "access_needs", access_slugs())
    delivery = _slug_list(data, "delivery", set(DELIVERY))
    travel_km = _number(data, "max_travel_km", minimum="0.1", maximum="200")
    max_cost = _number(data, "max_cost", minimum="0")
    conditions = set(condition_names())
    about = {
        "age_band": _choice(data, "age_band", vocabulary.AGE_BAND_RANGES),
        "conditions": _slug_list(data, "conditions", conditions),
        "cares_for": _flag(data, "cares_for"),
        "cared_for_conditions": _slug_list(data, "cared_for_conditions", conditions),
        "young_children": _flag(data, "young_children"),
        "single_sex": _choice(data, "single_sex", dict(vocabulary.SINGLE_SEX_GROUPS)),
    }
    members = []
    if "network" in data:
        network = data["network"]
        if not isinstance(network, dict) or not isinstance(network.get("members", []), list):
            raise MatchInputError("network", 'Give {"members": [...]}, or leave network out.')
        try:
            members = members_from_dicts(network.get("members", []))
        except ValueError as exc:
            message = str(exc)
            field, _, text = message.partition(": ")
            raise MatchInputError(
                f"network.{field}" if text else "network", text or message
            ) from exc
    profile = Profile(
        top_three=top_three,
        interests=interests,
        needs=needs,
        free_times=_free_times(data),
        max_travel_m=float(travel_km) * 1000 if travel_km is not None else None,
        max_cost=max_cost,
        access_needs=access,
        delivery=delivery,
        **about,
    )
    return near, profile, members
