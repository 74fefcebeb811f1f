"""A study's main result: its primary outcome at its primary time point, when the abstract names one.

A trial abstract often reports secondary outcomes before, or beside, the primary one ("back pain
and ODI did not differ; leg pain, the primary outcome, was lower with acupuncture"). Reading the
first finding as the study's result then calls a positive trial neutral. ``mark_main_results``
flags, among a study's findings, those of the outcome the abstract names as primary, at the time
point it names (when it names one), so summaries can lead with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .findings import sentence_mentions, vocabulary
from .text import record_text
from ..topic.model import Topic

@dataclass(frozen=True)
class PrimaryOutcome:
    """The primary outcome an abstract names: ``abstract[start:end] == text``."""

    text: str
    start: int
    end: int


# "The primary outcome was leg pain VAS at 4 weeks", "Primary end point: ...", "Main outcome
# measures: Primary: ODI.", "... with leg pain as the primary outcome", "Leg pain, the primary
# outcome, fell more with ...".
_PRIMARY_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:primary|main)\s+(?:efficacy\s+)?(?:outcome|end\s?-?point)(?:\s+(?:measure|variable|parameter))?s?"
    r"(?:\s+(?:was|were|is|are|will be|included|consisted of)\b|\s*[:=]|\s*:?\s*primary\s*:)\s*"
    r"(?:the\s+)?(?:(?:change|improvement|reduction)s?\s+(?:from baseline\s+)?in\s+)?",
    re.IGNORECASE,
)
_PRIMARY_AFTER = re.compile(r"(?P<what>[^.;:,]{3,100}?)(?:\s+(?:was|were|served as|as)\s+|,\s+)(?:the\s+|our\s+)?(?:primary|main)\s+"
                            r"(?:efficacy\s+)?(?:outcome|end\s?-?point)", re.IGNORECASE)


# Where "primary/main outcome" is said; _PRIMARY_AFTER is searched only in the stretch before each.
_PRIMARY_WORDS = re.compile(r"\b(?:primary|main)\s+(?:efficacy\s+)?(?:outcome|end\s?-?point)", re.IGNORECASE)
_AFTER_REACH = 140
"""How far before "primary outcome" a match of _PRIMARY_AFTER can start (its 100 characters of
outcome, the linking words, "the"/"our"), with room to spare."""


def _primary_after(abstract: str) -> re.Match | None:
    """``_PRIMARY_AFTER.search(abstract)``, the leftmost match, without trying it at every position
    of a long abstract: a match ends at a "primary outcome" phrase, so only the stretch before
    each such phrase can hold one (the lazy 3-100 character group made the plain search cost
    about 100 steps per character, most of the time spent classifying a record)."""
    best: re.Match | None = None
    for anchor in _PRIMARY_WORDS.finditer(abstract):
        if best is not None and anchor.start() - _AFTER_REACH > best.start():
            break  # later phrases can only give matches that start further right
        m = _PRIMARY_AFTER.search(abstract, max(0, anchor.start() - _AFTER_REACH), anchor.end())
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


def primary_outcome(abstract: str) -> PrimaryOutcome | None:
    """The primary outcome an abstract names (with its time point when stated), or ``None``.

    Examples
    --------
    >>> primary_outcome("METHODS: The primary outcome was leg pain VAS at 4 weeks. Others were secondary.").text
    'leg pain VAS at 4 weeks'
    """
    m = _PRIMARY_BEFORE.search(abstract)
    if m:
        end = re.compile(r"[.;]\s|[.;]?$|,\s+(?:and\s+)?(?:the\s+)?secondary|\s+and\s+(?:the\s+)?secondary", re.IGNORECASE)
        stop = end.search(abstract, m.end())
        finish = stop.start() if stop else len(abstract)
        text = abstract[m.end() : finish].strip()
        if text:
            start = abstract.index(text, m.end())
            return PrimaryOutcome(text, start, start + len(text))
    m = _primary_after(abstract)
    if m:
        what = m.group("what").strip()
        what = re.sub(r"^(?:with|and|where|in which)\s+", "", what, flags=re.IGNORECASE)
        start = abstract.index(what, m.start())
        return PrimaryOutcome(what, start, start + len(what))
    return None


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
