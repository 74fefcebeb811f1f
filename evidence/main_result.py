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

from .extract import sentence_mentions, vocabulary
from .infer import primary_outcome
from .text import record_text
from .topic import Topic

# Weeks per unit, for time points written "at 4 weeks", "week 12", "6-month".
_UNIT_WEEKS = {"day": 1 / 7, "week": 1.0, "month": 52.0 / 12, "year": 52.0}
_TIME = re.compile(r"\b(?:(?P<n>\d+(?:\.\d+)?)[- ]?(?P<unit>day|week|month|year)s?|(?P<unit2>day|week|month|year)\s+(?P<n2>\d+))\b",
                   re.IGNORECASE)


def primary_time_weeks(text: str) -> set[float]:
    """The time points a primary-outcome phrase names, in weeks ("at 4 weeks" gives {4.0})."""
    out = set()
    for m in _TIME.finditer(text):
        n, unit = (m.group("n"), m.group("unit")) if m.group("n") else (m.group("n2"), m.group("unit2"))
        out.add(round(float(n) * _UNIT_WEEKS[unit.lower()], 2))
    return out


def mark_main_results(findings: pd.DataFrame, articles: pd.DataFrame, topic: Topic) -> pd.DataFrame:
    """Set ``main_result`` on a findings table from the primary outcome each abstract names.

    Parameters
    ----------
    findings:
        A ``findings`` table (``evidence.schema.FINDINGS``) of automatic rows.
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
        weeks = primary_time_weeks(primary.text)
        at_time = chosen & out.loc[rows, "timepoint_weeks"].round(2).isin(weeks)
        if weeks and at_time.any():
            chosen = at_time
        if chosen.any():
            out.loc[rows, "main_result"] = chosen.to_numpy()
    return out
