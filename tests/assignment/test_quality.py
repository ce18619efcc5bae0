from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from assessments import services as assessment_services
from assignment import services
from assignment.models import Appeal, Suspension, WebhookEvent, WorkResult
from assignment.services.work_results import WorkResultIn
from tests.assessments.fixtures import right_answers

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def result(worker, n, accuracy, tasks=10, code="bounding-boxes", days_ago=1):
    end = NOW - timedelta(days=days_ago)
    return WorkResultIn(
        id=f"r-{worker.external_id}-{n}",
        worker=worker.external_id,
        task_type=code,
        period_start=end - timedelta(hours=2),
        period_end=end,
        tasks_completed=tasks,
        minutes_worked=120,
        accuracy=Decimal(accuracy),
    )


@pytest.fixture
def qualified(task_types, worker, entry_badge, box_badge, assistant):
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    return worker


def test_low_accuracy_suspends_assigns_the_refresher_and_passing_it_lifts(qualified, task_types):
    worker = qualified
    services.work_results_ingest(results=[result(worker, 1, "0.95")], now=NOW)
    assert not Suspension.objects.exists()  # good work

    services.work_results_ingest(results=[result(worker, 2, "0.70", tasks=30)], now=NOW)

    suspension = Suspension.objects.get()
    assert suspension.accuracy == Decimal("0.7625")  # (0.95×10 + 0.70×30) / 40
    assert suspension.refresher == task_types["boxes"].refresher
    row = worker.eligibilities.get(task_type=task_types["boxes"])
    assert (row.eligible, row.suspended) == (False, True)
    assert WebhookEvent.objects.filter(type="eligibility.changed").last().data["task_types"] == [
        {"code": "bounding-boxes", "eligible": False, "missing": [], "suspended": True}
    ]

    refresher = task_types["boxes"].refresher
    attempt = assessment_services.attempt_start(worker=worker, assessment=refresher)
    assessment_services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt))

    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and suspension.lifted_reason == "Passed the refresher check"
    row.refresh_from_db()
    assert (row.eligible, row.suspended) == (True, False)


def test_small_samples_and_old_work_never_suspend(qualified, task_types):
    worker = qualified
    services.work_results_ingest(results=[result(worker, 1, "0.10", tasks=5)], now=NOW)
    services.work_results_ingest(results=[result(worker, 2, "0.10", tasks=50, days_ago=9)], now=NOW)
    assert not Suspension.objects.exists()


def test_work_results_are_idempotent_and_conflicts_store_nothing(qualified):
    worker = qualified
    first = result(worker, 1, "0.95")
    assert services.work_results_ingest(results=[first], now=NOW) == {"accepted": 1, "duplicates": 0}
    assert services.work_results_ingest(results=[first], now=NOW) == {"accepted": 0, "duplicates": 1}

    changed = WorkResultIn(**{**first.__dict__, "accuracy": Decimal("0.5")})
    with pytest.raises(services.WorkResultConflict):
        services.work_results_ingest(results=[result(worker, 9, "0.9"), changed], now=NOW)
    assert WorkResult.objects.count() == 1


def test_appeal_once_and_a_manager_lifts_it(qualified, task_types, assistant):
    worker = qualified
    services.work_results_ingest(results=[result(worker, 1, "0.5", tasks=20)], now=NOW)
    suspension = Suspension.objects.get()

    with pytest.raises(services.AppealError):
        services.appeal_create(worker=worker, suspension_id=suspension.pk, message="   ")
    appeal = services.appeal_create(
        worker=worker, suspension_id=suspension.pk, message="The gold boxes were wrong."
    )
    with pytest.raises(services.AppealError, match="already asked"):
        services.appeal_create(worker=worker, suspension_id=suspension.pk, message="Again")
    with pytest.raises(services.AppealError, match="your own"):
        services.appeal_answer(appeal=appeal, by=worker.user, lift=True, answer="Yes")

    services.appeal_answer(appeal=appeal, by=assistant, lift=True, answer="You are right; the batch was bad.")

    appeal.refresh_from_db()
    suspension.refresh_from_db()
    assert appeal.decision == Appeal.Decision.LIFTED and suspension.lifted_by == assistant
    assert worker.eligibilities.get(task_type=task_types["boxes"]).eligible
