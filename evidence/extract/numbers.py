"""Numbers as abstracts write them: digits ("1,204"), words ("one hundred and twenty").

Trial abstracts often spell out counts at the start of a sentence ("Sixty patients were
randomly divided ..."), so sample-size rules need both forms.
"""

from __future__ import annotations

import re

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}

# Every word a spelled-out count is made of.
NUMBER_WORDS = (*_UNITS, *_TENS, *_SCALES)
_WORD = "(?:" + "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True)) + ")"
WORD_NUMBER = rf"\b{_WORD}(?:(?:\s+and\s+|[\s-]+){_WORD})*\b"
# A count: digits with optional thousands commas (not a decimal), or number words.
COUNT = rf"(?:\b\d{{1,3}}(?:,\d{{3}})+\b|\b\d+\b(?![.,]\d)|{WORD_NUMBER})"
# A count in digits only ("n = 1,204" in brackets, a registry field): an alternation, for the
# caller to put in its own group.
DIGITS_COUNT = r"\d{1,3}(?:,\d{3})+|\d+"


def parse_count(text: str) -> int | None:
    """The integer a count string stands for, or ``None`` when it is not one.

    Examples
    --------
    >>> parse_count("1,204"), parse_count("One hundred and twenty"), parse_count("sixty-four")
    (1204, 120, 64)
    """
    cleaned = text.strip().replace(",", "")
    if cleaned.isdigit():
        return int(cleaned)
    total = current = 0
    words = [w for w in re.split(r"[\s-]+", cleaned.lower()) if w and w != "and"]
    if not words:
        return None
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current
