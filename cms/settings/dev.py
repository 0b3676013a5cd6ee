"""Local development: embedded defaults, no configuration needed."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-change-me-000000000000000000")
os.environ.setdefault("DEBUG", "True")
# The local names, and the host SITE_URL names (make run ADDRESS=... SITE_URL=...).
_site_host = urlsplit(os.environ.get("SITE_URL", "")).hostname
os.environ.setdefault(
    "ALLOWED_HOSTS", ",".join(filter(None, ("127.0.0.1", "localhost", "[::1]", _site_host)))
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "False")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from .base import *  # noqa: E402,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# runserver and the test server serve static files from the app folders directly.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
