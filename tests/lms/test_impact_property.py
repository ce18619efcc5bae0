"""Property: the impact scorecard's people, learning and earnings figures equal the same figures computed
from scratch from the raw learning events and work results, however sparse the activity, however late it
is reported (after rollups have run), whatever day the workers joined, and in whichever currencies
they were paid."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from assignment.models import TaskType, WorkResult
from lms.impact.data import Filters
from lms.impact.report import impact_report
from lms.impact.scorecard import MIN_GROUP
from lms.models import LearningEvent, RollupWatermark, WeeklyRecord
from lms.records.rollup import weekly_rollup
from lms.selectors import week_of
from lms.stats import median, quantile

pytestmark = pytest.mark.slow

Kind = LearningEvent.Kind
BASE = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
NOW = BASE + timedelta(weeks=30)
ZONES = ["Indian/Antananarivo", "Asia/Kolkata", "America/Lima"]
WORKERS = 16

# (worker, hours after BASE − 2 weeks, what, amount): some before the period, some on a Sunday night.
hours = st.integers(0, 32 * 168 - 1)
learning = st.tuples(
    st.integers(0, WORKERS - 1), hours, st.sampled_from(["minutes", "lesson"]), st.integers(1, 90)
)
work = st.tuples(
    st.integers(0, WORKERS - 1),
    hours,
    st.sampled_from(["tagging", "boxes", "tagging", "transcribe"]),
    st.integers(1, 400),
)
# Batches between rollups: what a batch reports may be weeks older than what came before (late data).
batches = st.lists(
    st.tuples(st.lists(learning, max_size=12), st.lists(work, max_size=12)), min_size=1, max_size=4
)
joined = st.lists(st.integers(-10, 12), min_size=WORKERS, max_size=WORKERS)  # weeks after BASE
# Every worker learns once and works twice, at least eight weeks apart, inside the period (in US dollars),
# so that groups of ten are often reached; whether that counts depends on when they joined.
inside = st.integers(2 * 168, 22 * 168)
anchors = st.lists(
    st.tuples(
        inside,
        st.integers(1, 90),
        inside,
        st.integers(8 * 168, 10 * 168),
        st.sampled_from(["tagging", "boxes"]),
        st.integers(1, 400),
    ),
    min_size=WORKERS,
    max_size=WORKERS,
)


@pytest.fixture
def setting(make_worker):
    task_types = {
        "tagging": TaskType.objects.create(
            code="tagging", name="T", pay_rate=Decimal("0.02"), currency="USD"
        ),
        "boxes": TaskType.objects.create(
            code="boxes", name="B", pay_rate=Decimal("3.00"), currency="USD", pay_unit="hour"
        ),
        "transcribe": TaskType.objects.create(
            code="transcribe", name="S", pay_rate=Decimal("40"), currency="MGA"
        ),
    }
    workers = [make_worker(f"i{n}", time_zone=ZONES[n % 3]) for n in range(WORKERS)]
    return task_types, workers


def from_scratch(workers, task_types, start, end) -> dict:
    """The figures' definitions (README, "Impact and fairness") applied to the raw rows, one by one."""
    until = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    since = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    people = {}
    for w in workers:
        first_week = max(start - timedelta(days=6), w.joined_on - timedelta(days=6))

        def counted(at, w=w, first_week=first_week):
            week = week_of(worker=w, at=at)
            return first_week <= week <= end and week > w.joined_on - timedelta(days=7)

        events = [e for e in LearningEvent.objects.filter(worker=w) if counted(e.occurred_at)]
        work_rows = [r for r in WorkResult.objects.filter(worker=w) if counted(r.period_end)]
        minutes = sum(e.seconds // 60 for e in events if e.kind == Kind.LEARNING_TIME)
        lessons = sum(1 for e in events if e.kind == Kind.LESSON_COMPLETED)
        tasks = sum(r.tasks_completed for r in work_rows)
        first = max(w.joined_on, start)
        weeks = ((end - (first - timedelta(days=first.weekday()))).days // 7 + 1) if first <= end else 0
        people[w.pk] = {
            "active": bool(minutes or lessons or tasks),
            "minutes": minutes,
            "lessons": lessons,
            "weeks": weeks,
        }
    active = [w for w in workers if people[w.pk]["active"]]

    earnings: dict = {}
    mixed = 0
    for w in active:
        cells: dict = defaultdict(lambda: defaultdict(lambda: [Decimal(0), 0]))
        for r in WorkResult.objects.filter(worker=w, period_start__gte=since, period_start__lt=until):
            t = r.task_type
            paid = (
                t.pay_rate * Decimal(r.minutes_worked) / 60
                if t.pay_unit == "hour"
                else t.pay_rate * r.tasks_completed
            )
            day = r.period_start.astimezone(UTC).date()
            cell = cells[t.currency][day - timedelta(days=day.weekday())]
            cell[0] += paid
            cell[1] += r.minutes_worked
        if len(cells) > 1:
            mixed += 1
        elif cells:
            earnings[w.pk] = next(iter(cells.items()))

    def per_hour(weeks):
        minutes = sum(m for _, m in weeks)
        return float(sum(e for e, _ in weeks) / minutes * 60) if minutes else None

    rates: dict = defaultdict(list)
    changes = []
    for currency, by_week in earnings.values():
        if (rate := per_hour(by_week.values())) is not None:
            rates[currency].append(rate)
        weeks = sorted(by_week)
        if (weeks[-1] - weeks[0]).days >= 49:
            before = per_hour([by_week[d] for d in weeks if d < weeks[0] + timedelta(weeks=4)])
            after = per_hour([by_week[d] for d in weeks if d > weeks[-1] - timedelta(weeks=4)])
            if before and after is not None:
                changes.append(after / before - 1)

    def shown(value, n):
        return None if value is None or n < MIN_GROUP else value

    weekly = [people[w.pk]["minutes"] / 60 / people[w.pk]["weeks"] for w in active if people[w.pk]["weeks"]]
    figures = {
        "workers_active": shown(len(active), len(active)),
        "lessons": shown(sum(people[w.pk]["lessons"] for w in active), len(active)),
        "hours_per_week": shown(median(weekly), len(weekly)),
        "earnings_change": shown(median(changes), len(changes) or len(active)),
    }
    for currency, found in rates.items():
        figures[f"earnings_per_hour:{currency}"] = shown(median(found), len(found))
        figures[f"earnings_per_hour:{currency}:spread"] = (
            (quantile(found, 0.25), quantile(found, 0.75)) if len(found) >= MIN_GROUP else None
        )
    return {"figures": figures, "mixed": mixed}


# Shrinking a failure replays rollups for minutes: the failing example is reported as found.
@settings(
    max_examples=30,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(anchors=anchors, batches=batches, joined=joined)
def test_scorecard_figures_equal_a_computation_from_scratch(setting, anchors, batches, joined):
    task_types, workers = setting
    for model in (LearningEvent, WorkResult):
        model.objects.all().delete()
    WeeklyRecord.objects.all().delete()
    RollupWatermark.objects.all().delete()
    for worker, weeks in zip(workers, joined, strict=True):
        worker.joined_on = (BASE + timedelta(weeks=weeks, days=weeks % 5)).date()
        worker.save(update_fields=["joined_on"])

    n = 0
    origin = BASE - timedelta(weeks=2)
    first = (
        [(who, at, "minutes", minutes) for who, (at, minutes, *_) in enumerate(anchors)],
        [(who, at, code, amount) for who, (_, _, at, _, code, amount) in enumerate(anchors)]
        + [(who, at + gap, code, amount + 7) for who, (_, _, at, gap, code, amount) in enumerate(anchors)],
    )
    for learned, worked in [first, *batches]:
        for who, at, what, amount in learned:
            at = origin + timedelta(hours=at)
            if what == "minutes":
                LearningEvent.objects.create(
                    worker=workers[who], kind=Kind.LEARNING_TIME, occurred_at=at, seconds=60 * amount
                )
            else:
                LearningEvent.objects.create(worker=workers[who], kind=Kind.LESSON_COMPLETED, occurred_at=at)
        for who, at, code, amount in worked:
            n += 1
            end = origin + timedelta(hours=at)
            WorkResult.objects.create(
                result_id=f"p{n}", worker=workers[who], task_type=task_types[code],
                period_start=end - timedelta(minutes=1 + amount % 120), period_end=end,
                tasks_completed=amount, minutes_worked=1 + amount % 120,
                accuracy=Decimal(amount % 100) / 100, body_hash="x",
            )  # fmt: skip
        weekly_rollup(now=NOW)

    start, end = BASE.date(), (NOW - timedelta(days=1)).date()
    with time_machine.travel(NOW, tick=False):
        report = impact_report(filters=Filters(start=start, end=end), team_ids=None)
    got = {f.key: f for s in report.sections for f in s.figures}
    expected = from_scratch(workers, task_types, start, end)
    for key, value in expected["figures"].items():
        if key.endswith(":spread"):
            figure = got[key.removesuffix(":spread")]
            assert (figure.low, figure.high) == pytest.approx(value or (None, None)), key
        elif value is None:
            assert key not in got or got[key].value is None, key
        else:
            assert got[key].value == pytest.approx(value), key
    assert sorted(k for k in got if k.startswith("earnings_per_hour:")) == sorted(
        k for k in expected["figures"] if k.startswith("earnings_per_hour:") and not k.endswith(":spread")
    )
    notes = " ".join(note for s in report.sections for note in s.notes)
    assert (f"{expected['mixed']} worker" in notes) == bool(expected["mixed"])
