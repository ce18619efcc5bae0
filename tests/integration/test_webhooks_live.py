import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks.webhooks import Webhook

from assessments import services as assessment_services
from assignment import services, tasks
from assignment.models import WebhookDelivery, WebhookEvent
from tests.servers import free_port, wait_until

pytestmark = pytest.mark.integration


class Receiver:
    """The work system's webhook receiver on loopback: verifies signatures, records ids."""

    def __init__(self, port: int, secret: str):
        self.port, self.secret, self.ids = port, secret, Counter()
        self.server = None

    def start(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                Webhook(receiver.secret).verify(body, dict(self.headers))
                receiver.ids[json.loads(body)["id"]] += 1
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def test_every_event_arrives_once_after_the_receiver_was_down(
    celery_worker, task_types, make_worker, entry_badge, assistant
):
    port = free_port()
    endpoint = services.webhook_endpoint_create(url=f"http://127.0.0.1:{port}/hooks")
    receiver = Receiver(port, endpoint.secret)
    workers = [make_worker(f"live{n}") for n in range(3)]

    # The receiver is down: the worker tries each delivery once and schedules a retry.
    for worker in workers:
        assessment_services.badge_award(
            worker=worker, badge=entry_badge, by=assistant, reason="Prior learning"
        )
    expected = set(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("event__uid", flat=True))
    assert len(expected) == 9  # per worker: eligibility set up, badge.awarded, eligibility.changed
    assert wait_until(lambda: not WebhookDelivery.objects.filter(endpoint=endpoint, attempts=0).exists())
    assert not WebhookDelivery.objects.filter(status="delivered").exists()

    # The receiver comes back; the retries fall due and the beat sweep queues them, twice over.
    receiver.start()
    try:
        WebhookDelivery.objects.filter(status="pending").update(
            next_attempt_at=WebhookEvent.objects.first().created_at
        )
        tasks.webhooks_send_due.delay()
        tasks.webhooks_send_due.delay()
        assert wait_until(lambda: WebhookDelivery.objects.filter(status="delivered").count() == 9)
        time.sleep(0.5)
    finally:
        receiver.stop()

    assert {str(uid) for uid in expected} == set(receiver.ids)
    assert max(receiver.ids.values()) == 1  # none twice by id
