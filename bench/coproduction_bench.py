"""Coproduction pages benchmark: the p95 of each page on the demo borough, as served, for the
people who use them; the target is 300 ms a page (issue 15).

Run with `make bench-coproduction` (or `.venv/bin/python bench/coproduction_bench.py
[--repeat R]`). It loads the demo borough with its accounts into a database of its own in a
temporary directory (about a minute), signs in as the demo's commissioner, team lead and group
editor, and times each page they use with the test client, DEBUG off, the pages taking turns.
It prints p50, p95, the SQL queries a page makes and whether each p95 meets the target, and
exits 1 only if a page does not answer 200: it is a report, not a test.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import met, rule, timed  # noqa: E402

TARGET_MS = 300.0


def configure_environment(directory: Path) -> None:
    """Point Django at the bench's own files: before django.setup(), always."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.dev"
    os.environ["DEBUG"] = "False"  # as served: no SQL kept, no debug pages
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'coproduction.sqlite3'}"
    os.environ["SEARCH_INDEX_DIR"] = str(directory / "index")
    os.environ["SEARCH_BACKEND"] = "embedded"
    os.environ["MEDIA_ROOT"] = str(directory / "media")
    os.environ["PRIVATE_MEDIA_ROOT"] = str(directory / "private")
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ["CELERY_BROKER_URL"] = ""


def load() -> None:
    from django.core.management import call_command  # after django.setup()

    rule("Data")
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    # The demo's accounts are what the pages are for; this database is thrown away after.
    call_command("load_demo", allow_production=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("rebuild_directory_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"Demo borough loaded and indexed in {time.perf_counter() - started:.1f} s.")


def page_mix() -> list[tuple[str, str, str]]:
    """(who, label, url): each coproduction page, for those who use it. A label ending
    "afresh" is timed with what the page keeps between requests forgotten first (the
    commissioners' overview, the network's measures): its first view after a change."""
    from django.db.models import Count  # after django.setup()
    from django.urls import reverse  # after django.setup()

    from coproduction.models import Ask, Partnership  # after django.setup()

    ask = Ask.objects.annotate(n=Count("capabilities")).order_by("-n", "pk").first()
    partnership = Partnership.objects.annotate(n=Count("events")).order_by("-n", "pk").first()
    home, matrix = reverse("coproduction:home"), reverse("coproduction:matrix")
    commissioning = reverse("coproduction:commissioning")
    network = reverse("coproduction:network")
    mix = [
        ("commissioner", "home", home),
        ("commissioner", "capability matrix", matrix),
        ("commissioner", "commissioning (coverage, gaps, charts)", commissioning),
        ("commissioner", "commissioning, afresh", commissioning),
        ("commissioner", "network map, whole system", network),
        ("commissioner", "network map, whole system, afresh", network),
        ("commissioner", "network map, CSV", f"{network}?format=csv"),
        ("commissioner", "network map, GraphML", f"{network}?format=graphml"),
        ("teamlead", "home", home),
        ("teamlead", "capability matrix", matrix),
        ("teamlead", "network map", network),
        ("editor", "home", home),
    ]
    if ask is not None:
        url = reverse("coproduction:ask", args=[ask.pk])
        mix.append(("commissioner", f"ask with ranked groups ({ask.title[:24]})", url))
    if partnership is not None:
        url = reverse("coproduction:partnership", args=[partnership.pk])
        mix.append(("commissioner", "partnership page", url))
    return mix


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=60, help="timed runs per page")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="coproduction-bench-") as tmp:
        configure_environment(Path(tmp))
        django.setup()
        load()

        from django.contrib.auth import get_user_model  # after django.setup()
        from django.db import connection  # after django.setup()
        from django.test import Client  # after django.setup()
        from django.test.utils import CaptureQueriesContext  # after django.setup()

        from cms.serving import prepare_for_serving  # after django.setup()
        from coproduction.network import forget_measures  # after django.setup()
        from coproduction.selectors import forget_commissioning_overview  # after django.setup()

        prepare_for_serving()
        clients = {}
        for username in ("commissioner", "teamlead", "editor"):
            client = Client()
            client.force_login(get_user_model().objects.get(username=username))
            clients[username] = client

        failures, measured = [], []
        for who, label, url in page_mix():
            response = clients[who].get(url)
            if response.status_code != 200:
                failures.append(f"{who} {label} {url}: {response.status_code}")
                continue
            with CaptureQueriesContext(connection) as captured:
                clients[who].get(url)
            measured.append((who, label, url, len(captured.captured_queries)))

        def page(who, label, url):
            if label.endswith("afresh"):
                # Only what this page keeps: the pages take turns, and the others' stay warm.
                (forget_measures if "network" in label else forget_commissioning_overview)()
            response = clients[who].get(url)
            if response.streaming:
                b"".join(response.streaming_content)

        timings = timed(
            {
                (who, label): functools.partial(page, who, label, url)
                for who, label, url, _ in measured
            },
            args.repeat,
            budget_s=3.0,
        )
        rule(f"Coproduction pages (ms; target p95 <= {TARGET_MS:.0f} ms)")
        print(f"  {'who':<14}{'page':<44}{'p50':>8}{'p95':>8}{'n':>5}{'SQL':>5}  target")
        for who, label, _url, sql in measured:
            t = timings[(who, label)]
            print(
                f"  {who:<14}{label[:43]:<44}{t.p50:8.1f}{t.p95:8.1f}{t.n:>5}{sql:>5}"
                f"  {met(t.p95 <= TARGET_MS)}"
            )
        for failure in failures:
            print(f"  FAILED {failure}")
        return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
