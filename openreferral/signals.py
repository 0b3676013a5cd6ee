"""What the feed lists changes when a page is published, unpublished, moved or deleted, a
section made private or public, or a venue or category changed: the lists' ids kept in each
process (`selectors._ordered_ids`) are then read again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from assets_directory.models import Category, Venue

from .selectors import directory_changed


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _page_changed(sender, **kwargs):
    directory_changed()


@receiver(post_delete)
def _deleted(sender, **kwargs):
    if issubclass(sender, Page | Venue | Category):
        directory_changed()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Venue)
@receiver(post_save, sender=Category)
def _saved(sender, **kwargs):
    directory_changed()
