"""The report of searches that found nothing in the browser: axe at desktop and phone widths,
the period chosen without JavaScript, and words typed by the public shown only as text."""

import pytest
from django.contrib.auth.models import Group

from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import CategoryFactory, UserFactory
from tests.search.test_zero_result_report import searched

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e
__all__ = ["axe_source"]  # a fixture, used by name
HOSTILE = '<img src=x onerror="window.hacked=1">'


@pytest.fixture
def searches(live_site):
    UserFactory(username="cam", groups=[Group.objects.get(name="Commissioners")])
    CategoryFactory(name="Talking therapies", slug="zr-talking")
    # The fourth, 40 days ago, is in the last three months by quarter too (December).
    for day in (1, 2, 3, 40):
        searched(day, "anxiety", "zr-talking", "SW18")
    for day in (4, 5, 6):
        searched(day, HOSTILE, "", "SW11")
    searched(2, "07700 900123", "", "SW17")


def test_the_report_passes_axe_and_chooses_its_period_without_javascript(
    new_context, axe_source, screenshot, searches, traffic
):
    problems = {}
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, "cam")
    page.goto("/insights/searches/")
    for caption in ("by the words used", "by the category chosen", "by outward code"):
        expect(page.get_by_role("table", name=caption)).to_be_visible()
    expect(page.get_by_role("table", name="by the words used")).to_contain_text("anxiety")
    expect(page.get_by_text("07700 900123")).to_have_count(0)
    problems["desktop"] = violations(page, axe_source)
    screenshot(page, "desktop")

    phone = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(phone, "cam")
    phone.goto("/insights/searches/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    problems["phone"] = violations(phone, axe_source)
    screenshot(phone, "phone")

    plain = new_context(java_script_enabled=False).new_page()
    sign_in(plain, "cam")
    plain.goto("/insights/searches/")
    plain.get_by_label("Count by").select_option("quarter")
    plain.get_by_role("button", name="Show").click()
    expect(plain.get_by_role("table", name="each quarter")).to_contain_text("anxiety (4)")
    assert "by=quarter" in plain.url

    assert page.evaluate("window.hacked") is None
    assert problems == {"desktop": [], "phone": []}
    assert traffic.errors == [] and traffic.failed == []
