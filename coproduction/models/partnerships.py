"""Partnerships: a service team and one or more community groups working together.

A partnership moves through a lifecycle (`Partnership.MOVES` says which moves are allowed and
`coproduction.services.partnership_move` refuses the others with a reason); every move is kept
with its date and who made it. At each review the partners record the coproduction level reached
and which of the four "co-"s happened, and each answers a short survey; between reviews, a
delivery log counts what was done, with the partners' documents. Counts only: no one reached
is named.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from common.storage import PrivateStorage

from .core import Ask, ServiceTeam


class Partnership(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AGREED = "agreed", "Agreed"
        DELIVERING = "delivering", "Delivering"
        REVIEWING = "reviewing", "Reviewing"
        SUSTAINED = "sustained", "Sustained"
        CLOSED = "closed", "Closed"

    # Where each status may go next. A sustained partnership is reviewed again from time to
    # time; a review may send it back to delivering for another round. Closed is final.
    MOVES = {
        Status.PROPOSED: (Status.AGREED, Status.CLOSED),
        Status.AGREED: (Status.DELIVERING, Status.CLOSED),
        Status.DELIVERING: (Status.REVIEWING, Status.CLOSED),
        Status.REVIEWING: (Status.DELIVERING, Status.SUSTAINED, Status.CLOSED),
        Status.SUSTAINED: (Status.REVIEWING, Status.CLOSED),
        Status.CLOSED: (),
    }

    title = models.CharField(max_length=160)
    team = models.ForeignKey(ServiceTeam, on_delete=models.PROTECT, related_name="partnerships")
    ask = models.ForeignKey(
        Ask, null=True, blank=True, on_delete=models.SET_NULL, related_name="partnerships"
    )
    organisations = models.ManyToManyField(
        "assets_directory.Organisation", through="PartnershipGroup", related_name="partnerships"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class PartnershipGroup(models.Model):
    """A community group in a partnership, and whether its editors have accepted."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="groups")
    # A group deleted from the directory leaves its partnerships (the history keeps that it
    # was there): refusing would stop a moderator deleting the page.
    organisation = models.ForeignKey(
        "assets_directory.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_place_per_group_in_a_partnership"
            )
        ]

    def __str__(self):
        return f"{self.organisation} in {self.partnership}"


class PartnershipEvent(models.Model):
    """One step of a partnership's history: proposed, accepted by a group, moved."""

    class Kind(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted by a group"
        MOVED = "moved", "Moved"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=20, choices=Partnership.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Partnership.Status.choices, blank=True)
    organisation = models.ForeignKey(
        "assets_directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.partnership}: {self.get_kind_display()} {self.to_status}".strip()


class Review(models.Model):
    """Where a partnership stands at a review."""

    class Level(models.IntegerChoices):
        # The ladder of coproduction, lowest rung first.
        INFORMING = 1, "Informing"
        CONSULTATION = 2, "Consultation"
        ENGAGEMENT = 3, "Engagement"
        CO_DESIGN = 4, "Co-design"
        CO_PRODUCTION = 5, "Co-production"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField()
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    co_commissioning = models.BooleanField(default=False)
    co_design = models.BooleanField(default=False)
    co_delivery = models.BooleanField(default=False)
    co_assessment = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"Review of {self.partnership} on {self.held_on:%-d %B %Y}"


class DeliveryLog(models.Model):
    """What a partnership delivered over a period: counts, never names."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="deliveries"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    sessions = models.PositiveIntegerField(default=0)
    people_reached = models.PositiveIntegerField(default=0)
    # {"community or age band": count}, optional.
    reached_by_group = models.JSONField(default=dict, blank=True)
    resources_exchanged = models.TextField(blank=True)
    outcomes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["period_start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="delivery_period_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.partnership}: {self.period_start} to {self.period_end}"


# What each partner is asked at a review.
SURVEY_QUESTIONS = {
    "shared_purpose": "We share a clear purpose.",
    "trust": "We trust each other.",
    "commitment": "Each partner is committed to the work.",
    "clear_arrangements": "Who does what is clear and agreed.",
    "communication": "We communicate openly and often enough.",
    "learning": "We learn from each other and change what we do.",
}


def _score():
    return models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])


class SurveyResponse(models.Model):
    """One partner's answers at a review, each 1 (strongly disagree) to 5 (strongly agree)."""

    QUESTIONS = SURVEY_QUESTIONS

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="responses")
    # Which partner answered: the service team (no organisation) or one group.
    organisation = models.ForeignKey(
        "assets_directory.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_purpose = _score()
    trust = _score()
    commitment = _score()
    clear_arrangements = _score()
    communication = _score()
    learning = _score()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["review", "respondent"], name="one_survey_answer_per_person_per_review"
            ),
            *[
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"survey_{name}_1_to_5",
                )
                for name in SURVEY_QUESTIONS
            ],
        ]

    def __str__(self):
        return f"Survey answer for {self.review}"


def _document_path(document, filename: str) -> str:
    # The stored name is random: the name people gave the file is kept apart, shown only as
    # text and sent back in the download's Content-Disposition.
    return f"partnerships/{document.partnership_id}/{uuid.uuid4().hex}"


class PartnershipDocument(models.Model):
    """A file the partners keep with their delivery log: an evaluation, a report, a leaflet.

    Kept in private storage and served only to those who can see the partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=160)
    file = models.FileField(upload_to=_document_path, storage=PrivateStorage(), max_length=200)
    filename = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.title
