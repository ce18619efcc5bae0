"""Worker and manager pages work under the Content-Security-Policy: nothing refused, nothing elsewhere."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_run_under_the_policy_and_ask_nothing_of_other_hosts(new_page, live_server):
    call_command("seed_demo", workers=1, cohort=0, password="demo-pass-123")
    refused, elsewhere = [], []
    pages = {
        "worker": ["/", "/learn/", "/learn/bounding-boxes/", "/help/?q=box", "/my/work/", "/my/badges/"],
        "manager": ["/manage/", "/manage/readiness/"],
    }
    for user, paths in pages.items():
        page = new_page()
        page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))
        page.on("request", lambda r: not r.url.startswith(live_server.url) and elsewhere.append(r.url))
        log_in(page, user, "demo-pass-123")
        for path in paths:
            response = page.goto(path)
            assert response.status < 400, path
            assert response.headers["content-security-policy"].startswith("default-src 'self'")
            page.wait_for_load_state("networkidle")
    assert refused == [] and elsewhere == []
