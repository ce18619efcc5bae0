"""Load for `make bench`: one user class per measured endpoint, on the sessions `bench.steps prepare` made.

Run headless by `bench.run`, one class at a time, against gunicorn on loopback.
"""

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, constant_throughput, task

# The sessions and URLs of the database being served (bench.run says which file).
FIXTURES = json.loads(Path(os.environ["BENCH_FIXTURES"]).read_text())
CSRF = "benchcsrfsecretbenchcsrfsecret12"  # 32 characters: a valid unmasked CSRF secret
_sessions = itertools.cycle(range(len(FIXTURES["sessions"])))
RATE = float(os.environ.get("BENCH_RATE", "0"))  # requests per second per user; 0: as fast as possible


def get_ok(client, url: str, name: str, **kwargs) -> None:
    """A GET that counts only as itself: a redirect (to the login page, say) is a failure, not followed."""
    with client.get(url, name=name, allow_redirects=False, catch_response=True, **kwargs) as response:
        if response.status_code != 200:
            response.failure(f"HTTP {response.status_code}")


def pacing():
    return constant_throughput(RATE) if RATE else (lambda user: 0)


class Worker(HttpUser):
    abstract = True
    wait_time = pacing()

    def on_start(self):
        self.index = next(_sessions)
        self.client.cookies.set("sessionid", FIXTURES["sessions"][self.index])
        self.client.cookies.set("csrftoken", CSRF)


class Bare(HttpUser):
    wait_time = pacing()

    @task
    def bare(self):
        get_ok(self.client, "/bench/bare/", "bare view")


class LessonPage(Worker):
    @task
    def lesson(self):
        get_ok(self.client, random.choice(FIXTURES["lessons"]), "lesson page")


class TranslatedLesson(HttpUser):
    """The demo's translated course, read by workers of one language (see `bench.steps`)."""

    abstract = True
    language = "en"
    wait_time = pacing()

    def on_start(self):
        sessions = FIXTURES["sessions_by_language"][self.language]
        self.client.cookies.set("sessionid", random.choice(sessions))

    @task
    def lesson(self):
        get_ok(self.client, random.choice(FIXTURES["translated_lessons"]), f"lesson page ({self.language})")


class LessonEnglish(TranslatedLesson):
    language = "en"


class LessonFrench(TranslatedLesson):
    language = "fr"


class LessonBengali(TranslatedLesson):
    language = "bn"


class QuizSave(Worker):
    @task
    def save(self):
        attempt = FIXTURES["attempts"][self.index]
        with self.client.post(
            f"/attempts/{attempt['id']}/save/",
            data=attempt["data"],
            headers={"HX-Request": "true", "X-CSRFToken": CSRF, "Referer": self.host + "/"},
            name="quiz answer save (htmx)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class EligibilityApi(HttpUser):
    wait_time = pacing()

    @task
    def eligibility(self):
        worker = random.choice(FIXTURES["workers"])
        get_ok(
            self.client,
            f"/api/v1/workers/{worker}/eligibility",
            "eligibility API",
            headers={"Authorization": f"Bearer {FIXTURES['api_key']}"},
        )


class TeamWeek(HttpUser):
    wait_time = pacing()

    def on_start(self):
        self.client.cookies.set("sessionid", FIXTURES["manager_session"])

    @task
    def team_week(self):
        get_ok(self.client, f"/manage/?team={FIXTURES['team']}", "manager team week")
