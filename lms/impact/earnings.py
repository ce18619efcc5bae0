"""Earnings from work results: per hour worked, its change over a worker's time, and against the income
each consenting worker had before joining (the multiple impact sourcing reports, e.g. "2.2×")."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lms.impact.data import Data, Person
from lms.impact.scorecard import Figure, Section, figure
from lms.stats import median, quantile

DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Earnings:
    currency: str
    weeks: dict[date, list]  # week → [earned, minutes]

    def per_hour(self, weeks: list[date] | None = None) -> float | None:
        chosen = [self.weeks[w] for w in (weeks if weeks is not None else self.weeks)]
        minutes = sum(m for _, m in chosen)
        return float(sum(e for e, _ in chosen) / minutes * 60) if minutes else None


def earnings_by_worker(data: Data, ids: set[int]) -> tuple[dict[int, Earnings], int]:
    """Each worker's earnings per week, and how many were paid in more than one currency (left out)."""
    weeks: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(lambda: [0.0, 0])))
    for week in data.work:
        if week.worker_id in ids:
            cell = weeks[week.worker_id][week.currency][week.week]
            cell[0] += week.earned
            cell[1] += week.minutes
    found, mixed = {}, 0
    for worker, by_currency in weeks.items():
        if len(by_currency) > 1:
            mixed += 1
            continue
        currency, per_week = next(iter(by_currency.items()))
        found[worker] = Earnings(currency, dict(per_week))
    return found, mixed


def _change(earnings: Earnings) -> float | None:
    """Earnings per hour in the last four weeks worked against the first four; None under eight weeks."""
    weeks = sorted(earnings.weeks)
    if (weeks[-1] - weeks[0]).days < 7 * 7:
        return None
    first = [w for w in weeks if w < weeks[0] + timedelta(weeks=4)]
    last = [w for w in weeks if w > weeks[-1] - timedelta(weeks=4)]
    before, after = earnings.per_hour(first), earnings.per_hour(last)
    return after / before - 1 if before and after is not None else None


def _multiple(person: Person, earnings: Earnings) -> float | None:
    """Monthly earnings over the last four weeks worked, as a multiple of the income before joining."""
    weeks = sorted(earnings.weeks)
    last = [w for w in weeks if w > weeks[-1] - timedelta(weeks=4)]
    monthly = float(sum(earnings.weeks[w][0] for w in last)) / (7 * 4) * DAYS_PER_MONTH
    return monthly / float(person.income)


def earnings_section(data: Data, workers: list[Person]) -> Section:
    ids = {p.id for p in workers}
    earnings, mixed = earnings_by_worker(data, ids)
    figures = []
    by_currency: dict = defaultdict(list)
    for e in earnings.values():
        if (rate := e.per_hour()) is not None:
            by_currency[e.currency].append(rate)
    for currency, rates in sorted(by_currency.items()):
        figures.append(
            figure(
                f"earnings_per_hour:{currency}",
                _("Earnings per hour worked (median)"),
                "money",
                median(rates),
                len(rates),
                currency=currency,
                low=quantile(rates, 0.25),
                high=quantile(rates, 0.75),
            )
        )
    if not by_currency:
        figures.append(
            figure(
                "earnings_per_hour",
                _("Earnings per hour worked (median)"),
                "money",
                None,
                len(workers),
                why_missing=_("no work results in this period"),
            )
        )
    changes = [c for e in earnings.values() if (c := _change(e)) is not None]
    figures.append(
        figure(
            "earnings_change",
            _("Change in earnings per hour, first four weeks to last four (median)"),
            "share",
            median(changes),
            len(changes) if changes else len(workers),
            why_missing=_("no worker has eight weeks of work in this period"),
        )
    )
    figures.append(_baseline_figure(data, workers, earnings))
    notes = []
    if mixed:
        notes.append(
            ngettext(
                "%(n)d worker paid in more than one currency is left out of these figures.",
                "%(n)d workers paid in more than one currency are left out of these figures.",
                mixed,
            )
            % {"n": mixed}
        )
    return Section("earnings", str(_("Earnings")), figures, notes)


def _baseline_figure(data: Data, workers: list[Person], earnings: dict[int, Earnings]) -> Figure:
    label = _("Earnings against income before joining (median multiple)")
    with_baseline = [p for p in workers if p.consent and p.income]
    if not with_baseline:
        return figure(
            "income_multiple",
            label,
            "multiple",
            None,
            0,
            why_missing=_("no consenting workers with a baseline"),
        )
    paid = [p for p in with_baseline if p.id in earnings]
    if not paid:
        return figure(
            "income_multiple",
            label,
            "multiple",
            None,
            0,
            why_missing=_("no consenting worker with a baseline has work results in this period"),
        )
    multiples = [_multiple(p, earnings[p.id]) for p in paid if earnings[p.id].currency == p.currency]
    return figure(
        "income_multiple",
        label,
        "multiple",
        median(multiples),
        len(multiples),
        why_missing=_("their earnings are in another currency than their baseline"),
    )
