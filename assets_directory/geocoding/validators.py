"""Form and model validation for postcodes."""

from django.core.exceptions import ValidationError

from .exceptions import GeocodingError
from .loading import get_geocoder


def validate_postcode(value) -> None:
    """Django validator: ``value`` must be a UK postcode (or outward code) the geocoder can place.

    Raises ``ValidationError`` with the public message of the geocoding error and its code:
    ``invalid_postcode``, ``unknown_postcode`` or ``geocoder_unavailable``.
    """
    try:
        get_geocoder().geocode(value)
    except GeocodingError as exc:
        raise ValidationError(exc.message, code=exc.code) from exc
