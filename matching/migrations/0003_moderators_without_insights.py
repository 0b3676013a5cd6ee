"""Only commissioners see /insights/: moderators look after the directory, not people's figures.

0002 gave the Moderators group the permission as well; this takes it away again. Any other group
that was given it on purpose keeps it."""

from django.db import migrations


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    permission = Permission.objects.filter(
        content_type__app_label="matching", codename="view_aggregates"
    ).first()
    if moderators is not None and permission is not None:
        moderators.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [("matching", "0002_commissioners_group")]

    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
