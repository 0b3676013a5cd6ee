"""Groups' leaders and connectors: kept by the group's editors, shown only with consent to
service teams, commissioners and moderators, written to through the site. Their e-mail address
never reaches a page."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coproduction.models import GroupLeader
from coproduction.models.people import CONSENT_WORDING
from coproduction.services import (
    CONTACT_LIMITS,
    Refused,
    leader_add,
    leader_consent_record,
    leader_consent_withdraw,
    leader_contact,
    leader_update,
)
from tests.conftest import make_editor
from tests.factories import UserFactory
from tests.factories.coproduction import (
    GroupLeaderFactory,
    ServiceTeamFactory,
    make_service_team_member,
)

pytestmark = pytest.mark.django_db
PRIVATE = "priya.private@example.net"
HIDDEN_PRIVATE = "dev.hidden@example.net"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def member(db):
    team = ServiceTeamFactory(name="Healthy Eating Team")
    return make_service_team_member(team, username="eater", email="eater@nhs.example")


@pytest.fixture
def commissioner(db):
    return UserFactory(username="commish", groups=[Group.objects.get(name="Commissioners")])


@pytest.fixture
def leader(organisation):
    return GroupLeaderFactory(organisation=organisation, display_name="Priya S.", email=PRIVATE)


@pytest.fixture
def not_agreed(organisation):
    return GroupLeaderFactory(
        organisation=organisation,
        display_name="Dev R.",
        email=HIDDEN_PRIVATE,
        consent_given_on=None,
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


# Services ---------------------------------------------------------------------------------------


def test_a_leader_added_without_consent_is_not_consented(organisation, editor):
    leader = leader_add(
        organisation=organisation,
        by=editor,
        display_name="  Amina H. ",
        role="health_champion",
        email="amina@example.net",
    )
    assert leader.display_name == "Amina H."
    assert not leader.consented
    assert not GroupLeader.objects.consented().exists()


def test_consent_recorded_with_the_standard_wording_by_whom_and_when(organisation, editor):
    leader = leader_add(
        organisation=organisation,
        by=editor,
        display_name="Amina H.",
        role="leader",
        email="amina@example.net",
        consent_given_on=datetime.date(2026, 3, 1),
    )
    assert leader.consented
    assert leader.consent_recorded_by == editor
    assert leader.consent_wording == CONSENT_WORDING
    assert list(GroupLeader.objects.consented()) == [leader]


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"display_name": "   "}, "Enter the name they agree to be shown as"),
        ({"display_name": "x" * 81}, "80 characters or fewer"),
        ({"display_name": "Priya\u202eS"}, "character that cannot be used"),
        ({"role": "boss"}, "Choose their role"),
        ({"email": "not an address"}, "e-mail address in the right form"),
        ({"connects": "y" * 256}, "255 characters or fewer"),
        ({"consent_given_on": datetime.date(2999, 1, 1)}, "cannot be in the future"),
    ],
)
def test_leader_add_refuses_bad_input_saying_which_field(organisation, editor, changes, words):
    fields = {
        "display_name": "Priya S.",
        "role": "connector",
        "email": "priya@example.net",
        **changes,
    }
    with pytest.raises(Refused, match=words):
        leader_add(organisation=organisation, by=editor, **fields)
    assert not GroupLeader.objects.exists()


def test_withdrawing_hides_at_once_and_twice_is_refused(leader, editor):
    leader_consent_withdraw(leader=leader, by=editor)
    leader.refresh_from_db()
    assert leader.consent_withdrawn_on == timezone.localdate()
    assert not leader.consented
    assert not GroupLeader.objects.consented().exists()
    # What they had agreed to is kept, as the record of it.
    assert leader.consent_given_on and leader.consent_wording
    with pytest.raises(Refused, match="already withdrawn"):
        leader_consent_withdraw(leader=leader, by=editor)


def test_withdrawing_without_consent_is_refused(not_agreed, editor):
    with pytest.raises(Refused, match="has not agreed"):
        leader_consent_withdraw(leader=not_agreed, by=editor)


def test_consent_given_again_after_withdrawal_shows_them_again(leader, editor):
    leader_consent_withdraw(leader=leader, by=editor)
    leader_consent_record(leader=leader, by=editor, given_on=timezone.localdate(), wording="Yes")
    assert GroupLeader.objects.consented().get() == leader
    with pytest.raises(Refused, match="already agreed"):
        leader_consent_record(leader=leader, by=editor, given_on=timezone.localdate())


def test_an_unpublished_groups_leaders_are_not_shown(leader):
    leader.organisation.unpublish()
    assert not GroupLeader.objects.consented().exists()


def test_update_with_no_new_address_keeps_the_one_kept(leader):
    leader_update(leader=leader, display_name="Priya Sharma", role="leader", connects="", email="")
    leader.refresh_from_db()
    assert (leader.display_name, leader.email) == ("Priya Sharma", PRIVATE)
    leader_update(leader=leader, display_name="Priya", role="leader", email="new@example.net")
    leader.refresh_from_db()
    assert leader.email == "new@example.net"


def test_contact_mails_the_leader_with_the_senders_address_to_reply_to(leader, member):
    leader_contact(leader=leader, sender=member, message="Could we talk about cooking classes?")
    (message,) = mail.outbox
    assert message.to == [PRIVATE]
    assert message.reply_to == ["eater@nhs.example"]
    assert "Could we talk about cooking classes?" in message.body
    assert "Priya S." in message.body and leader.organisation.title in message.subject


@pytest.mark.parametrize(
    "message, words",
    [
        ("", "Enter your message"),
        ("   \n  ", "Enter your message"),
        ("Hi", "at least 10 characters"),
        ("x" * 3001, "3000 characters or fewer"),
        ("Hello there\u0000friend", "character that cannot be used"),
    ],
)
def test_contact_refuses_empty_short_oversized_and_control_characters(
    leader, member, message, words
):
    with pytest.raises(Refused, match=words):
        leader_contact(leader=leader, sender=member, message=message)
    assert mail.outbox == []


def test_contact_refuses_a_leader_who_has_not_agreed_or_has_withdrawn(leader, not_agreed, member):
    with pytest.raises(Refused, match="cannot be contacted"):
        leader_contact(leader=not_agreed, sender=member, message="Hello, could we talk?")
    leader_consent_withdraw(leader=leader, by=None)
    with pytest.raises(Refused, match="cannot be contacted"):
        leader_contact(leader=leader, sender=member, message="Hello, could we talk?")
    assert mail.outbox == []


def test_contact_needs_an_address_to_reply_to(leader, member):
    member.email = ""
    with pytest.raises(Refused, match="no e-mail address"):
        leader_contact(leader=leader, sender=member, message="Hello, could we talk?")


def test_contact_is_rate_limited_per_leader(leader, member, commissioner):
    per_leader = CONTACT_LIMITS[1].limit
    senders = [member, commissioner]
    for number in range(per_leader):
        leader_contact(
            leader=leader, sender=senders[number % 2], message=f"Message number {number}"
        )
    with pytest.raises(Refused, match="Too many messages"):
        leader_contact(leader=leader, sender=member, message="One message too many")
    assert len(mail.outbox) == per_leader


# Pages ------------------------------------------------------------------------------------------


def test_editors_see_every_leader_of_their_group_but_never_an_address(
    client, editor, leader, not_agreed
):
    response = signed_in(client, editor).get(
        reverse("coproduction:leaders", args=[leader.organisation_id])
    )
    assert response.status_code == 200
    body = text(response)
    assert "Priya S." in body and "Dev R." in body
    assert "consent not recorded" in body
    assert PRIVATE not in body and HIDDEN_PRIVATE not in body
    edit = signed_in(client, editor).get(
        reverse("coproduction:leader_edit", args=[leader.organisation_id, leader.pk])
    )
    assert edit.status_code == 200
    assert PRIVATE not in text(edit)
    assert "The address kept is not shown" in text(edit)


def test_another_groups_editor_a_moderator_and_a_team_cannot_open_the_leaders_page(
    client, organisation, other_organisation, leader, moderator, member
):
    url = reverse("coproduction:leaders", args=[organisation.pk])
    for user in (make_editor(other_organisation, username="choir"), moderator, member):
        assert signed_in(client, user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_editor_adds_a_leader_with_consent_through_the_form(client, editor, organisation):
    response = signed_in(client, editor).post(
        reverse("coproduction:leaders", args=[organisation.pk]),
        {
            "display_name": "Amina H.",
            "role": "health_champion",
            "connects": "Somali women",
            "email": "amina@example.net",
            "consent": "on",
            "consent_given_on": "2026-03-01",
            "consent_wording": CONSENT_WORDING,
        },
    )
    assert response.status_code == 302
    leader = GroupLeader.objects.get()
    assert leader.consented and leader.consent_recorded_by == editor


def test_the_add_form_refuses_naming_the_fields_and_never_echoes_the_address(
    client, editor, organisation
):
    response = signed_in(client, editor).post(
        reverse("coproduction:leaders", args=[organisation.pk]),
        {
            "display_name": "",
            "role": "boss",
            "email": "amina.private@example.net",
            "consent": "on",
            "consent_given_on": "",
        },
    )
    assert response.status_code == 400
    body = text(response)
    assert "Enter the name they agree to be shown as" in body
    assert "Choose one of the options for “Their role”" in body
    assert "Enter the date they agreed" in body
    # The form is shown again without the address typed in it.
    assert "amina.private@example.net" not in body
    assert not GroupLeader.objects.exists()


def test_hostile_names_are_shown_as_text(client, editor, organisation, member):
    GroupLeaderFactory(organisation=organisation, display_name=HOSTILE[:80], connects=HOSTILE)
    for user in (editor, member):
        for url in (
            reverse("coproduction:leaders", args=[organisation.pk]),
            reverse("coproduction:profile", args=[organisation.pk]),
        ):
            if user is member and "leaders" in url:
                continue
            body = text(signed_in(client, user).get(url))
            assert "<script>alert" not in body and "<img src=x" not in body
            assert "&lt;script&gt;" in body


def test_withdraw_from_the_page_hides_them_from_the_profile_at_once(client, editor, leader, member):
    team = signed_in(Client(), member)
    profile = reverse("coproduction:profile", args=[leader.organisation_id])
    assert "Priya S." in text(team.get(profile))
    response = signed_in(client, editor).post(
        reverse("coproduction:leader_withdraw", args=[leader.organisation_id, leader.pk])
    )
    assert response.status_code == 302
    assert "Priya S." not in text(team.get(profile))
    contact = reverse("coproduction:leader_contact", args=[leader.pk])
    assert team.get(contact).status_code == 404


def test_record_consent_from_the_page(client, editor, not_agreed):
    url = reverse("coproduction:leader_consent", args=[not_agreed.organisation_id, not_agreed.pk])
    bad = signed_in(client, editor).post(url, {"given_on": "", "wording": "Yes"})
    assert bad.status_code == 400
    assert "Enter the date they agreed" in text(bad)
    assert HIDDEN_PRIVATE not in text(bad)
    good = signed_in(client, editor).post(url, {"given_on": "2026-06-01", "wording": "Yes"})
    assert good.status_code == 302
    not_agreed.refresh_from_db()
    assert not_agreed.consented and not_agreed.consent_wording == "Yes"


def test_delete_removes_everything(client, editor, leader):
    response = signed_in(client, editor).post(
        reverse("coproduction:leader_delete", args=[leader.organisation_id, leader.pk])
    )
    assert response.status_code == 302
    assert not GroupLeader.objects.filter(pk=leader.pk).exists()


def test_an_editor_cannot_reach_another_groups_leader_through_their_own_group(
    client, other_organisation, leader
):
    choir = make_editor(other_organisation, username="choir")
    url = reverse("coproduction:leader_withdraw", args=[other_organisation.pk, leader.pk])
    assert signed_in(client, choir).post(url).status_code == 404
    leader.refresh_from_db()
    assert leader.consented


def test_teams_commissioners_and_moderators_see_consented_leaders_on_the_profile(
    client, leader, not_agreed, member, commissioner, moderator
):
    url = reverse("coproduction:profile", args=[leader.organisation_id])
    for user in (member, commissioner, moderator):
        response = signed_in(client, user).get(url)
        assert response.status_code == 200
        body = text(response)
        assert "Priya S." in body and "Write to Priya S. through the site" in body
        assert "Dev R." not in body
        assert PRIVATE not in body and HIDDEN_PRIVATE not in body
        # Nobody but the group's editors may change the profile.
        assert signed_in(client, user).post(url, {"summary": "x"}).status_code in (403, 404)


def test_contact_page_sends_and_never_shows_the_address(client, leader, member):
    url = reverse("coproduction:leader_contact", args=[leader.pk])
    page = signed_in(client, member).get(url)
    assert page.status_code == 200
    assert "Priya S." in text(page) and PRIVATE not in text(page)
    assert page.headers["Cache-Control"].count("no-store") == 1
    sent = signed_in(client, member).post(url, {"message": "Could we meet about cooking?"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    after = signed_in(client, member).get(sent["Location"])
    assert "Your message has been sent to Priya S." in text(after)
    assert PRIVATE not in text(after)


@pytest.mark.parametrize(
    "message, words",
    [("", "Enter your message"), ("x" * 3001, "3000 characters or fewer"), ("Hi", "10 characters")],
)
def test_contact_page_refuses_naming_the_field(client, leader, member, message, words):
    response = signed_in(client, member).post(
        reverse("coproduction:leader_contact", args=[leader.pk]), {"message": message}
    )
    assert response.status_code == 400
    assert words in text(response)
    assert PRIVATE not in text(response)
    assert mail.outbox == []


def test_a_group_editor_may_not_write_to_leaders_and_nobody_to_one_who_has_not_agreed(
    client, editor, leader, not_agreed, member
):
    assert (
        signed_in(client, editor)
        .get(reverse("coproduction:leader_contact", args=[leader.pk]))
        .status_code
        == 403
    )
    hidden = reverse("coproduction:leader_contact", args=[not_agreed.pk])
    assert signed_in(client, member).get(hidden).status_code == 404
    assert signed_in(client, member).post(hidden, {"message": "Hello there!"}).status_code == 404
    assert mail.outbox == []
