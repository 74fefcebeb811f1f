"""What a claim check returns: the verdict, its evidence items and guidelines, as plain data.

Shared by the claim checkers (:mod:`evidence.outputs.claims.compare`, :mod:`evidence.outputs.claims.guidelines`,
:mod:`evidence.outputs.claims.safety`); :func:`evidence.outputs.claims.check.check_claim` is the entry point.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields

import pandas as pd

from ...synthesize.certainty import GRADES, NO_EVIDENCE, NOT_GRADED
from ..cite import csl_items, format_references
from ..labels import MACHINE_EXTRACTED, reader_label
from .grammar import ParsedClaim

VERDICTS = ("supported", "partly_supported", "not_supported", "contradicted", "insufficient_evidence")
CERTAINTY_LEVELS = (NO_EVIDENCE, NOT_GRADED) + GRADES
"""Every value ``certainty`` can take."""
MACHINE = MACHINE_EXTRACTED
"""How a result from automatic extraction (provenance ``auto``) is labelled: the report's own words."""

UNTRACED = "an untraced study (no title or identifier)"
"""How a study with no title, PMID or DOI is named to readers (never by its internal reference)."""

_SCOPE_NAMES = {"condition": "covers the topic's condition", "broader": "a broader population, not the condition specifically"}

# Ranks for comparing certainty. Review-level estimates not graded by anyone rank between very
# low and low: they can lean a claim's way, never support it.
RANK = {NO_EVIDENCE: 0, "very_low": 1, NOT_GRADED: 1.5, "low": 2, "moderate": 3, "high": 4}


@dataclass(frozen=True)
class EvidenceItem:
    """One finding shown with a verdict (one study x outcome x measure x timepoint)."""

    study_id: str
    pmid: str | None
    label: str
    year: int | None
    design: str | None
    comparison: str
    outcome: str
    measure: str | None
    timepoint: str | None
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int | None
    direction: str
    certainty: str
    effect: str
    why: str
    verified: bool
    source_url: str | None
    citation: str
    flags: list[str]
    form: str = ""
    provenance: str = "curated"
    outcome_name: str = ""
    measure_name: str | None = None


@dataclass(frozen=True)
class GuidelineItem:
    """What one guideline says about acupuncture, as its curated notes record it."""

    study_id: str
    pmid: str | None
    title: str | None
    year: int | None
    stance: str
    scope: str
    statement: str
    verified: bool
    citation: str
    flags: list[str]


@dataclass(frozen=True)
class PartVerdict:
    """The verdict for one comparator class of the claim."""

    comparator_class: str
    verdict: str
    certainty: str
    reason: str


@dataclass(frozen=True)
class ClaimVerdict:
    """A claim's verdict with its evidence. The JSON shape is in :mod:`evidence.outputs.claims.check`."""

    claim: str
    parsed: ParsedClaim
    verdict: str
    certainty: str
    certainty_reasons: list[str]
    reasons: list[str]
    supported_wording: str
    caveats: list[str]
    parts: list[PartVerdict]
    evidence_for: list[EvidenceItem]
    evidence_against: list[EvidenceItem]
    evidence_neutral: list[EvidenceItem]
    context: list[EvidenceItem]
    guidelines: list[GuidelineItem]
    citations: dict[str, str]
    evidence_forms: list[str] = field(default_factory=list)
    untraced: list[EvidenceItem] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (tuples as lists, no pandas values)."""
        data = asdict(self)
        data["parsed"] = {k: list(v) if isinstance(v, tuple) else v for k, v in data["parsed"].items()}
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The verdict as JSON text (UTF-8 characters kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def summary_frame(self) -> pd.DataFrame:
        """One row per evidence item and guideline, with its role (for, against, neutral, context, untraced, guideline)."""
        rows = [{"role": role, **asdict(item)} for role, items in
                (("for", self.evidence_for), ("against", self.evidence_against),
                 ("neutral", self.evidence_neutral), ("context", self.context), ("untraced", self.untraced))
                for item in items]
        rows += [{"role": "guideline", **asdict(g)} for g in self.guidelines]
        # The same columns with no evidence at all, so callers can select them either way.
        columns = ["role", *(f.name for f in fields(EvidenceItem)),
                   *(f.name for f in fields(GuidelineItem) if f.name not in {f.name for f in fields(EvidenceItem)})]
        return pd.DataFrame(rows, columns=columns)

    def to_text(self) -> str:
        """A plain-text report: verdict, certainty, reasons, wording, evidence with citations."""
        lines = [f"Claim: {self.claim}", f"Verdict: {self.verdict.replace('_', ' ')}",
                 f"Certainty: {self.certainty.replace('_', ' ')}"]
        if self.evidence_forms:
            lines.append(f"Form of the intervention behind the evidence: {', '.join(self.evidence_forms)}")
        lines += ["", "Why:"]
        lines += [f"  - {r}" for r in self.reasons]
        lines += ["", f"What the evidence supports: {self.supported_wording}"]
        if self.caveats:
            lines += ["", "Caveats:"] + [f"  - {c}" for c in self.caveats]
        for title, items in (("Evidence for", self.evidence_for), ("Evidence against", self.evidence_against),
                             ("No difference or unclear", self.evidence_neutral),
                             ("Context (not a direct comparison)", self.context),
                             ("Could not be traced (no title, PMID or DOI; not counted)", self.untraced)):
            if items:
                lines += ["", f"{title}:"]
                # 'Ji 2015 (PMID 26425130)': the study's name with what a reader looks it up by
                names = [UNTRACED if i.label == UNTRACED else reader_label(i.label, i.pmid, study_id=i.study_id, with_identifier=True)
                         for i in items]
                lines += [f"  - {name}, {i.form}: {i.comparison}, "
                          f"{i.outcome_name or i.outcome}: {i.effect}; certainty {i.certainty.replace('_', ' ')}. {i.why}"
                          + (f" [{MACHINE}]" if i.provenance == "auto" else "") for name, i in zip(names, items)]
        if self.guidelines:
            lines += ["", "Guidelines:"]
            lines += [f"  - {g.title} ({g.year}): {g.stance.replace('_', ' ')} ({_SCOPE_NAMES.get(g.scope, g.scope)})"
                      for g in self.guidelines]
        if self.citations:
            lines += ["", "References:"] + [f"  {text}" for text in self.citations.values()]
        return "\n".join(lines) + "\n"




def value(x):
    """A plain Python value, or None for any pandas/numpy missing value."""
    if x is None or (not isinstance(x, (list, tuple)) and pd.isna(x)):
        return None
    return x.item() if hasattr(x, "item") else x


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts of plain values."""
    return [{k: value(v) for k, v in r.items()} for r in frame.astype(object).to_dict("records")]


def grade_words(grade: str) -> str:
    """'moderate certainty', or what an ungraded review estimate is."""
    if grade == NOT_GRADED:
        return "review-level estimates that no one has graded (the review reported no GRADE rating for them)"
    return f"{grade.replace('_', ' ')} certainty"


def citations(ids: list[str], tables: dict[str, pd.DataFrame], style: str) -> dict[str, str]:
    """Reference text per identifier (numbering dropped: each stands alone)."""
    if not ids:
        return {}
    items = csl_items(ids, tables)
    if style == "apa":
        # APA sorts its list alphabetically, so each item is formatted on its own to keep
        # every text with its identifier (an item may have no title to match on).
        return {i["id"]: format_references([i], style)[0] for i in items}
    texts = format_references(items, style)
    return {i["id"]: re.sub(r"^\d+\.\s*", "", t) for i, t in zip(items, texts)}
