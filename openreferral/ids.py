"""The feed's identifiers: UUIDs, stable for as long as the records they name.

Organisations, activities, venues, session times (schedules) and activities at their venues
(services at locations) keep a stored uuid, and the feed gives it as it is: it is what other
directories hold when they harvest ours, and what a harvest of ours keeps. Everything else is
named from a fixed namespace and the database key or the record's uuid (uuid5), so it is the
same on every request and every export. (Session times were once named from their key too:
migration 0016 stored those same ids.)

A service at a location is an activity at its venue: its id is `Activity.location_uuid`, which
a new venue replaces, as the activity elsewhere is a different service at a different location.
Until migration 0018 the id was made from the activity's and the venue's keys (a version 8
UUID); that migration stored those same ids, so every id published then still finds its
activity while it stays at that venue.
"""

from __future__ import annotations

import uuid

# Fixed for ever: changing it would change every derived id the feed has ever published.
NAMESPACE = uuid.UUID("6c1b7f0e-3d7a-4f55-9a51-6f2d0c0b8e21")

# The longest text read as an id: a UUID with braces and a "urn:uuid:" prefix is 45.
_MAX_ID_LENGTH = 45


def derived(kind: str, *parts: object) -> str:
    """The id of a record with no uuid of its own: `kind` keeps kinds apart."""
    name = ":".join([kind, *(str(p) for p in parts)])
    return str(uuid.uuid5(NAMESPACE, name))


def taxonomy_id() -> str:
    """The one taxonomy the feed publishes: the directory's categories."""
    return derived("taxonomy", "categories")


def term_id(category_pk: int) -> str:
    return derived("category", category_pk)


def parse_uuid(text: str) -> uuid.UUID | None:
    """`text` as a UUID, or None for anything else (never raises, whatever it is given)."""
    if not isinstance(text, str) or not text.isascii() or len(text) > _MAX_ID_LENGTH:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
