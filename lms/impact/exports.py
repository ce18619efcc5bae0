"""The report as CSV, JSON (the API) and PDF: the same figures and the same suppression as the page."""

import csv

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from lms.impact.report import Report
from lms.impact.scorecard import Figure


def _figure_json(figure: Figure) -> dict:
    return {
        "key": figure.key,
        "label": figure.label,
        "unit": figure.unit,
        "value": figure.value,
        "n": figure.n,
        "p25": figure.low,
        "p75": figure.high,
        "currency": figure.currency or None,
        "missing": figure.missing or None,
    }


def as_json(report: Report) -> dict:
    """Every figure, the trend, badge validity, fairness and flagged questions, as plain JSON values."""
    f = report.filters
    return {
        "filters": {
            "start": f.start.isoformat(),
            "end": f.end.isoformat(),
            "site": f.site or None,
            "team": f.team_id,
            "language": f.language or None,
            "cohort": f.cohort.isoformat()[:7] if f.cohort else None,
        },
        "sections": {s.key: [_figure_json(x) for x in s.figures] for s in report.sections},
        "accuracy_trend": [
            {"week": p.week.isoformat(), "accuracy": p.accuracy, "workers": p.workers} for p in report.trend
        ],
        "badge_validity": [
            {"badge": v.badge_slug, "task_type": v.task_type_code, "flagged": v.flagged, **_figure_json(fig)}
            for v, fig in report.validity
        ],
        "fairness": [
            {
                "gate": gate.key,
                "label": gate.label,
                "dimension": gate.dimension,
                "groups": [
                    {
                        "group": g.group,
                        "n": g.n,
                        "workers": g.workers,
                        "rate": None if g.suppressed else g.rate,
                        "ratio": g.ratio.value if g.ratio else None,
                        "ratio_low": g.ratio.low if g.ratio else None,
                        "ratio_high": g.ratio.high if g.ratio else None,
                        "reference": g.reference,
                        "flagged": gate.flagged(g),
                        "missing": _("fewer than 10 workers") if g.suppressed else None,
                    }
                    for g in gate.groups
                ],
            }
            for gate in report.gates
        ],
        "questions_flagged": [
            {
                "question": item.question_id,
                "label": item.label,
                "language": item.language,
                "against": "other languages",
                "delta": item.result.delta,
                "chi2": item.result.chi2,
                "n": item.result.focal_n,
            }
            for item in report.dif_flags
        ],
    }


def _rounded(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def _figure_row(title: str, figure: Figure, note: str = "") -> list:
    return [
        title,
        figure.label,
        _rounded(figure.value),
        figure.n,
        _rounded(figure.low),
        _rounded(figure.high),
        figure.currency,
        note or figure.missing,
    ]


def write_csv(report: Report, out) -> None:
    """Three blocks, each under its own header: the figures, the gates, the flagged questions."""
    writer = csv.writer(out)
    writer.writerow(
        [_("Section"), _("Figure"), _("Value"), "n", _("25th percentile"), _("75th percentile"),
         _("Currency"), _("Note")]
    )  # fmt: skip
    for section in report.sections:
        for figure in section.figures:
            writer.writerow(_figure_row(section.title, figure))
    for item, figure in report.validity:
        flagged = _("flagged: does not predict the work") if item.flagged else ""
        writer.writerow(_figure_row(_("Badge validity"), figure, flagged))
    writer.writerow([])
    writer.writerow(
        [_("Gate"), _("Group by"), _("Group"), "n", _("Workers"), _("Rate"), _("Ratio"), _("Interval (95%)"),
         _("Note")]
    )  # fmt: skip
    for gate in report.gates:
        for g in gate.groups:
            head = [gate.label, gate.dimension_label, g.group, g.n, g.workers]
            if g.suppressed:
                writer.writerow([*head, "", "", "", _("fewer than 10 workers")])
                continue
            interval = f"{g.ratio.low:.2f}–{g.ratio.high:.2f}" if g.ratio else ""
            note = _("below four-fifths") if gate.flagged(g) else (_("reference") if g.reference else "")
            ratio = round(g.ratio.value, 4) if g.ratio else ""
            writer.writerow([*head, round(g.rate, 4), ratio, interval, note])
    writer.writerow([])
    writer.writerow([_("Question"), _("Language"), "Δ", "χ²", "n"])
    for item in report.dif_flags:
        result = item.result
        writer.writerow(
            [item.label, item.language_name, round(result.delta, 2), round(result.chi2, 2), result.focal_n]
        )


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"The report PDF fetches nothing: {url}")


def pdf(report: Report, context: dict) -> bytes:
    """The printable report (charts inline as SVG, nothing fetched) as PDF bytes."""
    from weasyprint import HTML  # a heavy import: only the PDF view pays for it

    html = render_to_string("lms/impact/report_pdf.html", context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
