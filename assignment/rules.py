"""The eligibility rule itself: which task types a worker may do, from what they hold. No reads, no writes."""

from dataclasses import dataclass

from assignment.models import TaskType
from careerpaths.models import CareerLevel


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    missing: list[str]
    suspended: bool


LEVEL_PREFIX = "level:"


def level_reached(level: CareerLevel | None, minimum: CareerLevel | None) -> bool:
    if minimum is None:
        return True
    return level is not None and level.path_id == minimum.path_id and level.sort_order >= minimum.sort_order


def evaluate(
    task_type: TaskType, *, held: set[str], suspended_ids: set[int], level: CareerLevel | None = None
) -> Verdict:
    """The eligibility rule: every required badge held (active), the minimum level reached, not suspended.

    A level still to reach is listed in `missing` as "level:<slug>", after the badge slugs.
    """
    missing = sorted(badge.slug for badge in task_type.required_badges.all() if badge.slug not in held)
    if not level_reached(level, task_type.min_level):
        missing.append(LEVEL_PREFIX + task_type.min_level.slug)
    suspended = task_type.pk in suspended_ids
    return Verdict(eligible=not missing and not suspended, missing=missing, suspended=suspended)
