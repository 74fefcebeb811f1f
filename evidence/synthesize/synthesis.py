"""Comparisons, pooling rules and certainty: from the ``studies`` and ``findings`` tables to answers.

One call does it all::

    result = synthesize(studies, findings)          # a Synthesis
    result.summary_frame()                           # one row per comparison group, with grade
    result.rows                                      # one row per study x outcome x measure x timepoint
    group = result.group("epidural_steroid_injection", "leg_pain_vas")
    group.pooled, group.reason, group.certainty

Rules (why each exists):

* A *comparison* is acupuncture against one comparator class, with add-on designs
  (acupuncture + X against X) kept apart from head-to-head ones: they answer different questions.
* Results are pooled only when at least two studies share the comparison, the outcome, the
  measure, a time window (:data:`TIMEPOINT_WINDOWS`) and a design family. Randomised trials are
  pooled only with randomised trials; review-level pooled estimates are shown as reported and
  never re-pooled, because reviews overlap in the trials they include.
* A study contributes at most one effect to a pool (the latest timepoint in the window), so a
  multi-arm trial or a trial reporting weeks 4 and 6 is not counted twice.
* Every group that is not pooled carries a plain ``reason``.

Effects run from acupuncture (arm 1) to the comparator (arm 2): a negative MD in pain, or an RR
below 1 for a harmful event, favours acupuncture when ``lower_is_better`` is true.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

import pandas as pd

from . import effects as fx
from .certainty import Certainty, CertaintyRules, grade_certainty, no_evidence
from ..errors import SynthesisError
from .pooling import METHODS, PoolResult, pool
from ..tables.schema import FINDINGS, OTHER_OUTCOME, STUDIES, conform

TIMEPOINT_WINDOWS: tuple[tuple[str, float, float], ...] = (
    ("<=6 weeks", -math.inf, 6.0),
    ("6-26 weeks", 6.0, 26.0),
    (">26 weeks", 26.0, math.inf),
)
"""(label, lower bound exclusive, upper bound inclusive) in weeks after randomisation."""
UNKNOWN_WINDOW = "timepoint not stated"

DESIGN_GROUPS = {
    "rct": "randomised_trial",
    "non_randomized_trial": "non_randomised_trial",
    "cohort": "observational",
    "case_control": "observational",
    "systematic_review": "review",
    "meta_analysis": "review",
}
"""Design families that may be pooled within themselves (reviews never are). Other designs
(case series, protocols, narrative reviews, ...) map to ``not_comparative``."""
POOLABLE_DESIGN_GROUPS = ("randomised_trial", "non_randomised_trial", "observational")

DESIGN_KINDS = {True: "add_on", False: "head_to_head", None: "add_on_unknown"}
PACKAGE = "package"  # acupuncture, or its comparator, is one part of a package of treatments
SINGLE_ARM = "single_arm"  # acupuncture alone, or the comparator without any acupuncture arm: no comparison

ROW_COLUMNS = (
    "comparator_class", "design_kind", "comparison_label", "outcome", "measure", "reported_measure",
    "timepoint", "timepoint_weeks", "window", "design_group", "study_id", "pmid", "label", "year", "design",
    "n", "events", "estimate", "ci_low", "ci_high", "yi", "vi", "effect_source", "direction",
    "direction_from_numbers", "lower_is_better", "provenance", "verified", "source_url",
    "population", "study_notes", "row_note", "outcome_text",
)
"""Columns of :attr:`Synthesis.rows`. ``estimate``/``ci_*`` are on the reporting scale (ratios as
ratios); ``yi``/``vi`` on the analysis scale (log for ratios). ``row_note`` says why a row has no
weighted effect."""

GROUP_KEY = ("comparator_class", "design_kind", "outcome", "measure", "window", "design_group")


def timepoint_window(weeks: float | None) -> str:
    """The pooling window a timepoint (in weeks after randomisation) falls in.

    >>> timepoint_window(4), timepoint_window(12), timepoint_window(52), timepoint_window(None)
    ('<=6 weeks', '6-26 weeks', '>26 weeks', 'timepoint not stated')
    """
    if weeks is None or pd.isna(weeks):
        return UNKNOWN_WINDOW
    for label, low, high in TIMEPOINT_WINDOWS:
        if low < weeks <= high:
            return label
    return UNKNOWN_WINDOW


def _value(x):
    """Python value, or None for any pandas/numpy missing value."""
    if x is None or (not isinstance(x, (list, tuple)) and pd.isna(x)):
        return None
    return x


def _study_label(study: dict, study_id: str) -> str:
    authors = study.get("authors") or []
    year = study.get("year")
    if authors and year is not None:
        tokens = str(authors[0]).split()
        # 'Last Initials' as printed: drop a trailing all-capitals initials token.
        last = " ".join(tokens[:-1]) if len(tokens) > 1 and tokens[-1].isupper() else " ".join(tokens)
        return f"{last} {year}"
    if str(study_id).isdigit():
        return f"PMID {study_id}"
    # No author recorded (a preprint, a portal listing): the title's opening words name it for
    # readers; an internal 'ref:' id is left only for a study with no title either.
    words = str(study.get("title") or "").split()
    if words:
        short = " ".join(words[:8]) + ("..." if len(words) > 8 else "")
        return f"'{short}' ({'year not recorded' if year is None or pd.isna(year) else int(year)})"
    return str(study_id)


def comparison_label(comparator_class: str, design_kind: str | None, intervention: str = "the intervention") -> str:
    """'acupuncture vs X', 'acupuncture + X vs X', ...; a None design kind means "any design".

    ``intervention`` is the topic's intervention as a sentence names it (``Topic.report.intervention``).
    """
    comparator = comparator_class.replace("_", " ")
    if design_kind == "add_on":
        return f"{intervention} + {comparator} vs {comparator}"
    if design_kind == "add_on_unknown":
        return f"{intervention} vs {comparator} (add-on status not stated)"
    if design_kind == PACKAGE:
        return f"treatment package including {intervention} vs package including {comparator}"
    if design_kind == SINGLE_ARM:
        return (f"{intervention} alone (single arm, no comparator)" if comparator_class == "none"
                else f"{comparator}: studies without an {intervention} arm")
    return f"{intervention} vs {comparator}"


def _row_effect(f: dict, level: float) -> tuple[fx.Effect | None, str, tuple | None, str | None]:
    """(effect, source, reported (estimate, low, high) or None, note) for one finding."""
    measure = f["measure"]
    est, low, high = f["estimate"], f["ci_low"], f["ci_high"]
    try:
        if None not in (est, low, high) and measure in fx.CI_MEASURES:
            return fx.from_estimate_ci(measure, est, low, high, level), "reported estimate and CI", (est, low, high), None
        n1, n2 = f["n_intervention"], f["n_comparator"]
        if None not in (f["int_mean"], f["int_sd"], f["comp_mean"], f["comp_sd"], n1, n2):
            computed = measure if measure in fx.MEAN_MEASURES else "MD"
            effect = fx.from_means(computed, f["int_mean"], f["int_sd"], n1, f["comp_mean"], f["comp_sd"], n2)
            return effect, "computed from arm means and SDs", None, None
        if None not in (f["int_events"], f["comp_events"], n1, n2):
            computed = measure if measure in fx.COUNT_MEASURES else "RR"
            effect = fx.from_counts(computed, f["int_events"], n1, f["comp_events"], n2)
            return effect, "computed from arm event counts", None, None
    except SynthesisError as err:
        return None, "none", None, f"effect not usable: {err}"
    if None not in (est, low, high):
        return None, "none", None, f"a {measure} cannot be weighted from its CI; arm data are needed"
    return None, "none", None, "no confidence interval and no arm data: the effect cannot be weighted"


def _direction_from_numbers(yi, low_a, high_a, lower_is_better) -> str | None:
    """favours_intervention / favours_comparator / no_difference from the CI (analysis scale)."""
    if yi is None or low_a is None:
        return None
    if low_a <= 0 <= high_a:
        return "no_difference"
    if lower_is_better is None:
        return "unknown"
    intervention_lower = high_a < 0
    return "favours_intervention" if intervention_lower == bool(lower_is_better) else "favours_comparator"


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _value(v) for k, v in rec.items()} for rec in df.astype(object).to_dict("records")]


def comparison_rows(studies: pd.DataFrame, findings: pd.DataFrame, level: float = 0.95,
                    intervention: str = "the intervention") -> pd.DataFrame:
    """One row per finding (study x outcome x measure x timepoint), with its effect.

    Parameters
    ----------
    studies, findings:
        Tables shaped like :data:`evidence.tables.schema.STUDIES` and :data:`~evidence.tables.schema.FINDINGS`
        (they are conformed first). Curated study rows win over automatic rows for one PMID.
    level:
        Confidence level for intervals computed from arm data.
    intervention:
        The topic's intervention in words, for the comparison labels.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ROW_COLUMNS`.
    """
    studies = conform(studies, STUDIES)
    findings = conform(findings, FINDINGS)
    by_id: dict[str, dict] = {}
    for s in _records(studies):
        sid = s["study_id"] or s["pmid"]
        kept = by_id.get(sid)
        if sid is not None and (
            kept is None or (s["provenance"] == "curated" and kept["provenance"] != "curated")
        ):
            by_id[sid] = s
    z = fx.z_critical(level)
    out = []
    for f in _records(findings):
        sid = f["study_id"] or f["pmid"]
        study = by_id.get(sid, {})
        study_classes = study.get("comparator_class") or []
        comparator_class = f["comparator_class"] or (study_classes[0] if len(study_classes) == 1 else "unclassified")
        add_on = f["add_on"] if f["add_on"] is not None else study.get("add_on")
        if f["package"]:
            design_kind = PACKAGE
        elif comparator_class == "none" or f["intervention"] == "none":
            # Safety series of one treatment (acupuncture, or an injection with no acupuncture arm).
            design_kind = SINGLE_ARM
        else:
            design_kind = DESIGN_KINDS[None if add_on is None else bool(add_on)]
        design = study.get("design")
        effect, source, reported, note = _row_effect(f, level)
        yi = vi = low_a = high_a = None
        estimate, ci_low, ci_high = (reported if reported else (None, None, None))
        if effect is not None:
            yi, vi = effect.estimate, effect.variance
            if reported:
                low_a, high_a = fx.to_analysis_scale(ci_low, effect.measure), fx.to_analysis_scale(ci_high, effect.measure)
            else:
                estimate, (ci_low, ci_high) = effect.reported, effect.ci(level)
                low_a, high_a = yi - z * effect.se, yi + z * effect.se
        elif f["estimate"] is not None:
            estimate = f["estimate"]  # shown as reported, but it cannot be weighted
        n1, n2 = f["n_intervention"], f["n_comparator"]
        if n1 is not None and n2 is not None:
            n = n1 + n2
        elif design and DESIGN_GROUPS.get(design) == "review":
            n = study.get("n_participants")
        else:
            n = study.get("n_analysed") or study.get("n_randomized")
        events = None if None in (f["int_events"], f["comp_events"]) else f["int_events"] + f["comp_events"]
        out.append({
            "comparator_class": comparator_class, "design_kind": design_kind,
            "comparison_label": comparison_label(comparator_class, design_kind, intervention),
            "outcome": _row_outcome(f), "outcome_text": f["outcome_text"],
            "measure": effect.measure if effect else f["measure"], "reported_measure": f["measure"],
            "timepoint": f["timepoint"], "timepoint_weeks": f["timepoint_weeks"],
            "window": timepoint_window(f["timepoint_weeks"]),
            "design_group": DESIGN_GROUPS.get(design, "not_comparative") if design else "unknown",
            "study_id": sid, "pmid": f["pmid"], "label": _study_label(study, sid), "year": study.get("year"),
            "design": design, "n": n, "events": events,
            "estimate": estimate, "ci_low": ci_low, "ci_high": ci_high, "yi": yi, "vi": vi,
            "effect_source": source, "direction": f["direction"],
            "direction_from_numbers": _direction_from_numbers(yi, low_a, high_a, f["lower_is_better"]),
            "lower_is_better": f["lower_is_better"], "provenance": f["provenance"],
            "verified": study.get("verified", False), "source_url": f["source_url"],
            "population": study.get("population"), "study_notes": study.get("notes"), "row_note": note,
        })
    return _typed_rows(pd.DataFrame(out, columns=list(ROW_COLUMNS)))


def _typed_rows(df: pd.DataFrame) -> pd.DataFrame:
    floats = ("timepoint_weeks", "estimate", "ci_low", "ci_high", "yi", "vi")
    ints = ("year", "n", "events")
    bools = ("lower_is_better", "verified")
    for c in ROW_COLUMNS:
        dtype = "Float64" if c in floats else "Int64" if c in ints else "boolean" if c in bools else "string"
        df[c] = df[c].astype(dtype)
    return df


@dataclass(frozen=True)
class ComparisonGroup:
    """Studies sharing comparison, outcome, measure, time window and design family.

    Attributes
    ----------
    key:
        Values of :data:`GROUP_KEY`.
    rows:
        The group's rows of :attr:`Synthesis.rows`, plus ``in_pool`` (bool) and
        ``weight_percent`` (share of the pooled weight; NA when not pooled).
    pooled:
        The pooled result, or None when pooling is not allowed.
    reason:
        Why the group was not pooled (None when it was).
    certainty:
        GRADE-style certainty of the group's evidence.
    """

    key: dict
    rows: pd.DataFrame
    pooled: PoolResult | None
    reason: str | None
    certainty: Certainty

    @property
    def k(self) -> int:
        """Number of distinct studies in the group."""
        return int(self.rows["study_id"].nunique())

    @property
    def n_participants(self) -> int | None:
        """Participants across the group's studies (one row per study), when stated."""
        per_study = self.rows.dropna(subset=["n"]).drop_duplicates("study_id")["n"]
        return int(per_study.sum()) if len(per_study) else None

    def summary_frame(self) -> pd.DataFrame:
        """One row: the key, counts, pooled estimate on the reporting scale, reason and grade."""
        est = low = high = tau2 = i2 = None
        if self.pooled is not None:
            est, low, high = self.pooled.reported()
            tau2, i2 = self.pooled.tau2, self.pooled.i2
        comparator, kind = self.key["comparator_class"], self.key["design_kind"]
        row = {
            **self.key, "comparison_label": (self.rows["comparison_label"].iloc[0] if len(self.rows)
                                             else comparison_label(comparator, kind)),
            "k": self.k, "n": self.n_participants, "k_pooled": self.pooled.k if self.pooled else 0,
            "method": self.pooled.method if self.pooled else None,
            "estimate": est, "ci_low": low, "ci_high": high, "tau2": tau2, "i2": i2,
            "pooled": self.pooled is not None, "reason": self.reason,
            "certainty": self.certainty.grade, "certainty_reasons": list(self.certainty.reasons),
            "pmids": sorted(self.rows["pmid"].dropna().unique().tolist()),
        }
        return pd.DataFrame([row])


def _empty_group(key: dict, reason: str) -> ComparisonGroup:
    rows = _typed_rows(pd.DataFrame(columns=list(ROW_COLUMNS))).assign(
        in_pool=pd.Series([], dtype="boolean"), weight_percent=pd.Series([], dtype="Float64"))
    return ComparisonGroup(key, rows, None, reason, no_evidence(reason))


def _pool_group(key: dict, rows: pd.DataFrame, method: str, rules: CertaintyRules) -> ComparisonGroup:
    rows = rows.reset_index(drop=True).copy()
    weighted = rows.dropna(subset=["yi", "vi"])
    # One effect per study: the latest timepoint in the window (the first row when none stated).
    chosen = (weighted.assign(_t=weighted["timepoint_weeks"].astype("float").fillna(-math.inf))
              .sort_values("_t", ascending=False, kind="stable").drop_duplicates("study_id"))
    for i in weighted.index.difference(chosen.index):
        rows.loc[i, "row_note"] = "another result of the same study in this window is used instead"
    reason = _pooling_refusal(key, rows, chosen, rules.intervention)
    in_pool = pd.Series(False, index=rows.index, dtype="boolean")
    weights = pd.Series(pd.NA, index=rows.index, dtype="Float64")
    pooled = None
    if reason is None:
        pooled = pool(chosen["yi"].astype(float), chosen["vi"].astype(float), method=method, measure=key["measure"])
        in_pool[chosen.index] = True
        weights[chosen.index] = pooled.weights
    rows = rows.assign(in_pool=in_pool, weight_percent=weights)
    certainty = grade_certainty(rows, pooled, key["design_group"], rules)
    return ComparisonGroup(key, rows, pooled, reason, certainty)


def _row_outcome(f: dict) -> str:
    """The outcome of a comparison row: the finding's code, or, for an outcome outside the topic's
    vocabulary, "other: " and the words the sentence used ("other: procedure time"), so that readers
    see what was measured and no two such outcomes share a group with each other or with a code."""
    if f["outcome"] == OTHER_OUTCOME:
        return f"{OTHER_OUTCOME}: {f['outcome_text'] or 'outcome not named'}"
    return f["outcome"] or "unspecified outcome"


def is_other_outcome(outcome: object) -> bool:
    """Whether a comparison row's outcome is one outside the topic's vocabulary (see :func:`_row_outcome`)."""
    return isinstance(outcome, str) and (outcome == OTHER_OUTCOME or outcome.startswith(f"{OTHER_OUTCOME}: "))


def _pooling_refusal(key: dict, rows: pd.DataFrame, chosen: pd.DataFrame, intervention: str) -> str | None:
    """Why this group may not be pooled, as a sentence for the user (None when it may)."""
    if is_other_outcome(key["outcome"]):
        return ("This outcome is outside the topic's vocabulary: it was machine-extracted under the words the "
                "abstract used, which may not mean the same thing from one study to the next, so such results are shown, never pooled.")
    design_group = key["design_group"]
    if design_group == "review":
        return "Review-level pooled estimates are shown as reported and never re-pooled (reviews share trials)."
    if design_group == "unknown":
        return "The design of these studies is not known (no row in the studies table), so they are not pooled."
    if design_group not in POOLABLE_DESIGN_GROUPS:
        return f"Studies of design family '{design_group}' are not comparative results that can be pooled."
    if key["design_kind"] == SINGLE_ARM:
        return (f"These data describe one treatment without a comparison with {intervention} (single-arm series, "
                "or the comparator against placebo); there is nothing to pool for this question.")
    if key["design_kind"] == PACKAGE:
        return (f"{intervention[:1].upper() + intervention[1:]}, or its comparator, is one part of a package of "
                f"treatments here, so the effect of {intervention} itself cannot be separated; such results are "
                "shown, never pooled.")
    if key["design_kind"] == "add_on_unknown":
        return f"Whether {intervention} was added to the comparator is not stated, so these results are not pooled."
    if len(chosen) == 0:
        return "No study reports a confidence interval or arm data, so no effect can be weighted."
    if len(chosen) == 1:
        label, pmid = chosen["label"].iloc[0], chosen["pmid"].iloc[0]
        named = label if pd.isna(pmid) or label == f"PMID {pmid}" else f"{label}, PMID {pmid}"
        return f"Only one study ({named}) reports this comparison, outcome, measure and time window: nothing to pool."
    directions = set(chosen["lower_is_better"].dropna().tolist())
    if len(directions) > 1:
        return "The studies disagree on whether lower scores are better for this outcome; check the findings before pooling."
    return None


@dataclass(frozen=True)
class Synthesis:
    """Everything :func:`synthesize` found. See the module docstring for the rules."""

    rows: pd.DataFrame
    groups: tuple[ComparisonGroup, ...]
    method: str
    missing_comparators: tuple[str, ...] = field(default=())
    intervention: str = "the intervention"
    """The topic's intervention in words (``Topic.report.intervention``), for labels and sentences."""
    surrogates: tuple[str, ...] = ()
    """The topic's surrogate outcomes (``CertaintyRules.surrogates``), which the gaps name."""
    comparators: tuple[str, ...] = ()
    """The comparator classes reported on (``synthesize(comparators=...)``), empty ones included."""

    def summary_frame(self) -> pd.DataFrame:
        """One row per comparison group, then one ``no_evidence`` row per comparator class with no study."""
        frames = [g.summary_frame() for g in self.groups]
        for comparator in self.missing_comparators:
            frames.append(_empty_group(
                {"comparator_class": comparator, "design_kind": None, "outcome": None, "measure": None,
                 "window": None, "design_group": None},
                f"No study in the tables compares {self.intervention} with {comparator.replace('_', ' ')}.",
            ).summary_frame().assign(comparison_label=comparison_label(comparator, None, self.intervention)))
        if not frames:
            return _empty_group(dict.fromkeys(GROUP_KEY), "No findings to synthesise.").summary_frame().iloc[0:0]
        return pd.concat(frames, ignore_index=True)

    def group(self, comparator_class: str, outcome: str, *, add_on: bool | None = False, measure: str | None = None,
              window: str | None = None, design_group: str | None = "randomised_trial") -> ComparisonGroup:
        """The one group matching the arguments (None means "any").

        Returns an empty group (no studies, grade ``no_evidence``) when nothing matches.

        Raises
        ------
        SynthesisError
            Several groups match: the message lists them so the caller can narrow the choice.
        """
        wanted = {"comparator_class": comparator_class, "design_kind": DESIGN_KINDS[add_on], "outcome": outcome,
                  "measure": measure, "window": window, "design_group": design_group}
        matches = [g for g in self.groups if all(v is None or g.key[k] == v for k, v in wanted.items())]
        if len(matches) > 1:
            options = "; ".join(f"measure={g.key['measure']}, window={g.key['window']}, "
                                f"design_group={g.key['design_group']}" for g in matches)
            raise SynthesisError(f"{len(matches)} groups match {comparator_class} / {outcome}: {options}. Pass one of them.")
        if matches:
            return matches[0]
        label = comparison_label(comparator_class, wanted["design_kind"], self.intervention)
        return _empty_group(wanted, f"No study reports {outcome} for {label}.")


def synthesize(studies: pd.DataFrame, findings: pd.DataFrame, method: str = "REML", level: float = 0.95,
               comparators: tuple[str, ...] = (), *, rules: CertaintyRules) -> Synthesis:
    """Build comparison rows, group them, pool where the rules allow, and grade certainty.

    Parameters
    ----------
    studies, findings:
        Tables shaped like :data:`evidence.tables.schema.STUDIES` and :data:`evidence.tables.schema.FINDINGS`.
    method:
        Pooling method: ``"REML"`` (default), ``"DL"`` or ``"EE"``.
    level:
        Confidence level.
    comparators:
        Comparator classes to report on; those without any finding get a ``no_evidence`` row
        (a topic's :attr:`~evidence.topic.model.Topic.reported_comparators`).
    rules:
        The topic's certainty rules (:attr:`~evidence.topic.model.Topic.certainty_rules`);
        ``rules.intervention`` (the intervention in words) labels the comparisons.

    Returns
    -------
    Synthesis
    """
    # An audit event (no cost without a hook) lets a test count syntheses across the report's kernels.
    sys.audit("evidence.synthesize", len(findings))
    if method not in METHODS:
        raise SynthesisError(f"unknown pooling method {method!r}; use one of {', '.join(METHODS)}")
    intervention = rules.intervention
    rows = comparison_rows(studies, findings, level, intervention)
    groups = []
    for key_values, group_rows in rows.groupby(list(GROUP_KEY), dropna=False, sort=True):
        key = {k: (None if pd.isna(v) else v) for k, v in zip(GROUP_KEY, key_values)}
        groups.append(_pool_group(key, group_rows, method, rules))
    present = set(rows["comparator_class"].dropna())
    missing = tuple(c for c in comparators if c not in present)
    return Synthesis(rows=rows, groups=tuple(groups), method=method, missing_comparators=missing,
                     intervention=intervention, surrogates=rules.surrogates, comparators=tuple(comparators))
