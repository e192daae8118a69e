"""Kliento settings, read from the environment.

Every value has a safe default for the embedded mode (SQLite in a local data folder); production
sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and the email settings. A malformed value stops the
process with a message naming the variable instead of running half-configured.

Reading them has no side effect: the data folder, the generated secret key and STATIC_ROOT are
created by the start-up step (`kliento.startup.prepare_data_dir`) that the `kliento` command, the
WSGI module and the test setup run first. This module imports no app.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import dj_database_url
from dj_database_url import DBConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from kliento.conf_checks import is_currency_code
from kliento.startup import MissingSecretKey, data_dir, read_secret_key, static_root

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_region(name: str, default: str) -> str:
    import phonenumbers

    raw = os.environ.get(name) or default
    if raw.strip().upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise ImproperlyConfigured(
            f"{name} must be a two-letter country code such as PL, got {raw!r}"
        )
    return raw.strip().upper()


def env_currency(name: str, default: str) -> str:
    raw = os.environ.get(name) or default
    if not is_currency_code(raw.strip().upper()):
        raise ImproperlyConfigured(
            f"{name} must be an ISO 4217 currency code such as EUR, got {raw!r}"
        )
    return raw.strip().upper()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        # What Django's deployment check asks for (security.W009).
        if len(key) < 50 or len(set(key)) < 5:
            raise ImproperlyConfigured(
                "SECRET_KEY must be at least 50 characters long, with at least 5 different "
                'characters; generate one with: python3 -c "import secrets; '
                'print(secrets.token_urlsafe(50))"'
            )
        return key
    # Embedded mode: the key the start-up step generated beside the database.
    stored = read_secret_key(DATA_DIR)
    if stored:
        return stored
    # Not an error yet: `kliento --help` needs no key. Signing anything says what to do.
    return cast(str, MissingSecretKey(DATA_DIR))


def _database() -> DBConfig:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{DATA_DIR / 'kliento.sqlite3'}"
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        # WAL lets the in-process worker write while the web server reads.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            # SQLite has one writer at a time. A write waits this long for the lock, then the
            # caller is told to try again (503) instead of hanging while an import is saved
            # (docs/decisions/0011-a-busy-database-answers-503.md).
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 5, minimum=1),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        }
    elif engine != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite")
    config.setdefault("TEST", {})
    if os.environ.get("TEST_DATABASE_NAME"):
        config["TEST"]["NAME"] = os.environ["TEST_DATABASE_NAME"]
    return config


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_HTTPS_PROXY", False) else None
)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# HTTPS only (docs/deployment.md): redirect plain HTTP, then tell browsers to never try it again.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# A load balancer's plain-HTTP health probe must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Scripts, styles, images and fonts only from Kliento itself: an injected <script> or inline
# handler does not run. Templates use data attributes read by static/kliento.js instead of inline
# script; only style attributes (bar widths) may be inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The API docs page from its own static files (not a CDN the Content-Security-Policy refuses).
    "ninja",
    "kliento.core",
    "kliento.imports",
    "kliento.clients",
    "kliento.metrics",
    "kliento.activities",
    "kliento.journeys",
    "kliento.touchpoints",
    "kliento.standards",
    "kliento.processes",
    "kliento.policy",
    "kliento.surveys",
    "kliento.desk",
    "kliento.quality",
    "kliento.motivation",
    "kliento.team",
    "kliento.mentions",
    # A company's own apps plug in without editing Kliento: they register their menu entries,
    # pages, roles and the rest from their AppConfig.ready() (docs/architecture.md).
    *env_list("KLIENTO_EXTRA_APPS", []),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kliento.core.middleware.DatabaseBusyMiddleware",
    "kliento.core.middleware.ApiMethodNotAllowedMiddleware",
    # Staff accounts (docs/configuration.md#staff-accounts): idle and absolute session expiry,
    # the second factor, and failed-login lockout (django-axes wants to be last).
    "kliento.core.sessions.SessionExpiryMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kliento.core.two_factor.TwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kliento.urls"
# Django's form renderer, its commonest widgets written in Python (core/form_renderer.py).
FORM_RENDERER = "kliento.core.form_renderer.QuickRenderer"
WSGI_APPLICATION = "kliento.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kliento.core.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {"default": _database()}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Embedded mode: sessions live in files beside the database, not in it, so logging in needs
    # no share of SQLite's single write lock and works while an import is being saved. They stay
    # on the server (logging out ends them), unlike signed-cookie sessions
    # (docs/decisions/0011-a-busy-database-answers-503.md). The folder is made on first login.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "sessions"),
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: after KLIENTO_LOGIN_FAILURE_LIMIT wrong passwords for one username the login
# is refused for KLIENTO_LOGIN_COOLOFF_MINUTES (an administrator can unlock sooner). Counting
# by username protects an account from guessing spread over many addresses and does not lock
# the office's shared address; "username_ip" counts per username and address instead.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KLIENTO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KLIENTO_LOGIN_COOLOFF_MINUTES", 15, minimum=1))


def env_lockout_by(name: str, default: str) -> list[str | list[str]]:
    raw = (os.environ.get(name) or default).strip().lower()
    if raw == "username":
        return ["username"]
    if raw == "username_ip":
        return [["username", "ip_address"]]
    raise ImproperlyConfigured(f"{name} must be username or username_ip, got {raw!r}")


AXES_LOCKOUT_PARAMETERS = env_lockout_by("KLIENTO_LOGIN_LOCKOUT_BY", "username")
# axes.W006 warns that a lockout without the address can be dodged by changing the user agent
# or cookies; counting by username alone counts neither, so it does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not extend it: the cool-off always ends.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "kliento.core.lockout.lockout_response"
# Behind the proxy the client is the address it appended to X-Forwarded-For (the last entry).
KLIENTO_BEHIND_PROXY = env_bool("BEHIND_HTTPS_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "kliento.core.lockout.client_ip"
# Only the failures are logged (AccessAttempt); successful logins are in last_login.
AXES_DISABLE_ACCESS_LOG = True
AXES_HANDLER = "kliento.core.axes_handler.BusyTolerantAxesHandler"

# Two-factor authentication (TOTP apps and one-time backup codes).
OTP_TOTP_ISSUER = os.environ.get("KLIENTO_TOTP_ISSUER", "Kliento")

# Sessions end after KLIENTO_SESSION_IDLE_MINUTES without a request and, whatever the activity,
# KLIENTO_SESSION_MAX_HOURS after the login (kliento.core.sessions). Changing one's password
# ends one's other sessions (Django's session hash).
KLIENTO_SESSION_IDLE_SECONDS = env_int("KLIENTO_SESSION_IDLE_MINUTES", 60, minimum=1) * 60
KLIENTO_SESSION_MAX_AGE_SECONDS = env_int("KLIENTO_SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = KLIENTO_SESSION_MAX_AGE_SECONDS

# Password reset by e-mail: requests per hour from one address and for one e-mail address.
KLIENTO_PASSWORD_RESET_PER_HOUR = env_int("KLIENTO_PASSWORD_RESET_PER_HOUR", 5, minimum=1)
# Days a rejected candidate's personal data is kept before the team app erases it (GDPR).
KLIENTO_CANDIDATE_RETENTION_DAYS = env_int("KLIENTO_CANDIDATE_RETENTION_DAYS", 180, minimum=1)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("uk", "Українська"), ("pl", "Polski")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = static_root()
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Whitenoise serves files straight from the apps' static folders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG


def _mailers() -> dict[str, dict[str, Any]]:
    """Outgoing mail: SMTP when EMAIL_HOST is set, otherwise printed to the console."""
    # Read before looking at EMAIL_HOST, so a typo is reported even while mail is not set up.
    use_tls = env_bool("EMAIL_USE_TLS", False)
    use_ssl = env_bool("EMAIL_USE_SSL", False)
    port = env_int("EMAIL_PORT", 25, minimum=1)
    if use_tls and use_ssl:
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
    if not os.environ.get("EMAIL_HOST"):
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["EMAIL_HOST"],
                "port": port,
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": use_tls,
                "use_ssl": use_ssl,
            },
        }
    }


MAILERS = _mailers()
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kliento@localhost")


def env_base_url(name: str) -> str:
    raw = (os.environ.get(name) or "").strip().rstrip("/")
    if raw and not raw.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"{name} must start with https:// or http://, such as https://kliento.example.com"
        )
    return raw


# The address people open Kliento at, for links in e-mails (a worker knows no request's host).
KLIENTO_BASE_URL = env_base_url("KLIENTO_BASE_URL")

# Surveys: whether an e-mailed survey needs the client's recorded consent to e-mail (otherwise
# only a refusal stops it), and how many requests one address may make to the public survey
# pages per minute (one link: a third of that).
KLIENTO_SURVEYS_NEED_CONSENT = env_bool("KLIENTO_SURVEYS_NEED_CONSENT", False)
KLIENTO_SURVEYS_RATE_PER_MINUTE = env_int("KLIENTO_SURVEYS_RATE_PER_MINUTE", 60, minimum=1)

# The service desk's public web form: messages accepted per hour from one IP address and for
# one e-mail address.
KLIENTO_DESK_CONTACT_PER_IP = env_int("KLIENTO_DESK_CONTACT_PER_IP", 10, minimum=1)
KLIENTO_DESK_CONTACT_PER_EMAIL = env_int("KLIENTO_DESK_CONTACT_PER_EMAIL", 5, minimum=1)

# Uploads larger than this are refused before parsing (import files, attachments).
KLIENTO_MAX_UPLOAD_BYTES = env_int("KLIENTO_MAX_UPLOAD_MB", 50, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest file attached to a process step's result.
KLIENTO_MAX_ATTACHMENT_BYTES = env_int("KLIENTO_MAX_ATTACHMENT_MB", 10, minimum=1) * 1024 * 1024
# Limits on an import file, checked while it is read (a file past one is refused, saying which).
KLIENTO_IMPORT_MAX_ROWS = env_int("KLIENTO_IMPORT_MAX_ROWS", 1_000_000, minimum=1)
KLIENTO_IMPORT_MAX_COLUMNS = env_int("KLIENTO_IMPORT_MAX_COLUMNS", 500, minimum=1)
KLIENTO_IMPORT_MAX_CELL_CHARS = env_int("KLIENTO_IMPORT_MAX_CELL_CHARS", 32_767, minimum=1)
KLIENTO_IMPORT_MAX_UNCOMPRESSED_MB = env_int("KLIENTO_IMPORT_MAX_UNCOMPRESSED_MB", 500, minimum=1)
KLIENTO_IMPORT_MAX_COMPRESSION_RATIO = env_int(
    "KLIENTO_IMPORT_MAX_COMPRESSION_RATIO", 200, minimum=10
)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Portrait facts not verified for this many days are shown as "confirm at next contact".
KLIENTO_PORTRAIT_MAX_AGE_DAYS = env_int("KLIENTO_PORTRAIT_MAX_AGE_DAYS", 180, minimum=1)
# Read notifications older than this are deleted by `kliento prune_notifications`.
KLIENTO_NOTIFICATION_RETENTION_DAYS = env_int("KLIENTO_NOTIFICATION_RETENTION_DAYS", 180, minimum=1)

# Region used to read phone numbers written without a country code.
KLIENTO_DEFAULT_REGION = env_region("KLIENTO_DEFAULT_REGION", "PL")
KLIENTO_DEFAULT_CURRENCY = env_currency("KLIENTO_DEFAULT_CURRENCY", "PLN")
KLIENTO_PAGE_SIZE = env_int("KLIENTO_PAGE_SIZE", 25, minimum=1)
# How churn decides a client is lost (kliento.metrics): 0 = when marked as left (the default);
# N > 0 = after N days without a purchase (or left, if that comes first).
KLIENTO_CHURN_INACTIVE_DAYS = env_int("KLIENTO_CHURN_INACTIVE_DAYS", 0)
# Predictive CLV (kliento.metrics.clv): months ahead it covers, and the annual discount rate in
# per cent that brings later purchases back to today's money.
KLIENTO_CLV_HORIZON_MONTHS = env_int("KLIENTO_CLV_HORIZON_MONTHS", 12, minimum=1)
KLIENTO_CLV_DISCOUNT_PERCENT = env_int("KLIENTO_CLV_DISCOUNT_PERCENT", 10)
# Survey metrics from fewer answers than this are marked indicative.
KLIENTO_METRICS_MIN_N = env_int("KLIENTO_METRICS_MIN_N", 30, minimum=1)

# Service desk e-mail (docs/service-desk-mail.md): the largest inbound message, attachment
# types refused (the endpoint answers 552/554; IMAP mail is kept as "rejected"), whether new
# cases are acknowledged with their number, and the address replies come from.
KLIENTO_MAIL_MAX_BYTES = env_int("KLIENTO_MAIL_MAX_MB", 25, minimum=1) * 1024 * 1024
KLIENTO_MAIL_BLOCKED_EXTENSIONS = env_list(
    "KLIENTO_MAIL_BLOCKED_EXTENSIONS",
    [".exe", ".bat", ".cmd", ".com", ".scr", ".pif", ".js", ".jse", ".vbs", ".vbe", ".wsf",
     ".msi", ".jar", ".ps1", ".hta", ".cpl", ".lnk"],
)  # fmt: skip
KLIENTO_DESK_ACKNOWLEDGE = env_bool("KLIENTO_DESK_ACKNOWLEDGE", True)
KLIENTO_DESK_FROM_EMAIL = os.environ.get("KLIENTO_DESK_FROM_EMAIL") or DEFAULT_FROM_EMAIL
# The largest file an agent, the API or the web form may attach to a case message.
KLIENTO_DESK_MAX_ATTACHMENT_BYTES = (
    env_int("KLIENTO_DESK_MAX_ATTACHMENT_MB", 25, minimum=1) * 1024 * 1024
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every start and failed login at INFO; lockouts are warnings (and audited).
    "loggers": {"axes": {"level": "WARNING"}},
}
