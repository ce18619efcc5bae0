import pytest
from django.test import Client
from django.urls import reverse

from courses import services
from courses.models import LearningTime, LessonProgress, Question
from lms.models import LearningEvent


def test_anonymous_visitors_are_sent_to_login(client, lessons):
    response = client.get(lessons[0].url)
    assert response.status_code == 302
    assert response.url.startswith("/login/?next=")


def test_lesson_page_shows_content_faqs_and_ask_form(worker_client, lessons, course, make_faq):
    make_faq("Can I use my own words?", lessons=[lessons[0]])
    make_faq("Where is the label list?", courses=[course])
    make_faq("Draft answer nobody sees", lessons=[lessons[0]], live=False)
    make_faq("About another lesson", lessons=[lessons[1]])

    response = worker_client.get(lessons[0].url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Read the label list before you start." in html
    assert html.index("Can I use my own words?") < html.index("Where is the label list?")
    assert "Draft answer nobody sees" not in html
    assert "About another lesson" not in html
    assert 'name="text"' in html
    assert reverse("lesson_heartbeat", args=[lessons[0].pk]) in html
    assert "Lesson 1 of 3" in html


def _warm_and_count(client, url, django_assert_max_num_queries, budget):
    client.get(url)  # first render creates image renditions; the budget is for every later view
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 8])
def test_lesson_page_queries_do_not_grow_with_courses_or_faqs(
    extra,
    worker_client,
    worker,
    lessons,
    course,
    make_course,
    make_lesson,
    make_faq,
    django_assert_max_num_queries,
):
    for n in range(extra):
        other = make_course()
        make_lesson(other)
        make_faq(f"Lesson FAQ {n}", lessons=[lessons[0]])
        make_faq(f"Course FAQ {n}", courses=[course])
        services.question_ask(worker=worker, lesson=lessons[0], text=f"Question number {n}?")
    _warm_and_count(worker_client, lessons[0].url, django_assert_max_num_queries, 5)


@pytest.mark.parametrize("extra", [0, 8])
def test_home_and_catalogue_queries_do_not_grow(
    extra, worker_client, worker, lessons, make_course, make_lesson, django_assert_max_num_queries, catalogue
):
    for _ in range(extra):
        other = make_course()
        lesson = make_lesson(other)
        services.lesson_complete(worker=worker, lesson=lesson)
    _warm_and_count(worker_client, reverse("home"), django_assert_max_num_queries, 22)
    _warm_and_count(worker_client, catalogue.url, django_assert_max_num_queries, 14)
    _warm_and_count(worker_client, lessons[0].get_parent().url, django_assert_max_num_queries, 14)


def test_open_heartbeat_and_complete_through_the_views(worker_client, worker, lessons):
    assert worker_client.post(reverse("lesson_open", args=[lessons[0].pk])).status_code == 204
    response = worker_client.post(reverse("lesson_heartbeat", args=[lessons[0].pk]))
    assert response.json() == {"counted_seconds": 0}  # too soon after opening

    response = worker_client.post(reverse("lesson_complete", args=[lessons[0].pk]))
    assert response.status_code == 302
    assert response.url == lessons[1].url
    assert LessonProgress.objects.get(worker=worker, lesson=lessons[0]).is_completed


def test_complete_over_htmx_returns_the_finish_fragment(worker_client, lessons):
    response = worker_client.post(reverse("lesson_complete", args=[lessons[2].pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="finish"' in html and "You finished this lesson" in html
    assert "<html" not in html
    assert len(response.content) < 10_000


def test_heartbeat_for_a_lesson_the_worker_cannot_see_is_404_and_stores_nothing(
    worker_client, course, make_lesson
):
    draft = make_lesson(course, live=False)
    for name in ("lesson_open", "lesson_heartbeat", "lesson_complete", "question_ask"):
        assert (
            worker_client.post(reverse(name, args=[draft.pk]), {"text": "A fine question?"}).status_code
            == 404
        )
    assert worker_client.post(reverse("lesson_heartbeat", args=[999999])).status_code == 404
    assert not LearningEvent.objects.exists()
    assert not LearningTime.objects.exists()
    assert not Question.objects.exists()


def test_heartbeat_before_opening_is_refused(worker_client, lessons):
    response = worker_client.post(reverse("lesson_heartbeat", args=[lessons[0].pk]))
    assert response.status_code == 409
    assert "Open the lesson first" in response.json()["error"]


def test_post_only_views_refuse_get(worker_client, lessons):
    for name in ("lesson_open", "lesson_heartbeat", "lesson_complete", "question_ask"):
        assert worker_client.get(reverse(name, args=[lessons[0].pk])).status_code == 405
    assert not LearningEvent.objects.exists()


def test_posts_without_csrf_are_refused(worker, lessons):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker.user)
    response = client.post(reverse("question_ask", args=[lessons[0].pk]), {"text": "Is this stored?"})
    assert response.status_code == 403
    assert "nothing was saved" in response.content.decode()
    assert client.post(reverse("lesson_open", args=[lessons[0].pk])).status_code == 403
    assert not Question.objects.exists()
    assert not LearningEvent.objects.exists()


def test_staff_without_a_worker_profile_cannot_post_learning(client, assistant, lessons):
    client.force_login(assistant)
    assert client.post(reverse("lesson_open", args=[lessons[0].pk])).status_code == 403
    assert client.get(lessons[0].url).status_code == 200


@pytest.mark.parametrize("extra", [1, 10])
def test_my_questions_and_help_queries_do_not_grow(
    extra, worker_client, worker, assistant, lessons, make_faq, django_assert_max_num_queries
):
    for n in range(extra):
        question = services.question_ask(worker=worker, lesson=lessons[n % 3], text=f"Question number {n}?")
        services.question_answer(question=question, answer=f"Answer {n}.", by=assistant)
        make_faq(f"How do boxes work, part {n}?", "<p>Touch the edges.</p>")
    _warm_and_count(worker_client, reverse("my_questions"), django_assert_max_num_queries, 6)
    _warm_and_count(worker_client, reverse("faq_search") + "?q=boxes", django_assert_max_num_queries, 6)


def test_ids_beyond_any_row_are_404_not_an_overflow(worker_client):
    from django.urls import reverse

    assert reverse("lesson_open", args=[12]).endswith("/12/open/")
    for path in ("/lessons/99999999999999999999/open/", "/attempts/99999999999999999999/"):
        response = worker_client.post(path) if path.endswith("open/") else worker_client.get(path)
        assert response.status_code == 404, path


def test_help_search_takes_any_text_and_has_one_results_region(worker_client, make_faq):
    from django.urls import reverse

    make_faq("How do I tag shadows?", "<p>Shadows are not tagged.</p>")
    for query in ('tag"', '"', 'shadows "tag', ""):
        response = worker_client.get(reverse("faq_search"), {"q": query})
        assert response.status_code == 200, query
        assert response.content.decode().count('id="faq-results"') == 1, query
    assert (
        "Shadows are not tagged"
        in worker_client.get(reverse("faq_search"), {"q": 'shadows"'}).content.decode()
    )
