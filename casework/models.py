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
