import threading

import pytest
from django.db import connection, connections

from assessments import services
from assessments.models import Attempt, BadgeAward, BadgeEvidence
from lms.models import LearningEvent
from tests.assessments.fixtures import right_answers

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(count: int, action) -> list:
    """Run `action` in `count` threads released at the same instant, each with its own connection."""
    barrier = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def work():
        try:
            barrier.wait()
            outcome = action()
        except Exception as error:  # noqa: BLE001 - every outcome is collected and asserted on
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=work) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_concurrent_submits_grade_once_and_award_once(worker, assessment, badge):
    assert connection.vendor == "postgresql"
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    answers = right_answers(attempt)

    results = run_together(
        20, lambda: services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers)
    )

    assert len(results) == 20
    assert not [r for r in results if isinstance(r, Exception)]
    assert {r.attempt.pk for r in results} == {attempt.pk}
    assert {str(r.attempt.score) for r in results} == {"100.00"}
    assert LearningEvent.objects.filter(kind="attempt_submitted", subject_id=attempt.pk).count() == 1
    assert BadgeAward.objects.filter(worker=worker, badge=badge).count() == 1
    assert BadgeEvidence.objects.count() == 1


def test_concurrent_starts_open_one_attempt(worker, assessment):
    results = run_together(10, lambda: services.attempt_start(worker=worker, assessment=assessment))
    assert not [r for r in results if isinstance(r, Exception)]
    assert Attempt.objects.filter(worker=worker).count() == 1
    assert {r.pk for r in results} == {Attempt.objects.get().pk}


def test_concurrent_passes_of_two_attempts_keep_one_active_award(worker, make_worker, make_assessment, badge):
    first = make_assessment(slug="first")
    second = make_assessment(slug="second")
    attempts = [services.attempt_start(worker=worker, assessment=a) for a in (first, second)]
    answers = {a.pk: right_answers(a) for a in attempts}
    queue = list(attempts)
    lock = threading.Lock()

    def submit():
        with lock:
            attempt = queue.pop()
        return services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=answers[attempt.pk])

    results = run_together(2, submit)

    assert not [r for r in results if isinstance(r, Exception)]
    assert BadgeAward.objects.filter(worker=worker, badge=badge, revoked_at__isnull=True).count() == 1
    assert BadgeEvidence.objects.count() == 2  # one award, renewed by the second pass
