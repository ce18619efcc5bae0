from celery import shared_task

from assignment import services


@shared_task(acks_late=True, time_limit=60, soft_time_limit=45)
def webhook_deliver(delivery_id: int) -> str:
    """Send one webhook delivery if it is due (claimed first, so running it twice sends once)."""
    return services.webhook_deliver(delivery_id=delivery_id)


@shared_task
def webhooks_send_due() -> int:
    """Queue every delivery whose next try is due: retries, and sends that were never published."""
    due = services.webhooks_due()
    for delivery_id in due:
        webhook_deliver.delay(delivery_id)
    return len(due)


@shared_task(time_limit=600)
def eligibility_recompute_task_type(task_type_id: int, after_worker_id: int = 0) -> None:
    """Recompute every worker's eligibility after a task type changed, a batch per run."""
    last = services.eligibility_recompute_task_type(
        task_type_id=task_type_id, after_worker_id=after_worker_id
    )
    if last is not None:
        eligibility_recompute_task_type.delay(task_type_id, last)


@shared_task
def eligibility_sweep() -> int:
    """Restart the recompute of task types still marked stale (their first run was never published)."""
    stale = services.task_types_stale()
    for task_type_id in stale:
        eligibility_recompute_task_type.delay(task_type_id)
    return len(stale)
