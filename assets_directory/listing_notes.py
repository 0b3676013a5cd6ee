"""Short notes and links apps above the directory add to a listing's "How to join".

The directory knows nothing of referrals or people: an app that knows something a person
joining would want to hear ("Usually answers referrals within 3 working days") answers the
Wagtail hook `directory_listing_notes` with a line of plain text for a page, or None. The
page shows each, as text.
"""

from __future__ import annotations

from wagtail import hooks

HOOK = "directory_listing_notes"


def listing_notes(page) -> list[str]:
    return [note for answer in hooks.get_hooks(HOOK) if (note := answer(page))]


LINKS_HOOK = "directory_listing_links"


def listing_links(page) -> list[tuple[str, str]]:
    """(label, url) of other apps' pages about this listing, the same for every visitor (the
    page may be cached): "Refer someone here", for link workers. Shown under "How to join"."""
    return [link for answer in hooks.get_hooks(LINKS_HOOK) if (link := answer(page))]
