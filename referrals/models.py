"""Referrals: a team asks a community group to welcome a person, and the group answers.

A referral carries only the least the group needs, copied when it is made and shown to the
group as it was shared (`first_name`, `contact`, `contact_by`, `help_with`, `access_needs`),
with the person's consent to share it recorded on the referral itself. Those details are
deleted a set time after the referral closes (`shared_erased_at`); the referral's status,
dates and history stay for the team's and commissioners' figures. Everything goes when the
person's record is erased.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models

from matching.models import Person, PlanItem, Team

from .status import LABELS, REASON_LABELS, SELF_EXPLAINED, Reason, Status


def new_link_nonce() -> str:
    return secrets.token_urlsafe(16)


STATUS_CHOICES = [(s.value, LABELS[s]) for s in Status]
REASON_CHOICES = [(r.value, REASON_LABELS[r]) for r in Reason]


class Referral(models.Model):
    class ContactBy(models.TextChoices):
        PHONE = "phone", "Phone call"
        TEXT = "text", "Text message"
        EMAIL = "email", "E-mail"
        LINK_WORKER = "link_worker", "Through their link worker"

    class ConsentMethod(models.TextChoices):
        SPOKEN = "spoken", "Told me in person or by phone"
        WRITTEN = "written", "Signed a form"

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="referrals")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="referrals")
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    activity = models.ForeignKey(
        "assets_directory.Activity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "assets_directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Copied, so that the referral reads the same if the listing changes or goes.
    activity_title = models.CharField(max_length=255)
    organisation_title = models.CharField(max_length=255, blank=True)

    # What the group is told: the least it needs.
    first_name = models.CharField(
        "First name or initials", max_length=80, help_text="How the group should greet them."
    )
    contact = models.CharField(
        "How to contact them",
        max_length=200,
        blank=True,
        help_text="A phone number or e-mail address, or leave empty to be the go-between.",
    )
    contact_by = models.CharField(
        "How they would like to be contacted",
        max_length=20,
        choices=ContactBy.choices,
        default=ContactBy.PHONE,
    )
    help_with = models.TextField("What they would like help with", max_length=1000, blank=True)
    access_needs = models.TextField("Access needs", max_length=500, blank=True)
    shared_erased_at = models.DateTimeField(null=True, blank=True)

    consent_to_share = models.BooleanField(
        "They agree that these details are shared with the group for this referral"
    )
    consent_method = models.CharField(
        max_length=20, choices=ConsentMethod.choices, default=ConsentMethod.SPOKEN
    )

    status = models.CharField(
        max_length=20, choices=STATUS_CHOICES, default=Status.REQUESTED.value, db_index=True
    )
    reason = models.CharField(max_length=30, choices=REASON_CHOICES, blank=True)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    due_by = models.DateField(help_text="The group is asked to reply by this day.")
    answered_at = models.DateTimeField(null=True, blank=True)
    # Each sent once: the group reminded as the day nears, the team told when it has passed.
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    # Part of the signed link the group answers through (referrals.links): a new one when the
    # link is used, so that each link works once.
    link_nonce = models.CharField(max_length=32, default=new_link_nonce, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent_to_share=True), name="referral_consent_to_share"
            )
        ]

    def __str__(self):
        return f"Referral to {self.activity_title}"

    @property
    def status_label(self) -> str:
        return LABELS[Status(self.status)]

    @property
    def reason_label(self) -> str:
        """The reason in words, unless the status already says it ("Going regularly")."""
        return _reason_label(self.reason)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ReferralEvent(models.Model):
    """One step in a referral's history: what it became, why, and who said so."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=STATUS_CHOICES)
    reason = models.CharField(max_length=30, choices=REASON_CHOICES, blank=True)
    note = models.CharField(max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when the group answered through the link in its e-mail, without an account.
    by_group_link = models.BooleanField(default=False)
    # Set when another system of the team's made the change through the API.
    by_api_key = models.ForeignKey(
        "ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{LABELS[Status(self.status)]} on {self.at:%d %b %Y}"

    @property
    def reason_label(self) -> str:
        return _reason_label(self.reason)


def _reason_label(reason: str) -> str:
    if not reason or Reason(reason) in SELF_EXPLAINED:
        return ""
    return REASON_LABELS[Reason(reason)]


class ApiKey(models.Model):
    """A key another system uses to make and follow a team's referrals through the API.

    Issued and revoked by the team's leads. Only a hash of the key is kept: the key itself is
    shown once, when it is made. Keys are long random strings, so a fast hash (SHA-256) is
    enough; there is no word list to guess from.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(
        max_length=80, help_text="Which system uses it, so you know what stops if you revoke it."
    )
    # The key's first characters, shown in lists to tell keys apart; not enough to use it.
    prefix = models.CharField(max_length=16)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["revoked_at", "-created_at", "-id"]
        verbose_name = "API key"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
