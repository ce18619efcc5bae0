from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    """Existing FAQs are in the source language (English) and each starts its own translation set."""

    dependencies = [
        ("courses", "0004_faq_translatable_bootstrap"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [BootstrapTranslatableModel("courses.FAQ")]
