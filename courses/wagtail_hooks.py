from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.snippets.models import register_snippet

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
