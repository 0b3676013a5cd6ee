"""Admin wiring for the site as a whole: which pages each editor sees listed."""

from wagtail import hooks

from .selectors import admin_visible_pages


@hooks.register("construct_page_chooser_queryset")
def page_chooser_lists_own_pages(pages, request):
    # The chooser (browse and search) starts from every page; without this an organisation
    # editor could read every other organisation's drafts through it.
    return admin_visible_pages(pages, user=request.user)


@hooks.register("construct_explorer_page_queryset")
def explorer_lists_own_pages(parent_page, pages, request):
    # Wagtail already limits the explorer to explorable pages; this keeps it so whatever
    # WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS says.
    return admin_visible_pages(pages, user=request.user)
