"""The network map: the whole system as it was on a date, its measures on graphs worked out by
hand, what they mean in words, and its exports."""

import csv
import datetime
import io

import networkx as nx
import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assets_directory.models import Activity
from coproduction import network
from coproduction.models import CapabilityItem, GroupLink, Partnership, PartnershipEvent
from coproduction.network import describe, metrics, system_graph, to_csv_rows, to_graphml
from coproduction.services import (
    Refused,
    link_end,
    link_record,
    partnership_accept,
    partnership_move,
    partnership_propose,
)
from tests.factories import ActivityFactory, OrganisationFactory, UserFactory, VenueFactory
from tests.factories.coproduction import (
    CapabilityProfileFactory,
    CapabilityTermFactory,
    ServiceTeamFactory,
)

JAN = datetime.date(2027, 1, 15)
FEB = datetime.date(2027, 2, 15)


# The measures, on graphs worked out by hand ----------------------------------------------------


def star():
    return nx.star_graph(4)  # 0 in the middle, 1 to 4 around it


def two_triangles_and_a_bridge():
    """Triangles a1-a2-a3 and b1-b2-b3, joined through x (linked to a1 and b1); z alone."""
    graph = nx.Graph(
        [
            ("a1", "a2"),
            ("a2", "a3"),
            ("a1", "a3"),
            ("b1", "b2"),
            ("b2", "b3"),
            ("b1", "b3"),
            ("x", "a1"),
            ("x", "b1"),
        ]
    )
    graph.add_node("z")
    for node in graph:
        graph.nodes[node].update(kind="group", label=f"Group {node}", communities=())
    for node in ("a1", "a2", "a3"):
        graph.nodes[node]["communities"] = ("Tamil",)
    for node in ("b1", "b2", "b3"):
        graph.nodes[node]["communities"] = ("Somali",)
    return graph


def test_a_stars_middle_has_every_link_and_every_path():
    result = metrics(star())
    assert result.degree == {0: 4, 1: 1, 2: 1, 3: 1, 4: 1}
    # All 6 pairs of leaves go through the middle: 6 of the 6 pairs it could be between.
    assert result.betweenness[0] == pytest.approx(1.0)
    assert result.betweenness[1] == 0
    # The middle is 1 step from each of 4; a leaf is 1 + 2 + 2 + 2 = 7 steps from the others.
    assert result.closeness[0] == pytest.approx(1.0)
    assert result.closeness[1] == pytest.approx(4 / 7)


def test_on_a_path_the_inner_nodes_carry_two_of_the_three_pairs_around_them():
    result = metrics(nx.path_graph(["a", "b", "c", "d"]))
    # b is between a-c and a-d: 2 of the 3 pairs that do not include it.
    assert result.betweenness == pytest.approx({"a": 0, "b": 2 / 3, "c": 2 / 3, "d": 0})
    assert result.closeness["a"] == pytest.approx(3 / 6)
    assert result.closeness["b"] == pytest.approx(3 / 4)
    assert result.sampled_sources is None


def test_the_bridge_between_two_triangles_is_the_broker_and_carries_the_most_paths():
    graph = two_triangles_and_a_bridge()
    result = metrics(graph)
    # x is on the 9 paths from an a to a b; a1 on the 8 from a2 or a3 to x and the bs; of
    # the 7 x 6 / 2 = 21 pairs of the other nodes.
    assert result.betweenness["x"] == pytest.approx(9 / 21)
    assert result.betweenness["a1"] == pytest.approx(8 / 21)
    assert result.betweenness["a2"] == 0
    assert result.brokers == ["x"]
    assert result.component["a1"] == result.component["b3"] != result.component["z"]
    assert result.community["a2"] != result.community["b2"]
    assert set(nx.articulation_points(graph)) == {"a1", "x", "b1"}


def test_betweenness_and_closeness_are_networkxs_when_exact():
    graph = nx.gnm_random_graph(40, 80, seed=3)
    graph.add_node(99)  # and one on its own
    result = metrics(graph)
    assert result.betweenness == pytest.approx(nx.betweenness_centrality(graph))
    assert result.closeness == pytest.approx(nx.closeness_centrality(graph))


def test_a_large_network_is_estimated_from_a_sample_the_same_each_time():
    graph = nx.gnm_random_graph(1_000, 5_000, seed=3)
    first, second = metrics(graph), metrics(graph)
    assert first.sampled_sources is not None and first.sampled_sources < 1_000
    assert first.betweenness == second.betweenness
    assert first.community == second.community
    exact = nx.betweenness_centrality(graph)
    top = max(exact, key=exact.get)
    assert first.betweenness[top] == pytest.approx(exact[top], rel=0.5)


# In words ---------------------------------------------------------------------------------------


def test_the_bridge_is_named_a_broker_between_the_communities_its_groups_reach():
    graph = two_triangles_and_a_bridge()
    roles = describe(graph, metrics(graph))
    assert roles["x"] == ["broker between the Tamil and Somali community groups"]
    assert roles["z"] == ["isolated"]
    assert roles["a2"] == []


def test_a_community_whose_groups_reach_no_community_is_named_after_its_best_linked_group():
    graph = two_triangles_and_a_bridge()
    for node in ("b1", "b2", "b3"):
        graph.nodes[node]["communities"] = ()
    roles = describe(graph, metrics(graph))
    assert roles["x"] == [
        "broker between the Tamil community groups and the groups around Group b1"
    ]


def test_the_middle_of_a_star_is_a_connector_and_its_leaves_are_not():
    roles = describe(star(), metrics(star()))
    assert roles[0] == ["connector"]
    assert roles[1] == []


def reached_through_one_group():
    """The team's one partnership is with Tooting Tamil Women; two groups link only to it."""
    graph = nx.Graph()
    graph.add_node("team", kind="team", label="Memory Assessment Service")
    graph.add_node("p", kind="partnership", label="Memory cafe")
    for node in ("ttw", "g2", "g3"):
        graph.add_node(node, kind="group", label=node, communities=())
    graph.nodes["ttw"]["label"] = "Tooting Tamil Women"
    graph.add_edges_from([("team", "p"), ("p", "ttw"), ("ttw", "g2"), ("ttw", "g3")])
    return graph


def test_groups_that_reach_a_team_only_through_one_group_are_counted_on_that_group():
    graph = reached_through_one_group()
    roles = describe(graph, metrics(graph))
    assert (
        "2 groups reach the Memory Assessment Service only through Tooting Tamil Women"
        in (roles["ttw"])
    )


def test_a_group_with_its_own_way_to_the_team_does_not_depend_on_the_other():
    graph = reached_through_one_group()
    graph.add_node("p2", kind="partnership", label="Another")
    graph.add_edges_from([("team", "p2"), ("p2", "g2")])
    roles = describe(graph, metrics(graph))
    # Only g3 depends on Tooting Tamil Women now: one group is not said.
    assert not any("only through" in role for role in roles["ttw"])
    assert network.only_through(graph)[("ttw", "team")] == 1


# Export -----------------------------------------------------------------------------------------


def test_the_csv_has_a_row_per_node_with_its_measures_and_roles():
    graph = two_triangles_and_a_bridge()
    result = metrics(graph)
    rows = to_csv_rows(graph, result, describe(graph, result))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(read) == 8
    x = next(row for row in read if row["node"] == "x")
    assert x["degree"] == "2" and x["broker"] == "yes"
    assert float(x["betweenness"]) == pytest.approx(9 / 21, abs=1e-6)
    assert x["roles"] == "broker between the Tamil and Somali community groups"


def test_graphml_reads_back_with_its_attributes():
    graph = two_triangles_and_a_bridge()
    graph.edges["x", "a1"].update(kinds=("shared_members", "shared_venue"), since="2027-01-01")
    back = nx.read_graphml(io.BytesIO(to_graphml(graph)))
    assert back.number_of_nodes() == 8 and back.number_of_edges() == 8
    assert back.nodes["a1"]["communities"] == "Tamil"
    assert back.nodes["a1"]["kind"] == "group"
    assert back.edges["x", "a1"]["kinds"] == "shared_members; shared_venue"


# The system as it was on a date -----------------------------------------------------------------


@pytest.fixture
def groups(directory):
    return [OrganisationFactory(parent=directory, title=t) for t in ("Alpha", "Beta", "Gamma")]


def gid(organisation):
    return f"group:{organisation.pk}"


@pytest.mark.django_db
def test_a_link_is_on_the_map_from_its_start_until_its_end(groups):
    alpha, beta, _ = groups
    GroupLink.objects.create(
        from_organisation=alpha,
        to_organisation=beta,
        kind=GroupLink.Kind.REFERRALS,
        started_on=FEB,
        ended_on=datetime.date(2027, 3, 1),
    )
    assert not system_graph(on=JAN).has_edge(gid(alpha), gid(beta))
    on_start = system_graph(on=FEB)
    assert on_start.edges[gid(alpha), gid(beta)]["kinds"] == ("referrals",)
    assert on_start.edges[gid(alpha), gid(beta)]["since"] == "2027-02-15"
    assert not system_graph(on=datetime.date(2027, 3, 2)).has_edge(gid(alpha), gid(beta))


@pytest.mark.django_db
def test_groups_whose_activities_meet_at_one_venue_are_linked_and_others_are_not(
    groups, django_assert_max_num_queries
):
    alpha, beta, gamma = groups
    hall = VenueFactory()
    ActivityFactory(parent=alpha, venue=hall)
    ActivityFactory(parent=beta, venue=hall)
    ActivityFactory(parent=gamma)  # somewhere else
    today = timezone.localdate()
    with django_assert_max_num_queries(8):
        graph = system_graph(on=today)
    assert graph.edges[gid(alpha), gid(beta)]["kinds"] == ("shared_venue",)
    assert graph.edges[gid(alpha), gid(beta)]["derived"] is True
    assert graph.degree(gid(gamma)) == 0
    assert graph.nodes[gid(gamma)]["label"] == "Gamma"


@pytest.mark.django_db
def test_a_shared_venue_links_two_groups_from_when_the_second_began_meeting_there(groups):
    alpha, beta, _ = groups
    hall = VenueFactory()
    first = ActivityFactory(parent=alpha, venue=hall)
    second = ActivityFactory(parent=beta, venue=hall)
    Activity.objects.filter(pk=first.pk).update(first_published_at=aware(JAN))
    Activity.objects.filter(pk=second.pk).update(first_published_at=aware(FEB))
    assert not system_graph(on=JAN).has_edge(gid(alpha), gid(beta))
    assert system_graph(on=FEB).edges[gid(alpha), gid(beta)]["since"] == "2027-02-15"


@pytest.mark.django_db
def test_an_ended_activity_shares_no_venue(groups):
    alpha, beta, _ = groups
    hall = VenueFactory()
    ActivityFactory(parent=alpha, venue=hall)
    ActivityFactory(parent=beta, venue=hall, status="ended")
    assert not system_graph(on=timezone.localdate()).has_edge(gid(alpha), gid(beta))


@pytest.mark.django_db
def test_a_groups_node_says_the_communities_it_reaches(groups):
    alpha = groups[0]
    profile = CapabilityProfileFactory(organisation=alpha)
    tamil = CapabilityTermFactory(kind="community", name="Tamil")
    urdu = CapabilityTermFactory(kind="language", name="Urdu")
    kitchen = CapabilityTermFactory(kind="asset", name="Kitchen")
    for term in (tamil, urdu, kitchen):
        CapabilityItem.objects.create(profile=profile, term=term)
    node = system_graph(on=timezone.localdate()).nodes[gid(alpha)]
    assert node["communities"] == ("Tamil",)
    assert set(node["reaches"]) == {"Tamil", "Urdu"}


def partnership_with(groups, by):
    team = ServiceTeamFactory(name="Memory Assessment Service")
    partnership = partnership_propose(team=team, organisations=groups, by=by, title="Memory cafe")
    for group in groups:
        partnership_accept(partnership=partnership, organisation=group, by=by)
    return partnership


def aware(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.mark.django_db
def test_a_partnership_links_its_team_and_groups_until_it_closes(groups):
    lead = UserFactory()
    partnership = partnership_with(groups[:2], lead)
    partnership_move(partnership=partnership, to=Partnership.Status.CLOSED, by=lead, note="Done")
    Partnership.objects.filter(pk=partnership.pk).update(created_at=aware(JAN))
    partnership.groups.update(accepted_at=aware(JAN))
    PartnershipEvent.objects.filter(partnership=partnership, to_status="closed").update(
        at=aware(FEB)
    )
    node = f"partnership:{partnership.pk}"
    team = f"team:{partnership.team_id}"

    while_open = system_graph(on=JAN)
    assert while_open.has_edge(team, node)
    assert while_open.has_edge(node, gid(groups[0])) and while_open.has_edge(node, gid(groups[1]))
    assert while_open.nodes[team]["label"] == "Memory Assessment Service"
    assert system_graph(on=FEB).has_node(node)  # closed that day: still there that day
    after = system_graph(on=FEB + datetime.timedelta(days=1))
    assert not after.has_node(node)
    assert after.has_node(team)  # the team stays on the map, without it
    assert not system_graph(on=JAN - datetime.timedelta(days=1)).has_node(node)


@pytest.mark.django_db
def test_a_group_that_has_not_accepted_is_not_linked_to_the_partnership(groups):
    lead = UserFactory()
    team = ServiceTeamFactory()
    partnership = partnership_propose(team=team, organisations=groups[:2], by=lead, title="Cafe")
    partnership_accept(partnership=partnership, organisation=groups[0], by=lead)
    graph = system_graph(on=timezone.localdate())
    node = f"partnership:{partnership.pk}"
    assert graph.has_edge(node, gid(groups[0]))
    assert not graph.has_edge(node, gid(groups[1]))


@pytest.mark.django_db
def test_the_map_of_a_real_system_exports_to_graphml(groups):
    alpha, beta, _ = groups
    link_record(
        from_organisation=alpha,
        to_organisation=beta,
        kind=GroupLink.Kind.SHARED_MEMBERS,
        started_on=timezone.localdate(),
        by=None,
    )
    partnership_with(groups[:1], UserFactory())
    graph = system_graph(on=timezone.localdate())
    back = nx.read_graphml(io.BytesIO(to_graphml(graph)))
    assert set(back.nodes) == set(graph.nodes)
    assert back.edges[gid(alpha), gid(beta)]["kinds"] == "shared_members"


# Links between groups ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_group_cannot_be_linked_to_itself(groups):
    alpha = groups[0]
    with pytest.raises(Refused, match="cannot be linked to itself"):
        link_record(
            from_organisation=alpha, to_organisation=alpha, kind="other", started_on=JAN, by=None
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupLink.objects.create(
            from_organisation=alpha, to_organisation=alpha, kind="other", started_on=JAN
        )


@pytest.mark.django_db
def test_a_link_cannot_end_before_it_starts(groups):
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupLink.objects.create(
            from_organisation=groups[0],
            to_organisation=groups[1],
            kind="other",
            started_on=FEB,
            ended_on=JAN,
        )


@pytest.mark.django_db
def test_the_same_link_from_the_same_day_is_kept_once(groups):
    alpha, beta, _ = groups
    link = {"from_organisation": alpha, "to_organisation": beta, "kind": "referrals"}
    link_record(**link, started_on=JAN, by=None, note="  They send us carers  ")
    assert GroupLink.objects.get().note == "They send us carers"
    with pytest.raises(Refused, match="already recorded"):
        link_record(**link, started_on=JAN, by=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupLink.objects.create(**link, started_on=JAN)
    # Again later: refused while the first lasts, recorded once it has ended.
    with pytest.raises(Refused, match="already recorded"):
        link_record(**link, started_on=FEB, by=None)
    link_end(link=GroupLink.objects.get(), ended_on=JAN, by=None)
    link_record(**link, started_on=FEB, by=None)
    assert GroupLink.objects.count() == 2
