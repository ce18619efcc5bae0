from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import shared_parts
        from courses.models import FAQ

        shared_parts.watch(FAQ)
        shared_parts.connect()
