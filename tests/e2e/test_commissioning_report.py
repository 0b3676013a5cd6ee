"""The commissioners' report in the browser: every chart is drawn (by the locally served
Chart.js) beside its table, the page passes axe at desktop and phone widths, prints without the
site's menus, and without JavaScript shows the tables alone. A team member logs evidence of a
principle from the partnership's page, and the report counts it."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from coproduction.models import Partnership
from coproduction.services import (
    evidence_record,
    partnership_accept,
    partnership_move,
    partnership_propose,
    review_record,
)
from search.services import index_rebuild
from tests.conftest import make_editor
from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.coproduction import AskFactory, ServiceTeamFactory, make_service_team_member

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e
__all__ = ["axe_source"]  # a fixture, used by name
HOSTILE = '<img src=x onerror="window.hacked=1">Tea & <b>talk</b>'
CHARTS = ("coverage", "engaged", "over_time", "by_level", "principles")
TABLES = (
    "Open asks by service line",
    "Community groups in each team's partnerships that are not closed",
    "Partnerships proposed each month, by the stage each is at now",
    "By the coproduction level their latest review reached",
    "Principles and the partnerships that show them",
)


@pytest.fixture
def system(live_site):
    """Two teams, three partnerships proposed over three months (one reviewed at co-design),
    evidence of two principles, and an open ask no group is near."""
    eating = ServiceTeamFactory(name="Healthy Eating Team", slug="healthy-eating", areas=["SW17"])
    memory = ServiceTeamFactory(name="Memory Service", slug="memory", areas=["SW18"])
    lead = make_service_team_member(eating, username="teamlead", role="lead")
    other = make_service_team_member(memory, username="memorylead", role="lead")
    groups = [OrganisationFactory(title=t) for t in ("Tooting Tamil Women", HOSTILE)]
    editor = make_editor(groups[0], username="tamil-editor")
    made = []
    for number, (team, by, title) in enumerate(
        ((eating, lead, "Cooking together"), (memory, other, "Memory café"),
         (eating, lead, "Walk and talk"))
    ):  # fmt: skip
        partnership = partnership_propose(
            team=team, organisations=[groups[number % 2]], by=by, title=title
        )
        Partnership.objects.filter(pk=partnership.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=40 * (3 - number))
        )
        made.append(partnership)
    cooking = made[0]
    partnership_accept(partnership=cooking, organisation=groups[0], by=editor)
    for stage in ("agreed", "delivering", "reviewing"):
        partnership_move(partnership=cooking, to=stage, by=lead)
    review_record(partnership=cooking, by=lead, held_on=timezone.localdate(), level=4)
    evidence_record(partnership=cooking, principle="vcse", note="The group hosts it", by=lead)
    evidence_record(partnership=made[1], principle="excluded", note=HOSTILE, by=other)
    AskFactory(team=memory, title="Memory café in SW18", areas=["SW18"])
    UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")])
    index_rebuild()
    return cooking


def drawn(page) -> list[str]:
    """The charts Chart.js has drawn on the page, by name."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("figure[data-chart]"))
            .filter(f => !f.hidden && window.Chart
                         && window.Chart.getChart(f.querySelector("canvas")))
            .map(f => f.dataset.chart)"""
    )


def test_the_report_draws_each_chart_beside_its_table_prints_and_fits_a_phone(
    new_context, axe_source, screenshot, system, traffic
):
    problems = {}
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "cam")
    page.goto("/coproduction/commissioning/")
    page.wait_for_load_state("networkidle")
    assert sorted(drawn(page)) == sorted(CHARTS)
    for name in CHARTS:
        canvas = page.locator(f'figure[data-chart="{name}"] canvas')
        expect(canvas).to_have_attribute("role", "img")
        box = canvas.bounding_box()
        assert box["width"] > 200 and box["height"] > 150, name
    for caption in TABLES:
        expect(page.get_by_role("table", name=caption, exact=True)).to_be_visible()
    principles = page.get_by_role("table", name=TABLES[-1], exact=True)
    expect(principles).to_contain_text("Cooking together")
    expect(page.get_by_text("2 of the ten principles have evidence")).to_be_visible()
    expect(page.get_by_role("button", name="Print this report")).to_be_visible()
    problems["desktop"] = violations(page, axe_source)
    screenshot(page, "desktop")

    # On paper: no menus, breadcrumbs or buttons; the date and the attribution stay.
    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    for hidden in (".site-header", ".breadcrumbs", ".report-actions", ".site-footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_text("figures as of")).to_be_visible()
    expect(page.get_by_text("English Indices of Deprivation 2025")).to_be_visible()
    assert sorted(drawn(page)) == sorted(CHARTS)
    screenshot(page, "print")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")

    phone = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(phone, "cam")
    phone.goto("/coproduction/commissioning/")
    phone.wait_for_load_state("networkidle")
    assert sorted(drawn(phone)) == sorted(CHARTS)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    problems["phone"] = violations(phone, axe_source)
    screenshot(phone, "phone")

    assert page.evaluate("window.hacked") is None
    assert problems == {"desktop": [], "phone": []}
    assert traffic.errors == [] and traffic.failed == []
    assert traffic.external(page.url) == []


def test_without_javascript_the_tables_are_the_report(new_context, axe_source, screenshot, system):
    page = new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    ).new_page()
    sign_in(page, "cam")
    page.goto("/coproduction/commissioning/")
    for name in CHARTS:
        expect(page.locator(f'figure[data-chart="{name}"]')).to_be_hidden()
    for caption in TABLES:
        expect(page.get_by_role("table", name=caption, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Print this report")).to_be_hidden()
    expect(page.get_by_text("use your browser’s own print")).to_be_visible()
    screenshot(page, "no-js")


def test_a_team_lead_logs_evidence_and_the_report_counts_it(
    new_context, axe_source, screenshot, system
):
    lead = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(lead, "teamlead")
    lead.goto(f"/coproduction/partnerships/{system.pk}/")
    lead.get_by_text("Log evidence of a principle").click()
    lead.get_by_role("button", name="Log the evidence").click()
    expect(lead.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(lead.get_by_role("link", name="Choose which principle this shows")).to_be_visible()
    assert violations(lead, axe_source) == []
    lead.get_by_label("Principle shown").select_option("coproduce")
    lead.get_by_label("What shows it").fill("Members co-designed the menu with the dietitian.")
    lead.get_by_role("button", name="Log the evidence").click()
    expect(lead.get_by_text("Evidence logged: principle 9.")).to_be_visible()
    expect(lead.get_by_role("cell", name="9. Co-produce and redesign services")).to_be_visible()
    assert violations(lead, axe_source) == []
    screenshot(lead, "partnership-phone")

    office = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(office, "cam")
    office.goto("/coproduction/commissioning/")
    row = office.get_by_role("row", name="9. Co-produce and redesign services")
    expect(row).to_contain_text("Cooking together")
