"""The lesson page keeps what every worker sees alike in memory: each edit of content shows at once."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from courses import services, shared_parts
from courses.models import LessonPage
from lms.templatetags import kept


def _html(client, lesson) -> str:
    response = client.get(lesson.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_faq_shows_on_the_next_view(worker_client, lessons, make_faq):
    assert "Why are tags lowercase?" not in _html(worker_client, lessons[0])

    make_faq("Why are tags lowercase?", lessons=[lessons[0]])

    assert "Why are tags lowercase?" in _html(worker_client, lessons[0])


def test_a_new_lesson_version_and_title_show_on_the_next_view(worker_client, lessons):
    assert "Read the label list before you start." in _html(worker_client, lessons[0])
    assert "Tag everything" in _html(worker_client, lessons[0])  # the next lesson's link

    lesson = LessonPage.objects.get(pk=lessons[0].pk)
    lesson.body = [("text", "<p>Zoom in before you tag.</p>")]
    lesson.save_revision().publish()
    neighbour = LessonPage.objects.get(pk=lessons[1].pk)
    neighbour.title = "Tag every object"
    neighbour.save_revision().publish()

    html = _html(worker_client, lessons[0])
    assert "Zoom in before you tag." in html
    assert "Read the label list before you start." not in html
    assert "Tag every object" in html


def test_an_unpublished_or_restricted_lesson_leaves_the_outline_at_once(worker_client, lessons):
    assert "Lesson 1 of 3" in _html(worker_client, lessons[0])

    LessonPage.objects.get(pk=lessons[2].pk).unpublish()
    assert "Lesson 1 of 2" in _html(worker_client, lessons[0])

    PageViewRestriction.objects.create(page=lessons[1], restriction_type=PageViewRestriction.LOGIN)
    html = _html(worker_client, lessons[0])
    assert "Lesson 1 of 1" in html
    assert "Tag everything" not in html


def test_progress_and_questions_stay_each_workers_own(worker_client, worker, make_worker, lessons):
    services.lesson_complete(worker=worker, lesson=lessons[0])
    services.question_ask(worker=worker, lesson=lessons[0], text="Is a cat an animal tag?")
    other = make_worker()
    other_client = Client()
    other_client.force_login(other.user)

    mine = _html(worker_client, lessons[0])
    theirs = _html(other_client, lessons[0])

    assert "You finished this lesson." in mine
    assert "Is a cat an animal tag?" in mine
    assert "You finished this lesson." not in theirs
    assert "I finished this lesson" in theirs
    assert "Is a cat an animal tag?" not in theirs


def test_a_second_view_reuses_the_shared_parts(worker_client, lessons, django_assert_max_num_queries):
    _html(worker_client, lessons[0])
    first_version = shared_parts.content_version()
    assert first_version is not None
    # The page, its view restrictions, its course, the course's lessons, the FAQs and the check were
    # looked up once: a later view asks only for the user with their profile (the session is read from
    # the cache), progress and questions.
    with django_assert_max_num_queries(3):
        _html(worker_client, lessons[0])
    assert shared_parts.content_version() == first_version


def test_content_changes_give_a_new_version(lessons, make_faq):
    before = shared_parts.content_version()
    make_faq("A new question?", lessons=[lessons[0]])
    after_faq = shared_parts.content_version()
    LessonPage.objects.get(pk=lessons[1].pk).unpublish()

    assert before != after_faq != shared_parts.content_version()


def test_learning_records_do_not_change_the_version(worker, lessons):
    before = shared_parts.content_version()
    services.lesson_open(worker=worker, lesson=lessons[0])
    services.lesson_complete(worker=worker, lesson=lessons[0])
    services.question_ask(worker=worker, lesson=lessons[0], text="Does this count as done?")

    assert shared_parts.content_version() == before


def test_entries_expire_even_without_a_new_version(worker_client, lessons, monkeypatch):
    monkeypatch.setattr(shared_parts, "MEMO_SECONDS", 0.0)
    monkeypatch.setattr(kept, "VERSIONED_SECONDS", 0.0)  # the page's parts kept rendered
    _html(worker_client, lessons[0])
    version = shared_parts.content_version()
    # A change made while the shared cache was unreachable would leave the version as it was.
    LessonPage.objects.filter(pk=lessons[1].pk).update(title="Renamed while the cache was away")
    from django.core.cache import cache

    cache.set(shared_parts.CONTENT_VERSION_KEY, version, timeout=None)

    assert "Renamed while the cache was away" in _html(worker_client, lessons[0])


@pytest.mark.parametrize("path", ["no-such-course/", "{course}/no-such-lesson/", "{course}/{lesson}/extra/"])
def test_unknown_paths_below_the_catalogue_are_not_found(worker_client, catalogue, course, lessons, path):
    url = catalogue.url + path.format(course=course.slug, lesson=lessons[0].slug)
    assert worker_client.get(url).status_code == 404


def test_a_draft_lesson_is_not_found_and_a_moved_lesson_answers_at_its_new_address(
    worker_client, course, make_course, make_lesson, lessons
):
    draft = make_lesson(course, "Not yet", live=False)
    assert worker_client.get(draft.url or f"{course.url}{draft.slug}/").status_code == 404

    old_url = lessons[2].url
    other = make_course("Bounding boxes")
    LessonPage.objects.get(pk=lessons[2].pk).move(other, pos="last-child")
    moved = LessonPage.objects.get(pk=lessons[2].pk)

    assert "Bounding boxes" in _html(worker_client, moved)
    response = worker_client.get(old_url)  # the old address sends workers on (a redirect made on move)
    assert response.status_code in (301, 302)
    assert response.url == moved.url


def test_a_restriction_added_above_a_lesson_applies_at_once(worker_client, worker, course, lessons):
    assert worker_client.get(lessons[0].url).status_code == 200

    restriction = PageViewRestriction.objects.create(page=course, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([Group.objects.create(name="Reviewers only")])
    assert worker_client.get(lessons[0].url).status_code == 302  # sent to log in as someone allowed

    restriction.groups.add(*worker.user.groups.all(), Group.objects.create(name="Annotators"))
    worker.user.groups.add(Group.objects.get(name="Annotators"))
    assert worker_client.get(lessons[0].url).status_code == 200

    restriction.delete()
    assert worker_client.get(lessons[0].url).status_code == 200


def test_with_the_cache_unreachable_nothing_is_kept(worker_client, lessons, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert shared_parts.content_version() is None
    _html(worker_client, lessons[0])

    LessonPage.objects.filter(pk=lessons[1].pk).update(title="Renamed with no cache")

    assert "Renamed with no cache" in _html(worker_client, lessons[0])


def test_unknown_urls_are_not_kept_and_a_full_memo_drops_only_the_oldest(monkeypatch, db):
    from courses import shared_parts

    monkeypatch.setattr(shared_parts, "_memo", shared_parts.OrderedDict())
    monkeypatch.setattr(shared_parts, "MEMO_MAX_ENTRIES", 3)
    built = []

    def build(value):
        built.append(value)
        return value

    assert shared_parts.memoised(("page", "/nope/"), lambda: build(None)) is None
    assert ("page", "/nope/") not in shared_parts._memo
    for n in range(3):
        shared_parts.memoised(("page", n), lambda n=n: build(n))
    shared_parts.memoised(("page", 0), lambda: build("again"))  # a hit: 0 is now the newest
    shared_parts.memoised(("page", 3), lambda: build(3))  # full: 1, the least recently used, goes
    assert list(shared_parts._memo) == [("page", 2), ("page", 0), ("page", 3)]
    assert "again" not in built


def test_a_preview_of_a_draft_is_never_kept_for_readers(worker_client, lessons):
    """An editor's preview renders the draft for them alone: readers keep seeing the published lesson."""
    assert "Read the label list before you start." in _html(worker_client, lessons[0])
    draft = LessonPage.objects.get(pk=lessons[0].pk)
    draft.title = "A title still in draft"
    draft.body = [("text", "<p>Words still in draft.</p>")]
    draft.save_revision()  # not published

    preview = draft.make_preview_request(preview_mode=draft.default_preview_mode)
    preview.render()
    assert "Words still in draft." in preview.content.decode()

    html = _html(worker_client, lessons[0])
    assert "Read the label list before you start." in html
    assert "Words still in draft." not in html and "A title still in draft" not in html
