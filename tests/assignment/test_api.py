import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from assessments import services as assessment_services
from assignment import services
from assignment.api.schemas import EligibilityOut
from assignment.models import TaskType, WorkResult


def call(client: Client, method: str, path: str, key: str | None = None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    if body is None:
        return getattr(client, method)(f"/api/v1{path}", **headers)
    return getattr(client, method)(
        f"/api/v1{path}", data=json.dumps(body), content_type="application/json", **headers
    )


def test_keys_are_required_valid_unrevoked_and_scoped(client, task_types, api_key):
    assert call(client, "get", "/task-types").status_code == 401
    assert call(client, "get", "/task-types", "lk_wrong-key").json()["message"].startswith("A valid API key")
    writer = api_key("work-results:write")
    denied = call(client, "get", "/task-types", writer)
    assert denied.status_code == 403 and "eligibility:read" in denied.json()["message"]
    reader = api_key("eligibility:read")
    assert call(client, "get", "/task-types", reader).status_code == 200
    assert call(client, "post", "/work-results", reader, {"results": []}).status_code == 403

    from assignment.models import ApiClient

    services.api_client_revoke(client=ApiClient.objects.get(key_prefix=reader[:12]))
    assert call(client, "get", "/task-types", reader).status_code == 401


def test_keys_are_stored_only_as_hashes(api_key):
    from assignment.models import ApiClient

    key = api_key()
    stored = ApiClient.objects.get()
    # Only the prefix (to find the row) is kept in clear; the rest of the key is nowhere.
    secret = key[len(stored.key_prefix) :]
    assert len(secret) >= 20
    assert all(secret not in value for value in (stored.key_hash, stored.key_prefix, stored.name))
    assert stored.key_hash != key and len(stored.key_hash) == 64


def test_task_types_contract(client, task_types, api_key):
    body = call(client, "get", "/task-types", api_key()).json()
    assert body == [
        {
            "code": "image-tagging",
            "name": "Image tagging",
            "pay_rate": "0.0200",
            "currency": "USD",
            "pay_unit": "task",
            "required_badges": ["image-tagging"],
            "min_level": None,
        },
        {
            "code": "bounding-boxes",
            "name": "Bounding boxes",
            "pay_rate": "0.0300",
            "currency": "USD",
            "pay_unit": "task",
            "required_badges": ["bounding-boxes", "image-tagging"],
            "min_level": None,
        },
    ]


def test_worker_eligibility_contract(client, task_types, worker, entry_badge, assistant, api_key):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    key = api_key()
    response = call(client, "get", f"/workers/{worker.external_id}/eligibility", key)
    body = response.json()
    # Sent without a second validation: exactly the documented shape, typed as the API's other answers.
    assert EligibilityOut.model_validate(body).model_dump() == body
    assert response["Content-Type"] == call(client, "get", "/task-types", key)["Content-Type"]
    assert body == {
        "worker": "voahangy",
        "level": None,
        "task_types": [
            {"code": "image-tagging", "eligible": True, "missing": [], "suspended": False},
            {"code": "bounding-boxes", "eligible": False, "missing": ["bounding-boxes"], "suspended": False},
        ],
        "version": 2,
    }
    missing = call(client, "get", "/workers/nobody/eligibility", api_key())
    assert missing.status_code == 404 and missing.json() == {"message": "No worker with this external_id."}


def test_eligibility_tells_the_workers_level_and_version_from_the_stored_rows(
    client, task_types, worker, career_path, entry_badge, assistant, api_key, django_assert_max_num_queries
):
    path, key = f"/workers/{worker.external_id}/eligibility", api_key()
    call(client, "get", path, key)  # the key's first use is written down
    # The badge promotes the worker to the next level (automatic there) and changes what they may do.
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    worker.career.refresh_from_db()
    state = worker.eligibility_state
    state.refresh_from_db()
    with django_assert_max_num_queries(2):  # the key, then the stored rows with the version and level
        body = call(client, "get", path, key).json()
    assert body["level"] == worker.career.level.slug == "annotator"
    assert body["version"] == state.version > 0
    assert [t["code"] for t in body["task_types"] if t["eligible"]] == ["image-tagging"]


def test_eligibility_answers_types_added_or_retired_since_the_last_recompute(
    client, task_types, worker, entry_badge, assistant, api_key, django_assert_max_num_queries
):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    path, key = f"/workers/{worker.external_id}/eligibility", api_key()
    call(client, "get", path, key)  # the key's first use is written down
    with django_assert_max_num_queries(2):  # the key, then one query for the stored rows
        assert call(client, "get", path, key).status_code == 200

    # Created without the service (as a bulk load would): no stored row for the worker yet.
    TaskType.objects.bulk_create(
        [TaskType(code="audio-review", name="Audio review", pay_rate=Decimal("0.0100"), tier=1)]
    )
    TaskType.objects.filter(code="bounding-boxes").update(active=False)
    body = call(client, "get", path, key).json()

    assert body["version"] == 2
    assert body["task_types"] == [
        {"code": "audio-review", "eligible": True, "missing": [], "suspended": False},
        {"code": "image-tagging", "eligible": True, "missing": [], "suspended": False},
    ]


def test_eligible_workers_are_cursor_paginated(
    client, task_types, make_worker, entry_badge, assistant, api_key, monkeypatch
):
    from assignment.api import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    workers = [make_worker(f"w{n}") for n in range(5)]
    for worker in workers[:4]:
        assessment_services.badge_award(
            worker=worker, badge=entry_badge, by=assistant, reason="Prior learning"
        )
    key = api_key()
    seen, cursor = [], None
    for _ in range(5):
        path = "/task-types/image-tagging/eligible-workers" + (f"?cursor={cursor}" if cursor else "")
        page = call(client, "get", path, key).json()
        seen += page["workers"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["w0", "w1", "w2", "w3"]
    assert call(client, "get", "/task-types/nope/eligible-workers", key).status_code == 404
    assert (
        call(client, "get", "/task-types/image-tagging/eligible-workers?cursor=%%%", key).status_code == 422
    )


DAY = (timezone.now() - timedelta(days=2)).date().isoformat()


def good_item(who, n=1, **changes):
    item = {
        "id": f"wr-{n}",
        "worker": who.external_id,
        "task_type": "image-tagging",
        "period_start": f"{DAY}T08:00:00Z",
        "period_end": f"{DAY}T12:00:00Z",
        "tasks_completed": 120,
        "minutes_worked": 230,
        "accuracy": "0.97",
    }
    item.update(changes)
    return item


def test_work_results_accept_duplicate_and_conflict(client, task_types, worker, api_key):
    key = api_key("work-results:write")
    first = call(client, "post", "/work-results", key, {"results": [good_item(worker), good_item(worker, 2)]})
    assert first.status_code == 202 and first.json() == {"accepted": 2, "duplicates": 0}
    again = call(client, "post", "/work-results", key, {"results": [good_item(worker)]})
    assert again.status_code == 202 and again.json() == {"accepted": 0, "duplicates": 1}
    conflict = call(
        client,
        "post",
        "/work-results",
        key,
        {"results": [good_item(worker, 3), good_item(worker, accuracy="0.5")]},
    )
    assert conflict.status_code == 409 and "wr-1" in conflict.json()["message"]
    assert WorkResult.objects.count() == 2
    assert WorkResult.objects.get(result_id="wr-1").accuracy == Decimal("0.97")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"accuracy": "1.5"}, "accuracy"),
        ({"tasks_completed": -1}, "tasks_completed"),
        ({"worker": "ghost"}, "worker"),
        ({"task_type": "nope"}, "task_type"),
        ({"period_end": f"{DAY}T07:00:00Z"}, "period_end"),
        ({"period_start": "yesterday"}, "period_start"),
        ({"period_end": f"{DAY}T13:00:00"}, "period_end"),  # no UTC offset
        ({"period_end": "9999-12-31T00:00:00Z"}, "period_end"),  # in the future
        ({"period_start": "0001-01-01T00:00:00Z"}, "period_start"),  # long ago
        ({"period_start": f"{(timezone.now() - timedelta(days=40)).date()}T00:00:00Z"}, "period_end"),  # long
        ({"tasks_completed": "10"}, "tasks_completed"),
        ({"minutes_worked": True}, "minutes_worked"),
        ({"tasks_completed": 10.5}, "tasks_completed"),
        ({"accuracy": True}, "accuracy"),
        ({"id": "wr\u0000x"}, "id"),
    ],
)
def test_a_bad_item_rejects_the_batch_with_field_errors(change, field, client, task_types, worker, api_key):
    body = {"results": [good_item(worker), good_item(worker, 2, **change)]}
    response = call(client, "post", "/work-results", api_key("work-results:write"), body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(error["loc"][-2:] == [1, field] for error in errors), errors
    assert not WorkResult.objects.exists()


def test_openapi_document_and_docs(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/v1/task-types",
        "/api/v1/workers/{external_id}/eligibility",
        "/api/v1/task-types/{code}/eligible-workers",
        "/api/v1/work-results",
        "/api/v1/impact",
    }
    assert client.get("/api/v1/docs").status_code == 302  # staff only in production


def test_the_docs_are_for_staff_and_load_nothing_from_elsewhere(admin_client):
    html = admin_client.get("/api/v1/docs").content.decode()
    assert "swagger-ui-bundle.js" in html
    assert "http" not in html.replace("http://testserver", "")  # every asset from our own static files


def test_numbers_are_exact_and_bad_bodies_answer_json(client, task_types, worker, api_key):
    key = api_key("work-results:write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    item = json.dumps(good_item(worker)).replace('"accuracy": "0.97"', '"accuracy": 1e-9999')
    response = client.post("/api/v1/work-results", f'{{"results": [{item}]}}', "application/json", **headers)
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == "accuracy"
    for body in ('{"results": [', '{"results": NaN}', "\xff"):
        response = client.post("/api/v1/work-results", body, "application/json", **headers)
        assert response.status_code == 400 and response.json()["message"]
    assert not WorkResult.objects.exists()


def test_an_oversized_body_answers_json_413(client, api_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    key = api_key("work-results:write")
    body = json.dumps({"results": [{"id": "x" * 2000}]})
    response = client.post(
        "/api/v1/work-results", body, "application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code == 413 and "too large" in response.json()["message"]


def test_the_same_instant_with_another_offset_is_a_duplicate_not_a_conflict(
    client, task_types, worker, api_key
):
    key = api_key("work-results:write")
    assert call(client, "post", "/work-results", key, {"results": [good_item(worker)]}).status_code == 202
    shifted = good_item(worker, period_start=f"{DAY}T11:00:00+03:00", period_end=f"{DAY}T15:00:00+03:00")
    again = call(client, "post", "/work-results", key, {"results": [shifted]})
    assert again.status_code == 202 and again.json() == {"accepted": 0, "duplicates": 1}


def test_a_cursor_beyond_any_id_is_refused(client, task_types, api_key):
    import base64

    cursor = base64.urlsafe_b64encode(str(2**64).encode()).decode().rstrip("=")
    response = call(client, "get", f"/task-types/image-tagging/eligible-workers?cursor={cursor}", api_key())
    assert response.status_code == 422 and response.json()["message"]


def test_an_unexpected_error_in_the_api_answers_json_500(client, api_key, monkeypatch):
    from assignment import selectors

    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "task_types_public", broken)
    response = call(client, "get", "/task-types", api_key())
    assert response.status_code == 500 and response.json() == {
        "message": "Something went wrong on our side; try again."
    }
