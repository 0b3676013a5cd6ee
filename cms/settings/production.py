"""Production: everything from the environment; SECRET_KEY and ALLOWED_HOSTS are required."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("Set the SECRET_KEY environment variable.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names).")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CELERY_BROKER_URL"),
    }
    if env("CELERY_BROKER_URL").startswith("redis")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
