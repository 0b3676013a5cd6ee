"""Pages written in bulk, for imports that bring thousands of records at once.

`Page.add_child` costs several queries a page (tree paths, revisions, signals); an import of a
neighbour's 100,000 services cannot afford that. Here the `wagtailcore_page` rows go in with
`bulk_create`, the subclass rows (multi-table inheritance, which `bulk_create` refuses) with
one `executemany`, tree paths computed as treebeard does from the parent's last child. The
pages are published as they are written (an import is the source's own publication); no
revision is kept, as for pages made by a script. Callers update the search index afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from assets_directory.models import Activity, ActivitySchedule

# Children of one parent, as treebeard numbers them: four base-36 digits.
_MAX_CHILDREN = 36**Page.steplen - 1


def pages_bulk_create(*, parent: Page, model, rows: Sequence[dict]) -> list[int]:
    """Create one live `model` page under `parent` per row (the row holds the page's title and
    the subclass's own fields) and return their keys, in order."""
    if not rows:
        return []
    parent = Page.objects.get(pk=parent.pk)  # its numchild and last child as they are now
    last = parent.get_last_child()
    number = Page._str2int(last.path[-Page.steplen :]) if last else 0
    if number + len(rows) > _MAX_CHILDREN:
        raise ValueError(f"{parent.title} cannot hold {len(rows)} more pages.")
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    depth = parent.depth + 1
    pages = []
    for offset, row in enumerate(rows, start=1):
        title = row["title"]
        slug = f"{slugify(title)[:70] or model._meta.model_name}-{number + offset}"
        pages.append(
            Page(
                content_type=content_type,
                path=Page._get_path(parent.path, depth, number + offset),
                depth=depth,
                numchild=0,
                title=title,
                draft_title=title,
                slug=slug,
                url_path=f"{parent.url_path}{slug}/",
                locale_id=parent.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=row.get("published_at") or now,
                last_published_at=row.get("published_at") or now,
                translation_key=uuid.uuid4(),
            )
        )
    Page.objects.bulk_create(pages)
    fields = model._meta.local_concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "
        f"({columns}) VALUES ({placeholders})"
    )
    values = []
    for page, row in zip(pages, rows, strict=True):
        own = {k: v for k, v in row.items() if k not in ("title", "published_at")}
        instance = model(page_ptr_id=page.pk, **own)
        values.append(
            [f.get_db_prep_save(getattr(instance, f.attname), connection) for f in fields]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(rows))
    return [page.pk for page in pages]


def activity_sessions_replace(*, sessions: dict[int, Iterable[dict]]) -> None:
    """Each activity's session times, replaced by these (fields of ActivitySchedule)."""
    if not sessions:
        return
    ActivitySchedule.objects.filter(activity_id__in=list(sessions)).delete()
    ActivitySchedule.objects.bulk_create(
        ActivitySchedule(activity_id=activity_id, sort_order=order, **fields)
        for activity_id, rows in sessions.items()
        for order, fields in enumerate(rows)
    )


def activity_categories_replace(*, categories: dict[int, Iterable[int]]) -> None:
    """Each activity's categories, replaced by these category keys."""
    if not categories:
        return
    through = Activity.categories.through
    through.objects.filter(activity_id__in=list(categories)).delete()
    through.objects.bulk_create(
        through(activity_id=activity_id, category_id=category_id)
        for activity_id, keys in categories.items()
        for category_id in set(keys)
    )


def page_fields_update(*, model, page_id: int, fields: dict) -> None:
    """An imported page's fields (its title among them) changed, published as they are."""
    now = timezone.now()
    title = fields.get("title")
    page_fields = {"last_published_at": fields.pop("published_at", None) or now}
    if title:
        page_fields.update(title=title, draft_title=title)
    own = {k: v for k, v in fields.items() if k != "title"}
    Page.objects.filter(pk=page_id).update(**page_fields)
    if own:
        model.objects.filter(pk=page_id).update(**own)
