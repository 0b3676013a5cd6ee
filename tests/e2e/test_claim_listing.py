"""'Is this already listed?' in a real browser, with JavaScript off: a group registering finds
its old listing, claims it, and a moderator hands it over."""

import re

import pytest

from assets_directory.models import GroupRegistration, ListingClaim
from tests.e2e.test_accessibility import axe_source, violations
from tests.factories import ModeratorFactory, OrganisationFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

__all__ = ["axe_source"]  # a fixture, used by name


def fill_registration(form):
    form.get_by_label("Name of your group").fill("Garratt Green Allotment Society")
    form.get_by_label("What kind of group is it?").select_option(label="Community group")
    form.get_by_label("What does your group do?").fill("We grow vegetables together.")
    form.get_by_label("Postcode where you meet or are based").fill("SW18 4DJ")
    form.get_by_label("Your name", exact=True).fill("Grace Hopper")
    form.get_by_label("Your e-mail address", exact=True).fill("grace@example.org")
    form.get_by_label("I run or help run this group and may list it").check()


def test_a_group_finds_its_listing_and_claims_it(new_context, screenshot, traffic):
    unclaimed = OrganisationFactory(title="Garratt Green Allotments")
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/list-your-group/")
    form = page.locator("form.form")
    fill_registration(form)
    form.get_by_role("button", name="Send for checking").click()

    matches = page.get_by_role("region", name="Is this already listed?")
    expect(matches).to_be_visible()
    expect(matches.get_by_role("link", name="Garratt Green Allotments", exact=True)).to_be_visible()
    # The answers are kept, and the group may carry on instead.
    expect(form.get_by_label("Name of your group")).to_have_value("Garratt Green Allotment Society")
    expect(form.get_by_role("button", name="Not us, carry on")).to_be_visible()
    screenshot(page, "matches")
    assert GroupRegistration.objects.count() == 0

    matches.get_by_role("link", name=re.compile("This is us: claim it")).click()
    expect(page).to_have_url(re.compile(rf"/list-your-group/claim/{unclaimed.uuid}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Is “Garratt Green Allotments” your group?"
    )
    claim_form = page.locator("form.form")
    claim_form.get_by_label("Your name", exact=True).fill("Grace Hopper")
    claim_form.get_by_label("Your e-mail address", exact=True).fill("grace@example.org")
    claim_form.get_by_label("How can we check it is your group?").fill(
        "I can reply from allotments@example.org."
    )
    claim_form.get_by_label("I run or help run this group").check()
    claim_form.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_text("We will check your request")).to_be_visible()
    screenshot(page, "sent")
    assert traffic.errors == []

    claim = ListingClaim.objects.get()
    assert claim.organisation_id == unclaimed.pk and claim.is_pending


def test_a_moderator_approves_a_claim(new_context, live_site, screenshot):
    unclaimed = OrganisationFactory(title="Garratt Green Allotments")
    claim = ListingClaim.objects.create(
        organisation=unclaimed,
        claimant_name="Grace Hopper",
        claimant_email="grace@example.org",
        evidence="I can reply from allotments@example.org.",
    )
    moderator = ModeratorFactory(username="moderator")
    moderator.set_password("password")
    moderator.save()
    page = new_context().new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name="Sign in").click()
    page.goto("/admin/snippets/assets_directory/listingclaim/?status=pending")
    page.get_by_role("link", name="Approve or decline").click()
    expect(page).to_have_url(re.compile(rf"/admin/claims/{claim.pk}/decide/$"))
    page.get_by_label("Approve: hand the listing to them").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("now looks after Garratt Green Allotments")).to_be_visible()
    screenshot(page)
    claim.refresh_from_db()
    assert claim.status == ListingClaim.Status.APPROVED
    unclaimed.refresh_from_db()
    assert claim.user.groups.filter(pk=unclaimed.editors_group_id).exists()


def test_the_matches_and_the_claim_page_pass_axe(page, axe_source):
    unclaimed = OrganisationFactory(title="Garratt Green Allotments")
    problems = {}
    page.goto("/list-your-group/")
    fill_registration(page.locator("form.form"))
    page.locator("form.form").get_by_role("button", name="Send for checking").click()
    expect(page.get_by_role("region", name="Is this already listed?")).to_be_visible()
    problems["matches"] = violations(page, axe_source)
    page.goto(f"/list-your-group/claim/{unclaimed.uuid}/")
    problems["claim"] = violations(page, axe_source)
    page.get_by_role("button", name="Send for checking").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    problems["claim with errors"] = violations(page, axe_source)
    page.goto(unclaimed.url)
    problems["listing"] = violations(page, axe_source)
    assert problems == {name: [] for name in problems}
