"""Pages of listed activities, A to Z: the directory's browse pages and an organisation's page.

The page models call these with their own listed activities (``Activity.objects.listed()``);
the models cannot import the selectors, which read them, so these take the queryset rather than
import it. Other apps reach them through ``assets_directory.selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.db.models.functions import Lower
from wagtail import hooks
from wagtail.images import get_image_model
from wagtail.models import Page as WagtailPage

from common.http import parse_id

PAGE_SIZE = 20

# The rendition of an activity's photo on its card in a list and in search results
# (includes/activity_card.html names the same). Its own page shows it at fill-640x360.
CARD_PHOTO = "fill-400x225"

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


def for_cards(activities):
    """With what a card in a list shows (includes/activity_card.html), in four queries: the
    activities with their venues and photos, their session times, and the photos' renditions."""
    return activities.select_related("venue", "photo").prefetch_related(
        "schedules", Prefetch("photo__renditions", queryset=card_renditions())
    )


def card_renditions():
    """The photos' card renditions made so far (the rest are made on first showing)."""
    return get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_PHOTO)


def organisation_activities(organisation, *, listed, page_number=None) -> Page:
    """One page of the organisation's activities among `listed`, A to Z."""
    # Its children, as a range of tree paths rather than child_of's "path starts with": SQLite
    # reads a range from the path index, but scans every page for LIKE (50 ms at 100,000).
    # Paths are made of digits and capitals, so every one under the organisation's sorts
    # between its own and its own followed by "~".
    children = listed.filter(
        path__gt=organisation.path,
        path__lt=organisation.path + "~",
        depth=organisation.depth + 1,
    )
    activities = for_cards(children)
    page = Paginator(activities.order_by(Lower("title"), "pk"), PAGE_SIZE).get_page(page_number)
    # On its own page the organisation needs no naming on every card. Set, not left missing:
    # a template lookup that fails costs a dir() of the whole page model, every card.
    page.object_list = list(page.object_list)
    for activity in page.object_list:
        activity.organisation_title = ""
    return page


def activity_browse(*, listed, category=None, page_number=None) -> ListedPage:
    """One page of `listed` activities A to Z, optionally in a category (and its children).

    The order and the count come from the first listing hook that answers (LISTING_HOOK),
    else from the database; the activities shown are read from the database either way.
    """
    number = parse_id(page_number) or 1
    slug = category.slug if category is not None else None
    listing = _hooked_listing(category=slug, page=number)
    if listing is None:
        return _browse_database(listed, category, page_number)
    paginator = Paginator(range(listing.pageable), PAGE_SIZE)
    if number > paginator.num_pages:
        # Past the end, the last page, as Paginator.get_page does.
        number = paginator.num_pages
        listing = _hooked_listing(category=slug, page=number)
        if listing is None:
            return _browse_database(listed, category, page_number)
    found = for_cards(listed).in_bulk(listing.ids)
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


def _browse_database(listed, category, page_number) -> ListedPage:
    activities = for_cards(listed)
    if category is not None:
        ids = [category.pk, *category.children.values_list("pk", flat=True)]
        # A subquery, not a join: an activity in two of the categories is still one row, with
        # no DISTINCT over every page column (a third of a second at 12,000 activities).
        in_category = listed.model.categories.through.objects.filter(category_id__in=ids)
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


def with_organisation_titles(activities: list) -> list:
    """The activities, each with `organisation_title` set (one query for them all)."""
    titles = organisation_titles(activities)
    for activity in activities:
        activity.organisation_title = titles.get(activity.pk, "")
    return activities
