from wagtail import hooks

from careerpaths import services
from careerpaths.tasks import readiness_recompute_many
from careerpaths.viewsets import CareerGroup
from lms.tasking import enqueue_on_commit

BATCH = 200


@hooks.register("badge_changed")
def badge_changed(*, award, change: str) -> None:
    services.readiness_recompute(worker=award.worker)


@hooks.register("worker_created")
def new_worker(*, worker) -> None:
    services.readiness_recompute(worker=worker)


@hooks.register("weekly_records_changed")
def weekly_records_changed(*, worker_ids: list[int]) -> None:
    """Streaks and accuracy feed readiness: re-evaluate those workers in the background, in batches."""
    for start in range(0, len(worker_ids), BATCH):
        enqueue_on_commit(readiness_recompute_many, worker_ids[start : start + BATCH])


@hooks.register("register_admin_viewset")
def register_career_paths():
    return CareerGroup()
