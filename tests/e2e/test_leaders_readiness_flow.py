"""Leaders and readiness in the browser: a group's editor adds a connector with their consent;
a service team member finds them on the group's profile and writes to them through the site
(their address never on a page); the editor completes the readiness assessment and a moderator
reviews it from the waiting list; withdrawing consent hides the connector at once. Every page
passes axe, and screenshots are kept at desktop and phone width."""

import re

import pytest
from django.core import mail

from coproduction.models import GroupLeader, ReadinessAssessment
from tests.conftest import make_editor
from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import ModeratorFactory, OrganisationFactory
from tests.factories.coproduction import (
    CapabilityProfileFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e
__all__ = ["axe_source"]  # a fixture, used by name
PRIVATE = "priya.private@leaders.example.net"
HOSTILE = '<img src=x onerror="window.hacked=1">Tamil & <b>Telugu</b> families'
SCORES = {
    "Leadership": "Mostly",
    "Structure": "A little",
    "Capacity": "Mostly",
    "Trust": "Not yet",
    "Links": "A little",
    "Resources": "Yes, fully",
}


@pytest.fixture
def system(live_site):
    team = ServiceTeamFactory(name="Healthy Eating Team", slug="healthy-eating", areas=["SW17"])
    make_service_team_member(team, username="eater", email="eater@nhs.example", first_name="Tia")
    group = OrganisationFactory(title="Tooting Tamil Women")
    CapabilityProfileFactory(organisation=group)
    make_editor(group, username="tamil-editor")
    ModeratorFactory(username="mod")
    return group


def check(page, axe_source, screenshot, name, problems):
    page.wait_for_load_state("networkidle")
    problems[name] = violations(page, axe_source)
    screenshot(page, name)
    assert PRIVATE not in page.content()


def test_leaders_and_readiness(new_context, axe_source, screenshot, system, traffic):
    group = system
    problems = {}

    # The editor, on a phone, adds a connector with their consent, and one without.
    editor = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(editor, "tamil-editor")
    editor.goto(f"/coproduction/groups/{group.pk}/profile/")
    editor.get_by_role("link", name="Add and manage your group's leaders and connectors").click()
    editor.get_by_role("button", name="Add").click()
    expect(editor.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(editor.get_by_text("Enter the name they agree to be shown as").first).to_be_visible()
    check(editor, axe_source, screenshot, "leader-form-errors-phone", problems)
    editor.get_by_label("The name they agree to be shown as").fill("Priya S.")
    editor.get_by_label("Their role").select_option("Connector")
    editor.get_by_label("Whom or what they connect people to (optional)").fill(HOSTILE)
    editor.get_by_label("Their e-mail address").fill(PRIVATE)
    editor.get_by_label("They have agreed to be shown, in the words below").check()
    editor.get_by_label("The date they agreed").fill("2026-11-02")
    editor.get_by_role("button", name="Add").click()
    expect(editor.get_by_text("Priya S. added. Service teams can now see them")).to_be_visible()
    editor.get_by_label("The name they agree to be shown as").fill("Dev R.")
    editor.get_by_label("Their e-mail address").fill("dev.private@leaders.example.net")
    editor.get_by_role("button", name="Add").click()
    expect(editor.get_by_text("not shown to anyone until you record their consent")).to_be_visible()
    check(editor, axe_source, screenshot, "leaders-phone", problems)

    # A service team member finds the connector on the group's profile and writes to them.
    member = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(member, "eater")
    member.goto(f"/coproduction/groups/{group.pk}/profile/")
    expect(member.get_by_text("Priya S.", exact=True)).to_be_visible()
    expect(member.get_by_text("Dev R.")).to_have_count(0)
    check(member, axe_source, screenshot, "profile-with-leaders", problems)
    member.get_by_role("link", name="Write to Priya S. through the site").click()
    member.get_by_role("button", name="Send").click()
    expect(member.get_by_text("Enter your message").first).to_be_visible()
    check(member, axe_source, screenshot, "contact-errors", problems)
    member.get_by_label("Your message").fill(
        "Hello Priya, we run healthy cooking sessions and would love to talk."
    )
    member.get_by_role("button", name="Send").click()
    expect(member.get_by_text("Your message has been sent to Priya S.")).to_be_visible()
    assert PRIVATE not in member.content()
    (sent,) = mail.outbox
    assert sent.to == [PRIVATE] and sent.reply_to == ["eater@nhs.example"]

    # The editor completes the readiness assessment.
    editor.goto(f"/coproduction/groups/{group.pk}/readiness/")
    for area, answer in SCORES.items():
        editor.get_by_role("group", name=re.compile(f"^{area}:")).get_by_label(
            answer, exact=True
        ).check()
    editor.get_by_label("Trust: a note (optional)").fill("We are new to working with the NHS.")
    check(editor, axe_source, screenshot, "readiness-form-phone", problems)
    editor.get_by_role("button", name="Send for review").click()
    expect(editor.get_by_text("Waiting for review")).to_be_visible()
    expect(editor.get_by_text("Trust: ask a partner group to introduce you")).to_be_visible()
    check(editor, axe_source, screenshot, "readiness-detail-phone", problems)

    # A moderator reviews it from the waiting list.
    moderator = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(moderator, "mod")
    moderator.goto("/coproduction/readiness/waiting/")
    check(moderator, axe_source, screenshot, "readiness-waiting", problems)
    moderator.get_by_role("link", name="Tooting Tamil Women").click()
    moderator.get_by_role("button", name="Record the review").click()
    expect(moderator.get_by_text("Enter what you agreed with the group").first).to_be_visible()
    check(moderator, axe_source, screenshot, "readiness-review-errors", problems)
    moderator.get_by_label("What you agreed with the group").fill(
        "Meet the Tamil health champions' group first; ask the CVS about a constitution."
    )
    moderator.get_by_role("button", name="Record the review").click()
    expect(moderator.get_by_text("None waiting.")).to_be_visible()
    assessment = ReadinessAssessment.objects.get()
    assert assessment.status == "reviewed" and assessment.scores()["trust"] == 1

    # The group sees the review and its history.
    editor.goto(f"/coproduction/groups/{group.pk}/readiness/")
    expect(editor.get_by_role("row", name=re.compile("^Trust"))).to_contain_text("First assessment")
    check(editor, axe_source, screenshot, "readiness-history-phone", problems)

    # Withdrawing consent hides the connector at once.
    editor.goto(f"/coproduction/groups/{group.pk}/leaders/")
    editor.get_by_role("button", name="Withdraw consent of Priya S.").click()
    expect(editor.get_by_text("Priya S. has withdrawn")).to_be_visible()
    member.goto(f"/coproduction/groups/{group.pk}/profile/")
    expect(
        member.get_by_text("No leaders or connectors have agreed to be listed yet.")
    ).to_be_visible()
    assert not GroupLeader.objects.consented().exists()

    assert editor.evaluate("window.hacked") is None
    assert member.evaluate("window.hacked") is None
    assert problems == {name: [] for name in problems}
    assert traffic.errors == [] and traffic.external(member.url) == []
