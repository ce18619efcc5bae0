from datetime import date, datetime, time, timedelta

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


def week_of(*, worker: WorkerProfile, at: datetime | None = None) -> date:
    """The Monday that starts the worker's ISO week at `at` (default now), in their time zone."""
    day = worker_local_date(worker=worker, at=at)
    return day - timedelta(days=day.weekday())


def week_bounds(*, worker: WorkerProfile, week: date) -> tuple[datetime, datetime]:
    """The aware instants where the week starting on Monday `week` begins and ends for the worker."""
    start = datetime.combine(week, time.min, tzinfo=worker.tz)
    return start, datetime.combine(week + timedelta(days=7), time.min, tzinfo=worker.tz)
