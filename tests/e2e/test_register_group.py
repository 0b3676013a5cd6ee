"""The public "List your group" form, in a real browser."""

import re

import pytest

from assets_directory.models import GroupRegistration, Organisation

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

REQUIRED = {
    "organisation_name": "Name of your group",
    "kind": "What kind of group is it?",
    "description": "What does your group do?",
    "postcode": "Postcode where you meet or are based",
    "contact_name": "Your name",
    "contact_email": "Your e-mail address",
    "agree": "I run or help run this group and may list it",
}


def test_list_your_group(page, screenshot, traffic):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="List your group").click()
    expect(page).to_have_url(re.compile(r"/list-your-group/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("List your group")
    form = page.locator("form.form")

    form.get_by_role("button", name="Send for checking").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    # The problem takes focus, wherever it is on the page: a screen reader reads it out.
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    links = summary.get_by_role("link")
    expect(links).to_have_count(len(REQUIRED))
    expect(
        summary.get_by_role("link", name="Confirm that you may list this group.")
    ).to_have_attribute("href", "#id_agree")
    for name, label in REQUIRED.items():
        expect(summary.locator(f'a[href="#id_{name}"]')).to_have_count(1)
        field = form.locator(".field--error", has=page.locator(f"#id_{name}"))
        expect(field).to_have_count(1)
        expect(field.locator(".error-message")).to_be_visible()
        expect(form.get_by_label(label, exact=True)).to_have_attribute("aria-invalid", "true")
    # The summary's link takes the reader to the field.
    summary.locator('a[href="#id_postcode"]').click()
    expect(page).to_have_url(re.compile(r"#id_postcode$"))
    expect(form.get_by_label("Postcode where you meet or are based")).to_be_in_viewport()
    expect(form.get_by_label("Postcode where you meet or are based")).to_be_focused()
    screenshot(page, "errors")

    form.get_by_label("Name of your group").fill("Wandsworth Walkers")
    form.get_by_label("What kind of group is it?").select_option(label="Community group")
    form.get_by_label("What does your group do?").fill("Gentle walks on the common, every week.")
    form.get_by_label("Postcode where you meet or are based").fill("SW18 4DJ")
    form.get_by_label("Your name", exact=True).fill("Ada Walker")
    form.get_by_label("Your e-mail address", exact=True).fill("ada@example.org")
    form.get_by_label("I run or help run this group and may list it").check()
    form.get_by_role("button", name="Send for checking").click()

    # (The browser keeps the "#id_postcode" the error link added, through the redirect.)
    expect(page).to_have_url(re.compile(r"/list-your-group/thank-you/(#id_postcode)?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    screenshot(page)
    assert traffic.errors == []

    registration = GroupRegistration.objects.get()
    assert registration.organisation_name == "Wandsworth Walkers"
    assert registration.contact_email == "ada@example.org"
    assert registration.postcode == "SW18 4DJ"
    organisation = Organisation.objects.get(title="Wandsworth Walkers")
    assert not organisation.live
    assert organisation.kind == Organisation.Kind.COMMUNITY_GROUP


def test_list_your_group_hints_and_errors_describe_their_fields(page):
    page.goto("/list-your-group/")
    page.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_role("alert")).to_be_visible()

    postcode = page.get_by_label("Postcode where you meet or are based")
    expect(postcode).to_have_accessible_description(
        re.compile(r"For example SW18 4DJ, or just SW18\..*Enter the postcode where you meet"),
        timeout=1_000,  # the page has loaded: no need to wait for the default 5 s to fail
    )
