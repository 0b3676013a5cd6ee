"""Admin wiring: administrators set up teams and who is in them.

People's records are deliberately not in the admin: they are only reachable through the
team-scoped pages under /support/.
"""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Team, TeamMembership
from .services import TeamInUse, team_ensure_unused


class TeamDeleteView(DeleteView):
    """Wagtail's delete view, refusing (before the confirmation and before the deletion) a
    team that still holds people's records; the database protects them, which Wagtail would
    answer with a server error."""

    def get(self, request, *args, **kwargs):
        return self._refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._refusal() or super().post(request, *args, **kwargs)

    def _refusal(self):
        try:
            team_ensure_unused(team=self.object)
        except TeamInUse as exc:
            messages.error(self.request, exc.message)
            return redirect(self.index_url_name)
        return None


class TeamViewSet(ModelViewSet):
    model = Team
    delete_view_class = TeamDeleteView
    icon = "group"
    menu_label = "Teams"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name"]


class TeamMembershipViewSet(ModelViewSet):
    model = TeamMembership
    icon = "user"
    menu_label = "Facilitators"
    form_fields = ["team", "user", "role"]
    list_display = ["user", "team", "role"]
    list_filter = ["team", "role"]


class TeamsGroup(ModelViewSetGroup):
    menu_label = "Teams"
    menu_icon = "group"
    menu_order = 270
    items = (TeamViewSet, TeamMembershipViewSet)


@hooks.register("register_admin_viewset")
def register_teams():
    return TeamsGroup()
