"""Signing in to the Wagtail admin as a moderator, in a real browser."""

import re

import pytest

from tests.factories import ModeratorFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


def test_moderator_signs_in_to_the_dashboard(page, screenshot, traffic, live_site):
    ModeratorFactory(
        username="moderator", first_name="Mo", last_name="Derator", password="correct-horse-9"
    )

    page.goto("/admin/")  # the site header's "Sign in" link
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to Wagtail")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    screenshot(page, "login")

    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("status")).to_contain_text("username and password")
    expect(page).to_have_url(re.compile(r"/admin/login/"))

    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Common Ground")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    expect(page.get_by_text("Mo Derator")).to_be_visible()
    page.wait_for_load_state("networkidle")
    screenshot(page)

    # (Third-party requests: see the test below.)
    assert [f for f in traffic.failed if f.startswith(live_site.url)] == []
    assert traffic.errors == []


def test_admin_dashboard_makes_no_third_party_requests(page, traffic, live_site):
    ModeratorFactory(username="moderator", password="correct-horse-9")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Common Ground")
    page.wait_for_load_state("networkidle")

    assert traffic.external(live_site.url) == []
