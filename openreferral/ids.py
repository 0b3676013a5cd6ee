"""The feed's identifiers: UUIDs, stable for as long as the records they name.

Organisations, activities, venues and session times (schedules) keep a stored uuid, and the
feed gives it as it is: it is what other directories hold when they harvest ours, and what a
harvest of ours keeps. Everything else is named from a fixed namespace and the database key
or the record's uuid (uuid5), so it is the same on every request and every export. (Session
times were once named from their key too: migration 0016 stored those same ids.)

A service at a location is an activity at its venue. Its id carries both keys (a version 8
UUID, RFC 9562 section 5.8), so that `/service_at_locations/{id}` reads them back without a
table of its own; an activity that moves to another venue gets a new service_at_location id,
as it is a different service at a different location.
"""

from __future__ import annotations

import uuid

# Fixed for ever: changing it would change every derived id the feed has ever published.
NAMESPACE = uuid.UUID("6c1b7f0e-3d7a-4f55-9a51-6f2d0c0b8e21")

# The longest text read as an id: a UUID with braces and a "urn:uuid:" prefix is 45.
_MAX_ID_LENGTH = 45
# Bits 48-63 of a service_at_location id: version 8 and a marker, so that no other UUID
# is read as one by accident.
_SAL_MARKER = 0x85A1
_KEY_BITS = 48
_KEY_MAX = (1 << _KEY_BITS) - 1


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


def service_at_location_id(activity_pk: int, venue_pk: int) -> str:
    """The id of an activity held at a venue: both keys, 48 bits each, in one UUID."""
    if not (0 < activity_pk <= _KEY_MAX and 0 < venue_pk <= _KEY_MAX):
        raise ValueError("Keys must be positive and below 2**48.")
    # The variant's two bits (10) and fourteen zero bits sit between the two keys.
    value = (activity_pk << 80) | (_SAL_MARKER << 64) | (0b10 << 62) | venue_pk
    return str(uuid.UUID(int=value))


def parse_service_at_location_id(text: str) -> tuple[int, int] | None:
    """(activity key, venue key) from a service_at_location id, or None if it is not one."""
    value = parse_uuid(text)
    if value is None:
        return None
    number = value.int
    if (number >> 64) & 0xFFFF != _SAL_MARKER or (number >> 48) & 0xFFFF != 0b10 << 14:
        return None
    activity_pk, venue_pk = number >> 80, number & _KEY_MAX
    if not (activity_pk and venue_pk):
        return None
    return activity_pk, venue_pk
