"""Issue 17's "done means", end to end in browsers: a link worker refers a person from their
record, the group accepts from the e-mailed link (a browser of its own, no account), the link
worker records that the person goes and a second wellbeing score, the caseload and the
person's record show where they stand and the change in wellbeing, and a commissioner's
figures count the referrals by outcome with no personal data.

Five other people, in another team, were referred to the same group earlier (made through the
services): four go regularly, so that with this person's referral the figures have a count of
5 to show; the fifth is still waiting for the group, a count of 1, shown as "fewer than 5".
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from casework.services import wellbeing_measure_ons4, wellbeing_score_record
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
    UserFactory,
    make_facilitator,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e

START = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 3, "anxiety": 7}
# The questions as the form asks them (each a radio group), and the later answers.
LATER = {
    "Overall, how satisfied are you with your life nowadays?": "7",
    "Overall, to what extent do you feel that the things you do in your life are worthwhile?": "5",
    "Overall, how happy did you feel yesterday?": "6",
    "anxious', overall, how anxious did you feel yesterday?": "4",
}
CHANGES = [
    "Life satisfaction: 4 → 7 (up 3, better)",
    "Worthwhile: 5 → 5 (no change)",
    "Happiness: 3 → 6 (up 3, better)",
    "Anxiety: 7 → 4 (down 3, better)",
]


@pytest.fixture
def world(live_site):
    team = TeamFactory(name="Battersea link workers", slug="battersea-link-workers")
    worker = make_facilitator(
        team, username="linkworker", email="linkworker@example.org",
        first_name="Lin", last_name="Okafor",
    )  # fmt: skip
    # Made by the link worker, as /support/people/new/ would: so they are on "my" caseload.
    person = PersonFactory(team=team, display_name="Sam K", phone="07700 900456", created_by=worker)
    group = OrganisationFactory(title="Garratt Park Walkers", email="walkers@example.org")
    walk = ActivityFactory(parent=group, title="Nordic walking", referral_route="takes_referrals")
    plan_create(
        person=person,
        by=worker,
        chosen=[ChosenActivity(activity_id=walk.pk, title=walk.title, organisation=group.title)],
    )
    wellbeing_score_record(
        person=person,
        by=worker,
        measure=wellbeing_measure_ons4(),
        answers=START,
        taken_on=timezone.localdate() - datetime.timedelta(days=42),
        occasion="start",
    )

    other_team = TeamFactory(name="Tooting link workers", slug="tooting-link-workers")
    other_worker = make_facilitator(other_team, username="tooting")
    for n in range(5):
        other = PersonFactory(team=other_team, display_name=f"Tooting person {n}")
        referral = referral_create(
            person=other, activity_id=walk.pk, by=other_worker, consent_to_share=True,
            shared=SharedDetails(first_name=f"Marker-{n}", help_with="Marker-help walking"),
        )  # fmt: skip
        if n < 4:
            referral_status_change(referral=referral, party=Party.GROUP, status="accepted")
            referral_status_change(referral=referral, party=Party.GROUP, status="completed")
        # The last is still waiting for the group: a count of 1, shown as "fewer than 5".
    UserFactory(username="commissioner", groups=[Group.objects.get(name="Commissioners")])
    return person


def test_a_referral_that_works_shows_in_wellbeing_the_caseload_and_the_figures(
    page,
    new_context,
    axe_source,  # noqa: F811
    world,
    screenshot,
):
    person = world
    record = f"/support/people/{person.reference}/"

    # 1. The link worker refers Sam from their record.
    sign_in(page, "linkworker")
    page.goto(record)
    expect(page.get_by_role("heading", name="6. Wellbeing")).to_be_visible()
    assert violations(page, axe_source) == []
    screenshot(page, "1-record")
    page.get_by_role("link", name="Refer to Nordic walking").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer Sam K to Nordic walking")
    assert violations(page, axe_source) == []
    page.get_by_label("What they would like help with").fill("Getting out more")
    page.get_by_label("They agree that these details are shared").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Referral to Nordic walking")
    expect(page.get_by_text("Sent, waiting for the group", exact=True)).to_be_visible()
    assert violations(page, axe_source) == []
    screenshot(page, "1-referral-sent")
    referral_page = page.url

    # 2. The group accepts from the link in its e-mail, with no account.
    *earlier, message = [m for m in mail.outbox if m.to == ["walkers@example.org"]]
    assert len(earlier) == 5  # the other team's referrals, made before this one
    assert "Battersea link workers would like to refer Sam to Nordic walking" in message.body
    # The e-mail's address is on SITE_URL; the browser opens its path on the live server.
    link = re.search(r"/referrals/answer/\S+/", message.body).group(0)
    group_page = new_context(viewport={"width": 390, "height": 844}).new_page()
    group_page.goto(link)
    expect(group_page.get_by_text("Getting out more")).to_be_visible()
    assert violations(group_page, axe_source) == []
    screenshot(group_page, "2-group-answer")
    group_page.get_by_label("Yes, we can welcome them").check()
    group_page.get_by_role("button", name="Send your answer").click()
    expect(group_page.get_by_role("heading", level=1)).to_have_text(
        "Thank you: your answer is sent"
    )
    assert violations(group_page, axe_source) == []
    screenshot(group_page, "2-group-answered")

    # 3. The link worker records that Sam started going, then that they go regularly.
    page.goto(referral_page)
    expect(page.get_by_text("Accepted by the group", exact=True)).to_be_visible()
    page.get_by_label("They have been once").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Started going", exact=True)).to_be_visible()
    page.get_by_label("They go regularly").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Going regularly", exact=True)).to_be_visible()
    # Going regularly closes the referral: nothing more to record on it.
    expect(page.get_by_role("heading", name="Record what happened")).to_have_count(0)
    assert violations(page, axe_source) == []
    screenshot(page, "3-going-regularly")
    assert Referral.objects.get(person=person).status == "completed"

    # 4. Six weeks on, the link worker records Sam's wellbeing again, from the record.
    page.goto(record)
    page.get_by_role("link", name="See their wellbeing over time, or record a new score").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wellbeing of Sam K")
    expect(page.get_by_text("One score so far")).to_be_visible()
    assert violations(page, axe_source) == []
    # A second score is offered as a follow-up, taken today.
    expect(page.get_by_label("Follow-up")).to_be_checked()
    for question, answer in LATER.items():
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="Save the score").click()
    expect(page.get_by_text("ONS4 personal wellbeing recorded.")).to_be_visible()
    changes = page.locator(".wellbeing-changes li")
    expect(changes).to_have_text(CHANGES)
    assert violations(page, axe_source) == []
    screenshot(page, "4-wellbeing")

    # 5. The caseload lists Sam as supported since the referral, and how their wellbeing moved.
    page.goto("/support/caseload/")
    caseload = page.get_by_role("table", name="1 person")
    row = caseload.get_by_role("row").filter(has=page.get_by_role("link", name="Sam K"))
    expect(row).to_be_visible()
    expect(row.get_by_role("cell").nth(1)).to_have_text("Supported")
    # No case is made yet: whoever made Sam's record is their link worker, as on the record.
    expect(row.get_by_role("cell").nth(2)).to_have_text("Lin Okafor")
    assert violations(page, axe_source) == []
    screenshot(page, "5-caseload")
    expect(row.get_by_role("cell").nth(6)).to_have_text("Better on 3, same on 1 for Sam K")
    # The details are on Sam's casework page and record.
    row.get_by_role("link", name="Sam K", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Casework for Sam K")
    assert violations(page, axe_source) == []
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Sam K").click()
    wellbeing = page.locator("h2#wellbeing + p ~ ul").first
    expect(wellbeing.get_by_role("listitem")).to_have_text(CHANGES)
    expect(page.locator("#referrals ~ ul").first).to_contain_text("Going regularly")
    screenshot(page, "5-record")

    # 6. A commissioner's figures count the referrals by outcome, with no personal data.
    commissioner = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(commissioner, "commissioner")
    commissioner.goto("/insights/referrals/")
    expect(commissioner.get_by_role("heading", level=1)).to_have_text("Referrals by outcome")
    outcomes = commissioner.get_by_role("table", name="Where referrals stand")
    counts = {
        row.get_by_role("cell").nth(0).inner_text(): row.get_by_role("cell").nth(1).inner_text()
        for row in outcomes.locator("tbody tr").all()
    }
    assert counts == {
        "Sent, waiting for the group": "fewer than 5",
        "Accepted by the group": "0",
        "Declined by the group": "0",
        "Started going": "0",
        "Going regularly": "5",
        "Did not work out": "0",
        "Cancelled": "0",
    }
    by_group = commissioner.get_by_role("table", name="By the group referred to")
    expect(by_group.locator("tbody tr")).to_have_count(1)
    expect(by_group.locator("tbody td")).to_have_text(
        ["Garratt Park Walkers", "6", "5", "5", "The same day"]
    )
    text = commissioner.content()
    for personal in ("Sam", "Getting out more", "Marker-", "Tooting person", "07700"):
        assert personal not in text
    assert str(person.reference) not in text
    assert violations(commissioner, axe_source) == []
    screenshot(commissioner, "6-figures")
