"""The report's bottom line: what the evidence says, in plain words, one paragraph per comparison.

A reader who opens the report should learn first which side each study favoured, how many
people took part and how certain the evidence is, before any table. Every sentence here is
built from the synthesis rows, never written by hand, and names its studies so each can be
checked. Studies that cannot be traced (no PMID, DOI or title) never support a sentence: they
are listed apart by :func:`untraced_studies`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .comparisons import (
    annotated_rows, certainty_range, comparison_kinds, focus_comparators, traced_groups,
)
from .labels import (
    SHARED_COMPARATOR_NAMES, DESIGN_NAMES, MACHINE_EXTRACTED, comparator_names, direction_name, name_of,
    outcome_name, outcomes, unspecified_form_name,
    reader_label, sides,
)
from ..synthesize.synthesis import PACKAGE, Synthesis, comparison_label
from ..topic.model import Topic

UNTRACED_COLUMNS = ("comparison", "design", "participants", "population", "reported", "source_url")
"""Columns of :func:`untraced_studies`."""


@dataclass(frozen=True)
class Paragraph:
    """The bottom line of one comparison.

    Attributes
    ----------
    comparison:
        The comparison's label in the tables ("acupuncture vs nerve block").
    heading:
        The comparison in plain words ("Acupuncture instead of a nerve block").
    text:
        The paragraph: studies, their sides, participants, certainty.
    study_ids:
        The studies the paragraph rests on (traceable ones only).
    untraced_ids:
        The comparison's studies that could not be traced, left out of the paragraph.
    """

    comparison: str
    heading: str
    text: str
    study_ids: tuple[str, ...]
    untraced_ids: tuple[str, ...] = ()


def _article(noun: str) -> str:
    if noun.startswith("other "):
        return "an" + noun  # "another injection"
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def heading(comparator_class: str, design_kind: str, intervention: str, labels: dict[str, str] | None = None) -> str:
    """The comparison in plain words (``intervention``: the topic's intervention as a sentence names it;
    ``labels``: readers' names of comparator classes, :func:`~evidence.outputs.labels.comparator_names`)."""
    comparator = (labels or SHARED_COMPARATOR_NAMES).get(comparator_class, comparator_class.replace("_", " "))
    if design_kind == "add_on":
        return f"{_capital(intervention)} added to {_article(comparator)}, against the {comparator} alone"
    if design_kind == PACKAGE:
        return f"Treatment packages including {intervention}, against packages including {_article(comparator)}"
    if design_kind == "add_on_unknown":
        return f"{_capital(intervention)} and {_article(comparator)} (whether {intervention} was added is not stated)"
    return f"{_capital(intervention)} instead of {_article(comparator)}"


def _count(n: int, noun: str) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{words.get(n, str(n))} {noun if n == 1 else plural}"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _study_sentence(rows: pd.DataFrame, comparator_class: str, design_kind: str, names: dict,
                    intervention: str, labels: dict[str, str], form_not_stated: str) -> str:
    """'Qu 2010 (randomised trial, manual acupuncture, 60 participants; no PMID) favoured the nerve block on ...'."""
    first = rows.iloc[0]
    n = rows["n"].max()
    tags = [name_of(first["design"], DESIGN_NAMES) or "design not known", ", ".join(dict.fromkeys(rows["form"]))]
    if pd.notna(n):
        tags.append(f"{int(n)} participants")
    if comparator_class.startswith("other_") and pd.notna(first["comparator_named"]):
        tags.append(f"against {first['comparator_named']}")  # a catch-all class ("other injection") says too little
    flags = []
    if pd.isna(first["pmid"]):
        flags.append("no PMID")
    if not bool(first["verified"]) if pd.notna(first["verified"]) else True:
        flags.append("not verified against a source page")
    if rows["machine"].any():
        flags.append(MACHINE_EXTRACTED)
    described = f"{reader_label(first['label'], first['pmid'])} ({', '.join(tags)}{'; ' + '; '.join(flags) if flags else ''})"
    ours, theirs = sides(comparator_class, design_kind, intervention, labels)
    forms = list(dict.fromkeys(rows["form"]))
    if len(forms) == 1 and forms[0] != form_not_stated and design_kind != PACKAGE:
        ours = ours.replace(intervention, forms[0])  # name the kind: "favoured adding acupotomy (needle-knife)"
    verbs = {"favours_intervention": f"favoured {ours}", "favours_comparator": f"favoured {theirs}",
             "no_difference": "found no difference"}
    said = rows["direction"].fillna(rows["direction_from_numbers"]).astype(object)
    parts = []
    for direction, verb in verbs.items():
        these = rows[said == direction]
        if len(these):
            parts.append(f"{verb} on {_outcomes_at(these, names)}")
    silent = rows[~said.isin(list(verbs))]
    if len(silent):
        parts.append(f"gave no between-group result for {_outcomes_at(silent, names)} in what was seen")
    return f"{described} {_join(parts)}."


_INNER_BRACKETS = re.compile(r"\s*\(([^)]*)\)")


def _outcomes_at(rows: pd.DataFrame, names: dict) -> str:
    """'pain (VAS) and Oswestry Disability Index (after 1 week of treatment)': the timepoint when there is one."""
    outcome_list = _join(list(dict.fromkeys(outcome_name(o, names) or "outcome not stated" for o in rows["outcome"])))
    timepoints = rows["timepoint"].dropna().unique()
    if len(timepoints) != 1:
        return outcome_list
    # "post-treatment (as pooled)" becomes "post-treatment, as pooled": no brackets inside brackets.
    timepoint = _INNER_BRACKETS.sub(r", \1", str(timepoints[0]))
    return f"{outcome_list} ({timepoint})"


def _paragraph(synthesis: Synthesis, annotated: pd.DataFrame, comparator: str, kind: str, names: dict,
               traced_ids: set, labels: dict[str, str], form_not_stated: str) -> Paragraph:
    every = annotated[(annotated["comparator_class"] == comparator) & (annotated["design_kind"] == kind)]
    rows = every[every["traceable"]]
    untraced = tuple(dict.fromkeys(every.loc[~every["traceable"], "study_id"].dropna()))
    be, support = ("is", "supports") if len(untraced) == 1 else ("are", "support")
    apart = (f" {_count(len(untraced), 'further study').capitalize()} that could not be traced (no title, PMID or "
             f"DOI) {be} listed apart and {support} nothing here." if untraced else "")
    intervention = synthesis.intervention
    label = comparison_label(comparator, kind, intervention)
    if rows.empty:
        return Paragraph(label, heading(comparator, kind, intervention, labels), "No study found makes this comparison." + apart,
                         (), untraced)
    per_study = [rows[rows["study_id"] == sid] for sid in dict.fromkeys(rows["study_id"])]
    trials = [s for s in per_study if s["design_group"].iloc[0] == "randomised_trial"]
    in_trials = sum(int(s["n"].max()) for s in trials if s["n"].notna().any())
    counted = _count(len(per_study), "study")
    if trials:
        counted += f", {_count(len(trials), 'randomised trial')} with {in_trials} participants in all" \
            if len(per_study) != len(trials) or len(trials) > 1 else f", a randomised trial with {in_trials} participants"
    sentences = [f"{counted.capitalize()}."]
    sentences += [_study_sentence(s, comparator, kind, names, intervention, labels, form_not_stated) for s in per_study]
    if kind == PACKAGE:
        sentences.append(f"{_capital(intervention)} was one part of a package of treatments, so these studies cannot "
                         f"show the effect of {intervention} itself.")
    grade = certainty_range([g.certainty.grade for g in traced_groups(synthesis, comparator, kind, traced_ids)])
    sentences.append(f"Certainty: {grade}.{apart}")
    return Paragraph(label, heading(comparator, kind, intervention, labels), " ".join(sentences), tuple(dict.fromkeys(rows["study_id"])),
                     untraced)


def bottom_line(synthesis: Synthesis, findings: pd.DataFrame, studies: pd.DataFrame,
                comparators: tuple[str, ...] | None = None, topic: Topic | None = None) -> list[Paragraph]:
    """One plain-words paragraph per comparison of the intervention with ``comparators``.

    Head-to-head and add-on comparisons always get a paragraph (saying so when no study makes
    them); package and add-on-not-stated comparisons only when they hold studies.

    Parameters
    ----------
    synthesis:
        ``synthesize(studies, findings)``.
    findings, studies:
        The tables the synthesis was built from.
    comparators:
        Comparator classes, in the order shown (default: the topic's report focus).
    topic:
        Whose outcome, comparator and form names are shown and whose report focus is the default
        (without a topic: codes in words, every class the synthesis reports on).

    Returns
    -------
    list of Paragraph
    """
    annotated = annotated_rows(synthesis, findings, studies, topic)
    traced_ids = set(annotated.loc[annotated["traceable"], "study_id"].dropna())
    names = outcomes(topic)
    labels, form_not_stated = comparator_names(topic), unspecified_form_name(topic)
    return [_paragraph(synthesis, annotated, comparator, kind, names, traced_ids, labels, form_not_stated)
            for comparator in focus_comparators(synthesis, topic, comparators) for kind in comparison_kinds(annotated, comparator)]


def summary_sentence(paragraphs: list[Paragraph], synthesis: Synthesis, focus_name: str) -> str:
    """One sentence over all comparisons: how many traceable studies, trials and participants, the best certainty.

    ``focus_name`` names the comparators in a sentence (``Topic.report.focus_name``).
    """
    ids = {sid for p in paragraphs for sid in p.study_ids}
    rows = synthesis.rows[synthesis.rows["study_id"].isin(ids)]
    trials = rows[rows["design_group"] == "randomised_trial"].groupby("study_id")["n"].max()
    if not ids:
        return f"No study that can be traced compares {synthesis.intervention} with {focus_name}."
    grades = [g.certainty.grade for g in synthesis.groups if set(g.rows["study_id"].dropna()) & ids]
    best = certainty_range(grades).split(" to ")[-1]
    untraced = {sid for p in paragraphs for sid in p.untraced_ids} - ids
    apart = (f" {_count(len(untraced), 'more study').capitalize()} could not be traced and "
             f"{'is' if len(untraced) == 1 else 'are'} listed apart." if untraced else "")
    return (f"{_count(len(ids), 'traceable study').capitalize()}, {_count(len(trials), 'randomised trial')} among them "
            f"({int(trials.sum())} participants), compare {synthesis.intervention} with {focus_name}, head-to-head, "
            f"as an add-on or inside a package of treatments; the certainty of the evidence is at best {best}.{apart}")


def untraced_studies(synthesis: Synthesis, findings: pd.DataFrame, studies: pd.DataFrame,
                     comparators: tuple[str, ...] | None = None, topic: Topic | None = None) -> pd.DataFrame:
    """The studies that could not be traced (no PMID, DOI or title), one row each, for listing apart.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`UNTRACED_COLUMNS`: what is known of each, and the page where it was seen.
    """
    annotated = annotated_rows(synthesis, findings, studies, topic)
    comparators = focus_comparators(synthesis, topic, comparators)
    labels = comparator_names(topic)
    untraced = annotated[~annotated["traceable"] & annotated["comparator_class"].isin(comparators).fillna(False)]
    names = outcomes(topic)
    population = studies.drop_duplicates("study_id").set_index("study_id")["population"] if len(studies) else pd.Series()
    out = []
    for sid, rows in untraced.groupby("study_id", sort=False):
        first = rows.iloc[0]
        said = rows["direction"].fillna(rows["direction_from_numbers"]).astype(object)
        said_as = (direction_name(d, first['comparator_class'], first['design_kind'], synthesis.intervention, labels) for d in said)
        reported = [f"{outcome_name(o, names)}: {d or 'no direction stated'}"
                    for o, d in zip(rows["outcome"], said_as)]
        out.append({"comparison": first["comparison_label"], "design": name_of(first["design"], DESIGN_NAMES),
                    "participants": first["n"], "population": population.get(sid, pd.NA),
                    "reported": "; ".join(reported), "source_url": first["shown_source"]})
    return pd.DataFrame(out, columns=list(UNTRACED_COLUMNS))
