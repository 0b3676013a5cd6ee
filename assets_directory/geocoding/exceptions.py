"""Errors raised while geocoding, each with a message fit to show a member of the public."""


class GeocodingError(ValueError):
    """Base class for geocoding failures.

    ``message`` is plain English for the person who typed the postcode; ``code`` is a stable
    identifier (used as the ``ValidationError`` code by ``validate_postcode``).
    """

    code = "geocoding_error"
    default_message = "We could not find that place. Check it and try again."

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message
        super().__init__(self.message)


class InvalidPostcode(GeocodingError):
    """The text does not look like a UK postcode or the first part of one."""

    code = "invalid_postcode"
    default_message = "Enter a full postcode, like SW18 4DJ, or the first part, like SW18."

    def __init__(self, query: object = None, message: str | None = None):
        # Kept for logs and debugging only: raw input never goes into the public message.
        self.query = query
        super().__init__(message)


class UnknownPostcode(GeocodingError):
    """The postcode is well formed, but the geocoder's data has no point for it."""

    code = "unknown_postcode"
    default_message = "We could not find that postcode on our map. Check it and try again."

    def __init__(self, label: str | None = None, message: str | None = None):
        self.label = label
        if message is None and label:
            message = f"We could not find {label} on our map. Check it and try again."
        super().__init__(message)


class GeocoderUnavailable(GeocodingError):
    """The geocoder cannot answer at all, e.g. its data file is missing or corrupt.

    A subclass of ``GeocodingError`` so that a form shows a polite field error rather than a
    server error; the technical cause is logged and is the exception's ``__cause__``.
    """

    code = "geocoder_unavailable"
    default_message = "We cannot look up postcodes at the moment. Please try again later."
