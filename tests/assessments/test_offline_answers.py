"""Skill-check answers a page kept while the connection was down, sent when it came back."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from assessments import services
from lms.models import ClientWrite
from tests.assessments.fixtures import form_data

T0 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}


def stamped(at: datetime, data: dict, client_id: uuid.UUID | None = None) -> dict:
    return {
        **data,
        "client_id": str(client_id or uuid.uuid4()),
        "client_time": str(int(at.timestamp() * 1000)),
    }


@pytest.fixture
def timed(worker, make_assessment, time_machine):
    """A ten-minute check with 30 s of grace, started at T0."""
    time_machine.move_to(T0, tick=False)
    assessment = make_assessment(time_limit_minutes=10, grace_seconds=30)
    return services.attempt_start(worker=worker, assessment=assessment)


def saved(attempt) -> dict:
    return {q.position: q.response for q in attempt.questions.all() if q.response is not None}


def test_an_answer_given_in_time_and_arriving_within_the_grace_counts(worker_client, timed, time_machine):
    time_machine.move_to(T0 + timedelta(minutes=10, seconds=20), tick=False)

    response = worker_client.post(
        f"/attempts/{timed.pk}/save/", stamped(T0 + timedelta(minutes=9), form_data(timed)), **HTMX
    )

    assert response.status_code == 200
    assert len(saved(timed)) == timed.questions.count()
    assert {q.answered_at for q in timed.questions.all()} == {T0 + timedelta(minutes=9)}


def test_an_answer_given_after_the_deadline_is_refused_within_the_grace(worker_client, timed, time_machine):
    time_machine.move_to(T0 + timedelta(minutes=10, seconds=20), tick=False)

    response = worker_client.post(
        f"/attempts/{timed.pk}/save/",
        stamped(T0 + timedelta(minutes=10, seconds=5), form_data(timed)),
        **HTMX,
    )

    assert response.status_code == 409
    assert "Time was up when you gave this answer" in response.content.decode()
    assert saved(timed) == {}
    assert not ClientWrite.objects.filter(kind="answer_save").exists()


def test_an_answer_given_in_time_but_arriving_after_the_grace_is_refused(worker_client, timed, time_machine):
    time_machine.move_to(T0 + timedelta(minutes=10, seconds=31), tick=False)

    response = worker_client.post(
        f"/attempts/{timed.pk}/save/", stamped(T0 + timedelta(minutes=2), form_data(timed)), **HTMX
    )

    assert response.status_code == 409
    assert "Time is up" in response.content.decode()
    assert saved(timed) == {}


def test_an_older_copy_never_undoes_a_later_answer(worker_client, timed, time_machine):
    time_machine.move_to(T0 + timedelta(minutes=5), tick=False)
    first = {key: value for key, value in form_data(timed).items() if key.split("_")[0] == "q1"}
    url = f"/attempts/{timed.pk}/save/"

    assert worker_client.post(url, stamped(T0 + timedelta(minutes=4), first), **HTMX).status_code == 200
    assert worker_client.post(url, stamped(T0 + timedelta(minutes=3), first), **HTMX).status_code == 200

    question = timed.questions.get(position=1)
    assert question.response is not None
    assert question.answered_at == T0 + timedelta(minutes=4)  # the copy made at 9:03 changed nothing


def test_the_same_answers_sent_twice_are_saved_once(worker_client, timed, time_machine):
    time_machine.move_to(T0 + timedelta(minutes=5), tick=False)
    write = stamped(T0 + timedelta(minutes=4), form_data(timed))

    assert worker_client.post(f"/attempts/{timed.pk}/save/", write, **HTMX).status_code == 200
    assert worker_client.post(f"/attempts/{timed.pk}/save/", write, **HTMX).status_code == 204
    assert ClientWrite.objects.filter(kind="answer_save").count() == 1


def test_a_copy_for_another_workers_attempt_is_a_404(client, make_worker, timed):
    other = make_worker("other")
    client.force_login(other.user)

    response = client.post(f"/attempts/{timed.pk}/save/", stamped(T0, form_data(timed)), **HTMX)

    assert response.status_code == 404
    assert saved(timed) == {}


def test_a_copy_for_a_finished_attempt_is_refused_with_words(worker_client, timed, time_machine):
    time_machine.move_to(T0 + timedelta(minutes=5), tick=False)
    services.attempt_submit(worker=timed.worker, attempt_id=timed.pk, responses={})

    response = worker_client.post(f"/attempts/{timed.pk}/save/", stamped(T0, form_data(timed)), **HTMX)

    assert response.status_code == 409
    assert "already finished" in response.content.decode()
