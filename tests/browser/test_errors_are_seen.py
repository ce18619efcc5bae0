"""A refused answer or question shows its reason where the worker looks (htmx swaps 409/422)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import Attempt, BankQuestion
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_answer_after_time_is_up_and_an_invalid_number_say_so(new_page, worker, assessment):
    attempt = services.attempt_start(worker=worker, assessment=assessment)
    numeric = attempt.questions.get(kind=BankQuestion.Kind.NUMERIC).position
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    page.goto(f"/attempts/{attempt.pk}/")
    status = page.locator("#save-status")

    page.locator(f"[name=q{numeric}]").fill("lots")
    page.locator(f"[name=q{numeric}]").blur()
    expect(status).to_contain_text("could not be read")  # the 422's reason, not an empty status line

    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=timezone.now() - timedelta(hours=2), deadline_at=timezone.now() - timedelta(hours=1)
    )
    page.locator(f"[name=q{numeric}]").fill("4")
    page.locator(f"[name=q{numeric}]").blur()
    expect(status).to_contain_text("Time is up: this answer was not saved.")


def test_an_empty_question_shows_its_error_in_the_form(new_page, worker, lessons):
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    page.goto(lessons[0].url)
    # Spaces pass the browser's own length check; the server refuses them (422) and says why.
    page.get_by_label("Your question").fill("        ")
    page.get_by_role("button", name="Send question").click()
    expect(page.locator("#ask")).to_contain_text("Write your question first.")
    expect(page.get_by_label("Your question")).to_have_attribute("aria-invalid", "true")
