"""Literal strings a regular expression cannot match without, used to skip hopeless searches.

Python's ``re`` scans a text character by character for a case-insensitive pattern, so a record
read against a few hundred vocabulary and cue patterns spends nearly all its time in searches
that find nothing. Most patterns cannot match unless some plain word appears in the text
("sham", "random", "placebo"), and ``str.__contains__`` finds a word far faster than the
regex engine. :func:`gate` reads those words out of a pattern's parse tree; :func:`could_match`
says whether a text has one of them. It never says no when the pattern could match: a pattern
whose words cannot be told (it starts with a character class, say) gets no gate and is always
searched.

Texts and literals are compared casefolded, so case-insensitive patterns are covered.

Many patterns also *open* with one of a few words (``\\brandomi[sz]ed``). A match of such a
pattern can only start where one of those words stands, so :class:`Searcher` finds the words
with ``str.find`` and tries the pattern only there, instead of at every character.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from heapq import heapify, heappop, heapreplace

try:  # Python 3.11+ keeps the parser here; the old module name warns.
    from re import _constants as _c, _parser as _sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

# A gate is a conjunction of clauses, each a set of casefolded words one of which must appear
# (``None``: nothing is known, always search).
Gate = tuple[tuple[str, ...], ...] | None
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())
# Words shorter than this are in nearly every text and would only cost time.
_MIN_WORD = 3


def gate(patterns: Iterable[re.Pattern]) -> Gate:
    """What any text some of ``patterns`` matches must hold; ``None`` when that cannot be told.

    For one pattern every clause its parse tree shows is kept; for several, one clause that
    covers them all (the union of each pattern's most telling clause).
    """
    patterns = list(patterns)
    per_pattern = [_useful(_sequence(list(_sre_parse.parse(p.pattern, p.flags)))) for p in patterns]
    if not per_pattern or any(not clauses for clauses in per_pattern):
        return None
    if len(per_pattern) == 1:
        return tuple(_lean(c) for c in per_pattern[0])
    return (_lean(set().union(*(clauses[0] for clauses in per_pattern))),)


def _lean(clause: Iterable[str]) -> tuple[str, ...]:
    """A clause's words without those that hold another of them ("enrolled" is found whenever
    "enrol" is, so a look for it is wasted), shortest first (the likelier to be found at once)."""
    words = set(clause)
    return tuple(sorted((w for w in words if not any(v != w and v in w for v in words)), key=lambda w: (len(w), w)))


def could_match(gate_: Gate, folded: str) -> bool:
    """Whether a casefolded text holds a word of every clause of the gate (always true without one)."""
    if gate_ is None:
        return True
    # Plain loops: this runs hundreds of times per record, and generator frames cost more than the test.
    for clause in gate_:
        for word in clause:
            if word in folded:
                break
        else:
            return False
    return True


def _useful(clauses: list[set[str]]) -> list[set[str]]:
    """Clauses worth checking, the most telling (longest shortest word) first."""
    kept = [c for c in clauses if min(len(w) for w in c) >= _MIN_WORD]
    return sorted(kept, key=lambda c: -min(len(w) for w in c))


def _sequence(items: list) -> list[set[str]]:
    """Clauses a match of a run of nodes must satisfy: each set names words one of which it holds."""
    clauses: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if op is _c.AT:  # \b, ^, $ take no characters: the run goes on
            continue
        if run:
            clauses.append({run.casefold()})
            run = ""
        clauses.extend(_node(op, av))
    if run:
        clauses.append({run.casefold()})
    return clauses


def _node(op, av) -> list[set[str]]:
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _c.BRANCH:
        # One alternative holds: the union of each alternative's most telling clause.
        union: set[str] = set()
        for branch in av[1]:
            clauses = _useful(_sequence(list(branch)))
            if not clauses:
                return []
            union |= clauses[0]
        return [union]
    if op in _REPEATS:
        low, _high, item = av
        return _sequence(list(item)) if low >= 1 else []
    if op is _c.ASSERT:  # (?=...) and (?<=...): the text is there
        return _sequence(list(av[1]))
    return []


def opening_words(pattern: re.Pattern) -> tuple[str, ...] | None:
    """Casefolded words one of which every match of ``pattern`` starts with (``None``: unknown)."""
    words = _opening(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
    # Two letters still mark few places ("we", "OR"), and so do one bracket and one digit (a
    # regex tried at each of a record's digits costs less than one scanning every character); one
    # letter marks too many to help.
    if not words or any(len(w) < 2 and w.isalpha() for w in words):
        return None
    return tuple(sorted(words))


def _opening(items: list) -> set[str] | None:
    run = ""
    for i, (op, av) in enumerate(items):
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if run:
            # The parser factors a shared start out of alternatives ("allocated|assigned" is
            # read as "a(?:llocated|ssigned)"): join the run to what each alternative opens with,
            # since one letter marks too many places to help.
            rest = _opening(items[i:]) if op in (_c.BRANCH, _c.SUBPATTERN) else None
            return {run.casefold() + word for word in rest} if rest else {run.casefold()}
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):  # zero width: the match has not started yet
            continue
        if op is _c.SUBPATTERN:
            return _opening(list(av[-1]))
        if op is _c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                words = _opening(list(branch))
                if not words:
                    return None
                union |= words
            return union
        if op in _REPEATS and av[0] >= 1:
            return _opening(list(av[2]))
        if op in _REPEATS:  # optional ("(?:normal )?saline"): a match opens with it or with what follows
            first, rest = _opening(list(av[2])), _opening(items[i + 1:])
            return first | rest if first and rest else None
        if op is _c.IN:  # [(\[] or [2-9]
            return _class_chars(av)
        return None
    return {run.casefold()} if run else None


def _class_chars(items: list) -> set[str] | None:
    """The characters of a small character class of literals and ASCII digit ranges (``None``
    for any other class: negated, categories such as ``\\d``, which holds non-ASCII digits too)."""
    chars: set[str] = set()
    for kind, value in items:
        if kind is _c.LITERAL:
            chars.add(chr(value).casefold())
        elif kind is _c.RANGE and ord("0") <= value[0] <= value[1] <= ord("9"):
            chars.update(chr(c) for c in range(value[0], value[1] + 1))
        else:
            return None
    return chars if len(chars) <= 10 else None


class Searcher:
    """A compiled pattern searched only where it can match: behind its gate, at its opening words.

    ``search`` and ``finditer`` give what ``re.Pattern.search`` and ``finditer`` would, for
    texts whose casefolded form keeps their length (others are searched the plain way).
    """

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        self.gate = gate((pattern,))
        self.opening = opening_words(pattern)
        self.gate_first = self.gate is not None and self.gate != (_lean(self.opening),) if self.opening else False

    def search(self, text: str, folded: str | None = None) -> re.Match | None:
        """The leftmost match in ``text`` (``folded`` is ``text.casefold()``, if already made)."""
        folded = text.casefold() if folded is None else folded
        if self.opening is None or len(folded) != len(text):
            return self.pattern.search(text) if could_match(self.gate, folded) else None
        # Words in the middle of a pattern are often rarer than its opening words ("were ...
        # randomized"): one look for them can spare a try at every opening.
        if self.gate_first and not could_match(self.gate, folded):
            return None
        # The openings in text order, each word's next place found only when needed: most
        # searches end at the first or second try.
        match = self.pattern.match
        find = folded.find
        upcoming = []
        for word in self.opening:
            at = find(word)
            if at >= 0:
                upcoming.append((at, word))
        if len(upcoming) > 1:
            heapify(upcoming)
            tried = -1
            while len(upcoming) > 1:
                at, word = upcoming[0]
                if at != tried:
                    m = match(text, at)
                    if m:
                        return m
                    tried = at
                at = find(word, at + 1)
                if at >= 0:
                    heapreplace(upcoming, (at, word))
                else:
                    heappop(upcoming)
            at, word = upcoming[0]
            if at == tried:
                at = find(word, at + 1)
        elif upcoming:
            at, word = upcoming[0]
        else:
            return None
        # One word left: its places in turn.
        while at >= 0:
            m = match(text, at)
            if m:
                return m
            at = find(word, at + 1)
        return None

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match]:
        """Non-overlapping matches in text order."""
        folded = text.casefold() if folded is None else folded
        if self.opening is not None and len(folded) == len(text):
            # Where no opening word stands, nothing is tried; the gate is worth a look only
            # when it names other words.
            if self.gate_first and not could_match(self.gate, folded):
                return iter(())
            return self._at_openings(text, folded, self.opening)
        if not could_match(self.gate, folded):
            return iter(())
        return self.pattern.finditer(text)

    def _at_openings(self, text: str, folded: str, opening: tuple[str, ...]) -> Iterator[re.Match]:
        return self.matches_at(text, word_positions(folded, opening))

    def matches_at(self, text: str, starts: Iterable[int]) -> Iterator[re.Match]:
        """Non-overlapping matches in ``text`` that start at ``starts`` (ascending), as ``finditer``
        gives them when every match starts at one of ``starts`` (the places of the opening words)."""
        end = 0
        for start in starts:
            if start >= end:
                m = self.pattern.match(text, start)
                if m:
                    end = max(m.end(), start + 1)
                    yield m


def word_positions(folded: str, words: tuple[str, ...]) -> list[int]:
    """Where any of ``words`` starts in ``folded``, ascending (overlapping places included)."""
    if len(words) == 1:  # the common case: no set needed, find already gives them in order
        word, found = words[0], []
        at = folded.find(word)
        while at >= 0:
            found.append(at)
            at = folded.find(word, at + 1)
        return found
    found_set = set()
    for word in words:
        at = folded.find(word)
        while at >= 0:
            found_set.add(at)
            at = folded.find(word, at + 1)
    return sorted(found_set)
