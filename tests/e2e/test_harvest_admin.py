"""The moderators' harvest pages in a real browser, each checked by axe: a file harvested from
the feed's page lands on its report; a term mapped in the crosswalk; a record taken over, the
feed's change to it waiting, and accepted."""

import json
import re

import pytest

from assets_directory.models import Activity
from harvest.models import FeedSource, HarvestConflict
from tests.e2e.test_accessibility import violations
from tests.e2e.test_review_queue import axe_source, sign_in_as_moderator  # noqa: F401 (a fixture)
from tests.factories import CategoryFactory, ModeratorFactory
from tests.harvest.conftest import service

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def feed(live_site, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    ModeratorFactory(username="moderator", password="correct-horse-9")
    CategoryFactory(name="Seated exercise", slug="seated-exercise")
    return FeedSource.objects.create(name="Merton directory", website="https://merton.example/")


def feed_file(tmp_path, records, name):
    path = tmp_path / name
    path.write_text(json.dumps(records))
    return path


def harvest_file(page, feed, path):
    page.goto(f"/admin/harvest/feeds/{feed.pk}/")
    page.get_by_label("File to harvest").set_input_files(str(path))
    page.get_by_role("button", name="Harvest this file").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/admin/harvest/runs/\d+/$"))


def test_harvest_report_crosswalk_and_a_change_to_decide(
    page,
    new_context,
    feed,
    tmp_path,
    axe_source,  # noqa: F811
    screenshot,
):
    sign_in_as_moderator(page)
    page.goto("/admin/harvest/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Harvested feeds")
    expect(page.get_by_role("link", name="Merton directory")).to_be_visible()
    assert violations(page, axe_source) == []
    screenshot(page, "feeds")

    # A file with one good service and one the feed got wrong: the report says which and why.
    broken = service(id="0d9f5f53-0d3a-4b8e-9a43-6a5a7c1b0002", name="Broken", status="open")
    harvest_file(page, feed, feed_file(tmp_path, [service(), broken], "merton.json"))
    expect(page.locator("#run-state")).to_have_text("Finished")
    expect(page.get_by_text("2 read")).to_be_visible()
    problems = page.get_by_role("region", name=re.compile("Records skipped"))
    expect(problems.get_by_role("row", name=re.compile("Number 2"))).to_contain_text("status")
    assert violations(page, axe_source) == []
    screenshot(page, "run")

    # The feed's form names the field of each error, linked from a summary at the top.
    page.goto(f"/admin/harvest/feeds/{feed.pk}/edit/")
    page.get_by_label("Feed address").fill("merton dot example")
    page.get_by_role("button", name="Save the feed").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    summary.get_by_role("link", name=re.compile("Enter the feed address")).click()
    expect(page.get_by_label("Feed address")).to_be_focused()
    assert violations(page, axe_source) == []
    screenshot(page, "feed-form-error")

    # The feed's page refuses a file that is not JSON, saying why, next to the field.
    page.goto(f"/admin/harvest/feeds/{feed.pk}/")
    page.get_by_label("File to harvest").set_input_files(
        files=[{"name": "merton.csv", "mimeType": "text/csv", "buffer": b"id,name"}]
    )
    page.get_by_role("button", name="Harvest this file").click()
    expect(page.get_by_role("alert")).to_contain_text("must be JSON or ndjson")
    assert violations(page, axe_source) == []
    screenshot(page, "feed-upload-error")

    # The crosswalk: "Keeping active" waits; mapping it gives the activity its category.
    page.goto("/admin/harvest/terms/")
    page.get_by_label("Our category for “Keeping active”").select_option(label="Seated exercise")
    assert violations(page, axe_source) == []
    page.get_by_role("row", name=re.compile("Keeping active")).get_by_role(
        "button", name="Save"
    ).click()
    expect(page.get_by_text("“Keeping active” (Merton directory) means")).to_be_visible()
    activity = Activity.objects.get(title="Chair yoga")
    assert [c.name for c in activity.categories.all()] == ["Seated exercise"]

    # Taken over from its record's page, then changed at the source: the change waits.
    page.goto(f"/admin/harvest/feeds/{feed.pk}/records/")
    # In the directory's words: an activity and its organisation, not Open Referral's service.
    records = page.get_by_role("region", name=re.compile("record"))
    expect(records.get_by_role("row", name=re.compile("Chair yoga"))).to_contain_text("Activity")
    expect(records.get_by_role("cell", name="Service", exact=True)).to_have_count(0)
    assert violations(page, axe_source) == []
    screenshot(page, "records")
    page.get_by_role("link", name="Chair yoga", exact=True).click()
    assert violations(page, axe_source) == []
    page.get_by_role("button", name="Take this record over").click()
    expect(page.get_by_text("is kept here now")).to_be_visible()
    changed = [service(name="Chair yoga on Tuesdays")]
    harvest_file(page, feed, feed_file(tmp_path, changed, "merton-2.json"))
    expect(page.get_by_text("1 waiting as conflicts")).to_be_visible()
    assert Activity.objects.filter(title="Chair yoga").exists()

    page.goto("/admin/harvest/conflicts/")
    page.get_by_role("link", name="Chair yoga").click()
    expect(page.get_by_role("row", name=re.compile("^Title"))).to_contain_text(
        "Chair yoga on Tuesdays"
    )
    assert violations(page, axe_source) == []
    screenshot(page, "conflict")
    page.get_by_role("button", name="Accept the feed's version").click()
    expect(page.get_by_text("now has the feed's version")).to_be_visible()
    assert Activity.objects.filter(title="Chair yoga on Tuesdays").exists()
    assert HarvestConflict.objects.get().decision == "accepted"

    # On a phone, the run's report still reads: its table scrolls in its own box.
    signed_in = page.context.storage_state()
    phone = new_context(viewport={"width": 375, "height": 740}, storage_state=signed_in).new_page()
    phone.goto("/admin/harvest/")
    phone.get_by_role("link", name="Merton directory").click()
    phone.get_by_role("link", name=re.compile(r"\d{4}, \d\d:\d\d")).first.click()
    expect(phone.locator("#run-state")).to_have_text("Finished")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1
    assert violations(phone, axe_source) == []
    screenshot(phone, "run-phone")
