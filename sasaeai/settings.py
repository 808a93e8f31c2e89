"""One settings file, driven by the environment (see README: 設定 / Settings).

SASAEAI_ENV selects the profile: ``development`` (default, what ``sasaeai demo`` uses),
``test`` or ``production`` (what ``sasaeai serve`` uses). Production refuses to start with a
missing secret or debug on; ``sasaeai.cli`` prints that refusal as one line.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("SASAEAI_ENV", "development")
if ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured(f"SASAEAI_ENV must be development, test or production, not {ENV!r}.")
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("SASAEAI_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if PRODUCTION:
    if not SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is missing or shorter than 50 characters; production refuses to start."
        )
    if DEBUG:
        raise ImproperlyConfigured("DEBUG is on; production refuses to start with DEBUG on.")
elif not SECRET_KEY:
    SECRET_KEY = "sasaeai-development-only-not-secret"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "auditlog",
    "django_htmx",
    "template_partials",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Sasae-ai: the shared kernel, then one app per part of the center's work.
    "sasaeai.core",
    "sasaeai.regions",
    "sasaeai.accounts",
    "sasaeai.members",
    "sasaeai.networks",
    "sasaeai.events",
    "sasaeai.surveys",
    "sasaeai.projects",
    "sasaeai.grants",
    "sasaeai.proposals",
    "sasaeai.activities",
    "sasaeai.casebook",
    "sasaeai.stockyard",
    "sasaeai.publishing",
    "sasaeai.plan",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "sasaeai.core.security.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sasaeai.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "sasaeai.accounts.middleware.RequireCenterStaffMfaMiddleware",
    # Axes goes last so that it sees every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

if PRODUCTION:
    # Static files from gunicorn without nginx too; development serves them with runserver.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "sasaeai.urls"
WSGI_APPLICATION = "sasaeai.wsgi.application"

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
                "django.template.context_processors.i18n",
                "sasaeai.core.context_processors.site",
                "sasaeai.accounts.context_processors.current_center",
            ],
            "builtins": ["django.templatetags.i18n", "template_partials.templatetags.partials"],
        },
    }
]


SQLITE_ENGINE = "sasaeai.core.db.sqlite3"  # Django's, with SQLite's real variable limit


def database_from_env() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {
            "ENGINE": SQLITE_ENGINE,
            "NAME": DATA_DIR / "sasaeai.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be read: {error}") from None
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        config["ENGINE"] = SQLITE_ENGINE
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL cannot be read: expected postgres://user@host:port/name "
            "or sqlite:///path/to/file."
        )
    return config


DATABASES = {"default": database_from_env()}

# Cached figures and public pages are stored under version tokens of the records, so any
# backend is correct; each process keeps its own in memory by default. The plan's figures are
# one entry per (KPI, area, date): the limit leaves room for every prefecture's five years
# (Django's default of 300 entries would evict a single dashboard's figures).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {
            "MAX_ENTRIES": int(os.environ.get("SASAEAI_CACHE_MAX_ENTRIES", "200000")),
            "CULL_FREQUENCY": 4,
        },
    }
}

# Rate limits of the public forms (core/ratelimit.py): name -> (requests, seconds) per address.
# The counts live in the cache named by SASAEAI_RATE_LIMIT_CACHE: "default" counts in each
# process (a limit then holds per gunicorn worker). SASAEAI_RATE_LIMIT_CACHE_URL shares them:
# redis://host:6379/0 (needs the redis package) or "database" (run `sasaeai manage
# createcachetable` once; counts may then slip by a request or two under a burst).
SASAEAI_RATE_LIMITS = {
    "event-registration": (10, 60 * 60),  # registrations for public events
    "newsletter-subscription": (5, 60 * 60),
    "survey-answer": (300, 60 * 60),  # the answer page saves as one types (htmx)
    "token-link-miss": (20, 60 * 60),  # guesses of the links in mails (registration, survey)
}
# SASAEAI_RATE_LIMITS="event-registration=20/3600,survey-answer=600/3600" changes some of them.
for _item in env_list("SASAEAI_RATE_LIMITS"):
    try:
        _name, _rate = _item.split("=")
        _requests, _seconds = (int(part) for part in _rate.split("/"))
    except ValueError:
        raise ImproperlyConfigured(
            f"SASAEAI_RATE_LIMITS: {_item!r} is not name=requests/seconds."
        ) from None
    if _name not in SASAEAI_RATE_LIMITS:
        raise ImproperlyConfigured(
            f"SASAEAI_RATE_LIMITS: no limit named {_name!r}; "
            f"the limits are {', '.join(SASAEAI_RATE_LIMITS)}."
        )
    SASAEAI_RATE_LIMITS[_name] = (_requests, _seconds)
SASAEAI_RATE_LIMIT_CACHE = "default"
_rate_limit_cache_url = os.environ.get("SASAEAI_RATE_LIMIT_CACHE_URL", "")
if _rate_limit_cache_url == "database":
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sasaeai_ratelimit_cache",
    }
    SASAEAI_RATE_LIMIT_CACHE = "ratelimit"
elif _rate_limit_cache_url:
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": _rate_limit_cache_url,
    }
    SASAEAI_RATE_LIMIT_CACHE = "ratelimit"
# Uploaded workbooks (and .docx/.pptx documents) are zip archives, checked before they are
# opened (core/tabular/archive.py): at most this much unpacked, each part of a megabyte or more
# packed at most this many times over (a sheet of identical rows packs about 15 times), at
# most this many parts.
SASAEAI_XLSX_MAX_UNPACKED_BYTES = int(
    os.environ.get("SASAEAI_XLSX_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024))
)
SASAEAI_XLSX_MAX_RATIO = int(os.environ.get("SASAEAI_XLSX_MAX_RATIO", "100"))
SASAEAI_XLSX_MAX_PARTS = int(os.environ.get("SASAEAI_XLSX_MAX_PARTS", "2000"))
# How many reverse proxies (nginx) stand before gunicorn and append to X-Forwarded-For; 0: the
# visitor's address is REMOTE_ADDR.
SASAEAI_PROXY_COUNT = int(os.environ.get("SASAEAI_PROXY_COUNT", "0"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "mypage"
ACCOUNT_LOGOUT_REDIRECT_URL = "publishing:home"

# allauth: staff accounts are created by the center, never by sign-up.
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_ADAPTER = "sasaeai.accounts.adapters.AccountAdapter"
ACCOUNT_USER_DISPLAY = "sasaeai.accounts.models.display_name"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sasae-ai"
# Center staff hold the whole prefecture's personal data: production requires a second factor.
SASAEAI_REQUIRE_CENTER_STAFF_MFA = env_bool("SASAEAI_REQUIRE_CENTER_STAFF_MFA", PRODUCTION)

# django-axes: lock a username and address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind nginx every request comes from 127.0.0.1: axes counts the address the rate limits
# count (the last SASAEAI_PROXY_COUNT hop of X-Forwarded-For), or one visitor's failures would
# lock the account for everyone.
AXES_CLIENT_IP_CALLABLE = "sasaeai.core.ratelimit.client_address"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Source maps (6.5 MB of them, the API docs' bundles) are for developers' tools, not for
# visitors: not compressing them halves collectstatic's time at every install and upgrade.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4"),
    *("mpeg", "mpg", "webm", "wmv", "map"),
)

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SASAEAI_TASK_BACKEND", "django_tasks_db.DatabaseBackend")
        if ENV != "test"
        else "django_tasks.backends.immediate.ImmediateBackend",
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sasaeai@localhost")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "sasaeai.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "sasaeai.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "sasaeai.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Sasae-ai API",
    "DESCRIPTION": "Sasae-ai: the system of prefectural centers for the public-interest "
    "activities of social welfare corporations. Errors are JSON in the user's language.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field named "kind" or "status": name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "MunicipalityKindEnum": "sasaeai.regions.models.MunicipalityKind",
        "EventKindEnum": "sasaeai.events.models.EventKind",
        "QuestionKindEnum": "sasaeai.surveys.models.QuestionKind",
        "NetworkStatusEnum": "sasaeai.networks.models.Status",
        "EventStatusEnum": "sasaeai.events.models.EventStatus",
        "RegistrationStatusEnum": "sasaeai.events.models.RegistrationStatus",
        "ProjectStatusEnum": "sasaeai.projects.models.ProjectStatus",
        "ProposalStatusEnum": "sasaeai.proposals.models.ProposalStatus",
        "LocationKindEnum": "sasaeai.stockyard.models.LocationKind",
        "ReferralStatusEnum": "sasaeai.stockyard.models.ReferralStatus",
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False

# The center shown to anonymous visitors when one deployment hosts several (a JIS prefecture
# code such as "33"); empty: the first active center.
SASAEAI_DEFAULT_PREFECTURE = os.environ.get("SASAEAI_DEFAULT_PREFECTURE", "")
# Where people reach the site: links in mail (registration pages, iCal) start with it.
SASAEAI_SITE_URL = os.environ.get("SASAEAI_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Content Security Policy, sent by every profile so that the browser tests see what production
# sends: scripts, styles and everything else from this site only, never inline (no inline
# <script>, on*= handler or style= attribute in a template; see docs/architecture.md). Images
# may be data: URIs (allauth draws the TOTP QR code as one).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features no page of the site uses, switched off for every origin.
SASAEAI_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
X_FRAME_OPTIONS = "DENY"
# The session cookie is never read by scripts; the CSRF token reaches htmx through the page
# (hx-headers on <body>), so no script reads that cookie either.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Joining the browsers' preload list binds the whole domain for years: a choice each
    # operator makes (SECURE_HSTS_PRELOAD=true), not a default.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

if ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Personal data (issue 11, privacy) -------------------------------------------------------
# The register, disclosure, erasure and purge of personal data (sasaeai/privacy/). Retention
# periods are per center (Center.settings["privacy_retention_years"]), defaults in the apps'
# privacy.py; nothing to set here.
INSTALLED_APPS += ["sasaeai.privacy"]
