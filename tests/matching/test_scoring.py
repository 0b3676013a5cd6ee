"""Tests for matching.scoring: pure functions, no database."""

import dataclasses
import datetime
import types
from decimal import Decimal

import pytest

from assets_directory.scheduling import Recurrence, to_hsds
from matching import scoring
from matching.scoring import (
    ASK_ABOUT_TIMES,
    GROUP_REASON,
    WEIGHTS,
    Candidate,
    FreeTime,
    Profile,
    Session,
    candidate_from_hit,
    rank_candidates,
    score_candidate,
)
from matching.scoring import _sessions_from_hsds as sessions_from_hsds
from search.results import SearchHit

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.fixture(autouse=True)
def no_schedules_read_yet(monkeypatch):
    """Each test reads its hits' schedules afresh: sessions another test (or an earlier run in
    the same process) read for the same schedule would otherwise answer for the reading."""
    monkeypatch.setattr("matching.scoring._SESSIONS_BY_SCHEDULE", {})


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def candidate(**overrides) -> Candidate:
    """A plain in-person group with nothing that earns or loses points by default."""
    values = {"id": 1, "title": "Activity", "distance_m": 1000.0}
    values.update(overrides)
    return Candidate(**values)


def score(cand: Candidate, profile: Profile | None = None) -> float:
    suggestion = score_candidate(cand, profile or Profile())
    assert suggestion is not None, "expected the candidate to pass every hard limit"
    return suggestion.score


def part(cand: Candidate, profile: Profile, name: str) -> float:
    suggestion = score_candidate(cand, profile)
    assert suggestion is not None
    return suggestion.parts[name]


def reasons(cand: Candidate, profile: Profile | None = None) -> tuple[str, ...]:
    suggestion = score_candidate(cand, profile or Profile())
    assert suggestion is not None
    return suggestion.reasons


# --------------------------------------------------------------------------------------------
# Profile, FreeTime and Session validation


def test_profile_refuses_more_than_three_top_choices():
    with pytest.raises(ValueError, match="at most 3"):
        Profile(top_three=("walking", "dance", "choirs-and-singing", "knitting-and-sewing"))


def test_profile_accepts_three_top_choices_and_ignores_repeats():
    profile = Profile(top_three=["walking", "dance", "walking", "choirs-and-singing"])
    assert profile.top_three == ("walking", "dance", "choirs-and-singing")


def test_profile_turns_lists_into_tuples_so_it_stays_hashable():
    profile = Profile(interests=["walking"], needs=["lonely"], access_needs=["step-free"])
    assert profile.interests == ("walking",)
    assert hash(profile) == hash(
        Profile(interests=("walking",), needs=("lonely",), access_needs=("step-free",))
    )


def test_profile_refuses_a_lone_string_instead_of_a_sequence():
    with pytest.raises(ValueError, match="sequence"):
        Profile(top_three="walking")


def test_profile_refuses_an_unknown_need():
    with pytest.raises(ValueError, match="Unknown need 'bored'"):
        Profile(needs=("lonely", "bored"))


def test_profile_refuses_an_unknown_delivery():
    with pytest.raises(ValueError, match="Unknown delivery"):
        Profile(delivery=("carrier-pigeon",))


def test_profile_refuses_negative_limits():
    with pytest.raises(ValueError, match="The most someone can pay must be zero or more"):
        Profile(max_cost=Decimal("-1"))
    with pytest.raises(ValueError, match=r"The furthest distance cannot be negative \(-5\)"):
        Profile(max_travel_m=-5)


def test_profile_reads_cost_limit_as_decimal():
    assert Profile(max_cost=2.5).max_cost == Decimal("2.5")


def test_free_time_must_end_after_it_starts():
    with pytest.raises(ValueError, match="end after it starts"):
        FreeTime(TUE, t("12:00"), t("10:00"))
    with pytest.raises(ValueError, match="end after it starts"):
        FreeTime(TUE, t("10:00"), t("10:00"))


def test_free_time_day_must_be_a_weekday_number():
    with pytest.raises(ValueError, match="0 \\(Monday\\) to 6"):
        FreeTime(7, t("10:00"), t("12:00"))


def test_profile_refuses_free_times_that_are_not_free_time_values():
    with pytest.raises(ValueError, match="FreeTime"):
        Profile(free_times=((TUE, t("10:00"), t("12:00")),))


def test_session_must_end_after_it_starts():
    with pytest.raises(ValueError, match=r"must end after it starts \(12:00 to 11:00\)"):
        Session(TUE, t("12:00"), t("11:00"))
    assert Session(TUE, t("12:00")).end is None


def test_a_session_that_ends_when_it_starts_is_refused_and_one_a_minute_long_is_not():
    with pytest.raises(ValueError, match=r"must end after it starts \(10:00 to 10:00\)"):
        Session(TUE, t("10:00"), t("10:00"))
    assert Session(TUE, t("10:00"), t("10:01")).end == t("10:01")


# --------------------------------------------------------------------------------------------
# hard limits


def test_in_person_activity_missing_an_access_need_is_not_suggested():
    profile = Profile(access_needs=("step-free", "hearing-loop"))
    assert score_candidate(candidate(access=frozenset({"step-free"})), profile) is None


def test_in_person_activity_with_every_access_need_is_suggested():
    profile = Profile(access_needs=("step-free", "hearing-loop"))
    venue = candidate(access=frozenset({"step-free", "hearing-loop", "parking"}))
    assert score_candidate(venue, profile) is not None


@pytest.mark.parametrize("delivery", ["online", "phone", "area_wide"])
def test_activities_without_a_venue_pass_access_needs(delivery):
    profile = Profile(access_needs=("step-free",))
    assert score_candidate(candidate(delivery=delivery, distance_m=None), profile) is not None


def test_paid_activity_over_the_cost_limit_is_not_suggested():
    profile = Profile(max_cost=Decimal("3"))
    assert score_candidate(candidate(cost="paid", cost_amount=3.5), profile) is None
    assert score_candidate(candidate(cost="paid", cost_amount=3.0), profile) is not None


def test_free_only_limit_lets_free_and_pay_what_you_can_through():
    profile = Profile(max_cost=Decimal("0"))
    assert score_candidate(candidate(cost="free"), profile) is not None
    assert score_candidate(candidate(cost="pay_what_you_can"), profile) is not None
    assert score_candidate(candidate(cost="paid", cost_amount=1.0), profile) is None


def test_paid_activity_without_a_price_fails_any_cost_limit_but_passes_without_one():
    unpriced = candidate(cost="paid", cost_amount=None)
    assert score_candidate(unpriced, Profile(max_cost=Decimal("100"))) is None
    assert score_candidate(unpriced, Profile()) is not None


def test_activity_further_than_the_travel_limit_is_not_suggested():
    profile = Profile(max_travel_m=2000)
    assert score_candidate(candidate(distance_m=2001), profile) is None
    assert score_candidate(candidate(distance_m=2000), profile) is not None


def test_area_wide_and_remote_activities_pass_the_travel_limit():
    profile = Profile(max_travel_m=1000)
    assert score_candidate(candidate(area_wide=True, distance_m=8000), profile) is not None
    assert score_candidate(candidate(delivery="online", distance_m=8000), profile) is not None


def test_in_person_activity_with_unknown_distance_passes_the_travel_limit():
    assert score_candidate(candidate(distance_m=None), Profile(max_travel_m=1000)) is not None


def test_activity_with_a_delivery_the_person_did_not_accept_is_not_suggested():
    profile = Profile(delivery=("in_person", "phone"))
    assert score_candidate(candidate(delivery="online", distance_m=None), profile) is None
    assert score_candidate(candidate(delivery="phone", distance_m=None), profile) is not None
    assert score_candidate(candidate(), profile) is not None


def test_activity_with_no_session_in_any_free_time_is_not_suggested():
    profile = Profile(free_times=(FreeTime(TUE, t("09:00"), t("12:00")),))
    same_time_other_day = candidate(sessions=(Session(WED, t("10:00"), t("11:00")),))
    same_day_later = candidate(sessions=(Session(TUE, t("13:00"), t("15:00")),))
    assert score_candidate(same_time_other_day, profile) is None
    assert score_candidate(same_day_later, profile) is None


def test_a_session_touching_but_not_overlapping_a_free_time_does_not_count():
    profile = Profile(free_times=(FreeTime(TUE, t("09:00"), t("12:00")),))
    assert (
        score_candidate(candidate(sessions=(Session(TUE, t("12:00"), t("13:00")),)), profile)
        is None
    )


def test_one_overlapping_session_is_enough_to_pass_the_free_time_limit():
    profile = Profile(free_times=(FreeTime(TUE, t("09:00"), t("12:00")),))
    cand = candidate(
        sessions=(Session(MON, t("10:00"), t("11:00")), Session(TUE, t("11:00"), t("13:00")))
    )
    assert score_candidate(cand, profile) is not None


def test_activity_with_no_known_sessions_passes_free_times_but_earns_no_schedule_points():
    profile = Profile(free_times=(FreeTime(TUE, t("09:00"), t("12:00")),))
    suggestion = score_candidate(candidate(sessions=()), profile)
    assert suggestion is not None
    assert suggestion.parts["schedule"] == 0
    assert ASK_ABOUT_TIMES in suggestion.reasons


# --------------------------------------------------------------------------------------------
# components


def test_weights_add_up_to_one_hundred():
    assert sum(WEIGHTS.values()) == 100


def test_parts_name_every_component_and_add_up_to_the_score():
    suggestion = score_candidate(candidate(), Profile())
    assert set(suggestion.parts) == {
        "interest",
        "need",
        "distance",
        "schedule",
        "cost",
        "access",
        "network",
    }
    assert suggestion.score == pytest.approx(sum(suggestion.parts.values()), abs=0.1)


def test_an_ideal_match_scores_one_hundred():
    profile = Profile(
        top_three=("walking",),
        needs=("active",),
        free_times=(FreeTime(TUE, t("09:00"), t("12:00")),),
        access_needs=("step-free",),
        wants_groups=True,
    )
    ideal = candidate(
        categories=frozenset({"walking", "physical-activity"}),
        distance_m=0.0,
        access=frozenset({"step-free"}),
        sessions=(Session(TUE, t("10:00"), t("11:00")),),
    )
    assert score(ideal, profile) == 100


def test_top_three_match_beats_other_interest_which_beats_no_interest():
    profile = Profile(top_three=("choirs-and-singing",), interests=("knitting-and-sewing",))
    chosen = candidate(categories=frozenset({"choirs-and-singing", "music-and-singing"}))
    liked = candidate(categories=frozenset({"knitting-and-sewing", "arts-and-crafts"}))
    neither = candidate(categories=frozenset({"sport"}))
    assert score(chosen, profile) > score(liked, profile) > score(neither, profile)
    assert part(neither, profile, "interest") == 0


def test_a_chosen_parent_category_matches_activities_in_its_children():
    # Candidates carry every ancestor slug, so choosing "music" matches a choir.
    profile = Profile(top_three=("music-and-singing",))
    choir = candidate(categories=frozenset({"choirs-and-singing", "music-and-singing"}))
    assert part(choir, profile, "interest") == WEIGHTS["interest"]


def test_helping_with_a_need_raises_the_score():
    profile = Profile(needs=("lonely",))
    helps = candidate(categories=frozenset({"peer-support"}))
    does_not = candidate(categories=frozenset({"sport"}))
    assert score(helps, profile) > score(does_not, profile)
    assert "Helps with feeling lonely" in reasons(helps, profile)


def test_a_more_important_need_weighs_more_than_a_later_one():
    profile = Profile(needs=("money", "active", "eating"))
    first = candidate(categories=frozenset({"benefits"}))
    second = candidate(categories=frozenset({"physical-activity"}))
    third = candidate(categories=frozenset({"food-and-cooking"}))
    assert (
        score(first, profile)
        > score(second, profile)
        > score(third, profile)
        > score(candidate(), profile)
    )


def test_the_need_reason_names_the_most_important_need_met():
    profile = Profile(needs=("out-and-about", "lonely"))
    # social-and-friendship helps with both; the first need is the one shown.
    cand = candidate(categories=frozenset({"social-and-friendship"}))
    assert "Helps with getting out and about" in reasons(cand, profile)
    assert "Helps with feeling lonely" not in reasons(cand, profile)


def test_the_fifth_need_and_those_after_it_weigh_the_floor():
    # Weights 1.0, 0.8, 0.6, 0.4 for the first four needs; the fifth and sixth get 0.2 each.
    needs = ("money", "active", "eating", "mood", "housing", "caring")
    helps = ("benefits", "physical-activity", "food-and-cooking", "mental-wellbeing", "housing",
             "carers-support")  # fmt: skip
    profile = Profile(needs=needs)
    points = [part(candidate(categories=frozenset({c})), profile, "need") for c in helps]
    assert points == pytest.approx([25, 20, 15, 10, 5, 5])
    assert "Helps with housing" in reasons(candidate(categories=frozenset({"housing"})), profile)


def test_closer_activities_score_higher():
    profile = Profile()
    near, mid, far = (candidate(distance_m=d) for d in (200, 2000, 4500))
    assert score(near, profile) > score(mid, profile) > score(far, profile)


def test_distance_points_reach_zero_at_five_km_without_a_travel_limit():
    assert part(candidate(distance_m=5000), Profile(), "distance") == 0
    assert part(candidate(distance_m=12000), Profile(), "distance") == 0


def test_distance_decays_over_the_travel_limit_when_one_is_given():
    at_two_km = candidate(distance_m=2000)
    assert part(at_two_km, Profile(max_travel_m=2500), "distance") < part(
        at_two_km, Profile(), "distance"
    )
    assert part(at_two_km, Profile(max_travel_m=2000), "distance") == 0


def test_distance_reasons_from_an_outward_code_centre_are_rough():
    assert "in or near SW18" in reasons(candidate(distance_m=0, distance_area="SW18"))
    assert "about 2 km away" in reasons(candidate(distance_m=2300, distance_area="SW18"))
    assert not any("m away" in r for r in reasons(candidate(distance_m=20, distance_area="SW18")))


def test_distance_reasons_say_how_far_or_how_it_reaches_you():
    assert "1.2 km away" in reasons(candidate(distance_m=1234))
    assert "350 m away" in reasons(candidate(distance_m=347))
    # A venue at the centre of their postcode area.
    assert "under 50 m away" in reasons(candidate(distance_m=0))
    assert "Online" in reasons(candidate(delivery="online", distance_m=None))
    assert "By phone" in reasons(candidate(delivery="phone", distance_m=None))
    assert "Comes to you" in reasons(candidate(delivery="area_wide", distance_m=None))


def test_unknown_distance_scores_between_near_and_far():
    profile = Profile()
    assert (
        score(candidate(distance_m=100), profile)
        > score(candidate(distance_m=None), profile)
        > score(candidate(distance_m=4900), profile)
    )


def test_more_sessions_in_free_times_score_higher():
    profile = Profile(
        free_times=(FreeTime(TUE, t("09:00"), t("12:00")), FreeTime(THU, t("09:00"), t("12:00")))
    )
    tue = Session(TUE, t("10:00"), t("11:00"))
    thu = Session(THU, t("10:00"), t("11:00"))
    sat = Session(SAT, t("10:00"), t("11:00"))
    all_fit = candidate(sessions=(tue, thu))
    half_fit = candidate(sessions=(tue, sat))
    third_fit = candidate(sessions=(tue, sat, Session(SUN, t("10:00"), t("11:00"))))
    assert score(all_fit, profile) > score(half_fit, profile) > score(third_fit, profile)
    assert part(all_fit, profile, "schedule") == WEIGHTS["schedule"]


def test_a_session_wholly_in_free_time_beats_one_only_partly_in_it():
    profile = Profile(free_times=(FreeTime(TUE, t("09:00"), t("12:00")),))
    inside = candidate(sessions=(Session(TUE, t("10:00"), t("12:00")),))
    partly = candidate(sessions=(Session(TUE, t("11:00"), t("13:00")),))
    assert score(inside, profile) > score(partly, profile)
    assert "Tuesdays 11:00, partly when you are free" in reasons(partly, profile)


def test_back_to_back_free_times_hold_a_session_that_spans_them():
    profile = Profile(
        free_times=(FreeTime(TUE, t("09:00"), t("12:00")), FreeTime(TUE, t("12:00"), t("15:00")))
    )
    spanning = candidate(sessions=(Session(TUE, t("11:00"), t("13:00")),))
    assert part(spanning, profile, "schedule") == WEIGHTS["schedule"]


def test_known_sessions_beat_unknown_ones_when_any_time_suits():
    profile = Profile()
    timed = candidate(sessions=(Session(FRI, t("14:00"), None),))
    assert score(timed, profile) > score(candidate(sessions=()), profile)
    assert "Fridays 14:00" in reasons(timed, profile)


def test_schedule_reason_groups_days_with_the_same_matching_start_time():
    profile = Profile(
        free_times=(FreeTime(TUE, t("09:00"), t("12:00")), FreeTime(THU, t("09:00"), t("12:00")))
    )
    cand = candidate(
        sessions=(Session(THU, t("10:00"), t("11:00")), Session(TUE, t("10:00"), t("11:00")))
    )
    assert "Tuesdays and Thursdays 10:00, when you are free" in reasons(cand, profile)


def test_free_beats_pay_what_you_can_beats_cheap_beats_dear_beats_unpriced():
    profile = Profile()
    ranked = [
        candidate(cost="free"),
        candidate(cost="pay_what_you_can"),
        candidate(cost="paid", cost_amount=2.0),
        candidate(cost="paid", cost_amount=12.0),
        candidate(cost="paid", cost_amount=None),
    ]
    scores = [score(c, profile) for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert len(set(scores)) == len(scores)


def test_cost_reasons():
    assert "Free" in reasons(candidate(cost="free"))
    assert "Pay what you can" in reasons(candidate(cost="pay_what_you_can"))
    assert "£3" in reasons(candidate(cost="paid", cost_amount=3.0))
    assert "£3.50" in reasons(candidate(cost="paid", cost_amount=3.5))
    assert "Ask about the cost" in reasons(candidate(cost="paid", cost_amount=None))


def test_a_venue_confirmed_to_meet_access_needs_earns_the_access_bonus():
    profile = Profile(access_needs=("step-free", "hearing-loop"))
    venue = candidate(access=frozenset({"step-free", "hearing-loop"}))
    online = candidate(delivery="online", distance_m=None)
    assert part(venue, profile, "access") > part(online, profile, "access")
    assert "Step-free and hearing loop" in reasons(venue, profile)


def test_three_access_needs_are_joined_as_a_list_in_the_reason():
    profile = Profile(access_needs=("step-free", "hearing-loop", "accessible-toilet"))
    venue = candidate(access=frozenset({"step-free", "hearing-loop", "accessible-toilet"}))
    assert "Step-free, hearing loop and accessible toilet" in reasons(venue, profile)


def test_three_days_at_the_same_time_are_joined_as_a_list_in_the_reason():
    weekly = candidate(
        sessions=tuple(Session(day, t("10:00"), t("11:00")) for day in (FRI, MON, WED))
    )
    assert "Mondays, Wednesdays and Fridays 10:00" in reasons(weekly)
    mixed = candidate(
        sessions=(
            Session(MON, t("10:00"), t("11:00")),
            Session(WED, t("10:00"), t("11:00"), frequency="fortnightly"),
            Session(FRI, t("10:00"), t("11:00"), frequency="monthly", nth=1),
        )
    )
    assert "Mondays, every other Wednesday and first Friday of the month 10:00" in reasons(mixed)


def test_without_access_needs_everyone_gets_the_access_points_and_no_reason():
    profile = Profile()
    online = candidate(delivery="online", distance_m=None)
    assert part(online, profile, "access") == WEIGHTS["access"]
    assert part(candidate(), profile, "access") == WEIGHTS["access"]
    assert not any("Step-free" in r for r in reasons(candidate(access=frozenset({"step-free"}))))


def test_a_group_scores_higher_than_one_to_one_for_someone_wanting_groups():
    profile = Profile(wants_groups=True)
    group = candidate(group_activity=True)
    one_to_one = candidate(group_activity=False)
    assert score(group, profile) > score(one_to_one, profile)
    assert GROUP_REASON in reasons(group, profile)
    assert GROUP_REASON not in reasons(one_to_one, profile)


def test_groups_earn_no_extra_when_the_person_did_not_ask_for_them():
    profile = Profile(wants_groups=False)
    assert score(candidate(group_activity=True), profile) == score(
        candidate(group_activity=False), profile
    )
    assert GROUP_REASON not in reasons(candidate(group_activity=True), profile)


# --------------------------------------------------------------------------------------------
# reasons


def test_reason_line_example():
    profile = Profile(
        top_three=("choirs-and-singing",),
        free_times=(FreeTime(TUE, t("09:30"), t("12:00")),),
        access_needs=("step-free",),
    )
    choir = candidate(
        title="Tooting community choir",
        categories=frozenset({"choirs-and-singing", "music-and-singing"}),
        category_names={"choirs-and-singing": "Singing", "music-and-singing": "Music"},
        distance_m=800.0,
        cost="free",
        access=frozenset({"step-free", "parking"}),
        sessions=(Session(TUE, t("10:00"), t("11:30")),),
    )
    suggestion = score_candidate(choir, profile)
    assert suggestion.reason_line == (
        "Singing, as you chose · 800 m away · Tuesdays 10:00, when you are free · Free · Step-free"
    )


def test_reasons_follow_the_size_of_each_contribution():
    # 4.8 km of 5 km earns almost nothing, so the distance comes after the cost.
    profile = Profile(top_three=("walking",))
    far_walk = candidate(categories=frozenset({"walking"}), distance_m=4800.0)
    line = score_candidate(far_walk, profile).reason_line
    assert line.index("Walking, as you chose") < line.index("Free") < line.index("4.8 km away")


def test_category_reason_falls_back_to_a_readable_slug():
    profile = Profile(interests=("knitting-and-sewing",))
    cand = candidate(categories=frozenset({"knitting-and-sewing"}))
    assert reasons(cand, profile)[0] == "Knitting and sewing, which you enjoy"


# --------------------------------------------------------------------------------------------
# ranking


def test_rank_orders_by_score_and_drops_candidates_over_a_hard_limit():
    profile = Profile(top_three=("walking",), max_travel_m=3000)
    match = candidate(id=1, categories=frozenset({"walking"}), distance_m=1500)
    plain = candidate(id=2, distance_m=500)
    too_far = candidate(id=3, categories=frozenset({"walking"}), distance_m=3500)
    ranked = rank_candidates([plain, too_far, match], profile)
    assert [s.candidate.id for s in ranked] == [1, 2]


def test_rank_breaks_score_ties_by_distance_then_unknown_distance_then_id():
    # Online activities carry no distance and all score the same, so these tie on score.
    profile = Profile()
    tied = [
        candidate(id=9, delivery="online", distance_m=None),
        candidate(id=4, delivery="online", distance_m=None),
        candidate(id=7, delivery="online", distance_m=3000.0),
        candidate(id=8, delivery="online", distance_m=100.0),
    ]
    ranked = rank_candidates(tied, profile)
    assert len({s.score for s in ranked}) == 1
    assert [s.candidate.id for s in ranked] == [8, 7, 4, 9]


def test_rank_returns_at_most_limit_suggestions():
    cands = [candidate(id=i, distance_m=100.0 * i) for i in range(1, 21)]
    assert [s.candidate.id for s in rank_candidates(cands, Profile(), limit=3)] == [1, 2, 3]
    assert len(rank_candidates(cands, Profile())) == 10
    assert rank_candidates(cands, Profile(), limit=0) == []
    with pytest.raises(ValueError, match="limit must not be negative, got -1"):
        rank_candidates(cands, Profile(), limit=-1)


def test_suggestions_are_immutable():
    suggestion = score_candidate(candidate(), Profile())
    with pytest.raises(dataclasses.FrozenInstanceError):
        suggestion.score = 1
    with pytest.raises(TypeError):
        suggestion.parts["interest"] = 100


# --------------------------------------------------------------------------------------------
# candidate_from_hit


def hit(**overrides) -> SearchHit:
    values = {
        "id": 42,
        "title": "Knit and natter",
        "organisation": "Tooting Knit and Natter",
        "url": "/directory/knit/",
        "summary": "",
        "distance_m": 650.0,
        "cost": "paid",
        "cost_amount": 2.5,
        "delivery": "in_person",
        "categories": ["arts-and-crafts", "knitting-and-sewing"],
        "access": ["step-free", "hearing-loop"],
    }
    values.update(overrides)
    return SearchHit(**values)


def test_candidate_from_hit_copies_the_fields_and_reads_hsds_schedules():
    weekly = Recurrence("weekly", t("10:00"), t("12:00"), weekdays=(TUE, THU))
    monthly = Recurrence("monthly", t("19:00"), None, weekdays=(FRI,), nth=-1)
    next_session = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)
    cand = candidate_from_hit(
        hit(schedule=[to_hsds(weekly), to_hsds(monthly)], next_session=next_session),
        category_names={"knitting-and-sewing": "Knitting"},
    )
    assert cand.id == 42
    assert cand.title == "Knit and natter"
    assert cand.url == "/directory/knit/"
    assert cand.categories == frozenset({"arts-and-crafts", "knitting-and-sewing"})
    assert cand.category_names["knitting-and-sewing"] == "Knitting"
    assert cand.distance_m == 650.0
    assert (cand.delivery, cand.cost, cand.cost_amount) == ("in_person", "paid", 2.5)
    assert cand.access == frozenset({"step-free", "hearing-loop"})
    assert cand.next_session == next_session
    assert cand.sessions == (
        Session(TUE, t("10:00"), t("12:00")),
        Session(THU, t("10:00"), t("12:00")),
        Session(FRI, t("19:00"), None, frequency="monthly", nth=-1),
    )
    assert cand.group_activity is True


def test_candidate_from_hit_reads_a_one_off_session_on_its_weekday():
    once = Recurrence("once", t("11:00"), t("15:00"), on_date=datetime.date(2026, 3, 14))
    cand = candidate_from_hit(hit(schedule=[to_hsds(once)]))
    assert cand.sessions == (
        Session(SAT, t("11:00"), t("15:00"), frequency="once", on_date=datetime.date(2026, 3, 14)),
    )


def test_candidate_from_hit_skips_schedules_it_cannot_read():
    weekly = Recurrence("weekly", t("10:00"), None, weekdays=(MON,))
    unreadable = {"freq": "DAILY", "opens_at": "10:00"}
    no_time = {"freq": "WEEKLY", "byday": "TU"}
    cand = candidate_from_hit(hit(schedule=[unreadable, to_hsds(weekly), no_time]))
    assert cand.sessions == (Session(MON, t("10:00"), None),)


def test_phone_activities_are_not_groups():
    cand = candidate_from_hit(hit(delivery="phone", area_wide=True, distance_m=None))
    assert cand.group_activity is False


def test_activities_only_in_one_to_one_categories_are_not_groups():
    # The index adds ancestors: a befriending service also carries social-and-friendship.
    befriending = candidate_from_hit(hit(categories=["befriending", "social-and-friendship"]))
    debt_advice = candidate_from_hit(hit(categories=["advice", "money-and-debt"]))
    assert befriending.group_activity is False
    assert debt_advice.group_activity is False


def test_an_activity_with_any_group_category_is_a_group():
    mixed = candidate_from_hit(
        hit(categories=["befriending", "coffee-mornings", "social-and-friendship"])
    )
    social = candidate_from_hit(hit(categories=["social-and-friendship"]))
    assert mixed.group_activity is True
    assert social.group_activity is True


def test_one_to_one_categories_can_be_configured():
    cand = candidate_from_hit(
        hit(categories=["arts-and-crafts", "knitting-and-sewing"]),
        one_to_one_categories=frozenset({"arts-and-crafts", "knitting-and-sewing"}),
    )
    assert cand.group_activity is False


def test_candidate_from_hit_treats_an_unknown_cost_as_paid_with_no_price():
    cand = candidate_from_hit(hit(cost="", cost_amount=None))
    assert cand.cost == "paid"
    assert score_candidate(cand, Profile(max_cost=Decimal("0"))) is None


def test_a_hit_becomes_a_scored_suggestion():
    weekly = Recurrence("weekly", t("10:00"), t("12:00"), weekdays=(TUE,))
    cand = candidate_from_hit(
        hit(cost="free", cost_amount=0.0, schedule=[to_hsds(weekly)]),
        category_names={"knitting-and-sewing": "Knitting"},
    )
    profile = Profile(
        top_three=("knitting-and-sewing",),
        free_times=(FreeTime(TUE, t("09:00"), t("13:00")),),
        access_needs=("step-free",),
    )
    assert score_candidate(cand, profile).reason_line == (
        "Knitting, as you chose · 650 m away · Tuesdays 10:00, when you are free · Free · Step-free"
    )


# --------------------------------------------------------------------------------------------
# the engine asks for each group of categories apart (search faked, no database)


def fake_directory(monkeypatch, in_person, elsewhere=()):
    """Replace the directory with lists of hits; record each query asked."""
    from matching import engine
    from search.results import SearchResults

    asked = []

    def search_directory(query):
        asked.append(query)
        found = in_person if query.delivery == ("in_person",) else list(elsewhere)
        if query.categories:
            found = [h for h in found if set(h.categories) & set(query.categories)]
        if query.exclude_organisations:
            found = [h for h in found if h.organisation_id not in query.exclude_organisations]
        start = (query.page - 1) * query.page_size
        return SearchResults(
            hits=found[start : start + query.page_size],
            total=len(found),
            page=query.page,
            page_size=query.page_size,
        )

    monkeypatch.setattr(engine, "search_directory", search_directory)
    monkeypatch.setattr(engine, "category_names", dict)
    monkeypatch.setattr(engine, "condition_names", dict)
    return asked


def network_wanting(categories, *, wants_groups=True):
    """What the engine reads of network_metrics(): whether to look for groups, and which."""
    return types.SimpleNamespace(wants_groups=wants_groups, suggested_categories=categories)


def test_a_further_top_choice_is_not_crowded_out_by_nearer_network_extras(monkeypatch):
    from matching import engine
    from search.query import GeoPoint

    # Nearest first: four network extras, then the person's own choice.
    extras = [
        hit(id=i, distance_m=100.0 + i, cost="free", categories=["social-and-friendship"])
        for i in range(1, 5)
    ]
    choice = hit(id=99, distance_m=900.0, cost="free", categories=["choirs-and-singing"])
    asked = fake_directory(monkeypatch, [*extras, choice])
    monkeypatch.setattr(engine, "CANDIDATES_PER_GROUP", 2)
    network = network_wanting(("social-and-friendship",))

    result = engine.match_activities(
        near=GeoPoint(51.45, -0.19),
        profile=Profile(top_three=("choirs-and-singing",)),
        network=network,
        limit=1,
    )
    assert [s.candidate.id for s in result.suggestions] == [99]
    # One page each, the choice and the network's extras asked for apart.
    assert {q.categories for q in asked} == {("choirs-and-singing",), ("social-and-friendship",)}
    assert {(q.page, q.page_size) for q in asked} == {(1, 2)}


def test_each_reason_is_its_own_group_of_categories():
    from matching import engine
    from matching.vocabulary import NEED_CATEGORIES

    profile = Profile(
        top_three=("walking", "choirs-and-singing"),
        interests=("walking", "gardening", "arts-and-crafts"),
        needs=("lonely", "money"),
    )
    network = network_wanting(("social-and-friendship",))
    groups = engine.candidate_groups(profile, network)
    assert groups == (
        ("walking",),
        ("choirs-and-singing",),
        tuple(NEED_CATEGORIES["lonely"]),
        tuple(NEED_CATEGORIES["money"]),
        ("gardening", "arts-and-crafts"),
        ("social-and-friendship",),
    )
    # Without a network that wants groups, nor any choice: everything nearby, in one group.
    assert engine.candidate_groups(Profile(), None) == ((),)
    quiet = network_wanting(("social-and-friendship",), wants_groups=False)
    assert engine.candidate_groups(Profile(top_three=("walking",)), quiet) == (("walking",),)


def test_an_activity_found_by_two_groups_is_suggested_once(monkeypatch):
    from matching import engine
    from search.query import GeoPoint

    both = hit(id=7, distance_m=300.0, cost="free", categories=["walking", "gardening"])
    asked = fake_directory(monkeypatch, [both], elsewhere=[])
    result = engine.match_activities(
        near=GeoPoint(51.45, -0.19),
        profile=Profile(top_three=("walking", "gardening"), delivery=("in_person",)),
        limit=5,
    )
    assert [s.candidate.id for s in result.suggestions] == [7]
    # In person only: no query for what comes to the person.
    assert [q.delivery for q in asked] == [("in_person",), ("in_person",)]


def test_variety_counts_what_a_list_can_take_with_two_of_one_organisation():
    from matching.scoring import variety

    assert variety([]) == 0
    # One activity listed three times is one suggestion; case and spacing aside.
    assert variety([("Ramblers", "Walk"), ("ramblers", "walk "), ("Ramblers", "WALK")]) == 1
    # At most two of one organisation; one title run by several groups is several choices.
    assert variety([("Ramblers", f"Walk {n}") for n in range(5)]) == 2
    assert variety([(f"Group {n}", "Knit and natter") for n in range(5)]) == 5
    # Without an organisation, every listing counts as its own activity.
    assert variety([("", "Walk"), ("", "Walk"), ("", "Walk 3")]) == 3


def test_a_third_from_one_group_waits_behind_a_third_with_one_title():
    # Nearest first: three of the Ramblers' walks, then another group's walk of a title the
    # list already has twice (two of the Ramblers' "Health walk", one of another group).
    ramblers = [
        candidate(id=1, title="Health walk", organisation="Ramblers", distance_m=100.0),
        candidate(id=2, title="Health walk", organisation="Heath walkers", distance_m=150.0),
        candidate(id=3, title="Nordic walk", organisation="Ramblers", distance_m=200.0),
        candidate(id=4, title="Park walk", organisation="Ramblers", distance_m=300.0),
        candidate(id=5, title="Health walk", organisation="Walking for Health", distance_m=900.0),
    ]
    ranked = [s.candidate.id for s in rank_candidates(ramblers, Profile(), limit=4)]
    # Another group's third "Health walk" before the Ramblers' third walk.
    assert sorted(ranked) == [1, 2, 3, 5]


def test_one_busy_group_filling_the_nearest_page_does_not_hide_the_others(monkeypatch):
    from matching import engine
    from search.query import GeoPoint

    # One organisation runs the nearest eight, with three titles; two others are further.
    busy = [
        hit(
            id=i,
            title=f"Allotment day {i % 3}",
            organisation="Grow Southfields",
            organisation_id=1,
            distance_m=100.0 + i,
            cost="free",
            categories=["gardening"],
        )
        for i in range(1, 9)
    ]
    others = [
        hit(
            id=100 + n,
            title=f"Garden club {n}",
            organisation=f"Garden club {n}",
            organisation_id=100 + n,
            distance_m=2000.0 + n,
            cost="free",
            categories=["gardening"],
        )
        for n in (1, 2)
    ]
    asked = fake_directory(monkeypatch, [*busy, *others])
    monkeypatch.setattr(engine, "CANDIDATES_PER_GROUP", 4)

    result = engine.match_activities(
        near=GeoPoint(51.45, -0.19),
        profile=Profile(top_three=("gardening",), delivery=("in_person",)),
        limit=4,
    )
    organisations = [s.candidate.organisation for s in result.suggestions]
    assert organisations.count("Grow Southfields") == 2, organisations
    assert {"Garden club 1", "Garden club 2"} <= set(organisations)
    # The next page left out the one organisation found; the page after it was not full.
    assert [q.exclude_organisations for q in asked] == [(), (1,)]


def test_a_page_of_many_organisations_is_read_alone(monkeypatch):
    from matching import engine
    from search.query import GeoPoint

    many = [
        hit(
            id=i,
            title=f"Gardening {i}",
            organisation=f"Group {i}",
            organisation_id=i,
            distance_m=100.0 + i,
            cost="free",
            categories=["gardening"],
        )
        for i in range(1, 20)
    ]
    asked = fake_directory(monkeypatch, many)
    # A page that can fill the list on its own.
    monkeypatch.setattr(engine, "CANDIDATES_PER_GROUP", 4)
    engine.match_activities(
        near=GeoPoint(51.45, -0.19),
        profile=Profile(top_three=("gardening",), delivery=("in_person",)),
        limit=4,
    )
    assert [q.exclude_organisations for q in asked] == [()]


def test_a_crowded_page_is_followed_only_while_the_list_is_short(monkeypatch):
    from matching import engine
    from search.query import GeoPoint

    # Walking is one group's (full page); singing has enough groups to fill the list.
    walks = [
        hit(
            id=i,
            title=f"Walk {i}",
            organisation="Ramblers",
            organisation_id=1,
            distance_m=100.0 + i,
            cost="free",
            categories=["walking"],
        )
        for i in range(1, 5)
    ]
    choirs = [
        hit(
            id=100 + i,
            title=f"Choir {i}",
            organisation=f"Choir {i}",
            organisation_id=100 + i,
            distance_m=500.0 + i,
            cost="free",
            categories=["choirs-and-singing"],
        )
        for i in range(1, 5)
    ]
    asked = fake_directory(monkeypatch, [*walks, *choirs])
    monkeypatch.setattr(engine, "CANDIDATES_PER_GROUP", 4)
    profile = Profile(top_three=("walking", "choirs-and-singing"), delivery=("in_person",))
    near = GeoPoint(51.45, -0.19)

    engine.match_activities(near=near, profile=profile, limit=6)
    assert [q.exclude_organisations for q in asked] == [(), ()]
    # A longer list is short of choices: the full pages are followed, each leaving out the
    # organisations it found.
    asked.clear()
    engine.match_activities(near=near, profile=profile, limit=7)
    assert [q.exclude_organisations for q in asked] == [(), (), (1,), (101, 102, 103, 104)]


def test_a_crowded_group_reads_a_bounded_number_of_pages(monkeypatch):
    from matching import engine
    from search.query import GeoPoint

    # Every organisation fills a page on its own: the engine stops after MORE_PAGES more.
    crowd = [
        hit(
            id=org * 10 + i,
            title=f"Group {org} meets",
            organisation=f"Group {org}",
            organisation_id=org,
            distance_m=100.0 * org + i,
            cost="free",
            categories=["gardening"],
        )
        for org in range(1, 10)
        for i in range(3)
    ]
    asked = fake_directory(monkeypatch, crowd)
    monkeypatch.setattr(engine, "CANDIDATES_PER_GROUP", 3)
    engine.match_activities(
        near=GeoPoint(51.45, -0.19),
        profile=Profile(top_three=("gardening",), delivery=("in_person",)),
        limit=10,
    )
    assert len(asked) == 1 + engine.MORE_PAGES
    assert asked[-1].exclude_organisations == tuple(range(1, engine.MORE_PAGES + 1))


def test_schedule_reasons_say_how_often_a_session_runs():
    monthly = Session(TUE, t("10:00"), t("12:00"), frequency="monthly", nth=2)
    fortnightly = Session(WED, t("14:00"), t("16:00"), frequency="fortnightly")
    once = Session(
        THU, t("18:00"), t("20:00"), frequency="once", on_date=datetime.date(2026, 12, 3)
    )
    assert "Second Tuesday of the month 10:00" in " · ".join(
        reasons(candidate(sessions=(monthly,)))
    )
    assert "Every other Wednesday 14:00" in " · ".join(reasons(candidate(sessions=(fortnightly,))))
    assert "Thursday 3 December 18:00" in " · ".join(reasons(candidate(sessions=(once,))))
    weekly_and_monthly = candidate(
        sessions=(Session(MON, t("10:00"), t("12:00")), Session(TUE, t("10:00"), t("12:00"),
                  frequency="monthly", nth=-1))
    )  # fmt: skip
    assert "Mondays and last Tuesday of the month 10:00" in " · ".join(reasons(weekly_and_monthly))


def test_sessions_from_the_directory_keep_their_frequency():
    hit_schedule = [
        to_hsds(Recurrence(frequency="monthly", weekdays=(1,), nth=2, start_time=t("10:00")))
    ]
    (session,) = sessions_from_hsds(hit_schedule)
    assert (session.day, session.frequency, session.nth) == (TUE, "monthly", 2)


def test_each_top_three_choice_keeps_a_place_in_the_list():
    profile = Profile(top_three=("writing",), needs=("out-and-about",), max_travel_m=3000)
    nearby_need = [
        candidate(id=i, categories={"social-and-friendship"}, distance_m=300.0) for i in range(1, 6)
    ]
    chosen_further = candidate(id=99, categories={"writing"}, distance_m=2800.0)
    assert score(chosen_further, profile) < score(nearby_need[0], profile)

    ranked = rank_candidates([*nearby_need, chosen_further], profile, limit=3)

    assert [s.candidate.id for s in ranked] == [1, 2, 99]
    assert "Writing, as you chose" in ranked[-1].reasons


def test_a_kept_choice_is_not_pushed_out_by_another():
    profile = Profile(top_three=("a", "b"), needs=("out-and-about",), max_travel_m=3000)
    others = [
        candidate(id=i, categories={"social-and-friendship"}, distance_m=100.0) for i in range(1, 4)
    ]
    only_a = candidate(id=50, categories={"a"}, distance_m=2900.0)
    only_b = candidate(id=60, categories={"b"}, distance_m=2950.0)
    assert score(only_b, profile) < score(others[0], profile)
    ranked = rank_candidates([*others, only_a, only_b], profile, limit=2)
    assert {s.candidate.id for s in ranked} == {50, 60}
    assert len(ranked) == 2
    assert len(rank_candidates([*others, only_a, only_b], profile, limit=1)) == 1


def test_getting_out_and_about_is_met_only_in_person():
    profile = Profile(needs=("out-and-about",))
    at_a_hall = candidate(categories={"social-and-friendship"})
    by_phone = candidate(categories={"social-and-friendship"}, delivery="phone", distance_m=None)
    assert "Helps with getting out and about" in reasons(at_a_hall, profile)
    assert "Helps with getting out and about" not in reasons(by_phone, profile)
    assert part(by_phone, profile, "need") == 0


# --------------------------------------------------------------------------------------------
# exact values and boundaries (each pins one rule down to the point or the message)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: FreeTime(TUE, "10:00", t("12:00")), "start must be a time of day, not '10:00'"),
        (lambda: FreeTime(TUE, t("10:00"), 12), "end must be a time of day, not 12"),
        (lambda: Session(TUE, None), "start must be a time of day, not None"),
        (lambda: Session(TUE, t("10:00"), "11:00"), "end must be a time of day, not '11:00'"),
    ],
)
def test_times_that_are_not_times_of_day_are_refused_by_name(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("day", [True, "1", 1.0, -1])
def test_a_day_must_be_a_whole_number_not_a_truth_value_or_text(day):
    with pytest.raises(ValueError, match="numbered 0 \\(Monday\\) to 6 \\(Sunday\\)"):
        Session(day, t("10:00"))


def test_a_session_ending_when_it_starts_is_refused():
    with pytest.raises(ValueError, match="A session must end after it starts \\(10:00 to 10:00\\)"):
        Session(TUE, t("10:00"), t("10:00"))


def test_profile_names_the_answer_given_as_a_lone_string():
    with pytest.raises(ValueError, match="top_three must be a sequence of slugs"):
        Profile(top_three="walking")
    with pytest.raises(ValueError, match="delivery must be a sequence of slugs"):
        Profile(delivery="online")


def test_a_travel_limit_of_nothing_is_allowed_and_scores_over_five_km():
    profile = Profile(max_travel_m=0)
    assert profile.max_travel_m == 0.0
    # No distance to scale by: the default five kilometres is used.
    assert part(candidate(distance_m=None), profile, "distance") == 7.5


def test_negative_limits_are_refused_with_a_message_a_form_can_show():
    with pytest.raises(ValueError, match="The furthest distance cannot be negative \\(-5\\)"):
        Profile(max_travel_m=-5)
    with pytest.raises(ValueError, match="The most someone can pay must be zero or more, not"):
        Profile(max_cost=Decimal("-1"))
    with pytest.raises(ValueError, match="Cannot read the amount 'lots'"):
        Profile(max_cost="lots")


def test_rank_refuses_a_negative_limit_naming_it():
    with pytest.raises(ValueError, match="limit must not be negative, got -1"):
        rank_candidates([], Profile(), limit=-1)


def test_scores_keep_one_decimal_and_parts_two():
    # 1,234 m of 5 km: 15 x 0.7532 = 11.298 distance points.
    suggestion = score_candidate(candidate(distance_m=1234.0, cost="pay_what_you_can"), Profile())
    assert suggestion.parts["distance"] == 11.3
    assert suggestion.parts["cost"] == 6.0
    # 11.298 + 0 (no sessions) + 6 + 5 + 5 = 27.298
    assert suggestion.score == 27.3
    # 1,240 m: 11.28 + 16 = 27.28, one decimal kept.
    assert score(candidate(distance_m=1240.0, cost="pay_what_you_can"), Profile()) == 27.3


def test_a_score_with_a_half_point_keeps_it():
    # Unknown distance: 7.5 points; free 8, access 5, network 5, no sessions 0.
    assert score(candidate(distance_m=None), Profile()) == 25.5


def test_remote_activities_earn_two_thirds_of_the_distance_points():
    assert part(candidate(delivery="online", distance_m=None), Profile(), "distance") == 10.0


def test_remote_activities_earn_no_access_points_from_someone_with_access_needs():
    profile = Profile(access_needs=("step-free",))
    assert part(candidate(delivery="online", distance_m=None), profile, "access") == 0.0


def test_an_access_need_without_a_label_is_named_from_its_slug():
    profile = Profile(access_needs=("step-free", "large-print"))
    venue = candidate(access=frozenset({"step-free", "large-print"}))
    assert "Step-free and large print" in reasons(venue, profile)
    alone = Profile(access_needs=("large-print",))
    assert "Large print" in reasons(candidate(access=frozenset({"large-print"})), alone)


def test_one_to_one_earns_no_network_points_from_someone_wanting_groups():
    assert part(candidate(group_activity=False), Profile(wants_groups=True), "network") == 0.0


def test_paid_with_no_price_earns_no_cost_points():
    assert part(candidate(cost="paid", cost_amount=None), Profile(), "cost") == 0.0


def test_paid_at_nothing_is_free_in_all_but_name():
    zero = score_candidate(candidate(cost="paid", cost_amount=0.0), Profile())
    assert (zero.parts["cost"], "Free" in zero.reasons) == (8.0, True)


def test_paid_under_a_pound_is_priced_not_free():
    cheap = score_candidate(candidate(cost="paid", cost_amount=0.5), Profile())
    # 8 x 0.5 x (1 - 0.5 / 20)
    assert cheap.parts["cost"] == 3.9
    assert "£0.50" in cheap.reasons


def test_a_fifth_need_weighs_the_floor():
    profile = Profile(needs=("active", "eating", "mood", "money", "lonely"))
    assert part(candidate(categories={"befriending"}), profile, "need") == 5.0


def test_a_need_met_only_in_person_is_passed_over_for_the_next_one_met_remotely():
    profile = Profile(needs=("out-and-about", "lonely"))
    by_phone = candidate(categories={"befriending"}, delivery="phone", distance_m=None)
    assert part(by_phone, profile, "need") == 20.0
    assert "Helps with feeling lonely" in reasons(by_phone, profile)


def test_an_open_ended_session_at_the_start_of_a_free_time_is_inside_it():
    profile = Profile(free_times=(FreeTime(TUE, t("10:00"), t("12:00")),))
    assert part(candidate(sessions=(Session(TUE, t("10:00")),)), profile, "schedule") == 12.0


def test_an_open_ended_session_at_the_end_of_a_free_time_is_outside_it():
    profile = Profile(free_times=(FreeTime(TUE, t("10:00"), t("12:00")),))
    assert score_candidate(candidate(sessions=(Session(TUE, t("12:00")),)), profile) is None


def test_an_open_ended_session_in_a_later_free_time_of_the_day_fits():
    profile = Profile(
        free_times=(FreeTime(TUE, t("09:00"), t("10:00")), FreeTime(TUE, t("14:00"), t("16:00")))
    )
    assert part(candidate(sessions=(Session(TUE, t("15:00")),)), profile, "schedule") == 12.0


def test_a_session_starting_with_a_free_time_is_wholly_inside_it():
    profile = Profile(free_times=(FreeTime(TUE, t("10:00"), t("12:00")),))
    inside = candidate(sessions=(Session(TUE, t("10:00"), t("11:00")),))
    assert part(inside, profile, "schedule") == 12.0
    assert "Tuesdays 10:00, when you are free" in reasons(inside, profile)


def test_a_session_ending_when_a_free_time_starts_does_not_overlap_it():
    profile = Profile(free_times=(FreeTime(TUE, t("09:00"), t("12:00")),))
    before = candidate(sessions=(Session(TUE, t("08:00"), t("09:00")),))
    assert score_candidate(before, profile) is None


def test_a_monthly_or_one_off_session_without_its_week_or_date_is_named_by_its_day():
    monthly = Session(TUE, t("10:00"), frequency="monthly")
    once = Session(THU, t("18:00"), frequency="once")
    assert "Tuesdays 10:00" in reasons(candidate(sessions=(monthly,)))
    assert "Thursdays 18:00" in reasons(candidate(sessions=(once,)))


def test_sessions_at_the_same_start_are_ordered_by_their_end():
    long_first = [
        to_hsds(Recurrence("weekly", t("10:00"), t("12:00"), weekdays=(TUE,))),
        to_hsds(Recurrence("weekly", t("10:00"), t("11:00"), weekdays=(TUE,))),
    ]
    assert [s.end for s in sessions_from_hsds(long_first)] == [t("11:00"), t("12:00")]


def test_candidate_from_hit_keeps_how_it_reaches_people_and_where_distance_is_from():
    cand = candidate_from_hit(
        hit(delivery="online", area_wide=True, cost="free"), distance_area="SW18"
    )
    assert (cand.delivery, cand.area_wide, cand.cost, cand.distance_area) == (
        "online", True, "free", "SW18",
    )  # fmt: skip


def test_candidate_from_hit_keeps_whom_it_is_for_how_to_join_and_who_runs_it():
    cand = candidate_from_hit(
        hit(
            audience=["condition", "carers"],
            conditions=["dementia", "stroke"],
            booking="referral",
            carers_welcome=False,
            age_min=50,
            age_max=90,
        ),
        # Names come for every condition in the directory; only the activity's own are kept.
        condition_names={"dementia": "Dementia", "stroke": "Stroke", "autism": "Autism"},
    )
    assert cand.audience == frozenset({"condition", "carers"})
    assert cand.conditions == frozenset({"dementia", "stroke"})
    assert dict(cand.condition_names) == {"dementia": "Dementia", "stroke": "Stroke"}
    assert cand.carers_welcome is False
    assert cand.referral is True
    assert (cand.age_min, cand.age_max) == (50, 90)
    assert cand.organisation == "Tooting Knit and Natter"


@pytest.mark.parametrize("booking", ["", "drop_in", "booking"])
def test_only_a_referral_booking_makes_a_candidate_referral_only(booking):
    assert candidate_from_hit(hit(booking=booking)).referral is False


def test_an_activity_in_exactly_the_one_to_one_kinds_and_their_parents_is_not_a_group():
    cand = candidate_from_hit(
        hit(categories=["knitting-and-sewing", "social-and-friendship"]),
        one_to_one_categories=frozenset({"knitting-and-sewing"}),
    )
    assert cand.group_activity is False


def test_a_chosen_interest_with_no_candidate_at_all_leaves_the_list_as_it_is():
    cands = [candidate(id=i, distance_m=100.0 * i) for i in range(1, 4)]
    ranked = rank_candidates(cands, Profile(top_three=("walking",)), limit=2)
    assert [s.candidate.id for s in ranked] == [1, 2]


def test_every_choice_missing_from_the_list_is_looked_for_after_one_with_no_candidate():
    # The nearby ones meet a need and outscore the far walk, which keeps its place all the same.
    profile = Profile(top_three=("nothing-here", "walking"), needs=("lonely",))
    nearby = [
        candidate(id=i, categories={"social-and-friendship"}, distance_m=100.0 * i)
        for i in range(1, 4)
    ]
    walk = candidate(id=9, categories={"walking"}, distance_m=9000.0)
    assert score(walk, profile) < score(nearby[-1], profile)
    ranked = rank_candidates([*nearby, walk], profile, limit=2)
    assert [s.candidate.id for s in ranked] == [1, 9]


def test_every_choice_missing_from_the_list_is_looked_for_after_one_already_in_it():
    profile = Profile(top_three=("walking", "dance"), needs=("lonely",))
    walk = candidate(id=1, categories={"walking"}, distance_m=100.0)
    nearby = [
        candidate(id=i, categories={"social-and-friendship"}, distance_m=100.0 * i)
        for i in range(2, 5)
    ]
    dance = candidate(id=9, categories={"dance"}, distance_m=9000.0)
    assert score(dance, profile) < score(nearby[-1], profile) < score(walk, profile)
    ranked = rank_candidates([walk, *nearby, dance], profile, limit=2)
    assert [s.candidate.id for s in ranked] == [1, 9]


def test_hits_with_the_same_schedule_share_one_reading_of_it():
    schedule = [to_hsds(Recurrence("weekly", t("10:00"), t("12:00"), weekdays=(TUE,)))]
    first = candidate_from_hit(hit(id=1, schedule=schedule))
    second = candidate_from_hit(hit(id=2, schedule=[dict(rule) for rule in schedule]))
    assert first.sessions == (Session(TUE, t("10:00"), t("12:00")),)
    assert second.sessions is first.sessions


def test_schedules_read_are_kept_up_to_a_limit(monkeypatch):
    monkeypatch.setattr("matching.scoring._SESSIONS_KEPT", 2)
    for day in (MON, TUE, WED):
        schedule = [to_hsds(Recurrence("weekly", t("10:00"), None, weekdays=(day,)))]
        assert candidate_from_hit(hit(schedule=schedule)).sessions == (Session(day, t("10:00")),)
        assert len(scoring._SESSIONS_BY_SCHEDULE) <= 2


def hit_without_schedule_key(**overrides) -> types.SimpleNamespace:
    """A hit made elsewhere than search.results: every field but the schedule's key."""
    fields = dict(vars(hit(**overrides)))
    del fields["schedule_key"]
    return types.SimpleNamespace(**fields)


def test_a_hit_without_a_schedule_key_has_its_own_schedule_read():
    for day in (MON, FRI):
        schedule = [to_hsds(Recurrence("weekly", t("18:00"), None, weekdays=(day,)))]
        cand = candidate_from_hit(hit_without_schedule_key(schedule=schedule))
        assert cand.sessions == (Session(day, t("18:00")),)


def test_a_candidate_keeps_its_lists_as_sets_and_drops_everyone_from_its_audience():
    session = Session(TUE, t("10:00"))
    cand = candidate(
        categories=["walking", "walking"],
        access=["step-free"],
        audience=["everyone", "older"],
        conditions=["dementia"],
        sessions=[session],
    )
    assert cand.categories == frozenset({"walking"})
    assert cand.access == frozenset({"step-free"})
    assert cand.audience == frozenset({"older"})
    assert cand.conditions == frozenset({"dementia"})
    assert cand.sessions == (session,)
    hash(cand)  # hashable, as a frozen dataclass of sets and tuples is


def test_a_profile_holds_its_free_times_once_each_and_its_limits_as_numbers():
    slot = FreeTime(MON, t("10:00"), t("12:00"))
    profile = Profile(free_times=[slot, slot], max_travel_m=3000, max_cost=2.1)
    assert profile.free_times == (slot,)
    assert profile.max_travel_m == 3000.0 and isinstance(profile.max_travel_m, float)
    assert profile.max_cost == Decimal("2.1")


def test_a_hit_that_does_not_say_how_it_is_delivered_is_in_person():
    cand = candidate_from_hit(hit(delivery=""))
    assert cand.delivery == "in_person"
    assert cand.group_activity is True


def test_a_chosen_slug_without_a_name_is_named_from_its_words():
    cand = candidate(categories={"arts_and-crafts"})
    assert "Arts and crafts, as you chose" in reasons(cand, Profile(top_three=("arts_and-crafts",)))


def test_parts_that_say_nothing_give_no_reason():
    # No interest, need, access need or wish for groups: only distance, cost and times speak.
    assert reasons(candidate()) == ("1.0 km away", "Free", ASK_ABOUT_TIMES)
    assert reasons(candidate(distance_m=None)) == ("Free", ASK_ABOUT_TIMES)
    online_one_to_one = candidate(delivery="online", distance_m=None, group_activity=False)
    profile = Profile(wants_groups=True, access_needs=("step-free",))
    assert reasons(online_one_to_one, profile) == ("Online", "Free", ASK_ABOUT_TIMES)


def test_a_full_activity_is_still_suggested_but_after_one_with_places():
    profile = Profile()
    full = candidate(id=1, capacity="full")
    waiting = candidate(id=2, capacity="waiting_list")
    room = candidate(id=3)

    ranked = rank_candidates([full, waiting, room], profile)

    assert [s.candidate.id for s in ranked] == [3, 2, 1]
    assert ranked[2].reasons[-1] == "Full at the moment"
    assert ranked[1].reasons[-1] == "Has a waiting list"
    assert "Full" not in ranked[0].reason_line
