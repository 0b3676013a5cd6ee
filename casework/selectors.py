"""Reads for casework: which measures a team uses, and a person's scores as change over time
in words."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from matching.models import Person, Team
from matching.selectors import people_for_user

from .models import Case, Question, WellbeingMeasure, WellbeingScore


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


# Caseload -----------------------------------------------------------------------------------

FOLLOW_UP_DUE = "follow_up_due"
SORTS = {
    "follow_up": (F("case__follow_up_on").asc(nulls_last=True), "display_name", "pk"),
    "last_contact": (F("case__last_contact_on").asc(nulls_first=True), "display_name", "pk"),
    "name": ("display_name", "pk"),
}


def caseload(*, user, stage: str = "", worker: str = "", sort: str = "follow_up", today=None):
    """The people of the user's teams with their cases (`person.case_or_none`): filtered by
    stage ("follow_up_due" for those whose day has come) and link worker ("mine", or a user's
    key), sorted by the next follow-up, the last contact or the name. Unknown values are
    ignored: a filter is a view, not an input to refuse. Until a person's case is made, whoever
    made their record is their link worker (as `case_for` will make it, and as "mine" counts)."""
    today = today or timezone.localdate()
    people = (
        people_for_user(user)
        .select_related("case", "case__link_worker", "team", "created_by")
        .annotate(stage=Coalesce("case__stage", Value(Case.Stage.NEW)))
    )
    if worker == "mine":
        people = people.filter(Q(case__link_worker=user) | Q(case__isnull=True, created_by=user))
    elif worker.isdigit():
        people = people.filter(case__link_worker_id=int(worker))
    if stage == FOLLOW_UP_DUE:
        people = people.filter(case__follow_up_on__lte=today).exclude(stage=Case.Stage.CLOSED)
    elif stage in Case.Stage.values:
        people = people.filter(stage=stage)
    people = people.order_by(*SORTS.get(sort, SORTS["follow_up"]))
    found = list(people)
    summaries = wellbeing_summaries([person.pk for person in found])
    for person in found:
        # A missing reverse one-to-one raises an AttributeError subclass: getattr's default.
        person.case_or_none = getattr(person, "case", None)
        person.wellbeing = summaries.get(person.pk, NOT_MEASURED)
    return found


NOT_MEASURED = "Not measured yet"


def wellbeing_summaries(person_ids) -> dict[int, str]:
    """For each person, the change from their first to their latest score on the measure they
    were last scored on, in a few words ("Better on all 4", "Better on 2, worse on 1, same on
    1", "First score only"), read in one query. People with no score are left out."""
    by_person: dict[int, dict[int, list[WellbeingScore]]] = {}
    for score in WellbeingScore.objects.filter(person_id__in=person_ids).select_related(
        "measure"
    ):  # fmt: skip
        by_person.setdefault(score.person_id, {}).setdefault(score.measure_id, []).append(score)
    summaries = {}
    for person_id, by_measure in by_person.items():
        latest = max(by_measure.values(), key=lambda s: (s[-1].taken_on, s[-1].recorded_at))
        summaries[person_id] = _summary(MeasureHistory(latest[0].measure, latest))
    return summaries


def _summary(history: MeasureHistory) -> str:
    changes = history.changes
    if not changes:
        return "First score only"
    counts = {"better": 0, "worse": 0, "": 0}
    for change in changes:
        counts[change.direction] += 1
    if counts["better"] == len(changes):
        return f"Better on all {len(changes)}"
    if counts["worse"] == len(changes):
        return f"Worse on all {len(changes)}"
    if counts[""] == len(changes):
        return "No change"
    parts = [f"{word} on {counts[key]}" for key, word in
             (("better", "better"), ("worse", "worse"), ("", "same")) if counts[key]]  # fmt: skip
    return ", ".join(parts).capitalize()


def team_load(*, teams, today=None) -> list[dict]:
    """For team leads: each link worker's open cases and follow-ups due, per team."""
    today = today or timezone.localdate()
    rows = (
        Case.objects.filter(person__team__in=teams)
        .exclude(stage=Case.Stage.CLOSED)
        .values("person__team__name", "link_worker__first_name", "link_worker__last_name",
                "link_worker__username")
        .annotate(open=Count("pk"), due=Count("pk", filter=Q(follow_up_on__lte=today)))
        .order_by("person__team__name", "link_worker__first_name", "link_worker__username")
    )  # fmt: skip
    return [
        {
            "team": r["person__team__name"],
            "worker": " ".join(
                p for p in (r["link_worker__first_name"], r["link_worker__last_name"]) if p
            )
            or r["link_worker__username"]
            or "Nobody",
            "open": r["open"],
            "due": r["due"],
        }
        for r in rows
    ]


def case_notes(person) -> list:
    return list(person.case_notes.select_related("written_by"))
