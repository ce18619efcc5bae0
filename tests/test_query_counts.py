"""Every admin listing, worker page and manager page runs as many queries for few rows as for many."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignment import services as assignment_services
from assignment.models import Suspension, TaskType, WebhookDelivery
from lms.models import WorkerProfile
from lms.portal import team_week_cache

pytestmark = pytest.mark.slow

ADMIN_LISTINGS = [
    "task_types:index", "api_clients:index", "webhook_endpoints:index", "webhook_deliveries:index",
    "suspensions:index", "appeals:index", "attempts:index", "badge_awards:index", "skillbadge:index",
    "question_banks:index", "wagtailsnippets_assessments_bankquestion:list",
    "wagtailsnippets_assessments_assessment:list", "worker_questions:index", "workerprofile:index",
    "team:index", "wagtailsnippets_courses_faq:list", "career_paths:index", "promotions:index",
]  # fmt: skip
WORKER_PAGES = ["home", "my_work", "my_badges", "my_questions", "faq_search"]
MANAGER_PAGES = ["manager_team_week", "manager_readiness"]


def more_rows(start: int) -> None:
    """Rows the demo makes few of: suspensions with appeals, webhook deliveries, API clients."""
    boxes = TaskType.objects.get(code="bounding-boxes")
    for worker in WorkerProfile.objects.filter(suspensions__isnull=True).order_by("pk"):
        suspension = Suspension.objects.create(
            worker=worker, task_type=boxes, accuracy=Decimal("0.5"), threshold=Decimal("0.9"),
            tasks_counted=30, started_at=timezone.now() - timedelta(days=1),
        )  # fmt: skip
        assignment_services.appeal_create(worker=worker, suspension_id=suspension.pk, message="Look again")
        assignment_services.api_client_create(name=f"client {worker.pk}", scopes=["eligibility:read"])
    if not WebhookDelivery.objects.exists():
        assignment_services.webhook_endpoint_create(url="https://work.example/hooks")
    for n in range(start, start + 10):
        assignment_services.webhook_emit(type="badge.awarded", data={"n": n})


def count(client: Client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    assert response.status_code == 200, (name, response.status_code)
    return len(queries)


def counts(clients: dict[str, Client]) -> dict[str, int]:
    result = {name: count(clients["admin"], name) for name in ADMIN_LISTINGS}
    result |= {name: count(clients["worker"], name) for name in WORKER_PAGES}
    for name in MANAGER_PAGES:
        # The team week is built after any change to what it shows, then kept: both are counted.
        team_week_cache.changed(everyone=True)
        result[name] = count(clients["manager"], name)
        result[f"{name}, kept"] = count(clients["manager"], name)
    return result


def test_every_listing_and_page_runs_a_bounded_number_of_queries(db):
    call_command("seed_demo", workers=3, cohort=0, password="demo-pass-123")
    more_rows(0)
    users = get_user_model().objects.in_bulk(["admin", "worker", "manager"], field_name="username")
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    counts(clients)  # warm every per-process memo, as a running site has
    few = counts(clients)

    call_command("seed_demo", workers=15, cohort=0, password="demo-pass-123")
    more_rows(3)
    assert WorkerProfile.objects.count() >= 15 and Suspension.objects.count() >= 14
    many = counts(clients)

    grew = {name: (few[name], many[name]) for name in few if many[name] != few[name]}
    assert grew == {}, f"queries (3 rows → 15 rows) grew with the data: {grew}"
