from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.signals import page_published, workflow_approved, workflow_rejected

from .models import Activity, Organisation
from .services import organisation_collection_rename, review_tell_group


@receiver(page_published, sender=Activity)
def activity_published_counts_as_checked(sender, instance, **kwargs):
    # Publishing a change is the owner's and a moderator's review of the listing, so it restarts
    # the freshness clock. A queryset update keeps the revision being published untouched.
    Activity.objects.filter(pk=instance.pk).update(last_reviewed=timezone.localdate())


@receiver(page_published, sender=Organisation)
def organisation_published_renames_collection(sender, instance, **kwargs):
    organisation_collection_rename(organisation=instance)


def _directory_page(workflow_state):
    page = workflow_state.content_object
    page = getattr(page, "specific", page)
    return page if isinstance(page, Activity | Organisation) else None


@receiver(workflow_approved, sender=WorkflowState)
def workflow_approved_tells_group(sender, instance, **kwargs):
    # Approved from the review queue or from Wagtail's own editor: either way the group hears.
    page = _directory_page(instance)
    if page is not None:
        review_tell_group(page=page, approved=True, requested_by=instance.requested_by)


@receiver(workflow_rejected, sender=WorkflowState)
def workflow_rejected_tells_group(sender, instance, **kwargs):
    page = _directory_page(instance)
    if page is not None:
        task_state = instance.current_task_state
        review_tell_group(
            page=page,
            approved=False,
            reason=task_state.get_comment() if task_state else "",
            requested_by=instance.requested_by,
        )
