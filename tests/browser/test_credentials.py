import pytest
from playwright.sync_api import expect

from assessments import services
from tests.browser.conftest import log_in, said
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_downloads_a_baked_badge_and_anyone_checks_it(new_page, worker, badge, assistant, tmp_path):
    award = services.badge_award(worker=worker, badge=badge, by=assistant, reason="Prior work")
    page = new_page()
    log_in(page, worker.user.username, PASSWORD)
    page.goto("/my/badges/")
    with page.expect_download() as download:
        page.get_by_role("link", name=said("en", "badge picture (PNG)")).click()
    picture = tmp_path / "badge.png"
    download.value.save_as(picture)

    stranger = new_page()
    stranger.goto("/verify/")
    stranger.get_by_label(said("en", "Credential file (JSON, JWT or badge picture)")).set_input_files(picture)
    stranger.get_by_label(said("en", "Email address or DID of the person (optional)")).fill(worker.user.email)
    stranger.get_by_role("button", name=said("en", "Check"), exact=True).click()
    expect(stranger.get_by_role("heading", name=said("en", "This badge is valid."))).to_be_visible()
    expect(
        stranger.get_by_text(said("en", "The badge was issued to %(person)s.", person=worker.user.email))
    ).to_be_visible()

    services.badge_revoke(award=award, by=assistant, reason="Copied answers")
    stranger.goto("/verify/")
    stranger.get_by_label(said("en", "Credential file (JSON, JWT or badge picture)")).set_input_files(picture)
    stranger.get_by_role("button", name=said("en", "Check"), exact=True).click()
    expect(stranger.get_by_role("heading", name=said("en", "This badge cannot be trusted."))).to_be_visible()
    expect(stranger.get_by_text(said("en", "Revoked"), exact=True)).to_be_visible()
