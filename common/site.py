"""The site's public address (settings.SITE_URL), for every link that leaves a page: e-mails,
printed lists, Wagtail's own notifications."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def parse_site_url(value: str) -> str:
    """The site's address as given in SITE_URL, checked, without a trailing slash.

    An address is a scheme and a host, with a port if it is not the scheme's own, and nothing
    else: the site is served from the root of its host (Wagtail's Site record has no path).
    """
    value = (value or "").strip().rstrip("/")
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        port_ok = False
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or not port_ok
        or parts.username
        or parts.password
        or parts.path
        or parts.query
        or parts.fragment
    ):
        raise ImproperlyConfigured(
            f"SITE_URL must be the site's public address, such as https://directory.example.org "
            f"or http://127.0.0.1:8000, with no path; it is {value!r}."
        )
    return value


def site_url() -> str:
    """The site's address without a trailing slash, e.g. "https://directory.example.org"."""
    return settings.SITE_URL


def absolute_url(path_or_url: str) -> str:
    """The full address of a path on this site. A full address is returned as it is (a page's
    url is one when the site has more than one Wagtail Site)."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{site_url()}/{path_or_url.lstrip('/')}"


def site_host_and_port(url: str) -> tuple[str, int]:
    """The host name and port a Wagtail Site record needs for this address."""
    parts = urlsplit(url)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
