from django.core import mail
from django.test import Client
from django.urls import reverse

from courses import services, tasks
from courses.models import FAQ, Question
from lms.models import LearningEvent


def ask_url(lesson):
    return reverse("question_ask", args=[lesson.pk])


def test_asking_stores_the_question_with_its_lesson_and_course(worker_client, worker, lessons, course):
    response = worker_client.post(ask_url(lessons[1]), {"text": "  Do I tag half an orange?  "})

    assert response.status_code == 302
    question = Question.objects.get()
    assert (question.worker, question.lesson_id, question.course_id) == (worker, lessons[1].pk, course.pk)
    assert question.text == "Do I tag half an orange?"
    assert LearningEvent.objects.filter(kind="question_asked", subject_id=question.pk).exists()


def test_asking_over_htmx_returns_the_ask_fragment_with_the_question(worker_client, lessons):
    response = worker_client.post(ask_url(lessons[0]), {"text": "Do I tag shadows?"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 201
    assert 'id="ask"' in html and "<html" not in html
    assert "Your question was sent" in html
    assert "Do I tag shadows?" in html
    assert len(response.content) < 10_000


def test_empty_or_oversized_questions_are_refused_with_a_field_error(worker_client, lessons):
    for text, message in (("", "Write your question first."), ("x" * 1001, "Please keep it shorter")):
        response = worker_client.post(ask_url(lessons[0]), {"text": text}, HTTP_HX_REQUEST="true")
        assert response.status_code == 422
        assert message in response.content.decode()
        response = worker_client.post(ask_url(lessons[0]), {"text": text})
        assert response.status_code == 422
        assert message in response.content.decode()
    assert not Question.objects.exists()
    assert not LearningEvent.objects.exists()


def test_a_refused_questions_words_and_error_stay_with_its_worker(worker_client, make_worker, lessons):
    # The blank question field is kept once for everyone; a form holding a worker's words never is.
    worker_client.get(lessons[0].url)  # the blank field, kept
    refused = worker_client.post(ask_url(lessons[0]), {"text": "Tag?"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "Tag?</textarea>" in refused.content.decode()
    assert 'aria-invalid="true"' in refused.content.decode()
    other = Client()
    other.force_login(make_worker().user)
    for reader in (other, worker_client):
        page = reader.get(lessons[0].url).content.decode()
        assert "Tag?" not in page and 'aria-invalid="true"' not in page
        assert '<textarea name="text" id="id_text"' in page and "Please write a little more" not in page


def test_answer_in_admin_notifies_the_worker(
    client, assistant, worker, lessons, django_capture_on_commit_callbacks
):
    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    client.force_login(assistant)
    edit_url = reverse("worker_questions:edit", args=[question.pk])
    assert client.get(edit_url).status_code == 200

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(edit_url, {"answer": "No, shadows are not objects."})
    assert response.status_code == 302

    question.refresh_from_db()
    assert question.answer == "No, shadows are not objects."
    assert question.answered_by == assistant
    assert question.answered_at is not None
    assert len(callbacks) == 1  # the notification is scheduled only after commit

    assert tasks.question_answer_notify(question.pk) is True
    assert tasks.question_answer_notify(question.pk) is False  # safe to run twice: one mail
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [worker.user.email]
    assert "No, shadows are not objects." in mail.outbox[0].body


def test_an_empty_answer_is_refused_in_admin(client, assistant, worker, lessons):
    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    client.force_login(assistant)
    response = client.post(reverse("worker_questions:edit", args=[question.pk]), {"answer": "  "})
    assert response.status_code == 200
    question.refresh_from_db()
    assert not question.is_answered


def test_the_admin_queue_lists_unanswered_first_and_filters_by_course(
    client, assistant, worker, lessons, make_course, make_lesson, django_capture_on_commit_callbacks
):
    other_lesson = make_lesson(make_course("Bounding boxes"))
    answered = services.question_ask(worker=worker, lesson=lessons[0], text="Answered already?")
    services.question_answer(question=answered, answer="Yes.", by=assistant)
    waiting = services.question_ask(worker=worker, lesson=lessons[1], text="Still waiting here?")
    elsewhere = services.question_ask(worker=worker, lesson=other_lesson, text="About boxes?")
    client.force_login(assistant)

    html = client.get(reverse("worker_questions:index")).content.decode()
    assert html.index(waiting.text) < html.index(answered.text)
    assert html.index(elsewhere.text) < html.index(answered.text)

    html = client.get(
        reverse("worker_questions:index"), {"course": other_lesson.get_parent().pk}
    ).content.decode()
    assert elsewhere.text in html and waiting.text not in html

    html = client.get(reverse("worker_questions:index"), {"status": "open"}).content.decode()
    assert waiting.text in html and answered.text not in html


def test_workers_cannot_reach_the_admin(worker_client):
    response = worker_client.get(reverse("worker_questions:index"))
    assert response.status_code in (302, 403)
    assert worker_client.get("/admin/").status_code in (302, 403)


def _promote(client, question, user, title):
    client.force_login(user)
    url = reverse("worker_questions:promote", args=[question.pk])
    assert client.get(url).status_code == 200
    return client.post(url, {"title": title})


def test_an_expert_promotes_an_answered_question_to_a_published_faq(client, expert, worker, lessons):
    question = services.question_ask(worker=worker, lesson=lessons[0], text="do i tag shadows??")
    services.question_answer(question=question, answer="No.\nShadows are not objects.", by=expert)

    assert _promote(client, question, expert, "Do I tag shadows?").status_code == 302

    faq = FAQ.objects.get()
    assert faq.live and faq.question == "Do I tag shadows?"
    assert [lesson.pk for lesson in faq.lessons.all()] == [lessons[0].pk]
    assert "Shadows are not objects." in faq.answer
    assert faq.revisions.count() == 1
    question.refresh_from_db()
    assert question.faq == faq
    _promote(client, question, expert, "Again")
    assert FAQ.objects.count() == 1
    assert "Do I tag shadows?" in client.get(lessons[0].url).content.decode()


def test_an_assistants_faq_waits_for_expert_review(client, assistant, worker, lessons):
    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    services.question_answer(question=question, answer="No.", by=assistant)

    assert _promote(client, question, assistant, "Do I tag shadows?").status_code == 302

    faq = FAQ.objects.get()
    assert not faq.live
    assert faq.workflow_in_progress
    assert faq.current_workflow_task.name == "Expert approval"


def test_an_unanswered_question_cannot_be_promoted(client, assistant, worker, lessons):
    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    client.force_login(assistant)
    client.post(reverse("worker_questions:promote", args=[question.pk]), {"title": "Shadows"})
    assert not FAQ.objects.exists()


def test_worker_sees_answers_on_home_and_marks_them_read(
    worker_client, worker, make_worker, assistant, lessons
):
    mine = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    services.question_answer(question=mine, answer="No, never tag shadows.", by=assistant)
    theirs = services.question_ask(worker=make_worker(), lesson=lessons[0], text="Someone else's question")
    services.question_answer(question=theirs, answer="Their private answer.", by=assistant)

    home = worker_client.get(reverse("home")).content.decode()
    assert "No, never tag shadows." in home and "Their private answer." not in home
    mine_page = worker_client.get(reverse("my_questions")).content.decode()
    assert "No, never tag shadows." in mine_page and "Their private answer." not in mine_page

    assert worker_client.post(reverse("question_seen", args=[theirs.pk])).status_code == 404
    assert (
        worker_client.post(reverse("question_seen", args=[mine.pk]), HTTP_HX_REQUEST="true").status_code
        == 200
    )
    assert "No, never tag shadows." not in worker_client.get(reverse("home")).content.decode()
    theirs.refresh_from_db()
    assert theirs.answer_seen_at is None


def test_faq_search_full_page_and_fragment(worker_client, make_faq, lessons):
    make_faq("How tight should my box be?", "<p>Touch all four edges.</p>", lessons=[lessons[0]])
    make_faq("Can I use my own words?", "<p>No, only the label list.</p>")
    make_faq("Unpublished box rule", "<p>Draft.</p>", live=False)

    page = worker_client.get(reverse("faq_search"), {"q": "box"})
    html = page.content.decode()
    assert page.status_code == 200 and "<html" in html
    assert "How tight should my box be?" in html
    assert "Unpublished box rule" not in html and "Can I use my own words?" not in html

    fragment = worker_client.get(reverse("faq_search"), {"q": "words"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode()
    assert "Can I use my own words?" in fragment.content.decode()
    assert len(fragment.content) < 10_000

    empty = worker_client.get(reverse("faq_search"), {"q": "zebra"}).content.decode()
    assert "No help found" in empty


def test_the_sweep_leaves_a_fresh_answer_to_its_send_and_two_senders_mail_once(assistant, worker, lessons):
    from datetime import timedelta

    from django.utils import timezone

    question = services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    services.question_answer(question=question, by=assistant, answer="No.")
    # Just answered: the on-commit send is on its way, so the sweep does not queue a second one.
    assert tasks.question_notifications_sweep() == 0

    # Two senders at once (a late on-commit task and the sweep's): the first claims it, the other stops.
    assert tasks._claim(question.pk, timezone.now())
    assert tasks.question_answer_notify(question.pk) is False
    assert len(mail.outbox) == 0
    # A claim whose sender died lapses; the sweep then sends it, once.
    later = timezone.now() - timedelta(minutes=6)
    Question.objects.filter(pk=question.pk).update(answered_at=later, notify_claimed_at=later)
    from lms.celery import app

    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        assert tasks.question_notifications_sweep() == 1
    finally:
        app.conf.task_always_eager = before
    assert tasks.question_answer_notify(question.pk) is False
    assert len(mail.outbox) == 1


def test_questions_are_limited_to_a_few_every_ten_minutes(worker_client, worker, lessons):
    from django.urls import reverse

    url = reverse("question_ask", args=[lessons[0].pk])
    for n in range(services.QUESTIONS_PER_WINDOW):
        assert (
            worker_client.post(url, {"text": f"Question number {n}?"}, HTTP_HX_REQUEST="true").status_code
            == 201
        )
    refused = worker_client.post(url, {"text": "One more question?"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 429 and "Wait a few minutes" in refused.content.decode()
    assert Question.objects.filter(worker=worker).count() == services.QUESTIONS_PER_WINDOW
