"""A private venue (a home, a refuge) in the Open Referral feed: its location gives only the
outward code and says the address is given on request; no street, full postcode or point
anywhere in the feed, and every answer still valid. Searches by distance still find it."""

import io
import json
import zipfile

import pytest

from assets_directory.models import Activity
from openreferral import export
from search.services import index_rebuild
from tests.factories import ActivityFactory, ActivityScheduleFactory, VenueFactory

from .validation import assert_valid

pytestmark = pytest.mark.django_db

# The refuge's own point, 2.3 km east of SW18's centre.
REFUGE = (51.45231, -0.16407)
# What must never reach the feed, as it would be written in JSON.
SECRETS = ("Acacia House", "Acacia Avenue", "3XR", "51.4523", "0.1640", "Ring the bell")


def assert_nothing_given_away(text: str) -> None:
    found = [secret for secret in SECRETS if secret in text]
    assert not found, f"{found} given away"


def get(client, path, **params):
    return client.get(f"/openreferral{path}", params)


@pytest.fixture
def group(organisation, search_index):
    refuge = VenueFactory(
        name="Acacia House",
        address_1="12 Acacia Avenue",
        address_2="Flat 2",
        town="London",
        postcode="SW18 3XR",
        latitude=REFUGE[0],
        longitude=REFUGE[1],
        is_private=True,
        accessibility_notes="Ring the bell at 12 Acacia Avenue.",
    )
    activity = ActivityFactory(
        parent=organisation,
        title="Survivors peer support group",
        summary="A safe, confidential group.",
        venue=refuge,
    )
    ActivityScheduleFactory(activity=activity, weekdays="wed")
    index_rebuild()
    return activity


def test_the_location_gives_only_the_outward_code_and_no_point(client, group):
    response = get(client, f"/services/{group.uuid}")
    assert response.status_code == 200
    data = response.json()
    assert_valid("/services/{id}", data)
    assert_nothing_given_away(response.content.decode())
    (sal,) = data["service_at_locations"]
    location = sal["location"]
    assert location["name"] == "Private address in SW18"
    assert "given on request" in location["description"]
    assert "latitude" not in location and "longitude" not in location
    (address,) = location["addresses"]
    assert address["address_1"] == "Private address"
    assert address["postal_code"] == "SW18"
    assert address["city"] == ""
    assert "address_2" not in address


def test_services_at_locations_give_nothing_away_and_validate(client, group, organisation):
    response = get(client, "/service_at_locations", full="true")
    assert response.status_code == 200
    assert_valid("/service_at_locations", response.json())
    assert_nothing_given_away(response.content.decode())
    sal_id = Activity.objects.get(pk=group.pk).location_uuid
    response = get(client, f"/service_at_locations/{sal_id}")
    assert response.status_code == 200
    assert_valid("/service_at_locations/{id}", response.json())
    assert_nothing_given_away(response.content.decode())
    response = get(client, f"/organizations/{organisation.uuid}")
    assert_valid("/organizations/{id}", response.json())
    assert_nothing_given_away(response.content.decode())


def test_the_ndjson_stream_gives_nothing_away(client, group):
    for path in ("/services", "/service_at_locations"):
        response = get(client, path, format="ndjson")
        body = b"".join(response.streaming_content).decode()
        assert_nothing_given_away(body)
        assert "Private address in SW18" in body
    (record,) = [json.loads(line) for line in body.splitlines()]
    assert_valid("/service_at_locations/{id}", record)


def test_a_search_by_postcode_and_proximity_still_finds_it(client, group):
    # The offline geocoder places SW18 3XR at SW18's centre; the refuge's own point, 2.3 km
    # away, is within 3 km of it: the feed searches by the point it keeps.
    near = get(client, "/service_at_locations", postcode="SW18 3XR", proximity="3000")
    assert [sal["service"]["id"] for sal in near.json()["contents"]] == [str(group.uuid)]
    assert_nothing_given_away(near.content.decode())


def test_a_public_venue_keeps_its_address_and_point(client, group):
    group.venue.is_private = False
    group.venue.save()
    data = get(client, f"/services/{group.uuid}").json()
    location = data["service_at_locations"][0]["location"]
    assert location["name"] == "Acacia House"
    assert location["latitude"] == REFUGE[0]
    assert location["addresses"][0]["postal_code"] == "SW18 3XR"
    assert "description" not in location


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "geojson"])
def test_the_export_gives_nothing_away(group, fmt):
    data = b"".join(export.chunks(fmt, export.SiteContext()))
    if fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    body = data.decode()
    assert_nothing_given_away(body)
    if fmt == "geojson":
        # The feed gives a private venue's location no point: the map export leaves it out.
        assert json.loads(body)["features"] == []
    else:
        assert "Private address in SW18" in body
