"""Parsing UK postcodes."""

import re

from .exceptions import InvalidPostcode

# The pattern published with the UK Government Data Standards Catalogue for postcodes, applied
# after upper-casing. Incode letters are not narrowed further (CIKMOV are never used) so that
# a slightly odd but real-looking postcode reaches the data lookup and gets "not found" rather
# than "not a postcode".
OUTCODE_PATTERN = (
    r"(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]?)"
)
INCODE_PATTERN = r"[0-9][A-Z]{2}"

_POSTCODE_RE = re.compile(
    rf"(?:(?P<outcode>{OUTCODE_PATTERN})\s*(?P<incode>{INCODE_PATTERN})?"
    r"|(?P<giro_out>GIR)\s*(?P<giro_in>0AA))"
)
_OUTCODE_RE = re.compile(OUTCODE_PATTERN)

# Longer than any postcode with generous spacing; stops pathological input early.
_MAX_LENGTH = 16


def normalise_postcode(text: object) -> tuple[str, str | None]:
    """Split a UK postcode or outward code into ``(outcode, full postcode or None)``.

    Accepts any case, no space or extra spaces between the two parts and surrounding
    whitespace: ``" sw184dj "`` gives ``("SW18", "SW18 4DJ")`` and ``"sw18"`` gives
    ``("SW18", None)``. ``GIR 0AA`` is accepted. Raises ``InvalidPostcode`` otherwise
    (including for empty or non-string input).
    """
    if not isinstance(text, str):
        raise InvalidPostcode(text)
    candidate = text.strip().upper()
    if not candidate or len(candidate) > _MAX_LENGTH:
        raise InvalidPostcode(text)
    match = _POSTCODE_RE.fullmatch(candidate)
    if match is None:
        raise InvalidPostcode(text)
    if match["giro_out"]:
        return "GIR", "GIR 0AA"
    outcode, incode = match["outcode"], match["incode"]
    return outcode, f"{outcode} {incode}" if incode else None


def is_outcode(text: str) -> bool:
    """Whether ``text`` is exactly an upper-case outward code, e.g. ``"SW18"``."""
    return _OUTCODE_RE.fullmatch(text) is not None
