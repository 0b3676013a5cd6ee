"""What the search benchmark measures and how it prints it (bench/search_bench.py says what
each figure means and runs this).

Imported only once the entry point has pointed Django at the bench's own database and called
django.setup(): the apps' models are imported here at module level.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import sqlite3
import statistics
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urlencode

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.http import QueryDict
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from assets_directory.models import Activity, Organisation
from assets_directory.selectors import (
    PAGE_SIZE,
    directory_index,
    listed_activities,
    organisation_activities,
)
from bench import matching_run, relevance_run
from bench.paths import BenchPaths
from bench.servers import server_backends
from bench.timing import MIN_RUNS, QUERY_BUDGET_S, WARMUP, Timings, met, rule, timed
from cms.serving import prepare_for_serving
from search.backends import SearchBackendError, get_backend
from search.params import parse_search_params
from search.query import DirectoryQuery
from search.selectors import search_places
from search.services import index_rebuild
from search.suggestions import suggest

KEYWORDS = ("walk", "singing", "coffee", "diabetes", "repair")
BBOX = "-0.25,51.42,-0.12,51.48"

TARGET_API_P95_MS = 25.0
TARGET_API_FLOOR_RATIO = 3.0
# A floor under a millisecond leaves too little for the ratio alone: Django's request cycle
# costs about half a millisecond whatever the search. Such a query may instead take up to the
# floor plus this much, whichever allows more (the decision on the floor ratio).
TARGET_FLOOR_SLACK_MS = 1.0
SMALL_FLOOR_MS = 1.0
TARGET_WAGTAIL_SPEEDUP = 10.0
TARGET_PAGE_P95_MS = 30.0
# The deepest A to Z page measured (as far as the directory has pages).
DEEP_PAGE = 250
TARGET_REBUILD_RATE = 5_000.0
# Type-ahead (GET /api/suggest): what the "What" box sends as someone types (the script asks
# from two letters), from a common start to words that match little or nothing.
SUGGEST_PREFIXES = ("wa", "co", "sin", "sing", "coff", "diab", "yoga", "walking f", "chair y", "zq")
TARGET_SUGGEST_P95_MS = 20.0


# Figures ----------------------------------------------------------------------------------


# Steps ------------------------------------------------------------------------------------


def load_average() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def machine_info(paths: BenchPaths) -> None:
    model = ""
    # /proc/cpuinfo is Linux-only; elsewhere the model is simply not shown.
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    rule("Machine")
    print(f"CPUs            {os.cpu_count()} ({usable} usable){'  ' + model if model else ''}")
    print(f"Platform        {platform.platform()}")
    print(f"Python          {platform.python_version()} ({platform.python_implementation()})")
    print(f"tantivy         {metadata.version('tantivy')}")
    print(f"Django          {django.__version__}")
    print(f"Wagtail         {metadata.version('wagtail')}")
    print(f"SQLite          {sqlite3.sqlite_version}")
    print(f"Load average    {load_average()} (other processes skew the figures)")
    print(f"Database        {paths.database}")
    print(f"Search index    {paths.index}")
    print(f"Settings        {os.environ['DJANGO_SETTINGS_MODULE']} (DEBUG={settings.DEBUG})")


def ensure_data(paths: BenchPaths, activities: int) -> None:
    """Migrate, and load the demo borough unless the bench DB holds `activities` already."""
    rule("Data")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    have = Activity.objects.count()
    if have == activities:
        print(
            f"Bench database holds {have:,} activities: reused "
            f"(migrate check {time.perf_counter() - started:.1f} s)."
        )
        return
    if have or Organisation.objects.exists():
        # load_demo never adds to a loaded database: start this (bench-only) one again.
        print(f"Bench database holds {have:,} activities, not {activities:,}: recreating it.")
        connections.close_all()
        paths.remove_database_and_index()
        call_command("migrate", interactive=False, verbosity=0)
    print(f"Loading the demo borough with {activities:,} activities (load_demo)...")
    started = time.perf_counter()

    class Quiet:
        def write(self, text):
            if "loaded" in text:
                sys.stdout.write("  " + text.strip() + "\n")

        def flush(self):
            """Nothing is buffered."""

    # The borough alone: the bench runs with DEBUG off, as a site is served, and the demo's
    # accounts (published passwords) are neither needed nor made.
    call_command("load_demo", activities=activities, without_accounts=True, stdout=Quiet())
    elapsed = time.perf_counter() - started
    print(f"  load_demo took {elapsed:.1f} s ({Activity.objects.count():,} activities).")


def ensure_index(*, also_empty: bool = False) -> None:
    """Rebuild the search index when it is empty or was written before the search document's
    fields last changed (or when `also_empty`: something kept beside it is missing)."""
    try:
        empty = search_places(DirectoryQuery(page_size=1)).total == 0
    except SearchBackendError as exc:
        print(f"Search index out of date: {str(exc)[:100]}")
        empty = True
    if empty or also_empty:
        print("Search index empty or out of date: rebuilding it...")
        started = time.perf_counter()
        index_rebuild()
        print(f"  rebuilt in {time.perf_counter() - started:.1f} s")


def rebuild() -> float:
    rule("Rebuild: search.services.index_rebuild()")
    backend = get_backend()
    print(f"Backend: {backend.name} ({type(backend).__module__}.{type(backend).__name__})")

    shown = set()

    def progress(done, total):
        if (done % 20_000 == 0 or (total and done >= total)) and done not in shown:
            shown.add(done)
            print(f"\r  {done:,}/{total or 0:,}", end="", flush=True)

    started = time.perf_counter_ns()
    count = index_rebuild(progress=progress)
    elapsed = (time.perf_counter_ns() - started) / 1e9
    rate = count / elapsed if elapsed else 0.0
    print()
    print(
        f"Indexed {count:,} activities in {elapsed:.2f} s: {rate:,.0f} activities/second "
        f"(target >= {TARGET_REBUILD_RATE:,.0f}/s: {met(rate >= TARGET_REBUILD_RATE)})"
    )
    return rate


def freeze_as_served() -> None:
    """Do what cms/wsgi.py does once a server has loaded the site (cms.serving): freeze what is
    loaded and collect less often. The queries and pages are timed as they are served."""
    prepare_for_serving()


def query_mix() -> list[tuple[str, str]]:
    mix = [(f"(a) keyword {w!r}", f"q={w}") for w in KEYWORDS]
    mix += [
        ("(b) 'walk' within 5 km of SW18", "q=walk&near=SW18&radius_km=5"),
        ("(b) 'coffee' within 5 km of SW11", "q=coffee&near=SW11&radius_km=5"),
        ("(b) 'singing' within 5 km of SW17", "q=singing&near=SW17&radius_km=5"),
        (
            "(c) 5 km of SW18, tue, free, step-free, facets=all",
            "near=SW18&radius_km=5&day=tue&free=true&access=step-free&facets=all",
        ),
        ("(d) map bbox around Wandsworth, facets=all", f"bbox={BBOX}&facets=all"),
        ("(e) nearest to SW18 (sort=distance), page 1", "near=SW18&sort=distance"),
    ]
    return mix


@dataclass
class QueryResult:
    label: str
    qs: str
    total: int
    sql: int
    api: Timings
    backend: Timings
    floor: Timings | None
    floor_note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.floor is None or self.floor.p95 <= 0:
            return None
        return self.api.p95 / self.floor.p95

    @property
    def floor_target(self) -> FloorTarget | None:
        return None if self.ratio is None else FloorTarget.of(self.floor.p95)

    @property
    def floor_met(self) -> bool | None:
        target = self.floor_target
        return None if target is None else self.api.p95 <= target.limit_ms


@dataclass(frozen=True)
class FloorTarget:
    """The most an API request may take given its floor: 3x the floor p95; or, for a floor
    under a millisecond, the floor p95 plus 1 ms when that is larger."""

    ratio_ms: float
    slack_ms: float
    applies: str

    @classmethod
    def of(cls, floor_p95: float) -> FloorTarget:
        ratio_ms = TARGET_API_FLOOR_RATIO * floor_p95
        slack_ms = floor_p95 + TARGET_FLOOR_SLACK_MS
        small = floor_p95 < SMALL_FLOOR_MS and slack_ms > ratio_ms
        return cls(ratio_ms, slack_ms, "floor + 1 ms" if small else "3x floor")

    @property
    def limit_ms(self) -> float:
        return self.slack_ms if self.applies == "floor + 1 ms" else self.ratio_ms

    def describe(self) -> str:
        return (
            f"{TARGET_API_FLOOR_RATIO:.0f}x floor = {self.ratio_ms:.2f} ms, floor + "
            f"{TARGET_FLOOR_SLACK_MS:.0f} ms = {self.slack_ms:.2f} ms; {self.applies} applies"
        )


def floor_call(backend, client, url: str):
    """Record one API request's engine calls and SQL; return a replay of them and a summary.

    The engine calls come from the backend's trace hook: the request runs as it always does
    (the backend's own caches warm from the untimed requests before it), and each call it
    makes to the engine is kept, ready to be made again bare.
    """
    steps: list = []
    statements: list = []

    def keep_sql(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with backend.trace(steps.append), connection.execute_wrapper(keep_sql):
        client.get(url)

    calls = [step.replay for step in steps]
    # The bare DB-API cursor: none of Django's wrapping.
    connection.ensure_connection()
    cursor = connection.create_cursor()
    reads = [
        (sql, params)
        for sql, params, many in statements
        if not many and sql.lstrip().upper().startswith("SELECT")
    ]
    others = len(statements) - len(reads)

    def call():
        for step in calls:
            step()
        for sql, params in reads:
            cursor.execute(sql, params)
            cursor.fetchall()

    kinds: dict[str, int] = {}
    for step in steps:
        kinds[step.name] = kinds.get(step.name, 0) + 1
    parts = [f"{n} {name}" for name, n in kinds.items()] + [f"{len(reads)} SQL"]
    note = "floor = " + ", ".join(parts)
    if others:
        note += f"; {others} SQL statements that are not reads left out"
    return call, note


def failed(failures: list[str], label: str, url: str, response) -> None:
    """Report a measured request that did not answer 200; any makes the bench exit 1."""
    failures.append(f"{label}: GET {url} answered {response.status_code}")
    print(f"{label}: GET {url} answered {response.status_code}: {response.content[:200]}")


def run_queries(repeat: int, failures: list[str]) -> list[QueryResult]:
    backend = get_backend()
    client = Client()
    results = []
    rule("Queries (times in ms)")
    print(
        f"{repeat} timed runs per query and path after {WARMUP} warm-up runs, the three paths "
        f"taking turns; slow ones stop after ~{QUERY_BUDGET_S:.0f} s a path (at least "
        f"{MIN_RUNS} runs): n says how many."
    )
    for label, qs in query_mix():
        url = f"/api/search?{qs}"
        response = client.get(url)
        if response.status_code != 200:
            failed(failures, label, url, response)
            continue
        total = response.json()["total"]
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        sql = len(captured.captured_queries)

        def api(url=url):
            client.get(url)

        def backend_search(qs=qs):
            backend.search(parse_search_params(QueryDict(qs)).query)

        paths = {"api": api, "backend": backend_search}
        note = f"no floor for the {backend.name} backend (it has no trace hook)"
        if backend.supports_trace:
            paths["floor"], note = floor_call(backend, client, url)
        timings = timed(paths, repeat)
        api_t, backend_t, floor_t = timings["api"], timings["backend"], timings.get("floor")
        result = QueryResult(label, qs, total, sql, api_t, backend_t, floor_t, note)
        results.append(result)
        print_query(result)
    return results


def print_query(r: QueryResult) -> None:
    print()
    print(f"{r.label}")
    print(f"  GET /api/search?{r.qs}")
    print(f"  {r.total:,} results; {r.sql} SQL queries per API request")
    print(f"  {'path':<9}{'p50':>9}{'p95':>9}{'mean':>9}{'n':>6}")
    rows = [("API", r.api), ("backend", r.backend), ("floor", r.floor)]
    for name, t in rows:
        if t is None:
            print(f"  {name:<9}{'-':>9}{'-':>9}{'-':>9}{'-':>6}")
        else:
            print(f"  {name:<9}{t.p50:9.2f}{t.p95:9.2f}{t.mean:9.2f}{t.n:>6}")
    ratio = r.ratio
    line = f"  API:floor p95 = {ratio:.1f}x" if ratio is not None else "  API:floor p95 = -"
    if r.floor_note:
        line += f"  ({r.floor_note})"
    print(line)
    target = r.floor_target
    if target is not None:
        print(
            f"  floor target: {target.describe()}: API p95 {r.api.p95:.2f} ms "
            f"<= {target.limit_ms:.2f} ms {met(r.floor_met)}"
        )


@dataclass
class SuggestResult:
    prefix: str
    shown: int
    sql: int
    api: Timings
    suggest: Timings


def run_suggestions(repeat: int, failures: list[str]) -> list[SuggestResult]:
    """Time type-ahead as served (GET /api/suggest) and its suggest() call, taking turns."""
    client = Client()
    rule("Type-ahead suggestions (times in ms)")
    print(f"{repeat} timed runs per prefix and path after {WARMUP} warm-up runs, taking turns.")
    results = []
    for prefix in SUGGEST_PREFIXES:
        url = f"/api/suggest?{urlencode({'q': prefix})}"
        response = client.get(url)
        if response.status_code != 200:
            failed(failures, f"suggest {prefix!r}", url, response)
            continue
        shown = len(response.json()["suggestions"])
        with CaptureQueriesContext(connection) as captured:
            client.get(url)

        def api(url=url):
            client.get(url)

        def call(prefix=prefix):
            suggest(prefix)

        timings = timed({"api": api, "suggest": call}, repeat)
        results.append(SuggestResult(prefix, shown, len(captured.captured_queries), **timings))
    print(f"  {'q':<12}{'shown':>6}{'SQL':>5}{'API p50':>9}{'API p95':>9}{'call p95':>10}{'n':>6}")
    for r in results:
        print(
            f"  {r.prefix!r:<12}{r.shown:>6}{r.sql:>5}{r.api.p50:9.2f}{r.api.p95:9.2f}"
            f"{r.suggest.p95:10.2f}{r.api.n:>6}"
        )
    return results


@dataclass
class PageResult:
    label: str
    url: str
    shown: int
    sql: int
    timings: Timings
    cpu: Timings = field(default_factory=Timings)


def page_mix() -> list[tuple[str, str]]:
    """The directory's pages that list activities: A to Z, a category, an organisation."""
    directory = directory_index().url
    deep = max(1, min(DEEP_PAGE, -(-listed_activities().count() // PAGE_SIZE)))
    biggest = Organisation.objects.live().order_by("-numchild", "path").first()
    last = organisation_activities(biggest).paginator.num_pages
    return [
        ("directory A to Z, page 1", directory),
        (f"directory A to Z, page {deep}", f"{directory}?page={deep}"),
        ("category 'Music and singing', page 1", f"{directory}category/music-and-singing/"),
        ("category 'Music and singing', page 2", f"{directory}category/music-and-singing/?page=2"),
        (f"largest organisation ({biggest.numchild:,} activities), page 1", biggest.url),
        (f"largest organisation, last page ({last})", f"{biggest.url}?page={last}"),
    ]


def run_pages(repeat: int, failures: list[str]) -> list[PageResult]:
    """Time the listing pages as served (the test client, DEBUG off), taking turns."""
    client = Client()
    rule("Pages that list activities (times in ms)")
    print(f"{repeat} timed runs per page after {WARMUP} warm-up runs, the pages taking turns.")
    measured = []
    for label, url in page_mix():
        response = client.get(url)
        if response.status_code != 200:
            failed(failures, label, url, response)
            continue
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        shown = response.content.count(b'<li class="card">')
        measured.append((label, url, len(captured.captured_queries), shown))
    # The CPU time of this thread too (the engine and SQLite run in it): what a request costs
    # whatever else the machine is doing, where the wall-clock time includes waiting for a CPU.
    cpu: dict[str, list[int]] = {url: [] for _, url, _, _ in measured}

    def page(url):
        start = time.thread_time_ns()
        client.get(url)
        cpu[url].append(time.thread_time_ns() - start)

    timings = timed({url: functools.partial(page, url) for _, url, _, _ in measured}, repeat)
    results = []
    for label, url, sql, shown in measured:
        result = PageResult(label, url, shown, sql, timings[url])
        result.cpu = Timings(cpu[url][-result.timings.n :])  # the timed runs, not the warm-up
        results.append(result)
    print(
        f"  {'page':<46}{'p50':>8}{'p95':>8}{'mean':>8}{'n':>5}{'SQL':>5}{'shown':>7}{'CPU p95':>9}"
    )
    for r in results:
        t = r.timings
        print(
            f"  {r.label:<46}{t.p50:8.2f}{t.p95:8.2f}{t.mean:8.2f}{t.n:>5}{r.sql:>5}{r.shown:>7}"
            f"{r.cpu.p95:9.2f}"
        )
    return results


def wagtail_index(use_update_index: bool) -> None:
    """Make sure Wagtail's database search index holds every live Activity page."""
    rule("Wagtail database search index")
    search_backend = get_search_backend()
    print(f"Backend: {type(search_backend).__module__}.{type(search_backend).__name__}")
    content_type = ContentType.objects.get_for_model(Activity)
    indexed = set(
        IndexEntry.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    live = list(Activity.objects.live().order_by("pk").values_list("pk", flat=True))
    missing = [pk for pk in live if str(pk) not in indexed]
    print(f"{len(live) - len(missing):,} of {len(live):,} live activities indexed.")
    if not missing:
        return
    started = time.perf_counter()
    if use_update_index:
        print("Running update_index (every indexed model)...")
        call_command("update_index", verbosity=0)
        how = "update_index"
        count = len(live)
    else:
        print(
            f"Indexing {len(missing):,} with add_bulk(Activity, ...) in batches of 1,000 "
            "(update_index would also reindex every Page row)..."
        )
        queryset = Activity.get_indexed_objects().prefetch_related("categories", "tags")
        for i in range(0, len(missing), 1000):
            batch = list(queryset.filter(pk__in=missing[i : i + 1000]))
            search_backend.add_bulk(Activity, batch)
            if (i // 1000) % 10 == 9:
                print(f"\r  {min(i + 1000, len(missing)):,}/{len(missing):,}", end="", flush=True)
        print()
        how = "add_bulk"
        count = len(missing)
    elapsed = time.perf_counter() - started
    print(f"{how}: {count:,} activities in {elapsed:.1f} s ({count / elapsed:,.0f}/s).")


@dataclass
class WagtailRow:
    word: str
    timings: Timings
    hits: int | None
    # Set when a run was stopped at the time cap: the query takes at least this long.
    aborted_ms: float | None = None

    @property
    def p95(self) -> float:
        """p95 of the completed runs, or the cap when none completed (a lower bound)."""
        if self.timings.n:
            return max(self.timings.p95, self.aborted_ms or 0.0)
        return self.aborted_ms or 0.0

    @property
    def lower_bound(self) -> bool:
        return self.aborted_ms is not None


def capped_run(fn, cap_s: float) -> tuple[int | None, object]:
    """Run fn, stopping SQLite when cap_s has passed; (elapsed ns or None if stopped, result)."""
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.perf_counter() + cap_s
    # Called every million SQLite VM steps: negligible next to queries taking seconds.
    raw.set_progress_handler(lambda: time.perf_counter() > deadline, 1_000_000)
    try:
        start = time.perf_counter_ns()
        result = fn()
        return time.perf_counter_ns() - start, result
    except OperationalError:
        return None, None
    finally:
        raw.set_progress_handler(None, 0)


def wagtail_search(results: list[QueryResult], repeat: int, budget_s: float) -> list[WagtailRow]:
    rule("Wagtail database search: list(Activity.objects.live().search(word)[:20])")
    print(
        f"Up to {repeat} runs per word within {budget_s:.0f} s (a run still going when the "
        f"budget ends is stopped: '>' marks a lower bound); times in ms."
    )
    by_qs = {r.qs: r for r in results}
    rows = []
    print(
        f"  {'word':<10}{'hits':>6}{'p50':>11}{'p95':>11}{'mean':>11}{'runs':>6}"
        f"{'backend p95':>13}{'speed-up':>11}{'API p95':>9}{'speed-up':>11}"
    )
    for word in KEYWORDS:

        def search(word=word):
            return list(Activity.objects.live().search(word)[:20])

        row = WagtailRow(word, Timings(), None)
        started = time.perf_counter()
        while row.timings.n < repeat:
            remaining = budget_s - (time.perf_counter() - started)
            if remaining <= 0:
                break
            elapsed_ns, found = capped_run(search, remaining)
            if elapsed_ns is None:
                if not row.timings.n:
                    row.aborted_ms = remaining * 1000
                break
            if row.hits is None:
                row.hits = len(found)
                # The first run warms up when there is time for more; else it is the sample.
                if elapsed_ns / 1e9 < budget_s / 20:
                    continue
            row.timings.add(elapsed_ns)
        gt = ">" if row.lower_bound else " "
        if row.timings.n:
            t = row.timings
            figures = f"{t.p50:11.1f}{t.p95:11.1f}{t.mean:11.1f}"
        else:
            figures = f"{'-':>11}{gt}{row.p95:10.0f}{'-':>11}"
        cols = ""
        ours = by_qs.get(f"q={word}")
        if ours:
            cols = (
                f"{ours.backend.p95:13.2f}{gt:>2}{row.p95 / ours.backend.p95:8.0f}x"
                f"{ours.api.p95:9.2f}{gt:>2}{row.p95 / ours.api.p95:8.0f}x"
            )
        hits = "?" if row.hits is None else str(row.hits)
        print(f"  {word:<10}{hits:>6}{figures}{row.timings.n:>6}{cols}")
        rows.append(row)
    print("  speed-up = Wagtail p95 / embedded p95 (backend call, then the whole API request)")
    return rows


def print_search_targets(results: list[QueryResult], suggestions=()) -> None:
    """The summary's lines on the query mix and type-ahead, for one backend."""
    worst_api = max(results, key=lambda r: r.api.p95)
    over = [r for r in results if r.api.p95 > TARGET_API_P95_MS]
    print(
        f"[{met(not over):>7}] API p95 <= {TARGET_API_P95_MS:.0f} ms for every query: "
        f"worst {worst_api.api.p95:.2f} ms, {worst_api.label}"
    )
    for r in over:
        print(f"            over: {r.api.p95:.2f} ms  {r.label}")

    floored = [r for r in results if r.floor_target is not None]
    if floored:
        over = [r for r in floored if not r.floor_met]
        print(
            f"[{met(not over):>7}] API p95 <= {TARGET_API_FLOOR_RATIO:.0f}x floor p95 (or, for "
            f"a floor under {SMALL_FLOOR_MS:.0f} ms, floor p95 + {TARGET_FLOOR_SLACK_MS:.0f} ms "
            "when larger) for every query:"
        )
        for r in floored:
            target = r.floor_target
            print(
                f"  {met(r.floor_met):>7}  API {r.api.p95:6.2f} ms, floor {r.floor.p95:5.2f} ms "
                f"({r.ratio:.1f}x): {target.describe()}  {r.label}"
            )
    else:
        print("[NOT met] API p95 against the floor p95: no floor measured for this backend")

    if suggestions:
        worst = max(suggestions, key=lambda r: r.api.p95)
        pooled = Timings([ns for r in suggestions for ns in r.api.ns])
        print(
            f"[{met(worst.api.p95 <= TARGET_SUGGEST_P95_MS):>7}] type-ahead API p95 <= "
            f"{TARGET_SUGGEST_P95_MS:.0f} ms for every prefix: worst {worst.api.p95:.2f} ms "
            f"({worst.prefix!r}); all prefixes together {pooled.p95:.2f} ms"
        )


@dataclass
class ServerRun:
    """The query mix and type-ahead on one server backend (bench/servers.py)."""

    name: str
    alias: str
    rebuild_rate: float = 0.0
    results: list[QueryResult] = field(default_factory=list)
    suggestions: list[SuggestResult] = field(default_factory=list)
    problem: str = ""


def run_server_backends(repeat: int, failures: list[str]) -> list[ServerRun]:
    """Rebuild and time the query mix and type-ahead on each server backend whose URL is set
    (ELASTICSEARCH_URL, OPENSEARCH_URL), on an alias of its own (`<index>-bench`), as the
    embedded backend was timed. A server that cannot be reached or refuses is a failure."""
    runs = []
    for server in server_backends("bench"):
        rule(f"Server backend: {server.name}, alias {server.alias}")
        run = ServerRun(server.name, server.alias)
        with override_settings(DIRECTORY_SEARCH=server.setting):
            try:
                run.rebuild_rate = rebuild()
            except SearchBackendError as exc:
                run.problem = str(exc)
                failures.append(f"{server.name}: {exc}")
                print(f"{server.name} could not be measured: {exc}")
            else:
                run.results = run_queries(repeat, failures)
                run.suggestions = run_suggestions(repeat, failures)
        runs.append(run)
    return runs


def print_server_run(run: ServerRun) -> None:
    print()
    print(f"On {run.name} (alias {run.alias}), the same query mix and type-ahead:")
    if run.problem or not run.results:
        print(f"[NOT met] not measured: {run.problem or 'no query answered'}")
        return
    print_search_targets(run.results, run.suggestions)
    print(
        f"[{met(run.rebuild_rate >= TARGET_REBUILD_RATE):>7}] rebuild >= "
        f"{TARGET_REBUILD_RATE:,.0f} activities/second: {run.rebuild_rate:,.0f}/s"
    )


def summary(
    rebuild_rate,
    results,
    pages,
    wagtail_rows,
    relevance_lines,
    elapsed,
    suggestions=(),
    server_runs=(),
) -> None:
    rule("Summary against the targets")
    # Each query of the mix weighs the same, however many runs it got.
    mix_ms = statistics.fmean(r.api.mean for r in results)
    keyword = [r for r in results if r.qs.startswith("q=") and "&" not in r.qs]
    print("API throughput, one client sending requests one after another:")
    print(f"  whole mix, each query equally often: {1000 / mix_ms:,.1f} queries/second")
    if keyword:
        keyword_ms = statistics.fmean(r.api.mean for r in keyword)
        print(f"  keyword queries (a) only:            {1000 / keyword_ms:,.1f} queries/second")
    print()

    print_search_targets(results, suggestions)

    if pages:
        worst = max(pages, key=lambda r: r.timings.p95)
        over = [r for r in pages if r.timings.p95 > TARGET_PAGE_P95_MS]
        print(
            f"[{met(not over):>7}] page p95 <= {TARGET_PAGE_P95_MS:.0f} ms for every listing "
            f"page: worst {worst.timings.p95:.2f} ms, {worst.label}"
        )
        for r in over:
            print(
                f"            over: {r.timings.p95:.2f} ms (CPU p95 {r.cpu.p95:.2f} ms)  {r.label}"
            )

    by_qs = {r.qs: r for r in results}
    speedups = [
        (row.word, row.p95 / by_qs[f"q={row.word}"].backend.p95, row.lower_bound)
        for row in wagtail_rows
        if f"q={row.word}" in by_qs
    ]
    if speedups:
        word, lowest, bound = min(speedups, key=lambda s: s[1])
        print(
            f"[{met(lowest >= TARGET_WAGTAIL_SPEEDUP):>7}] >= {TARGET_WAGTAIL_SPEEDUP:.0f}x "
            f"faster than Wagtail DB search (p95, backend call) on every keyword: "
            f"lowest {'>' if bound else ''}{lowest:,.0f}x ({word!r})"
        )
    else:
        print("[NOT met] >= 10x faster than Wagtail DB search: not measured")

    print(
        f"[{met(rebuild_rate >= TARGET_REBUILD_RATE):>7}] rebuild >= "
        f"{TARGET_REBUILD_RATE:,.0f} activities/second: {rebuild_rate:,.0f}/s"
    )
    for line in relevance_lines:
        print(line)
    for run in server_runs:
        print_server_run(run)
    print()
    print(f"Benchmark finished in {elapsed:.0f} s (load average now {load_average()}).")


def run(
    paths: BenchPaths,
    *,
    activities: int,
    repeat: int,
    wagtail_update_index: bool,
    wagtail_budget_s: float,
    skip_wagtail: bool,
    started: float,
) -> int:
    """Measure and print the whole report; 1 when a measured request failed, else 0.

    `started` is the time.perf_counter() at which the bench began, for the time it took.
    """
    failures: list[str] = []
    machine_info(paths)
    ensure_data(paths, activities)
    rebuild_rate = rebuild()
    freeze_as_served()
    results = run_queries(repeat, failures)
    suggestions = run_suggestions(repeat, failures)
    pages = run_pages(repeat, failures)
    matches = matching_run.run(repeat, failures)
    server_runs = run_server_backends(repeat, failures)
    relevance_results = relevance_run.run(paths.directory / "relevance")
    wagtail_rows = []
    if not skip_wagtail:
        wagtail_index(wagtail_update_index)
        wagtail_rows = wagtail_search(results, repeat, wagtail_budget_s)
    summary(
        rebuild_rate,
        results,
        pages,
        wagtail_rows,
        [*matching_run.summary_lines(matches), *relevance_run.summary_lines(relevance_results)],
        time.perf_counter() - started,
        suggestions,
        server_runs,
    )
    if failures:
        print(f"{len(failures)} measured request(s) failed:", *failures, sep="\n  ")
        return 1
    return 0
