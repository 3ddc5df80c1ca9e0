"""
Settings for the Budapest Process meeting records.

One module for every environment: it runs on SQLite with no configuration, and
production differs only by environment variables (see the README).
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

# Where the admin lives; another address than the well-known /admin/ keeps most password-guessing bots away.
ADMIN_PATH = (os.environ.get("DJANGO_ADMIN_PATH", "").strip("/") or "admin") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # search vectors; harmless on SQLite
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "budapest",  # budapest/apps.py: signal receivers of the site's security
    "actors",
    "meetings",
]

MIDDLEWARE = [
    # Probes first: they answer before host checks and HTTPS redirects (budapest.health).
    "budapest.health.HealthCheckMiddleware",
    # gzip on the way out, outside the page cache; never a response that carries a secret (budapest.compression).
    "budapest.compression.PublicGZipMiddleware",
    # Stored pages for anonymous readers, with the headers the rest of the stack gave them (budapest.cache).
    "budapest.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "budapest.security.PermissionsPolicyMiddleware",
    # NUL and other control characters in an address or a parameter: 404 or 400, never a 500.
    "budapest.security.ControlCharacterMiddleware",
    # Under /api/, an error that is not JSON (the OpenAPI description's YAML, the docs page's HTML, Django's 404
    # page) is answered again in JSON with its "detail" (budapest.api.errors).
    "budapest.api.errors.JsonErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag and 304 for pages the page cache does not keep (it answers 304 for those it keeps).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A page takes GET and HEAD: any other method a 405, before the CSRF check would make it a 403.
    "budapest.security.ReadOnlyPagesMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Staff sessions end after an hour idle and after 12 hours in any case.
    "budapest.security.SessionTimeoutMiddleware",
    # A reader's database statements are cut off after PUBLIC_STATEMENT_TIMEOUT_MS (a 503), staff's are not.
    "budapest.timeouts.StatementTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "budapest.security.AdminAuditMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "budapest.urls"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "budapest.wsgi.application"

# SQLite by default; DATABASE_URL=postgres://... selects PostgreSQL (psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The passages' covering index (meetings.Passage.Meta) carries its columns on PostgreSQL; SQLite makes
    # it a plain index of the key, which is what it needs there.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a circuit breaker (budapest/postgresql/base.py): after a failed connection,
    # requests get a 503 at once for a few seconds instead of each waiting for the connect timeout.
    DATABASES["default"]["ENGINE"] = "budapest.postgresql"
    # A database that cannot be reached is answered 503 within seconds, not after the OS's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        # libpq's least is 2 s; a stopped server is refused at once.
        "connect_timeout",
        int(os.environ.get("DJANGO_DB_CONNECT_TIMEOUT", "2")),
    )

# No statement of a reader's request (anonymous or with a partner token) runs longer than this on
# PostgreSQL (budapest.timeouts): such a request is answered 503 rather than holding a worker.
PUBLIC_STATEMENT_TIMEOUT_MS = int(os.environ.get("DJANGO_PUBLIC_STATEMENT_TIMEOUT_MS", "3000"))
# Bulk exports (the Popolo document), built once per change and kept here (budapest.exports); any
# directory the app may write to, on each app server's own disk.
EXPORT_ROOT = Path(os.environ.get("DJANGO_EXPORT_ROOT", BASE_DIR / "var" / "exports"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Mail: the review's notices to Publishers and Editors (meetings.revisions). The console (the server's
# log) in development, SMTP (to localhost, or as its EMAIL_* settings say) in production, unless
# DJANGO_EMAIL_BACKEND names another backend.
_MAIL_BACKEND = "console" if DEBUG else "smtp"
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("DJANGO_EMAIL_BACKEND", f"django.core.mail.backends.{_MAIL_BACKEND}.EmailBackend"),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "records@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface is translated through locale/; English is complete, a Russian catalogue comes later.
LANGUAGES = [("en", "English"), ("ru", "Русский")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers per language: budapest/formats/<language>/formats.py over Django's own.
FORMAT_MODULE_PATH = ["budapest.formats"]
TIME_ZONE = "Europe/Vienna"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# Hashed static files (site.3f2a….css) are cached by browsers for a year (WhiteNoise marks them
# immutable); the few files without a hash in their name, for a day.
WHITENOISE_MAX_AGE = int(os.environ.get("DJANGO_STATIC_MAX_AGE", str(24 * 3600)))

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Meetings' documents, stored through the default storage. There is no MEDIA_URL on purpose: files are
# served by meetings.views.document, which checks that their meeting is public.
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media"))
DOCUMENT_MAX_BYTES = int(os.environ.get("DJANGO_DOCUMENT_MAX_BYTES", str(20 * 1024 * 1024)))

# The cache holds the API's throttle counts: Redis, shared by every worker, when REDIS_URL is set.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's Redis cache with a circuit breaker (budapest/redis_cache.py): an unreachable Redis
            # fails fast (pages from the database, a 503 where the cache is needed) rather than holding a worker.
            "BACKEND": "budapest.redis_cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "budapest"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.25")),
                "socket_timeout": float(os.environ.get("DJANGO_REDIS_TIMEOUT", "0.25")) * 2,
            },
        }
    }
    # Sessions in Redis, written through to the database: every app server sees them, and a Redis
    # restart signs nobody out. Only with a shared cache: a per-process cache would serve stale sessions.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (budapest/cache.py, docs/performance.md): pages for anonymous readers, all made stale
# by any committed change to the content. On by default with Redis, which every worker shares, and in
# development (one process); off with a per-process cache behind several workers, where a change
# seen by one worker would leave the others serving stale pages. DJANGO_PAGE_CACHE=on|off decides.
PAGE_CACHE_ENABLED = env_bool("DJANGO_PAGE_CACHE", bool(os.environ.get("REDIS_URL")) or DEBUG)
PAGE_CACHE_TIMEOUT = int(os.environ.get("DJANGO_PAGE_CACHE_TIMEOUT", str(24 * 3600)))
# The costly parts of a page (a meeting's summary) are rendered once per change of the content and kept in
# the default cache under the page cache's generation (budapest/fragments.py): on where that generation
# is shared, as for the page cache; DJANGO_FRAGMENT_CACHE=on|off decides.
FRAGMENT_CACHE_ENABLED = env_bool("DJANGO_FRAGMENT_CACHE", bool(os.environ.get("REDIS_URL")) or DEBUG)
# Pages rendered by another release are never served; set it (a commit id) or it is computed at start.
PAGE_CACHE_RELEASE = os.environ.get("DJANGO_PAGE_CACHE_RELEASE", "")
# With Redis, each worker learns of changes from a channel and serves a fresh page without asking
# Redis; what it knows is trusted this many seconds at most, a bound should a message be lost.
PAGE_CACHE_PUSH_MAX_AGE = float(os.environ.get("DJANGO_PAGE_CACHE_PUSH_MAX_AGE", "1"))

# The partner API (docs/api.md). Partners send "Authorization: Token <key>"; staff issue and revoke
# tokens in the admin. Rates are "<number>/<second|minute|hour|day>".
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The token first: a bad token is then answered 401 with a WWW-Authenticate header.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["budapest.api.permissions.ReadOnlyOrStaffWithModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": ["budapest.api.filters.FilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "budapest.api.pagination.PageNumberPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "budapest.api.renderers.CSVRenderer"],
    "DEFAULT_PARSER_CLASSES": ["budapest.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "budapest.api.negotiation.ContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["budapest.api.throttles.AnonymousThrottle", "budapest.api.throttles.PartnerThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_ANON_RATE", "60/minute"),
        "partner": os.environ.get("API_PARTNER_RATE", "600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "budapest.api.schema.AutoSchema",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Budapest Process records API",
    "DESCRIPTION": (
        "The public record of the Budapest Process: meetings, participations, interventions, countries, "
        "organisations, people and the priority goals, in JSON or CSV. Anyone may read published records; "
        "partners send `Authorization: Token <key>` for a higher rate. See docs/api.md for examples."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ActorKindEnum": "actors.models.Actor.Kind",
        "OrganisationKindEnum": "actors.models.Actor.OrganisationKind",
        "MeetingStatusEnum": "meetings.models.Meeting.Status",
        "MeetingFormatEnum": "meetings.models.Meeting.Format",
        "RoleEnum": "meetings.models.Participation.Role",
        "PassageKindEnum": "meetings.models.Passage.Kind",
        "DocumentKindEnum": "meetings.models.Document.Kind",
    },
}

# Logs go to stderr; in production as JSON lines (budapest/logging.py), DJANGO_LOG_FORMAT=text for plain lines.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "budapest.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes announces itself at every start; its sign-in failures and lockouts are warnings.
    "loggers": {"axes.apps": {"level": "WARNING"}},
}

# Security. Behind a load balancer that ends HTTPS, DJANGO_SECURE_PROXY_SSL_HEADER names the header it
# sets ("X-Forwarded-Proto", or "X-Forwarded-Proto: https"); set it only when the balancer overwrites
# that header on every request, or a client could claim HTTPS over plain HTTP.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    _header, _, _value = os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].partition(":")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _header.strip().upper().replace("-", "_"), _value.strip() or "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# The proxies (addresses or networks) whose X-Forwarded-For is believed for the API's throttles and the
# sign-in lockout (budapest.security.client_ip), and whose X-Forwarded-Proto gunicorn believes
# (deploy/gunicorn.conf.py). Loopback and a unix socket by default: nginx on the same machine.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", "127.0.0.1,::1")
[ipaddress.ip_network(_proxy, strict=False) for _proxy in TRUSTED_PROXIES]  # a typo fails at start

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
# Only staff have sessions. Idle an hour, or 12 hours after signing in, they must sign in again
# (budapest.security.SessionTimeoutMiddleware); the cookie itself lasts no longer than that.
SESSION_IDLE_TIMEOUT = int(os.environ.get("DJANGO_SESSION_IDLE_TIMEOUT", str(3600)))
SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("DJANGO_SESSION_ABSOLUTE_TIMEOUT", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Where signing in and out lead when `?next=` names no address of this site (Django refuses //evil.example,
# /\\evil.example, https:evil.example…): the admin, not Django's default /accounts/profile/ (no page here)
# or the sign-out address itself (a 405 to the browser's GET).
LOGIN_REDIRECT_URL = "admin:index"
LOGOUT_REDIRECT_URL = "admin:login"

if DEBUG:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("budapest.security.PermissionsPolicyMiddleware"),
        "budapest.security.DebugPagesWithoutCSPMiddleware",
    )

# Content Security Policy (Django's own middleware): scripts and styles come from the site itself or
# carry the request's nonce ({% csp_nonce_attr %} or {{ csp_nonce }}); nothing inline runs without it,
# and no other site may frame a page.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sign-in lockout (django-axes): 5 failed sign-ins for one username from one address lock that
# username at that address for an hour. Attempts are kept in the database, shared by every app server.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "budapest.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Locks are lifted with `manage.py axes_reset_username NAME` (or axes_reset); not in the admin, whose
# every registered model the admin tests open.
AXES_ENABLE_ADMIN = False
