import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from assignment import services
from assignment.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.servers import free_port


@pytest.fixture
def receiver(endpoint):
    """The work system's HTTP endpoint on loopback, outside the product: records requests, answers as told.

    An answer is a status code, "drop" (close without answering), or ("drip", seconds) (send a byte at a
    time, never finishing).
    """
    calls, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            calls.append({"url": self.path, "body": body, "headers": dict(self.headers)})
            answer = answers.pop(0) if answers else 204
            if answer == "drop":
                self.close_connection = True
                return
            if isinstance(answer, tuple):
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(int(answer[1] * 10)):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            self.send_response(answer)
            self.send_header("Content-Length", "26")
            self.end_headers()
            self.wfile.write(b"internal secret: db=prod01")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    endpoint.save(update_fields=["url"])
    yield calls, answers
    server.shutdown()
    server.server_close()


def emit(type_="badge.awarded"):
    return services.webhook_emit(type=type_, data={"worker": "voahangy", "badge": "image-tagging"})


def test_deliveries_are_signed_per_standard_webhooks(endpoint, receiver, db):
    calls, _ = receiver
    event = emit()
    delivery = WebhookDelivery.objects.get(event=event)

    assert services.webhook_deliver(delivery_id=delivery.pk) == "delivered"

    sent = calls[0]
    headers = {name.lower(): value for name, value in sent["headers"].items()}
    payload = Webhook(endpoint.secret).verify(sent["body"], headers)
    assert payload == {
        "id": str(event.uid),
        "type": "badge.awarded",
        "created_at": event.created_at.isoformat(),
        "sequence": event.pk,
        "data": {"worker": "voahangy", "badge": "image-tagging"},
    }
    assert headers["webhook-id"] == str(event.uid)
    assert headers["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception):  # noqa: B017 - any verification failure will do
        Webhook(services.webhook_endpoint_create(url="https://x.example/").secret).verify(
            sent["body"], headers
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
    answers += [500, "drop", 503]
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
    assert delivery.last_error == "RemoteDisconnected"

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


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hooks",
        "http://[::1]/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost/hooks",
        "ftp://work.example/",
        "http://user:pw@work.example/",
    ],
)
def test_production_refuses_receivers_inside_our_network(url, settings, db):
    settings.LADDER_WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(services.outbound.UnsafeUrl):
        services.webhook_endpoint_create(url=url)
    assert not WebhookEndpoint.objects.exists()


def test_a_listed_host_may_be_private_and_the_admin_form_says_why_others_are_refused(settings, admin_client):
    from django.urls import reverse

    settings.LADDER_WEBHOOK_ALLOW_LOOPBACK = False
    settings.LADDER_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    assert services.webhook_endpoint_create(url="http://127.0.0.1:9/hooks")
    page = admin_client.post(reverse("webhook_endpoints:add"), {"url": "http://10.0.0.7/hooks"})
    assert "points inside a private network" in page.content.decode()
    assert WebhookEndpoint.objects.count() == 1


def test_each_send_checks_the_address_again(endpoint, receiver, settings, db):
    calls, _ = receiver
    settings.LADDER_WEBHOOK_ALLOW_LOOPBACK = False  # the host now resolves inside the network
    delivery = WebhookDelivery.objects.get(event=emit())
    assert services.webhook_deliver(delivery_id=delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert "private network" in delivery.last_error and delivery.attempts == 1
    assert calls == []


def test_redirects_are_not_followed_and_the_receivers_words_are_not_kept(endpoint, receiver, db):
    calls, answers = receiver
    answers += [302, 500]
    first, second = (WebhookDelivery.objects.get(event=emit()) for _ in range(2))
    assert services.webhook_deliver(delivery_id=first.pk) == "pending"
    assert services.webhook_deliver(delivery_id=second.pk) == "pending"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.last_status_code, first.last_error) == (302, "HTTP 302")
    assert (second.last_status_code, second.last_error) == (500, "HTTP 500")
    assert len(calls) == 2


def test_a_receiver_that_drips_bytes_is_cut_off_at_the_deadline_and_retried_later(
    endpoint, receiver, monkeypatch, db
):
    _, answers = receiver
    monkeypatch.setattr(services.outbound, "DEADLINE", 1.0)
    monkeypatch.setattr(services.outbound, "READ_TIMEOUT", 5.0)  # each byte comes well inside this
    answers.append(("drip", 4))
    delivery = WebhookDelivery.objects.get(event=emit())
    started = time.monotonic()
    assert services.webhook_deliver(delivery_id=delivery.pk) == "pending"
    assert time.monotonic() - started < 3
    delivery.refresh_from_db()
    assert delivery.last_error == "no answer within 1 s" and delivery.sending_until is None
    assert delivery.next_attempt_at > timezone.now()


def test_one_endpoint_gets_at_most_two_sends_at_once(endpoint, receiver, db):
    calls, _ = receiver
    deliveries = [WebhookDelivery.objects.get(event=emit()) for _ in range(3)]
    busy = timezone.now() + timedelta(minutes=1)
    WebhookDelivery.objects.filter(pk__in=[d.pk for d in deliveries[:2]]).update(sending_until=busy)
    assert services.webhook_deliver(delivery_id=deliveries[2].pk) == "skipped"
    assert calls == []
    WebhookDelivery.objects.update(sending_until=None)
    assert services.webhook_deliver(delivery_id=deliveries[2].pk) == "delivered"
