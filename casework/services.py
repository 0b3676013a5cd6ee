"""Writes to casework. Keyword-only, validated here whatever the form checked, audited on the
person's record, and only for a person whose consent is current (as matching's writes)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from common.mail import mail_send
from common.site import absolute_url
from matching.models import AuditEvent, Person, TeamMembership
from matching.services import audit_record

from .measures import ONS4
from .models import Case, CaseNote, WellbeingMeasure, WellbeingScore
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


# Caseload -----------------------------------------------------------------------------------


def _require_consent(person: Person) -> None:
    if person.current_consent is None:
        raise ValidationError("Record their consent before saving anything about them.")


def case_for(person: Person) -> Case:
    """The person's case, made (as new, with whoever made the record as link worker) the
    first time it is asked for."""
    case, _ = Case.objects.get_or_create(person=person, defaults={"link_worker": person.created_by})
    return case


@transaction.atomic
def case_update(
    *,
    person: Person,
    by,
    stage: str,
    closed_reason: str = "",
    last_contact_on: datetime.date | None = None,
    next_step: str = "",
    follow_up_on: datetime.date | None = None,
) -> Case:
    """Where the person's support stands now. ValidationError (by field) for a stage or reason
    not offered, a closed case without a reason, or a last contact in the future."""
    _require_consent(person)
    case = case_for(person)
    errors = {}
    if stage not in Case.Stage.values:
        errors["stage"] = "Choose one of the stages offered."
    if stage == Case.Stage.CLOSED:
        if closed_reason not in Case.ClosedReason.values:
            errors["closed_reason"] = "Say why the case is closed, choosing one of the reasons."
    else:
        closed_reason = ""
    if last_contact_on is not None and last_contact_on > timezone.localdate():
        errors["last_contact_on"] = "The last contact cannot be in the future."
    if errors:
        raise ValidationError(errors)
    case.stage = stage
    case.closed_reason = closed_reason
    case.last_contact_on = last_contact_on
    case.next_step = next_step.strip()[:200]
    case.follow_up_on = None if stage == Case.Stage.CLOSED else follow_up_on
    case.save()
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                 what=f"Case: {case.get_stage_display()}")  # fmt: skip
    return case


# The stages before support begins: a referral moves the case on from any of them.
BEFORE_SUPPORT = (Case.Stage.NEW, Case.Stage.ASSESSING, Case.Stage.PLANNING)


@transaction.atomic
def case_support_begin(*, person: Person, by) -> Case:
    """A referral has been made for the person: a case not yet at "Supported" moves there
    (a closed case, or one already further on, is left as it is). Audited when it moves."""
    case = case_for(person)
    if case.stage in BEFORE_SUPPORT:
        case.stage = Case.Stage.SUPPORTED
        case.save(update_fields=["stage"])
        audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                     what="Case: Supported (a referral was made)")  # fmt: skip
    return case


@transaction.atomic
def case_note_add(*, person: Person, by, text: str) -> CaseNote:
    _require_consent(person)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the note."})
    if len(text) > 2000:
        raise ValidationError({"text": "Keep the note to 2,000 characters."})
    note = CaseNote.objects.create(person=person, text=text, written_by=by)
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CREATE,
                 what="Case note")  # fmt: skip
    return note


@transaction.atomic
def case_hand_over(*, person: Person, by, to) -> Case:
    """Make `to`, a facilitator of the person's team, their link worker, and tell them."""
    _require_consent(person)
    if not TeamMembership.objects.filter(team=person.team, user=to, user__is_active=True).exists():
        raise ValidationError({"to": "Choose someone in the person's team."})
    case = case_for(person)
    case.link_worker = to
    case.save(update_fields=["link_worker", "updated_at"])
    name = to.get_full_name() or to.get_username()
    audit_record(team=person.team, person=person, actor=by, action=AuditEvent.Action.CHANGE,
                 what=f"Handed over to {name}"[:120])  # fmt: skip
    if to.email and to != by:
        mail_send(
            subject="Someone has been handed over to you",
            template="casework/emails/handed_over.txt",
            context={
                "by": by.get_full_name() or by.get_username(),
                "link": absolute_url(reverse("matching:person", args=[person.reference])),
            },
            to=[to.email],
        )
    return case


def follow_up_reminders_send(*, today: datetime.date | None = None) -> int:
    """Daily (Celery beat): each link worker with follow-ups due today is e-mailed how many,
    with a link to their caseload; no names in the e-mail. Returns how many were e-mailed."""
    today = today or timezone.localdate()
    due = (
        Case.objects.filter(follow_up_on=today, link_worker__is_active=True)
        .exclude(stage=Case.Stage.CLOSED)
        .exclude(link_worker__email="")
        .values("link_worker__email")
        .annotate(count=Count("pk"))
    )
    link = absolute_url(reverse("casework:caseload") + "?stage=follow_up_due")
    sent = 0
    for row in due:
        count = row["count"]
        mail_send(
            subject=f"{count} follow-up{'s' if count != 1 else ''} due today",
            template="casework/emails/follow_ups_due.txt",
            context={"count": count, "link": link},
            to=[row["link_worker__email"]],
        )
        sent += 1
    return sent
