from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path, register_converter
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from assessments import credential_views
from assessments import views as assessment_views
from assignment import views as assignment_views
from assignment.api.views import api, api_docs
from courses import views as course_views
from lms import views
from lms.impact import api as impact_api
from lms.impact import views as impact_views
from lms.portal import home, manager_views
from lms.web import IdConverter

register_converter(IdConverter, "id")
api.add_router("/impact", impact_api.router)

# Django tries the patterns in order: the two most requested prefixes come first (the bridge API, and the
# lessons under learn/, appended below), so that a request for them is not compared with every other page.
urlpatterns = [
    path("api/v1/docs", api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("", home.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language_set, name="language_set"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/reset_done.html"),
        name="password_reset_complete",
    ),
    path("my/about/", views.about_me, name="about_me"),
    path("my/about/consent/", views.about_consent, name="about_consent"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_manifest, name="web_manifest"),
    path("offline/", views.offline_page, name="offline"),
    path("courses/<id:course_id>/offline.json", course_views.course_offline_pack, name="course_offline_pack"),
    path("lessons/<id:lesson_id>/open/", course_views.lesson_open, name="lesson_open"),
    path("lessons/<id:lesson_id>/heartbeat/", course_views.lesson_heartbeat, name="lesson_heartbeat"),
    path("lessons/<id:lesson_id>/complete/", course_views.lesson_complete, name="lesson_complete"),
    path("lessons/<id:lesson_id>/questions/", course_views.question_ask, name="question_ask"),
    path("help/", course_views.faq_search, name="faq_search"),
    path("my/questions/", course_views.my_questions, name="my_questions"),
    path("my/questions/<id:question_id>/seen/", course_views.question_seen, name="question_seen"),
    path("checks/<slug:slug>/", assessment_views.check_detail, name="check_detail"),
    path("checks/<slug:slug>/start/", assessment_views.check_start, name="check_start"),
    path("attempts/<id:attempt_id>/", assessment_views.attempt_page, name="attempt_page"),
    path("attempts/<id:attempt_id>/save/", assessment_views.attempt_save, name="attempt_save"),
    path("attempts/<id:attempt_id>/submit/", assessment_views.attempt_submit, name="attempt_submit"),
    path("attempts/<id:attempt_id>/result/", assessment_views.attempt_result, name="attempt_result"),
    path("my/badges/", assessment_views.my_badges, name="my_badges"),
    path("my/badges/wallet/", credential_views.wallet_set, name="wallet_set"),
    path("my/badges/<uuid:uid>/credential.json", credential_views.credential_json, name="credential_json"),
    path("my/badges/<uuid:uid>/credential.jwt", credential_views.credential_jwt, name="credential_jwt"),
    path("my/badges/<uuid:uid>/credential.png", credential_views.credential_png, name="credential_png"),
    path(".well-known/did.json", credential_views.did_document, name="did_document"),
    path("credentials/status/<id:number>", credential_views.status_list, name="credential_status_list"),
    path("verify/", credential_views.credential_verify, name="credential_verify"),
    path("badges/issuer.json", assessment_views.openbadges_issuer, name="openbadges_issuer"),
    path("badges/revocations.json", assessment_views.openbadges_revocations, name="openbadges_revocations"),
    path(
        "badges/assertions/<uuid:uid>.json",
        assessment_views.openbadges_assertion,
        name="openbadges_assertion",
    ),
    path("badges/assertions/<uuid:uid>/", assessment_views.badge_share, name="badge_share"),
    path("badges/<slug:slug>.json", assessment_views.openbadges_badge, name="openbadges_badge"),
    path("badges/<slug:slug>/", assessment_views.badge_detail, name="badge_detail"),
    path("my/work/", assignment_views.my_work, name="my_work"),
    path("manage/", manager_views.team_week, name="manager_team_week"),
    path("manage/teams/<id:team_id>/week.csv", manager_views.team_week_csv, name="manager_team_week_csv"),
    path("manage/teams/<id:team_id>/goal/", manager_views.team_goal, name="manager_team_goal"),
    path("manage/workers/<id:worker_id>/", manager_views.worker_detail, name="manager_worker"),
    path(
        "manage/workers/<id:worker_id>/password/",
        manager_views.worker_password_reset_view,
        name="manager_worker_password",
    ),
    path("manage/workers/<id:worker_id>/goal/", manager_views.worker_goal, name="manager_worker_goal"),
    path(
        "manage/workers/<id:worker_id>/promotion/",
        manager_views.promotion_decide,
        name="manager_promotion_decide",
    ),
    path("manage/readiness/", manager_views.readiness, name="manager_readiness"),
    path("impact/", impact_views.impact_page, name="impact"),
    path("impact/scorecard.csv", impact_views.impact_csv, name="impact_csv"),
    path("impact/scorecard.pdf", impact_views.impact_pdf, name="impact_pdf"),
    path("manage/appeals/<id:appeal_id>/answer/", manager_views.appeal_answer, name="manager_appeal_answer"),
    path(
        "my/work/suspensions/<id:suspension_id>/appeal/",
        assignment_views.appeal_create,
        name="appeal_create",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG or settings.LADDER_SERVE_MEDIA:
    # The embedded setup serves uploaded pictures itself; production puts them behind the proxy.
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", views.media_file, name="media_file"),
    )

# Wagtail serves the course catalogue, courses and lessons under /learn/, through our own entry view.
wagtail_utility_urls = [pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"]
urlpatterns.insert(
    2,
    path(
        "learn/",
        include(
            [
                *wagtail_utility_urls,
                re_path(wagtail_urls.serve_pattern, course_views.serve_page, name="wagtail_serve"),
            ]
        ),
    ),
)
