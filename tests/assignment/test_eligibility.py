from datetime import timedelta

from django.utils import timezone

from assessments import services as assessment_services
from assignment import selectors, services
from assignment.models import Eligibility, WebhookEvent, WorkerEligibility


def state(worker) -> dict:
    rows = Eligibility.objects.filter(worker=worker).select_related("task_type")
    return {row.task_type.code: (row.eligible, row.missing, row.suspended) for row in rows}


def award(worker, badge, by, **kwargs):
    return assessment_services.badge_award(
        worker=worker, badge=badge, by=by, reason="Prior learning", **kwargs
    )


def test_new_worker_gets_stored_eligibility_with_what_is_missing(task_types, make_worker):
    worker = make_worker()
    assert state(worker) == {
        "image-tagging": (False, ["image-tagging"], False),
        "bounding-boxes": (False, ["bounding-boxes", "image-tagging"], False),
    }
    assert WorkerEligibility.objects.get(worker=worker).version == 1


def test_a_badge_unlocks_work_bumps_the_version_and_emits_events(task_types, worker, entry_badge, assistant):
    WebhookEvent.objects.all().delete()
    award(worker, entry_badge, assistant)

    assert state(worker)["image-tagging"] == (True, [], False)
    assert state(worker)["bounding-boxes"] == (False, ["bounding-boxes"], False)
    assert WorkerEligibility.objects.get(worker=worker).version == 2
    events = list(WebhookEvent.objects.order_by("pk"))
    assert [e.type for e in events] == ["badge.awarded", "eligibility.changed"]
    assert events[0].data["worker"] == worker.external_id and events[0].data["badge"] == "image-tagging"
    assert events[1].data["version"] == 2
    assert {t["code"] for t in events[1].data["task_types"]} == {"image-tagging", "bounding-boxes"}


def test_recomputing_without_a_change_announces_nothing(task_types, worker):
    before = WebhookEvent.objects.count()
    assert services.eligibility_recompute(worker=worker) == []
    assert WebhookEvent.objects.count() == before
    assert WorkerEligibility.objects.get(worker=worker).version == 1


def test_revocation_and_expiry_lock_work_again(task_types, worker, entry_badge, assistant):
    entry_badge.validity_months = 1
    entry_badge.save()
    held = award(worker, entry_badge, assistant)
    assessment_services.badge_revoke(award=held, by=assistant, reason="Wrong person")
    assert state(worker)["image-tagging"] == (False, ["image-tagging"], False)
    assert WebhookEvent.objects.filter(type="badge.revoked").count() == 1

    award(worker, entry_badge, assistant, now=timezone.now() - timedelta(days=40))
    # Expired by date: a recompute before the sweep already treats it as gone.
    services.eligibility_recompute(worker=worker)
    assert state(worker)["image-tagging"][0] is False
    assert assessment_services.badge_expire_due() == 1
    assert WebhookEvent.objects.filter(type="badge.expired").count() == 1


def test_eligibility_read_falls_back_to_live_rules_for_a_new_task_type(
    task_types, worker, entry_badge, assistant
):
    from decimal import Decimal

    from assignment.models import TaskType

    award(worker, entry_badge, assistant)
    review = TaskType.objects.create(code="review", name="Review", pay_rate=Decimal("0.05"))
    review.required_badges.set([entry_badge])
    result = selectors.eligibility_public(external_id=worker.external_id)
    assert {"code": "review", "eligible": True, "missing": [], "suspended": False} in result["task_types"]
