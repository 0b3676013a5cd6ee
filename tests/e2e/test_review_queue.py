"""The moderators' review queue in a real browser: readable by axe, and one step per decision."""

import re

import pytest
from wagtail.models import Workflow

from assets_directory.models import Activity, Organisation
from assets_directory.services import registration_submit
from tests.conftest import make_editor
from tests.e2e.test_accessibility import AXE, violations
from tests.factories import ModeratorFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: `make test` installs axe-core with npm (package.json).")
    return AXE.read_text()


@pytest.fixture
def waiting(listing):
    moderator = ModeratorFactory(username="moderator", password="correct-horse-9")
    listing.save_revision(user=moderator).publish()
    editor = make_editor(listing.get_parent().specific, username="knitter")
    page = Activity.objects.get(pk=listing.pk)
    page.title = "Knit, natter and crochet"
    page.save_revision(user=editor)
    Workflow.objects.get(name="Moderators approval").start(page, editor)
    registration_submit(
        organisation_name="Wandle Walkers",
        kind=Organisation.Kind.COMMUNITY_GROUP,
        description="Walks along the Wandle.",
        website="",
        email="walkers@example.org",
        phone="",
        postcode="SW18 4DJ",
        areas_served="SW18",
        contact_name="Ada Walker",
        contact_email="ada@example.org",
    )
    return page


def sign_in_as_moderator(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def test_review_queue_passes_axe_and_decides_in_one_step(page, axe_source, waiting, traffic):
    sign_in_as_moderator(page)
    page.goto("/admin/review/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review queue")
    expect(page.get_by_role("link", name="Review queue (2)")).to_be_visible()
    expect(page.get_by_role("heading", name="Knit, natter and crochet")).to_be_visible()
    expect(page.get_by_role("heading", name="Wandle Walkers")).to_be_visible()
    assert violations(page, axe_source) == []

    # Sent back without a reason: the reason's field says what is missing; still no violations.
    page.get_by_role(
        "button", name=re.compile(r"^Request changes\W+Knit, natter and crochet$")
    ).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Enter what needs changing")).to_be_visible()
    assert violations(page, axe_source) == []

    page.get_by_role("button", name=re.compile(r"^Approve\W+Knit, natter and crochet$")).click()
    page.wait_for_load_state("networkidle")
    expect(
        page.get_by_text('"Knit, natter and crochet" is approved and published.')
    ).to_be_visible()
    assert Activity.objects.get(pk=waiting.pk).title == "Knit, natter and crochet"
    assert traffic.errors == []
