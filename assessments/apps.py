import sys

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and badges"

    def ready(self) -> None:
        from assessments.models import Assessment, BankQuestion, QuestionBank, SkillBadge
        from assessments.selectors import course_skill_check
        from courses import shared_parts
        from courses.selectors import course_extras_register
        from lms import translatable

        for model in (Assessment, QuestionBank, BankQuestion, SkillBadge):
            translatable.register(model)  # words assistants translate on the admin's translation screens
        course_extras_register(course_skill_check)  # a course page shows its skill check
        shared_parts.watch(Assessment)  # and the lesson pages that name it follow its changes
        self._require_signing_key()

    @staticmethod
    def _require_signing_key() -> None:
        """Production signs every award: without a readable key, web, workers and commands do not start."""
        if not settings.LADDER_CREDENTIAL_KEY_REQUIRED or sys.argv[1:2] == ["credential_key_create"]:
            return
        from assessments.credentials.keys import KeyUnavailable, previous_keys, signing_key

        try:
            signing_key()
            previous_keys()
        except (KeyUnavailable, ValueError) as error:
            raise ImproperlyConfigured(f"Open Badges 3.0 signing key: {error}") from None
