from decimal import Decimal

import pytest

from assessments.models import SkillBadge
from assignment import services
from assignment.models import TaskType


def make_badge(slug: str) -> SkillBadge:
    return SkillBadge.objects.create(
        name=slug.replace("-", " ").title(), slug=slug, description="d", criteria="c", skill=slug
    )


@pytest.fixture
def entry_badge(db):
    return make_badge("image-tagging")


@pytest.fixture
def box_badge(badge):
    return badge  # the skill checks' own "bounding-boxes" badge


@pytest.fixture
def task_types(entry_badge, box_badge, make_assessment):
    tagging = TaskType.objects.create(
        code="image-tagging", name="Image tagging", pay_rate=Decimal("0.0200"), tier=1
    )
    tagging.required_badges.set([entry_badge])
    refresher = make_assessment(slug="boxes-refresher", title="Bounding boxes refresher", badge=None)
    boxes = TaskType.objects.create(
        code="bounding-boxes",
        name="Bounding boxes",
        pay_rate=Decimal("0.0300"),
        tier=2,
        accuracy_threshold=Decimal("0.900"),
        accuracy_window_days=7,
        min_tasks_for_suspension=10,
        refresher=refresher,
    )
    boxes.required_badges.set([entry_badge, box_badge])
    return {"tagging": tagging, "boxes": boxes}


@pytest.fixture
def api_key(db):
    def make(*scopes: str) -> str:
        _, key = services.api_client_create(
            name="Work system", scopes=list(scopes) or ["eligibility:read", "work-results:write"]
        )
        return key

    return make


@pytest.fixture
def endpoint(db):
    return services.webhook_endpoint_create(url="https://work.example/hooks")
