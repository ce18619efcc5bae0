import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assignment.models import TaskType, WorkResult
from assignment.services.quality import quality_check
from lms.models import WorkerProfile


@dataclass(frozen=True)
class WorkResultIn:
    id: str
    worker: str
    task_type: str
    period_start: datetime
    period_end: datetime
    tasks_completed: int
    minutes_worked: int
    accuracy: Decimal

    def body_hash(self) -> str:
        # The same instant written with another offset is the same body.
        body = {
            "worker": self.worker,
            "task_type": self.task_type,
            "period_start": self.period_start.astimezone(UTC).isoformat(),
            "period_end": self.period_end.astimezone(UTC).isoformat(),
            "tasks_completed": self.tasks_completed,
            "minutes_worked": self.minutes_worked,
            "accuracy": str(self.accuracy.normalize()),
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


class WorkResultErrors(Exception):
    """Items that cannot be stored, by index and field; the batch is rejected whole."""

    def __init__(self, errors: list[dict]):
        super().__init__("Some work results are invalid; nothing was stored.")
        self.errors = errors


class WorkResultConflict(Exception):
    """A result id already stored with a different body; the batch is rejected whole."""

    def __init__(self, ids: list[str]):
        super().__init__("These result ids were already reported with different values: " + ", ".join(ids))
        self.ids = ids


# Work is reported within days; older periods, future ones and long ones are mistakes to refuse.
MAX_AGE = timedelta(days=90)
MAX_LENGTH = timedelta(days=31)
CLOCK_SKEW = timedelta(minutes=5)


def _period_errors(index: int, result: WorkResultIn, now: datetime) -> list[dict]:
    def error(field: str, msg: str) -> dict:
        return {"loc": ["body", "results", index, field], "msg": msg}

    if result.period_start.tzinfo is None or result.period_end.tzinfo is None:
        field = "period_start" if result.period_start.tzinfo is None else "period_end"
        return [error(field, "Give the time with its UTC offset (e.g. +03:00 or Z).")]
    if result.period_end <= result.period_start:
        return [error("period_end", "Must be after period_start.")]
    errors = []
    if result.period_end > now + CLOCK_SKEW:
        errors.append(error("period_end", "Must not be in the future."))
    if result.period_start < now - MAX_AGE:
        errors.append(error("period_start", "Must be within the last 90 days."))
    if result.period_end - result.period_start > MAX_LENGTH:
        errors.append(error("period_end", "A period is at most 31 days long."))
    return errors


def _resolve(results: list[WorkResultIn], now: datetime) -> tuple[dict, dict]:
    workers = {
        w.external_id: w for w in WorkerProfile.objects.filter(external_id__in={r.worker for r in results})
    }
    task_types = {t.code: t for t in TaskType.objects.filter(code__in={r.task_type for r in results})}
    errors = []
    seen: dict[str, str] = {}
    for index, result in enumerate(results):
        if result.worker not in workers:
            errors.append({"loc": ["body", "results", index, "worker"], "msg": "Unknown worker."})
        if result.task_type not in task_types:
            errors.append({"loc": ["body", "results", index, "task_type"], "msg": "Unknown task type."})
        errors += _period_errors(index, result, now)
        if result.id in seen and seen[result.id] != result.body_hash():
            errors.append(
                {"loc": ["body", "results", index, "id"], "msg": "Repeated in the batch with other values."}
            )
        seen[result.id] = result.body_hash()
    if errors:
        raise WorkResultErrors(errors)
    return workers, task_types


@transaction.atomic
def work_results_ingest(*, results: list[WorkResultIn], now: datetime | None = None) -> dict[str, int]:
    """Store a batch of work results, all or nothing, idempotent by result id; then check quality.

    Same id and same body again is a duplicate (no new effect); same id with another body is a conflict.
    """
    now = now or timezone.now()
    workers, task_types = _resolve(results, now)
    stored = {
        r.result_id: r.body_hash for r in WorkResult.objects.filter(result_id__in={r.id for r in results})
    }
    conflicts = sorted({r.id for r in results if r.id in stored and stored[r.id] != r.body_hash()})
    if conflicts:
        raise WorkResultConflict(conflicts)
    fresh = {r.id: r for r in results if r.id not in stored}
    WorkResult.objects.bulk_create(
        [
            WorkResult(
                result_id=r.id,
                worker=workers[r.worker],
                task_type=task_types[r.task_type],
                period_start=r.period_start,
                period_end=r.period_end,
                tasks_completed=r.tasks_completed,
                minutes_worked=r.minutes_worked,
                accuracy=r.accuracy,
                body_hash=r.body_hash(),
                received_at=now,
            )
            for r in fresh.values()
        ]
    )
    for worker_id, code in sorted({(workers[r.worker].pk, r.task_type) for r in fresh.values()}):
        worker = next(w for w in workers.values() if w.pk == worker_id)
        quality_check(worker=worker, task_type=task_types[code], now=now)
    return {"accepted": len(fresh), "duplicates": len(results) - len(fresh)}
