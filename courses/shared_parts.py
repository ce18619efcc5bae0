"""What serving a course page needs that is the same for every worker, kept per content version.

Serving a lesson means finding the site and the page, checking its view restrictions, and building
the parts every worker sees alike (the rendered lesson, its course's lessons in order, the
published FAQs beside it, the course's final check); only progress and questions are the worker's
own. All of that changes only when someone edits content, so each process keeps it in memory
under a *content version*: a token in the shared cache that any save or delete of course content
replaces (at once, and again after the transaction commits, so no process keeps what it built from
a half-written change), read once per request. Entries also expire after `MEMO_SECONDS`, which
bounds staleness if a change was made while the cache was unreachable; with the cache down
nothing is kept.
"""

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.safestring import SafeString
from wagtail.images.models import AbstractImage
from wagtail.models import Page, PageViewRestriction, Site

CONTENT_VERSION_KEY = "courses:content-version"
MEMO_SECONDS = 60.0
MEMO_MAX_ENTRIES = 2000


@dataclass(frozen=True)
class PageLink:
    pk: int
    title: str
    url: str


@dataclass(frozen=True)
class FAQItem:
    question: str
    answer_html: SafeString
    language: str


@dataclass(frozen=True)
class LessonShared:
    course: PageLink
    lessons: tuple[PageLink, ...]
    faqs: tuple[FAQItem, ...]
    body_html: SafeString
    extras: dict
    title: str
    summary: str
    language: str  # the language the lesson's words are in (the source's when not translated)
    status: str  # `courses.translations.Status`
    actions: dict[str, str]  # where the page's scripts and forms send to: open, heartbeat, complete, ask


T = TypeVar("T")
_version_in_request: ContextVar[tuple[str | None] | None] = ContextVar("content_version", default=None)
_memo: OrderedDict[tuple, tuple[str, float, Any]] = OrderedDict()
_memo_lock = threading.Lock()  # the server's threads share the memo: one reorders while another evicts


def content_version() -> str | None:
    """The current content version, or None when the shared cache cannot be reached."""
    held = _version_in_request.get()
    if held is not None:
        return held[0]
    version = cache.get(CONTENT_VERSION_KEY)
    if version is None:
        cache.add(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(CONTENT_VERSION_KEY)
    return version


@contextmanager
def one_version():
    """Read the content version once for everything looked up inside (a request being served)."""
    token = _version_in_request.set((content_version(),))
    try:
        yield
    finally:
        _version_in_request.reset(token)


def content_changed() -> None:
    """Give course content a new version now, and again once the current transaction commits."""
    _version_in_request.set(None)
    cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None))


# What the shared parts are built from; apps above courses add theirs with `watch` (e.g. a course's check).
_content_models: list[type] = [Page, PageViewRestriction, Site, AbstractImage]


def watch(model: type) -> None:
    """Give course content a new version whenever a row of `model` is saved or deleted."""
    if model not in _content_models:
        _content_models.append(model)


def _on_change(sender, instance, **kwargs) -> None:
    if isinstance(instance, tuple(_content_models)):
        content_changed()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="courses.shared_parts.save")
    post_delete.connect(_on_change, dispatch_uid="courses.shared_parts.delete")


def memoised(key: tuple, build: Callable[[], T]) -> T:
    """`build()`'s result from this process's memory while the content version stands, else anew."""
    version = content_version()
    if version is None:
        return build()
    now = time.monotonic()
    with _memo_lock:
        entry = _memo.get(key)
        if entry is not None and entry[0] == version and entry[1] > now:
            _memo.move_to_end(key)
            return entry[2]
    value = build()
    if value is None:  # nothing found (e.g. an unknown URL): not worth keeping, or random URLs fill memory
        return value
    with _memo_lock:
        _memo[key] = (version, now + MEMO_SECONDS, value)
        _memo.move_to_end(key)
        while len(_memo) > MEMO_MAX_ENTRIES:  # the least recently used go first
            _memo.popitem(last=False)
    return value


def site_for_request(request) -> Site | None:
    """Wagtail's site for the request, its root page already specific (two queries fewer a page)."""

    def build() -> Site | None:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    return memoised(("site", request._get_raw_host(), request.get_port()), build)
