"""Production-like settings for the benchmark: DEBUG off, cached templates, persistent connections.

Served over plain HTTP on loopback (no TLS redirect). The bench starts its own Redis (REDIS_URL) for
the cache and broker, and its own database file or PostgreSQL (DATABASE_URL).
"""

import os

from lms.settings.base import *  # noqa: F403
from lms.settings.base import DATABASES

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bench-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
DATABASES["default"]["CONN_MAX_AGE"] = 600
AXES_ENABLED = False  # thousands of logins from one address in seconds are the load, not an attack
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
