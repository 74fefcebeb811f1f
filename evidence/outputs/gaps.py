"""What the evidence does not show: plain statements of gaps, generated from the tables.

A reader who sees a forest plot can forget what is *not* there. Each check below looks for one
kind of weakness in the comparisons of acupuncture with the chosen comparator classes and, when
it finds it, writes one sentence naming the studies concerned:

* ``no_studies`` / ``no_trials``: no study, or no randomised trial, makes the comparison;
* ``one_small_trial``: the trial evidence is a single trial with fewer than
  :data:`evidence.synthesize.certainty.SMALL_TRIAL` participants (or an unknown number);
* ``no_numbers``: no trial reports a confidence interval or arm data, only "better"/"no better";
* ``not_pooled``: trials report numbers, but no two share an outcome, measure and time window;
* ``effective_rate_only``: the only outcomes are investigator-judged "effective rates";
* ``no_long_term``: no trial result beyond 26 weeks;
* ``package``: acupuncture is one part of a treatment package, so its own effect is unknown;
* ``reviews_only``: only review-level estimates, no trial reported here;
* ``unverified`` / ``no_pmid`` / ``automatic``: rows not verified against a source page, without
  a PMID, or extracted automatically;
* ``direction_mismatch``: the direction the source states disagrees with the sign of its numbers.
"""

from __future__ import annotations

import pandas as pd

from ..synthesize.certainty import SMALL_TRIAL
from .comparisons import ALWAYS_SHOWN_KINDS, DESIGN_KIND_ORDER, focus_comparators, study_names
from .labels import MACHINE_EXTRACTED
from ..synthesize.synthesis import PACKAGE, Synthesis, comparison_label
from ..topic.model import Topic

GAP_COLUMNS = ("comparison", "gap", "statement", "study_ids")
"""Columns of :func:`evidence_gaps`; ``study_ids`` holds a list."""


def _ids(rows: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(rows["study_id"].dropna().tolist()))


def _comparison_gaps(kind: str, rows: pd.DataFrame, synthesis_groups: list,
                     intervention: str, surrogates: tuple[str, ...]) -> list[tuple[str, str, list[str]]]:
    """(gap, statement, study ids) for the rows of one comparison (at least one row)."""
    gaps = []
    trials = rows[rows["design_group"] == "randomised_trial"]
    if kind == PACKAGE:
        gaps.append(("package", (f"{intervention[:1].upper() + intervention[1:]} or its comparator is one part of a "
                                 f"package of treatments in {study_names(rows)}: these studies cannot show the effect "
                                 f"of {intervention} itself."), _ids(rows)))
    if trials.empty:
        reviews = rows[rows["design_group"] == "review"]
        if len(reviews) == len(rows):
            gaps.append(("reviews_only", (f"No randomised trial; the only estimates come from reviews "
                                         f"({study_names(reviews)}), shown as reported and not re-graded."),
                         _ids(reviews)))
        else:
            gaps.append(("no_trials", f"No randomised trial; only {study_names(rows)}.", _ids(rows)))
    else:
        per_trial = trials.drop_duplicates("study_id")
        if len(per_trial) == 1 and (per_trial["n"].isna().all() or int(per_trial["n"].iloc[0]) < SMALL_TRIAL):
            n = per_trial["n"].iloc[0]
            size = "participants not stated" if pd.isna(n) else f"{int(n)} participants"
            gaps.append(("one_small_trial", f"The trial evidence rests on one small trial: {study_names(per_trial)}, {size}.", _ids(per_trial)))
        if trials["yi"].isna().all():
            gaps.append(("no_numbers", ("No trial reports a confidence interval or arm data: the results are statements "
                                       "that one side did better (or did not), which cannot be weighed or pooled."), _ids(trials)))
        elif not any(g.pooled is not None for g in synthesis_groups):
            gaps.append(("not_pooled", ("Nothing could be pooled: no two trials share an outcome, measure and time "
                                       "window with usable numbers."), _ids(trials)))
        if surrogates and trials["outcome"].isin(surrogates).all():
            gaps.append(("effective_rate_only", ("The trials report only 'effective rate' outcomes, judged by investigators, "
                                                "not validated pain or function scores."),
                         _ids(trials)))
        if not (trials["window"] == ">26 weeks").any():
            gaps.append(("no_long_term", "No trial reports a result beyond 26 weeks.", _ids(trials)))
    unverified = rows[~rows["verified"].fillna(False).astype(bool)]
    if len(unverified):
        gaps.append(("unverified", (f"Not verified against a source page (PMID or DOI, title and result all "
                                   f"seen): {study_names(unverified)}."), _ids(unverified)))
    no_pmid = rows[rows["pmid"].isna()]
    if len(no_pmid):
        gaps.append(("no_pmid", f"No PMID, so not checkable or citable from PubMed: {study_names(no_pmid)}.", _ids(no_pmid)))
    automatic = rows[rows["provenance"] != "curated"]
    if len(automatic):
        gaps.append(("automatic", (f"{MACHINE_EXTRACTED.capitalize()} (read from the abstract by `evidence classify`, "
                                  f"not checked by a curator): {study_names(automatic)}."), _ids(automatic)))
    stated, computed = rows["direction"], rows["direction_from_numbers"]
    mismatch = rows[stated.notna() & computed.isin(["favours_intervention", "favours_comparator", "no_difference"])
                    .fillna(False).astype(bool) & (stated != computed).fillna(False).astype(bool)]
    if len(mismatch):
        gaps.append(("direction_mismatch", (f"The direction the source states disagrees with the sign or interval of "
                                           f"its numbers in {study_names(mismatch)}: the effect may be reported the other "
                                           "way round. Check the source before quoting it."),
                     _ids(mismatch)))
    return gaps


def evidence_gaps(synthesis: Synthesis, comparators: tuple[str, ...] | None = None,
                  topic: Topic | None = None) -> pd.DataFrame:
    """Every gap in the comparisons of the topic's intervention with ``comparators``, one sentence each.

    Parameters
    ----------
    synthesis:
        ``synthesize(studies, findings)``.
    comparators:
        Comparator classes to examine (default: the topic's report focus; without a topic, every
        class the synthesis reports on).
    topic:
        The topic whose report focus is the default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`, in comparator order, head-to-head before add-on.
    """
    out: list[tuple[str, str, str, list[str]]] = []  # GAP_COLUMNS
    rows = synthesis.rows
    for comparator in focus_comparators(synthesis, topic, comparators):
        for kind in DESIGN_KIND_ORDER:
            label = comparison_label(comparator, kind, synthesis.intervention)
            these = rows[(rows["comparator_class"] == comparator) & (rows["design_kind"] == kind)]
            if these.empty:
                if kind in ALWAYS_SHOWN_KINDS:
                    out.append((label, "no_studies", "No study of any design makes this comparison.", []))
                continue
            groups = [g for g in synthesis.groups if g.key["comparator_class"] == comparator and g.key["design_kind"] == kind]
            out.extend((label, *gap) for gap in _comparison_gaps(kind, these, groups, synthesis.intervention,
                                                                         synthesis.surrogates))
    return pd.DataFrame(out, columns=list(GAP_COLUMNS))


def gaps_markdown(gaps: pd.DataFrame) -> str:
    """The gaps as Markdown: one heading per comparison, one bullet per gap."""
    if gaps.empty:
        return "No gaps were found by the checks (which does not make the evidence strong: read the certainty)."
    parts = []
    for comparison, rows in gaps.groupby("comparison", sort=False):
        parts.append(f"**{comparison}**\n\n" + "\n".join(f"- {s}" for s in rows["statement"]))
    return "\n\n".join(parts)
