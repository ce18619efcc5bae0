"""Does a badge predict the work it unlocks? Of the workers who unlocked a task type in a period, the
share whose first 20 tasks stayed at or above its accuracy threshold. Read by the impact report and
shown to learning assistants when a badge falls short."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, QuerySet, Sum, Window

from assignment.models import TaskType, WorkResult

FIRST_TASKS = 20
VALIDITY_DAYS = 90  # how long after an unlock the first 20 tasks are looked for
VALIDITY_SHARE = 0.8  # under this share staying above the threshold, the badge is flagged
MIN_WORKERS = 10


@dataclass(frozen=True)
class Validity:
    badge_slug: str
    badge_name: str
    task_type_code: str
    task_type_name: str
    threshold: float | None
    held: int  # workers whose first 20 tasks stayed at or above the threshold
    counted: int  # workers with 20 tasks since their unlock

    @property
    def share(self) -> float | None:
        return self.held / self.counted if self.counted else None

    @property
    def flagged(self) -> bool:
        return self.counted >= MIN_WORKERS and self.share is not None and self.share < VALIDITY_SHARE


def first_tasks_accuracy(results: list[tuple[int, float]], tasks: int = FIRST_TASKS) -> float | None:
    """Accuracy over the first `tasks` tasks, weighting each result by the tasks it adds; None if fewer."""
    counted, weighted = 0, 0.0
    for done, accuracy in results:
        take = min(done, tasks - counted)
        counted += take
        weighted += accuracy * take
        if counted == tasks:
            return weighted / tasks
    return None


def _after_unlock(workers: QuerySet, since: datetime, until: datetime, gated: list[int]) -> dict:
    """Each unlocked worker's results after the unlock, in order, up to the one that reaches the 20th
    task (a running sum in the database, so months of later work stay there); only those begun within
    90 days of the unlock count."""
    unlock = "worker__eligibilities__first_unlocked_at"
    earlier = Window(
        Sum("tasks_completed"),
        partition_by=[F("worker_id"), F("task_type_id")],
        order_by=[F("period_start").asc(), F("id").asc()],
    ) - F("tasks_completed")
    rows = (
        WorkResult.objects.filter(
            worker__in=workers,
            task_type_id__in=gated,
            worker__eligibilities__task_type=F("task_type"),
            **{f"{unlock}__gte": since, f"{unlock}__lt": until, f"{unlock}__lte": F("period_start")},
        )
        .annotate(earlier=earlier)
        .filter(earlier__lt=FIRST_TASKS)
        .order_by("worker_id", "task_type_id", "period_start", "id")
        .values_list("worker_id", "task_type_id", "tasks_completed", "accuracy", "period_start", unlock)
    )
    found: dict = defaultdict(list)
    window = timedelta(days=VALIDITY_DAYS)
    for worker_id, task_type_id, tasks, accuracy, started, unlocked in rows:
        if started < unlocked + window:  # a prefix of the ordered results: the cut is the SQL filter's
            found[(worker_id, task_type_id)].append((tasks, float(accuracy)))
    return found


def badge_validity(*, workers: QuerySet, since: datetime, until: datetime) -> list[Validity]:
    """One row per badge a task type requires, over the workers of `workers` unlocked in [since, until).
    Three queries, whatever the number of workers."""
    task_types = {t.pk: t for t in TaskType.objects.filter(required_badges__isnull=False).distinct()}
    badges = defaultdict(list)
    for task_type_id, slug, name in TaskType.required_badges.through.objects.filter(
        tasktype_id__in=list(task_types)
    ).values_list("tasktype_id", "skillbadge__slug", "skillbadge__name"):
        badges[task_type_id].append((slug, name))
    above: dict = defaultdict(lambda: [0, 0])
    for (_worker, task_type_id), results in _after_unlock(workers, since, until, list(task_types)).items():
        threshold = task_types[task_type_id].accuracy_threshold
        accuracy = first_tasks_accuracy(results)
        if threshold is not None and accuracy is not None:
            above[task_type_id][0] += accuracy >= float(threshold)
            above[task_type_id][1] += 1
    return [
        Validity(
            slug,
            name,
            task_type.code,
            task_type.name,
            float(task_type.accuracy_threshold) if task_type.accuracy_threshold is not None else None,
            *above.get(pk, (0, 0)),
        )
        for pk, task_type in sorted(task_types.items(), key=lambda item: item[1].code)
        for slug, name in badges[pk]
    ]
