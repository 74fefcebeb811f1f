"""Where a sentence names the intervention arm or the comparator arm, from the arms' own words."""

from __future__ import annotations

import re

from . import result_cues as cues
from .allocation import GIVEN_WORDS, groups_given


def other_side(side: str) -> str:
    """"comparator" for "intervention" and the reverse."""
    return "comparator" if side == "intervention" else "intervention"


# Against a control, "the intervention group" or "the treated patients" is the intervention arm.
_ACTIVE_ARM = re.compile(r"(?:intervention|treatment|treated|experimental|study|active|verum|supplemented)\s+"
                         r"(?:group|arm|patients|participants|subjects|clusters|recipients|children|women|men|treatment|condition)s?\b")
_NEGATION_WORDS = frozenset({"not", "did", "do", "does", "without"})  # not "no": "NO" is nitric oxide
_WITHHELD = re.compile(r"\s*(?:(?:did|does|do|were|was) not|no|without|none)\b", re.IGNORECASE)
_NEGATED_ARM = re.compile(r"(?:\bnon[-‐‑ ]?|\bun|\bno[-‐‑ ]|\bnot |\bwithout )$")


class Arms:
    """Where a sentence names the intervention or the comparator arm.

    Parameters
    ----------
    intervention, comparator:
        The arms' descriptions; their words (and "group A"-style labels) find them in a sentence.
    abstract:
        The whole abstract, when known: the names it gives the arms ("Group 1 received the new
        technique", "experimental group (EG)") then find them too.
    """

    def __init__(self, intervention: str, comparator: str, abstract: str | None = None, outcome: str = ""):
        # "did not receive the education" is named by "receive", never by "not": negations and
        # auxiliaries stand in most sentences.
        own_i, own_c = (set(cues.terms(arm)) - _NEGATION_WORDS | _initials(arm) for arm in (intervention, comparator))
        # Words of the outcome's name ("ablation" in "number of ablations" against "radiofrequency
        # ablation", "ascorbic acid level" against "ascorbic acid") name the outcome, not an arm,
        # when the arm keeps other words of its own.
        measured = set(cues.terms(outcome))
        own_i, own_c = (own - measured if own - measured else own for own in (own_i, own_c))
        # Words both arms share ("insulin" in "insulin glargine" vs "insulin detemir") name neither,
        # unless they are all an arm has: "acupuncture" against "sham acupuncture" is named by its
        # own word where no modifier of the other arm stands before it.
        self.own = {"intervention": own_i, "comparator": own_c}
        # Either arm may be listed first: the same reading holds with the two swapped.
        self.words = {"intervention": own_i - own_c or (own_i if _modified(comparator, own_c - own_i) or _added_to(comparator, own_i) else set()),
                      "comparator": own_c - own_i or (own_c if _modified(intervention, own_i - own_c) or _added_to(intervention, own_c) else set())}
        # The control arm, when one arm is one: "the control group" names it and "the treatment
        # group" the other. Prompts usually put it second, but some put it first ("placebo"
        # against "drug X").
        control = {"intervention": _is_control(intervention, comparator, own_i),
                   "comparator": _is_control(comparator, intervention, own_c)}
        self.control_side: str | None = next((side for side in control if control[side] and not control[other_side(side)]), None)
        # An arm defined by going without ("no supplementation", "did not exercise"): its word
        # un-negated ("vitamin C supplementation was ...") names the arm that had it, the other one.
        self.withheld = {side for side, arm in (("intervention", intervention), ("comparator", comparator))
                         if _WITHHELD.match(arm)}
        # Arms called by a letter or number ("group A", "Group 2") are found by that label.
        self.labels = [(re.compile(rf"(?i:\bgroups?)\s+{re.escape(label)}\b|\b{re.escape(label)}\s+(?i:groups?)\b"), side)
                       for side, arm in (("intervention", intervention), ("comparator", comparator))
                       for label in _arm_labels(arm)]
        # Arms that differ only by dose ("dexamethasone 4 mg" against "8 mg") are named by their dose.
        doses = {side: _doses(arm) for side, arm in (("intervention", intervention), ("comparator", comparator))}
        # Numbers of the arms' doses and strengths ("5% lidocaine"): never an arm's result.
        self.dose_numbers = {number for side in doses for number, _ in doses[side]}
        self.labels += [(re.compile(rf"(?<![\d.]){re.escape(number)}\s*{re.escape(unit)}(?![a-z])", re.IGNORECASE), side)
                        for side in doses if not self.words[side]
                        for number, unit in doses[side] - doses[other_side(side)]]
        # Groups the abstract names by their role ("an observation group treated with warm needling
        # and a control group given medication"): found by what each was given.
        self.roles = _role_groups(abstract, intervention, comparator) if abstract else {}
        self.labels += [(re.compile(rf"\b{role}\s+(?:groups?|arms?)\b", re.IGNORECASE), side) for role, side in self.roles.items()]
        if abstract:
            self.labels += [(re.compile(rf"(?<![\w+.-]){re.escape(alias)}(?![\w+-]|\.\d)"), side)
                            for alias, side in self._aliases(abstract, intervention, comparator)]

    def _aliases(self, abstract: str, intervention: str, comparator: str) -> list[tuple[str, str]]:
        """Names the abstract gives the arms: group labels by the description next to them, and
        defined abbreviations whose expansion names one arm."""
        known = {label for arm in (intervention, comparator) for label in _arm_labels(arm)}
        out = [(f"{word} {label}", side) for label, side in _group_labels(abstract, intervention, comparator).items()
               if label not in known for word in ("Group", "group", "Groups", "groups")]
        out += [(f"{label} group", side) for label, side in _group_labels(abstract, intervention, comparator).items()
                if label not in known]
        for alias, expansion in cues.defined_abbreviations(abstract):
            sides = {side for _, side in self.mentions(expansion)}
            if len(sides) == 1 and len(alias) >= 2 and not set(cues.terms(alias)) & (self.own["intervention"] | self.own["comparator"]):
                out.append((alias, sides.pop()))
        return out

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, side) of every arm word in ``text``, in order."""
        out: list[tuple[int, str]] = []
        lowered = text.lower()
        words_i, words_c = self.words["intervention"], self.words["comparator"]
        control = self.control_side
        words_w = {term for side in self.withheld for term in self.words[side]}
        for m in cues.WORD.finditer(lowered):
            word = m.group()
            term = cues.stem(word)
            sides = ["intervention"] * (term in words_i) + ["comparator"] * (term in words_c)
            if not sides and word.endswith("er") and word not in _DIRECTION_COMPARATIVES and _NOUN_AFTER.match(lowered, m.end()):
                # "cooler room", "earlier treatment": the comparative of an arm's own adjective
                # ("cool", "early") before a noun names that arm, when only that arm has it.
                base = {cues.stem(b) for b in _comparative_bases(word)}
                sides = ["intervention"] * bool(base & words_i and not base & words_c) + ["comparator"] * bool(base & words_c and not base & words_i)
            if not control or word in self.roles:
                pass  # a role the abstract gave a group is found by its label
            elif (word in _CONTROL_WORD_SET or word.startswith("control")) and cues.CONTROL_WORDS.fullmatch(word):
                sides.append(control)
            elif word in _ACTIVE_WORD_SET and _ACTIVE_ARM.match(lowered, m.start()):
                sides.append(other_side(control))
            if not sides:
                continue
            # "non-implanted eyes", "but not saline" name the other arm.
            negated = sides and _NEGATED_ARM.search(lowered, max(0, m.start() - 8), m.start())
            # A withheld arm's own word (not "control") names it only when negated.
            withheld = term in words_w and not cues.CONTROL_WORDS.fullmatch(word)
            out.extend((m.start(), other_side(side) if bool(negated) != (withheld and side in self.withheld) else side)
                       for side in sides)
        for pattern, side in self.labels:
            out.extend((m.start(), side) for m in pattern.finditer(text))
        return _phrases(sorted(set(out)), lowered, self.own)


# Comparatives that say which way a result went, never which arm it is ("lower in the high-dose group").
_DIRECTION_COMPARATIVES = frozenset({"higher", "lower", "greater", "smaller", "larger", "bigger", "longer", "shorter", "faster",
                                     "slower", "better", "worse", "fewer", "lesser", "wider", "narrower", "stronger", "weaker",
                                     "heavier", "lighter", "deeper", "other", "under", "after", "over", "per", "fibre", "fiber"})
_NOUN_AFTER = re.compile(r"[-\s]+(?!than\b)[a-z]")


def _comparative_bases(word: str) -> tuple[str, ...]:
    """What a comparative may be formed from: "cooler" -> "cool"/"coole", "earlier" -> "early", "hotter" -> "hot"."""
    stem = word[:-2]
    bases = [stem, word[:-1]]
    if stem.endswith("i"):
        bases.append(stem[:-1] + "y")
    if len(stem) > 2 and stem[-1] == stem[-2]:
        bases.append(stem[:-1])
    return tuple(b for b in bases if len(b) >= 3)


# The single words CONTROL_WORDS and _ACTIVE_ARM can start with: a set lookup spares a regex per word.
_CONTROL_WORD_SET = frozenset({"placebo", "sham", "routine", "conventional", "vehicle", "saline"})
_ACTIVE_WORD_SET = frozenset({"intervention", "treatment", "treated", "experimental", "study", "active", "verum", "supplemented"})
_BASE_ONLY = re.compile(r"\balone\b|\bas usual\b", re.IGNORECASE)


def _is_control(arm: str, other: str, own: set[str]) -> bool:
    """Whether an arm is a control: placebo, sham, usual or no care ("did not receive it"), or
    the base treatment of an add-on design ("drug alone" against "drug plus acupuncture")."""
    return bool(cues.CONTROL_WORDS.search(arm) or _WITHHELD.match(arm) or _BASE_ONLY.search(arm)) or _added_to(other, own)


def _modified(arm: str, distinct: set[str]) -> bool:
    """Whether an arm is the other arm's words under a sham-like modifier ("sham acupuncture"
    against "acupuncture"), so that the other arm is named by its shared words alone."""
    terms = cues.terms(arm)
    return len(terms) > 1 and terms[0] in distinct and bool(_SHAM_LIKE.fullmatch(terms[0]))


_SHAM_LIKE = re.compile(r"sham|placebo|minimal|superficial|mock|simulat\w*|fake|non|pseudo")


def _added_to(intervention: str, comparator_words: set[str]) -> bool:
    """Whether the intervention is the comparator plus something ("acupuncture plus drugs"
    against "drugs alone"), so that the comparator is named by its own words where they stand
    outside the intervention's phrase."""
    return bool(comparator_words) and bool(_ADD_ON.search(intervention)) and comparator_words <= set(cues.terms(intervention))


_ADD_ON = re.compile(r"\bplus\b|\+|\bcombined with\b|\badded to\b|\bwith\b", re.IGNORECASE)
# Words of one arm phrase: next to each other, or joined as an add-on ("acupuncture plus drug group").
_IN_PHRASE = re.compile(r"[a-z0-9]+(?:[\s-]{1,2}|\s+(?:plus|\+|combined with|with|added to)\s+)")


def _phrases(mentions: list[tuple[int, str]], text: str, own: dict[str, set[str]]) -> list[tuple[int, str]]:
    """One mention per arm phrase. A phrase is the arm whose own words hold all of it ("acupuncture
    plus drug group" is the add-on arm; "sham acupuncture group" the sham arm), else the arm of its
    first word (the modifier: "off-pump surgery")."""
    runs: list[list[tuple[int, str]]] = []
    for pos, side in mentions:
        if runs and _IN_PHRASE.fullmatch(text, runs[-1][-1][0], pos):
            runs[-1].append((pos, side))
        else:
            runs.append([(pos, side)])
    out = []
    for run in runs:
        side = run[0][1]
        if len({s for _, s in run}) > 1:
            # Each position is where a word was found earlier, so every match succeeds.
            words = {cues.stem(m.group()) for pos, _ in run if (m := cues.WORD.match(text, pos))}
            holders = [s for s in ("intervention", "comparator") if words <= own[s]]
            side = holders[0] if len(holders) == 1 else side
        out.append((run[0][0], side))
    return out


_ARM_LABEL = re.compile(r"(?i:\bgroups?)\s+([A-Z]|[IVX]{1,4}|\d{1,2})\b|\b([A-Z]|[IVX]{1,4}|\d{1,2})\s+(?i:group)\b")


# "Group P+D (palonosetron and droperidol)", "Group 2 were treated with ...": a label, then what it names.
_GROUP_LABEL = re.compile(r"\b[Gg]roups?\s+(?P<label>[A-Z][A-Za-z]?[\d.+&/]*[A-Za-z\d]?|[IVX]{1,4}|\d{1,2})(?![\w+])"
                          # "(M group)": the label before the word, in brackets after what it names.
                          r"|(?<=\()(?P<before>[A-Z][A-Za-z]?\d?)\s+[Gg]roup\)")
_TOKEN = re.compile(r"[a-z]+|\d+(?:\.\d+)?")


def _tokens(text: str) -> set[str]:
    """Content words and numbers ("2.5" stays one token: doses tell arms apart)."""
    return {t if t[0].isdigit() else cues.stem(t) for t in _TOKEN.findall(text.lower()) if t not in cues.STOP}


def _group_labels(abstract: str, intervention: str, comparator: str) -> dict[str, str]:
    """The arm each group label of the abstract stands for ("Group 1" -> "intervention").

    Each mention of a label is read with the words that follow it up to the next label or the end
    of the sentence (or, for "(group A)", the words before the bracket). A label belongs to the arm
    whose description those words match best (Dice overlap of words and numbers), and each arm keeps
    only its best-matched label, so a third arm ("Group P7.5") is left unnamed.
    """
    arm_tokens = {"intervention": _tokens(intervention), "comparator": _tokens(comparator)}
    best: dict[str, tuple[float, float]] = {}
    for label, context in label_contexts(abstract, defining=False):
        words = _tokens(context)
        if not words:
            continue
        dice = tuple(2 * len(words & arm_tokens[side]) / (len(words) + len(arm_tokens[side]) or 1)
                     for side in ("intervention", "comparator"))
        if max(dice) > max(best.get(label, (0.0, 0.0))):
            best[label] = (dice[0], dice[1])
    out: dict[str, str] = {}
    for index, side in enumerate(("intervention", "comparator")):
        mine = {label: d for label, d in best.items() if d[index] > d[1 - index] and d[index] >= 0.15}
        if mine:
            top = max(d[index] for d in mine.values())
            out.update({label: side for label, d in mine.items() if d[index] == top})
    return out


def label_contexts(abstract: str, defining: bool = True) -> list[tuple[str, str]]:
    """(label, the words said of it) for each mention of a group label ("Group T", "(M group)"):
    the words that follow it up to the next label or the end of the sentence, or, for a bracketed
    label, the words just before the bracket. Unless ``defining`` is False, only the words that say
    what a group had ("received", "In group T, ...") are kept, not its results."""
    out = []
    found = list(_GROUP_LABEL.finditer(abstract))
    for i, m in enumerate(found):
        stop = found[i + 1].start() if i + 1 < len(found) else len(abstract)
        end = min(stop, m.end() + 150, *(k for k in (abstract.find(". ", m.end()), abstract.find(";", m.end())) if k > 0))
        context = abstract[m.end() : end]
        if abstract[max(0, m.start() - 1) : m.start()] == "(":
            # "randomised to dexmedetomidine (group D) or saline (group S)": a bracketed label names
            # the words just before it, not the next arm after it.
            context = re.split(r"\.(?!\d)|[;:,(]|\bgroups?\b|\b(?:or|and|to|versus|vs)\b", abstract[max(0, m.start() - 120) : m.start() - 1],
                               flags=re.IGNORECASE)[-1]
            out.append((m.group("label") or m.group("before"), context))
        elif not defining or _is_defining(abstract, m.start(), context):
            out.append((m.group("label"), context))
    return out


_WHAT_ENDS = re.compile(r",|\band\s+(?:an?|the)\b|\b(?:while|whereas)\b|\(", re.IGNORECASE)


def _role_groups(abstract: str, intervention: str, comparator: str) -> dict[str, str]:
    """The arm each role-named group stands for ("observation" -> "intervention"), from the words of
    what the abstract says it was given, matched to the arms' descriptions as group labels are."""
    arm_tokens = {"intervention": _tokens(intervention), "comparator": _tokens(comparator)}
    best: dict[str, tuple[float, float]] = {}
    for role, what in role_contexts(abstract):
        words = _tokens(what)
        if not words:
            continue
        dice = tuple(2 * len(words & arm_tokens[side]) / (len(words) + len(arm_tokens[side]) or 1)
                     for side in ("intervention", "comparator"))
        if max(dice) > max(best.get(role, (0.0, 0.0))):
            best[role] = (dice[0], dice[1])
    out: dict[str, str] = {}
    for index, side in enumerate(("intervention", "comparator")):
        mine = {role: d for role, d in best.items() if d[index] > d[1 - index] and d[index] >= 0.15}
        if mine:
            out[max(mine, key=lambda role: mine[role][index])] = side
    # Two roles for one arm, or one role for both, say nothing.
    return out if len(set(out.values())) == len(out) else {}


# Doses and strengths, and the other quantities arms may differ by alone: energy ("1 kcal/minute"),
# temperature ("16°C"), radiation ("50 Gy"), frequency ("2 Hz"), pressure ("20 mmHg").
_DOSE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(mg/kg|μg/kg|µg/kg|mg|μg|µg|mcg|g|ml|IU|units?|%|kcal|kJ|°\s?C|Gy|Hz|mmHg)(?![a-z])",
                   re.IGNORECASE)


def _doses(arm: str) -> set[tuple[str, str]]:
    """The doses an arm's description states, as (number, unit): "dexamethasone 8 mg" gives ("8", "mg")."""
    return {(m.group(1), m.group(2).lower()) for m in _DOSE.finditer(arm)}


def _arm_labels(arm: str) -> set[str]:
    """Letters or numbers an arm is called by in its description: "(group A)" gives {"A"}."""
    return {m.group(1) or m.group(2) for m in _ARM_LABEL.finditer(arm)}


def _initials(arm: str) -> set[str]:
    """The arm's initials as a word when it is named by three to six words ("Cyclophosphamide
    Methotrexate Fluorouracil" is "cmf" in the results), else nothing."""
    words = re.findall(r"[A-Za-z][\w-]*", arm)
    initials = "".join(w[0] for w in words).lower()
    # Initials that spell a common word ("and", "the") would name the arm everywhere.
    return {cues.stem(initials)} if 3 <= len(words) <= 6 and initials not in cues.STOP else set()


def _what(abstract: str, start: int) -> str:
    """What a group was given: the words from ``start`` to the first comma, bracket, contrast or next
    arm ("and the ..."), within the clause and 120 characters."""
    clause = abstract[start : start + 120]
    return _WHAT_ENDS.split(re.split(r"[.;]", clause, maxsplit=1)[0])[0]


def role_contexts(abstract: str) -> list[tuple[str, str]]:
    """(role, what the abstract says it was given) for each group named by its role ("an
    observation group treated with X" -> ("observation", " X")), read by
    :func:`evidence.extract.allocation.groups_given`."""
    return [(given.role, _what(abstract, given.start)) for given in groups_given(abstract)
            if given.role and given.noun not in ("treatment", "control") and not given.in_clause]


def named_group_contexts(abstract: str) -> list[tuple[str, str]]:
    """(name, what the abstract says it was given) for each group named by its own words and then
    defined by what it received ("a tablet arm (n=25) given pills of X" -> ("tablet", "pills of X")),
    read by :func:`evidence.extract.allocation.groups_given`."""
    out = [(given.name, _what(abstract, given.start)) for given in groups_given(abstract)
           if given.name and given.name.lower() not in cues.STOP and not given.in_clause]
    # A bracketed short name may stand alone before what it had: "drug-based (DB) ... DB included X".
    for short in set(_BRACKETED_NAME.findall(abstract)):
        out += [(short, _WHAT_ENDS.split(m.group("what"))[0])
                for m in re.finditer(rf"(?<![\w+-]){re.escape(short)}\s+{_GIVEN}(?=(?P<what>[^.;]{{1,120}}))", abstract)]
    return out


_BRACKETED_NAME = re.compile(r"\(((?:[Nn]on-)?[A-Z][A-Za-z]{1,5})\)")
_GIVEN = rf"(?:(?:was|were)\s+)?{GIVEN_WORDS}"


def _is_defining(abstract: str, start: int, context: str) -> bool:
    """Whether the words after a group label say what that group had ("Group T received X", "In
    group 2, X was given"), not a result of it."""
    return bool(re.match(rf"\s*(?:\([^()]{{0,30}}\)\s*)?,?\s*(?:(?:comprised|consisted of|included)\s+\d+\s+\w+\s+(?:who|that)\s+)?"
                         rf"(?:(?:was|were|which|who|that|had)\s+)*(?:only\s+)?{_GIVEN}", context, re.IGNORECASE)
                or re.search(r"(?:^|[.:;]\s+)(?:In|For)\s+$", abstract[max(0, start - 7) : start]))
