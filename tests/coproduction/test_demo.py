"""The demo coproduction system `manage.py load_demo` builds on the demo borough."""

import datetime

import pytest
from django.contrib.auth import authenticate

from assets_directory.demo.builder import DemoBuilder, ensure_demo_accounts
from assets_directory.models import Organisation
from coproduction.demo import DEMO_ASKS, DEMO_PARTNERSHIPS, _Builder, ensure_demo_coproduction
from coproduction.models import (
    Ask,
    CapabilityItem,
    CapabilityProfile,
    DeliveryLog,
    GroupLeader,
    GroupLink,
    Partnership,
    PartnershipEvent,
    PrincipleEvidence,
    ReadinessAnswer,
    ReadinessAssessment,
    Review,
    ServiceLine,
    ServiceTeam,
    ServiceTeamMembership,
    SurveyResponse,
)
from coproduction.network import system_graph
from coproduction.selectors import commissioning_overview

pytestmark = pytest.mark.django_db
Status = Partnership.Status
MODELS = (
    ServiceTeam,
    ServiceTeamMembership,
    CapabilityProfile,
    CapabilityItem,
    Ask,
    Partnership,
    PartnershipEvent,
    Review,
    DeliveryLog,
    SurveyResponse,
    GroupLink,
    PrincipleEvidence,
    GroupLeader,
    ReadinessAssessment,
    ReadinessAnswer,
)


@pytest.fixture
def borough(directory):
    # 30 groups cover every theme of the demo content, faith, cultural and peer groups among
    # them; profiles and partnerships need no activities, and without them it is quick.
    DemoBuilder(organisations=30, activities=0).build()
    return ensure_demo_accounts()


@pytest.fixture
def loaded(borough):
    return ensure_demo_coproduction()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_one_team_for_each_service_line_with_a_lead(loaded):
    teams = ServiceTeam.objects.all()
    assert teams.count() == 7
    assert {t.service_line_id for t in teams} == set(
        ServiceLine.objects.values_list("pk", flat=True)
    )
    for team in teams:
        assert team.memberships.filter(role=ServiceTeamMembership.Role.LEAD).exists(), team


def test_the_team_accounts_sign_in_and_are_in_their_teams(loaded):
    usernames = {username: password for _, username, password in loaded}
    assert usernames["teamlead"] == "common-ground-teamlead"
    lead = authenticate(username="teamlead", password="common-ground-teamlead")
    member = authenticate(username="teammember", password=usernames["teammember"])
    assert lead.service_team_memberships.get().role == ServiceTeamMembership.Role.LEAD
    assert lead.service_team_memberships.get().team.service_line.slug == (
        "healthy-cooking-and-eating"
    )
    assert member.service_team_memberships.get().team != lead.service_team_memberships.get().team


def test_25_profiles_with_faith_cultural_and_peer_groups_and_some_items_verified(loaded):
    profiles = CapabilityProfile.objects.select_related("organisation")
    assert profiles.count() == 25
    kinds = {p.organisation.kind for p in profiles}
    assert {Organisation.Kind.FAITH, Organisation.Kind.CULTURAL, Organisation.Kind.PEER} <= kinds
    for profile in profiles:
        assert profile.summary and profile.areas and profile.years_active, profile
        assert profile.items.filter(term__kind__in=("community", "language", "age", "condition"))
        assert profile.items.filter(term__kind="governance").exists()
    verified = CapabilityItem.objects.filter(verified_on__isnull=False)
    assert verified.exists() and CapabilityItem.objects.filter(verified_on__isnull=True).exists()
    assert not verified.filter(evidence="").exists()
    assert CapabilityItem.objects.filter(term__kind="people", count__gt=0).exists()


def test_the_demo_editors_group_has_a_profile_and_a_proposal_waiting_for_it(loaded):
    editor_org = Organisation.objects.order_by("path").first()
    assert CapabilityProfile.objects.filter(organisation=editor_org).exists()
    waiting = Partnership.objects.filter(
        status=Status.PROPOSED,
        groups__organisation=editor_org,
        groups__accepted_at__isnull=True,
    )
    assert waiting.exists()


def test_asks_across_the_teams_some_for_the_most_deprived_fifth(loaded):
    assert Ask.objects.count() == len(DEMO_ASKS) >= 10
    assert Ask.objects.values("team").distinct().count() == 7
    assert Ask.objects.filter(most_deprived_fifth=True, status=Ask.Status.OPEN).exists()
    cooking = Ask.objects.get(title="Healthy cooking sessions for South Asian women in SW17")
    assert {t.name for t in cooking.capabilities.all()} == {"Kitchen", "Cooking"}
    assert {t.name for t in cooking.communities.all()} == {"South Asian", "Women"}


def test_partnerships_at_every_stage_with_their_history_delivery_reviews_and_surveys(loaded):
    assert Partnership.objects.count() == len(DEMO_PARTNERSHIPS) >= 12
    assert set(Partnership.objects.values_list("status", flat=True)) == set(Status.values)
    for partnership in Partnership.objects.exclude(status=Status.PROPOSED):
        moves = [e.to_status for e in partnership.events.filter(kind=PartnershipEvent.Kind.MOVED)]
        assert moves[-1] == partnership.status, partnership
    for partnership in Partnership.objects.filter(status__in=(Status.REVIEWING, Status.SUSTAINED)):
        assert partnership.deliveries.exists() and partnership.reviews.exists(), partnership
    assert set(Review.objects.values_list("level", flat=True)) >= {2, 3, 4, 5}
    for review in Review.objects.all():
        answered = review.responses.count()
        assert answered == 1 + review.partnership.groups.count(), review
    # Some partners see it differently from the team, on purpose.
    assert any(
        len({(r.trust, r.communication) for r in review.responses.all()}) > 1
        for review in Review.objects.all()
    )


def test_running_the_demo_again_changes_nothing_and_returns_the_accounts(loaded):
    before = counts()
    again = ensure_demo_coproduction()
    assert again == loaded
    assert counts() == before


def test_thirty_links_between_profiled_groups_some_ended_the_same_each_time(loaded):
    def links():
        return [
            (link.from_organisation_id, link.to_organisation_id, link.kind, link.started_on)
            for link in GroupLink.objects.order_by("pk")
        ]

    first = links()
    assert len(first) == 30
    profiled = set(CapabilityProfile.objects.values_list("organisation_id", flat=True))
    assert all({a, b} <= profiled for a, b, *_ in first)
    assert len({kind for _, _, kind, _ in first}) >= 3
    assert GroupLink.objects.filter(ended_on__isnull=False).count() == 5
    GroupLink.objects.all().delete()
    builder = _Builder()
    builder._links(builder._chosen())
    assert links() == first


def test_the_demo_network_has_its_links_that_hold_on_the_day(loaded):
    day = datetime.date(2026, 12, 31)
    active = {
        frozenset((f"group:{link.from_organisation_id}", f"group:{link.to_organisation_id}"))
        for link in GroupLink.objects.all()
        if link.active_on(day)
    }
    graph = system_graph(on=day)
    between_groups = {
        frozenset((a, b))
        for a, b in graph.edges
        if a.startswith("group:") and b.startswith("group:")
    }
    # The borough here has no activities, so no shared venues: only the links entered.
    assert between_groups == active
    assert 20 <= len(active) < 30


def test_partnerships_are_spread_over_months_and_several_show_the_principles(loaded):
    months = {(p.created_at.year, p.created_at.month) for p in Partnership.objects.all()}
    assert len(months) >= 6
    for partnership in Partnership.objects.all():
        proposed = partnership.events.get(kind=PartnershipEvent.Kind.PROPOSED)
        assert proposed.at == partnership.created_at
    with_evidence = Partnership.objects.filter(principle_evidence__isnull=False).distinct()
    assert with_evidence.count() >= 5
    assert PrincipleEvidence.objects.values("principle").distinct().count() >= 6
    assert not PrincipleEvidence.objects.filter(recorded_by__isnull=True).exists()


def test_leaders_most_consented_one_not_and_the_map_shows_only_the_consented(loaded):
    leaders = GroupLeader.objects.order_by("pk")
    assert leaders.count() == 6
    assert GroupLeader.objects.consented().count() == 5
    hidden = leaders.get(consent_given_on__isnull=True)
    editor_org = Organisation.objects.order_by("path").first()
    assert leaders.first().organisation == editor_org
    graph = system_graph(on=datetime.date(2026, 12, 31), with_leaders=True)
    shown = {data["label"] for _, data in graph.nodes(data=True) if data["kind"] == "leader"}
    assert len(shown) == 5 and hidden.display_name not in shown


def test_readiness_over_time_one_waiting_for_review_the_same_each_time(loaded):
    assessments = ReadinessAssessment.objects.order_by("submitted_at")
    assert assessments.count() == 4
    waiting = assessments.filter(status=ReadinessAssessment.Status.WAITING)
    assert waiting.count() == 1
    editor_org = Organisation.objects.order_by("path").first()
    assert waiting.get().organisation == editor_org
    assert assessments.filter(organisation=editor_org).count() == 3
    assert all(a.answers.count() == 6 for a in assessments)
    assert [a.submitted_at.date().isoformat() for a in assessments] == [
        "2025-10-06", "2026-04-13", "2026-05-18", "2026-10-05",
    ]  # fmt: skip
    assert ReadinessAnswer.objects.filter(score=1).exists()


def test_an_open_ask_no_group_can_help_with_is_a_gap_in_the_commissioners_report(
    loaded, search_index
):
    # This borough has no activities, so no group is near any ask and others are gaps too; on
    # the full demo (make run) this is the only one.
    gaps = {gap.ask.title for gap in commissioning_overview().gaps}
    assert "Family therapy for Deaf parents, in British Sign Language" in gaps
