"""The directory exported whole, as the feed publishes it: ORUK JSON, ndjson, the HSDS 3.0
tabular CSV datapackage and GeoJSON (the README's "Export").

Everything is read through the feed's own selectors and serialisers, so an export holds exactly
what the feed shows (listed activities under published organisations) with the same ids, and a
chunk of records at a time (`selectors.STREAM_CHUNK`), never the whole directory: each format is
a generator of bytes, written to a file by `export_openreferral` or streamed by the admin's
download. The CSV tables are flattened from the fully nested services, each nested object in
its own table with the foreign keys the feed gives it, so that importing them rebuilds the feed.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

import orjson
from django.utils.encoding import iri_to_uri
from wagtail.models import Site

from . import selectors, serialisers
from .params import Filters
from .serialisers import Context

FORMATS = ("json", "ndjson", "csv", "geojson")
HSDS_DATAPACKAGE = Path(__file__).parent / "hsds" / "datapackage.json"
# The HSDS tables the feed has data for, in the datapackage's order. Left out: program,
# funding (the directory records none), required_document, metadata, meta_table_description.
TABLES = (
    "organization",
    "service",
    "attribute",
    "service_at_location",
    "location",
    "phone",
    "contact",
    "address",
    "schedule",
    "service_area",
    "language",
    "accessibility",
    "taxonomy_term",
    "cost_option",
    "organization_identifier",
    "taxonomy",
)
# The one ORUK field whose HSDS column has another name: a service area's words.
RENAMED = {("service_area", "service_area"): "description"}
# The zip's services.csv is written as the services are read; the other tables wait in
# temporary files (on disk) until it is done. Bytes are handed on in pieces of about this size.
PIECE = 64 * 1024


class SiteContext(Context):
    """Absolute URLs on the default site, for an export made without a request (a command)."""

    def __init__(self, site: Site | None = None):
        super().__init__(request=None)
        self.site = site or Site.objects.filter(is_default_site=True).first()

    def absolute(self, path: str | None) -> str | None:
        if not path or self.site is None:
            return None
        return iri_to_uri(urljoin(self.site.root_url, path))

    def _root_path(self) -> str | None:
        return self.site.root_page.url_path if self.site is not None else None


# The records ---------------------------------------------------------------------------------


def services(ctx: Context) -> Iterator[dict]:
    """Every service the feed lists, fully nested as /services/{id} gives it, in the feed's
    order, loaded a chunk at a time."""
    for pks in selectors.services(Filters()).chunks():
        for activity in selectors.load_activities(pks):
            yield serialisers.service_full(activity, ctx)


def organizations(ctx: Context) -> Iterator[dict]:
    """Every organisation the feed lists (those without services too), with its identifiers."""
    for pks in selectors.organisations(Filters()).chunks():
        for organisation in selectors.organisations_by_pk(pks):
            yield {
                **serialisers.organization_brief(organisation, ctx),
                "organization_identifiers": serialisers.organization_identifiers(organisation),
            }


def json_chunks(ctx: Context) -> Iterator[bytes]:
    """One JSON document, {"services": [every service, fully nested]}: the shape the harvester
    (harvest.readers) and other ORUK importers read as an export, streamed a service at a time."""
    yield b'{"services":['
    for n, service in enumerate(services(ctx)):
        yield (b",\n" if n else b"\n") + orjson.dumps(service)
    yield b"\n]}\n"


def ndjson_chunks(ctx: Context) -> Iterator[bytes]:
    """Every service, fully nested, one a line: as /services?format=ndjson streams it."""
    for service in services(ctx):
        yield orjson.dumps(service) + b"\n"


# GeoJSON -------------------------------------------------------------------------------------


def features(ctx: Context) -> Iterator[dict]:
    """Each service at a location whose venue has a point, as a GeoJSON Point feature
    ([longitude, latitude], RFC 7946); venues without coordinates are left out, and so are
    private venues (Venue.public_location), whose locations the feed gives without a point."""
    for pks in selectors.services_at_locations(Filters()).chunks():
        for row in selectors.brief_activities(pks):
            venue = row.venue
            where = venue.public_location() if venue is not None else None
            if where is None or where.private or not where.has_point or not row.location_uuid:
                continue
            organisation = row.feed_organisation
            sal_id = str(row.location_uuid)
            yield {
                "type": "Feature",
                "id": sal_id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(where.longitude), float(where.latitude)],
                },
                "properties": serialisers.compact(
                    {
                        "service_at_location_id": sal_id,
                        "service_id": str(row.uuid),
                        "name": row.title,
                        "status": serialisers.STATUSES.get(row.status, "active"),
                        "organization_id": str(organisation.uuid) if organisation else None,
                        "organization_name": organisation.title if organisation else None,
                        "location_id": str(venue.uuid),
                        "location_name": where.name,
                        "url": ctx.page_url(row),
                    }
                ),
            }


def geojson_chunks(ctx: Context) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    for n, feature in enumerate(features(ctx)):
        yield (b",\n" if n else b"\n") + orjson.dumps(feature)
    yield b"\n]}\n"


# The HSDS tabular datapackage ----------------------------------------------------------------


@cache
def hsds_datapackage() -> dict:
    return json.loads(HSDS_DATAPACKAGE.read_text())


@cache
def hsds_resources() -> dict[str, dict]:
    """HSDS's tables by name, in its order."""
    return {resource["name"]: resource for resource in hsds_datapackage()["resources"]}


def columns(table: str) -> list[str]:
    """A table's columns, exactly as HSDS's datapackage.json declares them, in its order."""
    return [field["name"] for field in hsds_resources()[table]["schema"]["fields"]]


def file_name(table: str) -> str:
    return hsds_resources()[table]["path"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def row(table: str, record: dict) -> list[str]:
    """A record's cells in the table's columns; nested lists and objects are not cells (each
    is in its own table)."""
    values = {RENAMED.get((table, key), key): value for key, value in record.items()}
    return [_cell(values.get(name)) for name in columns(table)]


def flatten_service(service: dict, seen_locations: set[str]) -> Iterator[tuple[str, dict]]:
    """(table, record) for a fully nested service and everything that hangs from it. A location
    shared by several services is given once (`seen_locations` holds those given)."""
    yield "service", service
    for schedule in service.get("schedules", []):
        yield "schedule", schedule
    for area in service.get("service_areas", []):
        yield "service_area", area
    for language in service.get("languages", []):
        yield "language", language
    for option in service.get("cost_options", []):
        yield "cost_option", option
    for contact in service.get("contacts", []):
        yield "contact", contact
        for phone in contact.get("phones", []):
            yield "phone", phone
    for attribute in service.get("attributes", []):
        yield "attribute", attribute
    for sal in service.get("service_at_locations", []):
        yield "service_at_location", sal
        location = sal["location"]
        if location["id"] in seen_locations:
            continue
        seen_locations.add(location["id"])
        yield "location", location
        for address in location.get("addresses", []):
            yield "address", address
        for feature in location.get("accessibility", []):
            yield "accessibility", feature


def records(ctx: Context) -> Iterator[tuple[str, dict]]:
    """Every row of every table, as (table, record): the organisations and the taxonomy as
    their lists give them, then each service flattened."""
    for organisation in organizations(ctx):
        yield "organization", organisation
        for identifier in organisation["organization_identifiers"]:
            yield "organization_identifier", identifier
    yield "taxonomy", serialisers.taxonomy(ctx)
    for category in selectors.all_categories():
        yield "taxonomy_term", serialisers.taxonomy_term(category)
    seen_locations: set[str] = set()
    for service in services(ctx):
        yield from flatten_service(service, seen_locations)


def datapackage(tables: Iterable[str]) -> dict:
    """The export's datapackage.json: HSDS's description of each table written, in HSDS's
    order, with the foreign keys to tables not written left out (their columns are empty)."""
    written = set(tables)
    resources = []
    for name, resource in hsds_resources().items():
        if name not in written:
            continue
        resource = copy.deepcopy(resource)
        schema = resource["schema"]
        schema["foreignKeys"] = [
            key for key in schema.get("foreignKeys", []) if key["reference"]["resource"] in written
        ]
        resources.append(resource)
    hsds = hsds_datapackage()
    return {
        "name": "common-ground-directory",
        "title": "Common Ground directory (Open Referral UK 3.0, HSDS 3.0 tables)",
        "description": (
            "The directory's listed services, as its Open Referral UK feed publishes them, "
            "in the HSDS 3.0 tabular format."
        ),
        "profile": hsds["profile"],
        "version": hsds["version"],
        "resources": resources,
    }


class _Tables:
    """A CSV writer for each table, opened (and given its header) at its first row."""

    def __init__(
        self,
        open_table: Callable[[str], IO[bytes]],
        close_table: Callable[[str, IO[bytes]], None] | None = None,
    ):
        self.open_table = open_table
        self.close_table = close_table or (lambda table, handle: handle.close())
        self.handles: dict[str, io.TextIOWrapper] = {}
        self.writers: dict[str, object] = {}
        self.counts: dict[str, int] = {}

    def write(self, table: str, record: dict) -> None:
        writer = self.writers.get(table)
        if writer is None:
            handle = io.TextIOWrapper(self.open_table(table), encoding="utf-8", newline="")
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(columns(table))
            self.handles[table], self.writers[table] = handle, writer
            self.counts[table] = 0
        writer.writerow(row(table, record))
        self.counts[table] += 1

    def written(self) -> list[str]:
        return [t for t in hsds_resources() if t in self.counts]

    def close(self) -> None:
        for table, handle in self.handles.items():
            handle.flush()
            self.close_table(table, handle.detach())
        self.handles.clear()


def write_csv_directory(path: Path, ctx: Context) -> dict[str, int]:
    """The datapackage as a directory: datapackage.json and one CSV a table. Returns the rows
    written, by table."""
    path.mkdir(parents=True, exist_ok=True)
    # Closed by `_Tables.close`: a table's file is open from its first row to the end.
    tables = _Tables(lambda table: open(path / file_name(table), "wb"))  # noqa: SIM115
    try:
        for table, record in records(ctx):
            tables.write(table, record)
    finally:
        tables.close()
    (path / "datapackage.json").write_bytes(
        orjson.dumps(datapackage(tables.written()), option=orjson.OPT_INDENT_2)
    )
    return dict(tables.counts)


class _Pipe(io.RawIOBase):
    """Where the zip is written: bytes kept until they are handed on. Not seekable, so
    zipfile writes each entry's sizes after it (a data descriptor) and never goes back."""

    def __init__(self):
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        return len(data)

    def take(self) -> bytes:
        data = bytes(self.buffer)
        self.buffer.clear()
        return data


def csv_zip_chunks(ctx: Context) -> Iterator[bytes]:
    """The datapackage as a zip, streamed: services.csv first, written as the services are
    read (so the download starts at once), then the other tables from temporary files, then
    datapackage.json."""
    pipe = _Pipe()
    archive = zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED)
    spooled: dict[str, IO[bytes]] = {}

    def open_table(table: str) -> IO[bytes]:
        if table == "service":
            return archive.open(file_name(table), "w", force_zip64=True)
        spooled[table] = tempfile.TemporaryFile()  # noqa: SIM115 (closed below, when copied)
        return spooled[table]

    def close_table(table: str, handle: IO[bytes]) -> None:
        # A spooled table stays open (a temporary file is deleted when closed) until copied.
        if table not in spooled:
            handle.close()

    tables = _Tables(open_table, close_table)
    try:
        for table, record in records(ctx):
            tables.write(table, record)
            if len(pipe.buffer) >= PIECE:
                yield pipe.take()
        tables.close()
        for table in tables.written():
            if table not in spooled:
                continue
            source = spooled[table]
            source.seek(0)
            with archive.open(file_name(table), "w", force_zip64=True) as entry:
                while piece := source.read(PIECE):
                    entry.write(piece)
                    yield pipe.take()
        archive.writestr(
            "datapackage.json",
            orjson.dumps(datapackage(tables.written()), option=orjson.OPT_INDENT_2),
        )
        archive.close()
        yield pipe.take()
    finally:
        for source in spooled.values():
            source.close()


# Writing a format to a file ------------------------------------------------------------------

CHUNKS = {"json": json_chunks, "ndjson": ndjson_chunks, "geojson": geojson_chunks}


def chunks(fmt: str, ctx: Context) -> Iterator[bytes]:
    """A format's bytes (csv as a zip)."""
    if fmt == "csv":
        return csv_zip_chunks(ctx)
    return CHUNKS[fmt](ctx)


def write(fmt: str, output: Path, ctx: Context) -> None:
    """`fmt` written to `output`: for csv, a directory unless `output` ends in .zip. The file
    is written beside its final name and moved there when whole, so that a failed export
    leaves no half-written file behind."""
    if fmt == "csv" and output.suffix.lower() != ".zip":
        write_csv_directory(output, ctx)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        with open(partial, "wb") as handle:
            for piece in chunks(fmt, ctx):
                handle.write(piece)
        shutil.move(partial, output)
    finally:
        partial.unlink(missing_ok=True)
