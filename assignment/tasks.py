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


@shared_task(acks_late=True, time_limit=600, soft_time_limit=570)
def xapi_send() -> int:
    """Send the xAPI statements that are due to the learning record store, in batches; when more are
    due than one run sends, the next run is queued at once (the beat runs it every 30 s besides)."""
    taken, more = services.xapi_send()
    if more:
        xapi_send.delay()
    return taken


@shared_task(acks_late=True, time_limit=600, soft_time_limit=570)
def eligibility_recompute_task_type(task_type_id: int, generation: int, after_worker_id: int = 0) -> None:
    """Recompute every worker's eligibility after a task type changed, a batch per run (one chain at once)."""
    following = services.eligibility_recompute_task_type(
        task_type_id=task_type_id, generation=generation, after_worker_id=after_worker_id
    )
    if following is not None:
        eligibility_recompute_task_type.delay(task_type_id, *following)


@shared_task
def eligibility_sweep() -> int:
    """Resume recomputes of task types that stalled (never published, or their worker died)."""
    stalled = services.task_types_stale()
    for task_type_id, generation, after in stalled:
        eligibility_recompute_task_type.delay(task_type_id, generation, after)
    return len(stalled)
