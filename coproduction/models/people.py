"""The people who hold a community group together, and how ready the group is to coproduce.

`GroupLeader`: a group's leaders and connectors, named only with their consent. What they agreed
to be called is shown to service teams, commissioners and moderators once their consent is
recorded, and hidden again the moment it is withdrawn; their e-mail address is never shown to
anyone: people write to them through the site (`coproduction.services.leader_contact`).

`ReadinessAssessment`: the group's own view of its "fertile terrain" (leadership, structure,
capacity, trust, links, resources), each on a 1 to 4 scale with a note, reviewed with a
moderator. Kept, so that a group can see how it has changed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# What a leader agrees to, unless the editor records other words they agreed to.
CONSENT_WORDING = (
    "I agree that Common Ground may show my name as written above, and what I do for the "
    "group, to NHS and council service teams, commissioners and the site's moderators, and "
    "that they may write to me through the site. My e-mail address will not be shown to "
    "anyone. I can withdraw this at any time by telling the group."
)


class GroupLeaderQuerySet(models.QuerySet):
    def consented(self):
        """Those who may be shown beyond their group's editors: consent recorded, not
        withdrawn, and their group published in the directory."""
        return self.filter(
            consent_given_on__isnull=False,
            consent_withdrawn_on__isnull=True,
            organisation__live=True,
        )


class GroupLeader(models.Model):
    """A leader or connector of a community group, shown only with their consent."""

    class Role(models.TextChoices):
        LEADER = "leader", "Leader"
        CONNECTOR = "connector", "Connector"
        PEER_LEADER = "peer_leader", "Peer leader"
        HEALTH_CHAMPION = "health_champion", "Health champion"
        OTHER = "other", "Other"

    organisation = models.ForeignKey(
        "assets_directory.Organisation", on_delete=models.CASCADE, related_name="leaders"
    )
    display_name = models.CharField(
        max_length=80, help_text="The name they agree to be shown as, such as Priya S."
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.LEADER)
    connects = models.CharField(
        max_length=255,
        blank=True,
        help_text="Whom or what they connect people to, such as the Tamil families of SW17.",
    )
    # Private: used only to deliver messages sent through the site; never rendered.
    email = models.EmailField()
    consent_given_on = models.DateField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent_wording = models.TextField(blank=True)
    consent_withdrawn_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupLeaderQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=True) | ~Q(consent_wording=""),
                name="leader_consent_has_its_wording",
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.get_role_display().lower()})"

    @property
    def consented(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_on is None


# The six areas of a group's "fertile terrain": what each asks, in plain English, and what
# would help a group that scores itself low on it.
READINESS_AREAS = {
    "leadership": (
        "Leadership",
        "Does the group have people who lead it, and who can speak for it with a service?",
        "Leadership: share the load. Ask one or two members to take on a named job, such as "
        "speaking to services, and ask a moderator about leadership training for volunteers.",
    ),
    "structure": (
        "Structure",
        "Does the group have the basics in place: a constitution, a committee or a named "
        "contact, a bank account, a safeguarding policy?",
        "Structure: start with a simple constitution and a safeguarding policy. The local "
        "voluntary sector support body has templates and will help you fill them in.",
    ),
    "capacity": (
        "Capacity",
        "Does the group have the time and volunteers to take on something new?",
        "Capacity: start small. Offer one session a month, or join another group's "
        "partnership, before taking on one of your own; ask what the team offers in staff time.",
    ),
    "trust": (
        "Trust",
        "Do the people you reach trust the group, and does the group trust services enough to "
        "work with them?",
        "Trust: ask a partner group to introduce you to the service team, and meet them on "
        "your ground first, at one of your own sessions.",
    ),
    "links": (
        "Links",
        "Is the group in touch with other groups, services and places in the area?",
        "Links: say which groups you already work with on your profile, and come to the next "
        "network meeting to meet groups and teams working near you.",
    ),
    "resources": (
        "Resources",
        "Does the group have a place to meet, equipment and some money to run with?",
        "Resources: ask about small grants and free venues; teams can often pay for room "
        "hire, food or travel as part of a partnership.",
    ),
}

READINESS_SCALE = [
    (1, "Not yet"),
    (2, "A little"),
    (3, "Mostly"),
    (4, "Yes, fully"),
]
# An area scored at or below this gets a suggestion of what would help.
READINESS_LOW = 2


class ReadinessAssessment(models.Model):
    """One self-assessment of a group's readiness to coproduce, and its review."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting for review"
        REVIEWED = "reviewed", "Reviewed"

    organisation = models.ForeignKey(
        "assets_directory.Organisation",
        on_delete=models.CASCADE,
        related_name="readiness_assessments",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_notes = models.TextField(blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="waiting", reviewed_on__isnull=True)
                | Q(status="reviewed", reviewed_on__isnull=False),
                name="reviewed_assessments_have_a_date",
            ),
            # One waiting at a time: a second submission updates the first.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="waiting"),
                name="one_waiting_assessment_per_group",
            ),
        ]

    def __str__(self):
        return f"Readiness of {self.organisation} on {self.submitted_at:%d %B %Y}"

    def scores(self) -> dict[str, int]:
        return {answer.area: answer.score for answer in self.answers.all()}

    def low_areas(self) -> list[str]:
        """The areas scored low, as "Trust (1)"."""
        return [f"{a.get_area_display()} ({a.score})" for a in self.answers.all() if a.low]


class ReadinessAnswer(models.Model):
    assessment = models.ForeignKey(
        ReadinessAssessment, on_delete=models.CASCADE, related_name="answers"
    )
    area = models.CharField(
        max_length=20, choices=[(key, label) for key, (label, *_) in READINESS_AREAS.items()]
    )
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="one_answer_per_area"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=4), name="readiness_score_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.score}"

    @property
    def low(self) -> bool:
        return self.score <= READINESS_LOW

    @property
    def suggestion(self) -> str:
        return READINESS_AREAS[self.area][2] if self.low else ""

    @property
    def scale_label(self) -> str:
        return dict(READINESS_SCALE)[self.score]
