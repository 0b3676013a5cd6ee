"""The session form in the activity editor, in a real browser: it shows only the fields the
chosen frequency uses, says the session in words with its next three dates, and passes axe."""

import datetime
import re

import pytest
from django.urls import reverse

from common.vocabulary import long_date
from tests.e2e.test_accessibility import axe_source as axe_source  # noqa: F401 (a fixture)
from tests.e2e.test_accessibility import violations
from tests.factories import ModeratorFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

TABS = ("What", "When", "Where", "Who it's for", "Cost", "How to join", "Contact")


def sign_in(page):
    ModeratorFactory(username="moderator", password="correct-horse-9")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def open_when_tab(page, activity):
    page.goto(reverse("wagtailadmin_pages:edit", args=[activity.pk]))
    page.get_by_role("tab", name="When").click()
    return page.locator("[data-inline-panel-child]").first


def test_fortnightly_shows_only_its_fields_and_the_session_in_words(
    page, listing, screenshot, traffic
):
    sign_in(page)
    session = open_when_tab(page, listing)
    preview = session.locator(".session-preview")
    # The listing's weekly session, as its page says it.
    expect(preview).to_have_attribute("aria-live", "polite")
    expect(preview).to_contain_text("Preview: Every Tuesday, 10:00 to 12:00.")
    expect(session.locator("[name$='-nth']")).to_be_hidden()
    expect(session.locator("[name$='-on_date']")).to_be_hidden()

    session.locator("select[name$='-frequency']").select_option("fortnightly")
    expect(session.locator("[name$='-nth']")).to_be_hidden()
    expect(session.locator("[name$='-on_date']")).to_be_hidden()
    for name in ("weekdays", "start_time", "end_time", "starts_on", "ends_on", "term_time_only"):
        expect(session.locator(f"[name$='-{name}']").first).to_be_visible()
    # Every other week needs a date it runs on, to know which weeks.
    expect(preview).to_contain_text("Preview: not complete yet.")
    expect(preview).to_contain_text("which weeks")

    start = datetime.date.today() + datetime.timedelta(days=30)
    start += datetime.timedelta(days=(1 - start.weekday()) % 7)  # a Tuesday
    session.locator("[name$='-starts_on']").fill(start.isoformat())
    preview.click()  # away from the date picker, which closes it
    session.locator("[name$='-term_time_only']").check()
    expect(preview).to_contain_text(
        "Preview: Every other Tuesday, 10:00 to 12:00, term time only, "
        f"from {long_date(start)}. Next dates:"
    )
    dates = [f"Tuesday {long_date(start + datetime.timedelta(weeks=w))}" for w in (0, 2, 4)]
    expect(preview.locator("li")).to_have_text(dates)
    screenshot(page)

    # A one-off session shows its date and none of the repeating fields.
    session.locator("select[name$='-frequency']").select_option("once")
    expect(session.locator("[name$='-on_date']")).to_be_visible()
    for name in ("weekdays", "nth", "starts_on", "ends_on", "term_time_only"):
        expect(session.locator(f"[name$='-{name}']").first).to_be_hidden()
    assert traffic.errors == []


def test_a_session_added_later_also_shows_only_its_fields(page, listing, traffic):
    sign_in(page)
    open_when_tab(page, listing)
    page.get_by_role("button", name=re.compile("Add session time", re.I)).click()
    added = page.locator("[data-inline-panel-child]:not(.deleted)").nth(1)
    added.locator("select[name$='-frequency']").select_option("monthly")
    expect(added.locator("[name$='-nth']")).to_be_visible()
    expect(added.locator("[name$='-on_date']")).to_be_hidden()
    expect(added.locator(".session-preview")).to_contain_text("which week of the month")
    assert traffic.errors == []


def test_without_javascript_every_field_shows_with_the_frequency_that_uses_it(new_context, listing):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page)
    page.goto(reverse("wagtailadmin_pages:edit", args=[listing.pk]))
    session = page.locator("[data-inline-panel-child]").first
    for name in ("weekdays", "nth", "starts_on", "on_date", "term_time_only"):
        assert session.locator(f"[name$='-{name}']").count() >= 1
    expect(session).to_contain_text("Only for once a month")
    expect(session).to_contain_text("Only for one date only.")


def test_the_activity_editor_passes_axe_on_every_tab(page, listing, axe_source):  # noqa: F811
    sign_in(page)
    page.goto(reverse("wagtailadmin_pages:edit", args=[listing.pk]))
    problems = {}
    for tab in TABS:
        page.get_by_role("tab", name=tab).click()
        if tab == "When":
            expect(page.locator(".session-preview").first).to_contain_text("Preview:")
            # Two sessions, so that each has its move and drag buttons, and a date picker open.
            page.get_by_role("button", name=re.compile("Add session time", re.I)).click()
            added = page.locator("[data-inline-panel-child]").nth(1)
            added.locator("select[name$='-frequency']").select_option("once")
            added.locator("[name$='-on_date']").click()
            expect(page.locator(".xdsoft_datetimepicker:visible").first).to_be_visible()
            problems["When, with a date picker open"] = violations(page, axe_source)
            page.keyboard.press("Escape")
        problems[tab] = violations(page, axe_source)
    failing = [f"{tab}: {found}" for tab, found in problems.items() for found in found]
    assert failing == [], "\n".join(failing)
