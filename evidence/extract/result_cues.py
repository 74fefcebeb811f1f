"""The words of result statements: what says "no difference", which words give a direction, which
outcomes are better low, and the small word tools the result-direction engine matches with.

Kept apart from the engine (``evidence.extract.infer``) so the lexicon can be read, and extended, in one place.
"""

from __future__ import annotations

import functools
import os
import re

STOP = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "with", "without", "and", "or", "by", "from", "vs", "versus", "than", "as", "is", "was", "were", "be", "been", "group", "groups", "arm", "arms", "patients", "patient", "subjects", "participants", "mg", "kg", "g", "ml", "day", "days", "daily", "dose", "doses", "week", "weeks", "month", "months", "after", "before", "during", "between", "each", "per", "other", "who", "which", "that", "this", "these", "those", "their", "its", "all", "any", "both", "only", "plus", "alone", "receiving", "received", "given", "treated", "treatment", "using", "use", "level", "levels", "rate", "rates", "score", "scores", "mean", "total", "number", "change", "changes"]
)
# Hyphenated words count as their parts: "LDL-cholesterol" meets "LDL cholesterol".
WORD = re.compile(r"[a-z0-9]+")


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light stem, so "infections"/"infection" and "sedated"/"sedation" meet."""
    for suffix in ("ions", "ion", "ings", "ing", "ies", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    # "fracture" meets "fractures" (stemmed "fractur").
    return word


def terms(text: str) -> list[str]:
    """The stemmed content words of a text (no stop words, no bare numbers)."""
    return [stem(w) for w in WORD.findall(text.lower()) if w not in STOP and not w.isdigit()]


def outcome_terms(outcome: str, abstract: str) -> list[str]:
    """The outcome's words, plus the acronym of its content words ("Hospital Anxiety and
    Depression Scale" also matches "HADS") and the abbreviations the abstract defines for them
    ("visual analogue scale (VAS)" lets "VAS" stand for the outcome "100-mm visual analogue scale")."""
    found = terms(outcome)
    content = [w for w in WORD.findall(outcome.lower()) if w not in STOP and w not in ("and", "of") and w.isalpha()]
    initials = "".join(w[0] for w in content)
    if len(initials) >= 3 and initials not in found:
        found.append(initials)
    lowered = abstract.lower()
    for acronym in re.findall(r"\b[A-Z]{3,6}\b", outcome):
        # An acronym the abstract never uses may be written out in it.
        words = spelled_out(acronym, abstract) if not re.search(rf"\b{acronym.lower()}\b", lowered) else None
        if words:
            found.extend(t for t in terms(words) if t not in found)
    used = _abstract_terms(abstract) if any(term in SAME_OUTCOME for term in found) else frozenset()
    for term in list(found):
        # An outcome word the abstract never uses may be written as its usual other word ("mortality": "deaths").
        if term not in used:
            found.extend(other for other in SAME_OUTCOME.get(term, ()) if other in used and other not in found)
    if any(len(term) >= 4 and term.isalpha() for term in found):
        # An outcome word the abstract never uses may be written in another form of the same word
        # ("leaking": "leakage", "accurate": "accurately"): abstract words that share all but its
        # last few letters stand in for it.
        used = used or _abstract_terms(abstract)
        for term in list(found):
            if term in used or len(term) < 4 or not term.isalpha() or term == initials:
                continue
            found.extend(sorted(other for other in used if other not in found and _same_root(term, other)))
    wanted = set(found)
    for written, expansion in defined_abbreviations(abstract):
        abbreviation = written.lower().replace("-", "")
        expanded = set(terms(expansion))
        if abbreviation not in wanted and expanded and len(expanded & wanted) * 2 >= len(expanded):
            found.append(abbreviation)
    return found


@functools.lru_cache(maxsize=32)
def _abstract_terms(abstract: str) -> frozenset[str]:
    """The stemmed content words of an abstract (cached: several prompts ask about one abstract)."""
    return frozenset(terms(abstract))


def _same_root(a: str, b: str) -> bool:
    """Whether two words are forms of one word: they share all but their last three letters
    (and at least four)."""
    if not b.isalpha():
        return False
    common = len(os.path.commonprefix((a, b)))
    return common >= max(4, len(a) - 3, len(b) - 3)


# Outcome words that abstracts write in another form (stemmed as ``terms`` stems them). Only
# words of the same polarity: "survival" is not "mortality" read the other way.
SAME_OUTCOME: dict[str, tuple[str, ...]] = {
    "mortality": ("death", "died"), "death": ("mortality", "died"), "died": ("death", "mortality"),
    "adverse": ("side", "complicat"), "complicat": ("adverse",),
}


def outcome_abbreviations(outcome_terms: list[str], outcome: str, abstract: str) -> dict[str, frozenset[str]]:
    """For each abbreviation among the outcome's terms, the outcome words it stands for
    ("pfs" -> progression, free, survival), so that a sentence naming "PFS" holds them all."""
    wanted = set(outcome_terms)
    out: dict[str, frozenset[str]] = {}
    for written, expansion in defined_abbreviations(outcome) + defined_abbreviations(abstract):
        abbreviation = cues_key(written)
        expanded = frozenset(terms(expansion))
        # Only an abbreviation of the outcome's own words stands for them ("OS" is not the "survival" of "median survival time").
        if abbreviation in wanted and expanded and expanded <= wanted:
            out[abbreviation] = out.get(abbreviation, frozenset()) | expanded - {abbreviation}
    return out


def cues_key(abbreviation: str) -> str:
    """An abbreviation as a term: lower case, hyphens dropped ("CFQ-R" -> "cfqr")."""
    return stem(abbreviation.lower().replace("-", ""))


# "(EA)", also "(EA group)" and "(EA; n = 30)".
_ABBREVIATION = re.compile(r"\(([A-Za-z][A-Za-z0-9-]{1,9})(?:\s+(?:group|arm)|\s*[;,][^()]{0,30})?\)")


def defined_abbreviations(abstract: str) -> list[tuple[str, str]]:
    """(abbreviation as written, expansion) pairs defined as "words (ABBR)", where the words just
    before the bracket spell the abbreviation's letters (as initials, or in order from the first)."""
    out = []
    for m in _ABBREVIATION.finditer(abstract):
        letters = [c for c in m.group(1).lower() if c.isalpha()]
        before = WORD.findall(abstract[max(0, m.start() - 120) : m.start()].lower())
        # Small words are usually left out of the initials ("visual analogue scale (VAS)"), but
        # not always ("range of motion (ROM)", "quality of life (QoL)").
        for words in ([w for w in before if w not in ("and", "of", "the", "in", "for", "to")], before):
            if len(letters) >= 2 and len(words) >= len(letters) and [w[0] for w in words[-len(letters):]] == letters:
                out.append((m.group(1), " ".join(words[-len(letters):])))
                break
        else:
            expansion = _letters_in_order(letters, before[-min(len(letters) + 3, 2 * len(letters)):])
            # "a low-fat diet (LF)": the kind of arm named after the letters' words lends none.
            while not expansion and len(before) > 1 and before[-1] in _ARM_KIND_WORDS:
                before = before[:-1]
                expansion = _letters_in_order(letters, before[-min(len(letters) + 3, 2 * len(letters)):])
            if expansion:
                out.append((m.group(1), expansion))
    return out


_ARM_KIND_WORDS = frozenset({"diet", "therapy", "treatment", "group", "arm", "program", "programme", "training", "care",
                             "regimen", "supplementation", "intervention", "condition", "exercise", "technique"})


def _letters_in_order(letters: list[str], words: list[str]) -> str | None:
    """The shortest tail of ``words`` that holds the abbreviation's letters in order, its first
    letter starting a word ("intraocular pressure" holds "IOP"), or None."""
    if len(letters) < 2:
        return None
    for first in range(len(words) - 1, -1, -1):
        if words[first][0] != letters[0]:
            continue
        tail = " ".join(words[first:])
        at = 1
        for c in letters[1:]:
            at = tail.find(c, at) + 1
            if not at:
                break
        else:
            # Every word of the expansion must lend a letter, else "as intraocular" would do.
            return tail if len(words) - first <= len(letters) else None
    return None


def spelled_out(acronym: str, abstract: str) -> str | None:
    """The words of an abstract whose initials spell an acronym of the outcome that the abstract
    never defines ("GSAS" written out as "Gastroesophageal Symptom Assessment Score"), or None."""
    letters = acronym.lower()
    if not 3 <= len(letters) <= 6:
        return None
    pattern = r"\b" + r"\s+".join(rf"{c}[a-z]+" for c in letters) + r"\b"
    m = re.search(pattern, abstract, re.IGNORECASE)
    return m.group() if m else None


# --- cues -------------------------------------------------------------------------------------

NO_DIFFERENCE = re.compile(
    r"\bno (?:statistically |clinically )?significant(?:ly)?\b|\bnot (?:statistically |clinically )?significant(?:ly)?\b"
    r"|\bnon[-‐‑]?significant(?:ly)?\b|\binsignificant(?:ly)?\b"
    r"|\bno (?:statistical|clinical|significant)(?: (?:or|and) (?:statistical|clinical|significant))? differences?\b"
    r"|\bno (?:significant |statistical |between[-‐‑ ]group |inter-?group |group |major |overall |other |further |additional )?"
    r"(?:difference|change|effect|improvement|increase|decrease|reduction|benefit|association|advantage|impact|influence)s?\b"
    r"|\black of (?:a |any )?(?:(?:statistically )?significant )?(?:difference|effect|benefit|association)s?\b"
    r"|\b(?:(?:did|does|do|was|were|is|are|could|can|and) not|(?:did|does|do|was|were|is|are|could)n[’']t) (?:significantly |statistically |substantially |appear to |seem to )?"
    r"(?:differ|different|change|changed|affect|affected|improve|improved|reduce|reduced|increase|increased|decrease|"
    r"decreased|alter|altered|influence|modify|vary|show|superior|inferior|better|worse|lead to|result in|associated|"
    r"prolong|shorten|prevent|lower|raise|enhance|impact|benefit|higher|greater|longer|shorter|faster|slower|more|less)\b"
    r"|\b(?:similar|comparable|equivalent|unchanged|unaffected|identical|equally)\b|\bfailed to\b"
    r"|(?<![\w.])n\.?s\.?(?=[\s,;)\]]|$)|\bnot reach\b|\bas effective as\b|\bnon-?inferior\b"
    r"|\bwithout (?:any )?(?:significant |statistically )?(?:difference|change)"
    r"|\bwithout (?:significantly )?(?:increas|decreas|reduc|affect|alter|worsen|chang)\w*|\bnot (?:affect|alter)ing\b"
    r"|\bineffective\b|\b(?:was|were|remained|is|are) (?:\w+ )?the same\b"
    r"|\bno (?:evidence|suggestion|indication|sign) (?:of|for) (?:a |an |any )?(?:further |additional |significant )?(?:difference|benefit|effect|advantage|superiority)"
    r"|\b(?:did|does|do|could|was|were)(?: not|n[’']t) (?:reveal|show|find|demonstrate|detect|yield|produce|observe)\b[^.;]{0,50}\b(?:differences?|effects?|changes?|benefits?|advantages?)\b"
    r"|^no\b[^.;]{0,80}\b(?:occurred|observed|reported|seen|found|detected|noted|recorded)\b"
    r"|\bno\b[^.;]{0,80}\b(?:occurred|observed|reported|seen|found|detected|noted|recorded) (?:in|among) (?:any|all)\b"
    r"|\b(?:in|between) (?:either|neither) group\b|\bnone of the\b|\bneither\b[^.;]{0,80}\bnor\b"
    r"|\btrends? (?:was|were|toward|towards|to)\b|\btended to\b",
    re.IGNORECASE,
)
# "No significant differences were found in any of the secondary outcomes."
NO_DIFFERENCE_FOR_ALL = re.compile(
    r"\bno (?:statistically )?(?:significant |between[-‐‑ ]group )?differences?\b[^.;]{0,80}\b(?:any|all|other|secondary|remaining)\b"
    r"[^.;]{0,40}\b(?:outcomes?|measures?|end-?points?|variables|parameters)\b", re.IGNORECASE)
# A clause saying both arms changed alike: a within-group change, not a difference between arms.
BOTH_ARMS = re.compile(r"\b(?:in|for|with|across) (?:both|all|each of the) (?:\w+ )?(?:groups|arms|treatments|conditions)\b"
                        r"|\bboth groups\b|\bin each group\b", re.IGNORECASE)
WITHIN_ARM = re.compile(
    r"\bthan (?:those |that |the values? |levels? )?(?:before|at baseline|pre-?treatment|prior to)|\bfrom baseline\b"
    r"|\b(?:compared|relative) (?:with|to) (?:the )?(?:baseline|pre-?treatment|before)|\bwithin (?:each|both|the two|the) groups?\b"
    r"|\bin both (?:\w+ )?groups\b|\bintra-?group\b|\bboth groups\b|\bin (?:each|either) group\b|\ball (?:groups|arms)\b"
    r"|\bacross all participants\b",
    re.IGNORECASE,
)
# "fell from 6.1 to 3.2": a change within one arm, even when both arms' changes are given.
# ("varied from 51 to 52" is a range, not a change.)
FROM_TO = re.compile(r"\b(?:decreas|increas|reduc|fell|fall|rose|ris|improv|chang|declin|dropp?|went)\w*\b[^.;]{0,30}?"
                     r"\bfrom [-−]?\d[\d.]*\s*%?\s*(?:[a-zA-Z/]+\s+)?to [-−]?\d", re.IGNORECASE)
BETWEEN_ARMS = re.compile(r"\bbetween (?:them|(?:the )?(?:two |three |treatment |study )?(?:groups|arms))\b|\bthan (?:that|those) (?:of|in)\b"
                           r"|\binter-?group\b|\bbetween-group\b", re.IGNORECASE)
# Definitions ("success was defined as a fall of 30%") and aims state no result.
AIM = re.compile(r"\b(?:was|were|is|are) defined as\b|\bhypothes[ie]s|\bhypothesi[sz]ed\b|\bwe (?:aimed|sought|evaluated|investigated|assessed|examined|compared)\b"
                  r"|\b(?:was|were|is) designed to\b|\b(?:the )?(?:aim|purpose|objective)s? (?:of|was|were|is)\b", re.IGNORECASE)
BASELINE_COMPARISON = re.compile(r"(?<!from )(?<!over )(?<!to )\bbaseline\b"
                                  r"|\bbefore (?:the )?(?:treatment|intervention|randomi[sz]ation|education|training|program(?:me)?|course|sessions?)\b", re.IGNORECASE)
# "significant" said positively: not "not significant", "non-significant", "no significant".
POSITIVE_SIGNIFICANT = re.compile(
    r"(?<!not )(?<!no )(?<!non-)(?<!non)\b(?:(?:statistically|highly|clinically) significant(?:ly)?|"
    r"(?<!statistically )(?<!highly )(?<!clinically )significant(?:ly)?)\b", re.IGNORECASE)
SIGNIFICANT = re.compile(r"\bsignificant(?:ly)?\b|\bstatistically\b", re.IGNORECASE)

# Direction words: +1 the value is higher, -1 lower; 0 says "better", 2 "worse", without saying which way.
# "reported only in group B": the other arm had none ("seen", "found", "noted" too).
_UP = (r"(?:(?<=reported |occurred |observed |detected |recorded )|(?<=found |noted )|(?<=seen ))only(?= (?:in|with|among|after) )|"
       r"doubl(?:ed|ing|es)|tripl(?:ed|ing|es)|potentiat\w*|amplif\w*|later(?=[^.;]{0,60}\b(?:than|compared|versus|vs)\b)|(?<=significantly )later|(?<=significantly )high|increas\w*|higher|greater|more|elevat\w*|rais\w*|rose|rise|longer|larger|bigger|gain\w*|enhanc\w*|"
       r"augment\w*|boost\w*|prolong\w*|exceed\w*|accelerat\w*|delay\w*|extend\w*")
# "later"/"earlier" compare arms only beside "than"/"compared" or "significantly" ("six weeks later" does not).
_DOWN = (r"blunt\w*|eliminat\w*|abolish\w*|abrogat\w*|(?:earlier|sooner)(?=[^.;]{0,60}\b(?:than|compared|versus|vs)\b)|"
         r"(?<=significantly )(?:earlier|sooner)|(?<=significantly )low|decreas\w*|lower\w*|reduc\w*|less|lesser|fewer|declin\w*|fell|fall\w*|drop\w*|diminish\w*|shorter|"
         r"smaller|attenuat\w*|suppress\w*|inhibit\w*|prevent\w*|lessen\w*|alleviat\w*|reliev\w*|relief|"
         r"minimi[sz]\w*|slow\w*|shorten\w*|halv\w*|loss|lost|los(?:e|ing)")
# "faster", "quicker": shorter for a time ("onset was faster"), higher for anything else ("faster gait").
SPEED_WORDS = re.compile(r"\b(?:faster|quicker|more rapid(?:ly)?|slower|less rapid(?:ly)?)\b", re.IGNORECASE)
TIME_LIKE = re.compile(r"\b(?:time|times|onset|duration|latency|recovery|emergence|extubation|discharge|return|"
                       r"healing|resolution|stay|delay|interval|days|hours|minutes|weeks)\b", re.IGNORECASE)
DIRECTION_WORDS: tuple[tuple[re.Pattern, int], ...] = (
    (re.compile(r"\b(?:more|most|greater) (?:effective|efficacious|beneficial|successful)|\boutperform\w*|"
                r"\b(?:improv\w*|better|benefi\w*|effective|efficacious|ameliorat\w*|superior)\b", re.IGNORECASE), 0),
    (re.compile(r"\b(?:less|least) (?:effective|efficacious|beneficial|successful)|\b(?:worse\w*|deteriorat\w*|impair\w*|"
                r"poor\w*|inferior)\b", re.IGNORECASE), 2),
    (re.compile(rf"\b(?:{_UP})\b", re.IGNORECASE), 1),
    (re.compile(rf"\b(?:{_DOWN})\b", re.IGNORECASE), -1),
    (SPEED_WORDS, 3),
)
# "a greater reduction", "weight loss was larger", "the decrease ... was smaller": a change said to
# be bigger or smaller; the direction is the change's times the size's.
_CHANGE_NOUN = (r"(?:(?P<up>increases?|gains?|rises?|improvements?)|"
                r"(?P<down>decreases?|reductions?|loss|losses|declines?|falls?|drops?))")
_SIZE_WORD = r"(?:(?P<big>greater|more|larger|bigger|higher)|(?P<small>smaller|less|lesser|lower))"
# "a greater reduction", "more pain relief", "the decrease ... was significantly greater".
SIZED_CHANGE = (
    re.compile(rf"\b{_SIZE_WORD}\s+(?:[\w-]+\s+){{0,2}}?{_CHANGE_NOUN}\b", re.IGNORECASE),
    re.compile(rf"\b{_CHANGE_NOUN}\b[^;,]{{0,60}}?\b(?:was|were|being)\s+(?:\w+\s+){{0,2}}?{_SIZE_WORD}\b", re.IGNORECASE),
    # "A attenuated the rise in heart rate", "A prevented the decline in FEV1": a change made smaller.
    re.compile(rf"\b(?P<small>attenuat\w*|prevent\w*|blunt\w*|limit\w*|abolish\w*|inhibit\w*|suppress\w*|counteract\w*|"
               rf"curb\w*|lessen\w*|mitigat\w*)\s+(?:the\s+|a\s+|any\s+)?(?:[\w-]+\s+)?{_CHANGE_NOUN}\b(?P<big>(?!))?", re.IGNORECASE),
    # "The rise in heart rate was attenuated in group D": the same, said in the passive.
    re.compile(rf"\b{_CHANGE_NOUN}\b[^;,]{{0,60}}?\b(?:was|were|being)\s+(?:\w+\s+){{0,2}}?(?P<small>attenuat\w*|prevent\w*|"
               rf"blunt\w*|limit\w*|abolish\w*|inhibit\w*|suppress\w*|counteract\w*|curb\w*|lessen\w*|mitigat\w*)\b(?P<big>(?!))?",
               re.IGNORECASE),
    # "A reduced pain more than B did", "A lowered blood pressure less than B".
    re.compile(r"\b(?:(?P<up>increas\w*|rais\w*|rose|improv\w*|gain\w*|elevat\w*)|(?P<down>decreas\w*|reduc\w*|lower\w*|fell|"
               r"dropp\w*|declin\w*|diminish\w*))\b[^;,.]{0,40}?\b(?:(?P<big>more|greater|further)|(?P<small>less|lesser))"
               r"\s+than\b(?!\s*[\d(])", re.IGNORECASE),
    # "A lost more weight than B", "gained less weight": a verb of change sized by the word after it.
    re.compile(r"\b(?:(?P<up>gain(?:ed|s)?|put on)|(?P<down>lost|los(?:e|es|ing)|shed))\s+(?:significantly\s+)?"
               r"(?:(?P<big>more|greater)|(?P<small>less|fewer))\b", re.IGNORECASE),
)
# "..., but more decrease was seen in group A": a clause that sizes the change just stated.
# "..., but the fall was greater in group A": the same, the change named first.
_PLAIN_CHANGE_NOUN = re.sub(r"\?P<\w+>", "", _CHANGE_NOUN)
_PLAIN_SIZE_WORD = re.sub(r"\?P<\w+>", "", _SIZE_WORD)
SIZE_CONTINUATION = re.compile(rf"\W*(?:but|while|whereas|however)?,?\s*(?:a |the )?(?:significantly )?(?:{_SIZE_WORD}\s+"
                               rf"(?:[\w-]+\s+){{0,2}}?{_CHANGE_NOUN}\b|{_PLAIN_CHANGE_NOUN}\s+(?:[\w-]+\s+){{0,3}}?(?:was|were)\s+"
                               rf"(?:\w+\s+){{0,2}}?{_PLAIN_SIZE_WORD}\b)", re.IGNORECASE)
# "more than 20%", "less than half": a quantity, not a comparison of arms.
QUANTITY = re.compile(r"\s+than\s+(?:[\d.,]+|half|twice|double|one|two|three)\b", re.IGNORECASE)
FAVOUR = re.compile(r"\b(?:in )?favou?r(?:ed|ing|s)?(?: of)?\b", re.IGNORECASE)
# Outcomes whose higher values are better; checked first, so "progression-free survival" is one.
HIGHER_IS_BETTER = re.compile(
    r"\b(?:surviv\w*|free|quality|QO?L|satisfaction|success\w*|cure\w*|response\w*|remission|adherence|knowledge|"
    r"heal\w*|union|abstinence|function\w*|strength|mobility|range of motion|ROM|well-?being|efficacy|effective\w*|"
    r"recovery|relief|improvement|performance|accuracy|compliance|activity|flexibility|endurance|tolerance)\b",
    re.IGNORECASE,
)
# Outcomes whose lower values are better, so "improved" means "decreased".
LOWER_IS_BETTER = re.compile(
    r"\b(?:pain\w*|ache|depress\w*|anxiety|stress|mortality|death\w*|died|dying|morbidity|symptom\w*|failure\w*|"
    r"nausea|vomit\w*|emesis|complication\w*|adverse|side effect\w*|toxicit\w*|infection\w*|relapse\w*|recurren\w*|"
    r"disabilit\w*|fatigue|length of (?:hospital )?stay|LOS|errors?|loss|bleed\w*|blood loss|risk|incidence|"
    r"hospitali[sz]\w*|admission\w*|severity|exacerbation\w*|insomnia|delirium|dyspn\w*|cough\w*|itch\w*|pruritus|"
    r"shiver\w*|edema|oedema|swelling|inflammation|lesion\w*|weight|BMI|cholesterol|LDL|glucose|HbA1c|blood pressure|"
    r"SBP|DBP|readmission\w*|ODI|arrhythmi\w*|fibrillation|tension|anger|confusion|dryness|craving|"
    r"withdrawal|rejection|stenosis|restenosis|progression|dysfunction|distress|burden|cost\w*|negative|"
    # Analgesics taken: less is better ("morphine consumption", "rescue analgesic requirement").
    r"(?:analgesi\w*|opioid\w*|morphine|fentanyl|pethidine|tramadol|rescue)\s+(?:\w+\s+)?(?:consumption|requirements?|use|doses?|demands?)|"
    # Scales scored up with worse health.
    r"RMDQ|Roland|WOMAC|NDI|PASI|HAM-?[AD]|HADS|BDI|PHQ-?\d*|GAD-?7|EDSS|NIHSS|IPSS|SLEDAI|DAS-?28|CRP|C-reactive|"
    r"IL-?6|TNF\w*|triglycerides?|creatinine|viral load|HOMA\w*|VAS|NRS|disease activity)\b",
    re.IGNORECASE,
)
# A share of patients reaching a goal ("achieving a 75% reduction in PASI") is better high, whatever the scale.
RESPONDERS = re.compile(r"\b(?:achiev\w*|responders?|reach\w*|attain\w*)\b", re.IGNORECASE)
# Scales named with a word of the other side ("Dermatology Life Quality Index", "Pittsburgh Sleep
# Quality Index") that are scored up with worse health: checked before everything else.
WORSE_WHEN_HIGHER_SCALES = re.compile(r"\b(?:DLQI|Dermatology Life Quality|PSQI|Pittsburgh Sleep Quality|"
                                      r"Oswestry|ODI|Neck Disability|Roland[- ]Morris)\b", re.IGNORECASE)

# "P = 0.03", "p-value < .001", "P for trend = 0.052" (a test of the same comparison across levels).
P_VALUE = re.compile(
    r"\b[Pp]\s*(?:-?\s*values?|\s+for\s+(?:linear\s+)?trend)?\s*(?:=\s*(?=[<>≤≥]))?(?P<op><=|>=|=<|=>|[<>=≤≥]|less than|(?:greater|more) than)\s*"
    r"(?P<p>0?[.·]\d+|1(?:[.·]0+)?)(?:\s*[x×]\s*10\s*[-−–]\s*\d+)?"
)
_NUMBER = r"[-−–]?\s?\d+(?:[.·]\d+)?"
CI = re.compile(
    rf"(?:95\s*%\s*)?(?:CI|C\.I\.|confidence interval)s?\s*(?:95\s*%\s*)?[,:=]?\s*\[?\(?\s*(?P<lo>{_NUMBER})\s*(?:to|,|;|–|—|−|-|and)\s*(?P<hi>{_NUMBER})",
    re.IGNORECASE,
)
ESTIMATE = re.compile(
    rf"\b(?:WMD|SMD|MD|RR|OR|HR|RD|IRR|ARR|effect size|(?i:mean difference|difference|risk ratio|relative risk|odds ratio|hazard ratio))"
    rf"\s*(?:\[[^\]]{{0,20}}\]|\([^)]{{0,20}}\))?\s*(?:=|:|of|was|,)?\s*(?P<est>{_NUMBER})"
)
# "versus" between two numbers ("23.5% versus 1.0%") compares values, not arms.
THAN = re.compile(r"\b(?:than|compared (?:with|to)|in comparison (?:with|to)|relative to|versus|vs\.?|over|(?<=superior )to|(?<=inferior )to)"
                  r"(?!\s*[-−–(\[]?\d)\b",
                   re.IGNORECASE)
# "(p = 0.82)but the ferritin ...": a bracket may stand right before the conjunction.
CLAUSE_BREAK = re.compile(r";|(?:,?\s+|(?<=[)\]}]))\b(?:whereas|while|but|although|though|however|except"
                          r"|without (?:significantly )?(?:increas|decreas|reduc|affect|alter|worsen|chang)\w*"
                          r"|not (?:affect|alter)ing)\b|\.\s",
                          re.IGNORECASE)
# The concession ends at the comma before the main clause's subject ("Although X was higher on
# day 7, 10 and 12, these differences ..."), else at its first comma.
# A bracket ("(9.2 vs 8.1; p < 0.05)") is passed over whole: its ";" or "," ends nothing.
CONCESSION = re.compile(r"\s*(?:although|though|while|whereas|despite)\b(?:(?:\([^()]*\)|[^;(])*?(?=, (?:this|these|those|it|they|there|"
                         r"we|the|such|no|both|a|an|its|their)\b)|(?:\([^()]*\)|[^,;(])*?(?=, ))", re.IGNORECASE)
# A clause that only qualifies the one before ("..., but this was not significant").
QUALIFIER = re.compile(r"\W*(?:but|although|though|however|while)?,?\s*(?:this|these|that|it|they|such|both|"
                        r"the (?:differences?|changes?|effects?|increases?|decreases?|reductions?|improvements?))\s+"
                        r"(?:\w+\s+){0,4}?(?:was|were|is|are|did|does|failed|remained|not)\b"
                        # "..., but no between-group difference was found", "..., yet the two groups did not differ":
                        # the arms found alike as a whole, said of the comparison just made (not "no difference in
                        # function", another outcome).
                        r"|\W*(?:but|although|though|however|while|yet)?,?\s*(?:no (?:statistically )?(?:significant )?"
                        r"(?:between[-‐‑ ]groups? |inter-?group )?differences?(?!\s+(?:in|on|for|of|regarding|with respect to)\b)"
                        r"|the (?:two |three )?(?:groups|arms) (?:did not|didn't) differ(?!\s+(?:in|on|for|regarding)\b))",
                        re.IGNORECASE)
CONTROL_WORDS = re.compile(r"\b(?:placebo|control\w*|usual care|standard care|sham|routine|conventional|vehicle|saline)\b",
                            re.IGNORECASE)
RESULT_SECTIONS = ("RESULT", "FINDING", "CONCLUSION", "INTERPRETATION", "OUTCOME")
NON_RESULT_SECTIONS = ("BACKGROUND", "INTRODUCTION", "OBJECTIVE", "AIM", "PURPOSE", "METHOD", "DESIGN", "SETTING",
                        "PARTICIPANT", "INTERVENTION", "TITLE", "CONTEXT", "TRIAL REGISTRATION", "ABSTRACT")
