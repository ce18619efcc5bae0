from django.apps import AppConfig


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
