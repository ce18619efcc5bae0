"""One small world for the security tests: two teams, their workers and managers, staff, and records."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.images.models import Image

from assessments import services as assessment_services
from assignment import services as assignment_services
from assignment.models import Suspension
from courses import services as course_services
from lms import roles
from lms.models import Team
from lms.services import user_create
from tests.conftest import PASSWORD

ROLES = ["anonymous", "worker", "other_worker", "other_manager", "assistant", "expert", "admin"]


@pytest.fixture
def world(make_worker, lessons, assessment, badge, task_types, assistant, expert):
    team, other_team = Team.objects.create(name="Team A"), Team.objects.create(name="Team B")
    manager, other_manager = (
        user_create(username=f"mgr-{x}", email=f"{x}@ladder.example", password=PASSWORD, role=roles.MANAGERS)
        for x in "ab"
    )
    team.managers.add(manager)
    other_team.managers.add(other_manager)
    worker = make_worker("w-a", team=team, time_zone="Indian/Antananarivo")
    other_worker = make_worker("w-b", team=other_team)
    admin = user_create(username="boss", email="boss@ladder.example", password=PASSWORD, role=roles.ADMINS)
    attempt = assessment_services.attempt_start(worker=worker, assessment=assessment)
    question = course_services.question_ask(worker=worker, lesson=lessons[0], text="Do I tag shadows?")
    award = assessment_services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior learning")
    suspension = Suspension.objects.create(
        worker=worker, task_type=task_types["boxes"], accuracy=Decimal("0.5"), threshold=Decimal("0.9"),
        tasks_counted=30, started_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    appeal = assignment_services.appeal_create(worker=worker, suspension_id=suspension.pk, message="Look")
    users = {
        "worker": worker.user, "other_worker": other_worker.user, "other_manager": other_manager,
        "assistant": assistant, "expert": expert, "admin": admin,
    }  # fmt: skip
    clients = {"anonymous": Client(), "manager": Client()}
    clients["manager"].force_login(manager)
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return {
        "clients": clients, "worker": worker, "team": team, "attempt": attempt, "question": question,
        "award": award, "suspension": suspension, "appeal": appeal, "lesson": lessons[0],
        "assessment": assessment, "badge": badge, "course": lessons[0].get_parent().specific,
        "picture": Image.objects.first(),
    }  # fmt: skip
