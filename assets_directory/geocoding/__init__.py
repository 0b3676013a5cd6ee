"""Offline, pluggable geocoding of UK postcodes.

``geocode("SW18 4DJ")`` returns a ``GeocodeResult`` using the backend named in
``settings.GEOCODER``; see ``backends`` for the shipped backends and how to write one.
Errors are ``GeocodingError`` subclasses whose ``message`` can be shown to the public.
"""

from .exceptions import GeocoderUnavailable, GeocodingError, InvalidPostcode, UnknownPostcode
from .loading import get_geocoder, load_backend, reset_geocoder
from .postcodes import normalise_postcode
from .results import GeocodeResult
from .validators import validate_postcode

__all__ = [
    "nearest_outcode",
    "GeocodeResult",
    "GeocoderUnavailable",
    "GeocodingError",
    "InvalidPostcode",
    "UnknownPostcode",
    "geocode",
    "get_geocoder",
    "load_backend",
    "normalise_postcode",
    "reset_geocoder",
    "validate_postcode",
]


def geocode(text: str) -> GeocodeResult:
    """Geocode a postcode or outward code with the configured backend.

    Raises ``InvalidPostcode``, ``UnknownPostcode`` or ``GeocoderUnavailable`` (all
    ``GeocodingError``, with a public ``message``).
    """
    return get_geocoder().geocode(text)


def nearest_outcode(latitude: float, longitude: float) -> str | None:
    """The outward code around a point, or None where the geocoder cannot say."""
    geocoder = get_geocoder()
    if not geocoder.supports_nearest_outcode:
        return None
    return geocoder.nearest_outcode(latitude, longitude)
