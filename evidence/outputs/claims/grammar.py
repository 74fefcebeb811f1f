"""The claim grammar: a health claim in plain words -> what it says, in the topic's terms.

The words live in the topic file's ``[claims]`` section, not in code. A claim is read into:

* the **intervention** (acupuncture, or one form such as electroacupuncture);
* the **comparators** (each mapped to comparator classes: "injections" = nerve block + epidural
  steroid injection + other injection), with a **drug subclass** when one is named (NSAIDs,
  opioids, gabapentinoids, steroids);
* the **subject**: which side the claim says is better. "Yoga is better than acupuncture" names
  acupuncture as the comparator, so the claim is **reversed** and is judged in that direction.
  The side after a comparison marker ("than", "compared with", "as", "versus") is the object;
  "worse than", "less effective", "riskier" and the passive "outperformed by" turn the reading
  round once more;
* the **outcome family** (pain, function, adverse events; "effectiveness" when none is named);
* the **claim kinds** (:data:`CLAIM_KINDS`) and the **certainty words** ("proven", "guaranteed",
  "100%"), which the checker turns into verdict rules;
* a **named body** for recommendation claims ("NICE recommends ...");
* **negation** ("does not work"): the positive claim is judged and the verdict turned round;
* **universal** claims ("outperforms all other treatments", "the best treatment", or a comparator
  label marked ``universal`` such as "other treatments"): every comparator class must hold.

A claim that names no acupuncture but another treatment ("Epidural injections work better than
drugs") is out of the topic's scope and raises :class:`~evidence.errors.ClaimError`. A claim that
names no treatment at all ("Six to ten sessions are needed") is read as a claim about acupuncture.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...synthesize.certainty import CertaintyRules
from ...errors import ClaimError, TopicError
from ..labels import other_outcome_name
from ...topic.literals import Searcher
from ...topic.matcher import Classes, claim, vocabulary
from ...topic.model import Topic

KINDS = ("superior", "noninferior", "safer", "recommended", "first_line", "safe", "no_data")
"""The test a claim calls for. ``safe`` is an absolute safety claim (no comparator); ``no_data``
is a claim kind the evidence tables cannot hold (cost, number of sessions)."""
CLAIM_KINDS = ("efficacy", "comparative_efficacy", "safety", "durability", "cure", "dose", "cost", "recommendation")
"""What a claim is about; a claim can be several ("long-term relief better than injections")."""
NO_DATA_KINDS = ("cost", "dose")
"""Claim kinds with no column in the evidence tables: answered *insufficient evidence* with the reason."""

# A comparison marker just before a treatment makes that treatment the object of the claim.
_OBJECT_MARKER = re.compile(
    r"(?:\bthan|\bcompared (?:with|to)|\bversus|\bvs\.?|\bover|\binstead of|\brather than|\bas|\bagainst|\bto)"
    r"\s+(?:[\w'-]+\s+){0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """A topic's claim grammar: its ``[claims]`` section over the shared vocabularies, compiled.

    The intervention's forms, the generic words for it and the comparator classes are the
    topic's ``[vocab]`` (:func:`evidence.topic.matcher.vocabulary`), the same the extractor
    reads; ``[claims]`` adds only what claims need beyond them: the words a claim uses and an
    abstract does not ("jabs", "painkillers"), and labels that stand for several classes
    ("injections", "other treatments").
    """

    negation: tuple[re.Pattern, ...]
    add_on: tuple[re.Pattern, ...]
    generic: Classes
    """Words naming the intervention in general (one class, ``generic``)."""
    forms: Classes
    """The intervention's named forms."""
    comparators: dict[str, tuple[tuple[Searcher, ...], tuple[str, ...]]]
    """Claim label -> (its searchers, the comparator classes it stands for), in claiming order."""
    outcomes: dict[str, tuple[tuple[re.Pattern, ...], tuple[str, ...]]]
    surrogates: frozenset[str]
    strengths: dict[str, dict]
    margins: dict
    guidelines: dict
    intervention_name: str
    """The topic's intervention as a sentence names it (the topic file's ``intervention``)."""
    certainty_rules: CertaintyRules
    """The topic's rules for direct evidence (:attr:`evidence.topic.model.Topic.certainty_rules`)."""
    kinds: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    certainty_words: tuple[re.Pattern, ...] = ()
    passive: tuple[re.Pattern, ...] = ()
    drug_subclasses: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    bodies: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    kind_studies: dict[str, tuple[re.Pattern, ...]] = field(default_factory=dict)
    long_term_weeks: float = 26.0
    cure_outcomes: tuple[str, ...] = ()
    form_names: dict[str, str] = field(default_factory=dict)
    general_forms: tuple[str, ...] = ()
    """The forms that stand for the intervention in general: the default form generic words mean,
    and the form recorded when a study does not say which (``[vocab]`` ``intervention_default``,
    ``intervention_unspecified``). A finding with no form is named as the last of them."""
    universal: tuple[re.Pattern, ...] = ()
    universal_labels: frozenset[str] = frozenset()
    outcome_names: dict[str, str] = field(default_factory=dict)
    tables: dict[str, Classes] = field(default_factory=dict)
    """The strength, comparator and outcome labels as searchable classes, in claiming order."""

    def form_name(self, form: str | None) -> str:
        """A reader's name for a form label (``acupotomy`` -> 'acupotomy (needle-knife)', from the topic's
        ``[claims.form_names]``, else the label with spaces); a finding with no form is the intervention,
        form not stated."""
        if not form:
            unstated = self.general_forms[-1] if self.general_forms else None
            return self.form_names.get(unstated, self.intervention_name) if unstated else self.intervention_name
        return self.form_names.get(form, form.replace("_", " "))

    def outcome_name(self, code: str | None) -> str:
        """A reader's name for an outcome code ("odi" -> "Oswestry Disability Index")."""
        if not code:
            return "outcome not stated"
        if code not in self.outcome_names and (other := other_outcome_name(code)) is not None:
            return other
        return self.outcome_names.get(code, code.replace("_", " "))

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
            grammar = claims.get("grammar", {})
            shared = vocabulary(topic)
            comparators = {k: (_label_searchers(v, shared.comparator_class), tuple(v["classes"]))
                           for k, v in claims["comparator"].items()}
            return cls(
                negation=_compile(claims.get("negation", [])),
                add_on=_compile(claims.get("add_on", [])),
                generic=_generic(claims, shared.generic_intervention, shared.interventions),
                intervention_name=topic.intervention,
                certainty_rules=topic.certainty_rules,
                forms=_forms(claims, shared.interventions, topic.name),
                comparators=comparators,
                outcomes={k: (_compile(v["patterns"]), tuple(v["outcomes"])) for k, v in claims["outcome"].items()},
                surrogates=frozenset(s for v in claims["outcome"].values() for s in v.get("surrogate", [])),
                strengths={k: {**v, "patterns": _compile(v["patterns"])} for k, v in claims["strength"].items()},
                margins=claims.get("margins", {}),
                guidelines={**claims["guidelines"], "stance": {k: _compile(v) for k, v in claims["guidelines"]["stance"].items()},
                            "condition_scope": _compile(claims["guidelines"]["condition_scope"]),
                            "outside_scope": _compile(claims["guidelines"]["outside_scope"])},
                kinds={k: _compile(v) for k, v in claims.get("kinds", {}).items()},
                certainty_words=_compile(grammar.get("certainty_words", [])),
                passive=_compile(grammar.get("passive", [])),
                drug_subclasses={k: _compile(v) for k, v in claims.get("drug_subclass", {}).items()},
                bodies={k: _compile(v) for k, v in claims.get("bodies", {}).items()},
                kind_studies={k: _compile(v) for k, v in claims.get("kind_studies", {}).items()},
                long_term_weeks=float(grammar.get("long_term_weeks", 26.0)),
                cure_outcomes=tuple(grammar.get("cure_outcomes", [])),
                form_names=dict(claims.get("form_names", {})),
                general_forms=tuple(dict.fromkeys(str(f) for f in (topic.section("vocab").get("intervention_default"),
                                                                   topic.section("vocab").get("intervention_unspecified")) if f)),
                universal=_compile(grammar.get("universal", [])),
                universal_labels=frozenset(k for k, v in claims["comparator"].items() if v.get("universal")),
                outcome_names=topic.outcome_labels(),
                tables={"strength": _table({k: (_compile(v["patterns"]),) for k, v in claims["strength"].items()}),
                        "comparator": _table(comparators),
                        "outcome": _table({k: (_compile(v["patterns"]),) for k, v in claims["outcome"].items()})},
            )
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise TopicError(f"topic {topic.name}: malformed [claims] section ({exc})") from exc


def _compile(patterns) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _searchers(patterns) -> tuple[Searcher, ...]:
    return tuple(Searcher(p) for p in _compile(patterns))


def _forms(claims: dict, shared: Classes, topic_name: str) -> Classes:
    """The forms a claim can name: the shared forms, each with the words only claims use
    (``[claims.intervention]``), less the forms a claim reads as the intervention in general."""
    extra, generic = claims.get("intervention", {}), set(claims.get("generic_forms", []))
    unknown = set(extra) - {label for label, _, _ in shared}
    if unknown:
        raise TopicError(f"topic {topic_name}: [claims.intervention] names forms [vocab.intervention] lacks: "
                         f"{', '.join(sorted(unknown))}")
    return tuple((label, _searchers(extra.get(label, [])) + searchers, None)
                 for label, searchers, _gate in shared if label not in generic)


def _generic(claims: dict, shared_generic: Classes, forms: Classes) -> Classes:
    """Words naming the intervention in general: the claim's own, the shared ones, and the words
    of the forms a claim reads as the intervention in general (``generic_forms``)."""
    generic = set(claims.get("generic_forms", []))
    searchers = _searchers(claims.get("intervention_generic", [])) + tuple(
        s for _label, group, _gate in shared_generic + tuple(f for f in forms if f[0] in generic) for s in group)
    return (("generic", searchers, None),)


def _label_searchers(entry: dict, class_searchers) -> tuple[Searcher, ...]:
    """A claim label's words: its own, and when it stands for one comparator class, that class's words."""
    classes = list(entry["classes"])
    own = _searchers(entry.get("patterns", []))
    return own + (class_searchers(classes[0]) if len(classes) == 1 else ())


def _find(text: str, table: Classes, claimed: list[tuple[int, int]]) -> list[tuple[str, str, int]]:
    """(label, matched words, start) in table order; a matched span is claimed, later labels skip it."""
    return [(m.label, m.text, m.start) for m in claim(text, "claim", table, claimed)]


def _table(labels: dict[str, tuple]) -> Classes:
    """Claim labels (label -> (compiled patterns or searchers, ...)) as classes for :func:`_find`."""
    return tuple((label, tuple(p if isinstance(p, Searcher) else Searcher(p) for p in value[0]), None)
                 for label, value in labels.items())


def _matches(text: str, patterns) -> list[str]:
    return [m.group(0) for p in patterns for m in p.finditer(text)]


@dataclass(frozen=True)
class ParsedClaim:
    """What a claim says, in the topic's terms.

    Attributes
    ----------
    text:
        The claim as given.
    intervention:
        The topic's intervention as a sentence names it ("acupuncture": any form), or the one form
        named (``electroacupuncture``); :attr:`any_form` tells which.
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
    matched:
        The words that decided each slot, so a reader can see how the claim was read.
    add_on:
        The claim is about acupuncture added to the comparator, against the comparator alone.
    subject:
        The side the claim says is better or safer: ``acupuncture`` (or the form), or the
        comparator words ("yoga") when the claim is reversed.
    reversed:
        Acupuncture is the comparator: the claim is judged for the other treatment.
    claim_kinds:
        What the claim is about (:data:`CLAIM_KINDS`).
    certainty_words:
        Words that claim certainty ("proven", "guaranteed", "100%").
    drug_subclass:
        The drug subclass named (``nsaid``, ``opioid``, ``gabapentinoid``, ``steroid``), if any.
    bodies:
        Bodies named as recommending (``NICE``, ``WHO``, ...).
    negated:
        The claim is negated ("does not work"): the positive claim is judged and turned round.
    assumed_intervention:
        The claim names no treatment; it was read as a claim about acupuncture.
    universal:
        The claim is about every comparator class in scope ("outperforms all other treatments",
        "the best treatment", "at least as effective as other treatments"): each must hold.
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
    subject: str = ""
    reversed: bool = False
    claim_kinds: tuple[str, ...] = ()
    certainty_words: tuple[str, ...] = ()
    drug_subclass: str | None = None
    bodies: tuple[str, ...] = ()
    negated: bool = False
    assumed_intervention: bool = False
    universal: bool = False

    @property
    def any_form(self) -> bool:
        """The claim is about the intervention in general, not one form of it (it names none, or several)."""
        return len(self.forms) != 1


def parse_claim(text: str, topic: Topic, vocabulary: Vocabulary | None = None) -> ParsedClaim:
    """Read a claim into intervention, comparators, outcomes, direction, kinds and strength.

    Raises
    ------
    ClaimError
        The claim is empty, or it names another treatment but no acupuncture (out of scope).
    """
    vocab = vocabulary or Vocabulary.from_topic(topic)
    if not text or not text.strip():
        raise ClaimError("the claim is empty")
    text = " ".join(text.split())
    kinds_found = {k: _matches(text, ps) for k, ps in vocab.kinds.items()}
    kinds_found = {k: v for k, v in kinds_found.items() if v}
    # "No side effects" and "never causes harm" are safety claims, not negations.
    unsafe_words = re.compile("|".join(re.escape(w) for w in kinds_found.get("absolute_safety", [])) or r"(?!)", re.IGNORECASE)
    negated_words = _matches(unsafe_words.sub(" ", text), vocab.negation)
    claimed: list[tuple[int, int]] = []
    forms = _find(text, vocab.forms, claimed)
    generic = _find(text, vocab.generic, claimed)
    strengths = _find(text, vocab.tables["strength"], claimed)
    comparators = _find(text, vocab.tables["comparator"], claimed)
    outcomes = _find(text, vocab.tables["outcome"], list(claimed))
    assumed = False
    if not forms and not generic:
        if comparators:
            name = vocab.intervention_name
            raise ClaimError(f"the claim names no {name} (or form of it), only other treatments; this checker "
                             f"reads claims about {name}, e.g. '{name} is better than {comparators[0][1].lower()}'")
        assumed = True
    bodies = tuple(k for k, ps in vocab.bodies.items() if any(p.search(text) for p in ps))
    certainty_words = tuple(dict.fromkeys(_matches(text, vocab.certainty_words)))
    universal_words = _matches(text, vocab.universal)
    spec, strength = _strength(strengths, kinds_found, comparators, bodies, vocab, bool(certainty_words))
    comparator_labels = list(dict.fromkeys(label for label, _, _ in comparators))
    if spec["kind"] == "safe":
        comparator_labels = []  # "without drugs or side effects": no comparison is claimed
    add_on = any(p.search(text) for p in vocab.add_on) and bool(comparators)
    if add_on:
        # "Added to epidural injections ... than the injection alone": the general word points
        # back at the treatment named, so a label covering another one's classes is dropped.
        sets = {label: set(vocab.comparators[label][1]) for label in comparator_labels}
        comparator_labels = [a for a in comparator_labels if not any(sets[b] < sets[a] for b in comparator_labels)]
    if not comparator_labels and spec.get("comparator"):
        comparator_labels = [spec["comparator"]]
    families = list(dict.fromkeys(label for label, _, _ in outcomes))
    if spec.get("outcome"):
        # A strength that implies its outcome ("fewer side effects") decides it; otherwise the
        # outcomes named, else the strength's default.
        families = [spec["outcome"]] if spec["kind"] in ("safer", "safe") or not families else families
    classes = tuple(dict.fromkeys(c for label in comparator_labels for c in vocab.comparators[label][1]))
    outcome_labels = tuple(dict.fromkeys(o for fam in families for o in vocab.outcomes[fam][1]))
    form_names = tuple(dict.fromkeys(label for label, _, _ in forms))
    intervention = form_names[0] if len(form_names) == 1 else vocab.intervention_name
    is_reversed = _reversed(text, forms + generic, comparators, strengths, spec, vocab)
    subject = intervention.replace("_", " ")
    if is_reversed:
        subject = comparators[0][1] if comparators else "the other treatment"
    return ParsedClaim(
        text=text, intervention=intervention, forms=form_names,
        comparators=tuple(comparator_labels), comparator_classes=classes, outcome_families=tuple(families),
        outcomes=outcome_labels, strength=strength, kind=spec["kind"],
        add_on=add_on and not is_reversed,
        matched={"intervention": [w for _, w, _ in forms + generic], "strength": [w for _, w, _ in strengths],
                 "comparator": [w for _, w, _ in comparators], "outcome": [w for _, w, _ in outcomes],
                 **{f"kind:{k}": v for k, v in kinds_found.items()}, "negation": negated_words,
                 **({"universal": universal_words} if universal_words else {})},
        subject=subject, reversed=is_reversed,
        claim_kinds=_claim_kinds(spec["kind"], kinds_found, bool(comparators)),
        certainty_words=certainty_words,
        drug_subclass=_drug_subclass(comparators, vocab),
        bodies=bodies, negated=bool(negated_words), assumed_intervention=assumed,
        universal=spec["kind"] in ("superior", "noninferior", "safer") and not add_on and (
            bool(universal_words) or any(label in vocab.universal_labels for label, _, _ in comparators)),
    )


def _strength(strengths, kinds_found: dict, comparators, bodies, vocab: Vocabulary, certain: bool) -> tuple[dict, str]:
    """The strength spec that decides the test, from the strength words and the claim kinds."""
    no_data = [k for k in NO_DATA_KINDS if k in kinds_found]
    if no_data:
        # Cost and sessions are never in the evidence tables, whatever else the claim says.
        return {"kind": "no_data", "comparator": None, "outcome": "effectiveness"}, no_data[0]
    if strengths:
        label = strengths[0][0]
        spec = vocab.strengths[label]
        # "Treats sciatica without side effects": a plain effect word does not outrank a claim of no risk.
        # A plain effect word is a claim against the topic's blinded control (sham), whatever its label.
        against = vocab.comparators.get(spec.get("comparator") or "", ((), ()))[1]
        plain_effect = (spec["kind"] == "superior" and bool(against)
                        and set(against) <= set(vocab.certainty_rules.blinded_controls))
        if "absolute_safety" in kinds_found and plain_effect:
            return {"kind": "safe", "comparator": None, "outcome": "adverse_events"}, "safe"
        if spec["kind"] == "recommended" or not bodies or spec["kind"] == "first_line":
            return spec, label
    if bodies:
        return {"kind": "recommended", "comparator": None}, "recommended"
    if "absolute_safety" in kinds_found or ("safety" in kinds_found and not comparators):
        return {"kind": "safe", "comparator": None, "outcome": "adverse_events"}, "safe"
    if strengths:
        return vocab.strengths[strengths[0][0]], strengths[0][0]
    if kinds_found.keys() & {"durability", "cure", "safety"} or certain:
        # "Acupuncture cures sciatica", "lasting relief", "proven": an efficacy claim with a stronger word.
        fallback = "effective" if not comparators else "superior"
        return vocab.strengths[fallback], fallback
    raise ClaimError("the claim has no comparison, effect or recommendation word the checker knows "
                     "(e.g. 'better than', 'at least as effective as', 'relieves', 'fewer side effects', 'first choice')")


def _drug_subclass(comparators, vocab: Vocabulary) -> str | None:
    """The drug subclass named among the claim's drug comparators ("NSAIDs"), if any."""
    drug_words = " ".join(words for label, words, _ in comparators if "drug" in vocab.comparators[label][1])
    return next((k for k, ps in vocab.drug_subclasses.items() if any(p.search(drug_words) for p in ps)), None)


def _reversed(text: str, acupuncture, comparators, strengths, spec: dict, vocab: Vocabulary) -> bool:
    """True when the claim says the other treatment is better or safer than acupuncture."""
    if not acupuncture or not comparators or spec["kind"] not in ("superior", "noninferior", "safer"):
        return False
    first_acu = min(start for _, _, start in acupuncture)
    first_comp = min(start for _, _, start in comparators)
    acu_is_object = bool(_OBJECT_MARKER.search(text[:first_acu]))
    comp_is_object = bool(_OBJECT_MARKER.search(text[:first_comp]))
    if acu_is_object != comp_is_object:
        subject_is_comparator = acu_is_object
    else:
        subject_is_comparator = first_comp < first_acu
    inverse = bool(strengths) and bool(vocab.strengths[strengths[0][0]].get("inverse"))
    passive = any(p.search(text) for p in vocab.passive)
    return subject_is_comparator ^ inverse ^ passive


def _claim_kinds(kind: str, kinds_found: dict, has_comparator: bool) -> tuple[str, ...]:
    kinds = []
    if kind in ("superior", "noninferior"):
        kinds.append("comparative_efficacy" if has_comparator else "efficacy")
    if kind in ("safer", "safe") or kinds_found.keys() & {"safety", "absolute_safety"}:
        kinds.append("safety")
    if kind in ("recommended", "first_line"):
        kinds.append("recommendation")
    kinds += [k for k in ("durability", "cure", "dose", "cost") if k in kinds_found]
    return tuple(dict.fromkeys(kinds))
