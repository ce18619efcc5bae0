"""Every worker, manager and public page passes axe-core with no violation, in English and in French.

The pages are walked from the URLconf (the authorization matrix's rows): a new page fails
`test_every_page_is_checked` until it is checked here or said not to be a page.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from assessments import services as assessment_services
from tests.security.scenario import world  # noqa: F401  (the fixture)
from tests.security.test_authorization_matrix import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each page, and who looks at it.
PAGES = {
    "home": "worker",
    "login": "anonymous",
    "password_reset": "anonymous",
    "password_reset_done": "anonymous",
    "password_reset_confirm": "anonymous",
    "password_reset_complete": "anonymous",
    "faq_search": "worker",
    "my_questions": "worker",
    "check_detail": "worker",
    "attempt_page": "worker",
    "attempt_result": "worker",  # after the attempt page: the attempt is finished in between
    "my_badges": "worker",
    "badge_share": "anonymous",
    "badge_detail": "anonymous",
    "credential_verify": "anonymous",
    "my_work": "worker",
    "about_me": "worker",
    "impact": "manager",
    "manager_team_week": "manager",
    "manager_readiness": "manager",
    "manager_worker": "manager",
    "wagtail_serve": "worker",
    "offline": "anonymous",
}
# Not pages a person reads: documents for programs, files, and screens of other tools.
NOT_PAGES = {
    "openbadges_issuer", "openbadges_revocations", "openbadges_assertion", "openbadges_badge",
    "manager_team_week_csv", "service_worker", "web_manifest", "course_offline_pack", "media_file",
    "api_docs",  # Swagger UI, the API's own tool for developers
    "impact_csv", "impact_pdf",  # the report's downloads
    "credential_json", "credential_jwt", "credential_png", "did_document", "credential_status_list",
}  # fmt: skip
# Pages Wagtail serves besides the lesson, and the staff's home.
MORE = [("worker", lambda w: "/learn/"), ("worker", lambda w: w["course"].url), ("assistant", lambda w: "/")]
MORE += [("worker", lambda w: "/no-such-page/")]


def test_every_page_is_checked():
    gets = {name for name, (method, _build, _expected) in MATRIX.items() if method == "get"}
    assert gets == set(PAGES) | NOT_PAGES


def signed_in(browser, live_server, client, language: str):
    context = browser.new_context(viewport={"width": 360, "height": 780}, base_url=live_server.url)
    cookies = [{"name": "ladder_language", "value": language, "url": live_server.url}]
    if "sessionid" in client.cookies:
        cookies.append(
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
        )
    context.add_cookies(cookies)
    return context


# Every rule axe-core has that is not experimental, and the WCAG 2.2 touch-target size (24 × 24 px).
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
# Text at 200 % on a 360 px phone: the page reflows instead of scrolling sideways (tables scroll in their
# own focusable region).
OVERFLOW = """() => {
    document.documentElement.style.fontSize = "200%";
    const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
    document.documentElement.style.fontSize = "";
    return wide;
}"""


def violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_passes_axe_with_no_violation(browser, live_server, world, language):  # noqa: F811
    for worker in (world["worker"],):
        worker.language = language
        worker.save(update_fields=["language"])
    contexts = {
        role: signed_in(browser, live_server, client, language) for role, client in world["clients"].items()
    }
    pages = {role: context.new_page() for role, context in contexts.items()}
    visits = []
    for name, role in PAGES.items():
        if name == "attempt_result":
            assessment_services.attempt_submit(
                worker=world["worker"], attempt_id=world["attempt"].pk, responses={}
            )
        visits.append((role, MATRIX[name][1](world)))
    visits += [(role, build(world)) for role, build in MORE]

    found = {}
    for role, url in visits:
        page = pages[role]
        response = page.goto(url)
        assert response.status < 500, url
        assert page.locator("html").get_attribute("lang") == language, url
        problems = violations(page)
        if page.evaluate(OVERFLOW):
            problems.append("reflow: wider than a 360 px phone at 200 % text")
        if problems:
            found[f"{role} {url}"] = problems
    for context in contexts.values():
        context.close()
    assert found == {}


def test_a_page_with_a_missing_label_is_caught(browser, live_server):
    """The check sees a violation when there is one (so an empty list above means something)."""
    page = browser.new_page()
    page.goto(live_server.url + reverse("login"))
    page.evaluate("document.querySelector('input[name=username]').removeAttribute('id')")
    assert any(v.startswith("label") for v in violations(page))
    page.close()
