"""'Is this already listed?': likely duplicates of a group about to register, or of an activity
just added. Reads only.

A listing is a likely duplicate when its name is much the same (compared in normal form, the
small words left out), or when it meets within ``NEAR_METRES`` of the same point. Candidates
come from the database in bounded queries (names sharing a distinctive word, venues in a small
box around the point), never from reading every listing in Python.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import Q

from common.geo import haversine_m
from common.text import comparable_name

from .geocoding import GeocodingError, geocode, normalise_postcode
from .models import Activity, Organisation, Venue
from .selectors import organisations_with_active_editors

NEAR_METRES = 100
# How alike two names must be (0 to 1, difflib's ratio of their distinctive words).
SIMILAR = 0.8
# ...and for listings meeting within NEAR_METRES.
NEARBY_SIMILAR = 0.5
# At most this many candidates are read for each way of matching.
CANDIDATES = 200
SHOWN = 5

# Words that say nothing about which group it is.
COMMON_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "at",
        "for",
        "in",
        "of",
        "on",
        "the",
        "to",
        "with",
        "group",
        "groups",
        "club",
        "society",
        "association",
        "community",
        "centre",
        "center",
        "local",
        "friends",
        "st",
        "saint",
    ]
)


@dataclass(frozen=True)
class Duplicate:
    """A listing that may be the same as the new one, and why it was chosen."""

    page: Organisation | Activity
    reasons: tuple[str, ...]
    distance_m: float | None = None
    # For organisations: whether nobody looks after it, so it may be claimed.
    claimable: bool = False

    @property
    def reason_text(self) -> str:
        return " and ".join(self.reasons).capitalize()


def name_words(name: str) -> list[str]:
    """The distinctive words of a name, in normal form: 'The Balham Choir' -> balham, choir."""
    words = "".join(c if c.isalnum() else " " for c in comparable_name(name)).split()
    return [w for w in words if w not in COMMON_WORDS]


def name_similarity(a: str, b: str) -> float:
    """How alike two names are, from 0 to 1, ignoring case, spacing, punctuation, small words
    and word order."""
    left, right = sorted(name_words(a)), sorted(name_words(b))
    if not left or not right:
        left = sorted(comparable_name(a).split())
        right = sorted(comparable_name(b).split())
    if not left or not right:
        return 0.0
    return SequenceMatcher(None, " ".join(left), " ".join(right)).ratio()


def _title_query(name: str) -> Q | None:
    # The longest distinctive words: a name sharing none of them is not "much the same".
    words = sorted(set(name_words(name)), key=len, reverse=True)[:3]
    words = [w for w in words if len(w) >= 3]
    if not words:
        return None
    query = Q()
    for word in words:
        query |= Q(title__icontains=word)
    return query


def _box(latitude: float, longitude: float, metres: float) -> Q:
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(0.01, math.cos(math.radians(latitude))))
    return Q(
        latitude__gte=latitude - dlat,
        latitude__lte=latitude + dlat,
        longitude__gte=longitude - dlng,
        longitude__lte=longitude + dlng,
    )


def venues_near(latitude: float, longitude: float, *, metres: float = NEAR_METRES) -> dict:
    """Venues within `metres` of the point: {venue id: distance in metres}."""
    rows = Venue.objects.filter(_box(latitude, longitude, metres)).values_list(
        "pk", "latitude", "longitude"
    )[:CANDIDATES]
    near = {}
    for pk, lat, lng in rows:
        distance = haversine_m(latitude, longitude, lat, lng)
        if distance <= metres:
            near[pk] = distance
    return near


def postcode_point(postcode: str) -> tuple[float, float] | None:
    """The point of a full postcode; None for an outward code (a few kilometres across: no
    use for "within 100 m") or a postcode the geocoder does not know."""
    try:
        result = geocode(postcode)
    except GeocodingError:
        return None
    if result.precision != "postcode":
        return None
    return result.latitude, result.longitude


def venues_at(postcode: str) -> dict:
    """Venues at a full postcode, or within 100 m of its point: {venue id: metres away}.

    A venue with the same postcode counts as near even where the geocoder only knows outward
    codes (a postcode is a handful of addresses on one street)."""
    try:
        _, full = normalise_postcode(postcode)
    except GeocodingError:
        return {}
    if not full:
        return {}
    point = postcode_point(full)
    near = venues_near(*point) if point is not None else {}
    for pk, lat, lng in Venue.objects.filter(postcode=full).values_list(
        "pk", "latitude", "longitude"
    )[:CANDIDATES]:
        if pk not in near:
            known = point is not None and lat is not None and lng is not None
            near[pk] = haversine_m(*point, lat, lng) if known else 0.0
    return near


def organisation_duplicates(
    *, name: str, postcode: str = "", limit: int = SHOWN
) -> list[Duplicate]:
    """Listed organisations that may be the group about to register as `name` at `postcode`:
    a name much the same (anywhere), or a name somewhat alike meeting within 100 m of the
    postcode (a hall hosts many groups: the place alone does not make it the same group)."""
    found: dict[int, dict] = {}
    title_query = _title_query(name)
    if title_query is not None:
        for organisation in Organisation.objects.live().filter(title_query)[:CANDIDATES]:
            if name_similarity(name, organisation.title) >= SIMILAR:
                found.setdefault(organisation.pk, {"page": organisation, "reasons": []})
                found[organisation.pk]["reasons"].append("much the same name")

    near = venues_at(postcode) if postcode else {}
    if near:
        distance_by_org: dict[int, float] = {}
        # Venues the organisation added, and venues its activities meet at.
        for venue_id, organisation_id in Venue.objects.filter(
            pk__in=list(near), organisation__isnull=False
        ).values_list("pk", "organisation_id"):
            distance_by_org[organisation_id] = min(
                near[venue_id], distance_by_org.get(organisation_id, math.inf)
            )
        steplen = Activity.steplen
        parents: dict[str, float] = {}
        for path, venue_id in Activity.objects.filter(venue__in=list(near)).values_list(
            "path", "venue_id"
        )[:CANDIDATES]:
            parent = path[:-steplen]
            parents[parent] = min(near[venue_id], parents.get(parent, math.inf))
        for pk, path in Organisation.objects.filter(path__in=list(parents)).values_list(
            "pk", "path"
        ):
            distance_by_org[pk] = min(parents[path], distance_by_org.get(pk, math.inf))
        nearby = Organisation.objects.live().filter(pk__in=list(distance_by_org))
        for organisation in nearby:
            alike = name_similarity(name, organisation.title) >= NEARBY_SIMILAR
            if not alike and organisation.pk not in found:
                continue
            entry = found.setdefault(organisation.pk, {"page": organisation, "reasons": []})
            entry["reasons"].append("meets at that postcode or within 100 m")
            entry["distance_m"] = distance_by_org[organisation.pk]

    pages = [entry["page"] for entry in found.values()]
    looked_after = organisations_with_active_editors(pages)
    duplicates = [
        Duplicate(
            page=entry["page"],
            reasons=tuple(entry["reasons"]),
            distance_m=entry.get("distance_m"),
            claimable=entry["page"].pk not in looked_after,
        )
        for entry in found.values()
    ]
    duplicates.sort(key=lambda d: (-len(d.reasons), -name_similarity(name, d.page.title)))
    return duplicates[:limit]


def activity_duplicates(*, activity: Activity, limit: int = SHOWN) -> list[Duplicate]:
    """Other activities on the site that may be the same as `activity`: much the same title,
    at a venue within 100 m of its venue (or anywhere, for one without a venue). Only visible
    ones: another group's drafts are not for its editors to see."""
    others = Activity.objects.visible().exclude(pk=activity.pk)
    venue = activity.venue
    candidates: list[tuple[Activity, float | None]] = []
    if venue is not None and venue.has_point:
        near = venues_near(venue.latitude, venue.longitude)
        for other in others.filter(venue__in=list(near)).select_related("venue")[:CANDIDATES]:
            candidates.append((other, near.get(other.venue_id)))
    else:
        title_query = _title_query(activity.title)
        if title_query is None:
            return []
        candidates = [(other, None) for other in others.filter(title_query)[:CANDIDATES]]
    duplicates = []
    for other, distance in candidates:
        if name_similarity(activity.title, other.title) < SIMILAR:
            continue
        reasons = ["much the same title"]
        if distance is not None:
            reasons.append("at a venue within 100 m")
        duplicates.append(Duplicate(page=other, reasons=tuple(reasons), distance_m=distance))
    duplicates.sort(key=lambda d: -name_similarity(activity.title, d.page.title))
    return duplicates[:limit]
