"""Network map benchmark: coproduction.network's metrics() and describe() on a random system
of 2,000 nodes and 10,000 edges; the target is both within 2 s.

Run with `make bench-network` (or `.venv/bin/python bench/network_bench.py [--repeat R]`). It
prints the best and median of the runs and whether the target is met, and exits 0 either way:
it is a report, not a test.

The graph is networkx's gnm_random_graph with a fixed seed, its nodes given kinds (groups,
service teams, partnerships) and the communities groups reach, so describe() has brokers to
name and teams to reach. No database is read: Django is set up only because
coproduction.network imports the models (its own throwaway SQLite path, never opened).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import django
import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NODES, EDGES, SEED, TARGET_S = 2_000, 10_000, 15, 2.0
COMMUNITIES = ("Tamil", "Somali", "Polish", "Irish", "Chinese", "Carers", "LGBTQ+", "Black African")


def random_system():
    graph = nx.gnm_random_graph(NODES, EDGES, seed=SEED)
    rng = random.Random(SEED)
    for node in graph:
        if node % 50 == 0:
            graph.nodes[node].update(kind="team", label=f"Team {node}", service_line="Dementia")
        elif node % 10 == 0:
            graph.nodes[node].update(kind="partnership", label=f"Partnership {node}")
        else:
            graph.nodes[node].update(
                kind="group",
                label=f"Group {node}",
                communities=tuple(rng.sample(COMMUNITIES, rng.choice((0, 1, 1, 2)))),
            )
    return graph


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    os.environ["DATABASE_URL"] = (
        f"sqlite:///{Path(tempfile.gettempdir()) / 'network-bench.sqlite3'}"
    )
    django.setup()
    from coproduction.network import describe, metrics  # it needs Django set up first

    graph = random_system()
    print(
        f"Network: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges "
        f"(gnm_random_graph, seed {SEED})"
    )
    runs, metric_runs = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = metrics(graph)
        middle = time.perf_counter()
        roles = describe(graph, result)
        end = time.perf_counter()
        metric_runs.append(middle - start)
        runs.append(end - start)
    sampled = result.sampled_sources
    print(
        "Betweenness and closeness: "
        + (f"estimated from {sampled} sources (fixed seed)" if sampled else "exact")
    )
    print(
        f"Communities: {len(set(result.community.values()))}; brokers: {len(result.brokers)}; "
        f"connectors: {sum('connector' in r for r in roles.values())}; "
        f"isolated: {sum('isolated' in r for r in roles.values())}"
    )
    for name, times in (("metrics()", metric_runs), ("metrics()+describe()", runs)):
        print(
            f"{name + ':':22}best {min(times):.3f} s, "
            f"median {statistics.median(times):.3f} s ({args.repeat} runs)"
        )
    met = "met" if statistics.median(runs) <= TARGET_S else "NOT met"
    print(f"[{met}] metrics for 2,000 nodes and 10,000 edges in at most 2 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
