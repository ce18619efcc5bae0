from django.apps import AppConfig


class CareerpathsConfig(AppConfig):
    name = "careerpaths"
    verbose_name = "Career paths"

    def ready(self) -> None:
        from careerpaths import reactions
        from careerpaths.models import CareerLevel, CareerPath
        from lms import translatable
        from lms.events import BadgeChanged, Phase, WeeklyRecordsChanged, WorkerCreated, subscribe

        # Readiness runs before eligibility (order 20, assignment): a level it reaches is in the same check.
        translatable.register(CareerPath)
        translatable.register(CareerLevel)
        subscribe(BadgeChanged, reactions.badge_changed, phase=Phase.IN_TRANSACTION, order=10)
        subscribe(WorkerCreated, reactions.worker_created, phase=Phase.IN_TRANSACTION, order=10)
        subscribe(WeeklyRecordsChanged, reactions.weekly_records_changed, phase=Phase.AFTER_COMMIT, order=10)
