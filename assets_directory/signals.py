from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import page_published

from .models import Activity, Organisation
from .services import organisation_collection_rename


@receiver(page_published, sender=Activity)
def activity_published_counts_as_checked(sender, instance, **kwargs):
    # Publishing a change is the owner's and a moderator's review of the listing, so it restarts
    # the freshness clock. A queryset update keeps the revision being published untouched.
    Activity.objects.filter(pk=instance.pk).update(last_reviewed=timezone.localdate())


@receiver(page_published, sender=Organisation)
def organisation_published_renames_collection(sender, instance, **kwargs):
    organisation_collection_rename(organisation=instance)
