from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from assets_directory.models import Venue
from assets_directory.permissions import is_moderator
from assets_directory.provenance import HOOK as LISTING_SOURCE_HOOK

from . import provenance
from .duplicates_views import duplicate_decide, duplicates
from .models import DuplicatePair, HarvestedRecord

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


@hooks.register("register_admin_menu_item")
def register_duplicates_menu_item():
    class DuplicatesMenuItem(MenuItem):
        def is_shown(self, request):
            return is_moderator(request.user)

        def render_component(self, request):
            component = super().render_component(request)
            waiting = DuplicatePair.objects.filter(decision=DuplicatePair.Decision.PENDING)
            component.label = f"Likely duplicates ({waiting.count()})"
            return component

    return DuplicatesMenuItem(
        "Likely duplicates", reverse("harvest_duplicates"), icon_name="copy", order=152
    )


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
