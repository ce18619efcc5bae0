import base64
import json
import logging
import random
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from assignment.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from assignment.services import outbound
from lms.tasking import enqueue_on_commit

logger = logging.getLogger(__name__)
GIVE_UP_AFTER = timedelta(hours=72)
# A claimed delivery is not claimed again while it is being sent: longer than the send task's hard time
# limit (60 s), itself longer than the send's own deadline (outbound.DEADLINE).
LEASE = timedelta(minutes=5)
FIRST_RETRY_SECONDS = 30
MAX_RETRY_SECONDS = 6 * 3600
# Sends in flight to one endpoint at once: a slow receiver ties up at most this many workers.
PER_ENDPOINT = 2


def webhook_endpoint_create(*, url: str, event_types: list[str] | None = None) -> WebhookEndpoint:
    """Register an endpoint with a new Standard Webhooks secret (`whsec_` + base64 of 32 random bytes)."""
    outbound.url_check(url)
    known = {code for code, _ in WebhookEndpoint.EVENT_TYPES}
    unknown = set(event_types or []) - known
    if unknown:
        raise ValueError(f"Unknown event types {sorted(unknown)}; known: {sorted(known)}.")
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
    return WebhookEndpoint.objects.create(url=url, secret=secret, event_types=sorted(set(event_types or [])))


def webhook_emit(*, type: str, data: dict) -> WebhookEvent:
    """Write the event and one delivery per interested endpoint in the caller's transaction.

    Sending starts after commit; if the broker is down the periodic sweep sends it later.
    """
    event = WebhookEvent.objects.create(type=type, data=data)
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if e.wants(type)]
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=event.created_at)
            for endpoint in endpoints
        ]
    )
    from assignment import tasks  # tasks import services: a module-level import would be circular

    for delivery in deliveries:
        enqueue_on_commit(tasks.webhook_deliver, delivery.pk)
    return event


def webhook_body(event: WebhookEvent) -> str:
    return json.dumps(
        {
            "id": str(event.uid),
            "type": event.type,
            "created_at": event.created_at.isoformat(),
            "sequence": event.pk,
            "data": event.data,
        },
        separators=(",", ":"),
        sort_keys=True,
    )


def signed_headers(
    *, endpoint: WebhookEndpoint, event: WebhookEvent, body: str, now: datetime
) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with the endpoint's secret."""
    signature = Webhook(endpoint.secret).sign(msg_id=str(event.uid), timestamp=now, data=body)
    return {
        "Content-Type": "application/json",
        "User-Agent": "Ladder-Webhooks/1",
        "webhook-id": str(event.uid),
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with ±20 % jitter: 30 s, 1 min, 2 min, … up to 6 h between tries."""
    seconds = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))  # noqa: S311 - jitter, not security


@transaction.atomic
def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    delivery = (
        WebhookDelivery.objects.select_related("event", "endpoint")
        .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .first()
    )
    if delivery is None:
        return None
    # The endpoint's row serialises claims for it: at most PER_ENDPOINT sends in flight.
    WebhookEndpoint.objects.select_for_update().filter(pk=delivery.endpoint_id).first()
    in_flight = WebhookDelivery.objects.filter(endpoint_id=delivery.endpoint_id, sending_until__gt=now)
    if in_flight.count() >= PER_ENDPOINT:
        return None  # the due sweep offers it again shortly
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE, sending_until=now + LEASE)
    return delivery if claimed else None


def _post(delivery: WebhookDelivery, now: datetime) -> tuple[int | None, str]:
    """Send it; (status code, what went wrong in our words). Nothing the receiver wrote is kept."""
    body = webhook_body(delivery.event)
    headers = signed_headers(endpoint=delivery.endpoint, event=delivery.event, body=body, now=now)
    try:
        status = outbound.post(delivery.endpoint.url, body.encode(), headers)
    except (outbound.UnsafeUrl, outbound.SendFailed) as error:
        return None, str(error)[:300]
    except Exception as error:  # any failure is a failed attempt with back-off (soft time limit too)
        logger.warning("webhook delivery %s failed: %r", delivery.pk, error)
        return None, type(error).__name__
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def webhook_deliver(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one pending delivery if it is due; safe to run twice (the second finds nothing to claim).

    2xx delivers; 410 disables the endpoint; anything else is retried with backoff for 72 h, then
    dead-lettered.
    """
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return "skipped"
    if not delivery.endpoint.active:
        _finish(delivery, WebhookDelivery.Status.DISABLED, None, "endpoint disabled")
        return delivery.status
    status_code, error = _post(delivery, now)
    delivery.attempts += 1
    if status_code is not None and 200 <= status_code < 300:
        delivery.delivered_at = now
        _finish(delivery, WebhookDelivery.Status.DELIVERED, status_code, "")
    elif status_code == 410:
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(
            active=False, disabled_reason=f"answered 410 Gone at {now:%Y-%m-%d %H:%M} UTC"
        )
        _finish(delivery, WebhookDelivery.Status.DISABLED, status_code, "410 Gone: endpoint disabled")
    elif now - delivery.event.created_at >= GIVE_UP_AFTER:
        _finish(delivery, WebhookDelivery.Status.DEAD, status_code, error)
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        _finish(delivery, WebhookDelivery.Status.PENDING, status_code, error)
    return delivery.status


def _finish(delivery: WebhookDelivery, status: str, status_code: int | None, error: str) -> None:
    delivery.status = status
    delivery.last_status_code = status_code
    delivery.last_error = error
    delivery.sending_until = None
    delivery.save(
        update_fields=[
            "sending_until",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
        ]
    )


def webhooks_due(*, now: datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of pending deliveries whose next try is due, oldest first."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def webhook_resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Put a dead-lettered (or any) delivery back in the queue now; the admin's re-send button."""
    from assignment import tasks

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now(), last_error=""
    )
    enqueue_on_commit(tasks.webhook_deliver, delivery.pk)
    delivery.refresh_from_db()
    return delivery
