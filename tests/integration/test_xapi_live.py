"""A real learning record store (Ralph) connected to Ladder: statements go in, are read back, once each."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from assignment import tasks
from assignment.models import XapiStatement
from courses import services as course_services
from tests.assessments.fixtures import right_answers
from tests.servers import RalphLRS, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def lrs(tmp_path, settings):
    store = RalphLRS(tmp_path / "lrs")
    store.start()
    settings.LADDER_XAPI_ENDPOINT = store.endpoint
    settings.LADDER_XAPI_USERNAME = store.username
    settings.LADDER_XAPI_PASSWORD = store.password
    yield store
    store.stop()


def learn_a_lesson(worker, lesson, start):
    course_services.lesson_open(worker=worker, lesson=lesson, at=start)
    course_services.lesson_heartbeat(worker=worker, lesson=lesson, at=start + timedelta(seconds=31))
    course_services.lesson_heartbeat(worker=worker, lesson=lesson, at=start + timedelta(seconds=62))
    course_services.lesson_complete(worker=worker, lesson=lesson, at=start + timedelta(seconds=70))


def by_id(statements):
    return {s["id"]: s for s in statements}


def test_a_worker_learns_and_the_store_holds_every_statement_once(
    lrs, celery_worker, worker, lessons, assessment
):
    start = timezone.now() - timedelta(minutes=30)
    learn_a_lesson(worker, lessons[0], start)
    course_services.question_ask(
        worker=worker, lesson=lessons[0], text="Is a van a car?", at=start + timedelta(minutes=2)
    )
    attempt = assessment_services.attempt_start(
        worker=worker, assessment=assessment, now=start + timedelta(minutes=3)
    )
    assessment_services.attempt_submit(
        worker=worker,
        attempt_id=attempt.pk,
        responses=right_answers(attempt),
        now=start + timedelta(minutes=8),
    )

    # Sent after each commit by the real worker, through the real broker.
    assert wait_until(lambda: not XapiStatement.objects.exclude(status="delivered").exists()), list(
        XapiStatement.objects.values_list("verb", "status", "last_error")
    )
    stored = by_id(lrs.statements())
    outbox = {str(s.statement_id): s for s in XapiStatement.objects.all()}
    assert set(stored) == set(outbox)
    verbs = Counter(s["verb"]["id"].rsplit("/", 1)[-1] for s in stored.values())
    assert verbs == {
        "launched": 1,
        "experienced": 2,
        "completed": 1,
        "asked": 1,
        "attempted": 1,
        "passed": 1,
        "earned": 1,
    }
    for statement in stored.values():
        assert statement["actor"]["account"] == {"homePage": "http://testserver", "name": worker.external_id}
        assert statement["object"]["id"].startswith("http://testserver/")
    completed = next(s for s in stored.values() if s["verb"]["id"].endswith("/completed"))
    assert completed["result"]["duration"] == "PT1M"  # two counted heartbeats of 30 s
    passed = next(s for s in stored.values() if s["verb"]["id"].endswith("/passed"))
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    assert passed["result"]["duration"] == "PT5M"

    # The store goes down; the worker goes on learning; the sends fail and wait for their retry.
    lrs.stop()
    learn_a_lesson(worker, lessons[1], start + timedelta(minutes=10))
    waiting = XapiStatement.objects.filter(status="pending")
    assert waiting.count() == 4
    assert wait_until(lambda: not waiting.filter(attempts=0).exists())
    assert set(waiting.values_list("last_error", flat=True)) == {"ConnectionRefusedError"}
    # One statement is one the store will refuse (a statement without a verb).
    bad = waiting.filter(verb="launched").get()
    del bad.statement["verb"]
    bad.save(update_fields=["statement"])

    # Back up: the retries fall due, the beat's sweep runs (twice, as two beats might).
    lrs.start()
    waiting.update(next_attempt_at=timezone.now())
    tasks.xapi_send.delay()
    tasks.xapi_send.delay()
    assert wait_until(lambda: not XapiStatement.objects.filter(status="pending").exists())

    bad.refresh_from_db()
    # Ralph refuses a statement that breaks the xAPI schema with 422 (the specification's 400, FastAPI's way)
    assert bad.status == "dead" and bad.last_status_code == 422, bad.last_error
    assert bad.last_error.startswith("HTTP 422: ") and "verb" in bad.last_error, bad.last_error
    every = lrs.statements()
    counts = Counter(s["id"] for s in every)
    assert set(counts.values()) == {1}  # nothing twice
    delivered_ids = XapiStatement.objects.filter(status="delivered").values_list("statement_id", flat=True)
    delivered = {str(i) for i in delivered_ids}
    assert set(counts) == delivered and len(delivered) == 11

    # Re-sending what the store already has changes nothing there (same id, same content).
    XapiStatement.objects.filter(status="delivered").update(status="pending", next_attempt_at=timezone.now())
    tasks.xapi_send.delay()
    assert wait_until(lambda: not XapiStatement.objects.filter(status="pending").exists())
    assert Counter(s["id"] for s in lrs.statements()) == counts
