"""Writes of the commissioners' figures."""

from __future__ import annotations

import csv
import datetime
import io
import logging
import tempfile

from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone

from common import deprivation

from .models import EnglandRun, SupplySnapshot
from .selectors import (
    DistrictGaps,
    district,
    district_gaps,
    district_gaps_cached,
    theme_totals,
    unique_areas,
)

logger = logging.getLogger(__name__)

# A run of England that has not moved on for this long stopped without finishing.
ENGLAND_STALLED = datetime.timedelta(minutes=30)


def supply_snapshot_take(*, found: DistrictGaps, on: datetime.date | None = None) -> int:
    """Record the district's supply of each kind of activity on a day (today), replacing that
    day's record if there is one. Returns how many kinds were recorded."""
    on = on or timezone.localdate()
    totals = theme_totals(found)
    SupplySnapshot.objects.bulk_create(
        [
            SupplySnapshot(
                district=found.district, taken_on=on, theme=t.theme, theme_name=t.name,
                walk_hours=t.hours, residents=t.residents, residents_without=t.without,
            )
            for t in totals
        ],
        update_conflicts=True,
        unique_fields=["district", "taken_on", "theme"],
        update_fields=["theme_name", "walk_hours", "residents", "residents_without"],
    )  # fmt: skip
    return len(totals)


def district_figures_refresh(*, lad_code: str | None = None) -> int:
    """Work the district's figures out if the directory changed since they were kept, and
    record today's supply: what the periodic task does, so that views find them ready."""
    return supply_snapshot_take(found=district_gaps_cached(lad_code or district()))


ENGLAND_CSV_HEADINGS = [
    "Local authority code", "Local authority", "Area code", "Area", "Outward code",
    "Kind of activity", "IMD decile", "Health decile", "Residents",
    "Hours a week within walking distance per 1,000", "Hours a week within a short trip per 1,000",
    "Hours a week online or by phone", "Nearest (m)", "Searches that found nothing", "Gap score",
]  # fmt: skip


def england_run_start(*, by=None) -> tuple[EnglandRun, bool]:
    """Queue the analysis of all of England, unless one is queued or running already (that one
    is returned). Returns (run, started)."""
    with transaction.atomic():
        waiting = [EnglandRun.Status.QUEUED, EnglandRun.Status.RUNNING]
        # A worker that died leaves its run unfinished: it must not block every later one.
        EnglandRun.objects.filter(
            status__in=waiting, updated_at__lt=timezone.now() - ENGLAND_STALLED
        ).update(
            status=EnglandRun.Status.FAILED,
            finished_at=timezone.now(),
            error="It stopped without finishing (nothing moved for half an hour).",
        )
        busy = EnglandRun.objects.select_for_update().filter(status__in=waiting).first()
        if busy is not None:
            return busy, False
        run = EnglandRun.objects.create(
            started_by=by if getattr(by, "is_authenticated", False) else None,
            districts_total=len(deprivation.districts()),
        )
    return run, True


def england_run_execute(*, run_id: int) -> EnglandRun:
    """Work out the gaps of every district of England, recording progress after each, then
    keep each local authority's summary and every row as a CSV file. A failure is recorded on
    the run, not raised: the page says what went wrong."""
    run = EnglandRun.objects.get(pk=run_id)
    if run.status != EnglandRun.Status.QUEUED:
        return run
    names = deprivation.districts()
    EnglandRun.objects.filter(pk=run.pk).update(
        status=EnglandRun.Status.RUNNING,
        started_at=timezone.now(),
        updated_at=timezone.now(),
        districts_total=len(names),
    )
    summary = []
    areas_done = 0
    # England's rows (three quarters of a million) go to a file on disk, not into memory.
    with tempfile.TemporaryFile() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow(ENGLAND_CSV_HEADINGS)
        try:
            for done, (lad_code, lad_name) in enumerate(names.items(), start=1):
                found = district_gaps(lad_code, explained=False)
                summary.append(_district_summary(found, lad_name))
                for r in found.rows:
                    writer.writerow(
                        [lad_code, lad_name, r.area.code, r.area.name, r.outcode, r.theme_name,
                         r.area.imd_decile, r.area.health_decile, r.area.population,
                         round(r.supply.walk_per_1000, 2), round(r.supply.trip_per_1000, 2),
                         r.supply.remote_hours,
                         "" if r.supply.nearest_m is None else round(r.supply.nearest_m),
                         r.need.searches, round(r.score, 3)]
                    )  # fmt: skip
                areas_done += found.areas
                EnglandRun.objects.filter(pk=run.pk).update(
                    districts_done=done, areas_done=areas_done, updated_at=timezone.now()
                )
            text.flush()
            raw.seek(0)
            run.refresh_from_db()
            run.summary = summary
            run.file.save(
                f"england-gaps-{timezone.localdate():%Y-%m-%d}-{run.pk}.csv", File(raw), save=False
            )
        except (DatabaseError, OSError, ValueError) as exc:
            EnglandRun.objects.filter(pk=run.pk).update(
                status=EnglandRun.Status.FAILED, finished_at=timezone.now(), error=str(exc)[:1000]
            )
            logger.exception("The analysis of England (run %s) failed", run.pk)
            return EnglandRun.objects.get(pk=run.pk)
        finally:
            text.close()
    run.status = EnglandRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["summary", "file", "status", "finished_at"])
    return run


def _district_summary(found, lad_name: str) -> dict:
    areas = unique_areas(found)
    totals = theme_totals(found)
    worst = max(totals, key=lambda t: (t.without, t.theme), default=None)
    top = found.rows[0] if found.rows else None
    residents = sum(a.population for a in areas)
    return {
        "code": found.district,
        "name": lad_name,
        "areas": found.areas,
        "residents": residents,
        # Where most of its residents live: the map of England draws it there.
        "lat": _weighted(areas, "lat"),
        "lng": _weighted(areas, "lng"),
        "without": {t.theme: t.without for t in totals},
        "core20_residents": sum(
            a.population for a in areas if a.imd_decile in deprivation.CORE20_DECILES
        ),
        "fewest_reached": worst.name if worst else "",
        "fewest_reached_without": worst.without if worst else 0,
        "biggest_gap": f"{top.area.name}: {top.theme_name}" if top else "",
        "biggest_gap_score": round(top.score, 3) if top else 0,
    }


def _weighted(areas, attribute: str) -> float | None:
    """The areas' mean of `attribute` weighted by residents (None for no residents)."""
    residents = sum(a.population for a in areas)
    if not residents:
        return None
    return round(sum(getattr(a, attribute) * a.population for a in areas) / residents, 5)
