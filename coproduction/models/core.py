"""Coproduction: what community groups can do, what service teams ask for.

A community group is a directory `Organisation`; its editors keep its capability profile. A
service team (an NHS trust's, a council's or a primary care network's) posts asks: what it
wants to achieve with community groups, for whom, where, and what it offers in return. Both
describe themselves in one editable vocabulary (`CapabilityTerm`), so that an ask's needs and a
group's capabilities can be compared (`coproduction.fit`).

Nothing here is personal data: a profile counts its people (volunteers, peer leaders), never
names them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from assets_directory.geocoding.postcodes import is_outcode


def validate_outcodes(value) -> None:
    """A list of upper-case outward codes ("SW17"), as the forms normalise them."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError("Give the areas as a list of outward codes, such as SW17.")
    wrong = [v for v in value if not is_outcode(v)]
    if wrong:
        raise ValidationError(
            "These are not outward codes: %(wrong)s. Use the first half of a postcode, "
            "such as SW17.",
            params={"wrong": ", ".join(wrong[:5])},
        )


class ServiceLine(models.Model):
    """A kind of service that coproduces with community groups ("Healthy cooking and eating")."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # What commissioners count as this line's supply: the directory's activities in these
    # categories (and those below them). A line with none is left out of their figures.
    categories = models.ManyToManyField(
        "assets_directory.Category",
        blank=True,
        related_name="service_lines",
        verbose_name="kinds of activity",
        help_text="The directory's kinds of activity that count as this service line's "
        "supply in the commissioners' figures (with the kinds below them).",
    )

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class CapabilityTerm(models.Model):
    """One word of the shared vocabulary: a community reached, a language, an asset, a skill."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community reached"
        LANGUAGE = "language", "Language"
        AGE = "age", "Age group"
        CONDITION = "condition", "Health condition"
        ASSET = "asset", "Asset"
        PEOPLE = "people", "People"
        SKILL = "skill", "Skill"
        GOVERNANCE = "governance", "Trust and governance"

    # What a group offers to do, as opposed to whom it reaches.
    CAPABILITY_KINDS = (Kind.ASSET, Kind.PEOPLE, Kind.SKILL, Kind.GOVERNANCE)
    REACH_KINDS = (Kind.COMMUNITY, Kind.LANGUAGE, Kind.AGE, Kind.CONDITION)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="one_term_name_per_kind")
        ]

    def __str__(self):
        return self.name


class ServiceTeam(models.Model):
    """A team in a public body that coproduces with community groups."""

    class Body(models.TextChoices):
        NHS_TRUST = "nhs_trust", "NHS trust"
        COUNCIL = "council", "Council"
        PCN = "pcn", "Primary care network"
        OTHER = "other", "Other public body"

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    service_line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="teams")
    body_kind = models.CharField(max_length=20, choices=Body.choices)
    body_name = models.CharField(
        max_length=160, help_text="For example: South West London and St George's NHS Trust."
    )
    areas = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_outcodes],
        help_text="The outward codes the team serves, such as SW17.",
    )
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            (
                "view_all_coproduction",
                "Can see all of coproduction: teams, asks and partnerships (no personal data)",
            )
        ]

    def __str__(self):
        return self.name


class ServiceTeamMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        LEAD = "lead", "Team lead"

    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="service_team_memberships",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_service_team")
        ]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display().lower()})"


class CapabilityProfile(models.Model):
    """What one community group can do, kept by its editors."""

    organisation = models.OneToOneField(
        "assets_directory.Organisation",
        on_delete=models.CASCADE,
        related_name="capability_profile",
    )
    summary = models.TextField(blank=True, help_text="In a few sentences, what the group does.")
    areas = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_outcodes],
        help_text="The outward codes the group's members come from, such as SW17.",
    )
    years_active = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Capability profile of {self.organisation}"


class CapabilityItem(models.Model):
    """One thing a group reaches or offers, verified by a moderator or not (yet)."""

    profile = models.ForeignKey(CapabilityProfile, on_delete=models.CASCADE, related_name="items")
    term = models.ForeignKey(CapabilityTerm, on_delete=models.PROTECT, related_name="items")
    count = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many, for people (volunteers, peer leaders)."
    )
    detail = models.CharField(max_length=255, blank=True)
    verified_on = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.CharField(
        max_length=255, blank=True, help_text="What the moderator saw, such as a policy document."
    )

    class Meta:
        ordering = ["term__kind", "term__name"]
        permissions = [("verify_capabilityitem", "Can verify what community groups say they offer")]
        constraints = [
            models.UniqueConstraint(fields=["profile", "term"], name="one_item_per_term"),
            models.CheckConstraint(
                condition=models.Q(verified_on__isnull=True) | ~models.Q(evidence=""),
                name="verified_items_have_evidence",
            ),
        ]

    def __str__(self):
        return f"{self.term} ({self.profile.organisation})"

    @property
    def verified(self) -> bool:
        return self.verified_on is not None


class Ask(models.Model):
    """What a service team wants to achieve with community groups."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        MATCHED = "matched", "Partner found"
        CLOSED = "closed", "Closed"

    class Offer(models.TextChoices):
        FUNDING = "funding", "Funding"
        TRAINING = "training", "Training"
        STAFF_TIME = "staff_time", "Staff time"
        VENUE_HIRE = "venue_hire", "Venue hire"
        EQUIPMENT = "equipment", "Equipment or materials"

    team = models.ForeignKey(ServiceTeam, on_delete=models.CASCADE, related_name="asks")
    title = models.CharField(
        max_length=160, help_text="For example: healthy cooking sessions for South Asian women."
    )
    description = models.TextField(blank=True)
    service_line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="asks")
    communities = models.ManyToManyField(
        CapabilityTerm,
        blank=True,
        related_name="asks_reaching",
        limit_choices_to={"kind__in": CapabilityTerm.REACH_KINDS},
    )
    capabilities = models.ManyToManyField(
        CapabilityTerm,
        blank=True,
        related_name="asks_needing",
        limit_choices_to={"kind__in": CapabilityTerm.CAPABILITY_KINDS},
    )
    areas = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_outcodes],
        help_text="The outward codes to reach, such as SW17.",
    )
    most_deprived_fifth = models.BooleanField(
        default=False,
        help_text="Reach the most deprived fifth of neighbourhoods in these areas (Core20).",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    offers = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the team changes an ask after posting it (not on posting), so that its page can
    # say when it last changed and who changed it.
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="ask_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        unknown = [o for o in self.offers or [] if o not in self.Offer.values]
        if unknown:
            raise ValidationError({"offers": f"Unknown offers: {', '.join(map(str, unknown))}."})
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
