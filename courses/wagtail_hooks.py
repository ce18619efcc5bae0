from django.contrib.auth.views import redirect_to_login
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from courses.views_admin import translation_submit, translations_status
from courses.viewsets import FAQViewSet, QuestionViewSet

register_snippet(FAQViewSet)


@hooks.register("register_admin_viewset")
def register_question_viewset():
    return QuestionViewSet()


@hooks.register("before_serve_page")
def require_login_for_learning(page, request, serve_args, serve_kwargs):
    # Courses are for a company's own people: every page of the catalogue needs a login.
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@hooks.register("register_admin_urls")
def register_translation_urls():
    return [
        path("course-translations/", translations_status, name="course_translations"),
        path(
            "course-translations/<int:translation_id>/review/",
            translation_submit,
            name="course_translation_submit",
        ),
    ]


class AuthorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("courses.change_faq")


@hooks.register("register_admin_menu_item")
def register_translations_menu_item():
    return AuthorMenuItem(
        gettext_lazy("Course translations"), reverse("course_translations"), icon_name="globe", order=215
    )
