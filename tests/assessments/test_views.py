import re
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Attempt, BadgeAward, BankQuestion, QuestionBank
from tests.assessments.fixtures import form_data, right_answers

Kind = BankQuestion.Kind

SENTINELS = {
    "explanation": "EXPLAIN-7731",
    "feedback": "FEEDBACK-5512",
    "short": "SHORTANSWER-3390",
    "transcript": "Gold transcript 8821",
    "numeric": "4817.25",
    "label": "goldlabel-6604",
}


@pytest.fixture
def leak_bank(picture, make_question):
    bank = QuestionBank.objects.create(title="Sentinels")
    explanation = SENTINELS["explanation"]

    def choice(text, correct):
        return (
            "choice",
            {"text": text, "correct": correct, "feedback": SENTINELS["feedback"] if correct else ""},
        )

    make_question(
        bank, Kind.SINGLE, choices=[choice("alpha", True), choice("beta", False)], explanation=explanation
    )
    make_question(
        bank, Kind.MULTIPLE, choices=[choice("gamma", True), choice("delta", False)], explanation=explanation
    )
    make_question(bank, Kind.TRUE_FALSE, true_false_answer=True, explanation=explanation)
    make_question(bank, Kind.NUMERIC, numeric_answer=Decimal(SENTINELS["numeric"]), explanation=explanation)
    make_question(bank, Kind.SHORT_TEXT, accepted_answers=SENTINELS["short"], explanation=explanation)
    make_question(
        bank,
        Kind.IMAGE_TAGGING,
        image=picture,
        labels=f"plain\n{SENTINELS['label']}",
        gold_labels=SENTINELS["label"],
        explanation=explanation,
    )
    make_question(
        bank,
        Kind.BOUNDING_BOX,
        image=picture,
        gold_box=[0.1313, 0.2424, 0.3535, 0.4646],
        explanation=explanation,
    )
    make_question(bank, Kind.TRANSCRIPTION, accepted_answers=SENTINELS["transcript"], explanation=explanation)
    return bank


def leaks(html: str) -> list[str]:
    found = [name for name, value in SENTINELS.items() if value in html and name != "label"]
    found += [f"box {n}" for n in ("13.13", "24.24", "35.35", "46.46", "0.1313") if n in html]
    found += re.findall(r"\b(?:is_correct|gold_box|gold_labels|accepted|\"correct\")\b", html)
    return found


def test_no_answer_key_reaches_the_browser_before_submission(
    worker_client, worker, make_assessment, leak_bank
):
    make_assessment(bank=leak_bank, slug="leaky", show_answers="after_submit")
    page = worker_client.post(reverse("check_start", args=["leaky"]))
    attempt = Attempt.objects.get()
    assert page.url == reverse("attempt_page", args=[attempt.pk])
    assert attempt.questions.count() == 8
    single = attempt.questions.get(kind=Kind.SINGLE).position

    responses = [
        worker_client.get(reverse("check_detail", args=["leaky"])),
        worker_client.get(reverse("attempt_page", args=[attempt.pk])),
        worker_client.post(reverse("attempt_save", args=[attempt.pk]), {"q1": "x"}, HTTP_HX_REQUEST="true"),
        worker_client.post(
            reverse("attempt_save", args=[attempt.pk]), {"q2_present": "1"}, HTTP_HX_REQUEST="true"
        ),
        worker_client.post(reverse("attempt_submit", args=[attempt.pk]), {f"q{single}": "tampered"}),
        worker_client.get(reverse("attempt_result", args=[attempt.pk])),  # redirects while open
        worker_client.get(reverse("home")),
    ]
    assert responses[4].status_code == 422  # the tampered choice was refused, the attempt is still open
    for response in responses:
        assert leaks(response.content.decode()) == [], response.request["PATH_INFO"]

    # The same sentinels do show once the attempt is submitted, so the scan above can see a leak.
    worker_client.post(reverse("attempt_submit", args=[attempt.pk]), {})
    result = worker_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert {"explanation", "short", "transcript", "numeric"} <= set(leaks(result))


def test_policy_after_pass_keeps_answers_hidden_on_a_fail(worker_client, make_assessment, leak_bank):
    make_assessment(bank=leak_bank, slug="strict", show_answers="after_pass", show_explanations=False)
    worker_client.post(reverse("check_start", args=["strict"]))
    attempt = Attempt.objects.get()
    worker_client.post(reverse("attempt_submit", args=[attempt.pk]), {})
    result = worker_client.get(reverse("attempt_result", args=[attempt.pk])).content.decode()
    assert "Not passed yet" in result
    assert leaks(result) == []


def test_take_a_check_through_the_pages_and_earn_the_badge(worker_client, worker, assessment, badge):
    start = worker_client.post(reverse("check_start", args=[assessment.slug]))
    attempt = Attempt.objects.get()
    assert worker_client.post(reverse("check_start", args=[assessment.slug])).url == start.url  # resume

    saved = worker_client.post(
        reverse("attempt_save", args=[attempt.pk]), form_data(attempt), HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 200 and "Answers saved" in saved.content.decode()
    assert len(saved.content) < 10_000
    page = worker_client.get(reverse("attempt_page", args=[attempt.pk])).content.decode()
    assert page.count("checked") >= 3  # saved answers come back on reload

    response = worker_client.post(reverse("attempt_submit", args=[attempt.pk]), form_data(attempt))
    assert response.url == reverse("attempt_result", args=[attempt.pk])
    result = worker_client.get(response.url).content.decode()
    assert "100%" in result and "You passed!" in result
    assert "Badge earned" in result and badge.name in result
    award = BadgeAward.objects.get(worker=worker)
    assert badge.name in worker_client.get(reverse("my_badges")).content.decode()
    assert str(award.uid) in worker_client.get(reverse("home")).content.decode()


def test_bad_answers_on_the_page_show_field_errors_and_save_nothing(worker_client, assessment):
    worker_client.post(reverse("check_start", args=[assessment.slug]))
    attempt = Attempt.objects.get()
    box = attempt.questions.get(kind=Kind.BOUNDING_BOX).position
    numeric = attempt.questions.get(kind=Kind.NUMERIC).position
    data = {f"q{box}_x": "90", f"q{box}_y": "0", f"q{box}_w": "50", f"q{box}_h": "10", f"q{numeric}": "lots"}

    response = worker_client.post(reverse("attempt_submit", args=[attempt.pk]), data)

    html = response.content.decode()
    assert response.status_code == 422
    assert "The box must be inside the picture" in html and "Enter a number" in html
    attempt.refresh_from_db()
    assert attempt.is_open and not attempt.questions.filter(response__isnull=False).exists()


def test_other_workers_attempts_are_404_everywhere(client, make_worker, worker, assessment):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    client.force_login(make_worker().user)
    for name in ("attempt_page", "attempt_result"):
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404
    for name in ("attempt_save", "attempt_submit"):
        assert client.post(reverse(name, args=[attempt.pk]), {"q1": "x"}).status_code == 404
    attempt.refresh_from_db()
    assert attempt.is_open


def test_cooldown_and_closed_attempts_are_explained(worker_client, worker, make_assessment):
    assessment = make_assessment(cooldown_minutes=60)
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses={})

    detail = worker_client.get(reverse("check_detail", args=[assessment.slug])).content.decode()
    assert "Take a short break" in detail
    response = worker_client.post(reverse("check_start", args=[assessment.slug]), follow=True)
    assert "try again in" in response.content.decode()
    assert Attempt.objects.count() == 1
    late = worker_client.post(reverse("attempt_save", args=[attempt.pk]), {"q1": "x"}, HTTP_HX_REQUEST="true")
    assert late.status_code == 409 and "already finished" in late.content.decode()


def test_drafts_are_not_available(worker_client, make_assessment):
    make_assessment(slug="draft-check", live=False)
    assert worker_client.get(reverse("check_detail", args=["draft-check"])).status_code == 404
    assert worker_client.post(reverse("check_start", args=["draft-check"])).status_code == 404


def test_course_page_offers_its_check(worker_client, course, lessons, make_assessment):
    make_assessment(course=course, slug="course-check")
    html = worker_client.get(course.url).content.decode()
    assert reverse("check_detail", args=["course-check"]) in html


@pytest.mark.parametrize("questions", [2, 8])
def test_attempt_and_result_pages_have_a_fixed_query_count(
    questions, worker_client, worker, make_assessment, django_assert_max_num_queries
):
    assessment = make_assessment(questions_per_attempt=questions)
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    url = reverse("attempt_page", args=[attempt.pk])
    worker_client.get(url)
    with django_assert_max_num_queries(10):
        worker_client.get(url)
    services.attempt_submit(worker=worker, attempt_id=attempt.pk, responses=right_answers(attempt))
    url = reverse("attempt_result", args=[attempt.pk])
    worker_client.get(url)
    with django_assert_max_num_queries(11):
        worker_client.get(url)
    assert Assessment.objects.count() == 1


def test_save_without_javascript_shows_the_whole_page_with_the_errors(worker_client, assessment):
    worker_client.post(reverse("check_start", args=[assessment.slug]))
    attempt = Attempt.objects.get()
    numeric = attempt.questions.get(kind=Kind.NUMERIC).position

    response = worker_client.post(reverse("attempt_save", args=[attempt.pk]), {f"q{numeric}": "lots"})

    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" in html and "Finish and see my result" in html  # the page, not a bare fragment
    assert "Enter a number" in html
    assert f'aria-describedby="q{numeric}-error"' in html and f'id="q{numeric}-error"' in html
    # With htmx, only the status line comes back.
    partial = worker_client.post(
        reverse("attempt_save", args=[attempt.pk]), {f"q{numeric}": "lots"}, HTTP_HX_REQUEST="true"
    )
    assert partial.status_code == 422 and "<html" not in partial.content.decode()
    assert 'id="save-status"' in partial.content.decode()


def test_saving_into_a_closed_attempt_without_javascript_says_so_on_the_result(worker_client, assessment):
    worker_client.post(reverse("check_start", args=[assessment.slug]))
    attempt = Attempt.objects.get()
    worker_client.post(reverse("attempt_submit", args=[attempt.pk]), {})

    response = worker_client.post(reverse("attempt_save", args=[attempt.pk]), {"q1": "x"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("attempt_result", args=[attempt.pk])
    assert "This skill check is already finished." in response.content.decode()
