"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LADDER_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, low: int, high: int) -> int:
    text = os.environ.get(name, "").strip() or str(default)
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {text!r}.")
    return int(text)


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "ninja",  # the API docs' Swagger UI from our own static files
    "lms",
    "courses",
    "assessments",
    "assignment",
    "careerpaths",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    "django_htmx",
    "template_partials",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
]
# Widgets render with the project's template settings, so widget templates can live in templates/.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.middleware.WorkerTimeZoneMiddleware",
    "lms.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

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
            ],
        },
    },
]

# SQLite is the embedded default: WAL lets readers run beside the writer, the busy timeout
# waits for a lock instead of failing, and IMMEDIATE takes the write lock at BEGIN so two
# writers never deadlock upgrading a read lock.
SQLITE_PATH = VAR_DIR / "ladder.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # The few reads made on every request are prepared on PostgreSQL (`lms.rows.prepared`): Django's own
    # cursors bind on the client and never prepare, so nothing else changes. Off for a connection pooler
    # that hands a session's statements to another (PgBouncer before 1.21, in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions signed in before WorkerModelBackend existed name ModelBackend: it stays, so they stay valid.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lms.backends.WorkerModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions are read from the shared cache, and from the database when it misses or is unreachable.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock out one username from one address only, so nobody can lock a worker out from elsewhere.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address, read behind LADDER_TRUSTED_PROXIES proxies (production sets one): lockouts are
# per username *and* address, so nobody can lock a worker out from elsewhere.
AXES_CLIENT_IP_CALLABLE = "lms.client.client_address"
LADDER_TRUSTED_PROXIES = int(os.environ.get("LADDER_TRUSTED_PROXIES", "0"))
# Failed logins from one address, whatever the usernames, before it must wait (a centre shares one
# address, so this is well above one person's limit).
LADDER_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LADDER_LOGIN_FAILURES_PER_ADDRESS", "30"))
LADDER_LOGIN_FAILURE_WINDOW = 15 * 60

LANGUAGE_CODE = "en"
# The languages a worker can choose, each named in itself. Unknown codes fall back to English.
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("mg", "Malagasy"),
    ("bn", "বাংলা"),
    ("hi", "हिन्दी"),
    ("sw", "Kiswahili"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Courses, lessons and FAQs are translated with wagtail-localize into the same languages; the English
# tree is the source and what every URL names (a worker gets their language's approved translation).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Starting a translation makes a draft: a worker sees it only once an expert approved it (published).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LANGUAGE_COOKIE_NAME = "ladder_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("LADDER_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6390/0")
CACHES = {
    "default": {
        "BACKEND": "lms.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}

# Celery: JSON only; a task is acknowledged after it ran and requeued if its worker dies, which is
# safe because every task takes ids and is idempotent. Publishing gives up fast so a broken Redis
# never holds a request: the database row is the record, and beat sweeps pick up what was missed.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 0.5,
    # Publishing tries the broker once more at once, then gives up (the worker reconnects on its own terms).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
# Webhook sends wait on other people's servers: they have their own queue and workers, so a slow
# receiver never delays the rollup, recomputes or notifications.
CELERY_TASK_ROUTES = {
    "assignment.tasks.webhook_deliver": {"queue": "webhooks"},
    "assignment.tasks.xapi_send": {"queue": "webhooks"},
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "notify-answered-questions": {
        "task": "courses.tasks.question_notifications_sweep",
        "schedule": crontab(minute="*/10"),
    },
    "close-overdue-attempts": {
        "task": "assessments.tasks.attempts_close_overdue",
        "schedule": 60.0,
    },
    "expire-badges": {"task": "assessments.tasks.badges_expire_due", "schedule": crontab(minute="*/5")},
    "sign-credentials": {"task": "assessments.tasks.credentials_sign_due", "schedule": crontab(minute="*/5")},
    "send-due-webhooks": {"task": "assignment.tasks.webhooks_send_due", "schedule": 30.0},
    "send-due-xapi-statements": {"task": "assignment.tasks.xapi_send", "schedule": 30.0},
    "recompute-stale-eligibility": {
        "task": "assignment.tasks.eligibility_sweep",
        "schedule": crontab(minute="*/15"),
    },
    "recompute-stalled-readiness": {
        "task": "careerpaths.tasks.readiness_sweep",
        "schedule": crontab(minute="3-59/15"),
    },
    "warn-expiring-badges": {
        "task": "assessments.tasks.badges_warn_expiring",
        "schedule": crontab(hour=6, minute=0),
    },
    "weekly-rollup": {"task": "lms.tasks.weekly_rollup", "schedule": crontab(minute=7)},
    "clear-expired-sessions": {
        "task": "lms.tasks.sessions_clear",
        "schedule": crontab(hour=3, minute=17),
    },
    "forget-old-write-ids": {"task": "lms.tasks.client_writes_prune", "schedule": crontab(hour=3, minute=41)},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Ladder <noreply@ladder.example>")

WAGTAIL_SITE_NAME = "Ladder"
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests, in the admin either
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["pdf", "mp3", "mp4", "webm", "ogg", "wav"]
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "wagtail.tasks": {"level": "WARNING"},
    },
}

# Open Badges: the public address badge documents are published at, and the issuer's name.
LADDER_PUBLIC_URL = os.environ.get("LADDER_PUBLIC_URL", "http://127.0.0.1:8000")
LADDER_ISSUER_NAME = os.environ.get("LADDER_ISSUER_NAME", "Ladder")
LADDER_ISSUER_EMAIL = os.environ.get("LADDER_ISSUER_EMAIL", "badges@ladder.example")
# The Ed25519 key that signs Open Badges 3.0 credentials: LADDER_CREDENTIAL_KEY (the key itself) or this
# file, written by `manage.py credential_key_create` (`make run` does it on first start). Never committed.
LADDER_CREDENTIAL_KEY_FILE = os.environ.get("LADDER_CREDENTIAL_KEY_FILE", str(VAR_DIR / "credential-key.pem"))
# Production refuses to start without a readable key (assessments.apps).
LADDER_CREDENTIAL_KEY_REQUIRED = False
# Weekly records are kept from this day on: older (or far-future) rows are skipped and reported.
LADDER_RECORDS_START = os.environ.get("LADDER_RECORDS_START", "2020-01-01")
# Connections a PostgreSQL rollup spreads its workers over: the server sums each share on its own core.
LADDER_ROLLUP_CONNECTIONS = env_int("LADDER_ROLLUP_CONNECTIONS", 2, 1, 8)

# Webhook receivers: hosts that may resolve to private addresses (a receiver inside the company's own
# network), and whether loopback is allowed (development's local receivers; production says no).
LADDER_WEBHOOK_ALLOWED_HOSTS = env_list("LADDER_WEBHOOK_ALLOWED_HOSTS", "")
LADDER_WEBHOOK_ALLOW_LOOPBACK = env_bool("LADDER_WEBHOOK_ALLOW_LOOPBACK", True)
# A learning record store (xAPI 1.0.3) to send every learning event to: its base URL (statements go to
# <endpoint>/statements) and HTTP Basic credentials. Unset: nothing is sent, nothing is kept for it.
LADDER_XAPI_ENDPOINT = os.environ.get("LADDER_XAPI_ENDPOINT", "").strip().rstrip("/")
LADDER_XAPI_USERNAME = os.environ.get("LADDER_XAPI_USERNAME", "")
LADDER_XAPI_PASSWORD = os.environ.get("LADDER_XAPI_PASSWORD", "")
# Serve uploaded pictures from Django (the embedded setup and tests); behind a proxy, let it serve them.
LADDER_SERVE_MEDIA = env_bool("LADDER_SERVE_MEDIA", False)
