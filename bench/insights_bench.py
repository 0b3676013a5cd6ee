"""Commissioners' insights benchmark: the whole analysis of a borough (every small area × every
theme) on 100,000 activities, and the gaps page and open data as served once computed.

Run with `make bench-insights` (or `.venv/bin/python bench/insights_bench.py [--activities N]
[--repeat R] [--dir D]`). It prints figures and exits 0 whether or not the targets are met (it is
a report, not a test); 1 when a request it measures fails.

Targets (issue 18): a borough's analysis (about 190 small areas × every theme) at most 2 s on
100,000 activities; all of England (33,755 small areas) as a background job in at most 5
minutes (`--without-england` leaves it out); pages p95 at most 300 ms once computed.

It uses the search bench's database in var/bench/ (or --dir): the demo borough loaded with
--activities N, built on the first run and reused after (bench/measure.py ensure_data), with
its search index and supply entries rebuilt when empty.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.paths import DEFAULT_DIR, BenchPaths
from bench.search_bench import configure_environment


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed analyses of the borough")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    parser.add_argument(
        "--without-england", action="store_true", help="leave out all of England (minutes)"
    )
    args = parser.parse_args(argv)
    paths = BenchPaths.under(args.dir)
    paths.directory.mkdir(parents=True, exist_ok=True)
    configure_environment(paths)
    django.setup()

    # Imported only now: it imports the apps' models at module level, which needs Django set
    # up on the bench's own database (configure_environment, django.setup).
    from bench import insights_measure

    return insights_measure.run(
        paths, activities=args.activities, repeat=args.repeat, england=not args.without_england
    )


if __name__ == "__main__":
    sys.exit(main())
