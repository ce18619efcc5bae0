"""The reads made on every request are prepared on PostgreSQL (`lms.rows.prepared`), and answer as before."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import services as assessment_services
from assignment.models import ApiClient
from courses.models import LessonProgress, Question
from tests.assignment.test_api import call

ROOT = Path(__file__).resolve().parent.parent.parent


def prepared_statements() -> list[str]:
    """The statements this connection has prepared on the server."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def naming(table: str) -> list[str]:
    return [statement for statement in prepared_statements() if table in statement]


@pytest.mark.postgres
def test_the_api_reads_are_prepared_once_per_connection_and_answer_as_plain_reads(
    client, task_types, worker, entry_badge, assistant, api_key
):
    assessment_services.badge_award(worker=worker, badge=entry_badge, by=assistant, reason="Prior learning")
    path, key = f"/workers/{worker.external_id}/eligibility", api_key()
    assert naming("assignment_eligibility") == []

    first = call(client, "get", path, key)
    assert first.status_code == 200
    assert len(naming("assignment_eligibility")) == 1
    assert len(naming(ApiClient._meta.db_table)) == 1
    held = len(prepared_statements())

    assert call(client, "get", path, key).json() == first.json()
    assert call(client, "get", "/workers/nobody/eligibility", key).status_code == 404
    assert len(prepared_statements()) == held  # planned once: the same statements, whoever is asked about

    # Where queries are logged, the plain cursor: the log shows each statement with its values.
    with CaptureQueriesContext(connection) as logged:
        assert call(client, "get", path, key).json() == first.json()
    assert any(f"'{worker.external_id}'" in query["sql"] for query in logged.captured_queries)

    ApiClient.objects.filter(key_prefix=key[:12]).update(revoked_at=timezone.now())
    assert call(client, "get", path, key).status_code == 401  # a prepared read still reads what is stored


@pytest.mark.postgres
def test_the_lesson_pages_reads_are_prepared_and_show_the_workers_question(worker_client, worker, lessons):
    course = lessons[0].get_parent().specific
    LessonProgress.objects.create(worker=worker, lesson=lessons[0], course=course)
    Question.objects.create(worker=worker, lesson=lessons[0], course=course, text="Why do we tag shadows?")

    page = worker_client.get(lessons[0].url)
    assert page.status_code == 200 and "Why do we tag shadows?" in page.content.decode()
    for table in ("courses_lessonprogress", "courses_question", "lms_workerprofile"):
        assert len(naming(table)) == 1, table
    held = len(prepared_statements())
    assert worker_client.get(lessons[1].url).status_code == 200
    assert len(prepared_statements()) == held


@pytest.mark.postgres
def test_with_prepared_statements_off_nothing_is_prepared(client, task_types, worker, api_key, monkeypatch):
    options = {k: v for k, v in connection.settings_dict["OPTIONS"].items() if k != "prepare_threshold"}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    path, key = f"/workers/{worker.external_id}/eligibility", api_key()
    assert call(client, "get", path, key).json()["worker"] == worker.external_id
    assert naming("assignment_eligibility") == naming(ApiClient._meta.db_table) == []


def _options(database_url: str, setting: str | None) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lms.settings.base", "DATABASE_URL": database_url}
    env.pop("DATABASE_PREPARED_STATEMENTS", None)
    if setting is not None:
        env["DATABASE_PREPARED_STATEMENTS"] = setting
    code = (
        "from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('prepare_threshold'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_prepared_statements_are_on_for_postgresql_unless_turned_off():
    postgres = "postgres://ladder@127.0.0.1:5432/ladder"
    assert _options(postgres, None) == "0"
    assert _options(postgres, "off") == _options(postgres, "0") == "None"
    assert _options("sqlite:////tmp/ladder-settings-check.sqlite3", None) == "None"
