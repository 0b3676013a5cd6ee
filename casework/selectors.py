"""Reads for casework: which measures a team uses, and a person's scores as change over time
in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from matching.models import Person, Team

from .models import Question, WellbeingMeasure, WellbeingScore


def measures_for_team(team: Team) -> QuerySet[WellbeingMeasure]:
    """Every team's default (ONS4) and those the team licenses."""
    return WellbeingMeasure.objects.filter(Q(is_default=True) | Q(teams=team)).distinct()


@dataclass(frozen=True)
class Change:
    question: Question
    first: int
    latest: int

    @property
    def difference(self) -> int:
        return self.latest - self.first

    @property
    def direction(self) -> str:
        """ "better", "worse" or "" (no change), whichever way is better for the question."""
        if self.difference == 0:
            return ""
        improved = (self.difference > 0) == self.question.higher_is_better
        return "better" if improved else "worse"

    @property
    def in_words(self) -> str:
        """ "Life satisfaction: 4 → 7 (up 3, better)"; "Anxiety: 6 → 4 (down 2, better)"."""
        start = f"{self.question.label}: {self.first} → {self.latest}"
        if self.difference == 0:
            return f"{start} (no change)"
        way = "up" if self.difference > 0 else "down"
        return f"{start} ({way} {abs(self.difference)}, {self.direction})"


@dataclass(frozen=True)
class MeasureHistory:
    """A person's scores on one measure, oldest first, and the change from the first to the
    latest for each question (none until there are two)."""

    measure: WellbeingMeasure
    scores: list[WellbeingScore]

    @property
    def rows(self) -> list[tuple[WellbeingScore, list[int | None]]]:
        keys = [q.key for q in self.measure.question_list]
        return [(s, [s.answers.get(k) for k in keys]) for s in self.scores]

    @property
    def first(self) -> WellbeingScore:
        return self.scores[0]

    @property
    def latest(self) -> WellbeingScore:
        return self.scores[-1]

    @property
    def latest_answers(self) -> list[tuple[Question, int | None]]:
        return [(q, self.latest.answers.get(q.key)) for q in self.measure.question_list]

    @property
    def changes(self) -> list[Change]:
        if len(self.scores) < 2:
            return []
        return [
            Change(q, self.first.answers[q.key], self.latest.answers[q.key])
            for q in self.measure.question_list
            if q.key in self.first.answers and q.key in self.latest.answers
        ]


def wellbeing_history(person: Person) -> list[MeasureHistory]:
    """The person's scores grouped by measure; the measure last used first."""
    scores = list(
        WellbeingScore.objects.filter(person=person).select_related("measure", "recorded_by")
    )
    by_measure: dict[int, list[WellbeingScore]] = {}
    for score in scores:
        by_measure.setdefault(score.measure_id, []).append(score)
    histories = [MeasureHistory(found[0].measure, found) for found in by_measure.values()]
    return sorted(histories, key=lambda h: (h.latest.taken_on, h.latest.recorded_at), reverse=True)
