"""Links between groups, entered by a group's editors and by moderators on the group's links page:
added, listed from both sides, ended; refused (naming the field) when they make no sense."""

import datetime

import pytest
from django.urls import reverse

from coproduction.models import GroupLink
from coproduction.services import Refused, link_end, link_record
from tests.conftest import make_editor
from tests.factories import OrganisationFactory, UserFactory

HOSTILE = '<script>alert("x")</script>\u202e'
JAN = datetime.date(2026, 1, 12)
MAR = datetime.date(2026, 3, 2)
JAN_TEXT = "2026-01-12"


@pytest.fixture
def third(directory):
    return OrganisationFactory(parent=directory, title="Earlsfield Men's Shed")


def links_url(organisation):
    return reverse("coproduction:links", args=[organisation.pk])


def end_url(organisation, link):
    return reverse("coproduction:link_end", args=[organisation.pk, link.pk])


def add(client, organisation, **data):
    return client.post(
        links_url(organisation),
        {"to_organisation": "", "kind": "", "started_on": "", "note": "", **data},
    )


def record(a, b, kind=GroupLink.Kind.SHARED_MEMBERS, started_on=JAN, **kwargs):
    return link_record(
        from_organisation=a, to_organisation=b, kind=kind, started_on=started_on, by=None, **kwargs
    )


# The page ---------------------------------------------------------------------------------------


def test_an_editor_adds_a_link_and_sees_it_listed(client, editor, organisation, other_organisation):
    client.force_login(editor)
    page = client.get(links_url(organisation))
    assert page.status_code == 200
    body = page.content.decode()
    # The other group is offered, the group itself is not.
    assert f'<option value="{other_organisation.pk}">' in body
    assert f'<option value="{organisation.pk}">' not in body

    response = add(
        client,
        organisation,
        to_organisation=other_organisation.pk,
        kind="referrals",
        started_on="2026-01-12",
        note="  They send us carers  ",
    )

    assert response.status_code == 302 and response.url == links_url(organisation)
    link = GroupLink.objects.get()
    assert (link.from_organisation, link.to_organisation) == (organisation, other_organisation)
    assert link.kind == "referrals" and link.started_on == JAN
    assert link.note == "They send us carers" and link.created_by == editor
    page = client.get(links_url(organisation)).content.decode()
    assert "Balham Community Choir" in page and "Referrals between them" in page
    assert "12 January 2026" in page and "current" in page


def test_the_other_groups_editor_sees_the_link_from_their_side_and_can_end_it(
    client, organisation, other_organisation
):
    link = record(organisation, other_organisation)
    choir = make_editor(other_organisation, username="choir")
    client.force_login(choir)
    page = client.get(links_url(other_organisation)).content.decode()
    assert "Tooting Knit and Natter" in page and "Shared members" in page
    response = client.post(
        end_url(other_organisation, link), {f"end-{link.pk}-ended_on": "2026-03-02"}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.ended_on == MAR and link.ended_by == choir
    page = client.get(links_url(other_organisation)).content.decode()
    assert "2 March 2026" in page and "ended" in page


def test_a_moderator_adds_and_ends_any_groups_links(
    client, moderator, organisation, other_organisation
):
    client.force_login(moderator)
    assert client.get(links_url(organisation)).status_code == 200
    add(
        client,
        organisation,
        to_organisation=other_organisation.pk,
        kind="joint_activity",
        started_on="2026-01-12",
    )
    link = GroupLink.objects.get(created_by=moderator)
    client.post(end_url(organisation, link), {f"end-{link.pk}-ended_on": "2026-01-12"})
    link.refresh_from_db()
    assert link.ended_on == JAN and link.ended_by == moderator


def test_the_profile_page_links_to_the_links_page(client, editor, organisation):
    client.force_login(editor)
    page = client.get(reverse("coproduction:profile", args=[organisation.pk])).content.decode()
    assert f'href="{links_url(organisation)}"' in page


def test_links_are_listed_current_first_both_directions(
    client, editor, organisation, other_organisation, third
):
    old = record(organisation, third, started_on=datetime.date(2025, 1, 1))
    link_end(link=old, ended_on=datetime.date(2025, 6, 1), by=None)
    record(other_organisation, organisation, kind=GroupLink.Kind.OTHER)
    client.force_login(editor)
    page = client.get(links_url(organisation)).content.decode()
    assert page.index("Balham Community Choir") < page.index("Earlsfield Men")


# Who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_groups_editor_and_people_who_edit_no_group_are_told_there_is_no_such_group(
    client, organisation, other_organisation, method
):
    for user in (make_editor(other_organisation, username="choir"), UserFactory()):
        client.force_login(user)
        response = getattr(client, method)(
            links_url(organisation),
            {"to_organisation": other_organisation.pk, "kind": "other", "started_on": "2026-01-12"},
        )
        assert response.status_code == 404
    assert not GroupLink.objects.exists()


def test_signing_in_is_needed(client, organisation):
    response = client.get(links_url(organisation))
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_a_link_is_ended_only_through_one_of_its_own_groups(
    client, organisation, other_organisation, third
):
    link = record(other_organisation, third)
    client.force_login(make_editor(organisation, username="knit"))
    response = client.post(end_url(organisation, link), {f"end-{link.pk}-ended_on": "2026-03-02"})
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.ended_on is None


def test_ending_is_a_post(client, editor, organisation, other_organisation):
    link = record(organisation, other_organisation)
    client.force_login(editor)
    assert client.get(end_url(organisation, link)).status_code == 405


# Refusals, each on its field ---------------------------------------------------------------------


def error_on(response, field_id: str) -> str:
    """The error messages shown on one field (by its id), as text."""
    body = response.content.decode()
    marker = f'id="{field_id}_error"'
    assert marker in body, body
    start = body.index(marker)
    return body[start : body.index("</p>", start)]


def test_a_link_to_the_group_itself_is_refused_on_the_other_group_field(
    client, editor, organisation
):
    client.force_login(editor)
    response = add(
        client, organisation, to_organisation=organisation.pk, kind="other", started_on="2026-01-12"
    )
    assert response.status_code == 400
    assert "cannot be linked to itself" in error_on(response, "id_to_organisation")
    assert not GroupLink.objects.exists()


def test_a_second_link_of_the_same_kind_while_the_first_lasts_is_refused_either_way_round(
    client, organisation, other_organisation
):
    record(other_organisation, organisation, kind=GroupLink.Kind.REFERRALS)
    client.force_login(make_editor(organisation, username="knit"))
    response = add(
        client,
        organisation,
        to_organisation=other_organisation.pk,
        kind="referrals",
        started_on="2026-02-01",
    )
    assert response.status_code == 400
    message = error_on(response, "id_kind")
    assert "already recorded from 12 January 2026" in message
    # Another kind between them is a link of its own.
    add(
        client,
        organisation,
        to_organisation=other_organisation.pk,
        kind="joint_activity",
        started_on="2026-02-01",
    )
    assert GroupLink.objects.count() == 2


def test_a_link_of_the_same_kind_can_start_again_after_the_first_has_ended(
    organisation, other_organisation
):
    first = record(organisation, other_organisation)
    link_end(link=first, ended_on=JAN, by=None)
    with pytest.raises(Refused) as refused:
        record(other_organisation, organisation, started_on=JAN)  # the day it ended: it lasted
    assert refused.value.field == "kind"
    record(other_organisation, organisation, started_on=JAN + datetime.timedelta(days=1))
    assert GroupLink.objects.count() == 2


def test_an_end_before_the_start_is_refused_on_the_date_field(
    client, editor, organisation, other_organisation
):
    link = record(organisation, other_organisation, started_on=MAR)
    client.force_login(editor)
    response = client.post(end_url(organisation, link), {f"end-{link.pk}-ended_on": "2026-01-12"})
    assert response.status_code == 400
    assert "cannot end before that" in error_on(response, f"id_end-{link.pk}-ended_on")
    assert 'aria-invalid="true"' in response.content.decode()
    link.refresh_from_db()
    assert link.ended_on is None


def test_a_link_that_has_ended_is_not_ended_again(organisation, other_organisation):
    link = record(organisation, other_organisation)
    link_end(link=link, ended_on=MAR, by=None)
    with pytest.raises(Refused, match="already ended on 2 March 2026"):
        link_end(link=link, ended_on=MAR + datetime.timedelta(days=3), by=None)
    link.refresh_from_db()
    assert link.ended_on == MAR


def test_a_link_to_a_group_not_in_the_directory_is_refused(organisation, directory):
    unpublished = OrganisationFactory(parent=directory, title="Hidden Group", live=False)
    with pytest.raises(Refused) as refused:
        record(organisation, unpublished)
    assert refused.value.field == "to_organisation"


@pytest.mark.parametrize(
    "data, field",
    [
        (
            {"to_organisation": "", "kind": "other", "started_on": "2026-01-12"},
            "id_to_organisation",
        ),
        ({"to_organisation": "999999", "kind": "other", "started_on": "2026-01-12"}, None),
        ({"to_organisation": HOSTILE, "kind": "other", "started_on": "2026-01-12"}, None),
        ({"kind": HOSTILE, "started_on": "2026-01-12"}, "id_kind"),
        ({"kind": "other", "started_on": HOSTILE}, "id_started_on"),
        ({"kind": "other", "started_on": "2026-02-30"}, "id_started_on"),
        ({"kind": "other", "started_on": "2026-01-12", "note": "x" * 256}, "id_note"),
        ({"kind": "other", "started_on": "2026-01-12", "note": "a\x00b"}, "id_note"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_never_a_server_error(
    client, editor, organisation, other_organisation, data, field
):
    data = {"to_organisation": other_organisation.pk, **data}
    client.force_login(editor)
    response = add(client, organisation, **data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "<script>alert" not in body
    if field:
        error_on(response, field)
    assert not GroupLink.objects.exists()


@pytest.mark.parametrize("value", ["", HOSTILE, "2026-13-01", "9" * 40])
def test_a_bad_end_date_is_refused_and_never_a_server_error(
    client, editor, organisation, other_organisation, value
):
    link = record(organisation, other_organisation)
    client.force_login(editor)
    response = client.post(end_url(organisation, link), {f"end-{link.pk}-ended_on": value})
    assert response.status_code == 400
    assert "<script>alert" not in response.content.decode()
    error_on(response, f"id_end-{link.pk}-ended_on")
    link.refresh_from_db()
    assert link.ended_on is None


def test_a_hostile_note_is_kept_as_text(client, editor, organisation, other_organisation):
    client.force_login(editor)
    add(
        client,
        organisation,
        to_organisation=other_organisation.pk,
        kind="other",
        started_on="2026-01-12",
        note='<img src=x onerror="alert(1)"> & co',
    )
    page = client.get(links_url(organisation)).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in page
    assert "<img src=x" not in page
