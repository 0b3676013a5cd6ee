"""System check for the configured geocoder.

Not registered here: ``AssetsDirectoryConfig.ready()`` calls ``register(check_geocoder)``.
"""

from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured

from .loading import get_geocoder

CHECK_ID = "assets_directory.E001"
HINT = (
    "Fix settings.GEOCODER (or the GEOCODER_BACKEND / GEOCODER_DATA_PATH environment variables); "
    "see assets_directory/geocoding/backends.py."
)


def check_geocoder(app_configs=None, **kwargs) -> list[Error]:
    """Report an Error if the geocoder cannot be loaded or its ``check()`` finds problems."""
    try:
        geocoder = get_geocoder()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint=HINT, obj="settings.GEOCODER", id=CHECK_ID)]
    # A bug in a third-party backend's check() should be reported, not crash every command.
    try:
        problems = geocoder.check()
    except Exception as exc:
        problems = [f"{type(geocoder).__name__}.check() failed: {exc!r}"]
    return [Error(problem, hint=HINT, obj="settings.GEOCODER", id=CHECK_ID) for problem in problems]
