"""Explainable match scores: how well one activity fits one person, out of 100.

The matching flow (network map, preference questionnaire with a "top three", PLANS needs) ends
here: each search hit becomes a :class:`Candidate`, the person's answers a :class:`Profile`, and
:func:`score_candidate` returns a :class:`Suggestion` whose score is a plain sum of components,
each with a reason a link worker can read out. Pure Python, no database, so it is cheap to test
and to re-run as answers change.

Hard limits come first: a candidate that breaks one is not suggested at all (``None``), however
well it scores otherwise.

- access: in person at a venue, and a feature the person needs is missing from the venue
  (online, phone and area-wide activities have no venue to get into);
- cost: over ``max_cost`` (free and pay-what-you-can count as 0; a paid activity with no amount
  fails whenever a limit is set, because we cannot promise it is affordable);
- distance: further than ``max_travel_m`` (area-wide, online and phone ones pass, and so does an
  in-person one whose distance is unknown: leaving it out would hide it for lack of data);
- delivery: not one of ``profile.delivery``, when given;
- times: the person gave free times, the activity lists sessions, and none of them overlaps a
  free time on the same day (no sessions known: it passes, with "Ask about times");
- who it is for (see :func:`_fits_audience`): an activity for people living with a condition
  only for someone who lives with one of its conditions, or who cares for someone who does
  where carers are welcome; one for carers only for carers; one for parents of young children
  only for them; women-only or men-only groups only for someone who said one would suit them;
  an age limit, or one for older or young people, only for someone whose age band fits (an
  unknown age passes the age limits: nothing is known to rule it out).

What the person did not say about themselves rules out the activities meant for others: with
no condition given, no condition group is suggested. Referral-only activities stay, labelled
"Ask your link worker to refer you".

Components (the weights add up to 100):

=========  ======  ===========================================================================
part       points  how
=========  ======  ===========================================================================
interest   30      one of the person's top three categories: 30; otherwise another interest: 15
need       25      helps with a need: 25 x priority weight of the most important need it meets;
                   weights 1.0, 0.8, 0.6, 0.4, then 0.2 for the 5th need onwards
distance   15      in person: 15 x (1 - distance / scale), scale = ``max_travel_m`` or 5 km,
                   never below 0; online, phone or comes-to-you: 10 (no journey, but a place
                   nearby also builds local ties); distance unknown: 7.5 (neither rewarded
                   nor punished for missing data)
schedule   12      12 x share of sessions inside a free time (a session only partly inside
                   counts half); no free times given: 12; no sessions known: 0
cost       8       free: 8; pay what you can: 6; paid: 4 x (1 - amount / £20), never below 0;
                   paid with no amount: 0
access     5       the person has no access needs, or a venue has them all: 5; online, phone
                   and area-wide activities: 0 (they pass the limit, but nothing is confirmed)
network    5       the person wants more groups and this is a group activity: 5; the person
                   did not ask for groups: 5 for everyone (nothing to tell apart); one-to-one
                   when groups were wanted: 0
=========  ======  ===========================================================================

Components that answer a question the person did not ask (no access needs, no free times, not
looking for groups) give full points to everyone, so an ideal match still scores 100 and the
ranking is decided by what the person did say.

Reasons are short phrases in sentence case, most important (largest contribution) first, for
example ``Singing, as you chose · 800 m away · Tuesdays 10:00, when you are free · Free ·
Step-free``. Distances use the same format as the search results page.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from assets_directory import scheduling
from assets_directory.audience import in_sentence
from common.geo import distance_text
from common.vocabulary import (
    COST_LABELS,
    DAY_NAMES,
    DAY_PLURALS,
    DELIVERY_LABELS,
    EVERYONE,
    MONTH_WEEK_ORDINALS,
    clock,
    join_words,
)
from matching.vocabulary import AGE_BAND_RANGES, IN_PERSON_NEEDS, NEED_CATEGORIES, NEED_LABELS

WEIGHTS = MappingProxyType(
    {
        "interest": 30.0,
        "need": 25.0,
        "distance": 15.0,
        "schedule": 12.0,
        "cost": 8.0,
        "access": 5.0,
        "network": 5.0,
    }
)
PART_ORDER = tuple(WEIGHTS)

TOP_THREE_MAX = 3
# Liked, but not chosen as one of the three: the GENIE questionnaire narrows choice on purpose,
# so the three chosen ones count double.
OTHER_INTEREST_SHARE = 0.5
NEED_PRIORITY_WEIGHTS = (1.0, 0.8, 0.6, 0.4)
NEED_PRIORITY_FLOOR = 0.2
DEFAULT_TRAVEL_SCALE_M = 5000.0
TRAVEL_FREE_SHARE = 2 / 3
UNKNOWN_DISTANCE_SHARE = 0.5
PARTLY_FREE_SHARE = 0.5
PAY_WHAT_YOU_CAN_SHARE = 0.75
PAID_SHARE = 0.5
PAID_COST_SCALE = 20.0  # pounds: a session at this price or more gets no cost points

DELIVERIES = ("in_person", "online", "phone", "area_wide")
COSTS = ("free", "pay_what_you_can", "paid")
# Free and pay-what-you-can never stop anyone taking part, so they count as nothing to pay.
NO_CHARGE_COSTS = frozenset({"free", "pay_what_you_can"})

DEFAULT_ONE_TO_ONE_CATEGORIES = frozenset(
    {"befriending", "advice", "money-and-debt", "benefits", "housing", "work-and-employment"}
)
# Search hits list every ancestor of a category, so a befriending service also carries its
# parent "social-and-friendship"; that parent alone must not turn it into a group.
DEFAULT_ONE_TO_ONE_PARENTS = frozenset({"social-and-friendship"})

ACCESS_LABELS = MappingProxyType(
    {
        "step-free": "Step-free",
        "accessible-toilet": "Accessible toilet",
        "hearing-loop": "Hearing loop",
        "bsl": "British Sign Language",
        "parking": "Parking",
        "public-transport": "Near public transport",
        "quiet-space": "Quiet space",
    }
)
# Reasons name how an activity reaches people who need not travel; in person needs no reason.
DELIVERY_REASONS = MappingProxyType(
    {slug: label for slug, label in DELIVERY_LABELS.items() if slug != "in_person"}
)
GROUP_REASON = "A group: a chance to meet new people"
ASK_ABOUT_TIMES = "Ask about times"
ASK_ABOUT_COST = "Ask about the cost"
REASON_SEPARATOR = " · "
REFERRAL_REASON = "Ask your link worker to refer you"
# At most this many suggestions from one organisation: a shortlist to choose from, not one
# group's timetable.
PER_ORGANISATION = 2
# Activities for older people are not suggested to someone whose age band ends before this,
# and those for young people not to someone whose band starts here.
OLDER_FROM = 50


# --------------------------------------------------------------------------------------------
# data


@dataclass(frozen=True)
class FreeTime:
    """A stretch of a week day when the person is free, e.g. Tuesday 09:00 to 12:00."""

    day: int  # 0=Mon..6=Sun
    start: datetime.time
    end: datetime.time

    def __post_init__(self) -> None:
        _check_day(self.day)
        _check_time("start", self.start)
        _check_time("end", self.end)
        if self.end <= self.start:
            raise ValueError(
                f"A free time must end after it starts ({clock(self.start)} to "
                f"{clock(self.end)}); split times across midnight into two days."
            )


@dataclass(frozen=True)
class Profile:
    """What the person told us: the answers the score is measured against.

    Sequences are normalised to tuples without repeats (first one kept), so a profile built
    from a form's lists is still hashable and compares equal to the same answers.
    """

    top_three: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()  # NEEDS slugs, most important first
    free_times: tuple[FreeTime, ...] = ()  # empty = any time
    max_travel_m: float | None = None
    max_cost: Decimal | None = None  # None = any; 0 = free only
    access_needs: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()  # empty = any
    wants_groups: bool = False
    # About themselves, only as much as they chose to say (see the module docstring).
    age_band: str = ""  # AGE_BAND_RANGES
    conditions: tuple[str, ...] = ()  # condition slugs they live with (special category data)
    cares_for: bool = False
    cared_for_conditions: tuple[str, ...] = ()  # of the person they care for
    young_children: bool = False
    single_sex: str = ""  # "women" or "men": which single-sex groups would suit them

    def __post_init__(self) -> None:
        if self.age_band and self.age_band not in AGE_BAND_RANGES:
            raise ValueError(
                f"Unknown age band {self.age_band!r}: choose from {', '.join(AGE_BAND_RANGES)}."
            )
        if self.single_sex not in ("", "women", "men"):
            raise ValueError(f"single_sex is 'women', 'men' or empty, not {self.single_sex!r}.")
        for name in (
            "top_three",
            "interests",
            "needs",
            "access_needs",
            "delivery",
            "conditions",
            "cared_for_conditions",
        ):
            object.__setattr__(self, name, _unique_strings(name, getattr(self, name)))
        if len(self.top_three) > TOP_THREE_MAX:
            raise ValueError(
                f"Choose at most {TOP_THREE_MAX} activities as the top three, "
                f"not {len(self.top_three)}."
            )
        unknown = [slug for slug in self.needs if slug not in NEED_CATEGORIES]
        if unknown:
            raise ValueError(
                f"Unknown need {unknown[0]!r}: choose from {', '.join(NEED_CATEGORIES)}."
            )
        unknown = [value for value in self.delivery if value not in DELIVERIES]
        if unknown:
            raise ValueError(
                f"Unknown delivery {unknown[0]!r}: choose from {', '.join(DELIVERIES)}."
            )
        free_times = tuple(self.free_times)
        if not all(isinstance(slot, FreeTime) for slot in free_times):
            raise ValueError("free_times must be FreeTime values.")
        object.__setattr__(self, "free_times", tuple(dict.fromkeys(free_times)))
        if self.max_travel_m is not None:
            if isinstance(self.max_travel_m, bool) or self.max_travel_m < 0:
                raise ValueError(f"The furthest distance cannot be negative ({self.max_travel_m}).")
            object.__setattr__(self, "max_travel_m", float(self.max_travel_m))
        if self.max_cost is not None:
            object.__setattr__(self, "max_cost", _to_decimal(self.max_cost))


@dataclass(frozen=True)
class Session:
    """One slot of an activity: the day and the time it runs (end may be unknown), and how
    often, so that a monthly session is not described as if it ran every week."""

    day: int  # 0=Mon..6=Sun
    start: datetime.time
    end: datetime.time | None = None
    frequency: str = "weekly"  # "weekly" | "fortnightly" | "monthly" | "once"
    nth: int | None = None  # monthly: 1-4 or -1 for the last
    on_date: datetime.date | None = None  # once: the date

    def __post_init__(self) -> None:
        _check_day(self.day)
        _check_time("start", self.start)
        if self.end is not None:
            _check_time("end", self.end)
            if self.end <= self.start:
                raise ValueError(
                    f"A session must end after it starts ({clock(self.start)} to "
                    f"{clock(self.end)})."
                )


@dataclass(frozen=True)
class Candidate:
    """An activity as the matcher sees it; build one from a search hit with
    :func:`candidate_from_hit`."""

    id: int
    title: str
    url: str = ""
    categories: frozenset[str] = frozenset()  # slugs incl. ancestors
    # Display names only, so they take no part in equality or hashing.
    category_names: Mapping[str, str] = field(default_factory=dict, compare=False)
    distance_m: float | None = None
    # The outward code the distance is measured from the centre of, if it is (see GeoPoint.area).
    distance_area: str = field(default="", compare=False)
    area_wide: bool = False
    delivery: str = "in_person"
    cost: str = "free"
    cost_amount: float | None = None
    access: frozenset[str] = frozenset()
    sessions: tuple[Session, ...] = ()
    group_activity: bool = True
    next_session: datetime.datetime | None = None
    # Whom it is for: audiences (common.vocabulary.AUDIENCES; empty = everyone) and condition
    # slugs, with the conditions' names for reasons; the ages of those who take part.
    audience: frozenset[str] = frozenset()
    conditions: frozenset[str] = frozenset()
    condition_names: Mapping[str, str] = field(default_factory=dict, compare=False)
    carers_welcome: bool = True
    referral: bool = False
    capacity: str = "open"  # Activity.Capacity: open, waiting_list, full
    age_min: int = 0
    age_max: int = 120
    # Who runs it, for "at most two from one organisation" and one entry per activity.
    organisation: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", frozenset(self.categories))
        object.__setattr__(self, "access", frozenset(self.access))
        object.__setattr__(self, "audience", frozenset(self.audience) - {EVERYONE})
        object.__setattr__(self, "conditions", frozenset(self.conditions))
        object.__setattr__(self, "sessions", tuple(self.sessions))


@dataclass(frozen=True)
class Suggestion:
    """A scored candidate: the score out of 100, each part's points and the reasons."""

    candidate: Candidate
    score: float
    parts: Mapping[str, float] = field(hash=False)
    reasons: tuple[str, ...] = ()
    # The same activity's other listings (more times or places of one group's "Knit and
    # natter"), best first: shown under it rather than as suggestions of their own.
    others: tuple[Candidate, ...] = field(default=(), hash=False, compare=False)

    @property
    def reason_line(self) -> str:
        """The reasons as one line, e.g. "Singing, as you chose · 800 m away · Free"."""
        return REASON_SEPARATOR.join(self.reasons)


# --------------------------------------------------------------------------------------------
# from search


def candidate_from_hit(
    hit,
    *,
    category_names: Mapping[str, str] | None = None,
    condition_names: Mapping[str, str] | None = None,
    distance_area: str = "",
    one_to_one_categories: frozenset[str] = DEFAULT_ONE_TO_ONE_CATEGORIES,
    one_to_one_parents: frozenset[str] = DEFAULT_ONE_TO_ONE_PARENTS,
) -> Candidate:
    """Turn a :class:`search.results.SearchHit` into a :class:`Candidate`.

    Sessions come from the hit's HSDS schedules; one this model cannot read is skipped rather
    than failing the whole match, because the activity is still worth suggesting ("ask about
    times" at worst). An activity is not a group when it is by phone, or when every category
    it has is a one-to-one kind (befriending, advice...), ignoring the broad parents in
    ``one_to_one_parents`` that the index adds as ancestors of those kinds.
    """
    categories = frozenset(hit.categories)
    one_to_one = categories & one_to_one_categories
    only_one_to_one = bool(one_to_one) and categories <= one_to_one_categories | one_to_one_parents
    delivery = hit.delivery or "in_person"
    return Candidate(
        id=hit.id,
        title=hit.title,
        url=hit.url,
        categories=categories,
        category_names=dict(category_names or {}),
        distance_m=hit.distance_m,
        distance_area=distance_area,
        area_wide=hit.area_wide,
        delivery=delivery,
        # An unknown cost is treated as paid with no amount: safer than promising "free".
        cost=hit.cost if hit.cost in COSTS else "paid",
        cost_amount=hit.cost_amount,
        access=frozenset(hit.access),
        sessions=_sessions_of(hit),
        group_activity=delivery != "phone" and not only_one_to_one,
        next_session=hit.next_session,
        audience=frozenset(hit.audience),
        conditions=frozenset(hit.conditions),
        condition_names={
            slug: name for slug, name in (condition_names or {}).items() if slug in hit.conditions
        },
        carers_welcome=hit.carers_welcome,
        referral=hit.booking == "referral",
        capacity=getattr(hit, "capacity", "open") or "open",
        age_min=hit.age_min,
        age_max=hit.age_max,
        organisation=hit.organisation,
    )


# Sessions by the hit's schedule as JSON (SearchHit.schedule_key): many activities share a
# pattern ("Tuesdays 10:00 to 12:00"), and a match reads hundreds of hits. Sessions are frozen,
# so one tuple can serve them all.
_SESSIONS_BY_SCHEDULE: dict[bytes, tuple[Session, ...]] = {}
_SESSIONS_KEPT = 4096


def _sessions_of(hit) -> tuple[Session, ...]:
    key = getattr(hit, "schedule_key", b"")
    if not key:
        return _sessions_from_hsds(hit.schedule)
    sessions = _SESSIONS_BY_SCHEDULE.get(key)
    if sessions is None:
        if len(_SESSIONS_BY_SCHEDULE) >= _SESSIONS_KEPT:
            _SESSIONS_BY_SCHEDULE.clear()
        sessions = _SESSIONS_BY_SCHEDULE[key] = _sessions_from_hsds(hit.schedule)
    return sessions


def _sessions_from_hsds(schedule: Iterable[dict]) -> tuple[Session, ...]:
    sessions: dict[Session, None] = {}
    for data in schedule or ():
        try:
            rule = scheduling.from_hsds(data)
        except (ValueError, TypeError, AttributeError):
            continue
        days = rule.weekdays or ((rule.on_date.weekday(),) if rule.on_date else ())
        for day in days:
            session = Session(
                day=day,
                start=rule.start_time,
                end=rule.end_time,
                frequency=rule.frequency,
                nth=rule.nth if rule.frequency == "monthly" else None,
                on_date=rule.on_date if rule.frequency == "once" else None,
            )
            sessions[session] = None
    return tuple(sorted(sessions, key=_session_key))


# --------------------------------------------------------------------------------------------
# scoring


# An activity that is full, or keeps a waiting list, is still suggested (places come up), but
# after those with room: its score is scaled down, and its reasons say why.
CAPACITY_FACTORS = {"open": 1.0, "waiting_list": 0.85, "full": 0.6}
CAPACITY_REASONS = {"waiting_list": "Has a waiting list", "full": "Full at the moment"}


def score_candidate(candidate: Candidate, profile: Profile) -> Suggestion | None:
    """Score one candidate for one person, or ``None`` when it breaks a hard limit.

    The score is the sum of the parts (see the module docstring for the weights), rounded to
    one decimal place; the reasons are ordered by how much their part contributed.
    """
    if not _passes_limits(candidate, profile):
        return None
    fit = _fits_audience(candidate, profile)
    if fit is None:
        return None
    scored = (
        ("interest", _interest(candidate, profile)),
        ("need", _need(candidate, profile)),
        ("distance", _distance(candidate, profile)),
        ("schedule", _schedule(candidate, profile)),
        ("cost", _cost(candidate)),
        ("access", _access(candidate, profile)),
        ("network", _network(candidate, profile)),
    )
    parts = {name: points for name, (points, _) in scored}
    total = min(100.0, max(0.0, sum(parts.values()))) * CAPACITY_FACTORS.get(candidate.capacity, 1)
    # Largest contribution first; equal ones keep the fixed part order (sort is stable).
    ordered = [(name, reason) for name, (_, reason) in sorted(scored, key=lambda i: -i[1][0])]
    ordered = [(name, reason) for name, reason in ordered if reason]
    # Why it is meant for someone like them follows what they chose and need, before the
    # practical reasons: it tells them it is not a group for somebody else.
    lead = 0
    while lead < len(ordered) and ordered[lead][0] in ("interest", "need"):
        lead += 1
    reasons = tuple(reason for _, reason in ordered)
    reasons = (*reasons[:lead], *fit, *reasons[lead:])
    if candidate.referral:
        reasons = (*reasons, REFERRAL_REASON)
    if candidate.capacity in CAPACITY_REASONS:
        reasons = (*reasons, CAPACITY_REASONS[candidate.capacity])
    return Suggestion(
        candidate=candidate,
        score=round(total, 1),
        parts=MappingProxyType({name: round(points, 2) for name, points in parts.items()}),
        reasons=reasons,
    )


def rank_candidates(
    candidates: Iterable[Candidate], profile: Profile, *, limit: int = 10
) -> list[Suggestion]:
    """Score every candidate, drop those over a hard limit, and return the best ``limit``.

    Order: score (highest first), then distance (nearest first, unknown last), then id, so
    equal scores always come out in the same order.

    Variety: each activity is listed once (a group's other listings of it go in ``others``),
    and a third suggestion from one organisation, or with one title, only makes the list
    once nothing else fits; those in the list are then ordered best first.

    Each of the top three the person chose keeps a place: when none of the best ``limit`` is
    in it, its best-scoring candidate replaces the lowest suggestion that is not itself the
    only one of another choice. A need met nearby can outscore a chosen interest a little
    further away, but the list should still answer "what about the thing I chose?".
    """
    if limit < 0:
        raise ValueError(f"limit must not be negative, got {limit}.")
    suggestions = [
        suggestion
        for suggestion in (score_candidate(candidate, profile) for candidate in candidates)
        if suggestion is not None
    ]
    suggestions.sort(key=_rank_key)
    suggestions = _few_alike(_one_entry_per_activity(suggestions))
    chosen = suggestions[:limit]
    rest = suggestions[limit:]
    for slug in profile.top_three[:limit]:
        if any(slug in s.candidate.categories for s in chosen):
            continue
        best = next((s for s in rest if slug in s.candidate.categories), None)
        if best is None:
            continue
        sole = [_only_one_of(other, chosen) for other in profile.top_three if other != slug]
        keep = {id(s) for s in sole if s is not None}
        replaceable = [i for i in range(len(chosen)) if id(chosen[i]) not in keep]
        if len(chosen) >= limit:
            if not replaceable:
                continue
            rest.append(chosen.pop(replaceable[-1]))
        chosen.append(best)
        rest.remove(best)
    # Variety decided which are in the list; within it, best first.
    chosen.sort(key=_rank_key)
    return chosen


def _activity_key(candidate: Candidate) -> tuple[str, str]:
    return activity_key(candidate.organisation, candidate.title)


def activity_key(organisation: str, title: str) -> tuple[str, str]:
    """What makes two listings one activity: one organisation's title, case and spacing aside."""
    return (organisation.casefold(), " ".join(title.casefold().split()))


class _Alike:
    """Counts listings by organisation and by title, to tell when one is one too many."""

    def __init__(self):
        self.by_organisation: dict[str, int] = {}
        self.by_title: dict[str, int] = {}

    def count(self, organisation: str, title: str) -> tuple[bool, bool]:
        """Count one more listing (an activity_key): whether it is a third (or later) of its
        organisation, and whether it is a third of its title."""
        self.by_title[title] = self.by_title.get(title, 0) + 1
        if not organisation:
            return False, self.by_title[title] > PER_ORGANISATION
        self.by_organisation[organisation] = self.by_organisation.get(organisation, 0) + 1
        return (
            self.by_organisation[organisation] > PER_ORGANISATION,
            self.by_title[title] > PER_ORGANISATION,
        )


def variety(listings: Iterable[tuple[str, str]]) -> int:
    """How many suggestions these (organisation, title) listings can make with each activity
    once and at most two of one organisation (what the matching engine retrieves until)."""
    alike = _Alike()
    seen: set[tuple[str, str]] = set()
    count = 0
    for organisation, title in listings:
        key = activity_key(organisation, title)
        if organisation and key in seen:
            continue
        seen.add(key)
        crowded, _ = alike.count(*key)
        count += not crowded
    return count


def _one_entry_per_activity(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The best-ranked listing of each activity (one organisation's title), carrying its other
    listings as `others`, in rank order. Without an organisation, every listing is its own."""
    first: dict[tuple[str, str], int] = {}
    kept: list[Suggestion] = []
    others: dict[int, list[Candidate]] = {}
    for suggestion in suggestions:
        key = _activity_key(suggestion.candidate)
        if suggestion.candidate.organisation and key in first:
            others.setdefault(first[key], []).append(suggestion.candidate)
            continue
        first[key] = len(kept)
        kept.append(suggestion)
    for index, more in others.items():
        kept[index] = replace(kept[index], others=tuple(more))
    return kept


def _few_alike(suggestions: list[Suggestion]) -> list[Suggestion]:
    """The suggestions in rank order, except that a third (and later) with one title ("Knit
    and natter" run by four groups) goes after the rest, and a third from one organisation
    after those: a shortlist to choose from while others fit, but a small borough still
    offers what it has."""
    alike = _Alike()
    first, same_title, same_organisation = [], [], []
    for suggestion in suggestions:
        crowded, repeated = alike.count(*_activity_key(suggestion.candidate))
        if crowded:
            same_organisation.append(suggestion)
        elif repeated:
            same_title.append(suggestion)
        else:
            first.append(suggestion)
    # Another group's "Health walk" is a real choice where a fifth from one group is not.
    return first + same_title + same_organisation


def _only_one_of(slug: str, suggestions: list[Suggestion]) -> Suggestion | None:
    """The suggestion in category ``slug`` if it is the only one there, else None."""
    found = [s for s in suggestions if slug in s.candidate.categories]
    return found[0] if len(found) == 1 else None


def _rank_key(suggestion: Suggestion) -> tuple:
    distance = suggestion.candidate.distance_m
    return (
        -suggestion.score,
        distance is None,
        distance if distance is not None else 0.0,
        suggestion.candidate.id,
    )


# hard limits


def _passes_limits(candidate: Candidate, profile: Profile) -> bool:
    if _at_venue(candidate) and not set(profile.access_needs) <= candidate.access:
        return False
    if profile.max_cost is not None:
        charge = _charge(candidate)
        if charge is None or charge > profile.max_cost:
            return False
    if (
        profile.max_travel_m is not None
        and not _travel_free(candidate)
        and not candidate.area_wide
        and candidate.distance_m is not None
        and candidate.distance_m > profile.max_travel_m
    ):
        return False
    if profile.delivery and candidate.delivery not in profile.delivery:
        return False
    if profile.free_times and candidate.sessions:
        free = _free_by_day(profile.free_times)
        if not any(_fit(session, free) for session in candidate.sessions):
            return False
    return True


def _fits_audience(candidate: Candidate, profile: Profile) -> tuple[str, ...] | None:
    """Whether an activity is meant for someone like this person: None when it is meant for
    others, else the reasons it suits them (none when it is open to everyone)."""
    audience = candidate.audience
    reasons = []
    if "condition" in audience:
        lives = candidate.conditions & set(profile.conditions)
        cares = (
            profile.cares_for
            and candidate.carers_welcome
            and candidate.conditions & set(profile.cared_for_conditions)
        )
        if lives:
            reasons.append(f"For people with {_conditions_text(candidate, lives)}, like you")
        elif cares:
            reasons.append(f"Carers welcome: for people with {_conditions_text(candidate, cares)}")
        else:
            return None
    if "carers" in audience and "condition" not in audience:
        if not profile.cares_for:
            return None
        cared = set(profile.cared_for_conditions)
        if candidate.conditions and cared and not candidate.conditions & cared:
            return None
        reasons.append("For carers, like you")
    if "young_children" in audience:
        if not profile.young_children:
            return None
        reasons.append("For parents and carers of young children, like you")
    for sex, label in (("women", "Women only"), ("men", "Men only")):
        if sex in audience:
            if profile.single_sex != sex:
                return None
            reasons.append(f"{label}, as you asked")
    if profile.age_band:
        low, high = AGE_BAND_RANGES[profile.age_band]
        if high < candidate.age_min or low > candidate.age_max:
            return None
        if "older" in audience and high < OLDER_FROM:
            return None
        if "young" in audience and low >= OLDER_FROM:
            return None
    return tuple(reasons)


def _conditions_text(candidate: Candidate, slugs) -> str:
    names = [candidate.condition_names.get(slug) or _prettify(slug) for slug in sorted(slugs)]
    return join_words([in_sentence(name) for name in names], "or")


def _at_venue(candidate: Candidate) -> bool:
    return candidate.delivery == "in_person"


def _travel_free(candidate: Candidate) -> bool:
    return candidate.delivery != "in_person"


def _charge(candidate: Candidate) -> Decimal | None:
    """What one session costs, for the cost limit; ``None`` when paid but the price is unknown."""
    if candidate.cost in NO_CHARGE_COSTS:
        return Decimal(0)
    if candidate.cost_amount is None:
        return None
    return _decimal(candidate.cost_amount)


# components: each returns (points, reason or "")


def _interest(candidate: Candidate, profile: Profile) -> tuple[float, str]:
    weight = WEIGHTS["interest"]
    for slug in profile.top_three:
        if slug in candidate.categories:
            return weight, f"{_category_name(candidate, slug)}, as you chose"
    for slug in profile.interests:
        if slug in candidate.categories:
            return (
                weight * OTHER_INTEREST_SHARE,
                f"{_category_name(candidate, slug)}, which you enjoy",
            )
    return 0.0, ""


def _need(candidate: Candidate, profile: Profile) -> tuple[float, str]:
    for priority, need in enumerate(profile.needs):
        if need in IN_PERSON_NEEDS and candidate.delivery != "in_person":
            continue
        if candidate.categories & set(NEED_CATEGORIES[need]):
            label = NEED_LABELS[need]
            return (
                WEIGHTS["need"] * _need_weight(priority),
                f"Helps with {label[:1].lower()}{label[1:]}",
            )
    return 0.0, ""


def _need_weight(priority: int) -> float:
    if priority < len(NEED_PRIORITY_WEIGHTS):
        return NEED_PRIORITY_WEIGHTS[priority]
    return NEED_PRIORITY_FLOOR


def _distance(candidate: Candidate, profile: Profile) -> tuple[float, str]:
    weight = WEIGHTS["distance"]
    if _travel_free(candidate):
        reason = DELIVERY_REASONS.get(candidate.delivery, "")
        return weight * TRAVEL_FREE_SHARE, reason
    if candidate.distance_m is None:
        return weight * UNKNOWN_DISTANCE_SHARE, ""
    scale = profile.max_travel_m if profile.max_travel_m else DEFAULT_TRAVEL_SCALE_M
    share = max(0.0, 1.0 - candidate.distance_m / scale)
    return weight * share, distance_text(candidate.distance_m, area=candidate.distance_area)


def _schedule(candidate: Candidate, profile: Profile) -> tuple[float, str]:
    weight = WEIGHTS["schedule"]
    sessions = sorted(candidate.sessions, key=_session_key)
    if not sessions:
        return 0.0, ASK_ABOUT_TIMES
    if not profile.free_times:
        return weight, _when(sessions, sessions[0].start, "")
    free = _free_by_day(profile.free_times)
    fits = [(session, _fit(session, free)) for session in sessions]
    credit = sum(1.0 if fit == _INSIDE else PARTLY_FREE_SHARE for _, fit in fits if fit)
    inside = [session for session, fit in fits if fit == _INSIDE]
    partly = [session for session, fit in fits if fit == _PARTLY]
    if inside:
        reason = _when(inside, inside[0].start, ", when you are free")
    else:
        # The hard limit guarantees at least one overlapping session here.
        reason = _when(partly, partly[0].start, ", partly when you are free")
    return weight * credit / len(sessions), reason


def _cost(candidate: Candidate) -> tuple[float, str]:
    weight = WEIGHTS["cost"]
    if candidate.cost == "free":
        return weight, COST_LABELS["free"]
    if candidate.cost == "pay_what_you_can":
        return weight * PAY_WHAT_YOU_CAN_SHARE, COST_LABELS["pay_what_you_can"]
    if candidate.cost_amount is None:
        return 0.0, ASK_ABOUT_COST
    if candidate.cost_amount <= 0:
        # Listed as paid but costing nothing: free in all but name.
        return weight, COST_LABELS["free"]
    share = max(0.0, 1.0 - candidate.cost_amount / PAID_COST_SCALE)
    return weight * PAID_SHARE * share, format_price(candidate.cost_amount)


def _access(candidate: Candidate, profile: Profile) -> tuple[float, str]:
    if not profile.access_needs:
        return WEIGHTS["access"], ""
    if not _at_venue(candidate):
        return 0.0, ""
    # The hard limit has already checked the venue has every need.
    names = [ACCESS_LABELS.get(slug, _prettify(slug)) for slug in profile.access_needs]
    names = [names[0]] + [name[:1].lower() + name[1:] for name in names[1:]]
    return WEIGHTS["access"], join_words(names)


def _network(candidate: Candidate, profile: Profile) -> tuple[float, str]:
    if not profile.wants_groups:
        return WEIGHTS["network"], ""
    if candidate.group_activity:
        return WEIGHTS["network"], GROUP_REASON
    return 0.0, ""


# free times


_INSIDE = "inside"
_PARTLY = "partly"


def _free_by_day(
    free_times: Iterable[FreeTime],
) -> dict[int, list[tuple[datetime.time, datetime.time]]]:
    """Free times per day, with touching or overlapping ones merged, so a session from 11:00
    to 13:00 fits someone free "10:00 to 12:00" and "12:00 to 14:00"."""
    by_day: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for slot in sorted(free_times, key=lambda s: (s.day, s.start, s.end)):
        spans = by_day.setdefault(slot.day, [])
        if spans and slot.start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], slot.end))
        else:
            spans.append((slot.start, slot.end))
    return by_day


def _fit(session: Session, free: Mapping[int, list[tuple[datetime.time, datetime.time]]]) -> str:
    """``_INSIDE`` when the session lies within a free time, ``_PARTLY`` when it only overlaps
    one, ``""`` otherwise. A session with no end is taken as the moment it starts."""
    best = ""
    for start, end in free.get(session.day, ()):
        if session.end is None:
            if start <= session.start < end:
                return _INSIDE
            continue
        if start <= session.start and session.end <= end:
            return _INSIDE
        if session.start < end and start < session.end:
            best = _PARTLY
    return best


def _session_key(session: Session) -> tuple:
    return (session.day, session.start, session.end or session.start)


def _when(sessions: list[Session], start: datetime.time, suffix: str) -> str:
    """'Tuesdays and Thursdays 10:00', 'Second Tuesday of the month 10:00' or 'Friday 12 June
    10:00' for the sessions starting at ``start``."""
    at_start = [session for session in sessions if session.start == start]
    weekly = sorted({s.day for s in at_start if s.frequency == "weekly"})
    phrases = [join_words([DAY_PLURALS[day] for day in weekly])] if weekly else []
    phrases += [_occasional(s) for s in at_start if s.frequency != "weekly"]
    phrases = list(dict.fromkeys(phrases))
    text = join_words(phrases[:1] + [p[:1].lower() + p[1:] for p in phrases[1:]])
    return f"{text} {clock(start)}{suffix}"


def _occasional(session: Session) -> str:
    day = DAY_NAMES[session.day]
    if session.frequency == "fortnightly":
        return f"Every other {day}"
    if session.frequency == "monthly" and session.nth in MONTH_WEEK_ORDINALS:
        return f"{MONTH_WEEK_ORDINALS[session.nth]} {day} of the month"
    if session.frequency == "once" and session.on_date is not None:
        return f"{day} {session.on_date.day} {session.on_date:%B}"
    return DAY_PLURALS[session.day]


# formatting


def format_price(amount: float) -> str:
    """'£3' for whole pounds, '£3.50' otherwise."""
    value = _decimal(amount).quantize(Decimal("0.01"))
    if value == value.to_integral_value():
        return f"£{value:.0f}"
    return f"£{value:.2f}"


def _category_name(candidate: Candidate, slug: str) -> str:
    return candidate.category_names.get(slug) or _prettify(slug)


def _prettify(slug: str) -> str:
    text = slug.replace("-", " ").replace("_", " ").strip()
    return text[:1].upper() + text[1:]


# validation helpers


def _check_day(day: object) -> None:
    if isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 6:
        raise ValueError(f"Days of the week are numbered 0 (Monday) to 6 (Sunday), not {day!r}.")


def _check_time(name: str, value: object) -> None:
    if not isinstance(value, datetime.time):
        raise ValueError(f"{name} must be a time of day, not {value!r}.")


def _unique_strings(name: str, values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str):
        # A lone string would otherwise be split into letters.
        raise ValueError(f"{name} must be a sequence of slugs, not the string {values!r}.")
    return tuple(dict.fromkeys(values))


def _decimal(value: object) -> Decimal:
    # Through str so a float such as 2.1 becomes Decimal("2.1"), not its binary expansion.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _to_decimal(value: object) -> Decimal:
    """A person's cost limit as a Decimal, refusing nonsense with a message a form can show."""
    try:
        number = _decimal(value)
    except (InvalidOperation, ValueError):
        raise ValueError(f"Cannot read the amount {value!r}.") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"The most someone can pay must be zero or more, not {value!r}.")
    return number
