"""Leaders on the network map: only when asked for, only those who have agreed and not
withdrawn, as their display name only, linked to their group."""

import datetime

import pytest

from coproduction.network import metrics, system_graph, to_csv_rows, to_graphml
from coproduction.services import leader_consent_withdraw
from tests.factories.coproduction import GroupLeaderFactory

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


@pytest.fixture
def leaders(organisation, other_organisation):
    return {
        "priya": GroupLeaderFactory(
            organisation=organisation,
            display_name="Priya S.",
            email="priya.private@example.net",
            connects="Tamil families",
            consent_given_on=datetime.date(2026, 2, 3),
        ),
        "james": GroupLeaderFactory(
            organisation=other_organisation,
            display_name="Pastor James",
            consent_given_on=datetime.date(2026, 5, 1),
        ),
        "dev": GroupLeaderFactory(
            organisation=organisation, display_name="Dev R.", consent_given_on=None
        ),
        # Agreed after the day of the map.
        "late": GroupLeaderFactory(
            organisation=organisation,
            display_name="Late L.",
            consent_given_on=datetime.date(2026, 9, 1),
        ),
    }


def leader_nodes(graph):
    return {node: data for node, data in graph.nodes(data=True) if data["kind"] == "leader"}


def test_no_leaders_unless_asked_for(leaders):
    assert leader_nodes(system_graph(on=DAY)) == {}


def test_consented_leaders_are_nodes_with_their_display_name_only(leaders, organisation):
    graph = system_graph(on=DAY, with_leaders=True)
    nodes = leader_nodes(graph)
    priya = f"leader:{leaders['priya'].pk}"
    assert set(nodes) == {priya, f"leader:{leaders['james'].pk}"}
    assert nodes[priya] == {"kind": "leader", "label": "Priya S."}
    edge = graph.edges[priya, f"group:{organisation.pk}"]
    assert edge == {"kinds": ("leader",), "since": "2026-02-03", "derived": False}
    assert graph.degree(priya) == 1


def test_one_who_has_not_agreed_or_agreed_after_the_day_is_left_out(leaders):
    labels = {d["label"] for d in leader_nodes(system_graph(on=DAY, with_leaders=True)).values()}
    assert "Dev R." not in labels and "Late L." not in labels
    later = system_graph(on=datetime.date(2026, 10, 1), with_leaders=True)
    assert "Late L." in {d["label"] for d in leader_nodes(later).values()}


def test_withdrawal_removes_them_from_every_date_at_once(leaders):
    leader_consent_withdraw(leader=leaders["priya"], by=None)
    for day in (DAY, datetime.date(2026, 3, 1), datetime.date(2027, 1, 1)):
        labels = {
            d["label"] for d in leader_nodes(system_graph(on=day, with_leaders=True)).values()
        }
        assert "Priya S." not in labels


def test_an_unpublished_groups_leaders_are_left_out(leaders, organisation):
    organisation.unpublish()
    labels = {d["label"] for d in leader_nodes(system_graph(on=DAY, with_leaders=True)).values()}
    assert labels == {"Pastor James"}


def test_no_address_or_private_detail_in_the_exports(leaders):
    graph = system_graph(on=DAY, with_leaders=True)
    graphml = to_graphml(graph).decode()
    rows = to_csv_rows(graph, metrics(graph))
    csv_text = "\n".join(",".join(map(str, row)) for row in rows)
    for exported in (graphml, csv_text):
        assert "Priya S." in exported
        assert "priya.private@example.net" not in exported
        assert "Tamil families" not in exported
