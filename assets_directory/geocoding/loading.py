"""Loading the configured geocoder backend, in the manner of Django's pluggable backends."""

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

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
    if not isinstance(path, str) or not path:
        raise ImproperlyConfigured(
            f'GEOCODER["BACKEND"] must be the dotted path of a geocoder class, not {path!r}.'
        )
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ImproperlyConfigured(
            f'GEOCODER["OPTIONS"] must be a dict of keyword arguments, not {options!r}.'
        )
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"Could not import geocoder backend {path!r} (from settings.GEOCODER): {exc}"
        ) from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseGeocoder)):
        raise ImproperlyConfigured(
            f"Geocoder backend {path!r} is not a subclass of "
            "assets_directory.geocoding.backends.BaseGeocoder."
        )
    try:
        return backend_class(**options)
    except TypeError as exc:
        # Almost always an unknown or misspelt option name.
        raise ImproperlyConfigured(
            f"Geocoder backend {path!r} does not accept the options {sorted(options)}: {exc}"
        ) from exc


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
