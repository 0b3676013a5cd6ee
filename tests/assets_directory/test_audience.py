"""Who an activity is for: the structured audience, its words, its HSDS terms, editing it, the
reading of the old free-text words, and the demo borough."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from assets_directory.audience import Audience, describe, in_sentence, to_hsds
from assets_directory.demo.builder import DemoBuilder
from assets_directory.models import Activity, Condition
from tests.factories import ActivityFactory

from .test_permissions import edit_post_data

reading = importlib.import_module("assets_directory.migrations.0008_seed_conditions_and_audiences")


# --- words ----------------------------------------------------------------------------------


def test_open_to_everyone_when_no_audience_is_ticked():
    assert describe(Audience()) == ["Open to everyone"]


def test_condition_groups_name_the_conditions_and_welcome_carers():
    audience = Audience(audiences=("condition",), conditions=("Dementia", "Memory problems"))
    assert describe(audience) == [
        "For people living with dementia or memory problems",
        "Carers are welcome too",
    ]
    closed = Audience(audiences=("condition",), conditions=("Stroke",), carers_welcome=False)
    assert describe(closed) == ["For people living with stroke"]


def test_carers_groups_say_whom_the_carers_care_for():
    assert describe(Audience(audiences=("carers",), conditions=("Dementia",))) == [
        "For carers of people living with dementia"
    ]
    assert describe(Audience(audiences=("carers",))) == ["For carers"]


def test_children_ages_describe_the_children_and_ages_describe_who_takes_part():
    parents = Audience(audiences=("young_children",), children_age_max=4)
    assert describe(parents) == ["For parents and carers with children aged up to 4"]
    older_women = Audience(audiences=("women", "older"), age_min=60)
    assert describe(older_women) == [
        "For older people",
        "Women only",
        "For people aged 60 and over",
    ]
    assert describe(Audience(audiences=("young",), age_min=11, age_max=18))[-1] == (
        "For people aged 11 to 18"
    )


def test_condition_names_keep_proper_nouns_and_capitals():
    assert in_sentence("Parkinson's") == "Parkinson's"
    assert in_sentence("COPD") == "COPD"
    assert in_sentence("Lung conditions (such as COPD)") == "lung conditions (such as COPD)"


def test_hsds_eligibility_ages_and_terms():
    audience = Audience(
        audiences=("condition",),
        conditions=("Lung conditions",),
        condition_slugs=("lung-conditions",),
        age_min=18,
        age_max=120,
        who_for="People with COPD and their families",
    )
    service = to_hsds(audience)
    assert service["eligibility_description"] == (
        "People with COPD and their families. For people living with lung conditions. "
        "For people aged 18 and over. Carers are welcome too."
    )
    assert service["minimum_age"] == 18
    # 120 is "no upper limit", which HSDS says by leaving the field out.
    assert "maximum_age" not in service
    assert service["attributes"] == [
        {"taxonomy_term": {"vocabulary": "common-ground-audience", "code": "condition"}},
        {"taxonomy_term": {"vocabulary": "common-ground-condition", "code": "lung-conditions"}},
    ]
    assert to_hsds(Audience())["attributes"] == [
        {"taxonomy_term": {"vocabulary": "common-ground-audience", "code": "everyone"}}
    ]


@pytest.mark.parametrize("words", ["Bring a mat.", "Bring a mat!", "Bring a mat"])
def test_hsds_eligibility_never_doubles_the_editors_own_full_stop(words):
    service = to_hsds(Audience(who_for=words))
    assert service["eligibility_description"] in (
        "Bring a mat. Open to everyone.",
        "Bring a mat! Open to everyone.",
    )


# --- reading the old words ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "ages", "audience", "conditions", "children"),
    [
        ("Children under 5 with a parent or carer", (None, 5), "young_children", [], (None, 5)),
        ("Parents and carers with babies", (None, None), "young_children", [], (None, None)),
        ("People with dementia and their carers", (None, None), "condition", ["dementia"], None),
        ("Unpaid carers", (None, None), "carers", [], None),
        ("Carers of people with dementia", (None, None), "carers", ["dementia"], None),
        ("Mainly men, all welcome", (None, None), "", [], None),
        ("Women", (None, None), "women", [], None),
        ("People aged 60 and over", (60, None), "older", [], None),
        ("People who feel lonely or isolated", (None, None), "", [], None),
    ],
)
def test_old_words_are_read_into_the_audience(words, ages, audience, conditions, children):
    read = reading.read_audience(words, *ages)
    assert read["audience"] == audience
    assert read["conditions"] == conditions
    if children is not None:
        # The old limit described the children: those who take part have none.
        assert (read["children_age_min"], read["children_age_max"]) == children
        assert (read["age_min"], read["age_max"]) == (None, None)
    else:
        assert (read["age_min"], read["age_max"]) == ages


@pytest.mark.django_db
def test_the_migration_moves_existing_activities_to_the_structured_audience(organisation):
    baby = ActivityFactory(
        parent=organisation, who_for="Children under 5 with a parent or carer", age_max=5
    )
    lungs = ActivityFactory(parent=organisation, who_for="People with lung conditions")
    plain = ActivityFactory(parent=organisation, who_for="", age_min=16)
    reading.forwards(django_apps, None)
    baby.refresh_from_db()
    assert (baby.audience, baby.age_max, baby.children_age_max) == ("young_children", None, 5)
    assert baby.who_for == "Children under 5 with a parent or carer"
    lungs.refresh_from_db()
    assert lungs.audience == "condition"
    assert list(lungs.conditions.values_list("slug", flat=True)) == ["lung-conditions"]
    plain.refresh_from_db()
    assert (plain.audience, plain.age_min) == ("", 16)


@pytest.mark.django_db
def test_the_conditions_are_seeded():
    slugs = set(Condition.objects.values_list("slug", flat=True))
    assert {"dementia", "diabetes", "lung-conditions", "sight-loss", "autism"} <= slugs


# --- editing --------------------------------------------------------------------------------


def _save(client, activity, **changes):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[activity.pk]),
        edit_post_data(activity, **changes),
    )


@pytest.mark.django_db
class TestEditing:
    def test_moderator_sets_the_audience_and_conditions(self, client, moderator, activity):
        client.force_login(moderator)
        dementia = Condition.objects.get(slug="dementia")
        response = _save(
            client,
            activity,
            audience=["condition", "older"],
            conditions=[dementia.pk],
            children_age_min="",
            children_age_max="",
            community="",
            **{"action-publish": "1"},
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        activity.refresh_from_db()
        assert activity.audiences == ("condition", "older")
        assert list(activity.conditions.all()) == [dementia]

    def test_a_condition_audience_needs_its_conditions_named(self, client, moderator, activity):
        client.force_login(moderator)
        response = _save(client, activity, audience=["condition"], community="")
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["conditions"] == ["Choose the health conditions the activity is for."]
        activity.refresh_from_db()
        assert activity.audience == ""

    def test_women_only_and_men_only_cannot_both_be_ticked(self, client, moderator, activity):
        client.force_login(moderator)
        response = _save(client, activity, audience=["women", "men"], community="")
        assert response.status_code == 200
        assert response.context["form"].errors["audience"] == [
            "Choose women only or men only, not both."
        ]

    def test_a_community_audience_says_which(self, client, moderator, activity):
        client.force_login(moderator)
        response = _save(client, activity, audience=["community"], community="  ")
        assert response.status_code == 200
        assert response.context["form"].errors["community"] == [
            "Say which community the activity is for."
        ]

    def test_unknown_audience_values_are_dropped(self, client, moderator, activity):
        client.force_login(moderator)
        response = _save(
            client,
            activity,
            audience=["older", "<script>"],
            community="",
            **{"action-publish": "1"},
        )
        assert response.status_code == 302
        activity.refresh_from_db()
        assert activity.audience == "older"


@pytest.mark.django_db
def test_the_activity_page_says_whom_it_is_for(client, organisation):
    activity = ActivityFactory(
        parent=organisation,
        audience="condition",
        who_for="A friendly singing group",
    )
    activity.conditions.set([Condition.objects.get(slug="dementia")])
    activity.save_revision().publish()
    page = client.get(activity.url).content.decode()
    assert "A friendly singing group" in page
    assert "For people living with dementia" in page
    assert "Carers are welcome too" in page


# --- the demo borough -----------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_parent_groups_limit_the_childrens_ages_not_the_parents(directory):
    DemoBuilder(seed=2026, organisations=30, activities=120).build()
    buggy = Activity.objects.filter(title="Buggy walk").first()
    assert buggy is not None
    assert buggy.audiences == ("young_children",)
    assert (buggy.age_min, buggy.age_max, buggy.children_age_max) == (None, None, 1)
    brain = Activity.objects.filter(title="Singing for the brain").first()
    assert brain is not None
    assert brain.audiences == ("condition",)
    assert list(brain.conditions.values_list("slug", flat=True)) == ["dementia"]
    choir = Activity.objects.filter(title="Community choir").first()
    assert choir is not None and choir.audiences == ()
