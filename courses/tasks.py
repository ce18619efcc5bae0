from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from courses.models import Question


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def question_answer_notify(question_id: int) -> bool:
    """Email the worker that their question has an answer; a notified question is never mailed again."""
    question = (
        Question.objects.select_related("worker__user", "lesson")
        .filter(pk=question_id, answered_at__isnull=False, notified_at__isnull=True)
        .first()
    )
    if question is None:
        return False
    # The mail goes out before the row is marked, so a crash in between re-sends rather than loses
    # it; no lock is held while talking to the mail server.
    if question.worker.user.email:
        body = render_to_string(
            "courses/email/question_answered.txt",
            {"question": question, "base_url": settings.WAGTAILADMIN_BASE_URL},
        )
        send_mail("Your question has an answer", body, None, [question.worker.user.email])
    Question.objects.filter(pk=question_id, notified_at__isnull=True).update(notified_at=timezone.now())
    return True


@shared_task
def question_notifications_sweep() -> int:
    """Send the answer notifications that were not sent when the answer was given."""
    pending = list(
        Question.objects.filter(answered_at__isnull=False, notified_at__isnull=True).values_list(
            "pk", flat=True
        )[:500]
    )
    for question_id in pending:
        question_answer_notify.delay(question_id)
    return len(pending)
