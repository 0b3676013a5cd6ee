"""Reads for the directory's public pages and e-mails."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from . import listing, scheduling

# Other apps read the listing through the selectors, as they read everything of the directory.
from .listing import CARD_PHOTO as CARD_PHOTO
from .listing import LISTING_HOOK as LISTING_HOOK
from .listing import PAGE_SIZE as PAGE_SIZE
from .listing import ListedPage as ListedPage
from .listing import Listing as Listing
from .listing import organisation_titles as organisation_titles
from .listing import with_organisation_titles as with_organisation_titles
from .models import (
    Activity,
    Category,
    DirectoryIndexPage,
    ListingClaim,
    ListingReport,
    Organisation,
    SchoolHoliday,
    Venue,
)


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


@dataclass(frozen=True)
class CardPhoto:
    """An activity's photo as a card shows it: its card-sized rendition and its description."""

    rendition: object
    alt: str


def activity_card_photos(ids) -> dict[int, CardPhoto]:
    """The photos of the listed activities among `ids`, by activity id, for result cards.

    Three queries whatever the number (the private sections "listed" leaves out, the
    activities with their images, the renditions already made); a rendition not yet made is
    made here, once.
    """
    activities = (
        listed_activities()
        .filter(pk__in=list(ids), photo__isnull=False)
        .select_related("photo")
        .prefetch_related(Prefetch("photo__renditions", queryset=listing.card_renditions()))
    )
    return {
        activity.pk: CardPhoto(activity.photo.get_rendition(CARD_PHOTO), activity.photo_alt)
        for activity in activities
    }


def organisation_activities(organisation: Organisation, *, page_number=None) -> PaginatorPage:
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


def venues_to_check() -> list[Venue]:
    """Venues a group's editor added or changed since a moderator last looked, oldest first."""
    return list(
        Venue.objects.filter(changed_by_group_at__isnull=False)
        .select_related("organisation")
        .prefetch_related("accessibility")
        .order_by("changed_by_group_at")
    )


def holiday_ranges() -> tuple:
    return SchoolHoliday.objects.ranges()


@dataclass(frozen=True)
class SessionPreview:
    """A session time as the activity's page will say it, and its next dates."""

    description: str
    next_dates: list[str]


def session_preview(
    *, recurrence: scheduling.Recurrence, after=None, count: int = 3
) -> SessionPreview:
    """The session in words and its next ``count`` dates, school holidays skipped if asked."""
    occurrences = scheduling.next_occurrences(
        [recurrence],
        after=after or timezone.now(),
        count=count,
        holidays=holiday_ranges(),
        tz=settings.TIME_ZONE,
    )
    return SessionPreview(
        description=scheduling.describe(recurrence),
        next_dates=[scheduling.describe_occurrence(o) for o in occurrences],
    )


# Calendar files -----------------------------------------------------------------------------


def calendar_activities():
    """Activities whose calendar anyone may download: those whose page anyone may open (live,
    not private), ended or temporarily closed ones too (their events say they are off)."""
    return Activity.objects.visible().select_related("venue").prefetch_related("schedules")


def calendar_organisations():
    """Organisations whose calendar anyone may download: live, not in a private section."""
    return Organisation.objects.live().public()


def organisation_calendar_activities(organisation: Organisation) -> list[Activity]:
    """The activities in an organisation's calendar: the ones its page lists, by title."""
    return list(
        listed_activities()
        .child_of(organisation)
        .select_related("venue")
        .prefetch_related("schedules")
        .order_by("title", "pk")
    )


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


def organisations_with_active_editors(organisations) -> set[int]:
    """Of the given organisations, the ids of those an active account looks after (through
    their editors group). The others may be claimed (services.claim_submit)."""
    group_ids = {o.editors_group_id: o.pk for o in organisations if o.editors_group_id}
    if not group_ids:
        return set()
    looked_after = (
        get_user_model()
        .objects.filter(groups__in=list(group_ids), is_active=True)
        .values_list("groups", flat=True)
    )
    return {group_ids[g] for g in looked_after if g in group_ids}


def organisation_has_active_editors(organisation: Organisation) -> bool:
    return bool(organisations_with_active_editors([organisation]))


def pending_claims():
    """Claims to look after a listing, waiting for a moderator: oldest first."""
    return (
        ListingClaim.objects.filter(status=ListingClaim.Status.PENDING)
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


def moderator_emails() -> list[str]:
    emails = set(settings.MODERATOR_EMAILS)
    emails.update(
        get_user_model()
        .objects.filter(groups__name="Moderators", is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return sorted(emails)


# The group editor's dashboard -------------------------------------------------------------


@dataclass(frozen=True)
class ListingState:
    """An activity as its group sees it in the admin: its state in words, and open reports."""

    activity: Activity
    state: str
    attention: bool
    open_reports: int


@dataclass(frozen=True)
class EditedOrganisation:
    organisation: Organisation
    listings: tuple[ListingState, ...]


def listing_state(
    *, live: bool, has_unpublished_changes: bool, workflow_status: str, status: str, stale_days
) -> tuple[str, bool]:
    """An activity's state in plain words, and whether its group needs to act on it.

    `workflow_status` is its active moderation (in_progress, needs_changes, or ""); `stale_days`
    how long it has gone unconfirmed once that is the whole review period, else None.
    """
    if workflow_status == WorkflowState.STATUS_NEEDS_CHANGES:
        return "Changes requested by a moderator", True
    if workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return "Waiting for approval", False
    if not live:
        return "Draft: not on the site yet", True
    words = "On the site"
    if status == Activity.Status.TEMPORARILY_CLOSED:
        words = "On the site, shown as temporarily closed"
    elif status == Activity.Status.ENDED:
        words = "Ended: no longer listed"
    if has_unpublished_changes:
        return f"{words}, with changes not sent for approval", True
    if stale_days is not None and status != Activity.Status.ENDED:
        months = max(1, round(stale_days / 30.4))
        unit = "month" if months == 1 else "months"
        return f"{words}: please check it (not confirmed for {months} {unit})", True
    return words, False


def editor_organisations(*, user) -> list[EditedOrganisation]:
    """The organisations `user` edits (as a member of their editors group), each with every
    activity in it, drafts included, and its state: three queries however many there are."""
    organisations = list(
        Organisation.objects.filter(editors_group__user=user).order_by("title").distinct()
    )
    if not organisations:
        return []
    paths = Q()
    for organisation in organisations:
        paths |= Q(path__startswith=organisation.path, depth=organisation.depth + 1)
    activities = list(Activity.objects.filter(paths).order_by("title"))
    ids = [str(activity.pk) for activity in activities]
    moderation = dict(
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=ids)
        .values_list("object_id", "status")
    )
    reports = dict(
        ListingReport.objects.filter(activity__in=activities, status=ListingReport.Status.OPEN)
        .values("activity")
        .annotate(n=Count("pk"))
        .values_list("activity", "n")
    )
    review_days = settings.FRESHNESS_REVIEW_DAYS
    today = timezone.localdate()
    by_parent: dict[str, list[ListingState]] = {}
    for activity in activities:
        # As Activity.is_stale: unconfirmed for the whole review period.
        unconfirmed = (today - activity.last_reviewed).days
        state, attention = listing_state(
            live=activity.live,
            has_unpublished_changes=activity.has_unpublished_changes,
            workflow_status=moderation.get(str(activity.pk), ""),
            status=activity.status,
            stale_days=unconfirmed if unconfirmed >= review_days else None,
        )
        open_reports = reports.get(activity.pk, 0)
        by_parent.setdefault(activity.path[: -Activity.steplen], []).append(
            ListingState(activity, state, attention or open_reports > 0, open_reports)
        )
    return [
        EditedOrganisation(organisation, tuple(by_parent.get(organisation.path, ())))
        for organisation in organisations
    ]


def organisation_venues(*, published_by=None) -> dict[int, dict[int, object]]:
    """{organisation pk: {venue pk: when its first current activity there was first published
    (None when not known)}}, in two queries whatever the number of groups: the activities'
    venues, then the live organisations above them.

    With `published_by` (a datetime), only activities first published by then count: the
    venues the groups shared at that date, as far as the directory still shows it.
    """
    activities = Activity.objects.current().filter(venue__isnull=False)
    if published_by is not None:
        # A page made without being published through Wagtail (an import) has no date: it counts.
        activities = activities.filter(
            Q(first_published_at__isnull=True) | Q(first_published_at__lte=published_by)
        )
    by_parent: dict[str, dict[int, object]] = {}
    rows = activities.values_list("path", "venue_id", "first_published_at")
    for path, venue_id, published in rows:
        venues = by_parent.setdefault(path[: -Activity.steplen], {})
        known = venues.get(venue_id, published)
        venues[venue_id] = (
            published if known is None or published is None else min(known, published)
        )
    if not by_parent:
        return {}
    organisations = Organisation.objects.live().filter(path__in=list(by_parent))
    return {pk: by_parent[path] for pk, path in organisations.values_list("pk", "path")}


def top_level_slugs() -> dict[str, str]:
    """Each category's slug → the slug of its top-level category (its own, for a top one)."""
    parents = dict(Category.objects.values_list("slug", "parent__slug"))
    return {slug: parent or slug for slug, parent in parents.items()}


def categories_in_tree_order():
    """Every category, each top-level one followed by those below it (for a list of choices)."""
    return Category.objects.annotate(
        top_order=Coalesce("parent__sort_order", "sort_order"),
        top_name=Coalesce("parent__name", "name"),
    ).order_by("top_order", "top_name", F("parent").asc(nulls_first=True), "sort_order", "name")


def category_themes(
    themes: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, tuple[str, ...]]:
    """Each category's slug → the themes it counts for, in the themes' order.

    A theme is a key and the categories it gathers, each with everything below it (a service
    line of coproduction gathers several). Without `themes`, each top-level category is a
    theme of its own, keyed by its slug. Categories no theme gathers are left out."""
    parents = dict(Category.objects.values_list("slug", "parent__slug"))
    if themes is None:
        themes = {slug: (slug,) for slug, parent in parents.items() if parent is None}
    gathered: dict[str, list[str]] = {}
    for key, members in themes.items():
        for member in dict.fromkeys(members):
            gathered.setdefault(member, []).append(key)
    order = {key: i for i, key in enumerate(themes)}
    found = {}
    for slug in parents:
        keys, seen, at = [], set(), slug
        while at is not None and at not in seen:  # a cycle in edited data must not hang
            seen.add(at)
            keys += gathered.get(at, ())
            at = parents.get(at)
        if keys:
            found[slug] = tuple(sorted(dict.fromkeys(keys), key=order.__getitem__))
    return found
