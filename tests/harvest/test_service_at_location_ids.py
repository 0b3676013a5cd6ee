"""A harvested activity keeps the feed's service_at_location id as its own (`location_uuid`)
where it is a UUID no other activity holds, else it gets one of its own; re-harvests keep it,
and the feed we publish from it gives it again."""

import pytest

from assets_directory.models import Activity
from harvest.models import HarvestConflict, HarvestedRecord
from harvest.services import harvest_conflict_accept

from .conftest import service

pytestmark = pytest.mark.django_db

SAL_ID = "7a3e9c10-2b4d-4e6f-8a1b-9c0d1e2f3a01"
OTHER_ID = "7a3e9c10-2b4d-4e6f-8a1b-9c0d1e2f3a02"


def at(sal_id, **changes) -> dict:
    """The test service, its one service at a location named `sal_id`."""
    data = service(**changes)
    data["service_at_locations"][0]["id"] = sal_id
    return data


def location_uuid(title="Chair yoga") -> str | None:
    value = Activity.objects.values_list("location_uuid", flat=True).get(title=title)
    return None if value is None else str(value)


def test_a_harvested_activity_keeps_the_feeds_id_and_the_feed_publishes_it(harvest, client):
    harvest([at(SAL_ID)])

    assert location_uuid() == SAL_ID
    activity = Activity.objects.get(title="Chair yoga")
    data = client.get(f"/openreferral/services/{activity.uuid}").json()
    assert [s["id"] for s in data["service_at_locations"]] == [SAL_ID]
    item = client.get(f"/openreferral/service_at_locations/{SAL_ID}").json()
    assert item["service_id"] == str(activity.uuid)


@pytest.mark.parametrize("changed", [False, True], ids=["unchanged", "changed"])
def test_a_re_harvest_keeps_it(harvest, changed):
    harvest([at(SAL_ID)])
    again = at(SAL_ID, name="Chair yoga for all") if changed else at(SAL_ID)

    run = harvest([again])

    assert (run.updated, run.unchanged) == ((1, 0) if changed else (0, 1))
    assert location_uuid(again["name"]) == SAL_ID


def test_an_id_that_is_not_a_uuid_gives_one_of_ours_that_re_harvests_keep(harvest):
    harvest([at("sal1")])
    given = location_uuid()
    assert given is not None and given != "sal1"

    harvest([at("sal1", name="Yoga")])
    assert location_uuid("Yoga") == given


def test_an_id_another_activity_holds_gets_a_new_one_that_re_harvests_keep(harvest, activity):
    held = str(Activity.objects.values_list("location_uuid", flat=True).get(pk=activity.pk))

    harvest([at(held)])
    given = location_uuid()
    harvest([at(held, name="Yoga")])

    assert given not in (None, held)
    assert location_uuid("Yoga") == given
    assert location_uuid(activity.title) == held  # the directory's own keeps its id


def test_an_id_given_twice_in_a_feed_is_kept_once(harvest):
    harvest([at(SAL_ID), at(SAL_ID, id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002", name="Pilates")])

    assert location_uuid() == SAL_ID
    assert location_uuid("Pilates") not in (None, SAL_ID)


def test_the_feeds_new_id_is_taken_and_no_location_means_none(harvest):
    harvest([at(SAL_ID)])

    harvest([at(OTHER_ID, name="Yoga")])
    assert location_uuid("Yoga") == OTHER_ID

    harvest([service(name="Online yoga", service_at_locations=[])])
    assert location_uuid("Online yoga") is None

    # Back at a place: its id again, now free.
    harvest([at(SAL_ID)])
    assert location_uuid() == SAL_ID


def test_accepting_a_feeds_change_to_a_record_taken_over_takes_its_new_id(harvest, moderator):
    harvest([at(SAL_ID)])
    record = HarvestedRecord.objects.get(kind="service")
    record.taken_over_at = record.fetched_at
    record.save()
    harvest([at(OTHER_ID, name="Yoga")])
    conflict = HarvestConflict.objects.get()
    assert location_uuid() == SAL_ID  # waiting for a decision

    harvest_conflict_accept(conflict=conflict, user=moderator)

    assert location_uuid("Yoga") == OTHER_ID
