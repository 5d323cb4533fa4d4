"""Runa settings: everything comes from the environment, with safe defaults.

The embedded defaults (SQLite, in-memory channel layer, local-memory cache) need
no other service; production sets DATABASE_URL and REDIS_URL. `.env.example`
documents every variable read here.
"""

import re
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required unless DEBUG is on "
            "(generate one with: python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
if not DEBUG and "*" in ALLOWED_HOSTS:
    # A wildcard lets any site's Host reach us: e-mailed links and the socket
    # Origin check would trust whatever name an attacker sends.
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS='*' is refused in production (DEBUG off): name the "
        "server's host names, e.g. ALLOWED_HOSTS=runa.example.org."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not re.match(r"^https?://[^/\s]+$", _origin):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {_origin!r} must look like "
            "https://runa.example.org (scheme and host, no path)."
        )

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "csp",
    # Before allauth: web's templates override allauth's pages and e-mails.
    "web",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "backend.accounts",
    "backend.api",
    "exercises",
    "clubs",
    "realtime",
    "privacy",
]

MIDDLEWARE = [
    "backend.health.HealthCheckMiddleware",
    "backend.api.middleware.RequestLimitsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.middleware.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "backend.api.middleware.ApiDebugErrorsMiddleware",
]

ROOT_URLCONF = "backend.urls"
ASGI_APPLICATION = "backend.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "backend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.web",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------

DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
# Requests keep their thread's connection (health-checked before reuse) instead
# of opening one each: on SQLite that is ~1 ms of CPU per request saved.
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60, minimum=0)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the single writer overlap, and the busy timeout makes
    # concurrent writers wait instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # DRF imports django.contrib.postgres, and with it psycopg and the libraries
    # its wheel bundles (libpq, OpenSSL, Kerberos: ~10 MiB of every process),
    # whenever psycopg is installed. Nothing here talks to PostgreSQL: the
    # driver is marked absent, and DRF goes on as if it were not installed.
    sys.modules.setdefault("psycopg", None)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's native pool (psycopg-pool): a request borrows a connection and
    # gives it back, instead of a new one (TCP + auth, ~2.4 ms) per request.
    # Each process holds up to DATABASE_POOL_MAX_SIZE connections.
    DATABASE_POOL = env_bool("DATABASE_POOL", True)
    if DATABASE_POOL:
        # The pool keeps the connections; Django refuses persistent ones beside it.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10, minimum=1),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
# Namespaces every Redis key and pub/sub channel, so deployments (or CI runs)
# sharing one Redis server never see each other's groups and counters.
REDIS_PREFIX = env_str("REDIS_PREFIX", "runa")
# Realtime chat (see docs/deploy.md for sizing): the per user, per room limit of
# frames that write (a burst, then a steady rate), and how many rejected frames
# in a row close the socket with 4429.
REALTIME_RATE_BURST = env_int("REALTIME_RATE_BURST", 10, minimum=1)
REALTIME_RATE_PER_SECOND = env_int("REALTIME_RATE_PER_SECOND", 1, minimum=1)
REALTIME_ABUSE_LIMIT = env_int("REALTIME_ABUSE_LIMIT", 20, minimum=1)
# Open sockets one user may hold (all rooms, all processes); the next is
# closed with 4408.
REALTIME_MAX_SOCKETS_PER_USER = env_int("REALTIME_MAX_SOCKETS_PER_USER", 10, minimum=1)
# Redis connections of one process are bounded (docs/deploy.md): the Django
# cache (sessions, DRF throttles, allauth's rate limits) shares one blocking
# pool of REDIS_CACHE_MAX_CONNECTIONS, presence / chat rate limits / the socket
# cap another of REALTIME_REDIS_MAX_CONNECTIONS, and the pub/sub channel layer
# holds at most REDIS_LAYER_MAX_CONNECTIONS. A caller finding its pool in use
# waits (up to REDIS_POOL_TIMEOUT seconds) instead of opening another.
REDIS_CACHE_MAX_CONNECTIONS = env_int("REDIS_CACHE_MAX_CONNECTIONS", 10, minimum=1)
REALTIME_REDIS_MAX_CONNECTIONS = env_int(
    "REALTIME_REDIS_MAX_CONNECTIONS", 20, minimum=1
)
REDIS_LAYER_MAX_CONNECTIONS = 4  # 1 subscriber + 1 publisher (under a lock)
REDIS_POOL_TIMEOUT = 10
REDIS_CONNECT_TIMEOUT = 2  # seconds: a Redis that is down fails fast
REDIS_SOCKET_TIMEOUT = 5
# Which channels_redis layer: "pubsub" publishes a broadcast once per group and
# each process fans it out locally; "core" writes one copy per socket into
# Redis (measured in docs/performance.md).
REALTIME_REDIS_LAYER = env_choice(
    "REALTIME_REDIS_LAYER", "pubsub", choices=("pubsub", "core")
)
# Seconds the chat consumers keep their database connection (0: a new one per
# frame, which costs milliseconds per message; see realtime/db.py).
REALTIME_DB_CONN_MAX_AGE = env_int("REALTIME_DB_CONN_MAX_AGE", 60, minimum=0)
# Database threads of the chat consumers per process (each keeps a connection).
REALTIME_DB_THREADS = env_int("REALTIME_DB_THREADS", 4, minimum=1)
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis keeps one pool per process (Django's own Redis
            # backend makes one per cache instance, i.e. per socket under ASGI,
            # and leaves them open: issue 9).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": REDIS_PREFIX,
            "OPTIONS": {
                "CONNECTION_POOL_CLASS": "redis.BlockingConnectionPool",
                "CONNECTION_POOL_KWARGS": {
                    "max_connections": REDIS_CACHE_MAX_CONNECTIONS,
                    "timeout": REDIS_POOL_TIMEOUT,
                    "client_name": f"{REDIS_PREFIX}:cache",
                },
                "SOCKET_CONNECT_TIMEOUT": REDIS_CONNECT_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    if REALTIME_REDIS_LAYER == "pubsub":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "realtime.pubsub_layer.PubSubChannelLayer",
                "CONFIG": {
                    "hosts": [
                        {
                            "address": REDIS_URL,
                            "max_connections": REDIS_LAYER_MAX_CONNECTIONS,
                            "client_name": f"{REDIS_PREFIX}:layer",
                            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                        }
                    ],
                    "prefix": REDIS_PREFIX,
                    # Kicks and log-outs: one subscription per process, not
                    # one per user (realtime/pubsub_layer.py).
                    "process_wide_groups": ["user."],
                },
            }
        }
    else:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    # Not a blocking pool: redis-py's default of 100 raises
                    # "Too many connections" when hundreds of sockets close at
                    # once (each leaves its groups with its own command).
                    "hosts": [
                        {
                            "address": REDIS_URL,
                            "max_connections": 1000,
                            "client_name": f"{REDIS_PREFIX}:layer",
                            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                        }
                    ],
                    "prefix": REDIS_PREFIX,
                    "capacity": 500,
                    "expiry": 30,
                },
            }
        }
    # Sessions (and so mobile session tokens) are read on every API call.
    SESSION_ENGINE = "backend.accounts.session_engines.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # One process: the stock in-memory layer scans every channel on each send
    # and receive; ours does not (docs/performance.md).
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "realtime.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": 500},
        }
    }
    # A per-process cache would keep a logged-out session alive in other
    # processes, so without a shared cache sessions live in the database only.
    SESSION_ENGINE = "backend.accounts.session_engines.db"

# --- Exercises ----------------------------------------------------------------

# New exercises the review queue offers a learner per day (at their level), and
# how old an offline attempt's answered_at may be before it is refused.
EXERCISES_NEW_PER_DAY = env_int("EXERCISES_NEW_PER_DAY", 10, minimum=0)
EXERCISES_OFFLINE_MAX_AGE_DAYS = env_int(
    "EXERCISES_OFFLINE_MAX_AGE_DAYS", 30, minimum=1
)

# --- Accounts -----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "backend.accounts.auth_backends.ModelBackend",
    "backend.accounts.auth_backends.AuthenticationBackend",
]
# Seconds a logged-in user's row is kept in the shared cache (0: read on every
# request). Saves and deletes drop it at once; see backend/accounts/auth_backends.py.
# Off without Redis: another process's changes would not reach a local cache.
USER_CACHE_SECONDS = env_int("USER_CACHE_SECONDS", 60 if REDIS_URL else 0, minimum=0)
# Seconds a process answers a session token it authenticated from its own
# memory (0: off). Another process's log-out applies here that much later
# (backend/accounts/recent_tokens.py, docs/deploy.md).
AUTH_PROCESS_CACHE_SECONDS = env_int("AUTH_PROCESS_CACHE_SECONDS", 0, minimum=0)
_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + "UserAttributeSimilarityValidator"},
    {
        "NAME": _VALIDATORS + "MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": _VALIDATORS + "CommonPasswordValidator"},
    {"NAME": _VALIDATORS + "NumericPasswordValidator"},
]

ACCOUNT_ADAPTER = "backend.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
# Adds `privacy_notice_shown` to sign-up (docs/api.md, "Privacy notice").
ACCOUNT_SIGNUP_FORM_CLASS = "backend.accounts.forms.SignupForm"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION", "mandatory", choices=("none", "optional", "mandatory")
)
# Sign-up with a taken address answers like any sign-up and e-mails the owner
# instead ("someone tried to sign up with your address"). allauth can only do
# that when verification is mandatory; with "optional" or "none" sign-up says
# the address is taken (docs/api.md).
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's limits. Failed log-ins count per client address (10 a minute) and
# per address + e-mail (5 in 5 minutes, keyed in the adapter), so a stranger
# guessing at someone's password locks out only themselves. Answered with 429.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
}
# Session tokens (app) and session cookies (browser) are Django sessions: they
# end this many days after the last log-in, or at log-out.
SESSION_LIFETIME_DAYS = env_int("SESSION_LIFETIME_DAYS", 14, minimum=1)
SESSION_COOKIE_AGE = SESSION_LIFETIME_DAYS * 24 * 3600
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = env_bool(
    "ACCOUNT_EMAIL_VERIFICATION_BY_CODE", False
)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Browsers use allauth's own server-rendered pages under /accounts/ (in Runa's
# look, web/templates); the apps keep the headless API under /_allauth/.
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app", "browser")
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Runa: "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
LOGIN_REDIRECT_URL = "/practice/"
LOGIN_URL = "/accounts/login/"
# The session token, read with one query instead of two (backend/accounts/tokens.py).
HEADLESS_TOKEN_STRATEGY = "backend.accounts.tokens.OneReadSessionTokenStrategy"  # noqa: S105
FRONTEND_URL = env_url(
    "FRONTEND_URL", "http://127.0.0.1:8000", schemes=("http", "https")
).rstrip("/")
# Links in e-mails, also those sent for the apps, open the web pages; an app
# may claim these addresses as universal links.
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": FRONTEND_URL + "/accounts/confirm-email/{key}/",
    "account_reset_password_from_key": FRONTEND_URL
    + "/accounts/password/reset/key/{key}/",
    # The "someone tried to sign up with your address" mail links here.
    "account_reset_password": FRONTEND_URL + "/accounts/password/reset/",
    "account_signup": FRONTEND_URL + "/accounts/signup/",
}
HEADLESS_SERVE_SPECIFICATION = True
# allauth's own page loads Redoc from a CDN (blank offline): serve the copy
# drf-spectacular-sidecar ships instead.
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "headless/spec/redoc_local.html"

# --- Privacy ------------------------------------------------------------------

# Whom the privacy notice and the deletion e-mail name for questions about data.
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "privacy@runa.example.org")
if not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", PRIVACY_CONTACT_EMAIL):
    raise ImproperlyConfigured(
        f"PRIVACY_CONTACT_EMAIL={PRIVACY_CONTACT_EMAIL!r} must be an e-mail address."
    )
# purge_old_data: chat messages older than this many days are deleted, and
# unverified accounts older than this many days (not logged in since) go.
CHAT_RETENTION_DAYS = env_int("CHAT_RETENTION_DAYS", 365, minimum=1)
UNVERIFIED_ACCOUNT_RETENTION_DAYS = env_int(
    "UNVERIFIED_ACCOUNT_RETENTION_DAYS", 30, minimum=1
)

# --- API ----------------------------------------------------------------------

# Reverse proxies in front of daphne that append the client's address to
# X-Forwarded-For (docs/deploy.md). 0: use the socket peer and ignore the
# header, which any client can write. The client address of throttles and
# allauth's rate limits is the N-th entry from the right (backend/api/client_ip.py).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# JSON request bodies nested deeper than this are refused with 400.
JSON_MAX_DEPTH = 64

THROTTLE_ANON = env_str("THROTTLE_ANON", "120/min")
THROTTLE_USER = env_str("THROTTLE_USER", "1200/min")
# GET /api/v1/me/export/ builds a large document: a few per user and hour.
THROTTLE_EXPORT = env_str("THROTTLE_EXPORT", "5/hour")
# DELETE /api/v1/me/ checks a password: few tries per user and hour.
THROTTLE_ACCOUNT_DELETE = env_str("THROTTLE_ACCOUNT_DELETE", "10/hour")
for _name, _rate in (
    ("THROTTLE_ANON", THROTTLE_ANON),
    ("THROTTLE_USER", THROTTLE_USER),
    ("THROTTLE_EXPORT", THROTTLE_EXPORT),
    ("THROTTLE_ACCOUNT_DELETE", THROTTLE_ACCOUNT_DELETE),
):
    if not re.match(r"^\d+/(s|sec|m|min|h|hour|d|day)$", _rate):
        raise ImproperlyConfigured(f"{_name}={_rate!r} must look like 120/min.")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "backend.api.authentication.SessionTokenAuthentication",
        "backend.api.authentication.BrowserSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "backend.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "backend.api.throttling.AnonThrottle",
        "backend.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": THROTTLE_ANON,
        "user": THROTTLE_USER,
        "export": THROTTLE_EXPORT,
        "account_delete": THROTTLE_ACCOUNT_DELETE,
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "backend.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "backend.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Runa API",
    "DESCRIPTION": (
        "Language practice and discussion clubs for newcomers. Authentication: "
        "django-allauth headless (`/_allauth/app/v1/...` returns a session token "
        "sent as `X-Session-Token`). See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "DisputeStatusEnum": "exercises.models.Dispute.Status",
        "LevelEnum": "backend.accounts.models.Level",
        "SessionStatusEnum": "clubs.models.Session.Status",
        "RegistrationStatusEnum": "clubs.models.Registration.Status",
        "AttendanceStatusEnum": "clubs.models.AttendanceStatus",
    },
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}

# --- Internationalisation -----------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lv", _("Latvian")),
    ("ru", _("Russian")),
    ("uk", _("Ukrainian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Europe/Riga")
try:
    import zoneinfo

    zoneinfo.ZoneInfo(TIME_ZONE)
except Exception:
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not an IANA time zone (e.g. Europe/Riga)."
    ) from None

# --- Static files -------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
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

# --- E-mail -------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Runa <noreply@runa.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production behind a TLS-terminating proxy) -----------------------

USE_TLS = env_bool("USE_TLS", not DEBUG)
if USE_TLS:
    # The proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy on every response (the web pages, the admin, Swagger
# UI): scripts, styles and everything else only from this origin, never inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging ------------------------------------------------------------------

LOG_LEVEL = env_choice(
    "LOG_LEVEL", "INFO", choices=("DEBUG", "INFO", "WARNING", "ERROR")
)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
