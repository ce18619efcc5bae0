from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assignment.models import Appeal, Suspension, TaskType, WorkResult
from assignment.services.eligibility import eligibility_settle
from lms.measures import accuracy_totals, task_weighted_accuracy
from lms.models import WorkerProfile
from lms.services import worker_lock


class AppealError(Exception):
    """A request about a suspension or appeal the rules refuse; safe to show."""


def window_accuracy(
    *, worker: WorkerProfile, task_type: TaskType, now: datetime
) -> tuple[Decimal | None, int]:
    """Task-weighted accuracy of the work that ended within the task type's window, and the task count."""
    since = now - timedelta(days=task_type.accuracy_window_days)
    totals = WorkResult.objects.filter(worker=worker, task_type=task_type, period_end__gt=since).aggregate(
        **accuracy_totals(tasks="tasks_completed", accuracy="accuracy")
    )
    return task_weighted_accuracy(totals["weighted"], totals["tasks"]), totals["tasks"] or 0


@transaction.atomic
def quality_check(
    *, worker: WorkerProfile, task_type: TaskType, now: datetime | None = None
) -> Suspension | None:
    """Suspend the worker from the task type when recent accuracy falls below its threshold.

    The suspension names the refresher that lifts it; eligibility changes (and is announced) at once.
    """
    now = now or timezone.now()
    if task_type.accuracy_threshold is None:
        return None
    # Two batches of results for one worker at once must not both see "not suspended yet".
    worker_lock(worker_id=worker.pk)
    accuracy, tasks = window_accuracy(worker=worker, task_type=task_type, now=now)
    if (
        accuracy is None
        or tasks < task_type.min_tasks_for_suspension
        or accuracy >= task_type.accuracy_threshold
    ):
        return None
    if Suspension.objects.filter(worker=worker, task_type=task_type, lifted_at__isnull=True).exists():
        return None
    suspension = Suspension.objects.create(
        worker=worker,
        task_type=task_type,
        started_at=now,
        accuracy=accuracy,
        threshold=task_type.accuracy_threshold,
        tasks_counted=tasks,
        refresher=task_type.refresher,
    )
    eligibility_settle(worker=worker, reason=f"suspended from {task_type.code}: accuracy {accuracy}")
    return suspension


@transaction.atomic
def suspension_lift(*, suspension: Suspension, reason: str, by: AbstractBaseUser | None = None) -> Suspension:
    """End a suspension (refresher passed, or a manager's decision); eligibility is recomputed."""
    suspension = Suspension.objects.select_for_update().get(pk=suspension.pk)
    if suspension.lifted_at is not None:
        return suspension
    suspension.lifted_at = timezone.now()
    suspension.lifted_reason = reason[:300]
    suspension.lifted_by = by
    suspension.save(update_fields=["lifted_at", "lifted_reason", "lifted_by"])
    eligibility_settle(worker=suspension.worker, reason=f"suspension from {suspension.task_type.code} lifted")
    return suspension


def suspensions_lift_for_refresher(*, worker: WorkerProfile, assessment_id: int) -> list[Suspension]:
    """Lift every active suspension whose refresher is the check the worker just passed."""
    active = Suspension.objects.filter(worker=worker, refresher_id=assessment_id, lifted_at__isnull=True)
    return [suspension_lift(suspension=s, reason="Passed the refresher check") for s in active]


@transaction.atomic
def appeal_create(*, worker: WorkerProfile, suspension_id: int, message: str) -> Appeal:
    """The worker asks their manager to review a suspension; one open appeal at a time."""
    suspension = Suspension.objects.filter(pk=suspension_id, worker=worker, lifted_at__isnull=True).first()
    if suspension is None:
        raise AppealError(_("This suspension is not active."))
    if suspension.appeals.filter(decision=Appeal.Decision.PENDING).exists():
        raise AppealError(_("You already asked for a review. Your manager will answer."))
    message = message.strip()
    if not message:
        raise AppealError(_("Tell your manager why the work should be reviewed."))
    return Appeal.objects.create(suspension=suspension, message=message[:1000])


@transaction.atomic
def appeal_answer(*, appeal: Appeal, by: AbstractBaseUser, lift: bool, answer: str) -> Appeal:
    """A manager answers an appeal: lift the suspension or keep it, with a note to the worker."""
    appeal = Appeal.objects.select_for_update().select_related("suspension").get(pk=appeal.pk)
    if appeal.decision != Appeal.Decision.PENDING:
        raise AppealError(_("This appeal was already answered."))
    if appeal.suspension.worker.user_id == by.pk:
        raise AppealError(_("You cannot answer your own appeal."))
    appeal.decision = Appeal.Decision.LIFTED if lift else Appeal.Decision.UPHELD
    appeal.answer = answer.strip()
    appeal.answered_by = by
    appeal.answered_at = timezone.now()
    appeal.save(update_fields=["decision", "answer", "answered_by", "answered_at"])
    if lift:
        suspension_lift(suspension=appeal.suspension, reason=f"Appeal accepted: {appeal.answer}", by=by)
    return appeal
