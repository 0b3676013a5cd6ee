"""The HSDS 3.0 tabular form (a CSV datapackage), read as nested services.

A datapackage is one CSV file a table (`services.csv`, `locations.csv`, `schedules.csv`...),
linked by ids, in a folder or a zip. Services are read from `services.csv` one row at a time;
the rows that hang from them are first copied into a temporary SQLite file, indexed by the id
they hang from, so that memory stays flat however big the package is. Each service comes out
as the nested record `/services/{id}` would give, and goes through the same checks.
"""

from __future__ import annotations

import csv
import io
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

from .readers import FeedError, Item

# Fields the datapackage types as numbers: CSV holds text, the records hold numbers.
NUMBERS = {
    "services.csv": {"minimum_age", "maximum_age"},
    "locations.csv": {"latitude", "longitude"},
    "schedules.csv": {"timezone", "count", "interval"},
    "cost_options.csv": {"amount"},
    "phones.csv": {"extension"},
}
# Each table of rows that hang from something, and the columns they are found by.
CHILDREN = {
    "organizations.csv": ("id",),
    "organization_identifiers.csv": ("organization_id",),
    "locations.csv": ("id",),
    "addresses.csv": ("location_id",),
    "accessibility.csv": ("location_id",),
    "service_at_location.csv": ("service_id",),
    "schedules.csv": ("service_id", "service_at_location_id"),
    "service_areas.csv": ("service_id",),
    "languages.csv": ("service_id",),
    "cost_options.csv": ("service_id",),
    "contacts.csv": ("service_id",),
    "phones.csv": ("service_id", "contact_id"),
    "attributes.csv": ("link_id",),
    "taxonomy_terms.csv": ("id",),
}
MAX_FIELD = 1024 * 1024  # a cell of more than a megabyte is not a directory's data


@contextmanager
def _package(path: Path):
    """A function opening one of the package's tables as text (None when it has none)."""
    if path.is_dir():

        def open_table(name: str):
            table = path / name
            return open(table, encoding="utf-8-sig", newline="") if table.exists() else None

        yield open_table
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name: n for n in archive.namelist() if n.endswith(".csv")}

            def open_table(name: str):
                if name not in names:
                    return None
                raw = archive.open(names[name])
                return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")

            yield open_table
    else:
        raise FeedError(
            "A datapackage is a folder or a .zip of CSV files (services.csv and the rest)."
        )


def _typed(row: dict, numbers: set[str]) -> dict:
    """A CSV row as a record: empty cells left out, number columns as numbers (a cell that is
    not one stays text, for the checks to report)."""
    record = {}
    for key, value in row.items():
        if key is None or value is None or value == "":
            continue
        if key in numbers:
            try:
                number = float(value)
            except ValueError:
                record[key] = value
                continue
            record[key] = int(number) if number.is_integer() and "." not in value else number
        else:
            record[key] = value
    return record


def _reader(handle, name: str) -> csv.DictReader:
    csv.field_size_limit(MAX_FIELD)
    return csv.DictReader(handle)


def read_datapackage(path: str | Path) -> Iterator[Item]:
    path = Path(path)
    with _package(path) as open_table, tempfile.TemporaryDirectory() as scratch:
        services = open_table("services.csv")
        if services is None:
            raise FeedError("The datapackage has no services.csv.")
        db = sqlite3.connect(Path(scratch) / "package.sqlite3")
        try:
            _load_children(db, open_table)
            rows = _Rows(db)
            position = 0
            try:
                with services:
                    for row in _reader(services, "services.csv"):
                        position += 1
                        record = _typed(row, NUMBERS["services.csv"])
                        yield Item(
                            position, data=rows.service(record), source_id=record.get("id", "")
                        )
            except csv.Error as exc:
                raise FeedError(
                    f"services.csv is not a CSV file from row {position + 1}: {exc}"
                ) from None
        finally:
            db.close()


def _load_children(db: sqlite3.Connection, open_table: Callable) -> None:
    db.execute("CREATE TABLE row (tbl TEXT, col TEXT, key TEXT, data BLOB)")
    for name, columns in CHILDREN.items():
        handle = open_table(name)
        if handle is None:
            continue
        numbers = NUMBERS.get(name, set())
        with handle:
            try:
                batch = []
                for row in _reader(handle, name):
                    record = _typed(row, numbers)
                    data = orjson.dumps(record)
                    for column in columns:
                        if record.get(column):
                            batch.append((name, column, str(record[column]), data))
                    if len(batch) >= 5000:
                        db.executemany("INSERT INTO row VALUES (?, ?, ?, ?)", batch)
                        batch = []
                db.executemany("INSERT INTO row VALUES (?, ?, ?, ?)", batch)
            except csv.Error as exc:
                raise FeedError(f"{name} is not a CSV file: {exc}") from None
    db.execute("CREATE INDEX row_key ON row (tbl, col, key)")


class _Rows:
    """The rows hanging from a record, nested as the API would give them."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def _find(self, table: str, column: str, key) -> list[dict]:
        if not key:
            return []
        cursor = self.db.execute(
            "SELECT data FROM row WHERE tbl = ? AND col = ? AND key = ?", (table, column, str(key))
        )
        return [orjson.loads(data) for (data,) in cursor]

    def _one(self, table: str, key) -> dict | None:
        found = self._find(table, "id", key)
        return found[0] if found else None

    def location(self, location_id) -> dict | None:
        location = self._one("locations.csv", location_id)
        if location is None:
            return None
        location["addresses"] = self._find("addresses.csv", "location_id", location_id)
        location["accessibility"] = self._find("accessibility.csv", "location_id", location_id)
        return location

    def service(self, service: dict) -> dict:
        service_id = service.get("id")
        organisation = self._one("organizations.csv", service.get("organization_id"))
        if organisation is not None:
            organisation["organization_identifiers"] = self._find(
                "organization_identifiers.csv", "organization_id", organisation["id"]
            )
            service["organization"] = organisation
        schedules = self._find("schedules.csv", "service_id", service_id)
        service["schedules"] = [s for s in schedules if not s.get("service_at_location_id")]
        places = []
        for sal in self._find("service_at_location.csv", "service_id", service_id):
            location = self.location(sal.get("location_id"))
            if location is not None:
                sal["location"] = location
            sal["schedules"] = self._find("schedules.csv", "service_at_location_id", sal.get("id"))
            places.append(sal)
        service["service_at_locations"] = places
        service["service_areas"] = self._find("service_areas.csv", "service_id", service_id)
        service["languages"] = self._find("languages.csv", "service_id", service_id)
        service["cost_options"] = self._find("cost_options.csv", "service_id", service_id)
        contacts = self._find("contacts.csv", "service_id", service_id)
        for contact in contacts:
            contact["phones"] = self._find("phones.csv", "contact_id", contact.get("id"))
        service["contacts"] = contacts
        service["phones"] = [
            p for p in self._find("phones.csv", "service_id", service_id) if not p.get("contact_id")
        ]
        attributes = self._find("attributes.csv", "link_id", service_id)
        for attribute in attributes:
            term = self._one("taxonomy_terms.csv", attribute.get("taxonomy_term_id"))
            if term is not None:
                attribute["taxonomy_term"] = term
        service["attributes"] = attributes
        return service
