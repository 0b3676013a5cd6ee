"""Production: everything from the environment; SECRET_KEY, ALLOWED_HOSTS and SITE_URL are
required."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")
# Every e-mailed link starts with SITE_URL: the development default would send people to
# their own computer.
if not os.environ.get("SITE_URL"):
    raise ImproperlyConfigured(
        "Set SITE_URL to the site's public address, e.g. https://directory.example.org "
        "(it replaces WAGTAILADMIN_BASE_URL)."
    )
if urlsplit(SITE_URL).scheme != "https":  # noqa: F405
    raise ImproperlyConfigured(f"SITE_URL must start with https:// in production: {SITE_URL}")  # noqa: F405
if not validate_host(urlsplit(SITE_URL).hostname, ALLOWED_HOSTS):  # noqa: F405
    raise ImproperlyConfigured(
        f"SITE_URL's host name must be one of ALLOWED_HOSTS: {urlsplit(SITE_URL).hostname}"  # noqa: F405
    )
