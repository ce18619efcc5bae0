from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from careerpaths.models import CareerPath, CareerStatus
from lms.celery import app


def test_admin_builds_a_path_with_levels_and_workers_get_their_place(
    admin_client, worker, entry_badge, django_capture_on_commit_callbacks
):
    data = nested_form_data(
        {
            "name": "Annotation",
            "slug": "annotation",
            "description": "",
            "levels": inline_formset(
                [
                    {"name": "Trainee", "slug": "trainee", "description": "", "min_streak_weeks": "0",
                     "min_accuracy": "", "accuracy_window_days": "28"},
                    {"name": "Annotator", "slug": "annotator", "description": "", "min_streak_weeks": "2",
                     "min_accuracy": "0.9", "accuracy_window_days": "28", "needs_approval": "on"},
                ]
            ),
        }
    )  # fmt: skip
    data["levels-1-required_badges"] = [entry_badge.pk]  # a multiple choice: one key, many values
    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(reverse("career_paths:add"), data)
    finally:
        app.conf.task_always_eager = before
    assert response.status_code == 302, response.content.decode()[:3000]
    path = CareerPath.objects.get()
    levels = list(path.levels.order_by("sort_order"))
    assert [level.slug for level in levels] == ["trainee", "annotator"]
    assert list(levels[1].required_badges.all()) == [entry_badge] and levels[1].needs_approval
    status = CareerStatus.objects.get(worker=worker)
    assert status.level == levels[0] and status.next_level == levels[1]

    for url in (
        reverse("career_paths:index"),
        reverse("career_paths:edit", args=[path.pk]),
        reverse("promotions:index"),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_invalid_levels_store_nothing(admin_client, db):
    data = nested_form_data(
        {
            "name": "Broken",
            "slug": "broken",
            "description": "",
            "levels": inline_formset(
                [{"name": "", "slug": "bad slug!", "description": "", "min_streak_weeks": "0",
                  "min_accuracy": "1.5", "accuracy_window_days": "28"}]
            ),
        }
    )  # fmt: skip
    response = admin_client.post(reverse("career_paths:add"), data)
    assert response.status_code == 200
    assert not CareerPath.objects.exists()
