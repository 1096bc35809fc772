"""Kizuna settings, all read from the environment (KIZUNA_*, DATABASE_URL, REDIS_URL).

Every setting may also be given as NAME_FILE pointing at a file holding the value (for secrets).
"""

import os
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _


def env(name, default=None):
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def owner_only(path, *, folder):
    """Create (or tighten) a folder or file that only Kizuna's own user may read: the data folder holds the
    database, uploaded HR files and mail."""
    if folder:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))  # an empty file is an empty SQLite database
    if path.stat().st_uid == os.getuid():
        path.chmod(0o700 if folder else 0o600)
    return path


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = owner_only(Path(env("KIZUNA_DATA_DIR", Path.cwd() / "data")).resolve(), folder=True)


def _secret_key():
    key = env("KIZUNA_SECRET_KEY")
    if key:
        return key
    # The embedded mode keeps a generated key in the data folder so sessions survive restarts.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("KIZUNA_DEBUG")
DEMO = env_bool("KIZUNA_DEMO")
TESTING = env_bool("KIZUNA_TESTING") or "pytest" in sys.modules
HTTPS = env_bool("KIZUNA_HTTPS")
ALLOWED_HOSTS = [h.strip() for h in env("KIZUNA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")]
CSRF_TRUSTED_ORIGINS = [o for o in env("KIZUNA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# The address in email links; without it, this machine on the port `kizuna run` listens on.
SITE_URL = env("KIZUNA_SITE_URL", f"http://localhost:{os.environ.get('PORT', '8000')}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Kizuna's apps first: their templates override allauth's.
    "kizuna.core",
    "kizuna.members",
    "kizuna.directory",
    "kizuna.notifications",
    "kizuna.jobs",
    "kizuna.events",
    "kizuna.groups",
    "kizuna.moderation",
    "kizuna.feed",
    "kizuna.chat",
    "kizuna.api",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_countries",  # only for its translated country names (profile locations)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "kizuna.members.middleware.MemberStateMiddleware",
]

ROOT_URLCONF = "kizuna.urls"
ASGI_APPLICATION = "kizuna.asgi.application"

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
                "kizuna.core.context_processors.network",
            ],
        },
    },
]

# Database: SQLite (WAL) in the data folder unless DATABASE_URL is given.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # SQLite gives its -wal and -shm files the database file's permissions.
            "NAME": owner_only(DATA_DIR / "kizuna.sqlite3", folder=False),
            "OPTIONS": {
                # IMMEDIATE avoids "database is locked" upgrades when web and worker both write.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # Memory-mapped reads and a larger page cache: the directory's search reads thousands of
                # index rows per query at 250,000 members (see docs/benchmarks.md).
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32000;",
            },
            # Tests use a file as well: threads sharing an in-memory database take table locks that ignore the
            # busy timeout, so concurrency tests (tests/events/test_concurrency.py) would not see real SQLite.
            "TEST": {"NAME": str(DATA_DIR / "test.sqlite3")},
            # Connections are kept: chat sockets run a query per message on Channels' database thread, which
            # would otherwise open the file and run the PRAGMAs above each time (docs/benchmarks.md, chat).
            "CONN_MAX_AGE": 600,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
if REDIS_URL and TESTING and os.environ.get("PYTEST_XDIST_WORKER"):
    # Each test clears the cache (FLUSHDB): parallel test workers get a Redis database each (gw0 → +0, gw1 → +1).
    _redis = urlsplit(REDIS_URL)
    _number = int(_redis.path.strip("/") or 0) + int(os.environ["PYTEST_XDIST_WORKER"].removeprefix("gw"))
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_number}"))
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Web and worker are separate processes: a file cache lets them share settings and rate limits.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": owner_only(DATA_DIR / "cache", folder=True)}}
# Posting rate limits: counted where every web process counts together (Redis), else in the memory of the one
# web process the embedded mode runs (the worker never posts). A file cache costs a file write per count:
# the chat socket checks the limit for every message (docs/benchmarks.md, chat).
CACHES["rates"] = ({**CACHES["default"]} if REDIS_URL
                   else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kizuna-rates"})

# Chat notices between ASGI processes: in memory within the one process of the default mode, Redis when
# scaled out (the in-memory layer does not reach sockets held by another process). Redis pub/sub rather than
# channels_redis's list-per-channel layer: a notice is published once and each process hands it to its own
# sockets in memory (one Redis message per process instead of one per socket), and a socket's group
# membership never expires. Pub/sub delivers at most once, which notices allow: a socket that misses one
# catches up on the next notice, its sync or its reconnect (chat/realtime.py).
if REDIS_URL:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                                  "CONFIG": {"hosts": [REDIS_URL], "prefix": "kizuna-chat"}}}
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "kizuna.chat.layers.InMemoryChannelLayer"}}

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email-only accounts.
ACCOUNT_ADAPTER = "kizuna.members.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
# The open sign-up is the employee path (company domains only); adding an address later is not limited.
ACCOUNT_FORMS = {"signup": "kizuna.members.forms.EmployeeSignupForm", "login": "kizuna.members.forms.LoginForm"}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # like Kizuna's own mail: the sender's name says where it comes from
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # Alumni applications (/apply/): generous for a shared office, tight enough for scripted abuse.
    "apply": "10/h/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Kizuna"
# Accept the previous and next 30-second code too (RFC 6238 §5.2): phone clocks drift and a code
# typed at the end of its window would otherwise be refused.
MFA_TOTP_TOLERANCE = 1
# Admins must have TOTP except in the demo network (see members.middleware).
KIZUNA_ADMIN_MFA_REQUIRED = not DEMO and env_bool("KIZUNA_ADMIN_MFA_REQUIRED", True)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kizuna.formats"]
TIME_ZONE = env("KIZUNA_TIME_ZONE", "Asia/Tokyo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploaded HR files: never served over HTTP.
    "private": {"BACKEND": "kizuna.core.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
PRIVATE_ROOT = owner_only(DATA_DIR / "private", folder=True)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
KIZUNA_IMPORT_MAX_BYTES = int(env("KIZUNA_IMPORT_MAX_BYTES", 50 * 1024 * 1024))

# Email: the local outbox (readable by admins) unless SMTP is configured.
DEFAULT_FROM_EMAIL = env("KIZUNA_FROM_EMAIL", "Kizuna <no-reply@localhost>")
EMAIL_HOST = env("KIZUNA_SMTP_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(env("KIZUNA_SMTP_PORT", 587))
    EMAIL_HOST_USER = env("KIZUNA_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = env("KIZUNA_SMTP_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("KIZUNA_SMTP_TLS", True)
else:
    EMAIL_BACKEND = "kizuna.core.mail.OutboxBackend"

# Security headers. Cookies are Secure and HSTS is sent when served over TLS (KIZUNA_HTTPS=1).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_SSL_REDIRECT = env_bool("KIZUNA_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("KIZUNA_LOG_LEVEL", "WARNING")},
}
