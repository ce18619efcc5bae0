import logging
import secrets
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from assessments.models import EXPIRY_WARNING_DAYS, Attempt, BadgeAward, BadgeEvidence, SkillBadge
from assessments.services.credentials import credential_issue
from assessments.services.errors import AssessmentError
from lms import events
from lms.languages import language_supported
from lms.models import LearningEvent, WorkerProfile
from lms.services import learning_event_record, worker_lock

logger = logging.getLogger(__name__)


def _announce(award: BadgeAward, change: str) -> None:
    """Tell the apps above (readiness, eligibility, webhooks) about a badge change: `lms.events`."""
    events.publish(events.BadgeChanged(award=award, change=change))


def _expires(badge: SkillBadge, start: datetime) -> datetime | None:
    return start + relativedelta(months=badge.validity_months) if badge.validity_months else None


def _mark_expired(award: BadgeAward, now: datetime) -> None:
    award.expired_at = award.expires_at or now
    award.save(update_fields=["expired_at"])
    learning_event_record(
        worker=award.worker,
        kind=LearningEvent.Kind.BADGE_EXPIRED,
        occurred_at=award.expired_at,
        subject_id=award.badge_id,
        data={"award": str(award.uid)},
    )
    _announce(award, "expired")


@transaction.atomic
def badge_award(
    *,
    worker: WorkerProfile,
    badge: SkillBadge,
    attempt: Attempt | None = None,
    by: AbstractBaseUser | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> BadgeAward:
    """Award (or renew) a badge with its evidence: a passed attempt, or who decided and why.

    Idempotent per attempt; at most one active award per worker and badge.
    """
    now = now or timezone.now()
    reason = reason.strip()
    if attempt is None and (by is None or not reason):
        raise AssessmentError(_("A manual award needs the person awarding it and a reason."))
    # Two passes of different checks for the same badge must not both see "no award yet".
    worker_lock(worker_id=worker.pk)
    if attempt is not None:
        existing = (
            BadgeEvidence.objects.filter(attempt=attempt, award__badge=badge).select_related("award").first()
        )
        if existing:
            return existing.award
    award = (
        BadgeAward.objects.select_for_update()
        .filter(worker=worker, badge=badge, revoked_at__isnull=True, expired_at__isnull=True)
        .first()
    )
    if award and award.expires_at and award.expires_at <= now:
        _mark_expired(award, now)
        award = None
    kind = LearningEvent.Kind.BADGE_RENEWED if award else LearningEvent.Kind.BADGE_AWARDED
    if award is None:
        award = BadgeAward.objects.create(
            worker=worker,
            badge=badge,
            awarded_at=now,
            expires_at=_expires(badge, now),
            recipient_salt=secrets.token_hex(8),
        )
    else:
        award.renewed_at = now
        award.expires_at = _expires(badge, now)
        award.expiry_warned_at = None
        award.save(update_fields=["renewed_at", "expires_at", "expiry_warned_at"])
    BadgeEvidence.objects.create(award=award, attempt=attempt, awarded_by=by, reason=reason, created_at=now)
    credential_issue(award=award, now=now)
    learning_event_record(
        worker=worker, kind=kind, occurred_at=now, subject_id=badge.pk, data={"award": str(award.uid)}
    )
    _announce(award, "renewed" if kind == LearningEvent.Kind.BADGE_RENEWED else "awarded")
    return award


@transaction.atomic
def badge_revoke(*, award: BadgeAward, by: AbstractBaseUser, reason: str) -> BadgeAward:
    """Revoke an award with a reason; its assertion then answers as revoked. Twice changes nothing."""
    reason = reason.strip()
    if not reason:
        raise AssessmentError(_("Give a reason for revoking the badge."))
    award = BadgeAward.objects.select_for_update().get(pk=award.pk)
    if award.revoked_at:
        return award
    award.revoked_at = timezone.now()
    award.revoked_by = by
    award.revocation_reason = reason[:300]
    award.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    learning_event_record(
        worker=award.worker,
        kind=LearningEvent.Kind.BADGE_REVOKED,
        occurred_at=award.revoked_at,
        subject_id=award.badge_id,
        data={"award": str(award.uid), "reason": award.revocation_reason},
    )
    _announce(award, "revoked")
    return award


def badge_expire_due(*, now: datetime | None = None) -> int:
    """Mark awards whose validity ran out as expired; safe to run any number of times."""
    now = now or timezone.now()
    due = BadgeAward.objects.filter(
        revoked_at__isnull=True, expired_at__isnull=True, expires_at__isnull=False, expires_at__lte=now
    ).values_list("pk", flat=True)
    count = 0
    for award_id in list(due):
        try:
            with transaction.atomic():
                award = BadgeAward.objects.select_for_update().select_related("worker").get(pk=award_id)
                if award.expired_at is None and award.revoked_at is None:
                    _mark_expired(award, now)
                    count += 1
        except Exception:  # one bad award must not keep the others active
            logger.exception("expiring badge award %s failed; the next sweep tries again", award_id)
    return count


def badge_expiry_warn(*, now: datetime | None = None, days: int = EXPIRY_WARNING_DAYS) -> int:
    """Email each worker once when a badge will expire within `days`; returns how many were warned."""
    now = now or timezone.now()
    due = BadgeAward.objects.filter(
        revoked_at__isnull=True,
        expired_at__isnull=True,
        expiry_warned_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + relativedelta(days=days),
    ).select_related("worker__user", "badge")
    count = 0
    for award in due:
        if award.worker.user.email:
            # In the worker's language and time zone.
            with translation.override(language_supported(award.worker.language)):
                values = {
                    "badge": award.badge.translated("name"),
                    "day": date_format(timezone.localtime(award.expires_at, award.worker.tz), "j F Y"),
                    "url": f"{settings.WAGTAILADMIN_BASE_URL}/my/badges/",
                }
                subject = gettext("Your badge “%(badge)s” expires soon") % values
                body = (
                    gettext(
                        "Your badge “%(badge)s” expires on %(day)s. "
                        "Pass its skill check again to keep it: %(url)s"
                    )
                    % values
                )
            send_mail(subject, body, None, [award.worker.user.email])
        BadgeAward.objects.filter(pk=award.pk, expiry_warned_at__isnull=True).update(expiry_warned_at=now)
        count += 1
    return count
