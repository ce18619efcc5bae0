from django.apps import AppConfig
from django.db.models.signals import post_migrate


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = "Ladder people"

    def ready(self) -> None:
        from lms.portal import team_week_cache
        from lms.roles import roles_sync_after_migrate

        team_week_cache.connect()

        # Roles are setup, not domain logic: every migrated database has the groups it needs. It runs
        # after each app's migrations, so the permissions of apps migrated after this one are found too.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="ladder_roles_sync")
