"""Does a badge predict the work it unlocks? Worked on a hand-made set: each worker's first 20 tasks
after their unlock against the work's threshold, and the flag the learning assistants see."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import SkillBadge
from assignment.models import Eligibility, TaskType, WorkResult
from assignment.validity import badge_validity, first_tasks_accuracy
from lms.models import WorkerProfile


def test_first_tasks_accuracy_weights_each_result_by_the_tasks_it_adds():
    # 15 tasks at 0.95, then 5 of the next 10 at 0.5: (15·0.95 + 5·0.5) / 20 = 0.8375; later work is not read.
    assert first_tasks_accuracy([(15, 0.95), (10, 0.5), (100, 0.1)]) == pytest.approx(0.8375)
    assert first_tasks_accuracy([(10, 1.0), (9, 1.0)]) is None  # 19 tasks: not yet 20


@pytest.fixture
def boxes(db):
    badge = SkillBadge.objects.create(
        name="Boxes", slug="boxes", description=".", criteria=".", skill="Boxes"
    )
    task_type = TaskType.objects.create(
        code="boxes", name="Boxes", pay_rate=Decimal("0.03"), accuracy_threshold=Decimal("0.900"), tier=2
    )
    task_type.required_badges.set([badge])
    return task_type


def _unlocked(worker, task_type, when):
    Eligibility.objects.update_or_create(
        worker=worker, task_type=task_type,
        defaults={"eligible": True, "missing": [], "first_unlocked_at": when, "changed_at": when},
    )  # fmt: skip


def _work(worker, task_type, start, tasks, accuracy, n=[0]):  # noqa: B006 (a counter for unique ids)
    n[0] += 1
    WorkResult.objects.create(
        result_id=f"v{n[0]}", worker=worker, task_type=task_type, period_start=start,
        period_end=start + timedelta(hours=1), tasks_completed=tasks, minutes_worked=60,
        accuracy=Decimal(str(accuracy)), body_hash="x",
    )  # fmt: skip


def test_badge_validity_on_a_worked_example(make_worker, boxes, admin_client):
    now = timezone.now()
    unlocked = now - timedelta(days=100)
    workers = [make_worker(f"v{i}") for i in range(14)]
    for worker in workers:
        _unlocked(worker, boxes, unlocked)
    # Eight hold 0.95 over their first 20 tasks, then slip (later work does not count).
    for worker in workers[:8]:
        _work(worker, boxes, unlocked + timedelta(days=1), 25, 0.95)
        _work(worker, boxes, unlocked + timedelta(days=2), 50, 0.40)
    # Three start well and fall before the 20th task: 15 at 0.95 then 10 at 0.5 gives 0.8375.
    for worker in workers[8:11]:
        _work(worker, boxes, unlocked + timedelta(days=1), 15, 0.95)
        _work(worker, boxes, unlocked + timedelta(days=3), 10, 0.50)
    _work(workers[11], boxes, unlocked + timedelta(days=1), 10, 0.99)  # only 10 tasks: not counted
    _work(workers[12], boxes, unlocked + timedelta(days=95), 40, 0.99)  # begun after 90 days: not counted
    _work(workers[13], boxes, unlocked - timedelta(days=5), 40, 0.20)  # before the unlock: not counted

    rows = badge_validity(workers=WorkerProfile.objects.all(), since=now - timedelta(days=120), until=now)
    assert [(r.badge_slug, r.task_type_code, r.held, r.counted) for r in rows] == [("boxes", "boxes", 8, 11)]
    assert rows[0].share == pytest.approx(8 / 11) and rows[0].flagged  # 0.73 < 0.8, 11 workers
    # An unlock outside the period is not judged in it.
    assert (
        badge_validity(workers=WorkerProfile.objects.all(), since=now - timedelta(days=50), until=now)[
            0
        ].counted
        == 0
    )

    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Badges that do not predict the work" in home
    assert "Boxes for Boxes: 73 % of 11 workers stayed above the threshold" in home
