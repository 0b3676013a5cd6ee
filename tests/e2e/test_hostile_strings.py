"""Hostile text shows as text: a standing guard against stored cross-site scripting.

Group editors name their venues, activities and organisations; people at a kiosk name the
people on their network map. Each of those strings is made of markup and script here, and is
followed to every place it reaches in a browser: the search list and its map (marker titles and
popups), the activity page's map, JSON in a page (the suggestion points and the network map's
kinds), the shortlist, and the e-mails the shortlist and the kiosk send. Everywhere it must show
exactly as typed, and no script may run: every payload sets `window.__xss` and opens a dialog
if it ever runs.
"""

import html
import re

import pytest
from django.core import mail

from assets_directory.models import Category
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

SW18 = (51.4489, -0.1971)


def hostile(field: str) -> str:
    """Text that runs script wherever it is treated as HTML, in or out of an attribute or a
    <script> element, with a URL scheme that runs script, a right-to-left override and quotes."""
    return (
        f"{field} <img src=x onerror=\"window.__xss='{field}';alert(1)\">"
        f' "><script>window.__xss=2</script></script><svg onload="window.__xss=3">'
        " javascript:window.__xss=4 \u202eevil 'single' \"double\" &amp; ` \\"
    )


VENUE = hostile("venue")
TITLE = hostile("activity")
ORGANISATION = hostile("organisation")
# Typed at the kiosk, where control and format characters are refused and 80 is the limit.
MEMBER = "<img src=x onerror=\"window.__xss='member'\"></script>'\"&amp;"


@pytest.fixture
def hostile_listing(live_site):
    venue = VenueFactory(
        name=VENUE, address_1="1 High Street", postcode="SW18 4DJ", latitude=SW18[0],
        longitude=SW18[1],
    )  # fmt: skip
    activity = ActivityFactory(
        parent=OrganisationFactory(title=ORGANISATION),
        title=TITLE,
        slug="hostile-activity",
        summary="A choir with a hostile name.",
        venue=venue,
        contact_phone="javascript:alert(1)",
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
    ActivityScheduleFactory(activity=activity, weekdays="tue")
    index_rebuild()
    return activity


@pytest.fixture
def watched(new_context):
    """A page whose dialogs are recorded (and dismissed), and a check that nothing ran."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.dialogs = []

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return page


def assert_no_script_ran(page):
    page.wait_for_timeout(300)  # let any image error or load handler fire
    assert page.evaluate("window.__xss") is None
    assert page.dialogs == []
    assert page.locator('a[href^="javascript:" i]').count() == 0


def text_of(locator) -> str:
    return locator.evaluate("node => node.textContent")


def assert_email_shows_literally(message, *strings):
    for value in strings:
        assert value in message.body, value
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            for value in strings:
                assert html.escape(value) in content and value not in content


def test_search_list_map_and_shortlist_show_hostile_names_as_text(
    watched, hostile_listing, traffic
):
    page = watched
    page.goto("/search/?near=SW18&category=choirs-and-singing")
    result = page.locator(f"#result-{hostile_listing.pk}")
    assert text_of(result.locator(".result__title")).strip() == TITLE
    assert text_of(result.locator(".result__org")).strip() == ORGANISATION
    assert VENUE in text_of(result)

    expect(page.locator("#results-map")).to_have_attribute("data-markers", "1")
    marker = page.locator("#results-map .leaflet-marker-icon").first
    assert marker.get_attribute("title") == TITLE
    marker.click()
    popup = page.locator("#results-map .leaflet-popup-content")
    expect(popup).to_be_visible()
    assert TITLE in text_of(popup)
    assert_no_script_ran(page)

    page.get_by_role("button", name=re.compile(r"^Add .* to list$")).click()
    page.goto("/shortlist/")
    item = page.locator(".shortlist__item")
    assert TITLE in text_of(item) and VENUE in text_of(item)
    assert_no_script_ran(page)

    page.get_by_label("E-mail address").fill("person@example.org")
    page.get_by_role("button", name="Send the list").click()
    expect(page.get_by_role("status")).to_contain_text("We have sent your list.")
    (message,) = mail.outbox
    assert_email_shows_literally(message, TITLE, VENUE)
    assert_no_script_ran(page)
    assert traffic.errors == []


def test_activity_page_map_shows_the_venue_name_as_text(watched, hostile_listing, traffic):
    page = watched
    page.goto(hostile_listing.url)
    assert text_of(page.get_by_role("heading", level=1)) == TITLE
    assert page.title().startswith(TITLE)
    expect(page.locator("#activity-map")).to_be_visible()
    assert VENUE in text_of(page.locator("#activity-map-caption"))
    page.locator("#activity-map .leaflet-marker-icon").click()
    popup = page.locator("#activity-map .leaflet-popup-content")
    expect(popup).to_be_visible()
    assert VENUE in text_of(popup)
    assert_no_script_ran(page)
    assert traffic.errors == []


def press(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def test_kiosk_network_map_suggestions_and_email_show_hostile_text_as_text(
    watched, hostile_listing, traffic
):
    page = watched
    page.goto("/kiosk/")
    page.get_by_label("What is your postcode?").fill("SW18 1AA")
    press(page, "Start")

    # The network map: the label goes into the form and the circle diagram, drawn by script
    # from the network kinds (JSON in the page).
    tools = page.get_by_role("group", name="Add to the map")
    tools.get_by_label("Name or initials (optional)").fill(MEMBER)
    tools.get_by_label("Who or what").select_option(label="Family")
    tools.get_by_role("button", name="Add to inner circle").click()
    dot = page.locator("#netmap-edit .netmap__dot")
    expect(dot).to_have_count(1)
    assert text_of(dot.locator("title")) == f"{MEMBER} (Family)"
    assert MEMBER in text_of(page.locator("[data-netmap-status]"))
    # Another row from the <template>: its fields are numbered and empty.
    page.get_by_role("button", name="Add another person, group, pet or place").click()
    second = page.get_by_role("group", name="Connection 2", exact=True)
    expect(second.get_by_label("Name or initials")).to_have_value("")
    assert_no_script_ran(page)
    press(page, "Next")
    # Back from the server, drawn on it this time.
    assert_no_script_ran(page)

    page.locator("fieldset.interests").get_by_label("Choirs and singing", exact=True).check()
    press(page, "Next")
    page.get_by_label("Choirs and singing", exact=True).check()
    press(page, "Next")
    press(page, "Next")
    press(page, "See what is near me")

    # Suggestions: the list, and the numbered map built from JSON in the page.
    suggestion = page.locator(f"#suggestion-{hostile_listing.pk}")
    assert TITLE in text_of(suggestion.locator(".suggestion__title"))
    assert text_of(suggestion.locator(".result__org")).strip() == ORGANISATION
    assert VENUE in text_of(suggestion)
    marker = page.locator("#suggestions-map .leaflet-marker-icon")
    expect(marker).to_have_count(1)
    assert marker.get_attribute("title") == f"1. {TITLE}"
    assert text_of(marker) == "1"
    marker.click()
    popup = page.locator("#suggestions-map .leaflet-popup-content")
    expect(popup).to_be_visible()
    assert text_of(popup) == f"1. {TITLE}"
    assert_no_script_ran(page)

    page.get_by_label(re.compile(r"^I would like to try this")).check()
    page.get_by_label("Your e-mail address").fill("visitor@example.org")
    press(page, "E-mail it to me")
    expect(page.get_by_role("status")).to_contain_text("We have sent your list.")
    (message,) = mail.outbox
    assert_email_shows_literally(message, TITLE, VENUE)
    assert_no_script_ran(page)
    assert traffic.errors == []
