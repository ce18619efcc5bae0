"""The French demo worker switches to Bengali, learns and passes the Bengali check, on a phone."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments import services
from assessments.models import Assessment, Attempt, BadgeAward
from courses.models import LessonPage, LessonProgress
from lms.demo.translations import BENGALI
from lms.models import WorkerProfile
from lms.services import worker_create
from tests.browser.conftest import log_in, said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_french_worker_switches_to_bengali_learns_and_passes_the_bengali_check(new_page):
    call_command("seed_demo", workers=1, cohort=0, password="demo-pass-123")
    worker = WorkerProfile.objects.get(external_id="worker")
    assert worker.language == "fr"

    page = new_page()  # a phone
    log_in(page, "worker", "demo-pass-123")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name=said("fr", "Hello %(name)s", name="Voahangy"))).to_be_visible()

    # The Language control at the foot of every page, a plain form.
    page.get_by_label(said("fr", "Language")).select_option("bn")
    page.get_by_role("button", name=said("fr", "Change")).click()
    expect(page.locator("html")).to_have_attribute("lang", "bn")
    worker.refresh_from_db()
    assert worker.language == "bn"

    # A Bengali lesson, finished.
    lesson = LessonPage.objects.get(slug="when-you-are-not-sure", locale__language_code="en")
    assert not LessonProgress.objects.filter(
        worker=worker, lesson=lesson, completed_at__isnull=False
    ).exists()
    page.goto(lesson.url)
    expect(page.get_by_role("heading", name=BENGALI["When you are not sure"])).to_be_visible()
    expect(page.get_by_role("heading", name=BENGALI["Unclear images"])).to_be_visible()
    page.get_by_role("button", name=said("bn", "I finished this lesson")).click()
    expect(page.get_by_text(said("bn", "You finished this lesson."))).to_be_visible()
    assert LessonProgress.objects.get(worker=worker, lesson=lesson).completed_at is not None

    # The Bengali image-tagging check: the same four questions, in Bengali words.
    page.goto("/checks/image-tagging-check/")
    expect(page.get_by_role("heading", name=BENGALI["Image tagging check"], exact=False)).to_be_visible()
    page.get_by_role("button", name=said("bn", "Try again")).click()
    attempt = Attempt.objects.get(worker=worker, assessment__slug="image-tagging-check", status="open")
    assert attempt.language == "bn"
    for question in attempt.questions.order_by("position"):
        fieldset = page.locator(f"#question-{question.position}")
        if question.kind == "image_tagging":
            for label in ("apple", "banana", "orange"):
                fieldset.get_by_label(BENGALI[label], exact=True).check()
        elif question.kind == "single":
            fieldset.get_by_label(BENGALI["Do not tag it"]).check()
        elif question.kind == "true_false":
            fieldset.get_by_label(said("bn", "True"), exact=True).check()
        elif question.kind == "short_text":
            fieldset.get_by_role("textbox").fill("অস্পষ্ট")
            fieldset.get_by_role("textbox").blur()
    expect(page.get_by_text(said("bn", "Answers saved."))).to_be_visible()
    page.get_by_role("button", name=said("bn", "Finish and see my result")).click()

    expect(page.get_by_text(said("bn", "You passed!"))).to_be_visible()
    expect(page.locator(".badge-earned").get_by_role("link", name=BENGALI["Image tagging"])).to_be_visible()
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100
    award = BadgeAward.objects.get(worker=worker, badge__slug="image-tagging", revoked_at__isnull=True)
    assert award.is_active and award.evidence.filter(attempt=attempt).exists()

    # The same answers, read in English by an English-reading worker, are graded exactly alike.
    check = Assessment.objects.get(slug="image-tagging-check")
    english = worker_create(
        username="reader", email="reader@ladder.example", password="demo-pass-123", external_id="reader"
    )
    replay = services.attempt_start(worker=english, assessment=check)
    assert replay.language == "en"
    responses = {}
    frozen = {q.source_id: q for q in attempt.questions.all()}
    for question in replay.questions.all():
        answered = frozen[question.source_id]
        value = answered.response
        if question.kind == "single":  # choice ids differ per attempt: map through the bank's choice id
            block = answered.key["blocks"][value]
            value = next(c for c, b in question.key["blocks"].items() if b == block)
        responses[question.position] = value
    result = services.attempt_submit(worker=english, attempt_id=replay.pk, responses=responses).attempt
    assert (result.score, result.passed) == (attempt.score, attempt.passed)
    assert {q.source_id: q.fraction for q in result.questions.all()} == {
        q.source_id: q.fraction for q in attempt.questions.all()
    }

    # My badges names it in Bengali.
    page.goto("/my/badges/")
    expect(page.get_by_role("heading", name=BENGALI["Image tagging"])).to_be_visible()
