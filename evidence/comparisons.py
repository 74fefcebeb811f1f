"""Acupuncture against chosen comparator classes: the evidence table, headline and certainty tables.

These are the presentation tables of notebook 02 and of the report (``evidence_table.csv`` and
``.xlsx``). They only arrange what :func:`evidence.synthesis.synthesize` computed; every row keeps
its PMID (or says there is none) and the source URL where its numbers were seen.

Design kinds are kept apart throughout, because they answer different questions: *head-to-head*
(acupuncture instead of the injection), *add-on* (acupuncture added to the injection, against the
injection alone), *package* (acupuncture is one part of a package of treatments) and
*add-on status not stated*.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from .certainty import GRADES, NO_EVIDENCE, NOT_GRADED
from .plots import Plot, forest_plot
from .synthesis import PACKAGE, ComparisonGroup, Synthesis, comparison_label

INJECTION_COMPARATORS = ("nerve_block", "epidural_steroid_injection", "other_injection")
"""The comparator classes the first topic asks about: nerve blocks and injections."""

DESIGN_KIND_ORDER = ("head_to_head", "add_on", PACKAGE, "add_on_unknown")
ALWAYS_SHOWN_KINDS = ("head_to_head", "add_on")
"""Design kinds shown for every comparator even when empty, so a missing comparison is visible."""

EVIDENCE_TABLE_COLUMNS = (
    "comparison", "comparator_class", "design_kind", "study", "pmid", "study_id", "year", "design", "n",
    "outcome", "timepoint", "measure", "estimate", "ci_low", "ci_high", "p_value", "direction_reported",
    "direction_from_numbers", "effect_source", "verified", "provenance", "source_url", "note",
)
"""Columns of :func:`evidence_table` (one row per finding)."""


def _kind_rank(kind: object) -> int:
    return DESIGN_KIND_ORDER.index(kind) if kind in DESIGN_KIND_ORDER else len(DESIGN_KIND_ORDER)


def _p_value(p_value: object, p_text: object) -> object:
    """The p-value as the source printed it, else the number; NA when neither was reported."""
    if not pd.isna(p_text):
        return str(p_text) if str(p_text)[:1] in "<>=≤≥" else f"= {p_text}"
    if not pd.isna(p_value):
        return f"= {float(p_value):g}"
    return pd.NA


def evidence_table(synthesis: Synthesis, findings: pd.DataFrame,
                   comparators: tuple[str, ...] = INJECTION_COMPARATORS) -> pd.DataFrame:
    """Every finding comparing acupuncture with one of ``comparators``, one row each.

    Parameters
    ----------
    synthesis:
        ``synthesize(studies, findings)``.
    findings:
        The findings table the synthesis was built from (its p-values are added; the synthesis
        keeps one row per finding, in the table's order).
    comparators:
        Comparator classes to keep.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVIDENCE_TABLE_COLUMNS`, sorted by comparator, design kind, study, outcome.
        ``estimate``/``ci_*`` are on the reporting scale (ratios as ratios); ``pmid`` is NA when
        the study has none.
    """
    rows = synthesis.rows.reset_index(drop=True)
    if len(rows) != len(findings):
        raise ValueError("findings must be the table the synthesis was built from (row counts differ)")
    p_values = [_p_value(p, t) for p, t in zip(findings["p_value"], findings["p_value_text"])]
    table = pd.DataFrame({
        "comparison": rows["comparison_label"], "comparator_class": rows["comparator_class"],
        "design_kind": rows["design_kind"], "study": rows["label"], "pmid": rows["pmid"],
        "study_id": rows["study_id"], "year": rows["year"], "design": rows["design"], "n": rows["n"],
        "outcome": rows["outcome"], "timepoint": rows["timepoint"], "measure": rows["reported_measure"],
        "estimate": rows["estimate"], "ci_low": rows["ci_low"], "ci_high": rows["ci_high"],
        "p_value": pd.array(p_values, dtype="string"), "direction_reported": rows["direction"],
        "direction_from_numbers": rows["direction_from_numbers"], "effect_source": rows["effect_source"],
        "verified": rows["verified"], "provenance": rows["provenance"], "source_url": rows["source_url"],
        "note": rows["row_note"],
    })
    table = table[table["comparator_class"].isin(comparators).fillna(False).astype(bool)]
    order = table.assign(_c=table["comparator_class"].map(list(comparators).index),
                         _k=table["design_kind"].map(_kind_rank))
    order = order.sort_values(["_c", "_k", "year", "study", "outcome", "timepoint"], na_position="last", kind="stable")
    return order[list(EVIDENCE_TABLE_COLUMNS)].reset_index(drop=True)


def _certainty_range(grades: list[str]) -> str:
    graded = sorted({g for g in grades if g in GRADES}, key=GRADES.index)
    if not graded:
        return "not graded (review-level estimates only)" if NOT_GRADED in grades else NO_EVIDENCE.replace("_", " ")
    low, high = graded[0].replace("_", " "), graded[-1].replace("_", " ")
    return low if low == high else f"{low} to {high}"


def study_names(rows: pd.DataFrame) -> str:
    """'Lee 2024 (PMID 38276054); Qu 2010 (no PMID)': each study of synthesis rows once."""
    names = []
    for row in rows.drop_duplicates("study_id").itertuples():
        if pd.isna(row.pmid):
            names.append(f"{row.label} (no PMID)")
        else:
            names.append(row.label if row.label == f"PMID {row.pmid}" else f"{row.label} (PMID {row.pmid})")
    return "; ".join(names)


def headline_table(synthesis: Synthesis, comparators: tuple[str, ...] = INJECTION_COMPARATORS) -> pd.DataFrame:
    """One row per comparison (comparator class x design kind): how much evidence there is.

    Head-to-head and add-on rows are always present, with zero counts when no study exists, so
    the absence of a comparison is shown rather than silently missing.

    Returns
    -------
    pandas.DataFrame
        ``comparison``, ``studies``, ``randomised_trials``, ``participants_in_trials`` (NA when no
        trial states it), ``outcomes``, ``pooled_results``, ``certainty`` (range over the
        comparison's outcomes), ``unverified_studies``, ``studies_without_pmid``, ``studies_listed``.
    """
    rows = synthesis.rows
    out = []
    for comparator in comparators:
        present = set(rows.loc[rows["comparator_class"] == comparator, "design_kind"].dropna())
        kinds = [k for k in DESIGN_KIND_ORDER if k in ALWAYS_SHOWN_KINDS or k in present]
        for kind in kinds:
            these = rows[(rows["comparator_class"] == comparator) & (rows["design_kind"] == kind)]
            trials = these[these["design_group"] == "randomised_trial"].drop_duplicates("study_id")
            groups = _groups(synthesis, comparator, kind)
            studies = these.drop_duplicates("study_id")
            out.append({
                "comparison": comparison_label(comparator, kind), "studies": len(studies),
                "randomised_trials": len(trials),
                "participants_in_trials": int(trials["n"].sum()) if trials["n"].notna().any() else pd.NA,
                "outcomes": ", ".join(sorted(these["outcome"].dropna().unique())) or "none",
                "pooled_results": sum(g.pooled is not None for g in groups),
                "certainty": _certainty_range([g.certainty.grade for g in groups]),
                "unverified_studies": int((~studies["verified"].fillna(False).astype(bool)).sum()),
                "studies_without_pmid": int(studies["pmid"].isna().sum()),
                "studies_listed": study_names(these) or "no studies",
            })
    return pd.DataFrame(out).astype({"participants_in_trials": "Int64"})


def _groups(synthesis: Synthesis, comparator: str, kind: str) -> list[ComparisonGroup]:
    return [g for g in synthesis.groups if g.key["comparator_class"] == comparator and g.key["design_kind"] == kind]


def certainty_table(synthesis: Synthesis, comparators: tuple[str, ...] = INJECTION_COMPARATORS) -> pd.DataFrame:
    """One row per comparison group of ``comparators``: its result, certainty and the reasons.

    Returns
    -------
    pandas.DataFrame
        ``comparison``, ``outcome``, ``measure``, ``window``, ``design_group``, ``studies``,
        ``result`` (the pooled estimate, or why nothing was pooled), ``certainty`` and ``reasons``
        (the grade's sentences joined with spaces).
    """
    out = []
    for comparator in comparators:
        for kind in DESIGN_KIND_ORDER:
            for g in _groups(synthesis, comparator, kind):
                if g.pooled is not None:
                    est, low, high = g.pooled.reported()
                    result = f"pooled {g.key['measure']} {est:.2f} (95% CI {low:.2f} to {high:.2f}), k = {g.pooled.k}"
                else:
                    result = f"not pooled: {g.reason}"
                out.append({
                    "comparison": comparison_label(comparator, kind), "outcome": g.key["outcome"],
                    "measure": g.key["measure"], "window": g.key["window"], "design_group": g.key["design_group"],
                    "studies": g.k, "result": result, "certainty": g.certainty.grade.replace("_", " "),
                    "reasons": " ".join(g.certainty.reasons),
                })
    columns = ["comparison", "outcome", "measure", "window", "design_group", "studies", "result", "certainty", "reasons"]
    return pd.DataFrame(out, columns=columns)


class ForestFigure(NamedTuple):
    """A forest plot of one group; ``has_numbers`` when at least one interval or a pooled result is drawn.

    ``caption`` says in one line what the plot rests on: studies, whether pooled, certainty.
    """

    plot: Plot
    group: ComparisonGroup
    has_numbers: bool
    caption: str


def _caption(heading: str, group: ComparisonGroup) -> str:
    if group.k == 0:
        return f"{heading}: no studies"
    studies = f"{group.k} {'study' if group.k == 1 else 'studies'}"
    pooled = f"pooled ({group.pooled.method})" if group.pooled is not None else "not pooled"
    grade = group.certainty.grade.replace("_", " ")
    return f"{heading}, {group.key['outcome']} ({group.key['window']}): {studies}, {pooled}, certainty {grade}"


class ForestSection(NamedTuple):
    """The forest plots of one comparison (comparator class x design kind)."""

    comparator_class: str
    design_kind: str
    heading: str
    figures: tuple[ForestFigure, ...]


def forest_sections(synthesis: Synthesis, comparators: tuple[str, ...] = INJECTION_COMPARATORS) -> list[ForestSection]:
    """Forest plots for every outcome of every comparison, in a fixed order.

    A head-to-head or add-on comparison without studies gets one "No studies" figure, so the
    gap is drawn rather than skipped; package and unknown-status comparisons appear only when
    they hold studies.
    """
    sections = []
    for comparator in comparators:
        for kind in DESIGN_KIND_ORDER:
            groups = _groups(synthesis, comparator, kind)
            if not groups and kind not in ALWAYS_SHOWN_KINDS:
                continue
            if not groups:
                # An empty group draws the "No studies" figure with the synthesis's own sentence.
                groups = [synthesis.group(comparator, "any outcome", add_on=kind == "add_on", design_group=None)]
            figures = []
            for g in groups:
                plot = forest_plot(g)
                has_numbers = bool(plot.data["ci_low"].notna().any()) if len(plot.data) else False
                figures.append(ForestFigure(plot, g, has_numbers, _caption(comparison_label(comparator, kind), g)))
            sections.append(ForestSection(comparator, kind, comparison_label(comparator, kind), tuple(figures)))
    return sections
