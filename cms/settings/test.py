"""Tests: fast hashing, eager tasks, e-mail kept in memory, no tile server."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-key-000000000000000000000000000000000000")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
os.environ["SECURE_SSL_REDIRECT"] = "False"
os.environ["SECURE_HSTS_SECONDS"] = "0"
os.environ["MAP_TILE_URL"] = ""
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")
os.environ["SITE_URL"] = "http://testserver"
# Each test run indexes into its own directory, so parallel runs never share an index; the
# servers a test starts inherit it. Under pytest-xdist each worker is a run of its own (it
# would otherwise inherit the controller's directory).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if os.environ.get("SEARCH_INDEX_DIR_WORKER", "") != _WORKER:
    os.environ.pop("SEARCH_INDEX_DIR", None)
os.environ["SEARCH_INDEX_DIR_WORKER"] = _WORKER
os.environ.setdefault("SEARCH_INDEX_DIR", tempfile.mkdtemp(prefix="common-ground-test-index-"))

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tasks run in-process even when a broker is configured (CI's Redis pass); the tests that go
# through the broker (tests/assets_directory/test_tasks.py) switch this off and start a worker.
CELERY_TASK_ALWAYS_EAGER = True
# Under pytest-xdist each worker has its own test database, so each must have its own queue on
# the shared broker too: a Celery worker started by one test run would otherwise take (or purge)
# another's tasks and run them against the wrong database.
if _WORKER:
    CELERY_TASK_DEFAULT_QUEUE = f"common-ground-test-{_WORKER}"
MEDIA_ROOT = str(BASE_DIR / "var" / "test-media" / (_WORKER or "main"))  # noqa: F405
PRIVATE_MEDIA_ROOT = str(BASE_DIR / "var" / "test-private" / (_WORKER or "main"))  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# One process: an in-memory cache keeps tests that never touch the database away from it. The
# shared database cache is tried across two server processes in tests/common/.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# runserver and the test server serve static files from the app folders directly.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]  # noqa: F405
