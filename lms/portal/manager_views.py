"""Manager pages: the team's week, a worker's history and readiness, promotions, appeals, goals.

Every view is behind `manager_required` and reads through `lms.portal.manager_selectors`, which scope to the
teams the signed-in user manages: another team's worker, team or appeal is a 404.
"""

import csv
from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors as assessment_selectors
from assignment import selectors as assignment_selectors
from assignment.forms import AppealAnswerForm
from assignment.views import appeal_answer_submit
from careerpaths import selectors as career_selectors
from careerpaths import services as career_services
from courses import selectors as course_selectors
from lms.models import MAX_WEEKLY_GOAL, MIN_WEEKLY_GOAL
from lms.portal import manager_selectors as selectors
from lms.portal import team_week_cache
from lms.portal.forms import DecisionForm, GoalForm, WorkerGoalForm
from lms.records.rollup import weekly_refresh
from lms.selectors import worker_for_user
from lms.services import team_goal_set, worker_goal_set, worker_password_reset

COLUMNS = [
    ("name", gettext_lazy("Worker")),
    ("minutes", gettext_lazy("Minutes learned")),
    ("goal", gettext_lazy("Goal")),
    ("lessons", gettext_lazy("Lessons")),
    ("attempts", gettext_lazy("Checks passed / taken")),
    ("badges", gettext_lazy("Badges")),
    ("streak", gettext_lazy("Streak")),
    ("tasks", gettext_lazy("Tasks")),
    ("accuracy", gettext_lazy("Accuracy")),
]


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users who manage at least one team; their teams are on `request.teams`."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        teams = list(selectors.teams_managed(user=request.user))
        if not teams:
            raise PermissionDenied("These pages are for team managers.")
        request.teams = teams
        if worker_for_user(user=request.user) is None:  # a team lead keeps their own time zone
            timezone.activate(teams[0].tz)
        return view(request, *args, **kwargs)

    return wrapped


# Weeks a manager can open: records start in LADDER_RECORDS_START; a year ahead is plenty to plan.
WEEK_LIMITS = (date.fromisoformat(settings.LADDER_RECORDS_START), timedelta(days=366))


def _week(request: HttpRequest) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        return selectors.week_start()
    if not WEEK_LIMITS[0] <= day <= timezone.localdate() + WEEK_LIMITS[1]:
        raise BadRequest(f"There are no records for the week of {day.isoformat()}. Choose another week.")
    return selectors.week_start(day)


def _team(request: HttpRequest):
    """The team asked for, among those manager_required read (no second query); 404 if not theirs."""
    team_id = request.GET.get("team")
    if team_id and team_id.isdigit():
        team = next((team for team in request.teams if team.pk == int(team_id)), None)
        if team is None:
            raise Http404("No such team of yours.")
        return team
    return request.teams[0]


@require_GET
@manager_required
def team_week(request: HttpRequest) -> HttpResponse:
    team, week = _team(request), _week(request)
    sort = request.GET.get("sort", "name")
    sort = sort if sort.lstrip("-") in selectors.SORTS else "name"

    def build() -> tuple[str, int]:
        rows = selectors.team_week(user=request.user, team=team, week=week, sort=sort)
        context = {
            "team": team,
            "week": week,
            "rows": rows,
            "sort": sort,
            "columns": COLUMNS,
            "chart": selectors.chart_bars(selectors.team_time(team=team, week=week)),
        }
        table = render_to_string("lms/manager/_team_week_table.html", context)
        return table, sum(1 for row in rows if row.career and row.career.ready)

    table, ready_count = team_week_cache.kept(
        user_id=request.user.pk, team_id=team.pk, week=week, sort=sort, language=get_language(), build=build
    )
    context = {
        "team": team,
        "teams": request.teams,
        "week": week,
        "previous_week": week - timedelta(weeks=1),
        "next_week": week + timedelta(weeks=1),
        "sort": sort,
        "table": mark_safe(table),  # noqa: S308 (rendered by our own template, escaped there)
        "goal_form": GoalForm(initial={"minutes": team.default_weekly_goal_minutes}),
        "ready_count": ready_count,
    }
    return render(request, "lms/manager/team_week.html", context)


@require_GET
@manager_required
def team_week_csv(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_for_manager(user=request.user, team_id=team_id)
    week = _week(request)
    rows = selectors.team_week(user=request.user, team=team, week=week, sort=request.GET.get("sort", "name"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ladder-{team.pk}-week-{week.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(_csv_row(row, week) for row in rows)
    return response


CSV_COLUMNS = [
    "worker", "external_id", "time_zone", "week", "minutes_learned", "goal_minutes", "goal_met",
    "lessons_completed", "attempts", "passes", "badges_earned", "questions_asked", "streak",
    "tasks_done", "minutes_worked", "accuracy", "level", "ready",
]  # fmt: skip


def _csv_row(row: selectors.Row, week: date) -> list:
    """One worker's week in CSV_COLUMNS order; names typed by people are made safe for spreadsheets."""
    r, user, career = row.record, row.worker.user, row.career
    return [
        _csv_safe(user.get_full_name() or user.username),
        _csv_safe(row.worker.external_id),
        row.worker.time_zone,
        week.isoformat(),
        r.minutes_learned,
        r.goal_minutes,
        "yes" if r.goal_met else "no",
        r.lessons_completed,
        r.attempts,
        r.passes,
        r.badges_earned,
        r.questions_asked,
        r.streak,
        r.tasks_done,
        r.minutes_worked,
        "" if r.accuracy is None else f"{r.accuracy:.4f}",
        _csv_safe(career.level.name) if career and career.level else "",
        "yes" if career and career.ready else "no",
    ]


def _csv_safe(value: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading quote."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_POST
@manager_required
def team_goal(request: HttpRequest, team_id: int) -> HttpResponse:
    team = selectors.team_for_manager(user=request.user, team_id=team_id)
    form = GoalForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            gettext("The goal must be a number of minutes from %(low)s to %(high)s.")
            % {"low": MIN_WEEKLY_GOAL, "high": MAX_WEEKLY_GOAL},
        )
    else:
        team_goal_set(team=team, minutes=form.cleaned_data["minutes"], by=request.user)
        weekly_refresh(worker_ids=list(team.workers.values_list("pk", flat=True)))
        messages.success(
            request,
            gettext("%(team)s: the weekly goal is now %(minutes)s minutes.")
            % {"team": team, "minutes": team.default_weekly_goal_minutes},
        )
    return redirect(f"{reverse('manager_team_week')}?team={team.pk}")


@require_GET
@manager_required
def worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_for_manager(user=request.user, worker_id=worker_id)
    history = selectors.worker_history(worker=worker)
    context = {
        "worker": worker,
        "history": history,
        "chart": selectors.chart_bars(
            [
                selectors.Bar(week=r.week, learning=r.minutes_learned, working=r.minutes_worked)
                for r in history
            ]
        ),
        "awards": assessment_selectors.badges_for_worker(worker=worker),
        "attempts": assessment_selectors.attempts_for_worker(worker=worker)[:20],
        "questions": course_selectors.questions_for_worker(worker=worker)[:20],
        "suspensions": assignment_selectors.suspensions_for_worker(worker=worker)[:20],
        "career": career_selectors.career_for_worker(worker=worker),
        "promotions": career_selectors.promotions_for_worker(worker=worker),
        "decision_form": DecisionForm(),
        "appeal_form": AppealAnswerForm(),
        "goal_form": WorkerGoalForm(initial={"minutes": worker.weekly_goal_minutes}),
    }
    return render(request, "lms/manager/worker_detail.html", context)


@require_POST
@manager_required
def worker_goal(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_for_manager(user=request.user, worker_id=worker_id)
    form = WorkerGoalForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            gettext("The goal must be empty or a number of minutes from %(low)s to %(high)s.")
            % {"low": MIN_WEEKLY_GOAL, "high": MAX_WEEKLY_GOAL},
        )
    else:
        worker_goal_set(worker=worker, minutes=form.cleaned_data["minutes"])
        weekly_refresh(worker_ids=[worker.pk])
        messages.success(request, gettext("Weekly goal saved for %(worker)s.") % {"worker": worker})
    return redirect("manager_worker", worker_id=worker.pk)


@require_POST
@manager_required
def promotion_decide(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_for_manager(user=request.user, worker_id=worker_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid() and request.POST.get("decision") in ("approve", "decline"):
        try:
            promotion = career_services.promotion_decide(
                worker=worker,
                by=request.user,
                approve=approve,
                note=form.cleaned_data["note"],
                to_level_id=form.cleaned_data["level"],
            )
        except career_services.PromotionError as error:
            messages.error(request, str(error))
        else:
            done = (
                gettext("%(worker)s is now %(level)s.")
                if approve
                else gettext("%(worker)s stays below %(level)s.")
            )
            messages.success(request, done % {"worker": worker, "level": promotion.to_level})
    else:
        messages.error(request, gettext("Choose approve or decline."))
    if request.POST.get("next") == "readiness":
        return redirect("manager_readiness")
    return redirect("manager_worker", worker_id=worker.pk)


@require_GET
@manager_required
def readiness(request: HttpRequest) -> HttpResponse:
    context = selectors.ready_and_appeals(user=request.user)
    context.update(decision_form=DecisionForm(), appeal_form=AppealAnswerForm())
    return render(request, "lms/manager/readiness.html", context)


@require_POST
@manager_required
def appeal_answer(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = selectors.appeal_for_manager(user=request.user, appeal_id=appeal_id)
    invalid = gettext("Write an answer and choose to lift or keep the suspension.")
    appeal_answer_submit(request, appeal, AppealAnswerForm(request.POST), invalid=invalid)
    if request.POST.get("next") == "readiness":
        return redirect("manager_readiness")
    return redirect("manager_worker", worker_id=appeal.suspension.worker_id)


@require_POST
@manager_required
def worker_password_reset_view(request: HttpRequest, worker_id: int) -> HttpResponse:
    """A new one-time password for a team member (shown once, to pass on) that also lifts a lockout."""
    worker = selectors.worker_for_manager(user=request.user, worker_id=worker_id)
    password = worker_password_reset(worker=worker)
    messages.success(
        request,
        gettext(
            "New password for %(username)s: %(password)s — give it to them in person. "
            "It is shown only this once."
        )
        % {"username": worker.user.get_username(), "password": password},
    )
    return redirect("manager_worker", worker_id=worker.pk)
