"""Writes to casework. Keyword-only, validated here whatever the form checked, audited on the
person's record, and only for a person whose consent is current (as matching's writes)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from matching.models import AuditEvent, Person
from matching.services import audit_record

from .measures import ONS4
from .models import WellbeingMeasure, WellbeingScore
from .selectors import measures_for_team


@transaction.atomic
def wellbeing_score_record(
    *,
    person: Person,
    by,
    measure: WellbeingMeasure,
    answers: Mapping[str, int],
    taken_on: datetime.date | None = None,
    occasion: str,
) -> WellbeingScore:
    """One set of answers to `measure`, taken on `taken_on` (today if not given, never in the
    future). ValidationError naming the field: each question's key, `taken_on`, `occasion` or
    `measure`."""
    if person.current_consent is None:
        raise ValidationError("Record their consent before saving anything about them.")
    if not measures_for_team(person.team).filter(pk=measure.pk).exists():
        raise ValidationError({"measure": f"{measure.name} is not used by {person.team.name}."})
    errors: dict[str, str] = {}
    questions = measure.question_list
    keys = {q.key for q in questions}
    clean: dict[str, int] = {}
    for question in questions:
        value = answers.get(question.key) if isinstance(answers, Mapping) else None
        # A bool is an int to Python, and never an answer; nor is a string, however numeric.
        if value is None or value == "":
            errors[question.key] = (
                f"Choose a number from {measure.scale_min} to {measure.scale_max} "
                f"for {question.label.lower()}"
            )
        elif isinstance(value, bool) or not isinstance(value, int):
            errors[question.key] = f"{question.label}: the answer must be a whole number"
        elif not measure.scale_min <= value <= measure.scale_max:
            errors[question.key] = (
                f"{question.label}: the answer must be from {measure.scale_min} "
                f"to {measure.scale_max}"
            )
        else:
            clean[question.key] = value
    if isinstance(answers, Mapping) and set(answers) - keys:
        errors["answers"] = f"Only the questions of {measure.name} can be answered."
    today = timezone.localdate()
    taken_on = taken_on if taken_on is not None else today
    if not isinstance(taken_on, datetime.date) or isinstance(taken_on, datetime.datetime):
        errors["taken_on"] = "The date it was taken must be a real date"
    elif taken_on > today:
        errors["taken_on"] = "The date it was taken must be today or in the past"
    if occasion not in WellbeingScore.Occasion.values:
        errors["occasion"] = "Choose whether it was taken at the start or at a follow-up"
    if errors:
        raise ValidationError(errors)
    score = WellbeingScore.objects.create(
        person=person,
        measure=measure,
        answers=clean,
        taken_on=taken_on,
        occasion=occasion,
        recorded_by=by,
    )
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what=f"Wellbeing: {measure.name}")  # fmt: skip
    return score


def wellbeing_measure_ons4() -> WellbeingMeasure:
    """ONS4, as the data migration made it; made again if a test's flush removed it."""
    fields = {k: v for k, v in ONS4.items() if k != "slug"}
    return WellbeingMeasure.objects.get_or_create(slug=ONS4["slug"], defaults=fields)[0]
