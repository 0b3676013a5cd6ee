"""Turns directory pages into flat search documents, the one shape every backend indexes."""

from __future__ import annotations

import re

from django.db.models import Prefetch
from django.utils.html import strip_tags
from wagtail.models import Site

from assets_directory import scheduling
from assets_directory.geocoding import GeocodingError, geocode
from assets_directory.models import Activity, ActivitySchedule, Category, Organisation

from .query import BUCKET_MINUTES, BUCKETS_PER_DAY

# An area served is the box around its outward codes' centres, padded by this much, since a
# centroid stands for a district a few kilometres across.
AREA_PADDING_DEG = 0.02
DEFAULT_SESSION_MINUTES = 60


BLOCK_END = re.compile(r"</(p|li|h[1-6]|div|blockquote)>|<br\s*/?>", re.IGNORECASE)


def _plain_text(html: str) -> str:
    # Keep a space where blocks end, so "them.</p><p>New" does not become "them.New".
    return " ".join(strip_tags(BLOCK_END.sub(" ", html)).split())


def indexable_activities():
    """Activities that belong in the index: live, public pages (ended ones stay, filtered out)."""
    return (
        Activity.objects.live()
        .public()
        .select_related("venue")
        .prefetch_related(
            "categories",
            "tags",
            "venue__accessibility",
            Prefetch("schedules", queryset=ActivitySchedule.objects.order_by("sort_order")),
        )
        .order_by("pk")
    )


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
    return {scheduling.WEEKDAY_SLUGS[d] for d in weekdays}, buckets


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
    """What every document needs and is the same for all: read once per batch of documents."""

    def __init__(self):
        self.ancestry = category_ancestry()
        self.organisations = {
            path: (pk, title)
            for pk, path, title in Organisation.objects.values_list("pk", "path", "title")
        }
        # Page URLs relative to the default site's root, without a query per page.
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        self.root_url_path = site.root_page.url_path if site else "/"

    def url(self, activity: Activity) -> str:
        if activity.url_path.startswith(self.root_url_path):
            return "/" + activity.url_path[len(self.root_url_path) :]
        return activity.url_path

    def organisation(self, activity: Activity) -> tuple[int, str]:
        parent_path = activity.path[: -Activity.steplen]
        return self.organisations.get(parent_path, (0, ""))


def activity_document(activity: Activity, *, context: DocumentContext) -> dict:
    organisation_id, organisation_title = context.organisation(activity)
    ancestry = context.ancestry
    venue = activity.venue
    in_person = activity.delivery == Activity.Delivery.IN_PERSON
    has_point = bool(in_person and venue is not None and venue.has_point)
    days, buckets, schedule = set(), set(), []
    for row in activity.schedules.all():
        try:
            recurrence = row.as_recurrence()
        except ValueError:
            # A pattern the editor left inconsistent cannot be searched by time; the rest can.
            continue
        row_days, row_buckets = session_buckets(recurrence)
        days |= row_days
        buckets |= row_buckets
        schedule.append(scheduling.to_hsds(recurrence))
    categories = sorted({slug for c in activity.categories.all() for slug in ancestry[c.pk]})
    area = None if in_person else area_box(activity.area_served)
    cost_amount = None
    if activity.cost in (Activity.Cost.FREE, Activity.Cost.PAY_WHAT_YOU_CAN):
        cost_amount = 0.0
    elif activity.cost_amount is not None:
        cost_amount = float(activity.cost_amount)
    return {
        "id": activity.pk,
        "uuid": str(activity.uuid),
        "title": activity.title,
        "summary": activity.summary,
        "body": _plain_text(activity.description or ""),
        "organisation": organisation_title,
        "organisation_id": organisation_id,
        "url": context.url(activity),
        "categories": categories,
        "category_names": " ".join(c.name for c in activity.categories.all()),
        "tags": sorted(t.name for t in activity.tags.all()),
        "has_point": has_point,
        "lat": venue.latitude if has_point else None,
        "lng": venue.longitude if has_point else None,
        "anywhere": not in_person and area is None,
        "area": area,
        "delivery": activity.delivery,
        "days": sorted(days, key=scheduling.WEEKDAY_SLUGS.index),
        "buckets": sorted(buckets),
        "cost": activity.cost,
        "cost_amount": cost_amount,
        "access": sorted(f.slug for f in venue.accessibility.all()) if venue else [],
        "age_min": activity.age_min if activity.age_min is not None else 0,
        "age_max": activity.age_max if activity.age_max is not None else 120,
        "status": activity.status,
        "last_reviewed": activity.last_reviewed.toordinal(),
        "venue": venue.name if venue else "",
        "postcode": venue.postcode if venue else "",
        "schedule": schedule,
    }


def iter_documents(queryset=None, *, batch_size: int = 500):
    """Documents for every indexable activity, in batches so memory stays flat."""
    context = DocumentContext()
    queryset = queryset if queryset is not None else indexable_activities()
    last_pk = 0
    while True:
        batch = list(queryset.filter(pk__gt=last_pk)[:batch_size])
        if not batch:
            return
        for activity in batch:
            yield activity_document(activity, context=context)
        last_pk = batch[-1].pk
