"""Reads for the directory's public pages and e-mails."""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from . import listing

# Other apps read the listing through the selectors, as they read everything of the directory.
from .listing import LISTING_HOOK as LISTING_HOOK
from .listing import PAGE_SIZE as PAGE_SIZE
from .listing import ListedPage as ListedPage
from .listing import Listing as Listing
from .listing import organisation_titles as organisation_titles
from .listing import with_organisation_titles as with_organisation_titles
from .models import Activity, Category, DirectoryIndexPage, Organisation, SchoolHoliday, Venue


def directory_index() -> DirectoryIndexPage | None:
    return DirectoryIndexPage.objects.live().first()


def top_level_categories() -> list[Category]:
    return list(Category.objects.top_level())


def listed_activities():
    """The activities the directory lists and counts, everywhere (``ActivityQuerySet.listed``).
    The search index holds the visible ones, and its counts filter on the same statuses."""
    return Activity.objects.listed()


def category_tiles(*, counts: Mapping[str, int] | None = None) -> list[Category]:
    """Top-level categories, each with `activity_count`: listed activities in it or below.

    `counts` (by slug) come from the search index (`search.selectors.category_counts`); without
    them the database counts, which is slow for a large directory.
    """
    tiles = top_level_categories()
    if counts is None:
        counts = _category_counts_from_database(tiles)
    for tile in tiles:
        tile.activity_count = counts.get(tile.slug, 0)
    return tiles


def _category_counts_from_database(tiles: list[Category]) -> dict[str, int]:
    through = Activity.categories.through
    by_id = dict(
        through.objects.filter(activity__in=listed_activities())
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(activities=Count("activity_id", distinct=True))
        .values_list("top", "activities")
    )
    return {tile.slug: by_id.get(tile.pk, 0) for tile in tiles}


def organisation_activities(organisation: Organisation, *, page_number=None) -> Page:
    """One page of the organisation's listed activities, A to Z."""
    return listing.organisation_activities(
        organisation, listed=listed_activities(), page_number=page_number
    )


def activity_browse(*, category: Category | None = None, page_number=None) -> ListedPage:
    """One page of listed activities A to Z, optionally in a category (and its children)."""
    return listing.activity_browse(
        listed=listed_activities(), category=category, page_number=page_number
    )


def venue_activities(*, venue: Venue) -> list[Activity]:
    """Every activity that names the venue: live ones, drafts, and changes waiting to be
    published (whose venue is only in their latest revision), by title."""
    return list(
        Activity.objects.filter(
            Q(venue=venue)
            | Q(has_unpublished_changes=True, latest_revision__content__venue=venue.pk)
        ).order_by("title", "pk")
    )


def holiday_ranges() -> tuple:
    return SchoolHoliday.objects.ranges()


def organisation_owner_emails(organisation: Organisation) -> list[str]:
    """Who hears about an organisation's listings: its active editors, else its own address."""
    emails = []
    if organisation.editors_group_id:
        emails = list(
            get_user_model()
            .objects.filter(groups=organisation.editors_group_id, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if not emails and organisation.email:
        emails = [organisation.email]
    return sorted(set(emails))


def moderator_emails() -> list[str]:
    emails = set(settings.MODERATOR_EMAILS)
    emails.update(
        get_user_model()
        .objects.filter(groups__name="Moderators", is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(emails)
