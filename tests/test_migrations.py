from django.core.management import call_command


def test_every_model_change_has_its_migration(db):
    """A model changed without a migration would differ between a fresh database and a migrated one."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
