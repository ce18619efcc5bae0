"""The demo's people for the impact report: sites, join dates, consented facts, and a cohort big enough
for fairness figures (groups of 30 and more) at two sites.

The cohort is built so the report has something true to show: the French translations of two questions
mislead. "The tree" is half of the two-question bounding-box check, so French readers' first-attempt
pass rate there falls under four-fifths of the Malagasy readers' at Antananarivo (a gate flag); "Fruit
bowl" is one of the four questions of the tagging check, where French readers fail it far more often than
others with the same total score (a flag in item analysis; a check of two questions is too short for
that comparison).
"""

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import Assessment, Attempt, BadgeAward
from assignment import services as assignment_services
from assignment.models import Eligibility, WorkResult
from assignment.services.work_results import WorkResultIn
from lms.demo.answers import guess_answer, right_answer
from lms.models import Team, WorkerFacts, WorkerProfile
from lms.services import worker_consent_give, worker_create, worker_facts_save

SITES = {"Indian/Antananarivo": "Antananarivo", "Asia/Kolkata": "Kolkata"}
# (site, time zone, language, how many) of the cohort.
COHORT = [
    ("Antananarivo", "Indian/Antananarivo", "fr", 34),
    ("Antananarivo", "Indian/Antananarivo", "mg", 32),
    ("Kolkata", "Asia/Kolkata", "bn", 20),
    ("Kolkata", "Asia/Kolkata", "hi", 12),
    ("Kolkata", "Asia/Kolkata", "en", 4),
]
MISLEADING = {"The tree", "Fruit bowl"}  # badly translated into French
EMPLOYMENT = ["unemployed"] * 5 + ["informal"] * 3 + ["formal", "student"]


def facts_for(worker: WorkerProfile, rng: random.Random) -> None:
    """Site, join date and, for most, consent and answers (income in USD for most, some in MGA)."""
    if WorkerFacts.objects.filter(worker=worker).exists():
        return
    worker.site = SITES.get(worker.time_zone, "")
    worker.joined_on = timezone.localdate() - timedelta(days=rng.randint(120, 420))
    worker.save(update_fields=["site", "joined_on"])
    if rng.random() < 0.12:
        WorkerFacts.objects.create(worker=worker)
        return
    worker_consent_give(worker=worker, by=None)
    in_mga = rng.random() < 0.15
    income = None if rng.random() < 0.2 else Decimal(rng.randint(15, 70)) * (4000 if in_mga else 1)
    worker_facts_save(
        worker=worker,
        answers={
            "gender": "woman" if rng.random() < 0.7 else rng.choice(["man", "man", "self", "not_said"]),
            "gender_described": "",
            "employment_before": rng.choice(EMPLOYMENT),
            "income_before": income,
            "income_currency": ("MGA" if in_mga else "USD") if income is not None else "",
        },
        by=None,
    )


def cohort_teams() -> list[Team]:
    return [
        Team.objects.get_or_create(name=f"{site} cohort", defaults={"time_zone": tz})[0]
        for site, tz in (("Antananarivo", "Indian/Antananarivo"), ("Kolkata", "Asia/Kolkata"))
    ]


def cohort_workers(count: int) -> list[WorkerProfile]:
    """The cohort's workers (no login of their own: they stand for the company's other workers)."""
    teams = {team.time_zone: team for team in cohort_teams()}
    total = sum(spec[3] for spec in COHORT)
    workers, n = [], 0
    for site, tz, language, share in COHORT:
        for _ in range(round(share * count / total)):
            n += 1
            username = f"cohort{n:03d}"
            worker = WorkerProfile.objects.filter(user__username=username).first() or worker_create(
                username=username,
                email=f"{username}@ladder.example",
                password=None,
                external_id=username,
                team=teams[tz],
                time_zone=tz,
                language=language,
                site=site,
            )
            workers.append(worker)
    return workers


def _answers(attempt: Attempt, *, skill: float, language: str, rng: random.Random) -> dict[int, object]:
    """The worker's answers. Each question gets random numbers of its own, from the demo's seed, the worker
    and the question: the check draws and shuffles its questions anew for every attempt, and the demo's
    findings (the flagged French translations) must not depend on that draw."""
    base = rng.random()
    answers = {}
    for question in attempt.questions.select_related("source"):
        own = random.Random(f"{base}:{attempt.worker.external_id}:{question.source_id}")
        misleads = language == "fr" and question.source is not None and question.source.title in MISLEADING
        chance = 0.1 if misleads else skill
        answers[question.position] = (
            right_answer(question) if own.random() < chance else guess_answer(question, own)
        )
    return answers


def cohort_checks(workers: list[WorkerProfile], checks: dict[str, Assessment], rng: random.Random) -> None:
    """Each cohort worker takes the tagging and bounding-box checks once, some weeks ago."""
    for worker in workers:
        if Attempt.objects.filter(worker=worker).exists():
            continue
        skill = rng.uniform(0.6, 1.0)
        when = timezone.now() - timedelta(days=rng.randint(40, 80))
        for course in ("image-tagging-basics", "bounding-boxes"):
            attempt = assessment_services.attempt_start(worker=worker, assessment=checks[course], now=when)
            answers = _answers(attempt, skill=skill, language=worker.language, rng=rng)
            assessment_services.attempt_submit(
                worker=worker, attempt_id=attempt.pk, responses=answers, now=when
            )
            when += timedelta(days=rng.randint(1, 5))


def unlock_times_from_awards(workers: list[WorkerProfile]) -> None:
    """The demo's history is written today: date each unlock back to the award that opened it."""
    awarded = {
        row["worker_id"]: row["last"]
        for row in BadgeAward.objects.filter(worker__in=workers)
        .values("worker_id")
        .annotate(last=Max("awarded_at"))
    }
    for row in Eligibility.objects.filter(worker__in=workers, first_unlocked_at__isnull=False).select_related(
        "task_type"
    ):
        when = awarded.get(row.worker_id)
        if when is not None and when < row.first_unlocked_at:
            Eligibility.objects.filter(pk=row.pk).update(first_unlocked_at=when)


def cohort_earlier_work(workers: list[WorkerProfile], rng: random.Random, weeks: int = 12) -> None:
    """A result a week for each cohort worker and each work they had unlocked, from `weeks` weeks ago
    until the daily results begin (three weeks ago), through the bridge's intake: enough history for
    the report's change in earnings per hour, which grows as workers get faster with practice."""
    ids = [w.pk for w in workers if not WorkResult.objects.filter(worker=w).exists()]
    unlocked: dict = defaultdict(list)
    for worker_id, code, at in Eligibility.objects.filter(
        worker_id__in=ids, eligible=True, first_unlocked_at__isnull=False
    ).values_list("worker_id", "task_type__code", "first_unlocked_at"):
        unlocked[worker_id].append((code, at))
    external = dict(WorkerProfile.objects.filter(pk__in=ids).values_list("pk", "external_id"))
    now = timezone.now()
    for week in range(weeks, 3, -1):
        start_of_week = now - timedelta(weeks=week)
        batch = []
        for worker_id in ids:
            for code, at in unlocked[worker_id]:
                if at > start_of_week:
                    continue
                practice = (start_of_week - at).days / 7  # weeks since the unlock
                minutes = rng.randint(240, 600)
                per_minute = rng.uniform(1.2, 1.6) * (1 + 0.05 * min(practice, 10))
                start = start_of_week + timedelta(days=rng.randint(0, 4), hours=rng.randint(0, 8))
                batch.append(
                    WorkResultIn(
                        id=f"demo-{external[worker_id]}-{code}-w{week}",
                        worker=external[worker_id],
                        task_type=code,
                        period_start=start,
                        period_end=start + timedelta(minutes=minutes),
                        tasks_completed=round(minutes * per_minute),
                        minutes_worked=minutes,
                        accuracy=Decimal(str(round(rng.uniform(0.91, 0.99), 4))),
                    )
                )
        if batch:
            assignment_services.work_results_ingest(results=batch, now=max(r.period_end for r in batch))
