"""Teams of facilitators, and the people they support.

A person's record is special-category data: it belongs to one team, holds the least needed
(a name or initials, an optional contact, a postcode or outward code), and exists only once
consent has been recorded (`matching.services.person_create` saves both in one transaction).
"""

import uuid

from django.conf import settings
from django.db import models


class Team(models.Model):
    """A primary care network, a hub, a library service: facilitators who share caseloads."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        permissions = [
            (
                "view_aggregates",
                "Can see anonymised counts of needs, interests and network types",
            )
        ]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", "Facilitator"
        LEAD = "lead", "Team lead"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.FACILITATOR)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="one_membership_per_team")
        ]

    def __str__(self):
        return f"{self.user} in {self.team} ({self.get_role_display().lower()})"


class Person(models.Model):
    """Someone a facilitator supports. URLs use `reference`, never the sequential id."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="people")
    display_name = models.CharField(
        "Name or initials",
        max_length=80,
        help_text="Only what you need to recognise them, for example first name or initials.",
    )
    email = models.EmailField("E-mail address", blank=True, help_text="Optional.")
    phone = models.CharField("Phone number", max_length=30, blank=True, help_text="Optional.")
    postcode = models.CharField(
        max_length=10,
        help_text="Their postcode, or just the first half (for example SW18).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name", "id"]

    def __str__(self):
        return self.display_name

    @property
    def outward_code(self) -> str:
        return self.postcode.split()[0].upper() if self.postcode.strip() else ""

    @property
    def current_consent(self):
        """The latest consent not withdrawn, or None."""
        return self.consents.filter(withdrawn_at__isnull=True).order_by("-recorded_at").first()


class Consent(models.Model):
    """What the person agreed to, when, how and who recorded it."""

    class Method(models.TextChoices):
        SPOKEN = "spoken", "Told me in person or by phone"
        WRITTEN = "written", "Signed a form"
        SELF = "self", "Agreed on screen themselves"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    keep_record = models.BooleanField(
        "They agree that the team keeps this record to help them",
        help_text="Needed: without it nothing is saved.",
    )
    contact_by_email = models.BooleanField(
        "They agree to be sent their plan and reminders by e-mail", default=False
    )
    count_in_statistics = models.BooleanField(
        "They agree to be counted, without their name, in figures for local services",
        default=False,
    )
    # Health is special-category data (UK GDPR article 9): noted only with its own consent.
    health_conditions = models.BooleanField(
        "They agree that we note health conditions they (or someone they care for) live with, "
        "to find groups meant for them",
        default=False,
    )
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.SPOKEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(keep_record=True), name="consent_keeps_record"
            )
        ]

    def __str__(self):
        return f"Consent recorded {self.recorded_at:%d %b %Y}"
