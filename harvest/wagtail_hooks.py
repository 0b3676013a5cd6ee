from django.contrib import messages
from django.shortcuts import redirect
from wagtail import hooks

from assets_directory.provenance import HOOK as LISTING_SOURCE_HOOK

from . import provenance

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
