"""Effect conversions and pooling, checked against metafor's published BCG results and hand-worked examples."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evidence.synthesize.effects import from_counts, from_estimate_ci, from_means, hedges_correction, se_from_ci
from evidence.errors import SynthesisError
from evidence.synthesize.pooling import chi2_sf, egger_test, pool, student_t_two_sided_p

BCG = Path(__file__).parent / "fixtures" / "dat_bcg.csv"


def bcg_effects(measure: str) -> tuple[list[float], list[float]]:
    table = pd.read_csv(BCG)
    effects = [from_counts(measure, r.tpos, r.tpos + r.tneg, r.cpos, r.cpos + r.cneg) for r in table.itertuples()]
    return [e.estimate for e in effects], [e.variance for e in effects]


# Golden values: metafor's tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r (EE, DL);
# REML from metafor rma() output on dat.bcg (see tests/fixtures/dat_bcg.README.md).
@pytest.mark.parametrize(
    ("measure", "method", "expected"),
    [
        ("RR", "EE", {"estimate": -0.4303, "ci_low": -0.5097, "ci_high": -0.3509, "z": -10.6247, "q": 152.2330}),
        ("RR", "DL", {"estimate": -0.7141, "ci_low": -1.0644, "ci_high": -0.3638, "z": -3.9952, "tau2": 0.3088,
                      "i2": 92.1173}),
        ("RR", "REML", {"estimate": -0.7145, "se": 0.1798, "tau2": 0.3132, "q": 152.2330}),
        ("OR", "EE", {"estimate": -0.4361, "ci_low": -0.5190, "ci_high": -0.3533, "z": -10.3190, "q": 163.1649}),
        ("OR", "DL", {"estimate": -0.7474, "ci_low": -1.1242, "ci_high": -0.3706, "tau2": 0.3663, "i2": 92.6455}),
        ("OR", "REML", {"estimate": -0.7452, "se": 0.1860, "ci_low": -1.1098, "ci_high": -0.3806, "tau2": 0.3378}),
    ],
)
def test_pool_reproduces_metafor_on_bcg(measure, method, expected):
    result = pool(*bcg_effects(measure), method=method, measure=measure)
    assert result.k == 13
    for name, value in expected.items():
        assert round(getattr(result, name), 4) == pytest.approx(value, abs=1e-9), name


def test_reml_i2_on_bcg_matches_metafor():
    assert round(pool(*bcg_effects("RR"), method="REML").i2, 2) == 92.22
    assert round(pool(*bcg_effects("OR"), method="REML").i2, 2) == 92.07


def test_pool_reports_ratio_on_its_own_scale():
    result = pool(*bcg_effects("RR"), method="DL", measure="RR")
    estimate, low, high = result.reported()
    # metafor predict(res, transf=exp) for the DL model: 0.4896 [0.3449, 0.6950]
    assert (round(estimate, 4), round(low, 4), round(high, 4)) == (0.4896, 0.3449, 0.6950)
    frame = result.summary_frame()
    assert frame.loc[0, "scale"] == "log"
    assert frame.loc[0, "reported_estimate"] == pytest.approx(estimate)


def test_weights_sum_to_100_and_follow_inverse_variance():
    result = pool([0.1, 0.3, 0.2], [0.01, 0.04, 0.02], method="EE")
    assert sum(result.weights) == pytest.approx(100)
    assert result.weights[0] / result.weights[1] == pytest.approx(4)


def test_tau2_is_truncated_at_zero_for_homogeneous_studies():
    for method in ("DL", "REML"):
        result = pool([0.2, 0.21, 0.19, 0.2], [0.05, 0.04, 0.06, 0.05], method=method)
        assert result.tau2 == 0.0
        assert result.i2 == 0.0


def test_one_study_is_not_pooled():
    with pytest.raises(SynthesisError, match="at least two studies"):
        pool([0.3], [0.02])


def test_zero_variance_is_refused_with_the_study_position():
    with pytest.raises(SynthesisError, match=r"positions \[1\]"):
        pool([0.3, 0.1], [0.02, 0.0])


def test_unknown_method_and_bad_inputs_are_refused():
    with pytest.raises(SynthesisError, match="unknown pooling method"):
        pool([0.3, 0.1], [0.02, 0.01], method="ML")
    with pytest.raises(SynthesisError, match="same length"):
        pool([0.3, 0.1], [0.02])
    with pytest.raises(SynthesisError, match="finite"):
        pool([0.3, float("nan")], [0.02, 0.01])


# --- conversions, worked by hand ------------------------------------------------------------

def test_risk_ratio_from_counts():
    e = from_counts("RR", 10, 100, 20, 100)
    assert e.estimate == pytest.approx(math.log(0.5))
    assert e.variance == pytest.approx(1 / 10 - 1 / 100 + 1 / 20 - 1 / 100)  # 0.13


def test_odds_ratio_from_counts():
    e = from_counts("OR", 10, 100, 20, 100)
    assert e.estimate == pytest.approx(math.log((10 * 80) / (90 * 20)))
    assert e.variance == pytest.approx(1 / 10 + 1 / 90 + 1 / 20 + 1 / 80)


def test_risk_difference_from_counts():
    e = from_counts("RD", 10, 100, 20, 100)
    assert e.estimate == pytest.approx(-0.1)
    assert e.variance == pytest.approx(0.0025)  # 0.1*0.9/100 + 0.2*0.8/100


def test_continuity_correction_only_when_a_cell_is_zero():
    # 0/10 vs 5/10: cells become 0.5, 10.5, 5.5, 5.5 -> RR = (0.5/11)/(5.5/11) = 1/11
    e = from_counts("RR", 0, 10, 5, 10)
    assert e.estimate == pytest.approx(math.log(1 / 11))
    assert e.variance == pytest.approx(1 / 0.5 - 1 / 11 + 1 / 5.5 - 1 / 11)  # 2.0
    # no zero cell: no correction (1/10 vs 5/10 -> RR exactly 0.2)
    assert from_counts("RR", 1, 10, 5, 10).estimate == pytest.approx(math.log(0.2))


def test_ratio_without_events_in_either_arm_is_refused():
    with pytest.raises(SynthesisError, match="risk difference"):
        from_counts("RR", 0, 20, 0, 20)
    assert from_counts("RD", 0, 20, 0, 20).estimate == pytest.approx(0.0)


def test_impossible_counts_are_refused():
    with pytest.raises(SynthesisError, match="impossible counts"):
        from_counts("RR", 12, 10, 5, 10)


def test_mean_difference_from_arm_summaries():
    e = from_means("MD", 3.0, 2.0, 20, 5.0, 3.0, 30)
    assert e.estimate == pytest.approx(-2.0)
    assert e.variance == pytest.approx(4 / 20 + 9 / 30)  # 0.5


def test_hedges_g_from_arm_summaries():
    # n 10 + 10, pooled SD 2, raw d = 1; J(18) = Γ(9) / (3 Γ(8.5)), Γ(8.5) = 2027025/256 √π
    j = 40320 / (3 * 2027025 / 256 * math.sqrt(math.pi))
    assert hedges_correction(18) == pytest.approx(j)
    assert hedges_correction(18) == pytest.approx(1 - 3 / (4 * 18 - 1), abs=2e-4)  # the usual approximation
    e = from_means("SMD", 12.0, 2.0, 10, 10.0, 2.0, 10)
    assert e.estimate == pytest.approx(j)
    assert e.variance == pytest.approx(0.1 + 0.1 + j**2 / 40)


def test_means_with_bad_sd_are_refused():
    with pytest.raises(SynthesisError, match="standard deviations"):
        from_means("MD", 3.0, 0.0, 20, 5.0, 3.0, 30)


def test_se_from_ci_difference_and_ratio():
    assert se_from_ci(-2.0, 2.0, "MD") == pytest.approx(4 / (2 * 1.959964), rel=1e-6)
    assert se_from_ci(0.5, 2.0, "RR") == pytest.approx(math.log(4) / (2 * 1.959964), rel=1e-6)


def test_effect_from_ratio_ci_is_on_log_scale():
    e = from_estimate_ci("RR", 1.0, 0.5, 2.0)
    assert e.estimate == 0.0
    assert e.se == pytest.approx(math.log(4) / (2 * 1.959964), rel=1e-6)
    low, high = e.ci()
    assert (low, high) == (pytest.approx(0.5), pytest.approx(2.0))


def test_effect_from_ci_refuses_inconsistent_numbers():
    with pytest.raises(SynthesisError, match="outside its interval"):
        from_estimate_ci("MD", 3.0, -1.0, 1.0)
    with pytest.raises(SynthesisError, match="positive"):
        from_estimate_ci("RR", 0.5, 0.0, 1.0)
    with pytest.raises(SynthesisError, match="no width"):
        from_estimate_ci("MD", 1.0, 1.0, 1.0)


# --- distributions and Egger's test -----------------------------------------------------------

@pytest.mark.parametrize(("x", "df"), [(3.841459, 1), (5.991465, 2), (7.814728, 3), (21.026070, 12)])
def test_chi2_tail_matches_table_critical_values(x, df):
    assert chi2_sf(x, df) == pytest.approx(0.05, abs=1e-6)


@pytest.mark.parametrize(("t", "df"), [(12.706205, 1), (4.302653, 2), (2.228139, 10), (2.200985, 11)])
def test_t_tail_matches_table_critical_values(t, df):
    assert student_t_two_sided_p(t, df) == pytest.approx(0.05, abs=1e-6)
    assert student_t_two_sided_p(-t, df) == pytest.approx(0.05, abs=1e-6)


def test_egger_equals_weighted_regression_on_standard_error():
    y, v = bcg_effects("RR")
    se = np.sqrt(v)
    # Independent formulation: weighted least squares of y on se with weights 1/v; the slope of
    # se equals Egger's intercept (metafor regtest(model="lm")).
    w = 1 / np.asarray(v)
    x = np.column_stack([np.ones(len(y)), se])
    beta = np.linalg.solve(x.T @ (w[:, None] * x), x.T @ (w * np.asarray(y)))
    result = egger_test(y, v)
    assert result.intercept == pytest.approx(beta[1])
    assert result.df == 11


def test_egger_detects_small_study_effects_and_not_their_absence():
    se = np.linspace(0.05, 0.5, 12)
    wobble = np.tile([0.01, -0.01], 6)
    asymmetric = egger_test(0.1 + 2.0 * se + wobble, se**2)
    assert asymmetric.p_value < 0.01
    symmetric = egger_test(0.1 + np.tile([1, -1], 6) * se * 0.5, se**2)
    assert symmetric.p_value > 0.10


def test_egger_needs_three_studies():
    with pytest.raises(SynthesisError, match="at least 3"):
        egger_test([0.1, 0.2], [0.01, 0.02])
