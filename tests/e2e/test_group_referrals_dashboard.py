"""Issue 17 in a browser: a group's editor finds a referral on the Wagtail dashboard, with no
axe violations, and opens its answer page from there."""

import re

import pytest

from referrals.services import SharedDetails, referral_create
from tests.conftest import make_editor
from tests.e2e.test_accessibility import axe_source, violations  # noqa: F401 (a fixture)
from tests.factories import (
    ActivityFactory,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    make_facilitator,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_in_group(page, live_site):
    team = TeamFactory(name="Battersea link workers", slug="battersea-link-workers")
    worker = make_facilitator(team, username="linkworker")
    group = OrganisationFactory(title="Garratt Park Walkers", email="walkers@example.org")
    walk = ActivityFactory(parent=group, title="Nordic walking", referral_route="takes_referrals")
    for name in ("Sam K", "Ade"):
        referral_create(
            person=PersonFactory(team=team, display_name=name),
            activity_id=walk.pk,
            by=worker,
            shared=SharedDetails(
                first_name=name,
                contact="07700 900456",
                help_with="Getting out <b>more</b>",
                access_needs="Step-free",
            ),
            consent_to_share=True,
        )
    make_editor(group, username="walker", password="correct-horse-9")
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("walker")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_the_groups_referrals_on_its_dashboard(page, signed_in_group, axe_source):  # noqa: F811
    expect(page.get_by_role("heading", name="Referrals to your group")).to_be_visible()
    expect(page.get_by_role("heading", name="Nordic walking: Sam K")).to_be_visible()
    expect(page.get_by_text("Getting out <b>more</b>").first).to_be_visible()
    assert violations(page, axe_source) == []
    # The visually hidden part names the referral (Chrome puts a space before it).
    page.get_by_role("link", name=re.compile(r"^Answer ?: Nordic walking, Sam K$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral to Nordic walking")
    expect(page.get_by_role("button", name="Send your answer")).to_be_visible()
