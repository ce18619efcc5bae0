import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Attempt, BadgeAward
from tests.browser.conftest import log_in, said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drag_box(page, image, box: list[float]) -> None:
    """Draw a box on the picture with the mouse, from its top-left to its bottom-right corner."""
    frame = image.bounding_box()
    x, y, w, h = box
    page.mouse.move(frame["x"] + x * frame["width"], frame["y"] + y * frame["height"])
    page.mouse.down()
    page.mouse.move(
        frame["x"] + (x + w / 2) * frame["width"], frame["y"] + (y + h / 2) * frame["height"], steps=5
    )
    page.mouse.move(frame["x"] + (x + w) * frame["width"], frame["y"] + (y + h) * frame["height"], steps=5)
    page.mouse.up()


def test_worker_draws_boxes_in_the_demo_check_passes_and_sees_the_badge(new_page):
    call_command("seed_demo", workers=1, cohort=0, password="demo-pass-123")
    assert not BadgeAward.objects.filter(worker__external_id="worker", badge__slug="bounding-boxes").exists()

    page = new_page(1024, 900)
    log_in(page, "worker", "demo-pass-123")
    page.goto("/learn/bounding-boxes/")
    # The demo worker reads French; this check is not translated yet, so its own words stay English.
    page.get_by_role("link", name=said("fr", "Check your skill")).click()
    page.get_by_role("button", name=said("fr", "Start")).click()
    expect(page.get_by_role("heading", name="Bounding boxes practical check")).to_be_visible()

    attempt = Attempt.objects.get(worker__external_id="worker", assessment__slug="bounding-boxes-check")
    for question in attempt.questions.order_by("position"):
        assert question.kind == "bounding_box"
        fieldset = page.locator(f"#question-{question.position}")
        image = fieldset.locator("img")
        image.scroll_into_view_if_needed()
        # The test knows the gold box from the database; the page never saw it.
        drag_box(page, image, question.key["gold_box"])
        expect(fieldset.locator("input[data-part=w]")).not_to_have_value("")
        expect(fieldset.locator(".bbox-rect").first).to_be_visible()

    expect(page.get_by_text(said("fr", "Answers saved."))).to_be_visible()
    page.get_by_role("button", name=said("fr", "Finish and see my result")).click()

    expect(page.get_by_text(said("fr", "You passed!"))).to_be_visible()
    expect(page.locator(".badge-earned")).to_be_visible()
    page.get_by_role("link", name=said("fr", "My badges"), exact=True).first.click()
    expect(page.get_by_role("heading", name="Bounding boxes")).to_be_visible()
    assert BadgeAward.objects.get(worker__external_id="worker", badge__slug="bounding-boxes").is_active
