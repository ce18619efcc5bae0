import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_filters_the_impact_report_to_a_site_sees_the_demo_flag_and_downloads_the_pdf(new_page):
    call_command("seed_demo", password="demo-pass-123")  # the full demo, with its cohort at two sites

    page = new_page(1024, 900)
    log_in(page, "admin", "demo-pass-123")
    page.get_by_role("link", name="Impact").click()
    expect(page.get_by_role("heading", name="Impact and fairness", exact=True)).to_be_visible()
    page.get_by_label("Site", exact=True).select_option("Antananarivo")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Site", exact=True)).to_have_value("Antananarivo")
    # The demo's French translations of "The tree" and "Fruit bowl" mislead: French readers pass the
    # bounding-box check at the first attempt far less often than Malagasy readers, and fail "Fruit bowl"
    # more often than readers of other languages with the same total score.
    flag = page.get_by_role("listitem").filter(
        has_text="First attempt passed: Bounding boxes practical check"
    )
    expect(flag.filter(has_text="Français at")).to_be_visible()
    dif = page.get_by_role("listitem").filter(has_text="Fruit bowl")
    expect(dif).to_contain_text("in Français, against the other languages")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    document = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in document.pages)
    assert len(document.pages) >= 2
    assert "Impact and fairness" in text and "Antananarivo" in text
    assert "Français" in text and "Accuracy per week" in text
    assert "Share of tasks done right" in text  # the trend chart's caption, under its SVG
