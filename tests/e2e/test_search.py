"""A visitor searches by postcode, filters, sees the same hits on the map and the list, and
prints a shortlist."""

import re

import pytest

from assets_directory.models import AccessibilityFeature, Activity, Category
from search.services import index_rebuild
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    VenueFactory,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def borough(live_site):
    organisation = OrganisationFactory(title="Wandsworth Walkers")
    step_free = AccessibilityFeature.objects.get(slug="step-free")
    walking = Category.objects.get(slug="walking")
    places = [
        ("Common walk", 51.4489, -0.1971, "tue", Activity.Cost.FREE, True),
        ("Park walk", 51.4520, -0.1900, "tue", Activity.Cost.FREE, True),
        ("Riverside walk", 51.4600, -0.1850, "tue", Activity.Cost.PAID, True),
        ("Heath walk", 51.4450, -0.2100, "sat", Activity.Cost.FREE, True),
        ("Hill walk", 51.4400, -0.1800, "tue", Activity.Cost.FREE, False),
    ]
    for title, lat, lng, day, cost, step in places:
        venue = VenueFactory(name=f"{title} start", latitude=lat, longitude=lng)
        if step:
            venue.accessibility.set([step_free])
        activity = ActivityFactory(
            parent=organisation,
            title=title,
            summary="A friendly walk for all abilities.",
            venue=venue,
            cost=cost,
            cost_amount="2.00" if cost == Activity.Cost.PAID else None,
            categories=[walking],
        )
        ActivityScheduleFactory(activity=activity, weekdays=day)
    index_rebuild()


def test_search_filter_map_and_shortlist(page, screenshot, traffic, borough, live_site):
    page.goto("/search/")
    page.get_by_label("What").fill("walk")
    page.get_by_label("Where").fill("SW18 4DJ")
    page.get_by_label("Distance").select_option(label="Within 5 km")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("heading", level=2, name="5 activities near SW18 4DJ")).to_be_visible()

    # Filters: Tuesday, free, step-free.
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label(re.compile(r"^Tuesday")).check()
    page.get_by_label(re.compile(r"^Free only")).check()
    page.get_by_label(re.compile(r"^Step-free access")).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_role("heading", level=2, name="2 activities near SW18 4DJ")).to_be_visible()
    listed = page.locator(".results .result .result__title").all_inner_texts()
    assert sorted(listed) == ["Common walk", "Park walk"]

    # The map shows the same activities as the list.
    expect(page.locator("#results-map")).to_have_attribute("data-markers", re.compile(r"^\d+$"))
    assert page.locator("#results-map").get_attribute("data-markers") == "2"
    page.locator("#results-map .leaflet-marker-icon").first.wait_for()
    titles_on_map = set()
    for cluster in page.locator("#results-map .marker-cluster").all():
        cluster.click()
        page.wait_for_timeout(400)
    for marker in page.locator("#results-map .leaflet-marker-icon:not(.marker-cluster)").all():
        titles_on_map.add(marker.get_attribute("title"))
    assert titles_on_map == {"Common walk", "Park walk"}
    assert traffic.external(live_site.url) == []
    screenshot(page, "results")

    # Shortlist both and print.
    for title in ("Common walk", "Park walk"):
        page.get_by_role("button", name=f"Add {title} to list").click()
        # Back where the reader was, told so beside the result, with focus on the message.
        result = page.locator(".result").filter(has_text=title)
        note = result.get_by_role("status")
        expect(note).to_have_text("Added to your list.")
        expect(note).to_be_focused()
        assert page.url.endswith(f"#{result.get_attribute('id')}-note")
        expect(result.get_by_role("button", name=f"Remove {title} from list")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Your list \(2\)")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your list of activities")
    expect(page.locator(".shortlist__item h2")).to_have_text(["Common walk", "Park walk"])
    expect(page.get_by_role("button", name="Print this list")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print this list")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "shortlist-print")
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")


def test_use_my_location_says_your_location_and_keeps_it_on_reload(new_context, borough):
    context = new_context(
        viewport={"width": 390, "height": 844},
        geolocation={"latitude": 51.4489, "longitude": -0.1971},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto("/search/?q=walk")
    page.get_by_role("button", name="Use my location").click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("near your location"))
    ).to_be_visible()
    expect(page.get_by_label("Where")).to_have_value("Your location")
    assert page.locator("#near_point").input_value() == "51.44890,-0.19710"
    # A point is exact: the walk that starts there is close, not "somewhere in SW18".
    expect(page.locator(".result").filter(has_text="Common walk")).to_contain_text(
        "under 50 m away"
    )
    expect(page.get_by_label("Distance")).to_have_value("5")

    page.reload()
    expect(page.get_by_label("Where")).to_have_value("Your location")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(
        page.get_by_role("heading", level=2, name=re.compile("near your location"))
    ).to_be_visible()

    # Typing a place replaces the located point.
    page.get_by_label("Where").fill("SW18")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=2, name=re.compile("near SW18$"))).to_be_visible()
    expect(page.locator(".result").filter(has_text="Common walk")).to_contain_text(
        "in or near SW18"
    )
