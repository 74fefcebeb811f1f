"""How an abstract describes its trial's arms, for the comparator classes and the add-on flag.

Read by :func:`evidence.extract.findings.extract_pico`, one sentence at a time: each arm's own
description ("the control group taking regular acupuncture with massage"), arms named by a plain
form of needling ("the pure acupuncture group"), by their needles ("the silver needle group") or by
amounts ("the 40-min group"), and the wordings that make one arm another's plus more. Pure functions
of a sentence's text and its vocabulary mentions (:class:`evidence.topic.matcher.Mention`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..topic.matcher import Mention

__all__ = ["DUMMY", "ArmClause", "amount_arms", "arm_clauses", "arm_contents", "co_interventions",
           "combined_against_base", "control_acupoints", "named_again_with_more", "needled_arm_names", "plain_form_arm",
           "same_in_every_arm"]

# Words of a placebo or sham arm.
DUMMY = r"(?:placebo|sham|dummy|simulated)"
_DUMMY_WORD = re.compile(rf"\b{DUMMY}\b", re.IGNORECASE)


# "between X combined with electroacupuncture (EA) and conventional EA": the experimental arm is
# the control's plus more, the control named as the usual kind of the same treatment. Searched
# only in sentences that compare and name a usual kind (the search is slow).
_COMBINED_AGAINST_BASE = re.compile(
    r"\b(?:between|compar\w*)[\s-]+[^.;]{3,120}?\s+(?:combined with|plus|with|and|together with)\s+"
    r"(?P<again>[a-z][\w-]*(?:\s+[\w-]+){0,2}?)\s+(?:\((?P<short>[^()]{1,15})\)\s+)?(?:and|versus|vs\.?|with|to)\s+(?:the\s+)?"
    r"(?:conventional|pure|simple|single|plain|ordinary|routine|standard)\s+(?:(?P=again)|(?P=short))\b",
    re.IGNORECASE,
)
_USUAL_KIND_WORD = re.compile(r"\b(?:conventional|pure|simple|single|plain|ordinary|routine|standard)\b")


@dataclass(frozen=True)
class ArmClause:
    """One arm's description in a sentence: "the control group taking regular acupuncture with massage"."""

    control: bool
    needled: bool
    classes: frozenset[str]
    # The comparator classes of the arm's own name ("the usual care group will receive ..."), and
    # the name's words.
    named_as: frozenset[str] = frozenset()
    name: str = ""


# Where an arm's description starts: "In the acupotomy group, ...", "As to the control group, the
# patients were treated with ...", "The treatment groups were treated with ...", "the group B was
# treated with ...", "The control group taking ...".
_ARM_CLAUSE_START = re.compile(
    r"\b(?:in|for|regarding|as to|as for)\s+the\s+(?P<a>(?:[\w-]+\s+){0,5}?)groups?\s*,"
    r"|\b(?P<b>(?:(?!(?:and|while|whereas|but|with|or|to|into)\b)[\w-]+\s+){0,5}?)groups?(?P<label>\s+[A-Z0-9]\b)?\s*(?:\([^()]{0,40}\)\s*)?"
    r"(?:,\s*(?:the\s+)?(?:patients|participants|subjects)\s+)?"
    r"(?:(?:was|were)\s+(?:also\s+)?(?:treated (?:with|by)|given|managed with)|(?:also\s+)?(?:received|receiving|took|taking|underwent)"
    r"|(?:will|would|shall)\s+(?:also\s+)?(?:receive|be treated with|be given|take|undergo))\b",
    re.IGNORECASE)
# The words without which no arm description starts (a cheap test before the search above).
_ARM_CLAUSE_GATE = re.compile(r"\b(?:treated|given|managed|received|receiving|receive|took|taking|take|underwent|undergo)\b|groups?\s*,")
_ARM_END = re.compile(r"[;.]|\b(?:and|while|whereas|but)\s+(?:in\s+)?the\b", re.IGNORECASE)
# A control arm given a placebo or needles away from acupoints is a sham arm, not a needled one.
_NOT_REAL_NEEDLING = re.compile(rf"\b{DUMMY}\b|\bnon-?acupoints?\b|\bsaline\b", re.IGNORECASE)
# Needling named by its tools or points ("Shu-needle therapy", "regular acupuncture points").
_NEEDLE_WORDS = re.compile(r"\bneedl\w*|-needle\b|\bacu-?points?\b|\bacupuncture points?\b", re.IGNORECASE)
# "with the same conventional exercise therapy": a treatment every arm has.
_SAME_BEFORE = re.compile(r"\bthe same\s+(?:[\w-]+\s+){0,3}$", re.IGNORECASE)


def _sentence_arm_clauses(text: str, mentions: list[Mention]) -> list[ArmClause]:
    """The arms a sentence describes, each with what its description names."""
    starts = list(_ARM_CLAUSE_START.finditer(text))
    out = []
    for i, start in enumerate(starts):
        end = _ARM_END.search(text, start.end())
        stop = min(end.start() if end else len(text), starts[i + 1].start() if i + 1 < len(starts) else len(text))
        inside = [m for m in mentions if start.end() <= m.start < stop and m.kind in ("intervention", "generic", "comparator")]
        name = (start.group("a") or start.group("b") or "").lower() + (start.group("label") or "")
        needled = (any(m.kind in ("intervention", "generic") for m in inside) or _NEEDLE_WORDS.search(text, start.end(), stop) is not None) \
            and not _NOT_REAL_NEEDLING.search(text, start.start(), stop)
        if not inside and not needled:
            continue  # "Among controls, 9 cases were healed": no treatment named
        named_as = frozenset(m.label for m in mentions if m.kind == "comparator" and start.start() <= m.start < start.end())
        out.append(ArmClause("control" in name, needled, frozenset(m.label for m in inside if m.kind == "comparator"), named_as,
                              " ".join(name.split())))
    return out


def arm_contents(clauses: list[ArmClause]) -> set[str]:
    """Classes that only make up an arm named by another class: "the usual care group will receive
    conventional medication and physical therapy" names usual care, not drugs and physiotherapy."""
    names = {label for c in clauses for label in c.named_as}
    return {label for c in clauses if c.named_as for label in c.classes} - names


def co_interventions(clauses: list[ArmClause], same_named: set[str]) -> set[str] | None:
    """Classes given alongside needling in two needling arms, when the control arm is needled too
    (or, with no control arm described, two differently named arms are): None when the arms are
    not two needling arms. Where the control arm is not needled ("traction" against "acupuncture
    and traction"), what both share is the comparator."""
    control = [c for c in clauses if c.control]
    needled = [c for c in clauses if c.needled]
    if control and not all(c.needled for c in control) or not control and len({c.name for c in needled}) < 2:
        return None
    counts = Counter(label for c in needled for label in c.classes)
    shared = {label for label, n in counts.items() if n >= 2}
    # Without a control arm, arms of needling alone and needling with a comparator treatment
    # ("acupuncture", "acupuncture with nerve block", "nerve block") compare that treatment.
    if not control and not shared and any(c.classes for c in needled):
        return None
    return shared | same_named



# "the Pure Acupuncture Group", "simple electro-acupuncture group", "treated with only
# electroacupuncture", "electroacupuncture alone": a needling arm named as a form without additions.
_PLAIN_BEFORE = re.compile(r"\b(?:pure|simple|only|single|plain|mere|sole)\s+$", re.IGNORECASE)
_PLAIN_AFTER = re.compile(r"\s+(?:alone|only)\b", re.IGNORECASE)
_ARM_WORDS = re.compile(r"\b(?:groups?|arms?|control|controls|versus|vs\.?|compar\w*|between|while|whereas)\b", re.IGNORECASE)
_CONTROL_WORD = re.compile(r"\bcontroll?e?d?\s+groups?\b|\bcontrols?\b", re.IGNORECASE)


def plain_form_arm(text: str, mentions: list[Mention]) -> bool:
    """Whether a sentence sets a needling arm without additions ("pure acupuncture group") against
    another arm: after another needling arm is named, or as the control group's treatment. Such
    an arm is another acupuncture, and the arm it is set against is it plus more (an add-on).
    Where the sentence also names a comparator treatment ("the acupuncture group was treated with
    acupuncture only; the nerve block group with nerve block only"), the arms are that treatment's
    and the needling alone is a third arm of the factorial kind, not the comparison read here."""
    needles = [m for m in mentions if m.kind in ("intervention", "generic") and not m.negated]
    if not needles or not _ARM_WORDS.search(text) or any(m.kind == "comparator" for m in mentions):
        return False
    for i, m in enumerate(needles):
        plain = _PLAIN_BEFORE.search(text, max(0, m.start - 30), m.start) or _PLAIN_AFTER.match(text, m.end)
        if plain and (i > 0 or _CONTROL_WORD.search(text, 0, m.start)):
            return True
    return False


# "The points chosen for the control group were ...", "In the control group, the acupoints were
# the same as ...": the control arm is needled.
_CONTROL_ACUPOINTS = re.compile(
    r"\bacu-?points?\s+(?:[\w-]+\s+)?(?:by|in|for|of)\s+the\s+control\s+groups?\b"
    r"|\bcontrol\s+groups?\s*,\s*(?:the\s+)?acu-?points?\b", re.IGNORECASE)



# "20-min group, 30-min group and 45-min group", "the 2 Hz group and the 100 Hz group": arms named
# by an amount of one treatment.
_AMOUNT_ARM = re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s*[- ]?\s*(?P<unit>min(?:ute)?s?|sessions?|Hz|mA|weeks?|times?|needles?)[- ]groups?\b", re.IGNORECASE)


# "in the silver needle group, ... in the filiform needle group": arms named by their needling.
_NEEDLED_ARM_NAME = re.compile(
    r"\b(?:the|an?)\s+(?P<name>(?:(?!(?:the|an?|and|or|of|in|to|two|three|both|all|each|other)\b)[\w-]+\s+){0,4}?"
    r"(?:[\w-]*needl\w*|[\w-]*acupuncture|acupotomy|electroacupuncture)(?:\s+(?:therapy|treatment))?)\s+groups?\b",
    re.IGNORECASE)
_COMBINED_NAME = re.compile(r"\b(?:plus|combined|combination|with|and|sham|placebo|minimal|simulated|non-?penetrating)\b|\+", re.IGNORECASE)


def needled_arm_names(text: str, mentions: Iterable[Mention]) -> bool:
    """Whether a sentence names two arms, each by a needling of its own ("the silver needle group"
    and "the filiform needle group"), none of them a combination, a sham or a comparator class."""
    comparators = [x for x in mentions if x.kind == "comparator"]
    names = set()
    for m in _NEEDLED_ARM_NAME.finditer(text):
        if _COMBINED_NAME.search(m.group("name")) or any(m.start("name") <= x.start < m.end("name") for x in comparators):
            continue
        # "the acupuncture treatment group" is the acupuncture group.
        names.add(re.sub(r"\s+(?:therapy|treatment)$", "", " ".join(m.group("name").lower().split())))
    return len(names) >= 2


def _amount_arms(text: str) -> bool:
    """Whether a sentence names two or more arms by different amounts of the same unit."""
    amounts: dict[str, set[str]] = {}
    for m in _AMOUNT_ARM.finditer(text):
        amounts.setdefault(m.group("unit").lower().rstrip("s")[:3], set()).add(m.group("n"))
    return any(len(v) >= 2 for v in amounts.values())


def combined_against_base(text: str, folded: str) -> bool:
    """Whether a sentence compares an arm with the usual kind of its own added treatment ("between
    X combined with EA and conventional EA"): the experimental arm is the control's plus more."""
    return ("between" in folded or "compar" in folded) and _USUAL_KIND_WORD.search(folded) is not None \
        and _COMBINED_AGAINST_BASE.search(text) is not None


# "lidocaine and triamcinolone or lidocaine only", "either bupivacaine alone or bupivacaine with
# betamethasone": one arm's treatment named again with more, as the other arm.
_NAMED_AGAIN_WITH_MORE = re.compile(
    r"\b(?P<base>[a-z][\w-]{3,})\s+(?:and|plus|with|combined with|\+)\s+(?:an?\s+)?[a-z][\w-]+(?:\s+[\w-]+){0,2}?\s+"
    r"(?:or|versus|vs\.?|against)\s+(?:of\s+|with\s+)?(?:the\s+)?(?P=base)[- ](?:alone|only)\b"
    # The plain arm first is named as one by "either" or "alone" (not "pelvic or pelvic and
    # para-aortic lymphadenectomy", two extents of one operation).
    r"|\beither\s+(?P<first>[a-z][\w-]{3,})(?:[- ](?:alone|only))?\s+(?:or|versus|vs\.?)\s+(?:of\s+|with\s+)?(?P=first)\s+"
    r"(?:and|plus|with|combined with|in combination with|\+)\s+(?:an?\s+)?[a-z]"
    r"|\b(?P<alone>[a-z][\w-]{3,})[- ](?:alone|only)\s+(?:or|versus|vs\.?)\s+(?:of\s+|with\s+)?(?P=alone)\s+"
    r"(?:and|plus|with|combined with|in combination with|\+)\s+(?:an?\s+)?[a-z]",
    re.IGNORECASE)
# Every wording above holds one of these words (a cheap test before the search).
_NAMED_AGAIN_GATE = re.compile(r"\b(?:alone|only|either)\b")
# "group B received the same treatment with an additional injection of betamethasone".
_SAME_WITH_MORE = re.compile(
    r"\bthe same (?:treatment|therapy|procedure|injection|care)s?\b[^.;]{0,40}?\b(?:with|plus|and)\s+(?:an?\s+)?(?:additional|added|extra)\b",
    re.IGNORECASE)


def named_again_with_more(text: str, folded: str) -> bool:
    """Whether a sentence sets one arm's treatment against itself with more ("lidocaine and
    triamcinolone or lidocaine only", "either bupivacaine or bupivacaine and betamethasone", "the
    same treatment with an additional steroid"): an add-on design, whose comparator is the
    treatment named alone."""
    if _NAMED_AGAIN_GATE.search(folded) and _NAMED_AGAIN_WITH_MORE.search(text):
        return True
    return "the same" in folded and _SAME_WITH_MORE.search(text) is not None


def arm_clauses(text: str, folded: str, mentions: Iterable[Mention]) -> list[ArmClause]:
    """The arms a sentence describes (none without the words an arm description needs)."""
    if "group" not in folded or not _ARM_CLAUSE_GATE.search(folded):
        return []
    return _sentence_arm_clauses(text, [m for m in mentions if not m.negated])


def same_in_every_arm(text: str, folded: str, mentions: Iterable[Mention]) -> set[str]:
    """Comparator classes a sentence gives "the same" to every arm ("with the same exercise therapy")."""
    if "the same" not in folded:
        return set()
    return {m.label for m in mentions if m.kind == "comparator" and _SAME_BEFORE.search(text, max(0, m.start - 40), m.start)}


def control_acupoints(text: str, folded: str) -> bool:
    """Whether a sentence names the control arm's acupoints ("The acupoints selected by the control
    group were ..."): the control arm is needled, unless the sentence names a sham."""
    return "control" in folded and _CONTROL_ACUPOINTS.search(text) is not None and not _DUMMY_WORD.search(text)


def amount_arms(text: str, folded: str) -> bool:
    """Whether a sentence names two or more arms by different amounts of the same unit."""
    return "group" in folded and _amount_arms(text)
