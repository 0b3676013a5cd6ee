"""DirectoryQuery and its parts: validation names the field, geometry and time buckets."""

import datetime
import math
import time
import zoneinfo
from decimal import Decimal

import pytest

from assets_directory.scheduling import Recurrence
from search import documents
from search.query import (
    AUDIENCE_VALUES,
    BUCKETS_PER_DAY,
    UNSCHEDULED_BUCKET,
    BBox,
    DirectoryQuery,
    Expansions,
    GeoPoint,
    QueryError,
    Sort,
    TimeWindow,
    fold_title,
    fuzzy_distance,
    title_key,
)

from .contract import destination, haversine_m, session_buckets

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
SW18 = GeoPoint(51.4489, -0.1971)
NAN = float("nan")
INF = float("inf")


def t(hhmm: str) -> datetime.time:
    return datetime.time.fromisoformat(hhmm)


def field_of(make) -> str:
    with pytest.raises(QueryError) as caught:
        make()
    assert caught.value.message
    assert str(caught.value).startswith(f"{caught.value.field}: ")
    return caught.value.field


# --- validation -----------------------------------------------------------------------------


def test_query_error_is_a_value_error_naming_the_field():
    error = QueryError("page", "Too far.")
    assert isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == ("page", "Too far.", "page: Too far.")


def test_defaults_are_valid():
    query = DirectoryQuery()
    assert (query.page, query.page_size, query.offset, query.sort) == (1, 20, 0, Sort.RELEVANCE)
    assert query.time_buckets() is None


def test_text_longer_than_200_characters():
    DirectoryQuery(text="a" * 200)
    assert field_of(lambda: DirectoryQuery(text="a" * 201)) == "q"


def test_radius_needs_near():
    assert field_of(lambda: DirectoryQuery(radius_m=5000)) == "radius_km"


@pytest.mark.parametrize("radius", [0, -1, -5000.0, 200_001, 1e9, NAN, INF, -INF])
def test_radius_out_of_range(radius):
    assert field_of(lambda: DirectoryQuery(near=SW18, radius_m=radius)) == "radius_km"


@pytest.mark.parametrize("radius", [1, 0.5, 5000, 200_000])
def test_radius_in_range(radius):
    assert DirectoryQuery(near=SW18, radius_m=radius).radius_m == radius


@pytest.mark.parametrize("day", [-1, 7, 10])
def test_bad_day(day):
    assert field_of(lambda: DirectoryQuery(days=(MON, day))) == "day"


def test_days_and_their_slugs():
    assert DirectoryQuery(days=(MON, SUN)).day_slugs == ("mon", "sun")


@pytest.mark.parametrize("page", [0, -1, 1.5, "2"])
def test_bad_page(page):
    assert field_of(lambda: DirectoryQuery(page=page)) == "page"


@pytest.mark.parametrize("page_size", [0, -1, 101, 20.0])
def test_bad_page_size(page_size):
    assert field_of(lambda: DirectoryQuery(page_size=page_size)) == "page_size"


def test_page_size_limits():
    assert DirectoryQuery(page_size=1).page_size == 1
    assert DirectoryQuery(page_size=100).page_size == 100


def test_paging_stops_at_10000_results():
    assert DirectoryQuery(page=100, page_size=100).offset == 9900
    assert field_of(lambda: DirectoryQuery(page=101, page_size=100)) == "page"


@pytest.mark.parametrize(("page", "page_size"), [(500, 20), (10_000, 1), (1428, 7)])
def test_a_page_ending_at_or_before_the_10000th_result_is_allowed(page, page_size):
    query = DirectoryQuery(page=page, page_size=page_size)
    assert query.offset + query.page_size <= 10_000


@pytest.mark.parametrize(("page", "page_size"), [(501, 20), (10_001, 1), (1429, 7)])
def test_a_page_reaching_past_the_10000th_result_names_the_page(page, page_size):
    # 1429 pages of 7 end at the 10,003rd result, though the page starts inside the window.
    with pytest.raises(QueryError, match=r"^page: Only the first 10,000 results"):
        DirectoryQuery(page=page, page_size=page_size)


def test_offset():
    assert DirectoryQuery(page=3, page_size=7).offset == 14


def test_max_cost_negative():
    assert field_of(lambda: DirectoryQuery(max_cost=Decimal("-0.01"))) == "max_cost"
    assert DirectoryQuery(max_cost=Decimal("0")).max_cost == 0


def test_max_cost_not_a_number():
    # Decimal("NaN") < 0 raises decimal.InvalidOperation: it must be a QueryError instead.
    assert field_of(lambda: DirectoryQuery(max_cost=Decimal("NaN"))) == "max_cost"


@pytest.mark.parametrize("age", [-1, 121, 500])
def test_age_out_of_range(age):
    assert field_of(lambda: DirectoryQuery(age=age)) == "age"


@pytest.mark.parametrize("age", [0, 16, 120])
def test_age_in_range(age):
    assert DirectoryQuery(age=age).age == age


def test_unknown_delivery():
    assert field_of(lambda: DirectoryQuery(delivery=("online", "carrier-pigeon"))) == "delivery"
    DirectoryQuery(delivery=("in_person", "online", "phone", "area_wide"))


def test_unknown_facet():
    assert field_of(lambda: DirectoryQuery(facets=("cost", "colour"))) == "facets"
    DirectoryQuery(facets=("categories", "days", "cost", "access", "delivery"))


def test_sort_by_distance_needs_near():
    assert field_of(lambda: DirectoryQuery(sort=Sort.DISTANCE)) == "sort"
    assert field_of(lambda: DirectoryQuery(sort="distance")) == "sort"
    DirectoryQuery(sort=Sort.DISTANCE, near=SW18)


@pytest.mark.parametrize(
    "values",
    [
        (-0.1, 51.5, -0.2, 51.6),  # min_lng > max_lng
        (-0.2, 51.6, -0.1, 51.5),  # min_lat > max_lat
        (-181, 51.5, -0.1, 51.6),
        (-0.2, 51.5, 181, 51.6),
        (-0.2, -91, -0.1, 51.6),
        (-0.2, 51.5, -0.1, 91),
        (NAN, 51.5, -0.1, 51.6),
        (-0.2, 51.5, -0.1, INF),
        ("-0.2", 51.5, -0.1, 51.6),
        (None, 51.5, -0.1, 51.6),
    ],
)
def test_bad_bbox(values):
    assert field_of(lambda: BBox(*values)) == "bbox"


def test_good_bbox():
    box = BBox(min_lng=-0.25, min_lat=51.42, max_lng=-0.15, max_lat=51.47)
    assert (box.min_lng, box.min_lat, box.max_lng, box.max_lat) == (-0.25, 51.42, -0.15, 51.47)
    BBox(-180, -90, 180, 90)
    BBox(-0.2, 51.5, -0.2, 51.5)  # a single point is a box


@pytest.mark.parametrize(
    ("lat", "lng"),
    [(91, 0), (-91, 0), (0, 181), (0, -181), (NAN, 0), (0, NAN), (INF, 0), ("51.4", -0.2)],
)
def test_bad_geopoint(lat, lng):
    assert field_of(lambda: GeoPoint(lat, lng)) == "near"


def test_good_geopoint():
    GeoPoint(90, 180)
    GeoPoint(-90, -180)
    assert GeoPoint(51, 0).lng == 0


@pytest.mark.parametrize(
    ("start", "end"), [("12:00", "09:00"), ("09:00", "09:00"), ("23:59", "23:00")]
)
def test_time_window_end_before_start(start, end):
    assert field_of(lambda: TimeWindow(t(start), t(end))) == "time_to"


# --- BBox.around ----------------------------------------------------------------------------


@pytest.mark.parametrize("radius_m", [1000, 5000, 50_000, 200_000])
def test_box_around_is_about_2r_across_at_london(radius_m):
    box = BBox.around(SW18, radius_m)
    width = haversine_m(SW18.lat, box.min_lng, SW18.lat, box.max_lng)
    height = haversine_m(box.min_lat, SW18.lng, box.max_lat, SW18.lng)
    assert width == pytest.approx(2 * radius_m, rel=0.01)
    assert height == pytest.approx(2 * radius_m, rel=0.01)
    assert box.min_lat < SW18.lat < box.max_lat and box.min_lng < SW18.lng < box.max_lng
    # Centred on the point.
    assert (box.min_lat + box.max_lat) / 2 == pytest.approx(SW18.lat)
    assert (box.min_lng + box.max_lng) / 2 == pytest.approx(SW18.lng)


@pytest.mark.parametrize("radius_m", [1000, 5000, 50_000, 200_000])
def test_box_around_holds_the_whole_circle(radius_m):
    # Every point at the radius (great-circle, mean Earth radius as haversine uses) is inside.
    box = BBox.around(SW18, radius_m)
    outside = []
    for bearing in range(0, 360, 5):
        lat, lng = destination(SW18.lat, SW18.lng, bearing, radius_m)
        if not (box.min_lat <= lat <= box.max_lat and box.min_lng <= lng <= box.max_lng):
            outside.append(bearing)
    assert outside == []


def test_box_around_is_not_much_bigger_than_the_circle():
    box = BBox.around(SW18, 5000)
    north = destination(SW18.lat, SW18.lng, 0, 5100)
    east = destination(SW18.lat, SW18.lng, 90, 5100)
    assert north[0] > box.max_lat
    assert east[1] > box.max_lng


def test_box_around_stays_valid_near_the_poles_and_the_antimeridian():
    for point in (GeoPoint(89.9, 0), GeoPoint(-89.9, 10), GeoPoint(0, 179.99), GeoPoint(0, -180)):
        box = BBox.around(point, 200_000)
        assert -90 <= box.min_lat <= point.lat <= box.max_lat <= 90
        assert -180 <= box.min_lng <= point.lng <= box.max_lng <= 180


# --- time buckets ---------------------------------------------------------------------------


def test_time_window_buckets():
    assert TimeWindow(t("09:00"), t("12:00")).buckets() == range(36, 48)
    # Partial quarter hours count: 09:10-09:20 touches 09:00-09:15 and 09:15-09:30.
    assert list(TimeWindow(t("09:10"), t("09:20")).buckets()) == [36, 37]
    assert list(TimeWindow(t("09:15"), t("09:30")).buckets()) == [37]
    assert TimeWindow(t("23:00"), t("00:00")).buckets() == range(92, 96)  # until midnight
    assert TimeWindow(t("00:00"), t("00:00")).buckets() == range(0, 96)  # the whole day


def test_time_buckets_need_a_window_or_open_at():
    assert DirectoryQuery(days=(TUE,)).time_buckets() is None


def test_time_buckets_on_given_days():
    window = TimeWindow(t("09:00"), t("12:00"))
    assert DirectoryQuery(days=(TUE,), time_window=window).time_buckets() == list(
        range(96 + 36, 96 + 48)
    )
    buckets = DirectoryQuery(days=(MON, SUN), time_window=window).time_buckets()
    assert buckets == [*range(36, 48), *range(6 * 96 + 36, 6 * 96 + 48)]


def test_time_buckets_without_days_cover_every_day():
    window = TimeWindow(t("10:00"), t("11:00"))
    buckets = DirectoryQuery(time_window=window).time_buckets()
    assert buckets == [d * BUCKETS_PER_DAY + b for d in range(7) for b in range(40, 44)]
    assert len(buckets) == 7 * 4


def test_time_buckets_match_what_documents_index():
    # A Tuesday 10:00-12:00 session is found by 09:00-12:00 on Tuesday; 18:00 is not.
    session = set(session_buckets(TUE, "10:00", "12:00"))
    morning = DirectoryQuery(days=(TUE,), time_window=TimeWindow(t("09:00"), t("12:00")))
    assert session & set(morning.time_buckets())
    evening = set(session_buckets(TUE, "18:00", "19:00"))
    assert not evening & set(morning.time_buckets())


@pytest.mark.parametrize(
    ("weekdays", "start", "end"),
    [((TUE,), "10:00", "12:00"), ((MON, THU), "09:10", "09:50"), ((SUN,), "23:00", None)],
)
def test_contract_buckets_agree_with_session_buckets(weekdays, start, end):
    recurrence = Recurrence(
        frequency="weekly",
        start_time=t(start),
        end_time=t(end) if end else None,
        weekdays=weekdays,
    )
    _days, indexed = documents.session_buckets(recurrence)
    end = end or "24:00"  # no end time: an hour, capped at midnight
    expected = {b for day in weekdays for b in session_buckets(day, start, end)}
    assert indexed == expected


def test_open_at_is_one_bucket():
    when = datetime.datetime(2025, 1, 14, 10, 30, tzinfo=LONDON)  # a Tuesday
    assert DirectoryQuery(open_at=when).time_buckets() == [1 * 96 + 42]
    # open_at wins over a window and days.
    query = DirectoryQuery(
        open_at=when, days=(SAT,), time_window=TimeWindow(t("18:00"), t("19:00"))
    )
    assert query.time_buckets() == [1 * 96 + 42]


def test_open_at_on_the_quarter_hour():
    when = datetime.datetime(2025, 1, 19, 23, 45, tzinfo=LONDON)  # a Sunday
    assert DirectoryQuery(open_at=when).time_buckets() == [6 * 96 + 95]


@pytest.mark.parametrize(
    ("hour", "minute", "second", "bucket"),
    [(10, 37, 0, 42), (10, 44, 59, 42), (10, 45, 0, 43), (10, 14, 0, 40), (0, 7, 0, 0)],
)
def test_open_at_between_quarter_hours_is_in_the_quarter_it_falls_in(hour, minute, second, bucket):
    when = datetime.datetime(2025, 1, 14, hour, minute, second, tzinfo=LONDON)  # a Tuesday
    assert DirectoryQuery(open_at=when).time_buckets() == [1 * BUCKETS_PER_DAY + bucket]


def test_open_at_in_another_time_zone_means_the_same_moment_in_london():
    # Documents index local (Europe/London) wall-clock times. 09:30 UTC on Tuesday 10 June
    # 2025 is 10:30 BST, as timezone.now() would give it.
    when = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=datetime.UTC)
    assert DirectoryQuery(open_at=when).time_buckets() == [1 * 96 + 42]
    # 23:30 UTC on Monday 9 June is already Tuesday 00:30 in London.
    late = datetime.datetime(2025, 6, 9, 23, 30, tzinfo=datetime.UTC)
    assert DirectoryQuery(open_at=late).time_buckets() == [1 * 96 + 2]


def test_haversine_helper():
    # The contract's geometry helpers agree with each other (1° of latitude ~ 111.2 km).
    assert haversine_m(51, 0, 52, 0) == pytest.approx(111_195, rel=0.001)
    lat, lng = destination(51.4489, -0.1971, 77, 4321)
    assert haversine_m(51.4489, -0.1971, lat, lng) == pytest.approx(4321, abs=0.01)
    assert not math.isnan(lat)


def test_slots_match_any_of_several_day_and_time_windows():
    dt = datetime
    query = DirectoryQuery(
        slots=(
            (1, TimeWindow(dt.time(9, 0), dt.time(10, 0))),
            (5, TimeWindow(dt.time(14, 0), dt.time(14, 30))),
        )
    )
    tuesday = [1 * BUCKETS_PER_DAY + b for b in range(36, 40)]
    saturday = [5 * BUCKETS_PER_DAY + b for b in range(56, 58)]
    assert query.time_buckets() == tuesday + saturday


def test_slot_with_a_bad_day_names_free_times():
    dt = datetime
    with pytest.raises(QueryError) as excinfo:
        DirectoryQuery(slots=((9, TimeWindow(dt.time(9), dt.time(10))),))
    assert excinfo.value.field == "free_times"


def test_include_unscheduled_adds_the_marker_to_time_filters_only():
    dt = datetime
    morning = TimeWindow(dt.time(9), dt.time(12))
    with_marker = DirectoryQuery(slots=((1, morning),), include_unscheduled=True)
    assert with_marker.time_buckets()[0] == UNSCHEDULED_BUCKET
    assert UNSCHEDULED_BUCKET not in DirectoryQuery(slots=((1, morning),)).time_buckets()
    days_only = DirectoryQuery(days=(5,), include_unscheduled=True).time_buckets()
    assert days_only[0] == UNSCHEDULED_BUCKET and len(days_only) == 1 + BUCKETS_PER_DAY
    assert DirectoryQuery(include_unscheduled=True).time_buckets() is None
    at_ten = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
    assert (
        UNSCHEDULED_BUCKET
        not in DirectoryQuery(open_at=at_ten, include_unscheduled=True).time_buckets()
    )


def test_an_activity_without_sessions_is_indexed_with_the_unscheduled_marker(db):
    from tests.factories import ActivityFactory, OrganisationFactory

    listed = ActivityFactory(parent=OrganisationFactory(), title="Times to be arranged")
    listed.schedules.all().delete()
    (document,) = documents.documents_for([listed.pk])
    assert document["buckets"] == [UNSCHEDULED_BUCKET]
    assert document["days"] == []


# --- exact messages and boundaries ----------------------------------------------------------


def refusal(make) -> tuple[str, str]:
    with pytest.raises(QueryError) as caught:
        make()
    return caught.value.field, caught.value.message


@pytest.mark.parametrize(
    "values",
    [
        (180, 0, 180, 1),  # the antimeridian from the east
        (-180, 0, -180, 1),  # and from the west
        (0, 90, 1, 90),  # the north pole
        (0, -90, 1, -90),  # the south pole
    ],
)
def test_a_box_may_sit_on_the_edge_of_the_map(values):
    BBox(*values)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((180.5, 0, 180, 1), "Longitudes must be between -180 and 180."),
        ((-180, 0, -180.5, 1), "Longitudes must be between -180 and 180."),
        ((0, 90.5, 1, 90), "Latitudes must be between -90 and 90."),
        ((0, -90, 1, -90.5), "Latitudes must be between -90 and 90."),
    ],
)
def test_a_box_just_off_the_map_says_which_edge(values, message):
    assert refusal(lambda: BBox(*values)) == ("bbox", message)


@pytest.mark.parametrize(("lat", "lng"), [(NAN, 0), (0, NAN), (0, INF)])
def test_a_point_that_is_not_finite_is_not_a_number(lat, lng):
    assert refusal(lambda: GeoPoint(lat, lng)) == (
        "near",
        "Latitude and longitude must be numbers.",
    )


@pytest.mark.parametrize("radius", ["5000", NAN])
def test_a_radius_that_is_no_finite_number_is_refused_as_not_a_number(radius):
    assert refusal(lambda: DirectoryQuery(near=SW18, radius_m=radius)) == (
        "radius_km",
        "The radius must be a number.",
    )


def test_a_free_time_on_an_eighth_day_is_refused():
    window = TimeWindow(t("09:00"), t("10:00"))
    assert refusal(lambda: DirectoryQuery(slots=((7, window),))) == (
        "free_times",
        "Each free time needs a day and a time window.",
    )


@pytest.mark.parametrize("statuses", [(), ("running", ""), (1,), ("running", None)])
def test_statuses_must_be_at_least_one_word(statuses):
    assert refusal(lambda: DirectoryQuery(statuses=statuses)) == (
        "status",
        "Give at least one status.",
    )


def test_days_alone_cover_every_quarter_hour_of_those_days():
    assert DirectoryQuery(days=(TUE,)).session_buckets() == list(range(96, 192))


def test_open_at_between_quarter_hours_is_the_quarter_it_falls_in():
    when = datetime.datetime(2025, 1, 14, 10, 44, tzinfo=LONDON)  # a Tuesday
    assert DirectoryQuery(open_at=when).time_buckets() == [1 * 96 + 42]
    assert all(isinstance(b, int) for b in DirectoryQuery(open_at=when).time_buckets())


def test_open_at_without_a_zone_is_london_wall_clock_time():
    # 10:30 on a summer Tuesday, as written: not shifted as if it were UTC.
    when = datetime.datetime(2025, 6, 10, 10, 30)
    assert DirectoryQuery(open_at=when).time_buckets() == [1 * 96 + 42]


def test_titles_fold_case_accents_control_characters_and_spacing():
    assert fold_title("  Café   CHAT  ") == "cafe chat"
    assert fold_title("Crèche\x07 Straße") == "creche strasse"
    assert fold_title("") == ""


def test_a_title_key_is_the_folded_title_then_the_id_in_twenty_digits():
    assert title_key("Café", 7) == "cafe\x00" + "7".zfill(20)
    assert title_key("Cafe", 12) < title_key("Cafe chat", 3) < title_key("Caff", 1)


# --- close spellings, expansions, audience --------------------------------------------------


@pytest.mark.parametrize(
    ("word", "edits"),
    [("", 0), ("art", 0), ("yoga", 1), ("walking", 1), ("football", 2), ("befriending", 2)],
)
def test_close_spellings_allow_no_edit_to_3_letters_one_to_7_and_two_beyond(word, edits):
    assert fuzzy_distance(word) == edits


@pytest.mark.parametrize(
    "expansions",
    [
        Expansions(categories=("befriending",)),
        Expansions(access=("step-free",)),
        Expansions(audience=("older",)),
        Expansions(words=("peer support",)),
    ],
)
def test_expansions_with_any_one_kind_of_match_are_something(expansions):
    assert bool(expansions) is True


def test_expansions_with_nothing_to_match_are_nothing():
    assert bool(Expansions()) is False


def test_expansions_must_be_an_expansions():
    assert refusal(lambda: DirectoryQuery(expansions=("befriending",))) == (
        "q",
        "Expansions must be an Expansions.",
    )
    expansions = Expansions(categories=("befriending",))
    assert DirectoryQuery(expansions=expansions).expansions is expansions
    assert DirectoryQuery(expansions=Expansions()).expansions == Expansions()


def test_every_audience_value_is_accepted():
    assert DirectoryQuery(audience=AUDIENCE_VALUES).audience == AUDIENCE_VALUES


def test_an_unknown_audience_names_the_field_and_lists_the_audiences():
    field, message = refusal(lambda: DirectoryQuery(audience=(AUDIENCE_VALUES[0], "martians")))
    assert field == "audience"
    assert message == f"Who it is for is one of {', '.join(AUDIENCE_VALUES)}."


@pytest.fixture
def process_in_new_york(monkeypatch):
    """The process's local time zone is New York's (Django sets it to TIME_ZONE otherwise)."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_open_at_is_london_time_whatever_the_process_local_zone(process_in_new_york):
    # 09:30 UTC on Tuesday 10 June 2025 is 10:30 in London (not 05:30 in New York).
    aware = datetime.datetime(2025, 6, 10, 9, 30, tzinfo=datetime.UTC)
    assert DirectoryQuery(open_at=aware).time_buckets() == [1 * 96 + 42]
    # A time without a zone is London wall-clock time as written, not New York's.
    naive = datetime.datetime(2025, 6, 10, 10, 30)
    assert DirectoryQuery(open_at=naive).time_buckets() == [1 * 96 + 42]
