"""The worker's side of the bridge: My work, the home card, appeals, a suspension lifted through the pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Attempt
from assignment import selectors, services
from assignment.models import Appeal, Suspension, TaskType, WorkResult
from assignment.services.work_results import WorkResultIn
from tests.assessments.fixtures import form_data


def report(worker, n, accuracy, *, code="bounding-boxes", tasks=20, minutes=60, end=None):
    end = end or timezone.now() - timedelta(minutes=5)
    services.work_results_ingest(
        results=[
            WorkResultIn(
                id=f"view-{worker.external_id}-{n}",
                worker=worker.external_id,
                task_type=code,
                period_start=end - timedelta(minutes=minutes),
                period_end=end,
                tasks_completed=tasks,
                minutes_worked=minutes,
                accuracy=Decimal(accuracy),
            )
        ]
    )


@pytest.fixture
def tagger(worker, task_types, entry_badge, assistant):
    """The worker holds the entry badge: tagging is open, bounding boxes locked behind one more badge."""
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    return worker


@pytest.fixture
def suspended(tagger, box_badge, assistant):
    assessment_services.badge_award(worker=tagger, badge=box_badge, by=assistant, reason="Prior learning")
    report(tagger, 1, "0.60")
    return Suspension.objects.get(worker=tagger)


def test_my_work_shows_open_work_and_what_unlocks_better_pay(tagger, worker_client, assessment, course):
    assessment.course = course
    assessment.save()

    html = worker_client.get(reverse("my_work")).content.decode()

    open_part, locked_part = html.split("Work you can unlock")
    assert "Image tagging" in open_part and "0.02 USD per task" in open_part
    assert "Bounding boxes" in locked_part and "+50% pay" in locked_part  # 0.03 against 0.02
    assert f'href="{course.url}"' in locked_part  # the course that teaches the missing badge
    assert reverse("check_detail", args=[assessment.slug]) in locked_part
    assert "No work reported yet this week" in html


def test_home_announces_new_work_and_the_best_next_unlock(tagger, worker_client, box_badge, assistant):
    html = worker_client.get(reverse("home")).content.decode()
    assert "New work unlocked: <strong>Image tagging</strong>" in html
    assert "+50% pay:" in html and "to unlock Bounding boxes" in html
    assert reverse("my_work") in html

    assessment_services.badge_award(worker=tagger, badge=box_badge, by=assistant, reason="Prior learning")
    html = worker_client.get(reverse("home")).content.decode()
    assert "New work unlocked: <strong>Bounding boxes</strong>" in html
    assert "+50% pay:" not in html

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        html = worker_client.get(reverse("home")).content.decode()
    assert "New work unlocked" not in html and "You can do: Image tagging, Bounding boxes." in html


def test_this_week_counts_work_in_the_workers_own_week(tagger, worker_client):
    # Antananarivo is UTC+3: Sunday 22:30 UTC is already Monday there, so that work is this week's.
    monday_local = timezone.datetime(2026, 11, 23, 1, 30, tzinfo=tagger.tz)
    with time_machine.travel(monday_local + timedelta(days=3)):  # reported as the week goes on
        report(tagger, 1, "0.90", code="image-tagging", tasks=30, minutes=50, end=monday_local)
        end = monday_local + timedelta(days=2)
        report(tagger, 2, "1", code="image-tagging", tasks=10, minutes=20, end=end)
        end = monday_local - timedelta(hours=2)
        report(tagger, 3, "1", code="image-tagging", tasks=99, minutes=99, end=end)
        html = worker_client.get(reverse("my_work")).content.decode()

    assert "40 tasks in 70 minutes, 92% accurate" in html  # (0.9×30 + 1×10) / 40 = 0.925


def test_suspension_shows_why_and_the_refresher_then_passing_it_gives_the_work_back(
    suspended, worker_client, task_types
):
    refresher = task_types["boxes"].refresher
    html = worker_client.get(reverse("my_work")).content.decode()
    assert "Paused: Bounding boxes" in html
    assert "Your accuracy on this work was 60% over 20 tasks; it needs to be at least 90%" in html
    assert reverse("check_detail", args=[refresher.slug]) in html
    assert "Bounding boxes is paused" in worker_client.get(reverse("home")).content.decode()

    worker_client.post(reverse("check_start", args=[refresher.slug]))
    attempt = Attempt.objects.get(assessment=refresher)
    worker_client.post(reverse("attempt_submit", args=[attempt.pk]), form_data(attempt))

    suspended.refresh_from_db()
    assert suspended.lifted_at is not None
    html = worker_client.get(reverse("my_work")).content.decode()
    assert "Paused" not in html
    assert "Bounding boxes" in html.split("Work you can do now")[1].split("Work you can unlock")[0]


def test_appeal_goes_to_the_manager_once_and_bad_input_stores_nothing(suspended, worker_client, manager):
    url = reverse("appeal_create", args=[suspended.pk])
    assert worker_client.get(url).status_code == 405

    empty = worker_client.post(url, {"message": "  "})
    assert empty.status_code == 422
    assert "Tell your manager why the work should be reviewed." in empty.content.decode()
    assert not Appeal.objects.exists()

    sent = worker_client.post(url, {"message": "The batch had blurry images."}, follow=True)
    assert "Your manager will review it" in sent.content.decode()
    assert "Waiting for an answer" in sent.content.decode()
    again = worker_client.post(url, {"message": "Please?"}, follow=True)
    assert "You already asked for a review" in again.content.decode()
    assert Appeal.objects.get().message == "The batch had blurry images."

    services.appeal_answer(
        appeal=Appeal.objects.get(), by=manager, lift=True, answer="Those images were bad."
    )
    html = worker_client.get(reverse("my_work")).content.decode()
    assert "Paused" not in html


def test_a_worker_cannot_appeal_someone_elses_suspension(suspended, client, make_worker):
    other = make_worker("other")
    client.force_login(other.user)
    response = client.post(reverse("appeal_create", args=[suspended.pk]), {"message": "Let them work"})
    assert response.status_code == 404  # someone else's suspension is not there for this worker
    assert not Appeal.objects.exists()
    assert "Paused" not in client.get(reverse("my_work")).content.decode()


def test_staff_get_no_my_work_page(client, manager):
    client.force_login(manager)
    assert client.get(reverse("my_work")).status_code in (302, 403)


@pytest.mark.parametrize("extra", [0, 6])
def test_my_work_and_home_queries_do_not_grow_with_task_types(
    extra, suspended, worker_client, entry_badge, django_assert_max_num_queries
):
    for n in range(extra):
        task_type = TaskType.objects.create(code=f"extra-{n}", name=f"Extra {n}", pay_rate=Decimal("0.05"))
        task_type.required_badges.set([entry_badge])
        services.eligibility_recompute(worker=suspended.worker)
    worker_client.post(reverse("appeal_create", args=[suspended.pk]), {"message": "Review please"})
    worker_client.get(reverse("home"))
    with django_assert_max_num_queries(9):
        assert worker_client.get(reverse("my_work")).status_code == 200
    with django_assert_max_num_queries(21):
        assert worker_client.get(reverse("home")).status_code == 200


def test_work_totals_group_by_worker_in_one_query(
    tagger, make_worker, entry_badge, assistant, django_assert_num_queries
):
    other = make_worker("other")
    assessment_services.badge_award(worker=other, badge=entry_badge, by=assistant, reason="Prior learning")
    end = timezone.now() - timedelta(hours=1)
    report(tagger, 1, "0.8", code="image-tagging", tasks=10, minutes=30, end=end)
    report(other, 1, "1", code="image-tagging", tasks=5, minutes=10, end=end)
    assert WorkResult.objects.count() == 2
    with django_assert_num_queries(1):
        totals = selectors.work_totals_by_worker(
            worker_ids=[tagger.pk, other.pk], start=end - timedelta(days=1), end=end + timedelta(seconds=1)
        )
    assert totals[tagger.pk] == selectors.WorkTotals(tasks=10, minutes=30, accuracy=Decimal("0.8000"))
    assert totals[other.pk] == selectors.WorkTotals(tasks=5, minutes=10, accuracy=Decimal("1.0000"))
