from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ZeroResultSearch


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
