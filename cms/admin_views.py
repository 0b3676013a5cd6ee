"""Two Wagtail admin views that list pages without a hook to narrow them, narrowed to the pages
the reader may see (cms.selectors.admin_visible_pages): the page chooser's browsing of one
page's children, and the page types report."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404
from django.urls import path
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page

from .selectors import admin_sees_every_page, admin_visible_pages


class VisibleBrowseView(BrowseView):
    """The page chooser's "browse" step, refusing a parent page the reader may not see.

    Wagtail narrows the children listed (through construct_page_chooser_queryset) but shows
    the parent page itself, with its draft title, whatever its id.
    """

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            visible = admin_visible_pages(Page.objects.filter(pk=parent_page_id), user=request.user)
            if not visible.exists():
                raise Http404
        return super().get(request, parent_page_id)


class VisiblePageTypesUsageReportView(PageTypesUsageReportView):
    """Counts and "last edited" per page type over the reader's own pages only.

    Wagtail's report counts every page and names the one last edited, drafts included, so an
    organisation editor would read the titles of other organisations' drafts in it. Here an
    editor's report covers the pages they may explore, as the explorer does.
    """

    def get_queryset(self):
        if admin_sees_every_page(user=self.request.user):
            return super().get_queryset()
        visible = self.permission_policy.explorable_instances(self.request.user)
        self.queryset = ContentType.objects.filter(
            model__in=self.page_models, pk__in=visible.values("content_type")
        )
        queryset = self.filter_queryset(self.queryset)
        language_code = self.filters.form.cleaned_data.get("page_locale")
        site_root_path = self.filters.form.cleaned_data.get("site")
        if language_code:
            visible = visible.filter(locale__language_code=language_code)
        if site_root_path:
            visible = visible.filter(path__startswith=site_root_path)
        latest = visible.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__in=visible.values("pk"))),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


# Listed before Wagtail's admin URLs, so that these paths reach the view above; Wagtail's names
# for them (wagtailadmin_reports:page_types_usage...) still reverse to the same paths.
urlpatterns = [
    path(
        "admin/choose-page/<int:parent_page_id>/",
        require_admin_access(VisibleBrowseView.as_view()),
    ),
    path(
        "admin/reports/page-types-usage/",
        require_admin_access(VisiblePageTypesUsageReportView.as_view()),
    ),
    path(
        "admin/reports/page-types-usage/results/",
        require_admin_access(VisiblePageTypesUsageReportView.as_view(results_only=True)),
    ),
]
