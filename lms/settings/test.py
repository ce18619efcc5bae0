"""The test suite: fast hashing, mail kept in memory, a private media folder."""

import atexit
import base64
import os
import secrets
import shutil
import tempfile

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR

SECRET_KEY = "test-only-not-secret"
# This run's credential signing key, in the environment so the servers the tests start sign with it too.
os.environ.setdefault("LADDER_CREDENTIAL_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _temporary_folder(prefix: str) -> str:
    """A folder for this run, removed when the run ends: nothing is left behind in the temp directory."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


MEDIA_ROOT = _temporary_folder("ladder-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the live server and the in-process Celery worker use their own connections,
    # and WAL with a busy timeout lets them wait for each other as in production.
    # `make test-fast` keeps one test database between runs (with --reuse-db); otherwise each run has its
    # own, removed at the end.
    keep = os.environ.get("LADDER_TEST_DB_KEEP") == "1"
    folder = os.path.join(VAR_DIR, "test-fast") if keep else _temporary_folder("ladder-test-db-")
    os.makedirs(folder, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(folder, "test.sqlite3")}
AXES_FAILURE_LIMIT = 3
LADDER_SERVE_MEDIA = True
WAGTAILADMIN_BASE_URL = "http://testserver"
CELERY_TASK_ALWAYS_EAGER = os.environ.get("LADDER_CELERY_EAGER", "0") == "1"
# Unit tests cache in memory (as Redis would); the integration tests point the cache at a real Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = _temporary_folder("ladder-test-static-")
LADDER_PUBLIC_URL = "http://testserver"
# No learning record store unless a test connects one.
LADDER_XAPI_ENDPOINT = ""
