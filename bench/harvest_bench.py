"""Harvest benchmark: services a second from a local file, and memory as the file is read.

Run with `.venv/bin/python bench/harvest_bench.py [--services N] [--dir D]`. It writes an
ndjson feed of N services (default 100,000: 1,000 organisations, 5,000 venues, one or two
sessions and terms each, as a borough's feed would be) into D (default var/bench-harvest/),
harvests it into a freshly migrated database there, then harvests it again (every record
unchanged). It prints the rates, with and without the search index's updates, and the
process's memory at each quarter of the run. A report, not a test: it exits 0 whether or not
the target (issue 16: at least 1,000 services a second from a local file) is met.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import sys
import time
from pathlib import Path

import django
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.paths import REPO, BenchPaths
from bench.search_bench import configure_environment

DEFAULT_DIR = REPO / "var" / "bench-harvest"
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA"]
WORDS = ["Chair yoga", "Coffee morning", "Health walk", "Knit and natter", "Mens shed",
         "Community choir", "Digital help", "Tai chi", "Gardening club", "Peer help"]  # fmt: skip
POSTCODES = ["SW18 4DJ", "SW17 0RG", "SW15 2PA", "SW11 1JS", "SW12 8QY", "SW19 1EF"]


def _uuid(r: random.Random) -> str:
    return str(__import__("uuid").UUID(int=r.getrandbits(128), version=4))


def write_feed(path: Path, count: int, seed: int = 16) -> None:
    r = random.Random(seed)
    organisations = [
        {"id": _uuid(r), "name": f"Group {n}", "description": "A community group."}
        for n in range(max(1, count // 100))
    ]
    locations = [
        {
            "id": _uuid(r),
            "location_type": "physical",
            "name": f"Hall {n}",
            "latitude": 51.44 + r.random() / 50,
            "longitude": -0.2 + r.random() / 20,
            "addresses": [
                {
                    "id": _uuid(r),
                    "address_1": f"{n} High Street",
                    "city": "London",
                    "state_province": "",
                    "postal_code": r.choice(POSTCODES),
                    "country": "GB",
                    "address_type": "physical",
                }
            ],
        }  # fmt: skip
        for n in range(max(1, count // 20))
    ]
    terms = [{"id": _uuid(r), "name": name, "taxonomy": "Borough taxonomy"} for name in WORDS]
    with open(path, "wb") as handle:
        for n in range(count):
            start = r.choice([9, 10, 11, 14, 18])
            service = {
                "id": _uuid(r),
                "name": f"{r.choice(WORDS)} {n}",
                "description": "A friendly weekly session. Everyone is welcome.\n\nCome along.",
                "status": "active",
                "organization": r.choice(organisations),
                "schedules": [
                    {
                        "id": _uuid(r),
                        "freq": "WEEKLY",
                        "byday": r.choice(DAYS),
                        "opens_at": f"{start:02d}:00",
                        "closes_at": f"{start + 1:02d}:30",
                    }
                    for _ in range(r.choice([1, 1, 2]))
                ],  # fmt: skip
                "service_at_locations": [{"id": _uuid(r), "location": r.choice(locations)}],
                "cost_options": [{"id": _uuid(r), "amount": r.choice([0, 0, 2, 3])}],
                "attributes": [
                    {"id": _uuid(r), "taxonomy_term": term} for term in r.sample(terms, 2)
                ],
            }
            handle.write(orjson.dumps(service) + b"\n")


def rss_mb() -> float:
    """The process's own memory (RssAnon): the heap, not the database file the connection
    maps into memory, whose pages are the OS's cache and can be dropped at any time."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument(
        "--profile", action="store_true", help="print where the first harvest spends its time"
    )
    args = parser.parse_args(argv)
    shutil.rmtree(args.dir, ignore_errors=True)
    paths = BenchPaths.under(args.dir)
    paths.directory.mkdir(parents=True, exist_ok=True)
    configure_environment(paths)
    django.setup()
    # Imported only now: they import the apps' models, which need Django set up on the
    # bench's own database (configure_environment, django.setup).
    from django.core.management import call_command  # after django.setup()

    from harvest import services  # after django.setup()
    from search import tasks  # after django.setup()

    call_command("migrate", verbosity=0)

    feed = paths.directory / "feed.ndjson"
    other = paths.directory / "other.ndjson"
    started = time.perf_counter()
    write_feed(feed, args.services)
    write_feed(other, args.services, seed=17)
    size = feed.stat().st_size / 2**20
    print(f"Feed: {args.services:,} services, {size:,.0f} MB ndjson, written in "
          f"{time.perf_counter() - started:.1f} s.")  # fmt: skip

    marks_done: list[bool] = []

    def measure(label: str, feed: Path, *, index: bool, source_name: str) -> None:
        marks = {}
        quarter = max(1, args.services // 4)

        def progress(run):
            if run.seen // quarter not in marks:
                marks[run.seen // quarter] = rss_mb()

        original = tasks.index_enqueue
        if not index:
            tasks.index_enqueue = lambda ids: None
            services.index_enqueue = tasks.index_enqueue
        try:
            source = services.feed_source_get_or_create(name=source_name)
            run = services.harvest_run_create(source=source, origin=str(feed))
            profiler = cProfile.Profile() if args.profile and not marks_done else None
            begun = time.perf_counter()
            if profiler:
                profiler.enable()
            run = services.harvest_file(run=run, path=feed, progress=progress)
            took = time.perf_counter() - begun
            if profiler:
                profiler.disable()
                order = os.environ.get("BENCH_SORT", "cumtime")
                only = os.environ.get("BENCH_FILTER", "harvest|bulk|search|query.py")
                pstats.Stats(profiler).sort_stats(order).print_stats(only, 40)
                marks_done.append(True)
        finally:
            tasks.index_enqueue = original
            services.index_enqueue = original
        rate = run.seen / took if took else 0
        memory = ", ".join(f"{v:,.0f}" for _, v in sorted(marks.items()))
        print(f"{label}: {run.seen:,} in {took:.1f} s = {rate:,.0f} services/s "
              f"({run.created:,} new, {run.updated:,} changed, {run.unchanged:,} unchanged, "
              f"{run.skipped:,} skipped); memory by quarter (MB): {memory}. "
              f"Target at least 1,000/s: {'met' if rate >= 1000 else 'NOT met'}.")  # fmt: skip

    measure("First harvest, search index updated in the process as it goes", feed,
            index=True, source_name="Bench borough")  # fmt: skip
    measure("Another borough's feed, index updates left to the worker (as in production)",
            other, index=False, source_name="Next borough")  # fmt: skip
    measure("The first feed again (every record unchanged)", feed, index=True,
            source_name="Bench borough")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
