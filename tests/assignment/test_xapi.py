"""xAPI statements: what each learning event says, how they reach the store, and what happens when it fails.

The learning record store is outside the product: here a small loopback server that answers as told (the
integration test runs a real one, Ralph).
"""

import base64
import json
import threading
import uuid
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assignment import services
from assignment.models import XapiStatement
from assignment.services import xapi
from courses import services as course_services
from lms import roles
from lms.models import LearningEvent
from lms.services import user_create
from tests.assessments.fixtures import right_answers
from tests.conftest import PASSWORD
from tests.servers import free_port

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(settings):
    """A learning record store on loopback: records each POST; answers from `answers`, else 200.

    An answer is a status code, or a function of the posted statements giving (status, body).
    """
    calls, answers = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            calls.append({"path": self.path, "statements": body, "headers": dict(self.headers)})
            answer = answers.pop(0) if answers else 200
            status, text = answer(body) if callable(answer) else (answer, "[]")
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.LADDER_XAPI_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/lrs/xAPI"
    settings.LADDER_XAPI_USERNAME = "ladder"
    settings.LADDER_XAPI_PASSWORD = "store-password"
    yield calls, answers
    server.shutdown()
    server.server_close()


def learn(worker, lesson, start=T0):
    course_services.lesson_open(worker=worker, lesson=lesson, at=start)
    course_services.lesson_heartbeat(worker=worker, lesson=lesson, at=start + timedelta(seconds=40))
    course_services.lesson_heartbeat(worker=worker, lesson=lesson, at=start + timedelta(seconds=75))
    course_services.lesson_complete(worker=worker, lesson=lesson, at=start + timedelta(seconds=90))


def sent(verb):
    return XapiStatement.objects.get(verb=verb).statement


def test_nothing_is_kept_while_no_store_is_connected(worker, lessons):
    learn(worker, lessons[0])
    assert LearningEvent.objects.count() == 4
    assert not XapiStatement.objects.exists()


def test_a_statement_is_written_with_its_event_and_rolled_back_with_it(store, worker, lessons):
    with pytest.raises(RuntimeError), transaction.atomic():
        course_services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
        assert XapiStatement.objects.count() == 1
        raise RuntimeError("the request failed after the event")
    assert not XapiStatement.objects.exists()

    course_services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    row = XapiStatement.objects.get()
    event = LearningEvent.objects.get()
    # The id is derived from the event: building it again gives the same id and the same content.
    assert row.statement_id == uuid.uuid5(xapi.NAMESPACE, f"http://testserver/learning-event/{event.pk}")
    assert xapi.statement_for_event(event) == row.statement


def test_a_lesson_read_is_launched_experienced_and_completed_with_its_time(store, worker, lessons):
    learn(worker, lessons[0])

    launched = sent("launched")
    assert launched["actor"] == {
        "objectType": "Agent",
        "account": {"homePage": "http://testserver", "name": worker.external_id},
    }
    assert launched["verb"]["id"] == "http://adlnet.gov/expapi/verbs/launched"
    assert launched["object"]["id"] == f"http://testserver/xapi/activities/lesson/{lessons[0].pk}"
    assert launched["object"]["definition"]["name"] == {"en": lessons[0].title}
    assert launched["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/lesson"
    course = launched["context"]["contextActivities"]["parent"][0]
    assert course["definition"]["type"] == "http://adlnet.gov/expapi/activities/course"
    assert launched["timestamp"] == "2026-11-16T09:00:00.000Z"
    experienced = XapiStatement.objects.filter(verb="experienced")
    assert [s.statement["result"]["duration"] for s in experienced] == ["PT30S", "PT30S"]
    completed = sent("completed")
    assert completed["result"] == {"completion": True, "duration": "PT1M"}


def test_a_skill_check_is_attempted_then_passed_or_failed_with_its_score(store, worker, assessment):
    attempt = assessment_services.attempt_start(worker=worker, assessment=assessment, now=T0)
    assessment_services.attempt_submit(
        worker=worker, attempt_id=attempt.pk, responses={}, now=T0 + timedelta(minutes=4, seconds=5)
    )
    failed = sent("failed")
    assert failed["verb"]["id"] == "http://adlnet.gov/expapi/verbs/failed"
    assert failed["result"] == {
        "score": {"scaled": 0.0, "raw": 0.0, "min": 0, "max": 100},
        "success": False,
        "completion": True,
        "duration": "PT4M5S",
    }
    assert failed["context"]["registration"] == sent("attempted")["context"]["registration"]
    assert failed["object"]["definition"]["name"] == {"en": assessment.title}

    second = assessment_services.attempt_start(
        worker=worker, assessment=assessment, now=T0 + timedelta(days=2)
    )
    assessment_services.attempt_submit(
        worker=worker,
        attempt_id=second.pk,
        responses=right_answers(second),
        now=T0 + timedelta(days=2, hours=1),
    )
    passed = sent("passed")
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 1.0
    assert passed["context"]["registration"] != failed["context"]["registration"]
    earned = sent("earned")
    award = assessment.badge.awards.get()
    assert earned["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    badge_class = reverse("openbadges_badge", args=[assessment.badge.slug])
    assert earned["object"]["id"] == f"http://testserver{badge_class}"
    assert list(earned["context"]["extensions"].values()) == [
        f"http://testserver{reverse('openbadges_assertion', args=[award.uid])}"
    ]
    # The pass itself is told by "passed": no statement repeats it.
    assert XapiStatement.objects.count() == LearningEvent.objects.exclude(kind="attempt_passed").count()


def test_a_question_a_revocation_and_a_promotion_are_told(store, worker, lessons, entry_badge, assistant):
    course_services.question_ask(worker=worker, lesson=lessons[1], text="Is a van a car?", at=T0)
    asked = sent("asked")
    assert asked["result"] == {"response": "Is a van a car?"}
    assert asked["object"]["id"].endswith(f"/lesson/{lessons[1].pk}")

    award = assessment_services.badge_award(
        worker=worker, badge=entry_badge, by=assistant, reason="Prior work"
    )
    assessment_services.badge_revoke(award=award, by=assistant, reason="Given by mistake")
    revoked = sent("revoked")
    assert revoked["verb"]["id"] == "http://testserver/xapi/verbs/revoked"
    assert revoked["result"] == {"response": "Given by mistake"}


def test_a_promotion_is_told(store, worker, career_path, entry_badge, assistant):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior work")
    promoted = XapiStatement.objects.filter(promotion__isnull=False)
    assert promoted.exists()
    statement = promoted.first().statement
    level = promoted.first().promotion.to_level
    assert statement["verb"]["id"] == "http://testserver/xapi/verbs/promoted-to"
    assert statement["object"]["id"] == f"http://testserver/xapi/activities/career-level/{level.slug}"
    assert statement["object"]["definition"]["name"] == {"en": level.name}


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "PT0S"), (30, "PT30S"), (60, "PT1M"), (95, "PT1M35S"), (3600, "PT1H"), (3725, "PT1H2M5S")],
)
def test_durations_are_iso_8601(seconds, text):
    assert xapi.duration(seconds) == text


def test_statements_go_in_batches_with_the_xapi_version_and_the_stores_login(store, worker, lessons):
    calls, _ = store
    for lesson in lessons:
        learn(worker, lesson, T0 + timedelta(hours=lessons.index(lesson)))
    assert XapiStatement.objects.count() == 12

    assert xapi.xapi_send_batch(size=5) == 5
    assert xapi.xapi_send() == (7, False)

    assert [len(c["statements"]) for c in calls] == [5, 7]
    headers = {k.lower(): v for k, v in calls[0]["headers"].items()}
    assert calls[0]["path"] == "/lrs/xAPI/statements"
    assert headers["x-experience-api-version"] == "1.0.3"
    assert base64.b64decode(headers["authorization"].removeprefix("Basic ")) == b"ladder:store-password"
    assert set(XapiStatement.objects.values_list("status", flat=True)) == {"delivered"}
    sent_ids = [s["id"] for c in calls for s in c["statements"]]
    assert sorted(sent_ids) == sorted(
        str(i) for i in XapiStatement.objects.values_list("statement_id", flat=True)
    )


def test_one_statement_the_store_refuses_is_dead_lettered_the_others_delivered(store, worker, lessons):
    calls, answers = store
    learn(worker, lessons[0])
    bad = XapiStatement.objects.get(verb="completed")
    bad.statement["result"]["duration"] = "ninety seconds"
    bad.save(update_fields=["statement"])

    def refuse_the_bad_one(statements):
        if any(s["id"] == str(bad.statement_id) for s in statements):
            return 400, json.dumps(
                {"detail": f"Statement {bad.statement_id}: result.duration is not ISO 8601"}
            )
        return 200, "[]"

    answers.extend([refuse_the_bad_one] * 5)
    xapi.xapi_send()

    bad.refresh_from_db()
    assert (bad.status, bad.last_status_code) == ("dead", 400)
    assert bad.last_error == f"HTTP 400: Statement {bad.statement_id}: result.duration is not ISO 8601"
    others = XapiStatement.objects.exclude(pk=bad.pk)
    assert set(others.values_list("status", flat=True)) == {"delivered"}
    assert [len(c["statements"]) for c in calls] == [4, 1, 1, 1, 1]  # the batch, then one at a time


def test_a_store_that_is_down_is_retried_with_backoff_then_dead_after_72_hours(store, worker, lessons):
    _, answers = store
    course_services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    row = XapiStatement.objects.get()
    answers.extend([503, 401, 503])

    now = row.next_attempt_at
    xapi.xapi_send(now=now)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 503: []")
    assert timedelta(seconds=23) <= row.next_attempt_at - now <= timedelta(seconds=37)
    assert xapi.xapi_send(now=now + timedelta(seconds=10)) == (0, False)  # not due yet

    # A wrong password is a setting to fix, not a refusal of the statement: it is retried too.
    xapi.xapi_send(now=row.next_attempt_at)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 2, 401)

    xapi.xapi_send(now=row.queued_at + timedelta(hours=72, seconds=1))
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("dead", 3)


def test_an_unreachable_store_is_a_failed_try_not_an_error(store, settings, worker, lessons):
    settings.LADDER_XAPI_ENDPOINT = f"http://127.0.0.1:{free_port()}/xAPI"
    course_services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    assert xapi.xapi_send() == (1, False)
    row = XapiStatement.objects.get()
    assert (row.status, row.last_status_code, row.last_error) == ("pending", None, "ConnectionRefusedError")


def test_a_claimed_batch_is_not_sent_twice(store, worker, lessons):
    calls, _ = store
    course_services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    now = timezone.now()
    claimed = xapi._claim(now, 50)
    assert len(claimed) == 1
    assert xapi._claim(now, 50) == []  # a second sender at the same moment finds nothing
    assert calls == []


@pytest.fixture
def ops(db, client):
    user = user_create(username="ops", email="ops@ladder.example", password=PASSWORD, role=roles.ADMINS)
    client.force_login(user)
    return client


def test_admins_see_the_outbox_and_resend_dead_statements(store, ops, worker, lessons):
    learn(worker, lessons[0])
    XapiStatement.objects.update(status="dead", last_error="HTTP 400: bad", attempts=3)
    row = XapiStatement.objects.first()
    assert ops.get(reverse("xapi_statements:index")).status_code == 200
    page = ops.get(reverse("xapi_statements:inspect", args=[row.pk]))
    assert page.status_code == 200 and "HTTP 400: bad" in page.content.decode()

    # Asking is no change; the POST is.
    assert ops.get(reverse("xapi_statements:resend", args=[row.pk])).status_code == 200
    assert XapiStatement.objects.filter(status="dead").count() == 4
    ops.post(reverse("xapi_statements:resend", args=[row.pk]))
    row.refresh_from_db()
    assert (row.status, row.last_error) == ("pending", "")

    assert "3" in ops.get(reverse("xapi_statements:resend_dead")).content.decode()
    ops.post(reverse("xapi_statements:resend_dead"))
    assert set(XapiStatement.objects.values_list("status", flat=True)) == {"pending"}
    xapi.xapi_send()
    assert set(XapiStatement.objects.values_list("status", flat=True)) == {"delivered"}


def test_staff_without_the_role_cannot_resend(store, client, assistant, worker, lessons):
    course_services.lesson_open(worker=worker, lesson=lessons[0], at=T0)
    XapiStatement.objects.update(status="dead")
    client.force_login(assistant)
    assert client.post(reverse("xapi_statements:resend_dead")).status_code in (302, 403)
    assert XapiStatement.objects.get().status == "dead"


def test_backfill_queues_what_happened_before_the_store_was_connected_once(settings, worker, lessons):
    learn(worker, lessons[0], T0)
    learn(worker, lessons[1], T0 - timedelta(days=10))
    settings.LADDER_XAPI_ENDPOINT = "http://lrs.example/xAPI"

    out = call_command_output("xapi_backfill", "--since", "2026-11-10")
    assert out == "4 statements queued, 0 already queued, 0 skipped. They are sent in the background.\n"
    assert {r.event.occurred_at.date() for r in XapiStatement.objects.all()} == {date(2026, 11, 16)}
    out = call_command_output("xapi_backfill", "--since", "2026-11-01")
    assert out.startswith("4 statements queued, 4 already queued")
    # The same ids as if the store had been connected all along.
    for row in XapiStatement.objects.select_related("event"):
        assert row.statement == xapi.statement_for_event(row.event)


def test_backfill_refuses_bad_days_and_a_missing_store(settings, db):
    with pytest.raises(CommandError, match="no learning record store"):
        call_command("xapi_backfill", "--since", "2026-01-01")
    settings.LADDER_XAPI_ENDPOINT = "http://lrs.example/xAPI"
    with pytest.raises(CommandError, match="not a date"):
        call_command("xapi_backfill", "--since", "last tuesday")
    with pytest.raises(CommandError, match="from 2020-01-01 to today"):
        call_command("xapi_backfill", "--since", "1999-12-31")
    future = (timezone.now() + timedelta(days=2)).date().isoformat()
    with pytest.raises(CommandError, match="to today"):
        call_command("xapi_backfill", "--since", future)


def test_backfill_skips_and_reports_an_event_it_cannot_tell(settings, worker, assessment):
    attempt = assessment_services.attempt_start(worker=worker, assessment=assessment, now=T0)
    LearningEvent.objects.create(worker=worker, kind="attempt_started", occurred_at=T0, subject_id=999_999)
    settings.LADDER_XAPI_ENDPOINT = "http://lrs.example/xAPI"
    report = services.xapi_backfill(since=date(2026, 11, 1))
    assert report.queued == 1 and len(report.skipped) == 1
    assert "999999" in report.skipped[0]
    assert XapiStatement.objects.get().statement["context"]["registration"]
    assert attempt.pk != 999_999


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_an_event_that_cannot_be_told_still_counts_as_learning(store, worker, caplog):
    from lms.services import learning_event_record

    with transaction.atomic():
        event = learning_event_record(
            worker=worker, kind="attempt_started", occurred_at=T0, subject_id=999_999
        )
    assert LearningEvent.objects.filter(pk=event.pk).exists()
    assert not XapiStatement.objects.exists()
    assert "no xAPI statement for {'event': <LearningEvent" in caplog.text


def test_one_send_is_asked_for_however_many_statements_one_transaction_writes(
    store, worker, lessons, django_capture_on_commit_callbacks
):
    from assignment import tasks
    from lms.tasking import _Once

    with django_capture_on_commit_callbacks() as callbacks:
        learn(worker, lessons[0])
    assert XapiStatement.objects.count() == 4
    sends = [c for c in callbacks if isinstance(c, _Once) and c.task is tasks.xapi_send]
    assert len(sends) == 1
