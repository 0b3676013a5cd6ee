from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from assets_directory.selectors import LISTING_HOOK

from .models import Concept, ZeroResultSearch
from .selectors import directory_listing
from .zero_result_views import sees_zero_result_report

# The directory's pages list A to Z from the index (a database sort per page does not scale).
hooks.register(LISTING_HOOK, directory_listing)


class ZeroResultSearchViewSet(SnippetViewSet):
    """What people looked for and did not find: read-only evidence of gaps."""

    model = ZeroResultSearch
    icon = "search"
    menu_label = "Searches with no results"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["terms", "categories", "outcode", "filters", "created_at"]
    list_filter = ["outcode"]
    search_fields = ["terms", "categories", "outcode"]
    list_export = ["created_at", "terms", "categories", "outcode", "filters"]
    inspect_view_enabled = True


register_snippet(ZeroResultSearchViewSet)


class ZeroResultReportMenuItem(MenuItem):
    def is_shown(self, request):
        return sees_zero_result_report(request.user)


@hooks.register("register_admin_menu_item")
def register_zero_result_report_menu():
    # The raw list above counts nothing: the report counts by words, category, area and month.
    return ZeroResultReportMenuItem(
        "Searches with no results: report",
        reverse("search:zero_results_report"),
        icon_name="table",
        order=260,
    )


class ConceptViewSet(SnippetViewSet):
    """The words people use and what they mean in the directory: moderators keep them."""

    model = Concept
    icon = "search"
    menu_label = "Search concepts"
    menu_order = 261
    add_to_admin_menu = True
    list_display = ["__str__", "audiences", "notes"]
    search_fields = ["phrases", "words", "notes"]
    inspect_view_enabled = True


register_snippet(ConceptViewSet)
