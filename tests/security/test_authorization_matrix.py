"""Who may reach what: every URL of the URLconf against every role, the expected answer stated once per URL.

A new URL fails `test_every_url_has_a_row` until it is given a row here (or a reason to be left out).
"""

import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.scenario import ROLES

# Answers, per role in ROLES order: anonymous, worker, other worker (another team), manager of another
# team, assistant, expert, admin. "ok": allowed (2xx, a redirect that is not to the log-in page, or a
# 409/422/429 refusal of the input). "login": sent to log in. Numbers: that status code.
OK, LOGIN = "ok", "login"
PUBLIC = (OK,) * 7
SIGNED_IN = (LOGIN, OK, OK, OK, OK, OK, OK)
ANY_WORKER = (LOGIN, OK, OK, 403, 403, 403, 403)
OWN_RECORD = (LOGIN, OK, 404, 403, 403, 403, 403)
MANAGER_PAGE = (LOGIN, 403, 403, OK, 403, 403, 403)
IMPACT = (LOGIN, 403, 403, OK, 403, 403, OK)  # admins, and managers for their own teams
MANAGED_RECORD = (LOGIN, 403, 403, 404, 403, 403, 403)  # the record is team A's; other_manager has team B


def _url(name, *args, **kwargs):
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args], kwargs=kwargs or None)


# name: (method, how to build the URL from the world, expected per role)
MATRIX = {
    "home": ("get", _url("home"), SIGNED_IN),
    "login": ("get", _url("login"), PUBLIC),
    "logout": ("post", _url("logout"), (LOGIN,) * 7),  # logged out, then to the log-in page
    "language_set": ("post", _url("language_set"), PUBLIC),  # anyone chooses the language they read
    "password_reset": ("get", _url("password_reset"), PUBLIC),
    "password_reset_done": ("get", _url("password_reset_done"), PUBLIC),
    "password_reset_confirm": ("get", _url("password_reset_confirm", "MQ", "set-password"), PUBLIC),
    "password_reset_complete": ("get", _url("password_reset_complete"), PUBLIC),
    "lesson_open": ("post", _url("lesson_open", lambda w: w["lesson"].pk), ANY_WORKER),
    "lesson_heartbeat": ("post", _url("lesson_heartbeat", lambda w: w["lesson"].pk), ANY_WORKER),
    "lesson_complete": ("post", _url("lesson_complete", lambda w: w["lesson"].pk), ANY_WORKER),
    "question_ask": ("post", _url("question_ask", lambda w: w["lesson"].pk), ANY_WORKER),
    "faq_search": ("get", _url("faq_search"), SIGNED_IN),
    "my_questions": ("get", _url("my_questions"), ANY_WORKER),
    "question_seen": ("post", _url("question_seen", lambda w: w["question"].pk), OWN_RECORD),
    "check_detail": ("get", _url("check_detail", lambda w: w["assessment"].slug), ANY_WORKER),
    "check_start": ("post", _url("check_start", lambda w: w["assessment"].slug), ANY_WORKER),
    "attempt_page": ("get", _url("attempt_page", lambda w: w["attempt"].pk), OWN_RECORD),
    "attempt_save": ("post", _url("attempt_save", lambda w: w["attempt"].pk), OWN_RECORD),
    "attempt_submit": ("post", _url("attempt_submit", lambda w: w["attempt"].pk), OWN_RECORD),
    "attempt_result": ("get", _url("attempt_result", lambda w: w["attempt"].pk), OWN_RECORD),
    "my_badges": ("get", _url("my_badges"), ANY_WORKER),
    "openbadges_issuer": ("get", _url("openbadges_issuer"), PUBLIC),
    "openbadges_revocations": ("get", _url("openbadges_revocations"), PUBLIC),
    "openbadges_assertion": ("get", _url("openbadges_assertion", lambda w: w["award"].uid), PUBLIC),
    "badge_share": ("get", _url("badge_share", lambda w: w["award"].uid), PUBLIC),
    "openbadges_badge": ("get", _url("openbadges_badge", lambda w: w["badge"].slug), PUBLIC),
    "badge_detail": ("get", _url("badge_detail", lambda w: w["badge"].slug), PUBLIC),
    "wallet_set": ("post", _url("wallet_set"), ANY_WORKER),  # an empty DID: nothing to change
    "credential_json": ("get", _url("credential_json", lambda w: w["award"].uid), OWN_RECORD),
    "credential_jwt": ("get", _url("credential_jwt", lambda w: w["award"].uid), OWN_RECORD),
    "credential_png": ("get", _url("credential_png", lambda w: w["award"].uid), OWN_RECORD),
    "did_document": ("get", _url("did_document"), PUBLIC),
    "credential_status_list": ("get", _url("credential_status_list", 1), PUBLIC),
    "credential_verify": ("get", _url("credential_verify"), PUBLIC),
    "my_work": ("get", _url("my_work"), ANY_WORKER),
    "appeal_create": ("post", _url("appeal_create", lambda w: w["suspension"].pk), OWN_RECORD),
    "manager_team_week": ("get", _url("manager_team_week"), MANAGER_PAGE),
    "manager_readiness": ("get", _url("manager_readiness"), MANAGER_PAGE),
    "manager_team_week_csv": ("get", _url("manager_team_week_csv", lambda w: w["team"].pk), MANAGED_RECORD),
    "manager_team_goal": ("post", _url("manager_team_goal", lambda w: w["team"].pk), MANAGED_RECORD),
    "manager_worker": ("get", _url("manager_worker", lambda w: w["worker"].pk), MANAGED_RECORD),
    "manager_worker_goal": ("post", _url("manager_worker_goal", lambda w: w["worker"].pk), MANAGED_RECORD),
    "manager_worker_password": (
        "post",
        _url("manager_worker_password", lambda w: w["worker"].pk),
        MANAGED_RECORD,
    ),  # fmt: skip
    "manager_promotion_decide": (
        "post",
        _url("manager_promotion_decide", lambda w: w["worker"].pk),
        MANAGED_RECORD,
    ),  # fmt: skip
    "manager_appeal_answer": (
        "post",
        _url("manager_appeal_answer", lambda w: w["appeal"].pk),
        MANAGED_RECORD,
    ),  # fmt: skip
    "about_me": ("get", _url("about_me"), ANY_WORKER),
    "about_consent": ("post", _url("about_consent"), ANY_WORKER),  # no choice given: nothing changes
    "impact": ("get", _url("impact"), IMPACT),
    "impact_csv": ("get", _url("impact_csv"), IMPACT),
    "impact_pdf": ("get", _url("impact_pdf"), IMPACT),
    "api_docs": ("get", _url("api_docs"), (LOGIN, LOGIN, LOGIN, LOGIN, OK, OK, OK)),
    "service_worker": ("get", _url("service_worker"), PUBLIC),
    "web_manifest": ("get", _url("web_manifest"), PUBLIC),
    "offline": ("get", _url("offline"), PUBLIC),
    "course_offline_pack": ("get", _url("course_offline_pack", lambda w: w["course"].pk), ANY_WORKER),
    "media_file": ("get", lambda w: w["picture"].file.url, PUBLIC),  # as public as Wagtail's images
    "wagtail_serve": ("get", lambda w: w["lesson"].url, SIGNED_IN),
}

# Left out, with the reason: they have their own guard, tested where it lives.
ELSEWHERE = {
    "admin/": "Wagtail's admin: its own permission checks; our roles' reach is in tests/*/test_admin.py",
    "documents/": "Wagtail's documents: collection privacy, tested by Wagtail",
    "api/v1/": "the bridge API: bearer keys and scopes, tested in tests/assignment/test_api.py",
    "learn/": "Wagtail's page utilities (password-protected pages), not used by Ladder's pages",
}


def url_names(patterns=None, prefix="") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route in ELSEWHERE:
                names |= {n for n in url_names(pattern.url_patterns, route) if n == "wagtail_serve"}
                continue
            names |= url_names(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_has_a_row():
    assert url_names() == set(MATRIX)


def answer(response) -> str | int:
    if response.status_code == 302 and response.url.startswith("/login/"):
        return LOGIN
    if response.status_code < 400 or response.status_code in (409, 422, 429):
        return OK
    return response.status_code


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_stated_answer(name, world):
    method, build, expected = MATRIX[name]
    url = build(world)
    got = tuple(answer(getattr(world["clients"][role], method)(url)) for role in ROLES)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, expected, strict=True)), url


def test_a_made_up_record_is_not_found_for_anyone(world):
    for url in (
        reverse("openbadges_assertion", args=[uuid.uuid4()]),
        reverse("badge_share", args=[uuid.uuid4()]),
    ):
        assert world["clients"]["anonymous"].get(url).status_code == 404
