from celery import shared_task

from careerpaths import selectors, services
from lms.models import WorkerProfile


@shared_task(acks_late=True, time_limit=600, soft_time_limit=570)
def readiness_recompute_many(worker_ids: list[int]) -> int:
    """Re-evaluate readiness for these workers (after the weekly rollup changed their records)."""
    workers = WorkerProfile.objects.filter(pk__in=worker_ids).select_related("team", "user")
    for worker in workers:
        services.readiness_recompute(worker=worker)
    return len(worker_ids)


@shared_task(acks_late=True, time_limit=600, soft_time_limit=570)
def readiness_recompute_all(generation: int, after_worker_id: int = 0) -> None:
    """Re-evaluate every worker after a career path or its levels changed, a batch per run."""
    following = services.readiness_recompute_batch(generation=generation, after_worker_id=after_worker_id)
    if following is not None:
        readiness_recompute_all.delay(*following)


@shared_task
def readiness_sweep() -> int:
    """Resume a stalled path recompute, and recompute workers whose weekly records are newer than their
    readiness (the batch the rollup queued was never published or was lost)."""
    stalled = services.readiness_stalled()
    for generation, after in stalled:
        readiness_recompute_all.delay(generation, after)
    behind = selectors.readiness_behind_records()
    for start in range(0, len(behind), 200):
        readiness_recompute_many.delay(behind[start : start + 200])
    return len(stalled) + len(behind)
