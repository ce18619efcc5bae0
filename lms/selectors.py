from datetime import date, datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from lms.measures import goal_met, goal_percent, streak_now
from lms.models import ConsentRecord, WeeklyRecord, WorkerFacts, WorkerProfile


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
    team_default = worker.team.default_weekly_goal_minutes if worker.team_id else None
    return goal_minutes(own=worker.weekly_goal_minutes, team_default=team_default)


def goal_minutes(*, own: int | None, team_default: int | None) -> int:
    """A weekly learning goal from a worker's override and their team's default (90 without a team)."""
    if own is not None:
        return own
    return 90 if team_default is None else team_default


def week_of(*, worker: WorkerProfile, at: datetime | None = None) -> date:
    """The Monday that starts the worker's ISO week at `at` (default now), in their time zone."""
    day = worker_local_date(worker=worker, at=at)
    return day - timedelta(days=day.weekday())


def week_bounds(*, worker: WorkerProfile, week: date) -> tuple[datetime, datetime]:
    """The aware instants where the week starting on Monday `week` begins and ends for the worker."""
    start = datetime.combine(week, time.min, tzinfo=worker.tz)
    return start, datetime.combine(week + timedelta(days=7), time.min, tzinfo=worker.tz)


def learning_week_for_worker(*, worker: WorkerProfile, at: datetime | None = None) -> dict:
    """This week's learning against the goal, and the streak, from the weekly records (one query)."""
    this_week = week_of(worker=worker, at=at)
    last_week = this_week - timedelta(days=7)
    records = {r.week: r for r in WeeklyRecord.objects.filter(worker=worker, week__in=[this_week, last_week])}
    current, last = records.get(this_week), records.get(last_week)
    goal = current.goal_minutes if current else weekly_goal_minutes(worker=worker)
    minutes = current.minutes_learned if current else 0
    return {
        "minutes": minutes,
        "goal": goal,
        "percent": goal_percent(minutes=minutes, goal=goal),
        "met": goal_met(minutes=minutes, goal=goal),
        "streak": streak_now(
            this_week=(current.goal_met, current.streak) if current else None,
            last_week=(last.goal_met, last.streak) if last else None,
        ),
        "updated_at": current.updated_at if current else None,
    }


def worker_facts(*, worker: WorkerProfile) -> WorkerFacts:
    """The worker's answers to the impact questions (an unsaved empty row when they have none)."""
    return WorkerFacts.objects.filter(worker=worker).first() or WorkerFacts(worker=worker)


def consent_history(*, worker: WorkerProfile) -> list[ConsentRecord]:
    """When the worker gave or withdrew consent, newest first."""
    return list(ConsentRecord.objects.filter(worker=worker).order_by("-at", "-id")[:20])
