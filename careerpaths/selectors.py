from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from careerpaths.models import CareerStatus, Promotion
from lms import measures
from lms.models import WeeklyRecord, WorkerProfile
from lms.selectors import week_of


def streak_now(*, worker: WorkerProfile, now: datetime | None = None) -> int:
    """Weeks in a row meeting the goal: this week's streak once met, else the one that ended last week."""
    this_week = week_of(worker=worker, at=now)
    last_week = this_week - timedelta(days=7)
    records = {
        week: (met, streak)
        for week, met, streak in WeeklyRecord.objects.filter(
            worker=worker, week__in=[this_week, last_week]
        ).values_list("week", "goal_met", "streak")
    }
    return measures.streak_now(this_week=records.get(this_week), last_week=records.get(last_week))


def accuracy_recent(
    *, worker: WorkerProfile, days: int, now: datetime | None = None
) -> tuple[Decimal | None, int]:
    """Task-weighted accuracy over every task type, and the task count, from the worker's weekly records
    of the weeks that overlap the last `days` days (work counts from the week it ended in)."""
    first_week = week_of(worker=worker, at=(now or timezone.now()) - timedelta(days=days))
    totals = WeeklyRecord.objects.filter(worker=worker, week__gte=first_week).aggregate(
        tasks=Sum("tasks_done"), weighted=Sum("accuracy_weighted")
    )
    return measures.task_weighted_accuracy(totals["weighted"], totals["tasks"]), totals["tasks"] or 0


def career_for_worker(*, worker: WorkerProfile) -> CareerStatus | None:
    return CareerStatus.objects.filter(worker=worker).select_related("level", "next_level", "path").first()


def promotions_for_worker(*, worker: WorkerProfile) -> list[Promotion]:
    return list(
        Promotion.objects.filter(worker=worker).select_related("from_level", "to_level", "decided_by")[:20]
    )


# How far back the readiness sweep looks for weekly records newer than the readiness computed from them.
SWEEP_WINDOW = timedelta(days=2)


def readiness_behind_records(*, limit: int = 2000) -> list[int]:
    """Workers whose weekly records changed after their readiness was last computed (a lost batch)."""
    newer = WeeklyRecord.objects.filter(
        worker=OuterRef("pk"),
        updated_at__gte=timezone.now() - SWEEP_WINDOW,
        updated_at__gt=OuterRef("career__computed_at"),
    )
    behind = WorkerProfile.objects.filter(Exists(newer), career__isnull=False).order_by("pk")
    return list(behind.values_list("pk", flat=True)[:limit])
