"""Changing an ask after it is posted: its team's members and moderators, with the same form as
posting; the ask's page says when it last changed and who changed it. A closed ask offers no
partnership, and the server refuses one."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from coproduction.models import Ask, CapabilityTerm, Partnership
from coproduction.services import PartnershipRefused, partnership_propose
from tests.conftest import make_editor
from tests.factories import UserFactory
from tests.factories.coproduction import (
    AskFactory,
    CapabilityProfileFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def team(db):
    return ServiceTeamFactory(name="Healthy Eating Team", areas=["SW17"])


@pytest.fixture
def member(team):
    return make_service_team_member(team, username="eater", first_name="Tia", last_name="Rao")


@pytest.fixture
def ask(team):
    ask = AskFactory(
        team=team,
        title="Cooking in SW17",
        areas=["SW17"],
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 3, 29),
        offers=["funding"],
    )
    ask.capabilities.set([CapabilityTerm.objects.get(slug="asset-kitchen")])
    return ask


def edit_url(ask):
    return reverse("coproduction:ask_edit", args=[ask.pk])


def form_data(ask, **changes):
    data = {
        "title": ask.title,
        "description": ask.description,
        "service_line": ask.service_line_id,
        "areas_text": ", ".join(ask.areas),
        "starts_on": ask.starts_on.isoformat() if ask.starts_on else "",
        "ends_on": ask.ends_on.isoformat() if ask.ends_on else "",
        "offers": ask.offers,
        "capabilities": [t.pk for t in ask.capabilities.all()],
        "communities": [t.pk for t in ask.communities.all()],
        "status": ask.status,
    }
    return {**data, **changes}


def test_the_form_shows_the_ask_as_it_is_with_its_dates_in_iso_form(client, member, ask):
    client.force_login(member)
    response = client.get(edit_url(ask))
    assert response.status_code == 200
    body = response.content.decode()
    # A date box reads ISO dates only: in the site's format (04/01/2027) it would show empty.
    assert 'type="date" name="starts_on" value="2027-01-04"' in body
    assert 'type="date" name="ends_on" value="2027-03-29"' in body
    assert 'value="Cooking in SW17"' in body and 'value="SW17"' in body
    kitchen = CapabilityTerm.objects.get(slug="asset-kitchen")
    assert f'value="{kitchen.pk}"' in body and "checked" in body


def test_a_member_changes_the_ask_and_its_page_says_who_and_when(client, member, ask):
    client.force_login(member)
    cooking = CapabilityTerm.objects.get(slug="skill-cooking")
    response = client.post(
        edit_url(ask),
        form_data(
            ask,
            title="Healthy cooking in SW17 and SW18",
            areas_text="sw17, sw18",
            capabilities=[cooking.pk],
            ends_on="2027-04-30",
        ),
    )
    assert response.status_code == 302 and response.url == reverse(
        "coproduction:ask", args=[ask.pk]
    )
    ask.refresh_from_db()
    assert ask.title == "Healthy cooking in SW17 and SW18" and ask.areas == ["SW17", "SW18"]
    assert list(ask.capabilities.all()) == [cooking]
    assert ask.ends_on == datetime.date(2027, 4, 30) and ask.starts_on == datetime.date(2027, 1, 4)
    assert ask.updated_by == member and ask.updated_at is not None
    assert ask.created_by is None  # posting is kept apart from changing
    page = client.get(response.url).content.decode()
    assert f"last changed on {ask.updated_at:%-d %B %Y} by Tia Rao" in page


def test_an_unchanged_ask_says_nothing_about_changes(client, member, ask):
    client.force_login(member)
    page = client.get(reverse("coproduction:ask", args=[ask.pk])).content.decode()
    assert "last changed" not in page
    assert f'href="{edit_url(ask)}"' in page


def test_a_moderator_changes_an_ask_and_sees_it(client, moderator, ask):
    client.force_login(moderator)
    assert client.get(edit_url(ask)).status_code == 200
    response = client.post(edit_url(ask), form_data(ask, title="Cooking together"))
    # Moderators see all of coproduction, so they are taken to the ask's page.
    assert response.status_code == 302
    assert response.url == reverse("coproduction:ask", args=[ask.pk])
    ask.refresh_from_db()
    assert ask.title == "Cooking together" and ask.updated_by == moderator


def test_others_may_not_change_the_ask(client, ask, organisation, directory):
    other_team_member = make_service_team_member(ServiceTeamFactory(), username="other")
    commissioner = UserFactory(groups=[Group.objects.get(name="Commissioners")])
    # An editor of a group in a partnership with the team takes part, but is not of the team.
    profile = CapabilityProfileFactory(organisation=organisation)
    group_editor = make_editor(profile.organisation, username="knit")
    partnership_propose(
        team=ask.team, organisations=[organisation], by=None, title="Knit", ask=None
    )
    expected = {
        other_team_member: 404,
        group_editor: 404,
        commissioner: 403,
        UserFactory(username="nobody"): 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(edit_url(ask)).status_code == status, user
        assert client.post(edit_url(ask), form_data(ask, title="Hijacked")).status_code == status
    client.logout()
    response = client.get(edit_url(ask))
    assert response.status_code == 302 and "/sign-in/" in response.url
    ask.refresh_from_db()
    assert ask.title == "Cooking in SW17" and ask.updated_at is None


def test_an_ask_that_does_not_exist_is_not_found(client, moderator, member):
    for user in (moderator, member):
        client.force_login(user)
        assert client.get(reverse("coproduction:ask_edit", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"title": HOSTILE * 20}, "title"),
        ({"areas_text": "SW17 0QT"}, "areas_text"),
        ({"areas_text": HOSTILE}, "areas_text"),
        ({"starts_on": "2027-02-30"}, "starts_on"),
        ({"starts_on": HOSTILE}, "starts_on"),
        ({"ends_on": "2026-12-01"}, "ends_on"),
        ({"status": HOSTILE}, "status"),
        ({"offers": [HOSTILE]}, "offers"),
        ({"service_line": "999999"}, "service_line"),
        ({"capabilities": ["999999"]}, "capabilities"),
        ({"description": "a\x00b"}, "description"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_changes(client, member, ask, changes, field):
    client.force_login(member)
    response = client.post(edit_url(ask), form_data(ask, **changes))
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        f'id="id_{field}_error"' in body
        or f'id="id_{field}_0_error"' in body
        or (f"{field}_error" in body)
    ), body
    assert "<script>alert" not in body
    ask.refresh_from_db()
    assert ask.title == "Cooking in SW17" and ask.updated_at is None


def test_the_team_can_close_an_ask_and_then_no_partnership_is_offered(
    client, member, ask, search_index
):
    client.force_login(member)
    page = client.get(reverse("coproduction:ask", args=[ask.pk])).content.decode()
    assert "Propose a partnership" in page
    client.post(edit_url(ask), form_data(ask, status=Ask.Status.CLOSED))
    ask.refresh_from_db()
    assert ask.status == Ask.Status.CLOSED
    page = client.get(reverse("coproduction:ask", args=[ask.pk])).content.decode()
    assert "Propose a partnership" not in page


def test_the_server_refuses_a_partnership_from_a_closed_ask(
    client, member, ask, organisation, search_index
):
    CapabilityProfileFactory(organisation=organisation)
    Ask.objects.filter(pk=ask.pk).update(status=Ask.Status.CLOSED)
    client.force_login(member)
    response = client.post(
        reverse("coproduction:ask_propose", args=[ask.pk]),
        {"organisations": [organisation.pk], "title": "Try anyway"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This ask is closed" in body and "Propose a partnership" not in body
    assert not Partnership.objects.exists()
    ask.refresh_from_db()
    with pytest.raises(PartnershipRefused, match="closed"):
        partnership_propose(
            team=ask.team, organisations=[organisation], by=member, title="", ask=ask
        )
