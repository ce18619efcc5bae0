"""What managers read: their teams' weekly records, trends, readiness and appeals — never other teams'.

Every function takes the manager and scopes to the teams they manage; counts of queries do not grow
with the number of workers (one query per kind of row, not per worker).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from assignment.models import Appeal
from careerpaths.models import CareerStatus
from lms.models import Team, WeeklyRecord, WorkerProfile

TREND_WEEKS = 12
SORTS = {
    "name": lambda row: row.worker.user.get_full_name().lower() or row.worker.user.username,
    "minutes": lambda row: row.record.minutes_learned,
    "goal": lambda row: row.record.goal_percent,
    "lessons": lambda row: row.record.lessons_completed,
    "attempts": lambda row: row.record.attempts,
    "badges": lambda row: row.record.badges_earned,
    "streak": lambda row: row.record.streak,
    "tasks": lambda row: row.record.tasks_done,
    "accuracy": lambda row: row.record.accuracy if row.record.accuracy is not None else -1,
}


def teams_managed(*, user: AbstractBaseUser) -> QuerySet[Team]:
    return (
        Team.objects.filter(managers=user).order_by("name") if user.is_authenticated else Team.objects.none()
    )


def team_for_manager(*, user: AbstractBaseUser, team_id: int) -> Team:
    team = teams_managed(user=user).filter(pk=team_id).first()
    if team is None:
        raise Http404("No such team of yours.")
    return team


def worker_for_manager(*, user: AbstractBaseUser, worker_id: int) -> WorkerProfile:
    """A worker of one of the user's teams (never the user themself); 404 otherwise."""
    worker = (
        WorkerProfile.objects.filter(pk=worker_id, team__managers=user)
        .exclude(user=user)
        .select_related("user", "team")
        .first()
    )
    if worker is None:
        raise Http404("No such worker in your teams.")
    return worker


def week_start(day: date | None = None) -> date:
    day = day or timezone.localdate()  # today where the manager is (the active time zone)
    return day - timedelta(days=day.weekday())


@dataclass
class Row:
    worker: WorkerProfile
    record: WeeklyRecord
    trend: list[int] = field(default_factory=list)  # minutes learned, oldest first
    career: CareerStatus | None = None

    @property
    def sparkline(self) -> str:
        return sparkline_points(self.trend)


def sparkline_points(values: list[int], width: int = 96, height: int = 24) -> str:
    """SVG polyline points for a small trend line (no script, no library)."""
    if not values:
        return ""
    top = max(values) or 1
    step = width / max(1, len(values) - 1)
    return " ".join(
        f"{round(i * step, 1)},{round(height - 2 - (v / top) * (height - 4), 1)}"
        for i, v in enumerate(values)
    )


def team_week(*, user: AbstractBaseUser, team: Team, week: date, sort: str = "name") -> list[Row]:
    """One row per worker of the team for the week, with a 12-week trend and readiness: five queries."""
    team = team_for_manager(user=user, team_id=team.pk)
    workers = list(
        WorkerProfile.objects.filter(team=team)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__username")
    )
    first = week - timedelta(weeks=TREND_WEEKS - 1)
    records = {r.worker_id: r for r in WeeklyRecord.objects.filter(worker__team=team, week=week)}
    # The trend needs one number a week: read as plain rows, not a model each (most of the time it took).
    minutes: dict[tuple[int, date], int] = {
        (worker_id, w): learned
        for worker_id, w, learned in WeeklyRecord.objects.filter(
            worker__team=team, week__gte=first, week__lte=week
        ).values_list("worker_id", "week", "minutes_learned")
    }
    careers = {
        c.worker_id: c
        for c in CareerStatus.objects.filter(worker__team=team).select_related("level", "next_level")
    }
    weeks = [first + timedelta(weeks=n) for n in range(TREND_WEEKS)]
    rows = []
    for worker in workers:
        record = records.get(worker.pk) or WeeklyRecord(worker=worker, week=week)
        trend = [minutes.get((worker.pk, w), 0) for w in weeks]
        rows.append(Row(worker=worker, record=record, trend=trend, career=careers.get(worker.pk)))
    key, reverse = sort.lstrip("-"), sort.startswith("-")
    rows.sort(key=SORTS.get(key, SORTS["name"]), reverse=reverse)
    return rows


@dataclass(frozen=True)
class Bar:
    week: date
    learning: int
    working: int


def team_time(*, team: Team, week: date) -> list[Bar]:
    """Learning minutes against work minutes for the team, per week, for the last 12 weeks: one query."""
    first = week - timedelta(weeks=TREND_WEEKS - 1)
    totals: dict[date, list[int]] = {first + timedelta(weeks=n): [0, 0] for n in range(TREND_WEEKS)}
    for w, learned, worked in WeeklyRecord.objects.filter(
        worker__team=team, week__gte=first, week__lte=week
    ).values_list("week", "minutes_learned", "minutes_worked"):
        totals[w][0] += learned
        totals[w][1] += worked
    return [Bar(week=w, learning=v[0], working=v[1]) for w, v in totals.items()]


def chart_bars(bars: list[Bar], width: int = 600, height: int = 160) -> dict:
    """Geometry for the paired-bar SVG chart (learning, working) with a scale label."""
    top = max([max(b.learning, b.working) for b in bars] + [1])
    slot = width / max(1, len(bars))
    bar_width = slot * 0.35
    shapes = []
    for i, bar in enumerate(bars):
        x = i * slot + slot * 0.1
        for offset, value, kind in ((0, bar.learning, "learning"), (bar_width, bar.working, "working")):
            h = round((value / top) * (height - 20), 1)
            shapes.append(
                {
                    "x": round(x + offset, 1),
                    "y": round(height - h, 1),
                    "w": round(bar_width, 1),
                    "h": h,
                    "kind": kind,
                    "value": value,
                    "week": bar.week,
                }
            )
    return {"width": width, "height": height, "top": top, "shapes": shapes}


def worker_history(*, worker: WorkerProfile, weeks: int = TREND_WEEKS) -> list[WeeklyRecord]:
    return list(WeeklyRecord.objects.filter(worker=worker).order_by("-week")[:weeks])[::-1]


def ready_and_appeals(*, user: AbstractBaseUser) -> dict:
    """Who is ready for a level that needs approval, and appeals waiting, in the user's teams."""
    ready = list(
        CareerStatus.objects.filter(ready=True, worker__team__managers=user)
        .exclude(worker__user=user)
        .select_related("worker__user", "level", "next_level")
        .order_by("worker__user__username")
    )
    appeals = list(
        Appeal.objects.filter(decision=Appeal.Decision.PENDING, suspension__worker__team__managers=user)
        .exclude(suspension__worker__user=user)
        .select_related("suspension__worker__user", "suspension__task_type")
        .order_by("created_at")
    )
    return {"ready": ready, "appeals": appeals}


def appeal_for_manager(*, user: AbstractBaseUser, appeal_id: int) -> Appeal:
    appeal = (
        Appeal.objects.filter(pk=appeal_id, suspension__worker__team__managers=user)
        .exclude(suspension__worker__user=user)
        .select_related("suspension__worker__user", "suspension__task_type")
        .first()
    )
    if appeal is None:
        raise Http404("No such appeal in your teams.")
    return appeal
