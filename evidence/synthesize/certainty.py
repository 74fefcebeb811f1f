"""GRADE-style certainty for one comparison group, from what the tables can tell.

GRADE (Guyatt et al., BMJ 2008;336:924) starts randomised evidence at *high* and non-randomised
evidence at *low*, then rates down one or two levels per domain. The tables carry no risk-of-bias
assessment, so each domain uses proxies, stated in the reasons so a reader can disagree:

* risk of bias: no sham control (participants and therapists unblinded to a self-reported
  outcome), small trials (< 100 participants), single-centre trials (named in study notes),
  results from automatic extraction or unverified sources. One or two problems: -1; three or
  more: -2. A problem counts when it affects at least half of the evidence (of the pooled
  weight, or of the studies when nothing is pooled).
* inconsistency: I² > 50 % -1, > 75 % -2; unpooled studies pointing in opposite directions -1.
* indirectness: population not specific to the topic's condition (``CertaintyRules``, from the
  topic's ``[certainty]`` section); a surrogate outcome such as the Chinese
  "total effective rate" (investigator-judged composite). Each -1. The effective rate is counted
  here only, not again under risk of bias, because GRADE rates one problem down once.
* imprecision: CI includes no effect; fewer than 400 participants (continuous) or 300 events
  (dichotomous) — GRADE's optimal-information-size rule of thumb. Each -1.
* publication bias: Egger's test p < 0.10 when at least 10 studies are pooled: -1.

Review-level estimates are graded ``not_graded``: their certainty belongs to the review's own
assessment of its trials, which these tables do not hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..topic.certainty_rules import CertaintyRules
from .pooling import PoolResult, egger_test

GRADES = ("very_low", "low", "moderate", "high")
"""Certainty levels, lowest first."""
NO_EVIDENCE = "no_evidence"
NOT_GRADED = "not_graded"

CONTINUOUS_MEASURES = ("MD", "SMD")
MIN_PARTICIPANTS_CONTINUOUS = 400
MIN_EVENTS_DICHOTOMOUS = 300
SMALL_TRIAL = 100
EGGER_MIN_STUDIES = 10
EGGER_ALPHA = 0.10
_SINGLE_CENTRE = re.compile(r"single[- ]?cent(?:er|re)", re.IGNORECASE)


@dataclass(frozen=True)
class Certainty:
    """A certainty grade with the plain sentences that explain it.

    Attributes
    ----------
    grade:
        ``high``, ``moderate``, ``low``, ``very_low``, ``no_evidence`` or ``not_graded``.
    reasons:
        Short sentences: the starting level, then every reason the grade was rated down.
    downgrades:
        Levels rated down per GRADE domain.
    """

    grade: str
    reasons: tuple[str, ...]
    downgrades: tuple[tuple[str, int], ...] = ()

    def summary_frame(self) -> pd.DataFrame:
        """One row: grade, reasons (a list) and levels rated down per domain."""
        return pd.DataFrame([{"grade": self.grade, "reasons": list(self.reasons), **dict(self.downgrades)}])


def no_evidence(reason: str) -> Certainty:
    """The certainty of a comparison without studies."""
    return Certainty(NO_EVIDENCE, (reason,))


def _evidence_body(rows: pd.DataFrame, pooled: PoolResult | None) -> pd.DataFrame:
    """One row per study: the pooled rows, or else each study's first row."""
    if pooled is not None:
        return rows[rows["in_pool"].fillna(False).astype(bool)]
    return rows.drop_duplicates("study_id")


def _share(body: pd.DataFrame, affected: pd.Series, pooled: PoolResult | None) -> float:
    """Share of the evidence affected: of the pooled weight, else of the studies."""
    affected = affected.fillna(False).astype(bool)
    if pooled is not None:
        return float(body.loc[affected, "weight_percent"].astype(float).sum()) / 100
    return float(affected.mean()) if len(body) else 0.0


def _risk_of_bias(body, pooled, rules: CertaintyRules) -> tuple[int, list[str]]:
    checks = [
        (~body["comparator_class"].isin(rules.blinded_controls),
         "No sham control: participants and outcome assessors may have known which treatment was given."),
        (body["n"].astype("Float64") < SMALL_TRIAL,
         f"Most of the evidence comes from small studies (fewer than {SMALL_TRIAL} participants)."),
        (body["study_notes"].fillna("").str.contains(_SINGLE_CENTRE),
         "Most of the evidence comes from single-centre trials."),
        (~body["verified"].fillna(False).astype(bool) | (body["provenance"] != "curated"),
         "Most results were extracted automatically or are not verified against a source page."),
    ]
    problems = [sentence for affected, sentence in checks if _share(body, affected, pooled) >= 0.5]
    levels = 0 if not problems else 1 if len(problems) <= 2 else 2
    return levels, problems


def _inconsistency(body, pooled, rules: CertaintyRules) -> tuple[int, list[str]]:
    directions = set(body["direction_from_numbers"].dropna())
    conflicting = {"favours_intervention", "favours_comparator"} <= directions
    if pooled is not None:
        # GRADE rates down twice only for very serious inconsistency: large heterogeneity with
        # studies pointing in opposite directions. Large I² among studies that agree on the
        # direction (they differ in how much) is rated down once.
        if pooled.i2 > 75 and conflicting:
            return 2, [f"Results vary a lot between studies (I² = {pooled.i2:.0f}%), and they point in opposite directions."]
        if pooled.i2 > 75:
            return 1, [f"Results vary a lot in size between studies (I² = {pooled.i2:.0f}%), though they point the same way."]
        if pooled.i2 > 50:
            return 1, [f"Results vary between studies (I² = {pooled.i2:.0f}%)."]
        return 0, []
    if conflicting:
        return 1, [f"Some studies favour {rules.intervention} and others the comparator."]
    return 0, []


def _indirectness(body, rules: CertaintyRules) -> tuple[int, list[str]]:
    reasons = []
    population = body["population"].fillna("")
    if (~population.str.contains(rules.population)).mean() >= 0.5:
        reasons.append(f"Most studies did not describe a {rules.condition}-specific population.")
    if body["outcome"].isin(rules.surrogates).any():
        reasons.append("The outcome is an investigator-judged 'effective rate', not a validated patient-reported measure.")
    return len(reasons), reasons


def _imprecision(body, pooled, measure) -> tuple[int, list[str]]:
    weighted = body.dropna(subset=["yi"])
    if len(weighted) == 0:
        return 2, ["No confidence interval is available, so precision cannot be judged."]
    reasons = []
    if pooled is not None:
        crosses = pooled.ci_low <= 0 <= pooled.ci_high
    else:
        crosses = bool((weighted["direction_from_numbers"] == "no_difference").any())
    if crosses:
        reasons.append("The confidence interval includes no effect.")
    if measure in CONTINUOUS_MEASURES or body["events"].isna().any():
        total = int(body["n"].astype("Float64").fillna(0).sum())
        if total < MIN_PARTICIPANTS_CONTINUOUS:
            reasons.append(f"Few participants in total ({total}; at least {MIN_PARTICIPANTS_CONTINUOUS} are needed).")
    else:
        events = int(body["events"].astype("Float64").sum())
        if events < MIN_EVENTS_DICHOTOMOUS:
            reasons.append(f"Few events in total ({events}; at least {MIN_EVENTS_DICHOTOMOUS} are needed).")
    return len(reasons), reasons


def _publication_bias(body, pooled) -> tuple[int, list[str]]:
    if pooled is None or pooled.k < EGGER_MIN_STUDIES:
        return 0, [f"Publication bias was not tested (fewer than {EGGER_MIN_STUDIES} pooled studies)."]
    egger = egger_test(body["yi"].astype(float), body["vi"].astype(float))
    if egger.p_value < EGGER_ALPHA:
        return 1, [f"Small-study effects suggest publication bias (Egger's test p = {egger.p_value:.3f})."]
    return 0, [f"Egger's test shows no clear small-study effect (p = {egger.p_value:.2f})."]


def grade_certainty(rows: pd.DataFrame, pooled: PoolResult | None, design_group: str | None,
                    rules: CertaintyRules) -> Certainty:
    """Grade the certainty of one comparison group.

    Parameters
    ----------
    rows:
        The group's rows (columns of :data:`evidence.synthesize.synthesis.ROW_COLUMNS` plus ``in_pool`` and
        ``weight_percent``).
    pooled:
        The group's pooled result, or None when it was not pooled.
    design_group:
        ``randomised_trial``, ``non_randomised_trial``, ``observational``, ``review``, ...
    rules:
        The topic's rules for direct evidence (:attr:`evidence.topic.model.Topic.certainty_rules`).

    Returns
    -------
    Certainty
    """
    if len(rows) == 0:
        return no_evidence("No studies report this comparison and outcome.")
    if design_group == "review":
        return Certainty(NOT_GRADED, (("Review-level estimates are not re-graded here; see the review's own certainty "
                                      "assessment."),))
    if design_group == "randomised_trial":
        start, opening = 3, "Randomised trials: certainty starts at high."
    elif design_group in ("non_randomised_trial", "observational"):
        start, opening = 1, "Non-randomised studies: certainty starts at low."
    else:
        return Certainty("very_low", (("These studies cannot show a comparative effect (design: "
                                      f"{design_group}), so certainty is very low."),))
    body = _evidence_body(rows, pooled)
    measure = rows["measure"].dropna().iloc[0] if rows["measure"].notna().any() else None
    domains = {
        "risk_of_bias": _risk_of_bias(body, pooled, rules),
        "inconsistency": _inconsistency(body, pooled, rules),
        "indirectness": _indirectness(body, rules),
        "imprecision": _imprecision(body, pooled, measure),
        "publication_bias": _publication_bias(body, pooled),
    }
    reasons = [opening] + [sentence for _, sentences in domains.values() for sentence in sentences]
    total_down = sum(min(levels, 2) for levels, _ in domains.values())
    grade = GRADES[max(0, start - total_down)]
    return Certainty(grade, tuple(reasons), tuple((d, min(levels, 2)) for d, (levels, _) in domains.items()))
