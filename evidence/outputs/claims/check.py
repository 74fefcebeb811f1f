"""Claim checking: a health claim in plain words -> a verdict, its certainty and its evidence.

::

    tables = evidence.load()
    verdict = check_claim("Acupuncture outperforms nerve blocks", tables, load_topic())
    verdict.verdict, verdict.certainty, verdict.supported_wording
    verdict.to_json()        # validates against evidence/outputs/claims/verdict.schema.json

How a claim is read: :mod:`evidence.outputs.claims.grammar` (subject and direction, comparators, drug
subclass, outcome, claim kinds, certainty words, named body, negation; the words live in the
topic file's ``[claims]`` section). Which checker answers it:

=====================================  ============================================================
claim                                  checker
=====================================  ============================================================
cost, number of sessions               :func:`evidence.outputs.claims.safety.check_no_data`: *insufficient
                                       evidence* with the reason (the tables hold no such data)
recommendation, first line, named body :func:`evidence.outputs.claims.guidelines.check_recommendation`
"is safe", "no side effects"           :func:`evidence.outputs.claims.safety.check_safety`
efficacy, comparison, long term, cure  :func:`evidence.outputs.claims.compare.check_comparison`, in the
                                       claim's direction ("X is better than acupuncture" is
                                       judged for X)
=====================================  ============================================================

Verdicts (:data:`VERDICTS`), and what each needs. The rules never let a claim look stronger
than its evidence:

* ``supported``: direct studies favour the claim's side, nothing favours the other, and the
  certainty is moderate or high (the synthesis grade for trials, the review's own GRADE rating
  for a review's pooled estimate). One small trial is never enough. An investigator-judged
  "effective rate" alone never supports, and its grade never lends certainty: a verdict's
  certainty comes only from the patient-reported results that decide it.
* ``partly_supported``: the evidence leans the claim's way at low certainty, or only from reviews
  no one graded, or only for some of the comparators claimed.
* ``not_supported``: studies found no difference (a non-significant difference is not
  equivalence), disagree, or the little evidence there is (very low) favours the other side.
* ``contradicted``: evidence of at least low certainty favours the other side; a guideline
  covering sciatica recommends against acupuncture; or a claim of no risk meets documented harms.
* ``insufficient_evidence``: no direct comparison, only very-low-certainty results, or a claim
  kind the tables hold no data on.

A **universal** claim ("outperforms all other treatments", "the best treatment", "at least as
effective as other treatments") is judged against every comparator class in scope and is as weak
as its weakest class: one class where the other side was favoured, or no difference was found,
makes it not supported (contradicted when that evidence is at least moderate), and a class never
tested makes it at most insufficient evidence. The wording says which class favoured which side
and which were never tested.

A study with no title, PMID or DOI is never counted: its results are listed apart (``untraced``)
and named "an untraced study (no title or identifier)".

Then three rules that only ever lower a verdict or label it:

* **Certainty words and cures.** "Proven", "guaranteed", "100%", "permanent" need *high*
  certainty; "cures" needs high certainty *and* a cure or recovery outcome. Otherwise a
  supporting verdict becomes ``not_supported`` and the wording says what the evidence does show.
* **Negation.** "Acupuncture does not work" is judged as "acupuncture works", and the verdict
  turned round: supported <-> contradicted (a contradiction of the positive claim supports the
  negated one only at moderate or high certainty, else partly), partly supported <-> not
  supported; insufficient evidence stays.
* **Machine-extracted results.** A supporting verdict that rests on results from automatic
  extraction (provenance ``auto``) always carries a caveat line saying so; such rows are shown
  as "machine-extracted, not verified".

JSON (``ClaimVerdict.to_dict()``; schema in ``evidence/outputs/claims/verdict.schema.json``)::

    {"claim": str, "verdict": one of VERDICTS, "certainty": grade, "certainty_reasons": [str],
     "parsed": {"intervention", "forms", "comparators", "comparator_classes", "outcome_families",
                "outcomes", "strength", "kind", "matched", "add_on", "subject", "reversed",
                "claim_kinds", "certainty_words", "drug_subclass", "bodies", "negated",
                "assumed_intervention", "universal"},
     "reasons": [str], "supported_wording": str, "caveats": [str],
     "parts": [{"comparator_class", "verdict", "certainty", "reason"}],
     "evidence_for" | "evidence_against" | "evidence_neutral" | "context" | "untraced":
         [{"study_id", "pmid", "label", "year", "design", "comparison", "outcome", "measure",
           "timepoint", "estimate", "ci_low", "ci_high", "n", "direction", "certainty",
           "effect", "why", "verified", "source_url", "citation", "flags", "form", "provenance",
           "outcome_name", "measure_name"}],

``outcome`` and ``measure`` keep their codes for machines; ``outcome_name`` (from the topic's
``[outcomes]`` names) and ``measure_name`` are what readers see, as in ``to_text()``.
     "guidelines": [{"study_id", "pmid", "title", "year", "stance", "scope", "statement",
                     "verified", "citation", "flags"}],
     "citations": {id: reference text}, "evidence_forms": [str]}

``evidence claim --json`` prints ``{"claim": ..., "error": message}`` for a claim that cannot be
read, so the output is always one JSON object.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from .cache import SynthesisCache
from .compare import check_comparison
from .grammar import CLAIM_KINDS, KINDS, ParsedClaim, Vocabulary, parse_claim
from .guidelines import acupuncture_statement, check_recommendation
from .result import (
    CERTAINTY_LEVELS, MACHINE, RANK, VERDICTS, ClaimVerdict, EvidenceItem, GuidelineItem, PartVerdict, grade_words,
)
from .safety import check_no_data, check_safety
from ...topic.model import Topic

__all__ = [
    "CERTAINTY_LEVELS", "CLAIM_KINDS", "KINDS", "VERDICTS", "ClaimVerdict", "EvidenceItem", "GuidelineItem",
    "ParsedClaim", "PartVerdict", "SynthesisCache", "Vocabulary", "acupuncture_statement", "check_claim", "parse_claim",
]

_NEGATED = {"supported": "contradicted", "partly_supported": "not_supported", "not_supported": "partly_supported",
            "insufficient_evidence": "insufficient_evidence"}
_MEMORY_CACHE = SynthesisCache()
"""Syntheses computed in this process, for callers that pass no cache."""


def check_claim(text: str, tables: dict[str, pd.DataFrame], topic: Topic, style: str = "ama",
                cache: SynthesisCache | None = None) -> ClaimVerdict:
    """Check a claim against the evidence tables.

    Parameters
    ----------
    text:
        The claim, e.g. "Acupuncture is at least as effective as other treatments for sciatica".
    tables:
        Tables from :func:`evidence.load` (``studies``, ``findings``, ``review_grades`` and the
        record tables).
    topic:
        The topic whose ``[claims]`` vocabulary reads the claim (:func:`evidence.topic.model.load_topic`).
    style:
        Citation style for the references (``ama``, ``vancouver``, ``apa``).
    cache:
        Where syntheses are kept between checks (:meth:`SynthesisCache.for_data_dir`); default:
        in memory for this process.

    Returns
    -------
    ClaimVerdict

    Raises
    ------
    ClaimError
        The claim cannot be read (see :func:`evidence.outputs.claims.grammar.parse_claim`).
    TopicError
        The topic has no usable ``[claims]`` section.
    """
    vocab = Vocabulary.from_topic(topic)
    parsed = parse_claim(text, topic, vocab)
    cache = cache or _MEMORY_CACHE
    if parsed.kind == "no_data":
        return check_no_data(parsed, tables, vocab, style, cache)
    if parsed.kind in ("recommended", "first_line"):
        result = check_recommendation(parsed, tables, vocab, style, cache)
    elif parsed.kind == "safe":
        result = check_safety(parsed, tables, vocab, style, cache)
    else:
        result = _cap_strong_words(check_comparison(parsed, tables, vocab, style, cache), vocab)
    if parsed.assumed_intervention:
        result = replace(result, reasons=[f"The claim names no treatment; it was read as a claim about {vocab.intervention_name}.",
                                          *result.reasons])
    if parsed.negated:
        result = _negate(result)
    return _label_machine_results(result)


def _cap_strong_words(result: ClaimVerdict, vocab: Vocabulary) -> ClaimVerdict:
    """'Proven' and 'cures' need high certainty (and, for a cure, a cure outcome)."""
    parsed = result.parsed
    cure = "cure" in parsed.claim_kinds
    if not (parsed.certainty_words or cure) or result.verdict not in ("supported", "partly_supported"):
        return result
    shows_cure = any(i.outcome in vocab.cure_outcomes for i in result.evidence_for)
    if result.certainty == "high" and (shows_cure or not cure):
        return result
    words = ", ".join(f"'{w}'" for w in parsed.certainty_words or parsed.matched.get("kind:cure", ["cures"]))
    needs = "high-certainty evidence" + (" that people recover (a cure or recovery outcome)" if cure else "")
    why = (f"The claim says {words}: that needs {needs}; the best here is {grade_words(result.certainty)}"
           + ("" if shows_cure or not cure else ", and no result measured a cure") + ".")
    return replace(result, verdict="not_supported", reasons=[why, *result.reasons],
                   supported_wording=f"The evidence does not show this ({words}). What it does show: {result.supported_wording}")


def _negate(result: ClaimVerdict) -> ClaimVerdict:
    positive = result.verdict
    if positive == "contradicted":
        verdict = "supported" if RANK.get(result.certainty, 0) >= RANK["moderate"] else "partly_supported"
    else:
        verdict = _NEGATED[positive]
    why = (f"The claim is negated ({', '.join(repr(w) for w in result.parsed.matched.get('negation', []))}): the positive "
           f"claim was judged ({positive.replace('_', ' ')}) and the verdict turned round.")
    return replace(result, verdict=verdict, reasons=[why, *result.reasons],
                   supported_wording=f"On the positive claim: {result.supported_wording}")


def _label_machine_results(result: ClaimVerdict) -> ClaimVerdict:
    """A supporting verdict built on automatic extraction always says so in a caveat line."""
    behind = result.evidence_for if not result.parsed.negated else result.evidence_against + result.evidence_neutral
    auto = [i for i in behind if i.provenance == "auto"]
    if result.verdict not in ("supported", "partly_supported") or not auto:
        return result
    alone = len(auto) == len(behind)
    line = (f"{'Every' if alone else 'Some'} result behind this verdict is {MACHINE}: extracted automatically from "
            "abstracts, not checked by a person. Read the sources before relying on it.")
    return replace(result, caveats=[line, *result.caveats])
