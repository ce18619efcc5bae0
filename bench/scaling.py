"""How cost grows (DESIGN.md §8): the rollup at 100k, 1M and 5M learning events; the manager's team week
for teams of 10, 100 and 1,000 workers; the eligibility API with 1k, 10k and 100k workers.

Run by `bench.steps scaling` on a scratch database of its own (built from the migrations and the demo
each run, then grown step by step), served in-process by Django's test client: these are latencies
of the product's code and database at each size, not of the network. Each size's figure is the median
of its runs; the growth is the exponent k of the fitted power law (time ∝ size^k): about 0 is
constant, 1 linear; above bench.limits.GROWTH_LIMIT is flagged as worse than linear.
"""

import math
import random
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assignment import services as assignment_services
from assignment.models import Eligibility, TaskType, WorkerEligibility
from bench import dataset
from bench.rollup_bench import timed
from careerpaths.models import CareerLevel, CareerStatus
from courses.models import LessonPage
from lms import roles
from lms.models import LearningEvent, RollupWatermark, Team, WeeklyRecord, WorkerProfile
from lms.portal import team_week_cache
from lms.records.rollup import weekly_rollup

ZONES = ["Indian/Antananarivo", "Asia/Kolkata", "Africa/Nairobi", "Asia/Manila", "America/Lima"]
ROLLUP_EVENTS = (100_000, 1_000_000, 5_000_000)
ROLLUP_WORKERS = 5_000  # as the budget's data set: the events grow, the workers do not
TEAM_SIZES = (10, 100, 1_000)
API_WORKERS = (1_000, 10_000, 100_000)
UNUSABLE = "!"  # noqa: S105 (no one signs in with a password here: the client signs in by force_login)


def growth(sizes: list[int], seconds: list[float]) -> float:
    """The exponent k of time ∝ size^k, fitted by least squares on logarithms."""
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-9)) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


@transaction.atomic
def _add_workers(start: int, end: int, team: Team | None = None) -> list[int]:
    """Workers start..end-1 (users, profiles, a career status), stored eligibility for every task type."""
    User = get_user_model()
    User.objects.bulk_create(
        (
            User(username=f"scale-{n}", email=f"scale-{n}@ladder.example", password=UNUSABLE)
            for n in range(start, end)
        ),
        batch_size=5_000,
    )
    users = User.objects.filter(username__startswith="scale-", worker__isnull=True, is_staff=False)
    users = users.exclude(username="scale-manager").order_by("pk")
    WorkerProfile.objects.bulk_create(
        (
            WorkerProfile(user_id=pk, external_id=username, team=team, time_zone=ZONES[pk % len(ZONES)])
            for pk, username in users.values_list("pk", "username")
        ),
        batch_size=5_000,
    )
    ids = list(
        WorkerProfile.objects.filter(external_id__startswith="scale-", eligibility_state__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    task_types = list(TaskType.objects.filter(active=True))
    Eligibility.objects.bulk_create(
        (
            Eligibility(
                worker_id=pk, task_type=t, eligible=t.tier == 1, missing=[], suspended=False, version=1
            )
            for pk in ids
            for t in task_types
        ),
        batch_size=5_000,
    )
    WorkerEligibility.objects.bulk_create(
        (WorkerEligibility(worker_id=pk, version=1) for pk in ids), batch_size=5_000
    )
    level = CareerLevel.objects.order_by("path", "sort_order").first()
    CareerStatus.objects.bulk_create(
        (CareerStatus(worker_id=pk, path_id=level.path_id, level=level) for pk in ids), batch_size=5_000
    )
    return ids


def eligibility_api(log) -> dict:
    """The API's answer for one worker, as the number of workers grows: median and p95 of 300 calls."""
    _, key = assignment_services.api_client_create(name="scaling", scopes=["eligibility:read"])
    api = Client(headers={"Authorization": f"Bearer {key}"})
    rng = random.Random(3)
    rows, made = [], 0
    for size in API_WORKERS:
        _add_workers(made, size)
        made = size
        ids = [f"scale-{rng.randrange(size)}" for _ in range(300)]
        for external_id in ids[:20]:  # warm
            api.get(f"/api/v1/workers/{external_id}/eligibility")
        times = []
        for external_id in ids:
            started = time.perf_counter()
            response = api.get(f"/api/v1/workers/{external_id}/eligibility")
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (external_id, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            api.get(f"/api/v1/workers/{ids[0]}/eligibility")
        rows.append({"size": size, **_summary(times), "queries": len(queries)})
        log(f"  eligibility API, {size:,} workers: {rows[-1]['median_ms']:.2f} ms")
    return {"rows": rows, "growth": growth([r["size"] for r in rows], [r["median_ms"] for r in rows])}


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000,
    }


def team_week(log) -> dict:
    """The team week for teams of each size: built (after a change to what it shows) and as kept."""
    manager = get_user_model().objects.create(username="scale-manager", email="scale-manager@ladder.example")
    manager.groups.add(Group.objects.get(name=roles.MANAGERS))
    client = Client()
    client.force_login(manager)
    rng = random.Random(5)
    today = timezone.localdate()
    this_week = today - timedelta(days=today.weekday())
    rows = []
    for size in TEAM_SIZES:
        team = Team.objects.create(name=f"Scale team of {size}")
        team.managers.add(manager)
        ids = _add_workers(100_000_000 + size * 10_000, 100_000_000 + size * 10_000 + size, team=team)
        WeeklyRecord.objects.bulk_create(
            (
                WeeklyRecord(
                    worker_id=pk,
                    week=this_week - timedelta(weeks=w),
                    time_zone=ZONES[pk % len(ZONES)],
                    minutes_learned=rng.randint(0, 150),
                    goal_minutes=90,
                    lessons_completed=rng.randint(0, 4),
                    attempts=rng.randint(0, 2),
                    passes=rng.randint(0, 1),
                    tasks_done=rng.randint(0, 400),
                    minutes_worked=rng.randint(0, 600),
                    streak=rng.randint(0, 12),
                )  # fmt: skip
                for pk in ids
                for w in range(12)
            ),
            batch_size=5_000,
        )
        url = reverse("manager_team_week") + f"?team={team.pk}"

        def built(team_id=team.pk, url=url):
            team_week_cache.changed(team_ids=[team_id])
            assert client.get(url).status_code == 200

        def kept(url=url):
            assert client.get(url).status_code == 200

        built()  # warm
        built_times = [timed(built)[0] for _ in range(5 if size >= 1_000 else 15)]
        kept_times = [timed(kept)[0] for _ in range(50)]
        rows.append(
            {
                "size": size,
                "built": _summary(built_times),
                "kept": _summary(kept_times),
            }
        )
        log(f"  team week, {size:,} workers: built {rows[-1]['built']['median_ms']:.0f} ms, "
            f"kept {rows[-1]['kept']['median_ms']:.1f} ms")  # fmt: skip
    sizes = [r["size"] for r in rows]
    return {
        "rows": rows,
        "growth_built": growth(sizes, [r["built"]["median_ms"] for r in rows]),
        "growth_kept": growth(sizes, [r["kept"]["median_ms"] for r in rows]),
    }


def _copy_events(count: int) -> None:
    """`count` more events, copied from those stored (same workers, same weeks): in the database."""
    table = connection.ops.quote_name(LearningEvent._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(f.column) for f in LearningEvent._meta.concrete_fields if not f.primary_key
    )
    with transaction.atomic(), connection.cursor() as cursor:
        while count > 0:
            step = min(count, LearningEvent.objects.count())
            # Identifiers from the model's metadata; the one value is a parameter.
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} LIMIT %s", [step])  # noqa: S608
            count -= step


def rollup(log) -> dict:
    """A full rollup from nothing, as the events grow on the same workers: median of three runs."""
    workers = list(
        WorkerProfile.objects.filter(external_id__startswith="scale-").order_by("pk")[:ROLLUP_WORKERS]
    )
    workers = [w.pk for w in workers]
    lessons = list(LessonPage.objects.live().values_list("pk", flat=True))
    dataset.add_events(ROLLUP_EVENTS[0], workers, lessons, random.Random(7))
    rows = []
    for size in ROLLUP_EVENTS:
        _copy_events(size - LearningEvent.objects.count())

        def full():
            WeeklyRecord.objects.filter(worker_id__in=workers).delete()
            RollupWatermark.objects.all().delete()
            started = time.perf_counter()
            weekly_rollup()
            return time.perf_counter() - started

        runs = [full() for _ in range(3)]
        rows.append({"size": LearningEvent.objects.count(), "seconds": statistics.median(runs), "runs": runs})
        log(f"  rollup, {rows[-1]['size']:,} events: {rows[-1]['seconds']:.2f} s")
    return {"rows": rows, "growth": growth([r["size"] for r in rows], [r["seconds"] for r in rows])}


def measure(log) -> dict:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", workers=3, cohort=0, password=UNUSABLE, verbosity=0)
    log("scaling: the eligibility API as workers grow…")
    api = eligibility_api(log)
    log("scaling: the team week as teams grow…")
    teams = team_week(log)
    log("scaling: the rollup as events grow…")
    rollups = rollup(log)
    return {
        "database": connection.vendor,
        "eligibility_api": api,
        "team_week": teams,
        "rollup": rollups,
    }
