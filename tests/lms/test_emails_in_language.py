"""Every email a worker gets is written in their language, dates in their time zone."""

import re
from datetime import UTC, datetime, timedelta

from django.core import mail
from django.urls import reverse

from assessments import services as assessment_services
from courses import services as course_services
from courses import tasks as course_tasks
from lms.services import item_translation_save, worker_language_set

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_the_answer_email_speaks_the_workers_language(worker, assistant, lessons):
    worker_language_set(worker=worker, language="fr")
    question = course_services.question_ask(
        worker=worker, lesson=lessons[0], text="Dois-je étiqueter les ombres ?"
    )
    assert question.language == "fr"
    course_services.question_answer(
        question=question, answer="Non, les ombres ne sont pas des objets.", by=assistant
    )
    assert course_tasks.question_answer_notify(question.pk) is True
    sent = mail.outbox[-1]
    assert sent.subject == "Votre question a une réponse"
    assert sent.body.startswith("Bonjour ")
    assert "Non, les ombres ne sont pas des objets." in sent.body
    assert "&" not in sent.body  # plain text, not HTML-escaped


def test_the_expiry_warning_speaks_the_workers_language_and_time_zone(worker, badge, assistant, expert):
    worker_language_set(worker=worker, language="bn")
    item_translation_save(item=badge, language="bn", texts={"name": "বাক্স আঁকা"}, by=expert)
    assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="RPL", now=T0)
    assert assessment_services.badge_expiry_warn(now=T0 + timedelta(days=360)) == 1
    sent = mail.outbox[-1]
    assert "বাক্স আঁকা" in sent.subject and "মেয়াদ" in sent.subject
    # 16 Nov 2027 09:00 UTC is 12:00 in Antananarivo: still the 16th, with the Bengali month name.
    assert "16 নভেম্বর 2027" in sent.body


def test_a_password_reset_email_speaks_the_accounts_language(client, worker):
    worker_language_set(worker=worker, language="sw")
    client.post(reverse("password_reset"), {"email": worker.user.email}, HTTP_ACCEPT_LANGUAGE="en")
    sent = mail.outbox[-1]
    assert sent.subject == "Chagua nenosiri jipya la Ladder"
    assert "Mtu aliomba kuchagua nenosiri jipya" in sent.body
    assert re.search(r"http://testserver/password-reset/\S+/", sent.body)
