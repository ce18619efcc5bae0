"""An admin records a worker's site, join day and — with the worker's consent, logged — their answers to
the impact questions; without consent nothing is kept."""

from datetime import date

from django.urls import reverse

from lms.models import ConsentRecord, WorkerFacts


def _post(client, worker, **data):
    return client.post(reverse("worker_facts_edit", args=[worker.pk]), data)


def test_an_admin_records_consent_and_answers(client, admin_user, worker):
    client.force_login(admin_user)
    edit = client.get(reverse("workerprofile:edit", args=[worker.pk])).content.decode()
    assert reverse("worker_facts_edit", args=[worker.pk]) in edit  # the header button
    assert client.get(reverse("worker_facts_edit", args=[worker.pk])).status_code == 200

    response = _post(
        client, worker, consent="on", gender="woman", employment_before="unemployed",
        income_before="120", income_currency="usd",
    )  # fmt: skip
    assert response.status_code == 302
    facts = WorkerFacts.objects.get(worker=worker)
    assert (facts.consent, facts.gender, facts.employment_before) == (True, "woman", "unemployed")
    assert (facts.income_before, facts.income_currency) == (120, "USD")
    record = ConsentRecord.objects.get(worker=worker)
    assert record.given and record.recorded_by == admin_user
    page = client.get(reverse("worker_facts_edit", args=[worker.pk])).content.decode()
    assert "recorded by" in page

    _post(client, worker)  # consent unticked: withdrawn, the answers erased
    facts.refresh_from_db()
    assert (facts.consent, facts.gender, facts.income_before) == (False, "", None)
    assert list(
        ConsentRecord.objects.filter(worker=worker).values_list("given", flat=True).order_by("at", "id")
    ) == [
        True,
        False,
    ]


def test_answers_without_consent_store_nothing(client, admin_user, worker):
    client.force_login(admin_user)
    response = _post(client, worker, gender="man", income_before="50", income_currency="MGA")
    assert response.status_code == 422
    assert "Record the worker&#x27;s consent first; nothing was saved." in response.content.decode()
    assert not WorkerFacts.objects.filter(worker=worker, consent=True).exists()
    assert not ConsentRecord.objects.exists()
    # Income without its currency is a field error, consent or not.
    response = _post(client, worker, consent="on", income_before="50")
    assert response.status_code == 422
    assert not ConsentRecord.objects.exists()


def test_only_those_who_may_change_facts_reach_them(client, assistant, worker):
    client.force_login(assistant)
    # Wagtail's admin answers a refusal by sending the user back to its home page with a message.
    for response in (
        client.get(reverse("worker_facts_edit", args=[worker.pk])),
        _post(client, worker, consent="on"),
    ):
        assert response.status_code in (302, 403) and "impact-questions" not in response.get("Location", "")
    assert not ConsentRecord.objects.exists()


def test_the_worker_form_bounds_the_join_day(client, admin_user, worker):
    client.force_login(admin_user)
    url = reverse("workerprofile:edit", args=[worker.pk])
    form = {
        "user": worker.user_id, "external_id": worker.external_id, "time_zone": worker.time_zone,
        "language": worker.language, "weekly_goal_minutes": "", "site": "Antananarivo",
    }  # fmt: skip
    response = client.post(url, {**form, "joined_on": "1985-06-01"})
    assert response.status_code == 200  # the form again, with the error
    assert "Choose a join day between 1 January 1990 and a year from today." in response.content.decode()
    response = client.post(url, {**form, "joined_on": "2025-06-01"})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert (worker.site, worker.joined_on) == ("Antananarivo", date(2025, 6, 1))
