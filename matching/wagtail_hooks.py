"""Admin wiring: administrators set up teams and who is in them.

People's records are deliberately not in the admin: they are only reachable through the
team-scoped pages under /support/.
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .models import Team, TeamMembership


class TeamViewSet(ModelViewSet):
    model = Team
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
