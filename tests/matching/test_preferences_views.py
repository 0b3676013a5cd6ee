"""GENIE step 2 (questionnaire, top three) and PLANS needs in the facilitated flow, and the
forms' answers round trip that the kiosk relies on."""

from decimal import Decimal

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from assets_directory.models import Category
from matching.answers import parse_match_request
from matching.forms.preferences import (
    NeedsForm,
    PreferencesForm,
    TopThreeForm,
)
from matching.models import AuditEvent, PersonNeed, Preferences
from matching.selectors import (
    GENERIC_ICON,
    category_tree,
    interest_icon,
    preference_choices,
    record_answers,
)
from matching.services import NeedAnswer, needs_save, preferences_save

pytestmark = pytest.mark.django_db

NEAR = "51.4489,-0.1971"  # a point, so the round trip needs no postcode look-up


def url(name, person):
    return reverse(f"matching:{name}", kwargs={"reference": person.reference})


def as_post(initial: dict) -> dict:
    """A form's initial data as the browser would post it back."""
    data = {}
    for name, value in initial.items():
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


PREFERENCES_POST = {
    "interests": ["walking", "choirs-and-singing", "arts-and-crafts"],
    "used_to_enjoy": "Dancing at the Palais",
    "max_travel_km": "2",
    "travel": ["walk", "bus"],
    "free_tue": ["morning", "afternoon"],
    "free_sat": ["evening"],
    "max_cost": "3",
    "access_needs": ["step-free", "hearing-loop"],
    "delivery": ["in_person"],
    "company": "with_someone",
}


def needs_post(**extra):
    data = {
        "needs": ["lonely", "active"],
        "priority-lonely": "2",
        "priority-active": "1",
        "words-lonely": "I miss having people to chat to",
        "helper-lonely": "My daughter Sam",
        "words-active": "Get my legs going again",
    }
    data.update(extra)
    return data


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


# Saving --------------------------------------------------------------------------------------


def test_preferences_post_saves_answers_and_goes_to_top_three(signed_in, person):
    response = signed_in.post(url("preferences", person), PREFERENCES_POST)

    assert response.status_code == 302
    assert response["Location"] == url("top_three", person)
    saved = Preferences.objects.get(person=person)
    assert saved.interests == ["walking", "choirs-and-singing", "arts-and-crafts"]
    assert saved.used_to_enjoy == "Dancing at the Palais"
    assert saved.max_travel_km == Decimal("2")
    assert saved.travel == ["walk", "bus"]
    assert saved.free_times == [
        {"day": "tue", "from": "09:00", "to": "12:00"},
        {"day": "tue", "from": "12:00", "to": "17:00"},
        {"day": "sat", "from": "17:00", "to": "21:00"},
    ]
    assert saved.max_cost == Decimal("3")
    assert saved.access_needs == ["step-free", "hearing-loop"]
    assert saved.delivery == ["in_person"]
    assert saved.company == Preferences.Company.WITH_SOMEONE
    follow = signed_in.get(response["Location"])
    assert "Interests and practical limits saved." in follow.content.decode()


@pytest.mark.parametrize(
    ("cost", "travel", "expected_cost", "expected_travel"),
    [("free", "0.5", Decimal("0"), Decimal("0.5")), ("any", "any", None, None)],
)
def test_preferences_free_only_and_any_are_stored_as_zero_and_none(
    signed_in, person, cost, travel, expected_cost, expected_travel
):
    signed_in.post(
        url("preferences", person), {**PREFERENCES_POST, "max_cost": cost, "max_travel_km": travel}
    )

    saved = Preferences.objects.get(person=person)
    assert saved.max_cost == expected_cost
    assert saved.max_travel_km == expected_travel


def test_preferences_with_no_times_ticked_means_any_time(signed_in, person):
    data = {k: v for k, v in PREFERENCES_POST.items() if not k.startswith("free_")}

    signed_in.post(url("preferences", person), data)

    assert Preferences.objects.get(person=person).free_times == []


def test_preferences_drop_top_choices_no_longer_among_interests(signed_in, person, facilitator):
    preferences_save(
        person=person,
        by=facilitator,
        interests=["walking", "dance"],
        top_three=["dance", "walking"],
    )

    signed_in.post(url("preferences", person), {**PREFERENCES_POST, "interests": ["walking"]})

    assert Preferences.objects.get(person=person).top_three == ["walking"]


def test_preferences_get_shows_saved_answers(signed_in, person):
    signed_in.post(url("preferences", person), PREFERENCES_POST)

    page = signed_in.get(url("preferences", person))

    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["free_tue"] == ["morning", "afternoon"]
    assert form.initial["max_cost"] == "3"
    assert form.initial["used_to_enjoy"] == "Dancing at the Palais"
    html = page.content.decode()
    assert 'value="walking"' in html and "checked" in html
    assert "icons/interests/physical-activity.svg" in html


def test_top_three_post_saves_in_the_numbered_order(signed_in, person, facilitator):
    preferences_save(
        person=person,
        by=facilitator,
        interests=["walking", "dance", "choirs-and-singing", "lunch-clubs"],
    )

    response = signed_in.post(
        url("top_three", person),
        {
            "top_three": ["walking", "dance", "choirs-and-singing"],
            "order-walking": "3",
            "order-dance": "",
            "order-choirs-and-singing": "1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == url("needs", person)
    # Numbered first by number, then the unnumbered one.
    assert Preferences.objects.get(person=person).top_three == [
        "choirs-and-singing",
        "walking",
        "dance",
    ]


def test_top_three_offers_only_their_interests(signed_in, person, facilitator):
    preferences_save(person=person, by=facilitator, interests=["walking", "dance"])

    page = signed_in.get(url("top_three", person))

    offered = [value for value, _ in page.context["form"].fields["top_three"].choices]
    assert offered == ["walking", "dance"]


def test_top_three_offers_every_category_when_no_interests(signed_in, person):
    page = signed_in.get(url("top_three", person))

    offered = {value for value, _ in page.context["form"].fields["top_three"].choices}
    assert offered == set(Category.objects.values_list("slug", flat=True))
    assert "No interests are recorded yet" in page.content.decode()


def test_needs_post_saves_priorities_and_their_words(signed_in, person):
    response = signed_in.post(url("needs", person), needs_post())

    assert response.status_code == 302
    assert response["Location"] == url("about", person)
    rows = list(PersonNeed.objects.filter(person=person).order_by("priority"))
    assert [(r.need, r.priority) for r in rows] == [("active", 1), ("lonely", 2)]
    assert rows[0].in_their_words == "Get my legs going again"
    assert rows[1].in_their_words == "I miss having people to chat to"
    assert rows[1].who_will_help == "My daughter Sam"


def test_needs_get_shows_saved_needs_in_order(signed_in, person, facilitator):
    needs_save(
        person=person,
        by=facilitator,
        needs=[NeedAnswer("money", "Bills", "Citizens Advice"), NeedAnswer("lonely")],
    )

    form = signed_in.get(url("needs", person)).context["form"]

    assert form.initial["needs"] == ["money", "lonely"]
    assert form.initial["priority-money"] == 1
    assert form.initial["priority-lonely"] == 2
    assert form.initial["helper-money"] == "Citizens Advice"


# Refusing bad input --------------------------------------------------------------------------


def test_more_than_three_top_choices_is_a_field_error_and_nothing_is_saved(signed_in, person):
    response = signed_in.post(
        url("top_three", person),
        {"top_three": ["walking", "dance", "sport", "swimming"]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["top_three"] == ["Choose at most 3. You chose 4."]
    assert not Preferences.objects.filter(person=person).exists()
    assert "There is a problem" in response.content.decode()


def test_no_top_choice_is_a_field_error(signed_in, person):
    response = signed_in.post(url("top_three", person), {})

    assert response.status_code == 200
    assert "top_three" in response.context["form"].errors


def test_repeated_top_three_numbers_are_an_error(signed_in, person):
    response = signed_in.post(
        url("top_three", person),
        {"top_three": ["walking", "dance"], "order-walking": "1", "order-dance": "1"},
    )

    assert response.status_code == 200
    assert "order-dance" in response.context["form"].errors
    assert not Preferences.objects.filter(person=person).exists()


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("preferences", {**PREFERENCES_POST, "interests": ["no-such-thing"]}, "interests"),
        ("preferences", {**PREFERENCES_POST, "access_needs": ["jetpack"]}, "access_needs"),
        ("preferences", {**PREFERENCES_POST, "free_mon": ["midnight"]}, "free_mon"),
        ("preferences", {**PREFERENCES_POST, "max_cost": "1000000"}, "max_cost"),
        ("top_three", {"top_three": ["no-such-thing"]}, "top_three"),
        ("top_three", {"top_three": ["walking"], "order-walking": "9"}, "order-walking"),
        ("needs", {"needs": ["telepathy"]}, "needs"),
        ("needs", needs_post(**{"priority-lonely": "x"}), "priority-lonely"),
    ],
)
def test_unknown_values_are_field_errors_not_crashes(signed_in, person, name, data, field):
    response = signed_in.post(url(name, person), data)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Preferences.objects.filter(person=person).exists()
    assert not PersonNeed.objects.filter(person=person).exists()


def test_duplicate_need_priorities_are_an_error(signed_in, person):
    response = signed_in.post(
        url("needs", person), needs_post(**{"priority-lonely": "1", "priority-active": "1"})
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["priority-active"] == [
        "Priority 1 is given twice. Give each need a different number."
    ]
    assert not PersonNeed.objects.filter(person=person).exists()


def test_words_for_an_unticked_need_are_an_error_rather_than_lost(signed_in, person):
    response = signed_in.post(url("needs", person), needs_post(**{"words-money": "Behind on rent"}))

    assert response.status_code == 200
    assert "words-money" in response.context["form"].errors


def test_unnumbered_needs_follow_the_numbered_ones(signed_in, person):
    signed_in.post(
        url("needs", person),
        {"needs": ["lonely", "money", "housing"], "priority-housing": "1"},
    )

    saved = list(PersonNeed.objects.filter(person=person).values_list("need", "priority"))
    assert saved == [("housing", 1), ("lonely", 2), ("money", 3)]


def test_no_needs_ticked_clears_them(signed_in, person, facilitator):
    needs_save(person=person, by=facilitator, needs=[NeedAnswer("lonely")])

    signed_in.post(url("needs", person), {})

    assert not PersonNeed.objects.filter(person=person).exists()


# Access and audit ----------------------------------------------------------------------------

VIEWS = ("preferences", "top_three", "needs")


@pytest.mark.parametrize("name", VIEWS)
def test_another_teams_facilitator_gets_404(client, other_facilitator, person, name):
    client.force_login(other_facilitator)

    assert client.get(url(name, person)).status_code == 404
    assert client.post(url(name, person), PREFERENCES_POST).status_code == 404
    assert not Preferences.objects.filter(person=person).exists()
    assert not AuditEvent.objects.filter(person=person).exists()


@pytest.mark.parametrize("name", VIEWS)
def test_anonymous_is_sent_to_sign_in(client, person, name):
    response = client.get(url(name, person))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("matching:sign_in"))


@pytest.mark.parametrize(
    ("name", "what"),
    [("preferences", "Preferences"), ("top_three", "Top three"), ("needs", "Needs")],
)
def test_viewing_each_page_is_audited(signed_in, person, facilitator, name, what):
    signed_in.get(url(name, person))

    assert AuditEvent.objects.filter(
        person=person, actor=facilitator, action=AuditEvent.Action.VIEW, what=what
    ).exists()


@pytest.mark.parametrize(
    ("name", "data", "what"),
    [
        ("preferences", PREFERENCES_POST, "Preferences"),
        ("top_three", {"top_three": ["walking"]}, "Preferences"),
        ("needs", needs_post(), "Needs"),
    ],
)
def test_saving_each_page_writes_a_change_event(signed_in, person, facilitator, name, data, what):
    signed_in.post(url(name, person), data)

    events = AuditEvent.objects.filter(person=person, actor=facilitator)
    assert events.filter(action=AuditEvent.Action.CHANGE, what=what).count() == 1
    assert not events.filter(action=AuditEvent.Action.VIEW).exists()


# The kiosk's round trip ----------------------------------------------------------------------


def valid(form):
    assert form.is_valid(), form.errors
    return form


def test_answers_are_accepted_by_the_match_parser():
    preferences = valid(PreferencesForm(PREFERENCES_POST, choices=preference_choices()))
    top = valid(
        TopThreeForm(
            {"top_three": ["walking", "arts-and-crafts"], "order-arts-and-crafts": "1"},
            categories=category_tree(),
            interests=PREFERENCES_POST["interests"],
        )
    )
    needs = valid(NeedsForm(needs_post()))
    answers = {"near": NEAR, **preferences.answers(), **top.answers(), **needs.answers()}

    _, profile, _ = parse_match_request(answers)

    assert profile.interests == ("walking", "choirs-and-singing", "arts-and-crafts")
    assert profile.top_three == ("arts-and-crafts", "walking")
    assert profile.needs == ("active", "lonely")
    assert profile.max_cost == Decimal("3")
    assert profile.max_travel_m == 2000
    assert profile.access_needs == ("step-free", "hearing-loop")
    assert profile.delivery == ("in_person",)
    assert [
        (t.day, t.start.isoformat("minutes"), t.end.isoformat("minutes"))
        for t in profile.free_times
    ] == [(1, "09:00", "12:00"), (1, "12:00", "17:00"), (5, "17:00", "21:00")]


def test_free_only_answers_a_cost_of_zero_and_any_leaves_it_out():
    free = valid(
        PreferencesForm({**PREFERENCES_POST, "max_cost": "free"}, choices=preference_choices())
    ).answers()
    anything = valid(
        PreferencesForm({**PREFERENCES_POST, "max_cost": "any"}, choices=preference_choices())
    ).answers()

    assert parse_match_request({"near": NEAR, **free})[1].max_cost == Decimal("0")
    assert parse_match_request({"near": NEAR, **anything})[1].max_cost is None


def test_preferences_initial_from_answers_round_trips():
    answers = valid(PreferencesForm(PREFERENCES_POST, choices=preference_choices())).answers()

    again = valid(
        PreferencesForm(
            as_post(PreferencesForm.initial_from_answers(answers)), choices=preference_choices()
        )
    )

    assert again.answers() == answers


def test_top_three_initial_from_answers_round_trips():
    interests = ["walking", "dance", "choirs-and-singing"]
    answers = {"top_three": ["dance", "choirs-and-singing", "walking"]}

    initial = TopThreeForm.initial_from_answers(answers)
    again = valid(TopThreeForm(as_post(initial), categories=category_tree(), interests=interests))

    assert again.answers() == answers


def test_needs_initial_from_answers_round_trips():
    answers = valid(NeedsForm(needs_post())).answers()

    again = valid(NeedsForm(as_post(NeedsForm.initial_from_answers(answers))))

    assert again.answers() == answers
    assert answers["need_notes"][0] == {
        "need": "active",
        "in_their_words": "Get my legs going again",
        "who_will_help": "",
    }


def test_initial_from_answers_ignores_malformed_answers():
    junk = {
        "interests": "walking",
        "free_times": [{"day": "funday"}, "x"],
        "max_cost": "lots",
        "max_travel_km": True,
        "needs": [1, "telepathy", "lonely"],
        "need_notes": "x",
    }

    preferences = PreferencesForm.initial_from_answers(junk)
    needs = NeedsForm.initial_from_answers(junk)

    assert preferences["interests"] == []
    assert preferences["max_cost"] == "any" and preferences["max_travel_km"] == "any"
    assert all(preferences[f"free_{d}"] == [] for d in ("mon", "tue", "sun"))
    assert needs["needs"] == ["lonely"]


def test_free_times_between_slots_are_shown_as_the_slots_they_touch():
    initial = PreferencesForm.initial_from_answers(
        {"free_times": [{"day": "wed", "from": "10:00", "to": "13:30"}], "max_cost": 4}
    )

    assert initial["free_wed"] == ["morning", "afternoon"]
    assert initial["max_cost"] == "5"  # never narrower than they said


def test_record_initial_matches_what_was_saved(person, facilitator):
    form = valid(PreferencesForm(PREFERENCES_POST, choices=preference_choices()))
    preferences_save(person=person, by=facilitator, **form.preferences_fields())
    person.refresh_from_db()

    again = valid(
        PreferencesForm(
            as_post(PreferencesForm.initial_from_answers(record_answers(person))),
            choices=preference_choices(),
        )
    )

    assert again.preferences_fields() == form.preferences_fields()


# Pictures ------------------------------------------------------------------------------------


def test_every_top_level_category_has_a_picture_that_exists():
    for category in Category.objects.filter(parent=None):
        icon = interest_icon(category.slug, category.icon)
        assert icon != GENERIC_ICON, category.slug
        assert finders.find(icon)
    assert finders.find(GENERIC_ICON)


def test_an_unknown_or_unsafe_icon_name_falls_back_to_the_generic_picture():
    assert interest_icon("new-category", "") == GENERIC_ICON
    assert interest_icon("x", "../../secret") == GENERIC_ICON
