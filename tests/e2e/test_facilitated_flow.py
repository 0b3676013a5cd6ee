"""A facilitator signs in, records consent, maps a person's network on the circle diagram,
asks about interests and needs, gets explained suggestions on a map, saves, prints and e-mails
a plan, and later records a follow-up and maps the network again. Also: the map without
JavaScript, on a tablet, and another team kept out."""

import datetime
import re

import pytest
from django.core import mail

from assets_directory.models import Activity, Category
from search.services import index_rebuild
from tests.e2e.conftest import SCREENSHOT_DIR
from tests.factories import (
    ActivityFactory,
    ActivityScheduleFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    make_facilitator,
)
from tests.factories.places import local_activity

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

# In-person activities the person's answers let through, and the online one (no map point).
NEARBY = {"Tuesday choir", "Common walk", "Coffee morning"}
ONLINE = "Sing online"
# Each of these fails exactly one answer: step-free, 2 km, Tuesday morning.
RULED_OUT = {"Hill walk", "Putney choir", "Evening choir"}


@pytest.fixture
def team(live_site):
    return TeamFactory(name="Wandsworth Link Workers", slug="wandsworth-link-workers")


@pytest.fixture
def facilitator(team):
    return make_facilitator(team, username="linkworker", first_name="Lee", last_name="Worker")


@pytest.fixture
def borough(live_site):
    """Activities around SW18 (the outcode centre is 51.4489, -0.1971), indexed."""
    organisation = OrganisationFactory(title="Wandsworth Community")

    def make(title, slug, lat, lng, *, step=True, start=10, end=12):
        local_activity(organisation, title, slug, lat=lat, lng=lng, step_free=step,
                       start=datetime.time(start, 0), end=datetime.time(end, 0),
                       summary="Friendly and welcoming.")  # fmt: skip

    make("Tuesday choir", "choirs-and-singing", 51.4500, -0.1950)
    make("Common walk", "walking", 51.4530, -0.1900, end=11)
    make("Coffee morning", "coffee-mornings", 51.4470, -0.2010)
    make("Hill walk", "walking", 51.4460, -0.1930, step=False)
    make("Putney choir", "choirs-and-singing", 51.4600, -0.2600)  # about 4.5 km away
    make("Evening choir", "choirs-and-singing", 51.4495, -0.1960, start=19, end=21)
    online = ActivityFactory(
        parent=organisation,
        title=ONLINE,
        summary="Sing along on a video call.",
        delivery=Activity.Delivery.ONLINE,
        venue=None,
        categories=[Category.objects.get(slug="choirs-and-singing")],
    )
    ActivityScheduleFactory(activity=online, weekdays="tue", start_time=datetime.time(10, 0),
                            end_time=datetime.time(11, 0))  # fmt: skip
    index_rebuild()


def screenshot_of(locator, request, step):
    """A close-up of one part of the page, named as the `screenshot` fixture names pages."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    return locator.screenshot(path=str(SCREENSHOT_DIR / f"{request.node.name}-{step}.png"))


def sign_in(page, username):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People you support")


def row(page, number):
    """One entry of the network form: the fieldset "Connection <number>"."""
    return page.get_by_role("group", name=f"Connection {number}", exact=True)


def dot(page, text):
    """The dot on the editor's diagram for a member, by its words, e.g. "Jo (Neighbour)"."""
    return page.locator("#netmap-edit .netmap__dot").filter(has_text=text)


def client_point(page, x, y):
    """Where a point of the diagram (in SVG units) is in the window, for the mouse."""
    return page.locator("#netmap-edit svg").evaluate(
        """(svg, [x, y]) => {
             const p = svg.createSVGPoint(); p.x = x; p.y = y;
             const q = p.matrixTransform(svg.getScreenCTM());
             return [q.x, q.y];
           }""",
        [x, y],
    )


def touch_drag(context, page, start, end, steps=10):
    """Drag with one finger (Playwright has taps, but no touch drag)."""
    cdp = context.new_cdp_session(page)
    (x0, y0), (x1, y1) = start, end
    cdp.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    for i in range(1, steps + 1):
        point = {"x": x0 + (x1 - x0) * i / steps, "y": y0 + (y1 - y0) * i / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def add_on_diagram(page, label, kind, circle):
    tools = page.get_by_role("group", name="Add to the map")
    tools.get_by_label("Name or initials (optional)").fill(label)
    tools.get_by_label("Who or what").select_option(label=kind)
    tools.get_by_role("button", name=f"Add to {circle} circle").click()


def test_facilitator_maps_network_matches_and_plans(
    request, page, screenshot, traffic, live_site, borough, facilitator
):
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    sign_in(page, "linkworker")

    # Consent first, then the person.
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("They agree that the team keeps this record to help them").check()
    page.get_by_label("They agree to be sent their plan and reminders by e-mail").check()
    page.get_by_label("Name or initials").fill("Ann")
    page.get_by_label("Postcode").fill("SW18 1AA")
    page.get_by_label("E-mail address").fill("ann@example.org")
    page.get_by_role("button", name="Record consent and add").click()
    expect(page.get_by_text("Consent recorded and Ann added.")).to_be_visible()
    steps = page.get_by_role("navigation", name="Steps for Ann")

    # 1. Network: build the map on the diagram; the form follows.
    steps.get_by_role("link", name="1. Network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Network map")
    status = page.locator("[data-netmap-status]")
    add_on_diagram(page, "Mum", "Family", "inner")
    expect(status).to_have_text(
        "Mum (Family) added to the inner circle. Add what they give and how often in its "
        "entry in the list."
    )
    add_on_diagram(page, "Sam", "Friend", "middle")
    add_on_diagram(page, "Jo", "Neighbour", "outer")
    add_on_diagram(page, "Rex", "Pet", "outer")  # the three blank entries are used: a new one
    expect(page.locator("#netmap-edit .netmap__dot")).to_have_count(4)
    expect(row(page, 1).get_by_label("Name or initials")).to_have_value("Mum")
    expect(row(page, 1).get_by_label("Who or what")).to_have_value("family")
    expect(row(page, 1).get_by_role("radio", name="Inner circle")).to_be_checked()
    expect(row(page, 3).get_by_role("radio", name="Outer circle")).to_be_checked()
    expect(row(page, 4).get_by_label("Name or initials")).to_have_value("Rex")
    expect(page.locator('input[name="members-TOTAL_FORMS"]')).to_have_value("4")

    # The form drives the diagram too.
    row(page, 2).get_by_label("Name or initials").fill("Sammy")
    expect(dot(page, "Sammy (Friend)")).to_have_count(1)
    row(page, 1).get_by_role("checkbox", name="Someone to talk to").check()
    row(page, 1).get_by_label("How often in touch").select_option(label="Most days")

    # Drag Jo from the outer circle into the inner one.
    jo = dot(page, "Jo (Neighbour)")
    jo.scroll_into_view_if_needed()
    box = jo.locator("circle:not(.netmap__hit)").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    target = client_point(page, 300, 235)  # the centre is (300, 300); the inner ring r=110
    page.mouse.move(*target, steps=12)
    page.mouse.up()
    expect(status).to_have_text("Jo (Neighbour) moved to the inner circle.")
    expect(row(page, 3).get_by_role("radio", name="Inner circle")).to_be_checked()
    expect(row(page, 3).get_by_role("radio", name="Outer circle")).not_to_be_checked()
    expect(page.locator("[data-netmap-desc]")).to_contain_text(
        "Inner circle: Mum (Family); Jo (Neighbour)."
    )

    page.get_by_label("Note about this version (optional)").fill("First map")
    page.get_by_role("button", name="Save map", exact=True).click()
    expect(page.get_by_text("Network map saved as a new version.")).to_be_visible()
    names = page.locator("#netmap-edit .netmap__name")
    expect(names).to_have_text(["Mum", "Jo", "Sammy", "Rex"])  # inner circle first
    expect(page.get_by_role("heading", name="What the saved map shows")).to_be_visible()
    screenshot_of(page.locator("#netmap-edit"), request, "network-diagram")

    # 2. Interests and practical limits.
    steps.get_by_role("link", name="2. Interests").click()
    interests = page.get_by_role("group", name="What do you enjoy, or would like to try?")
    for name in ("Choirs and singing", "Walking", "Coffee mornings"):
        interests.get_by_label(name, exact=True).check()
    page.get_by_label("Up to 2 km (about a 25-minute walk)").check()
    page.get_by_role("group", name="Tuesday", exact=True).get_by_label(
        "Morning (9am to 12 noon)"
    ).check()
    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Save and choose the top three").click()

    # Top three: ticking numbers them in order.
    expect(page.get_by_role("heading", level=1)).to_have_text("Their top three")
    page.get_by_label("Choirs and singing", exact=True).check()
    page.get_by_label("Walking", exact=True).check()
    expect(page.get_by_text("You have chosen 2 of 3.")).to_be_visible()
    expect(page.get_by_label("Order for Choirs and singing")).to_have_value("1")
    expect(page.get_by_label("Order for Walking")).to_have_value("2")
    page.get_by_role("button", name="Save and go on to needs").click()

    # Needs, with priorities and their words.
    expect(page.get_by_role("heading", level=1)).to_have_text("What Ann would like help with")
    page.get_by_label("Getting out and about", exact=True).check()
    page.get_by_label("Feeling lonely", exact=True).check()
    expect(page.get_by_label("Priority for Getting out and about")).to_have_value("1")
    expect(page.get_by_label("Priority for Feeling lonely")).to_have_value("2")
    page.get_by_label("Priority for Feeling lonely").select_option("1")
    page.get_by_label("Priority for Getting out and about").select_option("2")
    page.get_by_label("In your own words: Feeling lonely").fill("I don't see anyone all week")
    page.get_by_label("Who will help: Feeling lonely").fill("My daughter")
    page.get_by_label("In your own words: Getting out and about").fill("Get out of the flat")
    page.get_by_role("button", name="Save and continue").click()

    # About them: every question optional; health only with its own consent, not given here.
    expect(page.get_by_role("heading", level=1)).to_have_text("About Ann")
    expect(page.get_by_text("record their consent to it")).to_be_visible()
    page.get_by_label("65 or over", exact=True).check()
    screenshot(page, "about-them")
    page.get_by_role("button", name="Save and see suggestions").click()

    # 4. Suggestions: explained, and the same numbers on the map as in the list.
    expect(page.get_by_role("heading", level=1)).to_have_text("Suggestions for Ann")
    items = page.locator("ol.suggestions > li.suggestion")
    titles = items.locator(".suggestion__title a").all_inner_texts()
    assert NEARBY | {ONLINE} <= set(titles), titles
    assert not RULED_OUT & set(titles), titles
    expect(page.get_by_role("heading", level=2, name=f"{len(titles)} suggestions")).to_be_visible()
    choir = items.filter(has=page.get_by_role("link", name="Tuesday choir"))
    expect(choir.locator(".suggestion__reasons")).to_contain_text(
        "Choirs and singing, as you chose"
    )
    expect(choir.locator(".suggestion__reasons")).to_contain_text("when you are free")
    for item in items.all():
        expect(item.locator(".suggestion__reasons")).not_to_be_empty()

    # The list is numbered 1, 2, ... in its order; the map must use the same numbers.
    numbered = {title: number for number, title in enumerate(titles, start=1)}
    expect(items.locator(".suggestion__number")).to_have_text(
        [str(n) for n in range(1, len(titles) + 1)]
    )
    on_the_map = {f"{numbered[t]}. {t}" for t in titles if t != ONLINE}
    map_box = page.get_by_role("region", name="Map of the suggestions, numbered as in the list")
    expect(map_box).to_be_visible()
    markers = map_box.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(len(on_the_map))
    assert {m.get_attribute("title") for m in markers.all()} == on_the_map
    assert {m.inner_text() for m in markers.all()} == {str(numbered[t]) for t in NEARBY}
    expect(page.get_by_text("The numbers on the map match the list.")).to_be_visible()
    screenshot(page, "suggestions-map")

    # Choose two and save the plan.
    page.get_by_label("Choose to try: Tuesday choir").check()
    page.get_by_label("Choose to try: Common walk").check()
    page.get_by_label("Anything else agreed").fill("Her daughter will go along the first time.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan for Ann")
    # In the order of the list, whatever order they were ticked in.
    chosen = sorted(["Tuesday choir", "Common walk"], key=numbered.get)
    expect(page.locator(".plan-item__title")).to_have_text(chosen)
    expect(page.locator(".plan-need__title")).to_have_text(
        ["Feeling lonely", "Getting out and about"]
    )
    expect(page.get_by_text("I don't see anyone all week")).to_be_visible()
    expect(page.get_by_role("button", name="Print the plan")).to_be_visible()

    # Printed: the plan only, no navigation or buttons.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(steps).to_be_hidden()
    expect(page.get_by_role("button", name="Print the plan")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".plan-item__title").first).to_be_visible()
    screenshot(page, "plan-print")
    page.emulate_media(media="screen")

    # E-mailed: one message, to Ann.
    assert mail.outbox == []
    page.get_by_role("button", name="E-mail the plan to ann@example.org").click()
    expect(page.get_by_text("The plan has been sent to ann@example.org.")).to_be_visible()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ann@example.org"]
    assert "Tuesday choir" in mail.outbox[0].body

    # Later: the follow-up.
    page.get_by_role("link", name="Follow up later: did they go?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Follow-up with Ann")
    page.get_by_text("Record a follow-up for Tuesday choir").click()
    item = page.locator(".follow-up-item").filter(
        has=page.get_by_role("heading", name="Tuesday choir")
    )
    item.get_by_role("group", name="Did they go?").get_by_label("Yes", exact=True).check()
    item.get_by_role("group", name="Are they still going?").get_by_label("Yes", exact=True).check()
    item.get_by_label("Anything to note (in their words)").fill("Loves the harmonies")
    item.get_by_role("button", name="Save the follow-up for Tuesday choir").click()
    expect(page.get_by_text("Follow-up saved for Tuesday choir.")).to_be_visible()
    expect(item.locator(".follow-up-history")).to_contain_text(
        "went: Yes; still going. “Loves the harmonies”"
    )

    # Map the network again from the latest: she has joined the choir.
    page.get_by_role("link", name="Map their network again").click()
    expect(page.locator("#netmap-edit .netmap__dot")).to_have_count(4)
    add_on_diagram(page, "Tuesday choir", "Group or organisation", "middle")
    expect(dot(page, "Tuesday choir (Group or organisation)")).to_have_count(1)
    page.get_by_label("Note about this version (optional)").fill("After the plan")
    page.get_by_role("button", name="Save map", exact=True).click()
    expect(page.get_by_text("Network map saved as a new version.")).to_be_visible()

    page.get_by_role("link", name="Compare the 2 versions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare network maps")
    change = page.locator(".netmap-change")
    expect(change).to_contain_text("Your network has grown from 4 to 5.")
    expect(change).to_contain_text("New in your map: Tuesday choir.")
    expect(page.locator("#netmap-after .netmap__name")).to_contain_text(["Tuesday choir"])
    screenshot(page, "network-compare")

    assert traffic.external(live_site.url) == []
    assert traffic.errors == []
    assert console_errors == []
    assert traffic.failed == []


def test_network_map_works_without_javascript(new_context, screenshot, traffic, facilitator, team):
    person = PersonFactory(team=team, display_name="Bo")
    page = new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    ).new_page()
    sign_in(page, "linkworker")
    page.goto(f"/support/people/{person.reference}/network/")
    expect(page.get_by_role("group", name="Add to the map")).to_be_hidden()
    expect(page.get_by_role("group", name=re.compile(r"^Connection \d+$"))).to_have_count(3)

    entries = [("Dad", "Family", "Inner circle"), ("Priya", "Friend", "Middle circle"),
               ("Lunch club", "Group or organisation", "Outer circle")]  # fmt: skip
    for number, (label, kind, circle) in enumerate(entries, start=1):
        row(page, number).get_by_label("Name or initials").fill(label)
        row(page, number).get_by_label("Who or what").select_option(label=kind)
        row(page, number).get_by_role("radio", name=circle).check()

    # "Add another" goes to the server and comes back with one more entry, keeping the rest.
    page.get_by_role("button", name="Add another person, group, pet or place").click()
    expect(page.get_by_role("group", name=re.compile(r"^Connection \d+$"))).to_have_count(4)
    expect(row(page, 3).get_by_label("Name or initials")).to_have_value("Lunch club")
    row(page, 4).get_by_label("Name or initials").fill("Biscuit")
    row(page, 4).get_by_label("Who or what").select_option(label="Pet")
    row(page, 4).get_by_role("radio", name="Inner circle").check()
    page.get_by_role("button", name="Save map", exact=True).click()

    expect(page.get_by_text("Network map saved as a new version.")).to_be_visible()
    svg = page.get_by_role("img", name=re.compile(r"^Network map of Bo"))
    expect(svg).to_be_visible()
    names = svg.locator(".netmap__name")
    expect(names).to_have_count(4)
    assert sorted(names.all_text_contents()) == ["Biscuit", "Dad", "Lunch club", "Priya"]
    expect(svg.locator("desc")).to_have_text(
        "Inner circle: Dad (Family); Biscuit (Pet). Middle circle: Priya (Friend). "
        "Outer circle: Lunch club (Group or organisation)."
    )
    screenshot(page)
    assert traffic.failed == []


def test_circle_diagram_on_a_tablet(new_context, screenshot, traffic, facilitator, team):
    person = PersonFactory(team=team, display_name="Cy")
    context = new_context(viewport={"width": 820, "height": 1180}, has_touch=True, is_mobile=True)
    page = context.new_page()
    sign_in(page, "linkworker")
    page.goto(f"/support/people/{person.reference}/network/")

    diagram = page.get_by_role("img", name=re.compile(r"^Network map of Cy"))
    expect(diagram).to_be_visible()
    box = diagram.bounding_box()
    assert box["width"] >= 300, box  # big enough to aim at with a finger
    assert box["x"] >= 0 and box["x"] + box["width"] <= 820, box

    tools = page.get_by_role("group", name="Add to the map")
    tools.get_by_label("Name or initials (optional)").fill("Gran")
    tools.get_by_label("Who or what").select_option(label="Family")
    tools.get_by_role("button", name="Add to inner circle").tap()
    expect(dot(page, "Gran (Family)")).to_be_visible()
    expect(row(page, 1).get_by_role("radio", name="Inner circle")).to_be_checked()

    # A finger drags a dot to another circle.
    tools.get_by_label("Name or initials (optional)").fill("Ola")
    tools.get_by_label("Who or what").select_option(label="Friend")
    tools.get_by_role("button", name="Add to outer circle").tap()
    ola = dot(page, "Ola (Friend)")
    ola.scroll_into_view_if_needed()
    box = ola.locator("circle:not(.netmap__hit)").bounding_box()
    start = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    touch_drag(context, page, start, client_point(page, 300, 300 - 155))
    expect(page.locator("[data-netmap-status]")).to_have_text(
        "Ola (Friend) moved to the middle circle."
    )
    expect(row(page, 2).get_by_role("radio", name="Middle circle")).to_be_checked()

    # Tapping a dot chooses it, ready to remove.
    dot(page, "Gran (Family)").tap()
    expect(page.locator("[data-netmap-selected]")).to_have_text("Chosen: Gran (Family).")
    expect(page.get_by_role("button", name="Remove from the map")).to_be_enabled()
    screenshot(page)
    assert traffic.errors == []


def test_other_team_cannot_open_the_record(page, team):
    person = PersonFactory(team=team, display_name="Di")
    make_facilitator(TeamFactory(name="Battersea", slug="battersea"), username="elsewhere")
    sign_in(page, "elsewhere")
    expect(page.get_by_text("No one yet.")).to_be_visible()
    for path in ("", "network/", "suggestions/", "follow-up/"):
        response = page.goto(f"/support/people/{person.reference}/{path}")
        assert response.status == 404, path
        expect(page.get_by_text("Di", exact=True)).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
