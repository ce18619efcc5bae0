from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone

from assignment.models import WorkResult
from careerpaths.models import CareerStatus, Promotion
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
    if records.get(this_week, (False, 0))[0]:
        return records[this_week][1]
    return records.get(last_week, (False, 0))[1]


def accuracy_recent(
    *, worker: WorkerProfile, days: int, now: datetime | None = None
) -> tuple[Decimal | None, int]:
    """Task-weighted accuracy over every task type for work ending in the last `days`, and the task count."""
    since = (now or timezone.now()) - timedelta(days=days)
    totals = WorkResult.objects.filter(worker=worker, period_end__gt=since).aggregate(
        tasks=Sum("tasks_completed"), weighted=Sum(F("accuracy") * F("tasks_completed"))
    )
    if not totals["tasks"]:
        return None, 0
    return (Decimal(totals["weighted"]) / totals["tasks"]).quantize(Decimal("0.0001")), totals["tasks"]


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
