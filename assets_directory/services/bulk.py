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
from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from assets_directory.models import Activity, ActivitySchedule

# Children of one parent, as treebeard numbers them: four base-36 digits.
_MAX_CHILDREN = 36**Page.steplen - 1


def pages_bulk_create(*, parent: Page, model, rows: Sequence[dict]) -> list[int]:
    """Create one live `model` page under `parent` per row (the row holds the page's title and
    the subclass's own fields) and return their keys, in order."""
    return pages_bulk_create_under(model=model, children={parent.pk: rows})[parent.pk]


def pages_bulk_create_under(*, model, children: dict[int, Sequence[dict]]) -> dict[int, list[int]]:
    """As `pages_bulk_create`, for several parents (by key) at once: one insert for them all."""
    children = {pk: rows for pk, rows in children.items() if rows}
    if not children:
        return {}
    parents = Page.objects.in_bulk(list(children))
    content_type = ContentType.objects.get_for_model(model)
    now = timezone.now()
    # Page rows as values, not Page instances: one Page.__init__ each would cost more than the
    # insert itself. Keys are read back by path, which is unique.
    page_fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    page_rows, paths, own_rows, made = [], [], [], {}
    last_children = _last_children(parents.values())
    for parent_pk, rows in children.items():
        parent = parents[parent_pk]
        depth = parent.depth + 1
        number = last_children[parent_pk]
        if number + len(rows) > _MAX_CHILDREN:
            raise ValueError(f"{parent.title} cannot hold {len(rows)} more pages.")
        made[parent_pk] = []
        for offset, row in enumerate(rows, start=1):
            title = row["title"]
            slug = f"{slugify(title)[:70] or model._meta.model_name}-{number + offset}"
            path = Page._get_path(parent.path, depth, number + offset)
            given = {
                "content_type_id": content_type.pk,
                "path": path,
                "depth": depth,
                "numchild": 0,
                "title": title,
                "draft_title": title,
                "slug": slug,
                "url_path": f"{parent.url_path}{slug}/",
                "locale_id": parent.locale_id,
                "live": True,
                "has_unpublished_changes": False,
                "first_published_at": row.get("published_at") or now,
                "last_published_at": row.get("published_at") or now,
                "translation_key": uuid.uuid4(),
            }
            page_rows.append(
                [given[f.attname] if f.attname in given else f.get_default() for f in page_fields]
            )
            paths.append(path)
            own_rows.append(row)
            made[parent_pk].append(path)
    _insert(Page, page_fields, page_rows)
    keys = {}
    for start in range(0, len(paths), 500):
        keys.update(
            Page.objects.filter(path__in=paths[start : start + 500]).values_list("path", "pk")
        )
    if model is Activity:
        own_rows = [_located(row) for row in own_rows]
    # The subclass's rows from the values given and the fields' defaults, without a model
    # instance each (a page subclass's __init__ sets every one of Page's fields too).
    fields = model._meta.local_concrete_fields
    rows_out = []
    for path, row in zip(paths, own_rows, strict=True):
        values = []
        for f in fields:
            if f.primary_key:
                value = keys[path]
            elif f.attname in row:
                value = row[f.attname]
            elif f.name in row:
                value = row[f.name]
            else:
                value = f.get_default()
            values.append(value)
        rows_out.append(values)
    _insert(model, fields, rows_out)
    table = connection.ops.quote_name(Page._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET numchild = numchild + %s WHERE id = %s",
            [(len(rows), parent_pk) for parent_pk, rows in children.items()],
        )
    return {
        parent_pk: [keys[path] for path in made_paths] for parent_pk, made_paths in made.items()
    }


def _venue_key(fields: dict):
    """The venue key `fields` give an activity, or `_NO_VENUE_GIVEN` when they leave it be."""
    if "venue_id" in fields:
        return fields["venue_id"]
    if "venue" in fields:
        return getattr(fields["venue"], "pk", fields["venue"])
    return _NO_VENUE_GIVEN


_NO_VENUE_GIVEN = object()


def _located(row: dict) -> dict:
    """A new activity's row with its service_at_location id (Activity.location_uuid): the one
    the caller keeps where it has a venue, else a new one; none without a venue."""
    venue = _venue_key(row)
    if venue is _NO_VENUE_GIVEN or venue is None:
        return {**row, "location_uuid": None}
    return {**row, "location_uuid": row.get("location_uuid") or uuid.uuid4()}


def _last_children(parents: Iterable[Page]) -> dict[int, int]:
    """The number treebeard gave each parent's last child (0 if it has none), by parent key.

    One statement for all of them: an import's batch touches hundreds of organisations, and a
    query each cost more than the batch's inserts. Each parent's last descendant is an index
    seek on the path (a range, as SQLite's LIKE cannot use the index); its path, cut at the
    children's depth, is the last child's.
    """
    found: dict[int, int] = {}
    parents = list(parents)
    table = connection.ops.quote_name(Page._meta.db_table)
    for start in range(0, len(parents), 300):
        chunk = parents[start : start + 300]
        wanted = ", ".join(["(%s, %s, %s)"] * len(chunk))
        sql = (
            f"WITH wanted(pk, low, high) AS (VALUES {wanted}) "
            f"SELECT wanted.pk, (SELECT p.path FROM {table} p WHERE p.path > wanted.low "
            "AND p.path <= wanted.high ORDER BY p.path DESC LIMIT 1) FROM wanted"
        )
        params = []
        for parent in chunk:
            params += [parent.pk, parent.path, parent.path + "Z" * Page.steplen]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        lengths = {parent.pk: len(parent.path) + Page.steplen for parent in chunk}
        for pk, last in rows:
            pk = int(pk)
            found[pk] = Page._str2int(last[lengths[pk] - Page.steplen : lengths[pk]]) if last else 0
    return found


# Fields whose value for the database is the Python value itself when it is of these types:
# for them the values skip `get_db_prep_save`, which costs more than the insert at 30 fields a
# row. Exact classes, as a subclass may prepare its values its own way.
_TEXT, _NUMBER = frozenset({str, type(None)}), frozenset({int, type(None)})
_PLAIN_FIELDS = {
    models.CharField: _TEXT, models.TextField: _TEXT, models.SlugField: _TEXT,
    models.EmailField: _TEXT, models.URLField: _TEXT,
    models.AutoField: _NUMBER, models.BigAutoField: _NUMBER, models.IntegerField: _NUMBER,
    models.BigIntegerField: _NUMBER, models.SmallIntegerField: _NUMBER,
    models.PositiveIntegerField: _NUMBER, models.PositiveSmallIntegerField: _NUMBER,
    models.ForeignKey: _NUMBER, models.BooleanField: frozenset({bool, type(None)}),
}  # fmt: skip
_NOTHING_PLAIN: frozenset = frozenset()


def _insert(model, fields, rows: Iterable[Sequence]) -> None:
    """One executemany of `rows` (values in the order of `fields`) into `model`'s table."""
    database = connections[DEFAULT_DB_ALIAS]  # the object itself: `connection` is a proxy
    columns = ", ".join(database.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {database.ops.quote_name(model._meta.db_table)} "
        f"({columns}) VALUES ({placeholders})"
    )
    plain = [_PLAIN_FIELDS.get(type(f), _NOTHING_PLAIN) for f in fields]
    prepared = [
        [
            value if type(value) in types else f.get_db_prep_save(value, database)
            for f, types, value in zip(fields, plain, row, strict=True)
        ]
        for row in rows
    ]
    if prepared:
        with database.cursor() as cursor:
            cursor.executemany(sql, prepared)


_SESSION_FIELDS = (
    "frequency", "weekdays", "nth", "start_time", "end_time", "starts_on", "ends_on", "on_date",
    "term_time_only",
)  # fmt: skip


def activity_sessions_replace(*, sessions: dict[int, Iterable[dict]]) -> None:
    """Each activity's session times, replaced by these (fields of ActivitySchedule, with its
    `uuid` where the caller keeps one, else a new one)."""
    if not sessions:
        return
    meta = ActivitySchedule._meta
    uuid_field = meta.get_field("uuid")
    fields = [meta.get_field("activity"), meta.get_field("sort_order"), uuid_field] + [
        meta.get_field(name) for name in _SESSION_FIELDS
    ]
    # The old rows go first, in the same transaction: a session kept under its uuid would
    # otherwise clash with itself.
    with transaction.atomic():
        ActivitySchedule.objects.filter(activity_id__in=list(sessions)).delete()
        _insert(
            ActivitySchedule,
            fields,
            (
                [
                    activity_id,
                    order,
                    row.get("uuid") or uuid_field.get_default(),
                    *(row[name] for name in _SESSION_FIELDS),
                ]
                for activity_id, rows in sessions.items()
                for order, row in enumerate(rows)
            ),
        )


def activity_categories_replace(*, categories: dict[int, Iterable[int]]) -> None:
    """Each activity's categories, replaced by these category keys."""
    if not categories:
        return
    through = Activity.categories.through
    through.objects.filter(activity_id__in=list(categories)).delete()
    fields = [through._meta.get_field("activity"), through._meta.get_field("category")]
    _insert(
        through,
        fields,
        (
            [activity_id, category_id]
            for activity_id, keys in categories.items()
            for category_id in set(keys)
        ),
    )


def page_fields_update(*, model, page_id: int, fields: dict) -> None:
    """An imported page's fields (its title among them) changed, published as they are."""
    now = timezone.now()
    title = fields.get("title")
    page_fields = {"last_published_at": fields.pop("published_at", None) or now}
    if title:
        page_fields.update(title=title, draft_title=title)
    own = {k: v for k, v in fields.items() if k != "title"}
    if model is Activity:
        own = _relocated(page_id, own)
    Page.objects.filter(pk=page_id).update(**page_fields)
    if own:
        model.objects.filter(pk=page_id).update(**own)


def _relocated(page_id: int, fields: dict) -> dict:
    """An activity's changed fields with its service_at_location id, as Activity.save keeps
    it: none without a venue; the one the caller gives; else the one it has if its venue is
    the same, or a new one for a new venue."""
    venue = _venue_key(fields)
    if venue is _NO_VENUE_GIVEN:
        return fields
    if venue is None:
        return {**fields, "location_uuid": None}
    if fields.get("location_uuid") is not None:
        return fields
    stored = Activity.objects.filter(pk=page_id).values_list("venue_id", "location_uuid").first()
    if stored is not None and stored[0] == venue and stored[1] is not None:
        return {**fields, "location_uuid": stored[1]}
    return {**fields, "location_uuid": uuid.uuid4()}
