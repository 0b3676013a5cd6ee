"""Search backends, loaded from settings like Django's session engines.

settings.DIRECTORY_SEARCH = {"BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
                             "OPTIONS": {...}}
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from .base import BaseSearchBackend, SearchBackendError

__all__ = ["BaseSearchBackend", "SearchBackendError", "get_backend", "load_backend"]

_lock = threading.Lock()
_backend: BaseSearchBackend | None = None


def load_backend(path: str, options: dict | None = None) -> BaseSearchBackend:
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"DIRECTORY_SEARCH BACKEND {path!r} could not be imported: {exc}"
        ) from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, BaseSearchBackend)):
        raise ImproperlyConfigured(
            f"DIRECTORY_SEARCH BACKEND {path!r} is not a subclass of "
            "search.backends.base.BaseSearchBackend."
        )
    try:
        return backend_class(**(options or {}))
    except TypeError as exc:
        raise ImproperlyConfigured(f"DIRECTORY_SEARCH OPTIONS for {path!r}: {exc}") from exc


def get_backend() -> BaseSearchBackend:
    """The configured backend, one instance per process."""
    global _backend
    if _backend is None:
        with _lock:
            if _backend is None:
                config = settings.DIRECTORY_SEARCH
                _backend = load_backend(config["BACKEND"], config.get("OPTIONS"))
    return _backend


def reset_backend() -> None:
    global _backend
    with _lock:
        if _backend is not None:
            _backend.close()
        _backend = None


@receiver(setting_changed)
def _on_setting_changed(*, setting, **kwargs):
    if setting == "DIRECTORY_SEARCH":
        reset_backend()
