"""Production: secrets and hosts must come from the environment; fail fast when they don't."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
# No silent fallback to SQLite on localhost or to a default host list: say what is missing and stop.
for _name in ("DATABASE_URL", "DJANGO_ALLOWED_HOSTS"):
    if not os.environ.get(_name):
        raise ImproperlyConfigured(f"Set {_name}: production settings have no default for it.")
# Behind one reverse proxy unless told otherwise; the client address comes from X-Forwarded-For.
LADDER_TRUSTED_PROXIES = int(os.environ.get("LADDER_TRUSTED_PROXIES", "1"))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
LADDER_WEBHOOK_ALLOW_LOOPBACK = env_bool("LADDER_WEBHOOK_ALLOW_LOOPBACK", False)
LADDER_CREDENTIAL_KEY_REQUIRED = True
