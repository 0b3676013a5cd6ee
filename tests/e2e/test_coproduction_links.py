"""Links between groups and changing an ask, in the browser: a group's editor adds a link from
the group's capability profile, is refused a second one of the same kind, and ends it; a team
lead changes an ask, whose dates come back in their boxes, and closes it. Every page passes axe;
screenshots at desktop and phone width."""

import datetime

import pytest

from coproduction.models import Ask, CapabilityTerm, GroupLink
from tests.conftest import make_editor
from tests.e2e.test_accessibility import axe_source, sign_in, violations
from tests.factories import OrganisationFactory
from tests.factories.coproduction import (
    AskFactory,
    CapabilityProfileFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

expect = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is in requirements-dev.txt; `make test` installs it"
).expect

pytestmark = pytest.mark.e2e
__all__ = ["axe_source"]  # a fixture, used by name
HOSTILE = '<img src=x onerror="window.hacked=1">Tooting & <b>Tamil</b>'


def check(page, axe_source, screenshot, name, problems):
    page.wait_for_load_state("networkidle")
    problems[name] = violations(page, axe_source)
    return screenshot(page, name)


@pytest.fixture
def groups(live_site):
    near = OrganisationFactory(title="Tooting Tamil Women")
    other = OrganisationFactory(title="Balham Carers Café")
    OrganisationFactory(title="Putney Walkers")
    CapabilityProfileFactory(organisation=near, summary=HOSTILE)
    make_editor(near, username="tamil-editor")
    return near, other


def test_an_editor_adds_and_ends_a_link(new_context, axe_source, screenshot, groups, traffic):
    near, other = groups
    problems = {}
    editor = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(editor, "tamil-editor")
    editor.goto(f"/coproduction/groups/{near.pk}/profile/")
    editor.get_by_role("link", name="Links of Tooting Tamil Women with other groups").click()
    expect(editor.get_by_text("No links are recorded yet.")).to_be_visible()
    check(editor, axe_source, screenshot, "links-empty", problems)

    editor.get_by_label("The other group").select_option(label="Balham Carers Café")
    editor.get_by_label("Referrals between them").check()
    editor.get_by_label("Since").fill("2026-01-12")
    editor.get_by_label("Note (optional)").fill(HOSTILE)
    editor.get_by_role("button", name="Add the link").click()
    expect(editor.get_by_text("Link with Balham Carers Café added.")).to_be_visible()
    row = editor.locator(".link-list__item", has_text="Balham Carers Café")
    expect(row).to_contain_text("Referrals between them")
    expect(row).to_contain_text("12 January 2026")
    expect(row).to_contain_text(HOSTILE)  # as text
    check(editor, axe_source, screenshot, "links-added", problems)

    # The same kind again, from the other side's page or this one, is refused on its field.
    editor.get_by_label("The other group").select_option(label="Balham Carers Café")
    editor.get_by_label("Referrals between them").check()
    editor.get_by_label("Since").fill("2026-02-01")
    editor.get_by_role("button", name="Add the link").click()
    expect(editor.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(editor.locator("#id_kind_error")).to_contain_text("already recorded")
    check(editor, axe_source, screenshot, "links-refused", problems)

    # Ending it before it started is refused on the date; then ended.
    link = GroupLink.objects.get()
    editor.goto(f"/coproduction/groups/{near.pk}/links/")
    end = editor.get_by_label("Ended on: link with Balham Carers Café")
    end.fill("2025-12-01")
    editor.get_by_role("button", name="End the link with Balham Carers Café").click()
    expect(editor.locator(f"#id_end-{link.pk}-ended_on_error")).to_contain_text(
        "cannot end before that"
    )
    check(editor, axe_source, screenshot, "links-end-refused", problems)
    editor.get_by_label("Ended on: link with Balham Carers Café").fill("2026-06-30")
    editor.get_by_role("button", name="End the link with Balham Carers Café").click()
    expect(editor.get_by_text("Link with Balham Carers Café marked as ended.")).to_be_visible()
    expect(editor.locator(".link-list__item", has_text="Balham Carers Café")).to_contain_text(
        "30 June 2026"
    )
    link.refresh_from_db()
    assert link.ended_on == datetime.date(2026, 6, 30) and link.ended_by.username == "tamil-editor"

    # On a phone.
    phone = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(phone, "tamil-editor")
    phone.goto(f"/coproduction/groups/{near.pk}/links/")
    check(phone, axe_source, screenshot, "links-phone", problems)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide on a 375 px phone"
    box = phone.get_by_label("Since").bounding_box()
    assert box["height"] >= 44  # the site's touch target

    assert editor.evaluate("window.hacked") is None
    assert problems == {name: [] for name in problems}
    assert traffic.errors == [] and traffic.external(editor.url) == []


def test_a_team_lead_changes_an_ask_and_closes_it(
    new_context, axe_source, screenshot, live_site, traffic
):
    team = ServiceTeamFactory(name="Healthy Eating Team", slug="healthy-eating", areas=["SW17"])
    make_service_team_member(team, username="teamlead", role="lead", first_name="Tia")
    ask = AskFactory(
        team=team,
        title="Cooking in SW17",
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 29),
    )
    ask.capabilities.set([CapabilityTerm.objects.get(slug="asset-kitchen")])
    problems = {}
    lead = new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(lead, "teamlead")
    lead.goto(f"/coproduction/asks/{ask.pk}/")
    expect(
        lead.get_by_role("button", name="Propose a partnership with the groups ticked")
    ).to_be_visible()
    lead.get_by_role("link", name="Change this ask").click()
    # The saved dates are in their boxes (ISO dates), ready to change.
    expect(lead.get_by_label("Starts (optional)")).to_have_value("2027-01-04")
    expect(lead.get_by_label("Ends (optional)")).to_have_value("2027-03-29")
    check(lead, axe_source, screenshot, "ask-edit", problems)

    lead.get_by_label("Ends (optional)").fill("2026-12-01")
    lead.get_by_role("button", name="Save the changes").click()
    expect(lead.locator("#id_ends_on_error")).to_contain_text("on or after the start date")
    check(lead, axe_source, screenshot, "ask-edit-errors", problems)
    lead.get_by_label("Ends (optional)").fill("2027-04-30")
    lead.get_by_label("What you want to achieve").fill("Healthy cooking in SW17")
    lead.get_by_label("Closed", exact=True).check()
    lead.get_by_role("button", name="Save the changes").click()
    expect(lead.get_by_text("Your changes to the ask are saved.")).to_be_visible()
    expect(lead.get_by_text("last changed on")).to_contain_text("by Tia")
    expect(
        lead.get_by_role("button", name="Propose a partnership with the groups ticked")
    ).to_have_count(0)
    check(lead, axe_source, screenshot, "ask-closed", problems)
    ask.refresh_from_db()
    assert ask.status == Ask.Status.CLOSED and ask.ends_on == datetime.date(2027, 4, 30)

    phone = new_context(viewport={"width": 375, "height": 812}).new_page()
    sign_in(phone, "teamlead")
    phone.goto(f"/coproduction/asks/{ask.pk}/edit/")
    check(phone, axe_source, screenshot, "ask-edit-phone", problems)
    assert phone.get_by_label("Starts (optional)").bounding_box()["height"] >= 44
    assert problems == {name: [] for name in problems}
    assert traffic.errors == [] and traffic.external(lead.url) == []


def test_a_moderator_keeps_the_vocabulary_and_cannot_delete_a_word_in_use(
    new_context, axe_source, screenshot, live_site
):
    from coproduction.models import CapabilityItem
    from tests.factories import ModeratorFactory

    group = OrganisationFactory(title="Tooting Tamil Women")
    kitchen = CapabilityTerm.objects.get(slug="asset-kitchen")
    CapabilityItem.objects.create(
        profile=CapabilityProfileFactory(organisation=group), term=kitchen
    )
    ModeratorFactory(username="mo", password="correct-horse-9")
    problems = {}
    admin = new_context(viewport={"width": 1280, "height": 900}).new_page()
    admin.goto("/admin/login/")
    admin.get_by_label("Username").fill("mo")
    admin.get_by_label("Password").fill("correct-horse-9")
    admin.get_by_role("button", name="Sign in").click()
    admin.goto("/admin/snippets/coproduction/capabilityterm/")
    expect(admin.get_by_role("link", name="Kitchen", exact=True)).to_be_visible()
    check(admin, axe_source, screenshot, "vocabulary-list", problems)
    admin.goto(f"/admin/snippets/coproduction/capabilityterm/delete/{kitchen.pk}/")
    expect(admin.get_by_text("“Kitchen” is in use, so it cannot be deleted")).to_be_visible()
    expect(admin.get_by_text("1 group's capability profile: Tooting Tamil Women")).to_be_visible()
    check(admin, axe_source, screenshot, "vocabulary-delete-refused", problems)
    assert CapabilityTerm.objects.filter(pk=kitchen.pk).exists()
    assert problems == {name: [] for name in problems}
