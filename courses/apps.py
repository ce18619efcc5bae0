from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from django.db.models.signals import post_save

        from courses import services, shared_parts
        from courses.models import FAQ, CourseIndexPage

        shared_parts.watch(FAQ)
        shared_parts.connect()
        post_save.connect(
            services.translated_catalogue_setup, sender=CourseIndexPage, dispatch_uid="courses.catalogue"
        )
