"""Vitrine's one settings module, configured through environment variables (12-factor)."""

import os
import stat
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent

env = environ.Env()
ENV_FILE = Path(env("ENV_FILE", default=str(BASE_DIR / ".env")))
environ.Env.read_env(ENV_FILE)

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)


def _owner_only(directory: Path) -> None:
    """Keep the SQLite file, uploads and whatever else lies below `directory` from other
    users of the machine; a directory of someone else's is left as it is."""
    info = directory.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        directory.chmod(0o700)


_owner_only(VAR_DIR)

DEBUG = env.bool("DEBUG", default=False)
# One key for every host of an installation, kept apart from the data: it signs review links
# and sessions and salts API tokens and survey participation hashes.
SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        legacy_hint = (
            f" {VAR_DIR / 'secret_key'} holds the key an earlier version generated: "
            "`make secret-key` moves it into .env."
            if (VAR_DIR / "secret_key").exists()
            else ""
        )
        raise ImproperlyConfigured(
            f"SECRET_KEY is not set. Set it in the environment or in {ENV_FILE}; "
            "`make secret-key` writes a generated one into .env. All hosts of one "
            f"installation need the same key (see docs/configuration.md).{legacy_hint}"
        )
    SECRET_KEY = "django-insecure-vitrine-development-only"  # DEBUG only, never deployed
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# HTTPS hardening is on whenever DEBUG is off; `make run` serves plain http on the
# loopback address and turns it off explicitly with HTTPS=false.
HTTPS = env.bool("HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind the company's reverse proxy: it terminates TLS and appends the client's address to
# X-Forwarded-For; PROXY_COUNT proxies in a row each append one.
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
PROXY_COUNT = env.int("PROXY_COUNT", default=1)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"  # Wagtail previews override this for themselves

INSTALLED_APPS = [
    "vitrine.audiences",
    "vitrine.portal",
    "vitrine.catalog",
    "vitrine.figures",
    "vitrine.outreach",
    "vitrine.excerpts",
    "vitrine.api",
    "vitrine.improvements",
    "vitrine.surveys",
    "ninja",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
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
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The reader's chosen language or LANGUAGE_CODE, never Accept-Language alone (admin: Django's).
    "vitrine.portal.language.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "vitrine.portal.security.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "vitrine.portal.ids.IdRangeMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vitrine.urls"
WSGI_APPLICATION = "vitrine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "vitrine.audiences.context_processors.audiences",
                "vitrine.portal.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'vitrine.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Avoid "database is locked" when a read transaction upgrades to a write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # secure_delete: deleted rows (answers waiting in a survey pool) are overwritten,
            # not left in free pages.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://vitrine")}
# What every worker process must see alike (the anonymous survey rate limit): the default
# cache when it is shared (Redis), else files under var/.
CACHES["shared"] = env.cache(
    "SHARED_CACHE_URL",
    default=env("CACHE_URL", default="") or f"filecache://{VAR_DIR / 'cache'}",
)

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Lizenzmanagement <lizenzmanagement@localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Django's Tasks API: Wagtail enqueues its own index updates on "default", which stays
# immediate so search and references never go stale without a worker. Our long work
# (mail, large imports) goes to "background", a database queue served by `make worker`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": env(
            "BACKGROUND_TASK_BACKEND", default="django_tasks_db.backend.DatabaseBackend"
        ),
        "QUEUES": [],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Readers sign in on the portal's own page; Wagtail sends readers of private pages there too.
LOGIN_URL = "portal:login"
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Login limits (django-axes) on every login form: the reader's, Wagtail's and Django's admin.
# After LOGIN_FAILURE_LIMIT failures one account is locked for the address they came from,
# for LOGIN_COOLOFF_MINUTES after the last attempt. Only failures are stored (account name,
# address, time) and a successful login deletes them; successful logins are not logged.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "vitrine.portal.logins.client_address"
AXES_USERNAME_CALLABLE = "vitrine.portal.logins.attempted_username"
AXES_LOCKOUT_CALLABLE = "vitrine.portal.logins.lockout_response"

LANGUAGE_CODE = env("LANGUAGE_CODE", default="de")
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded import files wait here for the background task; never served.
PRIVATE_IMPORT_ROOT = Path(env("PRIVATE_IMPORT_ROOT", default=str(VAR_DIR / "imports")))
# The largest figures import file accepted, by the admin and the API alike (bytes). The API
# answers 413 before reading a body that declares more.
VITRINE_IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=512 * 1024 * 1024)
# WhiteNoise serves the collected static files compressed (gzip; Brotli too where the brotli
# package is installed) and lets browsers cache the hashed ones for ten years. Pages stay
# uncompressed on purpose: GZipMiddleware on responses that carry a CSRF token opens them to
# BREACH; a proxy in front may compress what it judges safe.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=DEBUG)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = env("SITE_NAME", default="Vitrine")
# The portal's address as readers reach it: the root of every absolute link (exports, feeds,
# mails; vitrine.portal.links). `check --deploy` fails while it is unset or local.
BASE_URL = env("BASE_URL", default="")
WAGTAILADMIN_BASE_URL = BASE_URL or "http://127.0.0.1:8000"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("de", "Deutsch")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # German stemming: "Anträge" finds "Antrag", "genehmigt" finds "Genehmigung".
    # The fuzzy fallback (pg_trgm) keeps only words at least this similar to a typo.
    WAGTAILSEARCH_BACKENDS["default"].update(
        {"SEARCH_CONFIG": "german", "FUZZY_SIMILARITY_THRESHOLD": 0.5}
    )
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatars fetched from outside the company
# The last approval of a workflow publishes, so reviewers need no publish right of their own.
WAGTAIL_FINISH_WORKFLOW_ACTION = "vitrine.portal.workflow_actions.workflow_state_publish"
WAGTAILEMBEDS_FINDERS = []  # nothing is loaded from outside the company
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Documents only through Wagtail's view, which checks their collection's privacy; MEDIA_ROOT
# serves image renditions and the corporate font only (vitrine.portal.views.media).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "csv",
    "txt",
    "woff2",
    "woff",
    "ttf",
    "otf",
]

# Vitrine
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks), e.g. 10.0.0.5.
VITRINE_TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# New surveys take signed-in readers only; on once readers sign in through single sign-on.
VITRINE_SURVEYS_SIGNED_IN_ONLY = env.bool("SURVEYS_SIGNED_IN_ONLY", default=False)
# Answers to a survey open to everyone: this many per survey and client address per hour.
VITRINE_SURVEY_ANONYMOUS_RATE = env.int("SURVEY_ANONYMOUS_RATE", default=20)
VITRINE_TEAM_LEAD_EMAIL = env("TEAM_LEAD_EMAIL", default="")
VITRINE_REVIEW_WARNING_DAYS = env.int("REVIEW_WARNING_DAYS", default=14)
VITRINE_REVIEW_GRACE_DAYS = env.int("REVIEW_GRACE_DAYS", default=30)
VITRINE_REVIEW_REMINDER_INTERVAL_DAYS = env.int("REVIEW_REMINDER_INTERVAL_DAYS", default=7)
VITRINE_REVIEW_LINK_MAX_AGE_DAYS = env.int("REVIEW_LINK_MAX_AGE_DAYS", default=60)
VITRINE_CATALOG_IMPORT_MAX_BYTES = env.int("CATALOG_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
# Bounds on every tabular import (catalog and figures), whatever the file declares. Rows are
# data rows per file (a CSV's lines count); products and series per figures import; a workbook
# (XLSX) is parsed in a child process limited to this memory and time, and refused when its
# parts unpack to more than this.
VITRINE_IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=20_000_000)
VITRINE_IMPORT_MAX_PRODUCTS = env.int("IMPORT_MAX_PRODUCTS", default=5000)
VITRINE_IMPORT_MAX_SERIES = env.int("IMPORT_MAX_SERIES", default=20_000)
VITRINE_IMPORT_XLSX_MEMORY_MB = env.int("IMPORT_XLSX_MEMORY_MB", default=256)
VITRINE_IMPORT_XLSX_SECONDS = env.int("IMPORT_XLSX_SECONDS", default=6)
VITRINE_IMPORT_XLSX_MAX_UNPACKED_MB = env.int("IMPORT_XLSX_MAX_UNPACKED_MB", default=200)
# Seconds a previewed figures import waits to be started before its file (it names people)
# is deleted by the background worker.
VITRINE_IMPORT_PREVIEW_MAX_AGE = env.int("IMPORT_PREVIEW_MAX_AGE", default=3600)
# Plausibility of a figures import: a figure that moves by more than this share of its value
# (percentages: this many hundred percentage points) warns, and so does a file with fewer than
# this share of the rows or products of the last import of its format.
VITRINE_IMPORT_PLAUSIBLE_CHANGE = env.float("IMPORT_PLAUSIBLE_CHANGE", default=0.5)
VITRINE_IMPORT_PLAUSIBLE_COVERAGE = env.float("IMPORT_PLAUSIBLE_COVERAGE", default=0.5)
# Fewest requests a lead time or a share is stated from; below it pages show the count and
# that it is too few for a statement, never a median, a percentile or a share.
VITRINE_MIN_SAMPLE = env.int("MIN_SAMPLE", default=10)

# Content-Security-Policy: strict for readers (nonces, no inline script); the Wagtail
# admin renders inline scripts and gets its own policy in vitrine.portal.security.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
