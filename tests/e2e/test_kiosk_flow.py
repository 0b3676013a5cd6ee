"""Kiosk mode in the browser: anyone at a shared screen answers a few questions, gets explained
suggestions on a list and a numbered map, prints or e-mails a list, and presses Finish, after
which nothing of theirs is left: no rows, no session, nothing to go Back to. Every step has its
own address, and Back and Forward fetch it again (never "Confirm form resubmission"). Also:
without JavaScript, on a tablet, and a screen left alone finishing by itself."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from search.services import index_rebuild
from tests.db import row_counts
from tests.factories import OrganisationFactory
from tests.factories.places import local_activity, phone_befriender

playwright = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
)
expect = playwright.expect

pytestmark = pytest.mark.e2e

POSTCODE = "SW18 1AA"
EMAIL = "visitor@example.org"
PHONE_ONLY = "Friendly phone calls"  # no venue: on the list, never on the map
TIME_ZERO = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def borough(live_site):
    """Activities around SW18 (the outcode centre is 51.4489, -0.1971) and a phone befriender,
    indexed."""
    organisation = OrganisationFactory(title="Wandsworth Community")

    def make(title, slug, lat, lng, day="tue"):
        local_activity(organisation, title, slug, lat=lat, lng=lng, day=day, step_free=False,
                       summary="Friendly and welcoming.")  # fmt: skip

    make("Community choir", "choirs-and-singing", 51.4500, -0.1950)
    make("Common walk", "walking", 51.4530, -0.1900)
    make("Lunch club", "lunch-clubs", 51.4470, -0.2010, day="wed")
    phone_befriender(organisation, PHONE_ONLY, summary="A chat on the phone each week.")
    index_rebuild()


def press(page, name):
    """Press a button that posts the page, and wait until the next page's scripts have run:
    the next step is driven through them."""
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def heading(page):
    return page.get_by_role("heading", level=1)


def address(page) -> str:
    return urlsplit(page.url).path


def step(slug):
    return f"/kiosk/step/{slug}/"


RESULTS = "/kiosk/suggestions/"
PRINT = "/kiosk/print/"
# The steps as the browser's history holds them, first to last, with each page's heading.
STEPS = [
    (step("place"), "Find something to do near you"),
    (step("people"), "Who matters to you?"),
    (step("enjoy"), "What do you enjoy?"),
    (step("top-three"), "Your top three"),
    (step("needs"), "What would you like help with?"),
    (step("about"), "Do any of these apply to you?"),
    (RESULTS, "Things you might enjoy near you"),
]


def fetched_again(page, response, path):
    """A Back or Forward that fetched the page's own address afresh: a GET answered with 200,
    not a form sent again (Chromium fails such a navigation with net::ERR_CACHE_MISS, its
    "Confirm form resubmission" page, rather than re-post)."""
    assert response is not None, f"{path}: no navigation"
    assert response.request.method == "GET", path
    assert response.status == 200, path
    assert address(page) == path
    assert not page.url.startswith("chrome-error://")


def start(page):
    page.goto("/kiosk/")
    expect(heading(page)).to_have_text("Find something to do near you")
    assert address(page) == step("place")


def enter_postcode(page):
    page.get_by_label("What is your postcode?").fill(POSTCODE)
    press(page, "Start")
    expect(heading(page)).to_have_text("Who matters to you?")
    assert address(page) == step("people")


def add_on_diagram(page, label, kind, circle):
    tools = page.get_by_role("group", name="Add to the map")
    tools.get_by_label("Name or initials (optional)").fill(label)
    tools.get_by_label("Who or what").select_option(label=kind)
    tools.get_by_role("button", name=f"Add to {circle} circle").click()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_kiosk_flow_finds_activities_and_stores_nothing(
    new_context, screenshot, traffic, live_site, borough
):
    context = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    start(page)  # the first page view may create the site's settings row
    before = row_counts()
    start(page)
    expect(page.locator(".kiosk-bar")).to_contain_text("Nothing is kept once you press Finish.")
    expect(page.get_by_text("Step 1 of 6")).to_be_visible()
    # A postcode we cannot find is shown at the step's own address, and going on from it is
    # as usual.
    page.get_by_label("What is your postcode?").fill("SW99")
    press(page, "Start")
    expect(page.get_by_text("We could not find SW99 on our map.").first).to_be_visible()
    assert address(page) == step("place")
    enter_postcode(page)

    # Step 2: two people on the circle diagram; the form follows.
    expect(page.get_by_text("Step 2 of 6")).to_be_visible()
    add_on_diagram(page, "Mum", "Family", "inner")
    expect(page.locator("[data-netmap-status]")).to_contain_text(
        "Mum (Family) added to the inner circle."
    )
    add_on_diagram(page, "Book group", "Group or organisation", "outer")
    expect(page.locator("#netmap-edit .netmap__dot")).to_have_count(2)
    connection_1 = page.get_by_role("group", name="Connection 1", exact=True)
    expect(connection_1.get_by_label("Name or initials")).to_have_value("Mum")
    expect(connection_1.get_by_role("radio", name="Inner circle")).to_be_checked()
    screenshot(page, "kiosk-network")
    press(page, "Next")

    # Step 3: interests.
    expect(heading(page)).to_have_text("What do you enjoy?")
    assert address(page) == step("enjoy")
    interests = page.locator("fieldset.interests")
    for interest in ("Choirs and singing", "Walking", "Lunch clubs"):
        interests.get_by_label(interest, exact=True).check()
    press(page, "Next")

    # Step 4: the top three are offered from the interests; ticking numbers them.
    expect(heading(page)).to_have_text("Your top three")
    assert address(page) == step("top-three")
    expect(page.get_by_role("checkbox")).to_have_count(3)
    page.get_by_label("Choirs and singing", exact=True).check()
    page.get_by_label("Walking", exact=True).check()
    expect(page.get_by_text("You have chosen 2 of 3.")).to_be_visible()
    expect(page.get_by_label("Order for Choirs and singing")).to_have_value("1")
    expect(page.get_by_label("Order for Walking")).to_have_value("2")
    press(page, "Next")

    # Step 5: a need, in the person's words.
    expect(heading(page)).to_have_text("What would you like help with?")
    assert address(page) == step("needs")
    page.get_by_label("Feeling lonely", exact=True).check()
    page.get_by_label("In your own words: Feeling lonely").fill("Nobody to chat to")
    press(page, "Next")

    # Step 6: about them, every question optional; what they say only chooses what is shown.
    expect(heading(page)).to_have_text("Do any of these apply to you?")
    assert address(page) == step("about")
    page.get_by_label("65 or over", exact=True).check()
    screenshot(page, "kiosk-about-you")
    press(page, "See what is near me")

    # Results: a numbered list with reasons, and the same numbers on the map.
    expect(heading(page)).to_have_text("Things you might enjoy near you")
    assert address(page) == RESULTS

    # Back through every step to the first, then Forward to the suggestions again: each page
    # is fetched from its own address and shows the answers given.
    for path, title in reversed(STEPS[:-1]):
        fetched_again(page, page.go_back(wait_until="load"), path)
        expect(heading(page)).to_have_text(title)
        if path == step("people"):
            expect(page.locator("#netmap-edit .netmap__dot")).to_have_count(2)
    expect(page.get_by_label("What is your postcode?")).to_have_value(POSTCODE)
    # The first entry is the postcode page as it was shown with its mistake: now the answers.
    fetched_again(page, page.go_back(wait_until="load"), step("place"))
    expect(page.get_by_label("What is your postcode?")).to_have_value(POSTCODE)
    fetched_again(page, page.go_forward(wait_until="load"), step("place"))
    for path, title in STEPS[1:]:
        fetched_again(page, page.go_forward(wait_until="load"), path)
        expect(heading(page)).to_have_text(title)
        if path == step("needs"):
            expect(page.get_by_label("Feeling lonely", exact=True)).to_be_checked()
    screenshot(page, "kiosk-back-and-forward")
    items = page.locator(".kiosk-suggestions .suggestion")
    expect(items.first).to_be_visible()
    listed = {}
    for item in items.all():
        number = item.locator(".suggestion__number").inner_text().strip()
        spoken = " ".join(item.locator(".suggestion__title").text_content().split())
        title = spoken.removeprefix(f"{number}. ")
        listed[f"{number}. {title}"] = title
        expect(item.locator(".suggestion__reasons")).to_contain_text(re.compile(r"Why: \w+"))
    assert "Community choir" in listed.values()
    assert PHONE_ONLY in listed.values()
    numbers = [label.split(".")[0] for label in listed]
    assert numbers == [str(n) for n in range(1, len(listed) + 1)]
    choir = page.locator(".suggestion").filter(has_text="Community choir")
    expect(choir.locator(".suggestion__reasons")).to_contain_text("Choirs and singing")

    expect(page.locator("#suggestions-map")).to_be_visible()
    expect(page.get_by_text("The numbers on the map match the list.")).to_be_visible()
    markers = page.locator("#suggestions-map .leaflet-marker-icon")
    in_person = {label for label, title in listed.items() if title != PHONE_ONLY}
    expect(markers).to_have_count(len(in_person))
    on_map = {marker.get_attribute("title") for marker in markers.all()}
    assert on_map == in_person
    for marker in markers.all():
        number = marker.get_attribute("title").split(".")[0]
        expect(marker).to_have_text(number)
    screenshot(page, "kiosk-results-map")

    # Tick one and print it.
    page.get_by_label("I would like to try this: Community choir").check()
    press(page, "Print my list")
    expect(heading(page)).to_have_text("Your list of things to try")
    assert address(page) == PRINT
    expect(page.locator(".plan-item__title")).to_have_text(["Community choir"])
    expect(page.get_by_text("Nobody to chat to")).to_be_visible()
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Finish and clear my answers")).to_be_hidden()
    expect(page.locator(".plan-item__title")).to_be_visible()
    screenshot(page, "kiosk-print")
    page.emulate_media(media="screen")

    # The browser's Back returns to the suggestions, the tick kept; Forward to the list.
    fetched_again(page, page.go_back(wait_until="load"), RESULTS)
    expect(page.get_by_label("I would like to try this: Community choir")).to_be_checked()
    fetched_again(page, page.go_forward(wait_until="load"), PRINT)
    expect(page.locator(".plan-item__title")).to_have_text(["Community choir"])

    # The page's own link back to the list, the tick kept, and e-mail it. A mistyped address
    # is shown on the page that answered the post, which takes the suggestions' address.
    page.get_by_role("link", name="Back to the suggestions").click()
    expect(heading(page)).to_have_text("Things you might enjoy near you")
    expect(page.get_by_label("I would like to try this: Community choir")).to_be_checked()
    page.get_by_label("Your e-mail address").fill("not an address")
    press(page, "E-mail it to me")
    expect(page.get_by_text("Enter an e-mail address like name@example.com").first).to_be_visible()
    assert address(page) == RESULTS
    page.get_by_label("Your e-mail address").fill(EMAIL)
    press(page, "E-mail it to me")
    expect(page.get_by_role("status")).to_have_text(
        "We have sent your list. We have not kept your e-mail address."
    )
    assert address(page) == RESULTS
    # Back from here fetches the list again: nothing is posted, nothing sent twice.
    fetched_again(page, page.go_back(wait_until="load"), RESULTS)
    fetched_again(page, page.go_forward(wait_until="load"), RESULTS)
    expect(page.get_by_role("status")).to_have_count(0)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    assert "Community choir" in mail.outbox[0].body

    # Finish: everything cleared, and nothing was ever kept.
    with page.expect_response(re.compile(r"/kiosk/finish/$")) as finished:
        page.get_by_role("button", name="Finish and clear my answers").click()
    expect(heading(page)).to_have_text("All cleared")
    headers = finished.value.all_headers()
    assert headers["clear-site-data"] == '"cache", "storage"'
    assert "no-store" in headers["cache-control"]
    assert row_counts() == before
    assert "sessionid" not in {cookie["name"] for cookie in context.cookies()}
    assert "kiosk" not in {cookie["name"] for cookie in context.cookies()}
    assert traffic.external(live_site.url) == []
    assert traffic.errors == []
    assert traffic.failed == [f"{live_site.url}/kiosk/email/ (400)"]  # the mistyped address
    # Chromium reports the 400 of the mistyped address, and nothing else.
    assert console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]

    # Back after Finish must not bring the answers back: every earlier address now leads to
    # an empty start.
    for _ in range(3):
        page.go_back(wait_until="load")
        page.wait_for_load_state()
        page.wait_for_timeout(300)  # let kiosk.js fetch afresh a page the browser restored
        content = page.content()
        assert POSTCODE not in content
        assert "Community choir" not in content
        assert "Nobody to chat to" not in content
    assert traffic.errors == []


def test_kiosk_works_without_javascript(new_context, screenshot, traffic, live_site, borough):
    page = new_context(java_script_enabled=False).new_page()
    start(page)
    enter_postcode(page)

    # Without JavaScript the diagram has no tools, only the form.
    expect(page.get_by_role("group", name="Add to the map")).to_be_hidden()
    page.get_by_role("button", name="Skip this step").click()
    expect(heading(page)).to_have_text("What do you enjoy?")
    page.get_by_label("Choirs and singing", exact=True).check()
    press(page, "Next")
    expect(heading(page)).to_have_text("Your top three")
    page.get_by_role("button", name="Skip this step").click()
    expect(heading(page)).to_have_text("What would you like help with?")
    page.get_by_role("button", name="Skip this step").click()
    expect(heading(page)).to_have_text("Do any of these apply to you?")
    page.get_by_role("button", name="Skip this step").click()

    expect(heading(page)).to_have_text("Things you might enjoy near you")
    assert address(page) == RESULTS
    # Without JavaScript too, Back and Forward fetch each page again.
    fetched_again(page, page.go_back(wait_until="load"), step("about"))
    fetched_again(page, page.go_back(wait_until="load"), step("needs"))
    fetched_again(page, page.go_back(wait_until="load"), step("top-three"))
    expect(page.get_by_label("Choirs and singing", exact=True)).to_be_visible()
    fetched_again(page, page.go_forward(wait_until="load"), step("needs"))
    fetched_again(page, page.go_forward(wait_until="load"), step("about"))
    fetched_again(page, page.go_forward(wait_until="load"), RESULTS)
    titles = page.locator(".kiosk-suggestions .suggestion__title").all_text_contents()
    assert "1. Community choir" in [" ".join(title.split()) for title in titles]
    expect(page.locator(".suggestion").first.locator(".suggestion__reasons")).to_contain_text(
        "Why:"
    )
    # No script, so no map box: the numbered list is the whole answer.
    expect(page.locator("#suggestions-map")).to_be_hidden()
    expect(page.get_by_role("button", name="Print my list")).to_be_visible()
    screenshot(page, "results")
    page.get_by_role("button", name="Finish and clear my answers").click()
    expect(heading(page)).to_have_text("All cleared")
    assert traffic.external(live_site.url) == []


def test_kiosk_on_a_tablet(new_context, screenshot, traffic, live_site, borough):
    page = new_context(viewport={"width": 820, "height": 1180}, has_touch=True).new_page()
    start(page)
    assert no_sideways_scroll(page)
    finish = page.get_by_role("button", name="Finish and clear my answers")
    assert finish.bounding_box()["height"] >= 44
    screenshot(page, "start")

    page.get_by_label("What is your postcode?").tap()
    page.keyboard.type(POSTCODE)
    page.get_by_role("button", name="Start").tap()
    page.wait_for_load_state("load")
    expect(heading(page)).to_have_text("Who matters to you?")
    tools = page.get_by_role("group", name="Add to the map")
    tools.get_by_label("Who or what").select_option(label="Friend")
    tools.get_by_role("button", name="Add to middle circle").tap()
    expect(page.locator("#netmap-edit .netmap__dot")).to_have_count(1)
    assert no_sideways_scroll(page)
    screenshot(page, "network")
    assert traffic.errors == []
    assert traffic.external(live_site.url) == []


def test_idle_kiosk_finishes_by_itself(page, screenshot, traffic, live_site, borough):
    # The idle times are the real ones (5 minutes, then a minute's warning). The page's clock is
    # Playwright's, stopped from the start, so only run_for() moves it: the test skips the wait
    # and every count is exact.
    page.clock.install(time=TIME_ZERO)
    page.clock.pause_at(TIME_ZERO + datetime.timedelta(seconds=1))
    start(page)
    enter_postcode(page)  # a page with answers on it: the idle clock is running
    dialog = page.get_by_role("dialog", name="Are you still there?")
    countdown = dialog.locator("[data-kiosk-countdown]")

    def idle_until_warned():
        # Not a second early: the warning comes after exactly five minutes, counting from 60.
        page.clock.run_for("04:59")
        expect(dialog).to_be_hidden()
        page.clock.run_for("00:01")
        expect(dialog).to_be_visible()
        expect(countdown).to_have_text("60")

    idle_until_warned()
    page.clock.run_for("00:10")
    expect(countdown).to_have_text("50")

    # "Yes" keeps the answers and starts the wait again, and tells the server the screen is in
    # use, so the pages already seen stay open to Back.
    with page.expect_request(re.compile(r"/kiosk/still-here/$")) as still_here:
        dialog.get_by_role("button", name="Yes, I am still here").click()
    assert still_here.value.method == "POST"
    assert still_here.value.response().status == 204
    expect(dialog).to_be_hidden()
    expect(heading(page)).to_have_text("Who matters to you?")

    idle_until_warned()
    page.clock.run_for("00:30")
    expect(countdown).to_have_text("30")
    screenshot(page, "still-there")
    page.clock.run_for("00:29")
    expect(countdown).to_have_text("1")
    expect(heading(page)).to_have_text("Who matters to you?")
    page.clock.run_for("00:01")

    expect(heading(page)).to_have_text("All cleared")
    assert POSTCODE not in page.content()
    assert traffic.errors == []
