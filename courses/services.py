from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)
from wagtail_localize.models import MissingTranslationError, Translation

from courses import tasks
from courses.models import FAQ, CourseIndexPage, LearningTime, LessonPage, LessonProgress, Question
from courses.selectors import course_of_lesson
from lms import roles
from lms.languages import language_supported
from lms.models import LearningEvent, WorkerProfile
from lms.selectors import worker_local_date
from lms.services import learning_event_record, worker_lock
from lms.tasking import enqueue_on_commit

HEARTBEAT_SECONDS = 30
DAY_SECONDS = 24 * 60 * 60
EXPERT_REVIEW = "Expert review"


class LearningError(Exception):
    """A request the rules refuse; the message is safe to show the worker."""


@transaction.atomic
def lesson_open(*, worker: WorkerProfile, lesson: LessonPage, at: datetime | None = None) -> LessonProgress:
    """Record that the worker opened the lesson: progress started (once) and an event.

    `at` may be in the past (an opening made offline, sent later): the progress keeps its latest opening.
    """
    now = at or timezone.now()
    progress, created = LessonProgress.objects.get_or_create(
        worker=worker,
        lesson=lesson,
        defaults={"course": course_of_lesson(lesson=lesson), "started_at": now, "last_opened_at": now},
    )
    if not created:
        LessonProgress.objects.filter(pk=progress.pk, last_opened_at__lt=now).update(last_opened_at=now)
        LessonProgress.objects.filter(pk=progress.pk, started_at__gt=now).update(started_at=now)
    learning_event_record(
        worker=worker, kind=LearningEvent.Kind.LESSON_OPENED, occurred_at=now, subject_id=lesson.pk
    )
    return progress


def _last_opening(*, worker: WorkerProfile, lesson: LessonPage, at: datetime) -> datetime | None:
    return (
        LearningEvent.objects.filter(
            worker=worker, kind=LearningEvent.Kind.LESSON_OPENED, subject_id=lesson.pk, occurred_at__lte=at
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )


def _counted_near(*, worker: WorkerProfile, at: datetime) -> bool:
    """Whether a heartbeat within 30 s either side of `at` was already counted."""
    window = timedelta(seconds=HEARTBEAT_SECONDS)
    return LearningEvent.objects.filter(
        worker=worker,
        kind=LearningEvent.Kind.LEARNING_TIME,
        occurred_at__gt=at - window,
        occurred_at__lt=at + window,
    ).exists()


def _seconds_left_today(*, worker: WorkerProfile, day) -> int:
    used = LearningTime.objects.filter(worker=worker, day=day).aggregate(total=Sum("seconds"))["total"]
    return max(0, DAY_SECONDS - (used or 0))


@transaction.atomic
def lesson_heartbeat(*, worker: WorkerProfile, lesson: LessonPage, at: datetime | None = None) -> int:
    """Count active time for an open lesson: counted heartbeats are at least 30 s apart, ≤ 24 h a day.

    A heartbeat counts the 30 s before it, so the lesson must have been opened 30 s earlier. `at` may
    be in the past (sent late from a page that was offline): the same rules judge it against the
    heartbeats counted before *and after* it, so the order heartbeats arrive in adds no time.
    Returns the seconds counted (0 when another counted heartbeat is too close or the day is full).
    """
    now = at or timezone.now()
    worker_lock(worker_id=worker.pk)
    opened_at = _last_opening(worker=worker, lesson=lesson, at=now)
    if opened_at is None:
        raise LearningError(_("Open the lesson first."))
    if opened_at > now - timedelta(seconds=HEARTBEAT_SECONDS) or _counted_near(worker=worker, at=now):
        return 0
    day = worker_local_date(worker=worker, at=now)
    seconds = min(HEARTBEAT_SECONDS, _seconds_left_today(worker=worker, day=day))
    if seconds == 0:
        return 0
    row, _created = LearningTime.objects.get_or_create(worker=worker, lesson=lesson, day=day)
    LearningTime.objects.filter(pk=row.pk).update(seconds=F("seconds") + seconds)
    learning_event_record(
        worker=worker,
        kind=LearningEvent.Kind.LEARNING_TIME,
        occurred_at=now,
        seconds=seconds,
        subject_id=lesson.pk,
    )
    return seconds


@transaction.atomic
def lesson_complete(
    *, worker: WorkerProfile, lesson: LessonPage, at: datetime | None = None
) -> LessonProgress:
    """Mark the lesson done for the worker; doing it again changes nothing."""
    now = at or timezone.now()
    progress, _created = LessonProgress.objects.select_for_update().get_or_create(
        worker=worker,
        lesson=lesson,
        defaults={"course": course_of_lesson(lesson=lesson), "started_at": now, "last_opened_at": now},
    )
    if progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
        learning_event_record(
            worker=worker, kind=LearningEvent.Kind.LESSON_COMPLETED, occurred_at=now, subject_id=lesson.pk
        )
    return progress


# Enough for a worker stuck on a lesson; a script sending hundreds is refused.
QUESTIONS_PER_WINDOW = 10
QUESTION_WINDOW = timedelta(minutes=10)


@transaction.atomic
def question_ask(
    *, worker: WorkerProfile, lesson: LessonPage, text: str, at: datetime | None = None
) -> Question:
    """Store the worker's question with its lesson and course, and log it (a few per ten minutes)."""
    at = at or timezone.now()
    worker_lock(worker_id=worker.pk)  # concurrent requests count one after the other
    recent = Question.objects.filter(worker=worker, asked_at__gt=at - QUESTION_WINDOW).count()
    if recent >= QUESTIONS_PER_WINDOW:
        raise LearningError(_("You asked many questions just now. Wait a few minutes, then ask again."))
    question = Question.objects.create(
        worker=worker,
        lesson=lesson,
        course=course_of_lesson(lesson=lesson),
        text=text.strip(),
        asked_at=at,
        language=language_supported(worker.language),
    )
    learning_event_record(
        worker=worker,
        kind=LearningEvent.Kind.QUESTION_ASKED,
        occurred_at=question.asked_at,
        subject_id=question.pk,
        data={"lesson": lesson.pk},
    )
    return question


@transaction.atomic
def question_answer(*, question: Question, answer: str, by: AbstractBaseUser) -> Question:
    """Answer (or correct the answer to) a worker's question; the worker is told after commit."""
    answer = answer.strip()
    if not answer:
        raise LearningError(_("Write an answer first."))
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.answer = answer
    question.answered_by = by
    question.answered_at = timezone.now()
    question.answer_seen_at = None
    question.notified_at = question.notify_claimed_at = None
    question.save(
        update_fields=[
            "answer",
            "answered_by",
            "answered_at",
            "answer_seen_at",
            "notified_at",
            "notify_claimed_at",
        ]
    )
    enqueue_on_commit(tasks.question_answer_notify, question.pk)
    return question


@transaction.atomic
def question_answer_seen(*, worker: WorkerProfile, question_id: int) -> int:
    """Mark an answer as read by its own worker; returns how many rows changed (0 or 1)."""
    return Question.objects.filter(
        pk=question_id, worker=worker, answered_at__isnull=False, answer_seen_at__isnull=True
    ).update(answer_seen_at=timezone.now())


@transaction.atomic
def question_promote_to_faq(*, question: Question, by: AbstractBaseUser, title: str = "") -> FAQ:
    """Turn an answered question into an FAQ on its lesson.

    Someone who may publish FAQs publishes it at once; anyone else's FAQ goes to expert review.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.is_answered:
        raise LearningError(_("Answer the question before turning it into an FAQ."))
    if question.faq_id:
        return question.faq
    faq = FAQ(
        question=(title or question.text).strip()[:255],
        answer=linebreaks(escape(question.answer)),
        live=False,
        # Asked (and answered) in the worker's language: it joins that language's FAQs on the lesson.
        locale=Locale.objects.get_or_create(language_code=question.language)[0],
    )
    faq.save()
    faq.lessons.set([question.lesson_id])
    faq.save()
    revision = faq.save_revision(user=by)
    if by.has_perm("courses.publish_faq"):
        revision.publish(user=by)
        faq.refresh_from_db()  # publishing saved another copy of the row: this one is now live too
    elif workflow := faq.get_workflow():
        workflow.start(faq, by)
    question.faq = faq
    question.save(update_fields=["faq"])
    return faq


def expert_review_workflow_ensure() -> Workflow:
    """The "Expert review" workflow: experts approve courses, lessons and FAQs before publication."""
    workflow, _created = Workflow.objects.get_or_create(name=EXPERT_REVIEW, defaults={"active": True})
    task, _created = GroupApprovalTask.objects.get_or_create(name="Expert approval")
    task.groups.add(Group.objects.get_or_create(name=roles.EXPERTS)[0])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(FAQ), defaults={"workflow": workflow}
    )
    return workflow


@transaction.atomic
def catalogue_setup(*, catalogue: CourseIndexPage) -> None:
    """Give the roles their page permissions on a catalogue and put it under expert review."""
    groups = roles.roles_sync_groups()
    for role, permission_types in roles.PAGE_PERMISSIONS.items():
        for permission_type in permission_types:
            if not GroupPagePermission.objects.filter(
                group=groups[role], page=catalogue, permission__codename=permission_type
            ).exists():
                GroupPagePermission.objects.create(
                    group=groups[role], page=catalogue, permission_type=permission_type.removesuffix("_page")
                )
    WorkflowPage.objects.update_or_create(
        page=catalogue, defaults={"workflow": expert_review_workflow_ensure()}
    )


def translated_catalogue_setup(sender, instance: CourseIndexPage, created: bool, **kwargs) -> None:
    """A catalogue's translation (made by wagtail-localize when its first course or lesson is
    translated) gets the source's permissions and expert review: translations are reviewed alike."""
    if created and instance.locale.language_code != settings.LANGUAGE_CODE:
        catalogue_setup(catalogue=instance)


@transaction.atomic
def translation_submit_for_review(*, translation_id: int, by: AbstractBaseUser):
    """Write a course's, lesson's or FAQ's translated segments into a new draft of the translation
    and send it to expert review, as the source went: workers see it once an expert approves.

    Refused (nothing written) while a segment is untranslated, so no reader gets half a translation."""
    record = Translation.objects.select_related("source", "target_locale").get(pk=translation_id)
    total, done = record.get_progress()
    if done < total:
        raise LearningError(
            _("%(missing)s of %(total)s segments are not translated yet: translate them first.")
            % {"missing": total - done, "total": total}
        )
    try:
        record.save_target(user=by, publish=False)
    except (MissingTranslationError, ValidationError) as error:
        raise LearningError(_("This translation cannot be saved: %(error)s") % {"error": error}) from error
    target = record.get_target_instance()
    if isinstance(target, Page):
        target = target.specific
    workflow = target.get_workflow()
    if workflow is None:
        raise LearningError(_("No review workflow covers this translation."))
    if target.workflow_in_progress:
        target.current_workflow_state.cancel(user=by)
    workflow.start(target, by)
    return target
