"""Counts for commissioners: by area, only of people who agreed to be counted, small numbers
suppressed. No names, no references."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from assets_directory.selectors import category_themes

from ..models import Consent, NetworkMap, Person
from ..network import NETWORK_TYPE_LABELS
from ..vocabulary import NEED_LABELS, NEEDS
from .categories import category_names

SMALL_NUMBER = 5
SUPPRESSED = "fewer than 5"


@dataclass
class AreaFigures:
    outward_code: str
    people: int | str
    needs: dict[str, int | str]
    interests: dict[str, int | str]
    network_types: dict[str, int | str]

    @property
    def tables(self):
        return (
            ("Needs", self.needs),
            ("Interests", self.interests),
            ("Network types", self.network_types),
        )


def suppress(count: int) -> int | str:
    """Small numbers could identify someone: show them as "fewer than 5"."""
    return SUPPRESSED if 0 < count < SMALL_NUMBER else count


def aggregates_by_area() -> list[AreaFigures]:
    """Counts by outward code of people who agreed to be counted. No names, no references."""
    consenting = Consent.objects.filter(withdrawn_at__isnull=True, count_in_statistics=True)
    people = (
        Person.objects.filter(consents__in=consenting)
        .distinct()
        .select_related("preferences")
        .prefetch_related(
            "needs",
            Prefetch("network_maps", queryset=NetworkMap.objects.order_by("-created_at", "-id")),
        )
    )
    names = category_names()
    counts: dict[str, dict[str, Counter]] = defaultdict(
        lambda: {"people": Counter(), "needs": Counter(), "interests": Counter(),
                 "types": Counter()}
    )  # fmt: skip
    for person in people:
        area = counts[person.outward_code or "Unknown"]
        area["people"]["all"] += 1
        for need in person.needs.all():
            area["needs"][NEED_LABELS.get(need.need, need.need)] += 1
        preferences = getattr(person, "preferences", None)
        if preferences is not None:
            for slug in dict.fromkeys([*preferences.top_three, *preferences.interests]):
                area["interests"][names.get(slug, slug)] += 1
        maps = list(person.network_maps.all())
        if maps:
            kind = maps[0].metrics().network_type
            area["types"][NETWORK_TYPE_LABELS.get(kind, kind)] += 1

    def cells(counter: Counter) -> dict[str, int | str]:
        return {key: suppress(value) for key, value in counter.most_common()}

    return [
        AreaFigures(
            outward_code=code,
            people=suppress(area["people"]["all"]),
            needs=cells(area["needs"]),
            interests=cells(area["interests"]),
            network_types=cells(area["types"]),
        )
        for code, area in sorted(counts.items())
    ]


def counted_people_themes(*, outcodes, themes=None) -> dict[tuple[str, str], int]:
    """How many people who agreed to be counted, in each of those outward codes, want each
    theme (a top-level category, or `themes` as `category_themes` takes them): because they
    chose one of its categories as an interest or one of their top three, or named a need it
    answers. Each person once per theme. Raw counts: whoever shows them suppresses and rounds
    them."""
    theme_of = category_themes(themes)
    need_categories = {slug: cats for slug, _, cats in NEEDS}
    consenting = Consent.objects.filter(withdrawn_at__isnull=True, count_in_statistics=True)
    outcodes = set(outcodes)
    # The outward code is read from the postcode: a prefix narrows the rows, Python the rest.
    near = Q()
    for outcode in outcodes:
        near |= Q(postcode__istartswith=outcode)
    people = (
        Person.objects.filter(near, consents__in=consenting)
        .distinct()
        .select_related("preferences")
        .prefetch_related("needs")
    )
    counts: Counter = Counter()
    for person in people:
        if person.outward_code not in outcodes:
            continue  # SW1 is a prefix of SW15
        slugs = []
        preferences = getattr(person, "preferences", None)
        if preferences is not None:
            slugs += [*preferences.top_three, *preferences.interests]
        for need in person.needs.all():
            slugs += need_categories.get(need.need, ())
        for theme in {t for slug in slugs for t in theme_of.get(slug, ())}:
            counts[person.outward_code, theme] += 1
    return dict(counts)


def counted_people_by_month(*, outcodes, since) -> dict:
    """People in those outward codes who agreed to be counted, by the first day of the month
    their consent was recorded (since that day; each person once, at their latest consent still
    in force). Raw counts: whoever shows them suppresses and rounds them."""
    outcodes = set(outcodes)
    consents = (
        Consent.objects.filter(withdrawn_at__isnull=True, count_in_statistics=True)
        .select_related("person")
        .order_by("person_id", "-recorded_at")
    )
    counts: Counter = Counter()
    seen = set()
    for consent in consents.iterator(chunk_size=2000):
        if consent.person_id in seen:
            continue
        seen.add(consent.person_id)
        if consent.person.outward_code not in outcodes:
            continue
        recorded = timezone.localtime(consent.recorded_at).date()
        if recorded >= since:
            counts[recorded.replace(day=1)] += 1
    return dict(counts)
