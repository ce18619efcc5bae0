"""Property: each learning event and work result counts in the week that holds it where its worker lives,
as Python's own calendar tells it row by row, across daylight-saving changes and on the edges of weeks;
every week between a worker's first and last is recorded, with its goal met or not and its streak as
counted week by week here; and a rebuild from a moment gives the same."""

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assignment.models import TaskType, WorkResult
from lms.measures import task_weighted_accuracy
from lms.models import LearningEvent, RollupWatermark, WeeklyRecord, WorkerProfile
from lms.records.rollup import weekly_rollup
from lms.selectors import week_of

pytestmark = pytest.mark.slow

Kind = LearningEvent.Kind
# Clocks that move: by an hour in autumn (London), at midnight (Santiago, in September), by half an hour
# (Lord Howe, in October); and two that never do, one of them half an hour off the hour.
ZONES = ["Europe/London", "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata", "America/St_Johns"]
FIRST = date(2026, 8, 3)  # a Monday
WEEKS = 16  # to 2026-11-23: every change above falls inside
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
GOAL = 4  # minutes a week: a row learns 1–9, so weeks are met and missed, and streaks run and break
# Minutes from a week's first local midnight, as a UTC instant at the zone's standard offset would give:
# the edges of the week (either side of midnight, and an hour or two off it where clocks moved) and inside.
MINUTES = st.sampled_from(
    [-121, -61, -31, -1, 0, 1, 29, 59, 61, 121, 3 * 1440 + 17, 7 * 1440 - 61, 7 * 1440 - 1]
)
what = st.sampled_from(["learn", "lesson", "work"])
row = st.tuples(st.integers(0, len(ZONES) - 1), st.integers(0, WEEKS - 1), MINUTES, what, st.integers(1, 9))


def instant(zone: str, week: int, minutes: int) -> datetime:
    """Local midnight starting the week, taken at the zone's offset on the Thursday before, plus minutes."""
    probe = WorkerProfile(time_zone=zone)
    monday = FIRST + timedelta(weeks=week)
    offset = datetime.combine(monday - timedelta(days=4), datetime.min.time(), tzinfo=probe.tz).utcoffset()
    return datetime.combine(monday, datetime.min.time(), tzinfo=UTC) - offset + timedelta(minutes=minutes)


def from_scratch(workers: list[WorkerProfile]) -> dict:
    """(worker, week) → what the records should hold, each row put in its week by `week_of` alone."""
    by_pk = {w.pk: w for w in workers}
    seconds, lessons = defaultdict(int), defaultdict(int)
    tasks, minutes, weighted = defaultdict(int), defaultdict(int), defaultdict(Decimal)
    for worker_id, kind, at, spent in LearningEvent.objects.values_list(
        "worker_id", "kind", "occurred_at", "seconds"
    ):
        key = (worker_id, week_of(worker=by_pk[worker_id], at=at))
        seconds[key] += spent if kind == Kind.LEARNING_TIME else 0
        lessons[key] += kind == Kind.LESSON_COMPLETED
    for result in WorkResult.objects.all():
        key = (result.worker_id, week_of(worker=by_pk[result.worker_id], at=result.period_end))
        tasks[key] += result.tasks_completed
        minutes[key] += result.minutes_worked
        weighted[key] += result.accuracy * result.tasks_completed
    active = set(seconds) | set(lessons) | set(tasks)
    expected = {}
    for worker_id in {w for w, _ in active}:
        weeks = sorted(week for w, week in active if w == worker_id)
        week, streak = weeks[0], 0
        while week <= weeks[-1]:  # the quiet weeks between are recorded too
            key = (worker_id, week)
            met = seconds[key] // 60 >= GOAL
            streak = streak + 1 if met else 0  # weeks in a row meeting the goal
            expected[key] = (
                seconds[key] // 60,
                lessons[key],
                tasks[key],
                minutes[key],
                task_weighted_accuracy(weighted[key], tasks[key]),
                weighted[key],
                met,
                streak,
            )
            week += timedelta(weeks=1)
    return expected


def stored() -> dict:
    fields = ("minutes_learned", "lessons_completed", "tasks_done", "minutes_worked", "accuracy",
              "accuracy_weighted", "goal_met", "streak")  # fmt: skip
    return {(r[0], r[1]): r[2:] for r in WeeklyRecord.objects.values_list("worker_id", "week", *fields)}


@pytest.fixture
def people(make_worker):
    workers = [make_worker(f"z{n}", time_zone=zone) for n, zone in enumerate(ZONES)]
    WorkerProfile.objects.update(weekly_goal_minutes=GOAL)
    tagging = TaskType.objects.create(code="tagging", name="Tagging", pay_rate=Decimal("0.02"))
    return workers, tagging


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, min_size=1, max_size=25))
def test_every_row_counts_in_its_workers_own_week_across_clock_changes(people, rows):
    workers, tagging = people
    for model in (WeeklyRecord, LearningEvent, WorkResult, RollupWatermark):
        model.objects.all().delete()
    for n, (who, week, minutes, kind, amount) in enumerate(rows):
        worker, at = workers[who], instant(ZONES[who], week, minutes)
        if kind == "learn":
            LearningEvent.objects.create(
                worker=worker, kind=Kind.LEARNING_TIME, occurred_at=at, seconds=60 * amount
            )
        elif kind == "lesson":
            LearningEvent.objects.create(worker=worker, kind=Kind.LESSON_COMPLETED, occurred_at=at)
        else:
            WorkResult.objects.create(
                result_id=f"r{n}", worker=worker, task_type=tagging, period_start=at - timedelta(hours=1),
                period_end=at, tasks_completed=amount, minutes_worked=2 * amount,
                accuracy=Decimal(amount) / 10, body_hash="x",
            )  # fmt: skip
    expected = from_scratch(workers)

    weekly_rollup(now=NOW)  # the first run: every row is new
    assert stored() == expected

    # Rebuilt from a moment before every row: the same records.
    WeeklyRecord.objects.update(minutes_learned=999)
    weekly_rollup(since=datetime(2026, 7, 1, tzinfo=UTC), now=NOW)
    assert stored() == expected
