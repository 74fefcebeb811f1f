"""Effect sizes for one study: from 2x2 counts, from arm means and SDs, or from a reported CI.

Every function returns an :class:`Effect` on the *analysis scale*: ratio measures (RR, OR, HR)
as natural logs, differences (MD, SMD, RD) as they are. Arm 1 is always the acupuncture arm and
arm 2 the comparator, so a log RR below 0 means fewer events with acupuncture.

The formulas follow metafor's ``escalc`` (Viechtbauer 2010, J Stat Softw 36(3)) so results can
be checked against it: the 0.5 continuity correction is added to all four cells only when one
of them is 0 (``to="only0"``), and Hedges' g uses the exact small-sample correction factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from ..errors import SynthesisError

RATIO_MEASURES = frozenset({"RR", "OR", "HR"})
"""Measures analysed on the log scale."""

COUNT_MEASURES = frozenset({"RR", "OR", "RD"})
MEAN_MEASURES = frozenset({"MD", "SMD"})
CI_MEASURES = frozenset({"RR", "OR", "HR", "RD", "MD", "SMD"})
"""Measures whose reported estimate and CI can be turned into an estimate and a variance."""

CONTINUITY_CORRECTION = 0.5


@dataclass(frozen=True)
class Effect:
    """One study's effect on the analysis scale.

    Attributes
    ----------
    measure:
        ``RR``, ``OR``, ``HR``, ``RD``, ``MD`` or ``SMD``.
    estimate:
        Log ratio for ratio measures, the difference otherwise.
    variance:
        Sampling variance of ``estimate``.
    """

    measure: str
    estimate: float
    variance: float

    @property
    def se(self) -> float:
        """Standard error of ``estimate``."""
        return math.sqrt(self.variance)

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        """Confidence interval on the reporting scale (exponentiated for ratio measures)."""
        z = z_critical(level)
        low, high = self.estimate - z * self.se, self.estimate + z * self.se
        return (to_reporting_scale(low, self.measure), to_reporting_scale(high, self.measure))

    @property
    def reported(self) -> float:
        """``estimate`` on the reporting scale (a ratio for ratio measures)."""
        return to_reporting_scale(self.estimate, self.measure)


def z_critical(level: float = 0.95) -> float:
    """Two-sided standard normal critical value for a confidence ``level`` (1.959964 for 0.95)."""
    if not 0 < level < 1:
        raise SynthesisError(f"confidence level must be between 0 and 1, got {level}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def to_analysis_scale(value: float, measure: str) -> float:
    """Log for ratio measures, identity otherwise."""
    if measure in RATIO_MEASURES:
        if not value > 0:
            raise SynthesisError(f"a {measure} must be positive to take its log, got {value}; check the finding")
        return math.log(value)
    return value


def to_reporting_scale(value: float, measure: str) -> float:
    """Exp for ratio measures, identity otherwise (inverse of :func:`to_analysis_scale`)."""
    return math.exp(value) if measure in RATIO_MEASURES else value


def from_counts(measure: str, events_1: int, n_1: int, events_2: int, n_2: int) -> Effect:
    """Log RR, log OR or RD from events and group sizes of two arms.

    Parameters
    ----------
    measure:
        ``"RR"``, ``"OR"`` or ``"RD"``.
    events_1, n_1:
        Events and participants in the acupuncture arm.
    events_2, n_2:
        Events and participants in the comparator arm.

    Returns
    -------
    Effect
        On the analysis scale (log for RR and OR).

    Raises
    ------
    SynthesisError
        Unknown measure, impossible counts, or (for RR and OR) no events or only events in
        both arms, where a ratio carries no information.
    """
    if measure not in COUNT_MEASURES:
        raise SynthesisError(f"cannot compute {measure!r} from counts; use one of {sorted(COUNT_MEASURES)}")
    for events, n in ((events_1, n_1), (events_2, n_2)):
        if n <= 0 or events < 0 or events > n:
            raise SynthesisError(f"impossible counts: {events} events among {n} participants; check the arm data")
    both_none = events_1 == 0 and events_2 == 0
    both_all = events_1 == n_1 and events_2 == n_2
    if measure != "RD" and (both_none or both_all):
        # Cochrane Handbook 10.4.4.2: such studies say nothing about a ratio; they are left out.
        raise SynthesisError(
            f"{'no' if both_none else 'every'} participant had the event in both arms: a {measure} "
            "cannot be estimated; use a risk difference or leave the study out"
        )
    a, b, c, d = float(events_1), float(n_1 - events_1), float(events_2), float(n_2 - events_2)
    if min(a, b, c, d) == 0:
        a, b, c, d = (x + CONTINUITY_CORRECTION for x in (a, b, c, d))
    if measure == "RR":
        estimate = math.log((a / (a + b)) / (c / (c + d)))
        variance = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
    elif measure == "OR":
        estimate = math.log((a * d) / (b * c))
        variance = 1 / a + 1 / b + 1 / c + 1 / d
    else:
        p1, p2 = a / (a + b), c / (c + d)
        estimate = p1 - p2
        variance = p1 * (1 - p1) / (a + b) + p2 * (1 - p2) / (c + d)
    return Effect(measure, estimate, variance)


def hedges_correction(df: float) -> float:
    """Exact small-sample bias correction J(df) = Γ(df/2) / (√(df/2) Γ((df-1)/2)) for Hedges' g.

    Close to the usual approximation 1 - 3/(4 df - 1); metafor uses this exact form.
    """
    if df <= 1:
        raise SynthesisError(f"Hedges' correction needs more than 1 degree of freedom, got {df}")
    return math.exp(math.lgamma(df / 2) - math.lgamma((df - 1) / 2)) / math.sqrt(df / 2)


def from_means(
    measure: str, mean_1: float, sd_1: float, n_1: int, mean_2: float, sd_2: float, n_2: int
) -> Effect:
    """Mean difference or standardised mean difference (Hedges' g) from arm summaries.

    Parameters
    ----------
    measure:
        ``"MD"`` (mean_1 - mean_2 in the scale's units) or ``"SMD"`` (Hedges' g).
    mean_1, sd_1, n_1:
        Acupuncture arm.
    mean_2, sd_2, n_2:
        Comparator arm.

    Returns
    -------
    Effect
        MD with variance sd_1²/n_1 + sd_2²/n_2, or g with variance 1/n_1 + 1/n_2 + g²/(2(n_1+n_2)).

    Raises
    ------
    SynthesisError
        Unknown measure, an SD that is not positive, or an arm with fewer than 2 participants.
    """
    if measure not in MEAN_MEASURES:
        raise SynthesisError(f"cannot compute {measure!r} from means; use one of {sorted(MEAN_MEASURES)}")
    if not (sd_1 > 0 and sd_2 > 0):
        raise SynthesisError(f"standard deviations must be positive (got {sd_1} and {sd_2}); check the arm data")
    if n_1 < 2 or n_2 < 2:
        raise SynthesisError(f"each arm needs at least 2 participants for a mean difference (got {n_1} and {n_2})")
    if measure == "MD":
        return Effect("MD", mean_1 - mean_2, sd_1**2 / n_1 + sd_2**2 / n_2)
    df = n_1 + n_2 - 2
    pooled_sd = math.sqrt(((n_1 - 1) * sd_1**2 + (n_2 - 1) * sd_2**2) / df)
    g = hedges_correction(df) * (mean_1 - mean_2) / pooled_sd
    return Effect("SMD", g, 1 / n_1 + 1 / n_2 + g**2 / (2 * (n_1 + n_2)))


def se_from_ci(ci_low: float, ci_high: float, measure: str, level: float = 0.95) -> float:
    """Standard error implied by a symmetric confidence interval.

    For ratio measures the interval is symmetric on the log scale, so the SE returned is the
    SE of the log ratio: (ln(high) - ln(low)) / (2 z).

    Raises
    ------
    SynthesisError
        The interval is empty or reversed, or a ratio bound is not positive.
    """
    low, high = to_analysis_scale(ci_low, measure), to_analysis_scale(ci_high, measure)
    if not high > low:
        raise SynthesisError(
            f"confidence interval [{ci_low}, {ci_high}] has no width; an SE cannot be derived from it"
        )
    return (high - low) / (2 * z_critical(level))


def from_estimate_ci(measure: str, estimate: float, ci_low: float, ci_high: float, level: float = 0.95) -> Effect:
    """An :class:`Effect` from a reported estimate and its confidence interval.

    Raises
    ------
    SynthesisError
        Unsupported measure, bad interval, or an estimate outside its own interval.
    """
    if measure not in CI_MEASURES:
        raise SynthesisError(f"cannot weight a {measure!r} by its CI; supported: {sorted(CI_MEASURES)}")
    if not ci_low <= estimate <= ci_high:
        raise SynthesisError(
            f"estimate {estimate} lies outside its interval [{ci_low}, {ci_high}]; check the finding"
        )
    se = se_from_ci(ci_low, ci_high, measure, level)
    return Effect(measure, to_analysis_scale(estimate, measure), se**2)
