"""Rollup figures: a full rollup over every event, a second run that must change nothing, and an
incremental run after an hour's worth of new events in the current week."""

import hashlib
import random
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


def measure(events_total: int) -> dict:
    WeeklyRecord.objects.all().delete()
    RollupWatermark.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    full = weekly_rollup()
    full_seconds = time.perf_counter() - started
    before = fingerprint()

    started = time.perf_counter()
    second = weekly_rollup()
    second_seconds = time.perf_counter() - started
    unchanged = fingerprint() == before

    # An hour of learning across the whole population, all in the current week.
    rng = random.Random(11)
    workers = list(WorkerProfile.objects.values_list("pk", flat=True))
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
    started = time.perf_counter()
    incremental = weekly_rollup()
    incremental_seconds = time.perf_counter() - started
    return {
        "full_seconds": full_seconds,
        "full_worker_weeks": full.worker_weeks,
        "second_seconds": second_seconds,
        "second_unchanged": unchanged,
        "second_worker_weeks": second.worker_weeks,
        "incremental_seconds": incremental_seconds,
        "incremental_events": per_hour,
        "incremental_worker_weeks": incremental.worker_weeks,
    }
