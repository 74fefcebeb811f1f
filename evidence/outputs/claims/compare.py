"""Comparison claims: acupuncture (or one form) against a comparator, in the claim's direction.

Only **direct** evidence counts: acupuncture against the comparator, head to head (or, for an
add-on claim, acupuncture + X against X). Packages, single-arm series, other forms of acupuncture
than the one claimed, results measured too early for a long-term claim, and retracted articles
are shown as *context*, never as support. Each comparator class is judged on its own
(:func:`judge_part`), then the parts are combined (:func:`combine`).

A reversed claim ("yoga is better than acupuncture") is judged for the other treatment: a result
that favours acupuncture counts *against* it. Certainty is the synthesis grade for trials, and a
review's own GRADE rating (``review_grades``) for its pooled estimates; a review estimate nobody
graded stays ``not_graded`` and can lean a claim's way, never support it. An investigator-judged
"effective rate" alone never makes a claim *supported*.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ...synthesize.certainty import NO_EVIDENCE, NOT_GRADED, Certainty
from ..cite import correction_flags
from .cache import SynthesisCache
from .grammar import ParsedClaim, Vocabulary
from .result import (
    MACHINE, RANK, UNTRACED, ClaimVerdict, EvidenceItem, PartVerdict, grade_words, records,
)
from ..labels import measure_name, reader_label
from ...synthesize.synthesis import GROUP_KEY

_SUBCLASS_NAMES = {"nsaid": "NSAIDs", "opioid": "opioids", "gabapentinoid": "gabapentinoids", "steroid": "steroids"}
_INDIRECT = {"supported": "partly_supported", "contradicted": "not_supported"}
_DIRECT_DESIGNS = ("randomised_trial", "non_randomised_trial", "observational", "review")
_FLIP = {"favours_intervention": "favours_comparator", "favours_comparator": "favours_intervention"}
_PHRASES = {"superior": "works better than", "noninferior": "is at least as effective as", "safer": "has fewer side effects than"}
_HEDGED = {"superior": "may be better than", "noninferior": "may be at least as good as", "safer": "may have fewer side effects than"}


def _rank(grade: str) -> float:
    """How much certainty a grade carries, to pick the best or weakest of several."""
    return RANK[grade]


def row_direction(row: dict) -> str:
    """From the numbers when there are some, else as the source reports it."""
    computed = row["direction_from_numbers"]
    if computed in ("favours_intervention", "favours_comparator", "no_difference"):
        return computed
    return row["direction"] or "unclear"


def effect_text(row: dict) -> str:
    """The effect as a reader sees it: measure, estimate and CI, or what the source reports."""
    est, low, high = row["estimate"], row["ci_low"], row["ci_high"]
    if est is None:
        name = measure_name(row["reported_measure"]) or "result"
        missing = "" if "effect size" in name else ": no effect size with a confidence interval"
        return f"{name}{missing}; direction as reported by the source"
    measure = measure_name(row["measure"] or row["reported_measure"])
    if low is None or high is None:
        return f"{measure} {est:.3g} (no confidence interval)"
    computed = f", {row['effect_source']}" if row["effect_source"] and row["effect_source"].startswith("computed") else ""
    return f"{measure} {est:.3g} (95% CI {low:.3g} to {high:.3g}{computed})"


def within_margin(row: dict, margins: dict, reversed_claim: bool = False) -> bool:
    """True when the CI excludes a harm larger than the outcome's non-inferiority margin.

    Effects run acupuncture minus comparator. For a reversed claim ("X is at least as good as
    acupuncture") the harm to rule out is to X, so the interval is mirrored first.
    """
    low, high, lower_is_better = row["ci_low"], row["ci_high"], row["lower_is_better"]
    if low is None or high is None or lower_is_better is None:
        return False
    measure = row["measure"]
    if measure in ("RR", "OR", "HR"):
        if reversed_claim:
            low, high = 1 / high, 1 / low
        ratio = float(margins.get("ratio", math.nan))
        return high < ratio if lower_is_better else low > 1 / ratio
    margin = margins.get("SMD") if measure == "SMD" else margins.get("MD", {}).get(row["outcome"]) if measure == "MD" else None
    if margin is None:
        return False
    if reversed_claim:
        low, high = -high, -low
    if measure == "MD" and str(row["outcome"]).endswith("_vas") and max(abs(low), abs(high)) <= 10:
        # VAS margins are on the 0-100 mm scale; a CI that fits within +/-10 may be on a 0-10 cm
        # scale, so take the 0-10 margin. On a true 0-100 scale this can only withhold support.
        margin = margin / 10
    # Harm is a higher score when lower is better.
    return high < margin if lower_is_better else low > -margin


def context_reason(row: dict, add_on_claim: bool, intervention: str) -> str:
    """Why a row answers a different question than the claim's."""
    comparator = row["comparator_class"].replace("_", " ")
    kind = row["design_kind"]
    subject = intervention[:1].upper() + intervention[1:]
    if add_on_claim and kind == "head_to_head":
        return (f"{subject} was compared with {comparator} directly: this does not show what adding {intervention} "
                f"to {comparator} does.")
    if row["comparator_class"] == "none":
        return (f"Single-arm data on {intervention}: no comparison group, so it cannot show fewer or more events than "
                "another treatment.")
    if kind == "add_on":
        return (f"{subject} was added to {comparator} and compared with {comparator} alone: this shows whether adding "
                f"{intervention} helps, not how {intervention} compares with {comparator}.")
    if kind == "package":
        return f"{subject} was one part of a package of treatments, so its own effect cannot be separated."
    if row["design"] and row["design_group"] == "not_comparative":
        return f"A {row['design'].replace('_', ' ')} cannot show a comparative effect."
    return (f"Data on {comparator} without an {intervention} arm in the same study (or add-on status not stated): "
            "a comparison across different studies, populations and definitions is not a fair test.")


def _subclass_filter(findings: pd.DataFrame, studies: pd.DataFrame, patterns) -> tuple[pd.DataFrame, bool]:
    """Drug findings of the subclass only, when any; else all of them and False."""
    drug = findings["comparator_class"] == "drug"
    comparators = {r["study_id"]: " ".join(r["comparators"] or []) for r in records(studies[["study_id", "comparators"]])}
    text = findings["comparison"].fillna("") + " " + findings["study_id"].map(comparators).fillna("")
    of_subclass = text.map(lambda t: any(p.search(t) for p in patterns)).astype(bool)
    if not (drug & of_subclass).any():
        return findings, False
    return findings[~drug | of_subclass], True


def _wanted(findings: pd.DataFrame, parsed: ParsedClaim) -> pd.DataFrame:
    """The findings on the claim's comparators (every one for a safety claim without a comparator)."""
    if parsed.kind != "safe":
        classes = set(parsed.comparator_classes) | {"none"}
        findings = findings[findings["comparator_class"].isin(classes) | findings["comparator_class"].isna()]
    return findings.reset_index(drop=True)


class Evidence:
    """The synthesis rows a claim is about, with certainty, citations and flags."""

    def __init__(self, parsed: ParsedClaim, tables: dict[str, pd.DataFrame], vocab: Vocabulary, style: str,
                 cache: SynthesisCache):
        findings = tables["findings"]
        self.subclass_matched = None
        if parsed.drug_subclass and "drug" in parsed.comparator_classes:
            findings, self.subclass_matched = _subclass_filter(findings, tables["studies"], vocab.drug_subclasses[parsed.drug_subclass])
        self.other_forms: list[dict] = []
        if parsed.forms:
            in_form = findings["intervention"].isin(parsed.forms) | findings["intervention"].isna()
            # Direct results on other forms: shown as context, so a form claim never hides them.
            other = cache.get(tables["studies"], _wanted(findings[~in_form], parsed), vocab.certainty_rules)
            self.other_forms = [r for r in records(other.rows) if r["outcome"] in parsed.outcomes
                                and r["comparator_class"] in parsed.comparator_classes]
            findings = findings[in_form]
        synthesis = cache.get(tables["studies"], _wanted(findings, parsed), vocab.certainty_rules)
        self.grade = dict(synthesis.certainty)
        self.rows = [r for r in records(synthesis.rows) if r["outcome"] in parsed.outcomes]
        self.untraced = _untraced_ids(tables["studies"])
        studies = {r["study_id"]: r for r in records(tables["studies"][["study_id", "title", "authors", "year"]])}
        for row in self.rows + self.other_forms:
            # Readers never see an internal reference ("ref:untitled-1") as a study's name.
            study = studies.get(row["study_id"], {})
            row["label"] = (UNTRACED if row["study_id"] in self.untraced
                            else reader_label(row["label"], row["pmid"], study_id=row["study_id"],
                                              authors=study.get("authors"), year=study.get("year")))
        self.review_grades = _review_grades(tables.get("review_grades"))
        ids = list(dict.fromkeys(r["pmid"] or r["study_id"] for r in self.rows + self.other_forms
                                 if r["study_id"] not in self.untraced))
        self.flags = correction_flags(ids, tables)
        self.citations = cache.citations(ids, tables, style)
        self.vocab = vocab
        self.parsed = parsed

    def certainty_of(self, row: dict) -> Certainty | None:
        """A review's own GRADE rating for this comparison and outcome, else the synthesis grade."""
        if row["design_group"] == "review":
            label = row["comparison_label"]  # labelled with the topic's intervention, as the snapshot records it
            graded = self.review_grades.get((row["study_id"], label, row["outcome"]))
            if graded:
                return graded
        return self.grade.get(tuple(row[k] for k in GROUP_KEY))

    def deciding_grade(self, rows: list[dict]) -> str:
        """The certainty one study's rows can lend a verdict.

        The best grade among its patient-reported results. An investigator-judged response rate
        (a surrogate) cannot decide a claim alone, so its grade never lends certainty: a study
        with only such results counts as very low at best.
        """
        graded = [(c.grade, r["outcome"] in self.vocab.surrogates) for r in rows if (c := self.certainty_of(r))]
        direct = [g for g, surrogate in graded if not surrogate]
        if direct:
            return max(direct, key=_rank)
        return min(max((g for g, _ in graded), key=_rank, default=NO_EVIDENCE), "very_low", key=_rank)

    def untraced_items(self, rows: list[dict]) -> list[EvidenceItem]:
        """The rows of studies nobody can trace (no title, PMID or DOI), listed apart and never counted."""
        return [self.item(r, "Could not be traced: no title, PMID or DOI is recorded, so it is listed apart and never counted.")
                for r in rows if r["study_id"] in self.untraced]

    def item(self, row: dict, why: str) -> EvidenceItem:
        cid = row["pmid"] or row["study_id"]
        certainty = self.certainty_of(row)
        auto = row["provenance"] == "auto"
        return EvidenceItem(
            study_id=row["study_id"], pmid=row["pmid"], label=row["label"], year=row["year"], design=row["design"],
            comparison=row["comparison_label"], outcome=row["outcome"], measure=row["reported_measure"] or row["measure"],
            timepoint=row["timepoint"], estimate=row["estimate"], ci_low=row["ci_low"], ci_high=row["ci_high"],
            n=row["n"], direction=row_direction(row), certainty=certainty.grade if certainty else NO_EVIDENCE,
            effect=effect_text(row), why=why + (f" Result {MACHINE}." if auto else ""),
            verified=bool(row["verified"]) and not auto, source_url=row["source_url"],
            citation=self.citations.get(cid, ""), flags=[f.marker for f in self.flags.get(cid, [])],
            form=self.vocab.form_name(row.get("form")), provenance=row["provenance"] or "curated",
            outcome_name=self.vocab.outcome_name(row["outcome"]),
            measure_name=measure_name(row["reported_measure"] or row["measure"]),
        )

    def retracted(self, row: dict) -> bool:
        return any(f.kind in ("RetractionIn", "PartialRetractionIn") for f in self.flags.get(row["pmid"] or row["study_id"], []))


def _untraced_ids(studies: pd.DataFrame) -> frozenset[str]:
    """Studies with no title, PMID or DOI: nobody can find them, so they never back a verdict."""
    keys = [k for k in ("title", "pmid", "doi") if k in studies]
    blank = studies[keys].astype(object).where(studies[keys].notna(), "").astype(str)
    missing = blank.apply(lambda column: column.str.strip() == "").all(axis=1)
    return frozenset(studies.loc[missing, "study_id"].astype(str))


def _review_grades(frame: pd.DataFrame | None) -> dict[tuple, Certainty]:
    if frame is None or frame.empty:
        return {}
    out = {}
    for r in records(frame):
        reason = (f"Graded {r['grade'].replace('_', ' ')} by the review's own authors (GRADE), as seen at {r['source_url']}.")
        out[(r["study_id"], r["comparison"], r["outcome"])] = Certainty(r["grade"], (reason,))
    return out


def _study_role(directions: set[str], kind: str, margin_ok: bool) -> str:
    """A study's role for the claim, from its rows' directions as the claim reads them."""
    if "favours_intervention" in directions and "favours_comparator" in directions:
        return "neutral"
    if "favours_intervention" in directions:
        return "for"
    if "favours_comparator" in directions:
        return "against"
    if kind == "noninferior" and margin_ok:
        return "for"
    return "neutral" if "no_difference" in directions else "unclear"


def claim_direction(row: dict, reversed_claim: bool) -> str:
    """The row's direction as the claim reads it: 'favours_intervention' means favours the claim's subject."""
    direction = row_direction(row)
    return _FLIP.get(direction, direction) if reversed_claim else direction


def judge_part(comparator_class: str, direct: list[dict], ev: Evidence) -> tuple[PartVerdict, dict[str, str]]:
    """Verdict for one comparator class from its direct rows; also each study's role."""
    parsed = ev.parsed
    name = comparator_class.replace("_", " ")
    acu = ev.vocab.intervention_name if parsed.any_form else ev.vocab.form_name(parsed.intervention)
    forms = sorted({ev.vocab.form_name(r.get("form")) for r in direct})
    acu_studied = forms[0] if len(forms) == 1 else acu
    design = (f"added {acu_studied} to {name} and compared it with {name} alone" if parsed.add_on
              else f"compared {acu_studied} directly with {name}")
    claim_side, other_side = (name, acu_studied) if parsed.reversed else (acu_studied, name)
    if not direct:
        when = (f" after {ev.vocab.long_term_weeks:g} weeks (long term)" if "durability" in parsed.claim_kinds else "")
        return PartVerdict(comparator_class, "insufficient_evidence", NO_EVIDENCE,
                           f"No study compared {acu} {'added to ' + name if parsed.add_on else 'directly with ' + name} "
                           f"for this outcome{when}."), {}
    by_study: dict[str, list[dict]] = {}
    for row in direct:
        by_study.setdefault(row["study_id"], []).append(row)
    roles, grade, surrogate_only = {}, {}, {}
    for sid, rows in by_study.items():
        margin_ok = any(within_margin(r, ev.vocab.margins, parsed.reversed) for r in rows)
        roles[sid] = _study_role({claim_direction(r, parsed.reversed) for r in rows}, parsed.kind, margin_ok)
        grade[sid] = ev.deciding_grade(rows)
        surrogate_only[sid] = all(r["outcome"] in ev.vocab.surrogates for r in rows)
    ids = {role: [s for s, r in roles.items() if r == role] for role in ("for", "against", "neutral", "unclear")}
    best = {role: max((grade[s] for s in sids), key=_rank, default=NO_EVIDENCE) for role, sids in ids.items()}
    n_for, n_against = len(ids["for"]), len(ids["against"])

    def part(verdict: str, certainty: str, reason: str) -> tuple[PartVerdict, dict[str, str]]:
        return PartVerdict(comparator_class, verdict, certainty, reason), roles

    def surrogate_note(role: str) -> str:
        k = sum(surrogate_only[s] for s in ids[role])
        if not k:
            return ""
        who = "all of them" if k == len(ids[role]) else f"{k} of them"
        return f" ({who} only on an investigator-judged 'effective rate', which lends no certainty)"

    count = f"{len(by_study)} stud{'y' if len(by_study) == 1 else 'ies'} {design}"
    if n_against and not n_for:
        if RANK[best["against"]] >= RANK["low"]:
            return part("contradicted", best["against"], f"{count}; the evidence ({grade_words(best['against'])}) favours {other_side}.")
        return part("not_supported", best["against"],
                    f"{count}; what there is favours {other_side}, at {grade_words(best['against'])}{surrogate_note('against')}.")
    if n_for and n_against:
        return part("not_supported", max(best["for"], best["against"], key=_rank),
                    f"{count}; {n_for} favoured {claim_side} and {n_against} favoured {other_side}: the results conflict.")
    if n_for:
        level = RANK[best["for"]]
        if level >= RANK["moderate"] and not ids["neutral"]:
            return part("supported", best["for"], f"{count}; the evidence ({grade_words(best['for'])}) agrees with the claim.")
        if level >= RANK[NOT_GRADED]:
            extra = f", while {len(ids['neutral'])} found no difference" if ids["neutral"] else ""
            return part("partly_supported", best["for"],
                        f"{count}; {n_for} favoured {claim_side}{surrogate_note('for')}{extra}, but only {grade_words(best['for'])}.")
        return part("insufficient_evidence", best["for"],
                    f"{count}; {n_for} favoured {claim_side}{surrogate_note('for')}, but the certainty is very low "
                    "(small or unverified studies).")
    if ids["neutral"]:
        why = (f"a non-significant difference does not show that {claim_side} is as good"
               if parsed.kind == "noninferior" else "no difference between the treatments was found")
        return part("not_supported", best["neutral"], f"{count}; {why}.")
    return part("insufficient_evidence", best["unclear"], f"{count}, but no result states which treatment did better.")


def combine(parts: list[PartVerdict], universal: bool = False) -> str:
    """One verdict from the parts: support must hold for every comparator claimed.

    A universal claim ("outperforms all other treatments") is as weak as its weakest part: one
    class where the other side was favoured, or no difference was found, makes it not supported
    (contradicted when that evidence is at least moderate), and a class never tested makes it at
    most insufficient evidence.
    """
    verdicts = [p.verdict for p in parts]
    if universal:
        if any(p.verdict == "contradicted" and RANK[p.certainty] >= RANK["moderate"] for p in parts):
            return "contradicted"
        if any(v in ("contradicted", "not_supported") for v in verdicts):
            return "not_supported"
        if "insufficient_evidence" in verdicts or not verdicts:
            return "insufficient_evidence"
    if verdicts and all(v == "supported" for v in verdicts):
        return "supported"
    if "contradicted" in verdicts:
        return "contradicted"
    if "supported" in verdicts or "partly_supported" in verdicts:
        return "partly_supported"
    if "not_supported" in verdicts:
        return "not_supported"
    return "insufficient_evidence"


def _is_direct(row: dict, parsed: ParsedClaim) -> bool:
    return (row["design_kind"] == ("add_on" if parsed.add_on else "head_to_head") and row["design_group"] in _DIRECT_DESIGNS
            and row["comparator_class"] != "none")


def _too_early(row: dict, vocab: Vocabulary) -> bool:
    weeks = row["timepoint_weeks"]
    return weeks is None or weeks <= vocab.long_term_weeks


def check_comparison(parsed: ParsedClaim, tables, vocab: Vocabulary, style: str, cache: SynthesisCache) -> ClaimVerdict:
    """Verdict for a comparison or efficacy claim (superior, noninferior, safer), in its direction."""
    ev = Evidence(parsed, tables, vocab, style, cache)
    caveats: list[str] = []
    direct, context = [], []
    long_term = "durability" in parsed.claim_kinds
    untraced = ev.untraced_items(ev.rows + [r for r in ev.other_forms if _is_direct(r, parsed)])
    for row in ev.rows:
        if row["study_id"] in ev.untraced:
            continue
        if ev.retracted(row):
            context.append(ev.item(row, "Retracted: shown for completeness, never counted."))
            caveats.append(f"{row['label']} is retracted and was not counted.")
        elif not _is_direct(row, parsed):
            context.append(ev.item(row, context_reason(row, parsed.add_on, ev.vocab.intervention_name)))
        elif long_term and _too_early(row, vocab):
            context.append(ev.item(row, f"Measured at {row['timepoint'] or 'a time not stated'}: not long term "
                                        f"(the claim needs results after {vocab.long_term_weeks:g} weeks)."))
        else:
            direct.append(row)
    for row in ev.other_forms:
        if _is_direct(row, parsed) and row["study_id"] not in ev.untraced:
            form = vocab.form_name(row.get("form"))
            context.append(ev.item(row, f"Evidence on {form}, not on {parsed.intervention.replace('_', ' ')}: "
                                        f"a different form of {vocab.intervention_name}."))
    parts, roles = [], {}
    for cls in parsed.comparator_classes:
        part_verdict, part_roles = judge_part(cls, [r for r in direct if r["comparator_class"] == cls], ev)
        parts.append(part_verdict)
        roles.update({(cls, sid): role for sid, role in part_roles.items()})
    buckets: dict[str, list[EvidenceItem]] = {"for": [], "against": [], "neutral": []}
    sides: dict[str, list[dict]] = {"for": [], "against": [], "neutral": []}
    for row in direct:
        role = roles[(row["comparator_class"], row["study_id"])]
        direction = claim_direction(row, parsed.reversed)
        row_role = {"favours_intervention": "for", "favours_comparator": "against"}.get(direction, "neutral")
        if role == "for" and row_role == "neutral" and parsed.kind == "noninferior" and within_margin(row, vocab.margins, parsed.reversed):
            row_role = "for"
        favoured = {"favours_intervention": vocab.form_name(row.get("form")),
                    "favours_comparator": row["comparator_class"].replace("_", " ")}.get(row_direction(row))
        why = f"Favours {favoured}." if favoured else "No difference shown, or the direction is not stated."
        if row["outcome"] in vocab.surrogates:
            why += " Outcome is an investigator-judged response rate (indirect)."
        buckets[row_role].append(ev.item(row, why))
        sides[row_role].append(row)
    verdict = combine(parts, parsed.universal)
    caveats += _caveats(direct, vocab, ev)
    if untraced:
        caveats.append(f"{len({i.study_id for i in untraced})} stud{'y' if len({i.study_id for i in untraced}) == 1 else 'ies'} "
                       "with no title, PMID or DOI could not be traced; listed apart, not counted.")
    certainty, certainty_reasons = _overall_certainty(verdict, parts, sides, ev)
    reasons = [f"{p.comparator_class.replace('_', ' ')}: {p.reason}" for p in parts]
    reasons += _evidence_notes(parsed, ev, direct, context)
    forms = _forms_in(direct, vocab)
    only = forms[0] if len(forms) == 1 and forms[0] != vocab.form_name(None) else None
    if ev.subclass_matched is False and verdict in _INDIRECT:
        # The claim names a drug class no study here used: evidence on drugs in general is indirect.
        reasons.insert(0, f"The verdict would be {verdict.replace('_', ' ')} for drugs in general; it is lowered because no "
                          f"study here used {_subclass_name(parsed)}.")
        verdict = _INDIRECT[verdict]
    class_roles: dict[str, set[str]] = {}
    for (cls, _), role in roles.items():
        class_roles.setdefault(cls, set()).add(role)
    wording = _wording(parsed, verdict, parts, certainty, only, vocab)
    if parsed.universal:
        wording += " " + _by_comparator(parsed, parts, class_roles, vocab)
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict=verdict, certainty=certainty, certainty_reasons=certainty_reasons,
        reasons=reasons, supported_wording=wording, caveats=list(dict.fromkeys(caveats)), parts=parts,
        evidence_for=buckets["for"], evidence_against=buckets["against"], evidence_neutral=buckets["neutral"],
        context=context, guidelines=[], citations=ev.citations, evidence_forms=forms, untraced=untraced,
    )


def _subclass_name(parsed: ParsedClaim) -> str:
    """The drug class the claim names, in words ("NSAIDs")."""
    subclass = parsed.drug_subclass or ""
    return _SUBCLASS_NAMES.get(subclass, subclass)


def _forms_in(rows: list[dict], vocab: Vocabulary) -> list[str]:
    return sorted({vocab.form_name(r.get("form")) for r in rows})


def _evidence_notes(parsed: ParsedClaim, ev: Evidence, direct: list[dict], context: list[EvidenceItem]) -> list[str]:
    notes = []
    if parsed.reversed:
        said = parsed.subject.lower()
        subject = ev.vocab.intervention_name
        notes.append(f"The claim says {said} {_agree('is', said)} the better or safer treatment, with {subject} as the "
                     f"comparator; it is judged in that direction: results favouring {subject} count against it.")
    subclass = _subclass_name(parsed)
    if ev.subclass_matched is True:
        notes.append(f"Drug comparisons restricted to {subclass} (the drug class the claim names).")
    elif ev.subclass_matched is False:
        notes.append(f"No study here compared {ev.vocab.intervention_name} with {subclass} specifically: the drug evidence below "
                     "is about drugs in general (mixed or unnamed drugs), not about {subclass}.".replace("{subclass}", subclass))
    others: dict[str, set] = {}
    for r in ev.other_forms:
        if _is_direct(r, parsed):
            others.setdefault(ev.vocab.form_name(r.get("form")), set()).add(r["label"])
    if others:
        listed = "; ".join(f"{form}: {', '.join(sorted(labels))}" for form, labels in sorted(others.items()))
        notes.append(f"{sum(map(len, others.values()))} studies of other forms of {ev.vocab.intervention_name} made this comparison "
                     f"({listed}); they are shown as context, not counted for {parsed.intervention.replace('_', ' ')}.")
    if direct:
        counts: dict[str, set] = {}
        for r in direct:
            counts.setdefault(ev.vocab.form_name(r.get("form")), set()).add(r["study_id"])
        notes.append(f"Form of {ev.vocab.intervention_name} in the direct evidence: " +
                     "; ".join(f"{f} ({len(s)} stud{'y' if len(s) == 1 else 'ies'})" for f, s in sorted(counts.items())) + ".")
    if context:
        other = "direct comparisons, " if parsed.add_on else "add-on designs, "
        notes.append(f"{len(context)} further result(s) answer a different question for this claim ({other}packages, "
                     "single-arm or cross-study data, other forms or time points) and are shown as context only.")
    return notes


def _caveats(direct: list[dict], vocab: Vocabulary, ev: Evidence) -> list[str]:
    out = []
    unverified = sorted({r["label"] for r in direct if not r["verified"] and r["provenance"] != "auto"})
    if unverified:
        out.append(f"Not verified against a source page: {', '.join(unverified)}.")
    auto = sorted({r["label"] for r in direct if r["provenance"] == "auto"})
    if auto:
        out.append(f"Results {MACHINE} (extracted automatically from abstracts, not checked by a person): {', '.join(auto)}.")
    no_pmid = sorted({r["label"] for r in direct if not r["pmid"]})
    if no_pmid:
        out.append(f"No PMID found (cannot be checked on PubMed): {', '.join(no_pmid)}.")
    if any(r["outcome"] in vocab.surrogates for r in direct):
        out.append("Some results use an investigator-judged 'effective rate', not a validated patient-reported outcome.")
    ungraded = sorted({r["label"] for r in direct if r["design_group"] == "review"
                       and ((c := ev.certainty_of(r)) is None or c.grade == NOT_GRADED)})
    if ungraded:
        out.append(f"Review-level pooled estimates shown as reported; no GRADE rating was found for them: {', '.join(ungraded)}.")
    return out


def _deciding_parts(verdict: str, parts: list[PartVerdict]) -> list[PartVerdict]:
    """The parts a combined verdict rests on."""
    wanted = {"supported": ("supported",), "partly_supported": ("supported", "partly_supported"),
              "contradicted": ("contradicted",), "not_supported": ("not_supported", "contradicted"),
              "insufficient_evidence": ("insufficient_evidence",)}[verdict]
    return [p for p in parts if p.verdict in wanted]


def _overall_certainty(verdict: str, parts: list[PartVerdict], sides: dict[str, list[dict]], ev: Evidence) -> tuple[str, list[str]]:
    """The certainty of the results that decide the verdict, with the reasons for that grade.

    Only the parts the verdict rests on count, and within them the patient-reported results: an
    investigator-judged 'effective rate' never lends its grade. A verdict that needs every part
    (supported, or any verdict on a universal claim short of a refutation) is as certain as its
    weakest part.
    """
    deciding = _deciding_parts(verdict, parts)
    every = verdict == "supported" or (ev.parsed.universal and verdict in ("partly_supported", "insufficient_evidence"))
    pick = min if every else max
    grade = pick((p.certainty for p in deciding), key=_rank, default=NO_EVIDENCE)
    if grade == NO_EVIDENCE:
        return NO_EVIDENCE, ["No direct comparison matches the claim."]
    side = {"supported": "for", "partly_supported": "for", "contradicted": "against"}.get(verdict)
    classes = {p.comparator_class for p in deciding}
    rows = [r for r in (sides[side] if side else [r for rs in sides.values() for r in rs]) if r["comparator_class"] in classes]
    same = [c for r in rows if r["outcome"] not in ev.vocab.surrogates and (c := ev.certainty_of(r)) and c.grade == grade]
    reasons = list(same[0].reasons) if same else [f"The results that decide the verdict are at {grade_words(grade)}."]
    lent = sorted({c.grade for r in rows if r["outcome"] in ev.vocab.surrogates and (c := ev.certainty_of(r))
                   and RANK[c.grade] > RANK[grade]}, key=_rank)
    if lent:
        reasons.append(f"A {lent[-1].replace('_', ' ')} grade on an investigator-judged 'effective rate' is not used: "
                       "that outcome cannot decide a claim alone, so it lends the verdict no certainty.")
    return grade, reasons


def _short_grade(grade: str) -> str:
    return "ungraded review estimates" if grade == NOT_GRADED else f"{grade.replace('_', ' ')} certainty"


def _by_comparator(parsed: ParsedClaim, parts: list[PartVerdict], class_roles: dict[str, set[str]], vocab: Vocabulary) -> str:
    """Which side each comparator class favoured, and which were never tested, for a universal claim."""
    acu = vocab.intervention_name if parsed.any_form else vocab.form_name(parsed.intervention)
    tested, untested = [], []
    for p in parts:
        name = p.comparator_class.replace("_", " ")
        claim_side, other_side = (name, acu) if parsed.reversed else (acu, name)
        found = class_roles.get(p.comparator_class, set())
        if not found:
            untested.append(p.comparator_class)
            continue
        if {"for", "against"} <= found:
            what = "the results conflict"
        elif "against" in found:
            what = f"favoured {other_side}"
        elif "for" in found:
            # A non-inferiority result may rest on a CI that rules out harm, not on a win.
            what = f"{claim_side} no worse" if parsed.kind == "noninferior" else f"favoured {claim_side}"
        else:
            what = "no difference shown" if "neutral" in found else "direction not stated"
        tested.append(f"{name}: {what} ({_short_grade(p.certainty)})")
    text = "By comparator: " + "; ".join(tested) + "." if tested else ""
    if untested:
        text += f" Never compared directly with {acu}: {names(untested, 'and')}."
    return text.strip()


def _agree(verb: str, subject: str) -> str:
    """'works' -> 'work' after a plural subject the claim wrote ("painkillers work better than")."""
    if not subject.endswith("s") or subject.endswith("ss"):
        return verb
    first, _, rest = verb.partition(" ")
    plural = {"works": "work", "is": "are", "has": "have"}.get(first, first)
    return f"{plural} {rest}".strip()


def names(classes, conjunction: str = "or") -> str:
    """'nerve block, drug or surgery'."""
    labels = [c.replace("_", " ") for c in classes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + f" {conjunction} " + labels[-1]


def _wording(parsed: ParsedClaim, verdict: str, parts: list[PartVerdict], certainty: str, only_form: str | None,
             vocab: Vocabulary) -> str:
    acu = vocab.intervention_name if parsed.any_form else vocab.form_name(parsed.intervention)
    phrase = _PHRASES[parsed.kind]
    outcome = " and ".join(f.replace("_", " ") for f in parsed.outcome_families)
    if "durability" in parsed.claim_kinds:
        outcome += f", after {vocab.long_term_weeks:g} weeks"
    leaning = [p.comparator_class for p in parts if p.verdict in ("supported", "partly_supported")]
    missing = [p.comparator_class for p in parts if p.verdict == "insufficient_evidence"]
    against = [p.comparator_class for p in parts if p.verdict in ("contradicted", "not_supported")]

    def sentence(classes, verb) -> str:
        listed = f"each of {names(classes, 'and')}" if parsed.universal and len(classes) > 1 else names(classes)
        if parsed.reversed:
            said = parsed.subject.lower()
            return f"{said}{'' if said == names(classes) else ' (' + listed + ')'} {_agree(verb, said)} {acu}"
        if parsed.add_on:
            return f"adding {acu} to {names(classes)} {verb} {names(classes)} alone"
        return f"{acu} {verb} {listed}"

    if verdict == "supported":
        text = f"{certainty.replace('_', ' ').capitalize()}-certainty evidence shows that {sentence(parsed.comparator_classes, phrase)} ({outcome})."
    elif verdict == "partly_supported":
        text = (f"Limited evidence ({_short_grade(certainty)}) suggests {sentence(leaning, _HEDGED[parsed.kind])} "
                f"({outcome}); further research could well change this.")
    elif verdict == "contradicted":
        # Only the classes whose evidence favours the other side; a "no difference" class is not a win.
        refuted = [p.comparator_class for p in parts if p.verdict == "contradicted"]
        winner = acu if parsed.reversed else names(refuted, "and")
        loser = names(refuted, "and") if parsed.reversed else acu
        text = f"The evidence does not back this: studies of at least low certainty favour {winner} over {loser} ({outcome})."
    elif verdict == "not_supported":
        claimed = parsed.comparator_classes if parsed.universal else against or parsed.comparator_classes
        text = f"The evidence does not show that {sentence(claimed, phrase)} ({outcome})."
    else:
        text = f"There is too little direct evidence to say whether {sentence(parsed.comparator_classes, phrase)} ({outcome})."
    if missing and verdict != "insufficient_evidence" and not parsed.universal:
        text += f" Too little direct evidence on {names(missing)} to say."
    if parsed.any_form and only_form:
        text += f" The direct evidence is on {only_form} only, not on {vocab.intervention_name} in general."
    return re.sub(r"^\w", lambda m: m.group(0).upper(), text)
