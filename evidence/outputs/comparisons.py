"""A topic's intervention against chosen comparator classes: the evidence table, headline and certainty tables.

These are the presentation tables of notebook 02 and of the report (``evidence_table.csv`` and
``.xlsx``). They only arrange what :func:`evidence.synthesize.synthesis.synthesize` computed; every row keeps
its PMID (or says there is none) and the source URL where its numbers were seen.

Design kinds are kept apart throughout, because they answer different questions: *head-to-head*
(acupuncture instead of the injection), *add-on* (acupuncture added to the injection, against the
injection alone), *package* (acupuncture is one part of a package of treatments) and
*add-on status not stated*.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

import pandas as pd

from ..errors import InputError
from ..synthesize.certainty import GRADES, NO_EVIDENCE, NOT_GRADED
from .labels import (
    DESIGN_NAMES, GRADE_NAMES, MACHINE_EXTRACTED, comparator_names, direction_name, form_names, is_missing, is_traceable,
    name_of, outcome_name, outcomes, preferred_source, reader_label, study_link, unspecified_form_name,
)
from .plots import Plot, forest_plot
from ..synthesize.synthesis import PACKAGE, ComparisonGroup, Synthesis, comparison_label
from ..topic.model import Topic


def focus_comparators(synthesis: Synthesis, topic: Topic | None = None,
                      comparators: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The comparator classes a table is about: ``comparators`` when given, else the topic's report
    focus (``[report] focus``), else every class the synthesis reports on. No topic's classes are
    assumed here."""
    if comparators is not None:
        return tuple(comparators)
    if topic is not None:
        return topic.report.focus
    return synthesis.comparators


DESIGN_KIND_ORDER = ("head_to_head", "add_on", PACKAGE, "add_on_unknown")
ALWAYS_SHOWN_KINDS = ("head_to_head", "add_on")
"""Design kinds shown for every comparator even when empty, so a missing comparison is visible."""

EVIDENCE_TABLE_COLUMNS = (
    "comparison", "intervention_form", "study", "pmid", "doi", "link", "year", "design", "n",
    "outcome", "timepoint", "measure", "estimate", "ci_low", "ci_high", "p_value", "direction_reported",
    "direction_from_numbers", "effect_source", "verified", "extraction", "traceable", "source_url",
    "preferred_source", "note",
)
"""Columns of :func:`evidence_table` (one row per finding), in readers' words: outcome names,
design names and directions, not the tables' codes. ``link`` is the study's PubMed or DOI page;
``source_url`` the page where the finding was seen, ``preferred_source`` the study's first-hand
page when one was seen (else the same); ``extraction`` is "curated" or
:data:`~evidence.outputs.labels.MACHINE_EXTRACTED`."""

ANNOTATION_COLUMNS = ("form", "doi", "title", "link", "traceable", "machine", "shown_source", "comparator_named")
"""Columns :func:`annotated_rows` adds to the synthesis rows."""


def _kind_rank(kind: object) -> int:
    return DESIGN_KIND_ORDER.index(kind) if kind in DESIGN_KIND_ORDER else len(DESIGN_KIND_ORDER)


def _p_value(p_value: object, p_text: object) -> object:
    """'p = 0.03', 'p < 0.05' as the source printed it; NA when neither was reported."""
    if not pd.isna(p_text):
        text = str(p_text).strip()
        if text[:1] in "pP":
            return text
        return f"p {text[0]} {text[1:].strip()}" if text[:1] in "<>=≤≥" else f"p = {text}"
    if isinstance(p_value, (numbers.Real, str)) and not pd.isna(p_value):  # a number (numpy's too) or NA
        return f"p = {float(p_value):g}"
    return pd.NA


def _studies_by_id(studies: pd.DataFrame) -> dict[str, dict]:
    """One study row per id (curated rows win over automatic ones), as plain dicts."""
    by_id: dict[str, dict] = {}
    for row in studies.astype(object).to_dict("records"):
        sid = row.get("study_id") if not is_missing(row.get("study_id")) else row.get("pmid")
        if is_missing(sid):
            continue
        kept = by_id.get(str(sid))
        if kept is None or (row.get("provenance") == "curated" and kept.get("provenance") != "curated"):
            by_id[str(sid)] = row
    return by_id


def _form(finding_form: object, study_forms: object, topic: Topic | None) -> str:
    """The form of the intervention in one finding: its own form, else the study's specific forms."""
    names = form_names(topic)
    generic = (topic.unspecified_form if topic is not None else None, "none")
    if finding_form == "none":
        return "none (no arm of the intervention)"
    if not is_missing(finding_form) and finding_form not in generic:
        return names.get(str(finding_form), str(finding_form).replace("_", " "))
    specific = [f for f in (study_forms if isinstance(study_forms, (list, tuple)) else []) if f not in generic]
    if specific:
        return ", ".join(names.get(f, f.replace("_", " ")) for f in dict.fromkeys(specific))
    return unspecified_form_name(topic)


def annotated_rows(synthesis: Synthesis, findings: pd.DataFrame, studies: pd.DataFrame,
                   topic: Topic | None = None) -> pd.DataFrame:
    """The synthesis rows with what a reader needs beside the numbers (:data:`ANNOTATION_COLUMNS`).

    ``form`` names the kind of intervention (by ``topic``'s form names; without a topic, the
    codes in words); ``link`` is the PubMed or DOI page; ``traceable`` is
    false for a study with neither an identifier nor a title; ``machine`` marks machine-extracted
    rows; ``shown_source`` is the first-hand page among the finding's and the study's sources;
    ``comparator_named`` the study's first comparator as it names it.

    Raises
    ------
    InputError
        ``findings`` is not the table the synthesis was built from.
    """
    rows = synthesis.rows.reset_index(drop=True)
    if len(rows) != len(findings):
        raise InputError("findings must be the table the synthesis was built from (row counts differ)")
    by_id = _studies_by_id(studies)
    forms, dois, titles, links, traceable, shown, named = [], [], [], [], [], [], []
    for row, finding_form in zip(rows.itertuples(), findings["intervention"].astype(object)):
        study = by_id.get(str(row.study_id), {})
        doi, title = study.get("doi"), study.get("title")
        forms.append(_form(finding_form, study.get("interventions"), topic))
        dois.append(None if is_missing(doi) else doi)
        titles.append(None if is_missing(title) else title)
        links.append(study_link(row.pmid, doi))
        traceable.append(is_traceable(row.pmid, doi, title))
        urls = study.get("source_urls")
        shown.append(preferred_source([row.source_url, *(urls if isinstance(urls, (list, tuple)) else [])]))
        comparators = study.get("comparators") if isinstance(study.get("comparators"), (list, tuple)) else []
        named.append(comparators[0] if comparators else None)
    return rows.assign(form=forms, doi=pd.array(dois, dtype="string"), title=pd.array(titles, dtype="string"),
                       link=pd.array(links, dtype="string"), traceable=pd.Series(traceable, index=rows.index, dtype=bool),
                       machine=(rows["provenance"] != "curated").fillna(True).astype(bool),
                       shown_source=pd.array(shown, dtype="string"), comparator_named=pd.array(named, dtype="string"))


def traced_study_ids(synthesis: Synthesis, findings: pd.DataFrame, studies: pd.DataFrame) -> set:
    """Ids of the studies a reader can trace (a PMID, a DOI or a title): the only ones that may support a statement."""
    annotated = annotated_rows(synthesis, findings, studies)
    return set(annotated.loc[annotated["traceable"], "study_id"].dropna())


def evidence_table(synthesis: Synthesis, findings: pd.DataFrame, studies: pd.DataFrame,
                   comparators: tuple[str, ...] | None = None, topic: Topic | None = None) -> pd.DataFrame:
    """Every finding comparing the intervention with one of ``comparators``, one row each, in readers' words.

    Parameters
    ----------
    synthesis:
        ``synthesize(studies, findings)``.
    findings:
        The findings table the synthesis was built from (its p-values and acupuncture forms are
        added; the synthesis keeps one row per finding, in the table's order).
    studies:
        The studies table (DOIs, titles and source pages).
    comparators:
        Comparator classes to keep (default: :func:`focus_comparators`, the topic's report focus).
    topic:
        Whose outcome, comparator and form names are shown and whose report focus is the default
        (without a topic: codes in words, every class the synthesis reports on).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EVIDENCE_TABLE_COLUMNS`, sorted by comparator, design kind, study, outcome.
        ``estimate``/``ci_*`` are on the reporting scale (ratios as ratios); ``pmid`` is NA when
        the study has none.
    """
    rows = annotated_rows(synthesis, findings, studies, topic)
    names = outcomes(topic)
    comparators = focus_comparators(synthesis, topic, comparators)
    comparator_labels = comparator_names(topic)
    p_values = [_p_value(p, t) for p, t in zip(findings["p_value"], findings["p_value_text"])]
    add_on = rows["design_kind"].astype(object)
    table = pd.DataFrame({
        "comparison": rows["comparison_label"], "intervention_form": rows["form"],
        "study": [reader_label(lab, pmid) for lab, pmid in zip(rows["label"], rows["pmid"])],
        "pmid": rows["pmid"], "doi": rows["doi"], "link": rows["link"], "year": rows["year"],
        "design": rows["design"].map(lambda d: name_of(d, DESIGN_NAMES)).astype("string"), "n": rows["n"],
        "outcome": rows["outcome"].map(lambda o: outcome_name(o, names)).astype("string"),
        "timepoint": rows["timepoint"], "measure": rows["measure"],
        "estimate": rows["estimate"], "ci_low": rows["ci_low"], "ci_high": rows["ci_high"],
        "p_value": pd.array(p_values, dtype="string"),
        "direction_reported": [direction_name(d, c, k, synthesis.intervention, comparator_labels)
                               for d, c, k in zip(rows["direction"], rows["comparator_class"], add_on)],
        "direction_from_numbers": [direction_name(d, c, k, synthesis.intervention, comparator_labels) for d, c, k in
                                   zip(rows["direction_from_numbers"], rows["comparator_class"], add_on)],
        "effect_source": rows["effect_source"], "verified": rows["verified"],
        "extraction": rows["machine"].map({True: MACHINE_EXTRACTED, False: "curated"}),
        "traceable": rows["traceable"], "source_url": rows["source_url"], "preferred_source": rows["shown_source"],
        "note": rows["row_note"],
        "_class": rows["comparator_class"], "_kind": rows["design_kind"],
    }).astype({"direction_reported": "string", "direction_from_numbers": "string", "extraction": "string"})
    table = table[table["_class"].isin(comparators).fillna(False).astype(bool)]
    order = table.assign(_c=table["_class"].map(list(comparators).index), _k=table["_kind"].map(_kind_rank))
    order = order.sort_values(["_c", "_k", "year", "study", "outcome", "timepoint"], na_position="last", kind="stable")
    return order[list(EVIDENCE_TABLE_COLUMNS)].reset_index(drop=True)


def certainty_range(grades: list[str]) -> str:
    """'very low', 'low to moderate', 'not graded (...)' or 'no evidence' for the grades of a comparison's groups."""
    graded = sorted({g for g in grades if g in GRADES}, key=GRADES.index)
    if not graded:
        return "not graded (review-level estimates only)" if NOT_GRADED in grades else NO_EVIDENCE.replace("_", " ")
    low, high = graded[0].replace("_", " "), graded[-1].replace("_", " ")
    return low if low == high else f"{low} to {high}"


def study_names(rows: pd.DataFrame) -> str:
    """'Lee 2024 (PMID 38276054); Qu 2010 (no PMID)': each study of synthesis rows once."""
    names = []
    for row in rows.drop_duplicates("study_id").itertuples():
        label = reader_label(row.label, row.pmid)
        if pd.isna(row.pmid):
            names.append(f"{label} (no PMID)")
        else:
            names.append(label if label == f"PMID {row.pmid}" else f"{label} (PMID {row.pmid})")
    return "; ".join(names)


def _comparison_rows(annotated: pd.DataFrame, comparator: str, kind: str) -> pd.DataFrame:
    return annotated[(annotated["comparator_class"] == comparator) & (annotated["design_kind"] == kind)]


def comparison_kinds(annotated: pd.DataFrame, comparator: str) -> list[str]:
    """The design kinds shown for one comparator: head-to-head and add-on always, others when present."""
    present = set(annotated.loc[annotated["comparator_class"] == comparator, "design_kind"].dropna())
    return [k for k in DESIGN_KIND_ORDER if k in ALWAYS_SHOWN_KINDS or k in present]


def traced_groups(synthesis: Synthesis, comparator: str, kind: str, traced_ids: set) -> list[ComparisonGroup]:
    """A comparison's groups that rest on at least one traceable study."""
    return [g for g in _groups(synthesis, comparator, kind) if set(g.rows["study_id"].dropna()) & traced_ids]


def headline_table(synthesis: Synthesis, findings: pd.DataFrame, studies: pd.DataFrame,
                   comparators: tuple[str, ...] | None = None, topic: Topic | None = None) -> pd.DataFrame:
    """One row per comparison (comparator class x design kind): how much evidence there is.

    Head-to-head and add-on rows are always present, with zero counts when no study exists, so
    the absence of a comparison is shown rather than silently missing. Studies that cannot be
    traced (no PMID, DOI or title) are counted apart and support no other column.

    Returns
    -------
    pandas.DataFrame
        ``comparison``, ``intervention_forms``, ``studies``, ``randomised_trials``,
        ``participants_in_trials`` (NA when no trial states it), ``outcomes`` (names),
        ``pooled_results``, ``certainty`` (range over the comparison's outcomes),
        ``unverified_studies``, ``studies_without_pmid``, ``studies_listed``, ``could_not_be_traced``.
    """
    annotated = annotated_rows(synthesis, findings, studies, topic)
    traced_ids = set(annotated.loc[annotated["traceable"], "study_id"].dropna())
    names = outcomes(topic)
    out = []
    for comparator in focus_comparators(synthesis, topic, comparators):
        for kind in comparison_kinds(annotated, comparator):
            every = _comparison_rows(annotated, comparator, kind)
            these = every[every["traceable"]]
            trials = these[these["design_group"] == "randomised_trial"].drop_duplicates("study_id")
            groups = traced_groups(synthesis, comparator, kind, traced_ids)
            listed = these.drop_duplicates("study_id")
            out.append({
                "comparison": comparison_label(comparator, kind, synthesis.intervention),
                "intervention_forms": ", ".join(dict.fromkeys(these["form"])) or "none",
                "studies": len(listed), "randomised_trials": len(trials),
                "participants_in_trials": int(trials["n"].sum()) if trials["n"].notna().any() else pd.NA,
                "outcomes": ", ".join(sorted({name for o in these["outcome"].dropna()
                                                if (name := outcome_name(o, names)) is not None})) or "none",
                "pooled_results": sum(g.pooled is not None for g in groups),
                "certainty": certainty_range([g.certainty.grade for g in groups]),
                "unverified_studies": int((~listed["verified"].fillna(False).astype(bool)).sum()),
                "studies_without_pmid": int(listed["pmid"].isna().sum()),
                "studies_listed": study_names(these) or "no studies",
                "could_not_be_traced": int(every.loc[~every["traceable"], "study_id"].nunique()),
            })
    return pd.DataFrame(out).astype({"participants_in_trials": "Int64"})


def _groups(synthesis: Synthesis, comparator: str, kind: str) -> list[ComparisonGroup]:
    return [g for g in synthesis.groups if g.key["comparator_class"] == comparator and g.key["design_kind"] == kind]


DESIGN_GROUP_NAMES = {"randomised_trial": "randomised trials", "non_randomised_trial": "non-randomised trials",
                      "observational": "observational studies", "review": "reviews",
                      "not_comparative": "not comparative", "unknown": "design not known"}


def certainty_table(synthesis: Synthesis, comparators: tuple[str, ...] | None = None,
                    topic: Topic | None = None) -> pd.DataFrame:
    """One row per comparison group of ``comparators``: its result, certainty and the reasons.

    A reason text already given for an earlier group of the same comparison is not repeated:
    the row says which outcome it is the same as, so the table stays readable.

    Returns
    -------
    pandas.DataFrame
        ``comparison``, ``outcome`` (name), ``measure``, ``window``, ``design``, ``studies``,
        ``result`` (the pooled estimate, or why nothing was pooled), ``certainty`` and ``reasons``.
    """
    names = outcomes(topic)
    out = []
    for comparator in focus_comparators(synthesis, topic, comparators):
        for kind in DESIGN_KIND_ORDER:
            given: dict[str, str] = {}
            for g in _groups(synthesis, comparator, kind):
                if g.pooled is not None:
                    est, low, high = g.pooled.reported()
                    result = f"pooled {g.key['measure']} {est:.2f} (95% CI {low:.2f} to {high:.2f}), k = {g.pooled.k}"
                else:
                    result = f"not pooled: {g.reason}"
                outcome = outcome_name(g.key["outcome"], names)
                reasons = " ".join(g.certainty.reasons)
                shown = f"as for {given[reasons]} above" if reasons in given else reasons
                given.setdefault(reasons, f"{outcome} ({g.key['window']})")
                out.append({
                    "comparison": comparison_label(comparator, kind, synthesis.intervention), "outcome": outcome,
                    "measure": g.key["measure"], "window": g.key["window"],
                    "design": DESIGN_GROUP_NAMES.get(g.key["design_group"], g.key["design_group"]),
                    "studies": g.k, "result": result, "certainty": GRADE_NAMES.get(g.certainty.grade, g.certainty.grade),
                    "reasons": shown,
                })
    columns = ["comparison", "outcome", "measure", "window", "design", "studies", "result", "certainty", "reasons"]
    return pd.DataFrame(out, columns=columns)


class ForestFigure(NamedTuple):
    """A forest plot of one group with at least one estimable result.

    ``caption`` says in one line what the plot rests on: studies, whether pooled, certainty.
    """

    plot: Plot
    group: ComparisonGroup
    caption: str


def _caption(heading: str, group: ComparisonGroup, names: dict) -> str:
    studies = f"{group.k} {'study' if group.k == 1 else 'studies'}"
    pooled = f"pooled ({group.pooled.method})" if group.pooled is not None else "not pooled"
    grade = GRADE_NAMES.get(group.certainty.grade, group.certainty.grade)
    return (f"{heading}, {outcome_name(group.key['outcome'], names)} ({group.key['window']}): "
            f"{studies}, {pooled}, certainty {grade}")


class ForestSection(NamedTuple):
    """The forest plots of one comparison (comparator class x design kind)."""

    comparator_class: str
    design_kind: str
    heading: str
    figures: tuple[ForestFigure, ...]


def estimable(group: ComparisonGroup) -> bool:
    """At least one result of the group has an estimate and a confidence interval."""
    rows = group.rows
    return bool((rows["estimate"].notna() & rows["ci_low"].notna() & rows["ci_high"].notna()).any())


def forest_sections(synthesis: Synthesis, comparators: tuple[str, ...] | None = None,
                    traced_ids: set | None = None, topic: Topic | None = None) -> list[ForestSection]:
    """Forest plots of the comparisons that have at least one estimable result, in a fixed order.

    Groups without an estimate and CI are not drawn (an empty box says nothing the tables do
    not); :func:`undrawn_comparisons` names the comparisons left out. With ``traced_ids``, a
    group resting only on studies that cannot be traced is not drawn either.
    """
    names = outcomes(topic)
    sections = []
    for comparator in focus_comparators(synthesis, topic, comparators):
        for kind in DESIGN_KIND_ORDER:
            heading = comparison_label(comparator, kind, synthesis.intervention)
            groups = [g for g in _groups(synthesis, comparator, kind) if estimable(g)
                      and (traced_ids is None or set(g.rows["study_id"].dropna()) & traced_ids)]
            figures = tuple(ForestFigure(forest_plot(g, intervention=synthesis.intervention, topic=topic), g,
                                         _caption(heading, g, names)) for g in groups)
            if figures:
                sections.append(ForestSection(comparator, kind, heading, figures))
    return sections


def undrawn_comparisons(synthesis: Synthesis, sections: list[ForestSection],
                        comparators: tuple[str, ...] | None = None, topic: Topic | None = None) -> list[str]:
    """Comparisons with studies but no forest plot, because none of their results is estimable."""
    drawn = {(s.comparator_class, s.design_kind) for s in sections}
    return [comparison_label(c, k, synthesis.intervention) for c in focus_comparators(synthesis, topic, comparators)
            for k in DESIGN_KIND_ORDER
            if _groups(synthesis, c, k) and (c, k) not in drawn]
