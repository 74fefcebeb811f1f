"""The one matcher over a topic's vocabularies: classify, extract and the claim checker all read text with it.

The word lists live once, in the topic file's ``[vocab]`` section: populations, the intervention's
forms and the generic words for it, comparator classes, outcomes, and the words naming a
trial's arms. :func:`vocabulary` compiles them; the claim grammar
(``evidence.outputs.claims.grammar``) builds its claim labels on the same compiled classes,
adding only the words a claim uses and an abstract does not ("jabs", "painkillers").

Matching works by *claiming*: classes are tried in the order the topic file lists them, and a
span matched by one class cannot be matched again by a later one (:func:`claim`). That is how
"acupoint injection" (an acupuncture form) never becomes an injection comparator, how
"minimal acupuncture" (a sham) never becomes the acupuncture arm, and how "leg pain VAS" is not
also counted as a generic VAS.

Each pattern is searched only where it can match (:mod:`evidence.topic.literals`): most
patterns are absent from most texts.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import TopicError
from .literals import Gate, Searcher, could_match, gate, word_positions
from .model import Topic

# Classes in priority order: (label, its patterns each as a searcher, the class's gate). A gate
# names words without which a pattern cannot match, so a class whose words are absent from a
# text is skipped without a regex search; the claims are still made by the patterns in order,
# so priorities are unchanged.
Classes = tuple[tuple[str, tuple[Searcher, ...], Gate], ...]


def compile_patterns(patterns: Iterable[str]) -> tuple[re.Pattern, ...]:
    """Regular expressions of a topic file, compiled case-insensitively."""
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def compile_classes(table: Mapping[str, Iterable[str]]) -> Classes:
    """``label -> patterns`` (in claiming order) compiled into searchable classes."""
    classes = []
    for label, patterns in table.items():
        compiled = compile_patterns(patterns)
        classes.append((label, tuple(Searcher(p) for p in compiled), gate(compiled)))
    return tuple(classes)


# Compared by identity (eq=False): the vocabulary keys the per-record cache of mentions.
@dataclass(frozen=True, eq=False)
class Vocabulary:
    """A topic's ``[vocab]`` section, compiled. Build with :func:`vocabulary`.

    Attributes
    ----------
    before_intervention:
        Comparator classes claimed before the intervention's forms, because their phrases
        contain an intervention word ("sham acupuncture").
    interventions:
        The intervention's named forms.
    generic_intervention:
        Words naming the intervention in general (one class, ``generic``).
    default_intervention:
        The form generic words mean when no form is named.
    comparators:
        The other comparator classes.
    populations, outcomes:
        Population and outcome classes (each claimed on its own).
    lower_is_better, proportions:
        Each outcome's direction, and the outcomes counted as proportions of patients.
    intervention_arm, comparator_arm:
        Words naming a trial's arms (one class each).
    intervention_form_classes:
        Comparator classes that are forms of the intervention itself (another dose or form of
        acupuncture as the control arm).
    """

    before_intervention: Classes
    interventions: Classes
    generic_intervention: Classes
    default_intervention: str | None
    comparators: Classes
    populations: Classes
    outcomes: Classes
    lower_is_better: dict[str, bool]
    proportions: frozenset[str]
    intervention_arm: Classes
    comparator_arm: Classes
    intervention_form_classes: tuple[str, ...] = ()

    def comparator_class(self, name: str) -> tuple[Searcher, ...]:
        """The searchers of one comparator class (empty when the topic has no such class)."""
        for label, searchers, _gate in self.before_intervention + self.comparators:
            if label == name:
                return searchers
        return ()


_VOCAB_CACHE: dict[int, tuple[Topic, Vocabulary]] = {}


def vocabulary(topic: Topic) -> Vocabulary:
    """Compile a topic's vocabularies (cached per topic object).

    Raises
    ------
    TopicError
        A pattern is not a valid regular expression, or an entry has the wrong shape.
    """
    cached = _VOCAB_CACHE.get(id(topic))
    if cached and cached[0] is topic:
        return cached[1]
    try:
        vocab = _compile_vocabulary(topic.section("vocab"), topic)
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise TopicError(f"topic {topic.name}: malformed [vocab] section ({exc})") from exc
    _VOCAB_CACHE[id(topic)] = (topic, vocab)
    return vocab


def _compile_vocabulary(v: dict[str, Any], topic: Topic) -> Vocabulary:
    early = set(v.get("claim_before_intervention", []))
    comparators = compile_classes(topic.comparator_patterns)
    outcome_table = v.get("outcome", {})
    return Vocabulary(
        before_intervention=tuple(c for c in comparators if c[0] in early),
        interventions=compile_classes(v.get("intervention", {})),
        generic_intervention=compile_classes({"generic": v.get("intervention_generic", [])}),
        default_intervention=v.get("intervention_default"),
        comparators=tuple(c for c in comparators if c[0] not in early),
        populations=compile_classes(v.get("population", {})),
        outcomes=compile_classes({k: o.get("patterns", []) for k, o in outcome_table.items()}),
        lower_is_better={k: bool(o.get("lower_is_better", True)) for k, o in outcome_table.items()},
        proportions=frozenset(k for k, o in outcome_table.items() if o.get("scale") == "proportion"),
        intervention_arm=compile_classes({"intervention": v.get("intervention_arm", [])}),
        comparator_arm=compile_classes({"comparator": v.get("comparator_arm", [])}),
        intervention_form_classes=topic.intervention_form_classes,
    )


# --------------------------------------------------------------------------------------------
# Mentions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A vocabulary match: ``kind`` is population, intervention, generic, comparator or outcome."""

    kind: str
    label: str
    start: int
    end: int
    text: str
    negated: bool = False


# "no sham control", "without radiculopathy", "neither nerve block nor ...".
_NEGATION_BEFORE = re.compile(r"\b(?:no|not|without|neither|nor|free of|absence of|never)\s+(?:\w+[\s-]+){0,2}$", re.IGNORECASE)

# One claimed vocabulary pattern: (class label, its searcher, the record offsets where its
# matches can start, or None to search the text the plain way).
Entry = tuple[str, Searcher, "list[int] | None"]
# The claiming groups in order: (kind, vocabulary field, whether its spans are shared with the
# groups before it). Arms share one list of taken spans; populations and outcomes claim alone.
_CLAIM_ORDER = (
    ("comparator", "before_intervention", True), ("intervention", "interventions", True),
    ("generic", "generic_intervention", True), ("comparator", "comparators", True),
    ("population", "populations", False), ("outcome", "outcomes", False),
)


def claim(text: str, kind: str, classes: Classes, taken: list[tuple[int, int]]) -> list[Mention]:
    """Matches of ``classes`` in class order, skipping spans already ``taken`` (which it extends).

    A class's matches come in the order of its patterns, each pattern's in text order.
    """
    folded = text.casefold()
    entries = [(label, searcher, None) for label, patterns, class_gate in classes if could_match(class_gate, folded)
               for searcher in patterns]
    return _claim_entries(text, folded, 0, kind, entries, taken)


def _claim_entries(text: str, folded: str, offset: int, kind: str, entries: Iterable[Entry],
                   taken: list[tuple[int, int]]) -> list[Mention]:
    """Matches of each entry in order, skipping spans already ``taken`` (which it extends).

    ``text`` starts at ``offset`` in the record; an entry's places are record offsets, and only
    those inside ``text`` are tried.
    """
    found: list[Mention] = []
    end = offset + len(text)
    for label, searcher, at in entries:
        if at is None:
            matches = searcher.finditer(text, folded)
        else:
            lo = bisect_left(at, offset)
            if lo == len(at) or at[lo] >= end:
                continue
            matches = searcher.matches_at(text, [p - offset for p in at[lo:bisect_left(at, end, lo)]])
        for m in matches:
            if m.end() == m.start() or any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            negated = bool(_NEGATION_BEFORE.search(text, max(0, m.start() - 40), m.start()))
            found.append(Mention(kind, label, m.start(), m.end(), m.group(0), negated))
    return found


def sentence_mentions(text: str, vocab: Vocabulary) -> list[Mention]:
    """All vocabulary mentions in one sentence, in text order.

    Arms are claimed in a fixed order (early comparators such as sham, then the intervention's
    forms, then generic words for it, then the other comparators); populations and outcomes are
    matched on their own.
    """
    folded = text.casefold()
    groups: list[list[Entry]] = [
        [(label, searcher, None) for label, patterns, class_gate in getattr(vocab, name) if could_match(class_gate, folded)
         for searcher in patterns] for _kind, name, _shared in _CLAIM_ORDER]
    return _mentions(text, folded, 0, groups)


def span_mentions(text: str, spans: Sequence[tuple[int, int]], vocab: Vocabulary) -> list[tuple[Mention, ...]]:
    """The mentions of each span of ``text`` (a record's sentences), as :func:`sentence_mentions` gives them.

    The record is scanned once for the opening words of every vocabulary pattern; each span then
    tries only the patterns whose words stand in it, at those places.
    """
    folded = text.casefold()
    if len(folded) != len(text):  # offsets of the casefolded text would not be the text's
        return [tuple(sentence_mentions(text[start:end], vocab)) for start, end in spans]
    index = _vocabulary_index(vocab)
    places, unopened = _record_places(index, folded)
    entries, kinds = index.entries, _GROUP_KINDS
    found_all: list[tuple[Mention, ...]] = []
    for start, end in spans:
        # The entries with an opening word inside the span (at places relative to it), and the
        # entries without opening words; all tried in claiming order, as _mentions tries them.
        lo, hi = bisect_left(places, (start, -1)), bisect_left(places, (end, -1))
        at: dict[int, list[int]] = {}
        for place, i in places[lo:hi]:
            if i in at:
                at[i].append(place - start)
            else:
                at[i] = [place - start]
        if not at and not unopened:
            found_all.append(())
            continue
        order = sorted(at) if not unopened else sorted(set(at).union(unopened))
        sub = text[start:end]
        sub_folded = None
        found: list[Mention] = []
        shared_taken: list[tuple[int, int]] = []
        group = -1
        taken = shared_taken
        for i in order:
            entry_group, label, searcher = entries[i]
            kind, shared = kinds[entry_group]
            if entry_group != group:
                group = entry_group
                taken = shared_taken if shared else []
            starts = at.get(i)
            if starts is None:
                if sub_folded is None:
                    sub_folded = folded[start:end]
                matches: Iterable[re.Match] = searcher.finditer(sub, sub_folded)
            else:
                matches = searcher.matches_at(sub, starts)
            for m in matches:
                m_start, m_end = m.span()
                if m_end == m_start:
                    continue
                for s, e in taken:
                    if m_start < e and s < m_end:
                        break
                else:
                    taken.append((m_start, m_end))
                    negated = bool(_NEGATION_BEFORE.search(sub, max(0, m_start - 40), m_start))
                    found.append(Mention(kind, label, m_start, m_end, m.group(0), negated))
        found.sort(key=_mention_order)
        found_all.append(tuple(found))
    return found_all


def _mention_order(m: Mention) -> tuple[int, str]:
    return (m.start, m.kind)


# Per group of _CLAIM_ORDER: (kind, whether its spans are shared with the groups before it).
_GROUP_KINDS = tuple((kind, shared) for kind, _name, shared in _CLAIM_ORDER)


def _mentions(text: str, folded: str, offset: int, groups: list[list[Entry]]) -> list[Mention]:
    """Mentions claimed group by group (``groups`` follows ``_CLAIM_ORDER``), in text order."""
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for (kind, _name, shared), entries in zip(_CLAIM_ORDER, groups):
        if entries:
            found += _claim_entries(text, folded, offset, kind, entries, taken if shared else [])
    return sorted(found, key=lambda m: (m.start, m.kind))


@dataclass(frozen=True)
class _VocabularyIndex:
    """Every claimed pattern of a vocabulary in claiming order, and the words that open them."""

    entries: tuple[tuple[int, str, Searcher], ...]  # (group in _CLAIM_ORDER, label, searcher)
    by_word: dict[str, tuple[int, ...]]  # opening word -> entries it opens
    unopened: tuple[int, ...]  # entries with no opening words: gated on the record, then searched
    # One pass over a casefolded record finds every opening word: at each place, the longest
    # word that stands there (group 1), None when there are no opening words.
    openings: re.Pattern | None
    prefixes: dict[str, tuple[str, ...]]  # opening word -> the opening words it starts with (itself too)


def _trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching each of ``words`` literally, written as a tree of their
    shared starts: at a place it matches the longest of the words that stands there (each step
    goes on greedily, and the steps from one node differ in their first character)."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def branch(node: dict[str, dict]) -> str:
        steps = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not steps:
            return ""
        body = steps[0] if len(steps) == 1 else "(?:" + "|".join(steps) + ")"
        return f"(?:{body})?" if "" in node else body

    return branch(tree)


@lru_cache(maxsize=16)
def _vocabulary_index(vocab: Vocabulary) -> _VocabularyIndex:
    entries = tuple((group, label, searcher) for group, (_kind, name, _shared) in enumerate(_CLAIM_ORDER)
                    for label, patterns, _gate in getattr(vocab, name) for searcher in patterns)
    by_word: dict[str, list[int]] = {}
    for i, (_group, _label, searcher) in enumerate(entries):
        for word in searcher.opening or ():
            by_word.setdefault(word, []).append(i)
    unopened = tuple(i for i, (_g, _l, searcher) in enumerate(entries) if searcher.opening is None)
    words = list(by_word)
    # Zero-width (a look-ahead), so finditer tries every place, overlapping ones included. (An
    # empty word would stand everywhere: such a vocabulary is read word by word instead.)
    openings = re.compile(f"(?=({_trie_pattern(words)}))") if words and "" not in by_word else None
    prefixes = {w: tuple(v for v in words if w.startswith(v)) for w in words}
    return _VocabularyIndex(entries, {w: tuple(ids) for w, ids in by_word.items()}, unopened, openings, prefixes)


def _record_places(index: _VocabularyIndex, folded: str) -> tuple[list[tuple[int, int]], tuple[int, ...]]:
    """Where the record's entries can match: ``(record offset, entry)`` pairs, ascending, for the
    entries with opening words (each place once per entry), and the entries without opening
    words whose gate the record passes (searched the plain way in each span).

    The words that stand at a place are the longest one there and the words it starts with, so
    one pass of ``index.openings`` gives every word's places (as ``word_positions`` would).
    """
    positions: dict[str, list[int]] = {}
    if index.openings is None:
        positions = {w: word_positions(folded, (w,)) for w in index.by_word if w in folded}
    else:
        prefixes = index.prefixes
        for m in index.openings.finditer(folded):
            at = m.start()
            for word in prefixes[m.group(1)]:
                found = positions.get(word)
                if found is None:
                    positions[word] = [at]
                else:
                    found.append(at)
    unopened = tuple(i for i in index.unopened if could_match(index.entries[i][2].gate, folded))
    places: list[tuple[int, int]] = []
    several: set[int] = set()  # entries opened by more than one word: their places merged below
    entries = index.entries
    for word, word_places in positions.items():
        for i in index.by_word[word]:
            if len(entries[i][2].opening or ()) == 1:
                places.extend([(p, i) for p in word_places])
            else:
                several.add(i)
    for i in several:
        merged = {p for word in entries[i][2].opening or () for p in positions.get(word, ())}
        places.extend([(p, i) for p in merged])
    places.sort()
    return places, unopened
