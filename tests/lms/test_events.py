"""The typed events between apps: who reacts, in which order and phase, and a cascade settled once."""

import logging

import pytest

from assessments import services as assessment_services
from assignment.models import WebhookEvent
from careerpaths.models import Promotion
from lms import events


def test_every_event_has_its_reactions_in_the_stated_order_and_phase():
    listed = {
        event.__name__: [(s.name, s.phase.name) for s in events.subscribers(event)] for event in events.EVENTS
    }
    assert listed == {
        "WorkerCreated": [
            ("careerpaths.reactions.worker_created", "IN_TRANSACTION"),
            ("assignment.reactions.worker_created", "IN_TRANSACTION"),
        ],
        "BadgeChanged": [
            ("careerpaths.reactions.badge_changed", "IN_TRANSACTION"),
            ("assignment.reactions.badge_changed", "IN_TRANSACTION"),
        ],
        "AttemptPassed": [("assignment.reactions.attempt_passed", "IN_TRANSACTION")],
        "LevelChanged": [("assignment.reactions.level_changed", "IN_TRANSACTION")],
        "WeeklyRecordsChanged": [
            ("careerpaths.reactions.weekly_records_changed", "AFTER_COMMIT"),
            ("lms.portal.team_week_cache._records_changed", "IN_TRANSACTION"),
        ],
        "LearningRecorded": [("assignment.reactions.learning_recorded", "IN_TRANSACTION")],
    }


def test_only_events_of_the_registry_can_be_subscribed_to():
    class Stranger:
        pass

    with pytest.raises(TypeError):
        events.subscribe(Stranger, print, phase=events.Phase.IN_TRANSACTION, order=1)


def test_a_badge_that_reaches_a_level_changes_eligibility_once(
    career_path, make_worker, entry_badge, assistant, task_types
):
    """award → readiness → promotion → eligibility: one `eligibility.changed`, with both reasons."""
    tagging = task_types["tagging"]
    tagging.min_level = career_path["annotator"]
    tagging.save(update_fields=["min_level"])
    worker = make_worker("climber")
    before = WebhookEvent.objects.filter(type="eligibility.changed").count()

    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")

    assert Promotion.objects.filter(worker=worker, to_level=career_path["annotator"]).exists()
    changed = list(WebhookEvent.objects.filter(type="eligibility.changed").order_by("pk")[before:])
    assert len(changed) == 1
    data = changed[0].data
    assert data["reason"] == "level annotator; badge image-tagging awarded"
    assert {t["code"]: t["eligible"] for t in data["task_types"]}["image-tagging"] is True


def test_settle_outside_an_event_runs_at_once_and_inside_once_per_key():
    ran = []
    events.settle("k", ran.append, "alone")
    assert ran == [["alone"]]
    with events.together():
        events.settle("k", ran.append, "one")
        events.settle("k", ran.append, "two")
        events.settle("other", ran.append, "three")
        assert ran == [["alone"]]
    assert ran == [["alone"], ["one", "two"], ["three"]]


def test_a_failing_after_commit_reaction_is_logged_and_undoes_nothing(
    db, django_capture_on_commit_callbacks, caplog
):
    seen = []

    def broken(event):
        seen.append(event)
        raise RuntimeError("down")

    events.subscribe(events.WeeklyRecordsChanged, broken, phase=events.Phase.AFTER_COMMIT, order=99)
    try:
        with (
            caplog.at_level(logging.ERROR, logger="lms.events"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            events.publish(events.WeeklyRecordsChanged(worker_ids=()))
            assert seen == []  # not before commit
        assert len(seen) == 1
        assert "failed after WeeklyRecordsChanged committed" in caplog.text
    finally:
        events._subscribers[events.WeeklyRecordsChanged].remove(
            next(s for s in events.subscribers(events.WeeklyRecordsChanged) if s.handler is broken)
        )
