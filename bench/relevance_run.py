"""Runs the judged query set (bench/relevance.py) through the site's search and prints the
benchmark's "Relevance" section: for the embedded backend always, for Elasticsearch when
ELASTICSEARCH_URL is set and for OpenSearch when OPENSEARCH_URL is set.

The set is judged against the demo borough (seed 2026): its 400 activities are always the first
ones `load_demo` makes, one by one, before any bulk ones, so a bench database of any size holds
them. They are indexed on their own, in an index beside the bench's, and searched there: the
figures are the demo borough's whatever --activities is, and cost about a second. The bench's
whole database is searched too, for comparison (its bulk activities copy the demo's kinds of
activity, so the judgments apply to them alike).

Imported only once Django is set up (bench/search_bench.py, bench/relevance_bench.py).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.http import QueryDict
from django.test import override_settings

from assets_directory.demo.builder import DemoBuilder
from assets_directory.models import Activity, Venue
from bench import relevance
from bench.relevance import ActivityFacts, JudgedQuery, Report
from bench.servers import server_backends
from search.api import run_search
from search.backends import SearchBackendError, get_backend
from search.documents import category_ancestry, documents_for
from search.understanding import understood_page_params

# The demo borough's activities: those the builder makes one by one, first.
DEMO_ACTIVITIES = DemoBuilder.DETAILED_LIMIT
EMBEDDED = "search.backends.embedded.EmbeddedSearchBackend"
OUTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\b")


# What the judge reads: the database, never the index under test ---------------------------


def activity_facts(ids: Iterable[int] | None = None) -> dict[int, ActivityFacts]:
    """What the judgments look at, for each running activity the index holds (or these of
    them): what a search with no filters could find."""
    queryset = Activity.objects.running()
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    rows = list(queryset.values_list("pk", "title", "cost", "delivery", "area_served", "venue_id"))
    wanted = {row[0] for row in rows}
    ancestry = category_ancestry()
    categories: dict[int, set[str]] = defaultdict(set)
    for activity_id, category_id in Activity.categories.through.objects.values_list(
        "activity_id", "category_id"
    ).iterator(chunk_size=20_000):
        if activity_id in wanted:
            categories[activity_id].update(ancestry[category_id])
    postcodes = dict(Venue.objects.values_list("pk", "postcode"))
    access: dict[int, set[str]] = defaultdict(set)
    for venue_id, slug in Venue.accessibility.through.objects.values_list(
        "venue_id", "accessibilityfeature__slug"
    ):
        access[venue_id].add(slug)
    facts = {}
    for pk, title, cost, delivery, area_served, venue_id in rows:
        in_person = delivery == Activity.Delivery.IN_PERSON and venue_id is not None
        if in_person:
            # A venue's postcode is "SW18 3AB": its outward code is the first part.
            postcode = postcodes.get(venue_id) or ""
            outcodes = {postcode.split()[0].upper()} if postcode.strip() else set()
        else:
            outcodes = set(OUTCODE.findall((area_served or "").upper()))
        facts[pk] = ActivityFacts(
            id=pk,
            title=title,
            categories=frozenset(categories[pk]),
            access=frozenset(access[venue_id]) if in_person else frozenset(),
            outcodes=frozenset(outcodes),
            cost=cost,
        )
    return facts


def demo_borough_ids() -> list[int]:
    """The demo borough's activities: the first DEMO_ACTIVITIES made."""
    return list(Activity.objects.order_by("pk").values_list("pk", flat=True)[:DEMO_ACTIVITIES])


# What is judged: the site's own search path -----------------------------------------------


def search_words(text: str) -> tuple[int, list[int]]:
    """Search as the search page does: its reading of the words (a postcode is the place,
    "free" and days are filters), its defaults, its search; only the page is longer."""
    params = QueryDict(mutable=True)
    params["q"] = text
    params["page_size"] = str(relevance.K)
    applied, _ = understood_page_params(params)
    outcome = run_search(applied, record_zero=False)
    if outcome.status == 503:
        raise SearchBackendError(outcome.error["error"])
    if outcome.error:
        # Refused, as the page would refuse it: the person sees no results.
        return 0, []
    return outcome.results.total, [hit.id for hit in outcome.results.hits]


@dataclass(frozen=True)
class Backend:
    name: str
    # settings.DIRECTORY_SEARCH for an index of the demo borough alone.
    setting: dict


def backends(directory: Path) -> list[Backend]:
    """The embedded backend, and each server backend whose URL is set (ELASTICSEARCH_URL,
    OPENSEARCH_URL; bench/servers.py), on an alias of its own."""
    found = [
        Backend("embedded", {"BACKEND": EMBEDDED, "OPTIONS": {"path": str(directory / "index")}})
    ]
    for server in server_backends("relevance"):
        found.append(Backend(f"{server.name} (alias {server.alias})", server.setting))
    return found


@contextlib.contextmanager
def searching_only(backend: Backend, ids: list[int]) -> Iterator[None]:
    """Make `backend` the site's search backend, on an index of these activities alone."""
    with override_settings(DIRECTORY_SEARCH=backend.setting):
        get_backend().rebuild(documents_for(ids), total=len(ids))
        yield


def evaluate(queries: list[JudgedQuery], facts: dict[int, ActivityFacts]) -> Report:
    return relevance.evaluate(queries, facts, search_words)


# The section -------------------------------------------------------------------------------


@dataclass
class RelevanceResult:
    backend: str
    report: Report


def rule(title: str) -> None:
    print()
    print(f"== {title} ".ljust(78, "="))


def run(directory: Path, *, compare_whole_database: bool = True) -> list[RelevanceResult]:
    """Print the Relevance section; the demo borough's report for each backend that ran.

    `directory` holds the demo borough's own indices (removed afterwards).
    """
    queries = relevance.load_judged_set()
    rule(f"Relevance (judged set, {len(queries)} queries)")
    print(
        f"Queries as people type them ({relevance.QUERIES_FILE.name}), each judged against the\n"
        "demo borough (seed 2026): 2 = what the person wants, 1 = acceptable. Searched as the\n"
        "search page searches (search.understanding.understood_page_params, then run_search).\n"
        f"Targets on the embedded backend: nDCG@{relevance.K} >= {relevance.TARGET_NDCG}, "
        "no query without results."
    )
    ids = demo_borough_ids()
    facts = activity_facts(ids)
    total = Activity.objects.count()
    if len(ids) < DEMO_ACTIVITIES:
        print(
            f"The database holds only {len(ids)} of the demo borough's {DEMO_ACTIVITIES} "
            "activities: the figures are for what is there."
        )
    results = []
    directory.mkdir(parents=True, exist_ok=True)
    try:
        for backend in backends(directory):
            print()
            print(
                f"-- {backend.name}: the demo borough ({len(ids)} activities, "
                f"{len(facts)} running), in an index of its own"
            )
            started = time.perf_counter()
            try:
                with searching_only(backend, ids):
                    report = evaluate(queries, facts)
            except SearchBackendError as exc:
                print(f"   not measured: {exc}")
                continue
            for line in relevance.report_lines(report):
                print(f"   {line}")
            print(f"   ({time.perf_counter() - started:.1f} s, indexing included)")
            results.append(RelevanceResult(backend.name, report))
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if compare_whole_database and total > len(ids):
        print()
        print(
            f"-- {get_backend().name}: all {total:,} activities of the bench database, in its "
            "own index\n   (not the targets' measure: the bulk activities copy the demo's kinds "
            "of activity,\n   so the judgments apply to them alike)"
        )
        started = time.perf_counter()
        report = evaluate(queries, activity_facts())
        for line in relevance.report_lines(report)[:2]:
            print(f"   {line}")
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return results


def summary_lines(results: list[RelevanceResult]) -> list[str]:
    """The bench summary's lines: the targets, on the embedded backend."""
    embedded = next((r for r in results if r.backend == "embedded"), None)
    if embedded is None:
        return ["[NOT met] relevance on the embedded backend: not measured"]
    report = embedded.report
    ndcg_met, zero_met = report.targets_met()
    mean = report.mean_ndcg
    zero = len(report.zero_results)
    met = {True: "met", False: "NOT met"}
    return [
        f"[{met[ndcg_met]:>7}] judged set on the demo borough, embedded: nDCG@{report.k} >= "
        f"{relevance.TARGET_NDCG}: {'-' if mean is None else f'{mean:.3f}'}",
        f"[{met[zero_met]:>7}] judged set on the demo borough, embedded: no query without "
        f"results: {zero} of {len(report.outcomes)} found nothing "
        f"({report.zero_result_rate:.1%})",
    ]
