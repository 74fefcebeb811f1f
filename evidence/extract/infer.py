"""Result direction: what an abstract says an intervention did to an outcome, against a comparator.

``infer_result(abstract, intervention=..., comparator=..., outcome=...)`` answers with one of
``"increased"``, ``"decreased"`` or ``"no_difference"`` (the outcome's value in the intervention
arm against the comparator arm, as the source reports it), or ``None`` when the abstract does not
say. The answer is explainable: it always carries the sentence that decided, its character span in
the abstract, the rule that fired and a confidence.

The engine is made of rules, in two steps:

1. **Which sentence.** Every sentence is scored by how much of the outcome's wording it holds
   (rarer words weigh more; an abbreviation of the outcome stands for its words), with a bonus
   for the arms' wording and for result sections, and a penalty for background and methods. The
   best-scored sentence that reports a result (a p-value, a CI, or words of difference or of no
   difference) decides; definitions and aims report none. A learned sentence selector
   (``evidence.extract.selector``, trained on Evidence Inference's evidence spans) reorders the
   sentences relevant enough to decide: each is tried in the order of its relevance plus
   ``SELECTOR_WEIGHT`` times the selector's probability that it reports the result.
2. **What it says.** Inside the clause of that sentence that names the outcome (the one naming
   the outcome's time point, when it names one): words or statistics of no difference give
   ``no_difference``; otherwise a direction word ("higher", "reduced", "blunted the rise", ...)
   gives the direction, turned round when the word is said of the comparator arm ("lower in the
   placebo group than in the drug group"), and read through the outcome's polarity where the
   word only says better or worse ("improved" pain is a decrease). With no direction word, a
   significant result is read from the values stated for each arm ("62% and 41% in the A and B
   groups"), else from an effect estimate and its interval, else, last of all and with low
   confidence, as the intervention's benefit ("differed significantly").

Arms are found by their own words, and by the names the abstract gives them: group labels
("Group 1 received ..."), defined abbreviations ("experimental group (EG)") and doses when the arms
differ only by dose.

The words the rules read live in ``evidence.extract.result_cues``; where a sentence names each arm is
``evidence.extract.arms``. Measured on Evidence Inference 2.0 prompts (``benchmarks/bench_extract.py``).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from . import result_cues as cues
from .arms import Arms, other_side
from .selector import Candidate, SentenceSelector, load_shipped
from ..errors import InputError
from .text import Sentence
from .text import split_block  # the sentence splitter spans everywhere rest on

LABELS = ("increased", "decreased", "no_difference")
_UNTESTED_MARGIN = 0.3  # relevance a tested statement may give up to win over an untested one
ENGINE = "rules-v1"


@dataclass(frozen=True)
class ResultStatement:
    """What an abstract says about one outcome, intervention against comparator.

    Attributes
    ----------
    label:
        ``"increased"``, ``"decreased"``, ``"no_difference"``, or ``None`` when the abstract does
        not say.
    sentence:
        The sentence that decided (``None`` only when no sentence mentions the outcome at all).
    start, end:
        Its character span: ``abstract[start:end] == sentence``.
    rule:
        The rule that decided (``"<engine>:<rule>"``).
    confidence:
        A rough probability that the label is right, from the rule's accuracy on development
        data and how well the sentence matches the outcome.
    estimate, ci_low, ci_high, p_value, p_value_text:
        Numbers stated in the deciding clause, when there are any. ``p_value`` holds an exact
        p-value; ``p_value_text`` keeps bounds as written ("<0.001").
    """

    label: str | None
    sentence: str | None
    start: int | None
    end: int | None
    rule: str
    confidence: float
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_value_text: str | None = None

    def to_dict(self) -> dict:
        """The statement as a plain dict (for JSON), marked as machine-extracted."""
        return {**asdict(self), "machine_extracted": True}


# --- sentences --------------------------------------------------------------------------------

# A heading on its own line ("ABSTRACT.RESULTS:", "TITLE:") or leading a paragraph ("RESULTS: ").
_HEADING_LINE = re.compile(r"(?:ABSTRACT\.)?([A-Z][A-Z &/,()-]{1,60}):+\s*$")
_HEADING_LEAD = re.compile(r"(?:ABSTRACT\.)?([A-Z][A-Z &/,-]{2,60}):\s+")


def _sentences(text: str) -> list[Sentence]:
    """Sentences with spans into ``text``; each carries the heading it sits under."""
    out: list[Sentence] = []
    section = ""
    # A line break before a lower-case word is a hard wrap inside a paragraph, not a new block.
    for line in re.finditer(r"[^\n]+(?:\n(?=[a-z])[^\n]+)*", text):
        start, end = line.start(), line.end()
        heading = _HEADING_LINE.fullmatch(line.group().strip())
        if heading:
            section = heading.group(1).strip()
            continue
        lead = _HEADING_LEAD.match(text, start, end)
        if lead:
            section, start = lead.group(1).strip(), lead.end()
        elif section == "TITLE" and out and out[-1].section == "TITLE":
            # A title is one paragraph: an abstract with no headings of its own follows it.
            section = ""
        out.extend(split_block(text, start, end, section))
    return out


_ALPHA = 0.05


def infer_result(abstract: str, *, intervention: str, comparator: str, outcome: str,
                 lower_is_better: bool | None = None,
                 selector: SentenceSelector | None | str = "shipped") -> ResultStatement:
    """What an abstract reports for ``outcome``, ``intervention`` against ``comparator``.

    Parameters
    ----------
    abstract:
        The abstract (optionally with its title first); section headings such as ``RESULTS:``
        are recognised, as on their own line or leading a paragraph.
    intervention, comparator, outcome:
        Short descriptions, in the abstract's own words where possible.
    lower_is_better:
        The outcome's polarity, used to read words that only say better or worse ("improved");
        when ``None`` it is guessed from the outcome's words (pain, mortality: lower is better).
    selector:
        The learned sentence selector that reorders candidate sentences (see
        ``evidence.extract.selector``): ``"shipped"`` for the package's own weights, ``None`` for
        the rules' relevance order alone, or a trained ``SentenceSelector``.

    Returns
    -------
    ResultStatement
        ``label`` is ``"increased"``/``"decreased"`` (the outcome in the intervention arm against
        the comparator arm) or ``"no_difference"``, or ``None`` when no sentence reports a result
        for the outcome. ``abstract[statement.start:statement.end] == statement.sentence``.

    Examples
    --------
    >>> s = infer_result("RESULTS: Pain fell more with acupuncture than with sham (P = 0.01).",
    ...                  intervention="acupuncture", comparator="sham", outcome="pain")
    >>> s.label, s.sentence[:9]
    ('decreased', 'Pain fell')
    """
    sentences = _sentences(abstract)
    outcome_terms = cues.outcome_terms(outcome, abstract)
    arms = Arms(intervention, comparator, abstract, outcome)
    lower_better = _lower_is_better(outcome) if lower_is_better is None else lower_is_better
    # A sentence naming an abbreviation of the outcome ("PFS") holds the words it stands for.
    stands_for = cues.outcome_abbreviations(outcome_terms, outcome, abstract)
    bags = [_with_expansions(frozenset(cues.terms(s.text)), stands_for) for s in sentences]
    weights = _weights(outcome_terms, bags)
    numbers = _numbers_of(outcome)
    relevances = [_relevance(s, bag, outcome_terms, weights, arms, numbers) for s, bag in zip(sentences, bags)]
    decisions: dict[int, tuple | None] = {}

    def decide(i: int) -> tuple | None:
        if i not in decisions:
            decisions[i] = _decide(sentences[i], outcome, outcome_terms, arms, lower_better)
        return decisions[i]

    ranked = _rank(sentences, bags, relevances, weights, arms, selector, decide)
    best: tuple[float, Sentence] | None = None
    # A within-arm change ("lower than before treatment") decides only when no sentence of
    # nearly the same relevance compares the arms.
    within: tuple | None = None  # (score, sentence, decision, index)
    untested: tuple | None = None  # (score, sentence, decision, index)
    fallback: tuple[float, Sentence, tuple] | None = None  # a significant difference with no direction
    # The thresholds below read the rules' relevance; the selector only changes the order in
    # which sentences are tried.
    for _, i in ranked:
        score = relevances[i]
        if within and score < within[0] / 2:
            continue  # (in relevance order, this and every later sentence)
        sentence = sentences[i]
        best = best or (score, sentence)
        decided = decide(i)
        if decided is None:
            continue
        # "improved in both groups and did not differ (P = 0.35)" compares the arms after all.
        changed = decided[0] != "no_difference" or decided[1] == "change_in_both_arms"
        if changed and _is_within_arm(sentence.text[decided[2][0] : decided[2][1]], arms):
            within = within or (score, sentence, decided, i)
            continue
        if decided[1] == "significant_without_direction":
            fallback = fallback or (score, sentence, decided)
            continue
        if decided[1].endswith("_untested"):
            # A direction with no test behind it (often a conclusion) yields to a tested
            # statement about the outcome of nearly the same relevance.
            untested = untested or (score, sentence, decided, i)
            continue
        if untested and score < untested[0] - _UNTESTED_MARGIN:
            continue
        return _statement(sentence, score, decided)
    if untested:
        later = _arms_compared_after(sentences, untested[3], outcome, arms, lower_better)
        if later is not None:
            label, rule, span = later[1]
            return _statement(later[0], untested[0], (label, rule + "_after_untested_values", span))
        return _statement(untested[1], untested[0], untested[2])
    if fallback and not within:
        return _statement(fallback[1], fallback[0], fallback[2])
    return _undecided(sentences, best, within, outcome, arms, lower_better, [(relevances[i], i) for _, i in ranked])


_NUMBER_BONUS = 0.1
_MIN_RELEVANCE = 0.15  # below this a sentence barely names the outcome: never a candidate
SELECTOR_WEIGHT = 2.0
"""How much the selector's probability adds to a sentence's rule relevance when ranking."""
_SHIPPED = load_shipped()


def _rank(sentences: list[Sentence], bags: list[frozenset[str]], relevances: list[float], weights: dict[str, float],
          arms: Arms, selector: SentenceSelector | None | str, decide: Callable[[int], tuple | None]) -> list[tuple[float, int]]:
    """(score, index) of the candidate sentences, best first: the rules' relevance, plus the
    selector's probability that the sentence reports the result when a selector is used."""
    chosen = _SHIPPED if selector == "shipped" else selector
    above = sum(r > _MIN_RELEVANCE for r in relevances)
    # One candidate has no order to choose: skip the selector's features (classify asks about one
    # sentence per finding, so this is most of its calls).
    if not isinstance(chosen, SentenceSelector) or above < 2:
        scored = [(r, i) for i, r in enumerate(relevances) if r > _MIN_RELEVANCE]
    else:
        candidates = _candidates(sentences, bags, relevances, weights, arms, decide)
        chances = chosen.probabilities([(sentences[i], c) for i, c in candidates])
        scored = [(relevances[i] + SELECTOR_WEIGHT * float(p), i) for (i, _), p in zip(candidates, chances)]
    return sorted(scored, key=lambda t: (-t[0], t[1]))


def _candidates(sentences: list[Sentence], bags: list[frozenset[str]], relevances: list[float], weights: dict[str, float],
                arms: Arms, decide: Callable[[int], tuple | None]) -> list[tuple[int, Candidate]]:
    """(index, what the selector reads) of each sentence relevant enough to decide."""
    order = sorted(range(len(sentences)), key=lambda i: (-relevances[i], i))
    rank = {i: r for r, i in enumerate(order)}
    best = relevances[order[0]] if order else 0.0
    total = sum(weights.values()) or 1.0
    out = []
    for i, relevance in enumerate(relevances):
        if relevance <= _MIN_RELEVANCE:
            continue
        s = sentences[i]
        out.append((i, Candidate(
            relevance=relevance, rank=rank[i], best_relevance=best,
            outcome_share=sum(w for t, w in weights.items() if t in bags[i]) / total,
            sides=frozenset(side for _, side in arms.mentions(s.text)), index=i, count=len(sentences),
            first_of_section=i == 0 or sentences[i - 1].section != s.section,
            decision=_decision_kind(s, decide(i), arms))))
    return out


def _decision_kind(sentence: Sentence, decided: tuple | None, arms: Arms) -> str:
    """What the rules would read in a sentence, in the selector's terms (``selector.DECISIONS``)."""
    if decided is None:
        return "none"
    label, rule, (start, end) = decided
    if (label != "no_difference" or rule == "change_in_both_arms") and _is_within_arm(sentence.text[start:end], arms):
        return "within_arm"
    if rule == "significant_without_direction":
        return "weak"
    if rule.endswith("_untested"):
        return "untested"
    return "no_difference" if label == "no_difference" else "direction"


def candidate_sentences(abstract: str, *, intervention: str, comparator: str, outcome: str) -> list[tuple[Sentence, Candidate]]:
    """The sentences :func:`infer_result` may choose from, each with what the selector reads about it.

    Used to train the selector (``benchmarks/train_selector.py``) on exactly what it sees at run time.
    """
    sentences = _sentences(abstract)
    outcome_terms = cues.outcome_terms(outcome, abstract)
    arms = Arms(intervention, comparator, abstract, outcome)
    stands_for = cues.outcome_abbreviations(outcome_terms, outcome, abstract)
    bags = [_with_expansions(frozenset(cues.terms(s.text)), stands_for) for s in sentences]
    weights = _weights(outcome_terms, bags)
    numbers = _numbers_of(outcome)
    relevances = [_relevance(s, bag, outcome_terms, weights, arms, numbers) for s, bag in zip(sentences, bags)]
    lower_better = _lower_is_better(outcome)

    def decide(i: int) -> tuple | None:
        return _decide(sentences[i], outcome, outcome_terms, arms, lower_better)

    return [(sentences[i], c) for i, c in _candidates(sentences, bags, relevances, weights, arms, decide)]


def _with_expansions(bag: frozenset[str], stands_for: dict[str, frozenset[str]]) -> frozenset[str]:
    extra = [words for abbreviation, words in stands_for.items() if abbreviation in bag]
    return bag.union(*extra) if extra else bag


def _arms_compared_after(sentences: list[Sentence], i: int, outcome: str, arms: Arms,
                         lower_better: bool) -> tuple[Sentence, tuple] | None:
    """A tested comparison of the arms in the few sentences after an untested one, in its section:
    "At week 4 group 1 averaged 9.7 degrees and group 2 10.2. ... The
    gap between the two arms was not significant (p > 0.05)." The values had no test; the comparison does."""
    for j in range(i + 1, min(i + 4, len(sentences))):
        following = sentences[j]
        if following.section != sentences[i].section:
            break
        if not cues.BETWEEN_ARMS.search(following.text):
            continue
        decided = _decide(following, outcome, [], arms, lower_better)
        if decided is not None and not decided[1].endswith("_untested"):
            return following, decided
    return None


def _undecided(sentences: list[Sentence], best: tuple[float, Sentence] | None, within: tuple | None, outcome: str,
               arms: Arms, lower_better: bool, ranked: list[tuple[float, int]] | None = None) -> ResultStatement:
    """The statement when no sentence compares the arms for the outcome: a within-arm change
    (or the between-arm sentence right after it), a "no differences in any outcome" sentence, or
    no label with the sentence that names the outcome best."""
    if within:
        score, sentence, decided, i = within
        # "X fell from 6 to 3 in one arm and from 6 to 4 in the other. The difference between the
        # groups was not significant.": the next sentence compares the arms for the same outcome.
        following = sentences[i + 1] if i + 1 < len(sentences) else None
        if following is not None and cues.BETWEEN_ARMS.search(following.text):
            between = _decide(following, outcome, [], arms, lower_better)
            if between is not None:
                label, rule, span = between
                return _statement(following, score, (label, rule + "_after_within_arm_change", span))
        return _statement(sentence, score, decided, within_arm=True)
    if best is None:
        return ResultStatement(None, None, None, None, f"{ENGINE}:outcome_not_found", 0.0)
    # The outcome is named (as a secondary outcome, say) but no sentence about it reports a
    # result; "no differences in any of the secondary outcomes" still does.
    every = next((s for s in sentences if cues.NO_DIFFERENCE_FOR_ALL.search(s.text)), None)
    if every is not None:
        return _statement(every, best[0] / 2, ("no_difference", "no_difference_for_all_outcomes", (0, len(every.text))))
    loose = _statistics_alone(sentences, ranked or [], arms, lower_better, _polarity_known(outcome))
    if loose is not None:
        return loose
    sentence = best[1]
    # The outcome is named but no sentence states a result for it: no answer. (A guess of no
    # difference here, tried in session 7, was right in 3 of 5 development prompts from 3
    # abstracts: too few to tell from the 43% share of no difference there. A wrong answer costs
    # macro-F1 more than none does: an answer of a class lowers that class's F1 unless it is right
    # more often than about half that F1, here about 0.47.)
    return ResultStatement(None, sentence.text, sentence.start, sentence.end, f"{ENGINE}:no_result_stated", 0.0)


_LOOSE_CANDIDATES = 3


def _polarity_known(outcome: str) -> bool:
    """Whether the outcome's words say which way is better (else a benefit has no direction)."""
    return any(p.search(outcome) for p in (cues.RESPONDERS, cues.WORSE_WHEN_HIGHER_SCALES, cues.HIGHER_IS_BETTER,
                                           cues.LOWER_IS_BETTER))


def _statistics_alone(sentences: list[Sentence], ranked: list[tuple[float, int]], arms: Arms,
                      lower_better: bool, polarity_known: bool) -> ResultStatement | None:
    """The last reading, when no sentence about the outcome states a result in words the rules
    read: the statistics of the most relevant sentences that carry any. A p-value or interval that
    says "not significant" is no difference; one that says "significant", between arms rather than
    within them, is read (weakly) as the active arm's benefit, as trial reports nearly always are,
    when the outcome's words say which way is better."""
    for score, i in ranked[:_LOOSE_CANDIDATES]:
        sentence = sentences[i]
        text = sentence.text
        if cues.AIM.search(text) or cues.BASELINE_COMPARISON.search(text):
            continue
        significance = _significance(text, 0)
        if significance is None:
            continue
        span = (0, len(text))
        if significance is False:
            return _statement(sentence, score, ("no_difference", "statistics_alone_not_significant", span))
        if not polarity_known or cues.BOTH_ARMS.search(text) or _is_within_arm(text, arms):
            return None
        benefit = (-1 if lower_better else 1) * (1 if _active_side(arms) == "intervention" else -1)
        return _statement(sentence, score, ("increased" if benefit > 0 else "decreased", "statistics_alone_significant", span))
    return None


def _statement(sentence: Sentence, score: float, decided: tuple, within_arm: bool = False) -> ResultStatement:
    label, rule, (start, end) = decided
    if within_arm:
        rule += "_within_arm"
    numbers = _numbers(sentence.text[start:end])
    return ResultStatement(label, sentence.text, sentence.start, sentence.end, f"{ENGINE}:{rule}",
                           round(_confidence(rule) * min(1.0, 0.5 + score / 2), 3), **numbers)


# Share of right answers per rule on the development split of Evidence Inference (rounded down,
# and lower where a rule fired only a few times), and what each qualifier of a rule costs.
_RULE_ACCURACY = {
    "statistics_not_significant": 0.95, "no_difference_words": 0.9, "direction_word": 0.9,
    "better_word_with_polarity": 0.85, "arm_values": 0.85, "favours_arm": 0.8, "signed_change": 0.8,
    "change_in_both_arms": 0.75, "no_difference_between_arms": 0.8, "sized_change": 0.65, "change_size_per_arm": 0.5, "no_difference_for_all_outcomes": 0.5,
    # Rare on development data: a guess from how such statements read, kept low.
    "effect_estimate": 0.7, "significant_without_direction": 0.5,
    "statistics_alone_not_significant": 0.5, "statistics_alone_significant": 0.4,
}
_QUALIFIER_COST = {"_of_comparator": 0.75, "_of_risk": 0.9, "_untested": 0.75, "_within_arm": 0.8, "_after_within_arm_change": 0.9,
                  "_after_untested_values": 0.8}


def _confidence(rule: str) -> float:
    """A rule's accuracy on development data, times the cost of each qualifier it carries."""
    confidence = 1.0
    for qualifier, cost in _QUALIFIER_COST.items():
        if qualifier in rule:
            rule = rule.replace(qualifier, "")
            confidence *= cost
    return confidence * _RULE_ACCURACY.get(rule, 0.5)


def finding_direction(sentence: str, outcome_start: int, outcome_end: int, arms: list[tuple[int, int, str]],
                      intervention: str | None, comparator: str | None, lower_is_better: bool | None) -> str | None:
    """A finding's ``direction`` (``evidence.tables.schema.DIRECTIONS``) for one outcome in one sentence.

    This is :func:`infer_result` read through the outcome's polarity: with lower scores better
    (pain), a ``decreased`` outcome favours acupuncture.

    Parameters
    ----------
    sentence:
        The sentence.
    outcome_start, outcome_end:
        Where the outcome is named in it.
    arms:
        ``(start, end, side)`` of the arms named in it (``side`` "intervention" or "comparator"),
        as the topic's vocabulary finds them; the words found name the arms for the engine.
    intervention, comparator:
        The study's acupuncture form and comparator class, used when the sentence names no arm
        of that side.
    lower_is_better:
        The outcome's polarity from the topic; ``None`` when unknown.

    Returns
    -------
    str or None
        ``"favours_intervention"``, ``"favours_comparator"``, ``"no_difference"``, or ``None`` when
        the sentence does not say, says only how each arm changed, or the polarity is unknown.
    """
    names = {side: " ".join(sentence[a:b] for a, b, s in arms if s == side) for side in ("intervention", "comparator")}
    result = infer_result(sentence, intervention=names["intervention"] or (intervention or "acupuncture").replace("_", " "),
                          comparator=names["comparator"] or (comparator or "control").replace("_", " "),
                          outcome=sentence[outcome_start:outcome_end], lower_is_better=lower_is_better)
    if result.label is None or result.rule.endswith("_within_arm"):
        return None  # a change within each arm says nothing about which did better
    if result.rule.endswith(("statistics_alone_significant", "arm_values_untested")):
        # A benefit read from a p-value alone, or two arms' values with no test ("18 and 15
        # patients had surgery"), is too weak to file as a finding's direction.
        return None
    if result.label == "no_difference":
        return "no_difference"
    if lower_is_better is None or not (comparator or names["comparator"]):
        # Without a comparator arm (two forms of acupuncture, say), "favours" has no other side.
        return None
    return "favours_intervention" if (result.label == "decreased") == lower_is_better else "favours_comparator"


PROMPT_FIELDS = ("text", "intervention", "comparator", "outcome")


def parse_prompt(line: str) -> dict:
    """One JSON line of ``evidence infer`` input: an object with the four string fields
    ``text``, ``intervention``, ``comparator`` and ``outcome`` (other fields are kept).

    Raises
    ------
    InputError
        The line is not a JSON object, or a field is missing, empty or not a string.
    """
    try:
        prompt = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg} at column {exc.colno})") from exc
    if not isinstance(prompt, dict):
        raise InputError(f"expected a JSON object with {', '.join(PROMPT_FIELDS)}, got {type(prompt).__name__}")
    for name in PROMPT_FIELDS:
        value = prompt.get(name)
        if not isinstance(value, str) or not value.strip():
            problem = "missing" if name not in prompt else "not a non-empty string"
            raise InputError(f"field {name!r} is {problem}")
    return prompt


def infer_prompt(prompt: dict, lower_is_better: bool | None = None) -> ResultStatement:
    """:func:`infer_result` for a dict with ``text``, ``intervention``, ``comparator``, ``outcome``.

    ``lower_is_better`` is the outcome's polarity when known (a topic's, from
    :func:`evidence.extract.findings.outcome_polarity`); None guesses it from the outcome's words.
    """
    return infer_result(prompt["text"], intervention=prompt["intervention"], comparator=prompt["comparator"],
                        outcome=prompt["outcome"], lower_is_better=lower_is_better)


# --- step 1: which sentence -------------------------------------------------------------------


def _weights(outcome_terms: list[str], bags: list[frozenset[str]]) -> dict[str, float]:
    """Rarer outcome words weigh more: "CD4" says more than "count" (idf over the abstract).
    Words the abstract never uses weigh nothing: they cannot tell its sentences apart."""
    n = len(bags) or 1
    counts = {t: sum(t in b for b in bags) for t in set(outcome_terms)}
    return {t: math.log(1 + n / (1 + c)) + 0.5 if c else 0.0 for t, c in counts.items()}


def _relevance(sentence: Sentence, words: frozenset[str], outcome_terms: list[str], weights: dict[str, float],
               arms: Arms, numbers: frozenset[str] = frozenset()) -> float:
    """How likely a sentence is to report the outcome's result (0 when it names none of it)."""
    if not outcome_terms:
        return 0.0
    present = sum(weights.values())
    if not present:
        return 0.0
    # Share of the outcome's (weighted) words that the sentence holds, discounted when the
    # abstract holds few of them at all.
    coverage = sum(w > 0 for w in weights.values()) / len(weights)
    score = sum(w for t, w in weights.items() if t in words) / present * (0.5 + 0.5 * coverage)
    if score == 0:
        return 0.0
    section = (sentence.section or "").upper()
    if any(k in section for k in cues.RESULT_SECTIONS):
        score += 0.15
    elif any(k in section for k in cues.NON_RESULT_SECTIONS):
        score -= 0.3
    # Naming an arm, and better both, marks a comparison between them.
    sides = {side for _, side in arms.mentions(sentence.text)}
    score += 0.05 + 0.05 * len(sides) if sides else 0.0
    # The outcome's own numbers ("at 12 weeks", "LVEF <= 30%") mark the sentence about it.
    if numbers and numbers <= _numbers_of(sentence.text):
        score += _NUMBER_BONUS
    if cues.P_VALUE.search(sentence.text) or cues.SIGNIFICANT.search(sentence.text) or cues.NO_DIFFERENCE.search(sentence.text):
        score += 0.1
    return score


# --- step 2: what it says ---------------------------------------------------------------------


def _outcome_position(text: str, outcome_terms: list[str], outcome: str = "") -> int:
    """Where the outcome is named in a text, or -1: the outcome word that starts the stretch of
    60 characters holding most of the outcome's words ("one-year survival" is not the "one-year"
    of "one-year recurrence")."""
    wanted = set(outcome_terms)
    hits = [(m.start(), cues.stem(m.group())) for m in cues.WORD.finditer(text.lower()) if cues.stem(m.group()) in wanted]
    if not hits:
        return -1
    # Ties go to the stretch that also holds the outcome's small words ("a higher dose of atropine",
    # not the "early atropine" before it), then to the first.
    small = {w for w in cues.WORD.findall(outcome.lower()) if w in cues.STOP and len(w) > 3} if outcome else set()
    lowered = text.lower()

    def small_words(at: int) -> int:
        return len(small & set(cues.WORD.findall(lowered[max(0, at - 30) : at + 60])))

    return max(hits, key=lambda h: (len({t for p, t in hits if h[0] <= p < h[0] + 60}), small_words(h[0]), -h[0]))[0]


_NUMBER_TOKEN = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.]*\d)")


def _numbers_of(text: str) -> frozenset[str]:
    """The numbers written in a text ("at 18 months", "LVEF <= 30%")."""
    return frozenset(_NUMBER_TOKEN.findall(text))


def _clause(text: str, outcome_terms: list[str], numbers: frozenset[str] = frozenset()) -> tuple[int, int]:
    """The clause of a sentence that names the outcome: the piece between clause breaks
    ("whereas", "but", ";") holding most of the outcome's words, with a following piece that only
    qualifies it ("..., but this was not significant"). Numbers the outcome names (its time point:
    "at 18 months", "at min 10 and 15") come first, as they tell apart clauses with the same words."""
    cuts = [0, *(m.start() for m in cues.CLAUSE_BREAK.finditer(text) if not _bracket_depth(text, m.start())), len(text)]
    # "Although A may relieve pain, it brings no benefit": the concession ends at its comma.
    concession = cues.CONCESSION.match(text)
    if concession:
        cuts = sorted({*cuts, concession.end()})
    # "; however," is one break, not two.
    pieces = [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if re.search(r"\w", text[cuts[i] : cuts[i + 1]])]
    pieces = [(a, pieces[i + 1][0] if i + 1 < len(pieces) else len(text)) for i, (a, _) in enumerate(pieces)]
    wanted = set(outcome_terms)

    def hits(piece: tuple[int, int]) -> int:
        return len(wanted & set(cues.terms(text[piece[0] : piece[1]])))

    def time_hits(piece: tuple[int, int]) -> int:
        # "X did not differ at 2 weeks, but was lower at 12 weeks": the subject may be left out.
        return len(numbers & _numbers_of(text[piece[0] : piece[1]]))

    # A leading concession ("While scores did not differ before the course, ...") sets the scene;
    # the main clause states the finding whenever it names the outcome at all.
    scene = concession.end() if concession else -1
    if len(pieces) > 1 and pieces[0][1] == scene and cues.BASELINE_COMPARISON.search(text, 0, scene):
        # "While scores were alike before the course, ...": the arms at baseline, never the result.
        pieces = pieces[1:]
    def named(piece: tuple[int, int]) -> int:
        return hits(piece) + time_hits(piece)

    # ... unless the concession names the outcome more fully than any other piece ("Although the
    # difference in clinical success was not significant, that in radiographic success was").
    def sets_scene(piece: tuple[int, int]) -> bool:
        return piece[1] == scene and named(piece) <= max((named(q) for q in pieces if q != piece), default=0)

    best = max(pieces, key=lambda p: (named(p) > 0, not sets_scene(p), time_hits(p), hits(p), -p[0]))
    if not hits(best) + time_hits(best):
        return pieces[0][0], len(text)
    start, end = best
    for piece in pieces[pieces.index(best) + 1 :]:
        if hits(piece) or not (cues.QUALIFIER.match(text, piece[0], piece[1])
                               or cues.SIZE_CONTINUATION.match(text, piece[0], piece[1])):
            break
        end = piece[1]
    return start, end


def _is_within_arm(clause: str, arms: Arms) -> bool:
    """Whether a clause reports change within the arms (against baseline) rather than between them."""
    if cues.BETWEEN_ARMS.search(clause) or any(p.search(clause) for p in cues.SIZED_CHANGE):
        return False
    if cues.FROM_TO.search(clause) and not cues.THAN.search(clause):
        return True
    return bool(cues.WITHIN_ARM.search(clause)) and len({side for _, side in arms.mentions(clause)}) < 2


def _bracket_depth(text: str, at: int) -> int:
    """How many brackets are open at ``at``: a ";" inside "(95% CI ...; P = .03)" breaks no clause."""
    head = text[:at]
    return max(0, head.count("(") + head.count("[") - head.count(")") - head.count("]"))


def _decide(sentence: Sentence, outcome: str, outcome_terms: list[str], arms: Arms,
            lower_better: bool) -> tuple[str, str, tuple[int, int]] | None:
    """(label, rule, clause span) for a sentence, or None when it states no result."""
    text = sentence.text
    start, end = _clause(text, outcome_terms, _numbers_of(outcome))
    clause = text[start:end]
    position = _outcome_position(clause, outcome_terms, outcome)
    significance = _significance(clause, position)
    if significance is None and cues.P_VALUE.search(text, end):
        # The p-value often closes the sentence, after the clause break.
        significance = _significance(text[end:], 0)
    if cues.AIM.search(text):
        return None  # a hypothesis or an aim, not a result
    if position > 0 and _PROPERTY_OF.search(clause, max(0, position - 40), position):
        return None  # "the internal consistency of the score was higher with A": the measure's quality, not its result
    if (significance is False or cues.NO_DIFFERENCE.search(clause)) and cues.BASELINE_COMPARISON.search(clause):
        return None  # arms alike at baseline: a check of randomisation, not a result
    if significance is False:
        return "no_difference", "statistics_not_significant", (start, end)
    # The words of no difference nearest the outcome speak of it.
    no_difference = min(cues.NO_DIFFERENCE.finditer(clause), key=lambda m: abs(m.start() - position), default=None)
    if no_difference and not _nearer_significant(clause, position, no_difference) and not _coordinated_away(clause, position, no_difference):
        return "no_difference", "no_difference_words", (start, end)
    if no_difference and not cues.THAN.search(clause) and any(
            cues.BETWEEN_ARMS.match(clause, m.end() + 1) for m in cues.NO_DIFFERENCE.finditer(clause)):
        # "X improved from baseline (P < 0.001) with no difference between groups": the significant
        # change is within the arms; the comparison of the arms is the one without a difference.
        return "no_difference", "no_difference_between_arms", (start, end)
    sign, rule = _direction_of(clause, text, start, outcome, position, arms, lower_better)
    if sign is None and significance and (start, end) != (0, len(text)) and not cues.BOTH_ARMS.search(text):
        # "X remained stable in A but rose significantly in B (P < 0.05)": the clause naming X
        # has no direction; the one after it compares the arms.
        sign, rule = _direction_of(text, text, 0, outcome, _outcome_position(text, outcome_terms, outcome), arms, lower_better)
        if sign is not None and not {side for _, side in arms.mentions(text[end:])}:
            sign = None  # only a clause that names an arm speaks for the comparison
    if sign is None and (significance or (significance is None and not cues.SIGNIFICANT.search(text))):
        # "operative time was 15.1 min in group B and 32.5 min in group A (P = 0.02)"; with no
        # test at all, the values are still the report (read as untested, below).
        values = _arm_values(clause, arms, position)
        if len(values) == 2 and values["intervention"] != values["comparator"]:
            sign, rule = (1 if values["intervention"] > values["comparator"] else -1), "arm_values"
    if sign is None and significance:
        # "the odds of vomiting with A were 0.4 (95% CI 0.2 to 0.8)": an effect estimate of
        # intervention against comparator, read against its null value.
        effect = _effect_sign(clause)
        if effect is not None:
            # Trials state the experimental arm against the control: turned round when the
            # prompt puts the control first. A sentence naming both arms states the arm after
            # "compared with"/"versus" as the reference ("the odds with A compared with B", "for
            # B versus A the difference"), else the first named against the other.
            sign, rule = effect * (1 if _effect_subject(text, arms) == "intervention" else -1), "effect_estimate"
    # With no statistics to read, the words may call the difference significant themselves.
    said_significant = significance or (significance is None and cues.POSITIVE_SIGNIFICANT.search(clause))
    if (sign is None and said_significant and _SAID_DIFFERENT.search(clause) and not re.search(r"\b(?:both|each)\b", clause)
            and not _is_within_arm(clause, arms)):
        # "The EQ-5D differed significantly (p = 0.019)": a difference with no direction stated is,
        # in trial reports, nearly always the intervention's benefit; a weak reading, used last.
        sign, rule = (-1 if lower_better else 1) * (1 if _active_side(arms) == "intervention" else -1), "significant_without_direction"
    if sign is None:
        return None
    if cues.BOTH_ARMS.search(clause) and not cues.THAN.search(clause) and not any(p.search(clause) for p in cues.SIZED_CHANGE):
        # "reduced significantly in both groups": each arm changed; no difference between them is stated.
        return "no_difference", "change_in_both_arms", (start, end)
    if _TIME_TO_EVENT.match(outcome) and position >= 0 and _RISK_OF.search(clause, max(0, position - 40), position):
        # "Time to relapse" read from "the risk of relapse was lower with A": a lower risk of the
        # event is a longer time to it.
        sign = -sign
        rule += "_of_risk"
    label = "increased" if sign > 0 else "decreased"
    if significance is None and not cues.SIGNIFICANT.search(text):
        # A direction without any sign of a test is weaker evidence, but still the report.
        return label, rule + "_untested", (start, end)
    return label, rule, (start, end)


# Words that speak of a measure's own qualities ("the reliability of the pain score"), not of its values.
_PROPERTY_OF = re.compile(r"\b(?:internal\s+consistency|reliability|validity|responsiveness|completeness|Cronbach'?s?\s+alpha)"
                          r"\s+(?:of|for)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# An outcome that is the time to an event, and the words that name instead the event's risk.
_TIME_TO_EVENT = re.compile(r"\s*(?:the\s+)?(?:(?:median|mean|average)\s+)?time\s+to\b", re.IGNORECASE)
_RISK_OF = re.compile(r"\b(?:risk|hazard|odds|rate|incidence|probability|likelihood)\s+(?:of|for)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# Words that call a difference significant, or say that the arms differed.
_SAID_DIFFERENT = re.compile(r"\bdiffer\w*|\bdistinct\b|" + cues.POSITIVE_SIGNIFICANT.pattern, re.IGNORECASE)
_VALUE_AFTER_ARM = re.compile(r"[\w-]*(?:\s+(?:group|arm)s?)?[^\d;]{0,50}?(?:was|were|of|:|=|,)\s*(?P<v>\d+(?:\.\d+)?)(?![\d.])")
# A signed change ("+0.02% for placebo compared with -0.48% for the drug"): the sign only after a space or bracket.
_VALUE_BEFORE_ARM = re.compile(r"(?P<v>(?:(?<=[\s(])[-−–+])?\d+(?:\.\d+)?)\s*(?:%|[a-zA-Zμ/]{1,12}\b)?(?:\s*±\s*[\d.]+)?\s*(?:\([^)]{0,30}\)\s*)?"
                               r"(?:in|for|with|among|of|after|following|on|under)\s+(?:(?:the|those|patients|subjects|participants|given|receiving|"
                               r"treated|with|by|who|received|assigned|to|in)\s+)*$")


# An estimate right before its interval: "0.4 (95% CI 0.2 to 0.8)", "MD -1.2, 95% CI -2.0 to -0.4".
_ESTIMATE_BEFORE_CI = re.compile(r"(?P<est>[-−–]?\s?\d+(?:[.·]\d+)?)\s*%?\s*(?:\(|\[|,|;)\s*(?:95\s*%\s*)?(?:CI|C\.I\.|confidence interval)")
_RATIO_WORDS = re.compile(r"\b(?:RR|OR|HR|IRR|ratio|odds|risk|hazard)\b", re.IGNORECASE)
_DIFFERENCE_WORDS = re.compile(r"\b(?:MD|WMD|SMD|RD|ARR|difference|effect size|differed by)\b", re.IGNORECASE)


def _effect_subject(text: str, arms: Arms) -> str:
    """The arm an effect estimate in a sentence is stated for (against the other arm)."""
    named = arms.mentions(text)
    if len({side for _, side in named}) < 2:
        return _active_side(arms)
    for than in cues.THAN.finditer(text):
        reference = _object_side(text, than.end(), named)
        if reference:
            return other_side(reference)
    return named[0][1]


def _effect_sign(clause: str) -> int | None:
    """+1/-1 from an effect estimate stated with its interval: above or below 1 for a ratio, 0 for a
    difference. None when the clause names no effect measure before the estimate (a CI around one
    arm's value is not an effect), states several estimates, or the estimate sits outside its own
    interval. Estimates are read as intervention against comparator, as trials report them."""
    found = list(_ESTIMATE_BEFORE_CI.finditer(clause))
    if len(found) != 1:
        return None  # several estimates: which arms each compares is not clear
    for m in found:
        before = clause[max(0, m.start() - 60) : m.start()]
        ratio, difference = _RATIO_WORDS.search(before), _DIFFERENCE_WORDS.search(before)
        if not (ratio or difference):
            continue
        ci = cues.CI.search(clause, m.end() - 30)
        estimate = _float(m.group("est"))
        null = 1.0 if ratio and (not difference or ratio.start() > difference.start()) else 0.0
        if ci:
            lo, hi = sorted((_float(ci.group("lo")), _float(ci.group("hi"))))
            if not lo <= estimate <= hi:
                continue
        if estimate != null:
            return 1 if estimate > null else -1
    return None


_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# A stated value: not part of a word or a range ("one-year", "2-5").
_BARE_NUMBER = re.compile(r"(?<![\w.±-])(\d+(?:\.\d+)?)(?![\w.-]|\s*±)")


def _arm_values(clause: str, arms: Arms, position: int) -> dict[str, float]:
    """The first value stated for each arm in a clause ("32.5 in group A", "group B was 15.1")."""
    values: dict[str, float] = {}
    mentions = arms.mentions(clause)
    respectively = _RESPECTIVELY.search(clause, max(position, 0))
    if respectively and mentions:
        # "53% and 87% in patients given A and B, respectively": the values stated for the
        # outcome, in the order the arms are named.
        stated = clause[max(position, 0) : respectively.start()]
        stated = stated[: next((pos for pos, _ in mentions if pos >= max(position, 0)), len(clause)) - max(position, 0)]
        verb = re.search(r"\b(?:was|were|of|had|reached)\b", stated)
        # Intervals in brackets ("2.30 (1.86-2.57)") are not the values.
        numbers = _BARE_NUMBER.findall(re.sub(r"\([^()]*\)|\[[^\[\]]*\]", " ", stated[verb.end() :] if verb else stated))[:2]
        order = list(dict.fromkeys(side for _, side in mentions))
        if len(numbers) == 2 and len(order) == 2:
            return {order[0]: float(numbers[0]), order[1]: float(numbers[1])}
    paired = _values_in_arm_order(clause, arms, mentions, position)
    if paired:
        return paired
    for pos, side in mentions:
        if side in values:
            continue
        share = _SHARE_BEFORE_ARM.search(clause, max(0, pos - 60), pos)
        if share and float(share.group("of")):
            # "5 of 40 patients given A and 15 of 38 given B": compare the shares.
            values[side] = float(share.group("v")) / float(share.group("of"))
            continue
        end = _phrase_end(clause, pos, arms.own[side])
        bracketed = re.match(r"\s*\)", clause[end:]) and _VALUE_BEFORE_BRACKETED_ARM.search(clause, max(0, pos - 30), pos)
        candidates = (_VALUE_BEFORE_ARM.search(clause, max(0, pos - 60), pos), _PERCENT_BEFORE_ARM.search(clause, max(0, pos - 20), pos),
                      bracketed or None, _VALUE_AFTER_ARM.match(clause, pos), _VALUE_RIGHT_AFTER_ARM.match(clause, end))
        # "0.5 mg/kg of ketamine", "5% lidocaine": the arm's dose is not its value.
        found = next((m for m in candidates if m and m.group("v").lstrip("+") not in arms.dose_numbers), None)
        if found:
            values[side] = _float(found.group("v"))
    return values


# "Somnolence: 18% A vs 4% B".
_PERCENT_BEFORE_ARM = re.compile(r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)\s*%\s+$")
# "21 days (acupuncture) and 35 days (usual care)".
_VALUE_BEFORE_BRACKETED_ARM = re.compile(r"(?<![\d.])(?P<v>\d+(?:\.\d+)?)\s*(?:%|[a-zA-Zμ/]{1,12})?\s*\(\s*(?:the\s+)?$")
# Arms named together ("in the A and B groups", "for A and B, respectively").
_COORDINATED = re.compile(r"\s*(?:groups?|arms?|patients)?\s*(?:,|and|or|versus|vs\.?)\s+(?:the\s+|in\s+the\s+)?$", re.IGNORECASE)
_GROUP_WORDS = frozenset({"group", "groups", "arm", "arms", "patients", "participants"})
# Numbers that are not an arm's value: time points ("at 12 weeks", "1- and 2-year"), p-values, doses.
_NOT_A_VALUE = re.compile(r"(?:\b(?:at|after|within|over|week|month|day|year|visit)\s+$|[Pp]\s*[<>=≤≥]\s*$|±\s*$)")
_TIME_OR_DOSE_AFTER = re.compile(r"[-‐]?\s*(?:and\s+\d+[-‐]?\s*)?(?:weeks?|months?|years?|-year|-month|-week|mg|µg|μg|mcg|ml|mL|IU)\b"
                                 r"(?!\s*(?:\(|and\s+\d|vs|versus))", re.IGNORECASE)
_VALUE_NUMBER = re.compile(r"(?<![\w.±/])(?P<v>(?:(?<=[\s(])[-−–+])?\d+(?:\.\d+)?)(?![\w.]|\s*[-‐]\s*(?:and\b|\d))")


def _phrase_end(text: str, pos: int, own: set[str]) -> int:
    """Where the arm phrase starting at ``pos`` ends: its own words and "group" words run on."""
    end = pos
    for m in cues.WORD.finditer(text, pos):
        if m.start() > end + 2 or not (cues.stem(m.group().lower()) in own or m.group().lower() in _GROUP_WORDS):
            break
        end = m.end()
    return end


def _values_in_arm_order(clause: str, arms: Arms, mentions: list[tuple[int, str]], position: int) -> dict[str, float]:
    """Values paired with arms by order, where the arms are named together ("in the A and B groups
    were 62% and 41%", "... for A and B, respectively"): the first two values after the outcome
    that are not time points, p-values, the arms' doses or bracketed spreads."""
    order = list(dict.fromkeys(side for _, side in mentions))
    if len(order) != 2:
        return {}
    first = next(pos for pos, side in mentions if side == order[0])
    second = next(pos for pos, side in mentions if side == order[1])
    end_first = _phrase_end(clause, first, arms.own[order[0]])
    if not _COORDINATED.fullmatch(clause, end_first, second):
        # Only arms named together pair with values by order: a "respectively" elsewhere may pair
        # the values with time points ("3.1 and 4.2 at weeks 4 and 8, respectively").
        return {}
    spans = [(pos, _phrase_end(clause, pos, arms.own[side])) for pos, side in mentions]
    values = []
    for m in _VALUE_NUMBER.finditer(clause, max(position, 0)):
        if (_bracket_depth(clause, m.start()) or any(a <= m.start() < b for a, b in spans) or m.group("v") in arms.dose_numbers
                or _NOT_A_VALUE.search(clause, max(0, m.start() - 12), m.start()) or _TIME_OR_DOSE_AFTER.match(clause, m.end())):
            continue
        values.append(_float(m.group("v")))
        if len(values) == 2:
            return {order[0]: values[0], order[1]: values[1]}
    return {}


_SHARE_BEFORE_ARM = re.compile(r"(?P<v>\d+)\s*(?:of|/|out of)\s*(?P<of>\d+)\s+(?:(?:the|those|patients|subjects|participants|in|"
                               r"with|who|received|receiving|given|treated|assigned|to)\s+)*$")
# "A 8.1 vs B 6.2": a value right after the arm's name, unless it is a dose ("A 0.5 mg/kg").
_VALUE_RIGHT_AFTER_ARM = re.compile(r"[\w-]*(?:\s+(?:group|arm)s?)?\s*:?\s+(?P<v>\d+(?:\.\d+)?)(?![\d.])"
                                    r"(?!\s*(?:mg|µg|μg|mcg|g|ml|mL|kg|IU|units?|mmol|mEq)\b)")


def _coordinated_away(clause: str, position: int, no_difference: re.Match) -> bool:
    """Whether the words of no difference belong to an earlier coordinated statement ("A was not
    associated with less cough, and caused more adverse events"): a ", and" stands between them and
    the outcome named after them, with a direction word on the outcome's side."""
    if position < no_difference.end():
        return False
    between = _AND_THEN.search(clause, no_difference.end(), position)
    if between is None:
        return False
    return any(between.end() <= f[0] < position + 40 for f in _direction_words(clause))


_AND_THEN = re.compile(r",\s+and\b")


def _nearer_significant(clause: str, position: int, no_difference: re.Match) -> bool:
    """Whether a word of significance stands nearer the outcome than the words of no difference
    ("a non-significant fall in X, which translated into a significant fall in Y")."""
    if position < 0:
        return False
    gap = abs(no_difference.start() - position)
    # "did not show any significant difference", "neither A nor B had a significant effect": a
    # "significant" the negation governs (a few words on, with no comma between) is not one.
    def governed(at: int) -> bool:
        return no_difference.start() <= at < no_difference.end() + 40 and not re.search(r"[,;]", clause[no_difference.end() : at])

    return any(abs(m.start() - position) < gap and not governed(m.start()) for m in cues.POSITIVE_SIGNIFICANT.finditer(clause))


def _significance(text: str, position: int) -> bool | None:
    """True/False when the text's own statistics say (non-)significant; None when it has none.

    The p-value that speaks for the outcome is the first one after its name (else the last before).
    """
    values = list(cues.P_VALUE.finditer(text))
    after = [m for m in values if m.start() >= position]
    m = after[0] if after else (values[-1] if values else None)
    if m is not None:
        op = {"≤": "<=", "≥": ">=", "=<": "<=", "=>": ">=", "less than": "<", "greater than": ">", "more than": ">"}.get(m.group("op"), m.group("op"))
        value = float(m.group("p").replace("·", "."))
        if re.search(r"[x×]\s*10", m.group(0)):
            return True  # "P = 2 x 10-5"
        if op in ("<", "<="):
            # Authors give the tightest bound they can: "P < 0.08" (not "P < 0.05") is a P between
            # 0.05 and 0.08, a trend at most, not a significant difference.
            return value <= _ALPHA
        if op in (">", ">="):
            return False if value >= _ALPHA else None
        if value == _ALPHA:
            # Exactly 0.05 is significant only where the words around it say so: the usual
            # criterion is P < 0.05.
            return bool(cues.POSITIVE_SIGNIFICANT.search(text))
        return value < _ALPHA
    ci = cues.CI.search(text)
    if ci:
        lo, hi = sorted((_float(ci.group("lo")), _float(ci.group("hi"))))
        ratio = re.search(r"\b(?:RR|OR|HR|IRR|ratio)\b", text[: ci.start()], re.IGNORECASE)
        null = 1.0 if ratio else 0.0
        return not (lo <= null <= hi)
    return None


# "higher than 76.7% (23/30) of the control group": a value of the other group, not a quantity.
_OTHER_GROUPS_VALUE = re.compile(r"\s*%?\s*(?:\([^()]{0,30}\)\s*)?(?:of|in|for|with|among)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:groups?|arms?)\b",
                                 re.IGNORECASE)


def _quantity_after(clause: str, at: int) -> bool:
    """Whether the words after a direction word make it a quantity ("more than 20 patients")."""
    quantity = cues.QUANTITY.match(clause, at)
    return quantity is not None and not _OTHER_GROUPS_VALUE.match(clause, quantity.end())


_THAN_THRESHOLD = re.compile(
    r"\s+than\s+(?:the\s+|a\s+|an\s+)?(?:(?:minimal(?:ly)?|minimum|smallest|least)\s+(?:clinically\s+)?(?:important|relevant|meaningful|worthwhile|detectable)"
    r"|MC?I?D\b|(?:clinically\s+)?(?:important|meaningful|relevant)\s+(?:difference|change|threshold))",
    re.IGNORECASE)


def _direction_words(clause: str) -> list[tuple[int, int, int]]:
    """(start, end, kind) of direction words; a longer match hides the shorter ones inside it."""
    found = [(m.start(), m.end(), kind) for pattern, kind in cues.DIRECTION_WORDS for m in pattern.finditer(clause)
             if not _quantity_after(clause, m.end())]
    found = [f for f in found if not any(g[0] <= f[0] and f[1] <= g[1] and g != f for g in found)]
    # "larger than the minimal clinically important difference": set against a threshold, not an arm.
    found = [f for f in found if not _THAN_THRESHOLD.match(clause, f[1])]
    # Words in brackets define or qualify ("response (a reduction of at least 25%)").
    return [f for f in found if not _bracket_depth(clause, f[0])]


_FAVOURED_ROLE = re.compile(
    r"\s+(?:the\s+)?(?:(?P<active>intervention|experimental|active|verum|treatment|study)(?:\s+(?:groups?|arms?|treatment))?"
    r"|(?:control|placebo|sham|comparator|usual[- ]care)(?:\s+(?:groups?|arms?))?)\b", re.IGNORECASE)


def _direction_of(clause: str, text: str, offset: int, outcome: str, position: int,
                  arms: Arms, lower_better: bool) -> tuple[int | None, str]:
    """+1/-1 for the intervention's value against the comparator's, from the clause's words."""
    favour = cues.FAVOUR.search(clause)
    if favour:
        side = next((side for pos, side in arms.mentions(text) if offset + favour.end() <= pos < offset + favour.end() + 40),
                    None)
        if side is None:
            # "in favour of the intervention", "favouring the control group": the arms by their role.
            role = _FAVOURED_ROLE.match(clause, favour.end())
            side = role and (_active_side(arms) if role.group("active") else other_side(_active_side(arms)))
        if side:
            better = 1 if side == "intervention" else -1
            return (-better if lower_better else better), "favours_arm"
    # Words of the outcome's own name ("pain relief", "effective rate") say nothing about direction.
    own = set(cues.terms(outcome))
    found = [f for f in _direction_words(clause) if cues.stem(clause[f[0] : f[1]].lower()) not in own]
    if not found:
        return None, "no_direction_word"
    if cues.BOTH_ARMS.search(clause):
        # "fell in both groups, but more decrease was seen with A": the sized change compares the arms.
        in_sized = [f for f in found if any(m.start() <= f[0] < m.end() for m in cues.SIZED_CHANGE[0].finditer(clause))]
        found = in_sized or found
    # The direction word nearest the outcome's name speaks of it, unless a coordination ("..., and
    # increased HDL") stands between them.
    def distance(f: tuple[int, int, int]) -> tuple[int, int]:
        if position < 0:
            return f[0], f[0]
        between = clause[min(f[1], position) : max(f[0], position)]
        return abs(f[0] - position) + (200 if _COORDINATION.search(between) else 0), f[0]

    word_start, word_end, kind = min(found, key=distance)
    if kind == 3:
        # A word of speed: "onset was faster" is a shorter onset time, "faster gait" a higher speed.
        slower = bool(re.match(r"slower|less", clause[word_start:word_end], re.IGNORECASE))
        kind = (-1 if cues.TIME_LIKE.search(outcome) else 1) * (-1 if slower else 1)
    rule = "direction_word"
    sign = kind
    sized = _sized_change(clause, word_start, lower_better, own)
    if sized is not None:
        sign, rule = sized, "sized_change"
        phrase = _sized_change_match(clause, word_start, own)
        if phrase is not None and phrase.start() < word_start:
            # "A attenuated the rise in X": the arm the phrase is said of is found from its start.
            word_start = phrase.start()
            word_end = word_start + len(re.findall(r"^\w*", clause[word_start:])[0])
    elif kind in (0, 2) and position >= 0 and (signed := _SIGNED_CHANGE.match(clause, position)):
        # "skin dryness (-59.5%) improved": the change is stated with its sign, in the one arm the
        # sentence names (else the active one: "with A against B, X (-31%) improved" is A's).
        sign = -1 if signed.group("sign") != "+" else 1
        named = {side for _, side in arms.mentions(text)}
        side = named.pop() if len(named) == 1 else "intervention" if named else _active_side(arms)
        return (sign, "signed_change") if side == "intervention" else (-sign, "signed_change_of_comparator")
    elif kind in (0, 2):
        sign = (-1 if lower_better else 1) * (1 if kind == 0 else -1)
        rule = "better_word_with_polarity"
    if _CHANGE_VERB.fullmatch(clause, word_start, word_end):
        # "fell 22.4 mm with acupuncture and 11.6 mm in the sham group": both arms
        # changed; the one that changed more is the intervention's side or not.
        amounts = _values_in_arm_order(clause, arms, arms.mentions(clause), word_end) or _arm_values(clause[word_end:], arms, 0)
        if len(amounts) == 2 and amounts["intervention"] != amounts["comparator"]:
            more = 1 if amounts["intervention"] > amounts["comparator"] else -1
            return sign * more, "change_size_per_arm"
    side = _subject(text, offset + word_start, offset + word_end, arms)
    if side is None:
        # A change placed in no arm is said of the one arm the sentence names, if it names one
        # ("X fell significantly (P = 0.01), with less nausea, in group A"), else it is the active
        # treatment's ("pain fell significantly").
        named = {side for _, side in arms.mentions(text)}
        side = named.pop() if len(named) == 1 else _active_side(arms)
    if side == "comparator":
        return -sign, rule + "_of_comparator"
    return sign, rule


def _active_side(arms: Arms) -> str:
    """The arm a result that names no arm speaks of: the active treatment, which is the
    intervention unless the prompt puts the control first ("placebo" against "drug X")."""
    return "comparator" if arms.control_side == "intervention" else "intervention"


def _lower_is_better(outcome: str) -> bool:
    """Whether lower values of an outcome are better, from its words (higher-is-better words win)."""
    if cues.RESPONDERS.search(outcome):
        return False
    if cues.WORSE_WHEN_HIGHER_SCALES.search(outcome):
        return True
    return not cues.HIGHER_IS_BETTER.search(outcome) and bool(cues.LOWER_IS_BETTER.search(outcome))


def _sized_change(clause: str, word_start: int, lower_better: bool, own: set[str]) -> int | None:
    """The direction of "a greater reduction" / "the increase was smaller" when the direction word
    at ``word_start`` is part of such a phrase, else None. A bigger improvement follows the
    outcome's polarity."""
    found = _sized_change_match(clause, word_start, own)
    if found is None:
        return None
    m = found
    bigger = 1 if m.group("big") else -1
    if m.group("up") and m.group("up").lower().startswith("improv"):
        return bigger * (-1 if lower_better else 1)
    return bigger * (1 if m.group("up") else -1)


def _sized_change_match(clause: str, word_start: int, own: set[str]) -> re.Match | None:
    """The sized-change phrase the direction word at ``word_start`` belongs to, if any."""
    for pattern in cues.SIZED_CHANGE:
        for m in pattern.finditer(clause):
            # In "fecal fat loss was higher", the loss is the outcome's name, not a change.
            if not m.start() <= word_start < m.end() or cues.stem((m.group("up") or m.group("down")).lower()) in own:
                continue
            return m
    return None


# Words that put an arm after them as the one a direction word is said of ("lower in the sham group").
_AFTER_ARM = re.compile(r"\W+(?:\w+\W+){0,3}?(?:in|with|among|for|by|of|after|on|receiving|from)\W", re.IGNORECASE)


_SIGNED_CHANGE = re.compile(r"[^()]{0,40}?\(\s*(?P<sign>[+−–-])\s*\d")
_COORDINATION = re.compile(r",\s+(?:and|but|while|whereas)\b|;", re.IGNORECASE)
_CHANGE_VERB = re.compile(r"(?:increas|decreas|reduc|improv|declin|dropp|fell|rose)\w*", re.IGNORECASE)
_TRANSITIVE = re.compile(r"(?:outperform|exceed|surpass|beat)\w*", re.IGNORECASE)


def _subject(text: str, word_start: int, word_end: int, arms: Arms) -> str | None:
    """The arm a direction word is said of.

    In order: the other side of "than <arm>" after the word; the subject of a "<arm> ... than
    <arm>" before it; an arm named right after the word ("lower in the placebo group"); the
    nearest arm named before it. ``None`` when no arm is named.
    """
    mentions = arms.mentions(text)
    valued = _THAN_VALUE_OF.match(text, word_end)
    if valued:
        # "6.7%, lower than 26.7% of the control group": the group after the value is compared against.
        obj = _object_side(text, valued.end(), mentions)
        if obj:
            return other_side(obj)
    than = cues.THAN.search(text, word_start)
    if than and than.start() - word_end < 80:
        obj = _object_side(text, than.end(), mentions)
        if obj:
            return other_side(obj)
    than_before = None
    for m in cues.THAN.finditer(text, 0, word_start):
        than_before = m
    if than_before:
        obj = _object_side(text, than_before.end(), mentions)
        subj = [side for pos, side in mentions if pos < than_before.start()]
        if obj and subj and subj[-1] != obj:
            return subj[-1]
        if obj and not subj:
            return other_side(obj)
    if text[word_start:word_end].lower().endswith("ed"):
        # "Drug X abolished the rise seen with placebo": a verb's subject is the arm named just before it.
        subject = [side for pos, side in mentions if word_start - 60 <= pos < word_start and not _CLAUSE_BETWEEN.search(text, pos, word_start)]
        if subject and not cues.THAN.search(text, word_end, word_end + 80):
            return subject[-1]
    lead = _AFTER_ARM.match(text, word_end)
    if lead:
        after = next((side for pos, side in mentions if lead.end() - 1 <= pos < lead.end() + 25), None)
        if after:
            # "A outperformed those receiving B": the arm after a transitive verb is its object.
            return other_side(after) if _TRANSITIVE.match(text, word_start) else after
    before = [side for pos, side in mentions if pos < word_start]
    if before:
        if len(set(before)) == 2 and _NOMINAL_AFTER_ARMS.search(text, max(0, word_start - 50), word_start):
            # "9.8 min with A and 14.3 min with B, with an estimated reduction of 4.3 min": a
            # change named after both arms' values is the first-named arm's against the other.
            return before[0]
        return before[-1]
    # "There was a greater increase in IL-6 in the Ligasure group": with no arm before the word,
    # the arm the change is placed in, further on.
    for later in _IN_ARM.finditer(text, word_end, min(len(text), word_end + 100)):
        side = next((side for pos, side in mentions if later.end() - 1 <= pos < later.end() + 25), None)
        if side:
            return side
    return None


_NOMINAL_AFTER_ARMS = re.compile(r"[,;]?\s+(?:with|and|giving|showing)\s+(?:an?|the)\s+(?:(?:estimated|mean|median|average|adjusted|overall|absolute|relative|net)\s+)*$",
                                 re.IGNORECASE)
_THAN_VALUE_OF = re.compile(r"\s+than\s+(?:that\s+of\s+)?[-−]?\d[\d.,]*\s*%?\s*(?:\([^()]{0,30}\)\s*)?(?:of|in|for|with|among)\s+", re.IGNORECASE)
# A break between an arm and a verb: "stable in A but rose in B" does not make A rise.
_CLAUSE_BETWEEN = re.compile(r"[,;]|\b(?:but|whereas|while)\b", re.IGNORECASE)
_IN_ARM = re.compile(r"\b(?:in|with|among|for|receiving|after|following)\s+(?:the|those|patients|subjects|participants)?\s*"
                     r"(?:(?:administration|use|intake|treatment|infusion|injection)\s+(?:of|with)\s+(?:the\s+)?)?", re.IGNORECASE)


def _object_side(text: str, start: int, mentions: list[tuple[int, str]]) -> str | None:
    """The arm named just after "than"/"compared with": the one called a group ("the parents in the
    control group") when there is one, else the first named."""
    near = [(pos, side) for pos, side in mentions if start <= pos < start + 40]
    grouped = [side for pos, side in near if _GROUP_NOUN.match(text, pos)]
    return grouped[0] if grouped else (near[0][1] if near else None)


_GROUP_NOUN = re.compile(r"[\w-]*\s+(?:group|arm|cohort)s?\b", re.IGNORECASE)


# --- numbers ----------------------------------------------------------------------------------


def _float(text: str) -> float:
    return float(re.sub(r"\s", "", text).replace("−", "-").replace("–", "-").replace("·", "."))


def _numbers(clause: str) -> dict:
    """Estimate, CI and p-value stated in a clause (the first of each)."""
    out: dict = {}
    est = cues.ESTIMATE.search(clause)
    if est:
        out["estimate"] = _float(est.group("est"))
    ci = cues.CI.search(clause)
    if ci:
        out["ci_low"], out["ci_high"] = _float(ci.group("lo")), _float(ci.group("hi"))
    p = cues.P_VALUE.search(clause)
    if p:
        op = {"≤": "<=", "≥": ">=", "=<": "<=", "=>": ">=", "less than": "<", "greater than": ">", "more than": ">"}.get(p.group("op"), p.group("op"))
        value = float(p.group("p").replace("·", "."))
        out["p_value_text"] = f"{value:g}" if op == "=" else f"{op}{value:g}"
        if op == "=":
            out["p_value"] = value
    return out
