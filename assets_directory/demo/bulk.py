"""Bulk demo activities for benchmarks: 100,000 in minutes.

Creating a Wagtail page through `add_child` costs several queries each; for benchmark volumes
the rows are written in batches instead: the `wagtailcore_page` rows with `bulk_create`, the
Activity rows (multi-table inheritance, which `bulk_create` refuses) with one `executemany`
per batch, then categories and schedules with `bulk_create`. Tree paths are computed the way
treebeard does, and each organisation's child count is fixed up at the end.
"""

import datetime
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from assets_directory.models import Activity, ActivitySchedule, Organisation
from common.vocabulary import WEEKDAY_SLUGS

from . import content

BATCH = 2000


def bulk_activities(*, builder, organisations, venues, count: int, progress=None) -> int:
    """Add `count` activities spread across `organisations`, reusing the demo themes."""
    if count <= 0:
        return 0
    r = builder.random
    content_type = ContentType.objects.get_for_model(Activity)
    now = timezone.now()
    next_child = {}
    for organisation, _, _ in organisations:
        next_child[organisation.pk] = organisation.numchild
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        with transaction.atomic():
            pages, details = [], []
            for _ in range(size):
                organisation, theme, place = r.choice(organisations)
                pattern = r.choice(theme["activities"])
                n = next_child[organisation.pk] = next_child[organisation.pk] + 1
                title = pattern[0].format(park=r.choice(content.PARKS), place=place)
                slug = f"{slugify(title)[:70]}-{n}"
                pages.append(
                    Page(
                        content_type=content_type,
                        path=Page._get_path(organisation.path, organisation.depth + 1, n),
                        depth=organisation.depth + 1,
                        numchild=0,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        url_path=f"{organisation.url_path}{slug}/",
                        locale_id=organisation.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=now,
                        last_published_at=now,
                        translation_key=uuid.uuid4(),
                    )
                )
                details.append((organisation, place, pattern))
            Page.objects.bulk_create(pages)
            _insert_activity_rows(builder, pages, details, venues)
            made += size
        if progress:
            progress(made, count)
    for organisation, _, _ in organisations:
        Organisation.objects.filter(pk=organisation.pk).update(numchild=next_child[organisation.pk])
    return made


def _insert_activity_rows(builder, pages, details, venues):
    r = builder.random
    fields = Activity._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Activity._meta.db_table)} "
        f"({columns}) VALUES ({placeholders})"
    )
    rows, categories, conditions, schedules = [], [], [], []
    through = Activity.categories.through
    conditions_through = Activity.conditions.through
    for page, (organisation, place, pattern) in zip(pages, details, strict=True):
        title, slugs, summary, cost, booking, delivery, frequency, audience = pattern
        local = [v for v, p in venues if p == place] or [v for v, _ in venues]
        audience_fields = content.audience_fields(audience)
        values = {
            "page_ptr": page.pk,
            "uuid": uuid.uuid4(),
            "summary": summary,
            "description": f"<p>{summary}</p>",
            "photo": None,
            "photo_alt": "",
            "audience": audience_fields["audience"],
            "community": "",
            "age_min": audience_fields["age_min"],
            "age_max": audience_fields["age_max"],
            "children_age_min": audience_fields["children_age_min"],
            "children_age_max": audience_fields["children_age_max"],
            "who_for": audience,
            "carers_welcome": True,
            "cost": cost,
            "cost_amount": r.choice(["2.00", "3.00", "5.00"]) if cost == "paid" else None,
            "cost_details": "",
            "booking": booking,
            "referral_route": Activity.ReferralRoute.DROP_IN
            if booking == "drop_in"
            else Activity.ReferralRoute.TAKES_REFERRALS,
            "capacity": Activity.Capacity.OPEN,
            "how_to_join": "",
            "delivery": delivery,
            "area_served": "" if delivery in ("in_person", "online") else content.BOROUGH_AREA,
            "venue": r.choice(local).pk if delivery == "in_person" else None,
            "contact_name": "",
            "contact_email": "",
            "contact_phone": organisation.phone,
            "status": Activity.Status.RUNNING
            if r.random() > 0.04
            else Activity.Status.TEMPORARILY_CLOSED,
            "last_reviewed": builder.today - datetime.timedelta(days=r.randint(0, 400)),
        }
        # Its id as a service at a location (Activity.location_uuid), as a save would give it.
        values["location_uuid"] = uuid.uuid4() if values["venue"] else None
        rows.append([f.get_db_prep_save(values[f.name], connection) for f in fields])
        categories.extend(
            through(activity_id=page.pk, category_id=builder.categories[s].pk) for s in slugs
        )
        conditions.extend(
            conditions_through(activity_id=page.pk, condition_id=builder.conditions[s].pk)
            for s in audience_fields["conditions"]
        )
        start, end = r.choice(content.TIME_SLOTS)
        weekly = frequency != "monthly"
        schedules.append(
            ActivitySchedule(
                activity_id=page.pk,
                sort_order=0,
                frequency="weekly" if weekly else "monthly",
                weekdays=r.choice(WEEKDAY_SLUGS[:6]),
                nth=None if weekly else r.choice([1, 2, 3, 4, -1]),
                start_time=start,
                end_time=end,
            )
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    through.objects.bulk_create(categories)
    conditions_through.objects.bulk_create(conditions)
    ActivitySchedule.objects.bulk_create(schedules)
