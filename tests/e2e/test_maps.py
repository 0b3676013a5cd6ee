"""Maps without a tile server (the default): each says what it shows in words and has a scale;
the results map draws the search centre and distance, keeps to street level when a result is
hovered, lets each of several activities at one venue be reached, and is left out when nothing
listed has a venue. Screenshots of the search and activity pages at desktop and phone widths."""

import pytest

from search.services import index_rebuild
from tests.factories import OrganisationFactory
from tests.factories.places import local_activity, phone_befriender

playwright = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
)
expect = playwright.expect

pytestmark = pytest.mark.e2e

HALL = (51.4500, -0.1950)  # two choirs meet here
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture
def borough(live_site):
    singers = OrganisationFactory(title="Wandsworth Singers")
    voices = OrganisationFactory(title="Earlsfield Voices")
    first = local_activity(
        singers, "Community choir", "choirs-and-singing", lat=HALL[0], lng=HALL[1]
    )
    second = local_activity(voices, "Community choir", "choirs-and-singing", day="thu")
    # Both at the first one's hall.
    second.venue = first.venue
    second.save_revision().publish()
    local_activity(
        OrganisationFactory(title="Tooting Gospel"),
        "Gospel choir",
        "choirs-and-singing",
        lat=51.4700,
        lng=-0.1600,
    )
    phone_befriender(singers, "Singing on the phone")
    index_rebuild()
    return first, second


def zoom(page):
    return float(page.locator("#results-map").get_attribute("data-zoom"))


def test_results_map_shows_centre_distance_and_each_activity_at_one_venue(
    page, screenshot, traffic, live_site, borough
):
    first, second = borough
    page.goto("/search/?q=choir&near=SW18")
    expect(page.get_by_role("heading", level=2, name="3 activities near SW18")).to_be_visible()
    expect(page.locator("#results-map")).to_have_attribute("data-markers", "3")
    map_box = page.locator("#results-map")

    # No tile server: the page says so; the map has a scale, the centre and the 5 km circle.
    note = page.locator("#map-note")
    expect(note).to_contain_text("No background map is set up on this site")
    expect(note).to_contain_text("a dashed line 5 km around it")
    expect(map_box.locator(".leaflet-control-scale-line")).to_be_visible()
    expect(map_box.locator(".leaflet-tooltip")).to_have_text("Search centre: SW18")
    assert map_box.locator(".leaflet-overlay-pane path").count() == 2  # circle and centre
    assert zoom(page) <= 16

    # Hovering a result whose pin is in view opens its popup without zooming.
    map_box.locator(".leaflet-marker-icon[title='Gospel choir']").wait_for()
    gospel = page.locator(".result").filter(has_text="Gospel choir")
    before = zoom(page)
    gospel.hover()
    expect(map_box.locator(".leaflet-popup-content", has_text="Gospel choir")).to_be_visible()
    assert zoom(page) == before

    # The two choirs at one hall: hovering each opens the group, never past street level, and
    # shows that one, named with its group.
    for activity, group in ((first, "Wandsworth Singers"), (second, "Earlsfield Voices")):
        page.locator(f"#result-{activity.pk}").hover()
        expect(map_box.locator(".leaflet-popup-content", has_text=group)).to_be_visible()
        assert zoom(page) <= 16
    # Spread out, each pin can be chosen on its own.
    pins = map_box.locator(".leaflet-marker-icon[title='Community choir']")
    expect(pins).to_have_count(2)
    boxes = [pin.bounding_box() for pin in pins.all()]
    assert boxes[0]["x"] != boxes[1]["x"] or boxes[0]["y"] != boxes[1]["y"]
    page.wait_for_timeout(400)  # popups fade out: let the last one go
    map_box.get_by_role("button", name="Close popup").click()
    shown = set()
    for pin in pins.all():
        pin.click()
        page.wait_for_timeout(400)
        shown.add(map_box.locator(".leaflet-popup-content .map-popup__org").inner_text())
        map_box.get_by_role("button", name="Close popup").click()
        page.wait_for_timeout(400)
    assert shown == {"Wandsworth Singers", "Earlsfield Voices"}
    screenshot(page, "results-desktop")
    assert traffic.errors == []
    assert traffic.external(live_site.url) == []


def test_no_map_when_nothing_listed_has_a_venue(page, borough):
    page.goto("/search/?q=phone")
    expect(page.get_by_role("heading", level=2, name="1 activity")).to_be_visible()
    expect(page.locator("#results-map")).to_have_count(0)
    expect(page.locator("#map-note")).to_have_count(0)


@pytest.mark.parametrize("width", WIDTHS, ids=str)
def test_search_and_activity_pages_at_each_width(new_context, screenshot, traffic, borough, width):
    first, _ = borough
    w, h = WIDTHS[width]
    page = new_context(viewport={"width": w, "height": h}).new_page()
    page.goto("/search/?q=choir&near=SW18")
    expect(page.locator("#results-map")).to_have_attribute("data-markers", "3")
    expect(page.locator("#results-map")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"search-{width}")

    page.goto(first.url)
    map_box = page.locator("#activity-map")
    expect(map_box).to_be_visible()
    expect(map_box.locator(".leaflet-control-scale-line")).to_be_visible()
    # With no background the venue's name sits beside its pin.
    expect(map_box.locator(".leaflet-tooltip")).to_have_text(first.venue.name)
    expect(page.locator("#activity-map-caption")).to_contain_text(
        "No background map is set up on this site"
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"activity-{width}")
    assert traffic.errors == []


def press(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def test_suggestions_at_one_venue_sit_side_by_side(page, screenshot, borough):
    first, second = borough
    page.goto("/kiosk/")
    page.get_by_label("What is your postcode?").fill("SW18 1AA")
    press(page, "Start")
    press(page, "Next")
    page.locator("fieldset.interests").get_by_label("Choirs and singing", exact=True).check()
    press(page, "Next")
    page.get_by_label("Choirs and singing", exact=True).check()
    press(page, "Next")
    press(page, "Next")
    press(page, "See what is near me")

    map_box = page.locator("#suggestions-map")
    expect(map_box.locator(".leaflet-control-scale-line")).to_be_visible()
    expect(page.get_by_text("No background map is set up on this site")).to_be_visible()
    pins = [
        map_box.locator(".leaflet-marker-icon[title$='. Community choir']").nth(i) for i in range(2)
    ]
    a, b = (pin.bounding_box() for pin in pins)
    # Side by side, not one under the other.
    assert a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
    for pin in pins:
        label = pin.get_attribute("title")
        pin.click()
        expect(map_box.locator(".leaflet-popup-content", has_text=label)).to_be_visible()
    screenshot(page, "kiosk-map")
