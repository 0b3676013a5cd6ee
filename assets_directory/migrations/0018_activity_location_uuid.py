"""Each activity at a venue keeps a uuid, its service_at_location id in the Open Referral feed.

Existing activities at a venue get the id the feed has published for them until now (a version
8 UUID holding the activity's and the venue's keys, `openreferral/ids.py` before this change),
so that no published id changes; activities without a venue have none.
"""

import uuid

from django.db import migrations, models

# The layout of the ids published until now, copied: a migration must give the same ids
# whatever the code says later. Bits 48-63 are the version (8) and a marker; the variant's two
# bits (10) and fourteen zero bits sit between the two 48-bit keys.
_SAL_MARKER = 0x85A1
_KEY_MAX = (1 << 48) - 1


def published_id(activity_pk: int, venue_pk: int) -> uuid.UUID:
    """The service_at_location id the feed published for an activity at a venue."""
    if not (0 < activity_pk <= _KEY_MAX and 0 < venue_pk <= _KEY_MAX):
        raise ValueError("Keys must be positive and below 2**48.")
    return uuid.UUID(int=(activity_pk << 80) | (_SAL_MARKER << 64) | (0b10 << 62) | venue_pk)


def published_ids(apps, schema_editor):
    Activity = apps.get_model("assets_directory", "Activity")
    activities = [
        Activity(pk=pk, location_uuid=published_id(pk, venue_id))
        for pk, venue_id in Activity.objects.filter(venue__isnull=False).values_list(
            "pk", "venue_id"
        )
    ]
    Activity.objects.bulk_update(activities, ["location_uuid"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("assets_directory", "0017_referral_route_and_capacity"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="location_uuid",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(published_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="activity",
            name="location_uuid",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
    ]
