from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from assessments.models import Assessment
from assessments.selectors import active_badge_slugs
from assignment.models import Appeal, Eligibility, Suspension, TaskType, WorkerEligibility
from assignment.services.eligibility import active_suspension_ids, evaluate
from lms.models import WorkerProfile


def task_types_active() -> QuerySet[TaskType]:
    return TaskType.objects.filter(active=True).prefetch_related("required_badges").order_by("tier", "code")


def task_types_public() -> list[dict]:
    return [
        {
            "code": t.code,
            "name": t.name,
            "pay_rate": str(t.pay_rate),
            "currency": t.currency,
            "pay_unit": t.pay_unit,
            "required_badges": sorted(b.slug for b in t.required_badges.all()),
            "min_level": None,
        }
        for t in task_types_active()
    ]


def _verdicts(worker: WorkerProfile) -> dict[int, tuple[TaskType, bool, list[str], bool]]:
    """Stored eligibility per active task type; a type never computed for this worker is evaluated live."""
    task_types = list(task_types_active())
    stored = {row.task_type_id: row for row in Eligibility.objects.filter(worker=worker)}
    result = {}
    held = suspended = None
    for task_type in task_types:
        row = stored.get(task_type.pk)
        if row is not None:
            result[task_type.pk] = (task_type, row.eligible, row.missing, row.suspended)
            continue
        if held is None:
            held, suspended = active_badge_slugs(worker_id=worker.pk), active_suspension_ids(worker=worker)
        verdict = evaluate(task_type, held=held, suspended_ids=suspended)
        result[task_type.pk] = (task_type, verdict.eligible, verdict.missing, verdict.suspended)
    return result


def eligibility_public(*, external_id: str) -> dict | None:
    worker = WorkerProfile.objects.filter(external_id=external_id).first()
    if worker is None:
        return None
    version = WorkerEligibility.objects.filter(worker=worker).values_list("version", flat=True).first() or 0
    return {
        "worker": worker.external_id,
        "level": None,
        "version": version,
        "task_types": [
            {"code": t.code, "eligible": eligible, "missing": missing, "suspended": suspended}
            for t, eligible, missing, suspended in _verdicts(worker).values()
        ],
    }


def eligible_workers_page(
    *, code: str, after_worker_id: int, size: int
) -> tuple[list[str], int | None] | None:
    task_type = TaskType.objects.filter(code=code, active=True).first()
    if task_type is None:
        return None
    rows = list(
        Eligibility.objects.filter(task_type=task_type, eligible=True, worker_id__gt=after_worker_id)
        .order_by("worker_id")
        .values_list("worker_id", "worker__external_id")[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    return [external for _, external in rows], rows[-1][0] if more else None


@dataclass(frozen=True)
class WorkCard:
    task_type: TaskType
    eligible: bool
    suspended: bool
    missing_badges: list
    learn: list  # (badge, assessment) pairs: where to earn what is missing
    pay_gain_percent: int | None


def work_for_worker(*, worker: WorkerProfile) -> dict:
    """The "My work" view: what the worker can do now, what is locked and why, and suspensions."""
    verdicts = list(_verdicts(worker).values())
    open_pay = [t.pay_rate for t, eligible, _, _ in verdicts if eligible and t.pay_unit == "task"]
    best = max(open_pay, default=None)
    missing_slugs = {slug for _, _, missing, _ in verdicts for slug in missing}
    checks = {
        a.badge.slug: a
        for a in Assessment.objects.filter(live=True, badge__slug__in=missing_slugs).select_related(
            "badge", "course"
        )
    }
    badges = {b.slug: b for t, *_ in verdicts for b in t.required_badges.all()}
    cards = [
        WorkCard(
            task_type=t,
            eligible=eligible,
            suspended=suspended,
            missing_badges=[badges[s] for s in missing],
            learn=[(badges[s], checks.get(s)) for s in missing],
            pay_gain_percent=_gain(best, t) if not eligible else None,
        )
        for t, eligible, missing, suspended in verdicts
    ]
    suspensions = list(
        Suspension.objects.filter(worker=worker, lifted_at__isnull=True)
        .select_related("task_type", "refresher")
        .prefetch_related("appeals")
    )
    return {
        "open": [c for c in cards if c.eligible],
        "locked": [c for c in cards if not c.eligible and not c.suspended],
        "suspensions": suspensions,
        "now": timezone.now(),
    }


def _gain(best: Decimal | None, task_type: TaskType) -> int | None:
    if best is None or not best or task_type.pay_unit != "task" or task_type.pay_rate <= best:
        return None
    return round(100 * (task_type.pay_rate - best) / best)


def appeals_pending() -> QuerySet[Appeal]:
    return Appeal.objects.filter(decision=Appeal.Decision.PENDING).select_related(
        "suspension__worker__user", "suspension__task_type"
    )
