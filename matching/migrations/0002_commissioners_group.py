from django.db import migrations


def grant(apps, schema_editor):
    """Commissioners (and moderators) see anonymised figures only, never a person's record."""
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="matching", model="team")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_aggregates",
        defaults={"name": "Can see anonymised counts of needs, interests and network types"},
    )
    commissioners, _ = Group.objects.get_or_create(name="Commissioners")
    commissioners.permissions.add(permission)
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is not None:
        moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_people_and_records"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
