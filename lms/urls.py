from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses import views as course_views
from lms import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("lessons/<int:lesson_id>/open/", course_views.lesson_open, name="lesson_open"),
    path("lessons/<int:lesson_id>/heartbeat/", course_views.lesson_heartbeat, name="lesson_heartbeat"),
    path("lessons/<int:lesson_id>/complete/", course_views.lesson_complete, name="lesson_complete"),
    path("lessons/<int:lesson_id>/questions/", course_views.question_ask, name="question_ask"),
    path("help/", course_views.faq_search, name="faq_search"),
    path("my/questions/", course_views.my_questions, name="my_questions"),
    path("my/questions/<int:question_id>/seen/", course_views.question_seen, name="question_seen"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the course catalogue, courses and lessons under /learn/.
urlpatterns.append(path("learn/", include(wagtail_urls)))
