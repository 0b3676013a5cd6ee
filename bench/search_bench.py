"""Directory search benchmark: rebuild speed, query latency, the pages that list activities,
and Wagtail's database search.

Run with `make bench` (or `.venv/bin/python bench/search_bench.py [--activities N]
[--repeat R] [--fresh] [--dir D]`). It prints figures and exits 0 whether or not the targets
are met: it is a report, not a test. It exits 1 when a request it measures fails, so the small
run in CI (.ci/run) catches a bench that no longer works.

Everything lives in var/bench/ or --dir (its own SQLite database, search index and media), so
the developer's var/db.sqlite3 and var/search-index/ are never touched. The first run loads
the demo borough with --activities N (about 75 s for 100,000; `load_demo --without-accounts`,
so nothing with a published password is made and DEBUG stays off); later runs reuse it.

Each query in the mix is one URL query string, measured three ways in the same run:
    API      Django's test Client: GET /api/search?<qs> (parsing, search, next sessions, JSON)
    backend  get_backend().search(parse_search_params(QueryDict(qs)).query)
    floor    every bare engine call and every SQL statement one API request makes, replayed
             raw: one request is recorded first (after two untimed ones) through the backend's
             trace hook (BaseSearchBackend.trace), then each floor run replays the same engine
             calls with the same, already built query objects (for the embedded backend:
             searcher.search, .aggregate, .doc for each hit, and the snippet generator for
             each hit when words are searched), and re-executes the same SQL with its
             parameters on the database backend's bare cursor, fetching every row. This is
             what the request cannot do without: what is left between floor and API is Python
             (parsing, building queries, decoding stored documents, next sessions, JSON) and
             Django's request handling. A backend without the hook (supports_trace) gets no
             floor.
The three take turns, one call each per round, so load from other processes on a shared
machine falls on all three alike. The API is timed as it is served: DEBUG off, and what the
process has loaded frozen out of the garbage collector's way, as cms/wsgi.py does.

Type-ahead: GET /api/suggest?q=<prefix> for a few prefixes as the "What" box sends them
(bench/measure.py SUGGEST_PREFIXES), timed as served and as the bare search.suggestions.suggest
call, taking turns; the target is 20 ms at the 95th percentile for every prefix.

Relevance: the judged query set (bench/relevance_queries.json, bench/relevance.py) is run
through the site's search on the demo borough, the first 400 activities of the bench database,
indexed on their own beside the bench's index; it prints nDCG@10 and the zero-result rate for
the embedded backend and for each server backend below, then the same on the whole bench
database for comparison (bench/relevance_run.py). `make relevance` prints the same
on a demo borough built in a temporary directory.

Server backends: when ELASTICSEARCH_URL or OPENSEARCH_URL is set (with the site's other
ELASTICSEARCH_* / OPENSEARCH_* settings for credentials), the bench also rebuilds the bench
database into that server, on an alias of its own (`<index>-bench`, never the site's), and
times the same query mix (API, backend call and floor) and type-ahead there, printing the same
figures and a summary section for each (bench/servers.py).

This script points Django at the bench's files and sets it up; bench/measure.py measures and
prints (bench/paths.py says where the files are).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

import django

# Run as a script, Python puts bench/ first on the path, not the repository's root, from which
# the bench package and the apps are imported.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.paths import DEFAULT_DIR, BenchPaths

# Wagtail's database search takes seconds a query at 100,000 pages: cap the time per word.
WAGTAIL_BUDGET_S = 20.0


def configure_environment(paths: BenchPaths) -> None:
    """Point Django at the bench database and index: before django.setup(), always."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    # As served: no SQL kept for debugging, no debug pages. The dev settings need no secrets.
    os.environ["DEBUG"] = "False"
    os.environ["DATABASE_URL"] = f"sqlite:///{paths.database}"
    os.environ["SEARCH_INDEX_DIR"] = str(paths.index)
    os.environ["SEARCH_BACKEND"] = "embedded"
    os.environ["MEDIA_ROOT"] = str(paths.media)
    os.environ["PRIVATE_MEDIA_ROOT"] = str(paths.media / "private")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    # Celery tasks (index updates while the demo loads) run in-process, never on a broker.
    os.environ["CELERY_BROKER_URL"] = ""
    # The bench sends thousands of match requests from one address, as no visitor would.
    os.environ["MATCH_API_RATE_LIMIT"] = "1000000"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per query and path")
    parser.add_argument("--fresh", action="store_true", help="delete the bench directory first")
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help="where the bench database, index and media live (default var/bench)",
    )
    parser.add_argument(
        "--wagtail-update-index",
        action="store_true",
        help="fill Wagtail's index with update_index instead of add_bulk (much slower)",
    )
    parser.add_argument(
        "--wagtail-budget",
        type=float,
        default=WAGTAIL_BUDGET_S,
        help="seconds of Wagtail search per keyword (default %(default)s)",
    )
    parser.add_argument(
        "--skip-wagtail", action="store_true", help="leave out the Wagtail comparison"
    )
    args = parser.parse_args(argv)
    if args.repeat < 2 or args.activities < 1:
        parser.error("--repeat must be at least 2 and --activities at least 1")
    started = time.perf_counter()

    paths = BenchPaths.under(args.dir)
    if args.fresh:
        # Only what the bench itself keeps there: --dir may name a directory holding more.
        paths.remove_database_and_index()
        shutil.rmtree(paths.media, ignore_errors=True)
    paths.directory.mkdir(parents=True, exist_ok=True)
    configure_environment(paths)
    django.setup()

    # Imported only now: the measuring module imports the apps' models at module level, which
    # needs Django set up on the bench's own database (configure_environment, django.setup).
    from bench import measure

    return measure.run(
        paths,
        activities=args.activities,
        repeat=args.repeat,
        wagtail_update_index=args.wagtail_update_index,
        wagtail_budget_s=args.wagtail_budget,
        skip_wagtail=args.skip_wagtail,
        started=started,
    )


if __name__ == "__main__":
    sys.exit(main())
