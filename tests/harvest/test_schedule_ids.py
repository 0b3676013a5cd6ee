"""A harvested session keeps the feed's schedule id as its uuid where it can, and a re-harvest
keeps every session's id: the feed we publish from it gives the same schedule ids again."""

import pytest

from assets_directory.models import Activity

from .conftest import service

pytestmark = pytest.mark.django_db

SESSION_ID = "5b0c9a0e-1f6d-4b7a-8e2c-3d4f5a6b7c01"
TUESDAY = {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "11:00"}
THURSDAY = {**TUESDAY, "byday": "TH"}


def with_sessions(*sessions, **changes) -> dict:
    return service(schedules=list(sessions), **changes)


def session_ids(title="Chair yoga") -> list[str]:
    activity = Activity.objects.get(title=title)
    return [
        str(u) for u in activity.schedules.order_by("sort_order").values_list("uuid", flat=True)
    ]


def test_a_harvested_session_keeps_the_feeds_schedule_id_and_the_feed_publishes_it(harvest, client):
    harvest([with_sessions({"id": SESSION_ID, **TUESDAY})])

    assert session_ids() == [SESSION_ID]
    activity = Activity.objects.get(title="Chair yoga")
    data = client.get(f"/openreferral/services/{activity.uuid}").json()
    assert [s["id"] for s in data["schedules"]] == [SESSION_ID]
    (at_venue,) = data["service_at_locations"]
    at_venue = client.get(f"/openreferral/service_at_locations/{at_venue['id']}").json()
    assert [s["id"] for s in at_venue["schedules"]] == [SESSION_ID]


@pytest.mark.parametrize("changed", [False, True], ids=["unchanged", "changed"])
def test_a_re_harvest_keeps_the_session_ids(harvest, changed):
    other_id = "5b0c9a0e-1f6d-4b7a-8e2c-3d4f5a6b7c02"
    feed = with_sessions({"id": SESSION_ID, **TUESDAY}, {"id": other_id, **THURSDAY})
    harvest([feed])
    again = {**feed, "name": "Chair yoga for all"} if changed else feed

    run = harvest([again])

    assert (run.updated, run.unchanged) == ((1, 0) if changed else (0, 1))
    assert session_ids(again["name"]) == [SESSION_ID, other_id]


def test_a_feed_whose_schedule_ids_are_not_uuids_keeps_the_ids_given_through_re_harvests(
    harvest,
):
    harvest([with_sessions({"id": "s1", **TUESDAY}, {"id": "s2", **THURSDAY})])
    first = session_ids()
    assert len(set(first)) == 2 and "s1" not in first

    # Changed: the sessions are written again, each keeping the id it had for the same times.
    harvest([with_sessions({"id": "s2", **THURSDAY}, {"id": "s1", **TUESDAY}, name="Yoga")])
    assert session_ids("Yoga") == first[::-1]

    # Other times make another session, with another id.
    harvest(
        [
            with_sessions(
                {"id": "s1", **TUESDAY, "opens_at": "14:00", "closes_at": "15:00"},
                name="Chair yoga",
            )
        ]
    )
    (later,) = session_ids()
    assert later not in first


def test_a_schedule_id_another_session_holds_gets_a_new_one_that_re_harvests_keep(
    harvest, activity
):
    held = activity.schedules.get()

    harvest([with_sessions({"id": str(held.uuid), **TUESDAY})])
    (given,) = session_ids()
    harvest([with_sessions({"id": str(held.uuid), **TUESDAY}, name="Yoga")])

    assert given != str(held.uuid)
    assert session_ids("Yoga") == [given]
    assert activity.schedules.get().uuid == held.uuid  # the directory's own session keeps its id


def test_a_schedule_id_given_twice_in_a_feed_is_kept_once(harvest):
    harvest(
        [
            with_sessions({"id": SESSION_ID, **TUESDAY}),
            with_sessions(
                {"id": SESSION_ID, **THURSDAY},
                id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002",
                name="Seated pilates",
            ),
        ]
    )

    assert session_ids() == [SESSION_ID]
    (other,) = session_ids("Seated pilates")
    assert other != SESSION_ID
