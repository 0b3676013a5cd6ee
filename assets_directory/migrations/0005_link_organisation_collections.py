"""Tie every approved organisation to its own collection of images and documents.

Collections used to be found by the organisation's name, so a renamed organisation's old name,
taken by a new group, brought that group's editors onto the first organisation's collection.
Here each organisation whose editors group has rights on a collection is linked to it; where
two editors groups share one (what that mix-up left behind), it stays with the group given
rights on it first, and the other gets a collection of its own, with the same rights there
and none left on the first.
"""

from django.db import migrations

# django-treebeard's materialised path: 4 characters a level in this alphabet.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _step(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _add_child(Collection, parent, name):
    # Historical models have no treebeard methods: add the node by hand, as treebeard would.
    children = Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    number = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    base, n, title = name[:240] or "Group", 2, name[:240] or "Group"
    while children.filter(name=title).exists():
        title, n = f"{base} ({n})", n + 1
    child = Collection.objects.create(
        name=title, path=parent.path + _step(number), depth=parent.depth + 1, numchild=0
    )
    Collection.objects.filter(pk=parent.pk).update(numchild=children.count())
    return child


def link(apps, schema_editor):
    Organisation = apps.get_model("assets_directory.Organisation")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    organisations = list(
        Organisation.objects.filter(editors_group__isnull=False, collection__isnull=True).order_by(
            "pk"
        )
    )
    if not organisations:
        return
    editor_groups = Organisation.objects.filter(editors_group__isnull=False).values_list(
        "editors_group_id", flat=True
    )
    # Who was given rights on each collection first, among organisations' editors groups.
    first_holder = {}
    for collection_id, group_id in (
        GroupCollectionPermission.objects.filter(group_id__in=editor_groups, collection__depth__gt=1)
        .order_by("pk")
        .values_list("collection_id", "group_id")
    ):
        first_holder.setdefault(collection_id, group_id)
    taken = set(
        Organisation.objects.filter(collection__isnull=False).values_list("collection_id", flat=True)
    )
    root = Collection.objects.get(depth=1)

    for organisation in organisations:
        group_id = organisation.editors_group_id
        grants = GroupCollectionPermission.objects.filter(group_id=group_id, collection__depth__gt=1)
        own = next(
            (
                collection_id
                for collection_id in grants.order_by("pk").values_list("collection_id", flat=True)
                if first_holder.get(collection_id) == group_id and collection_id not in taken
            ),
            None,
        )
        if own is None:
            own = _add_child(Collection, root, organisation.title).pk
            for permission_id in set(grants.values_list("permission_id", flat=True)):
                GroupCollectionPermission.objects.get_or_create(
                    group_id=group_id, collection_id=own, permission_id=permission_id
                )
        taken.add(own)
        Organisation.objects.filter(pk=organisation.pk).update(collection_id=own)
        # No rights left on a collection another organisation's editors were given first.
        grants.exclude(collection_id=own).filter(
            collection_id__in=[c for c, g in first_holder.items() if g != group_id]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assets_directory", "0004_organisation_collection"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
