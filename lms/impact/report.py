"""The whole impact report for one viewer and one set of filters: the sections, the trend, badge validity,
the fairness table and the questions a language group fails more often. Pages, exports and the API all
read this one object, so a figure suppressed in one is suppressed in all."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from assessments.analysis import ItemDif, dif_by_language
from assessments.models import Attempt
from lms.impact.data import Filters, impact_data, workers_for
from lms.impact.earnings import earnings_section
from lms.impact.fairness import Gate, fairness
from lms.impact.quality import TrendPoint, quality_section, validity_section
from lms.impact.scorecard import Section, active, learning_section, people_section, progression_section

MAX_DAYS = 3 * 366


@dataclass
class Report:
    filters: Filters
    sections: list[Section]
    trend: list[TrendPoint]
    validity: list
    gates: list[Gate]
    dif: list[ItemDif] = field(default_factory=list)
    made_at: object = None

    @property
    def flags(self) -> list[tuple[Gate, object]]:
        return [(gate, group) for gate in self.gates for group in gate.flags]

    @property
    def dif_flags(self) -> list[ItemDif]:
        return [item for item in self.dif if item.result.flagged]


def default_filters() -> Filters:
    """The last 26 weeks up to today."""
    today = timezone.localdate()
    return Filters(start=today - timedelta(weeks=26) + timedelta(days=1), end=today)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cycle collector off while the report is built, on again after (a collection then runs as usual).

    A report over thousands of workers makes hundreds of thousands of small rows, none in a cycle: with
    the collector on, each few hundred new objects set off a collection and every few thousand a full
    one that walks them all again, a fifth of the report's time (0.4–0.5 s of 2–2.5 s for 5,000
    workers). Reference counting still frees everything the report drops.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def impact_report(*, filters: Filters, team_ids: list[int] | None) -> Report:
    """The report over the workers of `team_ids` (None: everyone) who match `filters`."""
    with _collector_paused():
        return _report(filters, team_ids)


def _report(filters: Filters, team_ids: list[int] | None) -> Report:
    data = impact_data(filters=filters, team_ids=team_ids)
    workers = active(data)
    quality, trend = quality_section(data, workers)
    since, until = filters.bounds()
    attempts = Attempt.objects.filter(
        worker__in=workers_for(filters=filters, team_ids=team_ids),
        started_at__gte=since,
        started_at__lt=until,
    )
    return Report(
        filters=filters,
        sections=[
            people_section(data, workers),
            learning_section(data, workers),
            progression_section(data, workers),
            earnings_section(data, workers),
            quality,
        ],
        trend=trend,
        validity=validity_section(data.validity),
        gates=fairness(data, workers),
        dif=dif_by_language(attempts=attempts),
        made_at=timezone.now(),
    )
