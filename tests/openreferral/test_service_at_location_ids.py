"""A service at a location's id is the activity's stored `location_uuid`: the feed's lists,
items, stream and map give the same one, `/service_at_locations/{id}` finds the activity by it,
and the ids published before it was stored (made from the two database keys) still find their
activities, as migration 0018 stored exactly those."""

import importlib
import uuid

import orjson
import pytest
from django.apps import apps

from assets_directory.models import Activity
from openreferral import export
from tests.factories import ActivityFactory, VenueFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assets_directory.migrations.0018_activity_location_uuid")


def stored(activity) -> str:
    return str(Activity.objects.values_list("location_uuid", flat=True).get(pk=activity.pk))


def test_every_view_of_the_feed_gives_the_stored_id(client, activity):
    activity.save_revision().publish()
    sal_id = stored(activity)

    service = client.get(f"/openreferral/services/{activity.uuid}").json()
    assert [s["id"] for s in service["service_at_locations"]] == [sal_id]
    listed = client.get("/openreferral/service_at_locations").json()["contents"]
    assert [s["id"] for s in listed] == [sal_id]
    item = client.get(f"/openreferral/service_at_locations/{sal_id}").json()
    assert (item["id"], item["service_id"]) == (sal_id, str(activity.uuid))
    assert all(s.get("service_at_location_id") == sal_id for s in item["schedules"])
    lines = b"".join(
        client.get("/openreferral/services", {"format": "ndjson"}).streaming_content
    ).splitlines()
    assert orjson.loads(lines[0])["service_at_locations"][0]["id"] == sal_id
    (feature,) = export.features(export.SiteContext())
    assert feature["id"] == feature["properties"]["service_at_location_id"] == sal_id


def test_the_list_and_the_item_agree_for_every_service_at_a_location(client, organisation):
    for n in range(4):
        ActivityFactory(parent=organisation, title=f"Group {n}")
    ActivityFactory(parent=organisation, title="Online", venue=None, delivery="online")

    listed = client.get("/openreferral/service_at_locations", {"per_page": 50}).json()["contents"]

    assert len(listed) == 4
    assert {s["id"] for s in listed} == {
        str(u)
        for u in Activity.objects.filter(venue__isnull=False).values_list(
            "location_uuid", flat=True
        )
    }
    for sal in listed:
        item = client.get(f"/openreferral/service_at_locations/{sal['id']}").json()
        assert (item["id"], item["service_id"], item["location_id"]) == (
            sal["id"], sal["service_id"], sal["location_id"]
        )  # fmt: skip


def test_an_id_that_is_no_activitys_finds_nothing(client, activity):
    activity.save_revision().publish()
    for other in (str(uuid.uuid4()), str(activity.uuid), "not-an-id"):
        assert client.get(f"/openreferral/service_at_locations/{other}").status_code == 404


def test_the_migration_stores_the_ids_made_from_the_keys_as_the_feed_published_them():
    # Known answers, as openreferral/ids.py made them before the ids were stored.
    assert str(migration.published_id(1, 2)) == "00000000-0001-85a1-8000-000000000002"
    assert str(migration.published_id(12, 34)) == "00000000-000c-85a1-8000-000000000022"
    assert str(migration.published_id(2**48 - 1, 1)) == "ffffffff-ffff-85a1-8000-000000000001"
    with pytest.raises(ValueError):
        migration.published_id(0, 1)


def test_ids_published_before_the_migration_still_find_their_activities(client, organisation):
    at_hall = ActivityFactory(parent=organisation, title="At the hall")
    at_library = ActivityFactory(parent=organisation, title="At the library", venue=VenueFactory())
    online = ActivityFactory(parent=organisation, title="Online", venue=None, delivery="online")
    # The rows as they were before the field: no id stored.
    Activity.objects.update(location_uuid=None)

    migration.published_ids(apps, None)

    for activity in (at_hall, at_library):
        published = str(migration.published_id(activity.pk, activity.venue_id))
        assert stored(activity) == published
        item = client.get(f"/openreferral/service_at_locations/{published}")
        assert item.status_code == 200
        assert (item.json()["id"], item.json()["service_id"]) == (published, str(activity.uuid))
    assert Activity.objects.get(pk=online.pk).location_uuid is None

    # Publishing again keeps the published id; a move to another venue gives a new one, and the
    # old id then finds nothing (it named the activity at the venue it left).
    old = stored(at_hall)
    at_hall.save_revision().publish()
    assert stored(at_hall) == old
    page = Activity.objects.get(pk=at_hall.pk)
    page.venue = VenueFactory(name="Tooting Library")
    page.save_revision().publish()
    assert stored(at_hall) != old
    assert client.get(f"/openreferral/service_at_locations/{old}").status_code == 404
