"""How career paths react to what happens below them (`lms.events`); subscribed in `apps.py`."""

from careerpaths import services
from careerpaths.tasks import readiness_recompute_many
from lms import events
from lms.tasking import enqueue_on_commit

BATCH = 200


def badge_changed(event: events.BadgeChanged) -> None:
    """A badge can reach a level at once (in the transaction: the level gates work)."""
    services.readiness_recompute(worker=event.award.worker)


def worker_created(event: events.WorkerCreated) -> None:
    """A new worker starts on the first path, at the levels they already meet."""
    services.readiness_recompute(worker=event.worker)


def weekly_records_changed(event: events.WeeklyRecordsChanged) -> None:
    """Streaks and accuracy feed readiness: re-evaluate those workers in the background, in batches."""
    ids = event.worker_ids
    for start in range(0, len(ids), BATCH):
        enqueue_on_commit(readiness_recompute_many, list(ids[start : start + BATCH]))
