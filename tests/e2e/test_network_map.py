"""The network map in the browser: the picture is drawn from the page's data, a click on a shape
focuses the map on it, the table is there with or without JavaScript, the picture downloads as
SVG and PNG, names stay text, and every view passes axe, at desktop and at phone width."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from coproduction.models import CapabilityItem, CapabilityTerm, GroupLink
from coproduction.services import link_record, partnership_accept, partnership_propose
from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import OrganisationFactory, UserFactory
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
HOSTILE = '<img src=x onerror="window.hacked=1">Balham & <b>Friends</b>'
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def system(live_site):
    """A memory team in partnership with Tooting Tamil Women; six groups that refer people to
    one another around them; a group with a hostile name; one on its own; a commissioner."""
    team = ServiceTeamFactory(name="Memory Assessment Service", slug="memory", areas=["SW17"])
    ServiceTeamFactory(name="Healthy Eating Team", slug="eating", areas=["SW18"])
    lead = make_service_team_member(team, username="memorylead", role="lead")
    tamil = OrganisationFactory(title="Tooting Tamil Women")
    profile = CapabilityProfileFactory(organisation=tamil, areas=["SW17"])
    CapabilityItem.objects.create(
        profile=profile, term=CapabilityTerm.objects.get(slug="community-tamil")
    )
    others = [
        OrganisationFactory(title=title)
        for title in ("Somali Elders", "Tooting Carers", "Earlsfield Men's Shed", HOSTILE)
    ]
    OrganisationFactory(title="Putney Walkers")
    today = timezone.localdate()
    previous = tamil
    for group in others:
        link_record(
            from_organisation=previous,
            to_organisation=group,
            kind=GroupLink.Kind.REFERRALS,
            started_on=today,
            by=None,
        )
        previous = group
    partnership = partnership_propose(
        team=team, organisations=[tamil], by=lead, title="Memory cafe in Tamil"
    )
    partnership_accept(partnership=partnership, organisation=tamil, by=lead)
    UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")])
    return tamil


def check(page, axe_source, screenshot, name, problems):
    page.wait_for_load_state("networkidle")
    problems[name] = violations(page, axe_source)
    screenshot(page, name)


def test_the_map_draws_focuses_on_a_click_and_downloads(
    new_context, axe_source, screenshot, system, traffic
):
    tamil = system
    problems = {}
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "cam")
    page.goto("/coproduction/")
    page.get_by_role("link", name="Network map: who connects to whom").click()
    expect(page.get_by_role("heading", name="Network map", level=1)).to_be_visible()
    expect(page.get_by_label("As it was on")).to_have_value(timezone.localdate().isoformat())

    # Nine nodes: two teams, six groups (one of them on its own) and the partnership.
    figure = page.locator("[data-system-map]")
    expect(figure).to_have_attribute("data-system-map-drawn", "9")
    expect(figure.locator("svg.system-map__svg [data-node]")).to_have_count(9)
    expect(figure.locator("svg.system-map__svg line")).to_have_count(6)
    expect(page.get_by_role("button", name="Download the picture (SVG)")).to_be_visible()
    expect(page.get_by_role("list", name="Key")).to_contain_text("Service teams")
    table = page.get_by_role("table")
    expect(table.locator("tbody tr")).to_have_count(9)
    expect(page.get_by_role("row", name="Putney Walkers")).to_contain_text("isolated")
    check(page, axe_source, screenshot, "desktop", problems)

    # The picture, saved.
    with page.expect_download() as svg_download:
        page.get_by_role("button", name="Download the picture (SVG)").click()
    assert svg_download.value.suggested_filename.endswith(".svg")
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "Tooting Tamil Women" in svg
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Download the picture (PNG)").click()
    assert png_download.value.suggested_filename.endswith(".png")
    assert Path(png_download.value.path()).read_bytes()[:8] == PNG_SIGNATURE

    # A click on a shape focuses the map on it.
    page.locator(f'[data-node="group:{tamil.pk}"]').click()
    expect(page).to_have_url(re.compile(rf"\?focus=group:{tamil.pk}$"))
    expect(page.get_by_text("Showing Tooting Tamil Women")).to_be_visible()
    # Tamil Women, the group it refers to, and the partnership.
    expect(figure).to_have_attribute("data-system-map-drawn", "3")
    expect(table.locator("tbody tr")).to_have_count(3)
    check(page, axe_source, screenshot, "focused", problems)

    assert page.evaluate("window.hacked") is None
    assert problems == {name: [] for name in problems}
    assert traffic.errors == [] and traffic.external(page.url) == []


def test_the_map_fits_a_phone(new_context, axe_source, screenshot, system, traffic):
    problems = {}
    page = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(page, "cam")
    page.goto("/coproduction/network/")
    expect(page.locator("[data-system-map]")).to_have_attribute("data-system-map-drawn", "9")
    box = page.locator("svg.system-map__svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    check(page, axe_source, screenshot, "phone", problems)

    # A day that does not exist: the form says which field, and the page still passes axe.
    page.goto("/coproduction/network/?on=2026-02-30")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="“As it was on” must be a real date")).to_be_visible()
    check(page, axe_source, screenshot, "phone-error", problems)
    assert problems == {"phone": [], "phone-error": []}
    assert traffic.errors == []


def test_without_javascript_the_table_and_downloads_are_there(new_context, system):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, "cam")
    page.goto("/coproduction/network/?kinds=group")
    expect(page.locator("[data-system-map]")).to_be_hidden()
    expect(page.get_by_role("button", name="Download the picture (SVG)")).to_be_hidden()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(6)
    expect(page.get_by_role("link", name="The table as CSV")).to_be_visible()
    page.get_by_role("link", name="Tooting Tamil Women: focus on it").click()
    expect(page.get_by_text("Showing Tooting Tamil Women")).to_be_visible()
    expect(page.get_by_role("table").locator("tbody tr")).to_have_count(2)
