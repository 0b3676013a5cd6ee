"""Supply entries are kept beside the index: written, changed and removed with an activity's
index entry, rebuilt with the index, and read back, whole or near a place, by the selector the
commissioners' figures use."""

import datetime

import pytest

from search.models import SupplyEntry
from search.selectors import directory_version, supply_documents
from search.services import index_rebuild, index_update_activities
from tests.factories import OrganisationFactory
from tests.factories.places import SW18, local_activity

pytestmark = pytest.mark.django_db

# About 60 km north of SW18: outside any box drawn round Wandsworth.
LUTON = (51.8787, -0.42)


@pytest.fixture
def group(directory, search_index):
    return OrganisationFactory(parent=directory, title="Wandle Wellbeing")


def entry(activity):
    return SupplyEntry.objects.get(activity_id=activity.pk)


def test_an_indexed_activity_has_its_supply_entry(group):
    walk = local_activity(
        group, "Health walk", "physical-activity",
        start=datetime.time(9), end=datetime.time(10, 30),
    )  # fmt: skip

    index_update_activities(ids=[walk.pk])

    found = entry(walk)
    assert found.weekly_hours == 1.5
    assert (found.lat, found.lng) == SW18
    assert "physical-activity" in found.categories.split(",")
    assert found.south is None and not found.anywhere


def test_a_changed_activity_replaces_its_entry_and_a_removed_one_loses_it(group):
    walk = local_activity(
        group, "Health walk", "physical-activity",
        start=datetime.time(9), end=datetime.time(10),
    )  # fmt: skip
    index_update_activities(ids=[walk.pk])
    schedule = walk.schedules.get()
    schedule.end_time = datetime.time(11)
    schedule.save()

    index_update_activities(ids=[walk.pk])
    assert entry(walk).weekly_hours == 2
    assert SupplyEntry.objects.count() == 1

    walk.unpublish()
    index_update_activities(ids=[walk.pk])
    assert not SupplyEntry.objects.filter(activity_id=walk.pk).exists()


def test_a_rebuild_writes_every_entry_and_drops_what_is_no_longer_indexable(group):
    kept = local_activity(group, "Health walk", "physical-activity")
    gone = local_activity(group, "Old walk", "physical-activity")
    index_rebuild()
    assert set(SupplyEntry.objects.values_list("activity_id", flat=True)) == {kept.pk, gone.pk}
    # Unpublished without an index update (as a crash would leave it): the rebuild notices.
    type(gone).objects.filter(pk=gone.pk).update(live=False)

    index_rebuild()

    assert list(SupplyEntry.objects.values_list("activity_id", flat=True)) == [kept.pk]


def test_supply_documents_near_a_box_leave_out_what_is_held_far_away(group):
    here = local_activity(group, "Health walk", "physical-activity")
    far = local_activity(group, "Luton walk", "physical-activity", lat=LUTON[0], lng=LUTON[1])
    index_rebuild()
    around_sw18 = (SW18[0] - 0.1, SW18[1] - 0.1, SW18[0] + 0.1, SW18[1] + 0.1)

    assert {d.id for d in supply_documents()} == {here.pk, far.pk}
    assert {d.id for d in supply_documents(within=around_sw18)} == {here.pk}


def test_supply_documents_near_a_box_keep_services_that_reach_into_it(group):
    held_far = local_activity(group, "Luton helpline", "advice", lat=LUTON[0], lng=LUTON[1])
    index_rebuild()
    # As an area-wide service covering London from Luton, and as one for anywhere.
    SupplyEntry.objects.filter(activity_id=held_far.pk).update(
        lat=None, lng=None, south=51.2, west=-0.6, north=51.9, east=0.3
    )
    around_sw18 = (SW18[0] - 0.1, SW18[1] - 0.1, SW18[0] + 0.1, SW18[1] + 0.1)
    [document] = supply_documents(within=around_sw18)
    assert document.area == (51.2, -0.6, 51.9, 0.3)

    SupplyEntry.objects.filter(activity_id=held_far.pk).update(
        south=None, west=None, north=None, east=None, anywhere=True
    )
    assert [d.id for d in supply_documents(within=around_sw18)] == [held_far.pk]
    SupplyEntry.objects.filter(activity_id=held_far.pk).update(anywhere=False, lat=60, lng=10)
    assert list(supply_documents(within=around_sw18)) == []


def test_the_directory_version_grows_with_every_update_and_rebuild(group):
    walk = local_activity(group, "Health walk", "physical-activity")
    seen = [directory_version()]
    index_update_activities(ids=[walk.pk])
    seen.append(directory_version())
    index_rebuild()  # prunes the journal: the version must not fall back
    seen.append(directory_version())
    index_rebuild()
    seen.append(directory_version())

    assert seen == sorted(set(seen)), seen
