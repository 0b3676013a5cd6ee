"""Reading people's words (search.understanding): each rule, the parameters' precedence, the
links that remove what was read, and words no one should be able to break it with."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.params import parse_search_params
from search.query import QueryError, Sort
from search.understanding import understand, understood_page_params

# A Saturday morning in London.
SATURDAY = timezone.make_aware(datetime.datetime(2026, 12, 5, 10, 0))
CATEGORIES = [
    ("physical-activity", "Physical activity", False),
    ("walking", "Walking", True),
    ("yoga-and-tai-chi", "Yoga and tai chi", True),
    ("coffee-mornings", "Coffee mornings", True),
    ("choirs-and-singing", "Choirs and singing", True),
    ("music-and-singing", "Music and singing", False),
]


def read(q, **params):
    data = QueryDict(mutable=True)
    data["q"] = q
    for name, value in params.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return understand(data, now=SATURDAY, categories=CATEGORIES)


def applied(understanding, name):
    return understanding.params.getlist(name)


def labels(understanding):
    return [item.label for item in understanding.understood]


def removed(item):
    return parse_qs(item.remove_query, keep_blank_values=True)


class TestPlace:
    def test_an_outward_code_after_the_words_is_the_place(self):
        found = read("walking SW18")
        assert found.words == "walking"
        assert applied(found, "near") == ["SW18"]
        assert labels(found) == ["Place: SW18"]

    def test_an_outward_code_alone_leaves_no_words_and_is_sorted_nearest_first(self):
        found = read("sw17")
        assert found.words == ""
        assert applied(found, "near") == ["SW17"]
        assert parse_search_params(found.params).query.sort == Sort.DISTANCE

    def test_a_full_postcode_is_the_place_and_the_words_around_it_go(self):
        found = read("activities near SW18 1AA")
        assert found.words == ""
        assert applied(found, "near") == ["SW18 1AA"]
        assert found.understood[0].words == "near SW18 1AA"

    def test_a_postcode_written_without_its_space_is_read(self):
        assert applied(read("walking sw181aa"), "near") == ["SW18 1AA"]

    def test_place_names_are_left_to_the_words(self):
        # No gazetteer of neighbourhoods ships with the directory: only postcodes are read.
        found = read("yoga in putney")
        assert found.words == "yoga in putney"
        assert applied(found, "near") == []
        assert found.understood == ()

    def test_what_only_looks_like_an_outward_code_stays_in_the_words(self):
        found = read("u3a")
        assert found.words == "u3a" and applied(found, "near") == []

    def test_a_place_given_wins_over_one_in_the_words(self):
        found = read("walking SW17", near="SW18")
        assert found.words == "walking SW17"
        assert applied(found, "near") == ["SW18"]
        assert found.understood == ()

    def test_the_same_place_given_and_typed_is_taken_out_of_the_words_once(self):
        found = read("walking SW18", near="SW18")
        assert found.words == "walking"
        assert applied(found, "near") == ["SW18"]
        assert found.understood == ()

    def test_a_located_device_wins_over_a_place_in_the_words(self):
        found = read("walking SW17", near_point="51.45,-0.19")
        assert found.words == "walking SW17" and applied(found, "near") == []


class TestCost:
    @pytest.mark.parametrize("q", ["free yoga", "yoga for free", "yoga free of charge"])
    def test_free_is_a_filter_and_leaves_the_other_words(self, q):
        found = read(q)
        assert found.words == "yoga"
        assert applied(found, "free") == ["1"]
        assert labels(found) == ["Free only"]

    @pytest.mark.parametrize("q", ["step free yoga", "gluten free lunch", "free time"])
    def test_free_that_is_not_about_cost_stays_in_the_words(self, q):
        found = read(q)
        assert found.words == q and applied(found, "free") == []

    def test_free_already_asked_for_is_taken_out_without_a_second_filter(self):
        found = read("free yoga", free="1")
        assert found.words == "yoga"
        assert applied(found, "free") == ["1"]
        assert found.understood == ()

    def test_free_false_given_wins_over_the_word(self):
        found = read("free yoga", free="false")
        assert found.words == "free yoga"
        assert applied(found, "free") == ["false"]


class TestWhen:
    def test_today_is_todays_day(self):
        found = read("yoga today")
        assert found.words == "yoga"
        assert applied(found, "day") == ["sat"]
        assert labels(found) == ["Today (Saturday)"]

    def test_tomorrow_is_the_next_day(self):
        assert applied(read("yoga tomorrow"), "day") == ["sun"]

    def test_tonight_is_todays_evening(self):
        found = read("yoga tonight")
        assert applied(found, "day") == ["sat"]
        assert applied(found, "time_of_day") == ["evening"]
        assert labels(found) == ["Tonight (Saturday evening)"]

    @pytest.mark.parametrize("q", ["choir this weekend", "choir at weekends", "choir weekend"])
    def test_the_weekend_is_saturday_and_sunday(self, q):
        found = read(q)
        assert found.words == "choir"
        assert applied(found, "day") == ["sat", "sun"]
        assert labels(found) == ["Saturday and Sunday"]

    @pytest.mark.parametrize(
        ("q", "day", "words"),
        [("yoga on tuesday", "tue", "yoga"), ("mondays", "mon", ""),
         ("Yoga every Friday", "fri", "Yoga")],
    )  # fmt: skip
    def test_a_day_name_is_that_day_and_its_small_words_go_with_it(self, q, day, words):
        found = read(q)
        assert applied(found, "day") == [day]
        assert found.words == words

    def test_a_day_with_a_time_of_day_is_both(self):
        found = read("yoga tuesday morning")
        assert applied(found, "day") == ["tue"]
        assert applied(found, "time_of_day") == ["morning"]
        assert labels(found) == ["Tuesday morning"]

    def test_two_days_are_either_and_each_can_be_removed(self):
        found = read("yoga monday or tuesday")
        assert found.words == "yoga"
        assert applied(found, "day") == ["mon", "tue"]
        monday, tuesday = found.understood
        assert removed(monday)["q"] == ["yoga tuesday"]
        assert removed(tuesday)["q"] == ["yoga monday"]

    def test_coffee_morning_is_not_a_time(self):
        found = read("coffee morning")
        assert found.words == "coffee morning"
        assert applied(found, "time_of_day") == []

    def test_a_day_given_wins_over_a_day_in_the_words(self):
        found = read("yoga on tuesday", day="mon")
        assert found.words == "yoga on tuesday"
        assert applied(found, "day") == ["mon"]

    def test_a_time_given_wins_over_tonight(self):
        found = read("yoga tonight", time_of_day="morning")
        assert found.words == "yoga tonight"
        assert applied(found, "day") == [] and applied(found, "time_of_day") == ["morning"]

    def test_a_time_given_leaves_a_day_alone_to_be_read(self):
        found = read("yoga on tuesday", time_of_day="morning")
        assert applied(found, "day") == ["tue"] and found.words == "yoga"


class TestWordsAround:
    def test_general_words_alone_are_searched_as_they_are(self):
        assert read("activities").words == "activities"

    def test_general_words_go_once_something_was_read(self):
        found = read("things to do this weekend")
        assert found.words == ""
        assert applied(found, "day") == ["sat", "sun"]

    def test_nothing_read_leaves_the_search_as_it_was(self):
        found = read("knit and natter")
        assert found.words == "knit and natter"
        assert found.understood == () and not found.changed


class TestRemoving:
    def test_each_removal_link_is_the_typed_search_less_its_own_words(self):
        found = read("free yoga SW18 this weekend", page="3", radius_km="2")
        by_label = {item.label: removed(item) for item in found.understood}
        assert set(by_label) == {"Place: SW18", "Free only", "Saturday and Sunday"}
        assert by_label["Free only"]["q"] == ["yoga SW18 this weekend"]
        assert by_label["Place: SW18"]["q"] == ["free yoga this weekend"]
        assert by_label["Saturday and Sunday"]["q"] == ["free yoga SW18"]
        for query in by_label.values():
            assert query["radius_km"] == ["2"] and "page" not in query

    def test_following_a_removal_link_reads_the_rest_again_without_it(self):
        found = read("free yoga SW18")
        (place,) = [i for i in found.understood if i.kind == "place"]
        again = understand(QueryDict(place.remove_query), now=SATURDAY, categories=CATEGORIES)
        assert labels(again) == ["Free only"]
        assert applied(again, "near") == []


class TestOffers:
    def test_a_category_named_is_offered_not_applied(self):
        found = read("walking group")
        assert found.words == "walking group"
        assert applied(found, "category") == []
        (offer,) = found.offers
        assert offer.label == "Show only Walking"
        assert parse_qs(offer.query) == {"q": ["walking group"], "category": ["walking"]}

    def test_part_of_a_categorys_name_is_enough(self):
        assert [o.value for o in read("yoga").offers] == ["yoga-and-tai-chi"]

    def test_the_most_specific_category_comes_first(self):
        assert [o.value for o in read("singing").offers][:1] == ["choirs-and-singing"]

    def test_no_category_is_offered_when_one_is_chosen(self):
        assert read("walking", category="yoga-and-tai-chi").offers == ()

    def test_an_audience_named_is_offered(self):
        found = read("lunch for older people")
        assert [(o.parameter, o.value, o.label) for o in found.offers] == [
            ("audience", "older", "Show only: Older people")
        ]

    def test_no_audience_is_offered_when_one_is_chosen(self):
        assert read("lunch for older people", audience="women").offers == ()

    def test_words_read_as_a_place_or_time_name_no_category(self):
        assert read("SW18 today").offers == ()


@pytest.mark.django_db
def test_categories_come_from_the_directory_when_not_given():
    found = understand(QueryDict("q=walking+group"), now=SATURDAY)
    assert [o.value for o in found.offers] == ["walking"]


# The words reach the concept vocabulary (search.concepts), a table.
@pytest.mark.django_db
class TestHostileWords:
    def test_words_with_a_control_character_are_not_read_and_the_query_refuses_them(self):
        found = read("free yoga SW18\x00")
        assert found.understood == () and found.words == "free yoga SW18\x00"
        with pytest.raises(QueryError) as refused:
            parse_search_params(found.params)
        assert refused.value.field == "q"

    def test_words_longer_than_a_search_takes_are_not_read(self):
        found = read("free " * 50)
        assert found.understood == ()
        with pytest.raises(QueryError):
            parse_search_params(found.params)

    def test_html_is_only_words(self):
        found = read('<script>alert("x")</script> free SW18')
        assert found.words == '<script>alert("x")</script>'
        assert labels(found) == ["Place: SW18", "Free only"]

    @pytest.mark.parametrize(
        "q",
        ["on", "or", "this", "free", "near", "\u200b", "İstanbul SW18", "🙂 sw18", "'",
         "tonight " * 5, "monday or or tuesday", "SW18 SW17 1AA", "sw18 1aa 1aa",
         "\t\n free", "ＳＷ１８"],
    )  # fmt: skip
    def test_odd_words_are_read_without_error(self, q):
        found = read(q)
        parse_search_params(found.params)

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=220))
    def test_any_words_at_all_give_a_search_or_a_query_error_never_a_crash(self, q):
        found = read(q)
        try:
            parse_search_params(found.params)
        except QueryError as error:
            assert error.field in ("q", "day")


@pytest.mark.django_db
class TestThePageSearch:
    def test_the_page_reads_the_words_and_adds_its_own_distance(self):
        params, found = understood_page_params(QueryDict("q=walking+SW18"), now=SATURDAY)
        assert params["near"] == "SW18" and params["radius_km"] == "5"
        assert labels(found) == ["Place: SW18"]

    def test_the_page_keeps_the_distance_chosen_for_a_place_in_the_words(self):
        params, _ = understood_page_params(QueryDict("q=walking+SW18&radius_km=10"))
        assert params["radius_km"] == "10"

    def test_understand_false_searches_the_words_as_typed(self):
        params, found = understood_page_params(QueryDict("q=walking+SW18&understand=false"))
        assert params["q"] == "walking SW18" and "near" not in params
        assert found.understood == ()
