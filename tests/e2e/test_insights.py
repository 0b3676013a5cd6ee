"""The commissioners' map, gaps, trends, report and England pages in the browser: axe at 0 at
desktop and phone widths, the map drawn with its legend and the activities from search, the
table and choices working without JavaScript, the report's charts drawn, hostile text as text."""

import datetime

import pytest
from django.contrib.auth.models import Group

from common import deprivation
from insights.services import district_figures_refresh, england_run_execute, england_run_start
from search.models import ZeroResultSearch
from search.services import index_rebuild
from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.places import local_activity

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e
__all__ = ["axe_source"]  # a fixture, used by name
HOSTILE = '<img src=x onerror="window.hacked=1">'
TWO = {"E09000001": "City of London", "E09000032": "Wandsworth"}


@pytest.fixture
def borough(live_site):
    UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")])
    group = OrganisationFactory(title="Wandle Wellbeing")
    local_activity(group, "Anxiety peer support", "mental-wellbeing",
                   start=datetime.time(10), end=datetime.time(12))  # fmt: skip
    local_activity(group, HOSTILE, "physical-activity", lat=51.46, lng=-0.17)
    index_rebuild()
    for _ in range(6):
        ZeroResultSearch.objects.create(terms=HOSTILE, categories="digital-skills", outcode="SW18")
    district_figures_refresh()


def test_the_map_draws_areas_and_activities_and_passes_axe(
    new_context, axe_source, screenshot, borough, traffic
):
    problems = {}
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "cam")
    page.goto("/insights/map/?measure=gap&theme=mental-wellbeing")
    the_map = page.locator("#insights-map")
    expect(the_map).to_have_attribute("data-markers", "2")
    assert the_map.get_attribute("data-areas") == "186"
    expect(page.locator("path.leaflet-interactive")).to_have_count(186)
    expect(page.locator("[data-category-legend]")).to_contain_text("Mental wellbeing: 1")
    expect(page.get_by_role("table", name="186 small areas")).to_be_visible()
    problems["map"] = violations(page, axe_source)
    screenshot(page, "map")

    phone = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(phone, "cam")
    phone.goto("/insights/map/?group=outcode")
    expect(phone.locator("#insights-map")).to_have_attribute("data-markers", "2")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    problems["map on a phone"] = violations(phone, axe_source)
    screenshot(phone, "map-phone")

    assert page.evaluate("window.hacked") is None
    assert problems == {"map": [], "map on a phone": []}
    assert traffic.errors == [] and traffic.failed == []


def test_the_map_and_trends_choose_without_javascript(new_context, borough):
    plain = new_context(java_script_enabled=False).new_page()
    sign_in(plain, "cam")
    plain.goto("/insights/map/")
    plain.get_by_label("Colour the areas by").select_option("crime")
    plain.get_by_label("Areas", exact=True).select_option("outcode")
    plain.get_by_role("button", name="Show").click()
    assert "measure=crime" in plain.url and "group=outcode" in plain.url
    expect(plain.get_by_role("table", name="outward codes: crime")).to_be_visible()

    plain.goto("/insights/trends/")
    plain.get_by_label("Count by").select_option("quarter")
    plain.get_by_role("button", name="Show").click()
    expect(plain.get_by_role("table", name="Wandsworth by quarter")).to_be_visible()


def test_gaps_trends_report_and_england_pass_axe_and_the_report_draws_its_charts(
    new_context, axe_source, screenshot, borough, traffic, monkeypatch
):
    # England cut down to two local authorities, worked out before the pages are read.
    monkeypatch.setattr(deprivation, "districts", lambda: dict(TWO))
    england_run_execute(run_id=england_run_start()[0].pk)
    problems = {}
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "cam")
    for name in ("gaps", "trends", "report", "england"):
        page.goto(f"/insights/{name}/")
        if name in ("trends", "report"):
            expect(page.locator('figure[data-chart="need"] canvas')).to_be_visible()
            expect(page.locator('figure[data-chart="supply"] canvas')).to_be_visible()
        if name == "england":
            expect(page.locator("#insights-map")).to_have_attribute("data-areas", "2")
            expect(page.locator("#insights-map path.leaflet-interactive")).to_have_count(2)
        problems[name] = violations(page, axe_source)
        screenshot(page, name)
    page.goto("/insights/gaps/")
    expect(page.get_by_role("table", name="places and kinds of activity")).to_be_visible()
    expect(page.get_by_text(HOSTILE).first).to_be_attached()

    assert page.evaluate("window.hacked") is None
    assert problems == {"gaps": [], "trends": [], "report": [], "england": []}
    assert traffic.errors == [] and traffic.failed == []
