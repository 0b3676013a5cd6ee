"""What the demo's neighbouring feed brings, in a real browser: its likely duplicates of local
listings decided by a moderator (and refused to an editor), its listings saying on the public
site where they come from, and one of them taken over and given back, Wagtail's editor locked
until it is taken over."""

import datetime
import re

import pytest
from django.db.models import Q
from wagtail.models import Page

from assets_directory.models import Activity, Organisation
from harvest.demo import DEMO_SOURCE, ensure_demo_harvest
from harvest.models import DuplicatePair, HarvestedRecord
from tests.conftest import make_editor
from tests.e2e.test_accessibility import violations
from tests.e2e.test_review_queue import axe_source, sign_in_as_moderator
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    ModeratorFactory,
    OrganisationFactory,
    VenueFactory,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

__all__ = ["axe_source"]  # a fixture, used by name


@pytest.fixture
def demo_harvest(listing):
    """The demo feed harvested over two local activities: `listing` ("Knit and natter"), which
    the demo lists again as its twin, and a local "Wandle riverside walk" next door to the
    feed's own community centre. Each makes a likely duplicate with its harvested namesake."""
    ModeratorFactory(username="moderator", password="correct-horse-9")
    walkers = OrganisationFactory(title="Wandle Valley Walkers")
    walk = ActivityFactory(
        parent=walkers,
        title="Wandle riverside walk",
        summary="A walk by the river, led by a volunteer.",
        # About 30 m from the feed's Colliers Wood Community Centre (harvest/demo.py).
        venue=VenueFactory(name="Wandle Park gates", latitude=51.4179, longitude=-0.1783),
    )
    ActivityScheduleFactory(activity=walk, weekdays="wed", start_time=datetime.time(10, 0))
    ensure_demo_harvest()
    return {"knit": listing, "walk": walk}


def harvest_menu(page):
    """The admin's "Harvested feeds" submenu, opened."""
    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("button", name="Harvested feeds").click()
    return menu


def harvested(title):
    return Activity.objects.get(title=title, harvested_record__isnull=False)


def pair_of(local):
    return DuplicatePair.objects.get(Q(first=local) | Q(second=local))


def test_a_moderator_keeps_one_pair_apart_and_merges_another(
    page, demo_harvest, axe_source, screenshot, traffic
):
    knit, walk = demo_harvest["knit"], demo_harvest["walk"]
    harvested_walk = harvested("Wandle riverside walk")
    old_url = harvested_walk.url
    assert DuplicatePair.objects.filter(decision="pending").count() == 2

    sign_in_as_moderator(page)
    # Found with the rest of the harvest's decisions: in its submenu, with its count, and in
    # the harvest pages' own tabs.
    harvest_menu(page).get_by_role("link", name="Likely duplicates (2)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Likely duplicates")
    tabs = page.get_by_role("navigation", name="Harvested feeds")
    expect(tabs.get_by_role("link", name="Likely duplicates")).to_have_attribute(
        "aria-current", "page"
    )
    tabs.get_by_role("link", name="Feeds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harvested feeds")
    page.get_by_role("navigation", name="Harvested feeds").get_by_role(
        "link", name="Likely duplicates"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Likely duplicates")
    pairs = page.locator("section.duplicate-pair")
    expect(pairs).to_have_count(2)
    # A title the two share is said once, with where each listing comes from.
    knit_heading = f"Knit and natter — in {DEMO_SOURCE} and on this site"
    walk_heading = f"Wandle riverside walk — in {DEMO_SOURCE} and on this site"
    knit_pair = pairs.filter(has=page.get_by_role("heading", name=knit_heading, exact=True))
    walk_pair = pairs.filter(has=page.get_by_role("heading", name=walk_heading, exact=True))
    expect(knit_pair).to_have_count(1)
    expect(walk_pair).to_have_count(1)
    expect(knit_pair).to_contain_text("Why: much the same title at venues within 100 m.")
    # Each side says where it comes from.
    expect(knit_pair.get_by_role("row", name=re.compile("This directory"))).to_have_count(1)
    expect(knit_pair.get_by_role("row", name=re.compile(re.escape(DEMO_SOURCE)))).to_have_count(1)
    # Every decision's button says, to a screen reader, which listing or pair it decides; the
    # tables' captions are for screen readers only.
    expect(
        knit_pair.get_by_role(
            "button", name=f"Same: keep this one (Knit and natter, from {DEMO_SOURCE})"
        )
    ).to_be_visible()
    expect(
        walk_pair.get_by_role("button", name=f"Different: keep both ({walk_heading})")
    ).to_be_visible()
    assert knit_pair.locator("caption").bounding_box()["height"] <= 1
    assert violations(page, axe_source) == []
    screenshot(page, "pairs")

    # The demo's twin of "Knit and natter" is another session: the two are kept apart.
    knit_pair.get_by_role("button", name="Different: keep both").click()
    expect(page.get_by_text("Kept apart: the pair will not be suggested again.")).to_be_visible()
    expect(pairs).to_have_count(1)
    expect(page.get_by_role("heading", name=knit_heading)).to_have_count(0)
    assert pair_of(knit).decision == DuplicatePair.Decision.APART

    # The walk is the same walk: the local listing stays, the feed's copy goes.
    walk_pair.get_by_role(
        "button", name="Same: keep this one (Wandle riverside walk, from This directory)"
    ).click()
    expect(page.get_by_text("Merged: “Wandle riverside walk” stays")).to_be_visible()
    expect(page.get_by_text("No likely duplicates are waiting.")).to_be_visible()
    assert violations(page, axe_source) == []
    screenshot(page, "decided")
    expect(harvest_menu(page).get_by_role("link", name="Likely duplicates (0)")).to_be_visible()
    decided = pair_of(walk)
    assert (decided.decision, decided.kept_id) == (DuplicatePair.Decision.MERGED, walk.pk)
    harvested_walk.refresh_from_db()
    assert not harvested_walk.live
    assert Page.objects.get(pk=walk.pk).live

    # The feed's copy's old address leads to the listing kept.
    page.goto(old_url)
    expect(page).to_have_url(re.compile(re.escape(walk.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Wandle riverside walk")
    expect(page.get_by_text("Listed by")).to_have_count(0)
    assert traffic.errors == []


def test_an_editor_is_refused_the_likely_duplicates(new_context, demo_harvest, screenshot):
    make_editor(demo_harvest["knit"].get_parent().specific, username="knitter")
    page = new_context().new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("knitter")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Likely duplicates"))).to_have_count(0)

    response = page.goto("/admin/harvest/duplicates/")
    # Wagtail's admin turns the view's refusal into its dashboard, saying why.
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(
        page.get_by_text("Sorry, you do not have permission to access this area.")
    ).to_be_visible()
    screenshot(page, "refused")
    expect(page.get_by_text("Knit and natter —")).to_have_count(0)
    pair = DuplicatePair.objects.first()
    response = page.request.post(
        f"/admin/harvest/duplicates/{pair.pk}/decide/",
        form={"keep": "apart"},
        headers={"X-CSRFToken": csrf_token(page)},
        max_redirects=0,
    )
    assert response.status == 302
    assert not response.headers["location"].endswith("/admin/harvest/duplicates/")
    assert DuplicatePair.objects.filter(decision="pending").count() == 2


def csrf_token(page):
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_a_harvested_listing_says_where_it_comes_from(page, demo_harvest, axe_source, screenshot):
    talk = harvested("Time to talk")
    page.goto(talk.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Time to talk")
    source = page.locator(".listing-source")
    expect(source).to_contain_text(f"Listed by{DEMO_SOURCE}, another directory")
    expect(source).to_contain_text("which keeps it up to date.")
    # Nobody here checked it, and its feed gives no date it was checked: its page says when it
    # was last fetched from there instead.
    facts = page.locator(".facts")
    expect(facts.locator("dt", has_text="Last checked")).to_have_count(0)
    fetched = facts.locator("div", has=page.locator("dt", has_text="Last fetched"))
    expect(fetched.locator("dd")).to_have_text(
        re.compile(rf"^From {re.escape(DEMO_SOURCE)} on \d{{1,2}} \w+ \d{{4}}$")
    )
    expect(source.get_by_role("link", name=DEMO_SOURCE)).to_have_attribute(
        "href", "https://www.merton.gov.uk/"
    )
    # Its feed's term waits in the crosswalk: no category of ours yet, and no empty row saying so.
    expect(page.locator(".facts dt", has_text="Categories")).to_have_count(0)
    assert violations(page, axe_source) == []
    screenshot(page, "activity")

    # Its group's page too, with no offer to claim a listing that another directory keeps.
    page.get_by_role("link", name="Colliers Wood Community Centre").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Colliers Wood Community Centre")
    expect(page.locator(".listing-source")).to_contain_text(f"{DEMO_SOURCE}, another directory")
    expect(page.locator(".claim-listing")).to_have_count(0)
    expect(page.get_by_role("link", name="Ask to look after it")).to_have_count(0)
    assert violations(page, axe_source) == []
    screenshot(page, "organisation")

    # The record the demo took over says it is kept here now.
    page.goto(harvested("Colliers Wood coffee morning").url)
    expect(page.locator(".listing-source")).to_contain_text("this copy is now kept here")
    expect(page.locator(".facts dt", has_text="Last checked")).to_have_count(1)

    # A local listing says nothing of the sort; its group may be claimed.
    page.goto(demo_harvest["walk"].url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wandle riverside walk")
    expect(page.get_by_text("Listed by")).to_have_count(0)
    page.goto(Organisation.objects.get(title="Wandle Valley Walkers").url)
    expect(page.get_by_text("Listed by")).to_have_count(0)
    expect(page.get_by_role("link", name="Ask to look after it")).to_be_visible()


def test_taking_a_record_over_opens_the_editor_and_giving_it_back_locks_it(
    page, demo_harvest, axe_source, screenshot
):
    talk = harvested("Time to talk")
    record = HarvestedRecord.objects.get(page=talk)
    edit = f"/admin/pages/{talk.pk}/edit/"
    sign_in_as_moderator(page)

    # Before: Wagtail's editor sends the moderator back, saying why.
    page.goto(edit)
    expect(page).not_to_have_url(re.compile(re.escape(edit) + "$"))
    expect(page.get_by_text(f"“Time to talk” comes from {DEMO_SOURCE}")).to_be_visible()
    screenshot(page, "locked")

    page.goto(f"/admin/harvest/feeds/{record.source_id}/records/")
    page.get_by_role("link", name="Time to talk", exact=True).click()
    expect(
        page.get_by_text(f"{DEMO_SOURCE}: each harvest writes the feed's version")
    ).to_be_visible()
    page.get_by_role("button", name="Take this record over").click()
    expect(page.get_by_text("“Time to talk” is kept here now")).to_be_visible()
    record.refresh_from_db()
    assert record.taken_over_at is not None
    assert violations(page, axe_source) == []
    screenshot(page, "taken-over")

    # After: the editor opens.
    page.get_by_role("link", name="Edit it").click()
    expect(page).to_have_url(re.compile(re.escape(edit) + "$"))
    expect(page.locator("#id_title")).to_have_value("Time to talk")
    screenshot(page, "editor")

    page.goto(f"/admin/harvest/records/{record.pk}/")
    page.get_by_role("button", name="Give it back to the feed").click()
    expect(page.get_by_text(f"“Time to talk” is {DEMO_SOURCE}'s again")).to_be_visible()
    expect(page.get_by_role("button", name="Take this record over")).to_be_visible()
    record.refresh_from_db()
    assert record.taken_over_at is None

    # Locked again.
    page.goto(edit)
    expect(page).not_to_have_url(re.compile(re.escape(edit) + "$"))
    expect(page.get_by_text(f"“Time to talk” comes from {DEMO_SOURCE}")).to_be_visible()
