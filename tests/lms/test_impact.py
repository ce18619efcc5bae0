"""The impact report on small hand-made populations whose answers are worked out here."""

import gc
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assignment import services as assignment_services
from assignment.models import TaskType
from assignment.services.work_results import WorkResultIn
from lms import roles
from lms.impact import report as report_module
from lms.impact.data import Filters, Person
from lms.impact.fairness import gate_rates
from lms.impact.report import impact_report
from lms.models import Team
from lms.records.rollup import weekly_rollup
from lms.services import (
    ConsentNeeded,
    user_create,
    worker_consent_give,
    worker_consent_withdraw,
    worker_facts_save,
)

PAY = Decimal("0.0200")


def _figure(report, key):
    return next(f for s in report.sections for f in s.figures if f.key == key)


def _period() -> Filters:
    today = timezone.localdate()
    return Filters(start=today - timedelta(weeks=20), end=today)


@pytest.fixture
def tagging(db):
    return TaskType.objects.create(code="tagging", name="Tagging", pay_rate=PAY, currency="USD", tier=1)


@pytest.fixture
def population(make_worker, tagging):
    """Two teams of 12 at two sites. Every worker tags 100 tasks in 60 minutes in their first week
    (12 weeks ago) and 150 tasks in 60 minutes last week; each consents and says they earned 10 USD a
    month before joining; women are the first 8 of each team."""
    today = timezone.localdate()
    teams = [Team.objects.create(name="Tana"), Team.objects.create(name="Kolkata")]
    workers = []
    for t, (team, site) in enumerate(zip(teams, ["Antananarivo", "Kolkata"], strict=True)):
        for i in range(12):
            worker = make_worker(f"w{t}{i:02d}", team=team, site=site, joined_on=today - timedelta(weeks=20))
            worker_consent_give(worker=worker, by=None)
            worker_facts_save(
                worker=worker,
                answers={
                    "gender": "woman" if i < 8 else "man",
                    "employment_before": "unemployed" if i < 3 else "informal",
                    "income_before": Decimal("10"),
                    "income_currency": "USD",
                },
                by=None,
            )
            workers.append(worker)
    now = timezone.now()
    results = []
    for worker in workers:
        for weeks_ago, tasks in ((12, 100), (1, 150)):
            start = now - timedelta(weeks=weeks_ago)
            results.append(
                WorkResultIn(
                    id=f"{worker.external_id}-{weeks_ago}",
                    worker=worker.external_id,
                    task_type="tagging",
                    period_start=start,
                    period_end=start + timedelta(minutes=60),
                    tasks_completed=tasks,
                    minutes_worked=60,
                    accuracy=Decimal("0.9500"),
                )
            )
    assignment_services.work_results_ingest(results=results, now=now)
    weekly_rollup()
    return {"teams": teams, "workers": workers}


def test_people_and_earnings_figures(population):
    report = impact_report(filters=_period(), team_ids=None)
    assert _figure(report, "workers_active").value == 24
    assert _figure(report, "previously_unemployed").value == pytest.approx(6 / 24)
    assert _figure(report, "women").value == pytest.approx(16 / 24)
    # 150 tasks × 0.02 = 3.00 in an hour last week; 100 × 0.02 = 2.00 in the first: over both 5.00 / 2 h.
    per_hour = _figure(report, "earnings_per_hour:USD")
    assert per_hour.value == pytest.approx(2.5)
    assert per_hour.n == 24
    assert _figure(report, "earnings_change").value == pytest.approx(3.0 / 2.0 - 1)
    # The last four weeks earned 3.00: a month is 3.00 / 28 × 365.25 / 12 = 3.2612, against 10 before.
    assert _figure(report, "income_multiple").value == pytest.approx(3.0 / 28 * 365.25 / 12 / 10)


def test_a_filter_under_ten_workers_is_suppressed_everywhere(population, admin_client):
    population["workers"][0].site = "Toamasina"
    population["workers"][0].save(update_fields=["site"])
    report = impact_report(filters=Filters(**{**_period().__dict__, "site": "Toamasina"}), team_ids=None)
    figures = [f for s in report.sections for f in s.figures if f.value is not None]
    assert figures == []
    assert _figure(report, "workers_active").suppressed
    csv = admin_client.get(reverse("impact_csv"), {"site": "Toamasina"}).content.decode()
    assert "fewer than 10 workers" in csv
    assert "2.5" not in csv


def test_no_baseline_says_why(population):
    for worker in population["workers"]:
        worker_consent_withdraw(worker=worker, by=None)
    report = impact_report(filters=_period(), team_ids=None)
    multiple = _figure(report, "income_multiple")
    assert multiple.value is None
    assert multiple.missing == "no consenting workers with a baseline"
    assert _figure(report, "women").missing == "no consenting workers answered"


def test_withdrawing_consent_removes_the_answers_from_the_report(population):
    before = _figure(impact_report(filters=_period(), team_ids=None), "women")
    withdrawn = population["workers"][0]  # a woman
    worker_consent_withdraw(worker=withdrawn, by=withdrawn.user)
    after = _figure(impact_report(filters=_period(), team_ids=None), "women")
    assert (before.n, after.n) == (24, 23)
    assert after.value == pytest.approx(15 / 23)
    withdrawn.facts.refresh_from_db()
    assert (withdrawn.facts.gender, withdrawn.facts.income_before) == ("", None)
    assert [r.given for r in withdrawn.consent_records.all()] == [True, False]
    with pytest.raises(ConsentNeeded):
        worker_facts_save(worker=withdrawn, answers={"gender": "woman"}, by=None)


def test_adverse_impact_ratio_flags_a_known_gap():
    # 40 French readers pass 32 (0.8); 40 Malagasy readers pass 16 (0.4): ratio 0.5, flagged at n ≥ 30.
    def people(language, count, offset):
        return [
            Person(offset + i, None, "", language, timezone.localdate(), False, "", "", None, "")
            for i in range(count)
        ]

    french, malagasy = people("fr", 40, 0), people("mg", 40, 100)
    units = [(p, i < 32) for i, p in enumerate(french)] + [(p, i < 16) for i, p in enumerate(malagasy)]
    gate = gate_rates("first_pass", "First attempt", "language", lambda p: p.language, units, adverse=False)
    by_group = {g.group: g for g in gate.groups}
    assert by_group["fr"].reference
    assert by_group["mg"].ratio.value == pytest.approx(0.5)
    assert gate.flags == [by_group["mg"]]
    # The same gap on 20 a side is under 0.8 but not a flag: too few to say.
    small = [(p, i < 16) for i, p in enumerate(french[:20])] + [
        (p, i < 8) for i, p in enumerate(malagasy[:20])
    ]
    gate = gate_rates("first_pass", "First attempt", "language", lambda p: p.language, small, adverse=False)
    assert gate.flags == [] and {g.group: g for g in gate.groups}["mg"].below


def test_suspension_is_judged_on_staying_unsuspended():
    people = [
        Person(i, None, "A" if i < 40 else "B", "en", timezone.localdate(), False, "", "", None, "")
        for i in range(80)
    ]
    # A: 2 of 40 suspended (0.95 stay); B: 20 of 40 (0.5 stay): ratio 0.5 / 0.95.
    units = [(p, (p.id < 2) or (40 <= p.id < 60)) for p in people]
    gate = gate_rates("suspension", "Suspended", "site", lambda p: p.site, units, adverse=True)
    b = {g.group: g for g in gate.groups}["B"]
    assert b.ratio.value == pytest.approx(0.5 / 0.95)
    assert gate.flags == [b]


def test_manager_sees_only_their_team(population, client):
    manager = user_create(username="boss", email="boss@ladder.example", password="x", role=roles.MANAGERS)
    population["teams"][0].managers.add(manager)
    client.force_login(manager)
    page = client.get(reverse("impact"))
    assert page.status_code == 200
    assert page.context["report"].sections[0].figures[0].value == 12
    other = population["teams"][1].pk
    refused = client.get(reverse("impact"), {"team": other})
    assert refused.status_code == 400
    assert client.get(reverse("impact_csv"), {"team": other}).status_code == 400
    assert client.get(reverse("impact_pdf"), {"site": "Kolkata"}).status_code == 400  # not one of their sites


def test_workers_may_not_see_the_report(worker_client):
    assert worker_client.get(reverse("impact")).status_code == 403


def test_bad_period_is_a_field_error(admin_client, db):
    response = admin_client.get(reverse("impact"), {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "The end comes before the start." in response.content.decode()
    assert admin_client.get(reverse("impact"), {"cohort": "2026-13"}).status_code == 400


def test_the_report_reads_a_constant_number_of_queries(
    population, django_assert_max_num_queries, make_worker
):
    with django_assert_max_num_queries(16) as small:
        impact_report(filters=_period(), team_ids=None)
    for i in range(15):
        make_worker(f"extra{i}", team=population["teams"][0], site="Antananarivo")
    with django_assert_max_num_queries(len(small.captured_queries)):
        impact_report(filters=_period(), team_ids=None)


def test_pdf_is_a_real_document_with_its_charts(population, admin_client):
    import io

    from pypdf import PdfReader

    response = admin_client.get(reverse("impact_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    assert "Impact and fairness" in text and "Earnings per hour worked" in text


def test_api_needs_the_impact_scope(population, client, api_key):
    denied = client.get("/api/v1/impact", headers={"Authorization": f"Bearer {api_key('eligibility:read')}"})
    assert denied.status_code == 403
    key = api_key("impact:read")
    body = client.get("/api/v1/impact", headers={"Authorization": f"Bearer {key}"}).json()
    people = {f["key"]: f for f in body["sections"]["people"]}
    assert people["workers_active"]["value"] == 24
    bad = client.get("/api/v1/impact", {"start": "1900-01-01"}, headers={"Authorization": f"Bearer {key}"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "start"]


def test_a_first_placement_is_not_a_promotion(population):
    from careerpaths.models import CareerLevel, CareerPath, Promotion

    path = CareerPath.objects.create(name="Annotation", slug="annotation")
    trainee, annotator = (
        CareerLevel.objects.create(path=path, sort_order=i, slug=s, name=s.title())
        for i, s in enumerate(["trainee", "annotator"])
    )
    now = timezone.now()
    for i, worker in enumerate(population["workers"]):
        joined = now - timedelta(weeks=20)
        Promotion.objects.create(worker=worker, to_level=trainee, decision="automatic", decided_at=joined)
        if i < 12:  # the Tana team, fifteen weeks after joining
            Promotion.objects.create(
                worker=worker, from_level=trainee, to_level=annotator, decision="approved",
                decided_at=joined + timedelta(weeks=15),
            )  # fmt: skip
    report = impact_report(filters=_period(), team_ids=None)
    # Present 20 weeks + 1 day each (joined on the period's first day): 24 × 141 days of worker-years.
    years = 24 * 141 / 365.25
    assert _figure(report, "promotions_per_100_years").value == pytest.approx(12 / years * 100)
    assert _figure(report, f"days_at_level:{trainee.pk}").value == 105
    assert _figure(report, f"days_at_level:{trainee.pk}").n == 12
    assert not any(f.key == "days_at_level:0" for s in report.sections for f in s.figures)
    by_site = next(g for g in report.gates if g.key == "promotion" and g.dimension == "site")
    assert {g.group: g.hits for g in by_site.groups} == {"Antananarivo": 12, "Kolkata": 0}


def test_the_collector_is_paused_while_the_report_is_built_and_on_again_after(population, monkeypatch):
    seen = []
    real = report_module.impact_data

    def watched(**kwargs):
        seen.append(gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(report_module, "impact_data", watched)
    assert gc.isenabled()
    impact_report(filters=_period(), team_ids=None)
    assert seen == [False] and gc.isenabled()

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(report_module, "impact_data", broken)
    with pytest.raises(RuntimeError):
        impact_report(filters=_period(), team_ids=None)
    assert gc.isenabled()
    gc.disable()  # a caller that keeps it off finds it off
    try:
        monkeypatch.setattr(report_module, "impact_data", watched)
        impact_report(filters=_period(), team_ids=None)
        assert not gc.isenabled()
    finally:
        gc.enable()
