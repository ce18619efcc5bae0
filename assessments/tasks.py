from celery import shared_task

from assessments import services


@shared_task
def attempts_close_overdue() -> int:
    """Close open attempts whose time limit and grace have passed."""
    return services.attempts_close_overdue()


@shared_task
def badges_expire_due() -> int:
    """Expire awards whose validity has run out."""
    return services.badge_expire_due()


@shared_task
def badges_warn_expiring() -> int:
    """Warn workers (once) about badges that expire soon."""
    return services.badge_expiry_warn()
