"""Civic311 settings: one module, every value from the environment (see docs/configuration.md).

Django itself always runs in UTC; the city's own time zone (CITY_TIME_ZONE) is used only at the
edges: pages, emails and the offsets in API output.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from civic311.env import (
    env_bool,
    env_choice,
    env_float,
    env_int,
    env_list,
    env_point,
    env_secret,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CIVIC311_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# SECRET_KEY, or a file holding it (SECRET_KEY_FILE; `make` writes var/secret_key for the demo).
# Without either, the development key, which the check civic311.E002 refuses outside DEBUG.
INSECURE_DEV_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env_secret("SECRET_KEY", DATA_DIR / "secret_key", INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "js_lib_leaflet",  # Leaflet's JS and CSS as static files (no CDN)
    "civic311",
    "civic311.catalog",
    "civic311.departments",
    "civic311.geo",
    "civic311.media",
    "civic311.service_requests",
    "civic311.notifications",
    "civic311.messaging",
    "civic311.apikeys",
    "civic311.georeport",
    "civic311.webhooks",
    "civic311.democity",
    "civic311.resident",
    "civic311.staff",
    "civic311.sms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "civic311.staff.login.IdleLogout",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "civic311.urls"
WSGI_APPLICATION = "civic311.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "civic311" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite (WAL, writers queue with BEGIN IMMEDIATE) unless DATABASE_URL names PostgreSQL.
_db = parse_database_url(env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'civic311.sqlite3'}"))
DATABASES: dict[str, dict[str, Any]]
if _db.engine.endswith("sqlite3"):
    DATABASES = {
        "default": {
            # Django's SQLite backend, with writers queueing on a file lock (see its module).
            "ENGINE": "civic311.db.sqlite",
            "NAME": _db.name,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
            # Reopening the file and rerunning the PRAGMAs on every request costs milliseconds.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            # A file, not memory, for the test database: concurrency tests need real locking.
            # One per test process, so two test runs on one machine do not share it.
            "TEST": {"NAME": str(DATA_DIR / f"test-civic311-{os.getpid()}.sqlite3")},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": _db.engine,
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(_db.options),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Tasks (the outbox) ---------------------------------------------------------------------
# The database backend stores a task in the same transaction as the change that caused it, so
# a rolled-back change enqueues nothing. See docs/operations.md for RQ or Celery on Redis.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "notifications"],
    }
}

RQ_BACKEND = "django_tasks_rq.RQBackend"
if TASKS["default"]["BACKEND"] == RQ_BACKEND:
    # Tasks on Redis through RQ (pip install django-tasks-rq; see docs/operations.md).
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {
        queue: {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}
        for queue in TASKS["default"]["QUEUES"]
    }

# --- Caches ---------------------------------------------------------------------------------
_redis_url = env_str("REDIS_URL", "")
_redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _redis_url}
CACHES = {
    # Answers each process may keep for itself a few seconds (API_CACHE_SECONDS).
    "default": (
        _redis_cache if _redis_url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    ),
    # Rate-limit counters (civic311/lib/ratelimit.py): one store every web process shares, so a
    # limit holds however many workers serve. Without Redis, files under the data directory
    # that diskcache increments atomically across processes (one machine); with REDIS_URL,
    # Redis (any number of machines).
    "ratelimit": (
        _redis_cache
        if _redis_url
        else {"BACKEND": "diskcache.DjangoCache", "LOCATION": str(DATA_DIR / "ratelimit")}
    ),
}

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "civic311" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # always; checked by civic311.E001
CITY_TIME_ZONE = env_str("CITY_TIME_ZONE", "America/Chicago")

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Photos: checked at upload (type from the bytes, size, pixel count), re-encoded by the worker.
PHOTO_MAX_BYTES = env_int("PHOTO_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
PHOTO_MAX_PIXELS = env_int("PHOTO_MAX_PIXELS", 40_000_000, minimum=1)
PHOTO_MAX_PER_REQUEST = 3

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("MAX_FORM_BYTES", 2_621_440, minimum=1024)

# --- Email ----------------------------------------------------------------------------------
# Django's own names. Without EMAIL_HOST, mail is written to files a person can read.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "311@civic311.localhost")
# Seconds for each step of an SMTP conversation; a hung server must not hold a worker forever.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")

# --- Notifications (docs/notifications.md) --------------------------------------------------
# The open statuses whose changes are emailed to followers (received, closed and reopened always
# are). Checked by civic311.notifications.E001.
NOTIFY_STATUS_CHANGES = env_list("NOTIFY_STATUS_CHANGES", ["in_progress", "scheduled"])
# A temporary failure (4xx, server unreachable) is retried after 1, 2, 4 … times this.
NOTIFY_RETRY_BASE_SECONDS = env_int("NOTIFY_RETRY_BASE_SECONDS", 60, minimum=0)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6, minimum=1)
# After this long in `sending`, the worker is presumed dead and the sweep sends again. Keep it
# well above EMAIL_TIMEOUT.
NOTIFY_SENDING_TIMEOUT_SECONDS = env_int("NOTIFY_SENDING_TIMEOUT_SECONDS", 300, minimum=0)

# --- Geography ------------------------------------------------------------------------------
GEOCODER = env_choice("GEOCODER", "address_points", ("address_points", "nominatim", "pelias"))
GEOCODER_URL = env_str("GEOCODER_URL", "")
GEOCODER_TIMEOUT_SECONDS = env_float("GEOCODER_TIMEOUT_SECONDS", 3.0)
# Map tiles for the public pages' small maps: the only thing a page fetches from elsewhere.
MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap contributors")
# Where the report form's map opens before a pin is placed: "latitude,longitude".
MAP_CENTER = env_point("MAP_CENTER", (41.8781, -87.6298))

# --- Resident pages -------------------------------------------------------------------------
# Per client address and minute (see TRUSTED_PROXY_COUNT), counted in the shared `ratelimit`
# cache like the API's.
REPORT_POSTS_PER_MINUTE = env_int("REPORT_POSTS_PER_MINUTE", 10, minimum=1)
PLACE_LOOKUPS_PER_MINUTE = env_int("PLACE_LOOKUPS_PER_MINUTE", 60, minimum=1)

# --- Open311 API --------------------------------------------------------------------------
# Requests per minute, counted in the `ratelimit` cache that every process shares: reads per
# client address; submissions per API key (or the key's own limit); and, per client address,
# submissions refused for a missing or wrong key, after which that address waits.
API_GET_PER_MINUTE = env_int("API_GET_PER_MINUTE", 600, minimum=1)
API_POST_PER_MINUTE = env_int("API_POST_PER_MINUTE", 60, minimum=1)
API_TEST_POST_PER_MINUTE = env_int("API_TEST_POST_PER_MINUTE", 10, minimum=1)
API_REFUSED_KEY_PER_MINUTE = env_int("API_REFUSED_KEY_PER_MINUTE", 10, minimum=1)
API_MAX_PAGE_SIZE = 1000
# How long public lists and the catalogue may be answered from the cache (0: never).
API_CACHE_SECONDS = env_int("API_CACHE_SECONDS", 10, minimum=0)
# How many proxies in front of the app append to X-Forwarded-For (0: use the socket address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# --- Webhooks (apps hear about changes) ----------------------------------------------------
# Development and tests only: lets a webhook use http:// to 127.0.0.1/localhost and reach
# private addresses (the SSRF guard refuses both otherwise; check civic311.W101 warns).
WEBHOOK_ALLOW_HTTP_LOCAL = env_bool("WEBHOOK_ALLOW_HTTP_LOCAL", False)
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 5.0)
# Seconds to wait before each retry; a delivery is given up after the last one.
WEBHOOK_RETRY_SECONDS = [30, 120, 600, 3600, 21600]

# --- Text messages (docs/sms.md) -----------------------------------------------------------
# Off by default: /sms/inbound answers 404 until a city turns it on (check civic311.sms.W001
# warns when it is on without an auth token).
SMS_ENABLED = env_bool("SMS_ENABLED", False)
SMS_PROVIDER = env_choice("SMS_PROVIDER", "twilio", ("twilio",))
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_secret("TWILIO_AUTH_TOKEN", DATA_DIR / "twilio_auth_token", "")
TWILIO_API_URL = env_str("TWILIO_API_URL", "https://api.twilio.com")
SMS_FROM_NUMBER = env_str("SMS_FROM_NUMBER", "")
# The webhook's public URL as configured at the provider (it is part of the signature). Empty:
# the URL of the request as it arrived.
SMS_WEBHOOK_URL = env_str("SMS_WEBHOOK_URL", "")
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: sign-check the https URL.
SMS_TRUST_FORWARDED_PROTO = env_bool("SMS_TRUST_FORWARDED_PROTO", False)
SMS_TIMEOUT_SECONDS = env_float("SMS_TIMEOUT_SECONDS", 10.0)
# A report dialog left alone this long ends (the next message starts afresh).
SMS_DIALOG_TIMEOUT_MINUTES = env_int("SMS_DIALOG_TIMEOUT_MINUTES", 30, minimum=1)
SMS_MAX_REPORTS_PER_DAY = env_int("SMS_MAX_REPORTS_PER_DAY", 10, minimum=1)
# Outbound updates to one number in any hour; more wait for the next hour (never dropped).
SMS_MAX_PER_NUMBER_PER_HOUR = env_int("SMS_MAX_PER_NUMBER_PER_HOUR", 10, minimum=1)
# A reply longer than this many segments is shortened (carriers join up to ~10; phones vary).
SMS_MAX_SEGMENTS = env_int("SMS_MAX_SEGMENTS", 4, minimum=1)

# --- Logging --------------------------------------------------------------------------------
LOG_LEVEL = env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Staff login (docs/staff.md, "Logging in") ----------------------------------------------
# Wrong passwords for one account from one address, within the window, before that pair waits.
STAFF_LOGIN_MAX_FAILURES = env_int("STAFF_LOGIN_MAX_FAILURES", 5, minimum=1)
# Wrong passwords for one account from browsers it never logged in from, any address.
STAFF_LOGIN_ACCOUNT_MAX_FAILURES = env_int("STAFF_LOGIN_ACCOUNT_MAX_FAILURES", 20, minimum=1)
STAFF_LOGIN_LOCKOUT_MINUTES = env_int("STAFF_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
# A logged-in session left alone this long is logged out; none lasts longer than the maximum.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1) * 3600
LOGIN_URL = "staff:login"
# Logging in at /staff/login/ itself (no ?next=) lands in the console, not on Django's default.
LOGIN_REDIRECT_URL = "staff:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
