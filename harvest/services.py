"""Harvesting: a feed's services written into the directory, with their provenance.

`harvest_items` reads records one batch at a time. Every record is checked whole
(`mapping.read_service`) before any of it is written; a bad one is reported with its reason
and skipped, and the rest go on. A batch is written in one transaction; should the database
refuse it, the batch is written again record by record, so that only the record at fault is
lost (and reported). Upserts are by the source's ids: a record whose content hash has not
changed costs one row update; one that a moderator took over is never overwritten, its change
waits as a conflict.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from assets_directory.geocoding import GeocodingError, geocode
from assets_directory.models import (
    AccessibilityFeature,
    Activity,
    ActivitySchedule,
    Category,
    Organisation,
    Venue,
)
from assets_directory.selectors import directory_index
from assets_directory.services.bulk import (
    activity_categories_replace,
    activity_sessions_replace,
    page_fields_update,
    pages_bulk_create,
    pages_bulk_create_under,
)
from openreferral import ids as feed_ids
from openreferral.selectors import TAXONOMY_NAME, directory_changed
from search.tasks import index_enqueue

from . import mapping, readers, tabular
from .duplicates import find_pairs
from .mapping import BadRecord, OrganisationData, ScheduleData, ServiceData, VenueData
from .models import (
    DuplicatePair,
    FeedSource,
    HarvestConflict,
    HarvestedRecord,
    HarvestProblem,
    HarvestRun,
    TermMapping,
)
from .readers import FeedError, Item

logger = logging.getLogger(__name__)

BATCH = 500
# The organisation that holds a feed's services that name none (or one the feed cannot give).
HOLDING_ID = "(no organisation)"
RECORD = HarvestedRecord.Kind


@dataclass
class _Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    problems: list[HarvestProblem] = field(default_factory=list)


def feed_source_get_or_create(*, name: str, url: str = "") -> FeedSource:
    source, _ = FeedSource.objects.get_or_create(name=name[:200], defaults={"url": url})
    return source


def harvest_run_create(*, source: FeedSource, origin: str, started_by=None) -> HarvestRun:
    return HarvestRun.objects.create(source=source, origin=origin[:500], started_by=started_by)


def harvest_run_execute(*, run_id: int) -> HarvestRun:
    """Carry out a queued run: its uploaded file, or its feed from the web. A run that is not
    waiting (already done, or taken by another worker) is left as it is."""
    claimed = HarvestRun.objects.filter(pk=run_id, state=HarvestRun.State.QUEUED).update(
        state=HarvestRun.State.RUNNING, started_at=timezone.now()
    )
    run = HarvestRun.objects.select_related("source").get(pk=run_id)
    if not claimed:
        return run
    if run.upload:
        try:
            return harvest_file(run=run, path=run.upload.path)
        except OSError as exc:
            return _fail_before_start(run, f"The uploaded file cannot be read: {exc.strerror}")
    if not run.source.url:
        return _fail_before_start(run, "The feed has no address: upload a file instead.")
    return harvest_url(run=run)


def harvest_run_fail(*, run_id: int, message: str) -> None:
    run = HarvestRun.objects.get(pk=run_id)
    if run.state in (HarvestRun.State.QUEUED, HarvestRun.State.RUNNING):
        _fail_before_start(run, message)


def harvest_file(*, run: HarvestRun, path: str | Path, progress=None) -> HarvestRun:
    """Harvest a JSON or ndjson file of services, or an HSDS CSV datapackage (a folder, a
    .zip, or its datapackage.json). A file is taken as the whole feed: records of this source
    that it no longer holds are flagged as gone."""
    path = Path(path)
    if path.name == "datapackage.json":
        items = tabular.read_datapackage(path.parent)
    elif path.is_dir() or path.suffix.lower() == ".zip":
        items = tabular.read_datapackage(path)
    else:
        items = readers.read_json_file(path)
    return harvest_items(run=run, items=items, complete=True, progress=progress)


def harvest_url(*, run: HarvestRun, progress=None) -> HarvestRun:
    """Harvest the run's feed from the web, walking its pages and items, and record how the
    feed answered on the source (its health)."""
    source = run.source
    try:
        client = readers.FeedClient(source.url)
    except FeedError as exc:
        return _fail_before_start(run, exc.message)

    def expected(total):
        if total is not None:
            run.expected = total
            run.save(update_fields=["expected"])

    organisations: dict[str, dict | None] = {}

    def organisation_lookup(source_id: str) -> dict | None:
        if source_id not in organisations:
            try:
                data = client.get(client.url(f"organizations/{source_id}")).data
            except FeedError:
                data = None
            organisations[source_id] = data if isinstance(data, dict) else None
        return organisations[source_id]

    started = timezone.now()
    try:
        root = client.get(client.url(""))
    except FeedError as exc:
        _record_health(source, reachable=False, valid=None, error=exc.message)
        return _fail_before_start(run, exc.message)
    run = harvest_items(
        run=run,
        items=readers.read_feed(client, on_page=expected),
        complete=True,
        organisation_lookup=organisation_lookup,
        progress=progress,
    )
    valid = run.state == HarvestRun.State.FINISHED and run.skipped == 0
    _record_health(
        source,
        reachable=True,
        valid=valid,
        error=run.error,
        response_ms=root.milliseconds,
        checked_at=started,
    )
    return run


def _record_health(source, *, reachable, valid, error="", response_ms=None, checked_at=None):
    source.checked_at = checked_at or timezone.now()
    source.reachable = reachable
    source.valid = valid
    source.last_error = error
    source.response_ms = response_ms
    source.save(update_fields=["checked_at", "reachable", "valid", "last_error", "response_ms"])


def _fail_before_start(run: HarvestRun, message: str) -> HarvestRun:
    now = timezone.now()
    run.state = HarvestRun.State.FAILED
    run.error = message
    run.started_at = run.started_at or now
    run.finished_at = now
    run.save()
    return run


def harvest_items(
    *,
    run: HarvestRun,
    items: Iterable[Item],
    complete: bool,
    organisation_lookup: Callable[[str], dict | None] | None = None,
    progress: Callable[[HarvestRun], None] | None = None,
) -> HarvestRun:
    """Write `items` into the directory for `run`. A `complete` run (the whole feed, read to
    its end) flags the source's records it did not see."""
    run.state = HarvestRun.State.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["state", "started_at"])
    writer = _Writer(run, organisation_lookup)
    iterator = iter(items)
    try:
        while True:
            batch, failure = _next_batch(iterator)
            if batch:
                writer.write(batch)
                run.save(
                    update_fields=[
                        "seen", "created", "updated", "unchanged", "skipped", "conflicts",
                    ]
                )  # fmt: skip
                if progress is not None:
                    progress(run)
            if failure is not None:
                raise failure
            if len(batch) < BATCH:
                break
    except FeedError as exc:
        run.state = HarvestRun.State.FAILED
        run.error = exc.message
    else:
        run.state = HarvestRun.State.FINISHED
        if complete:
            run.disappeared = _flag_disappeared(run)
            run.complete = True
    now = timezone.now()
    run.finished_at = now
    run.save()
    if run.state == HarvestRun.State.FINISHED:
        FeedSource.objects.filter(pk=run.source_id).update(harvested_at=now)
    directory_changed()
    return run


def _next_batch(iterator: Iterator[Item]) -> tuple[list[Item], FeedError | None]:
    """Up to BATCH items, and the feed's failure if it failed part way (the items read before
    it are still written)."""
    batch: list[Item] = []
    try:
        for item in iterator:
            batch.append(item)
            if len(batch) >= BATCH:
                break
    except FeedError as exc:
        return batch, exc
    return batch, None


def _flag_disappeared(run: HarvestRun) -> int:
    return (
        HarvestedRecord.objects.filter(
            source_id=run.source_id, kind=RECORD.SERVICE, gone_since__isnull=True
        )
        .exclude(last_run=run)
        .update(gone_since=run.finished_at or timezone.now())
    )


# Writing ------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, run: HarvestRun, organisation_lookup):
        self.run = run
        self.source = run.source
        self.organisation_lookup = organisation_lookup
        self.parent = directory_index()
        self.terms: dict[str, TermMapping] | None = None

    def write(self, items: list[Item]) -> None:
        run = self.run
        parsed: list[tuple[Item, ServiceData]] = []
        in_batch: set[str] = set()
        for item in items:
            run.seen += 1
            if item.error:
                self._skip(item, "", item.error)
                continue
            try:
                service = mapping.read_service(item.data)
            except BadRecord as exc:
                self._skip(item, exc.field, exc.reason, name=_name_of(item.data))
                continue
            if service.source_id in in_batch:
                self._skip(item, "id", _REPEATED, name=service.name)
                continue
            in_batch.add(service.source_id)
            parsed.append((item, service))
        if not parsed:
            return
        if self.parent is None:
            raise FeedError("The site has no directory page to put harvested records under.")
        try:
            with transaction.atomic():
                tally = self._write(parsed)
        except DatabaseError:
            logger.warning("A harvest batch was refused; writing it record by record")
            self.terms = None
            tally = _Tally()
            for item, service in parsed:
                try:
                    with transaction.atomic():
                        one = self._write([(item, service)])
                except DatabaseError as exc:
                    self.terms = None
                    tally.problems.append(
                        self._problem(
                            item, "", f"The database refused it: {exc}"[:500], name=service.name
                        )  # fmt: skip
                    )
                    run.skipped += 1
                    continue
                tally.created += one.created
                tally.updated += one.updated
                tally.unchanged += one.unchanged
                tally.conflicts += one.conflicts
                tally.problems.extend(one.problems)
        run.created += tally.created
        run.updated += tally.updated
        run.unchanged += tally.unchanged
        run.conflicts += tally.conflicts
        HarvestProblem.objects.bulk_create(tally.problems)

    # Problems

    def _problem(self, item: Item, field_path: str, reason: str, *, name="", note=False):
        return HarvestProblem(
            run=self.run,
            severity=HarvestProblem.Severity.NOTE if note else HarvestProblem.Severity.SKIPPED,
            position=item.position,
            source_id=(item.source_id or "")[:255],
            name=(name or "")[:255],
            field=field_path[:255],
            reason=reason,
        )

    def _skip(self, item: Item, field_path: str, reason: str, *, name="") -> None:
        self.run.skipped += 1
        HarvestProblem.objects.bulk_create([self._problem(item, field_path, reason, name=name)])

    # The batch

    def _write(self, parsed: list[tuple[Item, ServiceData]]) -> _Tally:
        tally = _Tally()
        now = timezone.now()
        existing = {
            r.external_id: r
            for r in HarvestedRecord.objects.filter(
                source=self.source, kind=RECORD.SERVICE,
                external_id__in=[s.source_id for _, s in parsed],
            )
        }  # fmt: skip
        to_create: list[tuple[Item, ServiceData]] = []
        to_update: list[tuple[Item, ServiceData, HarvestedRecord]] = []
        touched: list[HarvestedRecord] = []
        seen: list[int] = []
        for item, service in parsed:
            record = existing.get(service.source_id)
            if record is None or record.page_id is None:
                to_create.append((item, service))
                continue
            if record.last_run_id == self.run.pk:
                tally.problems.append(self._problem(item, "id", _REPEATED, name=service.name))
                self.run.skipped += 1
                continue
            if record.content_hash == service.content_hash:
                tally.unchanged += 1
            elif record.taken_over_at is not None:
                _conflict(record, item.data, service.content_hash, now)
                tally.conflicts += 1
            else:
                to_update.append((item, service, record))
                continue
            seen.append(record.pk)

        needed = [s for _, s in to_create] + [s for _, s, _ in to_update]
        organisations = self._organisations(needed, now, tally, parsed)
        venues = self._venues(needed, now)
        categories = self._categories(needed)

        sessions: dict[int, list[ScheduleData]] = {}
        chosen: dict[int, list[int]] = {}
        changed_ids: list[int] = []

        # New services, in bulk under each organisation.
        by_parent: dict[int, list[tuple[Item, ServiceData]]] = {}
        for item, service in to_create:
            by_parent.setdefault(organisations[_org_key(service)], []).append((item, service))
        free_uuids = _free_uuids(Activity, [s.source_id for _, s in to_create])
        # Services at locations' ids for the whole batch at once, new activities and changed.
        places = [(None, service) for _, service in to_create]
        places += [(record.page_id, service) for _, service, record in to_update]
        location_uuids = _location_uuids(
            [(page_id, _venue_of(service, venues), service) for page_id, service in places]
        )
        new_records = []
        made = pages_bulk_create_under(
            model=Activity,
            children={
                parent_id: [
                    {
                        **service.fields,
                        "uuid": _local_uuid(service.source_id, free_uuids),
                        "venue_id": _venue_of(service, venues),
                        "location_uuid": location_uuids[id(service)],
                        "published_at": service.last_modified,
                    }
                    for _, service in group
                ]
                for parent_id, group in by_parent.items()
            },
        )
        for parent_id, group in by_parent.items():
            for page_id, (item, service) in zip(made[parent_id], group, strict=True):
                new_records.append(self._new_record(RECORD.SERVICE, service, now, page_id))
                sessions[page_id] = service.schedules
                chosen[page_id] = categories(service)
                changed_ids.append(page_id)
                tally.created += 1
                tally.problems.extend(
                    self._problem(item, where, why, name=service.name, note=True)
                    for where, why in service.notes
                )

        for item, service, record in to_update:
            _activity_update(
                service, record.page_id, venues, categories, sessions, chosen,
                location_uuid=location_uuids[id(service)],
            )  # fmt: skip
            changed_ids.append(record.page_id)
            record.content_hash = service.content_hash
            record.fetched_at, record.last_run, record.gone_since = now, self.run, None
            record.term_keys = [t.key for t in service.terms]
            touched.append(record)
            tally.updated += 1
            tally.problems.extend(
                self._problem(item, where, why, name=service.name, note=True)
                for where, why in service.notes
            )

        replaced = [record.page_id for _, _, record in to_update]
        activity_sessions_replace(sessions=_session_rows(sessions, replaced=replaced))
        activity_categories_replace(categories=chosen)
        HarvestedRecord.objects.bulk_create(new_records)
        # Records the feed gave again unchanged: one statement (bulk_update's CASE per row
        # would cost more than the rest of the batch).
        HarvestedRecord.objects.filter(pk__in=seen).update(
            fetched_at=now, last_run=self.run, gone_since=None
        )
        HarvestedRecord.objects.bulk_update(
            touched, ["content_hash", "fetched_at", "last_run", "gone_since", "term_keys"]
        )
        index_enqueue(changed_ids)
        return tally

    def _new_record(self, kind, data, now, page_id=None, venue_id=None) -> HarvestedRecord:
        return HarvestedRecord(
            source=self.source,
            kind=kind,
            external_id=data.source_id,
            page_id=page_id,
            venue_id=venue_id,
            content_hash=data.content_hash,
            first_fetched_at=now,
            fetched_at=now,
            last_run=self.run,
            term_keys=[t.key for t in getattr(data, "terms", [])],
        )

    # Organisations

    def _organisations(self, services: list[ServiceData], now, tally, parsed) -> dict[str, int]:
        """The organisation page of every service: the source's key (or HOLDING_ID) to the
        page's key, creating and updating organisations as the feed describes them."""
        wanted: dict[str, OrganisationData | None] = {}
        for service in services:
            key = _org_key(service)
            if service.organisation is not None:
                wanted[key] = service.organisation
            else:
                wanted.setdefault(key, None)
        records = {
            r.external_id: r
            for r in HarvestedRecord.objects.filter(
                source=self.source, kind=RECORD.ORGANIZATION, external_id__in=list(wanted)
            )
        }
        found: dict[str, int] = {}
        to_create: list[OrganisationData] = []
        touched = []
        for key, data in wanted.items():
            record = records.get(key)
            if data is None and record is None and key != HOLDING_ID:
                data = self._look_up_organisation(key)
            if data is None and record is None:
                found[key] = self._holding_organisation(now)
                if key != HOLDING_ID:
                    for _item, service in parsed:
                        if _org_key(service) == key:
                            service.notes.append((
                                "organization_id",
                                "names an organisation the feed does not give: the service is "
                                f"listed under {self.source.name}.",
                            ))  # fmt: skip
                continue
            if record is not None and record.page_id is not None:
                found[key] = record.page_id
                if data is not None and data.content_hash != record.content_hash:
                    if record.taken_over_at is not None:
                        _conflict(record, None, data.content_hash, now, organisation=data)
                        tally.conflicts += 1
                    else:
                        _organisation_update(record, data)
                touched.append(record.pk)
                continue
            to_create.append(data)
        if to_create:
            free = _free_uuids(Organisation, [d.source_id for d in to_create])
            rows = [
                {**_organisation_fields(d), "uuid": _local_uuid(d.source_id, free)}
                for d in to_create
            ]
            page_ids = pages_bulk_create(parent=self.parent, model=Organisation, rows=rows)
            HarvestedRecord.objects.bulk_create(
                self._new_record(RECORD.ORGANIZATION, d, now, page_id)
                for d, page_id in zip(to_create, page_ids, strict=True)
            )
            found.update({d.source_id: p for d, p in zip(to_create, page_ids, strict=True)})
        HarvestedRecord.objects.filter(pk__in=touched).update(fetched_at=now, last_run=self.run)
        return found

    def _look_up_organisation(self, key: str) -> OrganisationData | None:
        if self.organisation_lookup is None:
            return None
        data = self.organisation_lookup(key)
        if data is None:
            return None
        try:
            return mapping.read_organisation(data)
        except BadRecord:
            return None

    def _holding_organisation(self, now) -> int:
        record = HarvestedRecord.objects.filter(
            source=self.source, kind=RECORD.ORGANIZATION, external_id=HOLDING_ID
        ).first()
        if record is not None and record.page_id is not None:
            return record.page_id
        data = OrganisationData(
            source_id=HOLDING_ID,
            name=self.source.name,
            description=f"Services listed by {self.source.name} without an organisation.",
            website=self.source.website,
            content_hash="",
        )
        (page_id,) = pages_bulk_create(
            parent=self.parent, model=Organisation, rows=[_organisation_fields(data)]
        )
        HarvestedRecord.objects.create(
            source=self.source, kind=RECORD.ORGANIZATION, external_id=HOLDING_ID,
            page_id=page_id, content_hash="", first_fetched_at=now, fetched_at=now,
            last_run=self.run,
        )  # fmt: skip
        return page_id

    # Venues

    def _venues(self, services: list[ServiceData], now) -> dict[str, int]:
        wanted: dict[str, VenueData] = {}
        for service in services:
            if service.venue is not None:
                wanted[service.venue.source_id] = service.venue
        if not wanted:
            return {}
        records = {
            r.external_id: r
            for r in HarvestedRecord.objects.filter(
                source=self.source, kind=RECORD.LOCATION, external_id__in=list(wanted)
            )
        }
        found: dict[str, int] = {}
        to_create: list[VenueData] = []
        touched = []
        features = {
            f.name.casefold(): (f.pk, f.description) for f in AccessibilityFeature.objects.all()
        }
        chosen: dict[int, list[int]] = {}
        for key, data in wanted.items():
            record = records.get(key)
            if record is None or record.venue_id is None:
                to_create.append(data)
                continue
            found[key] = record.venue_id
            if record.content_hash != data.content_hash and record.taken_over_at is None:
                fields, chosen[record.venue_id] = _venue_fields(data, features)
                Venue.objects.filter(pk=record.venue_id).update(**fields)
                _rehash(record, data.content_hash)
            touched.append(record.pk)
        if to_create:
            free = _free_uuids(Venue, [d.source_id for d in to_create])
            made = [_venue_fields(d, features) for d in to_create]
            venues = Venue.objects.bulk_create(
                Venue(uuid=_local_uuid(d.source_id, free), **fields)
                for d, (fields, _) in zip(to_create, made, strict=True)
            )
            chosen.update((v.pk, keys) for v, (_, keys) in zip(venues, made, strict=True) if keys)
            HarvestedRecord.objects.bulk_create(
                self._new_record(RECORD.LOCATION, d, now, venue_id=v.pk)
                for d, v in zip(to_create, venues, strict=True)
            )
            found.update({d.source_id: v.pk for d, v in zip(to_create, venues, strict=True)})
        _venue_features_replace(chosen)
        HarvestedRecord.objects.filter(pk__in=touched).update(fetched_at=now, last_run=self.run)
        return found

    # Taxonomy crosswalk

    def _categories(self, services: list[ServiceData]):
        """A function giving a service's category keys through the crosswalk; terms not seen
        before are added to it, mapped where a rule can tell and queued where it cannot."""
        if self.terms is None:
            self.terms = {t.key: t for t in TermMapping.objects.filter(source=self.source)}
        new = {}
        for service in services:
            for term in service.terms:
                if term.key not in self.terms and term.key not in new:
                    new[term.key] = term
        if new:
            by_slug = {c.slug: c.pk for c in Category.objects.all()}
            by_name = {c.name.casefold(): c.pk for c in Category.objects.all()}
            ours = {TAXONOMY_NAME, feed_ids.taxonomy_id()}
            mappings = []
            for term in new.values():
                category_id, how = None, ""
                if term.taxonomy in ours and term.code in by_slug:
                    category_id, how = by_slug[term.code], "the same category (Common Ground)"
                elif term.name.casefold() in by_name:
                    category_id, how = by_name[term.name.casefold()], "the same name"
                mappings.append(
                    TermMapping(
                        source=self.source, key=term.key[:255], taxonomy=term.taxonomy[:255],
                        code=term.code[:255], name=(term.name or term.key)[:255],
                        category_id=category_id, how=how,
                    )
                )  # fmt: skip
            for made in TermMapping.objects.bulk_create(mappings):
                self.terms[made.key] = made
        terms = self.terms

        def categories(service: ServiceData) -> list[int]:
            return [
                terms[t.key].category_id
                for t in service.terms
                if t.key in terms and terms[t.key].category_id is not None
            ]

        return categories


_REPEATED = "The feed gives this service more than once: only the first is read."


def _name_of(data) -> str:
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""


def _org_key(service: ServiceData) -> str:
    return service.organisation_id or HOLDING_ID


def _organisation_fields(data: OrganisationData) -> dict:
    return {
        "title": data.name,
        "description": mapping.paragraphs(data.description),
        "email": data.email,
        "website": data.website[:200],
        "phone": data.phone,
        "charity_number": data.charity_number,
        "company_number": data.company_number,
        "languages": data.languages,
    }


def _venue_of(service: ServiceData, venues: dict[str, int]) -> int | None:
    return venues.get(service.venue.source_id) if service.venue else None


def _activity_update(
    service: ServiceData, page_id, venues, categories, sessions, chosen, *, location_uuid
) -> None:
    """Write a changed service over its activity (at `location_uuid` as a service at a
    location: `_location_uuids`); its sessions and categories are gathered in `sessions` and
    `chosen`, to be replaced for the whole batch at once."""
    fields = {
        **service.fields,
        "venue_id": _venue_of(service, venues),
        "location_uuid": location_uuid,
        "published_at": service.last_modified,
    }
    page_fields_update(model=Activity, page_id=page_id, fields=fields)
    sessions[page_id] = service.schedules
    chosen[page_id] = categories(service)


def _organisation_update(record: HarvestedRecord, data: OrganisationData) -> None:
    page_fields_update(
        model=Organisation, page_id=record.page_id, fields=_organisation_fields(data)
    )
    _rehash(record, data.content_hash)


def _venue_features_replace(chosen: dict[int, list[int]]) -> None:
    """Each venue's accessibility features, replaced by these keys."""
    if not chosen:
        return
    through = Venue.accessibility.through
    through.objects.filter(venue_id__in=list(chosen)).delete()
    through.objects.bulk_create(
        through(venue_id=venue_id, accessibilityfeature_id=feature_id)
        for venue_id, keys in chosen.items()
        for feature_id in keys
    )


def _venue_fields(data: VenueData, features: dict[str, tuple[int, str]]) -> tuple[dict, list]:
    """A venue's fields, and its accessibility features' keys."""
    chosen, notes = mapping.venue_access(data.accessibility, features)
    latitude, longitude = data.latitude, data.longitude
    if latitude is None and data.postcode:
        try:
            point = geocode(data.postcode)
        except GeocodingError:
            pass  # kept without a point: the venue shows its address, the map leaves it out
        else:
            latitude, longitude = point.latitude, point.longitude
    return {
        "name": data.name,
        "address_1": data.address_1,
        "address_2": data.address_2,
        "town": data.town,
        "postcode": data.postcode,
        "latitude": latitude,
        "longitude": longitude,
        "accessibility_notes": notes,
        "is_private": data.is_private,
    }, chosen


def _free_uuids(model, source_ids: list[str]) -> set[uuid.UUID]:
    """The source ids that are UUIDs no record here uses yet."""
    wanted = {u for u in (mapping.source_uuid(s) for s in source_ids) if u is not None}
    if not wanted:
        return set()
    taken = set(model.objects.filter(uuid__in=wanted).values_list("uuid", flat=True))
    return wanted - taken


def _local_uuid(source_id: str, free: set[uuid.UUID]) -> uuid.UUID:
    value = mapping.source_uuid(source_id)
    if value is not None and value in free:
        free.discard(value)  # the same id twice in a batch gets it once
        return value
    return uuid.uuid4()


def _location_uuids(
    places: Sequence[tuple[int | None, int | None, ServiceData]],
) -> dict[int, uuid.UUID | None]:
    """The service_at_location id (Activity.location_uuid) of each activity in `places` (its
    key, None for a new one; its venue's key; the service), by `id()` of the service: none
    without a venue; the source's id where it is a UUID no other activity holds (the same id
    twice in a batch is kept once), so that a re-harvest, or a round trip, keeps it; else the
    one the activity has if its venue is the same; else a new one. One query for the ids the
    batch wants, one for what its activities hold."""
    wanted = {
        value
        for _, venue_id, service in places
        if venue_id is not None
        and (value := mapping.source_uuid(service.location_source_id)) is not None
    }
    held = dict(
        Activity.objects.filter(location_uuid__in=wanted).values_list("location_uuid", "pk")
        if wanted
        else ()
    )
    keys = [page_id for page_id, _, _ in places if page_id is not None]
    stored = {
        pk: (venue_id, value)
        for pk, venue_id, value in (
            Activity.objects.filter(pk__in=keys).values_list("pk", "venue_id", "location_uuid")
            if keys
            else ()
        )
    }
    given: set[uuid.UUID] = set()
    found: dict[int, uuid.UUID | None] = {}
    for page_id, venue_id, service in places:
        if venue_id is None:
            found[id(service)] = None
            continue
        value = mapping.source_uuid(service.location_source_id)
        if value is not None and value not in given and held.get(value, page_id) == page_id:
            given.add(value)
            found[id(service)] = value
            continue
        old_venue, old = stored.get(page_id, (None, None))
        if old is not None and old_venue == venue_id:
            found[id(service)] = old
        else:
            found[id(service)] = uuid.uuid4()
    return found


def _session_rows(
    sessions: dict[int, list[ScheduleData]], *, replaced: Sequence[int] = ()
) -> dict[int, list[dict]]:
    """Each activity's new sessions, with their uuids: the source's schedule id where it is a
    UUID no other activity's session holds (the sessions of the activities `replaced`, which
    had some, are about to go, so theirs are free), else the uuid of the session it replaces
    with the same times, else a new one. So a re-harvest keeps every session's id, whatever
    ids the feed gives."""
    if not sessions:
        return {}
    ids = {
        id(schedule): mapping.source_uuid(schedule.source_id)
        for schedules in sessions.values()
        for schedule in schedules
    }
    wanted = {value for value in ids.values() if value is not None}
    taken = ActivitySchedule.objects.filter(uuid__in=wanted)
    if replaced:
        taken = taken.exclude(activity_id__in=replaced)
    free = wanted - set(taken.values_list("uuid", flat=True)) if wanted else set()
    kept: dict[int, list[tuple[dict, uuid.UUID]]] = {}
    if replaced:
        for row in ActivitySchedule.objects.filter(activity_id__in=replaced).values(
            "activity_id", "uuid", *_SESSION_FIELDS
        ):
            kept.setdefault(row.pop("activity_id"), []).append((row, row.pop("uuid")))
    rows: dict[int, list[dict]] = {}
    leftover: list[tuple[int, dict]] = []
    for page_id, schedules in sessions.items():
        rows[page_id] = []
        for schedule in schedules:
            row = schedule.session_fields()
            value = ids[id(schedule)]
            if value is not None and value in free:
                free.discard(value)  # the same id twice in a batch is kept once
                row["uuid"] = value
            else:
                leftover.append((page_id, row))
            rows[page_id].append(row)
    given = {row["uuid"] for page_rows in rows.values() for row in page_rows if "uuid" in row}
    for page_id, row in leftover:
        for old, old_uuid in kept.get(page_id, ()):
            if old_uuid not in given and all(row[name] == old[name] for name in _SESSION_FIELDS):
                row["uuid"] = old_uuid
                given.add(old_uuid)
                break
        else:
            row["uuid"] = uuid.uuid4()
    return rows


# A session's times: the fields ScheduleData carries for it.
_SESSION_FIELDS = tuple(f for f in ScheduleData.__dataclass_fields__ if f != "source_id")


def _rehash(record: HarvestedRecord, digest: str) -> None:
    record.content_hash = digest
    HarvestedRecord.objects.filter(pk=record.pk).update(content_hash=digest)


def _conflict(record, data, digest, now, *, organisation=None) -> None:
    payload = data if data is not None else vars(organisation)
    HarvestConflict.objects.update_or_create(
        record=record,
        decision=HarvestConflict.Decision.PENDING,
        defaults={"data": payload, "content_hash": digest, "found_at": now},
    )


# Duplicates across sources ------------------------------------------------------------------


def harvest_duplicates_find(*, run: HarvestRun) -> int:
    """List the run's likely duplicates from other sources for a moderator; returns how many
    new pairs were found."""
    return find_pairs(run=run)


def duplicate_keep_apart(*, pair: DuplicatePair, user) -> DuplicatePair:
    """Two different listings: the pair is not suggested again."""
    pair.decision = DuplicatePair.Decision.APART
    pair.decided_by, pair.decided_at = user, timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    return pair


def duplicate_merge(*, pair: DuplicatePair, keep: Page, user) -> DuplicatePair:
    """One listing twice: `keep` stays; the other is unpublished and its address sends people
    to the one kept. A harvested listing unpublished here stays so through later harvests
    (they update its fields, not whether it is live)."""
    if keep.pk not in (pair.first_id, pair.second_id):
        raise ValueError("The listing kept must be one of the pair.")
    other = Page.objects.get(pk=pair.second_id if keep.pk == pair.first_id else pair.first_id)
    other = other.specific
    with transaction.atomic():
        old_path = other.url
        if other.live:
            other.unpublish(user=user, log_action="wagtail.unpublish")
        if old_path:
            Redirect.objects.update_or_create(
                old_path=Redirect.normalise_path(old_path),
                site=None,
                defaults={"redirect_page": keep, "is_permanent": True},
            )
        pair.decision = DuplicatePair.Decision.MERGED
        pair.kept = keep
        pair.decided_by, pair.decided_at = user, timezone.now()
        pair.save(update_fields=["decision", "kept", "decided_by", "decided_at"])
    return pair


# Moderators' decisions (the harvest's pages in the admin) -----------------------------------


def harvest_run_create_from_upload(
    *, source: FeedSource, upload: File, started_by=None
) -> HarvestRun:
    """A run of a file a moderator uploaded, kept in private storage (a feed may hold contact
    details) for the worker to read. Both or neither: a run whose file could not be stored
    would otherwise harvest the feed's address instead."""
    with transaction.atomic():
        run = harvest_run_create(
            source=source, origin=f"uploaded file {upload.name}", started_by=started_by
        )
        run.upload.save(Path(upload.name).name, upload, save=True)
    return run


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def term_mapping_decide(*, mapping: TermMapping, category: Category | None, user) -> int:
    """A moderator says what one of a feed's terms means here (None: nothing we list). It
    applies at once to the activities already harvested with the term, not only from the next
    harvest: each gets again the categories of all its mapped terms. Activities a moderator
    took over keep the categories given to them here (as a harvest leaves them). Returns how
    many activities were given their categories again."""
    with transaction.atomic():
        mapping.category = category
        mapping.decided_by, mapping.decided_at = user, timezone.now()
        mapping.how = f"by {_person(user)}"[:100]
        mapping.save(update_fields=["category", "decided_by", "decided_at", "how"])
        crosswalk = dict(
            TermMapping.objects.filter(
                source_id=mapping.source_id, category__isnull=False
            ).values_list("key", "category_id")
        )
        records = HarvestedRecord.objects.filter(
            source_id=mapping.source_id,
            kind=RECORD.SERVICE,
            page__isnull=False,
            taken_over_at__isnull=True,
        )
        if connection.features.supports_json_field_contains:
            records = records.filter(term_keys__contains=[mapping.key])
        # Checked again here: SQLite cannot ask a JSON list whether it holds a value.
        chosen = {
            page_id: [crosswalk[k] for k in keys if k in crosswalk]
            for page_id, keys in records.values_list("page_id", "term_keys").iterator()
            if mapping.key in keys
        }
        activity_categories_replace(categories=chosen)
        index_enqueue(chosen)
    directory_changed()
    return len(chosen)


def harvest_conflict_accept(*, conflict: HarvestConflict, user) -> HarvestConflict:
    """Take the feed's version of a record a moderator took over: written as a harvest writes
    it (fields, venue, sessions, categories through the crosswalk). The record stays taken
    over, so the feed's next change waits for a decision again."""
    if conflict.decision != HarvestConflict.Decision.PENDING:
        raise ValueError("This change has already been decided.")
    record = conflict.record
    now = timezone.now()
    with transaction.atomic():
        if record.kind == RECORD.ORGANIZATION:
            _organisation_update(record, OrganisationData(**conflict.data))
        elif record.kind == RECORD.SERVICE:
            service = mapping.read_service(conflict.data)
            run = record.last_run or record.source.runs.first()
            if run is None:
                raise ValueError("The feed has no harvest to write its version with.")
            writer = _Writer(run, None)
            sessions: dict[int, list[ScheduleData]] = {}
            chosen: dict[int, list[int]] = {}
            venues = writer._venues([service], now)
            location_uuids = _location_uuids(
                [(record.page_id, _venue_of(service, venues), service)]
            )
            _activity_update(
                service, record.page_id, venues, writer._categories([service]), sessions, chosen,
                location_uuid=location_uuids[id(service)],
            )  # fmt: skip
            activity_sessions_replace(sessions=_session_rows(sessions, replaced=[record.page_id]))
            activity_categories_replace(categories=chosen)
            record.content_hash = service.content_hash
            record.term_keys = [t.key for t in service.terms]
            record.save(update_fields=["content_hash", "term_keys"])
            index_enqueue([record.page_id])
        _decide(conflict, HarvestConflict.Decision.ACCEPTED, user, now)
    directory_changed()
    return conflict


def harvest_conflict_refuse(*, conflict: HarvestConflict, user) -> HarvestConflict:
    """Keep the directory's version. This version of the feed's record is not asked about
    again (the record takes its hash); a later change at the source waits as a new conflict."""
    if conflict.decision != HarvestConflict.Decision.PENDING:
        raise ValueError("This change has already been decided.")
    with transaction.atomic():
        _rehash(conflict.record, conflict.content_hash)
        _decide(conflict, HarvestConflict.Decision.REFUSED, user, timezone.now())
    return conflict


def _decide(conflict: HarvestConflict, decision: str, user, now) -> None:
    conflict.decision = decision
    conflict.decided_by, conflict.decided_at = user, now
    conflict.save(update_fields=["decision", "decided_by", "decided_at"])


def harvested_record_take_over(*, record: HarvestedRecord, user) -> HarvestedRecord:
    """From now on the record is kept here: edited in the admin like a local listing, and the
    feed's changes to it wait as conflicts for a moderator."""
    if record.taken_over_at is None:
        record.taken_over_at, record.taken_over_by = timezone.now(), user
        record.save(update_fields=["taken_over_at", "taken_over_by"])
    return record


def harvested_record_give_back(*, record: HarvestedRecord, user) -> HarvestedRecord:
    """The feed keeps the record again: its next harvest writes the feed's version over what
    was changed here (its hash is forgotten, so that happens even if the feed has not changed
    since), and a change waiting for a decision is dropped: that harvest brings it."""
    with transaction.atomic():
        record.conflicts.filter(decision=HarvestConflict.Decision.PENDING).delete()
        record.taken_over_at = record.taken_over_by = None
        record.content_hash = ""
        record.save(update_fields=["taken_over_at", "taken_over_by", "content_hash"])
    logger.info("%s gave %s back to its feed", _person(user), record)
    return record
