"""Recommendation claims: what guidelines covering sciatica say about acupuncture.

Recommendation claims ("should be the first treatment", "NICE recommends ...") need
guideline-level evidence: curated ``guideline`` rows, whose notes state what they recommend on
acupuncture. Guidelines about low back pain in general are context, not a sciatica
recommendation. A claim that names a body is judged on that body's guidelines only; when the
tables hold none from it, the answer is *insufficient evidence* and says so.
"""

from __future__ import annotations

import re

from ...synthesize.certainty import NOT_GRADED
from ..cite import correction_flags
from .grammar import ParsedClaim, Vocabulary
from .cache import SynthesisCache
from .result import ClaimVerdict, GuidelineItem, records

_STANCES = ("no_recommendation", "against", "first_line", "for", "not_seen")



def acupuncture_statement(notes: str, vocab: Vocabulary) -> tuple[str, str]:
    """(stance, the part of the notes about acupuncture) for one guideline."""
    spec = vocab.guidelines
    stances = spec["stance"]
    label = re.search(spec["label"], notes, re.IGNORECASE)
    if label:
        rest = notes[label.end():]
        end = re.search(spec["next_label"], rest)
        segment = rest[: end.start()] if end else rest
        for stance in _STANCES:
            if any(p.search(segment) for p in stances[stance]):
                return stance, segment.strip()
        return "not_seen", segment.strip()
    # No label: the first sentence naming the intervention (the topic's generic words) that states a position.
    for sentence in re.split(r"(?<=[.;])\s+", notes):
        if any(s.search(sentence) for _label, group, _gate in vocab.generic for s in group):
            for stance in _STANCES:
                if any(p.search(sentence) for p in stances[stance]):
                    return stance, sentence.strip()
    return "not_seen", ""


def check_recommendation(parsed: ParsedClaim, tables, vocab: Vocabulary, style: str, cache: SynthesisCache) -> ClaimVerdict:
    """Verdict for a recommendation or first-line claim, from the guideline rows."""
    studies = tables["studies"]
    rows = records(studies[studies["design"] == "guideline"])
    if parsed.bodies:
        rows = [r for r in rows if _by_bodies(r, parsed.bodies, vocab)]
        if not rows:
            return _no_guideline_from(parsed)
    ids = [r["pmid"] or r["study_id"] for r in rows]
    refs = cache.citations(ids, tables, style)
    flags = correction_flags(ids, tables)
    items = []
    for r in rows:
        stance, statement = acupuncture_statement(r["notes"] or "", vocab)
        described = f"{r['population'] or ''} {statement}"
        in_scope = (any(p.search(r["population"] or "") for p in vocab.guidelines["condition_scope"])
                    and not any(p.search(described + " " + (r["notes"] or "")) for p in vocab.guidelines["outside_scope"]))
        cid = r["pmid"] or r["study_id"]
        items.append(GuidelineItem(
            study_id=r["study_id"], pmid=r["pmid"], title=r["title"], year=r["year"], stance=stance,
            scope="condition" if in_scope else "broader", statement=statement,
            verified=bool(r["verified"]), citation=refs.get(cid, ""), flags=[f.marker for f in flags.get(cid, [])],
        ))
    scoped = [g for g in items if g.scope == "condition"]
    against = [g for g in scoped if g.stance == "against"]
    first = [g for g in scoped if g.stance == "first_line"]
    favour = [g for g in scoped if g.stance in ("for", "first_line")]
    general_for = [g for g in items if g.scope != "condition" and g.stance in ("for", "first_line")]
    wanted = first if parsed.kind == "first_line" else favour

    def named(gs):
        return "; ".join(f"{g.title} ({g.year or 'year not stated'})" for g in gs)

    subject, condition, broader = vocab.intervention_name, vocab.guidelines["condition"], vocab.guidelines["broader"]
    reasons = []
    if against and wanted:
        verdict = "not_supported"
        reasons.append(f"Guidelines covering {condition} disagree: against {subject}: {named(against)}; for: {named(wanted)}.")
    elif against:
        verdict = "contradicted"
        reasons.append(f"Guidelines covering {condition} recommend against {subject}: {named(against)}.")
    elif wanted:
        verdict = "supported"
        reasons.append(f"Guidelines covering {condition} recommend {subject}{' first' if parsed.kind == 'first_line' else ''}: {named(wanted)}.")
    elif favour:
        verdict = "partly_supported"
        reasons.append(f"Guidelines covering {condition} list {subject} as an option, not as the first treatment: {named(favour)}.")
    else:
        verdict = "insufficient_evidence"
        reasons.append(f"No guideline in the tables states a recommendation on {subject} for {condition}.")
    if general_for:
        reasons.append(f"Guidelines for {broader} (not {condition} specifically) that recommend {subject}, as context only: {named(general_for)}.")
    silent = [g for g in scoped if g.stance == "no_recommendation"]
    if silent:
        reasons.append(f"Guidelines covering {condition} that make no recommendation on {subject}: {named(silent)}.")
    unseen = [g for g in items if g.stance == "not_seen"]
    if unseen:
        reasons.append(f"{len(unseen)} guideline(s) whose recommendation on {subject} was not seen: {named(unseen)}.")
    caveats = [f"Not verified against the guideline's own page (wording from secondary sources): {g.title}."
               for g in against + wanted if not g.verified]
    subject = vocab.intervention_name if parsed.any_form else parsed.intervention.replace("_", " ")
    wording = {
        "contradicted": (f"Guidelines that cover {condition} recommend against {subject} ({named(against)}), so it cannot "
                         "be presented as a recommended or first treatment."),
        "not_supported": f"Guidelines disagree on {subject} for {condition}; it cannot be called the treatment of choice.",
        "supported": f"Guidelines covering {condition} recommend {subject}{' as a first treatment' if parsed.kind == 'first_line' else ''}.",
        "partly_supported": f"Some guidelines list {subject} as one option for {condition}, not as the first treatment.",
        "insufficient_evidence": f"No guideline found here recommends {subject} for {condition}; a recommendation claim cannot be backed.",
    }[verdict]
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict=verdict, certainty=NOT_GRADED,
        certainty_reasons=[("A recommendation claim rests on guidelines, which grade their own recommendations; "
                           "see each guideline's statement.")],
        reasons=reasons, supported_wording=wording, caveats=caveats, parts=[], evidence_for=[], evidence_against=[],
        evidence_neutral=[], context=[], guidelines=items, citations=refs,
    )


def _by_bodies(row: dict, bodies: tuple[str, ...], vocab: Vocabulary) -> bool:
    """True when the guideline is by one of the bodies named (title, notes, journal or id)."""
    text = " ".join(str(row.get(k) or "") for k in ("title", "notes", "journal", "study_id", "country"))
    return any(p.search(text) for body in bodies for p in vocab.bodies[body])


def _no_guideline_from(parsed: ParsedClaim) -> ClaimVerdict:
    named = " or ".join(parsed.bodies)
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict="insufficient_evidence", certainty=NOT_GRADED,
        certainty_reasons=["A recommendation claim rests on the named body's guideline, and none is in the tables."],
        reasons=[f"No guideline from {named} is in the evidence tables, so what {named} recommends cannot be checked here."],
        supported_wording=f"No guideline from {named} was found here; the claim that {named} recommends acupuncture cannot be backed.",
        caveats=[], parts=[], evidence_for=[], evidence_against=[], evidence_neutral=[], context=[], guidelines=[],
        citations={},
    )
