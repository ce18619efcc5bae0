from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from lms.models import WorkerProfile


def worker_for_user(*, user: AbstractBaseUser | AnonymousUser) -> WorkerProfile | None:
    """The signed-in user's worker profile, or None for staff and anonymous visitors."""
    if not user.is_authenticated:
        return None
    try:
        return user.worker
    except WorkerProfile.DoesNotExist:
        return None


def worker_local_date(*, worker: WorkerProfile, at: datetime | None = None) -> date:
    """The calendar day it is (or was at `at`) where the worker lives."""
    return timezone.localtime(at or timezone.now(), worker.tz).date()


def weekly_goal_minutes(*, worker: WorkerProfile) -> int:
    """The worker's weekly learning goal: their own override, else their team's default."""
    if worker.weekly_goal_minutes is not None:
        return worker.weekly_goal_minutes
    return worker.team.default_weekly_goal_minutes if worker.team_id else 90
