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


@shared_task(autoretry_for=(Exception,), retry_backoff=30, max_retries=5)
def credential_sign(credential_id: int) -> None:
    """Sign a newly issued Open Badges 3.0 credential (safe to run twice)."""
    services.credential_sign(credential_id=credential_id)


@shared_task
def credentials_sign_due() -> int:
    """Sign credentials an outage left unsigned."""
    return services.credentials_sign_due()
