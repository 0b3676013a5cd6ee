"""Search backends, loaded from settings like Django's session engines.

settings.DIRECTORY_SEARCH = {"BACKEND": "search.backends.embedded.EmbeddedSearchBackend",
                             "OPTIONS": {...}}
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from common.loading import backend_from_path

from .base import BaseSearchBackend, SearchBackendError

__all__ = ["BaseSearchBackend", "SearchBackendError", "get_backend", "load_backend"]

_lock = threading.Lock()
_backend: BaseSearchBackend | None = None


def load_backend(path: str, options: dict | None = None) -> BaseSearchBackend:
    return backend_from_path(
        path, options, base=BaseSearchBackend, what="search backend", setting="DIRECTORY_SEARCH"
    )


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
