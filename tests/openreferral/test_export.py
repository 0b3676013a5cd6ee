"""Exports of the feed (openreferral/export.py): ORUK JSON and ndjson, the HSDS 3.0 tabular CSV
datapackage and GeoJSON, by command and from the admin. Each holds exactly what the feed lists,
with the feed's ids; the CSV tables are HSDS's, column for column, and every key resolves."""

import csv
import io
import json
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from harvest.readers import read_json_file
from harvest.tabular import read_datapackage
from openreferral import export
from openreferral.serialisers import Context
from tests.conftest import make_editor
from tests.factories import ActivityFactory, VenueFactory
from tests.factories.users import ModeratorFactory, UserFactory

from .validation import assert_valid

HSDS_DATAPACKAGE = Path("/work/shared/openreferral/hsds-3.0/datapackage.json")


def feed(client, path, **params):
    return client.get(f"/openreferral{path}", params)


def feed_services(client) -> list[dict]:
    response = feed(client, "/services", format="ndjson")
    return [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]


def total(client, path) -> int:
    return feed(client, path, per_page=1).json()["total_items"]


def read_csv_zip(data: bytes) -> tuple[dict, dict[str, list[dict]], dict[str, list[str]]]:
    """(datapackage, rows by table, header by table) of a zipped export."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        rows, headers = {}, {}
        for resource in package["resources"]:
            text = archive.read(resource["path"]).decode("utf-8")
            reader = csv.reader(io.StringIO(text, newline=""))
            headers[resource["name"]] = next(reader)
            rows[resource["name"]] = [
                dict(zip(headers[resource["name"]], r, strict=True)) for r in reader
            ]
    return package, rows, headers


@pytest.fixture
def csv_export(borough, tmp_path):
    output = tmp_path / "export.zip"
    call_command("export_openreferral", format="csv", output=str(output), stdout=io.StringIO())
    return read_csv_zip(output.read_bytes())


# The HSDS tabular datapackage ---------------------------------------------------------------


def test_the_shipped_hsds_datapackage_is_the_specifications():
    if not HSDS_DATAPACKAGE.exists():
        pytest.skip("The shared specifications are not on this machine.")
    assert json.loads(HSDS_DATAPACKAGE.read_text()) == export.hsds_datapackage()


@pytest.mark.django_db
def test_each_csv_has_hsds_columns_in_hsds_order(csv_export):
    package, _rows, headers = csv_export
    hsds = {r["name"]: r for r in export.hsds_datapackage()["resources"]}
    written = [r["name"] for r in package["resources"]]
    # The tables the feed has data for, in HSDS's order; none it has no data for.
    assert written == [name for name in hsds if name in written]
    assert set(written) == set(export.TABLES)
    for resource in package["resources"]:
        fields = [f["name"] for f in hsds[resource["name"]]["schema"]["fields"]]
        assert headers[resource["name"]] == fields
        assert resource["path"] == hsds[resource["name"]]["path"]
        assert [f["name"] for f in resource["schema"]["fields"]] == fields


@pytest.mark.django_db
def test_each_csv_holds_as_many_rows_as_the_feed(client, csv_export, borough):
    _package, rows, _headers = csv_export
    services = feed_services(client)
    nested = Counter()
    locations = set()
    for service in services:
        for key, table in [
            ("schedules", "schedule"),
            ("service_areas", "service_area"),
            ("languages", "language"),
            ("cost_options", "cost_option"),
            ("contacts", "contact"),
            ("attributes", "attribute"),
        ]:
            nested[table] += len(service[key])
        nested["phone"] += sum(len(c["phones"]) for c in service["contacts"])
        for sal in service["service_at_locations"]:
            locations.add(sal["location"]["id"])
    counts = {table: len(found) for table, found in rows.items()}
    assert counts["service"] == total(client, "/services") == len(borough["activities"])
    assert counts["organization"] == total(client, "/organizations")
    assert counts["service_at_location"] == total(client, "/service_at_locations")
    assert counts["taxonomy_term"] == total(client, "/taxonomy_terms")
    assert counts["taxonomy"] == total(client, "/taxonomies") == 1
    assert counts["location"] == counts["address"] == len(locations) == 3
    for table, expected in nested.items():
        assert counts[table] == expected, table
    assert {r["id"] for r in rows["service"]} == {s["id"] for s in services}
    # A listed service's row is the feed's, field for field (a nested one is its own table).
    service = services[0]
    row = next(r for r in rows["service"] if r["id"] == service["id"])
    for key, value in service.items():
        if not isinstance(value, list | dict):
            assert row[key] == str(value), key


@pytest.mark.django_db
def test_every_foreign_key_in_the_csvs_resolves(csv_export):
    package, rows, _headers = csv_export
    ids = {table: {r["id"] for r in found} for table, found in rows.items()}
    for table, found in ids.items():
        assert len(found) == len(rows[table]), f"{table} has a repeated id"
    checked = 0
    for resource in package["resources"]:
        for key in resource["schema"]["foreignKeys"]:
            (column,) = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
            target = key["reference"]["resource"]
            for row in rows[resource["name"]]:
                if row[column]:
                    assert row[column] in ids[target], (resource["name"], column, row[column])
                    checked += 1
    # Links the datapackage does not declare as foreign keys: a term's parent, an attribute's
    # service.
    for row in rows["taxonomy_term"]:
        if row["parent_id"]:
            assert row["parent_id"] in ids["taxonomy_term"]
    for row in rows["attribute"]:
        assert row["link_type"] == "service" and row["link_id"] in ids["service"]
    assert checked > 100


@pytest.mark.django_db
def test_the_csv_directory_and_the_zip_hold_the_same_tables(borough, tmp_path, csv_export):
    _package, rows, _headers = csv_export
    call_command(
        "export_openreferral", format="csv", output=str(tmp_path / "tables"), stdout=io.StringIO()
    )
    package = json.loads((tmp_path / "tables" / "datapackage.json").read_text())
    for resource in package["resources"]:
        with open(tmp_path / "tables" / resource["path"], newline="", encoding="utf-8") as f:
            assert list(csv.DictReader(f)) == rows[resource["name"]]
    assert sorted(p.name for p in (tmp_path / "tables").iterdir()) == sorted(
        ["datapackage.json", *(r["path"] for r in package["resources"])]
    )


def without_known_differences(service: dict) -> dict:
    """A service as the harvester's datapackage reader nests it back, for comparing: what it
    does not read (a term's `term`, which is its `code`) and the empty lists it adds are left
    out; a service area's HSDS `description` is read as ORUK's `service_area`."""
    service = json.loads(json.dumps(service))
    for key in ("funding", "phones"):
        service.pop(key, None)
    for attribute in service["attributes"]:
        attribute["taxonomy_term"].pop("term", None)
    for area in service["service_areas"]:
        if "description" in area:
            area["service_area"] = area.pop("description")
    for sal in service["service_at_locations"]:
        if not sal.get("schedules"):
            sal.pop("schedules", None)
        for address in sal["location"]["addresses"]:
            if not address.get("state_province"):
                address.pop("state_province", None)
    return service


@pytest.mark.django_db
def test_the_csv_export_reads_back_as_the_feeds_services(client, borough, tmp_path):
    output = tmp_path / "hsds.zip"
    call_command("export_openreferral", format="csv", output=str(output), stdout=io.StringIO())
    back = [item.data for item in read_datapackage(output)]
    services = feed_services(client)
    assert [s["id"] for s in back] == [s["id"] for s in services]
    for read, published in zip(back, services, strict=True):
        assert without_known_differences(read) == without_known_differences(published)


# JSON, ndjson and GeoJSON -------------------------------------------------------------------


@pytest.mark.django_db
def test_json_export_is_every_listed_service_whole_and_valid(client, borough, tmp_path):
    output = tmp_path / "services.json"
    call_command("export_openreferral", format="json", output=str(output), stdout=io.StringIO())
    data = json.loads(output.read_bytes())
    assert list(data) == ["services"]
    feed_ids = [s["id"] for s in feed_services(client)]
    assert [s["id"] for s in data["services"]] == feed_ids
    for service in data["services"]:
        assert_valid("/services/{id}", service)
    ids = {s["id"] for s in data["services"]}
    assert str(borough["draft"].uuid) not in ids
    assert str(borough["ended"].uuid) not in ids
    # Absolute URLs on the default site, as the feed gives them.
    assert all(s["url"].startswith("http") for s in data["services"])
    # The harvester reads it back as an export, record for record.
    assert [item.data for item in read_json_file(output)] == data["services"]


@pytest.mark.django_db
def test_ndjson_export_is_the_feeds_stream(client, borough, tmp_path):
    output = tmp_path / "services.ndjson"
    call_command("export_openreferral", format="ndjson", output=str(output), stdout=io.StringIO())
    lines = [json.loads(line) for line in output.read_bytes().splitlines()]
    assert lines == feed_services(client)


@pytest.mark.django_db
def test_geojson_has_a_point_for_each_service_at_a_venue_with_coordinates(
    client, borough, tmp_path
):
    nowhere = VenueFactory(name="Unmapped hall", latitude=None, longitude=None)
    unmapped = ActivityFactory(parent=borough["helpers"], title="Unmapped club", venue=nowhere)
    output = tmp_path / "points.geojson"
    call_command("export_openreferral", format="geojson", output=str(output), stdout=io.StringIO())
    data = json.loads(output.read_bytes())
    assert data["type"] == "FeatureCollection"
    sals = feed(client, "/service_at_locations", per_page=500).json()["contents"]
    mapped = [s for s in sals if "latitude" in s["location"]]
    assert len(mapped) == len(sals) - 1
    assert [f["id"] for f in data["features"]] == [s["id"] for s in mapped]
    assert str(unmapped.uuid) not in {f["properties"]["service_id"] for f in data["features"]}
    by_id = {s["id"]: s for s in mapped}
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert feature["geometry"]["type"] == "Point"
        sal = by_id[feature["id"]]
        longitude, latitude = feature["geometry"]["coordinates"]
        assert (latitude, longitude) == (sal["location"]["latitude"], sal["location"]["longitude"])
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        properties = feature["properties"]
        assert properties["service_id"] == sal["service_id"]
        assert properties["name"] == sal["service"]["name"]
        assert properties["location_id"] == sal["location_id"]
        assert properties["url"] == sal["service"]["url"]
        assert properties["organization_name"]
    # London is west of Greenwich: longitude first.
    library = next(f for f in data["features"] if f["properties"]["location_name"].startswith("S"))
    assert library["geometry"]["coordinates"][0] < 0 < library["geometry"]["coordinates"][1]


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_format(tmp_path):
    with pytest.raises(Exception, match="format"):
        call_command("export_openreferral", format="xml", output=str(tmp_path / "x"))
    assert not list(tmp_path.iterdir())


# The admin's downloads ----------------------------------------------------------------------


@pytest.mark.django_db
def test_export_page_is_for_moderators_only(client, borough):
    page = reverse("openreferral_export")
    download = reverse("openreferral_export_download", args=["geojson"])
    for url in (page, download):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]
    # An editor is refused: Wagtail sends them to the admin's home with "Sorry, you do not
    # have permission"; an account without admin access is sent to sign in as another.
    client.force_login(make_editor(borough["choirs"]))
    for url in (page, download):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    client.force_login(UserFactory())
    response = client.get(download)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fmt, ending, content_type",
    [
        ("json", "oruk.json", "application/json"),
        ("csv", "hsds.zip", "application/zip"),
        ("geojson", "geojson", "application/geo+json"),
    ],
)
def test_a_moderator_downloads_each_export(client, borough, fmt, ending, content_type):
    client.force_login(ModeratorFactory())
    page = client.get(reverse("openreferral_export"))
    assert page.status_code == 200
    url = reverse("openreferral_export_download", args=[fmt])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["Content-Disposition"].endswith(f'{ending}"')
    body = b"".join(response.streaming_content)
    ctx = Context(response.wsgi_request)
    assert body == b"".join(export.chunks(fmt, ctx)) or fmt == "csv"
    if fmt == "csv":
        _package, rows, _headers = read_csv_zip(body)
        assert len(rows["service"]) == len(borough["activities"])
    else:
        assert json.loads(body)


@pytest.mark.django_db
def test_a_format_the_admin_does_not_offer_is_404(client, borough):
    client.force_login(ModeratorFactory())
    assert client.get(reverse("openreferral_export_download", args=["xml"])).status_code == 404
