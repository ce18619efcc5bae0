from wagtail import hooks

from assignment import services
from assignment.viewsets import AssignmentGroup

BADGE_EVENTS = {
    "awarded": "badge.awarded",
    "renewed": "badge.awarded",
    "revoked": "badge.revoked",
    "expired": "badge.expired",
}


@hooks.register("badge_changed")
def badge_changed(*, award, change: str) -> None:
    """A badge change reaches the work system: a badge event, then eligibility (and its event)."""
    services.webhook_emit(
        type=BADGE_EVENTS[change],
        data={
            "worker": award.worker.external_id,
            "badge": award.badge.slug,
            "award": str(award.uid),
            "change": change,
            "expires_at": award.expires_at.isoformat() if award.expires_at else None,
            "reason": award.revocation_reason or None,
        },
    )
    services.eligibility_recompute(worker=award.worker, reason=f"badge {award.badge.slug} {change}")


@hooks.register("attempt_passed")
def refresher_passed(*, attempt) -> None:
    services.suspensions_lift_for_refresher(worker=attempt.worker, assessment_id=attempt.assessment_id)


@hooks.register("level_changed")
def level_changed(*, promotion) -> None:
    """A new level reaches the work system: `promotion.approved`, then eligibility (levels gate work)."""
    worker = promotion.worker
    services.webhook_emit(
        type="promotion.approved",
        data={
            "worker": worker.external_id,
            "from_level": promotion.from_level.slug if promotion.from_level else None,
            "level": promotion.to_level.slug,
            "approved_by": promotion.decided_by.get_username() if promotion.decided_by else None,
            "automatic": promotion.decision == "automatic",
            "note": promotion.note or None,
        },
    )
    services.eligibility_recompute(worker=worker, reason=f"level {promotion.to_level.slug}")


@hooks.register("worker_created")
def new_worker(*, worker) -> None:
    services.eligibility_recompute(worker=worker, reason="new worker")


@hooks.register("register_admin_viewset")
def register_assignment():
    return AssignmentGroup()
