"""Persona scenarios: people with a network, preferences and needs, matched against the fixed
demo borough (DemoBuilder's default seed and size), asserting what their top suggestions must
and must not include.

Every check reads the facts from the database (venues, accessibility, schedules, costs,
categories), not from the search index the engine used, and where a limit is being tested the
test first shows that the borough has something for the limit to leave out, so a filter that
quietly stops working makes the test fail rather than pass on an empty list.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import pytest
from django.db import transaction
from django.test import override_settings

from assets_directory.demo.builder import DemoBuilder
from assets_directory.geocoding import geocode
from assets_directory.models import Activity, Category
from common.geo import format_distance, haversine_m
from matching.engine import (
    CANDIDATES_PER_GROUP,
    DEFAULT_TRAVEL_M,
    MatchResult,
    match_activities,
    profile_categories,
)
from matching.network import Member, NetworkMetrics, network_metrics
from matching.scoring import (
    DEFAULT_ONE_TO_ONE_CATEGORIES,
    DEFAULT_ONE_TO_ONE_PARENTS,
    GROUP_REASON,
    FreeTime,
    Profile,
)
from matching.vocabulary import AGE_BAND_RANGES, NEED_CATEGORIES
from search.query import GeoPoint
from search.services import index_rebuild

pytestmark = pytest.mark.django_db

# The borough's size: the demo's 400 activities, or as many as PERSONA_ACTIVITIES says
# (`make personas-large`: 100,000, where only the rules every persona must keep are run, the
# tests marked `persona_rule`; the others name what the 400-activity borough holds).
BOROUGH_ACTIVITIES = int(os.environ.get("PERSONA_ACTIVITIES") or 400)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEKDAY_PLURALS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays")
TOP = 10
NO_CHARGE = {Activity.Cost.FREE, Activity.Cost.PAY_WHAT_YOU_CAN}


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


# --------------------------------------------------------------------------------------------
# the borough, as the database has it


@dataclass(frozen=True)
class Session:
    day: int
    start: datetime.time
    end: datetime.time | None


@dataclass(frozen=True)
class Listing:
    """One demo activity, read straight from the models."""

    id: int
    title: str
    status: str
    delivery: str
    cost: str
    cost_amount: Decimal | None
    categories: frozenset[str]  # own slugs and their ancestors
    access: frozenset[str]  # the venue's features; empty without a venue
    lat: float | None
    lng: float | None
    sessions: tuple[Session, ...]
    organisation: str = ""
    audience: frozenset[str] = frozenset()  # empty: open to everyone
    conditions: frozenset[str] = frozenset()
    carers_welcome: bool = True
    age_min: int | None = None
    age_max: int | None = None

    @property
    def in_person(self) -> bool:
        return self.delivery == Activity.Delivery.IN_PERSON

    @property
    def charge(self) -> Decimal | None:
        if self.cost in NO_CHARGE:
            return Decimal(0)
        return self.cost_amount

    @property
    def is_group(self) -> bool:
        """Somewhere to meet people: not a phone call, not only one-to-one help."""
        one_to_one = self.categories & DEFAULT_ONE_TO_ONE_CATEGORIES
        only_one_to_one = bool(one_to_one) and self.categories <= (
            DEFAULT_ONE_TO_ONE_CATEGORIES | DEFAULT_ONE_TO_ONE_PARENTS
        )
        return self.delivery != Activity.Delivery.PHONE and not only_one_to_one

    def distance_from(self, point: GeoPoint) -> float | None:
        if self.lat is None or self.lng is None:
            return None
        return haversine_m(point.lat, point.lng, self.lat, self.lng)

    def in_category(self, *slugs: str) -> bool:
        return bool(self.categories & set(slugs))

    def fits(self, free_times) -> bool:
        """A session overlaps one of the free times on the same day."""
        return any(_overlaps(session, free) for session in self.sessions for free in free_times)


def _overlaps(session: Session, free: FreeTime) -> bool:
    if session.day != free.day:
        return False
    if session.end is None:
        return free.start <= session.start < free.end
    return session.start < free.end and free.start < session.end


def read_borough() -> dict[int, Listing]:
    categories = {c.pk: c for c in Category.objects.all()}

    def with_ancestors(category) -> set[str]:
        slugs = set()
        while category is not None:
            slugs.add(category.slug)
            category = categories.get(category.parent_id)
        return slugs

    listings = {}
    activities = Activity.objects.select_related("venue").prefetch_related(
        "categories", "schedules", "venue__accessibility", "conditions"
    )
    for activity in activities:
        sessions = []
        for schedule in activity.schedules.all():
            rule = schedule.as_recurrence()
            days = rule.weekdays or (rule.on_date.weekday(),)
            sessions.extend(Session(day, rule.start_time, rule.end_time) for day in days)
        venue = activity.venue
        listings[activity.pk] = Listing(
            id=activity.pk,
            title=activity.title,
            status=activity.status,
            delivery=activity.delivery,
            cost=activity.cost,
            cost_amount=activity.cost_amount,
            categories=frozenset(
                slug for c in activity.categories.all() for slug in with_ancestors(c)
            ),
            access=frozenset(f.slug for f in venue.accessibility.all()) if venue else frozenset(),
            lat=venue.latitude if venue else None,
            lng=venue.longitude if venue else None,
            sessions=tuple(sessions),
            organisation=activity.get_parent().title,
            audience=frozenset(activity.audiences),
            conditions=frozenset(c.slug for c in activity.conditions.all()),
            carers_welcome=activity.carers_welcome,
            age_min=activity.age_min,
            age_max=activity.age_max,
        )
    return listings


@pytest.fixture(scope="module")
def borough(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo borough (default size and seed) in the test database and in a private embedded
    index, built once for this module inside a transaction that is rolled back afterwards, so
    no other test sees it. Each test's own transaction nests inside it as a savepoint.

    Wagtail's page search and reference index run as django-tasks on every save and would
    double the build time; nothing here reads them, so their tasks go to the dummy backend.
    """
    index_path = tmp_path_factory.mktemp("persona-search") / "index"
    with (
        django_db_blocker.unblock(),
        override_settings(
            DIRECTORY_SEARCH={
                "BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
                "OPTIONS": {"path": str(index_path)},
            },
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        ),
        transaction.atomic(),
    ):
        try:
            summary = DemoBuilder(activities=BOROUGH_ACTIVITIES).build()
            assert summary.activities == BOROUGH_ACTIVITIES and not summary.already_loaded
            assert index_rebuild() == Activity.objects.live().count()
            yield read_borough()
        finally:
            transaction.set_rollback(True)


# --------------------------------------------------------------------------------------------
# personas


@dataclass(frozen=True)
class Persona:
    name: str
    story: str
    near: str
    network: tuple[Member, ...]
    profile: Profile

    def __str__(self) -> str:
        return self.name

    @cached_property
    def point(self) -> GeoPoint:
        result = geocode(self.near)
        return GeoPoint(result.latitude, result.longitude)

    @cached_property
    def metrics(self) -> NetworkMetrics | None:
        return network_metrics(self.network) if self.network else None

    def match(self, *, limit: int = TOP) -> MatchResult:
        return match_activities(
            near=self.point, profile=self.profile, network=self.metrics, limit=limit
        )

    @property
    def profile_categories(self) -> tuple[str, ...]:
        return profile_categories(self.profile, self.metrics)

    @property
    def reach_m(self) -> float:
        """How far the engine looks: the person's limit, or its default."""
        return self.profile.max_travel_m or DEFAULT_TRAVEL_M

    def within_limits(self, listing: Listing) -> bool:
        """What the person can take part in, by the database's facts: running, a way of taking
        part they accept, affordable, reachable, accessible, and at a time they are free."""
        profile = self.profile
        if listing.status != Activity.Status.RUNNING:
            return False
        if profile.delivery and listing.delivery not in profile.delivery:
            return False
        if profile.max_cost is not None:
            charge = listing.charge
            if charge is None or charge > profile.max_cost:
                return False
        if listing.in_person:
            if not set(profile.access_needs) <= listing.access:
                return False
            distance = listing.distance_from(self.point)
            if distance is not None and distance > self.reach_m + 1:
                return False
        if not self.is_meant_for(listing):
            return False
        # No sessions known: it passes, to "ask about times".
        return not (profile.free_times and listing.sessions) or listing.fits(profile.free_times)

    def is_meant_for(self, listing: Listing) -> bool:
        """Whether the activity is meant for someone like this person, by what its group says
        of whom it is for and what the person says of themselves."""
        profile, audience = self.profile, listing.audience
        if "condition" in audience:
            lives = listing.conditions & set(profile.conditions)
            cares = (
                profile.cares_for
                and listing.carers_welcome
                and (listing.conditions & set(profile.cared_for_conditions))
            )
            if not (lives or cares):
                return False
        if "carers" in audience and "condition" not in audience and not profile.cares_for:
            return False
        if "young_children" in audience and not profile.young_children:
            return False
        if "women" in audience and profile.single_sex != "women":
            return False
        if "men" in audience and profile.single_sex != "men":
            return False
        if profile.age_band:
            low, high = AGE_BAND_RANGES[profile.age_band]
            if listing.age_min is not None and high < listing.age_min:
                return False
            if listing.age_max is not None and low > listing.age_max:
                return False
        return True


def weekly(days, start: str, end: str) -> tuple[FreeTime, ...]:
    return tuple(FreeTime(day, t(start), t(end)) for day in days)


AYESHA = Persona(
    name="wheelchair user",
    story="Ayesha, 58, has used a wheelchair since a stroke and misses the craft group she "
    "could no longer get into; she lives with her husband in Battersea.",
    near="SW11",
    network=(
        Member(1, "partner", {"emotional", "practical", "company"}, label="Husband"),
        Member(1, "family", {"emotional"}, label="Daughter"),
        Member(2, "friend", {"company"}, label="Sue"),
        Member(3, "neighbour", {"practical"}),
    ),
    profile=Profile(
        top_three=("social-and-friendship", "arts-and-crafts"),
        needs=("lonely",),
        access_needs=("step-free",),
        max_travel_m=4000,
        age_band="50_to_64",
        conditions=("stroke",),
    ),
)
TOM = Persona(
    name="weekend-only worker",
    story="Tom, 34, works in a warehouse Monday to Friday and is only free at weekends; he "
    "wants to get outdoors, do something useful and maybe sing.",
    near="SW18 4DJ",
    network=(
        Member(1, "partner", {"emotional", "company"}),
        Member(2, "friend", {"company"}),
        Member(2, "colleague", {"information"}),
        Member(3, "colleague"),
    ),
    profile=Profile(
        top_three=("walking", "volunteering", "music-and-singing"),
        free_times=weekly((SAT, SUN), "09:00", "18:00"),
        max_travel_m=6000,
        age_band="18_to_49",
    ),
)
MAUREEN = Persona(
    name="network all family",
    story="Maureen, 71, widowed; her daughter, son, sister and grandson are all she has. She "
    "would like company beyond the family, perhaps around food, and is happy to take the bus.",
    near="SW17",
    network=(
        Member(1, "family", {"emotional", "practical"}, label="Daughter"),
        Member(1, "family", {"emotional"}, label="Son"),
        Member(2, "family", {"company"}, label="Sister"),
        Member(2, "family", {"company"}, label="Grandson"),
        Member(3, "family", label="Cousin"),
    ),
    # No travel limit: she takes the bus, so the engine looks within its default 5 km.
    profile=Profile(top_three=("food-and-cooking",), needs=("lonely",), age_band="65_plus"),
)
PRIYA = Persona(
    name="carer on no budget",
    story="Priya, 49, cares full time for her husband, who has dementia; there is no money "
    "for extras and she needs a break with people who understand.",
    near="SW16",
    network=(
        Member(1, "partner", {"company"}, label="Husband"),
        Member(2, "professional", {"information"}, label="GP"),
        Member(2, "professional", {"practical"}, label="Social worker"),
        Member(3, "family", label="Brother"),
    ),
    profile=Profile(
        top_three=("carers-support", "mental-wellbeing"),
        needs=("caring", "mood"),
        max_cost=Decimal(0),
        max_travel_m=5000,
        age_band="18_to_49",
        cares_for=True,
        cared_for_conditions=("dementia",),
    ),
)
DAN = Persona(
    name="low mood, remote only",
    story="Dan, 27, has had low mood since losing his job; rooms full of people are too much "
    "for now, so he wants support online or by phone.",
    near="SW15",
    network=(
        Member(1, "family", {"emotional"}, label="Mum"),
        Member(2, "professional", {"information"}, label="GP"),
    ),
    profile=Profile(
        top_three=("mental-wellbeing", "befriending"),
        needs=("mood", "lonely"),
        delivery=("online", "phone"),
        age_band="18_to_49",
    ),
)
JOAN = Persona(
    name="older person with hearing loss",
    story="Joan, 82, wears hearing aids and cannot follow a group without a hearing loop; she "
    "walks with a stick, so two kilometres is her limit. She has COPD.",
    near="SW17",
    network=(
        Member(1, "family", {"emotional", "practical"}, label="Son"),
        Member(2, "friend", {"company"}),
        Member(2, "neighbour", {"practical"}),
        Member(3, "professional", {"information"}, label="Practice nurse"),
        Member(3, "group", {"company"}, label="Church"),
    ),
    profile=Profile(
        top_three=("social-and-friendship", "health-condition-support"),
        needs=("condition",),
        access_needs=("hearing-loop",),
        max_travel_m=2000,
        age_band="65_plus",
        conditions=("hearing-loss", "lung-conditions"),
    ),
)
KEMI = Persona(
    name="young parent",
    story="Kemi, 23, is at home with her first baby and knows nobody locally yet; she is free "
    "on weekday mornings between feeds.",
    near="SW12",
    network=(
        Member(1, "partner", {"emotional", "practical"}),
        Member(1, "family", {"emotional"}, label="Mum"),
        Member(2, "friend", {"company"}, label="Uni friend"),
    ),
    profile=Profile(
        top_three=("parent-and-baby-groups", "walking"),
        needs=("lonely",),
        free_times=weekly((MON, TUE, WED, THU, FRI), "09:00", "12:00"),
        max_travel_m=3000,
        age_band="18_to_49",
        young_children=True,
    ),
)
LEE = Persona(
    name="money worries, nothing to spend",
    story="Lee, 41, lost hours at work and is behind on rent; he cannot pay for anything and "
    "is skipping meals. He has not thought about hobbies.",
    near="SW11",
    network=(
        Member(1, "friend", {"emotional"}),
        Member(2, "family", {"practical"}),
        Member(3, "neighbour"),
    ),
    profile=Profile(
        needs=("money", "eating"),
        max_cost=Decimal(0),
        max_travel_m=3000,
        age_band="18_to_49",
    ),
)
STAN = Persona(
    name="wants digital skills",
    story="Stan, 68, a retired bus driver: his GP and the council moved online and he wants to "
    "learn to use his tablet, and perhaps pick up a language.",
    near="SW15",
    network=(
        Member(1, "partner", {"emotional", "practical", "company"}),
        Member(2, "family", {"practical"}),
        Member(2, "colleague", {"company"}, label="Old depot mates"),
        Member(3, "friend"),
    ),
    profile=Profile(
        top_three=("digital-skills",),
        interests=("learning-and-skills",),
        needs=("learning",),
        max_travel_m=4000,
        age_band="65_plus",
    ),
)
GRACE = Persona(
    name="diverse network",
    story="Grace, 45, has a partner, friends, neighbours she chats to, a choir, an allotment "
    "and a dog; she wants more of what she enjoys.",
    near="SW18",
    network=(
        Member(1, "partner", {"emotional", "practical"}),
        Member(1, "friend", {"emotional", "company"}),
        Member(2, "neighbour", {"practical"}),
        Member(2, "colleague", {"information"}),
        Member(3, "group", {"company"}, label="Choir"),
        Member(3, "place", label="Allotment"),
        Member(3, "pet", {"company"}, label="Dog"),
    ),
    profile=Profile(
        top_three=("arts-and-crafts", "music-and-singing", "nature-and-gardening"),
        max_travel_m=5000,
    ),
)

ROSE = Persona(
    name="lonely, no condition",
    story="Rose, 66, has no health condition; since moving she knows nobody and feels lonely. "
    "She chose singing, walking and crafts, and said nothing else about herself.",
    near="SW18",
    network=(Member(1, "family", {"emotional"}, label="Son"),),
    profile=Profile(
        top_three=("music-and-singing", "walking", "arts-and-crafts"),
        needs=("lonely",),
    ),
)
SAM = Persona(
    name="adult walker at the kiosk",
    story="Sam, 40, used the library kiosk, chose walking and nothing else, and said he is "
    "18 to 49 with no children.",
    near="SW17",
    network=(),
    profile=Profile(top_three=("walking",), age_band="18_to_49"),
)
MEI = Persona(
    name="woman who wants a women-only group",
    story="Mei, 52, would feel most at ease in a women-only group; she enjoys walking and "
    "would like to get fitter.",
    near="SW16",
    network=(Member(1, "partner", {"emotional"}), Member(2, "friend", {"company"})),
    profile=Profile(
        top_three=("walking", "exercise-and-fitness"),
        needs=("active",),
        age_band="50_to_64",
        single_sex="women",
    ),
)

PERSONAS = (AYESHA, TOM, MAUREEN, PRIYA, DAN, JOAN, KEMI, LEE, STAN, GRACE, ROSE, SAM, MEI)


def suggested(persona: Persona, borough: dict[int, Listing], *, limit: int = TOP):
    """(suggestion, listing) pairs for the persona's top suggestions, best first."""
    result = persona.match(limit=limit)
    return [(s, borough[s.candidate.id]) for s in result.suggestions]


def available(persona: Persona, borough: dict[int, Listing], *categories: str) -> list[Listing]:
    """What the borough has for the persona in these categories, by the database's facts."""
    return [
        listing
        for listing in borough.values()
        if listing.in_category(*categories) and persona.within_limits(listing)
    ]


def varied_count(listings: list[Listing]) -> int:
    """How many of these a varied shortlist can hold before others: two of a title at most."""
    titles: dict[str, int] = {}
    for listing in listings:
        titles[listing.title] = titles.get(listing.title, 0) + 1
    return sum(min(count, 2) for count in titles.values())


def nearby(persona: Persona, borough, *categories: str, radius_m: float | None = None):
    """Running in-person activities in these categories within reach, whatever else they
    lack: what a limit has to filter out."""
    radius = radius_m or persona.reach_m
    return [
        listing
        for listing in borough.values()
        if listing.in_person
        and listing.status == Activity.Status.RUNNING
        and listing.in_category(*categories)
        and listing.distance_from(persona.point) <= radius
    ]


# --------------------------------------------------------------------------------------------
# every persona


@pytest.mark.persona_rule
@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_every_persona_gets_suggestions_best_first(borough, persona):
    pairs = suggested(persona, borough)
    assert 0 < len(pairs) <= TOP
    scores = [s.score for s, _ in pairs]
    assert scores == sorted(scores, reverse=True)
    assert len({listing.id for _, listing in pairs}) == len(pairs)


@pytest.mark.persona_rule
@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_every_suggestion_keeps_within_the_persona_limits(borough, persona):
    """Running, accepted delivery, affordable, near enough, accessible and at a free time:
    checked on the database's venues, costs and schedules."""
    for suggestion, listing in suggested(persona, borough):
        assert persona.within_limits(listing), (listing.title, listing)
        if listing.in_person:
            assert suggestion.candidate.distance_m == pytest.approx(
                listing.distance_from(persona.point), abs=1
            )


@pytest.mark.persona_rule
@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_reasons_say_why_each_suggestion_was_chosen(borough, persona):
    names = dict(Category.objects.values_list("slug", "name"))
    profile = persona.profile
    for suggestion, listing in suggested(persona, borough):
        reasons = suggestion.reasons
        chosen = [slug for slug in profile.top_three if slug in listing.categories]
        liked = [slug for slug in profile.interests if slug in listing.categories]
        if chosen:
            assert f"{names[chosen[0]]}, as you chose" in reasons
        elif liked:
            assert f"{names[liked[0]]}, which you enjoy" in reasons
        else:
            assert not any(r.endswith((", as you chose", ", which you enjoy")) for r in reasons)
        if listing.in_person:
            distance = listing.distance_from(persona.point)
            assert f"{format_distance(distance)} away" in reasons
        else:
            expected = {"online": "Online", "phone": "By phone", "area_wide": "Comes to you"}
            assert expected[listing.delivery] in reasons
            assert not any(r.endswith(" away") for r in reasons)
        if listing.cost == Activity.Cost.FREE:
            assert "Free" in reasons
        elif listing.cost == Activity.Cost.PAY_WHAT_YOU_CAN:
            assert "Pay what you can" in reasons
        else:
            assert "Free" not in reasons


@pytest.mark.persona_rule
@pytest.mark.parametrize("persona", [p for p in PERSONAS if p.profile.top_three], ids=str)
def test_top_three_choices_lead_and_each_one_the_borough_offers_appears(borough, persona):
    pairs = suggested(persona, borough)
    top_three = persona.profile.top_three
    assert pairs[0][1].in_category(*top_three), pairs[0][1].title
    for slug in top_three:
        if available(persona, borough, slug):
            assert any(listing.in_category(slug) for _, listing in pairs), slug


# --------------------------------------------------------------------------------------------
# one persona at a time


def test_wheelchair_user_is_only_offered_step_free_venues(borough):
    wanted = AYESHA.profile.top_three
    close = nearby(AYESHA, borough, *wanted)
    assert any("step-free" not in listing.access for listing in close), (
        "the borough should have venues without step-free access nearby, for the limit to bite"
    )
    assert available(AYESHA, borough, *wanted)

    pairs = suggested(AYESHA, borough)
    at_venues = [(s, listing) for s, listing in pairs if listing.in_person]
    assert at_venues
    for suggestion, listing in at_venues:
        assert "step-free" in listing.access, listing.title
        assert "Step-free" in suggestion.reasons
    assert any(listing.in_category("arts-and-crafts") for _, listing in pairs)


def test_weekend_worker_is_never_offered_a_weekday_only_class(borough):
    wanted = TOM.profile.top_three
    tuesday_only = {
        listing.id
        for listing in nearby(TOM, borough, *wanted)
        if listing.sessions and {session.day for session in listing.sessions} == {TUE}
    }
    assert tuesday_only, "the borough should have Tuesday-only classes in Tom's interests nearby"

    pairs = suggested(TOM, borough)
    assert pairs
    assert not tuesday_only & {listing.id for _, listing in pairs}
    for suggestion, listing in pairs:
        weekend = [s for s in listing.sessions if s.day in (SAT, SUN)]
        # An activity that also meets on a weekday may be offered, but for its weekend session.
        assert weekend and listing.fits(TOM.profile.free_times), listing.title
        when = [r for r in suggestion.reasons if "when you are free" in r]
        assert len(when) == 1, suggestion.reasons
        assert not any(day in when[0] for day in WEEKDAY_PLURALS), when[0]


def test_network_of_only_family_gets_a_group_to_widen_it(borough):
    metrics = MAUREEN.metrics
    assert metrics.network_type == "restricted" and metrics.wants_groups
    assert metrics.kinds == ("family",)

    top_five = suggested(MAUREEN, borough, limit=5)
    groups = [(s, listing) for s, listing in top_five if listing.is_group]
    assert groups, [listing.title for _, listing in top_five]
    assert all(GROUP_REASON in s.reasons for s, _ in groups)
    assert all(s.candidate.group_activity for s, _ in groups)

    # Without the map nobody asked for groups, so no suggestion says so.
    alone = match_activities(near=MAUREEN.point, profile=MAUREEN.profile, limit=5)
    assert alone.suggestions
    assert not any(GROUP_REASON in s.reasons for s in alone.suggestions)


def test_network_extras_do_not_crowd_out_a_chosen_activity_further_away(borough):
    """Her family-only map adds six kinds of group to the search, so more activities lie
    within reach than the engine reads for one group. A lunch club (her top choice, and
    company) further away than many extras must still outrank every extra the network brought
    in."""
    asked = profile_categories(MAUREEN.profile, MAUREEN.metrics)
    assert len(nearby(MAUREEN, borough, *asked)) > CANDIDATES_PER_GROUP
    chosen_and_needed = [
        listing
        for listing in available(MAUREEN, borough, "food-and-cooking")
        if listing.in_category(*NEED_CATEGORIES["lonely"])
    ]
    assert 0 < len(chosen_and_needed) <= TOP

    # Chosen and meeting her need, they lead: nothing else can score as much (two at most of
    # one title, for variety).
    wanted = {listing.id for listing in chosen_and_needed}
    leading = varied_count(chosen_and_needed)
    suggested_ids = [s.candidate.id for s in MAUREEN.match().suggestions]
    assert set(suggested_ids[:leading]) <= wanted, suggested_ids


def test_carer_is_offered_carers_support_that_costs_nothing(borough):
    asked = profile_categories(PRIYA.profile, PRIYA.metrics)
    assert any(listing.cost == Activity.Cost.PAID for listing in nearby(PRIYA, borough, *asked)), (
        "the borough should have paid activities Priya could otherwise be offered"
    )
    assert available(PRIYA, borough, "carers-support")

    pairs = suggested(PRIYA, borough)
    for _, listing in pairs:
        assert listing.cost in NO_CHARGE, (listing.title, listing.cost)
        assert listing.charge == 0
    first, listing = pairs[0]
    assert listing.in_category("carers-support")
    assert first.reasons[:2] == ("Carers' support, as you chose", "Helps with caring for someone")
    assert "Free" in first.reasons


def test_person_with_low_mood_is_only_offered_online_or_phone_support(borough):
    assert nearby(DAN, borough, "mental-wellbeing", radius_m=5000), (
        "the borough should have in-person wellbeing groups near Dan"
    )
    assert available(DAN, borough, "mental-wellbeing")

    pairs = suggested(DAN, borough)
    for suggestion, listing in pairs:
        assert listing.delivery in ("online", "phone"), listing.title
        assert listing.lat is None and suggestion.candidate.distance_m is None
        # A phone call is support, not a group, whatever the network wants.
        if listing.delivery == "phone":
            assert GROUP_REASON not in suggestion.reasons
    first, listing = pairs[0]
    assert listing.in_category("mental-wellbeing")
    assert "Helps with low mood or worry" in first.reasons
    assert {listing.delivery for _, listing in pairs} == {"online", "phone"}


def test_older_person_with_hearing_loss_gets_hearing_loops_close_to_home(borough):
    wanted = JOAN.profile.top_three
    assert any("hearing-loop" not in listing.access for listing in nearby(JOAN, borough, *wanted))
    assert any(
        "hearing-loop" in listing.access and listing.distance_from(JOAN.point) > 2000
        for listing in nearby(JOAN, borough, *wanted, radius_m=5000)
    ), "the borough should have hearing loops beyond Joan's two kilometres"

    pairs = suggested(JOAN, borough)
    at_venues = [(s, listing) for s, listing in pairs if listing.in_person]
    assert at_venues
    for suggestion, listing in at_venues:
        assert "hearing-loop" in listing.access, listing.title
        assert listing.distance_from(JOAN.point) <= 2000 + 1, listing.title
        assert "Hearing loop" in suggestion.reasons
    # Her condition is the need she gave: the best suggestion helps with it.
    assert "Helps with managing my condition" in pairs[0][0].reasons


def test_young_parent_is_offered_baby_groups_on_weekday_mornings(borough):
    assert available(KEMI, borough, "parent-and-baby-groups")

    pairs = suggested(KEMI, borough)
    for suggestion, listing in pairs:
        mornings = [s for s in listing.sessions if s.day < SAT and s.start < t("12:00")]
        assert mornings and listing.fits(KEMI.profile.free_times), listing.title
        assert any("when you are free" in r for r in suggestion.reasons), suggestion.reasons
        assert not any(day in r for r in suggestion.reasons for day in ("Saturdays", "Sundays"))
    assert pairs[0][1].in_category("parent-and-baby-groups")
    assert "Parent and baby groups, as you chose" in pairs[0][0].reasons


def test_person_with_money_worries_gets_free_money_advice_near_the_top(borough):
    asked = profile_categories(LEE.profile, LEE.metrics)
    assert any(listing.cost == Activity.Cost.PAID for listing in nearby(LEE, borough, *asked)), (
        "the borough should have paid activities Lee could otherwise be offered"
    )
    assert available(LEE, borough, "money-and-debt", "benefits")

    pairs = suggested(LEE, borough)
    for _, listing in pairs:
        assert listing.charge == 0, (listing.title, listing.cost)
    # Money is his first need, so money help is in the top three, saying so first. (A free
    # meal nearby can still come first: it meets his second need and is a group, which his
    # small network earns a bonus for, while advice is one-to-one.)
    money = [
        (s, listing) for s, listing in pairs[:3] if listing.in_category(*NEED_CATEGORIES["money"])
    ]
    assert money, [listing.title for _, listing in pairs[:3]]
    assert all(s.reasons[0] == "Helps with money worries" for s, _ in money)
    # He gave no interests, so everything near the top answers one of his needs.
    for suggestion, _ in pairs[:5]:
        assert suggestion.reasons[0] in ("Helps with money worries", "Helps with eating well")
    # Advice by phone counts too: nothing to pay, no journey.
    assert any(
        listing.delivery == "phone" and listing.in_category("money-and-debt")
        for _, listing in pairs
    )


def test_learner_is_offered_digital_skills_help_first(borough):
    digital = available(STAN, borough, "digital-skills")
    assert len(digital) >= 3
    # The borough has courses and languages he would enjoy near him too, that must wait.
    assert available(STAN, borough, "languages", "courses-and-talks")

    pairs = suggested(STAN, borough)
    # Chosen and meeting his need, digital help fills the list before what he only likes (two
    # at most of one title, for variety).
    for suggestion, listing in pairs[: min(varied_count(digital), TOP)]:
        assert listing.in_category("digital-skills"), listing.title
        assert suggestion.reasons[:2] == (
            "Digital skills, as you chose",
            "Helps with learning or work",
        )


def test_diverse_network_gets_no_group_bonus(borough):
    metrics = GRACE.metrics
    assert metrics.network_type == "diverse" and not metrics.wants_groups

    pairs = suggested(GRACE, borough)
    assert pairs
    for suggestion, listing in pairs:
        assert GROUP_REASON not in suggestion.reasons
        assert suggestion.parts["network"] == 5  # the same for everyone: nothing to tell apart
        # Nothing is added to widen her network: only what she chose.
        assert listing.in_category(*GRACE.profile.top_three), listing.title


# --------------------------------------------------------------------------------------------
# who an activity is for


@pytest.mark.persona_rule
@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_nobody_is_offered_what_is_meant_for_others(borough, persona):
    for _, listing in suggested(persona, borough):
        assert persona.is_meant_for(listing), (listing.title, sorted(listing.audience))


@pytest.mark.persona_rule
@pytest.mark.parametrize("persona", PERSONAS, ids=str)
def test_a_shortlist_lists_each_activity_once_and_few_from_one_group(borough, persona):
    pairs = suggested(persona, borough)
    keys = [(listing.organisation, listing.title) for _, listing in pairs]
    assert len(keys) == len(set(keys)), keys
    per_group: dict[str, int] = {}
    for organisation, _ in keys:
        per_group[organisation] = per_group.get(organisation, 0) + 1
    # More than two from one group only once every other group's fitting activities are in.
    if per_group and max(per_group.values()) > 2:
        others = {
            listing.organisation
            for listing in available(persona, borough, *persona.profile_categories)
        }
        assert others <= set(per_group), (per_group, others)


def test_lonely_person_without_a_condition_gets_no_condition_groups(borough):
    singing = nearby(ROSE, borough, "music-and-singing")
    assert any("condition" in listing.audience for listing in singing), (
        "the borough should have condition singing groups near Rose, for the rule to bite"
    )
    pairs = suggested(ROSE, borough)
    assert pairs
    for _, listing in pairs:
        assert "condition" not in listing.audience, listing.title
        assert "young_children" not in listing.audience, listing.title
    # Her first choice is there, though the nearest singing groups are condition groups.
    assert any(listing.in_category("music-and-singing") for _, listing in pairs)
    # Variety: no title more than twice while other activities fit.
    titles = [listing.title for _, listing in pairs]
    assert max(titles.count(title) for title in titles) <= 2, titles


def test_adult_walker_is_never_offered_a_buggy_walk(borough):
    buggy = [
        listing for listing in nearby(SAM, borough, "walking") if listing.title == "Buggy walk"
    ]
    assert buggy, "the borough should have buggy walks near Sam, for the rule to bite"
    pairs = suggested(SAM, borough)
    assert pairs
    assert not any(listing.title == "Buggy walk" for _, listing in pairs)


def test_person_with_a_lung_condition_is_told_the_group_is_for_people_like_her(borough):
    pairs = suggested(JOAN, borough, limit=20)
    lungs = [(s, listing) for s, listing in pairs if "lung-conditions" in listing.conditions]
    for suggestion, _ in lungs:
        assert any(
            r.startswith("For people with lung conditions") and r.endswith(", like you")
            for r in suggestion.reasons
        ), suggestion.reasons


def test_carer_of_someone_with_dementia_may_be_offered_dementia_groups_that_welcome_carers(
    borough,
):
    for suggestion, listing in suggested(PRIYA, borough, limit=20):
        if "condition" in listing.audience:
            assert "dementia" in listing.conditions and listing.carers_welcome, listing.title
            assert any(r.startswith("Carers welcome: for people with") for r in suggestion.reasons)


def test_women_only_groups_only_for_someone_who_asked_for_one(borough):
    women_only = [
        listing
        for listing in borough.values()
        if "women" in listing.audience and listing.status == Activity.Status.RUNNING
    ]
    assert women_only, "the borough should have women-only groups"
    for persona in (SAM, ROSE, TOM):
        assert not any("women" in listing.audience for _, listing in suggested(persona, borough))
    for suggestion, listing in suggested(MEI, borough, limit=20):
        if "women" in listing.audience:
            assert "Women only, as you asked" in suggestion.reasons
