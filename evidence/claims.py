"""Claim checking: a health claim in plain words -> a verdict, its certainty and its evidence.

::

    tables = evidence.load()
    verdict = check_claim("Acupuncture outperforms nerve blocks", tables, load_topic())
    verdict.verdict, verdict.certainty, verdict.supported_wording
    verdict.to_json()        # validates against evidence/claim_verdict.schema.json

How a claim is read (the words live in the topic file's ``[claims]`` section, not in code):
the intervention (acupuncture, or one form such as electroacupuncture), the comparators
(each mapped to comparator classes: "injections" = nerve block + epidural steroid injection +
other injection; "other treatments" = every active class), the outcome family (pain, function,
adverse events; "effectiveness" when none is named) and the strength (``superior``,
``noninferior``, ``safer``, ``recommended``, ``first_line``). A negated claim is refused
(:class:`~evidence.errors.ClaimError`) rather than read backwards.

Verdicts (:data:`VERDICTS`), and what each needs. The rules never let a claim look stronger
than its evidence:

* Only **direct** evidence counts: acupuncture against the comparator, head to head. Add-on
  designs (acupuncture + X against X), packages of treatments, and single-arm safety series are
  shown as *context*, never as support. Retracted articles are shown and never count.
* Each comparator class is judged on its own, then the parts are combined:

  - ``supported``: studies favour acupuncture (CI excluding no effect; for ``noninferior`` also a
    CI that excludes a meaningful harm, the margins in the topic file), nothing favours the
    comparator, and the certainty (:mod:`evidence.certainty`) is moderate or high. One small
    trial is never enough: it grades low or very low.
  - ``partly_supported``: the evidence leans the claim's way at low certainty, or only from
    reviews whose certainty is not graded here, or only for some of the comparators claimed.
  - ``not_supported``: studies found no difference (a non-significant difference is not
    equivalence), disagree, or the little evidence there is (very low) favours the comparator.
  - ``contradicted``: evidence of at least low certainty favours the comparator, or (for
    recommendation claims) a guideline covering sciatica recommends against acupuncture.
  - ``insufficient_evidence``: no direct comparison, or only very-low-certainty results.

* Recommendation claims ("should be the first treatment") need guideline-level evidence:
  curated ``guideline`` rows, whose notes state what they recommend on acupuncture. Guidelines
  about low back pain in general are context, not a sciatica recommendation.

JSON (``ClaimVerdict.to_dict()``; schema in ``evidence/claim_verdict.schema.json``)::

    {"claim": str, "verdict": one of VERDICTS, "certainty": grade, "certainty_reasons": [str],
     "parsed": {"intervention", "forms", "comparators", "comparator_classes",
                "outcome_families", "outcomes", "strength", "kind", "matched"},
     "reasons": [str], "supported_wording": str, "caveats": [str],
     "parts": [{"comparator_class", "verdict", "certainty", "reason"}],
     "evidence_for" | "evidence_against" | "evidence_neutral" | "context":
         [{"study_id", "pmid", "label", "year", "design", "comparison", "outcome", "measure",
           "timepoint", "estimate", "ci_low", "ci_high", "n", "direction", "certainty",
           "effect", "why", "verified", "source_url", "citation", "flags"}],
     "guidelines": [{"study_id", "pmid", "title", "year", "stance", "scope", "statement",
                     "verified", "citation", "flags"}],
     "citations": {id: reference text}}
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import asdict, dataclass, field, fields

import pandas as pd

from .certainty import GRADES, NO_EVIDENCE, NOT_GRADED
from .cite import correction_flags, csl_items, format_references
from .errors import ClaimError, TopicError
from .synthesis import GROUP_KEY, synthesize
from .topic import Topic

VERDICTS = ("supported", "partly_supported", "not_supported", "contradicted", "insufficient_evidence")
KINDS = ("superior", "noninferior", "safer", "recommended", "first_line")
CERTAINTY_LEVELS = (NO_EVIDENCE, NOT_GRADED) + GRADES
"""Every value ``certainty`` can take."""

# Ranks for comparing certainty. Review-level estimates (not graded here) rank between very low
# and low: they can lean a claim's way, never support it.
_RANK = {NO_EVIDENCE: 0, "very_low": 1, NOT_GRADED: 1.5, "low": 2, "moderate": 3, "high": 4}
_DIRECT_DESIGNS = ("randomised_trial", "non_randomised_trial", "observational", "review")
_STANCES = ("no_recommendation", "against", "first_line", "for", "not_seen")


# ------------------------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Vocabulary:
    """The compiled ``[claims]`` section of a topic."""

    negation: tuple[re.Pattern, ...]
    add_on: tuple[re.Pattern, ...]
    generic: tuple[re.Pattern, ...]
    forms: dict[str, tuple[re.Pattern, ...]]
    comparators: dict[str, tuple[tuple[re.Pattern, ...], tuple[str, ...]]]
    outcomes: dict[str, tuple[tuple[re.Pattern, ...], tuple[str, ...]]]
    surrogates: frozenset[str]
    strengths: dict[str, dict]
    margins: dict
    guidelines: dict

    @classmethod
    def from_topic(cls, topic: Topic) -> Vocabulary:
        """Compile a topic's ``[claims]`` section.

        Raises
        ------
        TopicError
            The section is missing, or a pattern is not a valid regular expression.
        """
        claims = topic.section("claims")
        if not claims:
            raise TopicError(f"topic {topic.name} has no [claims] section, so claims cannot be checked")
        try:
            return cls(
                negation=_compile(claims.get("negation", [])),
                add_on=_compile(claims.get("add_on", [])),
                generic=_compile(claims["intervention_generic"]),
                forms={k: _compile(v) for k, v in claims.get("intervention", {}).items()},
                comparators={k: (_compile(v["patterns"]), tuple(v["classes"])) for k, v in claims["comparator"].items()},
                outcomes={k: (_compile(v["patterns"]), tuple(v["outcomes"])) for k, v in claims["outcome"].items()},
                surrogates=frozenset(s for v in claims["outcome"].values() for s in v.get("surrogate", [])),
                strengths={k: {**v, "patterns": _compile(v["patterns"])} for k, v in claims["strength"].items()},
                margins=claims.get("margins", {}),
                guidelines={**claims["guidelines"], "stance": {k: _compile(v) for k, v in claims["guidelines"]["stance"].items()},
                            "sciatica_scope": _compile(claims["guidelines"]["sciatica_scope"]),
                            "outside_scope": _compile(claims["guidelines"]["outside_scope"])},
            )
        except (KeyError, TypeError, re.error) as exc:
            raise TopicError(f"topic {topic.name}: malformed [claims] section ({exc})") from exc


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _find(text: str, table: dict, claimed: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(label, matched words) in table order; a matched span is claimed, later labels skip it."""
    found = []
    for label, patterns in table.items():
        for pattern in patterns:
            for m in pattern.finditer(text):
                if any(m.start() < end and start < m.end() for start, end in claimed):
                    continue
                claimed.append(m.span())
                found.append((label, m.group(0)))
    return found


@dataclass(frozen=True)
class ParsedClaim:
    """What a claim says, in the topic's terms.

    Attributes
    ----------
    text:
        The claim as given.
    intervention:
        ``acupuncture`` (any form) or the form named.
    forms:
        Acupuncture forms named (empty: every form counts).
    comparators:
        Comparator labels from the topic file, as matched (or the strength's default).
    comparator_classes:
        Comparator classes those labels stand for.
    outcome_families, outcomes:
        Outcome families named (or the default) and the outcome labels they cover.
    strength, kind:
        The strength label matched and the test it calls for (:data:`KINDS`).
    add_on:
        The claim is about acupuncture added to the comparator, against the comparator alone
        ("acupuncture plus a nerve block works better than the block alone").
    matched:
        The words that decided each slot, so a reader can see how the claim was read.
    """

    text: str
    intervention: str
    forms: tuple[str, ...]
    comparators: tuple[str, ...]
    comparator_classes: tuple[str, ...]
    outcome_families: tuple[str, ...]
    outcomes: tuple[str, ...]
    strength: str
    kind: str
    matched: dict[str, list[str]] = field(default_factory=dict)
    add_on: bool = False


def parse_claim(text: str, topic: Topic, vocabulary: Vocabulary | None = None) -> ParsedClaim:
    """Read a claim into intervention, comparators, outcomes and strength.

    Raises
    ------
    ClaimError
        The claim is empty or negated, names no acupuncture, or has no strength word.
    """
    vocab = vocabulary or Vocabulary.from_topic(topic)
    if not text or not text.strip():
        raise ClaimError("the claim is empty")
    negated = [m.group(0) for p in vocab.negation for m in p.finditer(text)]
    if negated:
        raise ClaimError(f"the claim contains a negation ({negated[0]!r}); state it positively, e.g. "
                         "'acupuncture is better than X', and read a 'not_supported' or 'contradicted' verdict")
    claimed: list[tuple[int, int]] = []
    forms = _find(text, vocab.forms, claimed)
    generic = _find(text, {"acupuncture": vocab.generic}, claimed)
    if not forms and not generic:
        raise ClaimError("the claim names no acupuncture (or form of it); this checker reads claims about acupuncture")
    strengths = _find(text, {k: v["patterns"] for k, v in vocab.strengths.items()}, claimed)
    if not strengths:
        raise ClaimError("the claim has no comparison or recommendation word the checker knows "
                         "(e.g. 'better than', 'at least as effective as', 'fewer side effects', 'first choice')")
    strength = strengths[0][0]
    spec = vocab.strengths[strength]
    comparators = _find(text, {k: v[0] for k, v in vocab.comparators.items()}, claimed)
    outcomes = _find(text, {k: v[0] for k, v in vocab.outcomes.items()}, list(claimed))
    comparator_labels = list(dict.fromkeys(label for label, _ in comparators))
    if not comparator_labels and spec.get("comparator"):
        comparator_labels = [spec["comparator"]]
    families = list(dict.fromkeys(label for label, _ in outcomes))
    if spec.get("outcome"):
        # A strength that implies its outcome ("fewer side effects") decides it; otherwise the
        # outcomes named, else the strength's default.
        families = [spec["outcome"]] if spec["kind"] == "safer" or not families else families
    classes = tuple(dict.fromkeys(c for label in comparator_labels for c in vocab.comparators[label][1]))
    outcome_labels = tuple(dict.fromkeys(o for fam in families for o in vocab.outcomes[fam][1]))
    form_names = tuple(dict.fromkeys(label for label, _ in forms))
    return ParsedClaim(
        text=text.strip(), intervention=form_names[0] if len(form_names) == 1 else "acupuncture", forms=form_names,
        comparators=tuple(comparator_labels), comparator_classes=classes, outcome_families=tuple(families),
        outcomes=outcome_labels, strength=strength, kind=spec["kind"],
        add_on=any(p.search(text) for p in vocab.add_on) and bool(comparators),
        matched={"intervention": [w for _, w in forms + generic], "strength": [w for _, w in strengths],
                 "comparator": [w for _, w in comparators], "outcome": [w for _, w in outcomes]},
    )


# ------------------------------------------------------------------------------------ results


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
    """A claim's verdict with its evidence. See the module docstring for the JSON shape."""

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

    def to_dict(self) -> dict:
        """Plain JSON-ready data (tuples as lists, no pandas values)."""
        data = asdict(self)
        data["parsed"] = {k: list(v) if isinstance(v, tuple) else v for k, v in data["parsed"].items()}
        return data

    def to_json(self, indent: int | None = 2) -> str:
        """The verdict as JSON text (UTF-8 characters kept)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def summary_frame(self) -> pd.DataFrame:
        """One row per evidence item and guideline, with its role (for, against, neutral, context, guideline)."""
        rows = [{"role": role, **asdict(item)} for role, items in
                (("for", self.evidence_for), ("against", self.evidence_against),
                 ("neutral", self.evidence_neutral), ("context", self.context)) for item in items]
        rows += [{"role": "guideline", **asdict(g)} for g in self.guidelines]
        # The same columns with no evidence at all, so callers can select them either way.
        columns = ["role", *(f.name for f in fields(EvidenceItem)),
                   *(f.name for f in fields(GuidelineItem) if f.name not in {f.name for f in fields(EvidenceItem)})]
        return pd.DataFrame(rows, columns=columns)

    def to_text(self) -> str:
        """A plain-text report: verdict, certainty, reasons, wording, evidence with citations."""
        lines = [f"Claim: {self.claim}", f"Verdict: {self.verdict.replace('_', ' ')}",
                 f"Certainty: {self.certainty.replace('_', ' ')}", "", "Why:"]
        lines += [f"  - {r}" for r in self.reasons]
        lines += ["", f"What the evidence supports: {self.supported_wording}"]
        if self.caveats:
            lines += ["", "Caveats:"] + [f"  - {c}" for c in self.caveats]
        for title, items in (("Evidence for", self.evidence_for), ("Evidence against", self.evidence_against),
                             ("No difference or unclear", self.evidence_neutral),
                             ("Context (not a direct comparison)", self.context)):
            if items:
                lines += ["", f"{title}:"]
                lines += [f"  - {i.label} ({i.pmid and 'PMID ' + i.pmid or i.study_id}): {i.comparison}, {i.outcome}: "
                          f"{i.effect}; certainty {i.certainty}. {i.why}" for i in items]
        if self.guidelines:
            lines += ["", "Guidelines:"]
            lines += [f"  - {g.title} ({g.year}): {g.stance.replace('_', ' ')} ({g.scope})" for g in self.guidelines]
        if self.citations:
            lines += ["", "References:"] + [f"  {text}" for text in self.citations.values()]
        return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------------ checking


def check_claim(text: str, tables: dict[str, pd.DataFrame], topic: Topic, style: str = "ama") -> ClaimVerdict:
    """Check a claim against the evidence tables.

    Parameters
    ----------
    text:
        The claim, e.g. "Acupuncture is at least as effective as other treatments for sciatica".
    tables:
        Tables from :func:`evidence.load` (``studies``, ``findings`` and the record tables).
    topic:
        The topic whose ``[claims]`` vocabulary reads the claim (:func:`evidence.topic.load_topic`).
    style:
        Citation style for the references (``ama``, ``vancouver``, ``apa``).

    Returns
    -------
    ClaimVerdict

    Raises
    ------
    ClaimError
        The claim cannot be read (see :func:`parse_claim`).
    TopicError
        The topic has no usable ``[claims]`` section.
    """
    vocab = Vocabulary.from_topic(topic)
    parsed = parse_claim(text, topic, vocab)
    if parsed.kind in ("recommended", "first_line"):
        return _check_recommendation(parsed, tables, vocab, style)
    return _check_comparison(parsed, tables, vocab, style)


def _value(x):
    if x is None or (not isinstance(x, (list, tuple)) and pd.isna(x)):
        return None
    return x.item() if hasattr(x, "item") else x


def _effect_text(row: dict) -> str:
    est, low, high = row["estimate"], row["ci_low"], row["ci_high"]
    if est is None:
        return f"{row['reported_measure']}: no effect size with a confidence interval; direction as reported by the source"
    measure = row["measure"] or row["reported_measure"]
    if low is None or high is None:
        return f"{measure} {est:.3g} (no confidence interval)"
    computed = f", {row['effect_source']}" if row["effect_source"] and row["effect_source"].startswith("computed") else ""
    return f"{measure} {est:.3g} (95% CI {low:.3g} to {high:.3g}{computed})"


def _grade_words(grade: str) -> str:
    if grade == NOT_GRADED:
        return "review-level estimates whose certainty is not graded here"
    return f"{grade.replace('_', ' ')} certainty"


def _row_direction(row: dict) -> str:
    """From the numbers when there are some, else as the source reports it."""
    computed = row["direction_from_numbers"]
    if computed in ("favours_acupuncture", "favours_comparator", "no_difference"):
        return computed
    return row["direction"] or "unclear"


def _within_margin(row: dict, margins: dict) -> bool:
    """True when the CI excludes a harm larger than the outcome's non-inferiority margin."""
    low, high, lower_is_better = row["ci_low"], row["ci_high"], row["lower_is_better"]
    if low is None or high is None or lower_is_better is None:
        return False
    measure = row["measure"]
    if measure in ("RR", "OR", "HR"):
        ratio = float(margins.get("ratio", math.nan))
        return high < ratio if lower_is_better else low > 1 / ratio
    margin = margins.get("SMD") if measure == "SMD" else margins.get("MD", {}).get(row["outcome"]) if measure == "MD" else None
    if margin is None:
        return False
    if measure == "MD" and str(row["outcome"]).endswith("_vas") and max(abs(low), abs(high)) <= 10:
        # VAS margins are on the 0-100 mm scale; a CI that fits within +/-10 may be on a 0-10 cm
        # scale, so take the 0-10 margin. On a true 0-100 scale this can only withhold support.
        margin = margin / 10
    # Effects run acupuncture minus comparator: harm is a higher score when lower is better.
    return high < margin if lower_is_better else low > -margin


def _context_reason(row: dict, add_on_claim: bool = False) -> str:
    comparator = row["comparator_class"].replace("_", " ")
    kind = row["design_kind"]
    if add_on_claim and kind == "head_to_head":
        return (f"Acupuncture was compared with {comparator} directly: this does not show what adding acupuncture "
                f"to {comparator} does.")
    if row["comparator_class"] == "none":
        return "Single-arm data on acupuncture: no comparison group, so it cannot show fewer or more events than another treatment."
    if kind == "add_on":
        return (f"Acupuncture was added to {comparator} and compared with {comparator} alone: this shows whether adding "
                f"acupuncture helps, not how acupuncture compares with {comparator}.")
    if kind == "package":
        return "Acupuncture was one part of a package of treatments, so its own effect cannot be separated."
    if row["design"] and row["design_group"] == "not_comparative":
        return f"A {row['design'].replace('_', ' ')} cannot show a comparative effect."
    return (f"Data on {comparator} without an acupuncture arm in the same study (or add-on status not stated): "
            "a comparison across different studies, populations and definitions is not a fair test.")


class _Evidence:
    """The synthesis rows a claim is about, sorted into direct and context, with certainty."""

    def __init__(self, parsed: ParsedClaim, tables: dict[str, pd.DataFrame], vocab: Vocabulary, style: str):
        findings = tables["findings"]
        if parsed.forms:
            findings = findings[findings["intervention"].isin(parsed.forms) | findings["intervention"].isna()]
        synthesis = synthesize(tables["studies"], findings)
        self.grade = {}
        for group in synthesis.groups:
            key = tuple(group.key[k] for k in GROUP_KEY)
            self.grade[key] = group.certainty
        rows = [{k: _value(v) for k, v in r.items()} for r in synthesis.rows.astype(object).to_dict("records")]
        wanted_classes = set(parsed.comparator_classes) | {"none"}
        self.rows = [r for r in rows if r["outcome"] in parsed.outcomes and r["comparator_class"] in wanted_classes]
        ids = list(dict.fromkeys(r["pmid"] or r["study_id"] for r in self.rows))
        self.flags = correction_flags(ids, tables)
        self.citations = _citations(ids, tables, style)
        self.vocab = vocab
        self.parsed = parsed

    def certainty_of(self, row: dict):
        return self.grade.get(tuple(row[k] for k in GROUP_KEY))

    def item(self, row: dict, why: str) -> EvidenceItem:
        cid = row["pmid"] or row["study_id"]
        certainty = self.certainty_of(row)
        return EvidenceItem(
            study_id=row["study_id"], pmid=row["pmid"], label=row["label"], year=row["year"], design=row["design"],
            comparison=row["comparison_label"], outcome=row["outcome"], measure=row["reported_measure"] or row["measure"],
            timepoint=row["timepoint"], estimate=row["estimate"], ci_low=row["ci_low"], ci_high=row["ci_high"],
            n=row["n"], direction=_row_direction(row), certainty=certainty.grade if certainty else NO_EVIDENCE,
            effect=_effect_text(row), why=why, verified=bool(row["verified"]), source_url=row["source_url"],
            citation=self.citations.get(cid, ""), flags=[f.marker for f in self.flags.get(cid, [])],
        )

    def retracted(self, row: dict) -> bool:
        return any(f.kind in ("RetractionIn", "PartialRetractionIn") for f in self.flags.get(row["pmid"] or row["study_id"], []))


def _citations(ids: list[str], tables: dict[str, pd.DataFrame], style: str) -> dict[str, str]:
    """Reference text per identifier (numbering dropped: each stands alone)."""
    if not ids:
        return {}
    items = csl_items(ids, tables)
    texts = format_references(items, style)
    if style == "apa":
        # APA lists alphabetically; match each reference back to its item by title.
        return {i["id"]: next((t for t in texts if i["title"] in t), "") for i in items}
    return {i["id"]: re.sub(r"^\d+\.\s*", "", t) for i, t in zip(items, texts)}


def _study_role(directions: set[str], kind: str, within_margin: bool) -> str:
    if "favours_acupuncture" in directions and "favours_comparator" in directions:
        return "neutral"
    if "favours_acupuncture" in directions:
        return "for"
    if "favours_comparator" in directions:
        return "against"
    if kind == "noninferior" and within_margin:
        return "for"
    return "neutral" if "no_difference" in directions else "unclear"


def _judge_part(comparator_class: str, direct: list[dict], ev: _Evidence, kind: str,
                add_on: bool = False) -> tuple[PartVerdict, dict[str, str]]:
    """Verdict for one comparator class from its direct rows; also each study's role."""
    name = comparator_class.replace("_", " ")
    design = f"added acupuncture to {name} and compared it with {name} alone" if add_on else f"compared acupuncture directly with {name}"
    if not direct:
        return PartVerdict(comparator_class, "insufficient_evidence", NO_EVIDENCE,
                           f"No study {design} for this outcome."), {}
    by_study: dict[str, list[dict]] = {}
    for row in direct:
        by_study.setdefault(row["study_id"], []).append(row)
    roles, grade = {}, {}
    for sid, rows in by_study.items():
        margin_ok = any(_within_margin(r, ev.vocab.margins) for r in rows)
        roles[sid] = _study_role({_row_direction(r) for r in rows}, kind, margin_ok)
        grades = [ev.certainty_of(r).grade for r in rows if ev.certainty_of(r)]
        grade[sid] = max(grades, key=_RANK.get) if grades else NO_EVIDENCE
    ids = {role: [s for s, r in roles.items() if r == role] for role in ("for", "against", "neutral", "unclear")}
    best = {role: max((grade[s] for s in sids), key=_RANK.get, default=NO_EVIDENCE) for role, sids in ids.items()}
    n_for, n_against = len(ids["for"]), len(ids["against"])

    def part(verdict: str, certainty: str, reason: str) -> tuple[PartVerdict, dict[str, str]]:
        return PartVerdict(comparator_class, verdict, certainty, reason), roles

    count = f"{len(by_study)} stud{'y' if len(by_study) == 1 else 'ies'} {design}"
    if n_against and not n_for:
        if _RANK[best["against"]] >= _RANK["low"]:
            return part("contradicted", best["against"], f"{count}; the evidence ({_grade_words(best['against'])}) favours {name}.")
        return part("not_supported", best["against"], f"{count}; what there is favours {name}, at {_grade_words(best['against'])}.")
    if n_for and n_against:
        return part("not_supported", max(best["for"], best["against"], key=_RANK.get),
                    f"{count}; {n_for} favoured acupuncture and {n_against} favoured {name}: the results conflict.")
    if n_for:
        level = _RANK[best["for"]]
        if level >= _RANK["moderate"] and not ids["neutral"]:
            return part("supported", best["for"], f"{count}; the evidence ({_grade_words(best['for'])}) agrees with the claim.")
        if level >= _RANK[NOT_GRADED]:
            extra = f", while {len(ids['neutral'])} found no difference" if ids["neutral"] else ""
            return part("partly_supported", best["for"],
                        f"{count}; {n_for} favoured acupuncture{extra}, but only {_grade_words(best['for'])}.")
        return part("insufficient_evidence", best["for"],
                    f"{count}; {n_for} favoured acupuncture, but the certainty is very low (small or unverified studies).")
    if ids["neutral"]:
        why = ("a non-significant difference does not show that acupuncture is as good"
               if kind == "noninferior" else "no difference between the treatments was found")
        return part("not_supported", best["neutral"], f"{count}; {why}.")
    return part("insufficient_evidence", best["unclear"], f"{count}, but no result states which treatment did better.")


def _combine(parts: list[PartVerdict]) -> str:
    verdicts = [p.verdict for p in parts]
    if verdicts and all(v == "supported" for v in verdicts):
        return "supported"
    if "contradicted" in verdicts:
        return "contradicted"
    if "supported" in verdicts or "partly_supported" in verdicts:
        return "partly_supported"
    if "not_supported" in verdicts:
        return "not_supported"
    return "insufficient_evidence"


_PHRASES = {
    "superior": "works better than", "noninferior": "is at least as effective as",
    "safer": "has fewer side effects than", "recommended": "is recommended for sciatica",
    "first_line": "is recommended as the first treatment for sciatica",
}


_HEDGED = {"superior": "may be better than", "noninferior": "may be at least as good as",
           "safer": "may have fewer side effects than"}


def _check_comparison(parsed: ParsedClaim, tables, vocab: Vocabulary, style: str) -> ClaimVerdict:
    ev = _Evidence(parsed, tables, vocab, style)
    caveats: list[str] = []
    direct, context = [], []
    for row in ev.rows:
        if ev.retracted(row):
            context.append(ev.item(row, "Retracted: shown for completeness, never counted."))
            caveats.append(f"{row['label']} is retracted and was not counted.")
        elif (row["design_kind"] == ("add_on" if parsed.add_on else "head_to_head") and row["design_group"] in _DIRECT_DESIGNS
              and row["comparator_class"] != "none"):
            direct.append(row)
        else:
            context.append(ev.item(row, _context_reason(row, parsed.add_on)))
    parts, roles = [], {}
    for cls in parsed.comparator_classes:
        verdict, part_roles = _judge_part(cls, [r for r in direct if r["comparator_class"] == cls], ev, parsed.kind, parsed.add_on)
        parts.append(verdict)
        roles.update({(cls, sid): role for sid, role in part_roles.items()})
    buckets: dict[str, list[EvidenceItem]] = {"for": [], "against": [], "neutral": []}
    sides: dict[str, list[dict]] = {"for": [], "against": [], "neutral": []}
    for row in direct:
        role = roles[(row["comparator_class"], row["study_id"])]
        direction = _row_direction(row)
        row_role = {"favours_acupuncture": "for", "favours_comparator": "against"}.get(direction, "neutral")
        if role == "for" and row_role == "neutral" and parsed.kind == "noninferior" and _within_margin(row, vocab.margins):
            row_role = "for"
        why = {"for": "Favours acupuncture.", "against": f"Favours {row['comparator_class'].replace('_', ' ')}.",
               "neutral": "No difference shown, or the direction is not stated."}[row_role]
        if row["outcome"] in vocab.surrogates:
            why += " Outcome is an investigator-judged response rate (indirect)."
        buckets[row_role].append(ev.item(row, why))
        sides[row_role].append(row)
    verdict = _combine(parts)
    caveats += _caveats(direct, vocab)
    certainty, certainty_reasons = _overall_certainty(verdict, sides, ev)
    reasons = [f"{p.comparator_class.replace('_', ' ')}: {p.reason}" for p in parts]
    if context:
        other = "direct comparisons, " if parsed.add_on else "add-on designs, "
        reasons.append(f"{len(context)} further result(s) answer a different question for this claim ({other}packages, "
                       "single-arm or cross-study data) and are shown as context only.")
    wording = _wording(parsed, verdict, parts, certainty)
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict=verdict, certainty=certainty, certainty_reasons=certainty_reasons,
        reasons=reasons, supported_wording=wording, caveats=list(dict.fromkeys(caveats)), parts=parts,
        evidence_for=buckets["for"], evidence_against=buckets["against"], evidence_neutral=buckets["neutral"],
        context=context, guidelines=[], citations=ev.citations,
    )


def _caveats(direct: list[dict], vocab: Vocabulary) -> list[str]:
    out = []
    unverified = sorted({r["label"] for r in direct if not r["verified"]})
    if unverified:
        out.append(f"Not verified against a source page: {', '.join(unverified)}.")
    no_pmid = sorted({r["label"] for r in direct if not r["pmid"]})
    if no_pmid:
        out.append(f"No PMID found (cannot be checked on PubMed): {', '.join(no_pmid)}.")
    if any(r["outcome"] in vocab.surrogates for r in direct):
        out.append("Some results use an investigator-judged 'effective rate', not a validated patient-reported outcome.")
    if any(r["design_group"] == "review" for r in direct):
        out.append("Review-level pooled estimates are shown as reported; their certainty is not graded here "
                   "(see each review's own assessment).")
    return out


def _overall_certainty(verdict: str, sides: dict[str, list[dict]], ev: _Evidence) -> tuple[str, list[str]]:
    """The best certainty among the direct rows the verdict rests on, with that group's reasons.

    ``sides`` holds the direct rows by role (for, against, neutral). A verdict for the claim rests
    on the rows for it, a contradiction on the rows against it, any other verdict on all of them.
    """
    side = {"supported": "for", "partly_supported": "for", "contradicted": "against"}.get(verdict)
    rows = sides[side] if side else [r for rs in sides.values() for r in rs]
    graded = [ev.certainty_of(r) for r in rows if ev.certainty_of(r)]
    if not graded:
        return NO_EVIDENCE, ["No direct comparison matches the claim."]
    best = max(graded, key=lambda c: _RANK[c.grade])
    return best.grade, list(best.reasons)


def _names(classes) -> str:
    names = [c.replace("_", " ") for c in classes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _wording(parsed: ParsedClaim, verdict: str, parts: list[PartVerdict], certainty: str) -> str:
    subject = "Acupuncture" if parsed.intervention == "acupuncture" else parsed.intervention.replace("_", " ").capitalize()
    if parsed.add_on:
        # "Adding acupuncture to nerve block works better than nerve block (alone)".
        subject = f"Adding {subject.lower()} to {_names(parsed.comparator_classes)}"
    phrase = _PHRASES[parsed.kind]
    outcome = " and ".join(f.replace("_", " ") for f in parsed.outcome_families)
    leaning = [p.comparator_class for p in parts if p.verdict in ("supported", "partly_supported")]
    missing = [p.comparator_class for p in parts if p.verdict == "insufficient_evidence"]
    against = [p.comparator_class for p in parts if p.verdict in ("contradicted", "not_supported")]
    if verdict == "supported":
        text = f"{certainty.capitalize()}-certainty evidence shows that {subject.lower()} {phrase} {_names(parsed.comparator_classes)} ({outcome})."
    elif verdict == "partly_supported":
        text = (f"Limited evidence ({_grade_words(certainty)}) suggests {subject.lower()} {_HEDGED[parsed.kind]} {_names(leaning)} "
                f"({outcome}); further research could well change this.")
    elif verdict == "contradicted":
        text = f"The evidence does not back this: studies of at least low certainty favour {_names(against)} over {subject.lower()} ({outcome})."
    elif verdict == "not_supported":
        text = f"The evidence does not show that {subject.lower()} {phrase} {_names(against or parsed.comparator_classes)} ({outcome})."
    else:
        text = f"There is too little direct evidence to say whether {subject.lower()} {phrase} {_names(parsed.comparator_classes)} ({outcome})."
    if missing and verdict != "insufficient_evidence":
        text += f" Too little direct evidence on {_names(missing)} to say."
    return text


# ------------------------------------------------------------------------------------ guidelines


def _acupuncture_statement(notes: str, vocab: Vocabulary) -> tuple[str, str]:
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
    # No label: the first sentence about acupuncture that states a position.
    for sentence in re.split(r"(?<=[.;])\s+", notes):
        if re.search(r"acupuncture", sentence, re.IGNORECASE):
            for stance in _STANCES:
                if any(p.search(sentence) for p in stances[stance]):
                    return stance, sentence.strip()
    return "not_seen", ""


def _check_recommendation(parsed: ParsedClaim, tables, vocab: Vocabulary, style: str) -> ClaimVerdict:
    studies = tables["studies"]
    rows = [{k: _value(v) for k, v in r.items()}
            for r in studies[studies["design"] == "guideline"].astype(object).to_dict("records")]
    ids = [r["pmid"] or r["study_id"] for r in rows]
    citations = _citations(ids, tables, style)
    flags = correction_flags(ids, tables)
    items = []
    for r in rows:
        stance, statement = _acupuncture_statement(r["notes"] or "", vocab)
        described = f"{r['population'] or ''} {statement}"
        in_scope = (any(p.search(r["population"] or "") for p in vocab.guidelines["sciatica_scope"])
                    and not any(p.search(described + " " + (r["notes"] or "")) for p in vocab.guidelines["outside_scope"]))
        cid = r["pmid"] or r["study_id"]
        items.append(GuidelineItem(
            study_id=r["study_id"], pmid=r["pmid"], title=r["title"], year=r["year"], stance=stance,
            scope="sciatica" if in_scope else "low_back_pain_general", statement=statement,
            verified=bool(r["verified"]), citation=citations.get(cid, ""), flags=[f.marker for f in flags.get(cid, [])],
        ))
    scoped = [g for g in items if g.scope == "sciatica"]
    against = [g for g in scoped if g.stance == "against"]
    first = [g for g in scoped if g.stance == "first_line"]
    favour = [g for g in scoped if g.stance in ("for", "first_line")]
    general_for = [g for g in items if g.scope != "sciatica" and g.stance in ("for", "first_line")]
    wanted = first if parsed.kind == "first_line" else favour

    def named(gs):
        return "; ".join(f"{g.title} ({g.year or 'year not stated'})" for g in gs)

    reasons = []
    if against and wanted:
        verdict = "not_supported"
        reasons.append(f"Guidelines covering sciatica disagree: against acupuncture: {named(against)}; for: {named(wanted)}.")
    elif against:
        verdict = "contradicted"
        reasons.append(f"Guidelines covering sciatica recommend against acupuncture: {named(against)}.")
    elif wanted:
        verdict = "supported"
        reasons.append(f"Guidelines covering sciatica recommend acupuncture{' first' if parsed.kind == 'first_line' else ''}: {named(wanted)}.")
    elif favour:
        verdict = "partly_supported"
        reasons.append(f"Guidelines covering sciatica list acupuncture as an option, not as the first treatment: {named(favour)}.")
    else:
        verdict = "insufficient_evidence"
        reasons.append("No guideline in the tables states a recommendation on acupuncture for sciatica.")
    if general_for:
        reasons.append(f"Guidelines for low back pain in general (not sciatica) that recommend acupuncture, as context only: {named(general_for)}.")
    silent = [g for g in scoped if g.stance == "no_recommendation"]
    if silent:
        reasons.append(f"Guidelines covering sciatica that make no recommendation on acupuncture: {named(silent)}.")
    unseen = [g for g in items if g.stance == "not_seen"]
    if unseen:
        reasons.append(f"{len(unseen)} guideline(s) whose acupuncture recommendation was not seen: {named(unseen)}.")
    caveats = [f"Not verified against the guideline's own page (wording from secondary sources): {g.title}."
               for g in against + wanted if not g.verified]
    subject = "acupuncture" if parsed.intervention == "acupuncture" else parsed.intervention.replace("_", " ")
    wording = {
        "contradicted": (f"Guidelines that cover sciatica recommend against {subject} ({named(against)}), so it cannot "
                         "be presented as a recommended or first treatment."),
        "not_supported": f"Guidelines disagree on {subject} for sciatica; it cannot be called the treatment of choice.",
        "supported": f"Guidelines covering sciatica recommend {subject}{' as a first treatment' if parsed.kind == 'first_line' else ''}.",
        "partly_supported": f"Some guidelines list {subject} as one option for sciatica, not as the first treatment.",
        "insufficient_evidence": f"No guideline found here recommends {subject} for sciatica; a recommendation claim cannot be backed.",
    }[verdict]
    return ClaimVerdict(
        claim=parsed.text, parsed=parsed, verdict=verdict, certainty=NOT_GRADED,
        certainty_reasons=["A recommendation claim rests on guidelines, which grade their own recommendations; "
                           "see each guideline's statement."],
        reasons=reasons, supported_wording=wording, caveats=caveats, parts=[], evidence_for=[], evidence_against=[],
        evidence_neutral=[], context=[], guidelines=items, citations=citations,
    )
