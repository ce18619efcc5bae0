from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses.models import Question
from lms.languages import language_supported

# The on-commit task is given this long before the sweep sends in its place; a claim lasts as long.
SWEEP_AFTER = timedelta(minutes=5)


def _claim(question_id: int, now) -> bool:
    """Take the question's notification for this sender (compare-and-set): one sender at a time."""
    free = Q(notify_claimed_at__isnull=True) | Q(notify_claimed_at__lt=now - SWEEP_AFTER)
    return bool(
        Question.objects.filter(
            free, pk=question_id, answered_at__isnull=False, notified_at__isnull=True
        ).update(notify_claimed_at=now)
    )


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def question_answer_notify(question_id: int) -> bool:
    """Email the worker that their question has an answer; a notified question is never mailed again."""
    if not _claim(question_id, timezone.now()):
        return False
    question = Question.objects.select_related("worker__user", "lesson").get(pk=question_id)
    # The mail goes out before the row is marked, so a crash in between re-sends (after the claim
    # lapses) rather than loses it; no lock is held while talking to the mail server.
    try:
        if question.worker.user.email:
            # In the worker's language (the one they asked in may have changed since: theirs now).
            with translation.override(language_supported(question.worker.language)):
                body = render_to_string(
                    "courses/email/question_answered.txt",
                    {"question": question, "base_url": settings.WAGTAILADMIN_BASE_URL},
                )
                subject = gettext("Your question has an answer")
            send_mail(subject, body, None, [question.worker.user.email])
    except Exception:
        Question.objects.filter(pk=question_id).update(notify_claimed_at=None)
        raise
    Question.objects.filter(pk=question_id, notified_at__isnull=True).update(notified_at=timezone.now())
    return True


@shared_task
def question_notifications_sweep() -> int:
    """Send the answer notifications that were not sent when the answer was given."""
    now = timezone.now()
    pending = list(
        Question.objects.filter(
            Q(notify_claimed_at__isnull=True) | Q(notify_claimed_at__lt=now - SWEEP_AFTER),
            answered_at__lt=now - SWEEP_AFTER,
            notified_at__isnull=True,
        ).values_list("pk", flat=True)[:500]
    )
    for question_id in pending:
        question_answer_notify.delay(question_id)
    return len(pending)
