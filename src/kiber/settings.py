"""Django settings. The embedded default is SQLite under ./var; ``DATABASE_URL`` switches to PostgreSQL.

``KIBER_ENV=production`` turns on the deployment hardening that ``manage.py check --deploy`` expects.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("KIBER_VAR_DIR", Path.cwd() / "var"))
PRODUCTION = os.environ.get("KIBER_ENV") == "production"
(VAR_DIR / "static").mkdir(parents=True, exist_ok=True)

DEVELOPMENT_SECRET = "dev-only-insecure-key-change-me-in-production-0123456789"


def require_strong_secret(name: str, value: str) -> None:
    """Production refuses a missing, default or guessable key (Django's own bar: 50 characters, 5 distinct)."""
    if value.startswith(("dev-only", "django-insecure")) or len(value) < 50 or len(set(value)) < 5:
        raise RuntimeError(
            f"{name} must be a random value of at least 50 characters when KIBER_ENV=production "
            '(e.g. python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )


SECRET_KEY = os.environ.get("KIBER_SECRET_KEY", DEVELOPMENT_SECRET)
# The audit chain's HMAC key (issue 10, finding 6): outside the database, so that whoever can write the
# database cannot recompute the hashes of a rewritten chain. Its own value, not the secret key's: a key
# rotation of the sessions must not break the audit log.
AUDIT_KEY = os.environ.get("KIBER_AUDIT_KEY", "dev-only-audit-key-change-me-in-production-9876543210")
if PRODUCTION:
    require_strong_secret("KIBER_SECRET_KEY", SECRET_KEY)
    require_strong_secret("KIBER_AUDIT_KEY", AUDIT_KEY)
    if AUDIT_KEY == SECRET_KEY:
        raise RuntimeError("KIBER_AUDIT_KEY must differ from KIBER_SECRET_KEY")
# Signed checkpoints of the chain heads (`kiber audit checkpoint`), one JSON line each; copy the file off
# the machine (or point this at a mounted remote store) so that a rewrite of the database and of this
# machine together is still caught.
AUDIT_CHECKPOINTS = Path(os.environ.get("KIBER_AUDIT_CHECKPOINTS", VAR_DIR / "audit" / "checkpoints.jsonl"))
# Debug is opt-in in every mode (its pages show the URL map and tracebacks).
DEBUG = os.environ.get("KIBER_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("KIBER_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver").split(",")

INSTALLED_APPS = [
    "kiber.embedded",  # first: its runserver replaces staticfiles'
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "kiber.web",
    "kiber.audit",
    "kiber.jobs",
    "kiber.registry",
    "kiber.assets",
    "kiber.compliance",
    "kiber.incidents",
    "kiber.plans",
    "kiber.supervision",
    "kiber.governance",
]

MIDDLEWARE = [
    "kiber.observability.RequestContextMiddleware",
    "kiber.api.middleware.ApiRequestsMiddleware",  # /api/v1/ takes KIBER_API_MIDDLEWARE only
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kiber.web.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kiber.web.middleware.LatvianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kiber.web.middleware.IdleSessionMiddleware",
    "kiber.web.middleware.SecondFactorRequiredMiddleware",
    "kiber.web.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

# What an API call (/api/v1/) runs: HTTPS redirect and HSTS, the session and its user (the browser's own
# calls; Ninja checks their CSRF token itself), the second factor (VerifiedSessionAuth asks it), the idle
# sign-out (with the message it leaves for the next page) and the language (messages of some endpoints are
# translated). Nothing else of MIDDLEWARE does anything for a machine client's JSON request.
KIBER_API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kiber.web.middleware.LatvianFirstLocaleMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kiber.web.middleware.IdleSessionMiddleware",
]

ROOT_URLCONF = "kiber.urls"
WSGI_APPLICATION = "kiber.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kiber.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'kiber.sqlite3'}", conn_max_age=int(os.environ.get("KIBER_CONN_MAX_AGE", "60"))
    )
}
# A connection kept across requests is checked before reuse: after a database restart the first
# request reconnects instead of failing.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded default serves concurrent requests (runserver: a thread each), so SQLite must queue
    # writers instead of failing with "database is locked": every transaction takes the write lock when
    # it begins (IMMEDIATE; a deferred one that reads, then writes, fails at once when another writer got
    # in between, whatever the timeout), a writer waits up to `timeout` seconds for the lock, and WAL
    # lets readers go on while one writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
    }

if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Server-side parameters, and statements a connection runs repeatedly prepared once (after 5 runs) instead
    # of parsed and planned on every request (issue 11). Off behind PgBouncer in transaction mode before 1.21,
    # where the next transaction may run on another server connection that lacks the prepared statement:
    # KIBER_DB_PREPARED_STATEMENTS=0 (Django's default then: parameters bound client-side, nothing prepared).
    if os.environ.get("KIBER_DB_PREPARED_STATEMENTS", "1") == "1":
        DATABASES["default"].setdefault("OPTIONS", {}).update({"server_side_binding": True, "prepare_threshold": 5})

AUTH_USER_MODEL = "registry.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kiber.registry.passwords.PasswordHistoryValidator"},  # none of the last 5 again
]
# A password reset link is valid for two hours (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 2 * 3600
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

# django-axes: lock a username+address pair out after repeated failures (issue 2: brute force).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kiber.web.errors.lockout"  # the styled 429 page
# How many reverse proxies in front of Kiber append to X-Forwarded-For (0: none, the header is ignored).
# axes and the API's failure limit key on the address this yields (kiber.web.proxies.client_address).
KIBER_TRUSTED_PROXIES = int(os.environ.get("KIBER_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "kiber.web.proxies.client_address"
# Failed API token authentications per client address before 429, and the window they are counted in.
KIBER_API_AUTH_FAILURE_LIMIT = int(os.environ.get("KIBER_API_AUTH_FAILURE_LIMIT", "20"))
KIBER_API_AUTH_FAILURE_WINDOW = int(os.environ.get("KIBER_API_AUTH_FAILURE_WINDOW", "600"))  # seconds
CSRF_FAILURE_VIEW = "kiber.web.errors.csrf_failure"

LANGUAGE_CODE = "lv"
LANGUAGES = [("lv", "Latviešu"), ("en", "English")]
# Source strings are Latvian (the first language); each app's locale/en catalogue gives the English.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Riga"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# WhiteNoise serves static files with DEBUG off too; the embedded mode finds them in the apps, so
# `make run` needs no collectstatic (production serves the collected, compressed copies).
WHITENOISE_USE_FINDERS = not PRODUCTION
# Stored files have no URL (the storage refuses to make one): only views that check the caller's right
# to the object serve them, through kiber.web.files.download.
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "kiber.web.files.ProtectedStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Stored files go to an S3-compatible object store when KIBER_S3_BUCKET is set (filesystem otherwise);
# credentials from KIBER_S3_ACCESS_KEY/KIBER_S3_SECRET_KEY or boto3's usual chain (AWS_*, instance role).
if os.environ.get("KIBER_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "kiber.web.object_storage.ProtectedS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["KIBER_S3_BUCKET"],
            "endpoint_url": os.environ.get("KIBER_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("KIBER_S3_REGION") or None,
            "access_key": os.environ.get("KIBER_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("KIBER_S3_SECRET_KEY") or None,
            "location": os.environ.get("KIBER_S3_PREFIX", ""),
        },
    }
# A checked download's body may be left to the front server: "x-accel" (nginx, X-Accel-Redirect to
# PREFIX + stored name, an `internal` location aliased to MEDIA_ROOT) or "x-sendfile" (the file's path).
PROTECTED_FILES = os.environ.get("KIBER_PROTECTED_FILES", "")
PROTECTED_FILES_PREFIX = os.environ.get("KIBER_PROTECTED_FILES_PREFIX", "")
if PROTECTED_FILES not in ("", "x-accel", "x-sendfile"):
    raise RuntimeError("KIBER_PROTECTED_FILES must be empty, 'x-accel' or 'x-sendfile'")
if PROTECTED_FILES and os.environ.get("KIBER_S3_BUCKET"):
    raise RuntimeError("KIBER_PROTECTED_FILES serves files from MEDIA_ROOT; with KIBER_S3_BUCKET leave it empty")
if PROTECTED_FILES == "x-accel" and not PROTECTED_FILES_PREFIX.startswith("/"):
    raise RuntimeError("KIBER_PROTECTED_FILES=x-accel needs KIBER_PROTECTED_FILES_PREFIX, e.g. /protected/")
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Entry into force of regulation 22-TA-3183 (Cabinet Regulation No. 397 of 25 June 2025): the draft leaves the
# date open, and the transition deadlines of ch. 9 (p. 164, 168) count from it.
KIBER_REGULATION_IN_FORCE = os.environ.get("KIBER_REGULATION_IN_FORCE", "2025-06-25")

EMAIL_BACKEND = os.environ.get("KIBER_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("KIBER_FROM_EMAIL", "kiber@localhost")

# The cache holds short-lived counters (the API's failure limit). Several web processes must share it:
# set KIBER_CACHE_URL (redis://...) in production; the embedded default keeps it in the process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["KIBER_CACHE_URL"]}
    if os.environ.get("KIBER_CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# How background jobs run (kiber.jobs): thread (embedded default), celery (production), inline, off.
# KIBER_INCIDENTS_BACKGROUND is the variable's former name, still read.
KIBER_JOBS_BACKEND = os.environ.get("KIBER_JOBS_BACKEND") or os.environ.get("KIBER_INCIDENTS_BACKGROUND") or "thread"
if KIBER_JOBS_BACKEND not in ("thread", "celery", "inline", "off"):
    raise RuntimeError("KIBER_JOBS_BACKEND must be thread, celery, inline or off")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "0") == "1"
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("KIBER_CELERY_QUEUE", "kiber")
# Tasks are acknowledged after they ran and taken one at a time: a worker that dies takes no queued
# task with it. What a killed task was doing is found again in the database by the next sweep.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The deadline sweep runs hourly on beat; KIBER_SWEEP_EVERY_SECONDS shortens it (tests, drills).
KIBER_SWEEP_EVERY_SECONDS = float(os.environ.get("KIBER_SWEEP_EVERY_SECONDS", "0"))
CELERY_TIMEZONE = TIME_ZONE

# A session ends after this much inactivity: shorter for the roles with a second factor (supervisors and
# administrators see every subject), and at the latest SESSION_COOKIE_AGE after sign-in.
SESSION_IDLE_MINUTES_SECOND_FACTOR = int(os.environ.get("KIBER_SESSION_IDLE_MINUTES_SECOND_FACTOR", "30"))
SESSION_IDLE_MINUTES = int(os.environ.get("KIBER_SESSION_IDLE_MINUTES", "240"))
SESSION_COOKIE_AGE = int(os.environ.get("KIBER_SESSION_MAX_HOURS", "12")) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("KIBER_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs go to standard output, one JSON object per line in production (KIBER_LOG_FORMAT=json|text),
# each with the id of the request (or Celery task) it belongs to.
LOG_FORMAT = os.environ.get("KIBER_LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kiber.observability.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "kiber.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("KIBER_LOG_LEVEL", "WARNING")},
}
# GET /metrics (Prometheus) answers only this bearer token; unset, the endpoint does not exist.
KIBER_METRICS_TOKEN = os.environ.get("KIBER_METRICS_TOKEN", "")
