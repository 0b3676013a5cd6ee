"""The group editor's dashboard panel: their organisations, each activity's state in words,
and one obvious way to add an activity (registered in wagtail_hooks)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.ui.components import Component

from .selectors import editor_organisations


class EditorDashboardPanel(Component):
    name = "editor_dashboard"
    template_name = "assets_directory/admin/editor_dashboard.html"
    # Before Wagtail's own panels (theirs start at 100).
    order = 10

    def __init__(self, organisations):
        self.organisations = organisations

    @classmethod
    def for_user(cls, user) -> EditorDashboardPanel | None:
        """The panel for an editor of at least one organisation; None for anyone else."""
        organisations = editor_organisations(user=user)
        return cls(organisations) if organisations else None

    def get_context_data(self, parent_context=None):
        return {
            "organisations": [
                {
                    "organisation": edited.organisation,
                    "listings": edited.listings,
                    "add_url": reverse(
                        "wagtailadmin_pages:add",
                        args=("assets_directory", "activity", edited.organisation.pk),
                    ),
                    "edit_url": reverse("wagtailadmin_pages:edit", args=(edited.organisation.pk,)),
                }
                for edited in self.organisations
            ]
        }
