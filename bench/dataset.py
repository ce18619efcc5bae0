"""The benchmark's data: thousands of workers in many teams and time zones, a million learning events.

Built once through the product's models (bulk inserts) on top of the demo, and reused while the
database holds it. Everything is seeded, so two builds give the same data.
"""

import random
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, Attempt, AttemptQuestion, BadgeAward, SkillBadge
from assignment.models import Eligibility, TaskType, WorkerEligibility, WorkResult
from assignment.rules import evaluate
from courses.models import CourseIndexPage, CoursePage, LessonPage
from lms import roles
from lms.models import LearningEvent, Team, WorkerFacts, WorkerProfile

ZONES = ["Indian/Antananarivo", "Asia/Kolkata", "Africa/Nairobi", "Asia/Manila", "America/Lima"]
PASSWORD = "bench-password-1"  # noqa: S105 (the synthetic logins of a local benchmark)
WEEKS = 12
Kind = LearningEvent.Kind


@dataclass(frozen=True)
class Scale:
    workers: int
    teams: int
    events: int
    lessons: int

    @classmethod
    def of(cls, quick: bool) -> "Scale":
        return cls(500, 5, 100_000, 50) if quick else cls(5_000, 50, 1_000_000, 50)


def ready(scale: Scale) -> bool:
    return (
        WorkerProfile.objects.filter(external_id__startswith="bench-").count() >= scale.workers
        and LearningEvent.objects.count() >= scale.events
    )


def build(scale: Scale, log=print) -> None:
    if ready(scale):
        log(f"data set present: {scale.workers} workers, {LearningEvent.objects.count():,} events")
        return
    rng = random.Random(2026)
    call_command("seed_demo", workers=3, cohort=0, password=PASSWORD, verbosity=0)
    lessons = _lessons(scale.lessons, log)
    workers = _workers(scale, log)
    _events(scale, workers, lessons, rng, log)
    _badges_and_work(workers, rng, log)
    log("data set built")


def _lessons(count: int, log) -> list[int]:
    catalogue = CourseIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    n = 0
    while LessonPage.objects.count() < count:
        n += 1
        course = CoursePage(
            title=f"Bench course {n}", slug=f"bench-course-{n}", summary="Practice.", skill="Practice"
        )
        catalogue.add_child(instance=course)
        course.save_revision().publish()
        for m in range(5):
            lesson = LessonPage(
                title=f"Bench lesson {n}.{m}",
                slug=f"lesson-{m}",
                summary="A short lesson.",
                body=[("text", "<p>" + "Read the guideline, then try it on the next task. " * 20 + "</p>")],
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
    log(f"{LessonPage.objects.count()} lessons")
    return list(LessonPage.objects.live().values_list("pk", flat=True))


@transaction.atomic
def _workers(scale: Scale, log) -> list[WorkerProfile]:
    """Workers in teams of equal size (the first team of 100 has `bench-manager`), one login hash for all."""
    existing = list(WorkerProfile.objects.filter(external_id__startswith="bench-"))
    if len(existing) >= scale.workers:
        return existing
    password = make_password(PASSWORD)
    User = get_user_model()
    teams = [Team.objects.get_or_create(name=f"Bench team {n}")[0] for n in range(scale.teams)]
    manager = User.objects.filter(username="bench-manager").first() or User.objects.create(
        username="bench-manager", email="bench-manager@ladder.example", password=password
    )
    manager.groups.add(Group.objects.get(name=roles.MANAGERS))
    teams[0].managers.add(manager)
    User.objects.bulk_create(
        User(username=f"bench-{n}", email=f"bench-{n}@ladder.example", password=password)
        for n in range(scale.workers)
    )
    users = list(
        User.objects.filter(username__startswith="bench-").exclude(username="bench-manager").order_by("pk")
    )
    workers_group = Group.objects.get(name=roles.WORKERS)
    Through = User.groups.through
    Through.objects.bulk_create(Through(user_id=u.pk, group_id=workers_group.pk) for u in users)
    per_team = scale.workers // scale.teams
    WorkerProfile.objects.bulk_create(
        WorkerProfile(
            user=user,
            external_id=user.username,
            team=teams[min(n // per_team, len(teams) - 1)],
            time_zone=ZONES[n % len(ZONES)],
        )
        for n, user in enumerate(users)
    )
    log(f"{len(users)} workers in {len(teams)} teams")
    return list(WorkerProfile.objects.filter(external_id__startswith="bench-").order_by("pk"))


def _events(scale: Scale, workers: list[WorkerProfile], lessons: list[int], rng: random.Random, log) -> None:
    add_events(scale.events - LearningEvent.objects.count(), [w.pk for w in workers], lessons, rng, log)
    log(f"{LearningEvent.objects.count():,} learning events")


def add_events(count: int, workers: list[int], lessons: list[int], rng: random.Random, log=None) -> None:
    """Learning over the last 12 weeks: mostly heartbeats of active time, with opens and completions."""
    now = timezone.now()
    span = int(timedelta(weeks=WEEKS).total_seconds())
    batch = []
    kinds = [Kind.LESSON_OPENED, Kind.LESSON_COMPLETED, Kind.ATTEMPT_SUBMITTED, Kind.QUESTION_ASKED]
    for n in range(count):
        worker_id = workers[rng.randrange(len(workers))]
        at = now - timedelta(seconds=rng.randrange(span))
        kind = Kind.LEARNING_TIME if rng.random() < 0.9 else rng.choice(kinds)
        batch.append(
            LearningEvent(
                worker_id=worker_id,
                kind=kind,
                occurred_at=at,
                seconds=30 if kind == Kind.LEARNING_TIME else 0,
                subject_id=rng.choice(lessons),
            )
        )
        if len(batch) == 20_000:
            LearningEvent.objects.bulk_create(batch)
            batch = []
            if log and n % 200_000 < 20_000:
                log(f"  {n + 1:,} events")
    LearningEvent.objects.bulk_create(batch)


@transaction.atomic
def _badges_and_work(workers: list[WorkerProfile], rng: random.Random, log) -> None:
    """Most workers hold the entry badge, some the box badge; eligibility stored; weekly work results."""
    entry, boxes = SkillBadge.objects.get(slug="image-tagging"), SkillBadge.objects.get(slug="bounding-boxes")
    now = timezone.now()
    awards = []
    held: dict[int, set[str]] = {}
    for worker in workers:
        slugs = set()
        if rng.random() < 0.8:
            slugs.add(entry.slug)
            if rng.random() < 0.4:
                slugs.add(boxes.slug)
        held[worker.pk] = slugs
        for badge in (entry, boxes):
            if badge.slug in slugs:
                awards.append(
                    BadgeAward(
                        worker_id=worker.pk,
                        badge=badge,
                        awarded_at=now - timedelta(days=rng.randint(20, 80)),
                        recipient_salt=secrets.token_hex(8),
                    )
                )
    BadgeAward.objects.bulk_create(awards, batch_size=5000)
    task_types = list(
        TaskType.objects.filter(active=True).select_related("min_level").prefetch_related("required_badges")
    )
    rows, results = [], []
    for worker in workers:
        for task_type in task_types:
            verdict = evaluate(task_type, held=held[worker.pk], suspended_ids=set())
            rows.append(
                Eligibility(
                    worker_id=worker.pk,
                    task_type=task_type,
                    eligible=verdict.eligible,
                    missing=verdict.missing,
                    suspended=False,
                    version=1,
                )
            )
            if verdict.eligible:
                for week in range(WEEKS):
                    end = now - timedelta(weeks=week, hours=rng.randint(1, 100))
                    results.append(
                        WorkResult(
                            result_id=f"bench-{worker.pk}-{task_type.code}-{week}",
                            worker_id=worker.pk,
                            task_type=task_type,
                            period_start=end - timedelta(hours=3),
                            period_end=end,
                            tasks_completed=rng.randint(50, 300),
                            minutes_worked=rng.randint(60, 180),
                            accuracy=Decimal(str(round(rng.uniform(0.86, 0.99), 4))),
                            body_hash="bench",
                            received_at=end + timedelta(minutes=rng.randint(5, 90)),
                        )
                    )
    Eligibility.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    WorkerEligibility.objects.bulk_create(
        [WorkerEligibility(worker_id=w.pk, version=1) for w in workers],
        batch_size=5000,
        ignore_conflicts=True,
    )
    WorkResult.objects.bulk_create(results, batch_size=5000)
    log(f"{len(awards):,} badges, {len(rows):,} eligibility rows, {len(results):,} work results")


SITES = {"Indian/Antananarivo": "Antananarivo", "Asia/Kolkata": "Kolkata", "Africa/Nairobi": "Nairobi"}
LANGUAGES = ["en", "fr", "mg", "bn", "hi", "sw"]
EMPLOYMENT = ["unemployed", "unemployed", "informal", "formal", "student"]


@transaction.atomic
def impact_facts(log=print) -> int:
    """What the impact report reads beyond learning and work: sites, join days and languages, consented
    facts for three in four workers, first unlock times, and a first attempt at the tagging check with its
    four questions (for the first-pass gates and the language comparison). Added once; seeded."""
    workers = list(WorkerProfile.objects.filter(external_id__startswith="bench-").order_by("pk"))
    if WorkerFacts.objects.filter(worker__in=workers[:1]).exists():
        return len(workers)
    rng = random.Random(14)
    today = timezone.localdate()
    for worker in workers:
        worker.site = SITES.get(worker.time_zone, "Manila")
        worker.language = rng.choice(LANGUAGES)
        worker.joined_on = today - timedelta(days=rng.randint(30, 720))
    WorkerProfile.objects.bulk_update(workers, ["site", "language", "joined_on"], batch_size=2000)
    facts = []
    for worker in workers:
        if rng.random() < 0.75:
            currency = rng.choice(["USD", "USD", "MGA", "INR"])
            facts.append(
                WorkerFacts(
                    worker=worker,
                    consent=True,
                    gender=rng.choice(["woman", "woman", "woman", "man", "not_said"]),
                    employment_before=rng.choice(EMPLOYMENT),
                    income_before=Decimal(rng.randint(30, 200)) * (4000 if currency == "MGA" else 1),
                    income_currency=currency,
                )  # fmt: skip
            )
        else:
            facts.append(WorkerFacts(worker=worker))
    WorkerFacts.objects.bulk_create(facts, batch_size=2000)
    awarded = dict(BadgeAward.objects.filter(worker__in=workers).values_list("worker_id", "awarded_at"))
    rows = list(Eligibility.objects.filter(worker__in=workers, eligible=True))
    for row in rows:
        row.first_unlocked_at = awarded.get(row.worker_id, timezone.now() - timedelta(days=200))
    Eligibility.objects.bulk_update(rows, ["first_unlocked_at"], batch_size=5000)
    check = Assessment.objects.get(slug="image-tagging-check")
    sources = list(check.bank.questions.order_by("pk")[:4])
    attempts = []
    taken = set(Attempt.objects.filter(assessment=check).values_list("worker_id", flat=True))
    for worker in workers:
        if worker.pk in taken:  # the load's open attempts
            continue
        right = [rng.random() < 0.85 for _ in sources]
        score = Decimal(100 * sum(right) / len(sources))
        at = timezone.now() - timedelta(days=rng.randint(10, 170))
        attempts.append(
            (
                Attempt(
                    worker=worker, assessment=check, number=1, status=Attempt.Status.SUBMITTED, started_at=at,
                    finished_at=at + timedelta(minutes=6), pass_mark=75, points_earned=sum(right),
                    points_possible=len(sources), score=score, passed=score >= 75, language=worker.language,
                ),
                right,
            )
        )  # fmt: skip
    Attempt.objects.bulk_create([a for a, _ in attempts], batch_size=2000)
    AttemptQuestion.objects.bulk_create(
        (
            AttemptQuestion(
                attempt=attempt,
                position=n + 1,
                source=source,
                kind=source.kind,
                points=1,
                content={},
                key={},
                fraction=1.0 if ok else 0.0,
            )  # fmt: skip
            for attempt, right in attempts
            for n, (source, ok) in enumerate(zip(sources, right, strict=True))
        ),
        batch_size=5000,
    )
    log(f"impact facts for {len(workers)} workers, {len(attempts)} first attempts")
    return len(workers)
