import pytest
from playwright.sync_api import expect

from courses.models import LessonProgress, Question
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_reads_faq_asks_assistant_answers_worker_sees_answer(
    new_page, worker, assistant, lessons, course, make_faq
):
    make_faq("Do small objects need a tag?", "<p>Yes, tag them however small.</p>", lessons=[lessons[0]])
    make_faq("What is the label list?", "<p>The words you may use.</p>", courses=[course])

    # The worker opens the course on a phone, reads an FAQ beside the lesson and asks a question.
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    expect(page.get_by_role("heading", name="Hello")).to_be_visible()
    page.get_by_role("link", name="Image tagging basics").first.click()
    page.get_by_role("link", name="What is a tag?").click()
    expect(page.get_by_role("heading", name="What is a tag?", level=1)).to_be_visible()
    expect(page.get_by_text("Yes, tag them however small.")).to_be_hidden()
    page.get_by_text("Do small objects need a tag?").click()
    expect(page.get_by_text("Yes, tag them however small.")).to_be_visible()

    page.get_by_label("Your question").fill("Do I tag the shadow of a car?")
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_text("Your question was sent")).to_be_visible()
    expect(page.locator("#ask").get_by_text("Do I tag the shadow of a car?")).to_be_visible()
    assert page.url.endswith(lessons[0].url)  # htmx swapped the form; no page load
    assert LessonProgress.objects.filter(worker=worker, lesson=lessons[0]).exists()  # opened by the script

    # The assistant answers it in the admin queue.
    admin = new_page(1280, 900)
    log_in(admin, assistant.username, PASSWORD)
    admin.goto("/admin/worker_questions/")
    admin.get_by_role("link", name="Do I tag the shadow of a car?").click()
    admin.locator("textarea[name=answer]").fill("No. A shadow is not an object, so it gets no tag.")
    admin.get_by_role("button", name="Save").click()
    expect(admin.get_by_text("Answer saved")).to_be_visible()

    # The worker sees the answer on her home page.
    page.goto("/")
    expect(page.get_by_text("No. A shadow is not an object, so it gets no tag.")).to_be_visible()
    page.get_by_role("button", name="Got it").click()
    expect(page.get_by_text("No. A shadow is not an object, so it gets no tag.")).to_be_hidden()
    assert Question.objects.get().answer_seen_at is not None


def test_faq_search_works_without_javascript(browser, live_server, worker, make_faq):
    make_faq("How tight should my box be?", "<p>Touch all four edges.</p>")
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    log_in(page, worker.user.username, PASSWORD)
    page.goto("/help/")
    page.get_by_label("Search all help").fill("box")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Touch all four edges.")).to_be_visible()
    context.close()
