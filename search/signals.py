"""Keep the index in step with the directory: every change is queued on commit."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from assets_directory.models import Activity, Category, Organisation, Venue

from . import concepts
from .models import Concept
from .services import activity_ids_under
from .suggestions import forget_categories
from .tasks import index_enqueue


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, Activity):
        index_enqueue([instance.pk])
    elif isinstance(instance, Organisation):
        # Its name shows on every activity; unpublishing it hides them all.
        index_enqueue(activity_ids_under(instance.path))


@receiver(post_page_move)
def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before != url_path_after:
        index_enqueue(activity_ids_under(instance.path))


@receiver(post_delete, sender=Activity)
def activity_deleted(sender, instance, **kwargs):
    index_enqueue([instance.pk])


@receiver(post_save, sender=Venue)
def venue_saved(sender, instance, **kwargs):
    index_enqueue(instance.activities.values_list("pk", flat=True))


@receiver(pre_delete, sender=Venue)
def venue_deleted(sender, instance, **kwargs):
    # Before the delete, while the activities still name it; the update runs on commit, so
    # a deletion that is refused or rolled back changes nothing.
    index_enqueue(instance.activities.values_list("pk", flat=True))


@receiver(m2m_changed, sender=Venue.accessibility.through)
def venue_access_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, Venue):
        index_enqueue(instance.activities.values_list("pk", flat=True))


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def category_named(sender, **kwargs):
    # Type-ahead holds the names in memory.
    forget_categories()


@receiver(post_save, sender=Category)
def category_saved(sender, instance, created, **kwargs):
    if not created:
        ids = [instance.pk, *instance.children.values_list("pk", flat=True)]
        index_enqueue(Activity.objects.filter(categories__in=ids).values_list("pk", flat=True))


@receiver(post_save, sender=Concept)
@receiver(post_delete, sender=Concept)
@receiver(m2m_changed, sender=Concept.categories.through)
@receiver(m2m_changed, sender=Concept.access.through)
def concept_changed(sender, **kwargs):
    # Searches expand people's words with the concepts: they read them afresh, now and again
    # once the change is committed (a process reading in between would keep the old ones).
    concepts.invalidate()
    transaction.on_commit(concepts.invalidate)
