"""Open Referral feed benchmark: the 95th percentile of the feed's answers, as served.

Run with `.venv/bin/python bench/openreferral_bench.py [--activities N] [--repeat R]
[--dir D]`. It prints figures and exits 0 whether or not the targets are met (it is a report,
not a test); 1 when a request it measures fails.

Targets (issue 16): `/services` and `/service_at_locations?postcode=...&proximity=...` at
most 50 ms for a page of 50; an item (`/services/{id}`) at most 20 ms; at 100,000 activities.
The lists are timed as served (a list's ids are kept in the process until the directory
changes) and "cold", the first request after a change (openreferral.selectors
directory_changed() before each).

It uses the search bench's database in var/bench/ (or --dir): the demo borough loaded with
--activities N (`load_demo --without-accounts`), built on the first run and reused after
(bench/measure.py ensure_data), with its search index rebuilt when empty. Requests go through
Django's test Client with DEBUG off and what the process has loaded frozen out of the garbage
collector's way, as cms/wsgi.py does; the paths take turns (bench/timing.py).
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
    parser.add_argument("--repeat", type=int, default=200, help="timed runs per path")
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    paths = BenchPaths.under(args.dir)
    paths.directory.mkdir(parents=True, exist_ok=True)
    configure_environment(paths)
    django.setup()

    # Imported only now: it imports the apps' models at module level, which needs Django set
    # up on the bench's own database (configure_environment, django.setup).
    from bench import openreferral_measure

    return openreferral_measure.run(paths, activities=args.activities, repeat=args.repeat)


if __name__ == "__main__":
    sys.exit(main())
