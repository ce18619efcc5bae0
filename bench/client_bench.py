"""What a worker's phone sees: the lesson page's weight cold and warm, Lighthouse, and dropped writes.

Run by `bench.steps` against the gunicorn `bench.run` serves (BENCH_HOST), with the system Chromium.
"""

import gzip
import json
import os
import random
import re
import statistics
import subprocess
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

import requests
from django.db.models import Sum
from django.utils import timezone
from playwright.sync_api import sync_playwright

from courses.models import LearningTime, LessonPage, Question
from lms.models import ClientWrite

CHROMIUM = "/usr/bin/chromium"
LIGHTHOUSE = Path(__file__).parent / "node_modules" / "lighthouse" / "cli" / "index.js"
TEXT = re.compile(r"text/|javascript|json|svg|xml")


def _wire_bytes(response) -> int:
    """What a response costs a phone: text compressed (as the proxy in front does), the rest as is."""
    body = response.body()
    kind = response.headers.get("content-type", "")
    return len(gzip.compress(body, 6)) if TEXT.search(kind) else len(body)


def weights(host: str, session: str, lesson: str) -> dict:
    """The lesson page opened twice on a phone: cold (nothing kept) and warm (the service worker's cache)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=host)
        context.add_cookies([{"name": "sessionid", "value": session, "url": host}])
        page = context.new_page()
        seen: list = []
        page.on("response", lambda r: r.request.method == "GET" and seen.append(r))
        page.goto(lesson, wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy pictures below the fold
        page.wait_for_load_state("networkidle")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        cold = [r for r in seen if not r.url.endswith("/sw.js")]
        cold_bytes = sum(_wire_bytes(r) for r in cold)
        seen.clear()
        page.goto(lesson, wait_until="networkidle")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        # The page itself is fetched from the network first (so it is never stale), through the service
        # worker; the rest should come from its cache.
        network = [r for r in seen if r.request.resource_type == "document" or not r.from_service_worker]
        network = [r for r in network if not r.url.endswith("/sw.js")]
        warm_bytes = sum(_wire_bytes(r) for r in network)
        images = sum(1 for r in cold if r.headers.get("content-type", "").startswith("image/"))
        browser.close()
    return {
        "cold_bytes": cold_bytes,
        "cold_requests": len(cold),
        "cold_images": images,
        "warm_bytes": warm_bytes,
        "warm_requests": len(network),
    }


LIGHTHOUSE_RUNS = 3
CSRF = "benchcsrfsecretbenchcsrfsecret12"  # a valid unmasked CSRF secret, as the load test sends


def lighthouse(host: str, session: str, lesson: str, runs: int = LIGHTHOUSE_RUNS) -> dict:
    """Lighthouse's mobile audit of the lesson page, run `runs` times as Lighthouse itself advises (its
    performance score is timed on a simulated phone, so one busy second moves it): performance is the
    median score, accessibility the lowest (every run must find nothing); scores 0–100, each run kept."""
    found = [_lighthouse_once(host, session, lesson) for _ in range(runs)]
    performance = [run["performance"] for run in found]
    accessibility = [run["accessibility"] for run in found]
    return {
        "performance": round(statistics.median(performance)),
        "performance_runs": performance,
        "accessibility": min(accessibility),
        "accessibility_runs": accessibility,
    }


def _lighthouse_once(host: str, session: str, lesson: str, attempts: int = 2) -> dict:
    """One audit, signed in as a phone is: the session and a CSRF cookie (Lighthouse sends the same Cookie
    header on every request, so without the CSRF cookie the page's own writes would be refused, queued and
    announced, and the audit would measure that). An audit that fails (Chromium did not start, the page
    did not settle) is run once more before the bench gives up, with Lighthouse's own words."""
    cookie = f"sessionid={session}; csrftoken={CSRF}"
    for _ in range(attempts):
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "lesson.json"
            command = [
                "node", str(LIGHTHOUSE), host + lesson, "--quiet", "--output=json", f"--output-path={report}",
                "--only-categories=performance,accessibility", "--form-factor=mobile",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                f"--extra-headers={json.dumps({'Cookie': cookie})}",
            ]  # fmt: skip
            env = {**os.environ, "CHROME_PATH": CHROMIUM}
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
            if done.returncode == 0:
                categories = json.loads(report.read_text())["categories"]
                return {
                    name: round(100 * categories[name]["score"]) for name in ("performance", "accessibility")
                }
    raise RuntimeError(f"Lighthouse failed {attempts} times; last: {done.stderr.strip()[-2000:]}")


def drops(host: str, session: str, worker, attempt: dict, count: int = 1000) -> dict:
    """A phone on a link that drops: writes are lost on the way out or on the way back, and each is sent
    again until it is answered. Counts what the server holds against what the phone made."""
    rng = random.Random(1000)
    http = requests.Session()
    http.cookies.set("sessionid", session)
    page = http.get(host + "/")
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page.text).group(1)
    headers = {"X-CSRFToken": token, "HX-Request": "true", "Referer": host + "/"}
    lesson = LessonPage.objects.live().first()
    start = timezone.now() - timedelta(days=3)
    writes = [(f"/lessons/{lesson.pk}/open/", start, {})]
    beats = questions = 0
    at = start + timedelta(seconds=31)
    while len(writes) < count:
        kind = rng.random()
        if kind < 0.7:
            writes.append((f"/lessons/{lesson.pk}/heartbeat/", at, {}))
            beats += 1
        elif kind < 0.72:
            writes.append(
                (f"/lessons/{lesson.pk}/questions/", at, {"text": f"Is this one tag? ({len(writes)})"})
            )
            questions += 1
        else:
            writes.append((f"/attempts/{attempt['id']}/save/", at, attempt["data"]))
        at += timedelta(seconds=rng.choice([31, 45, 61, 90, 120]))
    dropped = sent = 0
    before = _held(worker)
    for url, made, fields in writes:
        body = {**fields, "client_id": str(uuid.uuid4()), "client_time": str(int(made.timestamp() * 1000))}
        while True:
            fate = rng.random()
            if fate < 0.3:  # lost on the way out: nothing reached the server; the phone keeps it
                dropped += 1
                continue
            sent += 1
            response = http.post(host + url, data=body, headers=headers)
            if fate < 0.6:  # lost on the way back: the server may have applied it; the phone cannot know
                dropped += 1
                continue
            assert response.status_code < 300, (url, response.status_code, response.text[:200])
            break
    after = _held(worker)
    return {
        "writes": len(writes),
        "drops": dropped,
        "sent": sent,
        "applied_once": after["writes"] - before["writes"],
        "learning_seconds": after["seconds"] - before["seconds"],
        "expected_seconds": 30 * beats,
        "questions": after["questions"] - before["questions"],
        "expected_questions": questions,
    }


def _held(worker) -> dict:
    return {
        "writes": ClientWrite.objects.filter(worker=worker).count(),
        "seconds": LearningTime.objects.filter(worker=worker).aggregate(s=Sum("seconds"))["s"] or 0,
        "questions": Question.objects.filter(worker=worker).count(),
    }
