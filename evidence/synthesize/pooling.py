"""Inverse-variance pooling (equal-effects, DerSimonian-Laird, REML) and Egger's test.

The estimators follow metafor's ``rma.uni`` for a model without moderators (Viechtbauer 2005,
J Educ Behav Stat 30(3); Viechtbauer 2010, J Stat Softw 36(3)) so that results can be checked
against it to four decimals (tests/test_pooling.py uses metafor's dat.bcg example):

* ``EE``  weights 1/v_i; tau² = 0.
* ``DL``  tau² = max(0, (Q - (k-1)) / (Σw - Σw²/Σw)).
* ``REML`` Fisher scoring from the DL value, step-halving so tau² never goes below 0.

I² is metafor's: 100 tau² / (tau² + s²) with s² the "typical" within-study variance
(k-1)Σw / ((Σw)² - Σw²); for the equal-effects model, 100 max(0, (Q - df) / Q).
Only numpy and the standard library are used; the t and chi-square tail probabilities have
closed forms for the integer degrees of freedom that occur here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .effects import RATIO_MEASURES, to_reporting_scale, z_critical
from ..errors import SynthesisError

METHODS = ("EE", "DL", "REML")
REML_TOLERANCE = 1e-10
REML_MAX_ITERATIONS = 1000


@dataclass(frozen=True)
class PoolResult:
    """A pooled estimate with its heterogeneity statistics (analysis scale: log for ratios).

    Attributes
    ----------
    method:
        ``"EE"``, ``"DL"`` or ``"REML"``.
    k:
        Number of studies pooled.
    estimate, se, ci_low, ci_high:
        Pooled estimate, its standard error and confidence interval.
    z, p_value:
        Wald test of estimate = 0 (no effect), two-sided.
    tau2:
        Between-study variance (0 for ``EE``).
    i2:
        Percentage of total variability due to heterogeneity.
    q, q_df, q_p_value:
        Cochran's Q test of homogeneity.
    weights:
        Each study's share of the total weight, in percent, in input order.
    measure:
        Effect measure when known (``RR``, ``MD``, ...); ratio measures are on the log scale.
    level:
        Confidence level of the interval.
    """

    method: str
    k: int
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    tau2: float
    i2: float
    q: float
    q_df: int
    q_p_value: float
    weights: tuple[float, ...]
    measure: str | None = None
    level: float = 0.95

    def reported(self) -> tuple[float, float, float]:
        """(estimate, ci_low, ci_high) on the reporting scale: ratios exponentiated."""
        m = self.measure or ""
        return (to_reporting_scale(self.estimate, m), to_reporting_scale(self.ci_low, m),
                to_reporting_scale(self.ci_high, m))

    def summary_frame(self) -> pd.DataFrame:
        """One row with every statistic, plus the estimate and CI on the reporting scale."""
        est, low, high = self.reported()
        row = {
            "method": self.method, "measure": self.measure, "k": self.k,
            "estimate": self.estimate, "se": self.se, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "z": self.z, "p_value": self.p_value, "tau2": self.tau2, "i2": self.i2,
            "q": self.q, "q_df": self.q_df, "q_p_value": self.q_p_value,
            "scale": "log" if self.measure in RATIO_MEASURES else "natural",
            "reported_estimate": est, "reported_ci_low": low, "reported_ci_high": high,
            "level": self.level,
        }
        return pd.DataFrame([row])


@dataclass(frozen=True)
class EggerResult:
    """Egger's regression test for funnel-plot asymmetry (small-study effects).

    ``intercept`` is the intercept of the regression of y_i/se_i on 1/se_i; ``t`` and ``p_value``
    test it against 0 with k - 2 degrees of freedom.
    """

    k: int
    intercept: float
    se: float
    t: float
    df: int
    p_value: float

    def summary_frame(self) -> pd.DataFrame:
        """One row with the test's statistics."""
        return pd.DataFrame([self.__dict__])


def _checked_inputs(effects, variances) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(effects, dtype=float)
    v = np.asarray(variances, dtype=float)
    if y.ndim != 1 or y.shape != v.shape:
        raise SynthesisError(f"effects and variances must be two lists of the same length (got {y.shape} and {v.shape})")
    if not (np.isfinite(y).all() and np.isfinite(v).all()):
        raise SynthesisError("effects and variances must all be finite numbers; drop studies without an effect first")
    if (v <= 0).any():
        bad = [int(i) for i in np.flatnonzero(v <= 0)]
        raise SynthesisError(
            f"sampling variances must be positive; study positions {bad} have {v[bad].tolist()} "
            "(a zero variance would give a study infinite weight: check its CI or arm data)"
        )
    return y, v


def _dl_tau2(y: np.ndarray, v: np.ndarray) -> float:
    w = 1 / v
    mu = np.sum(w * y) / np.sum(w)
    q = float(np.sum(w * (y - mu) ** 2))
    c = np.sum(w) - np.sum(w**2) / np.sum(w)
    return max(0.0, (q - (len(y) - 1)) / c)


def _reml_tau2(y: np.ndarray, v: np.ndarray) -> float:
    """REML tau² by Fisher scoring, as metafor does (step halving keeps tau² >= 0)."""
    tau2 = _dl_tau2(y, v)
    for _ in range(REML_MAX_ITERATIONS):
        w = 1 / (v + tau2)
        sw = np.sum(w)
        mu = np.sum(w * y) / sw
        # With one intercept, P = W - w w'/Σw, so tr(P), tr(PP) and Y'PPY have closed forms.
        trace_p = sw - np.sum(w**2) / sw
        trace_pp = np.sum(w**2) - 2 * np.sum(w**3) / sw + (np.sum(w**2) / sw) ** 2
        ypp_y = np.sum(w**2 * (y - mu) ** 2)
        step = (ypp_y - trace_p) / trace_pp
        while tau2 + step < 0:
            step /= 2
            if abs(step) < REML_TOLERANCE:  # the maximum is at the boundary
                step = -tau2
                break
        tau2 += step
        if abs(step) < REML_TOLERANCE:
            return float(max(0.0, tau2))
    raise SynthesisError(
        f"REML did not converge in {REML_MAX_ITERATIONS} iterations; use method='DL' for these studies"
    )


def pool(effects, variances, method: str = "REML", measure: str | None = None, level: float = 0.95) -> PoolResult:
    """Pool study effects by inverse-variance weighting.

    Parameters
    ----------
    effects:
        Study effects on the analysis scale (log ratios for RR/OR/HR).
    variances:
        Their sampling variances (all > 0).
    method:
        ``"EE"`` (equal/fixed effect), ``"DL"`` (DerSimonian-Laird) or ``"REML"`` (default).
    measure:
        Effect measure, kept on the result so it can report ratios on their own scale.
    level:
        Confidence level of the interval.

    Returns
    -------
    PoolResult

    Raises
    ------
    SynthesisError
        Unknown method, fewer than two studies, or a variance that is not positive.
    """
    if method not in METHODS:
        raise SynthesisError(f"unknown pooling method {method!r}; use one of {', '.join(METHODS)}")
    y, v = _checked_inputs(effects, variances)
    k = len(y)
    if k < 2:
        raise SynthesisError(f"pooling needs at least two studies, got {k}; report the single study on its own")
    w_fixed = 1 / v
    mu_fixed = np.sum(w_fixed * y) / np.sum(w_fixed)
    q = float(np.sum(w_fixed * (y - mu_fixed) ** 2))
    q_df = k - 1
    tau2 = {"EE": lambda: 0.0, "DL": lambda: _dl_tau2(y, v), "REML": lambda: _reml_tau2(y, v)}[method]()
    w = 1 / (v + tau2)
    estimate = float(np.sum(w * y) / np.sum(w))
    se = float(math.sqrt(1 / np.sum(w)))
    z_crit = z_critical(level)
    z = estimate / se
    if method == "EE":
        i2 = 100 * max(0.0, (q - q_df) / q) if q > 0 else 0.0
    else:
        typical_v = q_df * np.sum(w_fixed) / (np.sum(w_fixed) ** 2 - np.sum(w_fixed**2))
        i2 = float(100 * tau2 / (tau2 + typical_v))
    return PoolResult(
        method=method, k=k, estimate=estimate, se=se,
        ci_low=estimate - z_crit * se, ci_high=estimate + z_crit * se,
        z=z, p_value=normal_two_sided_p(z), tau2=float(tau2), i2=float(i2),
        q=q, q_df=q_df, q_p_value=chi2_sf(q, q_df),
        weights=tuple(float(x) for x in 100 * w / np.sum(w)), measure=measure, level=level,
    )


def egger_test(effects, variances) -> EggerResult:
    """Egger's regression test: regress y_i/se_i on 1/se_i and test the intercept.

    Equivalent to metafor's ``regtest(model="lm", predictor="sei")``. Meaningful only with
    about ten or more studies (Cochrane Handbook 13.3.5.4); the caller decides.

    Raises
    ------
    SynthesisError
        Fewer than three studies (no residual degree of freedom) or invalid variances.
    """
    y, v = _checked_inputs(effects, variances)
    k = len(y)
    if k < 3:
        raise SynthesisError(f"Egger's test needs at least 3 studies, got {k}")
    se = np.sqrt(v)
    design = np.column_stack([np.ones(k), 1 / se])
    response = y / se
    coef, *_ = np.linalg.lstsq(design, response, rcond=None)
    residuals = response - design @ coef
    df = k - 2
    sigma2 = float(residuals @ residuals) / df
    cov = sigma2 * np.linalg.inv(design.T @ design)
    intercept_se = math.sqrt(cov[0, 0])
    t = float(coef[0]) / intercept_se if intercept_se > 0 else math.copysign(math.inf, coef[0])
    return EggerResult(k=k, intercept=float(coef[0]), se=intercept_se, t=t, df=df, p_value=student_t_two_sided_p(t, df))


def normal_two_sided_p(z: float) -> float:
    """P(|Z| >= |z|) for a standard normal Z."""
    return math.erfc(abs(z) / math.sqrt(2))


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for a chi-square X with a positive integer ``df`` (closed form, no scipy)."""
    if df < 1 or int(df) != df:
        raise SynthesisError(f"chi-square degrees of freedom must be a positive integer, got {df}")
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:
        term, total = 1.0, 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    total, term = 0.0, math.sqrt(x)
    for i in range(1, (df - 1) // 2 + 1):
        if i > 1:
            term *= x / (2 * i - 1)
        total += term
    return min(1.0, math.erfc(math.sqrt(half)) + math.sqrt(2 / math.pi) * math.exp(-half) * total)


def student_t_two_sided_p(t: float, df: int) -> float:
    """P(|T| >= |t|) for Student's t with a positive integer ``df``.

    Closed-form series of Abramowitz & Stegun 26.7.3 (odd df) and 26.7.4 (even df).
    """
    if df < 1 or int(df) != df:
        raise SynthesisError(f"t degrees of freedom must be a positive integer, got {df}")
    if math.isinf(t):
        return 0.0
    theta = math.atan(abs(t) / math.sqrt(df))
    c2, s, c = math.cos(theta) ** 2, math.sin(theta), math.cos(theta)
    if df % 2 == 1:
        series, term = 1.0 if df > 1 else 0.0, 1.0
        for j in range(1, (df - 3) // 2 + 1):
            term *= c2 * (2 * j) / (2 * j + 1)
            series += term
        inside = theta + (s * c * series if df > 1 else 0.0)
        a = 2 / math.pi * inside
    else:
        series, term = 1.0, 1.0
        for j in range(1, (df - 2) // 2 + 1):
            term *= c2 * (2 * j - 1) / (2 * j)
            series += term
        a = s * series
    return min(1.0, max(0.0, 1 - a))
