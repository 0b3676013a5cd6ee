"""The value every geocoder returns."""

from dataclasses import dataclass
from typing import Literal

Precision = Literal["outcode", "postcode"]


@dataclass(frozen=True, slots=True)
class GeocodeResult:
    """A point for a postcode.

    ``outcode`` is the outward code (``"SW18"``); ``postcode`` is the normalised full postcode
    when one was given (``"SW18 4DJ"``), else ``None``. ``precision`` says what the point stands
    for: ``"postcode"`` for the postcode itself, ``"outcode"`` for the centre of its outward code
    (a few kilometres). ``label`` is the normalised text to show, e.g. "Near SW18 4DJ".
    """

    latitude: float
    longitude: float
    outcode: str
    postcode: str | None
    precision: Precision
    label: str
