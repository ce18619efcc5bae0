"""How learning and work are measured: one home for each formula the records, pages and rules share."""

from decimal import Decimal

from django.db.models import F, Sum

ACCURACY_PLACES = Decimal("0.0001")


def accuracy_totals(*, tasks: str, accuracy: str) -> dict:
    """Aggregates for a task-weighted accuracy over rows with a task count and an accuracy field:
    `tasks` (Σ tasks) and `weighted` (Σ accuracy × tasks). Read them with `task_weighted_accuracy`."""
    return {"tasks": Sum(tasks), "weighted": Sum(F(accuracy) * F(tasks))}


def task_weighted_accuracy(weighted, tasks: int | None) -> Decimal | None:
    """Σ accuracy × tasks / Σ tasks, to four places; None when no task was done."""
    if not tasks:
        return None
    return (Decimal(weighted) / tasks).quantize(ACCURACY_PLACES)


def goal_met(*, minutes: int, goal: int) -> bool:
    """A week meets its learning goal when the minutes learned reach it."""
    return minutes >= goal


def goal_percent(*, minutes: int, goal: int) -> int:
    """How far the minutes learned are towards the goal, 0–100 (a goal of 0 is met)."""
    if not goal:
        return 100
    return min(100, round(100 * minutes / goal))


def streak_now(*, this_week: tuple[bool, int] | None, last_week: tuple[bool, int] | None) -> int:
    """Weeks in a row meeting the goal, from (goal met, streak) of this week's and last week's records:
    this week's streak once met, else the one that ended last week (this week is not over)."""
    if this_week and this_week[0]:
        return this_week[1]
    return last_week[1] if last_week else 0
