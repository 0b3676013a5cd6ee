"""Seed the concept vocabulary (search/data/concepts.json): the words people use for what the
directory holds, drawn from social prescribing practice; and let moderators keep it.

Slugs a deployment does not have (a category renamed since) are left out of a concept rather
than failing the migration; a concept left with nothing to map to is not created.
"""

import json
from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "data" / "concepts.json"


def grant_moderators(apps):
    """Moderators keep the concepts as they keep the categories and conditions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None:
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="search", model="concept")
    for action in ("add", "change", "delete", "view"):
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_concept",
            defaults={"name": f"Can {action} search concept"},
        )
        moderators.permissions.add(permission)


def seed(apps, schema_editor):
    grant_moderators(apps)
    Concept = apps.get_model("search", "Concept")
    Category = apps.get_model("assets_directory", "Category")
    AccessibilityFeature = apps.get_model("assets_directory", "AccessibilityFeature")
    if Concept.objects.exists():
        return
    categories = dict(Category.objects.values_list("slug", "pk"))
    features = dict(AccessibilityFeature.objects.values_list("slug", "pk"))
    for entry in json.loads(SEED.read_text(encoding="utf-8"))["concepts"]:
        category_ids = [categories[s] for s in entry.get("categories", ()) if s in categories]
        access_ids = [features[s] for s in entry.get("access", ()) if s in features]
        audiences = entry.get("audiences", ())
        words = entry.get("words", ())
        if not (category_ids or access_ids or audiences or words):
            continue
        concept = Concept.objects.create(
            phrases="\n".join(entry["phrases"]),
            audiences=",".join(audiences),
            words="\n".join(words),
        )
        concept.categories.set(category_ids)
        concept.access.set(access_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_concept"),
        ("assets_directory", "0008_seed_conditions_and_audiences"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
