"""Coproduction in Wagtail's admin. Each area keeps its admin in a module of its own, imported
here so that Wagtail finds it: the shared vocabulary in `admin_vocabulary`; the dashboard's
panel for group editors and moderators in `admin_dashboard`."""

from wagtail import hooks

from . import admin_vocabulary  # noqa: F401
from .admin_dashboard import CoproductionDashboardPanel


@hooks.register("construct_homepage_panels")
def coproduction_on_the_dashboard(request, panels):
    panel = CoproductionDashboardPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
