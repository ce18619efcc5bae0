"""A worker who uses only the keyboard takes the bounding-box check and passes it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Attempt
from tests.browser.conftest import said

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching `selector` has the focus (as a keyboard user does)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def press(page, key: str, times: int) -> None:
    for _ in range(times):
        page.keyboard.press(key)


def steer(page, now: float, target: float, less: str, more: str, shift: bool = False) -> None:
    """Arrow keys from one value to another: Ctrl moves 5 %, a plain press 1 %."""
    modifier = "Shift+" if shift else ""
    difference = round(target) - round(now)
    key = more if difference > 0 else less
    fives, ones = divmod(abs(difference), 5)
    press(page, f"Control+{modifier}{key}", fives)
    press(page, f"{modifier}{key}", ones)


def test_the_box_check_is_done_with_the_keyboard_alone(new_page):
    call_command("seed_demo", workers=1, cohort=0, password="demo-pass-123")
    page = new_page()
    page.goto("/login/")
    tab_to(page, "input[name=username]")
    page.keyboard.type("worker")
    page.keyboard.press("Tab")
    page.keyboard.type("demo-pass-123")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)

    page.goto("/learn/bounding-boxes/")
    tab_to(page, "a[href^='/checks/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/checks/**")
    tab_to(page, "form[action$='/start/'] button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Bounding boxes practical check")).to_be_visible()

    attempt = Attempt.objects.get(worker__external_id="worker", assessment__slug="bounding-boxes-check")
    for question in attempt.questions.order_by("position"):
        stage = f"#question-{question.position} .bbox-stage"
        tab_to(page, stage)
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # focus seen
        page.keyboard.press("ArrowRight")  # a box appears in the middle: 40, 40, 20 × 20 %
        x, y, w, h = (
            100 * v for v in question.key["gold_box"]
        )  # the test knows the gold; the page never did
        steer(page, 20, w, "ArrowLeft", "ArrowRight", shift=True)
        steer(page, 20, h, "ArrowUp", "ArrowDown", shift=True)
        steer(page, 40, x, "ArrowLeft", "ArrowRight")
        steer(page, 40, y, "ArrowUp", "ArrowDown")
        fields = page.locator(f"#question-{question.position} input[data-part]")
        typed = [float(fields.nth(i).input_value()) for i in range(4)]
        assert typed == pytest.approx([round(x), round(y), round(w), round(h)], abs=1)

    expect(page.get_by_text(said("fr", "Answers saved."))).to_be_visible()
    tab_to(page, "form.attempt button[type=submit]:not([formaction])")
    page.keyboard.press("Enter")
    expect(page.get_by_text(said("fr", "You passed!"))).to_be_visible()
    assert Attempt.objects.get(pk=attempt.pk).passed
