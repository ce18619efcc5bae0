"""The report's arithmetic against examples worked out by hand."""

import math

import pytest

from lms.stats import Stratum, mantel_haenszel, median, quantile, rate_ratio


def test_quantiles_interpolate_between_order_statistics():
    values = [4, 1, 3, 2]  # sorted 1 2 3 4: median halfway between 2 and 3
    assert median(values) == 2.5
    assert quantile(values, 0.25) == pytest.approx(1.75)  # position 0.75 between 1 and 2
    assert quantile(values, 0.75) == pytest.approx(3.25)
    assert median([]) is None


def test_adverse_impact_ratio_and_its_interval():
    # 20 of 50 pass against 40 of 50: 0.4 / 0.8 = 0.5, under four-fifths.
    ratio = rate_ratio(20, 50, 40, 50)
    assert ratio.value == pytest.approx(0.5)
    # Katz: se = sqrt(1/20 - 1/50 + 1/40 - 1/50) = sqrt(0.035)
    se = math.sqrt(1 / 20 - 1 / 50 + 1 / 40 - 1 / 50)
    assert ratio.low == pytest.approx(0.5 * math.exp(-1.959964 * se), rel=1e-5)
    assert ratio.high == pytest.approx(0.5 * math.exp(1.959964 * se), rel=1e-5)
    assert ratio.high < 0.8  # sure enough: the whole interval is under four-fifths


def test_no_ratio_without_a_reference_rate():
    assert rate_ratio(3, 10, 0, 10) is None
    assert rate_ratio(3, 0, 5, 10) is None


def test_mantel_haenszel_on_a_worked_example():
    # Two score bands. Band 1: reference 8 right 2 wrong, focal 4 right 6 wrong (N=20).
    # Band 2: reference 9 right 1 wrong, focal 6 right 4 wrong (N=20).
    strata = [Stratum(8, 2, 4, 6), Stratum(9, 1, 6, 4)]
    result = mantel_haenszel(strata)
    # α = (8·6/20 + 9·4/20) / (2·4/20 + 1·6/20) = (2.4 + 1.8) / (0.4 + 0.3) = 6
    assert result.alpha == pytest.approx(6.0)
    assert result.delta == pytest.approx(-2.35 * math.log(6.0))
    # Σ A = 17; E(A) = 10·12/20 + 10·15/20 = 6 + 7.5 = 13.5
    # Var = 10·10·12·8/(400·19) + 10·10·15·5/(400·19) = (9600 + 7500)/7600 = 2.25
    # χ² = (|17 − 13.5| − 0.5)² / 2.25 = 9 / 2.25 = 4
    assert result.chi2 == pytest.approx(4.0)
    # Robins–Breslow–Greenland: P = (A+D)/N, Q = (B+C)/N, R = AD/N, S = BC/N per band:
    # band 1 P .7 Q .3 R 2.4 S .4; band 2 P .65 Q .35 R 1.8 S .3; ΣR 4.2, ΣS .7.
    # Var ln α = (1.68 + 1.17)/(2·4.2²) + (1.0 + 0.825)/(2·4.2·0.7) + (0.12 + 0.105)/(2·0.7²)
    variance = 2.85 / 35.28 + 1.825 / 5.88 + 0.225 / 0.98
    assert result.delta_se == pytest.approx(2.35 * math.sqrt(variance))
    # Δ ≈ −4.21, χ² 4 > 3.84, and (4.21 − 1) / 1.85 ≈ 1.73 > 1.645: category C.
    assert result.flagged


def test_mantel_haenszel_without_difference_is_not_flagged():
    result = mantel_haenszel([Stratum(8, 2, 8, 2), Stratum(5, 5, 5, 5)])
    assert result.alpha == pytest.approx(1.0)
    assert not result.flagged


def test_mantel_haenszel_ignores_bands_with_one_group():
    assert mantel_haenszel([Stratum(8, 2, 0, 0)]) is None


def test_mantel_haenszel_when_the_reference_is_never_wrong():
    # Reference 10 right 0 wrong in both bands: the plain α is infinite, so half a count goes in every cell.
    strata = [Stratum(10, 0, 4, 6), Stratum(10, 0, 6, 4)]
    result = mantel_haenszel(strata)
    # α = (10.5·6.5/22 + 10.5·4.5/22) / (0.5·4.5/22 + 0.5·6.5/22) = 115.5 / 5.5 = 21
    assert result.alpha == pytest.approx(21.0)
    # Σ A = 20; E(A) = 10·14/20 + 10·16/20 = 15; Var = (10·10·14·6 + 10·10·16·4)/(400·19) = 14800/7600
    assert result.chi2 == pytest.approx(4.5**2 / (14800 / 7600))
    assert result.flagged


def test_mantel_haenszel_says_nothing_when_nobody_is_ever_wrong():
    assert mantel_haenszel([Stratum(10, 0, 8, 0), Stratum(5, 0, 5, 0)]) is None


def test_a_large_delta_from_few_attempts_is_not_flagged():
    # One band, 6 against 6: Δ is large but too uncertain to be sure it goes beyond −1.
    result = mantel_haenszel([Stratum(5, 1, 3, 3)])
    assert result.delta < -1.5 and not result.flagged
