"""Harvesting files: the official validator's mock feeds, HSDS's examples, and our own."""

import datetime

import pytest
from django.utils import timezone

from assets_directory.models import Activity, Category, Organisation, Venue
from harvest.models import HarvestConflict, HarvestedRecord, HarvestProblem, HarvestRun, TermMapping
from tests.factories import CategoryFactory

from .conftest import HSDS_EXAMPLES, MOCKS, service, write_json

pytestmark = pytest.mark.django_db


def skipped(run):
    return list(run.problems.filter(severity=HarvestProblem.Severity.SKIPPED))


@pytest.mark.parametrize(
    "path",
    [
        MOCKS / "V3.0-UK-Default" / "service_full.json",
        MOCKS / "V3.0-UK-Default" / "service_list.json",
        MOCKS / "V3.0-UK-Warn" / "service_full.json",
        HSDS_EXAMPLES / "service_full.json",
        HSDS_EXAMPLES / "service_list.json",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_valid_feeds_written_by_others_import_with_nothing_skipped(harvest, path):
    run = harvest(path=path)
    assert run.state == HarvestRun.State.FINISHED
    assert skipped(run) == []
    assert run.created == 1
    record = HarvestedRecord.objects.get(kind="service")
    activity = Activity.objects.get(pk=record.page_id)
    assert activity.title == "Community Counselling"
    assert activity.live
    assert str(activity.uuid) == record.external_id  # the source's id is kept
    assert activity.get_parent().specific.title.startswith("Example Organization")


def test_the_failing_mock_feed_is_reported_record_by_record_and_writes_nothing(harvest):
    run = harvest(path=MOCKS / "V3.0-UK-Fail" / "service_list.json")
    problems = skipped(run)
    assert run.state == HarvestRun.State.FINISHED
    assert [p.position for p in problems] == [1, 2, 3, 4]
    assert all(p.field == "name" and "required" in p.reason for p in problems)
    assert run.created == 0
    assert not Activity.objects.filter(title="Community Counselling").exists()
    assert not HarvestedRecord.objects.exists()


def test_a_feed_repeating_an_id_imports_it_once_and_says_so(harvest):
    run = harvest(path=MOCKS / "V3.0-UK-Test" / "service_list.json")
    assert run.created == 1
    assert run.skipped == run.seen - 1 > 0
    assert all("more than once" in p.reason for p in skipped(run))
    assert Activity.objects.filter(title="Community Counselling").count() == 1


def test_a_service_is_written_with_its_organisation_venue_sessions_and_provenance(harvest):
    before = timezone.now()
    run = harvest([service()])
    assert (run.created, run.skipped) == (1, 0)
    activity = Activity.objects.get(title="Chair yoga")
    assert activity.get_parent().title == "Balham Movers"
    assert activity.get_parent().specific.charity_number == "1100001"
    assert activity.venue.name == "Balham Library"
    assert activity.venue.postcode == "SW12 8QY"
    assert [s.describe() for s in activity.schedules.all()] == [activity.schedules.get().describe()]
    assert activity.schedules.get().weekdays == "tue"
    record = activity.harvested_record
    assert record.source.name == "Neighbours"
    assert record.external_id == service()["id"]
    assert record.fetched_at >= before
    assert len(record.content_hash) == 64
    assert HarvestedRecord.objects.filter(kind="location").count() == 1
    assert HarvestedRecord.objects.filter(kind="organization").count() == 1


def test_harvesting_the_same_feed_twice_changes_nothing(harvest):
    feed = [service(), service(id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002", name="Tai chi")]
    harvest(feed)
    counts = (Activity.objects.count(), Organisation.objects.count(), Venue.objects.count())
    again = harvest(feed)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert counts == (
        Activity.objects.count(),
        Organisation.objects.count(),
        Venue.objects.count(),
    )


def test_a_changed_record_is_updated_in_place(harvest):
    harvest([service()])
    activity = Activity.objects.get(title="Chair yoga")
    run = harvest([service(name="Chair yoga for beginners", minimum_age=55)])
    assert (run.created, run.updated) == (0, 1)
    activity.refresh_from_db()
    assert activity.title == "Chair yoga for beginners"
    assert activity.age_min == 55


def test_a_record_taken_over_keeps_local_edits_and_the_change_waits_as_a_conflict(harvest):
    harvest([service()])
    record = HarvestedRecord.objects.get(kind="service")
    record.taken_over_at = timezone.now()
    record.save()
    run = harvest([service(name="Renamed at the source")])
    assert run.conflicts == 1 and run.updated == 0
    assert Activity.objects.filter(title="Chair yoga").exists()
    conflict = HarvestConflict.objects.get(record=record)
    assert conflict.data["name"] == "Renamed at the source"
    assert conflict.decision == HarvestConflict.Decision.PENDING
    # A newer change replaces the waiting one rather than piling up.
    harvest([service(name="Renamed again")])
    assert HarvestConflict.objects.get(record=record).data["name"] == "Renamed again"


def test_records_gone_from_the_feed_are_flagged_not_deleted(harvest):
    second = service(id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002", name="Tai chi")
    harvest([service(), second])
    run = harvest([service()])
    assert run.disappeared == 1
    gone = HarvestedRecord.objects.get(external_id=second["id"])
    assert gone.gone_since is not None
    assert Activity.objects.filter(title="Tai chi", live=True).exists()
    # It comes back: the flag goes.
    harvest([service(), second])
    gone.refresh_from_db()
    assert gone.gone_since is None


def test_unmapped_terms_are_queued_and_their_services_still_imported(harvest):
    harvest([service()])
    term = TermMapping.objects.get(key="term-exercise")
    assert term.category is None
    assert Activity.objects.get(title="Chair yoga").categories.count() == 0


def test_terms_map_by_name_and_common_grounds_own_taxonomy_by_code(harvest):
    active = CategoryFactory(name="Keeping active", slug="keeping-active")
    crafts = CategoryFactory(name="Arts and crafts", slug="arts-crafts")
    ours = {
        "id": "t2",
        "taxonomy_term": {
            "id": "their-id-for-crafts",
            "name": "Crafts (their wording)",
            "code": "arts-crafts",
            "taxonomy": "Common Ground categories",
        },
    }
    record = service()
    record["attributes"].append(ours)
    harvest([record])
    activity = Activity.objects.get(title="Chair yoga")
    assert set(activity.categories.all()) == {active, crafts}
    assert TermMapping.objects.get(key="term-exercise").how == "the same name"


def test_a_mapping_decided_later_is_kept_for_the_next_harvest(harvest):
    harvest([service()])
    category = Category.objects.first()
    TermMapping.objects.filter(key="term-exercise").update(category=category)
    harvest([service(name="Chair yoga, Tuesdays")])
    assert list(Activity.objects.get(title="Chair yoga, Tuesdays").categories.all()) == [category]


def test_malformed_json_part_way_fails_the_run_and_keeps_what_came_before(harvest, tmp_path):
    import json

    good = json.dumps([service()])[:-1]  # an unfinished list: one good record, then junk
    path = tmp_path / "broken.json"
    path.write_text(good + ', {"id": "x", "name": ')
    run = harvest(path=path)
    assert run.state == HarvestRun.State.FAILED
    assert "not valid JSON" in run.error
    assert run.created == 1
    assert not run.complete
    assert HarvestedRecord.objects.filter(gone_since__isnull=False).count() == 0


def test_a_file_that_is_not_json_fails_clearly(harvest, tmp_path):
    path = tmp_path / "page.json"
    path.write_text("<html><body>Not a feed</body></html>")
    run = harvest(path=path)
    assert run.state == HarvestRun.State.FAILED
    assert "not valid JSON" in run.error


def test_ndjson_lines_that_are_not_json_are_reported_and_the_rest_imported(harvest, tmp_path):
    import json

    path = tmp_path / "feed.ndjson"
    path.write_text(json.dumps(service()) + "\n{not json}\n[1, 2]\n")
    run = harvest(path=path)
    assert run.created == 1
    reasons = [p.reason for p in skipped(run)]
    assert "Line 2 is not valid JSON" in reasons[0]
    assert reasons[1] == "The record is not a JSON object."


def test_a_service_naming_an_organisation_the_feed_lacks_goes_under_the_source(harvest):
    record = service(organization=None, organization_id="nowhere")
    del record["organization"]
    run = harvest([record])
    activity = Activity.objects.get(title="Chair yoga")
    assert activity.get_parent().title == "Neighbours"
    assert any(p.field == "organization_id" for p in run.problems.all())


def test_one_source_cannot_overwrite_another_sources_record(harvest):
    harvest([service()], source="First")
    harvest([service(name="Second's version")], source="Second")
    assert Activity.objects.filter(title="Chair yoga").exists()
    assert Activity.objects.filter(title="Second's version").exists()
    uuids = set(Activity.objects.filter(title__in=["Chair yoga", "Second's version"])
                .values_list("uuid", flat=True))  # fmt: skip
    assert len(uuids) == 2


def test_the_last_modified_date_becomes_the_published_date(harvest):
    harvest([service(last_modified="2026-01-02T03:04:05Z")])
    activity = Activity.objects.get(title="Chair yoga")
    assert activity.last_published_at == datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


def test_write_json_helper_writes_a_list(tmp_path):
    assert write_json(tmp_path, [1]).read_text() == "[1]"


def test_a_queued_run_with_an_uploaded_file_is_carried_out_once(directory, settings, tmp_path):
    import json

    from django.core.files.base import ContentFile

    from harvest import services, tasks

    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    source = services.feed_source_get_or_create(name="Uploaded")
    run = services.harvest_run_create(source=source, origin="feed.json")
    run.upload.save("feed.json", ContentFile(json.dumps([service()]).encode()))
    tasks.harvest_run(run.pk)
    run.refresh_from_db()
    assert (run.state, run.created) == (HarvestRun.State.FINISHED, 1)
    # A second delivery of the same task (a retry, a duplicate message) does nothing.
    tasks.harvest_run(run.pk)
    run.refresh_from_db()
    assert run.created == 1 and Activity.objects.filter(title="Chair yoga").count() == 1


def test_a_feed_without_an_address_or_file_fails_with_a_reason(directory):
    from harvest import services

    source = services.feed_source_get_or_create(name="Nowhere")
    run = services.harvest_run_create(source=source, origin="")
    run = services.harvest_run_execute(run_id=run.pk)
    assert run.state == HarvestRun.State.FAILED
    assert "no address" in run.error


def test_feeds_are_due_by_their_interval_and_never_twice_at_once(directory):
    from harvest import selectors, services

    now = timezone.now()
    due = services.feed_source_get_or_create(name="Due", url="https://a.example/feed/")
    due.harvest_every_hours = 24
    due.checked_at = now - datetime.timedelta(hours=25)
    due.save()
    fresh = services.feed_source_get_or_create(name="Fresh", url="https://b.example/feed/")
    fresh.harvest_every_hours = 24
    fresh.checked_at = now - datetime.timedelta(hours=2)
    fresh.save()
    services.feed_source_get_or_create(name="By hand", url="https://c.example/feed/")
    assert selectors.feeds_due(now=now) == [due]
    services.harvest_run_create(source=due, origin=due.url)  # waiting to run
    assert selectors.feeds_due(now=now) == []


def test_a_private_location_is_harvested_as_a_private_venue(harvest):
    record = service()
    location = record["service_at_locations"][0]["location"]
    location.update(name="Private address in SW12", latitude=None, longitude=None)
    location["addresses"][0].update(address_1="Private address", city="", postal_code="SW12")
    harvest([record])
    venue = Activity.objects.get(title="Chair yoga").venue
    assert venue.is_private and venue.postcode == "SW12"
    assert venue.public_location().address_1 == "Private address"


def test_a_venues_accessibility_features_and_an_organisations_languages_are_written(harvest):
    record = service(languages=[{"id": "l1", "name": "English"}, {"id": "l2", "name": "Polish"}])
    location = record["service_at_locations"][0]["location"]
    location["accessibility"] = [
        {"id": "a1", "description": "Step-free access"},
        {"id": "a2", "description": "Notes", "details": "Ramp at the side door."},
    ]
    harvest([record])
    activity = Activity.objects.get(title="Chair yoga")
    venue = activity.venue
    assert [f.slug for f in venue.accessibility.all()] == ["step-free"]
    assert venue.accessibility_notes == "Ramp at the side door."
    assert activity.get_parent().specific.languages == "English, Polish"

    location["accessibility"] = [{"id": "a3", "description": "Hearing loop"}]
    harvest([record])
    venue.refresh_from_db()
    assert [f.slug for f in venue.accessibility.all()] == ["hearing-loop"]
    assert venue.accessibility_notes == ""
