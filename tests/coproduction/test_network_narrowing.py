"""Narrowing the network map, on small graphs worked out by hand: by service line, area,
community and kind of node; a focus's neighbourhood; unnamed partnerships; the map in a few
sentences. No database."""

import io

import networkx as nx
import pytest

from coproduction import network
from coproduction.network import (
    hide_labels,
    kind_words,
    metrics,
    narrow,
    neighbourhood,
    node_kinds,
    summary,
    with_measures,
)


def system():
    """Two teams, one partnership each, four groups and a leader:

        memory (Dementia) - p1 - tamil (SW17, Tamil) - somali (SW18, Somali) - p2 - cooking (Diet)
                                   |                                          \\
                                 leader                                        putney (SW15)
        alone (SW17, no links)
    """
    graph = nx.Graph()
    graph.add_node("memory", kind="team", label="Memory Service", service_line="Dementia",
                   areas=("SW17",))  # fmt: skip
    graph.add_node("cooking", kind="team", label="Healthy Eating", service_line="Diet",
                   areas=("SW18",))  # fmt: skip
    graph.add_node("p1", kind="partnership", label="Memory cafe")
    graph.add_node("p2", kind="partnership", label="Cook and eat")
    for node, areas, communities in (
        ("tamil", ("SW17",), ("Tamil",)),
        ("somali", ("SW18",), ("Somali",)),
        ("putney", ("SW15",), ()),
        ("alone", ("SW17",), ()),
    ):
        graph.add_node(node, kind="group", label=node.title(), areas=areas,
                       communities=communities, reaches=communities)  # fmt: skip
    graph.add_node("leader", kind="leader", label="A leader")
    graph.add_edge("memory", "p1", kinds=("partnership",), since="2027-01-01")
    graph.add_edge("p1", "tamil", kinds=("partnership",), since="2027-01-02")
    graph.add_edge("tamil", "somali", kinds=("referrals",), since="2026-05-01")
    graph.add_edge("somali", "p2", kinds=("partnership",), since="2027-02-01")
    graph.add_edge("p2", "cooking", kinds=("partnership",), since="2027-02-01")
    graph.add_edge("somali", "putney", kinds=("shared_venue",), since="")
    graph.add_edge("tamil", "leader", kinds=("leads",), since="")
    return graph


def test_a_service_line_keeps_its_teams_and_their_partnerships_and_every_group():
    graph = system()
    kept = narrow(graph, service_line="Dementia")
    assert set(kept) == {"memory", "p1", "tamil", "somali", "putney", "alone", "leader"}
    assert kept.has_edge("p1", "tamil") and not kept.has_edge("somali", "p2")


def test_an_area_keeps_the_groups_and_teams_serving_it_and_what_still_links_to_them():
    kept = narrow(system(), area="SW17")
    # p1 links to the memory team and Tamil, both in SW17; p2's team and group are elsewhere.
    assert set(kept) == {"memory", "p1", "tamil", "alone", "leader"}


def test_a_community_keeps_the_groups_reaching_it_and_every_team():
    kept = narrow(system(), community="Somali")
    assert {n for n in kept if kept.nodes[n]["kind"] == "group"} == {"somali"}
    assert {"memory", "cooking", "p1", "p2"} <= set(kept)
    # The leader's only group is gone, so the leader goes too.
    assert "leader" not in kept


def test_a_node_of_a_kind_no_filter_speaks_of_stays_while_it_has_no_links_at_all():
    graph = system()
    graph.add_node("lonely", kind="leader", label="On their own")
    assert "lonely" in narrow(graph, community="Tamil")


def test_filters_together_keep_only_what_each_keeps():
    kept = narrow(system(), service_line="Diet", area="SW18")
    assert set(kept) == {"cooking", "p2", "somali"}


def test_kinds_keep_only_the_kinds_asked_for_including_kinds_added_later():
    graph = system()
    assert set(narrow(graph, kinds=["group"])) == {"tamil", "somali", "putney", "alone"}
    assert set(narrow(graph, kinds=["leader", "team"])) == {"leader", "memory", "cooking"}
    assert set(narrow(graph, kinds=[])) == set(graph)  # none ticked: everything


def test_no_filter_keeps_everything_and_narrowing_leaves_the_graph_given_as_it_was():
    graph = system()
    before = (set(graph), set(graph.edges))
    assert set(narrow(graph)) == set(graph)
    narrow(graph, service_line="Diet", area="SW17", community="Tamil", kinds=["group"])
    assert (set(graph), set(graph.edges)) == before


def test_a_filter_nothing_matches_leaves_only_unlinked_nodes_it_does_not_speak_of():
    graph = system()
    kept = narrow(graph, service_line="No such line")
    assert "memory" not in kept and "p1" not in kept and "p2" not in kept
    assert "tamil" in kept  # service lines say nothing of groups


def test_a_focus_shows_its_neighbours_one_or_more_links_away():
    graph = system()
    assert set(neighbourhood(graph, "tamil")) == {"tamil", "p1", "somali", "leader"}
    assert set(neighbourhood(graph, "tamil", steps=2)) == {
        "tamil", "p1", "somali", "leader", "memory", "p2", "putney"
    }  # fmt: skip
    assert set(neighbourhood(graph, "alone")) == {"alone"}


def test_kinds_offered_are_the_known_three_then_any_other_the_graph_holds():
    assert node_kinds(system()) == ["group", "team", "partnership", "leader"]
    assert node_kinds(nx.Graph()) == ["group", "team", "partnership"]


def test_a_kind_the_map_does_not_know_is_said_from_its_name():
    assert kind_words("team") == "service team"
    assert kind_words("group", plural=True) == "community groups"
    assert kind_words("peer_leader", plural=True) == "peer leaders"


def test_a_partnership_one_may_not_open_keeps_its_place_but_not_its_name_or_dates():
    graph = system()
    graph.nodes["p1"]["status"] = "delivering"
    hidden = hide_labels(graph, shown={"p2"})
    assert hidden.nodes["p1"] == {"kind": "partnership", "label": "a partnership"}
    assert hidden.edges["p1", "tamil"]["since"] == "" and hidden.has_edge("memory", "p1")
    assert hidden.nodes["p2"]["label"] == "Cook and eat"
    assert hidden.edges["p2", "cooking"]["since"] == "2027-02-01"
    assert graph.nodes["p1"]["label"] == "Memory cafe"  # the graph given is unchanged
    assert graph.edges["p1", "tamil"]["since"] == "2027-01-02"


def test_no_role_names_a_hidden_partnership():
    """A community is named after its best-linked member when its groups reach no community:
    that member may be a partnership, which must not be named by its title."""
    graph = nx.Graph()
    graph.add_node("p", kind="partnership", label="Secret pilot")
    for n in range(4):
        graph.add_node(n, kind="group", label=f"Group {n}", communities=())
        graph.add_edge("p", n, kinds=("partnership",), since="")
    hidden = hide_labels(graph, shown=set())
    said = network.describe(hidden, metrics(hidden))
    assert not any("Secret" in role for roles in said.values() for role in roles)


def test_the_summary_counts_each_kind_and_says_whether_the_map_is_in_one_piece():
    graph = system()
    lines = summary(graph, metrics(graph))
    assert lines[0] == (
        "4 community groups, 2 service teams, 2 partnerships and 1 leader, with 7 links."
    )
    assert lines[1] == "The map falls into 2 separate parts; the largest holds 8 of the 9."
    assert lines[2] == "1 group has no links: Alone."


def test_a_connected_map_is_said_to_be_in_one_piece_and_an_empty_one_to_match_nothing():
    graph = system()
    graph.remove_node("alone")
    lines = summary(graph, metrics(graph))
    assert lines[1] == "Everything on the map is connected: there is a path from each to each."
    assert not any("no links" in line for line in lines)
    assert summary(nx.Graph(), metrics(nx.Graph())) == ["Nothing on the map matches these filters."]


def test_many_groups_on_their_own_are_named_up_to_five():
    graph = nx.Graph()
    for n in range(7):
        graph.add_node(n, kind="group", label=f"G{n}")
    lines = summary(graph, metrics(graph))
    assert "7 groups have no links: G0, G1, G2, G3, G4 and 2 more." in lines


def test_graphml_of_the_map_carries_each_nodes_measures_and_roles():
    graph = system()
    result = metrics(graph)
    roles = network.describe(graph, result)
    back = nx.read_graphml(io.BytesIO(network.to_graphml(with_measures(graph, result, roles))))
    assert back.nodes["somali"]["degree"] == 3
    assert back.nodes["somali"]["betweenness"] == pytest.approx(result.betweenness["somali"], 1e-5)
    assert back.nodes["alone"]["roles"] == "isolated"
    assert "degree" not in graph.nodes["somali"]  # measured on a copy


def test_a_graph_is_measured_once_and_again_when_anything_it_depends_on_changes():
    graph = system()
    first = network.measure(graph)
    assert network.measure(system()) is first  # the same network, built again
    renamed = system()
    renamed.nodes["putney"]["label"] = "Putney Ramblers"
    assert network.measure(renamed) is not first
    relinked = system()
    relinked.add_edge("alone", "putney", kinds=("referrals",), since="")
    again = network.measure(relinked)
    assert again is not first and again.result.degree["alone"] == 1
    assert again.roles == network.describe(relinked, metrics(relinked))
