from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators is None:
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="search", model="zeroresultsearch"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_zeroresultsearch",
        defaults={"name": "Can view search with no results"},
    )
    moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
