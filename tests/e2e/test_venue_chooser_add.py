"""A volunteer halfway through an activity adds its venue from the venue chooser, in a real
browser: the map works inside the modal, and the new venue is chosen in the activity form."""

import re

import pytest
from django.urls import reverse

from assets_directory.models import Venue
from assets_directory.services import organisation_grant_editors
from tests.factories import OrganisationFactory, UserFactory

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e


def test_volunteer_adds_a_new_venue_without_leaving_the_activity_form(page, screenshot, traffic):
    organisation = OrganisationFactory(title="Tooting Knit and Natter")
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

    page.goto(
        reverse("wagtailadmin_pages:add", args=["assets_directory", "activity", organisation.pk])
    )
    page.get_by_role("tab", name="Where").click()
    page.get_by_role("button", name=re.compile("Choose (a )?venue", re.I)).click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Add a new venue").click()

    # The map is drawn at its real size once its tab shows (not a grey box of no size).
    map_box = modal.locator("#venue-map")
    expect(map_box).to_have_class(re.compile(r"\bleaflet-container\b"))
    expect(map_box.locator(".leaflet-marker-icon")).to_be_visible()
    assert map_box.bounding_box()["width"] > 200
    screenshot(page, "chooser-add-venue")

    # A postcode that does not exist: the same form again, saying what is wrong, map and all.
    modal.get_by_label("Name").fill("Fircroft Room")
    modal.get_by_label("Postcode").fill("SW99 1AA")
    modal.get_by_role("button", name="Add this venue").click()
    expect(modal.get_by_text(re.compile("could not find SW99"))).to_be_visible()
    expect(modal.locator("#venue-map.leaflet-container")).to_be_visible()

    modal.get_by_label("Postcode").fill("SW17 7PP")
    modal.get_by_role("button", name="Add this venue").click()
    expect(modal).to_be_hidden()
    expect(page.get_by_text(re.compile("Fircroft Room, SW17 7PP"))).to_be_visible()
    screenshot(page, "venue-chosen")

    venue = Venue.objects.get(name="Fircroft Room")
    assert venue.organisation == organisation
    assert venue.latitude is not None
    assert traffic.errors == []
