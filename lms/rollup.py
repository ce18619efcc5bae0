"""The weekly rollup: learning events and work results become one WeeklyRecord per worker and ISO week.

Incremental from a watermark per source: only the worker-weeks touched by new rows are recomputed,
each from its source rows with one grouped query per time zone and week (set-based, never a Python
loop over events), then upserted. Every recomputed worker-week is rebuilt whole from the sources, so
running twice, or two runs at once, gives the same records. A worker whose time zone changed has all
their weeks rebuilt in the new zone.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone
from wagtail import hooks

from assignment.models import WorkResult
from lms.models import LearningEvent, RollupWatermark, WeeklyRecord, WorkerProfile
from lms.selectors import week_bounds, week_of, weekly_goal_minutes

logger = logging.getLogger(__name__)

Kind = LearningEvent.Kind
# Ids re-read below each watermark, so a row that committed after a later id was rolled up is not missed.
OVERLAP = 1000
WEEK = timedelta(days=7)
# Above this many workers in one time zone and week, aggregate the whole zone rather than list ids.
IDS_IN_QUERY = 500
COUNTED = [
    "minutes_learned",
    "lessons_completed",
    "attempts",
    "passes",
    "badges_earned",
    "questions_asked",
    "tasks_done",
    "minutes_worked",
    "accuracy",
    "goal_minutes",
    "goal_met",
    "time_zone",
]


@dataclass(frozen=True)
class RollupResult:
    worker_weeks: int
    workers: int


def _span_by_worker(rows) -> dict[int, tuple[str, datetime, datetime]]:
    return {row["worker_id"]: (row["worker__time_zone"], row["first"], row["last"]) for row in rows}


def _weeks_between(tz_name: str, first: datetime, last: datetime) -> list[date]:
    worker = WorkerProfile(time_zone=tz_name)
    return _week_range(week_of(worker=worker, at=first), week_of(worker=worker, at=last))


def _touched(since_event: int, since_result: int, since: datetime | None) -> dict[int, set[date]]:
    """Worker → weeks touched by events and results after the watermarks (or since a moment)."""
    events = LearningEvent.objects.all()
    results = WorkResult.objects.all()
    if since is not None:
        events, results = events.filter(occurred_at__gte=since), results.filter(period_end__gte=since)
    else:
        events, results = events.filter(pk__gt=since_event), results.filter(pk__gt=since_result)
    spans = [
        _span_by_worker(
            events.values("worker_id", "worker__time_zone")
            .annotate(first=Min("occurred_at"), last=Max("occurred_at"))
            .order_by()
        ),
        _span_by_worker(
            results.values("worker_id", "worker__time_zone")
            .annotate(first=Min("period_end"), last=Max("period_end"))
            .order_by()
        ),
    ]
    # A worker whose time zone changed: every week of theirs is rebuilt in the new zone.
    moved = set(
        WeeklyRecord.objects.exclude(time_zone=F("worker__time_zone")).values_list("worker_id", flat=True)
    )
    if moved:
        WeeklyRecord.objects.filter(worker_id__in=moved).delete()
        spans.append(
            _span_by_worker(
                LearningEvent.objects.filter(worker_id__in=moved)
                .values("worker_id", "worker__time_zone")
                .annotate(first=Min("occurred_at"), last=Max("occurred_at"))
                .order_by()
            )
        )
        spans.append(
            _span_by_worker(
                WorkResult.objects.filter(worker_id__in=moved)
                .values("worker_id", "worker__time_zone")
                .annotate(first=Min("period_end"), last=Max("period_end"))
                .order_by()
            )
        )
    touched: dict[int, set[date]] = defaultdict(set)
    for span in spans:
        for worker_id, (tz_name, first, last) in span.items():
            touched[worker_id].update(_weeks_between(tz_name, first, last))
    _bridge(touched)
    return touched


def _bridge(touched: dict[int, set[date]]) -> None:
    """Extend each worker's touched weeks to meet their existing records, so their weeks have no holes.

    A quiet week between two active ones gets a record too (nothing learned): streaks and charts read
    it as a missed week, and an incremental run gives the same records as a rebuild from scratch.
    """
    for chunk in _chunks(set(touched)):
        existing = (
            WeeklyRecord.objects.filter(worker_id__in=chunk)
            .values("worker_id")
            .annotate(first=Min("week"), last=Max("week"))
            .order_by()
        )
        for row in existing:
            weeks = touched[row["worker_id"]]
            low, high = min(weeks), max(weeks)
            if high < row["first"]:
                weeks.update(_week_range(high, row["first"]))
            if low > row["last"]:
                weeks.update(_week_range(row["last"], low))
    for weeks in touched.values():
        weeks.update(_week_range(min(weeks), max(weeks)))


def _week_range(first: date, last: date) -> list[date]:
    weeks = []
    while first <= last:
        weeks.append(first)
        first += WEEK
    return weeks


def _aggregate(tz_name: str, week: date, worker_ids: set[int]) -> tuple[dict, dict]:
    """Learning and work totals per worker for one time zone and week: two grouped queries."""
    start, end = week_bounds(worker=WorkerProfile(time_zone=tz_name), week=week)
    scope = Q(worker__time_zone=tz_name)
    if len(worker_ids) <= IDS_IN_QUERY:
        scope &= Q(worker_id__in=worker_ids)
    learning = (
        LearningEvent.objects.filter(scope, occurred_at__gte=start, occurred_at__lt=end)
        .values("worker_id")
        .annotate(
            seconds=Sum("seconds", filter=Q(kind=Kind.LEARNING_TIME)),
            lessons=Count("id", filter=Q(kind=Kind.LESSON_COMPLETED)),
            attempts=Count("id", filter=Q(kind=Kind.ATTEMPT_SUBMITTED)),
            passes=Count("id", filter=Q(kind=Kind.ATTEMPT_PASSED)),
            badges=Count("id", filter=Q(kind=Kind.BADGE_AWARDED)),
            questions=Count("id", filter=Q(kind=Kind.QUESTION_ASKED)),
        )
        .order_by()
    )
    work = (
        WorkResult.objects.filter(scope, period_end__gte=start, period_end__lt=end)
        .values("worker_id")
        .annotate(
            tasks=Sum("tasks_completed"),
            minutes=Sum("minutes_worked"),
            weighted=Sum(F("accuracy") * F("tasks_completed")),
        )
        .order_by()
    )
    return {row["worker_id"]: row for row in learning}, {row["worker_id"]: row for row in work}


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + IDS_IN_QUERY] for i in range(0, len(ordered), IDS_IN_QUERY)]


def _streaks(since: dict[int, date]) -> list[WeeklyRecord]:
    """Recount streaks from each worker's earliest recomputed week on: a week without a record breaks it."""
    changed = []
    for chunk in _chunks(set(since)):
        earliest = min(since[worker_id] for worker_id in chunk) - WEEK
        records = WeeklyRecord.objects.filter(worker_id__in=chunk, week__gte=earliest).order_by(
            "worker_id", "week"
        )
        previous: WeeklyRecord | None = None
        for record in records:
            if previous is not None and previous.worker_id != record.worker_id:
                previous = None
            first = since[record.worker_id]
            if record.week < first:
                # Only the week just before the first recomputed one counts: its streak stands.
                previous = record if record.week == first - WEEK else None
                continue
            if previous is not None and previous.week == record.week - WEEK:
                streak = previous.streak + 1 if record.goal_met else 0
            else:
                streak = 1 if record.goal_met else 0
            if streak != record.streak:
                record.streak = streak
                changed.append(record)
            previous = record
    return changed


def _watermark(source: str) -> int:
    return RollupWatermark.objects.filter(source=source).values_list("last_id", flat=True).first() or 0


def _advance(source: str, last_id: int) -> None:
    RollupWatermark.objects.get_or_create(source=source)
    RollupWatermark.objects.filter(source=source, last_id__lt=last_id).update(last_id=last_id)


@transaction.atomic
def weekly_rollup(*, since: datetime | None = None, now: datetime | None = None) -> RollupResult:
    """Bring the weekly records up to date with every learning event and work result.

    `since` rebuilds every worker-week with a source row from that moment on (the watermarks stay).
    """
    now = now or timezone.now()
    last_event = LearningEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    last_result = WorkResult.objects.aggregate(m=Max("pk"))["m"] or 0
    touched = _touched(
        max(0, _watermark("learning_events") - OVERLAP), max(0, _watermark("work_results") - OVERLAP), since
    )
    _rebuild(touched, now)
    if since is None:
        _advance("learning_events", last_event)
        _advance("work_results", last_result)
    count = sum(len(weeks) for weeks in touched.values())
    logger.info("weekly rollup: %s worker-weeks of %s workers", count, len(touched))
    return RollupResult(worker_weeks=count, workers=len(touched))


@transaction.atomic
def weekly_refresh(*, worker_ids: list[int], now: datetime | None = None) -> None:
    """Recompute these workers' current week now (e.g. after their weekly goal changed)."""
    now = now or timezone.now()
    workers = WorkerProfile.objects.filter(pk__in=worker_ids).only("pk", "time_zone")
    _rebuild({w.pk: {week_of(worker=w, at=now)} for w in workers}, now)


def _rebuild(touched: dict[int, set[date]], now: datetime) -> None:
    """Recompute and upsert exactly these worker-weeks, then the streaks that follow from them."""
    if not touched:
        return
    workers: dict[int, WorkerProfile] = {}
    kept_goals: dict[tuple[int, date], int] = {}
    for chunk in _chunks(set(touched)):
        workers.update(
            (w.pk, w)
            for w in WorkerProfile.objects.filter(pk__in=chunk)
            .select_related("team")
            .only("pk", "time_zone", "weekly_goal_minutes", "team__default_weekly_goal_minutes")
        )
        kept_goals.update(
            ((worker_id, week), goal)
            for worker_id, week, goal in WeeklyRecord.objects.filter(worker_id__in=chunk).values_list(
                "worker_id", "week", "goal_minutes"
            )
        )
    by_zone_week: dict[tuple[str, date], set[int]] = defaultdict(set)
    for worker_id, weeks in touched.items():
        for week in weeks:
            by_zone_week[(workers[worker_id].time_zone, week)].add(worker_id)
    records = []
    for (tz_name, week), worker_ids in sorted(by_zone_week.items()):
        learning, work = _aggregate(tz_name, week, worker_ids)
        for worker_id in worker_ids:
            worker = workers[worker_id]
            # A past week keeps the goal it had; this week follows the goal as set now.
            goal = kept_goals.get((worker_id, week))
            if goal is None or week >= week_of(worker=worker, at=now):
                goal = weekly_goal_minutes(worker=worker)
            records.append(_record(worker, week, goal, learning.get(worker_id), work.get(worker_id)))
    WeeklyRecord.objects.bulk_create(
        records,
        update_conflicts=True,
        unique_fields=["worker", "week"],
        update_fields=[*COUNTED, "updated_at"],
        batch_size=500,
    )
    since_week = {worker_id: min(weeks) for worker_id, weeks in touched.items()}
    WeeklyRecord.objects.bulk_update(_streaks(since_week), ["streak"], batch_size=500)
    for hook in hooks.get_hooks("weekly_records_changed"):
        hook(worker_ids=sorted(touched))


def _record(
    worker: WorkerProfile, week: date, goal: int, learning: dict | None, work: dict | None
) -> WeeklyRecord:
    learning = learning or {}
    minutes = (learning.get("seconds") or 0) // 60
    tasks = (work or {}).get("tasks") or 0
    accuracy = None
    if tasks:
        accuracy = (Decimal(work["weighted"]) / tasks).quantize(Decimal("0.0001"))
    return WeeklyRecord(
        worker_id=worker.pk,
        week=week,
        time_zone=worker.time_zone,
        minutes_learned=minutes,
        lessons_completed=learning.get("lessons") or 0,
        attempts=learning.get("attempts") or 0,
        passes=learning.get("passes") or 0,
        badges_earned=learning.get("badges") or 0,
        questions_asked=learning.get("questions") or 0,
        goal_minutes=goal,
        goal_met=minutes >= goal,
        tasks_done=tasks,
        minutes_worked=(work or {}).get("minutes") or 0,
        accuracy=accuracy,
    )
