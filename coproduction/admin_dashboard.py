"""Coproduction on the Wagtail dashboard, where group editors and moderators land after signing
in: each group's capability profile, links, leaders and readiness, and for moderators the
readiness assessments waiting for them (registered in wagtail_hooks)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from assets_directory.permissions import organisations_edited_by

from . import access
from .models import ReadinessAssessment


class CoproductionDashboardPanel(Component):
    name = "coproduction_dashboard"
    template_name = "coproduction/admin/dashboard_panel.html"
    # After the editor's own listings (10), before Wagtail's panels (100 and on).
    order = 20

    def __init__(self, *, groups, waiting: int | None, home: bool):
        self.groups, self.waiting, self.home = groups, waiting, home

    @classmethod
    def for_user(cls, user) -> CoproductionDashboardPanel | None:
        """The panel for a group's editor or a moderator; None for anyone else."""
        groups = [
            {
                "organisation": organisation,
                "links": [
                    (
                        "What your group can do",
                        reverse("coproduction:profile", args=[organisation.pk]),
                    ),
                    (
                        "Links with other groups",
                        reverse("coproduction:links", args=[organisation.pk]),
                    ),
                    (
                        "Leaders and connectors",
                        reverse("coproduction:leaders", args=[organisation.pk]),
                    ),
                    (
                        "How ready you are to work with services",
                        reverse("coproduction:readiness", args=[organisation.pk]),
                    ),
                ],
            }
            for organisation in organisations_edited_by(user).live().order_by("title")
        ]
        waiting = (
            ReadinessAssessment.objects.filter(status=ReadinessAssessment.Status.WAITING).count()
            if access.can_verify(user)
            else None
        )
        if not groups and waiting is None:
            return None
        return cls(groups=groups, waiting=waiting, home=access.takes_part(user))

    def get_context_data(self, parent_context=None):
        return {
            "groups": self.groups,
            "waiting": self.waiting,
            "waiting_url": reverse("coproduction:readiness_waiting"),
            "home_url": reverse("coproduction:home") if self.home else "",
        }
