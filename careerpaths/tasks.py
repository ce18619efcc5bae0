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
