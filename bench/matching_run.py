"""The matching engine as served: POST /api/match for people like those the personas describe,
on the bench's database, timed through the test client as the search API is.

Target (issue 12): p95 at most 100 ms on 100,000 activities.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

from django.test import Client

from bench.timing import Timings, met, rule, timed

TARGET_MATCH_P95_MS = 100.0

# (label, answers): a spread of what people ask for, in the POST /api/match shape.
PROFILES = (
    (
        "lonely, chose singing, walking, crafts",
        {
            "near": "SW18 4DJ",
            "top_three": ["music-and-singing", "walking", "arts-and-crafts"],
            "needs": ["lonely"],
        },
    ),
    (
        "carer of someone with dementia, free only",
        {
            "near": "SW16",
            "top_three": ["carers-support", "mental-wellbeing"],
            "needs": ["caring", "mood"],
            "max_cost": 0,
            "cares_for": True,
            "cared_for_conditions": ["dementia"],
        },
    ),
    (
        "young parent, weekday mornings",
        {
            "near": "SW12",
            "top_three": ["parent-and-baby-groups", "walking"],
            "needs": ["lonely"],
            "young_children": True,
            "age_band": "18_to_49",
            "max_travel_km": 3,
            "free_times": [
                {"day": day, "from": "09:00", "to": "12:00"}
                for day in ("mon", "tue", "wed", "thu", "fri")
            ],
        },
    ),
    (
        "wheelchair user, 4 km, network of family only",
        {
            "near": "SW11",
            "top_three": ["social-and-friendship", "arts-and-crafts"],
            "needs": ["lonely"],
            "access_needs": ["step-free"],
            "max_travel_km": 4,
            "conditions": ["stroke"],
            "network": {
                "members": [
                    {"circle": 1, "kind": "partner"},
                    {"circle": 1, "kind": "family"},
                    {"circle": 2, "kind": "family"},
                ]
            },
        },
    ),
    (
        "no interests, money worries",
        {"near": "SW11", "needs": ["money", "eating"], "max_cost": 0, "max_travel_km": 3},
    ),
)


@dataclass
class MatchResult:
    label: str
    suggestions: int
    timings: Timings


def run(repeat: int, failures: list[str]) -> list[MatchResult]:
    """Time each profile's POST /api/match, the profiles taking turns."""
    client = Client()
    rule("Matching: POST /api/match (times in ms)")
    print(f"{repeat} timed runs per profile, the profiles taking turns.")
    bodies = {label: json.dumps(answers) for label, answers in PROFILES}

    def post(body: str):
        return client.post("/api/match", body, content_type="application/json")

    counts = {}
    for label, body in bodies.items():
        response = post(body)
        if response.status_code != 200:
            failures.append(f"{label}: POST /api/match answered {response.status_code}")
            continue
        counts[label] = len(response.json()["suggestions"])
    timings = timed({label: functools.partial(post, bodies[label]) for label in counts}, repeat)
    results = [MatchResult(label, counts[label], timings[label]) for label in counts]
    print(f"  {'profile':<48}{'p50':>8}{'p95':>8}{'mean':>8}{'n':>5}{'shown':>7}")
    for r in results:
        t = r.timings
        print(f"  {r.label:<48}{t.p50:8.2f}{t.p95:8.2f}{t.mean:8.2f}{t.n:>5}{r.suggestions:>7}")
    return results


def summary_lines(results: list[MatchResult]) -> list[str]:
    if not results:
        return ["[NOT met] POST /api/match p95: not measured"]
    worst = max(results, key=lambda r: r.timings.p95)
    ok = worst.timings.p95 <= TARGET_MATCH_P95_MS
    return [
        f"[{met(ok):>7}] POST /api/match p95 <= {TARGET_MATCH_P95_MS:.0f} ms for every profile: "
        f"worst {worst.timings.p95:.2f} ms, {worst.label}"
    ]
