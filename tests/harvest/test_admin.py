"""The moderators' pages for harvesting, in Wagtail's admin: feeds, harvest now, a run's report,
the crosswalk, changes to decide, taking a record over, records no longer in the feed."""

import io
import json
import re
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assets_directory.models import Activity, Category
from harvest import forms, services, tasks
from harvest.demo import DEMO_SOURCE
from harvest.models import (
    DuplicatePair,
    FeedSource,
    HarvestConflict,
    HarvestedRecord,
    HarvestRun,
    TermMapping,
)
from tests.factories import CategoryFactory

from .conftest import HSDS_EXAMPLES, service

pytestmark = pytest.mark.django_db

SECOND_ID = "0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def harvested(harvest):
    """A feed harvested once: one activity under its organisation, one term waiting."""
    run = harvest([service()], source="Merton directory")
    problem_run = run
    return {
        "run": problem_run,
        "source": FeedSource.objects.get(name="Merton directory"),
        "activity": Activity.objects.get(title="Chair yoga"),
        "record": HarvestedRecord.objects.get(kind="service"),
        "organisation_record": HarvestedRecord.objects.get(kind="organization"),
        "term": TermMapping.objects.get(key="term-exercise"),
    }


@pytest.fixture
def conflict(harvest, harvested):
    record = harvested["record"]
    services.harvested_record_take_over(record=record, user=None)
    harvest([service(name="Chair yoga at the library")], source="Merton directory")
    return HarvestConflict.objects.get(record=record)


def upload(data, name="feed.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


# Who may see and do any of it -------------------------------------------------------------

GETS = [
    ("harvest_feeds", None),
    ("harvest_feed_add", None),
    ("harvest_feed", "source"),
    ("harvest_feed_edit", "source"),
    ("harvest_records", "source"),
    ("harvest_records_gone", "source"),
    ("harvest_run", "run"),
    ("harvest_record", "record"),
    ("harvest_terms", None),
    ("harvest_conflicts", None),
    ("harvest_conflict", "conflict"),
]
POSTS = [
    ("harvest_feed_harvest", "source"),
    ("harvest_record_take_over", "record"),
    ("harvest_record_give_back", "record"),
    ("harvest_term_decide", "term"),
    ("harvest_conflict_accept", "conflict"),
    ("harvest_conflict_refuse", "conflict"),
]


@pytest.fixture
def objects(harvested, conflict):
    return {**harvested, "conflict": conflict}


def url_for(name, key, objects):
    return reverse(name, args=[objects[key].pk] if key else [])


@pytest.mark.parametrize("name, key", GETS + POSTS)
def test_anonymous_visitors_are_sent_to_sign_in(client, objects, name, key):
    url = url_for(name, key, objects)
    response = client.post(url) if (name, key) in POSTS else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


@pytest.mark.parametrize("name, key", GETS + POSTS)
def test_a_groups_editor_is_refused_and_nothing_changes(client, editor, objects, name, key):
    client.force_login(editor)
    before = state_of_the_harvest()
    url = url_for(name, key, objects)
    response = client.post(url, {"from": "address"}) if (name, key) in POSTS else client.get(url)
    # Refused as the rest of the admin refuses: Wagtail turns the 403 into a message on the
    # admin's home page.
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert state_of_the_harvest() == before


def state_of_the_harvest():
    return (
        HarvestRun.objects.count(),
        list(HarvestConflict.objects.values_list("decision", flat=True)),
        HarvestedRecord.objects.filter(taken_over_at__isnull=False).count(),
        list(TermMapping.objects.values_list("category_id", "decided_at")),
    )


@pytest.mark.parametrize("name, key", GETS)
def test_a_moderator_sees_every_page(client, moderator, objects, name, key):
    client.force_login(moderator)
    response = client.get(url_for(name, key, objects))
    assert response.status_code == 200


def test_the_menu_says_how_many_terms_and_changes_wait(client, moderator, objects):
    client.force_login(moderator)
    text = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Terms to map (1)" in text
    assert "Changes to decide (1)" in text


def harvest_submenu(client) -> dict[str, str]:
    """The "Harvested feeds" submenu of the admin's sidebar: each item's label by its address."""
    text = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', text, re.S)
    modules = json.loads(props.group(1))["modules"]
    main_menu = next(m for m in modules if m["_type"] == "wagtail.sidebar.MainMenuModule")
    (submenu,) = [
        item["_args"][1]
        for item in main_menu["_args"][0]
        if item["_args"][0]["label"] == "Harvested feeds"
    ]
    return {item["_args"][0]["url"]: item["_args"][0]["label"] for item in submenu}


def test_likely_duplicates_are_in_the_harvest_menu_and_tabs_with_their_count(
    client, moderator, harvested, activity
):
    local, harvested_one = sorted([activity.pk, harvested["activity"].pk])
    DuplicatePair.objects.create(first_id=local, second_id=harvested_one, reasons="the same title")
    client.force_login(moderator)
    duplicates = reverse("harvest_duplicates")
    assert harvest_submenu(client)[duplicates] == "Likely duplicates (1)"
    # Not a second menu item of its own beside the submenu.
    text = client.get(reverse("wagtailadmin_home")).content.decode()
    assert text.count(f'"url": "{duplicates}"') == 1
    # Every harvest page's tab row leads to it, and on its own page it is the current tab.
    for name in ("harvest_feeds", "harvest_terms", "harvest_conflicts"):
        tabs = client.get(reverse(name)).content.decode()
        assert f'<li><a href="{duplicates}">Likely duplicates</a></li>' in tabs
    own = client.get(duplicates).content.decode()
    assert f'<a href="{duplicates}" aria-current="page">Likely duplicates</a>' in own


def test_a_groups_editor_has_no_harvest_menu(client, editor, objects):
    client.force_login(editor)
    assert "Harvested feeds" not in client.get(reverse("wagtailadmin_home")).content.decode()


# Feeds ------------------------------------------------------------------------------------


def test_the_feeds_list_shows_health_in_words_and_the_latest_harvest(client, moderator, harvested):
    source = harvested["source"]
    source.url = "https://merton.example/openreferral/"
    source.reachable, source.valid, source.response_ms = True, False, 240
    source.last_error = "The feed answered 503 Service Unavailable."
    source.save()
    client.force_login(moderator)
    text = client.get(reverse("harvest_feeds")).content.decode()
    assert "Merton directory" in text
    assert "https://merton.example/openreferral/" in text
    assert "<dt>Reachable</dt><dd>Yes</dd>" in text
    assert "No: some records were skipped" in text
    assert "240 ms" in text
    assert "503 Service Unavailable" in text
    assert reverse("harvest_run", args=[harvested["run"].pk]) in text
    assert "Finished" in text
    assert "1 term to map" in text


def test_a_feed_is_added_and_edited(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_add"),
        {
            "name": "Merton directory",
            "url": "https://merton.example/openreferral/",
            "website": "https://merton.example/",
            "harvest_every_hours": "24",
            "enabled": "on",
        },
    )
    source = FeedSource.objects.get(name="Merton directory")
    assert response.status_code == 302
    assert response["Location"] == reverse("harvest_feed", args=[source.pk])
    assert (source.harvest_every_hours, source.enabled) == (24, True)
    client.post(
        reverse("harvest_feed_edit", args=[source.pk]),
        {"name": "Merton", "url": source.url, "website": "", "harvest_every_hours": ""},
    )
    source.refresh_from_db()
    assert (source.name, source.harvest_every_hours, source.enabled) == ("Merton", None, False)


def test_the_feed_form_names_the_field_of_each_error(client, moderator):
    FeedSource.objects.create(name="Taken")
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_add"),
        {
            "name": "Taken",
            "url": "merton dot example",
            "website": "nope",
            "harvest_every_hours": "0",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Another feed already has this name" in text
    assert "Enter the feed address as a full web address" in text
    assert "Enter the website as a full web address" in text
    assert "“Harvest every (hours)” must be 1 or more" in text
    assert "<title>Error: Add a feed" in text
    assert not FeedSource.objects.filter(url="merton dot example").exists()


def test_a_schedule_needs_an_address(client, moderator):
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_add"), {"name": "Files only", "url": "", "harvest_every_hours": "6"}
    )
    assert response.status_code == 400
    assert "Enter the feed address: a feed is harvested on a schedule" in response.content.decode()


# Harvest now ------------------------------------------------------------------------------


def test_harvest_now_from_a_file_lands_on_its_report(
    client, moderator, directory, private_media, django_capture_on_commit_callbacks
):
    source = FeedSource.objects.create(name="Merton directory")
    bad = service(id=SECOND_ID, name="Broken", status="open all hours")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("harvest_feed_harvest", args=[source.pk]),
            {"from": "file", "file": upload([service(), bad])},
        )
    run = HarvestRun.objects.get(source=source)
    assert response.status_code == 302
    assert response["Location"] == reverse("harvest_run", args=[run.pk])
    assert run.upload.name.endswith(".json") and run.started_by == moderator
    assert (run.state, run.created, run.skipped) == (HarvestRun.State.FINISHED, 1, 1)
    assert Activity.objects.filter(title="Chair yoga").exists()

    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Refresh" not in page  # finished: it stays still
    assert "2 read" in text and "1 new" in text and "1 skipped" in text
    assert '<progress id="run-progress" max="2" value="2">' in text
    assert '<th scope="row">Number 2</th>' in text
    assert SECOND_ID in text and "Broken" in text and "<td>status</td>" in text
    assert "is not one of" in text


def test_harvest_now_from_a_zipped_csv_datapackage(
    client, moderator, directory, private_media, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for table in (HSDS_EXAMPLES / "csv").glob("*.csv"):
            archive.write(table, f"hsds/{table.name}")
    source = FeedSource.objects.create(name="From CSV")
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("harvest_feed_harvest", args=[source.pk]),
            {"from": "file", "file": upload(buffer.getvalue(), "package.zip")},
        )
    run = HarvestRun.objects.get(source=source)
    assert (run.state, run.created) == (HarvestRun.State.FINISHED, 1)


def test_a_run_page_refreshes_itself_only_while_the_harvest_runs(client, moderator, harvested):
    run = HarvestRun.objects.create(
        source=harvested["source"], origin="x", state=HarvestRun.State.RUNNING, expected=10,
        seen=4,
    )  # fmt: skip
    client.force_login(moderator)
    page = client.get(reverse("harvest_run", args=[run.pk]))
    assert page["Refresh"] == "2"
    text = page.content.decode()
    assert "This page refreshes itself every 2 seconds until the harvest ends" in text
    assert '<progress id="run-progress" max="10" value="4">' in text
    stopped = client.get(reverse("harvest_run", args=[run.pk]) + "?refresh=off")
    assert "Refresh" not in stopped
    assert "no longer refreshes itself" in stopped.content.decode()


@pytest.mark.parametrize(
    "name, content, says",
    [
        (
            "feed.csv",
            b"id,name",
            "must be JSON or ndjson (ending .json, .ndjson or .jsonl) or a .zip",
        ),
        ("feed.json", b"", "The file is empty"),
    ],
)
def test_a_file_that_cannot_be_harvested_is_refused_with_a_reason(
    client, moderator, directory, private_media, name, content, says
):
    source = FeedSource.objects.create(name="Merton directory")
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_harvest", args=[source.pk]),
        {"from": "file", "file": upload(content, name)},
    )
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not HarvestRun.objects.exists()


def test_a_file_too_big_is_refused(client, moderator, directory, private_media, monkeypatch):
    monkeypatch.setattr(forms, "UPLOAD_MAX_BYTES", 10)
    source = FeedSource.objects.create(name="Merton directory")
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_harvest", args=[source.pk]),
        {"from": "file", "file": upload([service()])},
    )
    assert response.status_code == 400
    assert "it must be at most 10" in response.content.decode()
    assert not HarvestRun.objects.exists()


def test_no_file_chosen_is_an_error_not_a_harvest_of_the_address(client, moderator, directory):
    source = FeedSource.objects.create(name="Merton", url="https://merton.example/openreferral/")
    client.force_login(moderator)
    response = client.post(reverse("harvest_feed_harvest", args=[source.pk]), {"from": "file"})
    assert response.status_code == 400
    assert "Choose a file to harvest" in response.content.decode()
    assert not HarvestRun.objects.exists()


def test_harvest_now_from_the_address_queues_a_run(
    client, moderator, directory, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks, "harvest_enqueue", queued.append)
    source = FeedSource.objects.create(name="Merton", url="https://merton.example/openreferral/")
    client.force_login(moderator)
    response = client.post(reverse("harvest_feed_harvest", args=[source.pk]), {"from": "address"})
    run = HarvestRun.objects.get()
    assert response["Location"] == reverse("harvest_run", args=[run.pk])
    assert queued == [run] and run.origin == source.url and not run.upload


def test_a_feed_is_harvested_once_at_a_time(client, moderator, directory):
    source = FeedSource.objects.create(name="Merton", url="https://merton.example/openreferral/")
    running = HarvestRun.objects.create(
        source=source, origin=source.url, state=HarvestRun.State.RUNNING
    )
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_harvest", args=[source.pk]), {"from": "address"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("harvest_run", args=[running.pk])
    assert "is being harvested already" in response.content.decode()
    assert HarvestRun.objects.count() == 1


def test_a_feed_without_an_address_says_so(client, moderator, directory):
    source = FeedSource.objects.create(name="Files only")
    client.force_login(moderator)
    response = client.post(
        reverse("harvest_feed_harvest", args=[source.pk]), {"from": "address"}, follow=True
    )
    assert "has no feed address" in response.content.decode()
    assert not HarvestRun.objects.exists()


def test_harvest_now_is_a_post(client, moderator, harvested):
    client.force_login(moderator)
    response = client.get(reverse("harvest_feed_harvest", args=[harvested["source"].pk]))
    assert response.status_code == 405


# The crosswalk ----------------------------------------------------------------------------


def test_mapping_a_term_gives_harvested_activities_the_category_at_once(
    client, moderator, harvest, django_capture_on_commit_callbacks
):
    crafts = CategoryFactory(name="Pottery afternoons", slug="pottery-afternoons")
    active = CategoryFactory(name="Seated exercise", slug="seated-exercise")
    record = service()
    record["attributes"].append(
        {"id": "t2", "taxonomy_term": {"id": "crafts", "name": "Pottery afternoons"}}
    )
    taken = service(id=SECOND_ID, name="Tai chi")
    harvest([record, taken], source="Merton directory")
    HarvestedRecord.objects.filter(external_id=SECOND_ID).update(taken_over_at=timezone.now())
    yoga, tai_chi = Activity.objects.get(title="Chair yoga"), Activity.objects.get(title="Tai chi")
    assert list(yoga.categories.all()) == [crafts]  # mapped by name; "Keeping active" waits
    term = TermMapping.objects.get(key="term-exercise")

    client.force_login(moderator)
    waiting = client.get(reverse("harvest_terms")).content.decode()
    assert "Keeping active</th>" in waiting and "Pottery afternoons</th>" not in waiting
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("harvest_term_decide", args=[term.pk]),
            {f"term-{term.pk}-category": active.pk, "next": reverse("harvest_terms") + "?show=all"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("harvest_terms") + "?show=all"
    assert "1 harvested activity has their categories again" in response.content.decode()
    term.refresh_from_db()
    assert term.category == active and term.decided_by == moderator
    assert term.how == f"by {moderator.get_full_name()}"
    # Its other term's category is kept; the activity kept here is left as it is.
    assert set(yoga.categories.all()) == {crafts, active}
    assert list(tai_chi.categories.all()) == []
    mapped = client.get(reverse("harvest_terms") + "?show=mapped").content.decode()
    assert f"Mapped by {moderator.get_full_name()}" in mapped


def test_a_term_said_to_mean_nothing_stops_waiting(client, moderator, harvested):
    term = harvested["term"]
    client.force_login(moderator)
    client.post(reverse("harvest_term_decide", args=[term.pk]), {f"term-{term.pk}-category": ""})
    term.refresh_from_db()
    assert term.category is None and term.decided_at is not None
    assert "Keeping active</th>" not in client.get(reverse("harvest_terms")).content.decode()


def test_terms_are_filtered_by_feed(client, moderator, harvest):
    harvest([service()], source="Merton directory")
    harvest([service(attributes=[{"id": "a", "taxonomy_term": {"id": "x", "name": "Bowls"}}])],
            source="Sutton directory")  # fmt: skip
    sutton = FeedSource.objects.get(name="Sutton directory")
    client.force_login(moderator)
    text = client.get(reverse("harvest_terms") + f"?feed={sutton.pk}").content.decode()
    assert "Bowls" in text and "Keeping active" not in text


# Changes to decide ------------------------------------------------------------------------


def test_a_change_is_shown_field_by_field(client, moderator, conflict):
    client.force_login(moderator)
    listed = client.get(reverse("harvest_conflicts")).content.decode()
    assert reverse("harvest_conflict", args=[conflict.pk]) in listed
    text = client.get(reverse("harvest_conflict", args=[conflict.pk])).content.decode()
    assert "<td>Chair yoga</td>" in text
    assert "<td>Chair yoga at the library</td>" in text
    assert "Differs" in text and "Same" in text
    assert "Accept the feed's version" in text and "Keep ours" in text


def test_accepting_writes_the_feeds_version_and_keeps_the_record_taken_over(
    client, moderator, conflict
):
    client.force_login(moderator)
    response = client.post(reverse("harvest_conflict_accept", args=[conflict.pk]))
    assert response["Location"] == reverse("harvest_conflicts")
    conflict.refresh_from_db()
    assert conflict.decision == "accepted" and conflict.decided_by == moderator
    activity = Activity.objects.get(pk=conflict.record.page_id)
    assert activity.title == "Chair yoga at the library"
    assert activity.schedules.get().weekdays == "tue"
    record = HarvestedRecord.objects.get(pk=conflict.record_id)
    assert record.taken_over_at is not None
    assert record.content_hash == conflict.content_hash
    # Decided once only.
    again = client.post(reverse("harvest_conflict_accept", args=[conflict.pk]), follow=True)
    assert "already been decided" in again.content.decode()


def test_keeping_ours_leaves_the_listing_and_is_not_asked_again(
    client, moderator, harvest, conflict
):
    client.force_login(moderator)
    client.post(reverse("harvest_conflict_refuse", args=[conflict.pk]))
    conflict.refresh_from_db()
    assert conflict.decision == "refused"
    assert Activity.objects.filter(title="Chair yoga").exists()
    run = harvest([service(name="Chair yoga at the library")], source="Merton directory")
    assert run.conflicts == 0 and run.unchanged == 1
    assert not HarvestConflict.objects.filter(decision="pending").exists()


def test_a_change_to_an_organisation_taken_over_is_accepted(client, moderator, harvest, harvested):
    record = harvested["organisation_record"]
    services.harvested_record_take_over(record=record, user=moderator)
    renamed = service(name="Chair yoga, Tuesdays")
    renamed["organization"]["name"] = "Balham Movers and Shakers"
    harvest([renamed], source="Merton directory")
    conflict = HarvestConflict.objects.get(record=record)
    client.force_login(moderator)
    text = client.get(reverse("harvest_conflict", args=[conflict.pk])).content.decode()
    assert "<td>Balham Movers</td>" in text and "<td>Balham Movers and Shakers</td>" in text
    client.post(reverse("harvest_conflict_accept", args=[conflict.pk]))
    assert Activity.objects.get(title="Chair yoga, Tuesdays").get_parent().title == (
        "Balham Movers and Shakers"
    )


# Taking over ------------------------------------------------------------------------------


def test_taking_a_record_over_then_a_harvest_makes_a_change_to_decide(
    client, moderator, harvest, harvested
):
    record = harvested["record"]
    client.force_login(moderator)
    page = client.get(reverse("harvest_record", args=[record.pk])).content.decode()
    assert "Take this record over" in page
    response = client.post(reverse("harvest_record_take_over", args=[record.pk]), follow=True)
    assert "is kept here now" in response.content.decode()
    record.refresh_from_db()
    assert record.taken_over_by == moderator
    # It opens in the editor now.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[record.page_id])).status_code == 200
    run = harvest([service(name="Renamed at the source")], source="Merton directory")
    assert run.conflicts == 1
    assert Activity.objects.filter(title="Chair yoga").exists()
    page = client.get(reverse("harvest_record", args=[record.pk])).content.decode()
    assert reverse("harvest_conflict", args=[HarvestConflict.objects.get().pk]) in page


def test_giving_a_record_back_lets_the_next_harvest_write_over_it(
    client, moderator, harvest, conflict
):
    record = conflict.record
    Activity.objects.filter(pk=record.page_id).update(title="Edited here")
    client.force_login(moderator)
    client.post(reverse("harvest_record_give_back", args=[record.pk]))
    record.refresh_from_db()
    assert record.taken_over_at is None
    assert not HarvestConflict.objects.exists()
    run = harvest([service(name="Chair yoga at the library")], source="Merton directory")
    assert run.updated == 1
    assert Activity.objects.get(pk=record.page_id).title == "Chair yoga at the library"


def test_a_harvested_page_has_its_harvest_record_in_the_page_explorer(
    client, moderator, editor, harvested
):
    activity = harvested["activity"]
    url = reverse("harvest_record", args=[harvested["record"].pk])
    client.force_login(moderator)
    explore = client.get(reverse("wagtailadmin_explore", args=[activity.pk])).content.decode()
    assert url in explore


# Records ----------------------------------------------------------------------------------


def test_records_no_longer_in_the_feed_are_listed_with_their_pages(client, moderator, harvest):
    harvest([service(), service(id=SECOND_ID, name="Tai chi")], source="Merton directory")
    harvest([service()], source="Merton directory")
    source = FeedSource.objects.get(name="Merton directory")
    gone = HarvestedRecord.objects.get(external_id=SECOND_ID)
    client.force_login(moderator)
    text = client.get(reverse("harvest_records_gone", args=[source.pk])).content.decode()
    assert "Tai chi" in text and "Chair yoga" not in text
    assert reverse("harvest_record", args=[gone.pk]) in text
    assert Activity.objects.get(title="Tai chi").url in text
    everything = client.get(reverse("harvest_records", args=[source.pk])).content.decode()
    assert "Tai chi" in everything and "Chair yoga" in everything
    feeds = client.get(reverse("harvest_feeds")).content.decode()
    assert "1 no longer in the feed" in feeds


def test_records_are_called_by_the_directorys_words_not_open_referrals(client, moderator, conflict):
    # Open Referral's "service" and "location" are this directory's activity and venue: the
    # stored kinds keep the feed's words, what a moderator reads is ours.
    client.force_login(moderator)
    source, record = conflict.record.source, conflict.record
    records = client.get(reverse("harvest_records", args=[source.pk])).content.decode()
    assert "<td>Activity</td>" in records and "<td>Organisation</td>" in records
    assert "<td>Service</td>" not in records
    one = client.get(reverse("harvest_record", args=[record.pk])).content.decode()
    assert "Chair yoga (activity)" in one
    conflicts = client.get(reverse("harvest_conflicts")).content.decode()
    assert "<td>Activity</td>" in conflicts
    decide = client.get(reverse("harvest_conflict", args=[conflict.pk])).content.decode()
    assert "(activity)" in decide and "(service)" not in decide
    terms = client.get(reverse("harvest_terms")).content.decode()
    assert '<th scope="col">Activities</th>' in terms and "Services" not in terms
    assert HarvestedRecord.Kind.LOCATION.label == "Venue"
    assert record.kind == "service"


def test_categories_of_a_crosswalk_are_ours(harvested):
    # The select offers our categories, in the tree's order.
    form = forms.TermCategoryForm()
    assert list(form.fields["category"].queryset) == list(Category.objects.in_tree_order())


# The services behind the pages ------------------------------------------------------------


def test_accepting_writes_sessions_venue_and_categories_as_a_harvest_would(
    harvest, harvested, moderator
):
    active = CategoryFactory(name="Seated exercise", slug="seated-exercise")
    services.term_mapping_decide(mapping=harvested["term"], category=active, user=moderator)
    record = harvested["record"]
    services.harvested_record_take_over(record=record, user=moderator)
    changed = service(
        schedules=[{"id": "s1", "freq": "WEEKLY", "byday": "TH", "opens_at": "14:00"}],
        attributes=[{"id": "t9", "taxonomy_term": {"id": "term-other", "name": "Other"}}],
    )
    changed["service_at_locations"][0]["location"]["name"] = "Balham Library, first floor"
    harvest([changed], source="Merton directory")
    activity = Activity.objects.get(pk=record.page_id)
    assert activity.schedules.get().weekdays == "tue"  # waiting, not written
    conflict = HarvestConflict.objects.get(record=record)

    services.harvest_conflict_accept(conflict=conflict, user=moderator)
    activity = Activity.objects.get(pk=record.page_id)
    assert activity.schedules.get().weekdays == "thu"
    assert activity.venue.name == "Balham Library, first floor"
    assert list(activity.categories.all()) == []  # its only term now is not mapped
    record.refresh_from_db()
    assert record.term_keys == ["term-other"] and record.taken_over_at is not None


def test_a_term_unmapped_later_takes_its_category_off_harvested_activities(harvested, moderator):
    active = CategoryFactory(name="Seated exercise", slug="seated-exercise")
    term = harvested["term"]
    assert services.term_mapping_decide(mapping=term, category=active, user=moderator) == 1
    assert list(harvested["activity"].categories.all()) == [active]
    assert services.term_mapping_decide(mapping=term, category=None, user=moderator) == 1
    assert list(harvested["activity"].categories.all()) == []


def test_every_page_opens_on_the_demos_harvested_feed(client, settings, directory):
    settings.DEBUG = True
    call_command("load_demo", organisations=2, activities=2, stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(username="moderator"))
    source = FeedSource.objects.get(name=DEMO_SOURCE)
    conflict = HarvestConflict.objects.get(decision="pending")
    urls = [
        reverse("harvest_feeds"),
        reverse("harvest_feed", args=[source.pk]),
        reverse("harvest_feed_edit", args=[source.pk]),
        reverse("harvest_records", args=[source.pk]),
        reverse("harvest_records_gone", args=[source.pk]),
        reverse("harvest_terms") + "?show=all",
        reverse("harvest_conflicts"),
        reverse("harvest_conflict", args=[conflict.pk]),
        *(reverse("harvest_run", args=[run.pk]) for run in source.runs.all()),
        *(reverse("harvest_record", args=[r.pk]) for r in source.records.all()),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "Differs" in client.get(reverse("harvest_conflict", args=[conflict.pk])).content.decode()
