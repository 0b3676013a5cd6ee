from django.db import migrations


def grant(apps, schema_editor):
    """Moderators verify what groups say they can do, as they check listings."""
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    ContentType = apps.get_model("contenttypes.ContentType")
    content_type, _ = ContentType.objects.get_or_create(
        app_label="coproduction", model="capabilityitem"
    )
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="verify_capabilityitem",
        defaults={"name": "Can verify what community groups say they offer"},
    )
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("coproduction", "0007_verify_permission"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
