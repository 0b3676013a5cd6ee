"""Each session time keeps a uuid, its schedule id in the Open Referral feed.

Existing sessions get the id the feed has published for them until now (a uuid5 of the feed's
namespace and the session's key, `openreferral/ids.py`), so that no published id changes.
"""

import uuid

from django.db import migrations, models

# openreferral.ids.NAMESPACE, copied: a migration must give the same ids whatever the code
# says later.
NAMESPACE = uuid.UUID("6c1b7f0e-3d7a-4f55-9a51-6f2d0c0b8e21")


def published_ids(apps, schema_editor):
    ActivitySchedule = apps.get_model("assets_directory", "ActivitySchedule")
    sessions = [
        ActivitySchedule(pk=pk, uuid=uuid.uuid5(NAMESPACE, f"schedule:{pk}"))
        for pk in ActivitySchedule.objects.values_list("pk", flat=True)
    ]
    ActivitySchedule.objects.bulk_update(sessions, ["uuid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("assets_directory", "0015_venue_is_private"),
    ]

    operations = [
        migrations.AddField(
            model_name="activityschedule",
            name="uuid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(published_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="activityschedule",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
