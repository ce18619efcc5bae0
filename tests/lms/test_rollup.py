"""The weekly rollup: weeks in each worker's own time zone, incremental, idempotent, rebuilt on a move."""

import dataclasses
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assignment.models import TaskType, WorkResult
from lms.models import LearningEvent, RollupWatermark, Team, WeeklyRecord
from lms.records.rollup import weekly_rollup
from lms.selectors import learning_week_for_worker

Kind = LearningEvent.Kind
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


def learn(worker, at: datetime, minutes: int) -> None:
    LearningEvent.objects.bulk_create(
        LearningEvent(
            worker=worker, kind=Kind.LEARNING_TIME, occurred_at=at + timedelta(seconds=31 * n), seconds=30
        )
        for n in range(minutes * 2)
    )


def event(worker, kind: str, at: datetime) -> None:
    LearningEvent.objects.create(worker=worker, kind=kind, occurred_at=at)


def table() -> dict:
    fields = [
        "worker_id", "week", "time_zone", "minutes_learned", "lessons_completed", "attempts", "passes",
        "badges_earned", "questions_asked", "goal_minutes", "goal_met", "streak", "tasks_done",
        "minutes_worked", "accuracy",
    ]  # fmt: skip
    return {(r["worker_id"], r["week"]): r for r in WeeklyRecord.objects.values(*fields)}


@pytest.fixture
def kolkata(make_worker):
    return make_worker("kolkata", time_zone="Asia/Kolkata")


@pytest.fixture
def utc_worker(make_worker):
    return make_worker("london", time_zone="UTC")


def test_a_sunday_night_in_kolkata_is_next_weeks_work_there_but_not_in_utc(kolkata, utc_worker):
    # Sunday 22 Nov 2026, 19:00 UTC is Monday 00:30 in Kolkata (UTC+5:30).
    sunday_night = datetime(2026, 11, 22, 19, 0, tzinfo=UTC)
    for worker in (kolkata, utc_worker):
        event(worker, Kind.LESSON_COMPLETED, sunday_night)
    weekly_rollup(now=NOW)
    assert WeeklyRecord.objects.get(worker=kolkata).week == date(2026, 11, 23)
    assert WeeklyRecord.objects.get(worker=utc_worker).week == date(2026, 11, 16)


def test_every_count_comes_from_its_events_and_work(worker, db):
    monday = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)  # 09:00 in Antananarivo
    learn(worker, monday, 50)
    for kind, times in [
        (Kind.LESSON_COMPLETED, 2),
        (Kind.ATTEMPT_SUBMITTED, 3),
        (Kind.ATTEMPT_PASSED, 1),
        (Kind.BADGE_AWARDED, 1),
        (Kind.QUESTION_ASKED, 4),
        (Kind.LESSON_OPENED, 5),
    ]:
        for _ in range(times):
            event(worker, kind, monday + timedelta(hours=2))
    tagging = TaskType.objects.create(code="tagging", name="Tagging", pay_rate=Decimal("0.02"))
    for n, (tasks, accuracy) in enumerate([(30, "0.9"), (10, "1")]):
        WorkResult.objects.create(
            result_id=f"r{n}", worker=worker, task_type=tagging, period_start=monday,
            period_end=monday + timedelta(hours=1 + n), tasks_completed=tasks, minutes_worked=45,
            accuracy=Decimal(accuracy), body_hash="x",
        )  # fmt: skip

    weekly_rollup(now=NOW)

    record = WeeklyRecord.objects.get(worker=worker)
    assert (record.week, record.time_zone) == (date(2026, 11, 23), "Indian/Antananarivo")
    assert (record.minutes_learned, record.lessons_completed, record.attempts, record.passes) == (50, 2, 3, 1)
    assert (record.badges_earned, record.questions_asked) == (1, 4)
    assert (record.tasks_done, record.minutes_worked, record.accuracy) == (40, 90, Decimal("0.9250"))
    assert (record.goal_minutes, record.goal_met, record.streak) == (90, False, 0)


def five_weeks(worker) -> list[datetime]:
    """Five weeks against a goal of 30 minutes: met, met, missed, met, met."""
    worker.team = Team.objects.create(name="T", default_weekly_goal_minutes=30)
    worker.save()
    weeks = [datetime(2026, 10, 26, 8, 0, tzinfo=UTC) + timedelta(weeks=n) for n in range(5)]
    for at, minutes in zip(weeks, [40, 35, 10, 31, 30], strict=True):
        learn(worker, at, minutes)
    return weeks


def test_streaks_count_weeks_in_a_row_meeting_the_goal(worker, db):
    weeks = five_weeks(worker)
    weekly_rollup(now=NOW)
    records = list(WeeklyRecord.objects.filter(worker=worker).order_by("week"))
    assert [r.goal_met for r in records] == [True, True, False, True, True]
    assert [r.streak for r in records] == [1, 2, 0, 1, 2]
    assert learning_week_for_worker(worker=worker, at=NOW)["streak"] == 2

    # A gap week (no record at all) breaks the streak too.
    learn(worker, weeks[-1] + timedelta(weeks=2), 45)
    weekly_rollup(now=NOW + timedelta(weeks=2))
    assert WeeklyRecord.objects.filter(worker=worker).order_by("week").last().streak == 1


def test_a_late_row_in_an_old_week_carries_its_streak_through_the_later_weeks(worker, db):
    weeks = five_weeks(worker)
    weekly_rollup(now=NOW)

    learn(worker, weeks[2] + timedelta(hours=30), 25)  # the missed week, now met: 35 minutes
    weekly_rollup(now=NOW)

    records = list(WeeklyRecord.objects.filter(worker=worker).order_by("week"))
    assert [r.minutes_learned for r in records] == [40, 35, 35, 31, 30]
    # Only the old week was recomputed; the two after it keep their totals and count on from it.
    assert [r.streak for r in records] == [1, 2, 3, 4, 5]


def test_accuracy_rounds_half_to_even_at_four_places_as_the_measure_does(worker, db):
    tagging = TaskType.objects.create(code="tagging", name="Tagging", pay_rate=Decimal("0.02"))
    monday = datetime(2026, 11, 9, 6, 0, tzinfo=UTC)
    # Two weeks whose mean accuracy falls exactly half-way between two ten-thousandths.
    for week, accuracies in enumerate([("0.1234", "0.1235"), ("0.1235", "0.1236")]):
        for n, accuracy in enumerate(accuracies):
            at = monday + timedelta(weeks=week, hours=n)
            WorkResult.objects.create(
                result_id=f"r{week}-{n}", worker=worker, task_type=tagging, period_start=at,
                period_end=at + timedelta(hours=1), tasks_completed=1, minutes_worked=10,
                accuracy=Decimal(accuracy), body_hash="x",
            )  # fmt: skip

    weekly_rollup(now=NOW)

    records = WeeklyRecord.objects.order_by("week").values_list("accuracy", "accuracy_weighted", "tasks_done")
    # 0.12345 to the even 0.1234, 0.12355 to the even 0.1236 (task_weighted_accuracy's rounding).
    assert list(records) == [
        (Decimal("0.1234"), Decimal("0.2469"), 2),
        (Decimal("0.1236"), Decimal("0.2471"), 2),
    ]


def test_incremental_runs_match_a_rebuild_from_scratch_and_running_twice_changes_nothing(make_worker):
    rng = random.Random(5)
    workers = [
        make_worker(f"w{n}", time_zone=tz) for n, tz in enumerate(["Asia/Kolkata", "UTC", "America/Lima"] * 2)
    ]
    start = datetime(2026, 9, 1, tzinfo=UTC)
    kinds = [Kind.LESSON_COMPLETED, Kind.ATTEMPT_SUBMITTED, Kind.QUESTION_ASKED, Kind.BADGE_AWARDED]
    for _ in range(4):
        for worker in workers:
            for _ in range(rng.randint(3, 8)):
                at = start + timedelta(minutes=rng.randint(0, 60 * 24 * 70))
                if rng.random() < 0.5:
                    learn(worker, at, rng.randint(5, 40))
                else:
                    event(worker, rng.choice(kinds), at)
        weekly_rollup(now=NOW)  # after each batch, as the hourly beat would
    incremental = table()

    weekly_rollup(now=NOW)  # nothing new since: the same table
    assert table() == incremental

    WeeklyRecord.objects.all().delete()
    RollupWatermark.objects.all().delete()
    weekly_rollup(now=NOW)
    assert table() == incremental
    assert len(incremental) > 20


def test_an_event_that_commits_late_below_the_watermark_is_still_counted(worker, db):
    learn(worker, timezone.now() - timedelta(minutes=30), 10)
    # The first of these took its id in a transaction that commits only after the next run read past it.
    late = LearningEvent.objects.order_by("pk").first()
    LearningEvent.objects.filter(pk=late.pk).delete()
    weekly_rollup()
    assert WeeklyRecord.objects.get(worker=worker).minutes_learned == 9
    LearningEvent.objects.create(
        pk=late.pk,
        worker=worker,
        kind=Kind.LEARNING_TIME,
        occurred_at=timezone.now() - timedelta(minutes=1),
        seconds=30,
    )
    weekly_rollup()
    assert WeeklyRecord.objects.get(worker=worker).minutes_learned == 10


def test_a_time_zone_change_rebuilds_every_week_of_the_worker(utc_worker):
    # Sunday 23:30 UTC: the UTC week of 16 Nov; in Kolkata it is already Monday 23 Nov.
    learn(utc_worker, datetime(2026, 11, 22, 23, 30, tzinfo=UTC), 20)
    weekly_rollup(now=NOW)
    assert list(WeeklyRecord.objects.values_list("week", "minutes_learned")) == [(date(2026, 11, 16), 20)]

    utc_worker.time_zone = "Asia/Kolkata"
    utc_worker.save()
    weekly_rollup(now=NOW)
    assert list(WeeklyRecord.objects.values_list("week", "minutes_learned", "time_zone")) == [
        (date(2026, 11, 23), 20, "Asia/Kolkata")
    ]


def test_two_runs_at_once_give_the_same_records(worker, make_worker):
    other = make_worker("other", time_zone="Asia/Kolkata")
    for w in (worker, other):
        learn(w, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 25)
    weekly_rollup(now=NOW)
    first = table()
    # A second run that read the same rows (its watermark was not yet advanced) rewrites the same values.
    RollupWatermark.objects.all().update(last_id=0)
    weekly_rollup(now=NOW)
    assert table() == first


def test_past_weeks_keep_their_goal_and_this_week_follows_a_change(worker, db):
    learn(worker, datetime(2026, 11, 10, 8, 0, tzinfo=UTC), 60)
    weekly_rollup(now=NOW)
    learn(worker, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 60)
    weekly_rollup(now=NOW)
    worker.weekly_goal_minutes = 45
    worker.save()
    weekly_rollup(since=datetime(2026, 11, 1, tzinfo=UTC), now=NOW)
    goals = dict(WeeklyRecord.objects.values_list("week", "goal_minutes"))
    # The quiet week between is recorded too (nothing learned, goal missed): weeks have no holes.
    assert goals == {date(2026, 11, 9): 90, date(2026, 11, 16): 90, date(2026, 11, 23): 45}
    assert WeeklyRecord.objects.get(week=date(2026, 11, 23)).goal_met


def test_the_command_runs_the_rollup(worker, capsys):
    learn(worker, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 5)
    call_command("rollup_weekly")
    assert "1 worker-weeks of 1 workers recomputed." in capsys.readouterr().out
    call_command("rollup_weekly", "--since", "2026-11-01")
    assert WeeklyRecord.objects.get().minutes_learned == 5


def test_the_rollup_issues_the_same_queries_for_few_and_many_workers(make_worker):
    def run(count: int, prefix: str) -> int:
        for n in range(count):
            worker = make_worker(f"{prefix}{n}", time_zone="Asia/Kolkata")
            learn(worker, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 3)
        with CaptureQueriesContext(connection) as queries:
            weekly_rollup(now=NOW)
        return len(queries)

    weekly_rollup(now=NOW)  # the watermarks exist from now on
    assert run(3, "a") == run(30, "b")


@pytest.mark.sqlite
def test_an_hourly_run_finds_the_new_rows_by_index_without_reading_every_event(worker, db):
    # SQLite keeps no statistics: grouped by the worker column, it read the whole (worker, time) index
    # to find an hour's rows (0.2 s for a million events).
    for week in range(6):
        learn(worker, NOW - timedelta(days=7 * week + 1), 5)
    tagging = TaskType.objects.create(code="tagging", name="Tagging", pay_rate=Decimal("0.02"))

    def work(result_id: str, end: datetime) -> None:
        WorkResult.objects.create(
            result_id=result_id, worker=worker, task_type=tagging, period_start=end - timedelta(hours=1),
            period_end=end, tasks_completed=4, minutes_worked=20, accuracy=Decimal("0.9"), body_hash="x",
        )  # fmt: skip

    work("r1", NOW - timedelta(days=1))
    weekly_rollup(now=NOW)
    learn(worker, NOW - timedelta(minutes=20), 1)
    work("r2", NOW - timedelta(minutes=10))
    with CaptureQueriesContext(connection) as queries:
        weekly_rollup(now=NOW)
    plans = {}
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if sql.startswith("SELECT") and "MIN(" in sql and " FILTER (WHERE " in sql:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
                plans[sql] = [row[-1] for row in cursor.fetchall()]
    assert len(plans) == 2, list(plans)  # learning events and work results
    for sql, plan in plans.items():
        assert not any(step.startswith("SCAN") for step in plan), (sql, plan)
        assert any(step.startswith("SEARCH") for step in plan), (sql, plan)


def test_rows_outside_the_records_window_are_skipped_and_reported_and_the_run_moves_on(worker, utc_worker):
    tagging = TaskType.objects.create(code="tagging", name="Tagging", pay_rate=Decimal("0.02"))
    far = datetime(9999, 12, 31, tzinfo=UTC)
    WorkResult.objects.create(
        result_id="far", worker=worker, task_type=tagging, period_start=far - timedelta(days=1),
        period_end=far, tasks_completed=5, minutes_worked=5, accuracy=Decimal("1"), body_hash="x",
    )  # fmt: skip
    event(worker, Kind.LESSON_COMPLETED, datetime(1, 1, 2, tzinfo=UTC))
    learn(utc_worker, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 5)

    result = weekly_rollup(now=NOW)

    assert result.skipped_rows == 2
    assert list(WeeklyRecord.objects.values_list("worker_id", "minutes_learned")) == [(utc_worker.pk, 5)]
    assert RollupWatermark.objects.get(source="work_results").last_id == WorkResult.objects.get().pk
    # The next run does not read them again, and reports nothing.
    assert weekly_rollup(now=NOW).skipped_rows == 0


def test_a_worker_whose_weeks_cannot_be_told_is_skipped_and_the_others_recorded(worker, utc_worker, caplog):
    from lms.models import WorkerProfile

    WorkerProfile.objects.filter(pk=worker.pk).update(time_zone="Mars/Olympus")
    for w in (worker, utc_worker):
        learn(w, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 5)

    result = weekly_rollup(now=NOW)

    assert result.failed_workers == (worker.pk,)
    assert list(WeeklyRecord.objects.values_list("worker_id", flat=True)) == [utc_worker.pk]
    assert "Mars/Olympus" in caplog.text


def fail_for(monkeypatch, failing) -> None:
    """A fault in one worker's weeks, as a bad row would cause: a goal no weekly record can hold (none), so
    the database refuses their rows."""
    from lms.records import rollup

    real = rollup._workers

    def workers(worker_ids):
        found = real(worker_ids)
        if failing.pk in found:
            found[failing.pk] = dataclasses.replace(found[failing.pk], goal=None)
        return found

    monkeypatch.setattr(rollup, "_workers", workers)


def test_a_failure_while_writing_one_workers_weeks_keeps_the_rest_of_the_chunk(make_worker, monkeypatch):
    workers = [make_worker(f"c{n}", time_zone="Asia/Kolkata") for n in range(3)]
    for w in workers:
        learn(w, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 5)
    fail_for(monkeypatch, workers[1])
    result = weekly_rollup(now=NOW)

    assert result.failed_workers == (workers[1].pk,)
    assert set(WeeklyRecord.objects.values_list("worker_id", flat=True)) == {workers[0].pk, workers[2].pk}


def test_a_rebuild_commits_in_chunks_of_workers(make_worker, monkeypatch):
    from lms.records import rollup

    monkeypatch.setattr(rollup, "WORKERS_PER_TRANSACTION", 2)
    workers = [make_worker(f"k{n}", time_zone="UTC") for n in range(5)]
    for w in workers:
        learn(w, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), 2)
    with CaptureQueriesContext(connection) as queries:
        weekly_rollup(now=NOW)
    # Three chunks of at most two workers, each its own transaction, then the watermarks.
    commits = [q for q in queries.captured_queries if q["sql"].startswith(("BEGIN", "COMMIT", "SAVEPOINT"))]
    assert WeeklyRecord.objects.count() == 5
    assert len(commits) >= 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_large_run_on_postgresql_spreads_its_chunks_over_connections_with_the_same_records(
    make_worker, monkeypatch, settings
):
    from lms.records import rollup

    monkeypatch.setattr(rollup, "WORKERS_PER_TRANSACTION", 2)
    monkeypatch.setattr(rollup, "PARALLEL_CHUNK", 2)
    workers = [make_worker(f"p{n}", time_zone=("UTC", "Asia/Kolkata")[n % 2]) for n in range(9)]
    rng = random.Random(3)
    for w in workers:
        for _ in range(4):
            learn(w, datetime(2026, 10, 1, tzinfo=UTC) + timedelta(hours=rng.randint(0, 24 * 50)), 10)
    real_workers, real_rebuild = rollup._workers, rollup._rebuild_isolated
    backends = set()

    def rebuild(touched, moved, now):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backends.add(cursor.fetchone()[0])
        return real_rebuild(touched, moved, now)

    monkeypatch.setattr(rollup, "_rebuild_isolated", rebuild)
    fail_for(monkeypatch, workers[4])
    settings.LADDER_ROLLUP_CONNECTIONS = 3
    result = weekly_rollup(now=NOW)
    spread = table()

    assert len(backends) == 3  # nine workers: three connections, each two chunks of at most two workers
    assert result.failed_workers == (workers[4].pk,)
    assert {worker_id for worker_id, _ in spread} == {w.pk for w in workers} - {workers[4].pk}
    settings.LADDER_ROLLUP_CONNECTIONS = 1
    monkeypatch.setattr(rollup, "_workers", real_workers)
    WeeklyRecord.objects.all().delete()
    RollupWatermark.objects.all().delete()
    backends.clear()
    weekly_rollup(now=NOW)
    assert len(backends) == 1
    assert {key: row for key, row in table().items() if key[0] != workers[4].pk} == spread
    assert len(spread) > 40


def test_the_rollup_connections_setting_takes_one_to_eight(monkeypatch):
    from lms.settings.base import env_int

    for wrong in ("0", "9", "two", "-1", "1.5", "²"):
        monkeypatch.setenv("LADDER_ROLLUP_CONNECTIONS", wrong)
        with pytest.raises(ValueError, match="LADDER_ROLLUP_CONNECTIONS must be a whole number from 1 to 8"):
            env_int("LADDER_ROLLUP_CONNECTIONS", 2, 1, 8)
    monkeypatch.setenv("LADDER_ROLLUP_CONNECTIONS", " 4 ")
    assert env_int("LADDER_ROLLUP_CONNECTIONS", 2, 1, 8) == 4
    monkeypatch.setenv("LADDER_ROLLUP_CONNECTIONS", "")
    assert env_int("LADDER_ROLLUP_CONNECTIONS", 2, 1, 8) == 2
