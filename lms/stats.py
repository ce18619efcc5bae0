"""The arithmetic of the impact report, free of the database: quantiles, rate ratios, Mantel–Haenszel.

Every function takes plain numbers and answers None where the figure does not exist (no data, a zero
denominator), so a caller can say why a figure is missing instead of printing 0.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
FOUR_FIFTHS = 0.8
# ETS's rule for a large differential-item-functioning effect: |Δ_MH| of 1.5 or more.
ETS_LARGE = 1.5
ETS_SMALL = 1.0
Z_95_ONE_SIDED = 1.6448536269514722
CHI2_95 = 3.841458820694124


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile by linear interpolation between order statistics (numpy's default); None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(values: Sequence[float]) -> float | None:
    return quantile(values, 0.5)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Ratio:
    """A rate ratio with its 95 % confidence interval (Katz's log method)."""

    value: float
    low: float
    high: float


def rate_ratio(hits: int, n: int, ref_hits: int, ref_n: int) -> Ratio | None:
    """(hits/n) ÷ (ref_hits/ref_n) with a 95 % interval; Haldane's ½ added to every cell when one is empty.

    None when either group is empty or the reference rate is zero (no ratio to take).
    """
    if not n or not ref_n or not ref_hits:
        return None
    a, b, c, d = hits, n - hits, ref_hits, ref_n - ref_hits
    value = (a / n) / (c / ref_n)
    if 0 in (a, b, c, d):
        a, b, c, d = a + 0.5, b + 0.5, c + 0.5, d + 0.5
    estimate = math.log((a / (a + b)) / (c / (c + d)))
    spread = Z95 * math.sqrt(1 / a - 1 / (a + b) + 1 / c - 1 / (c + d))
    return Ratio(value=value, low=math.exp(estimate - spread), high=math.exp(estimate + spread))


@dataclass(frozen=True)
class Stratum:
    """One score band of a 2×2 table: the reference and focal groups, right and wrong on one question."""

    ref_right: int
    ref_wrong: int
    focal_right: int
    focal_wrong: int

    @property
    def total(self) -> int:
        return self.ref_right + self.ref_wrong + self.focal_right + self.focal_wrong


@dataclass(frozen=True)
class MantelHaenszel:
    """The common odds ratio α (reference over focal), ETS's Δ = −2.35 ln α with its standard error
    (Robins–Breslow–Greenland), and the continuity-corrected χ²."""

    alpha: float
    delta: float
    chi2: float
    focal_n: int
    ref_n: int
    delta_se: float = 0.0

    @property
    def flagged(self) -> bool:
        """ETS category C against the focal group: Δ ≤ −1.5, significantly different from 0 (χ²) and
        significantly beyond −1 (one-sided, 5 %), so chance in small groups is not read as a bad question."""
        beyond = (-self.delta - ETS_SMALL) >= Z_95_ONE_SIDED * self.delta_se
        return self.delta <= -ETS_LARGE and self.chi2 >= CHI2_95 and beyond


def mantel_haenszel(strata: Iterable[Stratum]) -> MantelHaenszel | None:
    """Mantel–Haenszel over score strata; strata holding only one group say nothing and are left out.

    When one group is never wrong (or never right) where the other is, the odds ratio would be 0 or
    infinite: it is then estimated with half a count added to every cell (Haldane–Anscombe), so the
    strongest differences are reported rather than dropped. None when no stratum holds both groups, or
    nobody in them was ever wrong (or ever right): the question says nothing about the groups then.
    """
    informative = [s for s in strata if s.ref_right + s.ref_wrong and s.focal_right + s.focal_wrong]
    informative = [s for s in informative if s.total >= 2]
    if not informative:
        return None
    num = den = observed = expected = variance = 0.0
    ref_n = focal_n = 0
    for s in informative:
        n_ref, n_focal = s.ref_right + s.ref_wrong, s.focal_right + s.focal_wrong
        t = s.total
        ref_n, focal_n = ref_n + n_ref, focal_n + n_focal
        right, wrong = s.ref_right + s.focal_right, s.ref_wrong + s.focal_wrong
        num += s.ref_right * s.focal_wrong / t
        den += s.ref_wrong * s.focal_right / t
        observed += s.ref_right
        expected += n_ref * right / t
        variance += n_ref * n_focal * right * wrong / (t * t * (t - 1))
    if not num and not den:
        return None
    cells = [(s.ref_right, s.ref_wrong, s.focal_right, s.focal_wrong) for s in informative]
    if not num or not den:
        cells = [(a + 0.5, b + 0.5, c + 0.5, d + 0.5) for a, b, c, d in cells]
    alpha, delta_se = _alpha_and_se(cells)
    chi2 = (max(abs(observed - expected) - 0.5, 0) ** 2) / variance if variance else 0.0
    return MantelHaenszel(
        alpha=alpha,
        delta=-2.35 * math.log(alpha),
        chi2=chi2,
        focal_n=focal_n,
        ref_n=ref_n,
        delta_se=delta_se,
    )


def _alpha_and_se(cells: list[tuple[float, float, float, float]]) -> tuple[float, float]:
    """α from (reference right, reference wrong, focal right, focal wrong) per stratum, and the standard
    error of Δ from the Robins–Breslow–Greenland variance of ln α."""
    r_sum = s_sum = pr = ps_qr = qs = 0.0
    for a, b, c, d in cells:
        n = a + b + c + d
        p, q, r, s = (a + d) / n, (b + c) / n, a * d / n, b * c / n
        r_sum, s_sum = r_sum + r, s_sum + s
        pr, ps_qr, qs = pr + p * r, ps_qr + p * s + q * r, qs + q * s
    variance = pr / (2 * r_sum**2) + ps_qr / (2 * r_sum * s_sum) + qs / (2 * s_sum**2)
    return r_sum / s_sum, 2.35 * math.sqrt(variance)
