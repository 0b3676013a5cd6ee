"""Recording wellbeing scores: every question answered with a whole number on the scale, a
date not in the future, consent, audit; the change in words; erasure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import WellbeingMeasure, WellbeingScore
from casework.selectors import measures_for_team, wellbeing_history
from casework.services import wellbeing_score_record
from matching.models import AuditEvent
from matching.services import person_erase
from tests.casework.conftest import LATER, START
from tests.factories.casework import WellbeingMeasureFactory
from tests.factories.matching import TeamFactory
from tests.matching.test_people_views import _rows_mentioning

pytestmark = pytest.mark.django_db


def record(person, by, measure, answers, **kwargs):
    kwargs.setdefault("occasion", "start")
    return wellbeing_score_record(person=person, by=by, measure=measure, answers=answers, **kwargs)


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_the_migration_makes_ons4_the_default_with_anxiety_better_low():
    ons4 = WellbeingMeasure.objects.get(slug="ons4")
    assert ons4.is_default and (ons4.scale_min, ons4.scale_max) == (0, 10)
    questions = ons4.question_list
    assert [q.label for q in questions] == [
        "Life satisfaction", "Worthwhile", "Happiness", "Anxiety"
    ]  # fmt: skip
    assert questions[0].text == "Overall, how satisfied are you with your life nowadays?"
    assert [q.higher_is_better for q in questions] == [True, True, True, False]


def test_a_score_is_recorded_for_today_and_audited(person, facilitator, ons4):
    score = record(person, facilitator, ons4, START)

    assert score.answers == START
    assert score.taken_on == timezone.localdate()
    assert (score.occasion, score.recorded_by) == ("start", facilitator)
    assert AuditEvent.objects.filter(
        person=person, actor=facilitator, action="create", what="Wellbeing: ONS4 personal wellbeing"
    ).exists()


@pytest.mark.parametrize("value", [-1, 11, 100])
def test_an_answer_outside_the_scale_is_refused_naming_the_question(
    person, facilitator, ons4, value
):
    errors = errors_of(lambda: record(person, facilitator, ons4, {**START, "anxiety": value}))
    assert list(errors) == ["anxiety"]
    assert "from 0 to 10" in errors["anxiety"][0]
    assert not WellbeingScore.objects.exists()


def test_every_question_must_be_answered(person, facilitator, ons4):
    answers = {k: v for k, v in START.items() if k != "happiness"}
    errors = errors_of(lambda: record(person, facilitator, ons4, answers))
    assert list(errors) == ["happiness"]
    assert errors["happiness"] == ["Choose a number from 0 to 10 for happiness"]


@pytest.mark.parametrize(
    "value", ["7", 7.5, True, None, "", "<script>alert(1)</script>", "7; DROP TABLE x", [7]]
)
def test_only_whole_numbers_are_answers(person, facilitator, ons4, value):
    errors = errors_of(
        lambda: record(person, facilitator, ons4, {**START, "life_satisfaction": value})
    )
    assert list(errors) == ["life_satisfaction"]
    assert not WellbeingScore.objects.exists()


def test_questions_the_measure_does_not_ask_are_refused(person, facilitator, ons4):
    errors = errors_of(lambda: record(person, facilitator, ons4, {**START, "<b>extra</b>": 3}))
    assert list(errors) == ["answers"]


def test_a_score_cannot_be_dated_in_the_future(person, facilitator, ons4):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = errors_of(lambda: record(person, facilitator, ons4, START, taken_on=tomorrow))
    assert list(errors) == ["taken_on"]


def test_a_score_can_be_dated_in_the_past(person, facilitator, ons4):
    score = record(person, facilitator, ons4, START, taken_on=datetime.date(2026, 1, 5))
    assert score.taken_on == datetime.date(2026, 1, 5)


@pytest.mark.parametrize("occasion", ["", "later", "<script>"])
def test_the_occasion_is_the_start_or_a_follow_up(person, facilitator, ons4, occasion):
    errors = errors_of(lambda: record(person, facilitator, ons4, START, occasion=occasion))
    assert list(errors) == ["occasion"]


def test_no_score_without_current_consent(person, facilitator, ons4):
    person.consents.update(withdrawn_at=timezone.now())
    with pytest.raises(ValidationError, match="consent"):
        record(person, facilitator, ons4, START)
    assert not WellbeingScore.objects.exists()


def test_a_licensed_measure_is_for_the_teams_that_license_it(person, facilitator, team, ons4):
    licensed = WellbeingMeasureFactory(name="Calm and company")
    errors = errors_of(lambda: record(person, facilitator, licensed, {"calm": 3, "lonely": 2}))
    assert list(errors) == ["measure"]

    licensed.teams.add(team)
    assert set(measures_for_team(team)) == {ons4, licensed}
    assert list(measures_for_team(TeamFactory(name="Elsewhere"))) == [ons4]
    score = record(person, facilitator, licensed, {"calm": 3, "lonely": 2})
    assert score.measure == licensed
    # Its own scale: 1 to 5.
    errors = errors_of(lambda: record(person, facilitator, licensed, {"calm": 0, "lonely": 6}))
    assert set(errors) == {"calm", "lonely"}


def test_the_change_is_said_in_words_anxiety_better_when_lower(person, facilitator, ons4):
    record(person, facilitator, ons4, START, taken_on=datetime.date(2026, 10, 1))
    record(person, facilitator, ons4, {**START, "happiness": 9}, occasion="follow_up",
           taken_on=datetime.date(2026, 11, 1))  # fmt: skip
    record(person, facilitator, ons4, LATER, occasion="follow_up")

    (history,) = wellbeing_history(person)

    assert [s.answers for s in history.scores] == [START, {**START, "happiness": 9}, LATER]
    assert [c.in_words for c in history.changes] == [
        "Life satisfaction: 4 → 7 (up 3, better)",
        "Worthwhile: 5 → 5 (no change)",
        "Happiness: 3 → 6 (up 3, better)",
        "Anxiety: 6 → 4 (down 2, better)",
    ]


def test_anxiety_going_up_is_worse_and_satisfaction_going_down_is_worse(person, facilitator, ons4):
    record(person, facilitator, ons4, LATER, taken_on=datetime.date(2026, 10, 1))
    record(person, facilitator, ons4, START, occasion="follow_up")

    (history,) = wellbeing_history(person)

    words = [c.in_words for c in history.changes]
    assert words[0] == "Life satisfaction: 7 → 4 (down 3, worse)"
    assert words[3] == "Anxiety: 4 → 6 (up 2, worse)"


def test_one_score_has_no_change_yet(person, facilitator, ons4):
    record(person, facilitator, ons4, START)
    (history,) = wellbeing_history(person)
    assert history.changes == []


def test_erasure_removes_every_score(person, facilitator, ons4):
    person.display_name = "Marker-Wellbeing"
    person.save()
    record(
        person, facilitator, ons4, {**START, "worthwhile": 9}, taken_on=datetime.date(2026, 1, 5)
    )
    record(person, facilitator, ons4, LATER, occasion="follow_up")
    markers = [str(person.reference), person.reference.hex, "Marker-Wellbeing", '"worthwhile": 9']
    assert _rows_mentioning(markers), "the scan must see the scores before erasure"

    person_erase(person=person, by=facilitator)

    assert _rows_mentioning(markers) == []
    assert not WellbeingScore.objects.exists()
    # The measure is the team's, not the person's: it stays.
    assert WellbeingMeasure.objects.filter(slug="ons4").exists()
