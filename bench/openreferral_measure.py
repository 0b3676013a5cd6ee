"""The Open Referral bench's measuring (bench/openreferral_bench.py sets Django up first)."""

from __future__ import annotations

import gc
import random

from django.test import Client

from assets_directory.models import Activity, Venue
from bench.measure import ensure_data, ensure_index
from bench.paths import BenchPaths
from bench.timing import met, rule, timed
from openreferral.selectors import directory_changed

LIST_TARGET_MS = 50.0
ITEM_TARGET_MS = 20.0
PROXIMITY_M = 2_000
ITEM_IDS = 200


def run(paths: BenchPaths, *, activities: int, repeat: int) -> int:
    """Time the feed on the bench database; 1 when a request fails, else 0."""
    ensure_data(paths, activities)
    ensure_index()

    listed = Activity.objects.listed()
    total = listed.count()
    rng = random.Random(16)
    sample = list(listed.order_by("?").values_list("uuid", flat=True)[:ITEM_IDS])
    # A postcode where the borough's venues are: the first venue in use's.
    postcode = (
        Venue.objects.filter(activities__isnull=False)
        .order_by("pk")
        .values_list("postcode", flat=True)
        .first()
    )
    client = Client()
    failures = []

    def getter(url_for):
        def call():
            response = client.get(url_for())
            if response.status_code != 200:
                failures.append((url_for(), response.status_code))
            return response

        return call

    middle = max(1, (total // 50) // 2)
    paths_timed = {
        "/services?per_page=50 (page 1)": getter(lambda: "/openreferral/services?per_page=50"),
        f"/services?per_page=50&page={middle}": getter(
            lambda: f"/openreferral/services?per_page=50&page={middle}"
        ),
        f"/service_at_locations?postcode={postcode}&proximity={PROXIMITY_M}&per_page=50": getter(
            lambda: (
                f"/openreferral/service_at_locations?postcode={postcode}"
                f"&proximity={PROXIMITY_M}&per_page=50"
            )
        ),
        "/services?search=yoga&per_page=50": getter(
            lambda: "/openreferral/services?search=yoga&per_page=50"
        ),
        "/services/{id}": getter(lambda: f"/openreferral/services/{rng.choice(sample)}"),
    }

    def cold(call):
        # As after any change to the directory: each list's ids are read again.
        def first_after_a_change():
            directory_changed()
            return call()

        return first_after_a_change

    # Timed on their own: taking turns with the others, they would make those cold too.
    cold_timed = {
        "/services?per_page=50 (page 1), cold": cold(paths_timed["/services?per_page=50 (page 1)"]),
        "/service_at_locations?postcode=…&proximity=…&per_page=50, cold": cold(
            paths_timed[
                f"/service_at_locations?postcode={postcode}&proximity={PROXIMITY_M}&per_page=50"
            ]
        ),
    }
    first = client.get(f"/openreferral/service_at_locations?postcode={postcode}")
    near = client.get(
        f"/openreferral/service_at_locations?postcode={postcode}&proximity={PROXIMITY_M}"
    ).json()
    rule(f"Open Referral feed: {total:,} listed activities")
    print(f"Postcode {postcode}: {near['total_items']:,} services at locations within ")
    print(f"{PROXIMITY_M:,} m ({first.json()['total_items']:,} with a venue anywhere).")
    gc.collect()
    gc.freeze()
    timings = timed(paths_timed, repeat)
    timings.update(timed(cold_timed, repeat))
    print()
    print(f"{'path':<78} {'p50 ms':>8} {'p95 ms':>8}  target")
    for name, t in timings.items():
        target = ITEM_TARGET_MS if name.endswith("{id}") else LIST_TARGET_MS
        print(f"{name:<78} {t.p50:8.1f} {t.p95:8.1f}  {target:.0f} ms {met(t.p95 <= target)}")
    if failures:
        print(f"FAILED requests: {failures[:5]}")
        return 1
    return 0
