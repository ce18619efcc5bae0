from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.images.models import Image

from assessments.freezing import correct_answer_text, label_text, response_text
from assessments.models import (
    EXPIRY_WARNING_DAYS,
    STATUS_LIST_SIZE,
    Assessment,
    Attempt,
    AttemptQuestion,
    BadgeAward,
    BadgeCredential,
    BankQuestion,
)
from lms.models import WorkerProfile

Kind = BankQuestion.Kind


@dataclass
class CheckStatus:
    """Where a worker stands with one skill check: what they may do next, and why not."""

    assessment: Assessment
    open_attempt: Attempt | None
    used: int
    passed: bool
    best_score: object
    ready_at: datetime | None
    blocked_reason: str = ""
    history: list[Attempt] = field(default_factory=list)

    @property
    def attempts_left(self) -> int | None:
        if self.assessment.max_attempts is None:
            return None
        return max(0, self.assessment.max_attempts - self.used)

    @property
    def can_start(self) -> bool:
        return self.open_attempt is not None or not self.blocked_reason


def assessments_live() -> QuerySet[Assessment]:
    return Assessment.objects.filter(live=True)


def assessment_for_course(*, course_id: int) -> Assessment | None:
    return assessments_live().filter(course_id=course_id).select_related("badge").first()


def check_status(
    *, worker: WorkerProfile, assessment: Assessment, now: datetime | None = None
) -> CheckStatus:
    """The worker's attempts at a check and whether a new one may start (max attempts, cool-down)."""
    now = now or timezone.now()
    history = list(Attempt.objects.filter(worker=worker, assessment=assessment).order_by("-number"))
    finished = [a for a in history if not a.is_open]
    open_attempt = next((a for a in history if a.is_open and not (a.closes_at and now > a.closes_at)), None)
    status = CheckStatus(
        assessment=assessment,
        open_attempt=open_attempt,
        used=len(finished),
        passed=any(a.passed for a in finished),
        best_score=max((a.score for a in finished), default=None),
        ready_at=None,
        history=history,
    )
    if status.attempts_left == 0:
        status.blocked_reason = _("You have used all your tries for this skill check.")
    elif finished and not finished[0].passed and assessment.cooldown_minutes:
        ready_at = finished[0].finished_at + timedelta(minutes=assessment.cooldown_minutes)
        if now < ready_at:
            status.ready_at = ready_at
            status.blocked_reason = _("Take a short break and review the lesson before you try again.")
    return status


def course_skill_check(*, worker: WorkerProfile | None, course) -> dict:
    """The course's final skill check and where the worker stands with it (what a course page adds)."""
    assessment = assessment_for_course(course_id=course.pk)
    if assessment is None:
        return {}
    status = check_status(worker=worker, assessment=assessment) if worker else None
    return {"skill_check": assessment, "skill_check_status": status}


def attempt_for_worker(*, worker: WorkerProfile, attempt_id: int) -> Attempt | None:
    """The attempt if it is this worker's own, else None (so others' attempts are a 404)."""
    return (
        Attempt.objects.filter(pk=attempt_id, worker=worker)
        .select_related("assessment", "assessment__badge")
        .first()
    )


def _images(questions: list[AttemptQuestion]) -> dict[int, Image]:
    ids = {q.content.get("image_id") for q in questions if q.content.get("image_id")}
    return {image.pk: image for image in Image.objects.filter(pk__in=ids).prefetch_related("renditions")}


def _public(question: AttemptQuestion, images: dict[int, Image]) -> dict:
    """Allow-list of what a worker may see of an unsubmitted question: nothing from the key."""
    content = question.content
    return {
        "position": question.position,
        "kind": question.kind,
        "points": question.points,
        "prompt": content["prompt"],
        "image": images.get(content.get("image_id")),
        "audio_url": content.get("audio_url"),
        "choices": content.get("choices", []),
        "labels": [
            {"value": label, "text": label_text(content, label)} for label in content.get("labels", [])
        ],
        "language": content.get("language", settings.LANGUAGE_CODE),
        "response": question.response,
        "box_percent": [round(v * 100, 2) for v in question.response]
        if question.kind == Kind.BOUNDING_BOX and question.response
        else None,
    }


def questions_for_attempt(*, attempt: Attempt) -> list[dict]:
    """The attempt's questions as the worker may see them now: redacted until the attempt is finished."""
    questions = list(attempt.questions.all())
    images = _images(questions)
    views = [_public(question, images) for question in questions]
    if attempt.is_open:
        return views
    assessment = attempt.assessment
    show_answers = attempt.answers_shown
    for view, question in zip(views, questions, strict=True):
        view["correct"] = question.is_correct
        view["your_answer"] = response_text(question.kind, question.content, question.response)
        view["fraction"] = question.fraction
        view["explanation"] = question.key.get("explanation", "") if assessment.show_explanations else ""
        view["feedback"] = _choice_feedback(question) if assessment.show_explanations else []
        view["answer"] = (
            correct_answer_text(question.kind, question.content, question.key) if show_answers else ""
        )
        view["gold_box_percent"] = (
            [round(v * 100, 2) for v in question.key["gold_box"]]
            if show_answers and question.kind == Kind.BOUNDING_BOX
            else None
        )
    return views


def _choice_feedback(question: AttemptQuestion) -> list[str]:
    chosen = question.response if isinstance(question.response, list) else [question.response]
    feedback = question.key.get("feedback", {})
    return [feedback[c] for c in chosen if c in feedback]


def badges_for_worker(*, worker: WorkerProfile) -> list[BadgeAward]:
    return list(
        BadgeAward.objects.filter(worker=worker)
        .select_related("badge", "badge__image")
        .prefetch_related("badge__image__renditions")
        .order_by("revoked_at", "-awarded_at")
    )


def badges_expiring_soon(*, awards: list[BadgeAward], days: int = EXPIRY_WARNING_DAYS) -> list[BadgeAward]:
    """Of the given awards, the active ones that expire within `days`, soonest first."""
    horizon = timezone.now() + timedelta(days=days)
    soon = [a for a in awards if a.is_active and a.expires_at and a.expires_at <= horizon]
    return sorted(soon, key=lambda award: award.expires_at)


def award_public(*, uid) -> BadgeAward | None:
    return BadgeAward.objects.filter(uid=uid).select_related("badge", "badge__image", "worker__user").first()


def awards_active(*, worker_id: int, at: datetime | None = None) -> QuerySet[BadgeAward]:
    """The awards the worker holds now: not revoked, not expired (by the sweep or by date)."""
    at = at or timezone.now()
    return BadgeAward.objects.filter(
        worker_id=worker_id, revoked_at__isnull=True, expired_at__isnull=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=at))


def active_badge_slugs(*, worker_id: int, at: datetime | None = None) -> set[str]:
    """Slugs of the badges the worker holds now: not revoked, not expired (by the sweep or by date)."""
    return set(awards_active(worker_id=worker_id, at=at).values_list("badge__slug", flat=True))


BADGE_IMAGE = "fill-256x256|format-png"


def badge_image_url(*, badge) -> str | None:
    """The badge's square PNG if it was made (when the badge was saved), else its original image.

    Reading never makes a rendition: an anonymous GET must not write files or rows.
    """
    if badge.image is None:
        return None
    rendition = badge.image.renditions.filter(filter_spec=BADGE_IMAGE).first()
    return rendition.url if rendition else badge.image.file.url


def badge_picture_bytes(*, badge) -> bytes | None:
    """The badge's square PNG (else its original image) as bytes, for baking; None without a picture."""
    if badge.image is None:
        return None
    rendition = badge.image.renditions.filter(filter_spec=BADGE_IMAGE).first()
    with (rendition or badge.image).file.open("rb") as handle:
        return handle.read()


# Authoring is warned when a badge check's bank holds fewer than this many questions per question drawn.
BANK_SIZE_PER_DRAW = 3


def bank_too_small(*, assessment: Assessment) -> int | None:
    """For a badge check, the number of live questions when the bank is too small for its draw."""
    if assessment.badge_id is None:
        return None
    live = BankQuestion.objects.filter(bank_id=assessment.bank_id, live=True).count()
    return live if live < BANK_SIZE_PER_DRAW * assessment.questions_per_attempt else None


def attempts_for_worker(*, worker: WorkerProfile) -> QuerySet[Attempt]:
    """The worker's attempts at every check, newest first (what their manager sees)."""
    return Attempt.objects.filter(worker=worker).select_related("assessment").order_by("-started_at")


def live_checks_for_badges(*, slugs: set[str]) -> dict[str, Assessment]:
    """Badge slug → the live check that awards it (the latest made, if several), for these badges."""
    if not slugs:
        return {}
    checks = (
        Assessment.objects.filter(live=True, badge__slug__in=slugs)
        .select_related("badge", "course")
        .order_by("pk")
    )
    return {check.badge.slug: check for check in checks}  # a later check replaces an earlier one


def credential_latest(*, award_uid, worker_id: int | None = None) -> BadgeCredential | None:
    """The newest credential of an award (of this worker's, when given), or None."""
    found = BadgeCredential.objects.filter(award__uid=award_uid)
    if worker_id is not None:
        found = found.filter(award__worker_id=worker_id)
    return found.select_related("award__badge__image").order_by("-issued_at", "-id").first()


def credential_by_status(*, list_number: int, index: int) -> BadgeCredential | None:
    """The credential at a place in the status lists (its id), with its award, or None."""
    if not (1 <= list_number <= 10_000 and 0 <= index < STATUS_LIST_SIZE):
        return None
    return (
        BadgeCredential.objects.filter(pk=(list_number - 1) * STATUS_LIST_SIZE + index + 1)
        .select_related("award__badge")
        .first()
    )


def status_list_in_use(*, list_number: int) -> bool:
    """Whether any credential was ever given a place in status list `list_number`."""
    return (
        1 <= list_number <= 10_000
        and BadgeCredential.objects.filter(pk__gt=(list_number - 1) * STATUS_LIST_SIZE).exists()
    )


def revoked_status_indexes(*, list_number: int) -> list[int]:
    """Bits set in status list `list_number`: credentials whose award is revoked."""
    first = (list_number - 1) * STATUS_LIST_SIZE + 1
    ids = BadgeCredential.objects.filter(
        pk__gte=first, pk__lt=first + STATUS_LIST_SIZE, award__revoked_at__isnull=False
    ).values_list("pk", flat=True)
    return [pk - first for pk in ids]
