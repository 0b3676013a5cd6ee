"""Search relevance on the demo borough: the judged query set's nDCG@10 and zero-result rate.

Run with `make relevance` (or `.venv/bin/python bench/relevance_bench.py [--dir D]`). It builds
the demo borough (400 activities, seed 2026) in a temporary directory of its own (about half a
minute), indexes it, runs the judged set (bench/relevance_queries.json) through the site's
search and prints the same "Relevance" section as `make bench`: for the embedded backend, and
for Elasticsearch too when ELASTICSEARCH_URL is set. Like the bench, it is a report: it exits 0
whether or not the targets are met.

With --dir, the borough is kept there and reused by the next run with the same --dir.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import django

# Run as a script, Python puts bench/ first on the path, not the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.paths import BenchPaths
from bench.search_bench import configure_environment


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="keep the demo borough's database here (default: a temporary directory)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="common-ground-relevance-") as scratch:
        paths = BenchPaths.under(args.dir or Path(scratch))
        paths.directory.mkdir(parents=True, exist_ok=True)
        configure_environment(paths)
        django.setup()

        # Imported only now: they import the apps' models (Django set up on this database).
        from django.db import connections

        from bench import measure, relevance_run  # as above

        measure.ensure_data(paths, relevance_run.DEMO_ACTIVITIES)
        results = relevance_run.run(paths.directory / "relevance")
        print()
        for line in relevance_run.summary_lines(results):
            print(line)
        print(f"\nFinished in {time.perf_counter() - started:.0f} s.")
        # Before the temporary directory holding the database goes.
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
