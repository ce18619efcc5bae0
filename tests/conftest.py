import itertools
import os

import pytest
from wagtail.models import Collection, Locale, Page, Site

from courses.models import FAQ, CourseIndexPage, CoursePage, LessonPage
from courses.services import catalogue_setup
from lms import roles
from lms.models import Team
from lms.services import user_create, worker_create

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_seq = itertools.count(1)
pytest_plugins = [
    "tests.assessments.fixtures",
    "tests.assignment.fixtures",
    "tests.careerpaths.fixtures",
    "tests.security.scenario",
]


def pytest_collection_modifyitems(config, items):
    """Tests marked `postgres` need row locks and real concurrency: they run in the PostgreSQL pass only.
    Tests marked `sqlite` check SQLite's own query plans: they run in the SQLite pass only."""
    from django.db import connection

    other = "sqlite" if connection.vendor == "postgresql" else "postgres"
    selected = [item for item in items if not item.get_closest_marker(other)]
    deselected = [item for item in items if item.get_closest_marker(other)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = selected


PASSWORD = "a-long-test-password"


def _tree_root() -> Page:
    # A transactional test empties the database, including the root page Wagtail's migrations made.
    Locale.objects.get_or_create(language_code="en")
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def catalogue(db) -> CourseIndexPage:
    root = _tree_root()
    page = CourseIndexPage(title="Courses", slug=f"courses-{next(_seq)}")
    root.add_child(instance=page)
    page.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": page, "site_name": "Ladder"}
    )
    catalogue_setup(catalogue=page)
    return page


@pytest.fixture
def make_course(catalogue):
    def make(title: str | None = None, **fields) -> CoursePage:
        n = next(_seq)
        course = CoursePage(
            title=title or f"Course {n}",
            slug=f"course-{n}",
            summary=fields.pop("summary", "A course."),
            skill=fields.pop("skill", "Tagging"),
            **fields,
        )
        catalogue.add_child(instance=course)
        course.save_revision().publish()
        return course

    return make


@pytest.fixture
def make_lesson():
    def make(course: CoursePage, title: str | None = None, *, live: bool = True, body=None) -> LessonPage:
        n = next(_seq)
        lesson = LessonPage(
            title=title or f"Lesson {n}",
            slug=f"lesson-{n}",
            body=body or [("text", "<p>Read the label list before you start.</p>")],
        )
        course.add_child(instance=lesson)
        revision = lesson.save_revision()
        if live:
            revision.publish()
        else:
            lesson.unpublish()
        return lesson

    return make


@pytest.fixture
def make_faq():
    def make(question: str, answer: str = "<p>An answer.</p>", *, lessons=(), courses=(), live=True) -> FAQ:
        Locale.objects.get_or_create(language_code="en")  # a transactional test emptied the table
        faq = FAQ(question=question, answer=answer, live=live)
        faq.save()
        faq.lessons.set(lessons)
        faq.courses.set(courses)
        faq.save()
        if live:
            faq.save_revision().publish()
        return faq

    return make


@pytest.fixture
def make_worker(db):
    def make(username: str | None = None, **fields):
        username = username or f"worker{next(_seq)}"
        return worker_create(
            username=username,
            email=f"{username}@ladder.example",
            password=PASSWORD,
            external_id=fields.pop("external_id", username),
            **fields,
        )

    return make


@pytest.fixture
def worker(make_worker):
    return make_worker("voahangy", time_zone="Indian/Antananarivo")


@pytest.fixture
def assistant(db):
    return user_create(
        username="assistant", email="assistant@ladder.example", password=PASSWORD, role=roles.ASSISTANTS
    )


@pytest.fixture
def expert(db):
    return user_create(
        username="expert", email="expert@ladder.example", password=PASSWORD, role=roles.EXPERTS
    )


@pytest.fixture
def course(make_course):
    return make_course("Image tagging basics")


@pytest.fixture
def lessons(course, make_lesson):
    return [make_lesson(course, title) for title in ("What is a tag?", "Tag everything", "When unsure")]


@pytest.fixture
def worker_client(client, worker):
    client.force_login(worker.user)
    return client


@pytest.fixture
def manager(db, worker):
    """The manager of the worker's team."""
    user = user_create(
        username="manager", email="manager@ladder.example", password=PASSWORD, role=roles.MANAGERS
    )
    team = Team.objects.create(name="Annotators")
    team.managers.add(user)
    worker.team = team
    worker.save(update_fields=["team"])
    return user
