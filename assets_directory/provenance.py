"""Where a listing came from, when another directory publishes it.

The directory knows nothing of harvesting: apps above it that bring listings from elsewhere
answer the Wagtail hook `directory_listing_source` with a `ListingSource` for a page (or
None), and the public pages say so. The first answer wins.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from wagtail import hooks

HOOK = "directory_listing_source"


@dataclass(frozen=True)
class ListingSource:
    """Another directory that publishes this listing."""

    name: str
    website: str
    fetched_at: datetime.datetime
    # A moderator here took the listing over: it is kept here, whatever the source says.
    taken_over: bool = False


def listing_source(page) -> ListingSource | None:
    for answer in hooks.get_hooks(HOOK):
        source = answer(page)
        if source is not None:
            return source
    return None
