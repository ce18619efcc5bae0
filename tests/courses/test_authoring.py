from django.urls import reverse
from wagtail.models import Page

from courses.models import CoursePage, LessonPage


def test_tree_rules(catalogue, course):
    assert CoursePage.can_create_at(catalogue)
    assert not LessonPage.can_create_at(catalogue)
    assert LessonPage.can_create_at(course)
    assert not CoursePage.can_create_at(course)
    assert LessonPage.allowed_subpage_models() == []


def test_assistant_drafts_a_lesson_and_an_expert_approves_it(course, assistant, expert):
    lesson = LessonPage(
        title="Zoom before you fix corners", slug="zoom", body=[("text", "<p>Zoom in.</p>")], live=False
    )
    course.add_child(instance=lesson)
    assert lesson.permissions_for_user(assistant).can_edit()
    assert not lesson.permissions_for_user(assistant).can_publish()
    assert lesson.permissions_for_user(expert).can_publish()

    workflow = lesson.get_workflow()
    assert workflow.name == "Expert review"
    lesson.save_revision(user=assistant)
    state = workflow.start(lesson, assistant)
    lesson.refresh_from_db()
    assert not lesson.live and lesson.workflow_in_progress

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(lesson, expert)
    task_state.approve(user=expert)

    lesson.refresh_from_db()
    assert lesson.live


def test_admin_editors_open_for_authors(client, assistant, course, lessons, make_faq):
    client.force_login(assistant)
    faq = make_faq("Can boxes overlap?")
    for url in (
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk]),
        reverse("wagtailadmin_pages:edit", args=[lessons[0].pk]),
        reverse("wagtailadmin_pages:edit", args=[course.pk]),
        reverse("wagtailsnippets_courses_faq:list"),
        reverse("wagtailsnippets_courses_faq:edit", args=[faq.pk]),
    ):
        assert client.get(url).status_code == 200, url


def test_lesson_blocks_render(worker_client, course, make_lesson):
    lesson = make_lesson(
        course,
        body=[
            ("heading", "Touch all four edges"),
            ("callout", {"kind": "warning", "text": "<p>Do not guess.</p>"}),
            (
                "video",
                {"url": "https://media.ladder.example/boxes.mp4", "title": "Drawing a box", "minutes": 2},
            ),
            (
                "video",
                {"url": "https://video.ladder.example/watch?v=1", "title": "Hidden objects", "minutes": None},
            ),
        ],
    )
    html = worker_client.get(lesson.url).content.decode()
    assert "<h2>Touch all four edges</h2>" in html
    assert 'class="callout warning"' in html and "Do not guess." in html
    assert '<video controls preload="none" src="https://media.ladder.example/boxes.mp4">' in html
    assert 'href="https://video.ladder.example/watch?v=1"' in html
    assert "<iframe" not in html
    assert Page.objects.get(pk=lesson.pk).specific.body[0].block_type == "heading"
