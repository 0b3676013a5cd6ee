"""About the person in the facilitated flow: what they say of themselves is saved and reaches
the matcher; health conditions only with their consent, and gone when it is withdrawn."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.forms.about import AboutForm
from matching.models import Preferences
from matching.selectors import answers_for_person
from matching.services import ConsentAnswers, consent_update, preferences_save

pytestmark = pytest.mark.django_db


def url(name, person):
    return reverse(f"matching:{name}", kwargs={"reference": person.reference})


@pytest.fixture
def signed_in(client, facilitator):
    client.force_login(facilitator)
    return client


def agree_to_health(person, by, agree=True):
    consent_update(
        person=person,
        by=by,
        consent=ConsentAnswers(keep_record=True, health_conditions=agree),
    )


def test_answers_about_them_are_saved_and_reach_the_matcher(signed_in, person):
    response = signed_in.post(
        url("about", person),
        {"age_band": "65_plus", "young_children": "", "cares_for": "on", "single_sex": "women"},
    )
    assert response.status_code == 302
    assert response["Location"] == url("suggestions", person)
    preferences = Preferences.objects.get(person=person)
    assert (preferences.age_band, preferences.cares_for, preferences.single_sex) == (
        "65_plus",
        True,
        "women",
    )
    answers = answers_for_person(person)
    assert answers["age_band"] == "65_plus" and answers["cares_for"] is True
    assert "conditions" not in answers


def test_without_consent_no_health_question_is_asked_or_saved(signed_in, person):
    page = signed_in.get(url("about", person)).content.decode()
    assert 'name="conditions"' not in page
    assert "record their consent to it" in page
    # A crafted post cannot slip them in: the form has no such field.
    signed_in.post(url("about", person), {"age_band": "", "conditions": ["dementia"]})
    assert Preferences.objects.get(person=person).conditions == []


def test_the_service_refuses_conditions_without_consent(person, facilitator):
    with pytest.raises(ValidationError, match="consent to note health conditions"):
        preferences_save(person=person, by=facilitator, conditions=["dementia"])


def test_with_consent_conditions_are_noted_and_used(signed_in, person, facilitator):
    agree_to_health(person, facilitator)
    page = signed_in.get(url("about", person)).content.decode()
    assert 'name="conditions"' in page and "Dementia" in page
    signed_in.post(
        url("about", person),
        {"conditions": ["lung-conditions"], "cares_for": "on", "cared_for_conditions": ["stroke"]},
    )
    answers = answers_for_person(person)
    assert answers["conditions"] == ["lung-conditions"]
    assert answers["cared_for_conditions"] == ["stroke"]


def test_withdrawing_consent_deletes_the_conditions(person, facilitator):
    agree_to_health(person, facilitator)
    preferences_save(person=person, by=facilitator, conditions=["dementia"])
    agree_to_health(person, facilitator, agree=False)
    assert Preferences.objects.get(person=person).conditions == []
    assert "conditions" not in answers_for_person(person)


def test_their_conditions_need_them_to_be_a_carer(signed_in, person, facilitator):
    agree_to_health(person, facilitator)
    response = signed_in.post(url("about", person), {"cared_for_conditions": ["stroke"]})
    assert response.status_code == 200
    assert response.context["form"].errors["cares_for"] == [
        "Tick that you care for someone, or leave their conditions empty."
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [("age_band", "<script>alert(1)</script>"), ("single_sex", "both"), ("age_band", "ancient")],
)
def test_bad_answers_are_refused_naming_the_field(signed_in, person, field, value):
    response = signed_in.post(url("about", person), {field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert "<script>" not in response.content.decode()
    assert not Preferences.objects.filter(person=person).exists()


def test_another_teams_facilitator_cannot_see_or_change_it(client, other_facilitator, person):
    client.force_login(other_facilitator)
    assert client.get(url("about", person)).status_code == 404
    assert client.post(url("about", person), {"age_band": "65_plus"}).status_code == 404
    assert not Preferences.objects.filter(person=person).exists()


def test_the_form_round_trips_the_answers_the_kiosk_carries():
    conditions = {"dementia": "Dementia", "stroke": "Stroke"}
    answers = {
        "age_band": "50_to_64",
        "cares_for": True,
        "young_children": False,
        "single_sex": "men",
        "conditions": ["stroke"],
        "cared_for_conditions": ["dementia"],
    }
    initial = AboutForm.initial_from_answers(answers)
    data = {k: v for k, v in initial.items() if v not in (False, "")}
    data = {k: ("on" if v is True else v) for k, v in data.items()}
    form = AboutForm(data, conditions=conditions)
    assert form.is_valid(), form.errors
    assert form.answers() == {k: v for k, v in answers.items() if v is not False} | {
        "young_children": False
    }
