"""Sentences with character spans, so every extracted fact can be quoted and checked.

The text an article is read from is always ``record_text(title, abstract)``: the title, a newline,
then the abstract (sections joined by blank lines, each led by ``LABEL: ``, as in
``evidence.tables.schema.ARTICLES``). Spans are offsets into that string, so
``text[span.start:span.end] == span.text`` holds for every sentence returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

# A section label as the parser writes it ("RESULTS: ", "MATERIALS AND METHODS: ").
_LABEL = re.compile(r"([A-Z][A-Z &/,-]{2,60}):\s+")

# Candidate sentence ends: terminal punctuation followed by space and a capital, digit or bracket;
# or, as some exports glue sentences, a full stop after a word or bracket and straight before a
# capitalised word, an abbreviation or a numbered point ("... group.The curative", "(P>0.05).VAS scores",
# "(P<0.05).(2)After", "group.(3)as for the JOA" (a numbered point may open in lower case),
# "(P<0.01).In the end" (a short capitalised word and the next),
# "(CRP)].Results The").
# Written to open with the punctuation in both branches (the glued case checks the full stop and
# the letter before it from behind), so the regex engine skips straight to candidate characters.
_BOUNDARY = re.compile(r"[.?!](?:(?=\s+[\"'(\[]?[A-Z0-9])|(?<=[a-z%)\]]\.)(?=[A-Z][a-z]{2,}|[A-Z][a-z]?\s+[a-z]|(?<=\)\.)[A-Z][a-z]?\s+\d|[A-Z]{2,}\b|\(\d{1,2}\)[A-Za-z]))")

# Abbreviations that end in a full stop without ending a sentence ("vs. 4.2", "et al. In").
_NO_BREAK_BEFORE = re.compile(
    r"(?:\b(?:vs|v|et al|e\.g|i\.e|approx|ca|cf|Fig|Figs|No|Nos|Dr|St|Ref|resp|min|max|mo|yr|yrs|wk|wks)|\b[A-Z])\.$",
    re.IGNORECASE,
)

# Section headings whose sentences describe aims and methods rather than results.
NON_RESULT_SECTIONS = frozenset(
    {"BACKGROUND", "INTRODUCTION", "OBJECTIVE", "OBJECTIVES", "AIM", "AIMS", "PURPOSE", "CONTEXT",
     "METHODS", "METHOD", "MATERIALS AND METHODS", "DESIGN", "SETTING", "PARTICIPANTS",
     "INTERVENTIONS", "INTERVENTION", "STUDY DESIGN", "METHODS AND ANALYSIS", "ETHICS AND DISSEMINATION",
     "TRIAL REGISTRATION", "REGISTRATION", "SEARCH METHODS", "SELECTION CRITERIA", "DATA SOURCES",
     "DATA COLLECTION AND ANALYSIS", "STUDY SELECTION", "DATA EXTRACTION", "MAIN OUTCOME MEASURES",
     "SUMMARY OF BACKGROUND DATA"}
)

# A heading written inside an unstructured abstract, at the start of a sentence: "Methods: We ...",
# "Results Thirty patients ...", "Objective. To ...". Web pages and some exports flatten the
# structured abstract this way. After a colon any word may follow; after a full stop or a bare
# space the next word must be capitalised, so "Results showed ..." stays a sentence.
_HEADING = (
    r"(?P<label>(?i:summary of background data|background|objectives?|object|aims?|purpose|introduction|context|patients and methods|"
    r"materials and methods|methods?(?:/design| and analysis)?|study design|design(?:,? settings?,? and participants)?|"
    r"settings?|participants|interventions?|main outcomes? (?:and )?measures?|results?|findings|conclusions?|interpretation))"
)
_INLINE_LABEL = re.compile(
    _HEADING + r"(?:\s*:\s*|(?:\s*\.\s+|\s+)(?=[A-Z0-9\"(])|(?=\(\d\)))"
    # Glued to the next word in capitals, as some exports print it: "RESULTSThe VAS fell".
    r"|(?P<caps>BACKGROUND|OBJECTIVES?|METHODS?|RESULTS?|CONCLUSIONS?)(?=[A-Z][a-z])"
)
_HEADING_LINE = re.compile(r"\s*" + _HEADING + r"\s*[.:]?\s*")
# A heading the sentence splitter cut off on its own ("Objective." then "To investigate ...").
_LABEL_ALONE = re.compile(_HEADING + r"\s*[.:]")
# Inline headings as the section names of structured abstracts.
_CANONICAL_LABEL = (
    # The background heading of some journals' structured abstracts.
    ("summary of background", "BACKGROUND"),
    ("patients and methods", "METHODS"), ("materials and methods", "METHODS"), ("methods and analysis", "METHODS AND ANALYSIS"),
    ("method", "METHODS"), ("study design", "DESIGN"), ("design", "DESIGN"), ("setting", "SETTING"),
    ("participants", "PARTICIPANTS"), ("intervention", "INTERVENTIONS"), ("main outcome", "MAIN OUTCOME MEASURES"),
    ("objective", "OBJECTIVE"), ("object", "OBJECTIVE"), ("aim", "AIM"), ("purpose", "PURPOSE"),
    ("background", "BACKGROUND"), ("introduction", "INTRODUCTION"), ("context", "CONTEXT"), ("result", "RESULTS"),
    ("finding", "RESULTS"), ("conclusion", "CONCLUSIONS"), ("interpretation", "CONCLUSIONS"),
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a record's text.

    Attributes
    ----------
    start, end:
        Character offsets into the record text.
    text:
        ``record_text[start:end]``.
    section:
        The abstract section label it sits under (``"TITLE"`` for the title, ``None`` when the
        abstract is unstructured).
    """

    start: int
    end: int
    text: str
    section: str | None
    # The section was read from a heading written inside unstructured text ("Methods: ..."),
    # which can be missed where it is glued to the sentence before; labelled sections are not.
    inline_section: bool = False


def record_text(title: object, abstract: object) -> str:
    """The text spans refer to: ``title + "\\n" + abstract`` (missing parts as empty strings)."""
    return f"{_str(title)}\n{_str(abstract)}"


def _str(value: object) -> str:
    # Tables hold pd.NA for missing text; plain records may hold None or NaN.
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def split_sentences(text: str) -> list[Sentence]:
    """Split a record text into sentences with character spans.

    The first line is the title. Blank lines separate abstract sections; a leading ``LABEL: ``
    is not part of a sentence but is kept as its ``section``.

    Parameters
    ----------
    text:
        A string built by :func:`record_text`.

    Returns
    -------
    list of Sentence
        In reading order; ``text[s.start:s.end] == s.text`` for each.
    """
    sentences: list[Sentence] = []
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    sentences.extend(split_block(text, 0, title_end, "TITLE"))
    # A heading on a line of its own ("Background", then the section's text on the next line), as
    # pages of structured abstracts print them: the lines after it sit under it until the next heading.
    carried: str | None = None
    for block in re.finditer(r"[^\n]+", text[title_end:]):
        start, end = title_end + block.start(), title_end + block.end()
        section = None
        label = _LABEL.match(text, start, end)
        if label:
            section = label.group(1).strip()
            start = label.end()
            carried = None
        alone = _HEADING_LINE.fullmatch(text, start, end)
        if alone:
            carried = _canonical(alone.group("label"))
        elif section is None and carried is not None:
            # Read as a heading found in the text: the next heading may be missing ("Study design"
            # and then the results with no heading of their own), so statistics are still read.
            sentences.extend(replace(x, inline_section=True) for x in _inline_sections(text, split_block(text, start, end, carried)))
            continue
        # A block may hold more headings inline ("OBJECTIVE: ... METHODS: ... RESULTS: ..." on one line).
        sentences.extend(_inline_sections(text, split_block(text, start, end, section)))
    return sentences


def _inline_sections(text: str, block: list[Sentence]) -> list[Sentence]:
    """The sentences of a block, each under the last heading written inside it (if any).

    A sentence that opens with a heading ("Methods: ...") loses the heading, as a labelled
    section does, and it and the sentences after it take the heading as their section; before
    the first such heading, sentences keep the block's own label.
    """
    out: list[Sentence] = []
    section: str | None = None
    for sentence in block:
        if section is None and sentence.section is not None and not (
                _INLINE_LABEL.match(sentence.text) or _LABEL_ALONE.fullmatch(sentence.text)):
            # Under the block's own label until a heading inside the block says otherwise.
            out.append(sentence)
            continue
        alone = _LABEL_ALONE.fullmatch(sentence.text)
        m = _INLINE_LABEL.match(sentence.text)
        if alone:
            # "Objective." split off as a sentence of its own: it heads what follows.
            section = _canonical(alone.group("label"))
            sentence = Sentence(sentence.start, sentence.end, sentence.text, section, True)
        elif m and m.end() < len(sentence.text):
            section = _canonical(m.group("label") or m.group("caps"))
            start = sentence.start + m.end()
            sentence = Sentence(start, sentence.end, text[start : sentence.end], section, True)
        elif section is not None:
            sentence = Sentence(sentence.start, sentence.end, sentence.text, section, True)
        out.append(sentence)
    return out


def _canonical(label: str) -> str:
    folded = label.lower()
    return next((name for prefix, name in _CANONICAL_LABEL if folded.startswith(prefix)), label.upper())


def split_block(text: str, start: int, end: int, section: str | None) -> list[Sentence]:
    """The sentences of ``text[start:end]`` (one section), each with its span in the whole ``text``."""
    out: list[Sentence] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        piece = text[cursor : m.end()]
        # A full stop inside brackets ("(95% CI 1.2 to 3.4. P = .01)") is rarely a sentence end.
        if piece.count("(") + piece.count("[") + piece.count("{") > piece.count(")") + piece.count("]") + piece.count("}"):
            continue
        if _NO_BREAK_BEFORE.search(text, max(cursor, m.end() - 8), m.end()):
            continue
        out.extend(_trimmed(text, cursor, m.end(), section))
        cursor = m.end()
    out.extend(_trimmed(text, cursor, end, section))
    return out


def _trimmed(text: str, start: int, end: int, section: str | None) -> list[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return [Sentence(start, end, text[start:end], section)] if end > start else []


@lru_cache(maxsize=64)
def cached_sentences(text: str) -> tuple[Sentence, ...]:
    """``split_sentences``, cached: PICO, sample size and effects each read the same record's sentences."""
    return tuple(split_sentences(text))
