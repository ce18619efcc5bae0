"""The parts of `make bench` that run inside Django: `python -m bench.steps STEP [--quick]`.

Each step prints one JSON object on its last line; `bench.run` collects them into the table.
"""

import gzip
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from assessments import services as assessment_services  # noqa: E402
from assessments.models import Assessment, Attempt, BankQuestion  # noqa: E402
from assignment import services as assignment_services  # noqa: E402
from assignment.models import ApiClient, WebhookDelivery, WebhookEndpoint, WebhookEvent  # noqa: E402
from bench import client_bench, dataset, impact_bench, rollup_bench, scaling  # noqa: E402
from courses.models import LessonPage  # noqa: E402
from lms.models import LearningEvent, Team, WorkerProfile  # noqa: E402
from lms.services import worker_create  # noqa: E402

VAR = Path(__file__).parent / "var"
# What the load generator reads: one file per served database (bench.run sets BENCH_FIXTURES).
FIXTURES = Path(os.environ.get("BENCH_FIXTURES", VAR / "fixtures.json"))
USERS = 40  # logged-in sessions the load generator spreads its users over
LANGUAGE_LOADS = ("en", "fr", "bn")  # the translated lesson page, read in each of these
Kind = BankQuestion.Kind


def _session_for(user) -> str:
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "lms.backends.WorkerModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _save_data(attempt) -> dict:
    """A realistic autosave body: an answer for every question of the attempt."""
    data = {}
    for question in attempt.questions.all():
        name = f"q{question.position}"
        content = question.content
        if question.kind in (Kind.MULTIPLE, Kind.IMAGE_TAGGING):
            labels = content.get("labels") or [c["id"] for c in content.get("choices", [])]
            data[name] = labels[:1]
            data[f"{name}_present"] = "1"
        elif question.kind == Kind.BOUNDING_BOX:
            data.update({f"{name}_{p}": v for p, v in zip("xywh", ["10", "10", "30", "30"], strict=True)})
        elif question.kind in (Kind.SINGLE, Kind.TRUE_FALSE):
            choices = content.get("choices") or [{"id": "true"}]
            data[name] = choices[0]["id"]
        else:
            data[name] = "4"
    return data


def prepare(quick: bool) -> dict:
    """Migrate, build or reuse the data set, collect static files, and write what the load needs."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    scale = dataset.Scale.of(quick)
    started = time.perf_counter()
    dataset.build(scale, log=lambda message: print(message, file=sys.stderr))
    built = time.perf_counter() - started
    _write_fixtures()  # the load runs against this database
    return {
        "build_seconds": built,
        "workers": WorkerProfile.objects.count(),
        "events": LearningEvent.objects.count(),
    }


def _write_fixtures() -> None:
    """Logged-in sessions, open attempts, an API key and URLs for the load generator."""
    workers = list(
        WorkerProfile.objects.filter(external_id__startswith="bench-").select_related("user")[:USERS]
    )
    check = Assessment.objects.get(slug="image-tagging-check")
    # A fresh open attempt each run: a previous run's attempt has timed out by now and, closed as failed,
    # would hold the worker in the check's cool-down (the second of two runs in a row failed here).
    Attempt.objects.filter(worker__in=workers, assessment=check).delete()
    sessions, attempts = [], []
    for worker in workers:
        attempt = assessment_services.attempt_start(worker=worker, assessment=check)
        sessions.append(_session_for(worker.user))
        attempts.append({"id": attempt.pk, "data": _save_data(attempt)})
    manager = get_user_model().objects.get(username="bench-manager")
    team = Team.objects.get(name="Bench team 0")
    ApiClient.objects.filter(name="bench").delete()
    _, key = assignment_services.api_client_create(name="bench", scopes=["eligibility:read"])
    source = LessonPage.objects.live().filter(locale__language_code=settings.LANGUAGE_CODE)
    lessons = [page.url for page in source[:20]]
    # The demo's translated course, read by workers of each language (the same pages, the same URLs).
    translated = [page.url for page in source.filter(url_path__contains="/image-tagging-basics/")]
    by_language = {}
    for offset, language in enumerate(LANGUAGE_LOADS, start=1):
        readers = list(
            WorkerProfile.objects.filter(external_id__startswith="bench-")
            .select_related("user")
            .order_by("pk")[offset * USERS : (offset + 1) * USERS]
        )
        WorkerProfile.objects.filter(pk__in=[r.pk for r in readers]).update(language=language)
        by_language[language] = [_session_for(reader.user) for reader in readers]
    fixtures = {
        "sessions": sessions,
        "attempts": attempts,
        "manager_session": _session_for(manager),
        "team": team.pk,
        "team_size": team.workers.count(),
        "api_key": key,
        "workers": list(
            WorkerProfile.objects.filter(external_id__startswith="bench-").values_list(
                "external_id", flat=True
            )[:500]
        ),
        "lessons": lessons,
        "translated_lessons": translated,
        "sessions_by_language": by_language,
    }
    VAR.mkdir(exist_ok=True)
    FIXTURES.write_text(json.dumps(fixtures))


def rollup(quick: bool) -> dict:
    return rollup_bench.measure(dataset.Scale.of(quick).events)


def impact(quick: bool) -> dict:
    """The impact scorecard and its PDF for every worker of the data set (sites, facts and attempts added
    to it once)."""
    workers = dataset.impact_facts(log=lambda message: print(message, file=sys.stderr))
    return impact_bench.measure(workers)


def _client_for(session_key: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


THIRD_PARTY = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost|testserver)""")


def pages(quick: bool) -> dict:
    """Query counts of each measured page (on this data), lesson page weight, the largest fragment."""
    fixtures = json.loads(FIXTURES.read_text())
    worker = _client_for(fixtures["sessions"][0])
    manager = _client_for(fixtures["manager_session"])
    api = Client(headers={"Authorization": f"Bearer {fixtures['api_key']}"})
    attempt = fixtures["attempts"][0]
    targets = {
        "lesson page": lambda: worker.get(fixtures["lessons"][0]),
        "quiz answer save (htmx)": lambda: worker.post(
            reverse("attempt_save", args=[attempt["id"]]), attempt["data"], headers={"HX-Request": "true"}
        ),
        "eligibility API": lambda: api.get(f"/api/v1/workers/{fixtures['workers'][0]}/eligibility"),
        f"manager team week ({fixtures['team_size']} workers)": lambda: manager.get(
            f"/manage/?team={fixtures['team']}"
        ),
    }
    queries, sizes = {}, {}
    for name, call in targets.items():
        call()  # warm: renditions, caches
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert response.status_code in (200, 202), (name, response.status_code)
        queries[name] = len(captured)
        sizes[name] = len(response.content)
    weights = {}
    for language, sessions in fixtures["sessions_by_language"].items():
        reader = _client_for(sessions[0])
        url = fixtures["translated_lessons"][0]
        reader.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            response = reader.get(url)
        assert response.status_code == 200 and f'lang="{language}"'.encode() in response.content, language
        queries[f"lesson page, translated course, {language}"] = len(captured)
        weights[language] = len(gzip.compress(response.content, 6))
    lesson = worker.get(fixtures["lessons"][0])
    html = lesson.content
    assets = re.findall(rb"""(?:src|href)=["'](/static/[^"']+)["']""", html)
    css = js = 0
    for path in assets:
        body = b"".join(Client().get(path.decode()).streaming_content)
        size = len(gzip.compress(body, 6))
        if path.endswith(b".css"):
            css += size
        elif path.endswith(b".js"):
            js += size
    fragments = {
        "quiz answer save": sizes["quiz answer save (htmx)"],
        "lesson heartbeat": len(
            worker.post(
                reverse("lesson_heartbeat", args=[LessonPage.objects.live().first().pk]),
                headers={"HX-Request": "true"},
            ).content
        ),
    }
    html_size = len(gzip.compress(html, 6))
    return {
        "queries": queries,
        "lesson_html_gz": html_size,
        "lesson_css_gz": css,
        "lesson_js_gz": js,
        "lesson_total_gz": html_size + css + js,
        "lesson_requests": 1 + len(assets),
        "lesson_third_party": len(THIRD_PARTY.findall(html.decode())),
        "largest_fragment": max(fragments.values()),
        "translated_lesson_gz": weights,
        "fragments": fragments,
    }


class _Receiver(BaseHTTPRequestHandler):
    seen: dict[str, int] = {}
    lock = threading.Lock()

    def do_POST(self):  # noqa: N802 (the http.server API)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.lock:
            key = self.headers["webhook-id"]
            self.seen[key] = self.seen.get(key, 0) + 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def webhooks(quick: bool) -> dict:
    """Drain pending deliveries to a local receiver with two competing senders, as two workers would."""
    count = 1_000 if quick else 10_000
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    WebhookDelivery.objects.all().delete()
    WebhookEvent.objects.all().delete()
    WebhookEndpoint.objects.all().delete()
    endpoint = assignment_services.webhook_endpoint_create(url=f"http://127.0.0.1:{server.server_port}/hooks")
    for n in range(count):
        assignment_services.webhook_emit(
            type="eligibility.changed", data={"worker": f"bench-{n}", "version": n}
        )
    due = assignment_services.webhooks_due(limit=count)
    errors = []

    def sender(ids):
        from django.db import connection as thread_connection

        try:
            for delivery_id in ids:
                assignment_services.webhook_deliver(delivery_id=delivery_id)
        except Exception as error:  # reported in the table, not hidden
            errors.append(repr(error))
        finally:
            thread_connection.close()

    started = time.perf_counter()
    # Two senders walk the same list from both ends: each delivery is claimed once.
    threads = [
        threading.Thread(target=sender, args=(due,)),
        threading.Thread(target=sender, args=(due[::-1],)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    server.shutdown()
    delivered = WebhookDelivery.objects.filter(endpoint=endpoint, status="delivered").count()
    return {
        "deliveries": count,
        "delivered": delivered,
        "seconds": seconds,
        "per_second": delivered / seconds if seconds else 0,
        "duplicates": sum(n - 1 for n in _Receiver.seen.values() if n > 1),
        "errors": errors[:3],
    }


def redis_down(quick: bool) -> dict:
    """A worker asks a question while Redis is stopped (broker and cache on a closed port).

    The question and its learning event must be stored, and the page must answer at once; the
    notification to assistants waits for the periodic sweep.
    """
    fixtures = json.loads(FIXTURES.read_text())
    worker = _client_for(fixtures["sessions"][1])
    lesson = LessonPage.objects.live().first()
    before = LearningEvent.objects.filter(kind=LearningEvent.Kind.QUESTION_ASKED).count()
    started = time.perf_counter()
    response = worker.post(
        reverse("question_ask", args=[lesson.pk]),
        {"text": f"Is a shadow part of the object? ({time.time()})"},
    )
    seconds = time.perf_counter() - started
    kept = LearningEvent.objects.filter(kind=LearningEvent.Kind.QUESTION_ASKED).count() - before
    return {"status": response.status_code, "seconds": seconds, "events_kept": kept}


def client(quick: bool) -> dict:
    """Against the served product (BENCH_HOST): the lesson page on a phone, Lighthouse, dropped writes."""
    host = os.environ["BENCH_HOST"]
    fixtures = json.loads(FIXTURES.read_text())
    session, lesson = fixtures["sessions_by_language"]["en"][0], fixtures["translated_lessons"][0]
    name = f"bench-drops-{int(time.time())}"
    worker = worker_create(username=name, email=f"{name}@ladder.example", password=None, external_id=name)
    check = Assessment.objects.get(slug="image-tagging-check")
    attempt = assessment_services.attempt_start(worker=worker, assessment=check)
    return {
        "weights": client_bench.weights(host, session, lesson),
        # A quick run audits once (it is a check while working; the full run's median is the verdict).
        "lighthouse": client_bench.lighthouse(
            host, session, lesson, runs=1 if quick else client_bench.LIGHTHOUSE_RUNS
        ),
        "drops": client_bench.drops(
            host, _session_for(worker.user), worker, {"id": attempt.pk, "data": _save_data(attempt)}
        ),
    }


def scaling_curve(quick: bool) -> dict:
    """How cost grows with the data (a scratch database of its own: see bench.scaling)."""
    return scaling.measure(log=lambda message: print(message, file=sys.stderr))


STEPS = {
    "scaling": scaling_curve,
    "prepare": prepare,
    "rollup": rollup,
    "impact": impact,
    "pages": pages,
    "webhooks": webhooks,
    "redis_down": redis_down,
    "client": client,
}

if __name__ == "__main__":
    step = sys.argv[1]
    result = STEPS[step]("--quick" in sys.argv)
    print(json.dumps(result, default=str))
