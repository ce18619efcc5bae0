"""The team week's table, kept rendered until what it shows changes.

A team of a hundred workers is a hundred rows of twelve weeks each: building and rendering them is
nearly all of the page's time, and what they show changes only when the rollup rewrites weekly records,
a worker's career status moves, or someone edits a worker, an account, a team or a career level. Each
of those gives a new *version* (a token in the shared cache): the team's own version for records and
career statuses, everyone's for the rest (rare edits). A table is kept under the versions it was built
with, for one manager, team, week, order and language, so a change shows on the next request. Tokens
are replaced at once and again after the transaction commits, so no table built from a half-written
change outlives it. A table is kept at most TABLE_SECONDS, which bounds staleness if a change was made
while the cache was unreachable; with the cache down nothing is kept and the page is built each time.
"""

import uuid
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from careerpaths.models import CareerLevel, CareerStatus
from lms import events
from lms.models import Team, WorkerProfile

TABLE_SECONDS = 600
EVERYONE = "manage:team-week:everyone"
T = TypeVar("T")


def _team_key(team_id: int) -> str:
    return f"manage:team-week:team:{team_id}"


def _versions(team_id: int) -> tuple[str, str] | None:
    """The team's version and everyone's, or None when the shared cache cannot be reached."""
    keys = [_team_key(team_id), EVERYONE]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in keys:
            if key not in found:
                cache.add(key, uuid.uuid4().hex, timeout=None)
        found = cache.get_many(keys)
        if len(found) < len(keys):
            return None
    return found[keys[0]], found[keys[1]]


def kept(*, user_id: int, team_id: int, week: date, sort: str, language: str, build: Callable[[], T]) -> T:
    """`build()`'s result as kept for these versions, else built now and kept."""
    versions = _versions(team_id)
    if versions is None:
        return build()
    parts = [str(user_id), str(team_id), week.isoformat(), sort, language, *versions]
    key = ":".join(["manage:team-week:table", *parts])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout=TABLE_SECONDS)
    return value


def _replace(keys: list[str]) -> None:
    cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)


def changed(*, team_ids: Iterable[int | None] = (), everyone: bool = False) -> None:
    """New versions for these teams (or everyone's) now, and again once the current transaction commits."""
    keys = [_team_key(team_id) for team_id in set(team_ids) if team_id is not None]
    keys += [EVERYONE] if everyone else []
    if keys:
        _replace(keys)
        transaction.on_commit(lambda: _replace(keys))


def _records_changed(event: events.WeeklyRecordsChanged) -> None:
    teams = WorkerProfile.objects.filter(pk__in=event.worker_ids).values_list("team_id", flat=True).distinct()
    changed(team_ids=list(teams))


def _career_changed(sender, instance: CareerStatus, **kwargs) -> None:
    # The worker is on the status wherever careers are recomputed; otherwise, rather than a query, everyone.
    if CareerStatus.worker.is_cached(instance):
        changed(team_ids=[instance.worker.team_id])
    else:
        changed(everyone=True)


def _people_changed(sender, instance, update_fields=None, **kwargs) -> None:
    if sender is get_user_model() and update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a sign-in shows nowhere on the table
    changed(everyone=True)


def connect() -> None:
    phase = events.Phase.IN_TRANSACTION
    events.subscribe(events.WeeklyRecordsChanged, _records_changed, phase=phase, order=90)
    post_save.connect(_career_changed, sender=CareerStatus, dispatch_uid="team_week_cache.career.save")
    post_delete.connect(_career_changed, sender=CareerStatus, dispatch_uid="team_week_cache.career.delete")
    for model in (get_user_model(), WorkerProfile, Team, CareerLevel):
        uid = f"team_week_cache.{model._meta.label_lower}"
        post_save.connect(_people_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_people_changed, sender=model, dispatch_uid=f"{uid}.delete")
