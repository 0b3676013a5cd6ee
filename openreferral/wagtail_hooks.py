from django.urls import path, reverse
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from assets_directory.permissions import is_moderator

from . import admin_views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "openreferral/export/",
            require_GET(admin_views.export_index),
            name="openreferral_export",
        ),
        path(
            "openreferral/export/<slug:fmt>/",
            require_GET(admin_views.export_download),
            name="openreferral_export_download",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_export_menu_item():
    class ExportMenuItem(MenuItem):
        def is_shown(self, request):
            return is_moderator(request.user)

    return ExportMenuItem(
        "Export the directory", reverse("openreferral_export"), icon_name="download", order=900
    )
