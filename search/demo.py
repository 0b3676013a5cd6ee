"""Demo searches that found nothing: a year of what people looked for in the demo borough and
did not find, so that the commissioners' report and trends have something to show."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from .models import ZeroResultSearch

# (words, top-level category or "", outward codes where it is mostly looked for, how often).
DEMO_SEARCHES = (
    ("anxiety support", "mental-wellbeing", ("SW15", "SW18"), 30),
    ("panic attacks", "mental-wellbeing", ("SW15",), 12),
    ("coding club", "digital-skills", ("SW17", "SW18"), 14),
    ("men's shed", "social-and-friendship", ("SW15", "SW12"), 11),
    ("dementia cafe", "health-condition-support", ("SW17", "SW16"), 16),
    ("english classes", "learning-and-skills", ("SW17",), 18),
    ("tai chi", "physical-activity", ("SW11",), 9),
    ("young carers", "carers-support", ("SW18", "SW17"), 10),
    ("debt advice", "advice", ("SW15", "SW11"), 13),
    ("cooking on a budget", "food-and-cooking", ("SW15",), 8),
    ("", "children-and-families", ("SW12",), 6),
    ("swimming for women", "", ("SW17",), 7),
)


def ensure_demo_zero_results(*, seed: int, today: datetime.date | None = None) -> int:
    """About 150 searches with no results spread over the last 12 months, more in recent
    months; none if the demo has any already (running it again changes nothing)."""
    if ZeroResultSearch.objects.exists():
        return 0
    rng = random.Random(seed)
    today = today or timezone.localdate()
    made = []
    for words, category, outcodes, count in DEMO_SEARCHES:
        for _ in range(count):
            # Weighted towards recent months: the need grows through the year.
            days_ago = int(365 * (1 - rng.random() ** 0.7))
            day = today - datetime.timedelta(days=days_ago)
            at = timezone.make_aware(
                datetime.datetime.combine(
                    day, datetime.time(rng.randint(8, 21), rng.randint(0, 59))
                )
            )
            made.append(
                (
                    at,
                    ZeroResultSearch(
                        terms=words, categories=category, outcode=rng.choice(outcodes)
                    ),
                )
            )
    ZeroResultSearch.objects.bulk_create([search for _, search in made])
    # created_at is set on insert (auto_now_add): each is given its own day afterwards.
    stored = list(ZeroResultSearch.objects.order_by("pk"))
    for (at, _), search in zip(made, stored, strict=True):
        search.created_at = at
    ZeroResultSearch.objects.bulk_update(stored, ["created_at"], batch_size=500)
    return len(made)
