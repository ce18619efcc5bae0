"""The operations screens of the bridge in the Wagtail admin, used as an admin would."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assignment import services, tasks
from assignment.models import ApiClient, Appeal, Suspension, TaskType, WebhookDelivery, WebhookEndpoint
from lms import roles
from lms.celery import app as celery_app
from lms.models import RecomputeChain
from lms.services import user_create
from tests.conftest import PASSWORD


@pytest.fixture
def ops(db, client):
    """A member of the Admins role (not a superuser): what the role grants is what they get."""
    user = user_create(username="ops", email="ops@ladder.example", password=PASSWORD, role=roles.ADMINS)
    client.force_login(user)
    return client


@pytest.fixture
def eager():
    """Tasks run where they are queued (the integration tests use a real worker)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def suspension(worker, task_types, entry_badge, box_badge, assistant):
    for badge in (entry_badge, box_badge):
        assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    return Suspension.objects.create(
        worker=worker,
        task_type=task_types["boxes"],
        accuracy=Decimal("0.6"),
        threshold=Decimal("0.9"),
        tasks_counted=40,
        refresher=task_types["boxes"].refresher,
    )


def test_every_screen_opens_for_the_admins_role(ops, suspension, endpoint, api_key):
    services.webhook_emit(type="badge.awarded", data={"worker": "x"})
    appeal = services.appeal_create(worker=suspension.worker, suspension_id=suspension.pk, message="Look")
    urls = [
        reverse("task_types:index"),
        reverse("task_types:add"),
        reverse("webhook_endpoints:index"),
        reverse("suspensions:index"),
        reverse("suspensions:inspect", args=[suspension.pk]),
        reverse("appeals:index"),
        reverse("appeals:inspect", args=[appeal.pk]),
        reverse("api_clients:index"),
        reverse("api_clients:add"),
        reverse("webhook_deliveries:index"),
        reverse("webhook_deliveries:inspect", args=[WebhookDelivery.objects.first().pk]),
    ]
    for url in urls:
        assert ops.get(url).status_code == 200, url


def test_staff_without_the_role_are_refused(client, assistant, suspension):
    client.force_login(assistant)
    for url in (reverse("suspensions:lift", args=[suspension.pk]), reverse("api_clients:add")):
        assert client.get(url).status_code in (302, 403)
    assert client.post(reverse("suspensions:lift", args=[suspension.pk]), {"reason": "x"}).status_code in (
        302,
        403,
    )
    suspension.refresh_from_db()
    assert suspension.lifted_at is None


def test_a_saved_task_type_recomputes_every_worker(
    ops, eager, worker, entry_badge, assistant, django_capture_on_commit_callbacks
):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    with django_capture_on_commit_callbacks(execute=True):
        response = ops.post(
            reverse("task_types:add"),
            {
                "name": "Polygon tagging",
                "code": "polygons",
                "tier": "2",
                "description": "",
                "pay_rate": "0.05",
                "currency": "USD",
                "pay_unit": "task",
                "required_badges": [entry_badge.pk],
                "accuracy_threshold": "",
                "accuracy_window_days": "7",
                "min_tasks_for_suspension": "20",
                "refresher": "",
                "active": "on",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    task_type = TaskType.objects.get(code="polygons")
    assert worker.eligibilities.get(task_type=task_type).eligible
    assert services.task_types_stale() == []
    assert RecomputeChain.objects.get(key=f"eligibility:task-type:{task_type.pk}").done == 1


def test_a_recompute_that_never_ran_is_restarted_by_the_sweep(eager, worker, entry_badge, assistant):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    task_type = TaskType.objects.create(code="polygons", name="Polygons", pay_rate=Decimal("0.05"))
    task_type.required_badges.set([entry_badge])
    services.task_type_changed(task_type=task_type)  # saved while the broker was down: nothing queued

    assert tasks.eligibility_sweep.delay().get() == 1
    assert worker.eligibilities.get(task_type=task_type).eligible
    assert tasks.eligibility_sweep.delay().get() == 0


def test_api_client_key_is_shown_once_and_revoked_by_post_only(ops, db):
    page = ops.post(reverse("api_clients:add"), {"name": "Work system", "scopes": ["eligibility:read"]})
    html = page.content.decode()
    client = ApiClient.objects.get()
    assert "shown only this once" in html and client.key_prefix in html
    assert services.api_client_authenticate(key=html.split('<code class="secret">')[1].split("</code>")[0])
    assert client.key_prefix in ops.get(reverse("api_clients:index")).content.decode()

    ops.get(reverse("api_clients:revoke", args=[client.pk]))
    client.refresh_from_db()
    assert client.revoked_at is None  # GET only asks
    ops.post(reverse("api_clients:revoke", args=[client.pk]))
    client.refresh_from_db()
    assert client.revoked_at is not None


def test_api_client_form_errors_store_nothing(ops, db):
    page = ops.post(reverse("api_clients:add"), {"name": "", "scopes": ["root"]})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    assert not ApiClient.objects.exists()


def test_endpoint_secret_shown_once_and_a_bad_url_stores_nothing(ops, db):
    bad = ops.post(reverse("webhook_endpoints:add"), {"url": "not a url"})
    assert "Enter a valid URL" in bad.content.decode()
    assert not WebhookEndpoint.objects.exists()

    page = ops.post(
        reverse("webhook_endpoints:add"),
        {"url": "https://work.example/hooks", "event_types": ["badge.awarded"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in page.content.decode()
    assert endpoint.event_types == ["badge.awarded"]


def test_resend_a_dead_delivery(ops, endpoint):
    services.webhook_emit(type="badge.awarded", data={"worker": "x"})
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.DEAD, attempts=9)
    ops.post(reverse("webhook_deliveries:resend", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_lift_a_suspension_and_answer_an_appeal(ops, suspension, worker):
    appeal = services.appeal_create(worker=worker, suspension_id=suspension.pk, message="Blurry batch")
    empty = ops.post(reverse("appeals:answer", args=[appeal.pk]), {"decision": "lift", "answer": ""})
    assert "This field is required" in empty.content.decode()
    ops.post(
        reverse("appeals:answer", args=[appeal.pk]), {"decision": "uphold", "answer": "The images were fine."}
    )
    appeal.refresh_from_db()
    assert appeal.decision == Appeal.Decision.UPHELD
    suspension.refresh_from_db()
    assert suspension.lifted_at is None

    ops.post(reverse("suspensions:lift", args=[suspension.pk]), {"reason": "Reviewed with the team lead"})
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and suspension.lifted_reason == "Reviewed with the team lead"
    assert worker.eligibilities.get(task_type=suspension.task_type).eligible
