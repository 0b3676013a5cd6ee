"""A referral from a person's plan to a group, answered from the e-mailed link in a browser of
its own (no account), and the outcome recorded back on the person's record."""

import re

import pytest
from django.core import mail

from matching.services import ChosenActivity, plan_create
from referrals.models import Referral
from referrals.services import SharedDetails, referral_create, referral_status_change
from referrals.status import Party
from tests.e2e.test_accessibility import axe_source, sign_in, violations  # noqa: F401
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
def world(live_site):
    team = TeamFactory(name="Battersea link workers", slug="battersea-link-workers")
    worker = make_facilitator(team, username="linkworker", email="linkworker@example.org")
    person = PersonFactory(team=team, display_name="Sam K", phone="07700 900456")
    group = OrganisationFactory(title="Garratt Park Walkers", email="walkers@example.org")
    walk = ActivityFactory(parent=group, title="Nordic walking", referral_route="takes_referrals")
    plan_create(
        person=person,
        by=worker,
        chosen=[ChosenActivity(activity_id=walk.pk, title=walk.title, organisation=group.title)],
    )
    return person


def test_a_referral_goes_to_the_group_and_its_answer_comes_back(
    page,
    new_context,
    axe_source,  # noqa: F811
    world,
    screenshot,
):
    person = world
    sign_in(page, "linkworker")
    page.goto(f"/support/people/{person.reference}/")
    page.get_by_role("link", name="Refer to Nordic walking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer Sam K to Nordic walking")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Without it the referral cannot be made")
    assert violations(page, axe_source) == []
    page.get_by_label("What they would like help with").fill("Getting out <b>more</b>")
    page.get_by_label("They agree that these details are shared").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Sent, waiting for the group", exact=True)).to_be_visible()
    screenshot(page, "referral-sent")

    (message,) = [m for m in mail.outbox if m.to == ["walkers@example.org"]]
    # The e-mail's address is on SITE_URL; the browser opens its path on the live server.
    link = re.search(r"/referrals/answer/\S+/", message.body).group(0)
    group_page = new_context(viewport={"width": 390, "height": 844}).new_page()
    group_page.goto(link)
    expect(group_page.get_by_text("Getting out <b>more</b>")).to_be_visible()
    assert violations(group_page, axe_source) == []
    group_page.get_by_role("button", name="Send your answer").click()
    expect(group_page.get_by_role("alert")).to_be_visible()
    group_page.get_by_label("Yes, we can welcome them").check()
    group_page.get_by_role("button", name="Send your answer").click()
    expect(group_page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answer is sent"
    )
    screenshot(group_page, "group-answered")
    group_page.goto(link)
    expect(group_page.get_by_text("used already")).to_be_visible()

    page.reload()
    expect(page.get_by_text("Accepted by the group", exact=True)).to_be_visible()
    page.get_by_label("They go regularly").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Going regularly").first).to_be_visible()
    assert violations(page, axe_source) == []
    assert Referral.objects.get().status == "completed"


def test_a_group_they_joined_is_added_to_their_network_map_without_javascript(
    page,
    new_context,
    axe_source,  # noqa: F811
    world,
    screenshot,
):
    person = world
    worker = person.team.memberships.get().user
    referral = referral_create(
        person=person,
        activity_id=person.plans.get().items.get().activity_id,
        by=worker,
        shared=SharedDetails(first_name="Sam"),
        consent_to_share=True,
    )
    for status in ("accepted", "completed"):
        referral = referral_status_change(referral=referral, party=Party.GROUP, status=status)
    url = f"/support/people/{person.reference}/network/"
    offer = (
        "They have joined Garratt Park Walkers (Nordic walking) through a referral "
        "(going regularly)."
    )
    button = "Add Garratt Park Walkers to their network"
    # axe runs in the page, so it is checked with JavaScript on; the adding is done without.
    sign_in(page, "linkworker")
    page.goto(url)
    expect(page.get_by_text(offer)).to_be_visible()
    assert violations(page, axe_source) == []

    no_js = new_context(java_script_enabled=False).new_page()
    sign_in(no_js, "linkworker")
    no_js.goto(url)
    no_js.get_by_role("button", name=button).click()
    expect(no_js.get_by_text("Garratt Park Walkers is on their map now")).to_be_visible()
    expect(no_js.get_by_role("button", name=button)).to_have_count(0)
    screenshot(no_js, "network-group-joined")
    (member,) = person.network_maps.get().member_objects()
    assert (member.label, member.kind, member.circle, member.frequency) == (
        "Garratt Park Walkers", "group", 3, "weekly",
    )  # fmt: skip

    page.reload()
    expect(page.get_by_role("button", name=button)).to_have_count(0)
    assert violations(page, axe_source) == []
