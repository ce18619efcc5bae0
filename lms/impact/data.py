"""What the impact report reads: a fixed number of grouped queries, however many workers and events.

Every read is narrowed to the workers the viewer may see (`Filters` plus the teams they manage), and
sums and groups in the database so that a million learning events arrive as a few thousand rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from assessments.models import Attempt
from assignment.models import Appeal, Eligibility, Suspension, TaskType, WorkResult
from assignment.validity import Validity, badge_validity
from careerpaths.models import CareerLevel, Promotion
from lms.models import WeeklyRecord, WorkerProfile

FIRST_MONDAY = date(1970, 1, 5)  # the first Monday of the Unix epoch (in UTC)


class WeekIndex(Func):
    """Whole UTC weeks between `FIRST_MONDAY` and a moment, as an integer computed in the database: a
    cheap key to group by (SQLite's week truncation is a Python call per row, and returns datetimes).
    PostgreSQL reads the seconds as a float (`date_part`; EXTRACT gives an arbitrary-precision numeric,
    slow to divide), exact to the microsecond for any date records keep."""

    output_field = IntegerField()
    template = "CAST(FLOOR((date_part('epoch', %(expressions)s) - 345600) / 604800) AS INTEGER)"

    def as_sqlite(self, compiler, connection, **extra):
        template = "((CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) - 345600) / 604800)"
        return super().as_sql(compiler, connection, template=template, **extra)


class SixDaysBefore(Func):
    """A date six days earlier, computed natively (SQLite's date arithmetic in Django is a Python call)."""

    output_field = DateField()
    template = "(%(expressions)s - 6)"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="date(%(expressions)s, '-6 days')", **extra)


def week_monday(index: int) -> date:
    return FIRST_MONDAY + timedelta(weeks=index)


@dataclass(frozen=True)
class Filters:
    """The report's question: a period (inclusive days) and optional site, team, language, cohort."""

    start: date
    end: date
    site: str = ""
    team_id: int | None = None
    language: str = ""
    cohort: date | None = None  # the first day of the month the workers joined

    def bounds(self) -> tuple[datetime, datetime]:
        tz = timezone.get_current_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=tz),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=tz),
        )


@dataclass
class Person:
    """One worker, with their facts (consenting only) and their totals over the period."""

    id: int
    team_id: int | None
    site: str
    language: str
    joined_on: date
    consent: bool
    gender: str
    employment: str
    income: Decimal | None
    currency: str
    minutes: int = 0
    lessons: int = 0
    badges: int = 0
    goal_weeks: int = 0
    activity: int = 0
    worked: bool = False


@dataclass(slots=True)
class WorkWeek:
    """A worker's work in one UTC week, for the work paid in one currency."""

    worker_id: int
    currency: str
    week: date
    tasks: int
    minutes: int
    earned: float  # tasks × rate, or minutes ÷ 60 × rate for work paid by the hour
    accuracy_tasks: float  # Σ accuracy × tasks


@dataclass
class Data:
    filters: Filters
    people: dict[int, Person]
    task_types: dict[int, dict]
    first_attempts: list[dict] = field(default_factory=list)
    unlocks: list[dict] = field(default_factory=list)
    promotions: list[dict] = field(default_factory=list)
    suspensions: list[dict] = field(default_factory=list)
    appeals: list[dict] = field(default_factory=list)
    work: list[WorkWeek] = field(default_factory=list)
    validity: list[Validity] = field(default_factory=list)
    level_names: dict[int, str] = field(default_factory=dict)

    def promoted(self) -> list[dict]:
        """Promotions decided in the period: a move up from a level (a first placement is not one)."""
        since = self.filters.bounds()[0]
        return [r for r in self.promotions if r["from_level_id"] is not None and r["decided_at"] >= since]


def workers_for(*, filters: Filters, team_ids: list[int] | None) -> QuerySet[WorkerProfile]:
    """Workers who had joined by the period's end and match the filters; only `team_ids` when given."""
    workers = WorkerProfile.objects.filter(user__is_active=True, joined_on__lte=filters.end)
    if team_ids is not None:
        workers = workers.filter(team_id__in=team_ids)
    if filters.site:
        workers = workers.filter(site=filters.site)
    if filters.team_id:
        workers = workers.filter(team_id=filters.team_id)
    if filters.language:
        workers = workers.filter(language=filters.language)
    if filters.cohort:
        month_end = (filters.cohort.replace(day=28) + timedelta(days=4)).replace(day=1)
        workers = workers.filter(joined_on__gte=filters.cohort, joined_on__lt=month_end)
    return workers


def _people(workers: QuerySet, filters: Filters) -> dict[int, Person]:
    people = {}
    for row in workers.values_list(
        "id",
        "team_id",
        "site",
        "language",
        "joined_on",
        "facts__consent",
        "facts__gender",
        "facts__employment_before",
        "facts__income_before",
        "facts__income_currency",
    ):
        consent = bool(row[5])
        people[row[0]] = Person(
            *row[:5],
            consent=consent,
            gender=(row[6] or "") if consent else "",
            employment=(row[7] or "") if consent else "",
            income=row[8] if consent else None,
            currency=(row[9] or "") if consent else "",
        )
    # A week counts from the one the worker joined in: records from before (a back-dated join) do not.
    weeks = WeeklyRecord.objects.filter(
        worker__in=workers,
        week__gte=filters.start - timedelta(days=6),
    ).filter(week__gte=SixDaysBefore("worker__joined_on"))
    for row in (
        weeks.filter(week__lte=filters.end)
        .values("worker_id")
        .annotate(
            minutes=Sum("minutes_learned"),
            lessons=Sum("lessons_completed"),
            badges=Sum("badges_earned"),
            goal_weeks=Count("id", filter=Q(goal_met=True)),
            activity=Sum(F("minutes_learned") + F("lessons_completed") + F("attempts") + F("tasks_done")),
            tasks=Sum("tasks_done"),
        )
    ):
        person = people[row["worker_id"]]
        person.minutes, person.lessons, person.badges = row["minutes"], row["lessons"], row["badges"]
        person.goal_weeks, person.activity, person.worked = (
            row["goal_weeks"],
            row["activity"],
            row["tasks"] > 0,
        )
    return people


def _task_types() -> dict[int, dict]:
    rows = TaskType.objects.annotate(badge_count=Count("required_badges")).values(
        "id",
        "code",
        "name",
        "pay_rate",
        "currency",
        "pay_unit",
        "accuracy_threshold",
        "min_level_id",
        "badge_count",
    )
    return {row["id"]: {**row, "gated": bool(row["badge_count"] or row["min_level_id"])} for row in rows}


def _work(workers: QuerySet, since: datetime, until: datetime) -> list[WorkWeek]:
    """Work per worker, currency and week, earnings included, summed in the database; read with a plain
    cursor (tens of thousands of rows of numbers need no per-row conversion)."""
    pay = F("task_type__pay_rate")
    earned = Case(
        When(task_type__pay_unit=TaskType.PayUnit.HOUR, then=pay * F("minutes_worked") / Value(60.0)),
        default=pay * F("tasks_completed"),
        output_field=FloatField(),
    )
    weighted = ExpressionWrapper(F("accuracy") * F("tasks_completed"), output_field=FloatField())
    rows = (
        WorkResult.objects.filter(worker__in=workers, period_start__gte=since, period_start__lt=until)
        .annotate(week=WeekIndex("period_start"))
        .values("worker_id", "task_type__currency", "week")
        .annotate(
            tasks=Sum("tasks_completed"),
            minutes=Sum("minutes_worked"),
            earned=Sum(earned),
            weighted=Sum(weighted),
        )  # fmt: skip
        .values_list("worker_id", "task_type__currency", "week", "tasks", "minutes", "earned", "weighted")
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    mondays: dict[int, date] = {}
    return [
        WorkWeek(
            worker,
            currency,
            mondays.get(week) or mondays.setdefault(week, week_monday(int(week))),
            int(tasks),
            int(minutes),
            float(earned or 0),
            float(weighted or 0),
        )  # fmt: skip
        for worker, currency, week, tasks, minutes, earned, weighted in found
    ]


def impact_data(*, filters: Filters, team_ids: list[int] | None) -> Data:
    """Everything the scorecard and the fairness table need, in a fixed number of queries."""
    workers = workers_for(filters=filters, team_ids=team_ids)
    since, until = filters.bounds()
    task_types = _task_types()
    gated = [pk for pk, row in task_types.items() if row["gated"]]
    data = Data(filters=filters, people=_people(workers, filters), task_types=task_types)
    data.first_attempts = list(
        Attempt.objects.filter(worker__in=workers, number=1, started_at__gte=since, started_at__lt=until)
        .exclude(status=Attempt.Status.OPEN)
        .values("worker_id", "assessment_id", "assessment__title", "passed")
    )
    data.unlocks = list(
        Eligibility.objects.filter(
            worker__in=workers, task_type_id__in=gated, first_unlocked_at__isnull=False
        )
        .values("worker_id")
        .annotate(
            first=Min("first_unlocked_at"),
            in_period=Count("id", filter=Q(first_unlocked_at__gte=since, first_unlocked_at__lt=until)),
        )
    )
    data.promotions = list(
        Promotion.objects.filter(worker__in=workers, decided_at__lt=until)
        .exclude(decision=Promotion.Decision.DECLINED)
        .order_by("worker_id", "decided_at", "id")
        .values("worker_id", "from_level_id", "to_level_id", "decided_at")
    )
    data.suspensions = list(
        Suspension.objects.filter(worker__in=workers, started_at__lt=until)
        .filter(Q(lifted_at__isnull=True) | Q(lifted_at__gte=since))
        .values("worker_id", "started_at", "lifted_at")
    )
    data.appeals = list(
        Appeal.objects.filter(
            suspension__worker__in=workers, created_at__gte=since, created_at__lt=until
        ).values("suspension__worker_id", "created_at", "answered_at")
    )
    data.level_names = dict(CareerLevel.objects.values_list("id", "name"))
    data.work = _work(workers, since, until)
    data.validity = badge_validity(workers=workers, since=since, until=until)
    return data
