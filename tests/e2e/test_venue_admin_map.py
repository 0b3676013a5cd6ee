"""The venue editor's map in the Wagtail admin, in a real browser: built on the site's shared
map set-up (static/js/map-base.js), it places the venue by a click and writes the fields."""

import re

import pytest
from django.urls import reverse

from tests.factories import ModeratorFactory, VenueFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

# Keeps each map commonGroundMap returns on window.__maps, so that the test can ask the map
# itself for its zoom: a picker that built its own map would leave the list empty.
RECORD_SHARED_MAPS = """
window.__maps = [];
(function () {
  var wrapped;
  Object.defineProperty(window, "commonGroundMap", {
    configurable: true,
    get: function () { return wrapped; },
    set: function (build) {
      wrapped = function () {
        var map = build.apply(this, arguments);
        window.__maps.push(map);
        return map;
      };
    }
  });
})();
"""


def sign_in(page):
    ModeratorFactory(username="moderator", password="correct-horse-9")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_venue_editor_places_the_venue_by_clicking_the_shared_map(page, screenshot, traffic):
    venue = VenueFactory(name="St Anne's Church Hall", latitude=51.4489, longitude=-0.1971)
    page.add_init_script(RECORD_SHARED_MAPS)
    sign_in(page)

    page.goto(reverse("wagtailsnippets_assets_directory_venue:edit", args=[venue.pk]))
    map_box = page.locator("#venue-map")
    expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(map_box.locator(".leaflet-control-scale-line")).to_be_visible()
    expect(map_box.locator(".leaflet-marker-icon")).to_be_visible()
    # One map, from the shared set-up, with the picker's own options: close to a venue that
    # has a point, closer than the public maps allow, and zoomed by the wheel.
    assert page.evaluate("window.__maps.length") == 1
    assert page.evaluate("window.__maps[0].getZoom()") == 15
    assert page.evaluate("window.__maps[0].getMaxZoom()") == 19
    assert page.evaluate("window.__maps[0].scrollWheelZoom.enabled()") is True
    map_box.scroll_into_view_if_needed()
    screenshot(page)

    latitude, longitude = page.locator("#id_latitude"), page.locator("#id_longitude")
    shown = latitude.input_value()
    before = float(shown), float(longitude.input_value())
    # Up and to the left of the marker (the centre): further north and further west.
    box = map_box.bounding_box()
    map_box.click(position={"x": box["width"] / 4, "y": box["height"] / 4})
    expect(latitude).not_to_have_value(shown)
    after = float(latitude.input_value()), float(longitude.input_value())
    assert after[0] > before[0] and after[1] < before[1], (before, after)
    assert re.fullmatch(r"-?\d+\.\d{6}", latitude.input_value())

    assert traffic.errors == []


def test_a_new_venue_opens_the_map_on_the_borough_further_out(page, traffic):
    page.add_init_script(RECORD_SHARED_MAPS)
    sign_in(page)

    page.goto(reverse("wagtailsnippets_assets_directory_venue:add"))
    expect(page.locator("#venue-map .leaflet-control-scale-line")).to_be_visible()
    assert page.evaluate("window.__maps[0].getZoom()") == 12
    assert page.locator("#id_latitude").input_value() == ""

    assert traffic.errors == []
