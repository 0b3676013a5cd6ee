"""The insights bench's measuring (bench/insights_bench.py sets Django up first)."""

from __future__ import annotations

import gc
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

from bench.measure import ensure_data, ensure_index
from bench.paths import BenchPaths
from bench.timing import met, rule, timed
from coproduction.demo import ensure_demo_service_line_categories
from insights import selectors
from insights.services import england_run_execute, england_run_start
from search.models import SupplyEntry

ANALYSIS_TARGET_S = 2.0
ENGLAND_TARGET_S = 300.0
PAGE_TARGET_MS = 300.0
PAGE_RUNS = 50


def run(paths: BenchPaths, *, activities: int, repeat: int, england: bool = True) -> int:
    """Time the borough's analysis and the pages on the bench database; 1 when a request
    fails, else 0."""
    ensure_data(paths, activities)
    # Supply entries are written with the index: a database older than them has none yet.
    ensure_index(also_empty=not SupplyEntry.objects.exists())
    # The seed's service lines are themes once linked to kinds of activity, as in the demo.
    ensure_demo_service_line_categories()
    lad = selectors.district()
    areas = selectors.district_areas(lad)
    rule(f"A borough's analysis: {lad}, {len(areas)} small areas")
    print(f"Supply entries: {SupplyEntry.objects.count():,}")

    started = time.perf_counter()
    box = selectors._around(areas, selectors.reach().nearest_within_m)
    table = selectors.offers(selectors.district_themes(), within=box)
    read_s = time.perf_counter() - started
    print(
        f"Reading the supply near the borough: {len(table.theme):,} (activity, theme) rows and "
        f"{len(table.remote):,} remote offers in {read_s:.2f} s"
    )

    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        found = selectors.district_gaps(lad)
        runs.append(time.perf_counter() - started)
    rows = len(found.rows)
    found_themes = {r.theme for r in found.rows}
    print(
        f"district_gaps ({found.areas} areas × {found.themes} themes = {rows:,} rows): "
        f"median {statistics.median(runs):.2f} s, slowest {max(runs):.2f} s over {repeat} runs; "
        f"target {ANALYSIS_TARGET_S:.0f} s {met(max(runs) <= ANALYSIS_TARGET_S)}"
    )

    if england:
        rule("All of England in the background (insights.services.england_run_execute)")
        run, _ = england_run_start()
        started = time.perf_counter()
        run = england_run_execute(run_id=run.pk)
        seconds = time.perf_counter() - started
        print(
            f"{run.districts_done} districts, {run.areas_done:,} small areas × {len(found_themes)} "
            f"themes: {run.get_status_display().lower()} in {seconds:.0f} s; target "
            f"{ENGLAND_TARGET_S:.0f} s {met(seconds <= ENGLAND_TARGET_S and run.status == 'done')}"
        )
        if run.error:
            print(f"  error: {run.error}")

    rule("Pages once computed (p95)")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-commissioner", defaults={"email": "bench@example.org"}
    )
    user.user_permissions.add(Permission.objects.get(codename="view_aggregates"))
    client = Client()
    client.force_login(user)
    cache.clear()
    failures = []

    def getter(url):
        def call():
            response = client.get(url)
            if response.status_code != 200:
                failures.append((url, response.status_code))
            return response

        return call

    pages = {
        "/insights/gaps/": getter("/insights/gaps/"),
        "/insights/gaps/?format=csv": getter("/insights/gaps/?format=csv"),
        "/insights/map/?measure=gap&theme=mental-wellbeing": getter(
            "/insights/map/?measure=gap&theme=mental-wellbeing"
        ),
        "/insights/gaps/?format=first-csv": getter("/insights/gaps/?format=first-csv"),
        "/insights/map/?measure=gap&theme=line:health-checks": getter(
            "/insights/map/?measure=gap&theme=line:health-checks"
        ),
        "/insights/map/?group=outcode": getter("/insights/map/?group=outcode"),
        "/insights/trends/": getter("/insights/trends/"),
        "/insights/report/": getter("/insights/report/"),
        "/insights/england/": getter("/insights/england/"),
        "/api/insights/gaps": getter("/api/insights/gaps"),
        "/api/insights/gaps?theme=mental-wellbeing": getter(
            "/api/insights/gaps?theme=mental-wellbeing"
        ),
    }
    started = time.perf_counter()
    pages["/insights/gaps/"]()
    print(f"First view (computes and keeps the figures): {time.perf_counter() - started:.2f} s")
    gc.collect()
    gc.freeze()
    timings = timed(pages, PAGE_RUNS, warmup=2)
    print(f"{'path':<54} {'p50 ms':>8} {'p95 ms':>8}  target")
    for name, t in timings.items():
        ok = met(t.p95 <= PAGE_TARGET_MS)
        print(f"{name:<54} {t.p50:8.1f} {t.p95:8.1f}  {PAGE_TARGET_MS:.0f} ms {ok}")
    if failures:
        print(f"FAILED requests: {failures[:5]}")
        return 1
    return 0
