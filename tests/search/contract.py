"""The contract every directory search backend is held to.

`SearchBackendContract` is a mixin of pytest tests: a backend's test class subclasses it and
implements `make_backend(tmp_path)`, e.g.

    class TestEmbeddedBackend(SearchBackendContract):
        def make_backend(self, tmp_path):
            return EmbeddedSearchBackend(path=str(tmp_path / "index"))

Each test gets a fresh backend holding `corpus()` (a fixed set of activities around
Wandsworth, London) and checks exact ids and orders against the semantics written in
`search.backends.base.BaseSearchBackend`. No database is needed: documents are plain dicts in
the shape `search.documents.build_documents` makes.
"""

from __future__ import annotations

import copy
import datetime
import math
import random
import threading
import time
import uuid
import zoneinfo
from decimal import Decimal

import pytest

from search import selectors
from search.backends.base import EngineCall
from search.query import (
    UNSCHEDULED_BUCKET,
    BBox,
    DirectoryQuery,
    Expansions,
    GeoPoint,
    Sort,
    TimeWindow,
    title_key,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
DAY_SLUGS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Mean Earth radius (IUGG), the radius of the usual haversine formula.
EARTH_RADIUS_M = 6_371_008.8
# How far apart two distances may be and still count as a tie in distance order: engines store
# a geo_point rounded to about 1 cm.
DISTANCE_TOLERANCE_M = 0.05


# --- geometry -------------------------------------------------------------------------------


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def destination(lat: float, lng: float, bearing_deg: float, distance_m: float):
    """The point `distance_m` from (lat, lng) along the initial bearing (degrees from north)."""
    p1, l1 = math.radians(lat), math.radians(lng)
    theta, delta = math.radians(bearing_deg), distance_m / EARTH_RADIUS_M
    p2 = math.asin(
        math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(theta)
    )
    l2 = l1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(p1),
        math.cos(delta) - math.sin(p1) * math.sin(p2),
    )
    return math.degrees(p2), math.degrees(l2)


# SW18 (Wandsworth): the centre of most location queries below.
CENTRE = (51.4489, -0.1971)
MANCHESTER = (53.4808, -2.2426)


def near(bearing_deg: float, distance_m: float):
    return destination(*CENTRE, bearing_deg, distance_m)


# --- documents ------------------------------------------------------------------------------


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def session_buckets(day: int, start: str, end: str) -> list[int]:
    """Week-wide quarter hours a session covers, as search.documents.session_buckets makes."""
    first, last = _minutes(start) // 15, -(-_minutes(end) // 15)
    return [day * 96 + b for b in range(first, last)]


def sessions(*rows: tuple[str, str, str]) -> dict:
    """days, buckets and schedule for weekly sessions given as ("tue", "10:00", "12:00")."""
    days, buckets, schedule = set(), set(), []
    for slug, start, end in rows:
        day = DAY_SLUGS.index(slug)
        days.add(day)
        buckets.update(session_buckets(day, start, end))
        schedule.append(
            {
                "freq": "WEEKLY",
                "interval": 1,
                "byday": ICAL_DAYS[day],
                "opens_at": start,
                "closes_at": end,
                "description": f"Every {DAY_NAMES[day]}, {start} to {end}",
            }
        )
    return {
        "days": [DAY_SLUGS[d] for d in sorted(days)],
        "buckets": sorted(buckets),
        "schedule": schedule,
    }


def at(lat: float, lng: float) -> dict:
    """The keys of an in-person activity whose venue has a point."""
    return {"has_point": True, "lat": lat, "lng": lng, "delivery": "in_person"}


def remote(delivery: str, area: tuple[float, float, float, float] | None = None) -> dict:
    """The keys of an activity without a point: online/phone/area-wide, anywhere or an area."""
    return {
        "has_point": False,
        "lat": None,
        "lng": None,
        "delivery": delivery,
        "area": area,
        "anywhere": area is None,
        "venue": "",
        "postcode": "",
        "access": [],
    }


def area_around(lat: float, lng: float, pad: float = 0.003):
    """(min_lat, min_lng, max_lat, max_lng), the order documents store an area in."""
    return (lat - pad, lng - pad, lat + pad, lng + pad)


def reviewed(iso: str) -> int:
    return datetime.date.fromisoformat(iso).toordinal()


def doc(**overrides) -> dict:
    """A complete search document with sensible defaults, as activity_document makes them."""
    ident = overrides.get("id", 1)
    document = {
        "id": ident,
        "uuid": str(uuid.UUID(int=ident)),
        "title": f"Activity {ident}",
        "summary": "",
        "body": "",
        "organisation": "",
        "organisation_id": 0,
        "url": f"/activity-{ident}/",
        "categories": [],
        "category_names": "",
        "tags": [],
        "has_point": True,
        "lat": CENTRE[0],
        "lng": CENTRE[1],
        "anywhere": False,
        "area": None,
        "delivery": "in_person",
        "days": [],
        "buckets": [],
        "cost": "free",
        "cost_amount": None,
        "access": [],
        "audience": ["everyone"],
        "conditions": [],
        "booking": "drop_in",
        "capacity": "open",
        "carers_welcome": True,
        "age_min": 0,
        "age_max": 120,
        "status": "running",
        "last_reviewed": reviewed("2025-01-01"),
        "venue": "",
        "postcode": "",
        "schedule": [],
        "approximate_point": None,
    }
    unknown = set(overrides) - set(document)
    if unknown:
        raise TypeError(f"doc() got unknown document keys: {sorted(unknown)}")
    document.update(overrides)
    if "cost_amount" not in overrides:
        # Free and pay-what-you-can index as 0; paid without a price has none.
        document["cost_amount"] = 0.0 if document["cost"] in ("free", "pay_what_you_can") else None
    if not document["buckets"]:
        # As search.documents marks an activity that lists no sessions.
        document["buckets"] = [UNSCHEDULED_BUCKET]
    return document


MUSIC = ["choirs-and-singing", "music-and-singing"]
CRAFTS = ["arts-and-crafts", "crafts"]

_CORPUS = [
    doc(
        id=1,
        title="Wandsworth Community Choir",
        summary="Sing together in a friendly choir for adults.",
        body="No auditions and no need to read music: we learn songs by ear.",
        organisation="Wandsworth Arts Trust",
        organisation_id=501,
        categories=MUSIC,
        category_names="Choirs",
        tags=["beginners"],
        **at(*CENTRE),
        **sessions(("tue", "19:00", "21:00")),
        cost="paid",
        cost_amount=3.0,
        access=["hearing-loop", "step-free"],
        age_min=16,
        last_reviewed=reviewed("2025-03-01"),
        venue="St Anne's Hall",
        postcode="SW18 4DJ",
    ),
    doc(
        id=2,
        title="Common walking group",
        summary="A gentle hour on the Common led by trained volunteers.",
        body="Meet by the bandstand in any weather.",
        organisation="Friends of Wandsworth Common",
        organisation_id=502,
        categories=["sport-and-exercise", "walking"],
        category_names="Walking",
        tags=["health", "outdoors"],
        **at(*near(90, 2000)),
        **sessions(("tue", "10:00", "12:00"), ("thu", "10:00", "11:00")),
        access=["step-free"],
        age_min=18,
        last_reviewed=reviewed("2025-05-20"),
        venue="Wandsworth Common bandstand",
        postcode="SW18 3RT",
    ),
    doc(
        id=3,
        audience=["carers"],
        booking="booking",
        title="Online peer support for carers",
        summary="Share experiences with other carers in a small video call.",
        body="Hosted on Zoom. Cameras optional.",
        organisation="Carers Together",
        organisation_id=503,
        categories=["health-and-wellbeing", "peer-support"],
        category_names="Peer support",
        tags=["carers"],
        **remote("online"),
        **sessions(("wed", "19:00", "20:00")),
        age_min=18,
        last_reviewed=reviewed("2025-06-01"),
    ),
    doc(
        id=4,
        audience=["older"],
        title="Telephone befriending",
        summary="A weekly chat on the phone with a volunteer.",
        body="For people aged 65 and over living in SW17 and SW18.",
        organisation="Wandsworth Befrienders",
        organisation_id=504,
        categories=["befriending", "health-and-wellbeing"],
        category_names="Befriending",
        tags=["seniors"],
        # The padded box around the SW17 and SW18 centroids.
        **remote("phone", area=(51.41, -0.23, 51.47, -0.14)),
        **sessions(("mon", "14:00", "15:00"), ("wed", "14:00", "15:00"), ("fri", "14:00", "15:00")),
        age_min=65,
        last_reviewed=reviewed("2024-11-15"),
    ),
    doc(
        id=5,
        title="Manchester Community Choir",
        summary="Popular songs in four-part harmony.",
        body="Rehearsals in the city centre.",
        organisation="Manchester Voices",
        organisation_id=505,
        categories=MUSIC,
        category_names="Choirs",
        tags=["beginners"],
        **at(*MANCHESTER),
        **sessions(("tue", "19:00", "21:00")),
        last_reviewed=reviewed("2025-03-01"),
        venue="Albert Hall",
        postcode="M2 5QB",
    ),
    doc(
        id=6,
        title="Tooting Knit and Natter",
        summary="Bring your needles and a project.",
        organisation="Tooting Crafters",
        organisation_id=506,
        categories=CRAFTS,
        category_names="Crafts",
        **at(*near(150, 3200)),
        **sessions(("thu", "14:00", "16:00")),
        status="temporarily_closed",
        last_reviewed=reviewed("2024-09-01"),
        venue="Tooting Library",
        postcode="SW17 0SH",
    ),
    doc(
        id=7,
        audience=["young"],
        title="Summer singing club",
        summary="Songs from the shows for children.",
        organisation="Wandsworth Youth Music",
        organisation_id=507,
        categories=MUSIC,
        category_names="Choirs",
        **at(*near(270, 1000)),
        **sessions(("sat", "10:00", "11:00")),
        age_min=6,
        age_max=12,
        status="ended",
        last_reviewed=reviewed("2023-07-01"),
        venue="Southfields Primary",
        postcode="SW18 5JU",
    ),
    doc(
        id=8,
        title="Pottery evening class",
        summary="Throw pots on the wheel.",
        body="Materials included.",
        organisation="Southfields Studio",
        organisation_id=508,
        categories=["arts-and-crafts", "pottery"],
        category_names="Ceramics",
        **at(*near(200, 1500)),
        **sessions(("mon", "18:00", "20:00")),
        cost="paid",  # no price given
        age_min=18,
        last_reviewed=reviewed("2025-02-10"),
        venue="The Kiln Room",
        postcode="SW18 5AA",
    ),
    doc(
        id=9,
        title="Community yoga",
        summary="Slow stretches for every body.",
        body="Mats provided.",
        organisation="Calm Wandsworth",
        organisation_id=509,
        categories=["sport-and-exercise", "yoga"],
        category_names="Yoga",
        **at(*near(30, 2500)),
        **sessions(("tue", "18:00", "19:00")),
        cost="pay_what_you_can",
        access=["accessible-toilet", "step-free"],
        age_min=16,
        last_reviewed=reviewed("2025-04-12"),
        venue="Quaker Meeting House",
        postcode="SW18 1AA",
    ),
    doc(
        id=10,
        title="Chess club",
        summary="Casual games for all levels.",
        organisation="Putney Chess",
        organisation_id=510,
        categories=["games", "social-clubs"],
        category_names="Games",
        # Inside the box around a 5 km circle round CENTRE, but 6 km away: outside the circle.
        **at(*near(45, 6000)),
        **sessions(("fri", "18:00", "21:00")),
        age_min=8,
        last_reviewed=reviewed("2025-01-05"),
        venue="The Bell",
        postcode="SW18 1SY",
    ),
    doc(
        id=11,
        title="Family art club",
        summary="Creative sessions for children and their grown-ups.",
        body="Painting, collage, printing and sometimes knitting.",
        organisation="Earlsfield Arts",
        organisation_id=511,
        categories=["art", "arts-and-crafts"],
        category_names="Art",
        **at(*near(120, 4200)),
        **sessions(("sat", "10:00", "12:00")),
        cost="paid",
        cost_amount=10.0,
        access=["accessible-toilet"],
        age_min=5,
        age_max=11,
        last_reviewed=reviewed("2025-06-01"),
        venue="Earlsfield Library",
        postcode="SW18 3NY",
    ),
    doc(
        id=12,
        audience=["condition"],
        conditions=["lung-conditions", "heart-conditions"],
        booking="referral",
        title="Riverside walk and talk",
        summary="Chat while you stroll along the Thames path.",
        organisation="Thames Path Friends",
        organisation_id=512,
        categories=["sport-and-exercise", "walking"],
        category_names="Walking",
        **at(*near(0, 4000)),
        **sessions(("sat", "11:00", "12:30")),
        age_min=18,
        last_reviewed=reviewed("2024-12-01"),
        venue="Wandsworth Riverside Quarter",
        postcode="SW18 1JX",
    ),
    doc(
        id=13,
        title="Bowls club",
        summary="Lawn bowls with tea afterwards.",
        organisation="Garratt Green Bowlers",
        organisation_id=513,
        categories=["bowls", "sport-and-exercise"],
        category_names="Bowls",
        **at(*near(45, 4900)),  # just inside 5 km
        **sessions(("tue", "12:00", "13:00")),
        cost="paid",
        cost_amount=4.0,
        last_reviewed=reviewed("2025-05-01"),
        venue="Garratt Green pavilion",
        postcode="SW17 0LA",
    ),
    doc(
        id=14,
        title="Table tennis club",
        summary="Drop in for a knock-up.",
        organisation="Southfields Table Tennis",
        organisation_id=514,
        categories=["sport-and-exercise", "table-tennis"],
        category_names="Table tennis",
        **at(*near(225, 5100)),  # just outside 5 km
        **sessions(("tue", "08:00", "09:00")),
        last_reviewed=reviewed("2025-02-20"),
        venue="Southfields Sports Hall",
        postcode="SW19 6AA",
    ),
    doc(
        id=15,
        title="Knitting for beginners",
        summary="Learn to cast on, knit and purl.",
        body="Needles and wool provided.",
        organisation="Wool Exchange",
        organisation_id=515,
        categories=CRAFTS,
        category_names="Crafts",
        **at(*near(300, 3500)),
        **sessions(("wed", "10:00", "11:00")),
        cost="paid",
        cost_amount=5.0,
        access=["accessible-toilet", "hearing-loop", "step-free"],
        age_min=16,
        last_reviewed=reviewed("2025-04-30"),
        venue="Putney Library",
        postcode="SW15 1PA",
    ),
    doc(
        id=16,
        title="Home library service",
        summary="Books delivered to your door.",
        organisation="Libraries at Home",
        organisation_id=516,
        categories=["libraries"],
        category_names="Libraries",
        # A small area just beyond the 5 km circle's north-east edge: inside the circle's box.
        **remote("area_wide", area=area_around(*near(45, 6200))),
        last_reviewed=reviewed("2025-01-20"),
    ),
    doc(
        id=17,
        audience=["young_children", "carers"],
        carers_welcome=False,
        title="Home visits for new parents",
        summary="A health visitor team that comes to you.",
        organisation="Battersea Babies",
        organisation_id=517,
        categories=["family-support", "health-and-wellbeing"],
        category_names="Family support",
        # A small area north of the 5 km circle's box.
        **remote("area_wide", area=area_around(*near(0, 5600))),
        last_reviewed=reviewed("2024-10-10"),
    ),
    doc(
        id=18,
        title="Manchester home visits",
        summary="Volunteers visit people living alone.",
        organisation="Manchester Neighbours",
        organisation_id=518,
        categories=["befriending", "health-and-wellbeing"],
        category_names="Befriending",
        **remote("area_wide", area=(53.44, -2.30, 53.52, -2.18)),
        last_reviewed=reviewed("2025-02-01"),
    ),
    doc(
        id=19,
        title="Gospel choir",
        summary="Joyful gospel music, all voices welcome.",
        organisation="Earlsfield Baptist Church",
        organisation_id=519,
        categories=MUSIC,
        category_names="Choirs",
        **at(*near(330, 3000)),
        **sessions(("sun", "15:00", "17:00")),
        access=["step-free"],
        last_reviewed=reviewed("2025-05-20"),
        venue="Earlsfield Baptist Church",
        postcode="SW18 4QR",
    ),
    doc(
        id=20,
        title="Ukulele jam",
        summary="Strum along to easy songs.",
        organisation="Earlsfield Strummers",
        organisation_id=520,
        categories=["music-and-singing", "ukulele-and-guitar"],
        category_names="Ukulele and guitar",
        **at(*near(180, 2200)),
        **sessions(("fri", "19:00", "21:00")),
        cost="pay_what_you_can",
        last_reviewed=reviewed("2024-08-08"),
        venue="The Earlsfield pub",
        postcode="SW18 4EQ",
    ),
]

CORPUS_BY_ID = {d["id"]: d for d in _CORPUS}
ALL = set(CORPUS_BY_ID)
NOT_RUNNING = {6, 7}
RUNNING = ALL - NOT_RUNNING
# Points inside 5 km of CENTRE, nearest first.
WITHIN_5KM = [1, 8, 2, 20, 9, 19, 15, 12, 11, 13]


def corpus() -> list[dict]:
    """A fresh copy of the fixed corpus, so a backend cannot change the module's documents."""
    return copy.deepcopy(_CORPUS)


# --- helpers --------------------------------------------------------------------------------


def run(backend, **query):
    query.setdefault("page_size", 100)
    return backend.search(DirectoryQuery(**query))


def ids(backend, **query) -> list[int]:
    results = run(backend, **query)
    found = [hit.id for hit in results.hits]
    assert results.total == len(found), (results.total, found)
    return found


def idset(backend, **query) -> set[int]:
    found = ids(backend, **query)
    assert len(found) == len(set(found)), f"duplicate hits: {found}"
    return set(found)


def nonzero(counts: dict) -> dict:
    return {key: value for key, value in counts.items() if value}


WANDSWORTH = GeoPoint(*CENTRE)
TUESDAY = datetime.date(2025, 1, 14)  # a Tuesday in winter (GMT)


class _Interrupted(RuntimeError):
    """Raised half-way through a rebuild's documents to test atomicity."""


def eventually(check, timeout: float = 5.0):
    """Wait until check() is true: another instance may see writes a moment later."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not seen within {timeout} s"
        time.sleep(0.1)


class SearchBackendContract:
    """Tests every backend must pass. Subclasses implement make_backend(tmp_path)."""

    def make_backend(self, tmp_path):
        raise NotImplementedError("Return a new, empty backend that keeps its data in tmp_path.")

    @pytest.fixture
    def empty_backend(self, tmp_path):
        backend = self.make_backend(tmp_path)
        try:
            yield backend
        finally:
            backend.close()

    @pytest.fixture
    def backend(self, empty_backend):
        assert empty_backend.index_documents(corpus()) == len(_CORPUS)
        return empty_backend

    def needs(self, backend, capability: str):
        if not getattr(type(backend), capability):
            pytest.skip(
                f"{type(backend).__name__} does not claim {capability}: this case runs for "
                "backends whose class sets it to True"
            )

    # --- basics ----------------------------------------------------------------------------

    def test_capability_flags_are_booleans_on_the_class(self, empty_backend):
        cls = type(empty_backend)
        for flag in (
            "supports_text",
            "supports_prefix",
            "supports_geo",
            "supports_distance_sort",
            "supports_facets",
            "supports_highlight",
            "supports_atomic_rebuild",
            "supports_title_suggestions",
            "supports_title_word_suggestions",
            "supports_trace",
            "supports_expansions",
            "supports_fuzzy",
        ):
            assert type(getattr(cls, flag)) is bool, flag
        assert isinstance(cls.name, str) and cls.name and cls.name != "base"

    def test_empty_index_answers_with_nothing(self, empty_backend):
        results = empty_backend.search(DirectoryQuery(text="choir", facets=("cost",)))
        assert results.hits == [] and results.total == 0
        assert nonzero(results.facets.get("cost", {})) == {}

    def test_check_reports_no_problems(self, backend):
        assert backend.check() == []

    def test_empty_query_matches_every_running_document_in_id_order(self, backend):
        assert ids(backend) == sorted(RUNNING)

    def test_hits_carry_the_document_fields(self, backend):
        (hit,) = run(backend, text="trust").hits
        source = CORPUS_BY_ID[1]
        assert hit.id == 1
        assert hit.title == source["title"]
        assert hit.organisation == source["organisation"]
        assert hit.url == source["url"]
        assert hit.summary == source["summary"]
        assert hit.cost == "paid"
        assert hit.cost_amount == pytest.approx(3.0)
        assert hit.delivery == "in_person"
        assert hit.venue == "St Anne's Hall"
        assert hit.lat == pytest.approx(CENTRE[0]) and hit.lng == pytest.approx(CENTRE[1])
        assert hit.schedule == source["schedule"]
        (online,) = run(backend, text="zoom").hits
        assert online.id == 3 and online.lat is None and online.lng is None

    # --- text ------------------------------------------------------------------------------

    def test_text_is_stemmed(self, backend):
        self.needs(backend, "supports_text")
        # "walks" finds "walking" (2) and "walk" (12); "singing" finds "Sing" (1).
        assert idset(backend, text="walks") == {2, 12}
        assert idset(backend, text="singing") == {1}
        assert idset(backend, text="rehearsal") == {5}

    def test_text_is_case_insensitive(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="CHOIR") == {1, 5, 19}

    def test_every_word_must_match(self, backend):
        self.needs(backend, "supports_text")
        # "Community yoga" (9) and "Gospel choir" (19) have only one of the words.
        assert idset(backend, text="community choir") == {1, 5}
        assert idset(backend, text="choir zoom") == set()

    def test_a_word_no_document_has_matches_nothing_however_long(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="choir harpsichords") == set()
        long_word = "pneumonoultramicroscopicsilicovolcanoconiosis"  # 45 letters
        assert idset(backend, text=long_word) == set()
        assert idset(backend, text=f"choir {long_word}") == set()

    def test_title_ranks_above_a_body_only_match(self, backend):
        self.needs(backend, "supports_text")
        # 15 has "Knitting" in its title; 11 only says "knitting" in its body (and a lower id).
        assert ids(backend, text="knitting") == [15, 11]

    def test_text_searches_organisation_venue_tags_and_category_names(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="trust") == {1}  # organisation
        assert idset(backend, text="quaker") == {9}  # venue
        assert idset(backend, text="outdoors") == {2}  # tag
        assert idset(backend, text="ceramics") == {8}  # category name
        assert idset(backend, text="bandstand") == {2}  # body and venue

    def test_text_does_not_search_category_slugs(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="wellbeing") == set()

    def test_prefix_matches_the_last_word_as_a_prefix(self, backend):
        self.needs(backend, "supports_prefix")
        assert idset(backend, text="cho", prefix=True) == {1, 5, 19}
        assert idset(backend, text="community cho", prefix=True) == {1, 5}
        assert idset(backend, text="sing", prefix=True) == {1}
        assert idset(backend, text="knitt", prefix=True) == {11, 15}

    def test_prefix_searches_the_same_fields_as_whole_words(self, backend):
        self.needs(backend, "supports_prefix")
        # Body-only words: 11 says "knitting" and 1 "auditions" only in their bodies.
        assert idset(backend, text="knitting", prefix=True) == idset(backend, text="knitting")
        assert idset(backend, text="auditio", prefix=True) == {1}
        assert idset(backend, text="sw1", prefix=True) == {4}
        # A complete last word with an apostrophe ("St Anne's Hall" is 1's venue).
        assert idset(backend, text="anne's", prefix=True) == {1}
        assert idset(backend, text="st anne's", prefix=True) == {1}

    def test_without_prefix_a_word_fragment_matches_nothing(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="cho") == set()

    def test_text_respects_status(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="natter") == set()
        assert idset(backend, text="natter", include_not_running=True) == {6}

    def test_snippet_shows_the_match(self, backend):
        self.needs(backend, "supports_highlight")
        (hit,) = run(backend, text="auditions").hits
        assert hit.id == 1
        assert "audition" in hit.snippet.lower()

    # --- categories and tags ---------------------------------------------------------------

    def test_parent_category_matches_its_children(self, backend):
        assert idset(backend, categories=("music-and-singing",)) == {1, 5, 19, 20}
        assert idset(backend, categories=("choirs-and-singing",)) == {1, 5, 19}

    def test_any_of_several_categories(self, backend):
        assert idset(backend, categories=("yoga", "pottery")) == {8, 9}
        assert idset(backend, categories=("no-such-category",)) == set()

    def test_any_of_several_tags(self, backend):
        assert idset(backend, tags=("carers", "outdoors")) == {2, 3}
        assert idset(backend, tags=("beginners",)) == {1, 5}

    def test_categories_combine_with_text(self, backend):
        self.needs(backend, "supports_text")
        assert idset(backend, text="community", categories=("sport-and-exercise",)) == {9}

    # --- status ----------------------------------------------------------------------------

    def test_ended_and_closed_are_left_out_by_default(self, backend):
        assert idset(backend) == RUNNING
        assert idset(backend, categories=("music-and-singing",)) == {1, 5, 19, 20}

    def test_statuses_choose_which_are_matched(self, backend):
        # What the directory lists and counts: running and temporarily closed, never ended.
        listed = ("running", "temporarily_closed")
        assert idset(backend, statuses=listed) == ALL - {7}
        assert idset(backend, categories=("crafts",), statuses=listed) == {6, 15}
        assert idset(backend, statuses=("ended",)) == {7}
        counts = run(backend, statuses=listed, facets=("categories",)).facets["categories"]
        assert counts["crafts"] == 2

    def test_include_not_running(self, backend):
        assert idset(backend, include_not_running=True) == ALL
        assert idset(backend, categories=("crafts",), include_not_running=True) == {6, 15}

    # --- near + radius ---------------------------------------------------------------------

    def test_radius_is_an_exact_great_circle(self, backend):
        self.needs(backend, "supports_geo")
        found = idset(backend, near=WANDSWORTH, radius_m=5000)
        assert 13 in found, "4.9 km away: inside 5 km"
        assert 14 not in found, "5.1 km away: outside 5 km"
        assert 10 not in found, "6 km away but inside the circle's bounding box"
        assert 5 not in found, "Manchester"
        # Points within 5 km, online (3), an area around (4) and an area touching the
        # circle's box (16); not an area north of the box (17) nor one in Manchester (18).
        assert found == set(WITHIN_5KM) | {3, 4, 16}

    def test_radius_boundary_both_ways(self, backend):
        self.needs(backend, "supports_geo")
        points = {1, 2, 5, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20}
        found = idset(backend, near=WANDSWORTH, radius_m=5200)
        assert found & points == set(WITHIN_5KM) | {14}
        found = idset(backend, near=WANDSWORTH, radius_m=4800)
        assert found & points == set(WITHIN_5KM) - {13}

    def test_small_radius(self, backend):
        self.needs(backend, "supports_geo")
        # 1 km: only the choir has a point that close; the online group and the phone
        # service whose area holds the whole circle come too.
        assert idset(backend, near=WANDSWORTH, radius_m=1000) == {1, 3, 4}

    def test_radius_far_away(self, backend):
        self.needs(backend, "supports_geo")
        assert idset(backend, near=GeoPoint(*MANCHESTER), radius_m=10_000) == {3, 5, 18}

    def test_radius_with_text_and_status(self, backend):
        self.needs(backend, "supports_geo")
        self.needs(backend, "supports_text")
        assert idset(backend, text="choir", near=WANDSWORTH, radius_m=5000) == {1, 19}
        found = idset(backend, near=WANDSWORTH, radius_m=5000, include_not_running=True)
        assert found == set(WITHIN_5KM) | {3, 4, 16, 6, 7}

    def test_hits_carry_distance(self, backend):
        self.needs(backend, "supports_geo")
        hits = run(backend, near=WANDSWORTH, radius_m=5000).hits
        assert hits
        for hit in hits:
            source = CORPUS_BY_ID[hit.id]
            if source["has_point"]:
                assert hit.distance_m is not None, hit.id
                true = haversine_m(*CENTRE, source["lat"], source["lng"])
                assert hit.distance_m == pytest.approx(true, rel=0.01, abs=1.0), hit.id
            else:
                assert hit.distance_m is None, hit.id

    def test_a_private_venue_is_found_by_its_own_point_and_shows_another(self, empty_backend):
        # A venue whose address is private (search.fields: approximate_point): its own point is
        # searched by, the centre of its outward code shown, or no point when that is unknown.
        backend = empty_backend
        self.needs(backend, "supports_geo")
        own, shown = near(0, 300), near(90, 3000)
        backend.index_documents(
            [
                doc(id=1, approximate_point=list(shown), **at(*own)),
                doc(id=2, approximate_point=[], **at(*own)),
                doc(id=3, approximate_point=list(own), **at(*shown)),
            ]
        )
        hits = {hit.id: hit for hit in run(backend, near=WANDSWORTH, radius_m=1000).hits}
        assert set(hits) == {1, 2}
        assert (hits[1].lat, hits[1].lng) == pytest.approx(shown) and hits[1].approximate
        assert hits[2].lat is None and hits[2].lng is None
        assert not hits[2].approximate and not hits[2].area_wide

    def test_near_without_radius_filters_nothing_but_gives_distances(self, backend):
        self.needs(backend, "supports_geo")
        results = run(backend, near=WANDSWORTH)
        assert {hit.id for hit in results.hits} == RUNNING
        manchester = next(hit for hit in results.hits if hit.id == 5)
        true = haversine_m(*CENTRE, *MANCHESTER)
        assert manchester.distance_m == pytest.approx(true, rel=0.01)

    @pytest.mark.parametrize(
        ("centre", "radius_m"),
        [(CENTRE, 3000), (CENTRE, 150_000), ((57.5, -4.2), 200_000), ((50.1, -5.5), 80_000)],
    )
    def test_radius_and_distance_order_match_haversine_for_many_points(
        self, empty_backend, centre, radius_m
    ):
        backend = empty_backend
        self.needs(backend, "supports_geo")
        rng = random.Random(radius_m)
        points = []
        for n in range(1, 301):
            # Half near the edge of the circle, half anywhere up to 1.5 radii away; none so
            # close to the edge that Earth-radius conventions (0.2%) could disagree.
            scale = rng.uniform(0.9, 1.1) if n % 2 else rng.uniform(0.0, 1.5)
            if abs(scale - 1) < 0.004:
                scale = 0.99
            points.append(
                doc(id=n, **at(*destination(*centre, rng.uniform(0, 360), radius_m * scale)))
            )
        backend.index_documents(points)
        distances = {d["id"]: haversine_m(*centre, d["lat"], d["lng"]) for d in points}
        point = GeoPoint(*centre)
        found = set()
        for page in (1, 2, 3):
            found |= {h.id for h in run(backend, near=point, radius_m=radius_m, page=page).hits}
        assert found == {n for n, d in distances.items() if d <= radius_m}
        if type(backend).supports_distance_sort:
            order = []
            for page in (1, 2, 3):
                order += [
                    h.id for h in run(backend, near=point, sort=Sort.DISTANCE, page=page).hits
                ]
            # Every point once, nearest first. Engines store a geo_point rounded (Elasticsearch
            # and the emulator to about 1 cm), so points at (nearly) the same distance, such as
            # those clamped to 0.99 radii, may come in either order: compare with a tolerance.
            # Ties at exactly the same point go by id (see the many-activities-per-venue case).
            assert sorted(order) == sorted(distances)
            for before, after in zip(order, order[1:], strict=False):
                assert distances[before] <= distances[after] + DISTANCE_TOLERANCE_M, (
                    before,
                    after,
                    distances[before],
                    distances[after],
                )

    def test_many_activities_per_venue_sort_and_page_by_distance_then_id(self, empty_backend):
        backend = empty_backend
        self.needs(backend, "supports_distance_sort")
        # Most activities share a venue with others: one point, many documents.
        venues = {
            near(0, 300): [9, 2, 14, 5, 11],
            near(90, 600): [3, 12, 8],
            near(180, 900): [13, 1, 7],
            near(270, 3000): [4, 10, 6],
        }
        documents = [doc(id=n, **at(*point)) for point, numbers in venues.items() for n in numbers]
        documents.append(doc(id=15, **remote("online")))
        documents.append(doc(id=16, status="ended", **at(*near(0, 300))))
        backend.index_documents(documents)
        nearest = [2, 5, 9, 11, 14, 3, 8, 12, 1, 7, 13, 4, 6, 10]
        for size in (1, 4, 5, 7, 20):
            seen, page = [], 1
            while True:
                results = backend.search(
                    DirectoryQuery(near=WANDSWORTH, sort=Sort.DISTANCE, page=page, page_size=size)
                )
                assert results.total == 15, size
                if not results.hits:
                    break
                seen += [hit.id for hit in results.hits]
                page += 1
            assert seen == nearest + [15], size
        # Within 1 km the farthest venue drops out; the online group comes after every point.
        within_1km = ids(backend, near=WANDSWORTH, radius_m=1000, sort=Sort.DISTANCE)
        assert within_1km == nearest[:11] + [15]
        if type(backend).supports_facets:
            results = backend.search(
                DirectoryQuery(
                    near=WANDSWORTH,
                    radius_m=1000,
                    sort=Sort.DISTANCE,
                    page=2,
                    page_size=4,
                    facets=("delivery",),
                )
            )
            assert results.total == 12
            assert [hit.id for hit in results.hits] == [14, 3, 8, 12]
            assert nonzero(results.facets["delivery"]) == {"in_person": 11, "online": 1}

    def test_geo_searches_see_points_added_moved_and_removed(self, backend, tmp_path):
        self.needs(backend, "supports_geo")
        spot = near(10, 500)
        box = BBox(spot[1] - 0.001, spot[0] - 0.001, spot[1] + 0.001, spot[0] + 0.001)
        other = self.make_backend(tmp_path)
        try:
            # Every kind of geo search once first, in both instances, so anything they keep
            # between searches is in use.
            for instance in (backend, other):
                assert idset(instance, near=WANDSWORTH, radius_m=1000) == {1, 3, 4}
                assert idset(instance, bbox=box) == {3, 4}
                assert ids(instance, near=WANDSWORTH, sort=Sort.DISTANCE)[:2] == [1, 8]
            # A new venue, and an activity moving to another new one.
            moved = dict(corpus()[1], **at(*near(200, 700)))
            backend.index_documents([doc(id=101, **at(*spot)), moved])
            assert idset(backend, near=WANDSWORTH, radius_m=1000) == {1, 2, 3, 4, 101}
            assert idset(backend, bbox=box) == {3, 4, 101}
            assert ids(backend, near=WANDSWORTH, sort=Sort.DISTANCE)[:4] == [1, 101, 2, 8]
            eventually(lambda: idset(other, near=WANDSWORTH, radius_m=1000) == {1, 2, 3, 4, 101})
            assert idset(other, bbox=box) == {3, 4, 101}
            backend.delete_documents([101])
            assert idset(backend, near=WANDSWORTH, radius_m=1000) == {1, 2, 3, 4}
            assert idset(backend, bbox=box) == {3, 4}
            assert ids(backend, near=WANDSWORTH, sort=Sort.DISTANCE)[:3] == [1, 2, 8]
            backend.rebuild([doc(id=201, **at(*spot)), doc(id=202, **remote("online"))])
            assert ids(backend, near=WANDSWORTH, radius_m=1000, sort=Sort.DISTANCE) == [201, 202]
            assert idset(backend, bbox=box) == {201, 202}
            eventually(lambda: idset(other, bbox=box) == {201, 202})
            assert ids(other, near=WANDSWORTH, radius_m=1000, sort=Sort.DISTANCE) == [201, 202]
        finally:
            other.close()

    # --- bbox ------------------------------------------------------------------------------

    def test_bbox_points_inside_and_areas_that_touch_it(self, backend):
        self.needs(backend, "supports_geo")
        box = BBox(min_lng=-0.25, min_lat=51.42, max_lng=-0.15, max_lat=51.47)
        # Points inside; online (3) and the SW17-SW18 phone service (4). Not the areas
        # north (16, 17) or in Manchester (18), nor the points of 10, 11, 13 (east),
        # 12, 19 (north) or 14 (south).
        assert idset(backend, bbox=box) == {1, 2, 3, 4, 8, 9, 15, 20}

    def test_bbox_inside_an_area(self, backend):
        self.needs(backend, "supports_geo")
        # A small box with no points, wholly inside the phone service's area.
        box = BBox(min_lng=-0.175, min_lat=51.415, max_lng=-0.165, max_lat=51.42)
        assert idset(backend, bbox=box) == {3, 4}

    def test_bbox_overlapping_an_area_corner(self, backend):
        self.needs(backend, "supports_geo")
        # Overlaps the phone service's area (4) at its north-east corner only, and holds the
        # points of 10 and 13 and the whole of 16's area.
        box = BBox(min_lng=-0.15, min_lat=51.465, max_lng=-0.10, max_lat=51.50)
        assert idset(backend, bbox=box) == {3, 4, 10, 13, 16}

    def test_bbox_elsewhere(self, backend):
        self.needs(backend, "supports_geo")
        box = BBox(min_lng=-2.35, min_lat=53.40, max_lng=-2.15, max_lat=53.55)
        assert idset(backend, bbox=box) == {3, 5, 18}
        box = BBox(min_lng=10.0, min_lat=40.0, max_lng=11.0, max_lat=41.0)
        assert idset(backend, bbox=box) == {3}

    # --- days and times --------------------------------------------------------------------

    def test_days_any_of(self, backend):
        assert idset(backend, days=(SAT,)) == {11, 12}
        assert idset(backend, days=(SAT, SUN)) == {11, 12, 19}
        assert idset(backend, days=(MON,)) == {4, 8}
        assert idset(backend, days=(THU,)) == {2}
        assert idset(backend, days=(THU,), include_not_running=True) == {2, 6}

    def test_time_window_on_a_day(self, backend):
        morning = TimeWindow(datetime.time(9, 0), datetime.time(12, 0))
        # Tuesday 10:00-12:00 (2); not Tuesday 08:00-09:00 (14), 12:00-13:00 (13),
        # 18:00 (9) or 19:00 (1, 5), nor Wednesday 10:00 (15).
        assert idset(backend, days=(TUE,), time_window=morning) == {2}
        evening = TimeWindow(datetime.time(18, 0), datetime.time(19, 0))
        assert idset(backend, days=(TUE,), time_window=evening) == {9}
        assert idset(backend, days=(WED,), time_window=morning) == {15}
        assert idset(backend, days=(SAT,), time_window=morning) == {11, 12}
        assert idset(backend, days=(SUN,), time_window=morning) == set()

    def test_time_window_partial_overlap(self, backend):
        window = TimeWindow(datetime.time(11, 45), datetime.time(12, 15))
        # Overlaps the end of 2 (until 12:00) and the start of 13 (from 12:00).
        assert idset(backend, days=(TUE,), time_window=window) == {2, 13}

    def test_time_window_without_days_means_any_day(self, backend):
        window = TimeWindow(datetime.time(10, 0), datetime.time(11, 0))
        assert idset(backend, time_window=window) == {2, 11, 15}

    def test_unscheduled_activities_pass_a_time_filter_only_when_asked(self, backend):
        unscheduled = {
            d["id"]
            for d in corpus()
            if d["buckets"] == [UNSCHEDULED_BUCKET] and d["status"] == "running"
        }
        assert unscheduled, "the corpus needs activities without sessions"
        morning = TimeWindow(datetime.time(9, 0), datetime.time(12, 0))
        assert idset(backend, days=(TUE,), time_window=morning) == {2}
        assert (
            idset(backend, days=(TUE,), time_window=morning, include_unscheduled=True)
            == {2} | unscheduled
        )
        slots = ((TUE, morning), (SAT, morning))
        assert idset(backend, slots=slots) == {2, 11, 12}
        assert idset(backend, slots=slots, include_unscheduled=True) == {2, 11, 12} | unscheduled
        assert idset(backend, days=(SAT,), include_unscheduled=True) == {11, 12} | unscheduled
        # Without a time filter there is nothing to widen.
        assert idset(backend, include_unscheduled=True) == idset(backend)

    def test_open_at(self, backend):
        def open_at(hour, minute):
            when = datetime.datetime.combine(TUESDAY, datetime.time(hour, minute), LONDON)
            return idset(backend, open_at=when)

        assert open_at(10, 30) == {2}
        assert open_at(8, 59) == {14}
        assert open_at(9, 0) == set()
        assert open_at(12, 0) == {13}
        assert open_at(19, 30) == {1, 5}

    # --- cost ------------------------------------------------------------------------------

    FREE = {2, 3, 4, 5, 10, 12, 14, 16, 17, 18, 19}
    PAY_WHAT_YOU_CAN = {9, 20}

    def test_free_only(self, backend):
        assert idset(backend, free_only=True) == self.FREE

    def test_max_cost(self, backend):
        zero = self.FREE | self.PAY_WHAT_YOU_CAN
        assert idset(backend, max_cost=Decimal("0")) == zero
        assert idset(backend, max_cost=Decimal("3.50")) == zero | {1}
        # Inclusive (15 costs 5); not 11 (10) nor 8, which is paid without a price.
        assert idset(backend, max_cost=Decimal("5")) == zero | {1, 13, 15}
        assert idset(backend, max_cost=Decimal("1000")) == RUNNING - {8}

    # --- access, delivery, age -------------------------------------------------------------

    def test_access_needs_every_feature(self, backend):
        assert idset(backend, access=("step-free",)) == {1, 2, 9, 15, 19}
        assert idset(backend, access=("step-free", "hearing-loop")) == {1, 15}
        features = ("accessible-toilet", "hearing-loop", "step-free")
        assert idset(backend, access=features) == {15}

    def test_delivery_any_of(self, backend):
        assert idset(backend, delivery=("online", "phone")) == {3, 4}
        assert idset(backend, delivery=("area_wide",)) == {16, 17, 18}
        in_person = {1, 2, 5, 8, 9, 10, 11, 12, 13, 14, 15, 19, 20}
        assert idset(backend, delivery=("in_person",)) == in_person

    def test_audience_any_of(self, backend):
        assert idset(backend, audience=("older",)) == {4}
        # Ended activities (7, for young people) are not matched.
        assert idset(backend, audience=("young",)) == set()
        assert idset(backend, audience=("carers", "condition")) == {3, 12, 17}
        assert idset(backend, audience=("everyone",)) == RUNNING - {3, 4, 12, 17}
        assert idset(backend, audience=("everyone", "older")) == RUNNING - {3, 12, 17}

    def test_hits_name_the_organisation_that_runs_them(self, backend):
        by_id = {hit.id: hit for hit in run(backend).hits}
        assert by_id[1].organisation_id == 501
        assert by_id[2].organisation_id == 502

    def test_leaving_out_organisations_drops_only_their_activities(self, backend):
        assert idset(backend, exclude_organisations=(501, 502)) == RUNNING - {1, 2}
        # An id no activity has leaves everything in; with other filters, theirs still apply.
        assert idset(backend, exclude_organisations=(999_999,)) == RUNNING
        assert idset(backend, delivery=("online", "phone"), exclude_organisations=(503,)) == {4}

    def test_leaving_out_organisations_keeps_the_nearest_first(self, backend):
        self.needs(backend, "supports_geo")
        nearest = ids(
            backend,
            near=WANDSWORTH,
            radius_m=5000,
            delivery=("in_person",),
            sort=Sort.DISTANCE,
            exclude_organisations=(501, 508),
        )
        assert nearest == [i for i in WITHIN_5KM if i not in (1, 8)]

    def test_hits_say_whom_it_is_for(self, backend):
        (hit,) = backend.search(DirectoryQuery(audience=("condition",))).hits
        assert hit.audience == ["condition"]
        assert sorted(hit.conditions) == ["heart-conditions", "lung-conditions"]
        assert hit.booking == "referral" and hit.carers_welcome is True
        assert (hit.age_min, hit.age_max) == (18, 120)
        (parents,) = backend.search(DirectoryQuery(text="new parents")).hits
        assert sorted(parents.audience) == ["carers", "young_children"]
        assert parents.carers_welcome is False and parents.booking == "drop_in"
        everyone = backend.search(DirectoryQuery(text="bowls")).hits[0]
        assert everyone.audience == ["everyone"] and everyone.conditions == []

    def test_age_in_range(self, backend):
        everyone = {5, 13, 14, 16, 17, 18, 19, 20}  # no age limits
        assert idset(backend, age=8) == everyone | {10, 11}
        assert idset(backend, age=5) == everyone | {11}
        assert idset(backend, age=12) == everyone | {10}
        assert idset(backend, age=65) == RUNNING - {11}
        assert idset(backend, age=16) == RUNNING - {2, 3, 4, 8, 11, 12}

    def test_filters_combine(self, backend):
        found = idset(
            backend,
            near=WANDSWORTH,
            radius_m=5000,
            free_only=True,
            access=("step-free",),
            days=(TUE, SUN),
        )
        assert found == {2, 19}

    # --- sorting ---------------------------------------------------------------------------

    def test_sort_by_distance(self, backend):
        self.needs(backend, "supports_distance_sort")
        found = ids(backend, near=WANDSWORTH, radius_m=5000, sort=Sort.DISTANCE)
        assert found == WITHIN_5KM + [3, 4, 16]
        found = ids(backend, near=WANDSWORTH, sort=Sort.DISTANCE)
        assert found == WITHIN_5KM + [14, 10, 5] + [3, 4, 16, 17, 18]

    def test_sort_by_distance_with_other_filters(self, backend):
        self.needs(backend, "supports_distance_sort")
        found = ids(backend, near=GeoPoint(*MANCHESTER), sort=Sort.DISTANCE, free_only=True)
        assert found == [5, 12, 19, 10, 2, 14, 3, 4, 16, 17, 18]

    def test_sort_by_checked(self, backend):
        assert ids(backend, sort=Sort.CHECKED) == [
            3, 11, 2, 19, 13, 15, 9, 1, 5, 14, 8, 18, 16, 10, 12, 4, 17, 20,
        ]  # fmt: skip

    def test_sort_by_title_a_to_z_with_case_accents_and_spacing_aside(self, empty_backend):
        titled = [
            doc(id=5, title="Zumba gold", categories=["sport-and-exercise"]),
            doc(id=3, title="art club", categories=CRAFTS),
            doc(id=9, title="Café chat", summary="Chat, chat and more chat."),
            doc(id=2, title="cafe  chat"),  # the same as 9 once accents and spacing go
            doc(id=7, title="Art Club", categories=CRAFTS),
            doc(id=4, title="Éclair baking"),
            doc(id=8, title="cafe"),
            doc(id=1, title="Zumba gold", status="ended"),
            doc(id=6, title="Ballet for beginners " + "and improvers " * 20),
        ]
        # Written in two batches, so equal titles sit in different segments.
        empty_backend.index_documents(titled[:4])
        empty_backend.index_documents(titled[4:])
        order = [3, 7, 6, 8, 2, 9, 4, 5]  # equal titles by id; a shorter title first
        assert ids(empty_backend, sort=Sort.TITLE) == order
        pages = [
            [h.id for h in run(empty_backend, sort=Sort.TITLE, page=p, page_size=3).hits]
            for p in (1, 2, 3)
        ]
        assert pages == [order[0:3], order[3:6], order[6:8]]
        assert ids(empty_backend, sort=Sort.TITLE, categories=("arts-and-crafts",)) == [3, 7]
        assert ids(empty_backend, sort=Sort.TITLE, include_not_running=True) == [
            3, 7, 6, 8, 2, 9, 4, 1, 5,
        ]  # fmt: skip
        if empty_backend.supports_text:
            # Words choose what matches; the order is still A to Z, not by relevance (whose
            # order here is the engine's: both titles score alike in a per-field best match).
            assert idset(empty_backend, text="chat") == {2, 9}
            assert ids(empty_backend, sort=Sort.TITLE, text="chat") == [2, 9]

    def test_sort_by_title_pages_through_titles_alike_for_many_characters(self, empty_backend):
        titled = {
            13: "Community choir (Battersea)",
            2: "Community choir (Balham)",
            8: "community choir (battersea)",
            21: "Community chess",
            5: "Community choir",
            34: "COMMUNITY CHOIR (BATTERSEA)",
            1: "Men's shed",
            55: "Men\u2019s shed",
            3: "Mens shed",
            89: "\u00d8rsted club",
            144: "Orsted club",
            233: "Zumba",
            17: "zumba gold",
            4: "Community choir (Battersea) 2",
            6: "\u0421\u043f\u0456\u0432",
            7: "\u0421\u043f\u0456\u0432\u0430\u0439\u043c\u043e",
        }
        empty_backend.index_documents(
            [doc(id=i, title=t, categories=MUSIC if i % 2 else CRAFTS) for i, t in titled.items()]
        )
        # The order the contract defines, worked out here from its definition.
        expected = sorted(titled, key=lambda i: title_key(titled[i], i))
        for size in (1, 3, 4, 16):
            seen = []
            for page in range(1, 16 // size + 2):
                results = run(empty_backend, sort=Sort.TITLE, page=page, page_size=size)
                assert results.total == len(titled)
                seen += [hit.id for hit in results.hits]
            assert seen == expected, size
        seen = []
        for page in (1, 2, 3, 4, 5):
            results = run(empty_backend, sort=Sort.TITLE, page=page, page_size=3, categories=MUSIC)
            seen += [hit.id for hit in results.hits]
        assert seen == [i for i in expected if i % 2]

    def test_relevance_ties_go_by_id_whatever_the_indexing_order(self, empty_backend):
        shuffled = sorted(corpus(), key=lambda d: (d["id"] * 7) % 11)
        empty_backend.rebuild(shuffled)
        assert ids(empty_backend) == sorted(RUNNING)
        page = run(empty_backend, page=2, page_size=5)
        assert [hit.id for hit in page.hits] == sorted(RUNNING)[5:10]
        assert ids(empty_backend, categories=("music-and-singing",)) == [1, 5, 19, 20]

    def test_relevance_ties_go_by_id_after_an_update(self, backend):
        backend.index_documents([corpus()[0]])  # 1 is now the most recently written
        assert ids(backend) == sorted(RUNNING)
        assert ids(backend, tags=("beginners",)) == [1, 5]

    def test_equal_text_scores_page_through_every_document_once(self, empty_backend):
        # The contract leaves the order of equal scores to the engine, but it must be stable.
        empty_backend.index_documents([doc(id=n, title="Chess") for n in (3, 1, 2, 5, 4)])
        seen = []
        for page in (1, 2, 3):
            seen += [
                h.id
                for h in empty_backend.search(
                    DirectoryQuery(text="chess", page=page, page_size=2)
                ).hits
            ]
        assert sorted(seen) == [1, 2, 3, 4, 5]

    def test_sort_by_relevance(self, backend):
        self.needs(backend, "supports_text")
        assert ids(backend, text="knitting", sort=Sort.RELEVANCE) == [15, 11]
        hits = run(backend, text="knitting").hits
        assert hits[0].score > hits[1].score

    # --- paging ----------------------------------------------------------------------------

    def test_paging(self, backend):
        order = [3, 11, 2, 19, 13, 15, 9, 1, 5, 14, 8, 18, 16, 10, 12, 4, 17, 20]
        pages = []
        for page in range(1, 6):
            results = backend.search(DirectoryQuery(sort=Sort.CHECKED, page=page, page_size=5))
            assert results.total == 18
            assert results.page == page and results.page_size == 5
            assert results.pages == 4
            pages.append([hit.id for hit in results.hits])
        assert pages == [order[0:5], order[5:10], order[10:15], order[15:18], []]

    def test_paging_in_relevance_order(self, backend):
        first = backend.search(DirectoryQuery(page=1, page_size=7))
        second = backend.search(DirectoryQuery(page=2, page_size=7))
        assert first.total == second.total == 18
        running = sorted(RUNNING)
        assert [hit.id for hit in first.hits] == running[:7]
        assert [hit.id for hit in second.hits] == running[7:14]

    def test_paging_with_filters(self, backend):
        query = {"categories": ("music-and-singing",), "sort": Sort.CHECKED, "page_size": 3}
        first = backend.search(DirectoryQuery(page=1, **query))
        second = backend.search(DirectoryQuery(page=2, **query))
        beyond = backend.search(DirectoryQuery(page=3, **query))
        assert first.total == second.total == beyond.total == 4
        assert [hit.id for hit in first.hits] == [19, 1, 5]
        assert [hit.id for hit in second.hits] == [20]
        assert beyond.hits == []

    # --- facets ----------------------------------------------------------------------------

    def test_facets_count_every_match_not_just_the_page(self, backend):
        self.needs(backend, "supports_facets")
        results = backend.search(
            DirectoryQuery(
                categories=("music-and-singing",),
                page_size=1,
                facets=("categories", "days", "cost", "access", "delivery"),
            )
        )
        assert results.total == 4 and len(results.hits) == 1
        facets = {name: nonzero(counts) for name, counts in results.facets.items()}
        assert facets == {
            "categories": {
                "music-and-singing": 4,
                "choirs-and-singing": 3,
                "ukulele-and-guitar": 1,
            },
            "days": {"tue": 2, "sun": 1, "fri": 1},
            "cost": {"paid": 1, "free": 2, "pay_what_you_can": 1},
            "access": {"hearing-loop": 1, "step-free": 2},
            "delivery": {"in_person": 4},
        }

    def test_facets_over_everything_running(self, backend):
        self.needs(backend, "supports_facets")
        results = backend.search(
            DirectoryQuery(page_size=2, facets=("days", "cost", "access", "delivery", "audience"))
        )
        facets = {name: nonzero(counts) for name, counts in results.facets.items()}
        assert facets["cost"] == {"free": 11, "paid": 5, "pay_what_you_can": 2}
        assert facets["audience"] == {
            "everyone": 14, "carers": 2, "older": 1, "condition": 1, "young_children": 1,
        }  # fmt: skip
        assert facets["delivery"] == {"in_person": 13, "online": 1, "phone": 1, "area_wide": 3}
        assert facets["days"] == {
            "mon": 2, "tue": 6, "wed": 3, "thu": 1, "fri": 3, "sat": 2, "sun": 1,
        }  # fmt: skip
        assert facets["access"] == {"step-free": 5, "hearing-loop": 2, "accessible-toilet": 3}

    def test_facets_follow_the_filters(self, backend):
        self.needs(backend, "supports_facets")
        results = backend.search(
            DirectoryQuery(free_only=True, near=WANDSWORTH, radius_m=5000, facets=("cost", "days"))
        )
        assert results.total == 6  # 2, 12, 19 and 3, 4, 16
        facets = {name: nonzero(counts) for name, counts in results.facets.items()}
        assert facets["cost"] == {"free": 6}
        days = {"mon": 1, "tue": 1, "wed": 2, "thu": 1, "fri": 1, "sat": 1, "sun": 1}
        assert facets["days"] == days

    def test_facets_asked_for_are_present(self, backend):
        self.needs(backend, "supports_facets")
        results = backend.search(DirectoryQuery(text="", facets=("delivery",)))
        assert "delivery" in results.facets

    # --- updating the live index -----------------------------------------------------------

    def test_index_replaces_a_document_with_the_same_id(self, backend):
        changed = dict(corpus()[0], title="Wandsworth Harmony Ensemble")
        assert backend.index_documents([changed]) == 1
        assert len(ids(backend)) == 18
        assert idset(backend, text="ensemble") == {1}
        assert idset(backend, text="community choir") == {5}
        assert ids(backend).count(1) == 1

    def test_index_replaces_filter_fields_too(self, backend):
        changed = dict(corpus()[1], status="ended", **at(*MANCHESTER))
        backend.index_documents(iter([changed]))
        assert idset(backend, days=(THU,)) == set()
        assert 2 in idset(backend, include_not_running=True, bbox=BBox(-2.35, 53.40, -2.15, 53.55))

    def test_index_adds_new_documents(self, backend):
        new = doc(id=101, title="Repair cafe", **at(*near(10, 500)))
        assert backend.index_documents([new]) == 1
        assert idset(backend, text="repair") == {101}
        assert 101 in idset(backend, near=WANDSWORTH, radius_m=1000)

    def test_delete_documents(self, backend):
        backend.delete_documents([2, 12])
        assert idset(backend) == RUNNING - {2, 12}
        assert idset(backend, days=(SAT,)) == {11}
        backend.delete_documents(iter([9999, 2]))  # unknown and already-deleted ids
        backend.delete_documents([])
        assert idset(backend, include_not_running=True) == ALL - {2, 12}

    def test_index_then_delete_then_index_again(self, backend):
        backend.delete_documents([1])
        backend.index_documents([corpus()[0]])
        assert idset(backend, tags=("beginners",)) == {1, 5}

    # --- rebuild ---------------------------------------------------------------------------

    def test_rebuild_replaces_the_whole_index(self, backend):
        fresh = [
            doc(id=201, title="Community garden", **at(*near(0, 100))),
            doc(id=202, title="Litter pick", **remote("online")),
            dict(corpus()[0], title="Rebuilt choir"),
        ]
        assert backend.rebuild(iter(fresh), total=3) == 3
        assert idset(backend, include_not_running=True) == {1, 201, 202}
        assert idset(backend, categories=("music-and-singing",)) == {1}
        assert idset(backend, days=(SAT,)) == set()
        # The live index after the swap takes updates as before.
        backend.index_documents([corpus()[1]])
        assert idset(backend, include_not_running=True) == {1, 2, 201, 202}

    def test_rebuild_reports_progress(self, backend):
        calls = []
        fresh = [doc(id=300 + n, title=f"Group {n}") for n in range(7)]
        count = backend.rebuild(
            iter(fresh), total=7, progress=lambda done, total: calls.append((done, total))
        )
        assert count == 7
        assert calls, "progress was never called"
        assert all(total == 7 for _, total in calls)
        done = [d for d, _ in calls]
        assert done == sorted(done) and all(0 <= d <= 7 for d in done)
        assert calls[-1] == (7, 7)

    def test_rebuild_from_empty(self, empty_backend):
        assert empty_backend.rebuild(corpus(), total=len(ALL)) == len(ALL)
        assert idset(empty_backend, include_not_running=True) == ALL
        assert idset(empty_backend, categories=("music-and-singing",)) == {1, 5, 19, 20}

    def test_interrupted_rebuild_leaves_the_old_index_whole(self, backend):
        self.needs(backend, "supports_atomic_rebuild")

        def interrupted():
            yield doc(id=401, title="Half built")
            yield doc(id=402, title="Half built too")
            raise _Interrupted("the database went away")

        with pytest.raises(RuntimeError):
            backend.rebuild(interrupted(), total=10)
        assert idset(backend, include_not_running=True) == ALL
        assert idset(backend, text="half") == set()
        assert idset(backend, categories=("music-and-singing",)) == {1, 5, 19, 20}
        # And a later rebuild still works.
        assert backend.rebuild([doc(id=403, title="Whole")]) == 1
        assert idset(backend, include_not_running=True) == {403}

    def test_searches_during_a_rebuild_see_the_old_index(self, backend):
        self.needs(backend, "supports_atomic_rebuild")
        seen = {}

        def search_elsewhere():
            seen["ids"] = idset(backend, include_not_running=True)

        def documents():
            yield doc(id=501, title="New one")
            # Half-way through, another thread searches: it must see the old index, at once.
            thread = threading.Thread(target=search_elsewhere, daemon=True)
            thread.start()
            thread.join(timeout=30)
            seen["blocked"] = thread.is_alive()
            yield doc(id=502, title="New two")

        backend.rebuild(documents(), total=2)
        assert seen["blocked"] is False, "a search waited for the rebuild to finish"
        assert seen["ids"] == ALL
        assert idset(backend, include_not_running=True) == {501, 502}

    # --- several instances on one index ----------------------------------------------------

    def test_a_second_instance_reads_the_same_index(self, backend, tmp_path):
        # As web processes read what the indexing worker writes: within a few seconds.
        other = self.make_backend(tmp_path)
        try:
            assert idset(other, categories=("music-and-singing",)) == {1, 5, 19, 20}
            backend.delete_documents([1])
            backend.index_documents([doc(id=601, title="Late addition")])
            eventually(lambda: idset(other, categories=("music-and-singing",)) == {5, 19, 20})
            eventually(lambda: idset(other, include_not_running=True) == (ALL - {1}) | {601})
            backend.rebuild([doc(id=602, title="Rebuilt")])
            eventually(lambda: idset(other, include_not_running=True) == {602})
        finally:
            other.close()

    def test_the_index_survives_reopening(self, tmp_path):
        first = self.make_backend(tmp_path)
        try:
            first.index_documents(corpus())
        finally:
            first.close()
        second = self.make_backend(tmp_path)
        try:
            assert idset(second, include_not_running=True) == ALL
        finally:
            second.close()

    # --- optional methods: each behind its capability flag ---------------------------------

    def test_title_suggestions_are_running_titles_beginning_with_the_prefix(self, backend):
        if not type(backend).supports_title_suggestions:
            with pytest.raises(NotImplementedError, match="supports_title_suggestions"):
                backend.suggest_titles("comm")
            return
        expected = {"Common walking group", "Community yoga"}
        assert set(backend.suggest_titles("comm")) == expected
        assert set(backend.suggest_titles("COMM")) == expected
        assert len(backend.suggest_titles("comm", size=1)) == 1
        assert backend.suggest_titles("summer") == []  # ended (7)
        assert backend.suggest_titles("tooting") == []  # temporarily closed (6)
        assert backend.suggest_titles("  ") == []

    def test_title_word_suggestions_are_running_titles_with_a_later_word_so(self, backend):
        if not type(backend).supports_title_word_suggestions:
            with pytest.raises(NotImplementedError, match="supports_title_word_suggestions"):
                backend.suggest_title_words("choir")
            return
        choirs = ["Gospel choir", "Manchester Community Choir", "Wandsworth Community Choir"]
        assert backend.suggest_title_words("choir") == choirs  # A to Z
        assert backend.suggest_title_words("CHOÏR") == choirs
        # The phrase, at a later word; never a title beginning with it (Community yoga).
        assert backend.suggest_title_words("comm") == choirs[1:]
        assert backend.suggest_title_words("community ch") == choirs[1:]
        assert backend.suggest_title_words("community y") == []
        # Part of a word on its way to a longer one ("visit" stems from "visits").
        assert backend.suggest_title_words("visit") == [
            "Home visits for new parents",
            "Manchester home visits",
        ]
        assert backend.suggest_title_words("choir", size=1) == ["Gospel choir"]
        assert backend.suggest_title_words("singing") == []  # ended (7)
        assert backend.suggest_title_words("knit") == []  # 6 closed; 15 begins with it
        assert backend.suggest_title_words("  ") == []
        assert backend.suggest_title_words("(.*") == []

    def test_title_suggestions_through_search_check_the_flag(self, backend, monkeypatch):
        # The rest of the project asks search.selectors, which never calls a method the
        # backend does not claim: without it a type-ahead menu stays empty.
        monkeypatch.setattr(selectors, "get_backend", lambda: backend)
        found = selectors.title_suggestions("comm")
        if type(backend).supports_title_suggestions:
            assert set(found) == {"Common walking group", "Community yoga"}
        else:
            assert found == []

    def needs_trace(self, backend):
        if not type(backend).supports_trace:
            with (
                pytest.raises(NotImplementedError, match="supports_trace"),
                backend.trace(lambda call: None),
            ):
                pass
            pytest.skip(f"{type(backend).__name__} does not claim supports_trace")

    def test_a_trace_reports_each_engine_call_of_a_search_for_replay(self, backend):
        self.needs_trace(backend)
        query = {"text": "choir", "near": WANDSWORTH, "facets": ("cost",)}
        calls = []
        with backend.trace(calls.append):
            traced = run(backend, **query)
        assert traced.total == 3
        assert calls, "a search made no engine call that the trace saw"
        for call in calls:
            assert isinstance(call, EngineCall) and call.name, call
            assert callable(call.function)
            # A replay is the engine's call alone: it answers, and changes nothing.
            call.replay()
        assert [hit.id for hit in run(backend, **query).hits] == [hit.id for hit in traced.hits]

    def test_a_trace_sees_nothing_after_its_block_nor_writes(self, backend):
        self.needs_trace(backend)
        calls = []
        with backend.trace(calls.append):
            backend.index_documents([doc(id=101, title="Repair cafe")])
            backend.delete_documents([101])
        assert calls == [], "writes are never reported: a replay must not change the index"
        with backend.trace(calls.append):
            run(backend, text="choir")
        seen = len(calls)
        assert seen
        run(backend, text="choir")
        assert len(calls) == seen

    def test_traces_nest_and_see_only_their_own_backend_and_thread(self, backend, tmp_path):
        self.needs_trace(backend)
        other = self.make_backend(tmp_path)
        outer, inner, others, elsewhere = [], [], [], []
        try:
            with backend.trace(outer.append):
                with backend.trace(inner.append), other.trace(others.append):
                    run(backend, text="choir")
                assert inner and outer == inner
                assert others == [], "a trace saw another backend's calls"
                run(backend, text="walks")
                assert len(outer) > len(inner)
                with other.trace(elsewhere.append):
                    # A search in another thread is not this thread's to see.
                    thread = threading.Thread(target=lambda: run(other, text="choir"))
                    thread.start()
                    thread.join(timeout=30)
                assert elsewhere == []
        finally:
            other.close()

    def test_a_trace_ends_when_its_block_fails(self, backend):
        self.needs_trace(backend)
        calls = []
        with pytest.raises(_Interrupted), backend.trace(calls.append):
            raise _Interrupted("the request failed")
        run(backend, text="choir")
        assert calls == []

    def test_a_trace_reports_title_suggestions_too(self, backend):
        self.needs_trace(backend)
        if not type(backend).supports_title_suggestions:
            pytest.skip(f"{type(backend).__name__} does not claim supports_title_suggestions")
        calls = []
        with backend.trace(calls.append):
            backend.suggest_titles("comm")
        assert calls
        for call in calls:
            call.replay()

    # --- concepts (expansions) -------------------------------------------------------------

    def test_an_expanded_category_matches_without_the_word(self, backend):
        self.needs(backend, "supports_expansions")
        lonely = Expansions(categories=("befriending",))
        assert idset(backend, text="lonely") == set()
        # 4 and 18 are befriending; neither says "lonely".
        assert idset(backend, text="lonely", expansions=lonely) == {4, 18}

    def test_the_words_themselves_rank_above_expanded_matches(self, backend):
        self.needs(backend, "supports_expansions")
        found = ids(backend, text="choir", expansions=Expansions(categories=("befriending",)))
        assert set(found[:3]) == {1, 5, 19}
        assert set(found[3:]) == {4, 18}

    def test_an_expanded_access_feature_or_audience_matches(self, backend):
        self.needs(backend, "supports_expansions")
        wheelchair = Expansions(access=("step-free",))
        assert idset(backend, text="wheelchair", expansions=wheelchair) == {1, 2, 9, 15, 19}
        older = Expansions(audience=("older",))
        assert idset(backend, text="pensioners", expansions=older) == {4}

    def test_an_expanded_phrase_needs_all_its_words(self, backend):
        self.needs(backend, "supports_expansions")
        assert idset(
            backend, text="counselling", expansions=Expansions(words=("peer support",))
        ) == {3}
        assert idset(backend, text="counselling", expansions=Expansions(words=("peer chess",))) == (
            set()
        )

    def test_the_other_words_only_raise_an_expanded_matchs_score(self, backend):
        self.needs(backend, "supports_expansions")
        # Neither says "feeling"; 4 is befriending on the phone, 18 home visits.
        lonely = Expansions(categories=("befriending",))
        assert ids(backend, text="feeling lonely phone", expansions=lonely) == [4, 18]
        assert ids(backend, text="feeling lonely visit", expansions=lonely) == [18, 4]

    def test_expanded_matches_keep_to_the_filters(self, backend):
        self.needs(backend, "supports_expansions")
        lonely = Expansions(categories=("befriending",))
        # 18 is in Manchester.
        assert idset(
            backend, text="lonely", expansions=lonely, near=WANDSWORTH, radius_m=10_000
        ) == {4}
        assert idset(backend, text="lonely", expansions=lonely, categories=("music",)) == set()

    # --- close spellings (fuzzy) -----------------------------------------------------------

    def test_fuzzy_matches_close_spellings(self, backend):
        self.needs(backend, "supports_fuzzy")
        assert idset(backend, text="chior") == set()
        assert idset(backend, text="chior", fuzzy=True) == {1, 5, 19}  # a swap is one edit
        assert idset(backend, text="walkign", fuzzy=True) == {2, 12}
        assert idset(backend, text="yogga", fuzzy=True) == {9}

    def test_fuzzy_distance_grows_with_the_word(self, backend):
        self.needs(backend, "supports_fuzzy")
        # Three letters or fewer: no edits ("yga" is one from "yoga").
        assert idset(backend, text="yga", fuzzy=True) == set()
        # Four to seven letters: one edit, not two.
        assert idset(backend, text="yoggaa", fuzzy=True) == set()
        # Eight or more: two ("Rehearsals" is 5's).
        assert idset(backend, text="rehersels", fuzzy=True) == {5}

    def test_fuzzy_still_needs_every_word_and_keeps_stemming(self, backend):
        self.needs(backend, "supports_fuzzy")
        assert idset(backend, text="community chior", fuzzy=True) == {1, 5}
        assert idset(backend, text="chior zoom", fuzzy=True) == set()
        assert idset(backend, text="walks", fuzzy=True) >= {2, 12}
