"""Likely duplicates across sources: the same organisation or activity listed by two feeds, or
by a feed and by its own group here.

Organisations are paired by the same charity or company number; activities by much the same
title at venues within 100 m (the directory's own rules, assets_directory.duplicates). Only
pairs from different sources are listed: a feed's own repeats are its business. Candidates come
from bounded queries around each venue a run touched, never from comparing every listing.
"""

from __future__ import annotations

from collections import defaultdict

from assets_directory.duplicates import SIMILAR, name_similarity, venues_near
from assets_directory.models import Activity, Organisation, Venue

from .models import DuplicatePair, HarvestedRecord


def _sources(page_ids) -> dict[int, int | None]:
    """Each page's feed (None: a local listing)."""
    found = dict(
        HarvestedRecord.objects.filter(page_id__in=list(page_ids)).values_list(
            "page_id", "source_id"
        )
    )
    return {pk: found.get(pk) for pk in page_ids}


def find_pairs(*, run) -> int:
    """Pairs the run's records make with listings from elsewhere; returns how many are new."""
    records = HarvestedRecord.objects.filter(last_run=run, page__isnull=False)
    pairs: dict[tuple[int, int], set[str]] = defaultdict(set)

    organisation_ids = list(records.filter(kind=HarvestedRecord.Kind.ORGANIZATION)
                            .values_list("page_id", flat=True))  # fmt: skip
    organisations = Organisation.objects.filter(pk__in=organisation_ids)
    numbers = defaultdict(set)
    for organisation in organisations.only("charity_number", "company_number"):
        if organisation.charity_number.strip():
            numbers[("charity_number", organisation.charity_number.strip())].add(organisation.pk)
        if organisation.company_number.strip():
            numbers[("company_number", organisation.company_number.strip())].add(organisation.pk)
    # One query a kind of number, for all the run's numbers at once.
    for field, words in (
        ("charity_number", "the same charity number"),
        ("company_number", "the same company number"),
    ):
        wanted = {number for kind, number in numbers if kind == field}
        holders = defaultdict(set)
        for pk, number in Organisation.objects.filter(**{f"{field}__in": wanted}).values_list(
            "pk", field
        ):
            holders[number.strip()].add(pk)
        for number in wanted:
            for one in numbers[(field, number)]:
                for other in holders[number] - {one}:
                    pairs[(min(one, other), max(one, other))].add(words)

    activity_ids = records.filter(kind=HarvestedRecord.Kind.SERVICE).values_list(
        "page_id", flat=True
    )
    by_venue: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, venue_id, title in Activity.objects.filter(
        pk__in=list(activity_ids), venue__isnull=False
    ).values_list("pk", "venue_id", "title"):
        by_venue[venue_id].append((pk, title))
    for venue in Venue.objects.filter(pk__in=list(by_venue), latitude__isnull=False):
        near = venues_near(venue.latitude, venue.longitude)
        others = Activity.objects.filter(venue__in=list(near)).values_list("pk", "title")
        for pk, title in by_venue[venue.pk]:
            for other, other_title in others:
                if other != pk and name_similarity(title, other_title) >= SIMILAR:
                    pairs[(min(pk, other), max(pk, other))].add(
                        "much the same title at venues within 100 m"
                    )

    if not pairs:
        return 0
    sources = _sources({pk for pair in pairs for pk in pair})
    new = [
        DuplicatePair(first_id=a, second_id=b, reasons="; ".join(sorted(reasons))[:255])
        for (a, b), reasons in pairs.items()
        if sources[a] != sources[b]
    ]
    before = DuplicatePair.objects.count()
    DuplicatePair.objects.bulk_create(new, ignore_conflicts=True)
    return DuplicatePair.objects.count() - before
