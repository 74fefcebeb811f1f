"""A structural reading of a trial's arms: how the groups were formed, each arm classed from its own words.

The comparator logic of :func:`evidence.extract.findings.extract_pico` counts the vocabulary
mentions of the whole record and then removes the ones that are no arm (history, background,
co-treatments). This module reads the other way round: it finds the statement that forms the
groups ("were randomly assigned to X or Y", "divided into an X group (n = 30) and a Y group
(n = 30)", "Group A received X; group B received Y", a title "X versus Y"), cuts it into one
description per arm, and classes each arm from its own description only.

:func:`read_arms` returns None when no such statement is found or an arm cannot be classed from
its words, so that the mention-based reading stays the fallback.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from ..topic.literals import Searcher
from ..topic.matcher import Mention, Vocabulary
from .text import Sentence

__all__ = ["GIVEN_WORDS", "Arm", "Arms", "GroupGiven", "arms_of_sentences", "groups_given", "read_arms"]


@dataclass(frozen=True)
class Arm:
    """One arm: its description, the comparator classes it names and whether it names the intervention."""

    text: str
    classes: frozenset[str]
    intervention: bool
    forms: frozenset[str] = frozenset()
    described: frozenset[str] = frozenset()  # the classes its description names, where its name decided its classes


@dataclass(frozen=True)
class Arms:
    """The comparator classes (sorted) and the add-on flag read from the arms, and how they were found."""

    comparator_classes: list[str]
    add_on: bool | None
    how: str
    arms: tuple[Arm, ...] = ()


_BACKGROUND = frozenset({"BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE", "SUMMARY OF BACKGROUND DATA", "OBJECTIVE",
                         "OBJECTIVES", "AIM", "AIMS", "PURPOSE"})

# The words that form groups, and what follows them: "randomly assigned to", "randomized into",
# "allocated to receive either", "divided into", "randomised between".
_ALLOCATION = re.compile(
    r"\b(?:randomi[sz]ed|randomly\s+(?:assigned|allocated|divided|distributed|split|selected|classified|grouped)|allocated|assigned|divided|distributed)"
    # (An adverb after the verb: "assigned randomly to", "divided equally into".)
    r"(?:\s+(?:randomly|equally|evenly|consecutively))?(?:\s*\([^()]{0,30}\))?(?:\s+(?:\w+\s+){0,3}?(?:ratio|fashion|manner|way|basis))?"
    r"\s*,?\s*(?:(?:in)?to|between|among|for)\s+(?:(?:receive|undergo|be\s+treated\s+with|be\s+given|get)\s+)?(?:either\s+)?"
    # The active voice, with whom before the arms: "we randomly allocated 52 adults with sciatica to".
    r"|\b(?:we|they|investigators)\s+(?:randomly\s+(?:allocated|assigned|divided)|randomi[sz]ed)\s+(?:[\w-]+,?\s+){1,16}?(?:in)?to\s+(?:(?:receive|undergo)\s+)?(?:either\s+)?",
    re.IGNORECASE)
# Words without which no allocation statement or arm description starts (cheap tests before the searches).
_ALLOCATION_GATE = re.compile(r"random|allocat|assign|divided|distributed", re.IGNORECASE)
# Where the arms of an allocation statement end: its purpose, timing or measurement clauses.
_SEGMENT_END = re.compile(
    r"[.;](?:\s|$)|\s(?:for|over|during)\s+(?:a\s+(?:period|total)\s+of\s+)?(?:\d+|one|two|three|four|five|six|eight|ten|twelve)[- ]"
    r"(?:\w+[- ])?(?:weeks?|days?|months?|sessions?|times?|treatments?)\b"
    r"|,\s*(?:and\s+)?(?:with|after|before|then|where|which|who|in\s+which|stratified)\b|\s(?:using|by\s+(?:a\s+)?(?:computer|random|sealed))\b"
    r"|\s(?:and|then)\s+(?:were|was|received\s+treatment|followed|evaluated|assessed|treated\s+for)\b",
    re.IGNORECASE)
# Splitting a run of arms: "X, Y, or Z", "X versus Y", "either X or Y", "X (n = 30) and Y (n = 28)".
_SIZE_MARK = re.compile(r"\(?\s*\[?\s*\b[nN]\s*=\s*\d+\s*\]?\s*\)?|\(\s*\d+\s+(?:patients|participants|cases|subjects)\s*\)|\b\d+\s+(?:patients|participants|cases|subjects)?\s*(?:in\s+)?each\b")
_VERSUS = re.compile(r"\s+(?:versus|vs\.?|compared\s+(?:with|to)|against)\s+", re.IGNORECASE)
_LIST_CUT = re.compile(r"\s*;\s*|,\s*(?:and|or)\s+|,\s+|\s+(?:and|or)\s+(?=(?:the\s+|a\s+|an\s+)?(?:\w+[- ]?){0,6}?\b(?:group|arm)s?\b)|\s+or\s+", re.IGNORECASE)
_GROUPS_WORD = re.compile(r"\b(?:two|three|four|2|3|4)\s+(?:\w+\s+){0,2}?(?:groups|arms)\s*(?::|,|\()?\s*", re.IGNORECASE)

# An arm description elsewhere, the one reader of "the X group received Y" (also used by
# evidence.extract.arms for the names and roles groups are given): "the control group received X",
# "Group B was treated with X", "patients in the ESP group were given X", "an observation group
# (n = 40) treated with X", "the drug-free arm, which underwent X", "non-drug treatment included X",
# "the control group with routine drugs", "Group A comprised 30 patients who received X".
# The words before an arm's name: "the", "patients in".
_NAME_LEAD = r"(?:the|an?|in|for|patients\s+in|participants\s+in|those\s+in)\s+"
# A word of an arm's name: never an article, a preposition or a time; its first word also no
# conjunction ("acupuncture combined with nerve block group" is one name, "and the control group" another's end).
_NAME_WORD = r"(?!(?:the|an?|to|into|of|in|on|at|for|from|than|between|versus|vs|after|before|during|without)\b)[\w+-]+"
_NAME_FIRST = r"(?!(?:and|or|while|whereas|but|with|plus)\b)" + _NAME_WORD
# A group's name before its noun ("acupuncture plus block" group, "" for "Group B"), and its
# label after it ("B", "2"): shared by every reader of what a group had.
_GROUP_NAME = rf"(?P<name>(?:{_NAME_FIRST}\s+(?:{_NAME_WORD}\s+){{0,4}}?)?)"
_GROUP_LABEL = r"(?:\s+(?P<label>(?-i:[A-Z]{1,3}\d?|\d{1,2}))(?![\w+]))?"
# The words that say what a group had; "with", "by", "using", "included" and the like only where no
# count follows ("the control group included 30 patients" says who, not what).
_NO_COUNT = r"(?!\s*(?:\(?\s*n\s*=|\d|a\s+total\b|(?:patients|participants|subjects|cases)\b))"
# What a group was given, said by its verb: the words every reader of arm descriptions shares (also
# evidence.extract.arms, for the definitions of group labels).
GIVEN_WORDS = (
    r"(?:treated\s+(?:with|by)|managed\s+(?:with|by)|treated|given|offered|administered|received|receiving|underwent|undergoing"
    r"|took|taking|got|adopted|applied|accepted|injected(?:\s+with)?|(?:was|were)\s+assigned\s+to|(?:will|would|shall)\s+(?:also\s+)?(?:receive|be\s+treated\s+with|be\s+given|undergo)"
    rf"|(?:included|including|comprised|consisted\s+of){_NO_COUNT})\b")
_WEAK_GIVEN = rf"(?:using|used|with|by){_NO_COUNT}\b"
_GROUP_GIVEN = re.compile(
    rf"(?:\b{_NAME_LEAD})?\b{_GROUP_NAME}(?P<noun>group|arm|treatment|control)s?\b{_GROUP_LABEL}"
    # "(group A) underwent", "group A (n = 30), receiving".
    r"(?:(?<=[A-Za-z0-9])\))?\s*(?:\([^()]{0,40}\)\s*)?,?\s*"
    r"(?:(?:the\s+)?(?:patients|participants|subjects|they)\s+)?"
    r"(?:(?:comprised|consisted\s+of|included)\s+\d+\s+\w+\s+(?:who|that)\s+)?(?:(?:was|were|which|who|that|had|has|have|been|also|only|additionally|further|then|subsequently)\s+)*"
    # (Not "X treatment was given to the Y group": what follows "to" is who had it.)
    rf"(?P<verb>{GIVEN_WORDS}|{_WEAK_GIVEN})(?!\s+to\b)\s*",
    re.IGNORECASE)
# Words without which no arm description starts (a cheap test before the search).
_GROUP_GIVEN_GATE = re.compile(r"(?:group|arm|treatment|control)s?\b[^.;]{0,80}\b(?:treated|given|managed|offered|administered|received|receiving|underwent|"
                               r"undergoing|took|taking|got|adopted|applied|accepted|injected|assigned|receive|undergo|using|used|with|by|included|including|comprised|consisted)\b", re.IGNORECASE)
# The gate tried only where its nouns stand (the same answer as a search). Its verbs are a hand-written
# superset of GIVEN_WORDS and _WEAK_GIVEN: tests/test_allocation.py checks that none is missing.
_GROUP_GIVEN_GATE_SEARCHER = Searcher(_GROUP_GIVEN_GATE)
# Where an arm's description ends: the sentence's end, a contrast, or the next arm.
_ARM_TREATED_END = re.compile(r"[;.](?:\s|$)|,?\s*(?:while|whereas|but)\b|,?\s*(?:and|or)\s+(?:\d+\s+(?:patients|participants|subjects|cases)\s+\((?=(?:in\s+)?(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:group|arm)\b))?(?:(?:\d+\s+)?(?:patients|participants|subjects|cases|those)\s+in\s+)?"
                              r"(?:the\s+|an?\s+)?(?:(?:[\w-]+\s+){0,4}?(?:group|arm)|controls?)\b", re.IGNORECASE)
# "the two groups" or "both groups" describe every arm at once.
_ALL_ARMS = re.compile(r"\b(?:both|all|two|three|each|every)\b", re.IGNORECASE)
# The verbs that may also join a group to its members or its results ("the control group with higher
# scores"): they say what a group had only after a role's name ("the observation group with X").
_WEAK_VERBS = frozenset({"with", "by", "using", "used"})
# The statements led by the group's clause ("In the X group, ...") or ending in it ("... was given to the X group").
_CLAUSE_VERBS = frozenset({"in", "to"})
_ROLES = frozenset({"observation", "treatment", "study", "experimental", "intervention", "control", "test", "research", "trial",
                    "therapy", "combination", "reference", "comparison"})


@dataclass(frozen=True)
class GroupGiven:
    """One statement of what a group had: its name's words ("control", "" for "Group B"), its noun
    ("group", "arm", "treatment"), its label ("B") and where the name and the description stand."""

    name: str
    noun: str
    label: str | None
    name_start: int
    name_end: int
    start: int
    end: int
    verb: str

    @property
    def role(self) -> str | None:
        """The role the name gives the group ("observation" in "the observation group"), if any."""
        last = self.name.split()[-1].lower() if self.name else ""
        return last if last in _ROLES else None

    @property
    def in_clause(self) -> bool:
        """Whether the group is named in a clause around what it had ("In the X group, ...", "... was
        given to the X group"), not as the subject of a verb."""
        return self.verb in _CLAUSE_VERBS


# "In the control group, X was given", "For group B, patients underwent X": a clause led by the group.
# Read only where the clause says what was done (a passive verb or "received"), never a result.
_IN_GROUP = re.compile(
    rf"(?:^|(?<=[.;:])\s*|,\s*(?:and\s+)?|\b(?:and|while|whereas)\s+)(?:In|For)\s+(?:the\s+)?{_GROUP_NAME}"
    rf"(?P<noun>group|arm)\b{_GROUP_LABEL}(?:\s*\([^()]{{0,40}}\))?\s*,\s*", re.IGNORECASE)
# The treatment named first, the group after: "X was performed in the ESP group", "Y was given to
# 40 cases in the control group". What was given runs from the clause's start.
_GIVEN_TO = re.compile(
    r"(?:^|(?<=[.;:])\s+|,\s*(?:and|while|whereas)\s+|\s(?:and|while|whereas)\s+)(?P<what>(?:[^.;:,]|(?<=\d)\.(?=\d)){3,150}?)\s+(?:was|were)\s+(?:(?:also|then|only|\w+ly)\s+)?"
    r"(?:given|administered|performed|applied|injected|delivered|used|done|carried\s+out)\s+(?:\w+ly\s+)?(?P<how>(?:with|under|using|at|by)\s+[^.;,]{1,60}?\s+)?(?:to|in|on|for)\s+"
    r"(?:\d+\s+(?:patients|participants|subjects|cases)\s+(?:in|of)\s+)?(?:the\s+)?(?:patients\s+(?:in|of)\s+(?:the\s+)?)?"
    rf"{_GROUP_NAME}(?P<noun>group|arm)\b{_GROUP_LABEL}",
    re.IGNORECASE)
# A part every _GIVEN_TO match holds (its verb), searched first.
_GIVEN_TO_GATE = re.compile(
    r"\s(?:was|were)\s+(?:(?:also|then|only|\w+ly)\s+)?(?:given|administered|performed|applied|injected|delivered|used|done|carried\s+out)\s",
    re.IGNORECASE)
_DONE = re.compile(r"\b(?:was|were)\s+(?:\w+\s+){0,2}?(?:\w+ed|given|taken|done|applied|performed|used|received)\b|\b(?:received|underwent|took|was\s+received)\b", re.IGNORECASE)
_RESULT_WORDS = re.compile(r"\b(?:than|improv\w*|decreas\w*|increas\w*|significant\w*|cured|effective\s+rate)\b|\bp\s*[<=>]", re.IGNORECASE)


def _description_end(text: str, start: int) -> int:
    """Where the description of what a group had, from ``start``, ends: its clause's end, a contrast or the next arm."""
    end = _ARM_TREATED_END.search(text, start)
    return end.start() if end else len(text)


def _group_given(m: re.Match, name: str, start: int, end: int, verb: str) -> GroupGiven:
    """The statement matched by ``m`` (with its groups "name", "noun" and "label"), its description at ``start:end``."""
    return GroupGiven(name, m.group("noun").lower(), m.group("label"), m.start("name"), m.end("noun"), start, end, verb)


def groups_given(text: str) -> list[GroupGiven]:
    """Every statement in ``text`` of what a group was given ("the control group received X"), each
    with its description up to the end of its clause or the next arm. Statements naming every arm
    at once ("both groups received X") are left out, and so are those joined by a weak verb ("with",
    "by", "using") unless the group's name is a role ("the observation group with X")."""
    out: list[GroupGiven] = []
    # Cheap word tests first: every pattern below needs its group noun written out (none of these
    # letters has another case form the patterns' IGNORECASE would also match).
    low = text.lower()
    group_or_arm = "group" in low or "arm" in low
    if not group_or_arm and "treatment" not in low and "control" not in low:
        return out
    for m in _GROUP_GIVEN.finditer(text) if _GROUP_GIVEN_GATE_SEARCHER.search(text) else ():
        name = " ".join(m.group("name").split())
        if _ALL_ARMS.search(name) or not name and not m.group("label") and m.group("noun").lower() == "treatment":
            continue
        if m.group("noun").lower() == "control" and (name or m.group("label")):
            continue  # "the controls received X" names an arm; "pain control using X" does not
        given = _group_given(m, name, m.end(), 0, " ".join(m.group("verb").lower().split()))
        if given.verb in _WEAK_VERBS and given.role is None:
            continue
        out.append(dataclasses.replace(given, end=_description_end(text, m.end())))
    for m in _IN_GROUP.finditer(text) if group_or_arm else ():
        name = " ".join(m.group("name").split())
        stop = _description_end(text, m.end())
        if _ALL_ARMS.search(name) or not (name or m.group("label")) or not _DONE.search(text, m.end(), stop) or _RESULT_WORDS.search(text, m.end(), stop):
            continue
        out.append(_group_given(m, name, m.end(), stop, "in"))
    for m in _GIVEN_TO.finditer(text) if group_or_arm and _GIVEN_TO_GATE.search(text) else ():
        name = " ".join(m.group("name").split())
        if _ALL_ARMS.search(name) or not (name or m.group("label")) or _RESULT_WORDS.search(m.group("what")):
            continue
        # "a sham block was performed with saline in the control group": the "with" part is what was given too.
        what_end = m.end("how") if m.group("how") else m.end("what")
        out.append(_group_given(m, name, m.start("what"), what_end, "to"))
    return sorted(out, key=lambda g: g.start)


# What every arm had: "both groups received X", "patients in all three arms were given X", "all
# participants underwent X".
_EVERY_GIVEN = re.compile(
    r"(?<![A-Za-z])(?:(?:patients|participants|subjects|those)\s+in\s+)?(?:both|all|the\s+two|the\s+three|each)\s+(?:of\s+(?:the\s+)?)?(?:(?:two|three)\s+)?"
    r"(?:groups?|arms?|patients|participants|subjects)\b\s*,?\s*(?:(?:was|were|had|have|also|first)\s+)*"
    rf"(?:{GIVEN_WORDS})\s*", re.IGNORECASE)


def every_given(text: str) -> list[tuple[int, int]]:
    """Where ``text`` says what every arm had ("both groups received X"): (start, end) of each description."""
    out: list[tuple[int, int]] = []
    low = text.lower()
    if "both" not in low and "all" not in low and "two" not in low and "three" not in low and "each" not in low:
        return out  # every match holds one of these words
    for m in _EVERY_GIVEN.finditer(text):
        out.append((m.end(), _description_end(text, m.end())))
    return out


# One description of two arms: "acupuncture alone or with herbal injection", "with or without Y".
_TWO_IN_ONE = re.compile(r"\b(?:alone|only)\s+or\s+(?:combined\s+|together\s+)?with\b|\bwith\s+or\s+without\b|\bor\s+in\s+combination\b", re.IGNORECASE)
# A title that sets treatments against each other.
_TITLE_VERSUS = re.compile(r"\s+(?:versus|vs\.?|compared\s+(?:with|to))\s+", re.IGNORECASE)
# An arm given another arm's treatment and more: "on the basis of the control group", "combined with".
_ON_BASIS = re.compile(r"\b(?:on the basis of|based on|in addition to|on top of|besides)\b[^.;]{0,40}?\b(?:control|other|conventional|routine)\b|\badditional(?:ly)?\b|\bsame\s+(?:treatment|therapy)\b", re.IGNORECASE)
_ON_TOP = re.compile(r"\b(?:plus|combined with|in combination with|combination of|together with|added to|in addition to|on the basis of|based on|adjunct\w*)\b|\+", re.IGNORECASE)
# An arm plainly of one treatment: "acupuncture only", "traction alone", "simple acupuncture".
_PLAIN = re.compile(r"\b(?:alone|only|simple|single|pure|plain)\b", re.IGNORECASE)
# The time an arm's treatment was given, relative to another event ("before surgery").
_WHEN = re.compile(r"\b(?:prior to|before|after|following|ahead of|preceding)\b", re.IGNORECASE)
# What a named treatment consisted of ("usual care including drugs and exercise").
_CONTENTS = re.compile(r"\b(?:such as|including|which included|consisting of|comprising|composed of|e\.g\.|for example|namely|like)\b|:", re.IGNORECASE)
# "no treatment", "not treated": an arm given nothing.
_NOT_TREATED = re.compile(r"\bno\s+(?:treatment|intervention|therapy)\b|\bnot\s+(?:treated|receive)", re.IGNORECASE)


def read_arms(sentences: tuple[tuple[Sentence, tuple[Mention, ...]], ...], vocab: Vocabulary) -> Arms | None:
    """Read the arms from the record's analysed sentences (``findings.analysed_sentences``).

    Tries, in order: the allocation statement with the arms' treatments in it, the arms described
    one by one ("group A received ..."), and a title "X versus Y". Returns None when none gives
    two or more arms each classable from its own words.
    """
    sentences = _with_abbreviations(sentences)
    for how, reader in (("allocation", _allocated_arms), ("arm_descriptions", _described_arms), ("title_versus", _title_arms)):
        arms = reader(sentences)
        if arms is None or len(arms) < 2:
            continue
        result = arms_of_sentences(arms, vocab, how)
        if result is not None:
            return result
    return None


# An abbreviation defined right after a treatment's name: "physical therapy (PT)", "oral drugs (OD)".
_DEFINED = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9-]{0,7})\s*\)")


def _with_abbreviations(sentences):
    """The sentences with each later use of a treatment's defined abbreviation ("Group B underwent PT")
    counted as a mention of the class its spelled-out name has."""
    defined: dict[str, tuple[str, str]] = {}
    for sentence, mentions in sentences:
        for m in mentions:
            if m.kind in ("comparator", "intervention", "generic") and not m.negated:
                d = _DEFINED.match(sentence.text, m.end)
                if d and d.group(1).lower() not in m.text.lower():
                    defined.setdefault(d.group(1), (m.kind, m.label))
    if not defined:
        return sentences
    uses = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(defined, key=len, reverse=True))) + r")(?![\w-])")
    out = []
    for sentence, mentions in sentences:
        extra = tuple(Mention(*defined[x.group()], x.start(), x.end(), x.group()) for x in uses.finditer(sentence.text)
                      if not any(m.start <= x.start() < m.end for m in mentions))
        out.append((sentence, tuple(sorted(mentions + extra, key=lambda m: m.start))) if extra else (sentence, mentions))
    return tuple(out)


def arms_of_sentences(arms: list[Arm], vocab: Vocabulary, how: str) -> Arms | None:
    """Decide the intervention arm and return the other arms' classes and the add-on flag.

    An arm naming the intervention and no sham is an intervention arm; the one naming the most
    other classes is the experimental arm (the intervention with its add-ons). Other intervention
    arms are another form of it (the topic's form class, if it has one). An arm that names nothing
    the vocabulary knows makes the reading fail (None).
    """
    # Classes claimed before the intervention's words ("sham acupuncture", "epidural local
    # anaesthetic") make an arm a control even where it names the intervention's route; the
    # intervention's own other forms do not.
    dummy = {"sham", "no_treatment"} | ({c[0] for c in vocab.before_intervention} - set(vocab.intervention_form_classes))
    experimental = [a for a in arms if a.intervention and not a.classes & dummy]
    controls = [a for a in arms if a not in experimental]
    if not experimental:
        return None
    if any(not a.classes for a in controls):
        return None
    form_class = vocab.intervention_form_classes[0] if vocab.intervention_form_classes else None
    forms = {form_class} if form_class else set()

    def own(a: Arm) -> frozenset[str]:
        return a.classes - forms  # what an arm names besides another form of the intervention

    # The experimental arm: the one given another's treatment and more, else the one naming most
    # (the first listed on a tie).
    main = max(experimental, key=lambda a: (_ON_BASIS.search(a.text) is not None, len(own(a)), _ON_TOP.search(a.text) is not None))
    # Three arms "X", "X with Y" and "Y": the plain X arm is the one under study, unless it is named as
    # plain ("X only", "X alone"), which makes X with Y the experimental arm of an add-on design.
    plain = [a for a in experimental if own(a) < own(main) and not _PLAIN.search(a.text) and not _ON_BASIS.search(main.text)]
    if plain and len(arms) >= 3:
        main = plain[0]
    # Arms of the intervention with more than the arm under study are combinations beside it.
    others = [a for a in experimental if a is not main and not own(a) > own(main)]
    if others and not form_class:
        return None  # every arm gets the intervention (two routes or doses): no comparator class
    classes: set[str] = set()
    combined = _ON_TOP.search(main.text) is not None
    add_on = _ON_BASIS.search(main.text) is not None
    for a in controls:
        # A sham arm's other words ("with a switched-off device") describe the dummy, not a treatment.
        classes |= {"sham"} if "sham" in a.classes else a.classes
        # Another form of the intervention with the same additions as the experimental arm ("EA with
        # massage" against "acupuncture with massage"): the arms differ by the form, no add-on.
        same_additions = bool(a.classes & forms) and own(main) <= a.classes | a.described
        if not same_additions and (a.classes <= own(main) or combined and (_PLAIN.search(a.text) or a.classes <= own(main) | forms)):
            add_on = True
    for a in others:
        if own(a) < own(main) and controls:
            # "acupuncture with X", "acupuncture only", "X only": the needling arm without the
            # addition is a third arm of an add-on design when it is named as plain.
            add_on = add_on or _PLAIN.search(a.text) is not None
            continue
        classes |= forms | (own(a) - own(main))
        # "X on the basis of the control group", "Y combined with X" against "X", "X plus Y" against "X alone".
        if own(a) <= own(main) and combined and (_PLAIN.search(a.text) or a.forms and a.forms <= main.forms):
            add_on = True
    if not classes:
        return None
    return Arms(sorted(classes), True if add_on else None, how, tuple(arms))


def _arm(text: str, start: int, end: int, mentions: tuple[Mention, ...]) -> Arm:
    # "on the three days before surgery": when the arm's treatment was given, not what it was.
    when = _WHEN.search(text, start, end)
    inside = [m for m in mentions if start <= m.start < end and not m.negated
              and not (when and m.start > when.start() and m.label == "surgery")]
    # "conservative care such as exercise and tablets": what follows names the contents of a
    # treatment already named.
    contents = _CONTENTS.search(text, start, end)
    if contents and any(m.kind == "comparator" and m.end <= contents.start() for m in inside):
        inside = [m for m in inside if m.start < contents.start()]
    classes = frozenset(m.label for m in inside if m.kind == "comparator")
    if not classes and _NOT_TREATED.search(text, start, end):
        classes = frozenset({"no_treatment"})
    return Arm(text[start:end].strip(), classes, any(m.kind in ("intervention", "generic") for m in inside),
               frozenset(m.label for m in inside if m.kind == "intervention"))


def _allocated_arms(sentences) -> list[Arm] | None:
    for sentence, mentions in sentences:
        if sentence.section in _BACKGROUND or sentence.section == "TITLE":
            continue
        s = sentence.text
        if _ALLOCATION_GATE.search(s) is None:
            continue
        match = _ALLOCATION.search(s)
        if not match:
            continue
        start = match.end()
        head = _GROUPS_WORD.match(s, start)
        if head:
            start = head.end()
        # "into three groups: an A group (n = 60) treated with X; a B group treated with Y; and ...":
        # after a colon the arms run to the sentence's end, one to each clause.
        if head and head.group().rstrip().endswith(":") or s[:start].rstrip().endswith(":"):
            arms = _clauses(s, start, mentions)
            if arms:
                return arms
        end_match = _SEGMENT_END.search(s, start)
        end = end_match.start() if end_match else len(s)
        arms = _cut(s, start, end, mentions)
        if arms and len(arms) >= 2:
            return arms
    return None


_CLAUSE_CUT = re.compile(r"\s*;\s*(?:and\s+)?|,?\s+(?:while|whereas)\s+", re.IGNORECASE)


def _clauses(s: str, start: int, mentions: tuple[Mention, ...]) -> list[Arm] | None:
    """One arm per clause of a list after a colon, when every clause names a treatment."""
    end = len(s.rstrip(" ."))
    bounds, at = [], start
    for m in _CLAUSE_CUT.finditer(s, start, end):
        bounds.append((at, m.start()))
        at = m.end()
    bounds.append((at, end))
    if len(bounds) < 2:
        return None
    arms = [_arm(s, a, b, mentions) for a, b in bounds]
    return arms if all(a.classes or a.intervention for a in arms) else None


def _cut(s: str, start: int, end: int, mentions: tuple[Mention, ...]) -> list[Arm] | None:
    """One arm per piece of ``s[start:end]``: cut at size marks, then at "versus", then at list commas and "or"."""
    for cutter in (_SIZE_MARK, _VERSUS, _LIST_CUT):
        if cutter is _SIZE_MARK and any(m.group().lstrip().startswith("(") and not m.group().rstrip().endswith(")")
                                        for m in cutter.finditer(s, start, end)):
            continue  # "an X arm (n = 30, receiving Y)": the size opens a bracket that also holds the treatment
        bounds, at = [], start
        for m in cutter.finditer(s, start, end):
            if cutter is not _SIZE_MARK and s.count("(", start, m.start()) > s.count(")", start, m.start()):
                continue  # "a control group (30 cases, treated with X)": the bracket describes one arm
            bounds.append((at, m.start()))
            at = m.end()
        bounds.append((at, end))
        pieces = [(a, b) for a, b in bounds if s[a:b].strip(" ,;:()[].")]
        if cutter is _SIZE_MARK:
            # "A (n = 30) and B (n = 30)": the pieces after each mark start with "and" or a comma.
            pieces = [(a + (len(s[a:b]) - len(re.sub(r"^\s*(?:,|and|or|;)?\s*", "", s[a:b]))), b) for a, b in pieces]
            pieces = [(a, b) for a, b in pieces if s[a:b].strip(" ,;:()[].")]
        if len(pieces) >= 2:
            arms = [_arm(s, a, b, mentions) for a, b in pieces]
            if all(a.classes or a.intervention for a in arms):
                return arms
            return None
    return None


def _described_arms(sentences) -> list[Arm] | None:
    """Arms described one by one, each by its name: "the control group received X"."""
    found: dict[str, Arm] = {}
    base: Arm | None = None  # what every arm had ("both groups received X")
    for sentence, mentions in sentences:
        if sentence.section in _BACKGROUND or sentence.section == "TITLE":
            continue
        s = sentence.text
        if base is None and not (sentence.section and _AFTER_METHODS.match(sentence.section)):
            base = next((a for a in (_arm(s, start, end, mentions) for start, end in every_given(s)) if a.classes or a.intervention), None)
        for given in groups_given(s):
            name = " ".join(f"{given.name} {given.noun} {given.label or ''}".lower().split())
            arm = _arm(s, given.start, given.end, mentions)
            if given.in_clause and sentence.section and _AFTER_METHODS.match(sentence.section):
                continue  # "In the X group, ..." under the results tells what came of it
            if (given.verb in _WEAK_VERBS or given.in_clause or given.noun == "treatment") and not (arm.classes or arm.intervention):
                continue  # "the control group by the random number table", "after treatment including scores"
            # "the usual care group received medication and physiotherapy": the arm is what its name says.
            named = frozenset(x.label for x in mentions if x.kind == "comparator" and given.name_start <= x.start < given.name_end and not x.negated)
            if named and not arm.intervention:
                arm = Arm(arm.text, named, False, described=arm.classes)
            if name in found:
                continue
            if not (arm.classes or arm.intervention):
                return None  # an arm whose treatment the vocabulary does not know: no reading
            if _TWO_IN_ONE.search(arm.text):
                return None  # "X alone or with Y": two arms in one description
            found[name] = arm
    if len(found) == 1 and base is not None and _stated_count(sentences) in (0, 2):
        # "Both groups received X; the observation group was also given Y": one arm had X and Y, the other X.
        (own,) = found.values()
        if own.text != base.text:
            return [Arm(f"{base.text} plus {own.text}", own.classes | base.classes, own.intervention or base.intervention, own.forms | base.forms), base]
    if len(found) < 2 or len(found) < _stated_count(sentences):
        return None
    return list(found.values())


# Sections that tell what came of the treatments, not what they were.
_AFTER_METHODS = re.compile(r"RESULT|CONCLUSION|DISCUSSION|INTERPRETATION", re.IGNORECASE)


_COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_STATED_COUNT = re.compile(r"\b(two|three|four|five|[2-5])(?:\s+(?:\w+\s+){0,2}?(?:groups|arms)\b|[- ]arm(?:ed)?\b)", re.IGNORECASE)


def _stated_count(sentences) -> int:
    """How many arms the allocation statement says there were (0 when it does not say)."""
    for sentence, _ in sentences:
        if sentence.section in _BACKGROUND:
            continue
        m = _STATED_COUNT.search(sentence.text)
        if m:
            return _COUNT_WORDS[m.group(1).lower()]
    return 0


def _title_arms(sentences) -> list[Arm] | None:
    for sentence, mentions in sentences:
        if sentence.section != "TITLE":
            continue
        s = sentence.text
        cut = _TITLE_VERSUS.search(s)
        if not cut:
            return None
        stop = re.compile(r"\s+(?:for|in|on)\s+(?:the\s+)?(?:treatment|patients|management|lumbar|sciatica|chronic|acute|people|adults)\b|[:?]", re.IGNORECASE)
        begin = max((m.end() for m in re.finditer(r"(?:\b(?:of|between)\s+|:\s*)", s[:cut.start()])), default=0)
        after = stop.search(s, cut.end())
        arms = [_arm(s, begin, cut.start(), mentions), _arm(s, cut.end(), after.start() if after else len(s), mentions)]
        return arms if all(a.classes or a.intervention for a in arms) else None
    return None
