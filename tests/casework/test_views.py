"""The wellbeing page of a person's record, its section on the record, and the export."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import WellbeingScore
from matching.models import AuditEvent
from tests.casework.conftest import LATER, START
from tests.factories.casework import WellbeingScoreFactory
from tests.factories.matching import PersonFactory, TeamFactory, make_facilitator

pytestmark = pytest.mark.django_db


def url(person):
    return reverse("casework:wellbeing", args=[person.reference])


def post_data(answers, **extra):
    return {
        "measure": "ons4",
        **{k: str(v) for k, v in answers.items()},
        "taken_on": timezone.localdate().isoformat(),
        "occasion": "follow_up",
        **extra,
    }


@pytest.fixture
def started(person, ons4, facilitator):
    return WellbeingScoreFactory(person=person, answers=START, recorded_by=facilitator)


def test_the_page_offers_each_question_as_a_0_to_10_scale_in_a_fieldset(
    client, person, facilitator, ons4
):
    client.force_login(facilitator)
    response = client.get(url(person))

    page = response.content.decode()
    assert response.status_code == 200
    assert "No wellbeing scores yet." in page
    assert page.count("<fieldset") == 5  # four questions and the occasion
    assert "<legend>Overall, how happy did you feel yesterday?</legend>" in page
    assert page.count('type="radio" name="anxiety"') == 11
    assert 'value="start" id="id_occasion_0" required checked' in page
    assert AuditEvent.objects.filter(person=person, action="view", what="Wellbeing").exists()


def test_a_follow_up_score_shows_the_change_in_words(client, person, facilitator, started):
    client.force_login(facilitator)

    response = client.post(url(person), post_data(LATER))

    assert response.status_code == 302
    latest = WellbeingScore.objects.latest("id")
    assert (latest.answers, latest.occasion, latest.recorded_by) == (
        LATER, "follow_up", facilitator
    )  # fmt: skip
    page = client.get(url(person)).content.decode()
    assert "Life satisfaction: 4 → 7 (up 3, better)" in page
    assert "Anxiety: 6 → 4 (down 2, better)" in page
    assert '<th scope="col">Anxiety</th>' in page
    assert "(anxiety: lower is better)" in page


def test_a_form_with_missing_and_bad_answers_says_which_in_an_error_summary(
    client, person, facilitator, ons4
):
    client.force_login(facilitator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    answers = {**START, "life_satisfaction": 11}
    del answers["worthwhile"]

    response = client.post(url(person), post_data(answers, taken_on=tomorrow.isoformat()))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    # 11 is not on the scale; worthwhile is not answered.
    assert (
        '<a href="#id_life_satisfaction_0">Choose a number from 0 to 10 for life satisfaction</a>'
    ) in page
    assert '<a href="#id_worthwhile_0">Choose a number from 0 to 10 for worthwhile</a>' in page
    assert "must be today or in the past" in page
    assert not WellbeingScore.objects.exists()


def test_hostile_text_in_the_form_is_refused_not_stored(client, person, facilitator, ons4):
    client.force_login(facilitator)
    response = client.post(
        url(person),
        post_data({**START, "happiness": "<script>alert(1)</script>"}, occasion="<b>x</b>"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert not WellbeingScore.objects.exists()


def test_another_teams_person_is_not_found(client, person, ons4, started):
    other = make_facilitator(TeamFactory(name="Elsewhere"))
    client.force_login(other)

    assert client.get(url(person)).status_code == 404
    assert client.post(url(person), post_data(LATER)).status_code == 404
    assert WellbeingScore.objects.count() == 1
    assert not AuditEvent.objects.filter(actor=other).exists()


def test_the_record_shows_the_latest_score_and_its_change(client, person, facilitator, started):
    client.force_login(facilitator)
    record = reverse("matching:person", args=[person.reference])
    page = client.get(record).content.decode()
    assert "6. Wellbeing" in page
    assert "Anxiety: 6" in page
    assert url(person) in page

    WellbeingScoreFactory(person=person, answers=LATER, occasion="follow_up",
                          taken_on=timezone.localdate())  # fmt: skip
    page = client.get(record).content.decode()
    assert "Life satisfaction: 4 → 7 (up 3, better)" in page


def test_the_record_of_someone_without_a_score_offers_to_record_one(
    client, facilitator, team, ons4
):
    someone = PersonFactory(team=team)
    client.force_login(facilitator)
    page = client.get(reverse("matching:person", args=[someone.reference])).content.decode()
    assert "Record their wellbeing at the start" in page


def test_the_export_includes_every_score_in_words(client, person, facilitator, started):
    WellbeingScoreFactory(person=person, answers=LATER, occasion="follow_up",
                          taken_on=timezone.localdate())  # fmt: skip
    client.force_login(facilitator)

    data = json.loads(client.get(reverse("matching:export_json", args=[person.reference])).content)
    printable = client.get(reverse("matching:export_print", args=[person.reference]))

    scores = data["wellbeing"]
    assert [s["occasion"] for s in scores] == ["At the start", "At a follow-up"]
    assert scores[0]["measure"] == "ONS4 personal wellbeing"
    assert scores[0]["answers"][0] == {
        "question": "Overall, how satisfied are you with your life nowadays?",
        "answer": 4,
    }
    assert scores[1]["answers"][3]["answer"] == 4
    page = printable.content.decode()
    assert "<h2>Wellbeing</h2>" in page
    assert "(at a follow-up)" in page
    assert "7 (of 0 to 10)" in page
