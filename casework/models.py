"""Casework: what a team follows over time for each person. For now the wellbeing measure.

A `WellbeingMeasure` is a questionnaire on a numeric scale: ONS4 ships as every team's default
(created by a data migration); a team that licenses another adds it for its own people
(`teams`). A `WellbeingScore` is one set of answers, belonging to the person (it goes when
their record is erased).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils import timezone

from matching.models import Person, Team


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    text: str
    higher_is_better: bool = True


class WellbeingMeasure(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    source = models.CharField(
        max_length=255, blank=True, help_text="Who publishes it, and the licence it is used under."
    )
    # A list of {"key", "label", "text", "higher_is_better"}: the order is the form's.
    questions = models.JSONField()
    scale_min = models.SmallIntegerField(default=0)
    scale_max = models.SmallIntegerField(default=10)
    is_default = models.BooleanField(
        default=False, help_text="Offered to every team (ONS4); others only to `teams`."
    )
    teams = models.ManyToManyField(
        Team, blank=True, related_name="wellbeing_measures", help_text="Teams that license it."
    )

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")),
                name="wellbeing_measure_scale",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def question_list(self) -> list[Question]:
        return [
            Question(
                key=q["key"],
                label=q["label"],
                text=q["text"],
                higher_is_better=q.get("higher_is_better", True),
            )
            for q in self.questions
        ]


class WellbeingScore(models.Model):
    class Occasion(models.TextChoices):
        START = "start", "At the start"
        FOLLOW_UP = "follow_up", "At a follow-up"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="wellbeing_scores")
    measure = models.ForeignKey(WellbeingMeasure, on_delete=models.PROTECT, related_name="scores")
    # {question key: whole number on the measure's scale}
    answers = models.JSONField()
    taken_on = models.DateField(default=timezone.localdate)
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["taken_on", "recorded_at", "id"]

    def __str__(self):
        return f"{self.measure} on {self.taken_on:%d %b %Y}"


class Case(models.Model):
    """Where a person's support stands: its stage, who is their link worker, the last contact
    and the next step. One per person, made when first needed (`case_for`)."""

    class Stage(models.TextChoices):
        NEW = "new", "New"
        ASSESSING = "assessing", "Getting to know them"
        PLANNING = "planning", "Making a plan"
        SUPPORTED = "supported", "Supported"
        CLOSED = "closed", "Closed"

    class ClosedReason(models.TextChoices):
        GOALS_MET = "goals_met", "Doing what they wanted to"
        DECLINED = "declined", "No longer wants support"
        NO_CONTACT = "no_contact", "Could not get in touch"
        MOVED = "moved", "Moved away"
        ELSEWHERE = "elsewhere", "Supported by another service"
        OTHER = "other", "Another reason"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="case")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.NEW)
    closed_reason = models.CharField(
        "why it closed", max_length=20, choices=ClosedReason.choices, blank=True
    )
    link_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_contact_on = models.DateField("last contact", null=True, blank=True)
    next_step = models.CharField("next step", max_length=200, blank=True)
    follow_up_on = models.DateField("follow up on", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Case of {self.person}"

    def follow_up_due(self, today=None) -> bool:
        today = today or timezone.localdate()
        return (
            self.stage != self.Stage.CLOSED
            and self.follow_up_on is not None
            and self.follow_up_on <= today
        )

    @property
    def stage_label(self) -> str:
        """The stage, or "Follow-up due" when its day has come (the caseload's sixth stage)."""
        if self.follow_up_due():
            return "Follow-up due"
        return self.get_stage_display()


class CaseNote(models.Model):
    """A dated note on a person's support, by whom; audited when written."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="case_notes")
    text = models.TextField(max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"Note of {self.written_at:%d %b %Y}"
