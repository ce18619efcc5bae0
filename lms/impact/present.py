"""How the report's numbers read, in the reader's language, and the geometry of its SVG charts."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lms.impact.fairness import GroupRate
from lms.impact.quality import TrendPoint
from lms.impact.scorecard import Figure


def amount(value: float | None, unit: str, currency: str = "") -> str:
    """One value in its unit: 42 %, 1.5 h, 12 days, USD 2.10, 2.2×."""
    if value is None:
        return ""
    if unit == "share":
        return _("%(value)s %%") % {"value": number_format(value * 100, 0)}
    if unit == "hours":
        return _("%(value)s h") % {"value": number_format(value, 1)}
    if unit == "days":
        return _("%(value)s days") % {"value": number_format(value, 0)}
    if unit == "money":
        return f"{currency} {number_format(value, 2)}"
    if unit == "multiple":
        return _("%(value)s×") % {"value": number_format(value, 1)}
    if unit == "rate":
        return number_format(value, 2)
    return number_format(value, 0, force_grouping=True)


def shown(figure: Figure) -> dict:
    """What a page, the PDF and the CSV print for one figure."""
    spread = ""
    if figure.low is not None and figure.high is not None:
        spread = _("%(low)s – %(high)s") % {
            "low": amount(figure.low, figure.unit, figure.currency),
            "high": amount(figure.high, figure.unit, figure.currency),
        }
    return {
        "key": figure.key,
        "label": figure.label,
        "value": amount(figure.value, figure.unit, figure.currency),
        "spread": spread,
        "n": figure.n,
        "missing": figure.missing,
        "suppressed": figure.suppressed,
    }


def trend_chart(points: list[TrendPoint], width: int = 600, height: int = 160) -> dict:
    """A line of weekly accuracy on a 0–100 % scale; weeks under 10 workers break the line."""
    if not points:
        return {}
    step = width / max(1, len(points) - 1)
    segments, current = [], []
    for i, point in enumerate(points):
        if point.accuracy is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{round(i * step, 1)},{round(height - point.accuracy * (height - 10), 1)}")
    if current:
        segments.append(current)
    return {
        "width": width,
        "height": height,
        "lines": [" ".join(segment) for segment in segments],
        "first": points[0].week,
        "last": points[-1].week,
    }


def ratio_bars(groups: list[GroupRate], width: int = 300, row: int = 22) -> dict:
    """Horizontal bars of each group's ratio (0–1.2) with the four-fifths line."""
    scale = width / 1.2
    bars = []
    for i, group in enumerate(g for g in groups if g.ratio is not None):
        bars.append(
            {
                "y": i * row,
                "w": round(min(group.ratio.value, 1.2) * scale, 1),
                "label": group.group,
                "below": group.below,
            }
        )
    return {"width": width, "height": max(row, len(bars) * row), "line": round(0.8 * scale, 1), "bars": bars}
