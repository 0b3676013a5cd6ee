import uuid

from django.conf import settings
from django.db import models


class GroupRegistration(models.Model):
    """A group's request to be listed, waiting for a moderator's decision.

    Created by the public "List your group" form together with an unpublished Organisation
    page and an inactive account for the contact person.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.OneToOneField(
        "assets_directory.Organisation",
        null=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )
    organisation_name = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="group_registrations",
    )
    contact_name = models.CharField(max_length=255)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_role = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "group registration"

    def __str__(self):
        return f"{self.organisation_name} ({self.get_status_display().lower()})"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING


class ListingReport(models.Model):
    """Something for moderators to look at: a problem reported by the public, or a stale listing."""

    class Kind(models.TextChoices):
        WRONG_DETAILS = "wrong_details", "Some details are wrong"
        NOT_RUNNING = "not_running", "It is not running any more"
        INAPPROPRIATE = "inappropriate", "It should not be listed"
        OTHER = "other", "Something else"
        STALE = "stale", "Not checked by its owner (no answer to reminders)"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    activity = models.ForeignKey(
        "assets_directory.Activity", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.TextField(blank=True)
    reporter_email = models.EmailField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "report"

    def __str__(self):
        return f"{self.activity.title}: {self.get_kind_display()}"


class FreshnessReminder(models.Model):
    """One reminder e-mail asking an owner to confirm a listing; its links work once."""

    class Response(models.TextChoices):
        CONFIRMED = "confirmed", "Still accurate"
        CLOSED = "closed", "Temporarily closed"

    activity = models.ForeignKey(
        "assets_directory.Activity", on_delete=models.CASCADE, related_name="freshness_reminders"
    )
    sent_to = models.TextField(help_text="Addresses the reminder went to, one per line.")
    sent_at = models.DateTimeField(auto_now_add=True)
    # Which review cycle this reminder belongs to: reminders sent since the last check.
    reviewed_on = models.DateField()
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        get_latest_by = "sent_at"

    def __str__(self):
        return f"Reminder for {self.activity_id} sent {self.sent_at:%Y-%m-%d}"


class ListingClaim(models.Model):
    """Someone's request to look after a listing that no group looks after ("This is us").

    A moderator decides it; approval makes the claimant an editor of the organisation, as
    approving a registration does (services.claim_approve).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    organisation = models.ForeignKey(
        "assets_directory.Organisation", on_delete=models.CASCADE, related_name="claims"
    )
    claimant_name = models.CharField("name", max_length=255)
    claimant_email = models.EmailField("e-mail address")
    claimant_role = models.CharField("role in the group", max_length=100, blank=True)
    evidence = models.TextField(
        "how they show it is their group", help_text="What the claimant sent to show it is theirs."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="listing_claims",
        help_text="The account that was made an editor, once approved.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True, help_text="Why it was declined (sent to the claimant).")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "listing claim"

    def __str__(self):
        status = self.get_status_display().lower()
        return f"{self.organisation.title}: {self.claimant_name} ({status})"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
