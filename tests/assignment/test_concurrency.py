"""Two batches of work results for one worker at once: one suspension, no error (PostgreSQL)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assignment.models import Suspension
from assignment.services.work_results import WorkResultIn, work_results_ingest
from tests.assessments.test_concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_poor_results_for_one_worker_suspend_once(worker, task_types):
    end = timezone.now() - timedelta(hours=1)

    def batch(n: int):
        return lambda: work_results_ingest(
            results=[
                WorkResultIn(
                    id=f"batch-{n}",
                    worker=worker.external_id,
                    task_type="bounding-boxes",
                    period_start=end - timedelta(hours=1),
                    period_end=end,
                    tasks_completed=40,
                    minutes_worked=60,
                    accuracy=Decimal("0.5"),
                )  # fmt: skip
            ]
        )

    calls = iter([batch(0), batch(1)])  # each thread takes one batch
    results = run_together(2, lambda: next(calls)())

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Suspension.objects.filter(worker=worker, lifted_at__isnull=True).count() == 1
