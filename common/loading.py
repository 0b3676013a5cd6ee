"""One loader for the project's pluggable backends (search, geocoding), like Django's own."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def backend_from_path(path: object, options: object, *, base: type, what: str, setting: str):
    """Import the ``base`` subclass at dotted ``path`` and instantiate it with ``options``.

    ``what`` names the backend in messages ("geocoder backend") and ``setting`` the setting it
    comes from ("GEOCODER"). Anything wrong raises ``ImproperlyConfigured`` saying what to mend.
    """
    if not isinstance(path, str) or not path:
        raise ImproperlyConfigured(
            f'{setting}["BACKEND"] must be the dotted path of a {what} class, not {path!r}.'
        )
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise ImproperlyConfigured(
            f'{setting}["OPTIONS"] must be a dict of keyword arguments, not {options!r}.'
        )
    try:
        backend_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"Could not import {what} {path!r}: settings.{setting} names a class that "
            f"could not be imported ({exc})."
        ) from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, base)):
        raise ImproperlyConfigured(
            f"{what.capitalize()} {path!r} is not a subclass of {base.__module__}.{base.__name__}."
        )
    try:
        return backend_class(**options)
    except TypeError as exc:
        # Almost always an unknown or misspelt option name.
        raise ImproperlyConfigured(
            f"{what.capitalize()} {path!r} does not accept the options {sorted(options)} "
            f'(settings.{setting}["OPTIONS"]): {exc}'
        ) from exc
