import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from careerpaths.models import CareerStatus, Promotion
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_opens_the_team_week_approves_a_ready_worker_who_then_sees_the_level(new_page):
    call_command("seed_demo", workers=5, cohort=0, password="demo-pass-123")
    assert CareerStatus.objects.get(worker__external_id="ravi").ready

    page = new_page(1024, 900)
    log_in(page, "manager", "demo-pass-123")
    page.get_by_role("link", name="Your team's week").first.click()
    expect(page.get_by_role("heading", name="Antananarivo and Kolkata annotators")).to_be_visible()
    expect(
        page.get_by_role(
            "img", name="The team: learning (blue) and work (grey) minutes per week", exact=False
        )
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Ravi Kumar")
    row.get_by_role("link", name="ready for Senior annotator").click()

    expect(page.get_by_role("heading", name="Ravi Kumar")).to_be_visible()
    expect(page.get_by_text("Only your approval is missing.")).to_be_visible()
    page.get_by_label("Note to the worker (needed to decline)").fill("Steady learning and careful boxes.")
    page.get_by_role("button", name="Approve: Senior annotator").click()
    expect(page.get_by_text("Ravi Kumar is now Senior annotator.")).to_be_visible()
    promotion = Promotion.objects.get(worker__external_id="ravi", decision="approved")
    assert promotion.decided_by.username == "manager"

    worker_page = new_page()
    log_in(worker_page, "ravi", "demo-pass-123")
    expect(worker_page.get_by_role("heading", name="Your level: Senior annotator")).to_be_visible()
