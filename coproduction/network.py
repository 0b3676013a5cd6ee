"""The whole-system network map: groups, service teams and partnerships, and the links between
them, as they were on a date; its measures; and what they mean, in words.

`system_graph` reads the database. Everything else takes a `networkx.Graph` and never touches
the database, so the measures can be tested on small graphs worked out by hand and timed on
large random ones (bench/network_bench.py).

Nodes are "group:<organisation pk>", "team:<service team pk>" and "partnership:<pk>", each
with `kind` ("group", "team", "partnership") and `label`; a group also has `communities` (the
names of the "community reached" terms of its capability profile) and `reaches` (every term it
reaches: communities, languages, ages, conditions); a team has `service_line`. Edges have
`kinds` (each way the two are linked, such as "shared_members" or "shared_venue"), `since`
(the earliest date one of them holds from, ISO) and `derived` (true when read from the data,
false when a group or a moderator entered it).

Leaders appear only when asked for (`with_leaders`), and only those who have agreed to be shown
and have not withdrawn (`GroupLeader.objects.consented()`): a node "leader:<pk>" of kind
"leader" with their display name as its label and nothing else about them, linked to their
group (kind "leader", since the day they agreed). A leader who has withdrawn is left out of
every date's map, past ones included: withdrawing hides them at once.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import math
import random
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

import networkx as nx
from django.db.models import Q
from django.utils import timezone

from assets_directory.models import Organisation
from assets_directory.selectors import organisation_venues

from .models import (
    CapabilityItem,
    CapabilityTerm,
    GroupLeader,
    GroupLink,
    Partnership,
    PartnershipEvent,
    PartnershipGroup,
    ServiceTeam,
)

GROUP, TEAM, PARTNERSHIP, LEADER = "group", "team", "partnership", "leader"
SHARED_VENUE = "shared_venue"
IN_PARTNERSHIP = "partnership"

# Louvain's communities depend on the order it visits nodes: a fixed seed gives the same
# communities for the same graph, so the map does not reshuffle on every reload.
SEED = 15
# Louvain stops when a pass gains less modularity than this: networkx's default (1e-7) spends
# a third more time for the same communities on the bench's 2,000 nodes.
LOUVAIN_THRESHOLD = 1e-3
# Betweenness and closeness need a breadth-first search from every node: about 10 s in Python
# for 2,000 nodes and 10,000 edges, five times the target. A search costs about nodes + edges;
# when every node's search would cost more than this budget, they are estimated from as many
# sources as the budget pays for (150 at that size, never fewer than 50), chosen with the
# fixed seed (Brandes and Pich 2007; Eppstein and Wang 2004). That keeps metrics() and
# describe() within 2 s there (bench/network_bench.py); smaller systems get exact figures.
SEARCH_BUDGET = 150 * (2_000 + 10_000)
MIN_SOURCES = 50


def node_id(kind: str, pk: int) -> str:
    return f"{kind}:{pk}"


def _day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of `day` in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _day_end(day: datetime.date) -> datetime.datetime:
    """The last moment of `day` in the site's time zone: what existed "on" the day."""
    return _day_start(day + datetime.timedelta(days=1)) - datetime.timedelta(microseconds=1)


def _link(graph: nx.Graph, a: str, b: str, *, kind: str, since, derived: bool) -> None:
    since = since.isoformat() if since else ""
    if graph.has_edge(a, b):
        data = graph.edges[a, b]
        if kind not in data["kinds"]:
            data["kinds"] = (*data["kinds"], kind)
        if since and (not data["since"] or since < data["since"]):
            data["since"] = since
        data["derived"] = data["derived"] and derived
    else:
        graph.add_edge(a, b, kinds=(kind,), since=since, derived=derived)


def system_graph(*, on: datetime.date, with_leaders: bool = False) -> nx.Graph:
    """The whole system as it was on `on` (a date), in a fixed number of queries.

    - every live group published by then;
    - links entered by groups and moderators that hold on the day (started on or before it,
      not ended before it);
    - two groups whose current activities meet at the same venue (activities published by
      then, dated from when the second began there: the directory keeps no history of venues,
      so an activity that has moved counts where it is now);
    - each partnership made by then, unless it closed before the day: its team to it, and it
      to each group that had accepted by then (a group that has not accepted is not linked);
    - with_leaders: each consented leader of a group on the map who had agreed by then.
    """
    end = _day_end(on)
    graph = nx.Graph()

    published = Q(first_published_at__isnull=True) | Q(first_published_at__lte=end)
    groups = dict(
        Organisation.objects.live().filter(published).values_list("pk", "title").order_by("pk")
    )
    for pk, title in groups.items():
        graph.add_node(node_id(GROUP, pk), kind=GROUP, label=title, communities=(), reaches=())
    reach = CapabilityItem.objects.filter(
        profile__organisation_id__in=list(groups), term__kind__in=CapabilityTerm.REACH_KINDS
    ).values_list("profile__organisation_id", "term__kind", "term__name")
    for pk, kind, name in reach.order_by("term__kind", "term__name"):
        data = graph.nodes[node_id(GROUP, pk)]
        data["reaches"] = (*data["reaches"], name)
        if kind == CapabilityTerm.Kind.COMMUNITY:
            data["communities"] = (*data["communities"], name)

    links = GroupLink.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=on),
        started_on__lte=on,
        from_organisation_id__in=list(groups),
        to_organisation_id__in=list(groups),
    ).values_list("from_organisation_id", "to_organisation_id", "kind", "started_on")
    for a, b, kind, started_on in links:
        _link(
            graph,
            node_id(GROUP, a),
            node_id(GROUP, b),
            kind=kind,
            since=started_on,
            derived=False,
        )

    by_venue: dict[int, list[tuple[int, datetime.datetime | None]]] = {}
    for pk, venues in organisation_venues(published_by=end).items():
        if pk in groups:
            for venue, published in venues.items():
                by_venue.setdefault(venue, []).append((pk, published))
    for members in by_venue.values():
        members.sort(key=lambda member: member[0])
        for i, (a, a_since) in enumerate(members):
            for b, b_since in members[i + 1 :]:
                # They share the venue from when the second of them began meeting there.
                known = [d for d in (a_since, b_since) if d is not None]
                _link(
                    graph,
                    node_id(GROUP, a),
                    node_id(GROUP, b),
                    kind=SHARED_VENUE,
                    since=timezone.localdate(max(known)) if known else None,
                    derived=True,
                )

    _add_partnerships(graph, on=on, end=end, groups=groups)
    if with_leaders:
        _add_leaders(graph, on=on, groups=groups)
    return graph


def _add_leaders(graph: nx.Graph, *, on, groups) -> None:
    leaders = (
        GroupLeader.objects.consented()
        .filter(consent_given_on__lte=on, organisation_id__in=list(groups))
        .values_list("pk", "display_name", "organisation_id", "consent_given_on")
        .order_by("pk")
    )
    for pk, name, organisation_id, agreed_on in leaders:
        node = node_id(LEADER, pk)
        graph.add_node(node, kind=LEADER, label=name)
        graph.add_edge(
            node,
            node_id(GROUP, organisation_id),
            kinds=(LEADER,),
            since=agreed_on.isoformat(),
            derived=False,
        )


def _add_partnerships(graph: nx.Graph, *, on, end, groups) -> None:
    closed_before = PartnershipEvent.objects.filter(
        to_status=Partnership.Status.CLOSED, at__lt=_day_start(on)
    ).values("partnership_id")
    partnerships = (
        Partnership.objects.filter(created_at__lte=end)
        .exclude(pk__in=closed_before)
        .values_list("pk", "title", "team_id", "created_at")
    )
    kept = []
    for pk, title, team_id, created_at in partnerships:
        node = node_id(PARTNERSHIP, pk)
        graph.add_node(node, kind=PARTNERSHIP, label=title)
        kept.append(pk)
        graph.add_edge(
            node_id(TEAM, team_id),
            node,
            kinds=(IN_PARTNERSHIP,),
            since=timezone.localdate(created_at).isoformat(),
            derived=True,
        )
    # Every team is on the map, with or without partnerships.
    for pk, name, line in ServiceTeam.objects.values_list("pk", "name", "service_line__name"):
        graph.add_node(node_id(TEAM, pk), kind=TEAM, label=name, service_line=line)
    members = PartnershipGroup.objects.filter(
        partnership_id__in=kept,
        accepted_at__lte=end,
        organisation_id__in=list(groups),
    ).values_list("partnership_id", "organisation_id", "accepted_at")
    for partnership_id, organisation_id, accepted_at in members:
        graph.add_edge(
            node_id(PARTNERSHIP, partnership_id),
            node_id(GROUP, organisation_id),
            kinds=(IN_PARTNERSHIP,),
            since=timezone.localdate(accepted_at).isoformat(),
            derived=True,
        )


# The measures ---------------------------------------------------------------------------------


@dataclass
class NetworkMetrics:
    """Each measure by node. `brokerage` holds, for a broker, the communities it links (most
    links first); it is empty for every other node."""

    degree: dict = field(default_factory=dict)
    betweenness: dict = field(default_factory=dict)
    closeness: dict = field(default_factory=dict)
    component: dict = field(default_factory=dict)
    community: dict = field(default_factory=dict)
    brokerage: dict = field(default_factory=dict)
    # How many sources betweenness and closeness were estimated from; None when exact.
    sampled_sources: int | None = None

    @property
    def brokers(self) -> list:
        return sorted(n for n, between in self.brokerage.items() if between)


def _numbered(groups_of_nodes) -> dict:
    """{node: number}, the largest set first (ties by their first node), so numbers are stable."""
    ordered = sorted((sorted(map(str, g)), g) for g in groups_of_nodes)
    ordered.sort(key=lambda pair: -len(pair[1]))
    return {node: i for i, (_, members) in enumerate(ordered) for node in members}


def _paths(graph: nx.Graph, sources: list) -> tuple[list, list, list, list]:
    """One breadth-first search from each source: the betweenness dependencies (Brandes 2001)
    and, for closeness, each node's distances from the sources. Nodes are numbered and their
    neighbours kept in lists, which is faster than networkx's own loops over dicts."""
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    neighbours = [[index[m] for m in graph[n]] for n in nodes]
    n = len(nodes)
    between = [0.0] * n
    distance_sum = [0] * n
    reached_by = [0] * n
    for source in (index[s] for s in sources):
        dist = [-1] * n
        sigma = [0] * n
        dist[source] = 0
        sigma[source] = 1
        order = [source]
        i = 0
        while i < len(order):  # the list is the queue: it ends in breadth-first order
            v = order[i]
            i += 1
            dv = dist[v] + 1
            sv = sigma[v]
            for w in neighbours[v]:
                dw = dist[w]
                if dw < 0:
                    dist[w] = dv
                    sigma[w] = sv
                    order.append(w)
                elif dw == dv:
                    sigma[w] += sv
        delta = [0.0] * n
        for w in reversed(order):
            # The predecessors of w are its neighbours one step nearer the source.
            before = dist[w] - 1
            share = (1.0 + delta[w]) / sigma[w]
            for v in neighbours[w]:
                if dist[v] == before:
                    delta[v] += sigma[v] * share
            between[w] += delta[w]
            distance_sum[w] += before + 1
            reached_by[w] += 1
        # The source is no node's go-between for its own paths, nor reached from itself.
        between[source] -= delta[source]
        reached_by[source] -= 1
    return nodes, between, distance_sum, reached_by


def metrics(graph: nx.Graph) -> NetworkMetrics:
    """Degree; betweenness (normalised, as networkx's betweenness_centrality); closeness (as
    networkx's closeness_centrality, scaled for the part of the network a node reaches);
    connected component and Louvain community (numbered largest first); brokerage."""
    n = graph.number_of_nodes()
    result = NetworkMetrics(degree=dict(graph.degree()))
    if n == 0:
        return result

    ordered = sorted(graph, key=str)
    size = n + graph.number_of_edges()
    if n * size <= SEARCH_BUDGET:
        sources = ordered
    else:
        k = min(n, max(MIN_SOURCES, SEARCH_BUDGET // size))
        sources = random.Random(SEED).sample(ordered, k)
        result.sampled_sources = k
    is_source = set(sources)
    nodes, between, distance_sum, reached_by = _paths(graph, sources)
    # Each pair is counted from both ends in an undirected graph; networkx's normalisation
    # divides by the (n-1)(n-2) ordered pairs, scaled up when only some sources were used.
    scale = (1.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0) * (n / len(sources))
    for i, node in enumerate(nodes):
        result.betweenness[node] = between[i] * scale
        # Closeness: the share of the other sources that reach the node, over the mean
        # distance to them (Wasserman and Faust); exact when every node is a source.
        others = len(sources) - (node in is_source)
        reached = reached_by[i]
        result.closeness[node] = (
            (reached / distance_sum[i]) * (reached / others) if distance_sum[i] and others else 0.0
        )

    result.component = _numbered(nx.connected_components(graph))
    result.community = _numbered(
        nx.community.louvain_communities(graph, seed=SEED, threshold=LOUVAIN_THRESHOLD)
    )
    for node in graph:
        result.brokerage[node] = _bridged(graph, node, result.community)
    return result


def _bridged(graph: nx.Graph, node, community: dict) -> tuple[int, ...]:
    """The communities a broker links, most links first; () for a node that is not a broker.

    A broker has links into two or more communities and no more than half of its links in any
    one of them. Its own community counts among them: community detection puts a node that
    joins two groups of groups into one of the two, so "neighbours in two communities other
    than its own" would miss the plainest bridge. Half rather than "any link outside": a
    group with one link across the border is at the edge of its community, not a broker.
    """
    counts = Counter(community[m] for m in graph[node])
    degree = sum(counts.values())
    if len(counts) < 2 or max(counts.values()) * 2 > degree:
        return ()
    return tuple(c for c, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# What the measures mean, in words ---------------------------------------------------------------


def community_names(graph: nx.Graph, result: NetworkMetrics) -> dict[int, str]:
    """{community: how to name it}: "Tamil community groups" after the community most of its
    groups reach (no two communities named alike), else "groups around <its best-linked
    member>"."""
    members: dict[int, list] = {}
    for node, c in result.community.items():
        members.setdefault(c, []).append(node)
    names, used = {}, set()
    for c in sorted(members, key=lambda c: (-len(members[c]), c)):
        terms = Counter(
            term
            for node in members[c]
            if graph.nodes[node].get("kind") == GROUP
            for term in graph.nodes[node].get("communities") or ()
        )
        ranked = sorted(terms.items(), key=lambda item: (-item[1], item[0]))
        term = next((t for t, _ in ranked if t not in used), None)
        if term:
            used.add(term)
            names[c] = f"{term} community groups"
        else:
            best = min(members[c], key=lambda node: (-result.degree[node], _label(graph, node)))
            names[c] = f"groups around {_label(graph, best)}"
    return names


def _label(graph: nx.Graph, node) -> str:
    return str(graph.nodes[node].get("label") or node)


def _between(names: list[str]) -> str:
    """ "the Tamil and Somali community groups"; "the Tamil community groups and the groups
    around X"."""
    suffix = " community groups"
    if all(name.endswith(suffix) for name in names):
        short = [name[: -len(suffix)] for name in names]
        return "the " + _and(short) + suffix
    return _and([f"the {name}" for name in names])


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def connector_threshold(result: NetworkMetrics) -> int:
    """The lowest degree in the top tenth of nodes (at least 3): a connector reaches it."""
    degrees = sorted(result.degree.values(), reverse=True)
    if not degrees:
        return 3
    return max(3, degrees[max(0, math.ceil(len(degrees) / 10) - 1)])


def only_through(graph: nx.Graph) -> dict:
    """{(group node, team node): how many groups reach the team only through that group}.

    A group reaches a team only through another group when every path between them passes
    through that group: the group is a cut vertex between them. The block-cut tree of the
    graph (its biconnected blocks joined at cut vertices) is rooted at each team; the groups
    below a cut vertex are those that reach the team only through it. Only groups are named
    as the one in the way: a partnership always stands between its team and its groups.
    """
    blocks = list(nx.biconnected_components(graph))
    block_of: dict = {}
    in_blocks: dict = {}
    for i, block in enumerate(blocks):
        for node in block:
            in_blocks.setdefault(node, []).append(i)
    cut = {node for node, bs in in_blocks.items() if len(bs) > 1}
    for node, bs in in_blocks.items():
        if node not in cut:
            block_of[node] = bs[0]
    # Tree nodes: ("b", block) and ("c", cut vertex). Each block owns its members that are not
    # cut vertices; each cut vertex owns itself.
    tree: dict = {}
    for i, block in enumerate(blocks):
        for node in block:
            if node in cut:
                tree.setdefault(("b", i), []).append(("c", node))
                tree.setdefault(("c", node), []).append(("b", i))
    owned_groups = Counter()
    for node, i in block_of.items():
        if graph.nodes[node].get("kind") == GROUP:
            owned_groups[("b", i)] += 1
    for node in cut:
        if graph.nodes[node].get("kind") == GROUP:
            owned_groups[("c", node)] += 1

    found = {}
    for team, kind in graph.nodes(data="kind"):
        if kind != TEAM or team not in in_blocks:
            continue
        root = ("c", team) if team in cut else ("b", block_of[team])
        parent = {root: None}
        order = [root]
        for here in order:
            for there in tree.get(here, ()):
                if there not in parent:
                    parent[there] = here
                    order.append(there)
        below = Counter()
        for here in reversed(order):
            below[here] += owned_groups[here]
            if parent[here] is not None:
                below[parent[here]] += below[here]
        for here in order:
            if here[0] == "c" and here[1] != team and graph.nodes[here[1]].get("kind") == GROUP:
                count = below[here] - 1  # not the group itself
                if count:
                    found[(here[1], team)] = count
    return found


def describe(graph: nx.Graph, result: NetworkMetrics) -> dict:
    """{node: what its place in the network means, in plain English}.

    - "isolated": no links at all;
    - "connector": among the tenth of nodes with most links, and at least 3 links;
    - "broker between the Tamil and Somali community groups": see `_bridged`;
    - "3 groups reach the Memory Assessment Service only through Tooting Tamil Women": see
      `only_through`; said when two or more groups depend on the one group for that team.
    """
    names = community_names(graph, result)
    threshold = connector_threshold(result)
    roles: dict = {node: [] for node in graph}
    for node in graph:
        degree = result.degree[node]
        if degree == 0:
            roles[node].append("isolated")
        elif degree >= threshold:
            roles[node].append("connector")
        between = result.brokerage.get(node)
        if between:
            roles[node].append("broker between " + _between([names[c] for c in between]))
    for (group, team), count in sorted(
        only_through(graph).items(), key=lambda item: (-item[1], str(item[0]))
    ):
        if count >= 2:
            roles[group].append(
                f"{count} groups reach the {_label(graph, team)} only through "
                f"{_label(graph, group)}"
            )
    return roles


# Export ---------------------------------------------------------------------------------------

CSV_HEADER = [
    "node",
    "kind",
    "label",
    "degree",
    "betweenness",
    "closeness",
    "component",
    "community",
    "broker",
    "roles",
]


def to_csv_rows(graph: nx.Graph, result: NetworkMetrics, roles: dict | None = None) -> list[list]:
    """The header and one row per node with its measures (and its roles, when given)."""
    rows = [list(CSV_HEADER)]
    for node in sorted(graph, key=str):
        data = graph.nodes[node]
        rows.append(
            [
                str(node),
                data.get("kind", ""),
                _label(graph, node),
                result.degree.get(node, 0),
                round(result.betweenness.get(node, 0.0), 6),
                round(result.closeness.get(node, 0.0), 6),
                result.component.get(node, ""),
                result.community.get(node, ""),
                "yes" if result.brokerage.get(node) else "no",
                "; ".join((roles or {}).get(node, ())),
            ]
        )
    return rows


def _safe(value):
    """A value GraphML can hold: str, int, float or bool; lists joined with "; "."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def to_graphml(graph: nx.Graph) -> bytes:
    """The graph as GraphML (for Gephi, yEd, Cytoscape); lists of terms joined with "; "."""
    safe = nx.Graph()
    for node, data in graph.nodes(data=True):
        safe.add_node(str(node), **{k: _safe(v) for k, v in data.items() if v is not None})
    for a, b, data in graph.edges(data=True):
        safe.add_edge(str(a), str(b), **{k: _safe(v) for k, v in data.items() if v is not None})
    out = io.BytesIO()
    nx.write_graphml(safe, out)
    return out.getvalue()


# Narrowing the map ----------------------------------------------------------------------------
# Each takes a graph and returns a new one, leaving the one given as it was: the map page
# narrows the same system several ways for one request.

KNOWN_KINDS = (GROUP, TEAM, PARTNERSHIP)
_KIND_WORDS = {
    GROUP: ("community group", "community groups"),
    TEAM: ("service team", "service teams"),
    PARTNERSHIP: ("partnership", "partnerships"),
}
HIDDEN_PARTNERSHIP = "a partnership"


def kind_words(kind: str, *, plural: bool = False) -> str:
    """ "community group" or "community groups"; a kind the map does not know yet (such as
    "leader") is said from its name: "leader", "leaders"."""
    singular, many = _KIND_WORDS.get(kind) or (
        str(kind).replace("_", " "),
        str(kind).replace("_", " ") + "s",
    )
    return many if plural else singular


def node_kinds(graph: nx.Graph) -> list[str]:
    """The kinds of node to offer: groups, teams and partnerships always (a filter may ask for
    them on a day none existed), then every other kind the graph holds, alphabetically."""
    present = {kind for _, kind in graph.nodes(data="kind") if kind}
    return [*KNOWN_KINDS, *sorted(present - set(KNOWN_KINDS))]


def hide_labels(
    graph: nx.Graph, *, shown, kind: str = PARTNERSHIP, label: str = HIDDEN_PARTNERSHIP
):
    """A copy of the graph in which every node of `kind` not in `shown` (a set of node ids) is
    labelled `label` and keeps nothing else of what it is, nor the dates of its links: its
    place in the network stays, what it is called does not. Done before the measures are put
    in words, so that no role names it either."""
    hidden = graph.copy()
    for node, data in hidden.nodes(data=True):
        if data.get("kind") == kind and node not in shown:
            data.clear()
            data.update(kind=kind, label=label)
            # When it began, and when each group joined it, are its details too.
            for _, _, link in hidden.edges(node, data=True):
                link["since"] = ""
    return hidden


def service_lines_of(graph: nx.Graph, node) -> set[str]:
    """A team's service line; a partnership's is its team's (the team it is linked to)."""
    data = graph.nodes[node]
    if data.get("kind") == TEAM:
        return {data["service_line"]} if data.get("service_line") else set()
    if data.get("kind") == PARTNERSHIP:
        return {
            graph.nodes[m]["service_line"]
            for m in graph[node]
            if graph.nodes[m].get("kind") == TEAM and graph.nodes[m].get("service_line")
        }
    return set()


def narrow(
    graph: nx.Graph,
    *,
    service_line: str | None = None,
    area: str | None = None,
    community: str | None = None,
    kinds=None,
) -> nx.Graph:
    """The part of the system a filter asks for.

    Each filter speaks of the nodes it describes and drops those that do not match it:
    - `service_line` (a service line's name): teams of other lines, and partnerships of their
      teams;
    - `area` (an outward code): groups and teams whose `areas` do not include it;
    - `community` (a community's name): groups that do not reach it.
    A node no filter describes (a partnership under an area or community filter, a leader, any
    kind added later) stays while it keeps at least one link to a node that stayed, and goes
    with the last of them: a partnership whose team and groups are all elsewhere is elsewhere
    too. A node that had no links at all stays.

    Then `kinds` (an iterable of kinds; None or empty for all) keeps only nodes of those kinds.
    """
    described: set = set()
    dropped: set = set()
    for node, data in graph.nodes(data=True):
        kind = data.get("kind")
        if service_line and kind in (TEAM, PARTNERSHIP):
            described.add(node)
            if service_line not in service_lines_of(graph, node):
                dropped.add(node)
        if area and kind in (GROUP, TEAM):
            described.add(node)
            if area not in (data.get("areas") or ()):
                dropped.add(node)
        if community and kind == GROUP:
            described.add(node)
            if community not in (data.get("communities") or ()):
                dropped.add(node)
    if service_line or area or community:
        for node in graph:
            if node in described or not graph.degree(node):
                continue
            if all(m in dropped for m in graph[node]):
                dropped.add(node)
    wanted = set(kinds or ())
    kept = [
        node
        for node, kind in graph.nodes(data="kind")
        if node not in dropped and (not wanted or kind in wanted)
    ]
    return graph.subgraph(kept).copy()


def neighbourhood(graph: nx.Graph, node, *, steps: int = 1) -> nx.Graph:
    """The node and every node within `steps` links of it, with the links between them."""
    return nx.ego_graph(graph, node, radius=steps).copy()


def summary(graph: nx.Graph, result: NetworkMetrics) -> list[str]:
    """The network in a few plain sentences: what is in it, whether it is in one piece, who is
    on their own, and how many communities it falls into."""
    if graph.number_of_nodes() == 0:
        return ["Nothing on the map matches these filters."]
    counts = Counter(kind for _, kind in graph.nodes(data="kind"))
    kinds = [k for k in node_kinds(graph) if counts[k]]
    parts = [f"{counts[k]} {kind_words(k, plural=counts[k] != 1)}" for k in kinds]
    links = graph.number_of_edges()
    lines = [f"{_and(parts).capitalize()}, with {links} link{'s' if links != 1 else ''}."]
    sizes = Counter(result.component.values())
    if len(sizes) == 1:
        lines.append("Everything on the map is connected: there is a path from each to each.")
    else:
        largest = max(sizes.values())
        lines.append(
            f"The map falls into {len(sizes)} separate parts; the largest holds {largest} of "
            f"the {graph.number_of_nodes()}."
        )
    alone = sorted(
        _label(graph, n)
        for n, kind in graph.nodes(data="kind")
        if kind == GROUP and not result.degree.get(n)
    )
    if alone:
        named = (
            _and(alone) if len(alone) <= 5 else ", ".join(alone[:5]) + f" and {len(alone) - 5} more"
        )
        verb = "has" if len(alone) == 1 else "have"
        lines.append(
            f"{len(alone)} group{'s' if len(alone) != 1 else ''} {verb} no links: {named}."
        )
    communities = len(set(result.community.values()))
    if graph.number_of_edges() and communities > 1:
        lines.append(
            f"It divides into {communities} communities: sets of nodes more linked among "
            "themselves than to the rest."
        )
    return lines


def with_measures(graph: nx.Graph, result: NetworkMetrics, roles: dict) -> nx.Graph:
    """A copy of the graph with each node's measures and roles as attributes, for GraphML."""
    out = graph.copy()
    for node, data in out.nodes(data=True):
        data.update(
            degree=result.degree.get(node, 0),
            betweenness=round(result.betweenness.get(node, 0.0), 6),
            closeness=round(result.closeness.get(node, 0.0), 6),
            component=result.component.get(node, -1),
            community=result.community.get(node, -1),
            roles="; ".join(roles.get(node, ())),
        )
    return out


# Measuring once --------------------------------------------------------------------------------
# Everyone who opens the map on the same day with the same filters sees the same network, and
# its measures are most of the page's time (an exact search from every node). What they depend
# on (each node's kind, label and communities, and the links) is the key, so a change in the
# data is a new key, never a stale answer.
MEASURED_KEPT = 16
_measured: OrderedDict = OrderedDict()
_measured_lock = threading.Lock()


@dataclass(frozen=True)
class Measured:
    """A graph's measures, its nodes' roles, its communities' names and its summary. Shared
    between requests: read it, never change it."""

    result: NetworkMetrics
    roles: dict
    names: dict
    summary: tuple[str, ...]


def _signature(graph: nx.Graph) -> bytes:
    """A digest of all the measures depend on: kept instead of the graph itself, so that the
    graphs remembered cost a few bytes each, not their ten thousand links."""
    nodes = sorted(
        (repr(n), d.get("kind"), d.get("label"), tuple(d.get("communities") or ()))
        for n, d in graph.nodes(data=True)
    )
    edges = sorted(tuple(sorted((repr(a), repr(b)))) for a, b in graph.edges())
    return hashlib.blake2b(repr((nodes, edges)).encode(), digest_size=32).digest()


def forget_measures() -> None:
    """Forget every graph measured in this process (the benchmark times the page without them)."""
    with _measured_lock:
        _measured.clear()


def measure(graph: nx.Graph) -> Measured:
    """`metrics`, `describe`, `community_names` and `summary` of the graph, remembered for the
    last MEASURED_KEPT graphs measured in this process."""
    key = _signature(graph)
    with _measured_lock:
        found = _measured.get(key)
        if found is not None:
            _measured.move_to_end(key)
            return found
    result = metrics(graph)
    found = Measured(
        result=result,
        roles=describe(graph, result),
        names=community_names(graph, result),
        summary=tuple(summary(graph, result)),
    )
    with _measured_lock:
        _measured[key] = found
        while len(_measured) > MEASURED_KEPT:
            _measured.popitem(last=False)
    return found
