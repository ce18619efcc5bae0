import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html_join
from wagtail.models import Page
from wagtail.search.backends import get_search_backend
from wagtail.templatetags.wagtailcore_tags import richtext

from courses.models import FAQ, CourseIndexPage, CoursePage, LessonPage, LessonProgress, Question
from courses.shared_parts import FAQItem, LessonShared, PageLink, content_version, memoised
from courses.translations import page_shown, page_text, reading_language
from lms import rows
from lms.models import WorkerProfile


@dataclass(frozen=True)
class CourseCard:
    course: CoursePage
    lessons_total: int
    lessons_done: int
    started: bool

    @property
    def percent(self) -> int:
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0

    @property
    def is_complete(self) -> bool:
        return self.lessons_total > 0 and self.lessons_done >= self.lessons_total


@dataclass(frozen=True)
class LessonRow:
    lesson: LessonPage | PageLink
    number: int
    started: bool
    completed: bool


def lessons_visible() -> QuerySet[LessonPage]:
    """Lessons any worker may open: published and not behind a view restriction."""
    return LessonPage.objects.live().public()


def courses_visible() -> QuerySet[CoursePage]:
    return CoursePage.objects.live().public()


def lesson_visible(*, lesson_id: int) -> LessonPage | None:
    """The lesson if a worker may see it, else None."""
    return lessons_visible().filter(pk=lesson_id).first()


def course_visible(*, course_id: int) -> CoursePage | None:
    """The course if a worker may see it, else None."""
    return courses_visible().filter(pk=course_id).first()


def course_of_lesson(*, lesson: Page) -> CoursePage:
    return CoursePage.objects.get(path=lesson.path[: -Page.steplen])


def course_cards_for_worker(
    *, worker: WorkerProfile | None, catalogue: CourseIndexPage | None = None
) -> list[CourseCard]:
    """Every visible course with this worker's progress, in a fixed number of queries."""
    courses = courses_visible().select_related("cover_image").prefetch_related("cover_image__renditions")
    lessons = lessons_visible()
    if catalogue is not None:
        courses = courses.child_of(catalogue)
        lessons = lessons.descendant_of(catalogue)
    per_course_path = Counter(path[: -Page.steplen] for path in lessons.values_list("path", flat=True))
    done: Counter = Counter()
    started: set[int] = set()
    if worker is not None:
        per_course = (
            LessonProgress.objects.filter(worker=worker, lesson__in=lessons)
            .values("course_id")
            .annotate(done=Count("id", filter=Q(completed_at__isnull=False)))
        )
        for row in per_course:
            done[row["course_id"]] = row["done"]
            started.add(row["course_id"])
    return [
        CourseCard(
            course=course,
            lessons_total=per_course_path[course.path],
            lessons_done=done[course.pk],
            started=course.pk in started,
        )
        for course in courses.order_by("path")
    ]


def _progress_by_lesson(*, worker: WorkerProfile | None, lesson_ids: list[int]) -> dict[int, bool]:
    """For each lesson the worker has started: whether they completed it."""
    if worker is None or not lesson_ids:
        return {}
    # On every lesson page: a written query (the ORM building it cost several times running it), prepared.
    with rows.prepared() as cursor:
        cursor.execute(_progress_query(connection.vendor, len(lesson_ids)), [worker.pk, *lesson_ids])
        return {lesson_id: bool(completed) for lesson_id, completed in cursor.fetchall()}


@functools.lru_cache(maxsize=64)  # one per course length
def _progress_query(vendor: str, lessons: int) -> str:
    table = connection.ops.quote_name(LessonProgress._meta.db_table)
    lesson, done, owner = rows.columns(LessonProgress, ["lesson", "completed_at", "worker"], "p").split(", ")
    # Table and columns from the model's metadata; every value is a parameter.
    return (
        f"SELECT {lesson}, {done} IS NOT NULL FROM {table} p WHERE {owner} = %s "  # noqa: S608
        f"AND {lesson} IN ({', '.join(['%s'] * lessons)})"
    )


def course_outline_for_worker(*, worker: WorkerProfile | None, course: CoursePage) -> list[LessonRow]:
    """The course's visible lessons in order, each marked started/completed for this worker."""
    lessons = list(lessons_visible().child_of(course).order_by("path"))
    progress = _progress_by_lesson(worker=worker, lesson_ids=[lesson.pk for lesson in lessons])
    return [
        LessonRow(
            lesson=lesson,
            number=number,
            started=lesson.pk in progress,
            completed=progress.get(lesson.pk, False),
        )
        for number, lesson in enumerate(lessons, start=1)
    ]


def faqs_for_lesson(
    *, lesson: LessonPage, course: CoursePage, language: str | None = None
) -> list[tuple[FAQ, str]]:
    """(FAQ, its language) for the published FAQs attached to the lesson, then its course's: each in
    the reader's language when it has an approved translation, else in the source language; an FAQ
    written in another language only (from a question asked in it) is left out."""
    language = reading_language(language)
    faqs = (
        FAQ.objects.filter(live=True, locale__language_code__in={language, settings.LANGUAGE_CODE})
        .filter(Q(lessons=lesson) | Q(courses=course))
        .annotate(on_lesson=Count("lessons", filter=Q(lessons=lesson)), language=F("locale__language_code"))
        .order_by("-on_lesson", "question")
    )
    chosen: dict = {}
    for faq in faqs:
        if faq.translation_key not in chosen or faq.language == language:
            chosen[faq.translation_key] = faq
    return [(faq, faq.language) for faq in chosen.values()]


def faq_search(*, query: str, limit: int = 10) -> list[FAQ]:
    """Published FAQs that match the words, best first (quotes are read as spaces, not phrase marks)."""
    query = query.replace('"', " ").strip()
    if not query:
        return []
    results = get_search_backend().search(query, FAQ.objects.filter(live=True), operator="and")
    return list(results[:limit])


def questions_for_worker(*, worker: WorkerProfile) -> QuerySet[Question]:
    return Question.objects.filter(worker=worker).select_related("lesson", "course").order_by("-asked_at")


def questions_about_lesson(*, worker: WorkerProfile, lesson: LessonPage, limit: int = 10) -> list[Question]:
    """The worker's latest questions about one lesson: only what the lesson page shows of them (the rest
    of a question loads if asked for). On every lesson page, so a written query, prepared, as
    `_progress_by_lesson`."""
    with rows.prepared() as cursor:
        cursor.execute(_questions_query(connection.vendor), [worker.pk, lesson.pk, limit])
        found = cursor.fetchall()
    return [
        Question.from_db(connection.alias, QUESTION_SHOWN, rows.from_db(Question, QUESTION_SHOWN, row))
        for row in found
    ]


# What the lesson page shows of a question, in the model's field order (`Question.from_db` takes them so).
QUESTION_SHOWN = ("id", "text", "answer", "answered_at")


@functools.cache
def _questions_query(vendor: str) -> str:
    table = connection.ops.quote_name(Question._meta.db_table)
    owner, about, asked = rows.columns(Question, ["worker", "lesson", "asked_at"], "q").split(", ")
    # Table and columns from the model's metadata; every value is a parameter.
    return (
        f"SELECT {rows.columns(Question, QUESTION_SHOWN, 'q')} FROM {table} q "  # noqa: S608
        f"WHERE {owner} = %s AND {about} = %s ORDER BY {asked} DESC LIMIT %s"
    )


def answers_unseen_for_worker(*, worker: WorkerProfile) -> list[Question]:
    """Answered questions the worker has not marked as read, newest answer first."""
    return list(
        Question.objects.filter(worker=worker, answered_at__isnull=False, answer_seen_at__isnull=True)
        .select_related("lesson")
        .order_by("-answered_at")[:5]
    )


CourseExtras = Callable[..., dict]
_course_extras: list[CourseExtras] = []


def course_extras_register(provider: CourseExtras) -> None:
    """An app above courses adds to what a course shows (assessments: its skill check), from its
    `AppConfig.ready`. `provider(worker=…, course=…)` returns template context."""
    if provider not in _course_extras:
        _course_extras.append(provider)


def course_extras_for_worker(*, worker: WorkerProfile | None, course: CoursePage) -> dict:
    """Context that later apps add to a course (e.g. its skill check), from `course_extras_register`.

    Called with no worker, a provider returns only what is the same for every worker: the lesson page
    keeps that result for as long as the content does not change."""
    extras: dict = {}
    for provider in _course_extras:
        extras.update(provider(worker=worker, course=course))
    return extras


PICTURE_BLOCKS = ("image", "example")


def _body_html(body) -> str:
    """The lesson's blocks; the first picture loads at once (it is what a phone shows first), the rest
    only when scrolled to."""
    first = next((i for i, block in enumerate(body) if block.block_type in PICTURE_BLOCKS), None)
    return format_html_join(
        "",
        "{}",
        (
            (block.render(context={"loading": "eager" if i == first else "lazy"}),)
            for i, block in enumerate(body)
        ),
    )


def _lesson_shared_build(lesson: LessonPage, language: str) -> LessonShared:
    course = course_of_lesson(lesson=lesson)
    lessons = lessons_visible().child_of(course).order_by("path")
    shown = page_shown(lesson, language)
    return LessonShared(
        course=PageLink(pk=course.pk, title=page_text(course, "title", language), url=course.get_url()),
        lessons=tuple(
            PageLink(pk=row.pk, title=page_text(row, "title", language), url=row.get_url()) for row in lessons
        ),
        faqs=tuple(
            FAQItem(question=faq.question, answer_html=richtext(faq.answer), language=faq_language)
            for faq, faq_language in faqs_for_lesson(lesson=lesson, course=course, language=language)
        ),
        body_html=_body_html(shown.page.body),
        extras=course_extras_for_worker(worker=None, course=course),
        title=shown.page.title,
        summary=shown.page.summary,
        language=shown.language,
        status=shown.status,
        actions={
            name: reverse(view, args=[lesson.pk])
            for name, view in (
                ("open", "lesson_open"),
                ("heartbeat", "lesson_heartbeat"),
                ("complete", "lesson_complete"),
                ("ask", "question_ask"),
            )
        },
    )


def _lesson_shared(lesson: LessonPage, language: str) -> LessonShared:
    """The parts of a lesson every worker reading `language` sees alike, built once per content version."""
    return memoised(("lesson", lesson.pk, language), lambda: _lesson_shared_build(lesson, language))


def lesson_context_for_worker(
    *, worker: WorkerProfile | None, lesson: LessonPage, preview: bool = False
) -> dict:
    """Everything the lesson page shows: the parts every worker sees alike (built once per content
    version), then this worker's progress through the course and their own questions.

    A preview (an editor's unpublished draft) is built on its own and never kept: `content_version` is
    None, so the page's kept parts (`{% kept %}`) are rendered for it alone too.
    """
    language = reading_language()
    shared = _lesson_shared_build(lesson, language) if preview else _lesson_shared(lesson, language)
    progress = _progress_by_lesson(worker=worker, lesson_ids=[link.pk for link in shared.lessons])
    outline = [
        LessonRow(
            lesson=link,
            number=number,
            started=link.pk in progress,
            completed=progress.get(link.pk, False),
        )
        for number, link in enumerate(shared.lessons, start=1)
    ]
    position = next((i for i, row in enumerate(outline) if row.lesson.pk == lesson.pk), None)
    current = outline[position] if position is not None else None
    return {
        **shared.extras,
        "course": shared.course,
        "outline": outline,
        "current": current,
        "previous_lesson": outline[position - 1].lesson if position else None,
        "next_lesson": outline[position + 1].lesson
        if position is not None and position + 1 < len(outline)
        else None,
        "faqs": shared.faqs,
        "lesson_body": shared.body_html,
        "lesson": shared,
        "reading_language": language,
        "content_version": None if preview else content_version(),
        "my_questions": questions_about_lesson(worker=worker, lesson=lesson) if worker else [],
        "worker": worker,
    }


def continue_learning_for_worker(*, worker: WorkerProfile) -> LessonPage | None:
    """Where to pick up: the last lesson opened and not finished, else the next one after it."""
    last = (
        LessonProgress.objects.filter(worker=worker, lesson__in=lessons_visible())
        .select_related("lesson")
        .order_by("-last_opened_at")
        .first()
    )
    if last is None:
        return None
    if not last.is_completed:
        return last.lesson
    done_ids = LessonProgress.objects.filter(
        worker=worker, course_id=last.course_id, completed_at__isnull=False
    ).values("lesson_id")
    return (
        lessons_visible()
        .filter(path__startswith=last.lesson.path[: -Page.steplen], depth=last.lesson.depth)
        .exclude(pk__in=done_ids)
        .order_by("path")
        .first()
    )


# What a lesson page weighs besides its body (the frame, the outline, the help and the question form),
# measured on the demo's lessons; the pack's size is told as "about".
PAGE_FRAME_BYTES = 9_000
_IMAGE_URLS = re.compile(r'(?:src|srcset)="([^"]+)"')


@dataclass(frozen=True)
class OfflinePack:
    """What a worker's phone keeps to learn a course with no connection."""

    title: str
    pages: tuple[str, ...]
    images: tuple[str, ...]
    bytes: int


def _smallest_images(html: str) -> list[str]:
    """Each picture of a lesson body once, at its smallest rendition (phone-sized)."""
    chosen = []
    for found in _IMAGE_URLS.findall(html):
        candidates = [part.strip().split(" ")[0] for part in found.split(",") if part.strip()]
        if candidates and candidates[0].startswith(settings.MEDIA_URL):
            chosen.append(candidates[0])
    return list(dict.fromkeys(chosen))


def _media_bytes(url: str) -> int:
    name = unquote(url[len(settings.MEDIA_URL) :])
    try:
        return default_storage.size(name)
    except (OSError, ValueError):
        return 0


def offline_pack_for_course(*, course: CoursePage) -> OfflinePack:
    """The course page, its visible lessons (with their help) and their pictures, with their size."""
    language = reading_language()
    pages, images, size = [course.get_url()], [], PAGE_FRAME_BYTES
    for lesson in lessons_visible().child_of(course).order_by("path"):
        shared = _lesson_shared(lesson, language)
        pages.append(lesson.get_url())
        size += (
            PAGE_FRAME_BYTES
            + len(shared.body_html.encode())
            + sum(len(faq.answer_html.encode()) for faq in shared.faqs)
        )
        for url in _smallest_images(shared.body_html):
            if url not in images:
                images.append(url)
                size += _media_bytes(url)
    title = page_text(course, "title", language)
    return OfflinePack(title=title, pages=tuple(pages), images=tuple(images), bytes=size)
