from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index

from common.forms import NamedErrorsMixin, PlainTextFormMixin
from common.vocabulary import (
    AUDIENCE_CHOICES,
    COST_LABELS,
    DAY_CHOICES,
    DELIVERY_CHOICES,
    MONTH_WEEK_ORDINALS,
    WEEKDAY_SLUGS,
    audience_slugs,
)

from .. import scheduling
from ..audience import Audience, audience_of, describe
from ..listing import activity_browse, organisation_activities
from ..widgets import CommaSeparatedCheckboxes
from .taxonomy import Category, SchoolHoliday

_DELIVERY = dict(DELIVERY_CHOICES)


class DirectoryIndexPage(RoutablePageMixin, Page):
    """The root of the directory: organisations live under it; it lists and browses activities."""

    intro = models.CharField(max_length=255, blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["assets_directory.Organisation"]
    max_count = 1

    class Meta:
        verbose_name = "directory"

    @path("")
    def browse(self, request):
        query = request.GET.get("q", "").strip()[:200]
        if query:
            # Words are the search page's job: ranked, with places, times and filters. Links
            # made before it existed still work.
            return redirect(f"{reverse('search:search')}?{urlencode({'q': query})}")
        page = activity_browse(
            listed=Activity.objects.listed(), page_number=request.GET.get("page")
        )
        return self.render(
            request,
            context_overrides={"results": page, "categories": list(Category.objects.top_level())},
        )

    @path("category/<slug:slug>/")
    def category(self, request, slug):
        category = get_object_or_404(Category, slug=slug)
        page = activity_browse(
            listed=Activity.objects.listed(),
            category=category,
            page_number=request.GET.get("page"),
        )
        return self.render(
            request,
            template="assets_directory/category_page.html",
            context_overrides={"category": category, "results": page},
        )


class OrganisationPermissionTester(PagePermissionTester):
    def can_copy(self):
        # An organisation is one group with its own editors, files and registration: a copy
        # would be a second listing of the same group that nobody may edit. A new group
        # registers; a similar activity is made by copying the activity.
        return False


PHOTO_ALT_REQUIRED = (
    "Describe the photo for people who cannot see it, e.g. 'Volunteers planting leeks in "
    "raised beds'."
)
LOGO_ALT_REQUIRED = (
    "Describe the logo for people who cannot see it, e.g. 'Tooting Knit and Natter logo: a "
    "ball of wool'."
)
IMAGE_NOT_YOURS = (
    "Choose one of this organisation's own pictures, or upload a new one: this picture is "
    "not one of them."
)


def image_collection_error(image, *, organisation) -> str | None:
    """Why `image` may not be shown for `organisation`, or None when it may.

    An organisation's pictures are in its own collection (its editors' rights are there). One
    from another organisation's collection is refused, whoever chose it: a moderator or a
    superuser can see every image in the chooser, but a group's page shows its own pictures.
    An organisation with no collection yet (no editors) may use a picture no group owns.
    """
    if image is None:
        return None
    own = getattr(organisation, "collection_id", None)
    if own is not None:
        return None if image.collection_id == own else IMAGE_NOT_YOURS
    owned = Organisation.objects.filter(collection_id=image.collection_id).exists()
    return IMAGE_NOT_YOURS if owned else None


def refuse_image(form, name: str, error: str) -> None:
    """The error on the image field, and the choice emptied: the form shown again must not
    preview (or make a rendition of) a picture that is not the reader's to use."""
    form.add_error(name, error)
    form.data = form.data.copy()
    form.data[form.add_prefix(name)] = ""


class OrganisationForm(NamedErrorsMixin, PlainTextFormMixin, WagtailAdminPageForm):
    """The organisation editor: its plain text fields refuse control and format characters
    (a right-to-left override in a title would reach every page and e-mail that names it)."""

    def clean(self):
        cleaned = super().clean()
        error = image_collection_error(cleaned.get("logo"), organisation=self.instance)
        if error:
            refuse_image(self, "logo", error)
        return cleaned


class DirectoryPageQuerySet(PageQuerySet):
    def private_q(self) -> Q:
        """As Wagtail's (pages in a private section, the section's page with them), read
        without its join of restrictions to pages: with no restriction yet, SQLite has no
        statistics for that table and walks every page to find none (8 ms at 100,000
        activities, on every list and item the directory and its feed serve)."""
        restricted = list(PageViewRestriction.objects.values_list("page_id", flat=True))
        if not restricted:
            return Q(pk__in=[])
        q = Q()
        for section in Page.objects.filter(pk__in=restricted).values_list("path", flat=True):
            q |= Q(path__startswith=section)
        return q


class Organisation(Page):
    """A community group or voluntary organisation. Its editors own its subtree of activities."""

    objects = PageManager.from_queryset(DirectoryPageQuerySet)()

    class Kind(models.TextChoices):
        CHARITY = "charity", "Charity"
        VOLUNTARY = "voluntary", "Voluntary organisation"
        COMMUNITY_GROUP = "community_group", "Community group"
        FAITH = "faith", "Faith group"
        CULTURAL = "cultural", "Cultural group"
        PEER = "peer", "Self-help or peer group"
        CARERS = "carers", "Carers' organisation"
        MENTAL_HEALTH = "mental_health", "Mental health organisation"
        TRAINING = "training", "Training organisation"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise"
        STATUTORY = "statutory", "Statutory service"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.COMMUNITY_GROUP)
    description = RichTextField(blank=True, features=["bold", "italic", "link", "ul", "ol"])
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional. Choose one of your organisation's images, or upload one.",
    )
    logo_alt = models.CharField(
        "describe the logo",
        max_length=255,
        blank=True,
        help_text=(
            "Needed with a logo, for people who use a screen reader, e.g. 'Tooting Knit and "
            "Natter logo: a ball of wool'."
        ),
    )
    areas_served = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where people you help live, e.g. 'Wandsworth' or 'SW17, SW18'.",
    )
    languages = models.CharField(
        max_length=255, blank=True, help_text="Languages you work in, e.g. 'English, Polish'."
    )
    charity_number = models.CharField(max_length=20, blank=True)
    # Companies House number: with the charity number, how other directories (Open Referral's
    # organization_identifiers) tell the same group apart from another of the same name.
    company_number = models.CharField(
        max_length=10, blank=True, help_text="Companies House number, e.g. 01234567, if any."
    )
    # Set when a moderator approves the group; the group's editors get page permissions here only.
    editors_group = models.OneToOneField(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="organisation"
    )
    # The organisation's own images and documents, set with the editors group. Tied by
    # identity: names change and are reused, so a name must never decide who may edit what.
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisation",
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("logo_alt"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("email"), FieldPanel("phone")], heading="Contact"
        ),
        FieldPanel("areas_served"),
        FieldPanel("languages"),
        FieldPanel("charity_number"),
        FieldPanel("company_number"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("description"),
        index.AutocompleteField("title"),
    ]
    parent_page_types = ["assets_directory.DirectoryIndexPage"]
    subpage_types = ["assets_directory.Activity"]
    base_form_class = OrganisationForm
    # The admin offers no copy (see OrganisationPermissionTester); a copy made in code gets an
    # identity of its own and nobody's rights.
    exclude_fields_in_copy = ["uuid", "editors_group", "collection"]

    class Meta:
        verbose_name = "organisation"

    def permissions_for_user(self, user):
        return OrganisationPermissionTester(user, self)

    def clean(self):
        super().clean()
        if self.logo_id and not self.logo_alt.strip():
            raise ValidationError({"logo_alt": LOGO_ALT_REQUIRED})

    def with_content_json(self, content):
        # Who may edit the organisation and its files is not content: publishing an old
        # revision must not take the editors' rights away (or give back rights a moderator
        # removed).
        obj = super().with_content_json(content)
        obj.editors_group_id = self.editors_group_id
        obj.collection_id = self.collection_id
        return obj

    @property
    def looked_after(self) -> bool:
        """Whether an active account edits it; one nobody looks after may be claimed."""
        return bool(
            self.editors_group_id and self.editors_group.user_set.filter(is_active=True).exists()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["activities"] = organisation_activities(
            self, listed=Activity.objects.listed(), page_number=request.GET.get("page")
        )
        return context


class ActivityForm(NamedErrorsMixin, PlainTextFormMixin, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        title = self.fields["title"]
        title.label = "Name of the activity"
        title.help_text = "e.g. 'Knit and natter' or 'Walking football for over-50s'."
        categories = self.fields["categories"]
        categories.queryset = Category.objects.in_tree_order()
        # Sixty-odd boxes in one list are unreadable: each top-level category heads a group
        # of its own (Django renders grouped choices as labelled sub-lists).
        categories.choices = category_groups(categories.queryset)

    def clean(self):
        cleaned = super().clean()
        # The activity's organisation is the page it is added under (or moved with): the
        # model's own clean() cannot know it before the page is in the tree.
        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        organisation = parent.specific if parent is not None else None
        error = image_collection_error(cleaned.get("photo"), organisation=organisation)
        if error:
            refuse_image(self, "photo", error)
        # Many-to-many choices reach only the form, not the model's clean().
        audiences = audience_slugs(cleaned.get("audience") or "")
        if "condition" in audiences and not cleaned.get("conditions"):
            self.add_error("conditions", "Choose the health conditions the activity is for.")
        return cleaned


def category_groups(categories) -> list[tuple[str, list[tuple[int, str]]]]:
    """Categories as (top-level name, [(id, name), ...]) groups, the top level first in each."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for category in categories:
        top = category.parent if category.parent_id else category
        name = category.name if category.parent_id else f"{category.name} (any kind)"
        groups.setdefault(top.pk, (top.name, []))[1].append((category.pk, name))
    return list(groups.values())


class ActivityTag(TaggedItemBase):
    content_object = ParentalKey(
        "assets_directory.Activity", related_name="tagged_items", on_delete=models.CASCADE
    )


class ActivityQuerySet(DirectoryPageQuerySet):
    """One meaning of "listed", "running" and "visible", wherever activities are listed,
    counted, indexed or offered. Each has a ``_q()`` form for use inside other queries."""

    def visible_q(self) -> Q:
        """Anyone may open its page: live and not in a private section."""
        return self.live_q() & ~self.private_q()

    def current_q(self) -> Q:
        """Live and not ended, public or not: what its group is asked to keep up to date."""
        return self.live_q() & Q(status__in=Activity.LISTED_STATUSES)

    def listed_q(self) -> Q:
        """What the directory lists and counts: visible and running or temporarily closed."""
        return self.visible_q() & Q(status__in=Activity.LISTED_STATUSES)

    def running_q(self) -> Q:
        """Visible and running now: what can go in someone's plan."""
        return self.visible_q() & Q(status=Activity.Status.RUNNING)

    def visible(self) -> ActivityQuerySet:
        return self.filter(self.visible_q())

    def current(self) -> ActivityQuerySet:
        return self.filter(self.current_q())

    def listed(self) -> ActivityQuerySet:
        return self.filter(self.listed_q())

    def running(self) -> ActivityQuerySet:
        return self.filter(self.running_q())


ActivityManager = PageManager.from_queryset(ActivityQuerySet)


class Activity(Page):
    """Something a group runs: a class, a club, a drop-in, a peer-support meeting."""

    class Cost(models.TextChoices):
        FREE = "free", COST_LABELS["free"]
        PAY_WHAT_YOU_CAN = "pay_what_you_can", COST_LABELS["pay_what_you_can"]
        PAID = "paid", COST_LABELS["paid"]

    class Booking(models.TextChoices):
        DROP_IN = "drop_in", "Just turn up"
        BOOKING = "booking", "Booking needed"
        REFERRAL = "referral", "Referral needed"

    class ReferralRoute(models.TextChoices):
        TAKES_REFERRALS = "takes_referrals", "Takes referrals from link workers"
        DROP_IN = "drop_in", "Drop in: no referral needed"
        SIGNPOSTING = "signposting", "Signposting only: we cannot take referrals"

    class Capacity(models.TextChoices):
        OPEN = "open", "Places available"
        WAITING_LIST = "waiting_list", "Waiting list"
        FULL = "full", "Full at the moment"

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", _DELIVERY["in_person"]
        ONLINE = "online", _DELIVERY["online"]
        PHONE = "phone", _DELIVERY["phone"]
        AREA_WIDE = "area_wide", _DELIVERY["area_wide"]

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        TEMPORARILY_CLOSED = "temporarily_closed", "Temporarily closed"
        ENDED = "ended", "Ended"

    # What the directory lists and counts (with a "Temporarily closed" label), wherever it
    # lists or counts: ended activities are not listed; drafts and private pages never are.
    LISTED_STATUSES = (Status.RUNNING.value, Status.TEMPORARILY_CLOSED.value)

    objects = ActivityManager()

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    summary = models.CharField(
        "short description",
        max_length=300,
        help_text=(
            "One or two sentences shown in lists and search results, e.g. 'A friendly group "
            "to knit, crochet and chat over tea. Beginners welcome.'"
        ),
    )
    description = RichTextField(
        "more about it",
        blank=True,
        features=["bold", "italic", "link", "ul", "ol"],
        help_text="Anything else people should know: what happens, what to bring, who runs it.",
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=(
            "Optional. A photo of the activity, shown on its page and in lists. Choose one of "
            "your organisation's images, or upload one."
        ),
    )
    photo_alt = models.CharField(
        "describe the photo",
        max_length=255,
        blank=True,
        help_text=(
            "Needed with a photo, for people who use a screen reader: say what it shows, e.g. "
            "'Volunteers planting leeks in raised beds'."
        ),
    )
    categories = ParentalManyToManyField(
        "assets_directory.Category",
        related_name="activities",
        verbose_name="kinds of activity",
        help_text="Tick one or more, so people looking for this kind of thing find it.",
    )
    tags = ClusterTaggableManager(
        "other words people might search for",
        through=ActivityTag,
        blank=True,
        help_text="e.g. 'crochet, wool, craft'. Separate them with commas.",
    )

    # Who it is for, as the matching engine and the "Who it's for" filter read it. None ticked:
    # open to everyone.
    audience = models.CharField(
        "who it is for",
        max_length=200,
        blank=True,
        help_text="Tick any that apply. Leave them all empty if anyone can come.",
    )
    conditions = ParentalManyToManyField(
        "assets_directory.Condition",
        blank=True,
        related_name="activities",
        verbose_name="health conditions",
        help_text="For people living with these conditions (or caring for someone who does).",
    )
    community = models.CharField(
        "which community",
        max_length=100,
        blank=True,
        help_text="For a faith, cultural or language community: which one, e.g. 'Polish speakers'.",
    )
    # The ages of the people who take part. Children's ages are their own fields: a parent and
    # baby group is for adults, with babies under one.
    age_min = models.PositiveSmallIntegerField(
        "youngest age", null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        "oldest age", null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    children_age_min = models.PositiveSmallIntegerField(
        "children's youngest age", null=True, blank=True, validators=[MaxValueValidator(18)]
    )
    children_age_max = models.PositiveSmallIntegerField(
        "children's oldest age", null=True, blank=True, validators=[MaxValueValidator(18)]
    )
    who_for = models.CharField(
        "who it is for, in your words",
        max_length=255,
        blank=True,
        help_text="e.g. 'People living with diabetes and their families'.",
    )
    carers_welcome = models.BooleanField("carers welcome", default=True)

    cost = models.CharField(max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_amount = models.DecimalField(
        "price (£)",
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_details = models.CharField(
        max_length=255, blank=True, help_text="e.g. '£3 a session, first session free'."
    )
    booking = models.CharField(
        "do people need to book?", max_length=20, choices=Booking.choices, default=Booking.DROP_IN
    )
    how_to_join = models.TextField(
        "what to do the first time",
        blank=True,
        help_text=(
            "e.g. 'Come to the side door and ask for Jean. Your first session is free.' "
            "For booking or a referral, say how."
        ),
    )
    referral_route = models.CharField(
        "referrals from link workers",
        max_length=20,
        choices=ReferralRoute.choices,
        default=ReferralRoute.DROP_IN,
        help_text=(
            "Link workers can refer people only to activities that take referrals: you are "
            "e-mailed each one and asked to answer within ten working days."
        ),
    )
    capacity = models.CharField(
        "places",
        max_length=20,
        choices=Capacity.choices,
        default=Capacity.OPEN,
        help_text="Say when you are full or have a waiting list: people and link workers see it.",
    )
    delivery = models.CharField(
        "how people take part",
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.IN_PERSON,
    )
    area_served = models.CharField(
        max_length=255,
        blank=True,
        help_text=(
            "For online, phone or area-wide activities: the postcode districts you cover, "
            "e.g. 'SW17, SW18'. Leave empty if anyone can join from anywhere."
        ),
    )
    # PROTECT: deleting a venue must never leave activities without their place. The admin
    # refuses with the list of activities first (services.venue_ensure_unused).
    venue = models.ForeignKey(
        "assets_directory.Venue",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        help_text=(
            "Needed for an activity held in person. Choose it, or add a new venue from the "
            "same window if it is not there yet."
        ),
    )
    # The activity at its venue is a service at a location in the Open Referral feed: this is
    # its id there, kept through edits and re-harvests as `uuid` is the service's. None without
    # a venue; a new one whenever the venue changes, as the activity elsewhere is another
    # service at a location. A harvested activity keeps its source's id where free.
    location_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    contact_name = models.CharField(
        "who to ask for", max_length=255, blank=True, help_text="A name, e.g. 'Jean'."
    )
    contact_email = models.EmailField("contact e-mail", blank=True)
    contact_phone = models.CharField(
        "contact phone number", max_length=50, blank=True, help_text="e.g. 020 8123 4567."
    )
    status = models.CharField(
        "is it running?",
        max_length=30,
        choices=Status.choices,
        default=Status.RUNNING,
        help_text="Choose 'Temporarily closed' for a break; it stays listed and says so.",
    )
    last_reviewed = models.DateField(
        "last checked",
        default=timezone.localdate,
        help_text="Set to today whenever a change is published or the owner confirms it.",
    )

    # Grouped as a volunteer thinks of an activity, one tab each. No "Promote" or "Settings"
    # tab: the address is made from the name, and search-engine fields and scheduled
    # publishing mean nothing to a group listing its knit and natter.
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    HelpPanel(
                        "<p>Fill in each tab from What to Contact. Fields marked with * are "
                        "needed. When you are done, choose <strong>Submit for approval"
                        "</strong>: a moderator checks it before it goes on the directory.</p>"
                    ),
                    FieldPanel("title"),
                    FieldPanel("summary"),
                    FieldPanel("description"),
                    FieldPanel("photo"),
                    FieldPanel("photo_alt"),
                    FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("tags"),
                    FieldPanel("status"),
                ],
                heading="What",
            ),
            ObjectList(
                [InlinePanel("schedules", heading="Session times", label="session time")],
                heading="When",
            ),
            ObjectList(
                [FieldPanel("delivery"), FieldPanel("venue"), FieldPanel("area_served")],
                heading="Where",
            ),
            ObjectList(
                [
                    FieldPanel(
                        "audience", widget=CommaSeparatedCheckboxes(choices=AUDIENCE_CHOICES)
                    ),
                    FieldPanel("conditions", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("community"),
                    FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")]),
                    FieldRowPanel([FieldPanel("children_age_min"), FieldPanel("children_age_max")]),
                    FieldPanel("who_for"),
                    FieldPanel("carers_welcome"),
                ],
                heading="Who it's for",
            ),
            ObjectList(
                [FieldPanel("cost"), FieldPanel("cost_amount"), FieldPanel("cost_details")],
                heading="Cost",
            ),
            ObjectList(
                [
                    FieldPanel("booking"),
                    FieldPanel("how_to_join"),
                    FieldPanel("capacity"),
                    FieldPanel("referral_route"),
                ],
                heading="How to join",
            ),
            ObjectList(
                [
                    FieldPanel("contact_name"),
                    FieldPanel("contact_email"),
                    FieldPanel("contact_phone"),
                ],
                heading="Contact",
            ),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.RelatedFields("categories", [index.SearchField("name")]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("status"),
    ]
    parent_page_types = ["assets_directory.Organisation"]
    subpage_types = []
    base_form_class = ActivityForm
    # A copy is a new listing, exchanged (Open Referral) under an identity of its own.
    exclude_fields_in_copy = ["uuid", "location_uuid"]

    class Meta:
        verbose_name = "activity"
        verbose_name_plural = "activities"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        # A save of a few fields that leaves the venue alone (a revision's bookkeeping) leaves
        # the id alone too, without a query.
        if update_fields is None or {"venue", "venue_id"} & set(update_fields):
            self.location_uuid = self._own_location_uuid()
            if update_fields is not None and "location_uuid" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "location_uuid"]
        return super().save(*args, **kwargs)

    save.alters_data = True

    def _own_location_uuid(self):
        """The service_at_location id this activity is saved with. Wagtail publishes a page
        from a revision, which holds a copy of the id, and copies pages (and revisions) with
        theirs: the stored id wins while the venue is the same, so no revision ever changes
        it; a new venue, or a new page whose id another activity holds (a copy), takes a new
        one. (Only a bulk write sets it otherwise: services.bulk.)"""
        if self.venue_id is None:
            return None
        if self.pk is not None:
            stored = (
                Activity.objects.filter(pk=self.pk).values_list("venue_id", "location_uuid").first()
            )
            if stored is not None:
                venue_id, location_uuid = stored
                if venue_id == self.venue_id and location_uuid is not None:
                    return location_uuid
                return uuid.uuid4()
        if (
            self.location_uuid is None
            or Activity.objects.filter(location_uuid=self.location_uuid).exists()
        ):
            return uuid.uuid4()
        return self.location_uuid

    def clean(self):
        super().clean()
        errors = {}
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            errors["age_max"] = "The oldest age must be the same as or more than the youngest."
        if (
            self.children_age_min is not None
            and self.children_age_max is not None
            and self.children_age_max < self.children_age_min
        ):
            errors["children_age_max"] = (
                "The children's oldest age must be the same as or more than their youngest."
            )
        audiences = set(self.audiences)
        if {"women", "men"} <= audiences:
            errors["audience"] = "Choose women only or men only, not both."
        if "community" in audiences and not self.community.strip():
            errors["community"] = "Say which community the activity is for."
        if self.cost == self.Cost.PAID and self.cost_amount is None and not self.cost_details:
            errors["cost_amount"] = "Give a price or describe the cost for a paid activity."
        if self.delivery == self.Delivery.IN_PERSON and not self.venue_id:
            errors["venue"] = "Choose the venue for an activity held in person."
        if self.photo_id and not self.photo_alt.strip():
            errors["photo_alt"] = PHOTO_ALT_REQUIRED
        if errors:
            raise ValidationError(errors)

    def copy(self, *args, to=None, update_attrs=None, **kwargs):
        # A copy into another organisation leaves the photo behind: it is the first one's
        # picture, and the new one's page shows only its own.
        destination = (to or self.get_parent()).specific
        if self.photo_id and image_collection_error(self.photo, organisation=destination):
            update_attrs = {**(update_attrs or {}), "photo": None, "photo_alt": ""}
        return super().copy(*args, to=to, update_attrs=update_attrs, **kwargs)

    copy.alters_data = True

    @cached_property
    def organisation(self):
        return self.get_parent().specific

    @property
    def audiences(self) -> tuple[str, ...]:
        """Whom it is for (``common.vocabulary.AUDIENCES``); empty when open to everyone."""
        return audience_slugs(self.audience)

    def audience_summary(self) -> Audience:
        """Its audience fields as one value (see ``assets_directory.audience``)."""
        return audience_of(
            audience=self.audience,
            conditions=[(c.slug, c.name) for c in self.conditions.all()],
            community=self.community,
            age_min=self.age_min,
            age_max=self.age_max,
            children_age_min=self.children_age_min,
            children_age_max=self.children_age_max,
            who_for=self.who_for,
            carers_welcome=self.carers_welcome,
        )

    def audience_lines(self) -> list[str]:
        """Whom it is for, as sentences for its page."""
        return describe(self.audience_summary())

    @property
    def recurrences(self):
        return [s.as_recurrence() for s in self.schedules.all()]

    def schedule_descriptions(self):
        return [scheduling.describe(r) for r in self.recurrences]

    def next_sessions(self, count=3, *, after=None):
        return scheduling.next_occurrences(
            self.recurrences,
            after=after or timezone.now(),
            count=count,
            holidays=SchoolHoliday.objects.ranges(),
        )

    @property
    def is_stale(self):
        return self.last_reviewed <= timezone.localdate() - timedelta(
            days=settings.FRESHNESS_REVIEW_DAYS
        )

    def get_context(self, request, *args, **kwargs):
        # The "report a problem" form is the template's (the directory_forms tag): the model
        # knows nothing of forms.
        context = super().get_context(request, *args, **kwargs)
        context["organisation"] = self.organisation
        return context


class ActivitySchedule(Orderable):
    """One recurring pattern (or one-off date) of an activity's sessions."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every other week"
        MONTHLY = "monthly", "Once a month"
        ONCE = "once", "One date only"

    class Nth(models.IntegerChoices):
        FIRST = 1, MONTH_WEEK_ORDINALS[1]
        SECOND = 2, MONTH_WEEK_ORDINALS[2]
        THIRD = 3, MONTH_WEEK_ORDINALS[3]
        FOURTH = 4, MONTH_WEEK_ORDINALS[4]
        LAST = -1, MONTH_WEEK_ORDINALS[-1]

    WEEKDAY_CHOICES = list(DAY_CHOICES)

    activity = ParentalKey(Activity, related_name="schedules", on_delete=models.CASCADE)
    # The session's id in the Open Referral feed (a schedule's id), as the activity's uuid is
    # the service's: kept through edits and re-harvests, so another directory that holds it
    # can match it again. A harvested session keeps its source's id where free.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default="weekly")
    weekdays = models.CharField(
        max_length=40, blank=True, help_text="Days, for weekly, fortnightly or monthly sessions."
    )
    nth = models.SmallIntegerField(
        "which week of the month", choices=Nth.choices, null=True, blank=True
    )
    start_time = models.TimeField()
    end_time = models.TimeField(null=True, blank=True)
    starts_on = models.DateField(
        null=True, blank=True, help_text="First session. For every other week, a week it runs."
    )
    ends_on = models.DateField(null=True, blank=True, help_text="Last session, if it ends.")
    on_date = models.DateField("date", null=True, blank=True, help_text="For a one-off session.")
    term_time_only = models.BooleanField(default=False)

    # Each field's panel names the frequencies that use it (data-session-for): the editor's
    # script (static/js/session-times-admin.js) hides the others. Without JavaScript every
    # field shows, and its help line says which frequency it is for.
    panels = [
        FieldPanel("frequency"),
        FieldPanel(
            "weekdays",
            widget=CommaSeparatedCheckboxes(choices=WEEKDAY_CHOICES),
            help_text="For every week and every other week (one or more days), or once a month "
            "(one day).",
            attrs={"data-session-for": "weekly fortnightly monthly"},
        ),
        FieldPanel(
            "nth",
            help_text="Only for once a month: for example the first Wednesday of the month.",
            attrs={"data-session-for": "monthly"},
        ),
        FieldRowPanel([FieldPanel("start_time"), FieldPanel("end_time")]),
        FieldRowPanel(
            [
                FieldPanel(
                    "starts_on",
                    help_text="The first session. Every other week needs it, to know which "
                    "weeks it runs; not for one date only.",
                ),
                FieldPanel(
                    "ends_on", help_text="The last session, if it ends. Not for one date only."
                ),
            ],
            attrs={"data-session-for": "weekly fortnightly monthly"},
        ),
        FieldPanel(
            "on_date",
            help_text="Only for one date only.",
            attrs={"data-session-for": "once"},
        ),
        FieldPanel(
            "term_time_only",
            help_text="Not for one date only: it skips the school holidays.",
            attrs={"data-session-for": "weekly fortnightly monthly"},
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "session time"

    def save(self, *args, **kwargs):
        self.uuid = self._own_uuid()
        super().save(*args, **kwargs)

    save.alters_data = True

    def _own_uuid(self):
        """The id this session is saved with. Wagtail saves a page's sessions from a revision,
        which holds a copy of each id, and copies a page's sessions (and revisions) with their
        ids: the stored id wins, so no revision ever changes it, and a copy's session, or one
        published from a copy's revision, takes a new one. (Only a bulk write changes it.)"""
        if self.pk is not None:
            stored = (
                ActivitySchedule.objects.filter(pk=self.pk, activity_id=self.activity_id)
                .values_list("uuid", flat=True)
                .first()
            )
            if stored is not None:
                return stored
        if ActivitySchedule.objects.filter(uuid=self.uuid).exists():
            return uuid.uuid4()
        return self.uuid

    @property
    def weekday_indexes(self):
        slugs = [s.strip() for s in self.weekdays.split(",") if s.strip()]
        return tuple(WEEKDAY_SLUGS.index(s) for s in slugs if s in WEEKDAY_SLUGS)

    def as_recurrence(self) -> scheduling.Recurrence:
        # Fields that do not apply to the chosen frequency are ignored rather than rejected, so
        # an editor switching "every week" to "one date only" is not stuck on hidden values.
        once = self.frequency == self.Frequency.ONCE
        return scheduling.Recurrence(
            frequency=self.frequency,
            start_time=self.start_time,
            end_time=self.end_time,
            weekdays=() if once else self.weekday_indexes,
            nth=self.nth if self.frequency == self.Frequency.MONTHLY else None,
            starts_on=None if once else self.starts_on,
            ends_on=None if once else self.ends_on,
            on_date=self.on_date if once else None,
            term_time_only=self.term_time_only,
        )

    def describe(self):
        return scheduling.describe(self.as_recurrence())

    def missing_for_frequency(self) -> dict[str, str]:
        """What the chosen frequency still needs, per field (see ``scheduling``)."""
        return scheduling.missing_for_frequency(
            self.frequency,
            weekdays=self.weekday_indexes,
            nth=self.nth,
            starts_on=self.starts_on,
            on_date=self.on_date,
        )

    def clear_unused_fields(self) -> None:
        """Empty the fields the chosen frequency does not use, so no hidden value lingers."""
        used = scheduling.FIELDS_FOR_FREQUENCY.get(self.frequency, ())
        blank = {"weekdays": "", "term_time_only": False}
        for name in scheduling.FREQUENCY_FIELDS:
            if name not in used:
                setattr(self, name, blank.get(name))

    def clean(self):
        super().clean()
        if self.frequency not in scheduling.FIELDS_FOR_FREQUENCY:
            return  # the field's own choices validation says so
        missing = self.missing_for_frequency()
        if missing:
            raise ValidationError(missing)
        self.clear_unused_fields()
        if not self.start_time:
            return
        try:
            self.as_recurrence()
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
