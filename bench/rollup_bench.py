"""Rollup figures: a full rollup over every event, a second run that must change nothing, and an
incremental run after an hour's worth of new events in the current week."""

import hashlib
import random
import statistics
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from lms.models import LearningEvent, RollupWatermark, WeeklyRecord, WorkerProfile
from lms.records.rollup import weekly_rollup


def fingerprint() -> str:
    rows = WeeklyRecord.objects.order_by("worker_id", "week").values_list(
        "worker_id", "week", "minutes_learned", "lessons_completed", "attempts", "questions_asked",
        "goal_met", "streak", "tasks_done", "accuracy",
    )  # fmt: skip
    digest = hashlib.sha256()
    for row in rows.iterator(chunk_size=20_000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


RUNS = 3  # each timing is the median of three runs (DESIGN.md §8)


def timed(run) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _full() -> tuple[float, object]:
    WeeklyRecord.objects.all().delete()
    RollupWatermark.objects.all().delete()
    if connection.vendor == "postgresql":
        # As autovacuum keeps a production database: the deleted records cleared, the sources' visibility
        # known (an index-only scan reads no table page) and their statistics fresh.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return timed(weekly_rollup)


def _an_hour_later(events_total: int, rng: random.Random, workers: list[int]) -> tuple[float, object, int]:
    """An hour of learning across the whole population, all in the current week, then the hourly run."""
    per_hour = max(1, events_total // (12 * 7 * 24))
    now = timezone.now()
    LearningEvent.objects.bulk_create(
        LearningEvent(
            worker_id=rng.choice(workers),
            kind=LearningEvent.Kind.LEARNING_TIME,
            occurred_at=now - timedelta(seconds=rng.randrange(3600)),
            seconds=30,
        )
        for _ in range(per_hour)
    )
    seconds, result = timed(weekly_rollup)
    return seconds, result, per_hour


def measure(events_total: int) -> dict:
    fulls = [_full() for _ in range(RUNS)]
    before = fingerprint()
    seconds = [timed(weekly_rollup) for _ in range(RUNS)]
    unchanged = fingerprint() == before
    rng = random.Random(11)
    workers = list(WorkerProfile.objects.values_list("pk", flat=True))
    hours = [_an_hour_later(events_total, rng, workers) for _ in range(RUNS)]
    return {
        "full_seconds": statistics.median(t for t, _ in fulls),
        "full_runs": [t for t, _ in fulls],
        "full_worker_weeks": fulls[-1][1].worker_weeks,
        "second_seconds": statistics.median(t for t, _ in seconds),
        "second_unchanged": unchanged,
        "second_worker_weeks": seconds[-1][1].worker_weeks,
        "incremental_seconds": statistics.median(t for t, _, _ in hours),
        "incremental_runs": [t for t, _, _ in hours],
        "incremental_events": hours[-1][2],
        "incremental_worker_weeks": hours[-1][1].worker_weeks,
    }
