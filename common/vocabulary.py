"""The site's words for days, times, ordinals, cost, delivery and audiences, defined once.

Pure Python (no Django): the directory's models and schedules, the search filters, the matching
engine's reasons and every page import these, so a label changes in one place and a value the
API accepts is the value the forms offer.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from types import MappingProxyType

# Days -----------------------------------------------------------------------------------------

# Index 0 is Monday, as datetime.date.weekday() counts.
WEEKDAY_SLUGS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_PLURALS = tuple(f"{name}s" for name in DAY_NAMES)
DAY_CHOICES = tuple(zip(WEEKDAY_SLUGS, DAY_NAMES, strict=True))
# RFC 5545 (iCalendar) BYDAY codes, which HSDS schedules use.
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Times of day, as the search filter and the preferences form offer them: start and end (an
# end of midnight means "to the end of the day").
TIMES_OF_DAY = MappingProxyType(
    {
        "morning": (datetime.time(6, 0), datetime.time(12, 0)),
        "afternoon": (datetime.time(12, 0), datetime.time(17, 0)),
        "evening": (datetime.time(17, 0), datetime.time(0, 0)),
    }
)
TIME_OF_DAY_CHOICES = tuple((slug, slug.capitalize()) for slug in TIMES_OF_DAY)

# Ordinals -------------------------------------------------------------------------------------

# Which week of the month a monthly session falls in ("Second Tuesday of the month").
MONTH_WEEK_ORDINALS = MappingProxyType(
    {1: "First", 2: "Second", 3: "Third", 4: "Fourth", -1: "Last"}
)


def ordinal_number(number: int) -> str:
    """'1st', '2nd', '3rd', '4th', '11th', '21st': a position in a list someone ordered."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# Cost and delivery ----------------------------------------------------------------------------

COST_CHOICES = (("free", "Free"), ("pay_what_you_can", "Pay what you can"), ("paid", "Paid"))
COST_LABELS = MappingProxyType(dict(COST_CHOICES))

# How an activity reaches people: the editor's fuller words, and the short ones shown on cards,
# filters and reasons.
DELIVERY_CHOICES = (
    ("in_person", "In person at a venue"),
    ("online", "Online"),
    ("phone", "By phone"),
    ("area_wide", "Across an area (for example home visits)"),
)
DELIVERY = tuple(slug for slug, _ in DELIVERY_CHOICES)
DELIVERY_LABELS = MappingProxyType(
    {"in_person": "In person", "online": "Online", "phone": "By phone", "area_wide": "Comes to you"}
)

# Who an activity is for -------------------------------------------------------------------------

# Whom an activity is meant for, when not for everyone. An activity may name several ("older
# women"); none means open to everyone. The search index holds EVERYONE for those, so a filter
# can ask for "open to everyone" like any other audience.
AUDIENCE_CHOICES = (
    ("condition", "People living with a health condition"),
    ("carers", "Carers"),
    ("young_children", "Parents and carers with babies or young children"),
    ("older", "Older people"),
    ("young", "Young people"),
    ("women", "Women only"),
    ("men", "Men only"),
    ("lgbtq", "LGBTQ+ people"),
    ("community", "A faith, cultural or language community"),
)
AUDIENCES = tuple(slug for slug, _ in AUDIENCE_CHOICES)
EVERYONE = "everyone"
# As the "Who it's for" filter and the search API name them, open to everyone first.
AUDIENCE_LABELS = MappingProxyType(
    {
        EVERYONE: "Open to everyone",
        "condition": "People with a health condition",
        "carers": "Carers",
        "young_children": "Parents with young children",
        "older": "Older people",
        "young": "Young people",
        "women": "Women only",
        "men": "Men only",
        "lgbtq": "LGBTQ+",
        "community": "A particular community",
    }
)


def audience_slugs(value: str | Sequence[str]) -> tuple[str, ...]:
    """The audiences a stored value ("older,women") names, in the vocabulary's order; unknown
    slugs are dropped."""
    if isinstance(value, str):
        value = value.split(",")
    named = {slug.strip() for slug in value}
    return tuple(slug for slug in AUDIENCES if slug in named)


# Text -----------------------------------------------------------------------------------------


def join_words(words: Sequence[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (no Oxford comma, as GOV.UK writes)."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def clock(value: datetime.time) -> str:
    """'09:30': the 24-hour clock, as GOV.UK style and the schedules use."""
    return f"{value.hour:02d}:{value.minute:02d}"


def time_range(start: datetime.time, end: datetime.time | None) -> str:
    """'10:00 to 12:00', or '10:00' when the end is not known."""
    return f"{clock(start)} to {clock(end)}" if end else clock(start)


def long_date(value: datetime.date) -> str:
    """'5 January 2026': built by hand, so never the server's locale and no leading zero."""
    return f"{value.day} {MONTH_NAMES[value.month - 1]} {value.year}"
