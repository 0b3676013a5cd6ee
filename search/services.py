"""Writes to the search index. Only these (and the rebuild command) talk to the backend."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.utils import timezone

from assets_directory.models import Activity

from .backends import get_backend
from .backends.base import ProgressCallback
from .documents import documents_for, indexable_activities, iter_documents
from .models import IndexJournal, SupplyEntry, ZeroResultSearch

logger = logging.getLogger(__name__)

# Allows for clocks of different workers that disagree a little.
JOURNAL_MARGIN = datetime.timedelta(seconds=5)
# Longer than any rebuild takes.
JOURNAL_KEEP = datetime.timedelta(days=1)
# The journal's entry for a rebuild: no activity has this id.
REBUILT = 0


def zero_result_record(*, parsed) -> ZeroResultSearch:
    """Note a search that found nothing, keeping no personal detail."""
    query = parsed.query
    filters = []
    if query.day_slugs:
        filters.append("day=" + ",".join(query.day_slugs))
    if query.time_window:
        filters.append(f"time={query.time_window.start:%H:%M}-{query.time_window.end:%H:%M}")
    if query.free_only:
        filters.append("free")
    if query.max_cost is not None:
        filters.append(f"max_cost={query.max_cost}")
    if query.access:
        filters.append("access=" + ",".join(query.access))
    if query.delivery:
        filters.append("delivery=" + ",".join(query.delivery))
    if query.radius_m:
        filters.append(f"radius_km={query.radius_m / 1000:g}")
    return ZeroResultSearch.objects.create(
        terms=" ".join(query.text.lower().split())[:200],
        categories=",".join(query.categories)[:255],
        outcode=(parsed.outcode or "")[:8],
        filters=" ".join(filters)[:255],
    )


def index_update_activities(*, ids: Iterable[int]) -> tuple[int, int]:
    """Bring these activities' index entries in line with the database.

    Indexable ones (live, public) are written; the rest (unpublished, deleted) are removed.
    Returns (indexed, removed).
    """
    ids = sorted({int(i) for i in ids})
    if not ids:
        return (0, 0)
    # Journalled before the write: a rebuild that starts earlier and swaps later replays it.
    IndexJournal.objects.bulk_create(IndexJournal(activity_id=i) for i in ids)
    # No rebuild runs for a day: older entries can never be replayed.
    IndexJournal.objects.filter(created_at__lt=timezone.now() - JOURNAL_KEEP).delete()
    documents = documents_for(ids)
    backend = get_backend()
    backend.index_documents(documents)
    gone = sorted(set(ids) - {d["id"] for d in documents})
    backend.delete_documents(gone)
    _supply_write(documents, written_at=timezone.now())
    SupplyEntry.objects.filter(activity_id__in=gone).delete()
    return (len(documents), len(gone))


def index_rebuild(*, progress: ProgressCallback | None = None) -> int:
    """Write a fresh index of every indexable activity and swap it in.

    Updates that reach the live index while the rebuild reads the directory are written again
    after the swap, so none is lost whichever way the backend swaps.
    """
    started = timezone.now() - JOURNAL_MARGIN
    written_at = timezone.now()
    total = indexable_activities().count()
    documents = _with_supply(iter_documents(), written_at=written_at)
    count = get_backend().rebuild(documents, total=total, progress=progress)
    # Whatever this rebuild did not write is no longer indexable (updates since write later).
    SupplyEntry.objects.filter(written_at__lt=written_at).delete()
    since = IndexJournal.objects.filter(created_at__gte=started)
    replay = set(since.values_list("activity_id", flat=True)) - {REBUILT}
    IndexJournal.objects.filter(created_at__lt=started).delete()
    if replay:
        index_update_activities(ids=replay)
    # A rebuild is a change too (`selectors.directory_version`): its own entry, for no
    # activity, makes the version grow even when nothing is replayed or all was pruned.
    IndexJournal.objects.create(activity_id=REBUILT)
    return count


def _with_supply(documents: Iterable[dict], *, written_at, batch_size: int = 2000):
    """Pass the documents on, writing their supply entries a batch at a time."""
    batch = []
    for document in documents:
        batch.append(document)
        if len(batch) >= batch_size:
            _supply_write(batch, written_at=written_at)
            batch = []
        yield document
    _supply_write(batch, written_at=written_at)


def _supply_write(documents: Iterable[dict], *, written_at) -> None:
    entries = [_supply_entry(d, written_at=written_at) for d in documents]
    if entries:
        SupplyEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["activity_id"],
            update_fields=[f for f in SUPPLY_FIELDS if f != "activity_id"],
        )


SUPPLY_FIELDS = (
    "activity_id", "categories", "weekly_hours", "lat", "lng",
    "south", "west", "north", "east", "anywhere", "written_at",
)  # fmt: skip


def _supply_entry(document: dict, *, written_at) -> SupplyEntry:
    # An activity's weekly hours are its quarter-hour buckets in the week, as search matches them.
    quarters = sum(1 for bucket in document["buckets"] if bucket >= 0)
    south, west, north, east = document["area"] or (None, None, None, None)
    return SupplyEntry(
        activity_id=document["id"],
        categories=",".join(dict.fromkeys(document["categories"])),
        weekly_hours=quarters / 4,
        lat=document["lat"],
        lng=document["lng"],
        south=south,
        west=west,
        north=north,
        east=east,
        anywhere=bool(document["anywhere"]),
        written_at=written_at,
    )


def activity_ids_under(page_path: str) -> list[int]:
    return list(Activity.objects.filter(path__startswith=page_path).values_list("pk", flat=True))
