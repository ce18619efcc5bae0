"""Property: the moment work first unlocked for a worker (`Eligibility.first_unlocked_at`, read by the
impact report's "days to the first better-paid work") is the first moment the worker met the task type's
rules, however badges come and go, suspensions start and lift, and however long the quiet spells between
them; and rebuilding it from the `eligibility.changed` history gives the same answer."""

import importlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments.models import BadgeAward, SkillBadge
from assessments.services import badge_award, badge_revoke
from assignment.models import Eligibility, Suspension, TaskType, WebhookEvent
from assignment.services import eligibility_recompute
from assignment.services.quality import suspension_lift

pytestmark = pytest.mark.slow

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# What happens, and how long after the last thing: minutes, a day, a month, half a year.
steps = st.lists(
    st.tuples(
        st.sampled_from(["award A", "revoke A", "award B", "revoke B", "suspend", "lift"]),
        st.sampled_from([1, 60 * 24, 60 * 24 * 30, 60 * 24 * 182]),
    ),
    max_size=10,
)
backfill = importlib.import_module("assignment.migrations.0009_first_unlocked").first_unlocked_from_history


def rules(held: set[str], suspended: bool) -> dict[str, bool]:
    """The task types' rules written out: boxes need A (and no suspension from it), review needs A and B."""
    return {"boxes": "A" in held and not suspended, "review": {"A", "B"} <= held, "open": True}


@pytest.fixture
def setting(make_worker, assistant):
    badges = {
        name: SkillBadge.objects.create(
            name=f"Badge {name}", slug=f"badge-{name.lower()}", description=".", criteria=".", skill=name
        )
        for name in "AB"
    }
    boxes = TaskType.objects.create(code="boxes", name="Boxes", pay_rate=Decimal("0.02"), tier=2)
    boxes.required_badges.set([badges["A"]])
    review = TaskType.objects.create(code="review", name="Review", pay_rate=Decimal("0.05"), tier=3)
    review.required_badges.set([badges["A"], badges["B"]])
    TaskType.objects.create(code="open", name="Open", pay_rate=Decimal("0.01"), tier=1)
    return {"badges": badges, "boxes": boxes, "by": assistant, "make_worker": make_worker}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps)
@example(steps=[("award A", 1), ("suspend", 1), ("revoke A", 1440), ("lift", 43200), ("award A", 1)])
def test_first_unlock_is_the_first_moment_the_rules_were_met(setting, steps):
    held: set[str] = set()
    suspended = False
    expected: dict[str, datetime] = {}
    at = BASE
    with time_machine.travel(at, tick=False) as clock:
        worker = setting["make_worker"]()  # joining looks at the rules once: open work only
        eligibility_recompute(worker=worker)
        for code, ok in rules(held, suspended).items():
            if ok:
                expected.setdefault(code, at)
        for what, minutes in steps:
            at += timedelta(minutes=minutes)
            clock.move_to(at)
            verb, _, name = what.partition(" ")
            if verb == "award":
                badge_award(
                    worker=worker, badge=setting["badges"][name], by=setting["by"], reason="Seen at work"
                )
                held.add(name)
            elif verb == "revoke":
                for award in BadgeAward.objects.filter(worker=worker, badge__slug=f"badge-{name.lower()}"):
                    badge_revoke(award=award, by=setting["by"], reason="Given in error")
                held.discard(name)
            elif verb == "suspend" and not suspended:
                Suspension.objects.create(
                    worker=worker, task_type=setting["boxes"], accuracy=Decimal("0.5"),
                    threshold=Decimal("0.9"), tasks_counted=30, started_at=at,
                )  # fmt: skip
                suspended = True
            elif verb == "lift" and suspended:
                suspension_lift(
                    suspension=Suspension.objects.get(worker=worker, lifted_at__isnull=True), reason="Passed"
                )
                suspended = False
            eligibility_recompute(worker=worker)  # at once, as the services' settle does outside an event
            for code, ok in rules(held, suspended).items():
                if ok:
                    expected.setdefault(code, at)

    rows = {
        row.task_type.code: row
        for row in Eligibility.objects.filter(worker=worker).select_related("task_type")
    }
    assert {code: row.first_unlocked_at for code, row in rows.items() if row.first_unlocked_at} == expected
    assert {code: row.eligible for code, row in rows.items()} == {
        code: ok for code, ok in rules(held, suspended).items() if code in rows
    }

    # Rebuilt from scratch: the outbox's history of eligibility changes, as the migration reads it.
    assert WebhookEvent.objects.filter(type="eligibility.changed").exists()
    Eligibility.objects.filter(worker=worker).update(first_unlocked_at=None)
    backfill(apps, None)
    rebuilt = Eligibility.objects.filter(worker=worker, first_unlocked_at__isnull=False)
    assert {
        row.task_type.code: row.first_unlocked_at for row in rebuilt.select_related("task_type")
    } == expected
