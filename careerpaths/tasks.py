from celery import shared_task

from careerpaths import services
from lms.models import WorkerProfile


@shared_task(acks_late=True, time_limit=600)
def readiness_recompute_many(worker_ids: list[int]) -> int:
    """Re-evaluate readiness for these workers (after the weekly rollup changed their records)."""
    workers = WorkerProfile.objects.filter(pk__in=worker_ids).select_related("team", "user")
    for worker in workers:
        services.readiness_recompute(worker=worker)
    return len(worker_ids)


@shared_task(time_limit=1800)
def readiness_recompute_all(after_worker_id: int = 0) -> None:
    """Re-evaluate every worker after a career path or its levels changed, a batch per run."""
    batch = list(
        WorkerProfile.objects.filter(pk__gt=after_worker_id).order_by("pk").values_list("pk", flat=True)[:200]
    )
    readiness_recompute_many(batch)
    if len(batch) == 200:
        readiness_recompute_all.delay(batch[-1])
