"""How the assignment bridge reacts to what happens below it (`lms.events`); subscribed in `apps.py`.

Every reaction writes its webhook events (and xAPI statements) to the outbox in the caller's transaction
(sent after commit) and settles the worker's eligibility once per change, however many events the change
published.
"""

from assignment import services
from lms import events

BADGE_EVENTS = {
    "awarded": "badge.awarded",
    "renewed": "badge.awarded",
    "revoked": "badge.revoked",
    "expired": "badge.expired",
}


def badge_changed(event: events.BadgeChanged) -> None:
    """A badge change reaches the work system: a badge event, then eligibility (and its event)."""
    award = event.award
    services.webhook_emit(
        type=BADGE_EVENTS[event.change],
        data={
            "worker": award.worker.external_id,
            "badge": award.badge.slug,
            "award": str(award.uid),
            "change": event.change,
            "expires_at": award.expires_at.isoformat() if award.expires_at else None,
            "reason": award.revocation_reason or None,
        },
    )
    services.eligibility_settle(worker=award.worker, reason=f"badge {award.badge.slug} {event.change}")


def attempt_passed(event: events.AttemptPassed) -> None:
    """A passed refresher lifts the suspension it was set for."""
    attempt = event.attempt
    services.suspensions_lift_for_refresher(worker=attempt.worker, assessment_id=attempt.assessment_id)


def level_changed(event: events.LevelChanged) -> None:
    """A new level reaches the work system: `promotion.approved`, then eligibility (levels gate work)."""
    promotion = event.promotion
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
    services.eligibility_settle(worker=worker, reason=f"level {promotion.to_level.slug}")
    services.xapi_record_promotion(promotion=promotion)


def learning_recorded(event: events.LearningRecorded) -> None:
    """Every learning event is told to the company's learning record store (when one is connected)."""
    services.xapi_record_event(event=event.event)


def worker_created(event: events.WorkerCreated) -> None:
    services.eligibility_settle(worker=event.worker, reason="new worker")
