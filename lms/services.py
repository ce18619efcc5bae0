from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.db import transaction
from django.utils import timezone
from wagtail import hooks

from lms import roles
from lms.models import LearningEvent, Team, WorkerProfile


def learning_event_record(
    *,
    worker: WorkerProfile,
    kind: str,
    occurred_at: datetime | None = None,
    seconds: int = 0,
    subject_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> LearningEvent:
    """Append one event to the worker's learning log, inside the caller's transaction."""
    return LearningEvent.objects.create(
        worker=worker,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        seconds=seconds,
        subject_id=subject_id,
        data=data or {},
    )


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> AbstractUser:
    """Create a login in one of the role groups (admins are also Django superusers)."""
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_superuser,
        is_superuser=is_superuser,
    )
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@transaction.atomic
def worker_create(
    *,
    username: str,
    email: str,
    password: str,
    external_id: str,
    team: Team | None = None,
    time_zone: str = "UTC",
    language: str = "en",
    first_name: str = "",
    last_name: str = "",
) -> WorkerProfile:
    """Create a worker: a login in the Workers group and the profile the work system knows."""
    user = user_create(
        username=username,
        email=email,
        password=password,
        role=roles.WORKERS,
        first_name=first_name,
        last_name=last_name,
    )
    worker = WorkerProfile.objects.create(
        user=user, external_id=external_id, team=team, time_zone=time_zone, language=language
    )
    # Later apps set up what a new worker needs (e.g. eligibility) in the same transaction.
    for hook in hooks.get_hooks("worker_created"):
        hook(worker=worker)
    return worker


def worker_lock(*, worker_id: int) -> WorkerProfile:
    """Lock the worker's row for the rest of the transaction; serialises their concurrent writes."""
    return WorkerProfile.objects.select_for_update().get(pk=worker_id)


def team_goal_set(*, team: Team, minutes: int) -> Team:
    """The team's default weekly learning goal; this week's records follow it at the next rollup."""
    team.default_weekly_goal_minutes = minutes
    team.save(update_fields=["default_weekly_goal_minutes"])
    return team


def worker_goal_set(*, worker: WorkerProfile, minutes: int | None) -> WorkerProfile:
    """A worker's own weekly goal, or None to follow the team's."""
    worker.weekly_goal_minutes = minutes
    worker.save(update_fields=["weekly_goal_minutes"])
    return worker
