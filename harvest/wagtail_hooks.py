from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from assets_directory.models import Venue
from assets_directory.permissions import is_moderator
from assets_directory.provenance import HOOK as LISTING_SOURCE_HOOK

from . import admin_views, provenance, selectors
from .duplicates_views import duplicate_decide, duplicates
from .models import HarvestedRecord

hooks.register(LISTING_SOURCE_HOOK, provenance.listing_source)


@hooks.register("before_edit_page")
def harvested_pages_are_not_edited_here(request, page):
    """A harvested listing belongs to its source: an edit here would be overwritten by the next
    harvest. It opens for editing once a moderator has taken it over."""
    record = provenance.record_for_page(page)
    if record is None or record.taken_over_at is not None:
        return None
    messages.warning(
        request,
        f"“{page.title}” comes from {record.source.name}, which keeps it up to date: changes "
        "made here would be lost at the next harvest. A moderator can take it over under "
        "Harvested feeds, after which it is edited here and the feed's changes wait for a "
        "decision.",
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)


@hooks.register("register_admin_urls")
def register_duplicates_urls():
    return [
        path("harvest/duplicates/", duplicates, name="harvest_duplicates"),
        path(
            "harvest/duplicates/<int:pk>/decide/",
            duplicate_decide,
            name="harvest_duplicate_decide",
        ),
    ]


@hooks.register("before_edit_snippet")
def harvested_venues_are_not_edited_here(request, instance):
    """As for pages: a harvested venue belongs to its source until a moderator takes it over."""
    if not isinstance(instance, Venue):
        return None
    record = HarvestedRecord.objects.filter(venue=instance).select_related("source").first()
    if record is None or record.taken_over_at is not None:
        return None
    messages.warning(
        request,
        f"“{instance.name}” comes from {record.source.name}, which keeps it up to date: changes "
        "made here would be lost at the next harvest.",
    )
    return redirect("wagtailsnippets_assets_directory_venue:list")


# The moderators' pages ----------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("harvest/", admin_views.feeds, name="harvest_feeds"),
        path("harvest/feeds/add/", admin_views.feed_edit, name="harvest_feed_add"),
        path("harvest/feeds/<int:pk>/", admin_views.feed, name="harvest_feed"),
        path("harvest/feeds/<int:pk>/edit/", admin_views.feed_edit, name="harvest_feed_edit"),
        path(
            "harvest/feeds/<int:pk>/harvest/", admin_views.feed_harvest, name="harvest_feed_harvest"
        ),
        path("harvest/feeds/<int:pk>/records/", admin_views.records, name="harvest_records"),
        path(
            "harvest/feeds/<int:pk>/gone/",
            admin_views.records,
            {"gone": True},
            name="harvest_records_gone",
        ),
        path("harvest/runs/<int:pk>/", admin_views.run, name="harvest_run"),
        path("harvest/records/<int:pk>/", admin_views.record, name="harvest_record"),
        path(
            "harvest/records/<int:pk>/take-over/",
            admin_views.record_take_over,
            name="harvest_record_take_over",
        ),
        path(
            "harvest/records/<int:pk>/give-back/",
            admin_views.record_give_back,
            name="harvest_record_give_back",
        ),
        path("harvest/terms/", admin_views.terms, name="harvest_terms"),
        path("harvest/terms/<int:pk>/", admin_views.term_decide, name="harvest_term_decide"),
        path("harvest/conflicts/", admin_views.conflicts, name="harvest_conflicts"),
        path("harvest/conflicts/<int:pk>/", admin_views.conflict, name="harvest_conflict"),
        path(
            "harvest/conflicts/<int:pk>/accept/",
            admin_views.conflict_accept,
            name="harvest_conflict_accept",
        ),
        path(
            "harvest/conflicts/<int:pk>/refuse/",
            admin_views.conflict_refuse,
            name="harvest_conflict_refuse",
        ),
    ]


class ModeratorsMenuItem(MenuItem):
    """Shown to moderators and administrators; `count`, if given, is put in the label."""

    def __init__(self, *args, count=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count

    def is_shown(self, request):
        return is_moderator(request.user)

    def render_component(self, request):
        component = super().render_component(request)
        if self.count is not None:
            component.label = f"{self.label} ({self.count()})"
        return component


@hooks.register("register_admin_menu_item")
def register_harvest_menu():
    menu = Menu(
        items=[
            ModeratorsMenuItem("Feeds", reverse("harvest_feeds"), icon_name="download", order=10),
            ModeratorsMenuItem(
                "Terms to map",
                reverse("harvest_terms"),
                icon_name="tag",
                order=20,
                count=selectors.terms_waiting_count,
            ),
            ModeratorsMenuItem(
                "Changes to decide",
                reverse("harvest_conflicts"),
                icon_name="warning",
                order=30,
                count=selectors.conflicts_waiting_count,
            ),
            # Most likely duplicates come from harvests: they are decided with the rest.
            ModeratorsMenuItem(
                "Likely duplicates",
                reverse("harvest_duplicates"),
                icon_name="copy",
                order=40,
                count=selectors.duplicates_waiting_count,
            ),
        ]
    )
    return SubmenuMenuItem("Harvested feeds", menu, icon_name="download", order=155)


class HarvestRecordButton(PageMenuItem):
    """ "Where it comes from" on a harvested page's header in the page explorer: its harvest
    record, where a moderator takes it over or gives it back."""

    label = "Harvest record: take over or give back"
    icon_name = "download"

    def __init__(self, *, page, record):
        super().__init__(page=page, url=reverse("harvest_record", args=[record.pk]), priority=80)


@hooks.register("register_page_header_buttons")
def harvest_record_button(page, user, view_name, next_url=None):
    if not is_moderator(user):
        return
    record = provenance.record_for_page(page)
    if record is not None:
        yield HarvestRecordButton(page=page, record=record)
