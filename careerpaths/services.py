"""Every change to a worker's career level and readiness goes through these functions."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import active_badge_slugs
from careerpaths.models import CareerLevel, CareerPath, CareerStatus, Promotion
from careerpaths.selectors import accuracy_recent, streak_now
from lms import events
from lms.chains import chain_bump, chain_run_batch, chains_stalled
from lms.models import WorkerProfile
from lms.services import team_manager_add, worker_lock


class PromotionError(Exception):
    """A promotion decision the rules refuse; safe to show."""


def requirements_check(*, worker: WorkerProfile, level: CareerLevel, now: datetime) -> list[dict]:
    """Each requirement of the level, met or missing, with progress a person can read."""
    checks = [
        _badges_check(worker, level, now),
        _streak_check(worker, level, now),
        _accuracy_check(worker, level, now),
    ]
    if level.needs_approval:
        checks.append({"kind": "approval", "label": "A manager's approval", "met": False})
    # `label` is the English summary (for logs and exports); pages word each requirement from its numbers
    # in the reader's language (`careerpaths.requirements.describe`).
    return [check for check in checks if check is not None]


def _badges_check(worker: WorkerProfile, level: CareerLevel, now: datetime) -> dict | None:
    needed = {badge.slug: badge.name for badge in level.required_badges.all()}
    if not needed:
        return None
    held = active_badge_slugs(worker_id=worker.pk, at=now) & set(needed)
    return {
        "kind": "badges",
        "label": f"{len(held)} of {len(needed)} badges",
        "held": len(held),
        "needed": len(needed),
        "met": len(held) == len(needed),
        "missing": sorted(name for slug, name in needed.items() if slug not in held),
        "missing_slugs": sorted(slug for slug in needed if slug not in held),
    }


def _streak_check(worker: WorkerProfile, level: CareerLevel, now: datetime) -> dict | None:
    need_weeks = level.min_streak_weeks
    if not need_weeks:
        return None
    streak = streak_now(worker=worker, now=now)
    label = f"Learning streak {min(streak, need_weeks)} of {need_weeks} weeks"
    return {
        "kind": "streak",
        "label": label,
        "weeks": min(streak, need_weeks),
        "need": need_weeks,
        "met": streak >= need_weeks,
    }


def _accuracy_check(worker: WorkerProfile, level: CareerLevel, now: datetime) -> dict | None:
    if level.min_accuracy is None:
        return None
    days = level.accuracy_window_days
    accuracy, tasks = accuracy_recent(worker=worker, days=days, now=now)
    need = round(level.min_accuracy * 100)
    label = (
        f"Work accuracy {round(accuracy * 100)}% of {need}% ({tasks} tasks, {days} days)"
        if accuracy is not None
        else f"Work accuracy {need}%: no work reported in {days} days"
    )
    return {
        "kind": "accuracy",
        "label": label,
        "percent": round(accuracy * 100) if accuracy is not None else None,
        "need": need,
        "tasks": tasks,
        "days": days,
        "met": accuracy is not None and accuracy >= level.min_accuracy,
    }


def _next_level(path: CareerPath, level: CareerLevel | None) -> CareerLevel | None:
    levels = path.levels.all().order_by("sort_order", "pk")
    if level is not None:
        levels = levels.filter(sort_order__gt=level.sort_order)
    return levels.prefetch_related("required_badges").first()


def _promote(
    status: CareerStatus, to_level: CareerLevel, *, decision: str, by=None, note: str = "", now: datetime
) -> Promotion:
    promotion = Promotion.objects.create(
        worker=status.worker,
        from_level=status.level,
        to_level=to_level,
        decision=decision,
        note=note,
        decided_by=by,
        decided_at=now,
    )
    status.level = to_level
    status.level_since = now
    status.save(update_fields=["level", "level_since"])
    if to_level.team_lead:
        team_manager_add(worker=status.worker)
    events.publish(events.LevelChanged(promotion=promotion))
    return promotion


def _climb(status: CareerStatus, worker: WorkerProfile, now: datetime) -> tuple:
    """Reach every next level that needs no approval; (next level, its checks, all but approval met)."""
    while True:
        next_level = _next_level(status.path, status.level)
        checks = requirements_check(worker=worker, level=next_level, now=now) if next_level else []
        others_met = all(c["met"] for c in checks if c["kind"] != "approval")
        if next_level is None or not others_met or next_level.needs_approval:
            return next_level, checks, others_met
        _promote(status, next_level, decision=Promotion.Decision.AUTOMATIC, now=now)


@transaction.atomic
def readiness_recompute(*, worker: WorkerProfile, now: datetime | None = None) -> CareerStatus | None:
    """Re-evaluate the worker's next level; levels that need no approval are reached at once."""
    now = now or timezone.now()
    worker_lock(worker_id=worker.pk)
    status = CareerStatus.objects.select_related("level", "path").filter(worker=worker).first()
    if status is None:
        path = CareerPath.objects.order_by("pk").first()
        if path is None:
            return None
        status = CareerStatus.objects.create(worker=worker, path=path, level_since=now)
    status.worker = worker
    with events.together():  # climbing several levels at once changes eligibility once
        next_level, checks, others_met = _climb(status, worker, now)
    status.next_level = next_level
    status.requirements = checks
    status.ready = bool(next_level and next_level.needs_approval and others_met)
    status.computed_at = now
    status.save(update_fields=["next_level", "requirements", "ready", "computed_at"])
    return status


def manages(*, user: AbstractBaseUser, worker: WorkerProfile) -> bool:
    """Whether the user manages the worker's team (never their own record)."""
    return (
        worker.team_id is not None
        and worker.user_id != user.pk
        and worker.team.managers.filter(pk=user.pk).exists()
    )


@transaction.atomic
def promotion_decide(
    *,
    worker: WorkerProfile,
    by: AbstractBaseUser,
    approve: bool,
    note: str = "",
    to_level_id: int | None = None,
    now: datetime | None = None,
) -> Promotion:
    """A manager of the worker's team approves or declines the promotion the worker is ready for.

    `to_level_id` is the level the manager saw: a second click, or a second manager deciding at the
    same moment, is refused instead of promoting the worker twice.
    """
    now = now or timezone.now()
    if worker.user_id == by.pk:
        raise PromotionError(_("Nobody can decide their own promotion."))
    if not manages(user=by, worker=worker):
        raise PromotionError(_("You can only decide promotions for your own teams."))
    status = readiness_recompute(worker=worker, now=now)
    if to_level_id is not None and (status is None or status.next_level_id != to_level_id):
        raise PromotionError(_("This promotion was already decided; the page shows where the worker is now."))
    if status is None or not status.ready:
        raise PromotionError(_("This worker does not meet the requirements of the next level yet."))
    note = note.strip()
    if not approve and not note:
        raise PromotionError(_("Say why, so the worker knows what to work on."))
    if not approve:
        return Promotion.objects.create(
            worker=worker,
            from_level=status.level,
            to_level=status.next_level,
            decision=Promotion.Decision.DECLINED,
            note=note,
            decided_by=by,
            decided_at=now,
        )
    with events.together():  # the approved level and any it opens at once change eligibility once
        promotion = _promote(
            status, status.next_level, decision=Promotion.Decision.APPROVED, by=by, note=note, now=now
        )
        readiness_recompute(worker=worker, now=now)
    return promotion


READINESS_CHAIN = "readiness:all"


def readiness_paths_changed() -> int:
    """Record that career paths or levels changed; returns the generation every worker is recomputed for."""
    return chain_bump(key=READINESS_CHAIN)


def readiness_recompute_batch(*, generation: int, after_worker_id: int = 0) -> tuple[int, int] | None:
    """Recompute one batch of workers after a path changed, if still to run; the next batch or None."""

    def recompute(worker_ids: list[int]) -> None:
        for worker in WorkerProfile.objects.filter(pk__in=worker_ids).select_related("team", "user"):
            readiness_recompute(worker=worker)

    return chain_run_batch(key=READINESS_CHAIN, generation=generation, after=after_worker_id, work=recompute)


def readiness_stalled() -> list[tuple[int, int]]:
    """(generation, worker id) of a path recompute that stalled: never published, or cut short."""
    return [(gen, cursor) for _, gen, cursor in chains_stalled(prefix=READINESS_CHAIN)]
