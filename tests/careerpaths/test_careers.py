"""Career levels: readiness for each kind of requirement, automatic steps, and the approval rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from assessments import services as assessment_services
from assignment import services as assignment_services
from assignment.models import Eligibility, TaskType, WebhookEvent, WorkResult
from careerpaths import services
from careerpaths.models import CareerStatus, Promotion
from lms import roles
from lms.celery import app
from lms.models import LearningEvent, Team
from lms.records.rollup import weekly_rollup
from lms.services import user_create
from tests.conftest import PASSWORD


def status_of(worker) -> CareerStatus:
    return CareerStatus.objects.select_related("level", "next_level").get(worker=worker)


def learn_weeks(worker, weeks: int, minutes: int = 100) -> None:
    """`minutes` of learning in each of the last `weeks` weeks (this week included), then the rollup."""
    now = timezone.now()
    for n in range(weeks):
        at = now - timedelta(weeks=n)
        LearningEvent.objects.bulk_create(
            LearningEvent(
                worker=worker,
                kind=LearningEvent.Kind.LEARNING_TIME,
                occurred_at=at - timedelta(seconds=31 * b),
                seconds=30,
            )
            for b in range(minutes * 2)
        )
    weekly_rollup()


def report_work(worker, task_type, accuracy: str, days_ago: int = 2) -> None:
    """50 tasks at this accuracy, ended `days_ago`, then the rollup (readiness reads the weekly records)."""
    end = timezone.now() - timedelta(days=days_ago)
    WorkResult.objects.create(
        result_id=f"c-{worker.pk}-{days_ago}-{accuracy}",
        worker=worker,
        task_type=task_type,
        period_start=end - timedelta(hours=1),
        period_end=end,
        tasks_completed=50,
        minutes_worked=60,
        accuracy=Decimal(accuracy),
        body_hash="x",
    )
    weekly_rollup()


@pytest.fixture
def team_manager(db, worker):
    user = user_create(username="boss", email="boss@ladder.example", password=PASSWORD, role=roles.MANAGERS)
    team = Team.objects.create(name="Tagging team")
    team.managers.add(user)
    worker.team = team
    worker.save(update_fields=["team"])
    return user


@pytest.fixture
def ready_worker(career_path, worker, team_manager, entry_badge, box_badge, assistant, task_types):
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    learn_weeks(worker, 3)
    report_work(worker, task_types["tagging"], "0.95")
    services.readiness_recompute(worker=worker)
    return worker


def test_a_new_worker_starts_at_the_first_level_and_a_badge_moves_them_on(
    career_path, make_worker, entry_badge, assistant
):
    worker = make_worker("newcomer")
    status = status_of(worker)
    assert (status.level, status.next_level) == (career_path["trainee"], career_path["annotator"])
    assert status.requirements == [
        {
            "kind": "badges",
            "label": "0 of 1 badges",
            "held": 0,
            "needed": 1,
            "met": False,
            "missing": ["Image Tagging"],
            "missing_slugs": ["image-tagging"],
        }
    ]

    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")

    status = status_of(worker)
    assert status.level == career_path["annotator"] and status.next_level == career_path["senior"]
    promotion = Promotion.objects.get(worker=worker, to_level=career_path["annotator"])
    assert promotion.decision == Promotion.Decision.AUTOMATIC and promotion.decided_by is None
    event = WebhookEvent.objects.filter(type="promotion.approved").last()
    assert event.data["level"] == "annotator" and event.data["automatic"] is True


def test_readiness_shows_progress_for_every_kind_of_requirement(
    career_path, worker, entry_badge, box_badge, assistant, task_types
):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    labels = {r["kind"]: (r["label"], r["met"]) for r in status_of(worker).requirements}
    assert labels == {
        "badges": ("1 of 2 badges", False),
        "streak": ("Learning streak 0 of 2 weeks", False),
        "accuracy": ("Work accuracy 90%: no work reported in 28 days", False),
        "approval": ("A manager's approval", False),
    }

    assessment_services.badge_award(worker=worker, badge=box_badge, by=assistant, reason="Prior learning")
    learn_weeks(worker, 1)
    report_work(worker, task_types["tagging"], "0.80")
    status = services.readiness_recompute(worker=worker)
    labels = {r["kind"]: (r["label"], r["met"]) for r in status.requirements}
    assert labels["badges"] == ("2 of 2 badges", True)
    assert labels["streak"] == ("Learning streak 1 of 2 weeks", False)
    assert labels["accuracy"] == ("Work accuracy 80% of 90% (50 tasks, 28 days)", False)
    assert not status.ready

    learn_weeks(worker, 2)
    report_work(worker, task_types["tagging"], "1.00", days_ago=1)  # (0.8×50 + 1×50) / 100 = 90%
    status = services.readiness_recompute(worker=worker)
    labels = {r["kind"]: (r["label"], r["met"]) for r in status.requirements}
    assert labels["streak"] == ("Learning streak 2 of 2 weeks", True)
    assert labels["accuracy"][1] is True
    assert status.ready and status.level == career_path["annotator"]  # approval still needed

    # Forty days on, that work has fallen out of the 28-day window.
    later = services.readiness_recompute(worker=worker, now=timezone.now() + timedelta(days=40))
    labels = {r["kind"]: (r["label"], r["met"]) for r in later.requirements}
    assert labels["accuracy"] == ("Work accuracy 90%: no work reported in 28 days", False)
    assert not later.ready


def test_the_rollup_updates_readiness_through_the_background_task(
    career_path, worker, entry_badge, box_badge, assistant, task_types, django_capture_on_commit_callbacks
):
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    report_work(worker, task_types["tagging"], "0.95")
    services.readiness_recompute(worker=worker)
    assert not status_of(worker).ready
    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            learn_weeks(worker, 3)
    finally:
        app.conf.task_always_eager = before
    assert status_of(worker).ready


def test_a_manager_approves_and_the_level_reaches_the_work_system(ready_worker, team_manager, career_path):
    senior_work = TaskType.objects.create(
        code="hard", name="Hard work", pay_rate=Decimal("0.09"), min_level=career_path["senior"]
    )
    assignment_services.eligibility_recompute(worker=ready_worker)
    row = Eligibility.objects.get(worker=ready_worker, task_type=senior_work)
    assert not row.eligible and row.missing == ["level:senior"]

    promotion = services.promotion_decide(
        worker=ready_worker, by=team_manager, approve=True, note="Well done"
    )

    assert (promotion.decision, promotion.decided_by, promotion.note) == (
        "approved",
        team_manager,
        "Well done",
    )
    status = status_of(ready_worker)
    assert status.level == career_path["senior"] and status.next_level == career_path["lead"]
    assert status.ready  # the team-lead level asks only for approval
    event = WebhookEvent.objects.filter(type="promotion.approved").last()
    assert event.data == {
        "worker": ready_worker.external_id,
        "from_level": "annotator",
        "level": "senior",
        "approved_by": "boss",
        "automatic": False,
        "note": "Well done",
    }
    row.refresh_from_db()
    assert row.eligible and row.missing == []


def test_approval_rules(ready_worker, team_manager, make_worker, career_path):
    other_manager = user_create(
        username="other-boss", email="ob@ladder.example", password=PASSWORD, role=roles.MANAGERS
    )
    Team.objects.create(name="Other team").managers.add(other_manager)
    with pytest.raises(services.PromotionError, match="your own teams"):
        services.promotion_decide(worker=ready_worker, by=other_manager, approve=True)
    with pytest.raises(services.PromotionError, match="own promotion"):
        services.promotion_decide(worker=ready_worker, by=ready_worker.user, approve=True)
    with pytest.raises(services.PromotionError, match="Say why"):
        services.promotion_decide(worker=ready_worker, by=team_manager, approve=False, note=" ")
    not_ready = make_worker("notready", team=ready_worker.team)
    with pytest.raises(services.PromotionError, match="does not meet"):
        services.promotion_decide(worker=not_ready, by=team_manager, approve=True)
    assert not Promotion.objects.filter(decision__in=["approved", "declined"]).exists()

    declined = services.promotion_decide(
        worker=ready_worker, by=team_manager, approve=False, note="Next month"
    )
    assert declined.decision == "declined" and status_of(ready_worker).level == career_path["annotator"]


def test_a_team_lead_becomes_a_manager_of_their_team(ready_worker, team_manager, career_path):
    services.promotion_decide(worker=ready_worker, by=team_manager, approve=True)
    services.promotion_decide(worker=ready_worker, by=team_manager, approve=True)
    assert status_of(ready_worker).level == career_path["lead"]
    assert ready_worker.team.managers.filter(pk=ready_worker.user_id).exists()
    assert ready_worker.user.groups.filter(name=roles.MANAGERS).exists()
    # …but never of their own promotion.
    with pytest.raises(services.PromotionError):
        services.promotion_decide(worker=ready_worker, by=ready_worker.user, approve=True)
    assert Group.objects.get(name=roles.MANAGERS).user_set.count() == 2


def test_readiness_the_rollup_could_not_queue_is_recomputed_by_the_sweep(
    career_path, worker, entry_badge, box_badge, assistant, task_types
):
    from careerpaths.tasks import readiness_sweep

    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    report_work(worker, task_types["tagging"], "0.95")
    services.readiness_recompute(worker=worker)
    learn_weeks(worker, 3)  # the rollup ran, but the readiness batch it queued never reached a worker
    assert not status_of(worker).ready
    before, app.conf.task_always_eager = app.conf.task_always_eager, True
    try:
        assert readiness_sweep.delay().get() == 1
        assert status_of(worker).ready
        assert readiness_sweep.delay().get() == 0  # nothing behind any more
        # A path edit whose recompute was never published is resumed too.
        generation = services.readiness_paths_changed()
        assert services.readiness_stalled() == [(generation, 0)]
        assert readiness_sweep.delay().get() == 1
        assert services.readiness_stalled() == []
    finally:
        app.conf.task_always_eager = before
