from django.apps import AppConfig


class AssignmentConfig(AppConfig):
    name = "assignment"
    verbose_name = "Work assignment"

    def ready(self) -> None:
        from assignment import reactions
        from assignment.models import TaskType
        from lms import translatable
        from lms.events import (
            AttemptPassed,
            BadgeChanged,
            LearningRecorded,
            LevelChanged,
            Phase,
            WorkerCreated,
            subscribe,
        )

        # In the transaction: eligibility must agree with the badges and levels it is computed from, and
        # webhook events and xAPI statements are written to the outbox with the change (sent once it commits).
        translatable.register(TaskType)
        subscribe(BadgeChanged, reactions.badge_changed, phase=Phase.IN_TRANSACTION, order=20)
        subscribe(AttemptPassed, reactions.attempt_passed, phase=Phase.IN_TRANSACTION, order=20)
        subscribe(LevelChanged, reactions.level_changed, phase=Phase.IN_TRANSACTION, order=20)
        subscribe(WorkerCreated, reactions.worker_created, phase=Phase.IN_TRANSACTION, order=20)
        subscribe(LearningRecorded, reactions.learning_recorded, phase=Phase.IN_TRANSACTION, order=20)
