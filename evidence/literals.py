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
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:  # Python 3.11+ keeps the parser here; the old module name warns.
    from re import _constants as _c, _parser as _sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

Gate = tuple[str, ...] | None
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())


def gate(patterns: Iterable[re.Pattern]) -> Gate:
    """Casefolded strings one of which appears in any text some pattern matches (``None``: unknown)."""
    found: set[str] = set()
    for pattern in patterns:
        needed = _sequence(list(_sre_parse.parse(pattern.pattern, pattern.flags)))
        if needed is None:
            return None
        found |= needed
    return tuple(sorted(found))


def could_match(gate_: Gate, folded: str) -> bool:
    """Whether a casefolded text holds one of the gate's strings (always true without a gate)."""
    return gate_ is None or any(word in folded for word in gate_)


def _sequence(items: list) -> set[str] | None:
    """For a run of nodes: the best set any match must contain one of (the longest shortest word)."""
    candidates: list[set[str]] = []
    run = ""
    for op, av in items:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        if op is _c.AT:  # \b, ^, $ take no characters: the run goes on
            continue
        if run:
            candidates.append({run})
            run = ""
        needed = _node(op, av)
        if needed:
            candidates.append(needed)
    if run:
        candidates.append({run})
    if not candidates:
        return None
    best = max(candidates, key=lambda words: min(len(w) for w in words))
    return {w.casefold() for w in best}


def _node(op, av) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            needed = _sequence(list(branch))
            if needed is None:
                return None
            union |= needed
        return union
    if op in _REPEATS:
        low, _high, item = av
        return _sequence(list(item)) if low >= 1 else None
    if op is _c.ASSERT:  # (?=...) and (?<=...): the text is there
        return _sequence(list(av[1]))
    return None
