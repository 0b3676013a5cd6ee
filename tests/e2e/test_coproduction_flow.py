"""A partnership's life in the browser: a service team lead posts an ask, sees the groups that
fit with their reasons, and proposes a partnership; the group's editor accepts; the lead moves it
on, logs delivery and records a review; both answer the survey and see where they differ. Every
page passes axe, and screenshots are kept at desktop and phone width."""

import pytest
from django.contrib.auth.models import Group

from coproduction.models import CapabilityItem, CapabilityTerm, Partnership
from search.services import index_rebuild
from tests.conftest import make_editor
from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import ActivityFactory, OrganisationFactory, UserFactory, VenueFactory
from tests.factories.coproduction import (
    CapabilityProfileFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e
__all__ = ["axe_source"]  # a fixture, used by name
HOSTILE = '<img src=x onerror="window.hacked=1">Tooting & <b>Tamil</b>'


@pytest.fixture
def system(live_site):
    """A team in SW17, and two groups with profiles: one near with a kitchen, one far."""
    team = ServiceTeamFactory(name="Healthy Eating Team", slug="healthy-eating", areas=["SW17"])
    make_service_team_member(team, username="teamlead", role="lead", first_name="Tia")
    near = OrganisationFactory(title="Tooting Tamil Women")
    far = OrganisationFactory(title="Putney Walkers")
    for organisation, lat, lng in ((near, 51.4307, -0.1647), (far, 51.4613, -0.2163)):
        venue = VenueFactory(latitude=lat, longitude=lng, postcode="SW17 0QT")
        ActivityFactory(parent=organisation, title=f"{organisation.title} meet", venue=venue)
    profile = CapabilityProfileFactory(organisation=near, summary=HOSTILE)
    for slug, verified in (("asset-kitchen", True), ("skill-cooking", False)):
        CapabilityItem.objects.create(
            profile=profile,
            term=CapabilityTerm.objects.get(slug=slug),
            verified_on="2026-11-01" if verified else None,
            evidence="Seen on a visit" if verified else "",
        )
    CapabilityItem.objects.create(
        profile=profile, term=CapabilityTerm.objects.get(slug="community-tamil")
    )
    CapabilityProfileFactory(organisation=far)
    make_editor(near, username="tamil-editor")
    index_rebuild()
    return team, near


def check(page, axe_source, screenshot, name, problems):
    page.wait_for_load_state("networkidle")
    problems[name] = violations(page, axe_source)
    screenshot(page, name)


def test_a_partnership_from_ask_to_review(
    new_context, axe_source, screenshot, system, traffic, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    team, near = system
    problems = {}
    lead = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(lead, "teamlead")
    lead.goto("/coproduction/")
    check(lead, axe_source, screenshot, "home", problems)
    lead.get_by_role("link", name="Post an ask for Healthy Eating Team").click()

    # The form refuses a full postcode, naming the field.
    lead.get_by_label("What you want to achieve").fill("Healthy cooking for Tamil women")
    lead.get_by_label("Areas (outward codes)").fill("SW17 0QT")
    lead.get_by_role("button", name="Save and see the groups that fit").click()
    expect(lead.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(lead, axe_source, screenshot, "ask-form-errors", problems)
    lead.get_by_label("Areas (outward codes)").fill("SW17")
    lead.get_by_role("group", name="Capabilities sought").get_by_label("Kitchen").check()
    lead.get_by_role("group", name="Capabilities sought").get_by_label("Cooking").check()
    lead.get_by_role("group", name="Communities to reach").get_by_label("Tamil").first.check()
    lead.get_by_label("Funding").check()
    lead.get_by_role("button", name="Save and see the groups that fit").click()

    # The groups that fit, best first, with their reasons.
    rows = lead.locator("table.data tbody tr")
    expect(rows.first).to_contain_text("Tooting Tamil Women")
    expect(rows.first).to_contain_text("Verified: Kitchen.")
    expect(rows.first).to_contain_text("Not yet verified: Cooking.")
    expect(rows.nth(1)).to_contain_text("Putney Walkers")
    check(lead, axe_source, screenshot, "ask-candidates", problems)
    lead.get_by_label("Invite Tooting Tamil Women").check()
    lead.get_by_role("button", name="Propose a partnership with the groups ticked").click()
    expect(lead.get_by_text("not accepted yet")).to_be_visible()
    check(lead, axe_source, screenshot, "partnership-proposed", problems)

    # The group's editor accepts.
    editor = new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(editor, "tamil-editor")
    editor.goto("/coproduction/")
    editor.get_by_role("link", name="Healthy cooking for Tamil women").click()
    editor.get_by_role("button", name="Accept for Tooting Tamil Women").click()
    expect(editor.get_by_text("has accepted the partnership")).to_be_visible()
    check(editor, axe_source, screenshot, "partnership-accepted-phone", problems)

    # The lead moves it on, logs delivery, and reviews it.
    lead.reload()
    for stage in ("Agreed", "Delivering"):
        lead.get_by_label(stage, exact=True).check()
        lead.get_by_role("button", name="Move", exact=True).click()
        expect(lead.get_by_text("Partnership moved on.")).to_be_visible()
    lead.get_by_text("Log delivery").first.click()
    lead.get_by_label("From").fill("2027-01-04")
    lead.get_by_label("To", exact=True).fill("2027-01-29")
    lead.get_by_label("Sessions delivered").fill("4")
    lead.get_by_label("People reached", exact=True).fill("31")
    lead.get_by_label("People reached by community or age band (optional)").fill("Tamil: 31")
    lead.get_by_role("button", name="Log delivery").click()
    expect(lead.get_by_text("Delivery logged.")).to_be_visible()
    # ...keeps the evaluation with it, which the group's editor can open.
    lead.get_by_text("Add a document").click()
    lead.get_by_label("Title").fill("Evaluation, January")
    lead.get_by_label("File").set_input_files(
        files=[{"name": "evaluation.txt", "mimeType": "text/plain", "buffer": b"Went well."}]
    )
    lead.get_by_role("button", name="Add the document").click()
    expect(lead.get_by_text("“Evaluation, January” is kept with the partnership.")).to_be_visible()
    check(lead, axe_source, screenshot, "partnership-document", problems)
    lead.get_by_label("Reviewing", exact=True).check()
    lead.get_by_role("button", name="Move", exact=True).click()
    lead.get_by_text("Record a review").click()
    lead.get_by_label("Date of the review").fill("2027-02-01")
    lead.get_by_label("Co-design", exact=True).check()
    lead.get_by_label("Co-design happened").check()
    lead.get_by_role("button", name="Record the review").click()
    for question in ("We share a clear purpose.", "We trust each other.",
                     "Each partner is committed to the work.",
                     "Who does what is clear and agreed.",
                     "We communicate openly and often enough.",
                     "We learn from each other and change what we do."):  # fmt: skip
        lead.get_by_role("group", name=question).get_by_label("5, strongly agree").check()
    lead.get_by_role("button", name="Send my answers").click()

    editor.reload()
    with editor.expect_download() as download:
        editor.get_by_role("link", name="Evaluation, January").click()
    assert download.value.suggested_filename == "evaluation.txt"
    for question, answer in (("We share a clear purpose.", "4"), ("We trust each other.", "2"),
                             ("Each partner is committed to the work.", "4"),
                             ("Who does what is clear and agreed.", "3"),
                             ("We communicate openly and often enough.", "4"),
                             ("We learn from each other and change what we do.", "4")):  # fmt: skip
        editor.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    editor.get_by_role("button", name="Send my answers").click()
    expect(editor.get_by_text("Yes: answers differ by 3")).to_be_visible()

    lead.reload()
    expect(lead.get_by_text("moved from delivering to reviewing")).to_be_visible()
    check(lead, axe_source, screenshot, "partnership-reviewed", problems)
    lead.goto("/coproduction/matrix/")
    expect(lead.get_by_role("row", name="Tooting Tamil Women")).to_contain_text("88")
    check(lead, axe_source, screenshot, "matrix", problems)
    partnership = Partnership.objects.get()
    assert partnership.status == "reviewing" and partnership.reviews.get().level == 4
    assert partnership.deliveries.get().reached_by_group == {"Tamil": 31}

    commissioner = UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")])
    assert commissioner.pk
    office = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(office, "cam")
    office.goto("/coproduction/commissioning/")
    expect(office.get_by_role("heading", name="Coverage and gaps", level=1)).to_be_visible()
    check(office, axe_source, screenshot, "commissioning", problems)

    # The group's own words reach the page only as text.
    editor.goto(f"/coproduction/groups/{near.pk}/profile/")
    check(editor, axe_source, screenshot, "profile-phone", problems)
    assert editor.evaluate("window.hacked") is None
    assert problems == {name: [] for name in problems}
    assert traffic.errors == [] and traffic.external(lead.url) == []
