"""Great-circle distance, and how far away something is in words: one measure everywhere
(the search backends, matching's reasons, the pages)."""

import math

EARTH_RADIUS_M = 6_371_008.8  # the mean Earth radius


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Distance in metres between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def format_distance(metres: float) -> str:
    """'under 50 m', '350 m', '1.2 km' or '12 km', wherever a distance is shown."""
    if metres < 50:
        # A venue at the centre of someone's postcode area is not "0 m away".
        return "under 50 m"
    if metres < 1000:
        return f"{round(metres / 10) * 10:.0f} m"
    km = metres / 1000
    return f"{km:.1f} km" if km < 10 else f"{km:.0f} km"


def distance_text(metres: float, *, area: str = "") -> str:
    """How far away something is, no more precisely than the place it is measured from.

    From a point (a full postcode, a located device): "under 50 m away", "350 m away",
    "1.2 km away". From the centre of an outward code (`area`, e.g. "SW18", a few kilometres
    across), where the person may be anywhere in it: "in or near SW18" up to about 1 km, then
    whole kilometres, "about 3 km away".
    """
    if not area:
        return f"{format_distance(metres)} away"
    km = round(metres / 1000)
    if km <= 1:
        return f"in or near {area}"
    return f"about {km} km away"
