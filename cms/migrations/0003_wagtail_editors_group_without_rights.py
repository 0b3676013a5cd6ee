"""Take every right away from Wagtail's built-in "Editors" group.

Wagtail's own migrations give it add and change rights on the root page (every page of the
site) and on the root collection (every image and document). Here nobody edits through it:
organisation editors get rights on their own organisation and collection only, moderators
everything. Left as it was, anyone added to "Editors" could edit any organisation's pages and
files. The group stays, empty of rights, in case a deployment has members in it.
"""

from django.db import migrations


def strip(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is None:
        return
    GroupPagePermission.objects.filter(group=editors).delete()
    GroupCollectionPermission.objects.filter(group=editors).delete()
    editors.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_homepage"),
        # After every Wagtail migration that gives the group rights.
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(strip, migrations.RunPython.noop)]
