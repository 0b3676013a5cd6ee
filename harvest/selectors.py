"""Reads for the harvest's pages and reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import strip_tags

from assets_directory.models import Activity, Organisation

from . import mapping
from .mapping import OrganisationData
from .models import (
    DuplicatePair,
    FeedSource,
    HarvestConflict,
    HarvestedRecord,
    HarvestProblem,
    HarvestRun,
    TermMapping,
)


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


# The harvest's pages in the admin -----------------------------------------------------------

# A term waits for a moderator until someone decides it (a rule or a person mapped it, or a
# person said it means nothing we list).
TERM_WAITING = Q(category__isnull=True, decided_at__isnull=True)
CONFLICT_WAITING = Q(decision=HarvestConflict.Decision.PENDING)


def _count_per_source(queryset, source_field: str = "source"):
    """How many rows of `queryset` belong to each feed, as a subquery of the feeds' query."""
    counted = (
        queryset.filter(**{source_field: OuterRef("pk")})
        .order_by()
        .values(source_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def feeds_overview() -> QuerySet[FeedSource]:
    """Every feed with its latest run's state and what waits for a moderator."""
    latest = HarvestRun.objects.filter(source=OuterRef("pk")).order_by("-queued_at", "-pk")
    return FeedSource.objects.annotate(
        latest_run_id=Subquery(latest.values("pk")[:1]),
        latest_run_state=Subquery(latest.values("state")[:1]),
        terms_waiting=_count_per_source(TermMapping.objects.filter(TERM_WAITING)),
        conflicts_waiting=_count_per_source(
            HarvestConflict.objects.filter(CONFLICT_WAITING), "record__source"
        ),
        gone=_count_per_source(HarvestedRecord.objects.filter(gone_since__isnull=False)),
    )


def terms_waiting_count() -> int:
    return TermMapping.objects.filter(TERM_WAITING).count()


def conflicts_waiting_count() -> int:
    return HarvestConflict.objects.filter(CONFLICT_WAITING).count()


def duplicates_waiting_count() -> int:
    return DuplicatePair.objects.filter(decision=DuplicatePair.Decision.PENDING).count()


TERM_FILTERS = {
    "waiting": TERM_WAITING,
    "mapped": Q(category__isnull=False),
    "all": Q(),
}


def terms_list(*, show: str = "waiting", source_id: int | None = None) -> QuerySet[TermMapping]:
    """The crosswalk's terms: those waiting for a moderator, those mapped, or all; of one feed
    or of every feed."""
    terms = TermMapping.objects.filter(TERM_FILTERS.get(show, TERM_WAITING)).select_related(
        "source", "category", "decided_by"
    )
    if source_id is not None:
        terms = terms.filter(source_id=source_id)
    return terms.order_by("source__name", "name", "pk")


def conflicts_waiting() -> QuerySet[HarvestConflict]:
    return (
        HarvestConflict.objects.filter(CONFLICT_WAITING)
        .select_related("record__source", "record__page")
        .order_by("-found_at", "-pk")
    )


def records_list(*, source: FeedSource, gone: bool = False) -> QuerySet[HarvestedRecord]:
    """A feed's organisations and activities (with their pages), or those a complete harvest
    no longer found."""
    records = source.records.filter(page__isnull=False).select_related("page")
    if gone:
        records = records.filter(gone_since__isnull=False).order_by("-gone_since", "pk")
    else:
        records = records.order_by("kind", "page__title", "pk")
    return records


@dataclass
class FieldChange:
    label: str
    ours: str
    theirs: str

    @property
    def differs(self) -> bool:
        return self.ours != self.theirs


def _shown(model, name: str, value) -> str:
    """A field's value in words, as a moderator reads it."""
    if value is None or value == "":
        return ""
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name == "description":
        return " ".join(strip_tags(value).split())
    return str(value)


def _label(model, name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


# What the feed gives an organisation, and where the directory keeps it.
ORGANISATION_FIELDS = [
    ("title", "name"),
    ("description", "description"),
    ("email", "email"),
    ("website", "website"),
    ("phone", "phone"),
    ("charity_number", "charity_number"),
    ("company_number", "company_number"),
]


def conflict_changes(conflict: HarvestConflict) -> list[FieldChange]:
    """Field by field: what the directory holds now, and what the feed now says."""
    record = conflict.record
    if record.kind == HarvestedRecord.Kind.ORGANIZATION:
        data = OrganisationData(**conflict.data)
        page = Organisation.objects.get(pk=record.page_id)
        return [
            FieldChange(
                _label(Organisation, ours),
                _shown(Organisation, ours, getattr(page, ours)),
                " ".join(str(getattr(data, theirs) or "").split()),
            )
            for ours, theirs in ORGANISATION_FIELDS
        ]
    service = mapping.read_service(conflict.data)
    activity = Activity.objects.select_related("venue").get(pk=record.page_id)
    changes = [
        FieldChange(
            _label(Activity, name),
            _shown(Activity, name, getattr(activity, name)),
            _shown(Activity, name, value),
        )
        for name, value in service.fields.items()
    ]
    venue = activity.venue
    changes.append(
        FieldChange(
            "Venue",
            ", ".join(filter(None, (venue.name, venue.postcode))) if venue else "",
            ", ".join(filter(None, (service.venue.name, service.venue.postcode)))
            if service.venue
            else "",
        )
    )
    changes.append(
        FieldChange(
            "Session times",
            "; ".join(s.describe() for s in activity.schedules.all()),
            "; ".join(
                activity.schedules.model(**s.session_fields()).describe() for s in service.schedules
            ),
        )
    )
    crosswalk = {
        t.key: t for t in TermMapping.objects.filter(source_id=record.source_id)
        .select_related("category")
    }  # fmt: skip
    changes.append(
        FieldChange(
            "Categories",
            "; ".join(sorted(str(c) for c in activity.categories.all())),
            "; ".join(
                str(crosswalk[t.key].category)
                if t.key in crosswalk and crosswalk[t.key].category
                else f"{t.name} (not mapped)"
                for t in service.terms
            ),
        )
    )
    return changes


def feed_health(source: FeedSource) -> list[tuple[str, str]]:
    """How the feed answered its last harvest from the web, in words (never only a sign)."""
    reachable = {None: "Not checked yet", True: "Yes", False: "No"}[source.reachable]
    valid = {
        None: "Not known yet",
        True: "Yes: nothing skipped",
        False: "No: some records were skipped, or the harvest failed",
    }[source.valid]
    return [
        ("Reachable", reachable),
        ("Valid", valid),
        (
            "Last harvested",
            timezone.localtime(source.harvested_at).strftime("%-d %B %Y, %H:%M")
            if source.harvested_at
            else "Never",
        ),
        (
            "Response time",
            f"{source.response_ms} ms" if source.response_ms is not None else "Not known",
        ),
        ("Last error", source.last_error or "None"),
    ]


def run_under_way(*, source: FeedSource) -> HarvestRun | None:
    """The feed's harvest waiting or running, if there is one (a feed is harvested once at a
    time: two at once would write the same records)."""
    return (
        source.runs.filter(state__in=[HarvestRun.State.QUEUED, HarvestRun.State.RUNNING])
        .order_by("-queued_at", "-pk")
        .first()
    )
