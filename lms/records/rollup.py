"""The weekly rollup: learning events and work results become one WeeklyRecord per worker and ISO week.

Incremental from a watermark per source (plus rows written in the minutes before the previous run,
in case their transaction committed after it): only the worker-weeks touched by new rows are
recomputed, from their source rows with grouped queries (set-based, never a Python loop over events),
then upserted: one query per time zone and source, bucketing rows by that zone's week bounds (so
daylight-saving changes fall where they should), reading each source row once. Every recomputed
worker-week is rebuilt whole from the sources, so running twice, or two runs at once, gives the same
records. A worker whose time zone changed has all their weeks rebuilt in the new zone.
"""

import logging
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, F, IntegerField, Max, Min, Q, Sum, Value, When
from django.utils import timezone

from assignment.models import WorkResult
from lms import events
from lms.measures import accuracy_totals, goal_met, task_weighted_accuracy
from lms.models import LearningEvent, RollupWatermark, WeeklyRecord, WorkerProfile
from lms.selectors import week_bounds, week_of, weekly_goal_minutes

logger = logging.getLogger(__name__)

Kind = LearningEvent.Kind
# Rows written this long before the previous run started are read again: a transaction that took an
# id before that run but committed after it is not missed (ids are handed out before commit).
OVERLAP = timedelta(minutes=5)
WEEK = timedelta(days=7)
# Above this many workers in one time zone and week, aggregate the whole zone rather than list ids.
IDS_IN_QUERY = 500


# What one worker-week holds, in the order `_row` reads them.
LEARNING_TOTALS = {
    "seconds": Sum("seconds", filter=Q(kind=Kind.LEARNING_TIME)),
    "lessons": Count("id", filter=Q(kind=Kind.LESSON_COMPLETED)),
    "attempts": Count("id", filter=Q(kind=Kind.ATTEMPT_SUBMITTED)),
    "passes": Count("id", filter=Q(kind=Kind.ATTEMPT_PASSED)),
    "badges": Count("id", filter=Q(kind=Kind.BADGE_AWARDED)),
    "questions": Count("id", filter=Q(kind=Kind.QUESTION_ASKED)),
}
WORK_TOTALS = {
    "minutes": Sum("minutes_worked"),
    **accuracy_totals(tasks="tasks_completed", accuracy="accuracy"),
}


@dataclass(frozen=True)
class RollupResult:
    worker_weeks: int
    workers: int
    # Rows outside the records window (at most 20 of each source are counted and logged).
    skipped_rows: int = 0
    # Workers whose weeks could not be recomputed this run: logged with the error, retried next time
    # they are touched (or by `rollup_weekly --since`).
    failed_workers: tuple[int, ...] = ()


def _spans(rows, field: str, floor: datetime, ceiling: datetime) -> list[tuple[int, datetime, datetime]]:
    """(worker, first, last) of the rows inside the records window: grouped by worker alone, and the window
    applied in the aggregates rather than the WHERE clause, so a covering (worker, time) index answers it in
    one pass (a range on the time in WHERE makes SQLite read by time and sort: three times slower)."""
    in_window = Q(**{f"{field}__gte": floor, f"{field}__lt": ceiling})
    spans = (
        rows.values("worker_id")
        .annotate(first=Min(field, filter=in_window), last=Max(field, filter=in_window))
        .order_by()
        .values_list("worker_id", "first", "last")
    )
    return [span for span in spans if span[1] is not None]


def _touched(
    since_event: int, since_result: int, recent: datetime | None, since: datetime | None, now: datetime
) -> "_Plan":
    """Worker → weeks touched by rows after the watermarks or written lately (or since a moment).

    Also the workers whose time zone changed (all their weeks are listed), how many new rows lie
    outside the weeks records are kept for (skipped and reported, never bucketed), and the workers
    whose weeks cannot be told (an unknown time zone: logged and skipped).
    """
    floor, ceiling = records_window(now=now)
    events, results = LearningEvent.objects.all(), WorkResult.objects.all()
    if since is not None:
        events, results = events.filter(occurred_at__gte=since), results.filter(period_end__gte=since)
    elif since_event or since_result or recent is not None:  # else the first run: every row is new
        late_events, late_results = Q(pk__gt=since_event), Q(pk__gt=since_result)
        if recent is not None:
            late_events |= Q(occurred_at__gte=recent)
            late_results |= Q(received_at__gte=recent)
        events, results = events.filter(late_events), results.filter(late_results)
    outside = _outside(since_event, since_result, since, floor, ceiling)
    spans = _spans(events, "occurred_at", floor, ceiling) + _spans(results, "period_end", floor, ceiling)
    # A worker whose time zone changed: every week of theirs is rebuilt in the new zone.
    moved = set(
        WeeklyRecord.objects.exclude(time_zone=F("worker__time_zone")).values_list("worker_id", flat=True)
    )
    if moved:
        spans += _spans(LearningEvent.objects.filter(worker_id__in=moved), "occurred_at", floor, ceiling)
        spans += _spans(WorkResult.objects.filter(worker_id__in=moved), "period_end", floor, ceiling)
    zones: dict[int, WorkerProfile] = {}
    for chunk in _chunks({worker_id for worker_id, _, _ in spans}):
        zones.update(
            (pk, WorkerProfile(pk=pk, time_zone=tz))
            for pk, tz in WorkerProfile.objects.filter(pk__in=chunk).values_list("pk", "time_zone")
        )
    touched: dict[int, set[date]] = defaultdict(set)
    unreadable: set[int] = set()
    for worker_id, first, last in spans:
        zone = zones[worker_id]
        try:
            weeks = _week_range(week_of(worker=zone, at=first), week_of(worker=zone, at=last))
        except (ValueError, OverflowError, zoneinfo.ZoneInfoNotFoundError):
            logger.exception("weekly rollup: worker %s skipped (time zone %r)", worker_id, zone.time_zone)
            unreadable.add(worker_id)
            continue
        touched[worker_id].update(weeks)
    for worker_id in unreadable:
        touched.pop(worker_id, None)
    _bridge(touched, moved)
    return _Plan(touched, moved, outside, unreadable)


@dataclass
class _Plan:
    touched: dict[int, set[date]]
    moved: set[int]
    outside: int
    failed: set[int]


def records_window(*, now: datetime) -> tuple[datetime, datetime]:
    """The instants weekly records are kept between: from LADDER_RECORDS_START until a day after now.

    A row outside it (a clock gone wrong, a period in year 1 or 9999) is no fact about a real week.
    """
    start = date.fromisoformat(settings.LADDER_RECORDS_START)
    return datetime.combine(start, datetime.min.time(), tzinfo=UTC), now + timedelta(days=1)


def _outside(since_event: int, since_result: int, since: datetime | None, floor, ceiling) -> int:
    """Count (and log) the rows this run reads that lie outside the records window."""
    outside_events = Q(occurred_at__lt=floor) | Q(occurred_at__gte=ceiling)
    outside_results = Q(period_end__lt=floor) | Q(period_end__gte=ceiling)
    if since is None:
        outside_events &= Q(pk__gt=since_event)
        outside_results &= Q(pk__gt=since_result)
    events = list(LearningEvent.objects.filter(outside_events).values_list("pk", flat=True)[:20])
    results = list(WorkResult.objects.filter(outside_results).values_list("result_id", flat=True)[:20])
    if events or results:
        logger.warning(
            "weekly rollup: skipped rows outside %s..%s: learning events %s, work results %s",
            floor.date(), ceiling.date(), events, results,
        )  # fmt: skip
    return len(events) + len(results)


def _bridge(touched: dict[int, set[date]], moved: set[int]) -> None:
    """Extend each worker's touched weeks to meet their existing records, so their weeks have no holes.

    A quiet week between two active ones gets a record too (nothing learned): streaks and charts read
    it as a missed week, and an incremental run gives the same records as a rebuild from scratch.
    The records of workers who moved zone are about to be replaced, so they are not met.
    """
    for chunk in _chunks(set(touched) - moved):
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


def _aggregate(tz_name: str, weeks: set[date], worker_ids: set[int]) -> tuple[dict, dict]:
    """Learning and work totals per worker and week for one time zone: two grouped queries.

    Keyed by (worker, week); the values are the aggregates in the order of LEARNING_TOTALS and
    WORK_TOTALS.
    """
    zone = WorkerProfile(time_zone=tz_name)
    ordered = sorted(weeks)
    bounds = [week_bounds(worker=zone, week=week) for week in ordered]
    if len(worker_ids) <= IDS_IN_QUERY:
        scope = Q(worker_id__in=worker_ids)
    else:
        scope = Q(worker_id__in=WorkerProfile.objects.filter(time_zone=tz_name).values("pk"))
    learning = _bucketed(LearningEvent.objects.filter(scope), "occurred_at", bounds, LEARNING_TOTALS)
    work = _bucketed(WorkResult.objects.filter(scope), "period_end", bounds, WORK_TOTALS)
    return (
        {(worker_id, ordered[n]): totals for (worker_id, n), totals in learning.items()},
        {(worker_id, ordered[n]): totals for (worker_id, n), totals in work.items()},
    )


def _bucketed(rows, field: str, bounds: list[tuple[datetime, datetime]], totals: dict) -> dict:
    """(worker, week number) → totals of the rows, each row put in its week by a CASE over the zone's
    week boundaries (computed in Python, so daylight-saving changes are right), reading it once.

    The listed weeks may have gaps (another worker's late rows, a move): a row in a gap belongs to no
    listed week, matches no branch, and its NULL group is dropped.
    """
    grouped = (
        rows.filter(**{f"{field}__gte": bounds[0][0], f"{field}__lt": bounds[-1][1]})
        .annotate(bucket=_week_number(field, bounds, 0, len(bounds)))
        .values("worker_id", "bucket")
        .annotate(**totals)
        .order_by()
        .values_list("worker_id", "bucket", *totals)
    )
    return {(row[0], row[1]): row[2:] for row in grouped if row[1] is not None}


def _week_number(field: str, bounds: list[tuple[datetime, datetime]], low: int, high: int) -> Case:
    """The number of the week among bounds[low:high] (sorted, not overlapping) that holds the row, by
    halving: a row is compared about log2(weeks) + 1 times instead of twice per week (most of the
    rollup's time was these comparisons). Every row reaching this node is at or after bounds[low]'s start.
    """
    if high - low == 1:
        last = When(**{f"{field}__lt": bounds[low][1]}, then=Value(low))
        return Case(last, default=None, output_field=IntegerField())
    middle = (low + high) // 2
    return Case(
        When(**{f"{field}__lt": bounds[middle][0]}, then=_week_number(field, bounds, low, middle)),
        default=_week_number(field, bounds, middle, high),
        output_field=IntegerField(),
    )


def _chunks(ids: set[int]) -> list[list[int]]:
    ordered = sorted(ids)
    return [ordered[i : i + IDS_IN_QUERY] for i in range(0, len(ordered), IDS_IN_QUERY)]


def _watermark(source: str) -> tuple[int, datetime | None]:
    row = RollupWatermark.objects.filter(source=source).values_list("last_id", "ran_at").first()
    return row or (0, None)


def _advance(source: str, last_id: int, started: datetime) -> None:
    RollupWatermark.objects.get_or_create(source=source)
    RollupWatermark.objects.filter(source=source, last_id__lt=last_id).update(last_id=last_id)
    RollupWatermark.objects.filter(source=source).update(ran_at=started)


def weekly_rollup(*, since: datetime | None = None, now: datetime | None = None) -> RollupResult:
    """Bring the weekly records up to date with every learning event and work result.

    Commits in chunks of workers; a worker whose weeks fail is logged and skipped, never the run.
    `since` rebuilds every worker-week with a source row from that moment on (the watermarks stay).
    """
    started = timezone.now()
    now = now or started
    last_event = LearningEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    last_result = WorkResult.objects.aggregate(m=Max("pk"))["m"] or 0
    event_mark, ran_at = _watermark("learning_events")
    result_mark, _ = _watermark("work_results")
    recent = ran_at - OVERLAP if ran_at else None
    plan = _touched(event_mark, result_mark, recent, since, now)
    failed = set(plan.failed)
    for chunk in _chunks(set(plan.touched)):
        failed.update(_rebuild_isolated({pk: plan.touched[pk] for pk in chunk}, plan.moved, now))
    if since is None:
        with transaction.atomic():
            _advance("learning_events", last_event, started)
            _advance("work_results", last_result, started)
    done = {pk: weeks for pk, weeks in plan.touched.items() if pk not in failed}
    count = sum(len(weeks) for weeks in done.values())
    logger.info("weekly rollup: %s worker-weeks of %s workers", count, len(done))
    return RollupResult(
        worker_weeks=count, workers=len(done), skipped_rows=plan.outside, failed_workers=tuple(sorted(failed))
    )


def _rebuild_isolated(touched: dict[int, set[date]], moved: set[int], now: datetime) -> list[int]:
    """Rebuild a chunk in one transaction; if it fails, each worker alone. Returns the workers that failed."""
    try:
        with transaction.atomic():
            _rebuild(touched, now, moved=moved)
        return []
    except Exception:
        if len(touched) == 1:
            logger.exception("weekly rollup: worker %s skipped", next(iter(touched)))
            return list(touched)
    failed = []
    for pk, weeks in touched.items():
        failed += _rebuild_isolated({pk: weeks}, moved, now)
    return failed


@transaction.atomic
def weekly_refresh(*, worker_ids: list[int], now: datetime | None = None) -> None:
    """Recompute these workers' current week now (e.g. after their weekly goal changed)."""
    now = now or timezone.now()
    workers = WorkerProfile.objects.filter(pk__in=worker_ids).only("pk", "time_zone")
    _rebuild({w.pk: {week_of(worker=w, at=now)} for w in workers}, now)


def _rebuild(touched: dict[int, set[date]], now: datetime, *, moved: set[int] = frozenset()) -> None:
    """Recompute and upsert exactly these worker-weeks, with the streaks that follow from them.

    The `moved` among them (time zone changed) lose their old weeks first: all are listed in `touched`.
    """
    if not touched:
        return
    gone = moved & set(touched)
    if gone:
        WeeklyRecord.objects.filter(worker_id__in=gone).delete()
    workers, existing = _workers_and_records(set(touched))
    by_zone: dict[str, tuple[set[int], set[date]]] = defaultdict(lambda: (set(), set()))
    for worker_id, weeks in touched.items():
        ids, zone_weeks = by_zone[workers[worker_id].time_zone]
        ids.add(worker_id)
        zone_weeks.update(weeks)
    rows: list[tuple] = []
    later: list[tuple[int, int, date]] = []  # (streak, worker, week) of untouched later weeks that change
    # When the rows were written, as auto_now would have it; values adapted as Django stores them.
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    for tz_name, (worker_ids, weeks) in sorted(by_zone.items()):
        learning, work = _aggregate(tz_name, weeks, worker_ids)
        for worker_id in worker_ids:
            worker_rows, worker_later = _worker_weeks(
                workers[worker_id],
                sorted(touched[worker_id]),
                existing[worker_id],
                learning,
                work,
                now,
                stamp,
            )
            rows += worker_rows
            later += worker_later
    _upsert(rows)
    for streak, worker_id, week in later:  # only when older weeks were recomputed: rare and few
        WeeklyRecord.objects.filter(worker_id=worker_id, week=week).update(streak=streak)
    events.publish(events.WeeklyRecordsChanged(worker_ids=tuple(sorted(touched))))


Kept = dict[date, tuple[int, bool, int]]  # a worker's stored weeks: week → goal, met, streak


def _workers_and_records(worker_ids: set[int]) -> tuple[dict[int, WorkerProfile], dict[int, Kept]]:
    """The workers (zone and goal) and what their stored weeks hold, in chunks of ids."""
    workers: dict[int, WorkerProfile] = {}
    existing: dict[int, Kept] = defaultdict(dict)
    for chunk in _chunks(worker_ids):
        workers.update(
            (w.pk, w)
            for w in WorkerProfile.objects.filter(pk__in=chunk)
            .select_related("team")
            .only("pk", "time_zone", "weekly_goal_minutes", "team__default_weekly_goal_minutes")
        )
        for worker_id, week, goal, met, streak in WeeklyRecord.objects.filter(
            worker_id__in=chunk
        ).values_list("worker_id", "week", "goal_minutes", "goal_met", "streak"):
            existing[worker_id][week] = (goal, met, streak)
    return workers, existing


def _worker_weeks(
    worker: WorkerProfile, ordered: list[date], kept: Kept, learning: dict, work: dict, now: datetime, stamp
) -> tuple[list[tuple], list[tuple[int, int, date]]]:
    """One worker's recomputed weeks (every column, written at `stamp`), and the new streaks of their stored
    weeks after them: a streak runs on from the week before the first recomputed one."""
    current = week_of(worker=worker, at=now)
    before = kept.get(ordered[0] - WEEK)
    streak = before[2] if before else 0
    rows = []
    for week in ordered:  # contiguous: see _bridge
        # A past week keeps the goal it had; this week follows the goal as set now.
        goal = kept[week][0] if week in kept and week < current else weekly_goal_minutes(worker=worker)
        row, met = _row(worker, week, goal, learning.get((worker.pk, week)), work.get((worker.pk, week)))
        streak = streak + 1 if met else 0
        rows.append((*row, streak, stamp))
    later = []
    week = ordered[-1] + WEEK
    while week in kept:
        _, met, old = kept[week]
        streak = streak + 1 if met else 0
        if streak != old:
            later.append((streak, worker.pk, week))
        week += WEEK
    return rows, later


COLUMNS = [
    "worker_id", "week", "time_zone", "minutes_learned", "lessons_completed", "attempts", "passes",
    "badges_earned", "questions_asked", "goal_minutes", "goal_met", "tasks_done", "minutes_worked",
    "accuracy", "accuracy_weighted", "streak", "updated_at",
]  # fmt: skip


def _upsert(rows: list[tuple]) -> None:
    """Insert the worker-weeks, or overwrite them where they exist.

    The rows hold values as the database takes them (`_row`). PostgreSQL takes them by COPY into a
    temporary table and one INSERT … SELECT; SQLite in statements of 500 rows.
    (`bulk_create(update_conflicts=True)` was measured 7–8 times slower here: it builds a model per row,
    and Django's SQLite backend caps a statement at 999 parameters, 55 rows.)
    """
    quote = connection.ops.quote_name
    table = quote(WeeklyRecord._meta.db_table)
    columns = ", ".join(quote(c) for c in COLUMNS)
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in COLUMNS[2:])
    conflict = f"ON CONFLICT (worker_id, week) DO UPDATE SET {updates}"
    if connection.vendor != "postgresql":
        _upsert_sqlite(rows, f"INSERT INTO {table} ({columns}) VALUES", conflict)
        return
    with connection.cursor() as cursor:
        # Identifiers from the model's metadata; the rows go in by COPY, never into the SQL.
        shape = f"SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608
        cursor.execute("CREATE TEMP TABLE weekly_in ON COMMIT DROP AS " + shape)
        with cursor.cursor.copy(f"COPY weekly_in ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM weekly_in {conflict}")  # noqa: S608
        cursor.execute("DROP TABLE weekly_in")


def _upsert_sqlite(rows: list[tuple], insert: str, conflict: str, per_statement: int = 500) -> None:
    one = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            cursor.execute(  # identifiers from the model's metadata; every value is a parameter
                f"{insert} {', '.join([one] * len(batch))} {conflict}",
                [value for row in batch for value in row],
            )


NO_LEARNING = (0, 0, 0, 0, 0, 0)
NO_WORK = (0, 0, None)


def _row(worker: WorkerProfile, week: date, goal: int, learning: tuple | None, work: tuple | None) -> tuple:
    """The stored values of one worker-week (all columns but streak and updated_at), and goal met."""
    seconds, lessons, attempts, passes, badges, questions = learning or NO_LEARNING
    minutes_worked, tasks, weighted = work or NO_WORK
    minutes = (seconds or 0) // 60
    accuracy = task_weighted_accuracy(weighted, tasks)
    met = goal_met(minutes=minutes, goal=goal)
    ops = connection.ops
    return (
        worker.pk,
        ops.adapt_datefield_value(week),
        worker.time_zone,
        minutes,
        lessons,
        attempts,
        passes,
        badges,
        questions,
        goal,
        met,
        tasks or 0,
        minutes_worked or 0,
        ops.adapt_decimalfield_value(accuracy, 5, 4),
        ops.adapt_decimalfield_value(Decimal(weighted or 0), 16, 4),
    ), met
