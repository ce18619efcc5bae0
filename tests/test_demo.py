import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from assessments.models import Assessment, BadgeAward, BankQuestion
from assignment.models import Suspension, TaskType, WorkResult
from careerpaths.models import CareerLevel, CareerStatus
from courses.models import FAQ, CoursePage, LessonPage, LessonProgress, Question
from lms.models import LearningEvent, Team, WeeklyRecord, WorkerProfile

pytestmark = pytest.mark.slow


def test_seed_demo_builds_the_documented_demo_and_is_idempotent(db):
    call_command("seed_demo", workers=4, cohort=0, password="demo-pass-123")
    counts = (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        FAQ.objects.count(),
        LearningEvent.objects.count(),
        WorkResult.objects.count(),
        TaskType.objects.count(),
    )
    call_command("seed_demo", workers=4, cohort=0, password="demo-pass-123")
    assert (
        CoursePage.objects.count(),
        LessonPage.objects.count(),
        FAQ.objects.count(),
        LearningEvent.objects.count(),
        WorkResult.objects.count(),
        TaskType.objects.count(),
    ) == counts

    sources = CoursePage.objects.filter(locale__language_code="en")
    assert sources.live().count() >= 4
    for course in sources:
        assert 3 <= LessonPage.objects.child_of(course).live().count() <= 5
        assert FAQ.objects.filter(courses=course, live=True).exists()
    request = RequestFactory().post("/login/")
    for username in ("admin", "assistant", "expert", "manager", "worker"):
        user = authenticate(request, username=username, password="demo-pass-123")
        assert user is not None, username
        assert user.email == f"{username}@ladder.example"
    assert WorkerProfile.objects.count() == 4
    assert all(p.external_id == p.user.username for p in WorkerProfile.objects.select_related("user"))

    worker = WorkerProfile.objects.get(user__username="worker")
    assert Team.objects.get(managers__username="manager") == worker.team
    assert LessonProgress.objects.filter(worker=worker, completed_at__isnull=False).exists()
    assert LessonProgress.objects.filter(worker=worker, completed_at__isnull=True).exists()
    assert Question.objects.filter(worker=worker, answered_at__isnull=False).exists()
    assert Question.objects.filter(answered_at__isnull=True).exists()
    assert set(WorkerProfile.objects.values_list("time_zone", flat=True)) == {
        "Indian/Antananarivo",
        "Asia/Kolkata",
    }
    weeks = {e.occurred_at.isocalendar()[1] for e in LearningEvent.objects.filter(worker=worker)}
    assert len(weeks) >= 2

    for course in sources:
        check = Assessment.objects.get(course=course, live=True)
        assert (
            check.badge is not None
            and check.bank.questions.filter(live=True).count() >= check.questions_per_attempt
        )
    held = set(BadgeAward.objects.filter(worker=worker).values_list("badge__slug", flat=True))
    assert held == {"image-tagging"}
    assert BankQuestion.objects.filter(kind="bounding_box", live=True).count() >= 2

    # Work: tagging is the entry level and open to `worker`; the rest pays better and is locked.
    tagging = TaskType.objects.get(code="image-tagging")
    assert set(TaskType.objects.values_list("code", flat=True)) == {
        "image-tagging",
        "bounding-boxes",
        "transcription",
        "quality-review",
    }
    assert all(t.pay_rate > tagging.pay_rate for t in TaskType.objects.exclude(pk=tagging.pk))
    assert set(worker.eligibilities.filter(eligible=True).values_list("task_type__code", flat=True)) == {
        "image-tagging"
    }
    weeks = {r.period_end.isocalendar()[1] for r in WorkResult.objects.filter(worker=worker)}
    assert len(weeks) >= 2
    suspension = Suspension.objects.get()
    assert (suspension.worker.external_id, suspension.task_type) == ("amina", tagging)
    assert suspension.accuracy < tagging.accuracy_threshold and suspension.refresher.live
    assert not suspension.worker.eligibilities.get(task_type=tagging).eligible

    # Twelve weeks of weekly records, a career path with its levels, and someone ready for promotion.
    assert WeeklyRecord.objects.filter(worker=worker).count() >= 12
    assert WeeklyRecord.objects.filter(worker=worker, goal_met=True).exists()
    assert list(CareerLevel.objects.order_by("sort_order").values_list("slug", flat=True)) == [
        "trainee",
        "annotator",
        "senior-annotator",
        "quality-reviewer",
        "team-lead",
    ]
    assert worker.career.level.slug == "annotator" and not worker.career.ready
    ready = CareerStatus.objects.get(worker__external_id="ravi")
    assert ready.ready and ready.next_level.slug == "senior-annotator"


def test_the_demo_speaks_french_and_bengali(db):
    call_command("seed_demo", workers=20, cohort=0, password="demo-pass-123")
    languages = dict(WorkerProfile.objects.values_list("external_id", "language"))
    assert languages["worker"] == "fr" and languages["sita"] == "bn"
    assert {languages["mialy"], languages["meena"]} == {"mg", "hi"}

    # "Image tagging basics", its lessons and FAQs: approved (live) translations in French and Bengali.
    course = CoursePage.objects.get(slug="image-tagging-basics", locale__language_code="en")
    lessons = LessonPage.objects.child_of(course)
    faqs = FAQ.objects.filter(lessons__in=lessons, locale__language_code="en").distinct()
    for language in ("fr", "bn"):
        translated = CoursePage.objects.get(
            translation_key=course.translation_key, locale__language_code=language
        )
        assert translated.live and translated.title != course.title
        for lesson in lessons:
            page = LessonPage.objects.get(
                translation_key=lesson.translation_key, locale__language_code=language
            )
            assert page.live and page.title != lesson.title
        for faq in faqs:
            assert (
                FAQ.objects.get(
                    translation_key=faq.translation_key, locale__language_code=language, live=True
                ).question
                != faq.question
            )
        # Its check, every question, choice and label, and its badge: fully translated on the same items.
        check = Assessment.objects.get(slug="image-tagging-check")
        for item in (check, check.badge, *check.bank.questions.all()):
            progress = item.translation_progress(language)
            assert progress.complete, (item, language, progress)
    assert CoursePage.objects.filter(locale__language_code="fr").count() == 1  # the others: not yet


def fetched_bytes(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return len(b"".join(response.streaming_content) if response.streaming else response.content)


def test_every_demo_course_fits_a_phone_offline(client, db):
    """Each demo course's offline pack (pages, help and 360 px pictures) is under 2 MB, in bytes fetched."""
    call_command("seed_demo", workers=1, cohort=0, password="demo-pass-123")
    client.force_login(WorkerProfile.objects.get(external_id="worker").user)
    courses = CoursePage.objects.live().filter(locale__language_code="en")
    assert courses.count() >= 3
    for course in courses:
        pack = client.get(f"/courses/{course.pk}/offline.json").json()
        fetched = sum(fetched_bytes(client, url) for url in pack["pages"] + pack["images"])
        assert fetched <= 2 * 1024 * 1024, course.title
        assert pack["bytes"] == pytest.approx(fetched, rel=0.5), course.title  # the size told is about right
