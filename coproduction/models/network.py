"""Links between community groups, as groups and moderators enter them.

A link says two groups work together in some way (they share members, run activities jointly,
or refer people to each other) from a date, and until a date when it has ended. Links derived
from the data (shared venues, partnerships) are not stored: `coproduction.network` reads them
from where they are kept, so they never go stale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class GroupLink(models.Model):
    class Kind(models.TextChoices):
        SHARED_MEMBERS = "shared_members", "Shared members"
        JOINT_ACTIVITY = "joint_activity", "Joint activities"
        REFERRALS = "referrals", "Referrals between them"
        OTHER = "other", "Other"

    from_organisation = models.ForeignKey(
        "assets_directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "assets_directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_organisation=models.F("to_organisation")),
                name="group_link_not_to_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="group_link_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["from_organisation", "to_organisation", "kind", "started_on"],
                name="one_group_link_per_kind_and_start",
            ),
        ]

    def __str__(self):
        return f"{self.from_organisation} – {self.to_organisation} ({self.get_kind_display()})"

    def involves(self, organisation) -> bool:
        return organisation.pk in (self.from_organisation_id, self.to_organisation_id)

    def other_than(self, organisation):
        """The group at the other end of the link from `organisation`."""
        if self.from_organisation_id == organisation.pk:
            return self.to_organisation
        return self.from_organisation

    def active_on(self, day) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on >= day)
