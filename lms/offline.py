"""The installable app: the files every page needs offline, their version, and what the page says."""

import hashlib
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Cached when the service worker installs: what any page of Ladder loads.
SHELL_STATIC = (
    "css/ladder.css",
    "django_htmx/htmx-2.min.js",
    "js/queue.js",
    "js/errors.js",
    "js/lesson.js",
    "js/bbox.js",
    "js/offline.js",
    "icons/ladder-192.png",
)
SERVICE_WORKER_TEMPLATE = "lms/service_worker.js"


def shell() -> tuple[dict[str, str], str]:
    """The shell's files by name → URL (hashed names in production), and a version that changes with
    any of them or with the service worker itself, so a deploy replaces the caches of the last one."""
    return _shell_build() if settings.DEBUG else _shell_kept()


@cache
def _shell_kept() -> tuple[dict[str, str], str]:
    return _shell_build()


def _shell_build() -> tuple[dict[str, str], str]:
    digest = hashlib.sha256()
    urls = {}
    for name in SHELL_STATIC:
        urls[name] = staticfiles_storage.url(name)
        with open(finders.find(name), "rb") as file:
            digest.update(file.read())
    digest.update(get_template(SERVICE_WORKER_TEMPLATE).template.source.encode())
    return urls, digest.hexdigest()[:16]


def status_words() -> dict[str, str]:
    """What the write queue tells the worker, in their language (see static/js/queue.js)."""
    return {
        # The six shipped languages say "1" one way and every other count another way.
        "one": _waiting(1),
        "many": _waiting(2),
        "offline": _(
            "You are offline. What you do here is kept on this phone and sent when you are back online."
        ),
        "dropped": _("A change you made while offline could not be saved: %(reason)s"),
        "submit_offline": _(
            "You are offline. Your answers are kept on this phone: finish when you are back online."
        ),
    }


def _waiting(count: int) -> str:
    """The sentence for `count` changes waiting, with %(count)s left for the page to fill in."""
    return ngettext(
        "%(count)s change will be sent when you are back online.",
        "%(count)s changes will be sent when you are back online.",
        count,
    )
