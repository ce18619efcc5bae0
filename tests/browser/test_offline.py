"""A worker saves a course, learns with no connection, and nothing they did is lost or counted twice."""

import random
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import pytest
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import expect

from assessments.grading import grade
from assessments.models import Attempt
from courses.models import LearningTime, LessonProgress, Question
from lms import offline
from lms.models import ClientWrite, LearningEvent
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def illustrated(course, make_lesson, picture):
    """Three lessons, the first with a picture (a phone-sized WebP rendition is what gets saved)."""
    body = [
        ("image", {"image": picture, "alt_text": "A fruit bowl", "caption": ""}),
        ("text", "<p>Tag it.</p>"),
    ]
    return [
        make_lesson(course, "What is a tag?", body=body),
        make_lesson(course, "Tag everything"),
        make_lesson(course, "When unsure"),
    ]


# What a page that lost the answers does: send a kept write again, as it was.
RESEND = """w => fetch(w.url, {
    method: "POST", body: w.body, credentials: "same-origin",
    headers: Object.assign(JSON.parse(document.body.getAttribute("hx-headers")),
                           {"Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}),
}).then(r => r.status)"""


CLICKED = ("single", "true_false", "multiple", "image_tagging")


def typed_answer(question) -> dict[str, str]:
    """A typed answer for a question answered with the keyboard: right for some, wrong for others."""
    name = f"q{question.position}"
    if question.kind == "bounding_box":
        return {f"{name}_{part}": value for part, value in zip("xywh", ["30", "40", "40", "35"], strict=True)}
    return {name: {"numeric": "4", "short_text": "unclear"}.get(question.kind, "Turn left at the market")}


WATCH_WRITES = """
window.madeWrites = []; window.refusedWrites = [];
document.addEventListener("htmx:configRequest", e => setTimeout(() => {
    if (e.detail.parameters.client_id) window.madeWrites.push(e.detail.parameters.client_id);
}));
document.addEventListener("htmx:afterRequest", e => {
    const xhr = e.detail.xhr;
    if (xhr && xhr.status >= 400) window.refusedWrites.push(e.detail.requestConfig.parameters.client_id);
});
"""


def saved_for_offline(page, worker, course):
    """The worker signs in on a phone and saves the course for offline."""
    log_in(page, worker.user.username, PASSWORD)
    page.goto(course.url)
    controlled(page)
    page.get_by_role("button", name="Save for offline").click()
    page.get_by_role("button", name="Save it").click()
    expect(page.get_by_text("Saved on your phone")).to_be_visible()
    return page


def until(page, expression: str, seconds: float = 15) -> None:
    """Wait until a (possibly asynchronous) expression in the page is true: evaluate awaits promises."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(100)


def controlled(page) -> None:
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def queued(page) -> list[dict]:
    return page.evaluate("Ladder.pending()")


def beats_counted_from_scratch(writes: list[dict], opened: dict[str, list[datetime]]) -> list[datetime]:
    """The live rules over the queued heartbeats, in the order they are sent (see courses.services)."""
    counted = []
    for write in writes:
        if not write["url"].endswith("/heartbeat/"):
            continue
        at = datetime.fromtimestamp(int(parse_qs(write["body"])["client_time"][0]) / 1000, tz=UTC)
        before = [t for t in opened[write["url"].rsplit("/", 2)[0]] if t <= at]
        if not before or max(before) > at - timedelta(seconds=30):
            continue
        if any(abs(c - at) < timedelta(seconds=30) for c in counted):
            continue
        counted.append(at)
    return counted


def test_a_saved_course_is_learned_offline_and_every_change_arrives_once(
    new_page, worker, course, illustrated
):
    page = new_page()
    # The phone's clock starts two hours ago, so the queued writes carry times the server accepts, and the
    # test moves it on instead of waiting for heartbeats.
    page.clock.install(time=timezone.now() - timedelta(hours=2))
    log_in(page, worker.user.username, PASSWORD)
    page.goto(course.url)
    controlled(page)

    page.get_by_role("button", name="Save for offline").click()
    expect(page.get_by_text("This course takes about")).to_be_visible()
    page.get_by_role("button", name="Save it").click()
    expect(page.get_by_text("Saved on your phone")).to_be_visible()
    assert LessonProgress.objects.filter(worker=worker).count() == 0  # saving opened nothing

    page.context.set_offline(True)
    for number, lesson in enumerate(illustrated):
        page.goto(lesson.url)
        expect(page.get_by_role("heading", name=lesson.title, level=1)).to_be_visible()
        expect(page.locator("#saved-copy")).to_be_visible()
        if number == 0:
            expect(page.get_by_role("img", name="A fruit bowl")).to_be_visible()
            assert page.evaluate("document.querySelector('figure img').naturalWidth") > 0
        for _minute in range(3):  # active for 3 × 31 s: a touch, then a heartbeat
            page.mouse.wheel(0, 40)
            page.clock.run_for(31_000)
        page.get_by_role("button", name="I finished this lesson").click()
        expect(page.get_by_text("Kept on this phone")).to_be_visible()
    page.get_by_label("Your question").fill("Is a bowl one tag or many?")
    page.get_by_role("button", name="Send question").click()
    expect(page.locator("#ask").get_by_text("Kept on this phone")).to_be_visible()
    expect(page.get_by_label("Your question")).to_have_value("")  # taken: not to be sent twice
    expect(page.locator("#page-alert")).to_be_hidden()

    writes = queued(page)
    expect(page.locator("#write-queue")).to_have_text(
        f"{len(writes)} changes will be sent when you are back online."
    )
    assert not LearningEvent.objects.filter(worker=worker).exists()  # nothing reached the server yet
    opened = defaultdict(list)
    for write in writes:
        if write["url"].endswith("/open/"):
            opened[write["url"].rsplit("/", 2)[0]].append(
                datetime.fromtimestamp(int(parse_qs(write["body"])["client_time"][0]) / 1000, tz=UTC)
            )
    expected = beats_counted_from_scratch(writes, opened)

    page.context.set_offline(False)
    until(page, "Ladder.flush().then(n => n === 0)")  # the queue empties
    expect(page.locator("#write-queue")).to_be_hidden()

    assert ClientWrite.objects.filter(worker=worker).count() == len(writes)
    assert LessonProgress.objects.filter(worker=worker, completed_at__isnull=False).count() == 3
    assert list(Question.objects.filter(worker=worker).values_list("text", flat=True)) == [
        "Is a bowl one tag or many?"
    ]
    assert len(expected) >= 6
    assert LearningTime.objects.filter(worker=worker).aggregate(s=Sum("seconds"))["s"] == 30 * len(expected)

    # Sent again (a flaky link resending everything): nothing changes.
    for write in writes:
        page.evaluate(RESEND, write)
    assert ClientWrite.objects.filter(worker=worker).count() == len(writes)
    assert LearningTime.objects.filter(worker=worker).aggregate(s=Sum("seconds"))["s"] == 30 * len(expected)
    assert Question.objects.filter(worker=worker).count() == 1


def test_answers_survive_200_dropped_connections_each_saved_once_and_graded_as_given(
    new_page, worker, assessment
):
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    # The page itself lists every write it makes and every one refused in words (an incomplete box while it
    # is being typed is refused with a 422, and not kept to send again).
    page.context.add_init_script(WATCH_WRITES)
    page.goto(f"/checks/{assessment.slug}/")
    page.get_by_role("button", name="Start").click()
    attempt = Attempt.objects.get(worker=worker)
    controlled(page)
    for question in attempt.questions.exclude(kind__in=CLICKED):  # typed answers first, online
        for name, value in typed_answer(question).items():
            page.locator(f"[name={name}]").fill(value)
    page.wait_for_timeout(1500)  # typing saves after a 1 s pause
    page.wait_for_load_state("networkidle")
    refused_typing = set(page.evaluate("window.refusedWrites"))

    choices = page.locator("form.attempt input[type=radio], form.attempt input[type=checkbox]")
    rng = random.Random(200)
    for drop in range(200):
        page.context.set_offline(drop % 2 == 0)
        choices.nth(rng.randrange(choices.count())).click()
    page.context.set_offline(False)
    page.wait_for_timeout(1500)  # the last change saves after a 1 s pause
    page.wait_for_load_state("networkidle")
    until(page, "Ladder.flush().then(n => n === 0)")

    # Every write the page made reached the server, each once.
    made, refused = set(page.evaluate("window.madeWrites")), set(page.evaluate("window.refusedWrites"))
    assert len(made) > 50
    assert refused == refused_typing  # nothing sent during the drops was refused
    applied = set(
        map(str, ClientWrite.objects.filter(kind="answer_save").values_list("client_id", flat=True))
    )
    assert applied == made - refused
    saved = {q.position: q.response for q in attempt.questions.all()}
    page.get_by_role("button", name="Finish and see my result").click()
    expect(page.get_by_role("heading", name="Bounding boxes check: your result")).to_be_visible()

    # What was saved is what the page showed last, and the result is graded from it.
    attempt.refresh_from_db()
    finished = list(attempt.questions.order_by("position"))
    assert {q.position: q.response for q in finished} == saved
    earned = sum(q.points * grade(q.kind, q.response, q.key) for q in finished)
    assert attempt.points_earned == pytest.approx(earned)


CACHES = "caches.keys().then(names => names.sort())"


def test_a_deploy_replaces_the_service_worker_and_its_old_caches(
    new_page, worker, course, lessons, monkeypatch
):
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    page.goto(course.url)
    controlled(page)
    old = f"ladder-shell-{offline.shell()[1]}"
    until(page, f"caches.has('{old}')")

    urls, _version = offline.shell()
    monkeypatch.setattr(offline, "shell", lambda: (urls, "a-new-deploy"))
    page.reload()
    until(page, "caches.has('ladder-shell-a-new-deploy')")
    until(page, f"caches.has('{old}').then(kept => !kept)")
    assert page.evaluate(CACHES) == ["ladder-pages", "ladder-shell-a-new-deploy"]


def test_logging_out_leaves_nothing_of_the_worker_on_a_shared_phone(new_page, worker, course, lessons):
    page = saved_for_offline(new_page(), worker, course)
    assert f"ladder-course-{course.pk}" in page.evaluate(CACHES)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login/**")
    until(page, f"caches.has('ladder-course-{course.pk}').then(kept => !kept)")
    assert not [name for name in page.evaluate(CACHES) if not name.startswith("ladder-shell-")]


def test_answers_typed_offline_come_back_after_a_reload_and_count(new_page, worker, assessment):
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    page.goto(f"/checks/{assessment.slug}/")
    page.get_by_role("button", name="Start").click()
    controlled(page)
    attempt = Attempt.objects.get(worker=worker)
    question = attempt.questions.get(kind="transcription")
    answer = page.locator(f"[name=q{question.position}]")

    page.context.set_offline(True)
    until(page, "!navigator.onLine")  # the page knows it is offline before the answer is typed
    answer.fill("Turn left at the market.")
    page.keyboard.press("Tab")
    expect(page.get_by_text("Your answers are kept on this phone")).to_be_visible()
    page.reload()  # the copy kept on the phone, and the answer typed offline put back in it
    expect(page.locator("#saved-copy")).to_be_visible()
    expect(answer).to_have_value("Turn left at the market.")
    question.refresh_from_db()
    assert question.response is None

    page.get_by_role("button", name="Finish and see my result").click()  # offline: not sent, and said so
    expect(page.locator("#write-queue")).to_contain_text("finish when you are back online")
    assert Attempt.objects.get(pk=attempt.pk).is_open

    page.context.set_offline(False)
    until(page, "Ladder.flush().then(n => n === 0)")
    question.refresh_from_db()
    assert question.response == "Turn left at the market."


NO_STORAGE = "delete window.indexedDB; delete window.caches;"


def test_a_browser_without_storage_works_online_and_says_saving_is_unavailable(
    new_page, worker, course, lessons
):
    page = new_page()
    page.context.add_init_script(NO_STORAGE)
    log_in(page, worker.user.username, PASSWORD)
    page.goto(course.url)
    expect(page.get_by_text("Saving for offline is not available in this browser")).to_be_visible()

    page.goto(lessons[0].url)
    page.get_by_role("button", name="I finished this lesson").click()
    expect(page.get_by_text("You finished this lesson.")).to_be_visible()
    assert LessonProgress.objects.get(worker=worker, lesson=lessons[0]).completed_at is not None


def test_another_login_on_the_phone_does_not_see_the_last_workers_pages(
    new_page, worker, make_worker, course, lessons
):
    page = saved_for_offline(new_page(), worker, course)

    page.context.clear_cookies()  # the session ended without logging out
    other = make_worker("other-on-the-same-phone")
    log_in(page, other.user.username, PASSWORD)
    until(page, f"caches.has('ladder-course-{course.pk}').then(kept => !kept)")
    assert "ladder-pages" not in page.evaluate(CACHES) or page.evaluate(
        f"caches.open('ladder-pages').then(c => c.match('{course.url}')).then(r => !r)"
    )
