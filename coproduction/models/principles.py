"""NHS England's ten principles for working with people and communities, and the evidence log of
which partnerships show them.

The principles were first set out for integrated care systems (ICS implementation guidance on
working with people and communities, 2021) and are restated in the statutory guidance "Working
in partnership with people and communities" (NHS England, July 2022). `PRINCIPLES` is the one
list of them: a stable code (stored in the log), the guidance's own wording, and a short label in
plain English for tables and charts. Change the wording here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models

from .partnerships import Partnership


@dataclass(frozen=True)
class Principle:
    code: str
    number: int
    wording: str
    label: str


PRINCIPLES: tuple[Principle, ...] = (
    Principle(
        "voices",
        1,
        "Put the voices of people and communities at the centre of decision-making and "
        "governance, at every level of the integrated care system.",
        "People's voices at the centre of decisions",
    ),
    Principle(
        "early",
        2,
        "Start engagement early when developing plans and feed back to people and communities "
        "how their engagement has influenced activities and decisions.",
        "Involve early and say what changed",
    ),
    Principle(
        "needs",
        3,
        "Understand your community's needs, experience and aspirations for health and care, "
        "using engagement to find out if change is having the desired effect.",
        "Understand needs and check change works",
    ),
    Principle(
        "excluded",
        4,
        "Build relationships with excluded groups, especially those affected by inequalities.",
        "Reach people who are left out",
    ),
    Principle(
        "vcse",
        5,
        "Work with Healthwatch and the voluntary, community and social enterprise (VCSE) sector "
        "as key partners.",
        "Community groups as key partners",
    ),
    Principle(
        "information",
        6,
        "Provide clear and accessible public information about vision, plans and progress, to "
        "build understanding and trust.",
        "Clear public information",
    ),
    Principle(
        "community_development",
        7,
        "Use community development approaches that empower people and communities, making "
        "connections to social action.",
        "Community development and social action",
    ),
    Principle(
        "accountable",
        8,
        "Use co-production, insight and engagement to achieve accountable health and care "
        "services.",
        "Services accountable to people",
    ),
    Principle(
        "coproduce",
        9,
        "Co-produce and redesign services and tackle system priorities in partnership with "
        "people and communities.",
        "Co-produce and redesign services",
    ),
    Principle(
        "learn",
        10,
        "Learn from what works and build on the assets of all partners in the integrated care "
        "system: networks, relationships, activity in local places.",
        "Learn and build on local strengths",
    ),
)

BY_CODE = {p.code: p for p in PRINCIPLES}
CHOICES = [(p.code, f"{p.number}. {p.label}") for p in PRINCIPLES]
GUIDANCE = (
    'NHS England, "Working in partnership with people and communities: statutory guidance" '
    "(July 2022)"
)


class PrincipleEvidence(models.Model):
    """One piece of evidence that a partnership shows one of the ten principles: what happened,
    in a short note (never who), recorded by a member of its service team or a moderator."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="principle_evidence"
    )
    principle = models.CharField(max_length=30, choices=CHOICES)
    note = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_on = models.DateField()

    class Meta:
        ordering = ["recorded_on", "pk"]
        verbose_name_plural = "principle evidence"

    def __str__(self):
        return f"{self.partnership}: principle {self.principle_number}"

    @property
    def principle_number(self) -> int:
        return BY_CODE[self.principle].number

    @property
    def principle_label(self) -> str:
        return BY_CODE[self.principle].label
