"""Settings shared by every environment.

Secure by default: DEBUG is off, cookies are secure, and the secret key has no default here.
Everything that varies between deployments is read from the environment through the one
schema below, so that a deployment is configuration, never code.
"""

from pathlib import Path

import environ

from common.site import parse_site_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, None),
    ALLOWED_HOSTS=(list, []),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
    CELERY_BROKER_URL=(str, ""),
    # A cache every server process shares: rate limits and sign-in throttling count in it.
    CACHE_URL=(str, "dbcache://common_cache"),
    TRUSTED_PROXY_COUNT=(int, 0),
    CELERY_TASK_ALWAYS_EAGER=(bool, True),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Common Ground <noreply@localhost>"),
    MODERATOR_EMAILS=(list, []),
    MEDIA_ROOT=(str, str(BASE_DIR / "var" / "media")),
    PRIVATE_MEDIA_ROOT=(str, str(BASE_DIR / "var" / "private")),
    STATIC_ROOT=(str, str(BASE_DIR / "var" / "static")),
    MAP_TILE_URL=(str, ""),
    MAP_TILE_ATTRIBUTION=(str, ""),
    SEARCH_BACKEND=(str, "embedded"),
    SEARCH_INDEX_DIR=(str, str(BASE_DIR / "var" / "search-index")),
    ELASTICSEARCH_URL=(str, ""),
    ELASTICSEARCH_INDEX=(str, "common-ground-activities"),
    ELASTICSEARCH_API_KEY=(str, ""),
    ELASTICSEARCH_TIMEOUT=(float, 5.0),
    ELASTICSEARCH_VERIFY_CERTS=(bool, True),
    ELASTICSEARCH_REPLICAS=(int, 1),
    OPENSEARCH_URL=(str, ""),
    OPENSEARCH_INDEX=(str, "common-ground-activities"),
    OPENSEARCH_USERNAME=(str, ""),
    OPENSEARCH_PASSWORD=(str, ""),
    OPENSEARCH_TIMEOUT=(float, 5.0),
    OPENSEARCH_VERIFY_CERTS=(bool, True),
    OPENSEARCH_REPLICAS=(int, 1),
    GEOCODER_BACKEND=(str, "assets_directory.geocoding.backends.OutcodeCentroidGeocoder"),
    GEOCODER_DATA_PATH=(str, ""),
    FRESHNESS_REVIEW_DAYS=(int, 182),
    FRESHNESS_REMINDER_INTERVAL_DAYS=(int, 14),
    FRESHNESS_MAX_REMINDERS=(int, 3),
    FRESHNESS_LINK_MAX_AGE_DAYS=(int, 30),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    SECURE_SSL_REDIRECT=(bool, True),
    SECURE_HSTS_SECONDS=(int, 31536000),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "common",
    "cms",
    "assets_directory",
    "search",
    "matching",
    "referrals",
    "casework",
    "coproduction",
    "insights",
    "openreferral",
    "harvest",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "leaflet",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.middleware.SessionIdleTimeoutMiddleware",
    "common.middleware.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL")}
# Keep each worker's connection between requests: opening one costs more than most queries
# (a SQLite file reruns its PRAGMAs, PostgreSQL a network handshake and authentication).
DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public site read while an editor or a task writes. SQLite's own page cache
    # is 2 MB by default: a directory of 100,000 activities has indexes many times that, and
    # lists and imports then wait on reading them again. 64 MB a connection, taken as used.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's model backend, which will not check a password while its account or address is
# locked out after too many failures (common.signin).
AUTHENTICATION_BACKENDS = ["common.signin.ThrottledModelBackend"]
SIGNIN_FAILURES_PER_ACCOUNT = env.int("SIGNIN_FAILURES_PER_ACCOUNT", default=5)
SIGNIN_FAILURES_PER_ADDRESS = env.int("SIGNIN_FAILURES_PER_ADDRESS", default=30)
SIGNIN_LOCKOUT_SECONDS = env.int("SIGNIN_LOCKOUT_SECONDS", default=15 * 60)
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_ADDRESS = 20
PASSWORD_RESET_WINDOW_SECONDS = 60 * 60

# Sessions end 30 minutes after the last request and when the browser closes
# (common.middleware.SessionIdleTimeoutMiddleware): people's records must not stay open on a
# shared computer.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT")
STATIC_URL = "/static/"
MEDIA_ROOT = env("MEDIA_ROOT")
MEDIA_URL = "/media/"
# Uploads only signed-in people may fetch (partnerships' documents): outside MEDIA_ROOT, served by
# views that check who asks (common.storage.PrivateStorage).
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Addresses that hear about new registrations and problem reports, on top of the
# members of the Moderators group.
MODERATOR_EMAILS = env("MODERATOR_EMAILS")

# Shared by every process (the database by default, Redis in production through CACHE_URL),
# so that a limit means the same with one worker or ten.
CACHES = {"default": env.cache_url("CACHE_URL")}

# How many proxies in front of the site append to X-Forwarded-For (0: none, REMOTE_ADDR is
# the visitor). The visitor's address is that many entries from the right; anything further
# left is the client's own claim and is never trusted (common.http.client_address).
TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")

# Security: on unless an environment turns it off (dev.py and test.py do).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "matching:sign_in"
LOGOUT_REDIRECT_URL = "/"

# Celery: eager (in-process) unless a broker is configured.
# "localhost" only names the in-process broker: without a host kombu warns "No hostname was
# supplied" whenever it describes the connection.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = env("CELERY_TASK_ALWAYS_EAGER") and not env("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "freshness-reminders": {
        "task": "assets_directory.tasks.send_freshness_reminders",
        "schedule": 60 * 60 * 24,
    },
    # What groups were told on referrals closed a year ago is deleted (referrals.tasks).
    "referral-details-retention": {
        "task": "referrals.tasks.referral_details_erase_expired",
        "schedule": 60 * 60 * 24,
    },
    # Groups reminded before a referral's answer is due; teams told after (referrals.tasks).
    "referral-reminders": {
        "task": "referrals.tasks.referrals_remind_and_alert",
        "schedule": 60 * 60 * 24,
    },
    # Link workers told each morning how many follow-ups fall due (casework.tasks).
    "follow-up-reminders": {
        "task": "casework.tasks.follow_up_reminders_send",
        "schedule": 60 * 60 * 24,
    },
    # The commissioners' figures worked out again when the directory has changed, and the
    # day's supply recorded for its trend (insights.tasks).
    "insights-figures": {
        "task": "insights.tasks.district_figures_refresh",
        "schedule": 60 * 15,
    },
    # Feeds with "harvest every N hours" set are harvested when due (harvest.tasks).
    "harvest-due-feeds": {
        "task": "harvest.tasks.harvest_due_feeds",
        "schedule": 60 * 15,
    },
}

# Referrals (referrals/): groups are asked to reply within this many working days, and what
# they were told about the person is deleted this many days after the referral closes.
REFERRAL_REPLY_WORKING_DAYS = env.int("REFERRAL_REPLY_WORKING_DAYS", default=10)
REFERRAL_RETENTION_DAYS = env.int("REFERRAL_RETENTION_DAYS", default=365)

# The site's public address: every link that leaves a page (e-mails, printed lists, Wagtail's
# notifications) starts with it (common.site.absolute_url), and migrate points the default
# Wagtail Site at its host and port (cms.services.site_update_address).
SITE_URL = parse_site_url(env("SITE_URL"))

# Wagtail
WAGTAIL_SITE_NAME = "Common Ground"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ADMIN_PATH_PREFIX = "/admin/"
WAGTAILADMIN_USER_LOGIN_FORM = "cms.forms.AdminLoginForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# The admin's page search lists only pages the user may explore (Wagtail's default, relied on:
# the search view has no hook of its own; the choosers and explorer are narrowed in
# cms/wagtail_hooks.py).
WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True
# No autosave: it keeps private drafts of half-filled forms and footers them with "There are
# validation errors" before the volunteer has made a mistake, then "Saved" for a draft nobody
# else sees. Editors save a draft or submit for approval when they choose.
WAGTAIL_AUTOSAVE_INTERVAL = 0
WAGTAIL_PASSWORD_RESET_ENABLED = True
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# No Gravatar: it would send a hash of every user's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor ask releases.wagtail.org for new versions from every administrator's browser (the admin's
# Content-Security-Policy would block it anyway).
WAGTAIL_ENABLE_UPDATE_CHECK = False

TAGGIT_CASE_INSENSITIVE = True

# Maps. No tile server is assumed: with MAP_TILE_URL empty the map shows the marker on a
# plain background, so pages work offline. Set it to e.g. an OSM-compatible tile server.
MAP_TILE_URL = env("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION")
# Where map tiles may be loaded from (the Content-Security-Policy's img-src).
CSP_MAP_TILE_SOURCES = []
if MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(MAP_TILE_URL)
    CSP_MAP_TILE_SOURCES = [f"{_tiles.scheme}://{_tiles.netloc.replace('{s}', '*')}"]
# Browser features the site may use: geolocation, on this origin only, for "Use my location".
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=()"
)

LEAFLET_CONFIG = {
    "TILES": [("Map", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})] if MAP_TILE_URL else [],
    "DEFAULT_CENTER": (51.4489, -0.1971),
    "DEFAULT_ZOOM": 13,
    "RESET_VIEW": False,
}

# Directory search: "embedded" (a tantivy index in SEARCH_INDEX_DIR, no server),
# "elasticsearch" (an Elasticsearch 9 cluster at ELASTICSEARCH_URL), "opensearch" (an
# OpenSearch 2.x or 3.x cluster at OPENSEARCH_URL), or the dotted path of another backend class.
SEARCH_BACKENDS = {
    "embedded": "search.backends.embedded.EmbeddedSearchBackend",
    "elasticsearch": "search.backends.elasticsearch.ElasticsearchSearchBackend",
    "opensearch": "search.backends.opensearch.OpenSearchSearchBackend",
}
SEARCH_INDEX_DIR = env("SEARCH_INDEX_DIR")
_search_backend = env("SEARCH_BACKEND")
if _search_backend == "elasticsearch":
    _search_options = {
        "url": env("ELASTICSEARCH_URL"),
        "index": env("ELASTICSEARCH_INDEX"),
        "api_key": env("ELASTICSEARCH_API_KEY") or None,
        "timeout": env("ELASTICSEARCH_TIMEOUT"),
        "verify_certs": env("ELASTICSEARCH_VERIFY_CERTS"),
        "replicas": env("ELASTICSEARCH_REPLICAS"),
    }
elif _search_backend == "opensearch":
    _search_options = {
        "url": env("OPENSEARCH_URL"),
        "index": env("OPENSEARCH_INDEX"),
        "username": env("OPENSEARCH_USERNAME") or None,
        "password": env("OPENSEARCH_PASSWORD") or None,
        "timeout": env("OPENSEARCH_TIMEOUT"),
        "verify_certs": env("OPENSEARCH_VERIFY_CERTS"),
        "replicas": env("OPENSEARCH_REPLICAS"),
    }
else:
    _search_options = {"path": SEARCH_INDEX_DIR}
DIRECTORY_SEARCH = {
    "BACKEND": SEARCH_BACKENDS.get(_search_backend, _search_backend),
    "OPTIONS": _search_options,
}

# Geocoding: the embedded default reads shipped outward-code centroids.
GEOCODER = {
    "BACKEND": env("GEOCODER_BACKEND"),
    "OPTIONS": {"data_path": env("GEOCODER_DATA_PATH")} if env("GEOCODER_DATA_PATH") else {},
}

# Freshness: how long before a listing counts as stale, how often to remind, and after how
# many unanswered reminders moderators are told.
FRESHNESS_REVIEW_DAYS = env("FRESHNESS_REVIEW_DAYS")
FRESHNESS_REMINDER_INTERVAL_DAYS = env("FRESHNESS_REMINDER_INTERVAL_DAYS")
FRESHNESS_MAX_REMINDERS = env("FRESHNESS_MAX_REMINDERS")
FRESHNESS_LINK_MAX_AGE_DAYS = env("FRESHNESS_LINK_MAX_AGE_DAYS")

# Public forms count successful submissions only (a mistake costs nothing): at most
# PUBLIC_FORM_RATE_LIMIT an hour from one address, which may be a library or a GP surgery serving
# a queue of people, and PUBLIC_FORM_TARGET_RATE_LIMIT an hour to one recipient or about one
# listing, so nobody's inbox or listing can be flooded from many addresses.
PUBLIC_FORM_RATE_LIMIT = 20
PUBLIC_FORM_TARGET_RATE_LIMIT = 3
# Requests a minute to the (anonymous, kiosk) matching API from one address.
MATCH_API_RATE_LIMIT = env.int("MATCH_API_RATE_LIMIT", default=60)
# E-mails an hour from one kiosk address: a library screen is one address shared by many.
KIOSK_EMAIL_RATE_LIMIT = 30

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"assets_directory": {"level": "INFO"}},
}
