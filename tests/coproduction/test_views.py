"""The coproduction pages: a team posts an ask, sees the groups that fit, proposes; a group's
editor accepts; the team moves the partnership on. Who may do what is checked on the server."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from coproduction.models import Ask, CapabilityItem, CapabilityTerm, Partnership
from search.services import index_rebuild
from tests.conftest import make_editor
from tests.factories import ActivityFactory, UserFactory, VenueFactory
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
    return make_service_team_member(team, username="eater")


@pytest.fixture
def profiled(search_index, organisation):
    """The organisation, with a kitchen verified and an activity in SW17."""
    venue = VenueFactory(latitude=51.4307, longitude=-0.1647, postcode="SW17 0QT")
    ActivityFactory(parent=organisation, title="Cook and eat", venue=venue)
    profile = CapabilityProfileFactory(organisation=organisation)
    CapabilityItem.objects.create(
        profile=profile,
        term=CapabilityTerm.objects.get(slug="asset-kitchen"),
        verified_on="2026-11-01",
        evidence="Seen",
    )
    index_rebuild()
    return organisation


@pytest.fixture
def ask(team, profiled):
    ask = AskFactory(team=team, title="Cooking in SW17", areas=["SW17"])
    ask.capabilities.set([CapabilityTerm.objects.get(slug="asset-kitchen")])
    return ask


def test_a_team_member_posts_an_ask_and_sees_the_groups_that_fit(client, member, team, profiled):
    client.force_login(member)
    url = reverse("coproduction:ask_add", args=[team.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Healthy cooking for South Asian women",
            "service_line": team.service_line.pk,
            "areas_text": "sw17, SW17 ",
            "capabilities": [CapabilityTerm.objects.get(slug="asset-kitchen").pk],
            "communities": [CapabilityTerm.objects.get(slug="community-south-asian").pk],
            "offers": ["funding", "training"],
            "status": "open",
        },
    )
    ask = Ask.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "coproduction:ask", args=[ask.pk]
    )
    assert ask.team == team and ask.areas == ["SW17"] and ask.created_by == member
    page = client.get(response.url).content.decode()
    assert profiled.title in page
    assert "Verified: Kitchen." in page and "Has a venue in or near SW17." in page


@pytest.mark.parametrize(
    ("areas", "message"),
    [
        ("SW17 0QT", "Enter outward codes only"),
        ("ZE99", "We cannot place ZE99 on the map"),
        (HOSTILE, "Enter outward codes only"),
    ],
)
def test_bad_areas_are_refused_naming_the_field(client, member, team, areas, message):
    client.force_login(member)
    response = client.post(
        reverse("coproduction:ask_add", args=[team.slug]),
        {"title": "x", "service_line": team.service_line.pk, "areas_text": areas, "status": "open"},
    )
    assert response.status_code == 200 and not Ask.objects.exists()
    page = response.content.decode()
    assert message in page and 'href="#id_areas_text"' in page
    assert "<script>alert" not in page


def test_an_ask_ending_before_it_starts_is_refused(client, member, team):
    client.force_login(member)
    response = client.post(
        reverse("coproduction:ask_add", args=[team.slug]),
        {
            "title": "x",
            "service_line": team.service_line.pk,
            "status": "open",
            "starts_on": "2027-03-01",
            "ends_on": "2027-02-01",
        },
    )
    assert "The end date must be on or after the start date." in response.content.decode()
    assert not Ask.objects.exists()


def test_propose_accept_and_agree(client, member, ask, profiled, editor):
    client.force_login(member)
    response = client.post(
        reverse("coproduction:ask_propose", args=[ask.pk]),
        {"organisations": [profiled.pk], "title": ""},
    )
    partnership = Partnership.objects.get()
    assert response.url == reverse("coproduction:partnership", args=[partnership.pk])
    assert partnership.title == "Cooking in SW17" and partnership.status == "proposed"

    # Agreeing before the group accepts is refused in words.
    refused = client.post(
        reverse("coproduction:partnership_move", args=[partnership.pk]), {"to": "agreed"}
    )
    assert refused.status_code == 400
    assert f"Waiting for {profiled.title} to accept." in refused.content.decode()

    client.force_login(editor)
    home = client.get(reverse("coproduction:home")).content.decode()
    assert "Cooking in SW17" in home and "(not accepted yet)" in home
    page = client.get(response.url).content.decode()
    assert f"Accept for {profiled.title}" in page
    accepted = client.post(
        reverse("coproduction:partnership_accept", args=[partnership.pk]),
        {"organisation": profiled.pk},
    )
    assert accepted.status_code == 302

    client.force_login(member)
    moved = client.post(
        reverse("coproduction:partnership_move", args=[partnership.pk]), {"to": "agreed"}
    )
    assert moved.status_code == 302
    partnership.refresh_from_db()
    assert partnership.status == "agreed"
    history = client.get(response.url).content.decode()
    assert "moved from proposed to agreed" in history and f"accepted by {profiled.title}" in history


def test_a_move_the_lifecycle_forbids_is_a_field_error(client, member, ask, profiled):
    client.force_login(member)
    client.post(
        reverse("coproduction:ask_propose", args=[ask.pk]), {"organisations": [profiled.pk]}
    )
    partnership = Partnership.objects.get()
    response = client.post(
        reverse("coproduction:partnership_move", args=[partnership.pk]), {"to": "sustained"}
    )
    assert response.status_code == 400
    assert 'href="#id_to_0"' in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == "proposed"


def test_proposing_nobody_says_so(client, member, ask):
    client.force_login(member)
    response = client.post(reverse("coproduction:ask_propose", args=[ask.pk]), {})
    assert response.status_code == 400
    assert "Choose at least one group to invite" in response.content.decode()
    assert not Partnership.objects.exists()


def test_another_teams_member_cannot_see_the_ask(client, ask):
    other = make_service_team_member(ServiceTeamFactory())
    client.force_login(other)
    assert client.get(reverse("coproduction:ask", args=[ask.pk])).status_code == 404
    response = client.post(
        reverse("coproduction:ask_propose", args=[ask.pk]), {"organisations": []}
    )
    assert response.status_code == 404
    add = client.get(reverse("coproduction:ask_add", args=[ask.team.slug]))
    assert add.status_code == 404


def test_a_commissioner_sees_everything_and_changes_nothing(client, ask, profiled):
    commissioner = UserFactory()
    commissioner.groups.add(Group.objects.get(name="Commissioners"))
    client.force_login(commissioner)
    page = client.get(reverse("coproduction:ask", args=[ask.pk]))
    assert page.status_code == 200 and profiled.title in page.content.decode()
    assert "Propose a partnership" not in page.content.decode()
    response = client.post(
        reverse("coproduction:ask_propose", args=[ask.pk]), {"organisations": [profiled.pk]}
    )
    assert response.status_code == 403 and not Partnership.objects.exists()


def test_someone_outside_coproduction_is_refused_and_anonymous_signs_in(client, db):
    anonymous = client.get(reverse("coproduction:home"))
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous.url
    client.force_login(UserFactory())
    assert client.get(reverse("coproduction:home")).status_code == 403


def test_an_editor_of_a_group_not_invited_cannot_accept(
    client, member, ask, profiled, other_organisation
):
    client.force_login(member)
    client.post(
        reverse("coproduction:ask_propose", args=[ask.pk]), {"organisations": [profiled.pk]}
    )
    partnership = Partnership.objects.get()
    outsider = make_editor(other_organisation)
    client.force_login(outsider)
    response = client.post(
        reverse("coproduction:partnership_accept", args=[partnership.pk]),
        {"organisation": profiled.pk},
    )
    assert response.status_code in (403, 404)
    assert not partnership.groups.filter(accepted_at__isnull=False).exists()


def test_pages_are_never_cached(client, member):
    client.force_login(member)
    response = client.get(reverse("coproduction:home"))
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def delivering(client, member, ask, profiled, editor):
    """A partnership between the team and the group, delivering."""
    from coproduction.services import partnership_accept, partnership_move, partnership_propose

    partnership = partnership_propose(
        team=ask.team, organisations=[profiled], by=member, title="", ask=ask
    )
    partnership_accept(partnership=partnership, organisation=profiled, by=editor)
    partnership_move(partnership=partnership, to="agreed", by=member)
    return partnership_move(partnership=partnership, to="delivering", by=member)


def test_the_team_logs_delivery_with_counts_by_community(client, member, delivering):
    client.force_login(member)
    url = reverse("coproduction:partnership_delivery", args=[delivering.pk])
    response = client.post(
        url,
        {
            "period_start": "2027-01-01",
            "period_end": "2027-01-31",
            "sessions": "4",
            "people_reached": "30",
            "reached_by_group": "Tamil: 18\nSomali: 12\n",
        },
    )
    assert response.status_code == 302
    assert delivering.deliveries.get().reached_by_group == {"Tamil": 18, "Somali": 12}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reached_by_group", "Tamil eighteen", "Line 1: write a name, a colon and a count"),
        ("period_end", "2026-12-01", "The period must end on or after the day it starts."),
        ("sessions", "-1", "Sessions delivered must be 0 or more"),
    ],
)
def test_bad_delivery_is_a_field_error_and_saves_nothing(
    client, member, delivering, field, value, message
):
    client.force_login(member)
    data = {
        "period_start": "2027-01-01",
        "period_end": "2027-01-31",
        "sessions": "4",
        "people_reached": "30",
        field: value,
    }
    response = client.post(reverse("coproduction:partnership_delivery", args=[delivering.pk]), data)
    assert response.status_code == 400 and not delivering.deliveries.exists()
    page = response.content.decode()
    assert f'href="#id_{field}"' in page
    assert message.split(" must")[0] in page


def test_review_then_each_partner_answers_the_survey(client, member, delivering, editor):
    from coproduction.services import partnership_move

    partnership_move(partnership=delivering, to="reviewing", by=member)
    client.force_login(member)
    page = client.get(reverse("coproduction:partnership", args=[delivering.pk])).content.decode()
    assert "Record a review" in page
    response = client.post(
        reverse("coproduction:partnership_review", args=[delivering.pk]),
        {"held_on": "2027-02-01", "level": "4", "co_design": "on"},
    )
    assert response.status_code == 302
    review = delivering.reviews.get()
    assert review.level == 4 and review.co_design and not review.co_delivery

    answers = {
        "shared_purpose": "4",
        "trust": "5",
        "commitment": "4",
        "clear_arrangements": "4",
        "communication": "4",
        "learning": "4",
    }
    survey = reverse("coproduction:review_survey", args=[delivering.pk, review.pk])
    assert client.post(survey, answers).status_code == 302
    client.force_login(editor)
    assert client.post(survey, {**answers, "trust": "2"}).status_code == 302
    page = client.get(reverse("coproduction:partnership", args=[delivering.pk])).content.decode()
    assert "Yes: answers differ by 3" in page
    assert (
        review.responses.get(respondent=editor).organisation == delivering.groups.get().organisation
    )
    # Once answered, the form is not offered again, and a second answer is refused.
    assert "Send my answers" not in page
    again = client.post(survey, answers)
    assert again.status_code == 400 and "already answered" in again.content.decode()


def test_a_survey_missing_an_answer_names_the_statement(client, member, delivering):
    from coproduction.services import partnership_move, review_record

    partnership_move(partnership=delivering, to="reviewing", by=member)
    review = review_record(partnership=delivering, by=member, held_on="2027-02-01", level=3)
    client.force_login(member)
    response = client.post(
        reverse("coproduction:review_survey", args=[delivering.pk, review.pk]), {"trust": "9"}
    )
    assert response.status_code == 400 and not review.responses.exists()
    page = response.content.decode()
    assert 'href="#id_shared_purpose_0"' in page and 'href="#id_trust_0"' in page


def term_pk(slug):
    return CapabilityTerm.objects.get(slug=slug).pk


def test_a_groups_editor_describes_what_it_can_do(client, editor, organisation):
    client.force_login(editor)
    url = reverse("coproduction:profile", args=[organisation.pk])
    assert client.get(url).status_code == 200
    volunteers = term_pk("people-volunteers")
    response = client.post(
        url,
        {
            "summary": "We knit and natter.",
            "areas_text": "sw17",
            "years_active": "12",
            "terms": [term_pk("asset-kitchen"), term_pk("community-tamil"), volunteers],
            f"count_{volunteers}": "14",
        },
    )
    assert response.status_code == 302
    profile = organisation.capability_profile
    assert profile.areas == ["SW17"] and profile.years_active == 12
    assert sorted(profile.items.values_list("term__name", "count")) == [
        ("Kitchen", None),
        ("Tamil", None),
        ("Volunteers", 14),
    ]
    assert not profile.items.filter(verified_on__isnull=False).exists()


def test_a_moderator_verifies_with_evidence_and_a_new_count_clears_it(
    client, editor, organisation, moderator
):
    from coproduction.services import profile_save

    volunteers = CapabilityTerm.objects.get(slug="people-volunteers")
    profile = profile_save(
        organisation=organisation,
        by=editor,
        summary="",
        areas=[],
        years_active=None,
        terms=[volunteers],
        counts={volunteers.pk: 14},
    )
    item = profile.items.get()
    client.force_login(moderator)
    verify = reverse("coproduction:profile_verify", args=[organisation.pk])
    refused = client.post(verify, {"item": item.pk, "evidence": "  "})
    assert refused.status_code == 400 and "What you saw" in refused.content.decode()
    assert client.post(verify, {"item": item.pk, "evidence": "Rota seen"}).status_code == 302
    item.refresh_from_db()
    assert item.verified and item.verified_by == moderator and item.evidence == "Rota seen"
    # The editor changes the count the moderator checked: it is no longer verified.
    profile_save(
        organisation=organisation,
        by=editor,
        summary="",
        areas=[],
        years_active=None,
        terms=[volunteers],
        counts={volunteers.pk: 40},
    )
    item.refresh_from_db()
    assert not item.verified and item.count == 40


def test_only_editors_and_moderators_reach_a_profile(
    client, organisation, editor, other_organisation
):
    url = reverse("coproduction:profile", args=[organisation.pk])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(make_editor(other_organisation))
    assert client.get(url).status_code == 404
    client.force_login(editor)
    verify = reverse("coproduction:profile_verify", args=[organisation.pk])
    assert client.post(verify, {"item": 1, "evidence": "x"}).status_code == 403


def test_a_profile_with_bad_areas_saves_nothing(client, editor, organisation):
    client.force_login(editor)
    response = client.post(
        reverse("coproduction:profile", args=[organisation.pk]),
        {"summary": HOSTILE, "areas_text": "not a place"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_areas_text"' in page and "<script>alert" not in page
    from coproduction.models import CapabilityProfile

    assert not CapabilityProfile.objects.filter(organisation=organisation).exists()


def test_the_ask_page_credits_the_deprivation_figures(client, member, ask):
    client.force_login(member)
    page = client.get(reverse("coproduction:ask", args=[ask.pk])).content.decode()
    assert "English Indices of Deprivation 2025" in page and "Open Government Licence" in page


def test_a_service_team_member_signs_in_to_coproduction(client, member):
    response = client.post(
        reverse("matching:sign_in"), {"username": "eater", "password": "password"}
    )
    assert response.status_code == 302 and response.url == reverse("coproduction:home")


def test_the_matrix_shows_each_group_against_each_open_ask(client, member, ask, profiled):
    from tests.factories import OrganisationFactory

    far = OrganisationFactory(parent=profiled.get_parent(), title='=HYPERLINK("x")')
    CapabilityProfileFactory(organisation=far)
    AskFactory(team=ask.team, title="Draft ask", status="draft")
    client.force_login(member)
    response = client.get(reverse("coproduction:matrix"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Cooking in SW17" in page and "Draft ask" not in page
    assert page.index(profiled.title) < page.index("HYPERLINK")
    csv = client.get(reverse("coproduction:matrix"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "no-store" in csv["Cache-Control"]
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == f"Group,Cooking in SW17 ({ask.team.name})"
    # The kitchen asked for, verified (50), no communities asked (30), a venue in SW17 (20).
    assert lines[1] == f"{profiled.title},100"
    # A group's name that a spreadsheet would run as a formula is written as text.
    assert lines[2].startswith("\"'=HYPERLINK(")


def test_the_matrix_filters_by_community_and_refuses_a_bad_area(client, member, ask, profiled):
    client.force_login(member)
    tamil = CapabilityTerm.objects.get(slug="community-tamil")
    page = client.get(reverse("coproduction:matrix"), {"community": tamil.pk}).content.decode()
    assert profiled.title not in page and "No community group" in page
    other = client.get(reverse("coproduction:matrix"), {"area": "SW11"}).content.decode()
    assert "No open asks match." in other
    bad = client.get(reverse("coproduction:matrix"), {"area": HOSTILE})
    assert bad.status_code == 400 and 'href="#id_area"' in bad.content.decode()


def test_the_matrix_is_for_teams_and_commissioners(client, member, ask, editor, profiled):
    from coproduction.services import partnership_propose

    partnership_propose(team=ask.team, organisations=[profiled], by=member, title="", ask=ask)
    client.force_login(editor)  # takes part through the partnership, but has no team
    assert client.get(reverse("coproduction:matrix")).status_code == 403
    commissioner = UserFactory()
    commissioner.groups.add(Group.objects.get(name="Commissioners"))
    client.force_login(commissioner)
    assert client.get(reverse("coproduction:matrix")).status_code == 200


@pytest.fixture
def commissioner(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Commissioners"))
    return user


def test_commissioners_see_coverage_and_gaps(client, commissioner, ask, profiled, team):
    far_ask = AskFactory(team=team, title="Memory cafe in SW19", areas=["SW19"])
    far_ask.capabilities.set([CapabilityTerm.objects.get(slug="skill-peer-support")])
    client.force_login(commissioner)
    response = client.get(reverse("coproduction:commissioning"))
    assert response.status_code == 200
    page = response.content.decode()
    # The kitchen in SW17 covers the cooking ask; nobody offers peer support near SW19.
    gaps = page[page.index("Gaps: asks") :]
    assert "Memory cafe in SW19" in gaps and "Cooking in SW17" not in gaps
    csv = client.get(reverse("coproduction:commissioning"), {"format": "csv"})
    rows = csv.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Ask,Team,Service line,Areas,Best fit,Best group"
    assert rows[1].startswith("Memory cafe in SW19,Healthy Eating Team,")
    assert len(rows) == 2 and "no-store" in csv["Cache-Control"]


def test_the_commissioning_page_is_for_commissioners_only(client, member):
    client.force_login(member)
    assert client.get(reverse("coproduction:commissioning")).status_code == 403
