"""The weekly rollup: learning events and work results become one WeeklyRecord per worker and ISO week.

Incremental from a watermark per source (plus rows written in the minutes before the previous run,
in case their transaction committed after it): only the worker-weeks touched by new rows are
recomputed, from their source rows with grouped queries (set-based, never a Python loop over events or
worker-weeks), then upserted. Each week's bounds in the worker's own time zone are computed in Python (so
daylight-saving changes fall where they should) and go into temporary tables, a row per worker and one
per zone and week; the database sums each source per worker-week through its (worker, time) index (every
source row read once), counts goals and streaks and upserts (`_rebuild_in_database`): on PostgreSQL in
one statement, on SQLite in four (it has no lateral join), under the same rules and the same tests. A
large PostgreSQL run spreads its chunks of workers over several connections (`LADDER_ROLLUP_CONNECTIONS`).
Every recomputed worker-week is rebuilt whole from the sources, so running twice, or two runs at once,
gives the same records. A worker whose time zone changed has all their weeks rebuilt in the new zone.
"""

import functools
import logging
import zoneinfo
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import F, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from assignment.models import WorkResult
from lms import events
from lms.models import LearningEvent, RollupWatermark, WeeklyRecord, WorkerProfile
from lms.selectors import goal_minutes, week_bounds, week_of

logger = logging.getLogger(__name__)

Kind = LearningEvent.Kind
# Rows written this long before the previous run started are read again: a transaction that took an
# id before that run but committed after it is not missed (ids are handed out before commit).
OVERLAP = timedelta(minutes=5)
WEEK = timedelta(days=7)
# Ids per IN list, and workers per transaction of a run (a failed transaction is retried worker by worker).
IDS_IN_QUERY = 500
WORKERS_PER_TRANSACTION = 2000
# From this many workers, `_bridge` reads every worker's records in one grouped query, not in IN lists.
ALL_RECORDS_FROM = WORKERS_PER_TRANSACTION
# Fewer workers than this a connection are not worth another (an hourly run's few hundred use one).
PARALLEL_CHUNK = 1000


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
    """(worker, first, last) of these rows (those written since the last run) inside the records window.

    Grouped by `worker_id + 0`, not the column: by the column, SQLite (which keeps no statistics) reads
    the whole (worker, time) index in its order to group without sorting, 0.2 s for a million events to
    find an hour's few hundred; by the expression it finds the new rows by their id and time indexes and
    sorts those (1 ms). The window is applied in the aggregates, so a worker whose new rows all lie
    outside it is left out (`_outside` counts those rows).
    """
    in_window = Q(**{f"{field}__gte": floor, f"{field}__lt": ceiling})
    spans = (
        rows.values(by=F("worker_id") + 0)
        .annotate(first=Min(field, filter=in_window), last=Max(field, filter=in_window))
        .order_by()
        .values_list("by", "first", "last")
    )
    return [span for span in spans if span[1] is not None]


def _first_and_last(workers, low: datetime, ceiling: datetime) -> list[tuple[int, datetime, datetime, str]]:
    """(worker, first, last, time zone) of each worker's rows of either source from `low` until the
    ceiling, for a run that reads every row (the first, or one from a moment): two lookups per worker in
    each source's (worker, time) index, instead of reading a million rows to find sixty thousand weeks."""
    ends = {}
    for model, field in ((LearningEvent, "occurred_at"), (WorkResult, "period_end")):
        rows = model.objects.filter(
            worker_id=OuterRef("pk"), **{f"{field}__gte": low, f"{field}__lt": ceiling}
        )
        ends[model] = (
            Subquery(rows.order_by(field).values(field)[:1]),
            Subquery(rows.order_by(f"-{field}").values(field)[:1]),
        )
    (learning_first, learning_last), (work_first, work_last) = ends.values()
    # Either may be missing: SQLite's LEAST of a NULL is NULL, so then whichever there is (read again only
    # then: COALESCE stops at its first value).
    found = (
        workers.order_by()
        .annotate(
            first=Coalesce(Least(learning_first, work_first), learning_first, work_first),
            last=Coalesce(Greatest(learning_last, work_last), learning_last, work_last),
        )
        .values_list("pk", "first", "last", "time_zone")
    )
    return [span for span in found if span[1] is not None]


def _touched(
    since_event: int, since_result: int, recent: datetime | None, since: datetime | None, now: datetime
) -> "_Plan":
    """Worker → weeks touched by rows after the watermarks or written lately (or since a moment).

    Also the workers whose time zone changed (all their weeks are listed), how many new rows lie
    outside the weeks records are kept for (skipped and reported, never bucketed), and the workers
    whose weeks cannot be told (an unknown time zone: logged and skipped).
    """
    floor, ceiling = records_window(now=now)
    zones: dict[int, str] = {}  # read with each worker's ends where every worker is looked up

    def every_worker(workers, low: datetime) -> list[tuple[int, datetime, datetime]]:
        found = _first_and_last(workers, low, ceiling)
        zones.update((worker_id, zone) for worker_id, _, _, zone in found)
        return [(worker_id, first, last) for worker_id, first, last, _ in found]

    if since is not None:
        spans = every_worker(WorkerProfile.objects.all(), max(since, floor))
    elif since_event or since_result or recent is not None:
        late_events, late_results = Q(pk__gt=since_event), Q(pk__gt=since_result)
        if recent is not None:
            late_events |= Q(occurred_at__gte=recent)
            late_results |= Q(received_at__gte=recent)
        spans = _spans(LearningEvent.objects.filter(late_events), "occurred_at", floor, ceiling)
        spans += _spans(WorkResult.objects.filter(late_results), "period_end", floor, ceiling)
    else:  # the first run: every row is new
        spans = every_worker(WorkerProfile.objects.all(), floor)
    outside = _outside(since_event, since_result, since, floor, ceiling)
    # A worker whose time zone changed: every week of theirs is rebuilt in the new zone.
    moved = set(
        WeeklyRecord.objects.exclude(time_zone=F("worker__time_zone")).values_list("worker_id", flat=True)
    )
    for chunk in _chunks(moved):
        spans += every_worker(WorkerProfile.objects.filter(pk__in=chunk), floor)
    # A worker's weeks are made contiguous (`_bridge`): only their earliest and latest row of any source
    # tell which, so each worker's week is found twice, not twice per source and reason.
    ends: dict[int, tuple[datetime, datetime]] = {}
    for worker_id, first, last in spans:
        known = ends.get(worker_id)
        ends[worker_id] = (min(first, known[0]), max(last, known[1])) if known else (first, last)
    for chunk in _chunks(set(ends) - set(zones)):
        zones.update(WorkerProfile.objects.filter(pk__in=chunk).values_list("pk", "time_zone"))
    touched: dict[int, set[date]] = defaultdict(set)
    unreadable: set[int] = set()
    for worker_id, (first, last) in ends.items():
        zone = _in_zone(zones[worker_id])
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
    # Only rows after a watermark, when there is one (on a first run `pk > 0` would make SQLite read every
    # row by its id instead of the two ends of the time index).
    if since is None and since_event:
        outside_events &= Q(pk__gt=since_event)
    if since is None and since_result:
        outside_results &= Q(pk__gt=since_result)
    # Any 20 (no order: sorting by time would read the whole time index to find them).
    events = list(LearningEvent.objects.filter(outside_events).order_by().values_list("pk", flat=True)[:20])
    results = list(
        WorkResult.objects.filter(outside_results).order_by().values_list("result_id", flat=True)[:20]
    )
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
    met = set(touched) - moved
    # For thousands of workers (a full run), one grouped read of every worker's records costs less than
    # tens of IN lists (the (worker, week) index is read in order); those not met are passed over.
    chunks = _chunks(met) if len(met) < ALL_RECORDS_FROM else [None]
    for chunk in chunks:
        records = (
            WeeklyRecord.objects.all() if chunk is None else WeeklyRecord.objects.filter(worker_id__in=chunk)
        )
        existing = records.values("worker_id").annotate(first=Min("week"), last=Max("week")).order_by()
        for row in existing:
            if row["worker_id"] not in met:
                continue
            weeks = touched[row["worker_id"]]
            low, high = min(weeks), max(weeks)
            if high < row["first"]:
                weeks.update(_week_range(high, row["first"]))
            if low > row["last"]:
                weeks.update(_week_range(row["last"], low))
    for weeks in touched.values():
        weeks.update(_week_range(min(weeks), max(weeks)))


@functools.lru_cache(maxsize=1024)
def _in_zone(name: str) -> WorkerProfile:
    """A stand-in worker in this time zone, for `week_of` and `week_bounds`: a worker's weeks depend on
    their zone alone. Kept, not made per worker (5,000 models a full run); never saved."""
    return WorkerProfile(time_zone=name)


def _week_range(first: date, last: date) -> list[date]:
    weeks = []
    while first <= last:
        weeks.append(first)
        first += WEEK
    return weeks


def _column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _learning_totals() -> tuple[list[str], list]:
    """Per worker-week: seconds of learning time, then lessons completed, attempts, passes, badges and
    questions, counted by kind."""
    kind, seconds = _column(LearningEvent, "kind"), _column(LearningEvent, "seconds")
    counted = [Kind.LESSON_COMPLETED, Kind.ATTEMPT_SUBMITTED, Kind.ATTEMPT_PASSED, Kind.BADGE_AWARDED,
               Kind.QUESTION_ASKED]  # fmt: skip
    # FILTER, not CASE: a row is passed only to the sums it counts in (on SQLite a third faster a row).
    totals = [f"SUM(e.{seconds}) FILTER (WHERE e.{kind} = %s) AS seconds"]
    totals += [
        f"COUNT(*) FILTER (WHERE e.{kind} = %s) AS {name}"
        for name in ("lessons", "attempts", "passes", "badges", "questions")
    ]
    return totals, [Kind.LEARNING_TIME, *counted]


def _work_totals() -> list[str]:
    """Per worker-week: minutes worked, tasks done and Σ accuracy × tasks (as lms.measures.accuracy_totals:
    read with task_weighted_accuracy)."""
    minutes, tasks = _column(WorkResult, "minutes_worked"), _column(WorkResult, "tasks_completed")
    accuracy = _column(WorkResult, "accuracy")
    return [
        f"SUM(e.{minutes}) AS minutes",
        f"SUM(e.{tasks}) AS tasks",
        f"SUM(e.{accuracy} * e.{tasks}) AS weighted",
    ]


def _per_week(model, field: str, totals: list[str]) -> str:
    """The source's totals in the week `s`, `z` of `_upsert_in_database_query` (PostgreSQL)."""
    table, worker, at = _source(model, field)
    return (
        f"SELECT {', '.join(totals)} FROM {table} e "  # noqa: S608
        f"WHERE e.{worker} = s.worker_id AND e.{at} >= z.starts AND e.{at} < z.ends"
    )


def _source(model, field: str) -> tuple[str, str, str]:
    return connection.ops.quote_name(model._meta.db_table), _column(model, "worker"), _column(model, field)


def _chunks(ids: set[int], size: int | None = None) -> list[list[int]]:
    ordered, size = sorted(ids), size or IDS_IN_QUERY
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


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
    failed = set(plan.failed) | _rebuild_in_chunks(plan.touched, plan.moved, now)
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


def _rebuild_in_chunks(touched: dict[int, set[date]], moved: set[int], now: datetime) -> set[int]:
    """Rebuild the workers in transactions of at most WORKERS_PER_TRANSACTION each, in equal chunks; on
    PostgreSQL, a large run outside a caller's transaction goes over LADDER_ROLLUP_CONNECTIONS connections
    at once, so the server sums each chunk on its own core. Returns the workers that failed."""
    if not touched:
        return set()
    parallel = _connections(len(touched))
    count = -(-len(touched) // WORKERS_PER_TRANSACTION)
    count = -(-count // parallel) * parallel  # whole rounds: every connection gets as many workers
    ordered = sorted(touched)
    chunks = [
        {pk: touched[pk] for pk in ordered[n * len(ordered) // count : (n + 1) * len(ordered) // count]}
        for n in range(count)
    ]
    if parallel == 1:
        return set(_rebuild_lane(chunks, moved, now))
    with ThreadPoolExecutor(parallel, thread_name_prefix="rollup") as pool:
        lanes = [chunks[n::parallel] for n in range(parallel)]
        failed = pool.map(lambda lane: _rebuild_on_own_connection(lane, moved, now), lanes)
        return {pk for pks in failed for pk in pks}


def _connections(workers: int) -> int:
    """How many connections rebuild these workers: one on SQLite (one writer at a time), inside a caller's
    transaction (only its connection sees what it wrote) and for fewer than two PARALLEL_CHUNK."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return 1
    return max(1, min(settings.LADDER_ROLLUP_CONNECTIONS, workers // PARALLEL_CHUNK))


Chunk = dict[int, set[date]]


def _rebuild_lane(chunks: list[Chunk], moved: set[int], now: datetime) -> list[int]:
    return [pk for chunk in chunks for pk in _rebuild_isolated(chunk, moved, now)]


def _rebuild_on_own_connection(chunks: list[Chunk], moved: set[int], now: datetime) -> list[int]:
    try:
        return _rebuild_lane(chunks, moved, now)
    finally:
        connections.close_all()  # this thread's own connection, opened for these chunks


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
    for chunk in _chunks(moved & set(touched)):
        WeeklyRecord.objects.filter(worker_id__in=chunk).delete()
    # When the rows were written, as auto_now would have it.
    later = _rebuild_in_database(touched, now, timezone.now())
    for streak, worker_id, week in later:  # only when older weeks were recomputed: rare and few
        WeeklyRecord.objects.filter(worker_id=worker_id, week=week).update(streak=streak)
    events.publish(events.WeeklyRecordsChanged(worker_ids=tuple(sorted(touched))))


Kept = dict[date, tuple[int, bool, int]]  # a worker's stored weeks: week → goal, met, streak


@dataclass(frozen=True)
class _Worker:
    """What a worker's weeks depend on: their zone and their weekly goal as set now."""

    time_zone: str
    goal: int


def _workers(worker_ids) -> dict[int, _Worker]:
    """The workers' zones and goals, in chunks of ids (values, not models: 5,000 models cost 0.4 s)."""
    workers: dict[int, _Worker] = {}
    for chunk in _chunks(worker_ids):
        rows = WorkerProfile.objects.filter(pk__in=chunk).values_list(
            "pk", "time_zone", "weekly_goal_minutes", "team__default_weekly_goal_minutes"
        )
        workers.update(
            (pk, _Worker(zone, goal_minutes(own=own, team_default=team))) for pk, zone, own, team in rows
        )
    return workers


def _workers_and_records(touched: dict[int, set[date]]) -> tuple[dict[int, _Worker], dict[int, Kept]]:
    """The workers and what their stored weeks hold, from the week before the earliest recomputed one on
    (what is read of them: the streak before, past goals, the streaks after): an hourly run reads two
    weeks a worker, not their whole history."""
    existing: dict[int, Kept] = defaultdict(dict)
    since = min(min(weeks) for weeks in touched.values()) - WEEK
    for chunk in _chunks(set(touched)):
        for worker_id, week, goal, met, streak in WeeklyRecord.objects.filter(
            worker_id__in=chunk, week__gte=since
        ).values_list("worker_id", "week", "goal_minutes", "goal_met", "streak"):
            existing[worker_id][week] = (goal, met, streak)
    return _workers(set(touched)), existing


def _rebuild_in_database(touched: dict[int, set[date]], now: datetime, stamp: datetime) -> list[tuple]:
    """The worker-weeks summed, their streaks counted and upserted by the database: in one statement on
    PostgreSQL, four on SQLite (`_sqlite_statements`).

    What Python alone can tell goes into temporary tables, a row per worker and one per zone and week, not
    per worker-week: each worker's weeks (contiguous: see `_bridge`), goal now and the streak stored the
    week before; each week's bounds in each zone (Python's calendar: daylight saving falls where it
    should); the goals of stored past weeks (before the current week in the worker's zone). The statement
    reads no stored record itself: its plan cannot hang on statistics of a table this run is filling.
    The measures are those of `lms.measures`, written in SQL (`_upsert_in_database_query`);
    `tests/lms/test_rollup*.py` hold them to rebuilds from scratch on both databases.
    Returns the later stored weeks whose streak changes, as `_later_streaks`.
    """
    workers, existing = _workers_and_records(touched)
    spans: list[tuple] = []
    goals: list[tuple] = []
    zone_weeks: dict[str, tuple[date, date]] = {}
    this_week: dict[str, date] = {}  # in each zone
    for worker_id in sorted(touched):
        worker, weeks, kept = workers[worker_id], touched[worker_id], existing[worker_id]
        current = this_week.get(worker.time_zone)
        if current is None:
            current = this_week[worker.time_zone] = week_of(worker=_in_zone(worker.time_zone), at=now)
        first, last = min(weeks), max(weeks)
        before = kept.get(first - WEEK)
        streak = before[2] if before else 0
        spans.append((worker_id, worker.time_zone, first, last, worker.goal, streak, last + WEEK in kept))
        goals += [
            (worker_id, week, k[0]) for week, k in kept.items() if first <= week <= last and week < current
        ]
        low, high = zone_weeks.get(worker.time_zone, (first, last))
        zone_weeks[worker.time_zone] = (min(low, first), max(high, last))
    bounds = []
    for name, (first, last) in zone_weeks.items():
        place = _in_zone(name)
        bounds += [(name, week, *week_bounds(worker=place, week=week)) for week in _week_range(first, last)]
    postgresql = connection.vendor == "postgresql"
    fill = _copy_table if postgresql else _insert_table
    with connection.cursor() as cursor:
        fill(cursor, "rollup_workers", SPAN_COLUMNS, spans)
        fill(cursor, "rollup_zone_weeks", BOUND_COLUMNS, bounds)
        fill(cursor, "rollup_goals", GOAL_COLUMNS, goals)
        if postgresql:
            cursor.execute("SET LOCAL enable_memoize = off")  # each week is looked up once
            sql, params = _upsert_in_database_query()
            cursor.execute(sql, [*params, stamp])
        else:
            *sums, (upsert, _) = _sqlite_statements()
            for name, columns in SQLITE_TABLES.items():
                cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns})")
            for sql, params in sums:
                cursor.execute(sql, params)
            cursor.execute(upsert, [connection.ops.adapt_datetimefield_value(stamp)])
        cursor.execute(_last_streak_query())
        last_streaks = cursor.fetchall()
        if postgresql:
            cursor.execute("TRUNCATE rollup_workers, rollup_zone_weeks, rollup_goals")
            cursor.execute("RESET enable_memoize")
        else:
            for name in ("rollup_workers", "rollup_zone_weeks", "rollup_goals", *SQLITE_TABLES):
                cursor.execute(f"DELETE FROM {name}")  # noqa: S608 (our temporary tables)
    later = []
    for worker_id, streak in last_streaks:
        later += _later_streaks(worker_id, max(touched[worker_id]), streak, existing[worker_id])
    return later


SPAN_COLUMNS = [("worker_id", "int8"), ("time_zone", "text"), ("first", "date"), ("last", "date"),
                ("goal", "int4"), ("streak", "int4"), ("stored_after", "bool")]  # fmt: skip
BOUND_COLUMNS = [("time_zone", "text"), ("week", "date"), ("starts", "timestamptz"), ("ends", "timestamptz")]
GOAL_COLUMNS = [("worker_id", "int8"), ("week", "date"), ("goal", "int4")]
# What the SQLite statements look each table's rows up by (its primary key there).
SQLITE_KEYS = {
    "rollup_workers": "worker_id",
    "rollup_zone_weeks": "time_zone, week",
    "rollup_goals": "worker_id, week",
}


def _copy_table(cursor, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    """A temporary table of these typed columns, filled by COPY and analysed (PostgreSQL); emptied at
    commit, and kept for the connection's next run (a table created and dropped per run holds a lock until
    the outermost transaction ends: a caller's transaction around many runs ran out of lock slots)."""
    typed = ", ".join(f"{c} {t}" for c, t in columns)
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({typed}) ON COMMIT DELETE ROWS")
    with cursor.cursor.copy(f"COPY {name} FROM STDIN") as copy:
        copy.set_types([t for _, t in columns])
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"ANALYZE {name}")  # so the planner joins the sources by their index, week by week


def _insert_table(cursor, name: str, columns: list[tuple[str, str]], rows: list[tuple]) -> None:
    """The same temporary table on SQLite, keyed by what the statements look its rows up by
    (`SQLITE_KEYS`), its values as SQLite keeps them (dates and instants as Django writes them: text in UTC);
    emptied by the caller before commit (SQLite has no ON COMMIT DELETE ROWS)."""
    ops = connection.ops
    typed = ", ".join(f"{c} {SQLITE_TYPES.get(t, 'TEXT')}" for c, t in columns)
    cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({typed}, PRIMARY KEY ({SQLITE_KEYS[name]}))")
    adapt = {"date": ops.adapt_datefield_value, "timestamptz": ops.adapt_datetimefield_value}
    adapters = [adapt.get(t) for _, t in columns]
    cursor.executemany(
        f"INSERT INTO {name} VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608 (our table)
        [tuple(f(v) if f else v for f, v in zip(adapters, row, strict=True)) for row in rows],
    )


SQLITE_TYPES = {"int8": "INTEGER", "int4": "INTEGER", "bool": "INTEGER"}


@functools.cache
def _upsert_in_database_query() -> tuple[str, list]:
    """Every listed worker-week's totals, goal, goal met and streak, inserted or overwritten (PostgreSQL).

    As `lms.measures` has them: minutes are whole minutes of the seconds learned; accuracy is
    Σ accuracy × tasks / Σ tasks rounded half to even at four places (`task_weighted_accuracy`, done in
    integers: DIV and MOD of the ten-thousandths), none without tasks; a goal is met when the minutes reach
    it (`goal_met`). A past week keeps its stored goal, this week and later follow the goal now; a streak
    runs on from the stored week before the first recomputed one and restarts after a week not met.
    """
    quote = connection.ops.quote_name
    table = quote(WeeklyRecord._meta.db_table)
    learning_totals, learning_params = _learning_totals()
    learning = _per_week(LearningEvent, "occurred_at", learning_totals)
    work = _per_week(WorkResult, "period_end", _work_totals())
    ten_thousandths = "(r.weighted * 10000)"
    whole = f"DIV({ten_thousandths}, r.tasks)"
    twice_rest = f"2 * MOD({ten_thousandths}, r.tasks)"
    accuracy = (
        f"CASE WHEN r.tasks = 0 THEN NULL ELSE ({whole} + CASE WHEN {twice_rest} > r.tasks "
        f"OR ({twice_rest} = r.tasks AND MOD({whole}, 2) = 1) THEN 1 ELSE 0 END) / 10000 END"
    )
    columns = ", ".join(quote(c) for c in COLUMNS)
    # Each week's sources are summed by a lateral subquery (an index range each, no grouping of the whole);
    # weeks are contiguous, so a week's place in its run is its distance from the first, and a streak is
    # the weeks since the latest week not met (or since the first, on from the stored streak).
    sql = f"""
        WITH totals AS (
            SELECT s.worker_id, z.week, s.time_zone, s.first, s.streak AS streak_before,
                   COALESCE(g.goal, s.goal) AS goal,
                   COALESCE(l.seconds, 0) / 60 AS minutes, l.lessons, l.attempts, l.passes, l.badges,
                   l.questions, COALESCE(k.tasks, 0) AS tasks, COALESCE(k.minutes, 0) AS minutes_worked,
                   k.weighted
            FROM rollup_workers s
            JOIN rollup_zone_weeks z ON z.time_zone = s.time_zone AND z.week BETWEEN s.first AND s.last
            LEFT JOIN rollup_goals g ON g.worker_id = s.worker_id AND g.week = z.week
            CROSS JOIN LATERAL ({learning}) l
            CROSS JOIN LATERAL ({work}) k
        ),
        runs AS (
            SELECT t.*, t.minutes >= t.goal AS met, MAX(CASE WHEN t.minutes < t.goal THEN t.week END) OVER (
                       PARTITION BY t.worker_id ORDER BY t.week ROWS UNBOUNDED PRECEDING) AS broken
            FROM totals t
        )
        INSERT INTO {table} ({columns})
        SELECT r.worker_id, r.week, r.time_zone, r.minutes, r.lessons, r.attempts, r.passes, r.badges,
               r.questions, r.goal, r.met, r.tasks, r.minutes_worked, {accuracy}, COALESCE(r.weighted, 0),
               CASE WHEN NOT r.met THEN 0
                    WHEN r.broken IS NULL THEN r.streak_before + (r.week - r.first) / 7 + 1
                    ELSE (r.week - r.broken) / 7 END,
               %s
        FROM runs r
        {_conflict()}
    """  # noqa: S608 (identifiers from the models' metadata; every value a parameter)
    return sql, learning_params


# SQLite's own tables of a run: the worker-weeks numbered in (worker, week) order, and each source's totals
# under the same number (joined by rowid: no index to build, no sort).
SQLITE_TABLES = {
    "rollup_weeks": "n INTEGER PRIMARY KEY, worker_id INTEGER, week TEXT, time_zone TEXT, starts TEXT, "
    "ends TEXT, goal INTEGER, streak_before INTEGER, place INTEGER",
    "rollup_learning": "n INTEGER PRIMARY KEY, seconds INTEGER, lessons INTEGER, attempts INTEGER, "
    "passes INTEGER, badges INTEGER, questions INTEGER",
    "rollup_work": "n INTEGER PRIMARY KEY, minutes INTEGER, tasks INTEGER, weighted REAL",
}


@functools.cache
def _sqlite_statements() -> list[tuple[str, list]]:
    """`_upsert_in_database_query` on SQLite, which has no lateral join: the worker-weeks are numbered into
    a table, each source summed per number in one grouped join (every row read once through its (worker,
    time) index, in the numbers' order: no sort), and the upsert reads the three by rowid. The last
    statement takes the stamp.

    A sum of decimals comes from SQLite as a float: its ten-thousandths are whole (four places × whole
    tasks), so they are rounded to an integer first, then divided as on PostgreSQL. A streak is counted
    over the numbers in order, across workers (no partition, so no sort): the latest week not met at or
    before this one, if it is this worker's (its number is at least their first week's), or else the
    stored streak and the weeks since the first.
    """
    quote = connection.ops.quote_name
    learning_totals, learning_params = _learning_totals()
    ten_thousandths = "CAST(ROUND(r.weighted * 10000) AS INTEGER)"
    whole = f"({ten_thousandths} / r.tasks)"
    twice_rest = f"2 * ({ten_thousandths} %% r.tasks)"  # %%: the statement takes parameters
    accuracy = (
        f"CASE WHEN r.tasks = 0 THEN NULL ELSE ({whole} + CASE WHEN {twice_rest} > r.tasks "
        f"OR ({twice_rest} = r.tasks AND {whole} %% 2 = 1) THEN 1 ELSE 0 END) / 10000.0 END"
    )
    counted = ("lessons", "attempts", "passes", "badges", "questions")
    counts = ", ".join(f"COALESCE(l.{c}, 0) AS {c}" for c in counted)
    minutes = "COALESCE(l.seconds, 0) / 60"
    # CROSS JOIN keeps SQLite's join order (it keeps no statistics of these tables).
    weeks = """
        INSERT INTO rollup_weeks (worker_id, week, time_zone, starts, ends, goal, streak_before, place)
        SELECT s.worker_id, z.week, s.time_zone, z.starts, z.ends, COALESCE(g.goal, s.goal), s.streak,
               CAST((julianday(z.week) - julianday(s.first)) / 7 AS INTEGER) + 1
        FROM rollup_workers s
        CROSS JOIN rollup_zone_weeks z ON z.time_zone = s.time_zone AND z.week BETWEEN s.first AND s.last
        LEFT JOIN rollup_goals g ON g.worker_id = s.worker_id AND g.week = z.week
        ORDER BY s.worker_id, z.week
    """
    upsert = f"""
        INSERT INTO {quote(WeeklyRecord._meta.db_table)} ({", ".join(quote(c) for c in COLUMNS)})
        SELECT r.worker_id, r.week, r.time_zone, r.minutes, r.lessons, r.attempts, r.passes, r.badges,
               r.questions, r.goal, r.minutes >= r.goal, r.tasks, r.minutes_worked, {accuracy},
               COALESCE({ten_thousandths} / 10000.0, 0),
               CASE WHEN r.minutes < r.goal THEN 0
                    WHEN r.broken >= r.n - r.place + 1 THEN r.n - r.broken
                    ELSE r.streak_before + r.place END,
               %s
        FROM (
            SELECT w.*, {minutes} AS minutes, {counts}, COALESCE(k.tasks, 0) AS tasks,
                   COALESCE(k.minutes, 0) AS minutes_worked, k.weighted,
                   MAX(CASE WHEN {minutes} < w.goal THEN w.n END) OVER (
                       ORDER BY w.n ROWS UNBOUNDED PRECEDING) AS broken
            FROM rollup_weeks w
            LEFT JOIN rollup_learning l ON l.n = w.n
            LEFT JOIN rollup_work k ON k.n = w.n
        ) r
        WHERE true
        {_conflict()}
    """  # noqa: S608 (identifiers from the models' metadata; every value a parameter)
    return [
        (weeks, []),
        (_summed("rollup_learning", LearningEvent, "occurred_at", learning_totals), learning_params),
        (_summed("rollup_work", WorkResult, "period_end", _work_totals()), []),
        (upsert, []),
    ]


def _summed(into: str, model, field: str, totals: list[str]) -> str:
    """The source's totals per numbered worker-week of `rollup_weeks`, into `into` (SQLite)."""
    table, worker, at = _source(model, field)
    return (
        f"INSERT INTO {into} SELECT w.n, {', '.join(totals)} FROM rollup_weeks w "  # noqa: S608
        f"CROSS JOIN {table} e ON e.{worker} = w.worker_id AND e.{at} >= w.starts AND e.{at} < w.ends "
        "GROUP BY w.n"
    )


@functools.cache
def _last_streak_query() -> str:
    """The streak just written for the last recomputed week of each worker with stored weeks after it
    (only when older weeks were recomputed: rare and few)."""
    table = connection.ops.quote_name(WeeklyRecord._meta.db_table)
    return f"""
        SELECT s.worker_id, r.streak FROM rollup_workers s
        JOIN {table} r ON r.worker_id = s.worker_id AND r.week = s.last
        WHERE s.stored_after
    """  # noqa: S608 (our table)


def _later_streaks(worker_id: int, last: date, streak: int, kept: Kept) -> list[tuple[int, int, date]]:
    """(streak, worker, week) of the stored weeks after the last recomputed one whose streak changes."""
    later = []
    week = last + WEEK
    while week in kept:
        _, met, old = kept[week]
        streak = streak + 1 if met else 0
        if streak != old:
            later.append((streak, worker_id, week))
        week += WEEK
    return later


COLUMNS = [
    "worker_id", "week", "time_zone", "minutes_learned", "lessons_completed", "attempts", "passes",
    "badges_earned", "questions_asked", "goal_minutes", "goal_met", "tasks_done", "minutes_worked",
    "accuracy", "accuracy_weighted", "streak", "updated_at",
]  # fmt: skip


def _conflict() -> str:
    """Where a worker-week exists, every column but its key is overwritten."""
    quote = connection.ops.quote_name
    updates = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in COLUMNS[2:])
    return f"ON CONFLICT (worker_id, week) DO UPDATE SET {updates}"
