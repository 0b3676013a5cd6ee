"""Who an activity is for, as the matching engine judges it: pure rules on a candidate and a
profile, the shortlist's variety, and the new answers refused with their field named."""

import json
import re

import pytest

from matching.answers import MatchInputError, parse_match_request
from matching.engine import open_audiences
from matching.scoring import (
    REFERRAL_REASON,
    Candidate,
    Profile,
    candidate_from_hit,
    rank_candidates,
    score_candidate,
)
from matching.suggestions import suggestion_cards
from matching.vocabulary import AGE_BAND_RANGES
from search.results import SearchHit
from tests.factories import ActivityFactory, ActivityScheduleFactory

from .test_scoring import candidate, reasons


def fits(profile: Profile, **overrides) -> bool:
    return score_candidate(candidate(**overrides), profile) is not None


def test_open_to_everyone_suits_anyone():
    assert fits(Profile(), audience={"everyone"})
    assert fits(Profile(age_band="65_plus", conditions=("stroke",)), audience=set())


def test_condition_groups_only_for_people_living_with_one_of_their_conditions():
    group = {"audience": {"condition"}, "conditions": {"dementia", "memory-problems"}}
    assert not fits(Profile(), **group)
    assert not fits(Profile(conditions=("diabetes",)), **group)
    assert fits(Profile(conditions=("diabetes", "memory-problems")), **group)


def test_condition_groups_for_carers_of_someone_with_it_where_carers_are_welcome():
    group = {"audience": {"condition"}, "conditions": {"dementia"}}
    carer = Profile(cares_for=True, cared_for_conditions=("dementia",))
    assert fits(carer, **group)
    assert not fits(carer, **group, carers_welcome=False)
    assert not fits(Profile(cares_for=True, cared_for_conditions=("autism",)), **group)
    assert not fits(Profile(cares_for=True), **group)


def test_carers_groups_only_for_carers_and_of_the_right_condition_when_both_say():
    assert not fits(Profile(), audience={"carers"})
    assert fits(Profile(cares_for=True), audience={"carers"})
    dementia_carers = {"audience": {"carers"}, "conditions": {"dementia"}}
    assert fits(Profile(cares_for=True), **dementia_carers)
    assert fits(Profile(cares_for=True, cared_for_conditions=("dementia",)), **dementia_carers)
    assert not fits(Profile(cares_for=True, cared_for_conditions=("autism",)), **dementia_carers)


def test_parent_and_baby_groups_only_for_parents_of_young_children():
    assert not fits(Profile(age_band="18_to_49"), audience={"young_children"})
    assert fits(Profile(young_children=True), audience={"young_children"})


@pytest.mark.parametrize(("sex", "other"), [("women", "men"), ("men", "women")])
def test_single_sex_groups_only_for_someone_who_said_one_would_suit(sex, other):
    assert not fits(Profile(), audience={sex})
    assert not fits(Profile(single_sex=other), audience={sex})
    assert fits(Profile(single_sex=sex), audience={sex})


def test_age_limits_and_age_audiences_follow_the_age_band():
    assert not fits(Profile(age_band="18_to_49"), age_min=60)
    assert fits(Profile(age_band="50_to_64"), age_min=60)  # 60 to 64 is in the band
    assert not fits(Profile(age_band="65_plus"), age_max=18)
    assert fits(Profile(), age_min=60, age_max=120)  # an unknown age is not ruled out
    assert not fits(Profile(age_band="18_to_49"), audience={"older"})
    assert fits(Profile(age_band="50_to_64"), audience={"older"})
    assert not fits(Profile(age_band="65_plus"), audience={"young"})
    assert fits(Profile(age_band="under_18"), audience={"young"})


def test_an_age_limit_includes_the_ages_at_its_ends():
    # 18 to 49 reaches an activity from 49; 50 to 64 one up to 50.
    assert fits(Profile(age_band="18_to_49"), age_min=49)
    assert not fits(Profile(age_band="18_to_49"), age_min=50)
    assert fits(Profile(age_band="50_to_64"), age_max=50)
    assert not fits(Profile(age_band="50_to_64"), age_max=49)


def test_young_peoples_activities_stop_at_the_band_starting_at_fifty():
    assert fits(Profile(age_band="18_to_49"), audience={"young"})
    assert not fits(Profile(age_band="50_to_64"), audience={"young"})


def test_older_peoples_activities_start_at_the_band_reaching_fifty(monkeypatch):
    assert not fits(Profile(age_band="18_to_49"), audience={"older"})
    assert fits(Profile(age_band="50_to_64"), audience={"older"})
    # No band ends at exactly 50 today; one that did would include a 50-year-old, who is older.
    monkeypatch.setitem(AGE_BAND_RANGES, "40_to_50", (40, 50))
    assert fits(Profile(age_band="40_to_50"), audience={"older"})


def test_a_condition_group_tells_a_carer_that_carers_are_welcome_and_whom_it_is_for():
    suggestion_reasons = reasons(
        candidate(
            audience={"condition"},
            conditions={"dementia"},
            condition_names={"dementia": "Dementia"},
        ),
        Profile(cares_for=True, cared_for_conditions=("dementia",)),
    )
    assert "Carers welcome: for people with dementia" in suggestion_reasons


def test_a_carers_group_tells_a_carer_it_is_for_them():
    carers = reasons(candidate(audience={"carers"}), Profile(cares_for=True))
    assert "For carers, like you" in carers


def test_a_parent_and_baby_group_tells_a_parent_it_is_for_them():
    assert "For parents and carers of young children, like you" in reasons(
        candidate(audience={"young_children"}), Profile(young_children=True)
    )


def test_a_group_for_two_conditions_names_both_joined_with_or():
    suggestion_reasons = reasons(
        candidate(
            audience={"condition"},
            conditions={"stroke", "dementia"},
            condition_names={"stroke": "Stroke", "dementia": "Dementia"},
        ),
        Profile(conditions=("stroke", "dementia")),
    )
    assert "For people with dementia or stroke, like you" in suggestion_reasons


def test_whom_it_is_for_comes_first_when_nothing_chosen_or_needed_matches():
    women = reasons(candidate(audience={"women"}), Profile(single_sex="women"))
    assert women[0] == "Women only, as you asked"
    assert len(women) > 1  # the practical reasons follow it


def test_whom_it_is_for_follows_a_need_met_when_no_interest_is():
    suggestion_reasons = reasons(
        candidate(categories={"social-and-friendship"}, audience={"women"}),
        Profile(needs=("lonely",), single_sex="women"),
    )
    assert suggestion_reasons[:2] == ("Helps with feeling lonely", "Women only, as you asked")


def test_whom_it_is_for_follows_both_the_interest_and_the_need_met():
    suggestion_reasons = reasons(
        candidate(
            categories={"social-and-friendship"},
            category_names={"social-and-friendship": "Social and friendship"},
            audience={"men"},
        ),
        Profile(top_three=("social-and-friendship",), needs=("lonely",), single_sex="men"),
    )
    assert suggestion_reasons[:3] == (
        "Social and friendship, as you chose",
        "Helps with feeling lonely",
        "Men only, as you asked",
    )


def test_profile_refuses_an_unknown_age_band_listing_the_bands():
    message = "Unknown age band 'ancient': choose from under_18, 18_to_49, 50_to_64, 65_plus."
    with pytest.raises(ValueError, match=re.escape(message)):
        Profile(age_band="ancient")


def test_profile_refuses_a_single_sex_answer_other_than_women_or_men():
    message = "single_sex is 'women', 'men' or empty, not 'both'."
    with pytest.raises(ValueError, match=re.escape(message)):
        Profile(single_sex="both")


def test_reasons_say_why_it_is_for_them_after_what_they_chose():
    profile = Profile(top_three=("singing",), conditions=("lung-conditions",))
    suggestion = score_candidate(
        candidate(
            categories={"singing"},
            category_names={"singing": "Singing"},
            audience={"condition"},
            conditions={"lung-conditions"},
            condition_names={"lung-conditions": "Lung conditions (such as COPD)"},
        ),
        profile,
    )
    assert suggestion.reasons[:2] == (
        "Singing, as you chose",
        "For people with lung conditions (such as COPD), like you",
    )
    women = score_candidate(candidate(audience={"women"}), Profile(single_sex="women"))
    assert "Women only, as you asked" in women.reasons


def test_referral_only_activities_stay_and_say_to_ask_a_link_worker():
    suggestion = score_candidate(candidate(referral=True), Profile())
    assert suggestion is not None
    assert suggestion.reasons[-1] == REFERRAL_REASON
    assert REFERRAL_REASON not in score_candidate(candidate(), Profile()).reasons


def _at(ident: int, title: str, organisation: str, distance: float) -> Candidate:
    return candidate(id=ident, title=title, organisation=organisation, distance_m=distance)


def test_each_activity_is_listed_once_with_its_other_listings_under_it():
    listings = [_at(n, "Knit and natter", "Tooting Stitchers", 100.0 * n) for n in range(1, 8)]
    (only,) = rank_candidates(listings, Profile())
    assert only.candidate.id == 1
    assert [other.id for other in only.others] == [2, 3, 4, 5, 6, 7]


def test_a_third_from_one_group_or_with_one_title_waits_until_nothing_else_fits():
    ranked = [
        _at(1, "Choir", "Group A", 100),
        _at(2, "Walk", "Group A", 200),
        _at(3, "Lunch", "Group A", 300),
        _at(4, "Knit and natter", "Group B", 400),
        _at(5, "Knit and natter", "Group C", 500),
        _at(6, "Knit and natter", "Group D", 600),
        _at(7, "Bowls", "Group E", 5000),
    ]
    top = [s.candidate.id for s in rank_candidates(ranked, Profile(), limit=5)]
    # 3 (Group A's third) and 6 (a third Knit and natter) give way to 7, further away.
    assert set(top) == {1, 2, 4, 5, 7}
    # Best first within the list.
    assert top == sorted(top)
    everything = [s.candidate.id for s in rank_candidates(ranked, Profile(), limit=10)]
    assert set(everything) == set(range(1, 8))


def test_a_groups_second_suggestion_keeps_its_place_and_only_its_third_gives_way():
    ranked = [
        _at(1, "Choir", "Group A", 100),
        _at(2, "Walk", "Group A", 200),
        _at(3, "Lunch", "Group A", 300),
        _at(4, "Bowls", "Group B", 400),
        _at(5, "Quiz", "Group C", 500),
    ]
    assert [s.candidate.id for s in rank_candidates(ranked, Profile(), limit=3)] == [1, 2, 4]


def test_a_groups_count_and_a_titles_count_are_kept_apart():
    # Each group runs two activities and each title is run by two groups: nothing gives way.
    ranked = [
        _at(1, "Choir", "Group A", 100),
        _at(2, "Walk", "Group A", 200),
        _at(3, "Choir", "Group B", 300),
        _at(4, "Walk", "Group B", 400),
        _at(5, "Bowls", "Group C", 500),
    ]
    assert [s.candidate.id for s in rank_candidates(ranked, Profile(), limit=4)] == [1, 2, 3, 4]


def test_the_directory_is_asked_only_for_audiences_that_can_fit():
    assert set(open_audiences(Profile())) == {"everyone", "lgbtq", "community", "older", "young"}
    asked = open_audiences(
        Profile(conditions=("stroke",), cares_for=True, young_children=True, single_sex="men")
    )
    assert {"condition", "carers", "young_children", "men"} <= set(asked)
    assert "women" not in asked


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("age_band", "ancient", "Give one of under_18"),
        ("conditions", ["<b>flu</b>"], "Unknown: <b>flu</b>"),
        ("conditions", "dementia", "Give a list of slugs"),
        ("cares_for", "yes", "Give true or false"),
        ("young_children", 1, "Give true or false"),
        ("single_sex", "both", "Give one of women, men"),
        ("cared_for_conditions", [3], "Give a list of slugs"),
    ],
)
def test_answers_about_themselves_are_refused_naming_the_field(field, value, message):
    with pytest.raises(MatchInputError, match=message) as refused:
        parse_match_request({"near": "51.45,-0.19", field: value})
    assert refused.value.field == field


@pytest.mark.django_db
def test_the_api_takes_answers_about_the_person(client):
    body = {
        "near": "51.45,-0.19",
        "age_band": "65_plus",
        "conditions": ["dementia"],
        "cares_for": True,
        "cared_for_conditions": ["stroke"],
        "young_children": False,
        "single_sex": "women",
    }
    _, profile, _ = parse_match_request(body)
    assert (profile.age_band, profile.conditions, profile.single_sex) == (
        "65_plus",
        ("dementia",),
        "women",
    )
    assert profile.cares_for and profile.cared_for_conditions == ("stroke",)
    response = client.post("/api/match", json.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    bad = client.post(
        "/api/match",
        json.dumps({**body, "single_sex": "<script>"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "single_sex"


@pytest.mark.django_db
def test_a_card_lists_the_same_activitys_other_times_under_it(organisation):
    first = ActivityFactory(parent=organisation, title="Knit and natter")
    ActivityScheduleFactory(activity=first, weekdays="tue")
    second = ActivityFactory(
        parent=organisation, title="Knit and natter", slug="knit-2", venue=first.venue
    )
    ActivityScheduleFactory(activity=second, weekdays="thu")
    elsewhere = ActivityFactory(parent=organisation, title="Knit and natter", slug="knit-3")
    ActivityScheduleFactory(activity=elsewhere, weekdays="sat")
    ranked = rank_candidates(
        [
            candidate(id=first.pk, title=first.title, organisation=organisation.title),
            candidate(id=second.pk, title=second.title, organisation=organisation.title),
            candidate(id=elsewhere.pk, title=first.title, organisation=organisation.title),
        ],
        Profile(),
    )
    (card,) = suggestion_cards(ranked)
    assert card.activity == first
    assert card.other_times[0] == "Every Thursday, 10:00 to 12:00"
    assert card.other_times[1].startswith("Every Saturday, 10:00 to 12:00, ")


def test_hits_with_one_schedule_share_its_sessions_read_once():
    schedule = [{"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}]
    first, second = (
        SearchHit(id=n, title="Choir", organisation="", url="", summary="", schedule=schedule)
        for n in (1, 2)
    )
    a, b = candidate_from_hit(first), candidate_from_hit(second)
    assert a.sessions and a.sessions is b.sessions
    other = SearchHit(id=3, title="Walk", organisation="", url="", summary="", schedule=[])
    assert candidate_from_hit(other).sessions == ()


def test_a_group_for_people_with_a_condition_and_their_carers_takes_either():
    group = {"audience": {"condition", "carers"}, "conditions": {"dementia"}}
    living_with_it = Profile(conditions=("dementia",))
    assert fits(living_with_it, **group)
    assert "For carers, like you" not in reasons(candidate(**group), living_with_it)
    carer = Profile(cares_for=True, cared_for_conditions=("dementia",))
    carer_reasons = reasons(candidate(**group), carer)
    assert "Carers welcome: for people with dementia" in carer_reasons
    assert "For carers, like you" not in carer_reasons
