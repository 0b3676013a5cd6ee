"""Reads for the directory's public pages and e-mails."""

from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from wagtail.models import Page

from .models import Activity, Category, DirectoryIndexPage, Organisation, SchoolHoliday, Venue

PAGE_SIZE = 20


def directory_index() -> DirectoryIndexPage | None:
    return DirectoryIndexPage.objects.live().first()


def top_level_categories() -> list[Category]:
    return list(Category.objects.filter(parent__isnull=True).order_by("sort_order", "name"))


def category_tiles(*, counts: Mapping[str, int] | None = None) -> list[Category]:
    """Top-level categories, each with `activity_count`: running activities in it or below.

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
        through.objects.filter(
            activity__in=Activity.objects.live().public().filter(status=Activity.Status.RUNNING)
        )
        .annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(activities=Count("activity_id", distinct=True))
        .values_list("top", "activities")
    )
    return {tile.slug: by_id.get(tile.pk, 0) for tile in tiles}


def public_activities():
    return (
        Activity.objects.live()
        .public()
        .exclude(status=Activity.Status.ENDED)
        .select_related("venue")
        .prefetch_related("schedules", "categories")
    )


def activity_browse(*, category: Category | None = None, page_number=None):
    """One page of live activities by title, optionally in a category (and its children).

    Searching by words, place and time is the search app's job; browsing needs the database
    alone.
    """
    activities = public_activities()
    if category is not None:
        ids = [category.pk, *category.children.values_list("pk", flat=True)]
        # A subquery, not a join: an activity in two of the categories is still one row, with
        # no DISTINCT over every page column (a third of a second at 12,000 activities).
        in_category = Activity.categories.through.objects.filter(category_id__in=ids)
        activities = activities.filter(pk__in=in_category.values("activity_id"))
    activities = activities.order_by("title")
    page = Paginator(activities, PAGE_SIZE).get_page(page_number)
    # Lists of activities say who runs each: seven "Community choir" entries are seven groups.
    page.object_list = with_organisation_titles(list(page.object_list))
    return page


def organisation_titles(activities) -> dict[int, str]:
    """Each activity's organisation (its parent page) by activity id, in one query."""
    parents = {a.pk: a.path[: -Page.steplen] for a in activities}
    titles = dict(Page.objects.filter(path__in=set(parents.values())).values_list("path", "title"))
    return {pk: titles.get(path, "") for pk, path in parents.items()}


def with_organisation_titles(activities: list[Activity]) -> list[Activity]:
    """The activities, each with `organisation_title` set (one query for them all)."""
    titles = organisation_titles(activities)
    for activity in activities:
        activity.organisation_title = titles.get(activity.pk, "")
    return activities


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
