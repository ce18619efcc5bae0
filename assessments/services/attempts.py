import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.freezing import freeze
from assessments.grading import grade
from assessments.models import Assessment, Attempt, AttemptQuestion, BadgeAward, BankQuestion, Regrade
from assessments.services.badges import badge_award, badge_revoke
from assessments.services.errors import AssessmentError, ResponseErrors
from assessments.services.responses import InvalidResponse, clean_response
from lms import events
from lms.languages import language_supported
from lms.models import LearningEvent, WorkerProfile
from lms.services import learning_event_record, worker_lock

logger = logging.getLogger(__name__)
FINISHED = [Attempt.Status.SUBMITTED, Attempt.Status.CLOSED]


@dataclass(frozen=True)
class SubmitResult:
    attempt: Attempt
    late: bool  # time had run out: the answers sent with the submission were refused


# A check that grants a badge (and so pay) makes the worker wait at least this long after a fail.
BADGE_MIN_COOLDOWN_MINUTES = 30


def _seen_answers(worker: WorkerProfile, assessment: Assessment) -> set[int]:
    """Bank questions whose answers this worker was shown after a try that did not pass."""
    return set(
        AttemptQuestion.objects.filter(
            attempt__worker=worker,
            attempt__status__in=FINISHED,
            attempt__assessment__show_answers=Assessment.ShowAnswers.AFTER_SUBMIT,
            source__bank_id=assessment.bank_id,
        )
        .exclude(attempt__passed=True)
        .values_list("source_id", flat=True)
    )


def _draw(assessment: Assessment, rng: random.Random, worker: WorkerProfile) -> list[BankQuestion]:
    questions = list(
        BankQuestion.objects.filter(bank_id=assessment.bank_id, live=True)
        .select_related("audio")
        .order_by("pk")
    )
    if assessment.draw_tag:
        questions = [q for q in questions if assessment.draw_tag.lower() in q.tag_list]
    if not questions:
        raise AssessmentError(_("This skill check has no questions yet. Please tell your team lead."))
    if assessment.badge_id is not None:
        # Never again a question whose answer this worker has seen: a badge must not be earned by
        # reading the answers of a failed try.
        needed = min(assessment.questions_per_attempt, len(questions))
        seen = _seen_answers(worker, assessment)
        questions = [q for q in questions if q.pk not in seen]
        if len(questions) < needed:
            raise AssessmentError(
                "There are not enough new questions for another try yet. Please tell your team lead."
            )
    return rng.sample(questions, min(assessment.questions_per_attempt, len(questions)))


def _check_rules(*, worker: WorkerProfile, assessment: Assessment, now: datetime) -> int:
    """Refuse a new attempt beyond the maximum or during the cool-down; return its number."""
    finished = Attempt.objects.filter(worker=worker, assessment=assessment, status__in=FINISHED)
    if assessment.max_attempts is not None and finished.count() >= assessment.max_attempts:
        raise AssessmentError(_("You have used all your tries for this skill check."))
    last = finished.order_by("-finished_at").first()
    cooldown = assessment.cooldown_minutes
    if assessment.badge_id is not None:
        cooldown = max(cooldown, BADGE_MIN_COOLDOWN_MINUTES)
    if last and not last.passed and cooldown:
        ready_at = last.finished_at + timedelta(minutes=cooldown)
        if now < ready_at:
            minutes = int((ready_at - now).total_seconds() // 60) + 1
            raise AssessmentError(
                f"Take a short break and review the lesson. You can try again in {minutes} min."
            )
    return Attempt.objects.filter(worker=worker, assessment=assessment).count() + 1


@transaction.atomic
def attempt_start(*, worker: WorkerProfile, assessment: Assessment, now: datetime | None = None) -> Attempt:
    """Resume the worker's open attempt, or start a new one with questions frozen from the bank."""
    now = now or timezone.now()
    worker_lock(worker_id=worker.pk)
    if not assessment.live:
        raise AssessmentError(_("This skill check is not available."))
    current = Attempt.objects.filter(worker=worker, assessment=assessment, status=Attempt.Status.OPEN).first()
    if current and current.closes_at and now > current.closes_at:
        _finish(current, status=Attempt.Status.CLOSED, at=current.closes_at)
        current = None
    if current:
        return current
    number = _check_rules(worker=worker, assessment=assessment, now=now)
    rng = random.SystemRandom()
    # The questions are read in the worker's language (what the pages speak to them); grading is not.
    language = language_supported(worker.language)
    attempt = Attempt.objects.create(
        worker=worker,
        assessment=assessment,
        number=number,
        started_at=now,
        deadline_at=now + timedelta(minutes=assessment.time_limit_minutes)
        if assessment.time_limit_minutes
        else None,
        grace_seconds=assessment.grace_seconds,
        pass_mark=assessment.pass_mark,
        language=language,
    )
    frozen = []
    for position, question in enumerate(_draw(assessment, rng, worker), start=1):
        content, key = freeze(question, rng=rng, shuffle=assessment.shuffle_choices, language=language)
        frozen.append(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                source=question,
                kind=question.kind,
                points=question.points,
                content=content,
                key=key,
            )
        )
    AttemptQuestion.objects.bulk_create(frozen)
    learning_event_record(
        worker=worker, kind=LearningEvent.Kind.ATTEMPT_STARTED, occurred_at=now, subject_id=attempt.pk
    )
    return attempt


def _locked_open_attempt(*, worker: WorkerProfile, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id, worker=worker).first()
    if attempt is None:
        raise Attempt.DoesNotExist
    return attempt


def _clean_all(questions: list[AttemptQuestion], responses: dict[int, object]) -> dict[int, object]:
    cleaned, errors = {}, {}
    for question in questions:
        if question.position not in responses:
            continue
        try:
            cleaned[question.position] = clean_response(question, responses[question.position])
        except InvalidResponse as error:
            errors[question.position] = str(error)
    unknown = set(responses) - {q.position for q in questions}
    for position in unknown:
        errors[position] = _("This question is not part of your skill check.")
    if errors:
        raise ResponseErrors(errors)
    return cleaned


def _store(
    questions: list[AttemptQuestion], cleaned: dict[int, object], at: datetime, *, newer_only: bool = False
) -> None:
    changed = []
    for question in questions:
        if question.position not in cleaned:
            continue
        if newer_only and question.answered_at is not None and question.answered_at > at:
            continue  # a copy sent late from a page's queue never undoes a later answer
        question.response = cleaned[question.position]
        question.answered_at = at
        changed.append(question)
    AttemptQuestion.objects.bulk_update(changed, ["response", "answered_at"])


@transaction.atomic
def attempt_answer_save(
    *,
    worker: WorkerProfile,
    attempt_id: int,
    responses: dict[int, object],
    now: datetime | None = None,
    answered_at: datetime | None = None,
) -> Attempt:
    """Save answers as the worker goes; refused (nothing saved) once the attempt is closed or time is up.

    `answered_at` is when the worker's page saved them, if it could not send them at once: they count
    only if that was before the deadline *and* they arrive within the grace, and an answer never
    replaces one given later.
    """
    now = now or timezone.now()
    attempt = _locked_open_attempt(worker=worker, attempt_id=attempt_id)
    if not attempt.is_open:
        raise AssessmentError(_("This skill check is already finished."))
    if attempt.closes_at and now > attempt.closes_at:
        raise AssessmentError(_("Time is up: this answer was not saved."))
    at = min(answered_at or now, now)
    if attempt.deadline_at and at > attempt.deadline_at:
        raise AssessmentError(_("Time was up when you gave this answer, so it was not saved."))
    questions = list(attempt.questions.all())
    _store(questions, _clean_all(questions, responses), max(at, attempt.started_at), newer_only=True)
    return attempt


def _finish(attempt: Attempt, *, status: str, at: datetime) -> Attempt:
    """Grade every frozen question against its frozen key and close the attempt; award on a pass."""
    questions = list(attempt.questions.all())
    for question in questions:
        question.fraction = grade(question.kind, question.response, question.key)
    AttemptQuestion.objects.bulk_update(questions, ["fraction"])
    _score(attempt, questions)
    attempt.status = status
    attempt.finished_at = at
    attempt.save(
        update_fields=["status", "finished_at", "points_earned", "points_possible", "score", "passed"]
    )
    learning_event_record(
        worker=attempt.worker,
        kind=LearningEvent.Kind.ATTEMPT_SUBMITTED,
        occurred_at=at,
        subject_id=attempt.pk,
        data={"score": str(attempt.score), "passed": attempt.passed, "assessment": attempt.assessment_id},
    )
    if attempt.passed:
        _on_pass(attempt, at)
    return attempt


def _score(attempt: Attempt, questions: list[AttemptQuestion]) -> None:
    attempt.points_possible = sum(q.points for q in questions)
    attempt.points_earned = sum(q.points * (q.fraction or 0) for q in questions)
    raw = (
        Decimal(100 * attempt.points_earned / attempt.points_possible)
        if attempt.points_possible
        else Decimal(0)
    )
    attempt.score = raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    attempt.passed = attempt.score >= attempt.pass_mark


def _on_pass(attempt: Attempt, at: datetime) -> None:
    learning_event_record(
        worker=attempt.worker, kind=LearningEvent.Kind.ATTEMPT_PASSED, occurred_at=at, subject_id=attempt.pk
    )
    # The badge and the pass are one change to the worker: what they settle (eligibility) runs once.
    with events.together():
        badge = attempt.assessment.badge
        if badge is not None:
            badge_award(worker=attempt.worker, badge=badge, attempt=attempt, now=at)
        events.publish(events.AttemptPassed(attempt=attempt))


@transaction.atomic
def attempt_submit(
    *,
    worker: WorkerProfile,
    attempt_id: int,
    responses: dict[int, object] | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Save the last answers and grade, once: a second or concurrent submit returns the first result.

    After the deadline and its grace the answers sent now are refused and the attempt is closed with
    what was saved in time.
    """
    now = now or timezone.now()
    attempt = _locked_open_attempt(worker=worker, attempt_id=attempt_id)
    if not attempt.is_open:
        return SubmitResult(attempt=attempt, late=False)
    if attempt.closes_at and now > attempt.closes_at:
        return SubmitResult(
            attempt=_finish(attempt, status=Attempt.Status.CLOSED, at=attempt.closes_at), late=True
        )
    questions = list(attempt.questions.all())
    _store(questions, _clean_all(questions, responses or {}), now)
    return SubmitResult(attempt=_finish(attempt, status=Attempt.Status.SUBMITTED, at=now), late=False)


def attempts_close_overdue(*, now: datetime | None = None) -> int:
    """Close every open attempt whose time and grace ran out, grading what was saved; returns how many."""
    now = now or timezone.now()
    closed = 0
    overdue = Attempt.objects.filter(status=Attempt.Status.OPEN, deadline_at__isnull=False).values_list(
        "pk", "grace_seconds", "deadline_at"
    )
    for attempt_id, grace, deadline in overdue:
        if deadline + timedelta(seconds=grace) >= now:
            continue
        try:
            with transaction.atomic():
                attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
                if attempt.is_open:
                    _finish(attempt, status=Attempt.Status.CLOSED, at=attempt.closes_at)
                    closed += 1
        except Exception:  # one bad attempt must not keep the others open
            logger.exception("closing overdue attempt %s failed; the next sweep tries again", attempt_id)
    return closed


@transaction.atomic
def attempt_regrade(*, attempt: Attempt, by: AbstractBaseUser, reason: str) -> Attempt:
    """Re-mark a finished attempt against the bank's current keys, recording who, why and the change."""
    if not reason.strip():
        raise AssessmentError(_("Give a reason for the regrade."))
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.is_open:
        raise AssessmentError(_("Only finished attempts can be regraded."))
    old_score, was_passed = attempt.score, attempt.passed
    questions = list(attempt.questions.select_related("source"))
    for question in questions:
        if question.source is not None:
            _content, fresh_key = freeze(
                question.source, rng=random.Random(0), shuffle=False, language=attempt.language
            )
            question.key = _rekey(question, fresh_key)
        question.fraction = grade(question.kind, question.response, question.key)
    AttemptQuestion.objects.bulk_update(questions, ["key", "fraction"])
    _score(attempt, questions)
    attempt.save(update_fields=["points_earned", "points_possible", "score", "passed"])
    Regrade.objects.create(
        attempt=attempt, by=by, reason=reason.strip(), old_score=old_score, new_score=attempt.score
    )
    if attempt.passed and not was_passed:
        _on_pass(attempt, timezone.now())
    elif was_passed and not attempt.passed:
        _withdraw_pass(attempt, by=by, reason=reason.strip())
    return attempt


def _withdraw_pass(attempt: Attempt, *, by: AbstractBaseUser, reason: str) -> None:
    """A pass taken back by a regrade: revoke the badge it earned unless other evidence still holds it."""
    badge = attempt.assessment.badge
    if badge is None:
        return
    award = BadgeAward.objects.filter(
        worker=attempt.worker, badge=badge, revoked_at__isnull=True, evidence__attempt=attempt
    ).first()
    if award is None:
        return
    still_held = award.evidence.exclude(attempt=attempt).filter(
        Q(attempt__passed=True) | Q(attempt__isnull=True, awarded_by__isnull=False)
    )
    if not still_held.exists():
        badge_revoke(award=award, by=by, reason=f"Regrade: the skill check no longer passes. {reason}")


def _rekey(question: AttemptQuestion, fresh_key: dict) -> dict:
    """Map a fresh key onto the attempt's frozen choice ids, by the bank's stable choice ids.

    A choice whose text was edited is still the same choice; one removed from the bank is wrong.
    Attempts frozen before choices had stable ids are matched by their text.
    """
    if "correct" not in fresh_key or question.kind == BankQuestion.Kind.TRUE_FALSE:
        return fresh_key
    frozen = question.content["choices"]
    blocks = question.key.get("blocks")
    current = {block.id: block.value for block in question.source.choices}
    by_text = {block.value["text"]: block.value for block in question.source.choices}

    def value_of(choice: dict) -> dict | None:
        return current.get(blocks.get(choice["id"])) if blocks else by_text.get(choice["text"])

    values = {choice["id"]: value_of(choice) for choice in frozen}
    fresh_key["correct"] = [cid for cid, value in values.items() if value and value["correct"]]
    fresh_key["feedback"] = {
        cid: value["feedback"] for cid, value in values.items() if value and value.get("feedback")
    }
    if blocks:
        fresh_key["blocks"] = blocks
    return fresh_key
