from django.db import migrations


def grant(apps, schema_editor):
    """Commissioners see all of coproduction: it holds no personal data."""
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="coproduction", model="serviceteam"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_all_coproduction",
        defaults={
            "name": "Can see all of coproduction: teams, asks and partnerships (no personal data)"
        },
    )
    commissioners, _ = Group.objects.get_or_create(name="Commissioners")
    commissioners.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("coproduction", "0004_view_all_permission")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
