"""Reads for the directory's public pages and e-mails."""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import Coalesce

from .models import Activity, Category, DirectoryIndexPage, Organisation, SchoolHoliday

PAGE_SIZE = 20


def directory_index() -> DirectoryIndexPage | None:
    return DirectoryIndexPage.objects.live().first()


def top_level_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True).order_by("sort_order", "name"))


def listed_activities():
    """The activities the directory lists and counts, everywhere: live, public pages whose
    status is one of Activity.LISTED_STATUSES (running or temporarily closed). The search
    index holds the live, public ones, and its counts filter on the same statuses."""
    return Activity.objects.live().public().filter(status__in=Activity.LISTED_STATUSES)


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


def _for_cards(activities):
    return activities.select_related("venue").prefetch_related("schedules", "categories")


def organisation_activities(organisation: Organisation):
    """The organisation's listed activities, by title."""
    return _for_cards(listed_activities().child_of(organisation)).order_by("title")


def activity_browse(*, category: Category | None = None, page_number=None):
    """One page of live activities by title, optionally in a category (and its children).

    Searching by words, place and time is the search app's job; browsing needs the database
    alone.
    """
    activities = _for_cards(listed_activities())
    if category is not None:
        ids = [category.pk, *category.children.values_list("pk", flat=True)]
        # A subquery, not a join: an activity in two of the categories is still one row, with
        # no DISTINCT over every page column (a third of a second at 12,000 activities).
        in_category = Activity.categories.through.objects.filter(category_id__in=ids)
        activities = activities.filter(pk__in=in_category.values("activity_id"))
    activities = activities.order_by("title")
    return Paginator(activities, PAGE_SIZE).get_page(page_number)


def holiday_ranges() -> tuple:
    return tuple(SchoolHoliday.objects.values_list("start_date", "end_date"))


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
