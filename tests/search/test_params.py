"""search/params.py on its own: URL parameters into a DirectoryQuery, each parameter's valid
values and its refusals (naming the parameter), the search page's defaults and blank values.

Only the category and accessibility checks read the database, and they make the slugs they
search for (a migration seeds them too): `make mutation` runs these tests per mutant on a
database made without migrations, which takes a second rather than half a minute.
"""

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone

from assets_directory.models import AccessibilityFeature, Category
from search.params import (
    PAGE_RADIUS_KM,
    PARAMETERS,
    TYPED_PARAMETERS,
    YOUR_LOCATION,
    is_point,
    page_search_params,
    parse_search_params,
    refuse_blank_values,
    understanding_requested,
)
from search.query import FACETS, BBox, Expansions, GeoPoint, QueryError, Sort, TimeWindow

# SW18's outward-code centre in the shipped outcode data.
SW18 = (51.4489, -0.1971)


def params(query_string: str) -> QueryDict:
    return QueryDict(query_string)


def parse(query_string: str, **kwargs):
    return parse_search_params(params(query_string), **kwargs)


def query(query_string: str):
    return parse(query_string).query


def refusal(query_string: str, **kwargs) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse(query_string, **kwargs)
    return caught.value


def t(hhmm: str) -> datetime.time:
    return datetime.time.fromisoformat(hhmm)


# --- nothing given --------------------------------------------------------------------------


def test_no_parameters_give_the_default_query():
    parsed = parse("")
    q = parsed.query
    assert (parsed.place_label, parsed.outcode) == ("", None)
    assert (q.text, q.near, q.radius_m, q.bbox, q.time_window, q.open_at) == (
        "", None, None, None, None, None,
    )  # fmt: skip
    assert (q.categories, q.tags, q.days, q.access, q.delivery, q.facets) == ((),) * 6
    assert (q.free_only, q.include_not_running, q.prefix) == (False, False, False)
    assert (q.max_cost, q.age) == (None, None)
    assert (q.sort, q.page, q.page_size) == (Sort.RELEVANCE, 1, 20)


# Words are looked up in the concept vocabulary (search.concepts), a table.
@pytest.mark.django_db
def test_the_last_of_repeated_single_values_counts():
    assert query("q=first&q=second").text == "second"
    assert query("page=2&page=3").page == 3


# Words are looked up in the concept vocabulary (search.concepts), a table.
@pytest.mark.django_db
def test_words_are_stripped():
    assert query("q=%20%20choir%20").text == "choir"


# --- booleans -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1", "true", "on", "yes", "TRUE", " Yes "])
def test_true_values_switch_a_boolean_on(value):
    q = query(f"free={value}&all_statuses={value}&prefix={value}")
    assert (q.free_only, q.include_not_running, q.prefix) == (True, True, True)


@pytest.mark.parametrize("value", ["0", "false", "off", "no", "", "No"])
def test_false_values_leave_a_boolean_off(value):
    q = query(f"free={value}&all_statuses={value}&prefix={value}")
    assert (q.free_only, q.include_not_running, q.prefix) == (False, False, False)


@pytest.mark.parametrize("name", ["free", "all_statuses", "prefix", "open_now"])
def test_a_boolean_that_is_neither_true_nor_false_is_refused(name):
    error = refusal(f"{name}=maybe")
    assert (error.field, error.message) == (name, "Use true or false.")


def test_open_now_searches_at_the_local_time_given():
    now = datetime.datetime(2026, 6, 2, 9, 15, tzinfo=datetime.UTC)
    open_at = parse("open_now=true", now=now).query.open_at
    assert open_at == now
    assert open_at.utcoffset() == timezone.localtime(now).utcoffset() == datetime.timedelta(hours=1)


def test_open_now_without_a_time_given_searches_now():
    before = timezone.now()
    open_at = query("open_now=1").open_at
    assert before <= open_at <= timezone.now()


def test_open_now_off_searches_no_moment():
    assert query("open_now=false").open_at is None


# --- place and distance ---------------------------------------------------------------------


def test_a_point_is_searched_as_your_location_with_its_nearest_outward_code():
    parsed = parse(f"near={SW18[0]},{SW18[1]}")
    assert parsed.query.near == GeoPoint(*SW18)
    assert parsed.query.near.area == ""
    assert (parsed.place_label, parsed.outcode) == ("your location", "SW18")


def test_a_point_may_be_written_with_spaces_and_negative_numbers():
    assert query("near=%20-1.5%20,%20-2%20").near == GeoPoint(-1.5, -2.0)


def test_a_postcode_is_searched_around_its_outward_codes_centre():
    parsed = parse("near=SW18+4DJ")
    assert parsed.query.near == GeoPoint(*SW18)
    assert parsed.query.near.area == "SW18"
    assert (parsed.place_label, parsed.outcode) == ("SW18 4DJ", "SW18")


def test_a_full_postcode_known_to_the_geocoder_is_searched_at_its_own_point(settings, tmp_path):
    data = tmp_path / "postcodes.csv"
    data.write_text("postcode,latitude,longitude\nSW18 4DJ,51.4501,-0.1989\n")
    settings.GEOCODER = {
        "BACKEND": "assets_directory.geocoding.backends.PostcodeCsvGeocoder",
        "OPTIONS": {"data_path": str(data)},
    }
    parsed = parse("near=SW18+4DJ")
    assert parsed.query.near == GeoPoint(51.4501, -0.1989)
    # Not an outward code's centre: distances from it are not rough.
    assert parsed.query.near.area == ""
    assert parsed.outcode == "SW18"


def test_a_place_that_is_no_postcode_is_refused_with_the_geocoders_message():
    error = refusal("near=nowhere")
    assert error.field == "near"
    assert error.message.startswith("Enter a full postcode")


def test_a_radius_is_given_in_kilometres():
    assert query("near=SW18&radius_km=2.5").radius_m == 2500


def test_an_empty_radius_is_no_limit():
    assert query("near=SW18&radius_km=").radius_m is None


def test_a_radius_without_a_place_is_refused():
    error = refusal("radius_km=2")
    assert (error.field, error.message) == (
        "radius_km",
        "A radius needs a place: give near as well.",
    )


@pytest.mark.parametrize("value", ["two", "nan", "inf", "-inf"])
def test_a_radius_that_is_no_finite_number_is_refused(value):
    error = refusal(f"near=SW18&radius_km={value}")
    assert (error.field, error.message) == (
        "radius_km",
        "The radius must be a number of kilometres.",
    )


def test_a_box_is_four_numbers_west_south_east_north():
    assert query("bbox=-0.2,51.4,-0.1,51.5").bbox == BBox(-0.2, 51.4, -0.1, 51.5)


def test_a_box_of_spaces_is_no_box():
    assert query("bbox=%20%20").bbox is None


@pytest.mark.parametrize("value", ["-0.2,51.4,-0.1", "-0.2,51.4,-0.1,51.5,1", "a,b,c,d"])
def test_a_box_that_is_not_four_numbers_is_refused(value):
    error = refusal(f"bbox={value}")
    assert (error.field, error.message) == (
        "bbox",
        "Give four numbers: min_lng,min_lat,max_lng,max_lat.",
    )


# --- when -----------------------------------------------------------------------------------


def test_days_are_read_in_any_case_comma_separated_or_repeated():
    assert query("day=Tue,SAT&day=mon").days == (1, 5, 0)


def test_an_unknown_day_is_refused():
    error = refusal("day=tue,funday")
    assert (error.field, error.message) == ("day", "Days are mon, tue, wed, thu, fri, sat or sun.")


@pytest.mark.parametrize(
    ("value", "window"),
    [
        ("morning", TimeWindow(t("06:00"), t("12:00"))),
        (" Afternoon ", TimeWindow(t("12:00"), t("17:00"))),
        ("EVENING", TimeWindow(t("17:00"), t("00:00"))),
    ],
)
def test_a_time_of_day_is_its_window(value, window):
    assert query(f"time_of_day={value}").time_window == window


def test_an_unknown_time_of_day_is_refused():
    error = refusal("time_of_day=night")
    assert (error.field, error.message) == (
        "time_of_day",
        "Choose morning, afternoon or evening.",
    )


def test_times_with_minutes_make_the_window():
    assert query("time_from=10:30&time_to=23:59").time_window == TimeWindow(t("10:30"), t("23:59"))


def test_a_start_time_alone_runs_to_the_end_of_the_day():
    assert query("time_from=10:30").time_window == TimeWindow(t("10:30"), t("00:00"))


def test_an_end_time_alone_runs_from_the_start_of_the_day():
    assert query("time_to=09:45").time_window == TimeWindow(t("00:00"), t("09:45"))


def test_times_given_outrank_a_time_of_day():
    window = query("time_of_day=evening&time_from=09:00&time_to=10:00").time_window
    assert window == TimeWindow(t("09:00"), t("10:00"))


@pytest.mark.parametrize("value", ["9:30", "24:00", "12:60", "noon", "12:00:00"])
def test_a_time_not_written_hh_mm_is_refused(value):
    error = refusal(f"time_from={value}")
    assert (error.field, error.message) == (
        "time_from",
        "Give a time as HH:MM, for example 09:30.",
    )


def test_the_last_minute_of_the_day_is_a_time():
    assert query("time_from=00:00&time_to=23:59").time_window == TimeWindow(t("00:00"), t("23:59"))


# --- cost, age, delivery, tags --------------------------------------------------------------


def test_the_most_someone_can_pay_is_an_exact_amount():
    assert query("max_cost=%203.50%20").max_cost == Decimal("3.50")


@pytest.mark.parametrize("value", ["cheap", "NaN", "Infinity", "-inf"])
def test_a_most_to_pay_that_is_no_finite_number_is_refused(value):
    error = refusal(f"max_cost={value}")
    assert (error.field, error.message) == ("max_cost", "The most you can pay must be a number.")


def test_an_age_is_a_whole_number():
    assert query("age=%2067%20").age == 67


@pytest.mark.parametrize("value", ["6.5", "sixty", "1234567", "%2B5"])
def test_an_age_that_is_no_whole_number_is_refused(value):
    error = refusal(f"age={value}")
    assert (error.field, error.message) == ("age", "Age must be a whole number.")


def test_delivery_and_tags_are_lists_without_repeats_or_blanks():
    q = query("delivery=phone,,online&delivery=phone&tag=%20tea%20,cake&tag=tea")
    assert q.delivery == ("phone", "online")
    assert q.tags == ("tea", "cake")


def test_audiences_are_a_list_without_repeats_or_blanks():
    assert query("audience=older,,everyone&audience=older").audience == ("older", "everyone")


def test_an_unknown_audience_is_refused():
    assert refusal("audience=martians").field == "audience"


# --- categories and accessibility -----------------------------------------------------------


@pytest.fixture
def slugs(db):
    for slug in ("walking", "dance"):
        Category.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    for slug in ("step-free", "bsl"):
        AccessibilityFeature.objects.get_or_create(slug=slug, defaults={"name": slug})


def test_known_categories_and_features_are_searched(slugs):
    q = query("category=walking,dance&access=step-free&access=bsl")
    assert q.categories == ("walking", "dance")
    assert q.access == ("step-free", "bsl")


def test_unknown_categories_are_refused_by_name(slugs):
    error = refusal("category=walking,knitting-circles,bingo")
    assert (error.field, error.message) == (
        "category",
        "Unknown category: knitting-circles, bingo.",
    )


def test_unknown_accessibility_features_are_refused_by_name(slugs):
    error = refusal("access=step-free,lift,ramp")
    assert (error.field, error.message) == (
        "access",
        "Unknown accessibility feature: lift, ramp.",
    )


# --- order, pages, facets -------------------------------------------------------------------


def test_a_place_without_words_sorts_by_distance():
    assert query("near=SW18").sort == Sort.DISTANCE


# Words are looked up in the concept vocabulary (search.concepts), a table.
@pytest.mark.django_db
def test_a_place_with_words_sorts_by_relevance():
    assert query("near=SW18&q=choir").sort == Sort.RELEVANCE


# Words are looked up in the concept vocabulary (search.concepts), a table.
@pytest.mark.django_db
def test_words_without_a_place_sort_by_relevance():
    assert query("q=choir").sort == Sort.RELEVANCE


# Words are looked up in the concept vocabulary (search.concepts), a table.
@pytest.mark.django_db
def test_a_sort_asked_for_is_read_in_any_case():
    assert query("near=SW18&sort=%20Title%20").sort == Sort.TITLE
    assert query("q=choir&near=SW18&sort=distance").sort == Sort.DISTANCE


def test_an_unknown_sort_is_refused():
    error = refusal("sort=random")
    assert (error.field, error.message) == (
        "sort",
        "Sort by relevance, distance, checked or title.",
    )


def test_a_page_and_its_size_are_whole_numbers():
    q = query("page=3&page_size=50")
    assert (q.page, q.page_size, q.offset) == (3, 50, 100)


def test_the_largest_page_number_read_has_six_digits():
    # Six digits are read (and the query then refuses paging that deep); seven are not a page.
    assert refusal("page=100000").field == "page"
    error = refusal("page=1000000")
    assert (error.field, error.message) == ("page", "The page must be a whole number, 1 or more.")


def test_a_page_size_that_is_no_whole_number_is_refused():
    error = refusal("page_size=ten")
    assert (error.field, error.message) == ("page_size", "The page size must be a whole number.")


@pytest.mark.parametrize("value", ["1", "true", "all", "ALL", "True"])
def test_asking_for_facets_in_one_word_asks_for_all(value):
    assert query(f"facets={value}").facets == FACETS


def test_named_facets_are_those_asked_for():
    assert query("facets=days,cost").facets == ("days", "cost")


def test_one_word_among_named_facets_is_not_all():
    assert refusal("facets=all,days").field == "facets"


# --- control characters and blank values ----------------------------------------------------


@pytest.mark.parametrize("name", ["q", "tag", "category", "near"])
def test_a_control_character_in_any_value_is_refused_naming_the_parameter(name):
    error = refusal(f"{name}=fine&{name}=bad%00value")
    assert (error.field, error.message) == (name, f"{name} contains a control character.")


def test_control_characters_are_looked_for_in_every_documented_parameter():
    for name in PARAMETERS:
        assert refusal(f"{name}=%1b").field == name


@pytest.mark.parametrize("name", TYPED_PARAMETERS)
def test_a_typed_parameter_given_blank_is_refused(name):
    with pytest.raises(QueryError) as caught:
        refuse_blank_values(params(f"{name}=1&{name}=%20"))
    assert (caught.value.field, caught.value.message) == (
        name,
        f"{name} is empty: give a value or leave it out.",
    )


def test_words_and_places_may_be_blank():
    refuse_blank_values(params("q=&near=&tag=&category=&access=&bbox=1"))


# --- the search page's own parameters -------------------------------------------------------


def test_a_located_device_is_the_place_when_the_box_says_your_location():
    data = page_search_params(params("near=your+LOCATION&near_point=51.4,-0.2"))
    assert data["near"] == "51.4,-0.2"
    assert "near_point" not in data


def test_a_located_device_is_the_place_when_the_box_is_empty():
    assert page_search_params(params("near=&near_point=51.4,-0.2"))["near"] == "51.4,-0.2"


def test_a_place_typed_after_locating_the_device_wins():
    assert page_search_params(params("near=SW18&near_point=51.4,-0.2"))["near"] == "SW18"


def test_a_place_without_a_radius_is_searched_within_the_pages_radius():
    assert page_search_params(params("near=SW18"))["radius_km"] == str(PAGE_RADIUS_KM) == "5"


def test_any_distance_stays_no_limit():
    assert page_search_params(params("near=SW18&radius_km="))["radius_km"] == ""


def test_a_radius_without_a_place_is_left_out():
    data = page_search_params(params("near=%20&radius_km=3&q=choir"))
    assert "radius_km" not in data
    assert data["q"] == "choir"


def test_a_search_without_a_place_is_left_without_one():
    data = page_search_params(params("q=choir"))
    assert data.dict() == {"q": "choir"}


def test_the_page_leaves_the_request_as_it_was():
    original = params("near=SW18&near_point=51.4,-0.2")
    page_search_params(original)
    assert original.dict() == {"near": "SW18", "near_point": "51.4,-0.2"}


def test_your_location_is_what_the_box_says():
    assert YOUR_LOCATION == "Your location"


@pytest.mark.parametrize(
    ("value", "point"),
    [("51.4,-0.2", True), (" 51 , 0 ", True), ("SW18", False), ("51.4", False), ("", False)],
)
def test_a_place_is_a_point_when_written_lat_comma_lng(value, point):
    assert is_point(value) is point


def test_no_place_is_no_point():
    assert is_point(None) is False


# --- reading the words for a place and filters ----------------------------------------------


@pytest.mark.parametrize("default", [True, False])
@pytest.mark.parametrize("query_string", ["", "understand=", "understand=%20%20", "q=choir"])
def test_understanding_not_asked_about_is_the_callers_default(query_string, default):
    assert understanding_requested(params(query_string), default=default) is default


@pytest.mark.parametrize(("value", "wanted"), [("true", True), ("1", True), ("false", False)])
def test_understanding_asked_about_is_what_was_asked(value, wanted):
    for default in (True, False):
        assert understanding_requested(params(f"understand={value}"), default=default) is wanted


def test_understanding_neither_true_nor_false_is_refused():
    with pytest.raises(QueryError) as caught:
        understanding_requested(params("understand=maybe"), default=True)
    assert (caught.value.field, caught.value.message) == ("understand", "Use true or false.")


# --- expansions (the concepts words name) ---------------------------------------------------


class Backend:
    def __init__(self, supports_expansions: bool):
        self.supports_expansions = supports_expansions


LONELY = Expansions(categories=("befriending",))


@pytest.fixture
def vocabulary(monkeypatch):
    """A concept vocabulary in which every word names befriending; the words looked up."""
    looked_up = []

    def expansions_for(text):
        looked_up.append(text)
        return LONELY

    monkeypatch.setattr("search.params.expansions_for", expansions_for)
    return looked_up


def backend(monkeypatch, *, supports_expansions: bool):
    monkeypatch.setattr(
        "search.params.get_backend", lambda: Backend(supports_expansions=supports_expansions)
    )


def test_words_carry_their_expansions_to_a_backend_that_applies_them(monkeypatch, vocabulary):
    backend(monkeypatch, supports_expansions=True)
    assert query("q=%20lonely%20").expansions == LONELY
    assert vocabulary == ["lonely"]


def test_words_carry_no_expansions_to_a_backend_that_cannot_apply_them(monkeypatch, vocabulary):
    backend(monkeypatch, supports_expansions=False)
    assert query("q=lonely").expansions is None


@pytest.mark.parametrize("supports_expansions", [True, False])
def test_no_words_carry_no_expansions(monkeypatch, vocabulary, supports_expansions):
    backend(monkeypatch, supports_expansions=supports_expansions)
    assert query("q=%20").expansions is None
    assert vocabulary == []


def test_a_located_device_is_the_place_when_there_is_no_box_at_all():
    assert page_search_params(params("near_point=51.4,-0.2"))["near"] == "51.4,-0.2"
