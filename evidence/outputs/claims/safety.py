"""Safety claims without a comparator, and claim kinds the evidence tables cannot answer.

* **"Acupuncture is safe"** is judged on the adverse-event results for the form claimed:
  *partly supported* when safety studies report events and no comparison shows more harm than
  its control (safe is not the same as free of risk, and the studies are seldom sciatica-only);
  *not supported* when a comparison shows more adverse events with it.
* **"No side effects", "harmless", "100% safe"** claim zero risk: one documented adverse event
  disproves that, so any reported event makes them *contradicted*. No certainty grade is needed
  for a counter-example; the certainty is ``not_graded`` and says why.
* **Cost and number of sessions** have no column in the tables: *insufficient evidence*, with
  the reason and the studies that touch on the question, never a refusal and never the verdict
  of another question (acupuncture against sham).
"""

from __future__ import annotations

from ...synthesize.certainty import GRADES, NO_EVIDENCE, NOT_GRADED
from .cache import SynthesisCache
from .compare import Evidence, row_direction
from .grammar import ParsedClaim, Vocabulary
from .result import ClaimVerdict, records
from ..labels import reader_label

_ZERO_RISK = "A claim of no risk at all is disproved by documented adverse events; no certainty grade is needed for that."


def check_safety(parsed: ParsedClaim, tables, vocab: Vocabulary, style: str, cache: SynthesisCache) -> ClaimVerdict:
    """Verdict for an absolute safety claim ("is safe", "has no side effects")."""
    ev = Evidence(parsed, tables, vocab, style, cache)
    # A study nobody can trace (no title, PMID or DOI) is listed apart and never decides the verdict.
    untraced = ev.untraced_items(ev.rows)
    rows = [r for r in ev.rows if not ev.retracted(r) and r["design_kind"] != "package" and r["study_id"] not in ev.untraced]
    acupuncture_rows = [r for r in rows if r["comparator_class"] == "none" or r["design_kind"] in ("head_to_head", "add_on", "add_on_unknown")]
    harmful = [r for r in acupuncture_rows if r["comparator_class"] != "none" and row_direction(r) == "favours_comparator"]
    # A claim about acupuncture in general is not refuted by one specific form (bee venom is a
    # venom injection): that form's harm is named, not counted against every form.
    specific = {f for f in vocab.form_names if f not in vocab.general_forms}
    form_harm = [r for r in harmful if not parsed.forms and r.get("form") in specific]
    harm = [r for r in harmful if r not in form_harm]
    reported = [r for r in acupuncture_rows if r["comparator_class"] == "none" or harm]
    subject = vocab.intervention_name if parsed.any_form else parsed.intervention.replace("_", " ")
    absolute = "absolute_safety" in {k.split(":", 1)[1] for k in parsed.matched if k.startswith("kind:")} or parsed.certainty_words
    items = [ev.item(r, "More adverse events than its control." if r in harmful else
                     f"Adverse events reported after {subject} (no comparison group)." if r["comparator_class"] == "none"
                     else "Adverse events compared with a control.") for r in acupuncture_rows]
    forms = sorted({vocab.form_name(r.get("form")) for r in acupuncture_rows})
    if not acupuncture_rows:
        verdict, certainty = "insufficient_evidence", NO_EVIDENCE
        reasons = [f"No study in the tables reports adverse events of {subject}."]
        wording = f"Too little evidence on the adverse events of {subject} to say whether it is safe."
    elif absolute and reported:
        verdict, certainty = "contradicted", NOT_GRADED
        reasons = [(f"{len({r['study_id'] for r in reported})} studies report adverse events after {subject} "
                   "(listed below), so it is not free of side effects.")]
        wording = (f"{subject.capitalize()} has side effects: most reported ones are minor, and serious ones are rare but "
                   "documented; it cannot be called free of risk.")
    elif harm:
        # The best certainty among the harm findings, by rank: the grade names sort the wrong way
        # alphabetically ("very_low" > "high"). Grades outside GRADES rank below every grade.
        graded = [c.grade for r in harm if (c := ev.certainty_of(r)) and c.grade in GRADES]
        verdict, certainty = "not_supported", max(graded, key=GRADES.index, default=NOT_GRADED)
        reasons = [f"{len({r['study_id'] for r in harm})} comparison(s) found more adverse events with {subject} than with its control."]
        wording = f"The evidence does not show that {subject} is safe: comparisons found more adverse events with it."
    else:
        verdict, certainty = "partly_supported", NOT_GRADED
        reasons = [(f"{len({r['study_id'] for r in reported})} studies report adverse events after {subject} and no "
                   "comparison found more harm than its control; safe does not mean free of risk.")]
        wording = (f"Adverse events after {subject} are reported in the safety studies listed (mostly minor; serious ones "
                   "rare but documented); it is generally well tolerated, not free of risk.")
    for r in form_harm:
        reasons.append(f"{vocab.form_name(r.get('form')).capitalize()} had more adverse events than its control "
                       f"({r['label']}); that is a finding about this form, not about {vocab.intervention_name} in general.")
    if forms:
        reasons.append(f"Form of {vocab.intervention_name} in this evidence: {', '.join(forms)}.")
    caveats = [f"Most safety studies here are not limited to people with {vocab.guidelines['condition']}."] if acupuncture_rows else []
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict=verdict, certainty=certainty,
        certainty_reasons=[_ZERO_RISK] if verdict == "contradicted" else
        ["Adverse-event rates from safety studies are shown as reported; they are not graded here."],
        reasons=reasons, supported_wording=wording, caveats=caveats, parts=[], evidence_for=[],
        evidence_against=items, evidence_neutral=[], context=[], guidelines=[], citations=ev.citations,
        evidence_forms=forms, untraced=untraced,
    )


def _touching_name(study: dict) -> str:
    """'Title (PMID n)' for a study listed as context; never an internal 'ref:' code."""
    if study["pmid"]:
        ident = f"PMID {study['pmid']}"
    elif str(study["study_id"]).startswith("doi:"):
        ident = reader_label(study["study_id"], None)
    else:
        ident = "no PMID or DOI"
    return f"{study['title']} ({ident})" if study["title"] else ident


def check_no_data(parsed: ParsedClaim, tables, vocab: Vocabulary, style: str, cache: SynthesisCache) -> ClaimVerdict:
    """*Insufficient evidence* for a claim kind the tables hold no data on (cost, sessions)."""
    kind = parsed.strength
    what = {"cost": "costs or cost-effectiveness", "dose": "how many sessions, how often or at what dose"}.get(kind, kind)
    studies = records(tables["studies"])
    patterns = vocab.kind_studies.get(kind, ())
    touching = [s for s in studies if any(p.search(f"{s['title'] or ''} {s['notes'] or ''}") for p in patterns)]
    ids = [s["pmid"] or s["study_id"] for s in touching]
    subject, condition = vocab.intervention_name, vocab.guidelines["condition"]
    reasons = [(f"The evidence tables hold no data on {what} of {subject} for {condition}, so this claim cannot be "
               f"checked; it is not answered as a question about whether {subject} works.")]
    if touching:
        reasons.append("Studies that touch on it, not analysed by the checker: " +
                       "; ".join(_touching_name(s) for s in touching) + ".")
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict="insufficient_evidence", certainty=NO_EVIDENCE,
        certainty_reasons=[f"No result on {what} in the tables."], reasons=reasons,
        supported_wording=f"There is no evidence here on {what}; the claim can be neither backed nor refuted.",
        caveats=[], parts=[], evidence_for=[], evidence_against=[], evidence_neutral=[], context=[], guidelines=[],
        citations=cache.citations(ids, tables, style),
    )
