"""The primary outcome an abstract names, with its time point: the phrase, not yet a finding.

Shared by effect extraction (``findings``: results that speak only of "the primary outcome") and
by ``main_result`` (which flags a study's main findings); it depends on neither, so both can import it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


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
    r"\b(?:the\s+)?(?:(?:\d|two|three)\s+)?(?:co-?primary|primary|main)\s+(?:efficacy\s+)?(?:outcome|end\s?-?point)(?:\s+(?:measure|variable|parameter))?s?"
    r"(?:\s+(?:was|were|is|are|will be|included|consisted of)\b|\s*[:=]|\s*:?\s*primary\s*:)\s*"
    r"(?:the\s+)?(?:(?:change|improvement|reduction)s?\s+(?:from baseline\s+)?in\s+)?",
    re.IGNORECASE,
)
_PRIMARY_AFTER = re.compile(r"(?P<what>[^.;:,]{3,100}?)(?:\s+(?:was|were|served as|as)\s+|,\s+)(?:the\s+|our\s+)?(?:co-?primary|primary|main)\s+"
                            r"(?:efficacy\s+)?(?:outcome|end\s?-?point)", re.IGNORECASE)


# Where "primary/main outcome" is said; _PRIMARY_AFTER is searched only in the stretch before each.
_PRIMARY_WORDS = re.compile(r"\b(?:co-?primary|primary|main)\s+(?:efficacy\s+)?(?:outcome|end\s?-?point)", re.IGNORECASE)
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


_PHRASE_END = re.compile(r"[.;]\s|[.;]?$|,\s+(?:and\s+)?(?:the\s+)?secondary|\s+and\s+(?:the\s+)?secondary", re.IGNORECASE)
_HOW_OR_WHEN = re.compile(r"(?:collected|measured|assessed|recorded|obtained|evaluated|analy[sz]ed|compared|blinded)\b", re.IGNORECASE)


def primary_outcome(abstract: str) -> PrimaryOutcome | None:
    """The primary outcome an abstract names (with its time point when stated), or ``None``.

    Examples
    --------
    >>> primary_outcome("METHODS: The primary outcome was leg pain VAS at 4 weeks. Others were secondary.").text
    'leg pain VAS at 4 weeks'
    """
    for m in _PRIMARY_BEFORE.finditer(abstract):
        stop = _PHRASE_END.search(abstract, m.end())
        finish = stop.start() if stop else len(abstract)
        text = abstract[m.end() : finish].strip().lstrip(":").strip()  # "measures were: X"
        # "Primary outcomes were collected at 2 weeks" says when, not what (seen in h23).
        if text and not _HOW_OR_WHEN.match(text):
            start = abstract.index(text, m.end())
            return PrimaryOutcome(text, start, start + len(text))
    after = _primary_after(abstract)
    if after:
        what = after.group("what").strip()
        what = re.sub(r"^(?:with|and|where|in which)\s+", "", what, flags=re.IGNORECASE)
        start = abstract.index(what, after.start())
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
