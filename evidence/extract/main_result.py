"""A study's main result: its primary outcome at its primary time point, when the abstract names one.

A trial abstract often reports secondary outcomes before, or beside, the primary one ("back pain
and ODI did not differ; leg pain, the primary outcome, was lower with acupuncture"). Reading the
first finding as the study's result then calls a positive trial neutral. ``mark_main_results``
flags, among a study's findings, those of the outcome the abstract names as primary, at the time
point it names (when it names one), so summaries can lead with them.
"""

from __future__ import annotations

import re

import pandas as pd

from .findings import sentence_mentions, vocabulary
from .primary import primary_outcome, primary_time_weeks
from .text import record_text
from ..topic.model import Topic

# Words of an outcome label that name its scale, not what is measured ("leg_pain_vas" is leg pain).
_SCALE_WORDS = frozenset({"vas", "nrs", "score", "scale", "index", "rate", "overall"})


def _labels_by_words(primary: str, labels: set[str]) -> set[str]:
    """The finding outcomes a primary-outcome phrase names by their words when the vocabulary
    finds none in it ("leg pain intensity at 4 weeks" names leg_pain_vas and leg_pain_nrs, not
    pain_vas): the labels whose measured words all stand in the phrase, the most specific ones."""
    words = set(re.findall(r"[a-z]+", primary.lower()))
    named = {}
    for label in labels:
        measured = set(label.split("_")) - _SCALE_WORDS
        if measured and measured <= words:
            named[label] = len(measured)
    most = max(named.values(), default=0)
    return {label for label, size in named.items() if size == most}


def mark_main_results(findings: pd.DataFrame, articles: pd.DataFrame, topic: Topic) -> pd.DataFrame:
    """Set ``main_result`` on a findings table from the primary outcome each abstract names.

    Parameters
    ----------
    findings:
        A ``findings`` table (``evidence.tables.schema.FINDINGS``) of automatic rows.
    articles:
        The ``articles`` table the findings were extracted from (``pmid``, ``title``, ``abstract``).
    topic:
        Supplies the outcome vocabulary that names the primary outcome's label.

    Returns
    -------
    pandas.DataFrame
        A copy of ``findings`` in which ``main_result`` is True for the rows of the primary outcome
        (and, when the abstract names a time point for it, of that time point), False for the
        study's other rows, and NA for studies whose abstract names no primary outcome or whose
        primary outcome matches no finding.
    """
    out = findings.copy()
    out["main_result"] = pd.array([pd.NA] * len(out), dtype="boolean")
    if out.empty:
        return out
    vocab = vocabulary(topic)
    texts = {r["pmid"]: record_text(r["title"], r["abstract"]) for r in articles[["pmid", "title", "abstract"]].to_dict("records")}
    for pmid, rows in out.groupby("pmid").groups.items():
        primary = primary_outcome(texts.get(pmid, ""))
        if primary is None:
            continue
        labels = {m.label for m in sentence_mentions(primary.text, vocab) if m.kind == "outcome"}
        chosen = out.loc[rows, "outcome"].isin(labels)
        if not chosen.any():
            # The vocabulary names it otherwise ("leg pain intensity" against a leg_pain_vas finding).
            chosen = out.loc[rows, "outcome"].isin(_labels_by_words(primary.text, set(out.loc[rows, "outcome"].dropna())))
        weeks = primary_time_weeks(primary.text)
        at_time = chosen & out.loc[rows, "timepoint_weeks"].round(2).isin(weeks)
        if weeks and at_time.any():
            chosen = at_time
        if chosen.any():
            out.loc[rows, "main_result"] = chosen.to_numpy()
    return out
