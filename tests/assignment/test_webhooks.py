from datetime import timedelta

import pytest
import requests
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from assignment import services
from assignment.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


class FakeResponse:
    def __init__(self, status_code: int):
        self.status_code = status_code
        self.ok = 200 <= status_code < 400
        self.text = "" if self.ok else "nope"


@pytest.fixture
def receiver(monkeypatch):
    """The work system's HTTP endpoint, outside the product: records requests, answers as told."""
    calls, answers = [], []

    def post(url, data, headers, timeout, allow_redirects):
        calls.append({"url": url, "body": data, "headers": headers})
        answer = answers.pop(0) if answers else 204
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(answer)

    monkeypatch.setattr(requests, "post", post)
    return calls, answers


def emit(type_="badge.awarded"):
    return services.webhook_emit(type=type_, data={"worker": "voahangy", "badge": "image-tagging"})


def test_deliveries_are_signed_per_standard_webhooks(endpoint, receiver, db):
    calls, _ = receiver
    event = emit()
    delivery = WebhookDelivery.objects.get(event=event)

    assert services.webhook_deliver(delivery_id=delivery.pk) == "delivered"

    sent = calls[0]
    payload = Webhook(endpoint.secret).verify(sent["body"], sent["headers"])
    assert payload == {
        "id": str(event.uid),
        "type": "badge.awarded",
        "created_at": event.created_at.isoformat(),
        "sequence": event.pk,
        "data": {"worker": "voahangy", "badge": "image-tagging"},
    }
    assert sent["headers"]["webhook-id"] == str(event.uid)
    assert sent["headers"]["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception):  # noqa: B017 - any verification failure will do
        Webhook(services.webhook_endpoint_create(url="https://x.example/").secret).verify(
            sent["body"], sent["headers"]
        )
    assert services.webhook_deliver(delivery_id=delivery.pk) == "skipped"  # running twice sends once
    assert len(calls) == 1


def test_endpoints_get_only_the_event_types_they_asked_for(db):
    everything = services.webhook_endpoint_create(url="https://a.example/")
    badges_only = services.webhook_endpoint_create(url="https://b.example/", event_types=["badge.awarded"])
    WebhookEndpoint.objects.create(url="https://off.example/", secret="whsec_AAAA", active=False)
    emit("eligibility.changed")
    emit("badge.awarded")
    assert WebhookDelivery.objects.filter(endpoint=everything).count() == 2
    assert WebhookDelivery.objects.filter(endpoint=badges_only).count() == 1
    assert WebhookDelivery.objects.count() == 3
    assert list(WebhookEvent.objects.values_list("pk", flat=True)) == sorted(
        WebhookEvent.objects.values_list("pk", flat=True)
    )


def test_failures_back_off_then_dead_letter_after_72_hours(endpoint, receiver, db):
    calls, answers = receiver
    event = emit()
    delivery = WebhookDelivery.objects.get(event=event)
    answers += [500, requests.ConnectionError("refused"), 503]
    now = timezone.now()

    assert services.webhook_deliver(delivery_id=delivery.pk, now=now) == "pending"
    delivery.refresh_from_db()
    first_wait = delivery.next_attempt_at - now
    assert timedelta(seconds=24) <= first_wait <= timedelta(seconds=36)
    assert services.webhook_deliver(delivery_id=delivery.pk, now=now) == "skipped"  # not due yet

    later = delivery.next_attempt_at
    assert services.webhook_deliver(delivery_id=delivery.pk, now=later) == "pending"
    delivery.refresh_from_db()
    assert timedelta(seconds=48) <= delivery.next_attempt_at - later <= timedelta(seconds=72)
    assert "ConnectionError" in delivery.last_error

    waits = [services.webhooks.retry_delay(n) for n in range(1, 30)]
    assert max(waits) <= timedelta(hours=7.2)
    assert sum(waits, timedelta()) > timedelta(hours=72)  # enough tries to span the 72 hours

    final = event.created_at + timedelta(hours=72, minutes=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=final)
    assert services.webhook_deliver(delivery_id=delivery.pk, now=final) == "dead"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("dead", 3, 503)

    services.webhook_resend(delivery=delivery)
    assert services.webhook_deliver(delivery_id=delivery.pk) == "delivered"
    assert len(calls) == 4


def test_410_disables_the_endpoint(endpoint, receiver, db):
    _, answers = receiver
    answers.append(410)
    first, second = emit(), emit()
    assert services.webhook_deliver(delivery_id=WebhookDelivery.objects.get(event=first).pk) == "disabled"
    endpoint.refresh_from_db()
    assert not endpoint.active and "410" in endpoint.disabled_reason
    assert services.webhook_deliver(delivery_id=WebhookDelivery.objects.get(event=second).pk) == "disabled"
    emit()
    assert WebhookDelivery.objects.count() == 2  # a disabled endpoint gets no new deliveries


def test_due_sweep_lists_only_pending_due_deliveries(endpoint, receiver, db):
    emit()
    emit()
    delivered = WebhookDelivery.objects.first()
    services.webhook_deliver(delivery_id=delivered.pk)
    future = WebhookDelivery.objects.exclude(pk=delivered.pk).get()
    assert services.webhooks_due() == [future.pk]
    WebhookDelivery.objects.filter(pk=future.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert services.webhooks_due() == []


def test_commands_print_the_key_and_the_secret_once(db, capsys):
    from assignment.models import ApiClient

    call_command("create_api_client", "Work system", "--scopes", "eligibility:read")
    key = capsys.readouterr().out.strip()
    client = ApiClient.objects.get()
    assert key.startswith("lk_") and client.scopes == ["eligibility:read"] and key != client.key_hash
    call_command("create_webhook_endpoint", "https://work.example/hooks", "--events", "badge.awarded")
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("whsec_") and WebhookEndpoint.objects.get().event_types == ["badge.awarded"]
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("create_webhook_endpoint", "not a url")
    with pytest.raises(CommandError):
        call_command("create_api_client", "X", "--scopes", "admin:all")
