from django.conf import settings
from django.db import migrations


def locales_create(apps, schema_editor):
    """A content locale per shipped language, so assistants can translate courses into each."""
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0010_worker_languages"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]
