"""The impact scorecard on the benchmark's data: the whole report for every worker (median of three),
its query count against the same report for one team (it must not grow with the data), and the PDF."""

import dataclasses
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.impact import exports
from lms.impact.report import default_filters, impact_report
from lms.impact.views import context
from lms.models import Team
from lms.records.rollup import weekly_rollup

RUNS = 3


def _report(filters, team_ids=None):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = impact_report(filters=filters, team_ids=team_ids)
        seconds = time.perf_counter() - started
    return seconds, len(queries), report


def measure(workers: int) -> dict:
    weekly_rollup()  # the records up to date (after the rollup step, this finds nothing to do)
    filters = default_filters()
    runs = [_report(filters) for _ in range(RUNS)]
    team = Team.objects.filter(name="Bench team 1").first()
    one_team = _report(dataclasses.replace(filters, team_id=team.pk)) if team else runs[0]
    managed = _report(filters, team_ids=[team.pk]) if team else runs[0]
    report = runs[-1][2]
    pdfs = []
    for _ in range(RUNS):
        started = time.perf_counter()
        document = exports.pdf(report, context(report))
        pdfs.append(time.perf_counter() - started)
    shown = [f for s in report.sections for f in s.figures if f.value is not None]
    return {
        "workers": workers,
        "seconds": statistics.median(t for t, _, _ in runs),
        "runs": [t for t, _, _ in runs],
        "queries": runs[-1][1],
        "queries_one_team": one_team[1],
        "queries_managed": managed[1],
        "figures_shown": len(shown),
        "gates": len(report.gates),
        "pdf_seconds": statistics.median(pdfs),
        "pdf_runs": pdfs,
        "pdf_bytes": len(document),
    }
