"""Text that authors and workers type is shown as text everywhere: pages, htmx fragments, CSV and JSON."""

import csv
import io
import json

from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import BankQuestion
from assignment.models import TaskType
from careerpaths.models import CareerLevel, CareerPath
from courses import services as course_services
from lms.models import Team

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "'><svg onload=alert(3)>",
    "</textarea><script>alert(4)</script>",
    "javascript:alert(5)",
]
BARE = ["<script>alert(", "<img src=x", "<svg onload", "</textarea><script"]
FORMULA = '=HYPERLINK("http://evil.example","x")'


def poison(world, assistant) -> None:
    """The payloads in every text field a person can type that these pages show."""
    text = " ".join(PAYLOADS)
    worker, lesson, badge, assessment = world["worker"], world["lesson"], world["badge"], world["assessment"]
    user = worker.user
    user.first_name, user.last_name = FORMULA, text[:150]
    user.save()
    Team.objects.filter(pk=world["team"].pk).update(name="Team " + text[:100])
    lesson.title = "Lesson " + text[:200]
    lesson.save_revision().publish()
    course = lesson.get_parent().specific
    course.title, course.summary = "Course " + text[:200], text
    course.save_revision().publish()
    badge.name, badge.description, badge.criteria = "Badge " + text[:100], text, text
    badge.save()
    assessment.title, assessment.intro = "Check " + text[:100], text
    assessment.save()
    for question in BankQuestion.objects.all():
        question.prompt, question.explanation = text, text
        for block in question.choices:
            block.value["text"], block.value["feedback"] = text[:200], text
        question.save()
    TaskType.objects.update(name="Work " + text[:100])
    path = CareerPath.objects.create(name=text[:100], slug="xss-path")
    CareerLevel.objects.create(path=path, sort_order=0, slug="xss-level", name=text[:100])
    asked = course_services.question_ask(worker=worker, lesson=lesson, text=text)
    course_services.question_answer(question=asked, by=assistant, answer=text)
    world["appeal"].__class__.objects.filter(pk=world["appeal"].pk).update(message=text)


def assert_escaped(body: str, where: str) -> None:
    for bare in BARE:
        assert bare not in body, f"{where}: {bare!r} reached the page unescaped"
    assert "alert(" in body and "&lt;" in body, f"{where}: shows none of the typed text"


def test_typed_text_never_becomes_markup(world, assistant, django_assert_max_num_queries):
    poison(world, assistant)
    worker_client, manager = world["clients"]["worker"], world["clients"]["manager"]
    attempt = world["attempt"]
    short = attempt.questions.filter(kind="short_text").first()
    responses = {short.position: PAYLOADS[0]} if short else {}
    assessment_services.attempt_answer_save(
        worker=world["worker"], attempt_id=attempt.pk, responses=responses
    )
    pages = {
        worker_client: [
            reverse("home"), world["lesson"].url, world["lesson"].get_parent().url, reverse("my_questions"),
            reverse("faq_search") + "?q=" + PAYLOADS[1], reverse("my_work"), reverse("my_badges"),
            reverse("check_detail", args=[world["assessment"].slug]),
            reverse("attempt_page", args=[attempt.pk]),
            reverse("badge_share", args=[world["award"].uid]),
            reverse("badge_detail", args=[world["badge"].slug]),
        ],
        manager: [
            reverse("manager_team_week"), reverse("manager_readiness"),
            reverse("manager_worker", args=[world["worker"].pk]),
        ],
    }  # fmt: skip
    for client, urls in pages.items():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_escaped(response.content.decode(), url)
    # An htmx fragment, then the result page once submitted.
    fragment = worker_client.post(reverse("question_ask", args=[world["lesson"].pk]), {"text": PAYLOADS[1]},
                                  HTTP_HX_REQUEST="true")  # fmt: skip
    assert_escaped(fragment.content.decode(), "question fragment")
    worker_client.post(reverse("attempt_submit", args=[attempt.pk]), {})
    assert_escaped(worker_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode(), "result")

    # CSV: text that a spreadsheet would run as a formula starts with a quote.
    csv_body = manager.get(reverse("manager_team_week_csv", args=[world["team"].pk])).content.decode()
    cells = [cell for row in csv.reader(io.StringIO(csv_body)) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)

    # JSON documents carry the text as strings, served as JSON (never as HTML).
    for url in (reverse("openbadges_badge", args=[world["badge"].slug]),
                reverse("openbadges_assertion", args=[world["award"].uid])):  # fmt: skip
        response = world["clients"]["anonymous"].get(url)
        assert response["Content-Type"] == "application/ld+json"
        document = json.loads(response.content)
        assert document.get("name", "").startswith("Badge <script>") or "badge" in document
    assert get_user_model().objects.get(pk=world["worker"].user_id).first_name == FORMULA
