"""Loading the configured geocoder backend, in the manner of Django's pluggable backends."""

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from common.loading import backend_from_path

from .backends import BaseGeocoder

DEFAULT_GEOCODER = {
    "BACKEND": "assets_directory.geocoding.backends.OutcodeCentroidGeocoder",
    "OPTIONS": {},
}


def load_backend(path: str, options: dict | None = None) -> BaseGeocoder:
    """Import the ``BaseGeocoder`` subclass at dotted ``path`` and instantiate it with ``options``.

    Raises ``ImproperlyConfigured`` if the path cannot be imported, does not name a
    ``BaseGeocoder`` subclass, or the backend rejects the options.
    """
    return backend_from_path(
        path, options, base=BaseGeocoder, what="geocoder backend", setting="GEOCODER"
    )


def backend_from_settings() -> BaseGeocoder:
    """A new instance of the backend described by ``settings.GEOCODER`` (uncached)."""
    config = getattr(settings, "GEOCODER", DEFAULT_GEOCODER)
    if not isinstance(config, dict) or "BACKEND" not in config:
        raise ImproperlyConfigured(
            'settings.GEOCODER must be a dict with a "BACKEND" dotted path and optional '
            f'"OPTIONS", not {config!r}.'
        )
    return load_backend(config["BACKEND"], config.get("OPTIONS") or {})


_geocoder: BaseGeocoder | None = None
_lock = threading.Lock()


def get_geocoder() -> BaseGeocoder:
    """The configured geocoder, created on first use and shared by the whole process.

    Sharing one instance means its data is loaded once. The cache is dropped when
    ``GEOCODER`` changes under ``override_settings`` or pytest-django's ``settings``.
    """
    global _geocoder
    geocoder = _geocoder
    if geocoder is None:
        with _lock:
            if _geocoder is None:
                _geocoder = backend_from_settings()
            geocoder = _geocoder
    return geocoder


def reset_geocoder() -> None:
    """Forget the cached geocoder so that the next ``get_geocoder()`` reads settings again."""
    global _geocoder
    with _lock:
        _geocoder = None


@receiver(setting_changed, dispatch_uid="assets_directory.geocoding.reset_geocoder")
def _reset_on_setting_changed(*, setting, **kwargs):
    if setting == "GEOCODER":
        reset_geocoder()
