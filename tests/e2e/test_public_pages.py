"""The public site in a real browser: home page search, an activity page, and the site without
JavaScript."""

import re

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from assets_directory.models import AccessibilityFeature, ListingReport
from assets_directory.services import organisation_grant_editors
from search.services import index_rebuild

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def fact(page, name):
    """The value (<dd>) of the activity's fact called `name` (its <dt>)."""
    return (
        page.locator("dl.facts > div").filter(has=page.get_by_text(name, exact=True)).locator("dd")
    )


def test_home_page_search_finds_an_activity(page, screenshot, listing, other_listing):
    index_rebuild()
    page.goto("/")

    expect(page).to_have_title("Find something to do near you – Common Ground")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find something to do near you")
    search = page.get_by_role("search")
    box = search.get_by_role("searchbox", name="What would you like to do?")
    expect(box).to_be_visible()

    tiles = page.locator(".tiles .tile")
    expect(tiles).to_have_count(15)  # the top-level categories the migrations seed
    # The activity is in "Knitting and sewing", counted under its parent category.
    expect(tiles.filter(has_text="Arts and crafts")).to_contain_text("1 activity")
    expect(tiles.filter(has_text="Music and singing")).to_contain_text("1 activity")
    expect(tiles.filter(has_text="Digital skills")).to_contain_text("0 activities")
    screenshot(page)

    box.fill("knit")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search/\?q=knit$"))
    expect(page.get_by_role("heading", level=2, name="1 activity")).to_be_visible()
    results = page.locator(".results .result")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Tue")
    expect(results.first).to_contain_text("10:00")
    expect(results.first).to_contain_text("St Anne's Church Hall")
    expect(page.get_by_role("link", name="Community choir")).to_have_count(0)
    screenshot(page, "results")

    page.get_by_role("link", name="Knit and natter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knit and natter")


def test_activity_page(page, new_context, screenshot, traffic, listing, live_site):
    page.goto(listing.url)

    expect(page.get_by_role("heading", level=1)).to_have_text("Knit and natter")
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(
        "Tooting Knit and Natter"
    )
    main = page.locator(".activity__main")
    expect(main.get_by_role("heading", name="When")).to_be_visible()
    expect(main.get_by_text("Every Tuesday, 10:00 to 12:00", exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name="Next sessions")).to_be_visible()
    expect(main.locator("time")).to_have_count(3)

    address = main.locator("p", has_text="St Anne's Church Hall")
    for line in ("Bellevue Road", "London", "SW18 4DJ"):
        expect(address).to_contain_text(line)

    expect(fact(page, "Cost")).to_have_text("Pay what you can (about £2 a session)")
    checked = listing.last_reviewed
    expect(fact(page, "Last checked")).to_have_text(f"{checked.day} {checked:%B %Y}")
    expect(page.get_by_text("may be out of date")).to_have_count(0)

    # Every access feature the venue has, each with its icon (decorative: the name says it).
    features = main.locator(".access-list li")
    expect(features).to_have_text(
        list(AccessibilityFeature.objects.order_by("sort_order").values_list("name", flat=True))
    )
    for icon in features.locator("img").all():
        expect(icon).to_have_attribute("alt", "")
        assert icon.evaluate("img => img.complete && img.naturalWidth > 0"), "broken icon"

    # Leaflet, from the site's own static files, draws the map and the venue's marker.
    map_ = page.locator("#activity-map")
    expect(map_).to_have_class(re.compile(r"\bleaflet-container\b"))
    marker = map_.locator(".leaflet-marker-icon")
    expect(marker).to_be_visible()
    expect(marker).to_have_attribute("alt", "St Anne's Church Hall")
    assert marker.evaluate("img => img.complete && img.naturalWidth > 0"), "marker image broken"
    assert page.evaluate("() => typeof window.L.map") == "function"
    page.wait_for_load_state("networkidle")
    screenshot(page)

    for asset in ("leaflet/leaflet.js", "leaflet/leaflet.css", "js/activity-map.js"):
        assert f"{live_site.url}/static/{asset}" in traffic.requests
    assert traffic.external(live_site.url) == []
    assert traffic.failed == []
    assert traffic.errors == []

    phone = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    phone.goto(listing.url)
    expect(phone.locator("#activity-map .leaflet-marker-icon")).to_be_visible()
    phone.wait_for_load_state("networkidle")
    screenshot(phone, "phone")
    widths = phone.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["scroll"] <= widths["inner"], f"the page scrolls sideways on a phone: {widths}"


def test_activity_page_works_without_javascript(new_context, screenshot, traffic, listing):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(listing.url)

    expect(page.get_by_role("heading", level=1)).to_have_text("Knit and natter")
    expect(page.get_by_text("Every Tuesday, 10:00 to 12:00", exact=True)).to_be_visible()
    expect(page.locator(".activity__main")).to_contain_text("SW18 4DJ")
    expect(page.locator(".leaflet-container")).to_have_count(0)  # no map, the address says it

    report = page.locator("section.report")
    form = report.locator("form")
    expect(form).to_be_hidden()  # folded away in its <details>
    report.get_by_text("Report a problem with this listing").click()
    expect(form).to_be_visible()
    form.get_by_role("radio", name="Some details are wrong").check()
    form.get_by_label("Tell us more (optional)").fill("It meets on Wednesdays now.")
    form.get_by_label("Your e-mail address (optional)").fill("neighbour@example.org")
    screenshot(page, "report-form")
    form.get_by_role("button", name="Send report").click()

    expect(page).to_have_url(re.compile(re.escape(listing.url) + "$"))
    expect(page.get_by_role("status")).to_have_text("Thank you. We will check the listing.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Knit and natter")
    screenshot(page)
    assert traffic.errors == []

    report = ListingReport.objects.get()
    assert (report.activity_id, report.kind) == (listing.pk, ListingReport.Kind.WRONG_DETAILS)
    assert report.message == "It meets on Wednesdays now."
    assert report.reporter_email == "neighbour@example.org"


def test_an_activity_photo_loads_with_its_description(page, screenshot, listing, media):
    organisation = listing.get_parent().specific
    organisation_grant_editors(organisation=organisation)
    organisation.refresh_from_db()
    listing.photo = get_image_model().objects.create(
        title="Knitters", file=get_test_image_file(), collection=organisation.collection
    )
    listing.photo_alt = "Six people knitting round a table with cups of tea"
    listing.save_revision().publish()

    page.goto(listing.url)

    photo = page.get_by_role("img", name="Six people knitting round a table with cups of tea")
    expect(photo).to_be_visible()
    # Loaded, not a broken image: the rendition was made and served.
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 640
    screenshot(page)
