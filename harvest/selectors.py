"""Reads for the harvest's pages and reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Q
from django.utils import timezone

from .models import FeedSource, HarvestProblem, HarvestRun


def feeds_due(*, now: datetime.datetime | None = None) -> list[FeedSource]:
    """Enabled feeds on a schedule whose last harvest is older than their interval, with no
    harvest waiting or running."""
    now = now or timezone.now()
    busy = HarvestRun.objects.filter(
        state__in=[HarvestRun.State.QUEUED, HarvestRun.State.RUNNING]
    ).values("source_id")
    due = []
    candidates = (
        FeedSource.objects.filter(
            enabled=True, harvest_every_hours__isnull=False, harvest_every_hours__gt=0
        )
        .exclude(url="")
        .exclude(pk__in=busy)
    )
    for source in candidates.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=now)):
        last = source.checked_at or source.harvested_at
        if last is None or now - last >= datetime.timedelta(hours=source.harvest_every_hours):
            due.append(source)
    return due


def run_summary(run: HarvestRun) -> str:
    seconds = (
        (run.finished_at - run.started_at).total_seconds()
        if run.finished_at and run.started_at
        else None
    )
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    return (
        f"{run.seen} read{took}: {run.created} new, {run.updated} changed, "
        f"{run.unchanged} unchanged, {run.skipped} skipped, {run.conflicts} waiting as "
        f"conflicts, {run.disappeared} no longer in the feed."
    )


def run_report(run: HarvestRun, *, limit: int | None = 100) -> Iterator[str]:
    """The run's report as lines of text: the totals, then each problem."""
    yield f"{run.source.name}: {run.get_state_display().lower()}. {run_summary(run)}"
    if run.error:
        yield f"Stopped: {run.error}"
    problems = run.problems.all()
    if limit is not None:
        problems = problems[:limit]
    for problem in problems:
        yield "  " + problem_line(problem)
    shown = run.problems.count()
    if limit is not None and shown > limit:
        yield f"  … and {shown - limit} more."


def problem_line(problem: HarvestProblem) -> str:
    where = f"record {problem.position}" if problem.position else "a record"
    who = f" ({problem.name})" if problem.name else ""
    ident = f" [{problem.source_id}]" if problem.source_id else ""
    field = f"{problem.field}: " if problem.field else ""
    label = "skipped" if problem.severity == problem.Severity.SKIPPED else "note"
    return f"{label}, {where}{who}{ident}: {field}{problem.reason}"
