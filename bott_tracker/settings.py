"""One settings module, read from the environment.

The defaults give a working laptop setup (SQLite, eager Celery, console e-mail). Production sets
DEBUG=false and must then provide SECRET_KEY and ALLOWED_HOSTS, or the app refuses to start.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))

DEBUG = env.bool("DEBUG", default=True)

MIN_SECRET_KEY_LENGTH = 50
_INSECURE_KEY = "django-insecure-laptop-only-never-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=_INSECURE_KEY)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

if not DEBUG:
    if (
        SECRET_KEY == _INSECURE_KEY
        or len(SECRET_KEY) < MIN_SECRET_KEY_LENGTH
        or "insecure" in SECRET_KEY
    ):
        raise ImproperlyConfigured(
            "DEBUG is off: set SECRET_KEY to a random value of at least 50 characters."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DEBUG is off: set ALLOWED_HOSTS (comma-separated host names).")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "bott_tracker.apps.BottAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "simple_history",
    "issues",
    "django_linear_migrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "bott_tracker.middleware.HostileInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "bott_tracker.urls"
WSGI_APPLICATION = "bott_tracker.wsgi.application"
ASGI_APPLICATION = "bott_tracker.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "issues.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    # An empty DATABASE_URL counts as unset.
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server and an eager task read while a write is open.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "issues.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Oslo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [BASE_DIR / "static"]
if (BASE_DIR / "node_modules").exists():
    # Front-end packages come from package.json; only the files we reference are collected.
    STATICFILES_DIRS.append(("vendor", BASE_DIR / "node_modules"))
# Attachments hold personal data: outside the static root and never served by URL directly.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Never routed in urls.py: attachments go through a view that checks permission.
MEDIA_URL = "/_private/"
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# E-mail: console on a laptop, SMTP in tests and production (smtp://host:port).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BOTT Tracker <bott-tracker@localhost>")
EMAIL_TIMEOUT = 10

# Celery: with no REDIS_URL the tasks run eagerly in-process (laptop default only).
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Keep Django's LOGGING (and its personal-data filter) in the worker instead of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BOTT Tracker API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # On the handler, so every logger that propagates to it is masked (issue 16).
    "filters": {"mask_personal_data": {"()": "bott_tracker.log_filters.MaskPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_personal_data"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# History is evidence (overrides, merges): it is read, never reverted from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True

# --- Escalation: exports and digests (issue #6) --------------------------------------------------
# Weekly digest: crontab day of week (0 = Sunday, 1 = Monday, ...) and local time HH:MM, in
# TIME_ZONE (Europe/Oslo). Meeting digests go out DIGEST_HOURS_BEFORE_MEETING hours before a
# meeting; beat looks for such meetings every DIGEST_MEETING_CHECK_MINUTES minutes.
from bott_tracker.beat import beat_schedule  # noqa: E402

DIGEST_WEEKLY_DAY = env.int("DIGEST_WEEKLY_DAY", default=1)
DIGEST_WEEKLY_TIME = env.str("DIGEST_WEEKLY_TIME", default="07:00")
DIGEST_HOURS_BEFORE_MEETING = env.int("DIGEST_HOURS_BEFORE_MEETING", default=24)
DIGEST_MEETING_CHECK_MINUTES = env.int("DIGEST_MEETING_CHECK_MINUTES", default=15)
# SMTP failures: retry after base × 2^n seconds (capped at an hour), this many times.
DIGEST_RETRY_BASE_SECONDS = env.float("DIGEST_RETRY_BASE_SECONDS", default=30)
DIGEST_MAX_RETRIES = env.int("DIGEST_MAX_RETRIES", default=10)
# Pause between recipients of digests and summaries (s): a mail-server throttle and a kill window.
DIGEST_DELAY_BETWEEN_RECIPIENTS = env.float("DIGEST_DELAY_BETWEEN_RECIPIENTS", default=0)
FIX_CONFIRMATION_WORKING_DAYS = env.int("FIX_CONFIRMATION_WORKING_DAYS", default=10)
# Status-change mail (issue 16): beat sweeps outbox rows the broker never got, this often.
STATUS_MAIL_SWEEP_MINUTES = env.int("STATUS_MAIL_SWEEP_MINUTES", default=5)
# Rows older than this are left alone by the sweep (a week-old status mail is noise).
STATUS_MAIL_MAX_AGE_DAYS = env.int("STATUS_MAIL_MAX_AGE_DAYS", default=2)
CELERY_BEAT_SCHEDULE = beat_schedule(
    weekly_day=DIGEST_WEEKLY_DAY,
    weekly_time=DIGEST_WEEKLY_TIME,
    meeting_check_minutes=DIGEST_MEETING_CHECK_MINUTES,
    status_mail_sweep_minutes=STATUS_MAIL_SWEEP_MINUTES,
)
# WeasyPrint and fontTools report every layout step at INFO; keep the worker log readable.
LOGGING["loggers"] = {
    "weasyprint": {"level": "WARNING"},
    "fontTools": {"level": "WARNING"},
}

# --- Production readiness (issue 7): CSP, no-store, shared cache, login throttling, audit -------
# Every response carries a Content-Security-Policy: see bott_tracker/content_security.py.
from bott_tracker.content_security import CONTENT_SECURITY_POLICY  # noqa: E402, F401

INSTALLED_APPS.append("csp")
# CSP right after SecurityMiddleware so it also covers WhiteNoise and error responses; no-store
# after authentication so it knows who is logged in (static files never reach it).
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware"), "csp.middleware.CSPMiddleware"
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
    "bott_tracker.middleware.NoStoreMiddleware",
)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The CSRF cookie stays readable by our own scripts (Django's documented pattern for fetch/htmx);
# HttpOnly on it adds nothing because the token is in every form anyway.
CSRF_COOKIE_HTTPONLY = False

# One cache shared by every gunicorn worker in production (the login throttle counts in it):
# Redis when REDIS_URL is set, else a per-process memory cache (laptop and SQLite tests only).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bott",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Cached parts of the busiest pages (issues/page_cache.py); off only to measure a cold page.
PAGE_CACHE = env.bool("PAGE_CACHE", default=True)

# Login throttling (issues/throttle.py): failed attempts per account and per client address in
# a sliding-free fixed window. Each attempt takes a slot with an atomic increment *before* the
# password is checked, so parallel attempts cannot slip past the limit.
AUTHENTICATION_BACKENDS = ["issues.throttle.ThrottledModelBackend"]
LOGIN_THROTTLE_ACCOUNT_LIMIT = env.int("LOGIN_THROTTLE_ACCOUNT_LIMIT", default=5)
LOGIN_THROTTLE_ADDRESS_LIMIT = env.int("LOGIN_THROTTLE_ADDRESS_LIMIT", default=30)
LOGIN_THROTTLE_WINDOW_SECONDS = env.int("LOGIN_THROTTLE_WINDOW_SECONDS", default=15 * 60)
# Number of reverse proxies in front of gunicorn that append to X-Forwarded-For (0: use the
# socket address). Must match the deployment, or clients could pick their own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Lets tests start each case with fresh counters without flushing the shared Redis database.
LOGIN_THROTTLE_NAMESPACE = "v1"

# --- Triage (issue #4) ---------------------------------------------------------------------------
# defect_dashboard_idx INCLUDEs two columns for PostgreSQL's index-only scan; SQLite (the laptop
# default) ignores INCLUDE, which is harmless there.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- REST API (issues/api/): token auth, JSON-only, throttled tokens, JSON errors, OpenAPI --------
INSTALLED_APPS.append("drf_spectacular_sidecar")
REST_FRAMEWORK.update(
    {
        # Token first so an unauthenticated request answers 401 with WWW-Authenticate: Bearer.
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "issues.api.authentication.ApiTokenAuthentication",
            "rest_framework.authentication.SessionAuthentication",
        ],
        # No browsable API: its pages need inline scripts, which the CSP will forbid.
        "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
        # JSON only; the attachment upload view alone takes multipart.
        "DEFAULT_PARSER_CLASSES": ["issues.api.parsers.DepthSafeJSONParser"],
        "DEFAULT_THROTTLE_CLASSES": ["issues.api.throttling.TokenUserRateThrottle"],
        "DEFAULT_FILTER_BACKENDS": [],
        "EXCEPTION_HANDLER": "issues.api.errors.exception_handler",
        "DEFAULT_SCHEMA_CLASS": "issues.api.schema.ApiAutoSchema",
        "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    }
)
API_TOKEN_THROTTLE_RATE = env.str("API_TOKEN_THROTTLE_RATE", default="600/min")
SPECTACULAR_SETTINGS.update(
    {
        "DESCRIPTION": (
            "Feil og mangler etter BOTT-overgangen. Samme regler som nettsidene: saker du ikke "
            "kan se svarer 404. Endringer krever If-Match med ETag fra siste GET."
        ),
        "SWAGGER_UI_DIST": "SIDECAR",
        "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
        "REDOC_DIST": "SIDECAR",
        "COMPONENT_SPLIT_REQUEST": True,
        "SCHEMA_PATH_PREFIX": "/api/v1",
        "ENUM_NAME_OVERRIDES": {
            "DefectStatusEnum": "issues.models.defects.DefectStatus",
            "DefectKindEnum": "issues.models.defects.DefectKind",
            "TierEnum": "issues.models.defects.TIER_CHOICES",
        },
    }
)

# --- Feide login (issue 13): OpenID Connect; local passwords stay for break-glass and the demo ---
# Without OIDC_ISSUER the Feide button is not shown and only the password form is there.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="").rstrip("/")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_SCOPES = env.str("OIDC_SCOPES", default="openid profile email userid-feide")
# Seconds to wait for the provider (discovery, token, userinfo, JWKS).
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10)
# realm=INSTITUTION_CODE pairs (e.g. "uio.no=UiO,usit.uio.no=UiO") that win over the Feide
# realms kept on the institutions in the admin; for a test realm or a move between realms.
OIDC_REALM_INSTITUTIONS: dict[str, str] = {
    realm.strip().lower(): code.strip()
    for realm, code in env.dict("OIDC_REALM_INSTITUTIONS", default={}).items()
}
# Provider group id=role pairs (role: Forvaltning or DFØ-kontakt), read from the claim named by
# OIDC_GROUPS_CLAIM. A login never takes a role away unless OIDC_GROUP_ROLES_REVOKE is true: then
# the roles named here follow the provider's groups at every login that carries the claim.
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# Where the groups are fetched with the user's access token instead of read from a claim: for
# Feide https://groups-api.dataporten.no/groups/me/groups (scope "groups"). Empty: the claim.
OIDC_GROUPS_URL = env.str("OIDC_GROUPS_URL", default="")
OIDC_GROUP_ROLES: dict[str, str] = env.dict("OIDC_GROUP_ROLES", default={})
OIDC_GROUP_ROLES_REVOKE = env.bool("OIDC_GROUP_ROLES_REVOKE", default=False)
# false: the password form lets only superusers in (everyone else uses Feide).
LOCAL_LOGIN = env.bool("LOCAL_LOGIN", default=True)
# Shown on the page that refuses a person from a realm outside the four universities.
SUPPORT_CONTACT = env.str("SUPPORT_CONTACT", default="")
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ImproperlyConfigured("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
if set(OIDC_GROUP_ROLES.values()) - {"Forvaltning", "DFØ-kontakt", "Melder"}:
    raise ImproperlyConfigured("OIDC_GROUP_ROLES: each role is Melder, Forvaltning or DFØ-kontakt.")
# The session of a Feide login is loaded by this backend, which tells the audit log the way in.
AUTHENTICATION_BACKENDS.append("issues.oidc.FeideBackend")
# RP-initiated logout: the logout form's POST is answered by a redirect to the provider, which
# CSP form-action must allow; the middleware adds the issuer's origin when one is configured.
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "bott_tracker.middleware.OidcFormActionMiddleware",
)
# Spreadsheet imports (issue 14): hard limits on what an uploaded file may hold. A file over any of
# them is refused with a message, before anything is written.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=60)
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=20_000)
# The sum of the XLSX's unpacked parts, and how much one part may expand (zip bombs).
IMPORT_MAX_UNPACKED_BYTES = env.int("IMPORT_MAX_UNPACKED_BYTES", default=300 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=200)
# Up to this many rows, the dry run also asks the suggestion search for each title; above it
# only exact DFØ-reference and title matches are looked up (one query each for the whole file).
IMPORT_SUGGEST_MAX_ROWS = env.int("IMPORT_SUGGEST_MAX_ROWS", default=300)
# A sheet without a <dimension> (openpyxl's own write-only mode writes none) costs openpyxl one extra
# parse of the whole sheet before the first row; above this size such a sheet is refused.
IMPORT_MAX_UNDIMENSIONED_BYTES = env.int("IMPORT_MAX_UNDIMENSIONED_BYTES", default=64 * 1024 * 1024)
