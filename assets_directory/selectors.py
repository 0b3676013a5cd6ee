"""Reads for the directory's public pages and e-mails."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.db.models.functions import Coalesce, Lower
from wagtail import hooks
from wagtail.models import Page as WagtailPage

from common.http import parse_id

from .models import Activity, Category, DirectoryIndexPage, Organisation, SchoolHoliday, Venue

PAGE_SIZE = 20

# The directory's lists A to Z ask this hook for each page: a function taking `category` (a
# slug, or None for every activity), `page` and `page_size`, and returning a `Listing`, or None
# when it cannot answer. The search app answers from its index (search/wagtail_hooks.py), in a
# few milliseconds however large the directory; with no answer the database lists, which joins
# and sorts every listed activity for each page and counts them all again (0.1 s a page at
# 100,000 activities on SQLite, however well indexed: the count alone takes 40 ms).
LISTING_HOOK = "list_directory_activities"


@dataclass(frozen=True)
class Listing:
    """One page of listed activities A to Z, as a listing hook found it."""

    # The page's activities, in order.
    ids: list[int]
    # How many are listed in all, and how many of those can be paged through (a search
    # engine pages only so deep).
    total: int
    pageable: int


class ListedPage(Page):
    """A page of listed activities; `total` counts every one, those past the last page too."""

    def __init__(self, object_list, number, paginator, *, total: int):
        super().__init__(object_list, number, paginator)
        self.total = total


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
    """With what a card in a list shows (includes/activity_card.html), in three queries."""
    return activities.select_related("venue").prefetch_related("schedules")


def organisation_activities(organisation: Organisation, *, page_number=None) -> Page:
    """One page of the organisation's listed activities, A to Z."""
    # Its children, as a range of tree paths rather than child_of's "path starts with": SQLite
    # reads a range from the path index, but scans every page for LIKE (50 ms at 100,000).
    # Paths are made of digits and capitals, so every one under the organisation's sorts
    # between its own and its own followed by "~".
    children = listed_activities().filter(
        path__gt=organisation.path,
        path__lt=organisation.path + "~",
        depth=organisation.depth + 1,
    )
    activities = _for_cards(children)
    page = Paginator(activities.order_by(Lower("title"), "pk"), PAGE_SIZE).get_page(page_number)
    # On its own page the organisation needs no naming on every card. Set, not left missing:
    # a template lookup that fails costs a dir() of the whole page model, every card.
    page.object_list = list(page.object_list)
    for activity in page.object_list:
        activity.organisation_title = ""
    return page


def activity_browse(*, category: Category | None = None, page_number=None) -> ListedPage:
    """One page of listed activities A to Z, optionally in a category (and its children).

    The order and the count come from the first listing hook that answers (LISTING_HOOK),
    else from the database; the activities shown are read from the database either way.
    """
    number = parse_id(page_number) or 1
    slug = category.slug if category is not None else None
    listing = _hooked_listing(category=slug, page=number)
    if listing is None:
        return _browse_database(category, page_number)
    paginator = Paginator(range(listing.pageable), PAGE_SIZE)
    if number > paginator.num_pages:
        # Past the end, the last page, as Paginator.get_page does.
        number = paginator.num_pages
        listing = _hooked_listing(category=slug, page=number)
        if listing is None:
            return _browse_database(category, page_number)
    found = _for_cards(listed_activities()).in_bulk(listing.ids)
    # In the hook's order. One it lists that the database no longer does (a change the index
    # has yet to take in) is left out.
    activities = [found[pk] for pk in listing.ids if pk in found]
    # Lists of activities say who runs each: seven "Community choir" entries are seven groups.
    activities = with_organisation_titles(activities)
    return ListedPage(activities, number, paginator, total=listing.total)


def _hooked_listing(*, category: str | None, page: int) -> Listing | None:
    for find in hooks.get_hooks(LISTING_HOOK):
        listing = find(category=category, page=page, page_size=PAGE_SIZE)
        if listing is not None:
            return listing
    return None


def _browse_database(category: Category | None, page_number) -> ListedPage:
    activities = _for_cards(listed_activities())
    if category is not None:
        ids = [category.pk, *category.children.values_list("pk", flat=True)]
        # A subquery, not a join: an activity in two of the categories is still one row, with
        # no DISTINCT over every page column (a third of a second at 12,000 activities).
        in_category = Activity.categories.through.objects.filter(category_id__in=ids)
        activities = activities.filter(pk__in=in_category.values("activity_id"))
    page = Paginator(activities.order_by(Lower("title"), "pk"), PAGE_SIZE).get_page(page_number)
    activities = with_organisation_titles(list(page.object_list))
    return ListedPage(activities, page.number, page.paginator, total=page.paginator.count)


def organisation_titles(activities) -> dict[int, str]:
    """Each activity's organisation (its parent page) by activity id, in one query."""
    parents = {a.pk: a.path[: -WagtailPage.steplen] for a in activities}
    titles = dict(
        WagtailPage.objects.filter(path__in=set(parents.values())).values_list("path", "title")
    )
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
