from celery import shared_task
from django.core.management import call_command


@shared_task
def sessions_clear() -> None:
    """Delete expired login sessions."""
    call_command("clearsessions")


@shared_task(acks_late=True, time_limit=1800, soft_time_limit=1700)
def weekly_rollup() -> int:
    """Bring the weekly learning records up to date (hourly); the number of worker-weeks recomputed."""
    from lms.records.rollup import weekly_rollup as rollup

    return rollup().worker_weeks


@shared_task
def client_writes_prune() -> int:
    """Forget write ids too old to be replayed (daily); how many were forgotten."""
    from lms.services import client_writes_prune as prune

    return prune()
