"""axe (WCAG 2.2 A and AA) on the admin views issue 13 changed for group editors: their
dashboard, the venue list and form, and the venue chooser's two tabs in the activity form."""

import re

import pytest
from django.urls import reverse

from assets_directory.services import organisation_grant_editors
from tests.e2e.test_accessibility import axe_source, violations  # noqa: F401 (a fixture)
from tests.factories import ActivityFactory, OrganisationFactory, UserFactory, VenueFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_in_editor(page, live_site):
    organisation = OrganisationFactory(title="Tooting Knit and Natter")
    ActivityFactory(parent=organisation, title="Knit and natter")
    venue = VenueFactory(name="Fircroft Room", postcode="SW17 7PP", organisation=organisation)
    UserFactory(
        username="knitter",
        password="correct-horse-9",
        groups=[organisation_grant_editors(organisation=organisation)],
    )
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("knitter")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    return organisation, venue


def test_editor_dashboard_has_no_axe_violations(page, signed_in_editor, axe_source):  # noqa: F811
    expect(page.get_by_role("link", name="Add an activity")).to_be_visible()
    assert violations(page, axe_source) == []


def test_venue_list_and_form_have_no_axe_violations(page, signed_in_editor, axe_source):  # noqa: F811
    _, venue = signed_in_editor
    page.goto(reverse("wagtailsnippets_assets_directory_venue:list"))
    expect(page.get_by_role("link", name="Fircroft Room")).to_be_visible()
    assert violations(page, axe_source) == []
    page.goto(reverse("wagtailsnippets_assets_directory_venue:edit", args=[venue.pk]))
    expect(page.locator("#venue-map.leaflet-container")).to_be_visible()
    assert violations(page, axe_source) == []


def test_venue_chooser_tabs_have_no_axe_violations(page, signed_in_editor, axe_source):  # noqa: F811
    organisation, _ = signed_in_editor
    page.goto(
        reverse("wagtailadmin_pages:add", args=["assets_directory", "activity", organisation.pk])
    )
    page.get_by_role("tab", name="Where").click()
    page.get_by_role("button", name=re.compile("Choose (a )?venue", re.I)).click()
    modal = page.locator(".modal-dialog")
    expect(modal.get_by_role("link", name=re.compile("Fircroft Room"))).to_be_visible()
    assert _in_modal(page, axe_source) == []
    modal.get_by_role("tab", name="Add a new venue").click()
    expect(modal.locator("#venue-map.leaflet-container")).to_be_visible()
    assert _in_modal(page, axe_source) == []


def _in_modal(page, axe_source):  # noqa: F811
    """Violations inside the chooser dialog (the editor behind it is checked on its own)."""
    page.evaluate(axe_source)
    result = page.evaluate(
        """async (tags) => {
            const found = await axe.run(".modal-dialog", {runOnly: {type: "tag", values: tags}});
            return found.violations.map(v => `${v.id}: ${v.help} at ${
                v.nodes.slice(0, 3).map(n => n.target).join(" | ")}`);
        }""",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    )
    return result
