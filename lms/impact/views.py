"""The impact report: `/impact/` for admins (every team) and managers (their teams), as a page, CSV and PDF.

Every view reads the report through `viewer_teams`, so a manager's filters, exports and charts never reach
another team's workers: a team outside theirs is refused by the filter form before anything is read.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lms.impact import exports
from lms.impact.data import Filters, workers_for
from lms.impact.forms import ImpactFilterForm
from lms.impact.present import ratio_bars, shown, trend_chart
from lms.impact.report import Report, impact_report
from lms.models import Team
from lms.portal.manager_selectors import teams_managed


def viewer_teams(user) -> list[int] | None:
    """None for those who see every team, else the ids of the teams the user manages; refused if none."""
    if user.has_perm("lms.view_impact"):
        return None
    teams = [team.pk for team in teams_managed(user=user)]
    if not teams:
        raise PermissionDenied("The impact report is for admins and team managers.")
    return teams


def impact_viewer(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in admins and managers; the report's filters (validated, bounded) on `request.impact`."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        team_ids = viewer_teams(request.user)
        teams = Team.objects.order_by("name")
        if team_ids is not None:
            teams = teams.filter(pk__in=team_ids)
        sites = (
            workers_for(
                filters=Filters(start=timezone.localdate(), end=timezone.localdate()), team_ids=team_ids
            )
            .exclude(site="")
            .order_by("site")
            .values_list("site", flat=True)
            .distinct()
        )
        # Every filter is optional: an empty query is the default report, not an unbound form.
        form = ImpactFilterForm(request.GET, sites=list(sites), teams=list(teams.values_list("pk", "name")))
        if not form.is_valid():
            return render(request, "lms/impact/report.html", {"form": form}, status=400)
        request.impact = impact_report(filters=form.filters(), team_ids=team_ids)
        request.impact_form = form
        return view(request)

    return wrapped


def context(report: Report) -> dict:
    gates_by_key: dict = {}
    for gate in report.gates:
        gates_by_key.setdefault(gate.key, []).append(
            {"gate": gate, "bars": ratio_bars(gate.groups), "flags": gate.flags}
        )
    return {
        "report": report,
        "sections": [
            {"title": section.title, "notes": section.notes, "figures": [shown(f) for f in section.figures]}
            for section in report.sections
        ],
        "trend": trend_chart(report.trend),
        "validity": [{"item": item, "figure": shown(fig)} for item, fig in report.validity],
        "gates": gates_by_key,
        "dif_flags": report.dif_flags,
    }


@impact_viewer
def impact_page(request: HttpRequest) -> HttpResponse:
    """The scorecard and the fairness table, filtered."""
    return render(request, "lms/impact/report.html", {"form": request.impact_form, **context(request.impact)})


@impact_viewer
def impact_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page, one per line (suppressed ones say so)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ladder-impact.csv"'
    exports.write_csv(request.impact, response)
    return response


@impact_viewer
def impact_pdf(request: HttpRequest) -> HttpResponse:
    """The scorecard as a PDF a company can hand a client, with its charts."""
    response = HttpResponse(
        exports.pdf(request.impact, context(request.impact)), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'attachment; filename="ladder-impact.pdf"'
    return response
