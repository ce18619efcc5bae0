from django.db import transaction
from django.utils import timezone

from assessments.selectors import active_badge_slugs
from assignment.models import Eligibility, TaskType, WorkerEligibility
from assignment.rules import Verdict, evaluate
from assignment.selectors import active_suspension_ids, worker_level
from assignment.services.webhooks import webhook_emit
from lms import events
from lms.chains import chain_bump, chain_run_batch, chains_stalled
from lms.models import WorkerProfile
from lms.services import worker_lock


def _changed(row: Eligibility | None, verdict: Verdict) -> bool:
    return row is None or (row.eligible, row.missing, row.suspended) != (
        verdict.eligible,
        verdict.missing,
        verdict.suspended,
    )


@transaction.atomic
def eligibility_recompute(*, worker: WorkerProfile, reason: str = "") -> list[Eligibility]:
    """Re-evaluate every active task type for the worker; store and announce what changed.

    A change bumps the worker's eligibility version and emits one `eligibility.changed` event.
    """
    worker_lock(worker_id=worker.pk)
    now = timezone.now()
    held = active_badge_slugs(worker_id=worker.pk, at=now)
    suspended_ids = active_suspension_ids(worker=worker)
    level = worker_level(worker=worker)
    rows = {row.task_type_id: row for row in Eligibility.objects.filter(worker=worker)}
    verdicts = {
        task_type: evaluate(task_type, held=held, suspended_ids=suspended_ids, level=level)
        for task_type in TaskType.objects.filter(active=True)
        .select_related("min_level")
        .prefetch_related("required_badges")
    }
    changed = {task_type: v for task_type, v in verdicts.items() if _changed(rows.get(task_type.pk), v)}
    if not changed:
        return []
    state, _ = WorkerEligibility.objects.select_for_update().get_or_create(worker=worker)
    state.version += 1
    state.computed_at = now
    state.save(update_fields=["version", "computed_at"])
    saved = []
    for task_type, verdict in changed.items():
        before = rows.get(task_type.pk)
        unlocked = before.first_unlocked_at if before else None
        row, _ = Eligibility.objects.update_or_create(
            worker=worker,
            task_type=task_type,
            defaults={
                "eligible": verdict.eligible,
                "missing": verdict.missing,
                "suspended": verdict.suspended,
                "version": state.version,
                "changed_at": now,
                "first_unlocked_at": unlocked or (now if verdict.eligible else None),
            },
        )
        saved.append(row)
    webhook_emit(
        type="eligibility.changed",
        data={
            "worker": worker.external_id,
            "version": state.version,
            "reason": reason,
            "task_types": [
                {"code": t.code, "eligible": v.eligible, "missing": v.missing, "suspended": v.suspended}
                for t, v in sorted(changed.items(), key=lambda item: item[0].code)
            ],
        },
    )
    return saved


def eligibility_settle(*, worker: WorkerProfile, reason: str) -> None:
    """Recompute the worker's eligibility once the change being made is done (`lms.events.settle`):
    one `eligibility.changed` for the whole change, naming every reason. At once outside an event."""
    events.settle(
        ("eligibility", worker.pk),
        lambda reasons: eligibility_recompute(worker=worker, reason="; ".join(reasons)),
        reason,
    )


def _chain_key(task_type_id: int) -> str:
    return f"eligibility:task-type:{task_type_id}"


def task_type_changed(*, task_type: TaskType) -> int:
    """Record that the type's rules changed; returns the generation every worker is now recomputed for."""
    return chain_bump(key=_chain_key(task_type.pk))


def eligibility_recompute_task_type(
    *, task_type_id: int, generation: int, after_worker_id: int = 0
) -> tuple[int, int] | None:
    """Recompute one batch of workers after a task type changed, if that batch is still to run.

    Returns the (generation, worker id) the next batch starts after, or None when nothing is left.
    """

    def recompute(worker_ids: list[int]) -> None:
        for worker in WorkerProfile.objects.filter(pk__in=worker_ids).order_by("pk"):
            eligibility_recompute(worker=worker, reason=f"task type {task_type_id} changed")

    return chain_run_batch(
        key=_chain_key(task_type_id), generation=generation, after=after_worker_id, work=recompute
    )


def task_types_stale() -> list[tuple[int, int, int]]:
    """(task type, generation, worker id) of recomputes that stalled: never published, or cut short."""
    prefix = _chain_key(0)[:-1]
    return [(int(key[len(prefix) :]), gen, cursor) for key, gen, cursor in chains_stalled(prefix=prefix)]
