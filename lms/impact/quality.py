"""Quality and due process (accuracy, suspensions, appeals) and whether each badge predicts the work."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assignment.validity import Validity
from lms.impact.data import Data, Person
from lms.impact.scorecard import MIN_GROUP, Figure, Section, figure
from lms.stats import median, share

APPEAL_HOURS = 48


@dataclass(frozen=True)
class TrendPoint:
    week: date
    accuracy: float | None  # None: fewer than 10 workers worked that week
    workers: int


def accuracy_trend(data: Data, ids: set[int]) -> list[TrendPoint]:
    """Accuracy per week, weighted by tasks; a week with fewer than 10 workers is left blank."""
    weeks: dict = defaultdict(lambda: [0.0, 0, set()])
    for week in data.work:
        if week.worker_id in ids and week.tasks:
            cell = weeks[week.week]
            cell[0] += week.accuracy_tasks
            cell[1] += week.tasks
            cell[2].add(week.worker_id)
    return [
        TrendPoint(w, cell[0] / cell[1] if len(cell[2]) >= MIN_GROUP else None, len(cell[2]))
        for w, cell in sorted(weeks.items())
    ]


def quality_section(data: Data, workers: list[Person]) -> tuple[Section, list[TrendPoint]]:
    f = data.filters
    ids = {p.id for p in workers}
    since, until = f.bounds()
    trend = accuracy_trend(data, ids)
    shown = [point for point in trend if point.accuracy is not None]
    suspensions = [row for row in data.suspensions if row["worker_id"] in ids]
    started = [row for row in suspensions if row["started_at"] >= since]
    restored = [row for row in suspensions if row["lifted_at"] and since <= row["lifted_at"] < until]
    appeals = [row for row in data.appeals if row["suspension__worker_id"] in ids]
    now = timezone.now()
    due = [
        row
        for row in appeals
        if row["answered_at"] or now - row["created_at"] > timedelta(hours=APPEAL_HOURS)
    ]
    in_time = [
        row
        for row in due
        if row["answered_at"] and row["answered_at"] - row["created_at"] <= timedelta(hours=APPEAL_HOURS)
    ]
    figures = [
        figure(
            "accuracy_latest",
            _("Accuracy, latest week"),
            "share",
            shown[-1].accuracy if shown else None,
            shown[-1].workers if shown else 0,
            why_missing=_("no week with work results from 10 workers or more"),
        ),
        figure(
            "suspensions_per_100",
            _("Suspensions per 100 workers"),
            "rate",
            share(len(started), len(workers)) * 100 if workers else None,
            len(workers),
        ),
        figure(
            "days_to_restore",
            _("Median days from suspension to restored"),
            "days",
            median([(row["lifted_at"] - row["started_at"]).total_seconds() / 86400 for row in restored]),
            len({row["worker_id"] for row in restored}),
            why_missing=_("no suspension was lifted in this period"),
        ),
        figure(
            "appeals_in_48h",
            _("Share of appeals answered within 48 hours"),
            "share",
            share(len(in_time), len(due)),
            len({row["suspension__worker_id"] for row in due}),
            why_missing=_("no appeals in this period"),
        ),
    ]
    return Section("quality", str(_("Quality and due process")), figures), trend


def validity_section(validity: list[Validity], n_min: int = MIN_GROUP) -> list[tuple[Validity, Figure]]:
    """Each badge's validity as a figure (suppressed under 10 workers, missing without a threshold)."""
    rows = []
    for item in validity:
        why = (
            _("no newly unlocked worker has done 20 tasks yet")
            if item.threshold
            else _("this work has no threshold")
        )
        rows.append(
            (
                item,
                figure(
                    f"badge_validity:{item.badge_slug}:{item.task_type_code}",
                    _("%(badge)s predicts %(work)s")
                    % {"badge": item.badge_name, "work": item.task_type_name},
                    "share",
                    item.share,
                    item.counted,
                    why_missing=why,
                ),
            )
        )
    return rows
