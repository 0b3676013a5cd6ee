"""Turns directory pages into flat search documents, the one shape every backend indexes."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from functools import lru_cache

from wagtail.models import Site

from assets_directory import scheduling
from assets_directory.geocoding import GeocodingError, geocode
from assets_directory.models import (
    Activity,
    ActivitySchedule,
    ActivityTag,
    Category,
    Condition,
    Organisation,
    Venue,
)
from common.vocabulary import EVERYONE, WEEKDAY_SLUGS, audience_slugs

from .query import BUCKET_MINUTES, BUCKETS_PER_DAY, UNSCHEDULED_BUCKET

# An area served is the box around its outward codes' centres, padded by this much, since a
# centroid stands for a district a few kilometres across.
AREA_PADDING_DEG = 0.02
DEFAULT_SESSION_MINUTES = 60


BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote)>|<br\s*/?>", re.IGNORECASE)
# Rich text is stored as Wagtail writes it: well-formed tags, no scripts or comments. Django's
# strip_tags parses HTML in pure Python and was a fifth of a rebuild's time.
TAG = re.compile(r"<[^>]*>")


def _plain_text(rich_text: str) -> str:
    if "<" in rich_text:
        # Keep a space where blocks end, so "them.</p><p>New" does not become "them.New".
        rich_text = TAG.sub("", BLOCK_END.sub(" ", rich_text))
    if "&" in rich_text:
        rich_text = html.unescape(rich_text)
    return " ".join(rich_text.split())


def indexable_activities():
    """Activities that belong in the index: live, public pages (ended ones stay, filtered out)."""
    return Activity.objects.visible().order_by("pk")


ACTIVITY_FIELDS = (
    "pk", "uuid", "path", "url_path", "title", "summary", "description", "delivery",
    "area_served", "venue_id", "cost", "cost_amount", "age_min", "age_max", "status",
    "last_reviewed", "audience", "booking", "carers_welcome", "capacity",
)  # fmt: skip
SCHEDULE_FIELDS = (
    "activity_id", "frequency", "weekdays", "nth", "start_time", "end_time", "starts_on",
    "ends_on", "on_date", "term_time_only",
)  # fmt: skip


def category_ancestry() -> dict[int, list[str]]:
    """For each category id, its own slug and its ancestors' (a category matches descendants)."""
    categories = {c.pk: c for c in Category.objects.all()}
    ancestry = {}
    for pk, category in categories.items():
        slugs, seen, node = [], set(), category
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            slugs.append(node.slug)
            node = categories.get(node.parent_id)
        ancestry[pk] = slugs
    return ancestry


def session_buckets(recurrence: scheduling.Recurrence) -> tuple[set[str], set[int]]:
    """Weekday slugs and week-wide quarter-hour buckets a session pattern covers."""
    if recurrence.frequency == "once" and recurrence.on_date:
        weekdays = (recurrence.on_date.weekday(),)
    else:
        weekdays = recurrence.weekdays
    start = recurrence.start_time.hour * 60 + recurrence.start_time.minute
    if recurrence.end_time is not None:
        end = recurrence.end_time.hour * 60 + recurrence.end_time.minute
    else:
        end = min(start + DEFAULT_SESSION_MINUTES, 24 * 60)
    first, last = start // BUCKET_MINUTES, -(-end // BUCKET_MINUTES)
    buckets = {d * BUCKETS_PER_DAY + b for d in weekdays for b in range(first, last)}
    return {WEEKDAY_SLUGS[d] for d in weekdays}, buckets


@lru_cache(maxsize=1024)
def area_box(area_served: str) -> tuple[float, float, float, float] | None:
    """(min_lat, min_lng, max_lat, max_lng) around the outward codes listed, or None."""
    points = []
    for part in area_served.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            result = geocode(part)
        except GeocodingError:
            continue
        points.append((result.latitude, result.longitude))
    if not points:
        return None
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    pad = AREA_PADDING_DEG
    return (min(lats) - pad, min(lngs) - pad, max(lats) + pad, max(lngs) + pad)


class DocumentContext:
    """What documents share: categories, organisations, venues, the site root. Read once per
    rebuild (venues as they are first needed), so each document costs no queries of its own."""

    def __init__(self):
        self.ancestry = category_ancestry()
        self.category_names = dict(Category.objects.values_list("pk", "name"))
        self.condition_slugs = dict(Condition.objects.values_list("pk", "slug"))
        self.organisations = {
            path: (pk, title)
            for pk, path, title in Organisation.objects.values_list("pk", "path", "title")
        }
        # Page URLs relative to the default site's root, without a query per page.
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.root_url_path = site.root_page.url_path if site else "/"
        self.venues: dict[int, dict] = {}

    def url(self, url_path: str) -> str:
        if url_path.startswith(self.root_url_path):
            return "/" + url_path[len(self.root_url_path) :]
        return url_path

    def organisation(self, path: str) -> tuple[int, str]:
        return self.organisations.get(path[: -Activity.steplen], (0, ""))

    def load_venues(self, ids: set[int]) -> None:
        missing = ids - self.venues.keys()
        if not missing:
            return
        for row in Venue.objects.filter(pk__in=missing).values(
            "pk", "name", "postcode", "latitude", "longitude", "is_private"
        ):
            row["access"] = []
            if row["is_private"]:
                # What the public may see of it, by the directory's one rule: its outward
                # code for its name and postcode, that code's centre for its point.
                shown = Venue(
                    name=row["name"],
                    postcode=row["postcode"],
                    latitude=row["latitude"],
                    longitude=row["longitude"],
                    is_private=True,
                ).public_location()
                row["name"], row["postcode"] = shown.name, shown.postcode
                row["approximate_point"] = (
                    [shown.latitude, shown.longitude] if shown.has_point else []
                )
            self.venues[row["pk"]] = row
        through = Venue.accessibility.through
        for venue_id, slug in through.objects.filter(venue_id__in=missing).values_list(
            "venue_id", "accessibilityfeature__slug"
        ):
            self.venues[venue_id]["access"].append(slug)


def _batch_filter(ids: list[int], field: str) -> dict:
    """A filter on `field` for these activity ids (sorted): a range when they are dense.

    A rebuild reads activities in id order, so a batch's ids are nearly contiguous. A range
    reads the same rows, plus those of the few activities between them that are not indexed
    (never looked up), and spares preparing thousands of IN parameters, which cost Django
    more than the rows themselves.
    """
    if ids[-1] - ids[0] < 2 * len(ids):
        return {f"{field}__gte": ids[0], f"{field}__lte": ids[-1]}
    return {f"{field}__in": ids}


@lru_cache(maxsize=4096)
def _schedule_parts(values: tuple) -> tuple[frozenset[str], frozenset[int], dict] | None:
    """Days, quarter-hour buckets and HSDS schedule for one session pattern (SCHEDULE_FIELDS
    without the activity), or None for a pattern that cannot be searched by time.

    Many activities share a pattern ("Tuesdays 10:00-12:00"): each is worked out once.
    """
    try:
        recurrence = ActivitySchedule(**dict(zip(SCHEDULE_FIELDS[1:], values, strict=True)))
        recurrence = recurrence.as_recurrence()
    except ValueError:
        # A pattern the editor left inconsistent cannot be searched by time; the rest can.
        return None
    days, buckets = session_buckets(recurrence)
    return frozenset(days), frozenset(buckets), scheduling.to_hsds(recurrence)


def build_documents(rows: list[dict], *, context: DocumentContext) -> list[dict]:
    """Documents for a batch of activity rows (dicts of ACTIVITY_FIELDS), in five queries."""
    if not rows:
        return []
    ids = sorted(row["pk"] for row in rows)
    categories: dict[int, list[int]] = defaultdict(list)
    for activity_id, category_id in Activity.categories.through.objects.filter(
        **_batch_filter(ids, "activity_id")
    ).values_list("activity_id", "category_id"):
        categories[activity_id].append(category_id)
    tags: dict[int, list[str]] = defaultdict(list)
    for activity_id, name in ActivityTag.objects.filter(
        **_batch_filter(ids, "content_object_id")
    ).values_list("content_object_id", "tag__name"):
        tags[activity_id].append(name)
    schedules: dict[int, list[tuple]] = defaultdict(list)
    for activity_id, *values in (
        ActivitySchedule.objects.filter(**_batch_filter(ids, "activity_id"))
        .order_by("activity_id", "sort_order")
        .values_list(*SCHEDULE_FIELDS)
    ):
        parts = _schedule_parts(tuple(values))
        if parts is not None:
            schedules[activity_id].append(parts)
    conditions: dict[int, list[str]] = defaultdict(list)
    for activity_id, condition_id in Activity.conditions.through.objects.filter(
        **_batch_filter(ids, "activity_id")
    ).values_list("activity_id", "condition_id"):
        conditions[activity_id].append(context.condition_slugs[condition_id])
    context.load_venues({row["venue_id"] for row in rows if row["venue_id"]})
    return [
        _document(
            row,
            conditions=conditions[row["pk"]],
            category_ids=categories[row["pk"]],
            tags=tags[row["pk"]],
            sessions=schedules[row["pk"]],
            context=context,
        )
        for row in rows
    ]


def _document(row, *, category_ids, conditions, tags, sessions, context: DocumentContext) -> dict:
    organisation_id, organisation_title = context.organisation(row["path"])
    venue = context.venues.get(row["venue_id"]) if row["venue_id"] else None
    in_person = row["delivery"] == Activity.Delivery.IN_PERSON
    has_point = bool(
        in_person and venue and venue["latitude"] is not None and venue["longitude"] is not None
    )
    days, buckets, schedule = set(), set(), []
    for session_days, session_quarters, hsds in sessions:
        days |= session_days
        buckets |= session_quarters
        schedule.append(dict(hsds))  # the cached one is shared
    if not buckets:
        buckets = {UNSCHEDULED_BUCKET}
    area = None if in_person else area_box(row["area_served"] or "")
    cost_amount = None
    if row["cost"] in (Activity.Cost.FREE, Activity.Cost.PAY_WHAT_YOU_CAN):
        cost_amount = 0.0
    elif row["cost_amount"] is not None:
        cost_amount = float(row["cost_amount"])
    return {
        "id": row["pk"],
        "uuid": str(row["uuid"]),
        "title": row["title"],
        "summary": row["summary"],
        "body": _plain_text(row["description"] or ""),
        "organisation": organisation_title,
        "organisation_id": organisation_id,
        "url": context.url(row["url_path"]),
        "categories": sorted({slug for c in category_ids for slug in context.ancestry[c]}),
        "category_names": " ".join(context.category_names[c] for c in category_ids),
        "tags": sorted(tags),
        "has_point": has_point,
        "lat": venue["latitude"] if has_point else None,
        "lng": venue["longitude"] if has_point else None,
        "anywhere": not in_person and area is None,
        "area": area,
        "delivery": row["delivery"],
        "days": sorted(days, key=WEEKDAY_SLUGS.index),
        "buckets": sorted(buckets),
        "cost": row["cost"],
        "cost_amount": cost_amount,
        "access": sorted(venue["access"]) if venue else [],
        "audience": list(audience_slugs(row["audience"])) or [EVERYONE],
        "conditions": sorted(conditions),
        "booking": row["booking"],
        "capacity": row["capacity"],
        "carers_welcome": bool(row["carers_welcome"]),
        "age_min": row["age_min"] if row["age_min"] is not None else 0,
        "age_max": row["age_max"] if row["age_max"] is not None else 120,
        "status": row["status"],
        "last_reviewed": row["last_reviewed"].toordinal(),
        "venue": venue["name"] if venue else "",
        "postcode": venue["postcode"] if venue else "",
        "schedule": schedule,
        "approximate_point": venue.get("approximate_point") if has_point else None,
    }


def documents_for(ids, *, context: DocumentContext | None = None) -> list[dict]:
    """Documents for these activities, leaving out any that are not indexable."""
    rows = list(indexable_activities().filter(pk__in=list(ids)).values(*ACTIVITY_FIELDS))
    return build_documents(rows, context=context or DocumentContext())


def iter_documents(*, batch_size: int = 2000):
    """Documents for every indexable activity, in batches so memory stays flat."""
    context = DocumentContext()
    queryset = indexable_activities().values(*ACTIVITY_FIELDS)
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not rows:
            return
        yield from build_documents(rows, context=context)
        last_pk = rows[-1]["pk"]
