"""The direction of a study's main result, from its automatic findings rows.

A trial abstract states several results; a reader summarising the study leads with the primary
outcome. ``main_direction`` takes the rows ``evidence.extract.main_result.mark_main_results``
flagged as the primary outcome when there are any and returns the direction most of them state.
Without a primary outcome, the authors' own statement that one arm did better decides; else the
direction most of the study's efficacy rows state. Harms ("no serious adverse events occurred") are not
the efficacy result: they decide only when nothing else is stated. Rows that state no result of the
trial (an aim, one arm's figures, the arms alike at baseline, a change within every arm, a combined
arm against each treatment alone) are set aside first.

When no row states a direction, the study may still say it for all its outcomes at once ("the
two groups did not differ on any scale", "acupuncture may be more effective than drugs"):
``main_direction`` given the record text reads such statements from the result and conclusion
sentences, the last one deciding.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pandas as pd

from . import result_cues
from .arms import label_contexts, named_group_contexts
from .findings import Mention, analysed_sentences, compares_before_treatment, sentence_mentions, vocabulary
from .text import NON_RESULT_SECTIONS
from ..topic.matcher import Vocabulary, claim, compile_classes
from ..topic.model import Topic

# Outcomes that report harms rather than benefit.
_HARMS = frozenset({"adverse_events", "serious_adverse_events", "complications"})


# "did not significantly relieve", "neither significantly improved", "failed to significantly reduce".
_NOT_SIGNIFICANTLY_GAINED = (r"(?:neither|not|did not|does not|do not|could not|failed to|was not able to)\s+(?:statistically\s+)?significantly\s+"
                             r"(?:relieve|improve|reduce|decrease|lower|ease|alleviate|enhance)[ds]?")
# Verdicts read both by _SAME and by the tests of what they are said of (_ARM_VERDICTS,
# _NO_DIFFERENCE_BETWEEN): "X did not outperform Y", "X was not superior to Y", "effects similar to
# those of Y", "no important difference between X and Y" (its words up to "between ").
_NOT_OUTPERFORMED = r"(?:not|never|failed to|fails to) (?:significantly )?outperform"
_NOT_SUPERIOR = r"(?:not|no) (?:statistically |significantly )?superior to"
_EFFECTS_ALIKE = r"(?:effects?|outcomes|results|efficacy|effectiveness)\s+(?:\w+\s+)?(?:equivalent|comparable|similar) (?:to|with)\b"
_NO_DIFFERENCE_WORDS = (r"(?:no (?:statistically |clinically )?(?:significant |important |meaningful |relevant )?differences? (?:\w+ ){0,3}?"
                        r"|(?:did|do|does) not (?:significantly )?differ (?:significantly )?)between ")
# Statements about the arms as a whole, naming no outcome.
_SAME = re.compile(
    r"\b(?:(?<!not )(?<!n't )(?<!never )as effective as|equally effective|similar(?:ly)? effective|comparable (?:efficacy|effects?)"
    # "acupuncture's effects matched those of NSAID treatment (p>0.05)" (p14; a comparator must follow)
    r"|(?:was|were|is|are) (?:\w+ )?(?:similar|comparable) to"
    # "no statistical or clinical differences between the groups" (a stored text may end inside
    # its last word: "between the grou").
    r"|(?:no|without any|without) (?:statistically |statistical |clinical(?:ly)? )?(?:or (?:statistical|clinical)(?:ly)? )?(?:significant |important )?"
    # ("... between treatment regimens", "... between the study conditions", seen in h7j26)
    r"differences? (?:\w+ ){0,3}?(?:between|among) (?:the )?(?:\w+ ){0,4}?(?:grou(?:ps?)?|arms|treatments|interventions|regimens|conditions|cohorts)"
    r"|(?:did|do) not differ(?: significantly)? between (?:the )?(?:\w+ ){0,4}?groups"
    # "no significant differences in lowering pain, ... and raising function among the groups" (x18)
    # (not a list of baseline traits: "no significant difference in age, gender ... between the groups")
    # "Neither main nor other outcomes differed between arms at three years" (q01)
    # (a decimal point inside the list is no sentence end: "no differences in pain reduction (p = 0.222), or
    # function (p = 0.254) between the four groups", seen in t5d05)
    r"|no (?:statistically )?(?:significant )?differences? in (?!(?:[^.;]|(?<=\d)\.(?=\d)){0,120}?\b(?:age|sex|gender|course|duration|baseline)\b)"
    r"(?:[^.;]|(?<=\d)\.(?=\d)){0,160}?\b(?:between|among) (?:the |all )?(?:\w+ )?(?:groups|arms)"
    # "No significant difference was found in the clinical results between the 40 operated cases and
    # the 55 cases relieved by the block" (y02): the results as a whole, between two named sets (not
    # one variable: "queue lengths showed no significant differences between X patients and ...")
    r"|no (?:statistically )?significant differences?\b[^.;]{0,50}?\b(?:results|outcomes|efficacy|effects?)\b"
    r"[^.;]{0,20}?\bbetween (?!\d)[^.;]{0,80}?\b(?:and|groups?|arms)\b"
    # "X yielded no significant difference on any outcome against sham" (x21)
    r"|no (?:statistically )?significant differences? in (?:all|any|each) (?:of )?(?:the )?(?:\w+ )?outcomes"
    # "Intergroup differences at follow-up over a year were not found to be significant" (y07)
    r"|(?:inter-?group|between-group) differences? [^.;]{0,80}?\b(?:was|were) not (?:found to be )?(?:statistically )?significant"
    # "Both groups improved (P < 0.01), but the difference between the groups was not significant"
    r"|differences? between (?:the )?(?:\w+ ){0,4}?(?:groups?|arms) (?:was|were) (?:not (?:statistically )?significant|non-?significant)"
    r"|not (?:statistically )?significantly different between (?:the )?(?:\w+ ){0,4}?(?:groups?|arms)"
    # "injection of the steroid is no more effective than the anaesthetic alone" (t5e05)
    r"|(?:not|no) (?:more effective|superior|better) than"
    # "Similar efficacy was seen between the arms for the other endpoints" (h7j26)
    r"|similar (?:efficacy|effectiveness|effects?|outcomes|results)\b[^.;]{0,30}?\b(?:between|among) (?:the )?(?:\w+ ){0,3}?(?:groups|arms|regimens|cohorts)"
    # A gain the test did not bear out, set against the other arm: "compared with placebo, X neither
    # significantly eased pain nor ...", "X did not significantly reduce pain relative to sham",
    # "X failed to significantly improve function over usual care" (h7j25).
    rf"|(?:compared (?:with|to)|relative to|versus|vs\.?|in comparison (?:with|to))\s[^.;]{{1,80}},\s*[^.;]{{1,80}}?\b{_NOT_SIGNIFICANTLY_GAINED}"
    rf"|\b{_NOT_SIGNIFICANTLY_GAINED}\b[^.;]{{0,80}}?\b(?:(?:when |as )?compared (?:with|to)|relative to|than|versus|vs\.?|over)\b"
    # Hedged or negative verdicts other authors write: "X was non-inferior to Y", "X proved noninferior
    # compared with Y", "X did not outperform Y", "X failed to outperform sham".
    r"|non-?inferior(?:ity)? (?:to|with|compared|versus|vs)|(?<!non-)(?<!non)\bnot inferior to"
    rf"|{_NOT_OUTPERFORMED}"
    # "X did not differ from Y in relieving pain", "X does not differ significantly from sham"
    r"|(?:did|does|do) not (?:significantly )?differ (?:significantly )?(?:from|in (?:their )?(?:efficacy|effectiveness|effects?|outcomes?|results))"
    # "X and Y produced similar improvements in leg pain", "comparable reductions of pain in both arms"
    r"|(?:similar|comparable|equivalent) (?:\w+ )?(?:improvements?|reductions?|relief|gains?|benefits?|changes?|decreases?)\b"
    # "outcomes were similar in both groups", "the results were comparable across the arms" (said of the
    # results as a whole: "mortality was similar in both groups" is said of one measure)
    r"|(?<!side )(?<!adverse )(?<!harmful )(?<!unwanted )\b(?:outcomes|results|efficacy|effectiveness|effects?|improvements?|benefits?|responses?|relief)\s+(?:\w+\s+){0,3}?"
    r"(?:was|were|remained|proved|appeared) (?:\w+ )?(?:similar|comparable) (?:in|between|across|among|for) (?:the |all |both )?(?:two |three |four )?(?:groups|arms|cohorts)"
    # "no clinically important difference between X and Y": the two arms named after "between" (not two
    # times of the same people, "between baseline and week 6"; the clause must name both sides, see
    # _clause_statement).
    rf"|{_NO_DIFFERENCE_WORDS}"
    r"(?!(?:the )?(?:baseline|before|pre-?\w*|admission|entry)\b)[^.;]{1,60}?\band\b[^.;,]{1,60}"
    # "X was not superior to Y"; "X performed similarly to Y", "X fared as well as Y" (the arm judged named
    # before, see _ARM_VERDICTS)
    rf"|{_NOT_SUPERIOR}"
    r"|(?:performed|worked|fared) (?:\w+ )?(?:similarly|comparably|equally(?: well)?|as well) (?:to|as|with)"
    # "X showed effects equivalent to those of Y", "X and Y led to comparable outcomes"
    rf"|\b{_EFFECTS_ALIKE}"
    r"|(?:comparable|equivalent) (?:(?:clinical|functional|treatment|overall|therapeutic|analgesic|long-term|short-term) )?"
    r"(?:outcomes|results|efficacy|effectiveness)\b"
    # "X gave no additional benefit", "there was no advantage of X over Y" (an arm of the intervention must
    # be named in the clause, see _clause_statement)
    r"|no (?:additional |extra |further |added |clear |significant |clinically (?:relevant |important |meaningful ))*(?:benefits?|advantages?)\b"
    r")\b",
    re.IGNORECASE,
)
# Verdicts said of an arm named before them ("X was similar to Y", "X did not differ from Y", "X was
# non-inferior to Y", "X failed to outperform Y"): the intervention must be what is judged.
_ARM_VERDICTS = re.compile(r"(?:was|were|is|are) |(?:did|does|do) not (?:significantly )?differ (?:significantly )?(?:from|in)|non-?inferior|not inferior"
                           rf"|{_NOT_SUPERIOR}|performed|worked|fared|{_EFFECTS_ALIKE}|{_NOT_OUTPERFORMED}", re.IGNORECASE)
_NO_DIFFERENCE_BETWEEN = re.compile(rf"{_NO_DIFFERENCE_WORDS}(?=[^.;]{{1,60}}?\band\b)(?!(?:the )?(?:\w+ ){{0,4}}?(?:grou(?:ps?)?|arms|treatments|"
                                    r"interventions|regimens|conditions|cohorts)\b)", re.IGNORECASE)
# Verbs by which an arm brings something about, and the gains it may bring.
_BROUGHT = (r"(?:show(?:s|ed)?|produc(?:es|ed)|provid(?:es|ed)|achiev(?:es|ed)|yield(?:s|ed)|result(?:s|ed)? in|"
            r"le(?:ad|ads|d) to|g(?:ave|ives)|br(?:ought|ings)|demonstrat(?:es|ed)|offer(?:s|ed)|afford(?:s|ed)|"
            # "patients given X had (experienced) a larger fall in pain than ...", "X was associated with greater relief"
            r"had|has|experienc(?:es|ed)|obtain(?:s|ed)|(?:was|were|is|are) associated with)")
_GAIN = r"(?:benefits?|reductions?|improvements?|relief|decreases?|declines?|advantages?|gains?|falls?|drops?)"
_NOT_A_GAIN = r"no|not|any|similar|comparable|equal|equivalent|same|less|lower|smaller|fewer|lesser|worse|inferior|non-?significant|minimal|slight|modest"
# The arm named first brought a gain set against the other arm: "X showed a benefit for leg pain
# compared with sham", "X produced a larger fall in pain scores than Y", "X gave more marked
# relief relative to Y" (seen in h5c07, h5b02). What is brought must be a gain, not its absence or
# an equal share ("showed similar improvement compared with Y" is no side); a gain that came "earlier
# than" the other arm's is about its speed, not its size (h5b02).
_BROUGHT_GAIN = (
    rf"\b{_BROUGHT}\s+(?:(?:a|an|the)\s+)?(?!(?:[\w-]+\s+){{0,4}}?(?:{_NOT_A_GAIN})\b)(?:(?!(?:that|which|whether)\b)[\w-]+\s+){{0,4}}?{_GAIN}\b"
    r"(?:(?!\b(?:no|not|neither|nor|but|while|whereas|although)\b)[^.;]){0,120}?"
    r"(?<!earlier )(?<!sooner )(?<!faster )(?<!quicker )(?<!quickly )(?<!rapidly )\b(?:(?:when |as )?compared (?:with|to)|than|relative to|over)\b"
)
# The arm named first improved the outcome, set against the other arm: "X significantly improved leg
# pain compared with Y", "X relieved pain more effectively than Y", "X reduced disability relative to Y".
# "Reduced" is a gain only of something bad (pain, disability, symptoms); not with "similarly" or "less".
_IMPROVED_AGAINST = (
    r"\b(?:improved|relieved|alleviated|eased|(?:reduced|decreased|lowered)(?=\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
    r"(?:pain|disability|symptoms?|VAS|NRS|ODI|RMDQ|scores?|intensity)\b))"
    r"(?!\s+(?:similarly|equally|less|only|in both|in all|from baseline|over time)\b)"
    r"(?:(?!\b(?:no|not|neither|nor|but|while|whereas|although|similar(?:ly)?|equally|less|baseline|before)\b)[^.;]){0,80}?"
    r"\b(?:(?:when |as )?compared (?:with|to)|(?:more (?:effectively|efficiently|markedly|substantially) )?than|relative to)\b"
)
_BROUGHTS = re.compile(rf"{_BROUGHT_GAIN}|{_IMPROVED_AGAINST}", re.IGNORECASE)
# Events a treatment should make rarer.
_BAD_EVENT = r"(?:surgery|surgical|operation|operative|reoperation|re-operation|recurrence|relapse|complication|readmission|failure)"
_BETTER = re.compile(
    r"\b(?:more (?:effective|efficacious|beneficial|useful|helpful|successful)|superior|better|greater (?:\w+ ){0,2}?(?:effects?|benefits?|improvements?))\b[^.;]{0,80}?\b(?:than|to)\b"
    r"|\b(?:relieve[sd]?|eased?|reduced?|improved?|dropped|fell|declined)\b[^.;]{0,40}?\bmore than\b"
    # "a significantly greater proportion of patients given X achieved relief than did those given Y" (y21)
    r"|\b(?:greater|higher|larger) (?:proportion|percentage|number) of (?:patients|participants|people)\b[^.;]{0,120}?\bthan\b"
    # "ESI helped pain at short follow-up when set against conservative care"
    r"|\b(?:beneficial|more effective|superior|better)\b[^.;]{0,80}?\b(?:when |as )?compared (?:with|to)\b"
    # "the mean fall in the score was significantly larger with acupuncture than with exercise"
    r"|\b(?:reduction|improvement|decrease|relief)\b[^.;]{0,80}?\b(?:greater|larger)\b[^.;]{0,30}?\bthan\b"
    rf"|{_BROUGHT_GAIN}|{_IMPROVED_AGAINST}"
    # A bad event made rarer: "the rate of later surgery was significantly lower in the X group than in
    # the control group (HR ...)", "a lower risk of reoperation with X than with Y" (seen in h5a17)
    rf"|\b{_BAD_EVENT}\w*\s+(?:rates?|risks?|incidences?)\b[^.;]{{0,40}}?\b(?:lower|reduced|smaller|less)\b[^.;]{{0,80}}?\bthan\b"
    rf"|\b(?:lower|reduced|smaller)\s+(?:rates?|risks?|incidences?|odds|likelihood)\s+of\s+(?:[\w-]+\s+){{0,3}}?{_BAD_EVENT}\w*\b[^.;]{{0,80}}?\bthan\b"
    # "X outperformed Y"
    r"|\boutperform(?:s|ed)?\b"
    # "the benefit of X over Y was small", "an advantage of X over Y at four weeks"
    # (not "a trend towards superiority of X over Y", "the advantage of X over Y has not been confirmed")
    r"|(?<!toward )(?<!towards )\b(?:benefits?|advantages?|superiority) of\b[^.;]{1,60}?\bover\b"
    r"(?![^.;]*\b(?:not|no|never|unclear|uncertain|unproven|unconfirmed|remains? to be)\b)"
    # "Patients given X were more likely to report relief than those given Y", "X is more likely to lead to
    # a positive response than Y", "those treated with X were less likely to need surgery than ...".
    r"|\bmore likely to (?:respond|improve|recover|benefit|succeed|(?:report|achieve|experience|have|obtain|reach|attain|gain|"
    r"lead to|result in|show)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){0,3}?(?:relief|improvements?|responses?|success|recovery|benefits?|"
    r"reductions?|positive|satisfaction))\b[^.;]{0,120}?\bthan\b"
    rf"|\bless likely to (?:need|require|undergo|have|receive|proceed to|go on to)\s+(?:(?:a|an|the)\s+)?(?:[\w-]+\s+){{0,2}}?{_BAD_EVENT}\w*\b[^.;]{{0,80}}?\bthan\b",
    re.IGNORECASE,
)
# The arm named first did worse than the one after: "X was not as effective as Y", "X proved less
# efficacious than Y", "X was inferior to Y" (seen in h6h07); not "non-inferior to", "not inferior to".
_WORSE = re.compile(
    r"\b(?:not (?:quite |nearly |as )?(?:as|so) (?:effective|efficacious|beneficial|successful|good) as"
    r"|less (?:effective|efficacious|beneficial|successful) (?:than|compared (?:with|to))"
    r"|(?<!non-)(?<!non)(?<!not )(?<!n't )(?<!never )inferior to)\b",
    re.IGNORECASE,
)
# Arms named as the best of those compared: "X and Y were identified as the optimal treatments", "X was
# found to be the most effective intervention", "X ranked as the best option".
_BEST = re.compile(
    r"\b(?:was|were|is|are|emerged|ranked)\s+(?:(?:identified|found|considered|judged|shown|proved|proven|ranked)\s+)?(?:(?:to be|as)\s+)?"
    r"the\s+(?:optimal|best|most (?:effective|efficacious))\s+(?:\w+\s+)?(?:treatments?|interventions?|options?|therap(?:y|ies)|choices?)\b",
    re.IGNORECASE,
)
# Sentences that state a hypothesis, an aim or earlier evidence, not the study's result.
_NOT_A_RESULT = re.compile(
    r"\b(?:hypothes[ie]s|hypothesi[sz]ed?|we expect\w*|is expected to|aims? to|aimed to|will be|(?:mounting|previous|existing|growing) evidence|"
    r"(?:evidence|studies|trials) (?:suggests?|shows?|indicates?)|previous(?:ly)? (?:studies|trials|reports)"
    # "X gave stronger analgesia than placebo in animal work" (seen in h23's background)
    r"|in (?:animal|earlier|prior|other) (?:studies|models|experiments|trials))\b"
    # A sentence that opens with the study's aim, its heading sometimes glued on ("ObjectiveTo
    # explore the effect ... so that patients can choose a better scheme", seen in c06).
    r"|^\W*(?:(?:objectives?|aims?|purpose)\s*:?\s*)?to (?:explore|evaluate|investigate|assess|compare|determine|observe|examine|study|analy[sz]e)\b",
    re.IGNORECASE,
)
# A response grade counted in one arm ("13 cases effective and 1 case ineffective"): the word
# "ineffective" here grades patients; it does not say the arms did alike.
_GRADE_COUNT = re.compile(r"\b\d+\s+(?:cases?|patients?|people|persons?)\s+(?:were\s+|was\s+)?(?:ineffective|invalid)\b",
                          re.IGNORECASE)


# Words that set arms against each other, shared by the word lists below (each adds its own).
_SET_AGAINST = r"than|versus|vs|compar\w*|differ\w*|superior|inferior|favou?r\w*|better|worse"
# Words by which a sentence compares arms (or gives each arm's figure in turn).
_COMPARES = re.compile(
    rf"\b(?:{_SET_AGAINST}|similar\w*|equal\w*|same|"
    # ("between" before a number opens a range, "between 2.4 and 9.6%", not a comparison: q13)
    r"significant\w*|respectively|whereas|while|both|between(?!\s+[-−]?\d)|over|against|relative|contrast|either|neither|each)\b|\b[Pp]\s*[<>=≤≥]",
    re.IGNORECASE,
)
_DEMOGRAPHICS = re.compile(r"\b(?:age|sex|gender|course of (?:the )?disease|disease (?:course|duration)|duration of (?:the )?"
                           r"(?:disease|illness|symptoms)|body mass index|BMI)\b", re.IGNORECASE)
_AFTER_TREATMENT = re.compile(r"\b(?:after|post-?(?:treatment|intervention)|follow-?up|at (?:the )?end)\b", re.IGNORECASE)


_IN_EVERY_ARM = re.compile(r"\b(?:in|of|for) (?:all|both|each) (?:(?:two|three|four) )?(?:groups?|arms?)\b"
                           r"|\b(?:in|of|for) (?:all|both|each) (?:(?:two|three|four) )?\w+ groups\b", re.IGNORECASE)
_BETWEEN_ARMS = re.compile(r"\b(?:than|versus|vs|compared (?:with|to) (?:the )?(?!baseline|before)\w+|between|differences?|superior|inferior"
                           r"|respectively)\b",
                           re.IGNORECASE)


_NO_CHANGE = re.compile(r"\bno (?:statistically |clinically )?(?:significant |meaningful |relevant )?changes?\b"
                        r"|\b(?:did|does|was|were) not (?:significantly |statistically |meaningfully )?change\b", re.IGNORECASE)


def _says_no_difference(sentence: str) -> bool:
    """Whether a sentence has words of no difference besides response grades counted per arm."""
    return bool(result_cues.NO_DIFFERENCE.search(_GRADE_COUNT.sub(" ", sentence)))


_NEGATED = re.compile(r"\b(?:not|no|neither|nor)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
_ARM_KINDS = frozenset({"intervention", "generic"})


def main_direction(rows: pd.DataFrame, text: str | None = None, topic: Topic | None = None) -> str | None:
    """The direction of one study's main result, or None when no row states one.

    Parameters
    ----------
    rows:
        The ``findings`` rows of one study (``direction``, ``outcome``, ``span_start`` and,
        when marked, ``main_result``).
    text, topic:
        The record text (``record_text(title, abstract)``) and its topic, to read a statement
        about all outcomes when no row states a direction; without them there is no such reading.

    Returns
    -------
    str or None
        One of ``evidence.tables.schema.DIRECTIONS``: the most frequent among the primary
        outcome's rows; without those, the authors' statement that one arm did better, when they
        make one, else the most frequent among the efficacy rows (else among all). A tie goes to
        the statement about all outcomes when it names one of the tied directions, else to the
        earliest sentence.

    The order of the sources (the primary outcome's rows, then the authors' statement when it
    favours a side, then the other rows, the statement of no difference only on a tie or when no row
    is left) was measured source by source on the tuning batches read before tune_7 (270 labelled
    records, nine batches): the primary rows were right 15 of 15 times they spoke, a statement of a
    side 18 of 18 times it decided, the rows 50 of 53. Where a statement of a side and the rows
    disagreed the statement was right each time (5 records in 4 batches); where a statement of no
    difference and rows of a side disagreed the rows were right 3 times in 2 batches, the statement
    once. A statement of either kind before the rows lost 2 or 3 records, the rows before a statement
    of a side lost 5, and neither won in any batch; a statement of a side before the primary rows
    changed nothing. ``main_direction_source`` says which source decided
    (``benchmarks/direction_sources.py`` prints the table).
    """
    return main_direction_source(rows, text, topic)[0]


def result_rows(rows: pd.DataFrame, text: str | None = None, topic: Topic | None = None) -> pd.DataFrame:
    """The rows of one study that state a result of the trial, as ``main_direction`` counts them: a
    direction on an outcome the topic names, not an aim, one arm's figures, a change within the arms,
    a three-arm comparison of a combined arm or a side the sentence cannot say."""
    # A result on an outcome the topic has no key for ("other": procedure time, satisfaction) is
    # shown, but says nothing about the study's main result.
    rows = _stated_results(rows[rows["direction"].notna() & (rows["outcome"] != "other").fillna(True)])
    if topic is not None and not rows.empty and "sentence" in rows:
        # Which arm a three-arm comparison favours ("X plus acupuncture did better than
        # acupuncture alone and X alone") says nothing of acupuncture against X (seen in r22, t18).
        vocab = vocabulary(topic)
        mixed = rows["sentence"].fillna("").map(lambda s: _mixed_arms(s, vocab)).astype(bool)
        rows = rows[~(mixed & (rows["direction"] != "no_difference"))]
        # A side favoured where the sentence cannot say which: "scores improved significantly after the
        # first session (p<0.05)" names no comparator and compares nothing (a case series, t5d06); and
        # each arm's figures listed with no test and no word that judges them ("2.9 and 2.8 in the two
        # groups, respectively", seen in t5e03, q27) leave the reader to compare near figures.
        # (A row with an estimate of the difference, "MD -1.2, 95% CI ...", states a comparison.)
        estimated = rows["measure"].notna() if "measure" in rows else pd.Series(False, index=rows.index)
        unsaid = rows["sentence"].fillna("").map(lambda s: _side_unsaid(s, vocab)).astype(bool) & ~estimated
        untested = rows["p_value_text"].isna() if "p_value_text" in rows else pd.Series(True, index=rows.index)
        listed = untested & ~estimated & ~rows["sentence"].fillna("").str.contains(_JUDGES)
        # "Significant differences between groups were observed (p<0.05)" names no arm and no side
        # that did better; with no arm named in the sentence before either (whose figures the reader
        # would compare), which side it favours is not said (seen in t5e17).
        nameless = _nameless_rows(rows, text, vocab) if text else pd.Series(False, index=rows.index)
        # A change set against an earlier time of the same people ("decreased by 2.2 points compared with
        # at admission"), no arm named and no arm set against another: a change over time (seen in h8l04).
        earlier = rows["sentence"].fillna("").map(lambda s: _against_earlier_time(s, vocab)).astype(bool)
        rows = rows[~((unsaid | listed | nameless | earlier) & (rows["direction"] != "no_difference"))]
    return rows


def main_direction_source(rows: pd.DataFrame, text: str | None = None, topic: Topic | None = None) -> tuple[str | None, str]:
    """``main_direction`` and the source that decided it: "statement, no rows", "primary rows",
    "statement of a side", "statement, rows tied" or "rows"."""
    rows = result_rows(rows, text, topic)
    if rows.empty:
        return (overall_direction(text, topic, risks=True) if text and topic is not None else None), "statement, no rows"
    efficacy = rows[~rows["outcome"].isin(_HARMS)]
    if not efficacy.empty:
        rows = efficacy
    main = rows[rows["main_result"].fillna(False).astype(bool)] if "main_result" in rows else rows.iloc[:0]
    if not main.empty:
        rows = main
    elif text and topic is not None:
        # No primary outcome named: the authors' own comparison of the arms ("the treated
        # arm did better than the control arm") is what a reader leads with, over a
        # count of rows in which a non-significant response rate may outnumber it (seen in h06).
        overall = overall_direction(text, topic)
        if overall in ("favours_intervention", "favours_comparator"):
            return overall, "statement of a side"
    rows = rows.sort_values("span_start", kind="stable")
    counts = Counter(rows["direction"])
    best = max(counts.values())
    tied = [d for d in dict.fromkeys(rows["direction"]) if counts[d] == best]
    if len(tied) > 1 and text and topic is not None:
        # Rows that disagree as often as they agree: the study's own summary, if it gives one, decides.
        overall = overall_direction(text, topic)
        if overall in tied:
            return str(overall), "statement, rows tied"
    return str(tied[0]), "primary rows" if not main.empty else "rows"


# Words by which a sentence judges one arm against another, not merely lists each arm's figures.
_JUDGES = re.compile(
    rf"\b(?:{_SET_AGAINST}|over|against|relative|"
    r"outperform\w*|exceed\w*|advantage\w*|benefit\w*|effective|efficacious)\b|\b[Pp]\s*[<>=≤≥]",
    re.IGNORECASE,
)
# Words that set one arm against another, or the arms against each other.
_COMPARISON = re.compile(
    rf"\b(?:{_SET_AGAINST}|against|relative to|between|"
    r"whereas|while|respectively|outperform\w*|over (?:the )?(?:\w+ )?(?:group|arm|control|placebo|sham))\b",
    re.IGNORECASE,
)


# A change over time: "scores improved significantly after the first session".
_CHANGED = re.compile(r"\b(?:improved|improvements?|reduced|reductions?|decreased|decreases?|relieved|increased|declined|fell|dropped)\b",
                      re.IGNORECASE)


# Words that say which side did better, or set the arms against each other by name.
_WHICH_SIDE = re.compile(
    r"\b(?:than|superior|inferior|better|worse|favou?r\w*|more|less|higher|lower|greater|smaller|larger|fewer|"
    r"compar\w*|versus|vs|outperform\w*|advantage\w*)\b",
    re.IGNORECASE,
)


def _nameless_rows(rows: pd.DataFrame, text: str, vocab: Vocabulary) -> pd.Series:
    """Which rows' sentences name no arm and no side that did better, after a sentence that names
    no arm either."""
    sentences = analysed_sentences(text, vocab)

    def named(i: int) -> bool:
        sentence, mentions = sentences[i]
        return bool(_sides(sentence.text, mentions, vocab))

    def nameless(start: Any, sentence: object) -> bool:
        s = sentence if isinstance(sentence, str) else ""
        if not s or _WHICH_SIDE.search(s) or _sides(s, sentence_mentions(s, vocab), vocab):
            return False
        if pd.isna(start):
            return False
        at = [i for i, (x, _) in enumerate(sentences) if x.start <= int(start)]
        if not at:
            return False
        return at[-1] > 0 and not named(at[-1] - 1)

    return pd.Series([nameless(a, b) for a, b in zip(rows["span_start"], rows["sentence"])], index=rows.index, dtype=bool)


# A value set against the same people's value at an earlier time.
_EARLIER_TIME = re.compile(r"\b(?:compared (?:with|to)|relative to|versus|vs\.?|from)\s+(?:(?:the|their|at|on|those at)\s+){0,2}"
                           r"(?:baseline|admission|entry|enrol+ment|pre-?treatment|pre-?intervention|before (?:the )?(?:treatment|intervention))\b",
                           re.IGNORECASE)
_ARMS_SET_AGAINST = re.compile(r"\b(?:than|between|among|differ\w*|superior|inferior|favou?r\w*|groups?|arms?|controls?|placebo|sham)\b",
                               re.IGNORECASE)


def _against_earlier_time(sentence: str, vocab: Vocabulary) -> bool:
    """Whether a sentence compares a value only with the same people's value at an earlier time: it
    says "compared with at admission" ("from baseline"), names no arm and sets no arm against another."""
    if not _EARLIER_TIME.search(sentence) or _ARMS_SET_AGAINST.search(sentence):
        return False
    rest = _EARLIER_TIME.sub(" ", sentence)
    if re.search(r"\b(?:versus|vs|compared|relative to)\b", rest, re.IGNORECASE):
        return False
    return not _sides(sentence, sentence_mentions(sentence, vocab), vocab)


def _side_unsaid(sentence: str, vocab: Vocabulary) -> bool:
    """Whether a sentence leaves unsaid which arm did better: it names the intervention, no
    comparator and no word that compares, only a change after treatment (in the one arm)."""
    sides = {side for a, b, side in _sides(sentence, sentence_mentions(sentence, vocab), vocab)}
    return (bool(sides) and "comparator" not in sides and not _COMPARISON.search(sentence)
            and bool(_CHANGED.search(sentence)) and bool(_AFTER_TREATMENT.search(sentence)))


def _stated_results(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows whose sentence states a result of the trial: not an aim or earlier evidence, one
    arm's figures, the arms alike at baseline, or a change within every arm."""
    if "sentence" in rows:
        # What a study hopes or what earlier work suggests is not its result.
        rows = rows[~rows["sentence"].fillna("").str.contains(_NOT_A_RESULT)]
        # "No difference" read from a response grade alone, with no test stated, is no result
        # (a text that ends after one arm's graded counts, seen in h12).
        if "p_value_text" in rows:
            sentences = rows["sentence"].fillna("")
            untested = rows["p_value_text"].isna()
            no_difference = rows["direction"] == "no_difference"
            graded = untested & no_difference & ~sentences.map(_says_no_difference).astype(bool)
            # One arm's figures ("Among controls, 7 cases were healed, ... 64.29%") compare nothing.
            # (An estimate of the difference, "MD -1.4, 95% CI -2.1 to -0.7", compares the arms.)
            one_arm = untested & ~sentences.str.contains(_COMPARES)
            if "measure" in rows:
                one_arm &= rows["measure"].isna()
            # Arms alike in age, sex and the scores before treatment are comparable, not a result
            # (a text that ends inside that sentence, seen in m02; compares_before_treatment needs
            # the word "baseline" or "before treatment").
            baseline = no_difference & sentences.str.contains(_DEMOGRAPHICS) & ~sentences.str.contains(_AFTER_TREATMENT)
            # A change within every arm ("the VAS fell in all three groups (all P<0.01)") with no
            # comparison of the arms is no result either way (issue 11; seen in r22's first result).
            within = (sentences.str.contains(_IN_EVERY_ARM) & ~sentences.str.contains(_BETWEEN_ARMS)
                      & ~sentences.map(_says_no_difference).astype(bool))
            # "The second arm showed a fall in pain and no significant change in walking distance": no
            # change is said of one arm over time, not of the arms set against each other (seen in h7j11,
            # a cohort split by severity).
            unchanged = (no_difference & sentences.str.contains(_NO_CHANGE) & ~sentences.str.contains(_BETWEEN_ARMS)
                         & ~sentences.str.contains(_SAME))
            rows = rows[~(graded | one_arm | baseline | within | unchanged)]
    return rows


def overall_direction(text: str, topic: Topic, risks: bool = False) -> str | None:
    """The direction of a statement about the arms as a whole, from the last result or
    conclusion sentence that makes one; None when none does.

    "A was more effective than B" favours A's side: the intervention when an acupuncture word
    (or the topic's intervention) stands before the comparison and a comparator after it. With
    ``risks``, a risk the intervention raises or lowers decides when nothing else does.
    """
    found = None
    # After "This study tests the following hypotheses:" the numbered items are hopes, not
    # results, until a results or conclusions heading.
    listing_aims = False
    plain = vocabulary(topic)
    vocab = _with_arm_labels(text, plain)
    risk = title_risk = None
    differed = claimed = False
    for sentence, mentions in analysed_sentences(text, plain):
        section = (sentence.section or "").upper()
        if sentence.section == "TITLE":
            title_risk = _title_risk(sentence.text, mentions, vocab)
        if sentence.section == "TITLE" or section in _BEFORE_RESULTS:
            continue
        if _LIST_OF_AIMS.search(sentence.text):
            listing_aims = True
        elif section.startswith(("RESULT", "CONCLUSION", "FINDING", "INTERPRETATION")):
            listing_aims = False
        if listing_aims or _NOT_A_RESULT.search(sentence.text):
            continue
        said = _statement(sentence.text, mentions, vocab)
        found = said or found
        risk = risk or _risk_statement(sentence.text, mentions, vocab)
        if _significant_between_arms(sentence.text):
            differed = True
        elif differed and _claims_benefit(sentence.text, mentions, vocab):
            claimed = True
    # A risk the intervention raises or lowers ("injections were linked to a higher risk of fracture")
    # speaks when nothing on the efficacy of the arms does; a title may say it too ("Increased risk of
    # fracture following epidural steroid injections", a text cut before its results, seen in h7k21).
    if found is None and risks and claimed:
        # "A significant difference between the groups (P<0.05)" naming no side, then the authors'
        # claim that the intervention "can reduce pain": the side the study found is the
        # intervention's (seen in h6f20, h5c06).
        return "favours_intervention"
    return found or (risk or title_risk if risks else None)


def _with_arm_labels(text: str, vocab: Vocabulary) -> Vocabulary:
    """The vocabulary with the arms' own labels added to its arm words, when the abstract says what
    each labelled arm received ("Group T received X", "a drug-free group treated with X", "X (group
    A) or Y (group B)") and the labels name both sides: then "Group T improved more than group C"
    sets the arms against each other. A label never defined, or defined by words of neither side,
    names nothing; so do labels that all fall on one side."""
    found: dict[str, set[str]] = {}
    patterns: dict[str, str] = {}
    # "In group T, TENS was begun ...": an abbreviation the abstract defined reads as its expansion.
    defined = [(re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])"), expansion) for alias, expansion in result_cues.defined_abbreviations(text)]
    for label, context in label_contexts(text):
        context += "".join(f"; {expansion}" for alias, expansion in defined if alias.search(context))
        found.setdefault(label, set()).update(_context_sides(context, vocab))
        # (A lone letter after its word only: "a group" is no arm "A".)
        patterns[label] = rf"\bgroups?[\s-]+{re.escape(label)}(?![\w+])" + (
            rf"|(?<![\w+-]){re.escape(label)}\s+groups?\b" if len(label) > 1 or label.isdigit() else "")
    for name, context in named_group_contexts(text):
        context += "".join(f"; {expansion}" for alias, expansion in defined if alias.search(context))
        found.setdefault(name, set()).update(_context_sides(context, vocab))
        patterns[name] = rf"(?<![\w+-]){re.escape(name)}\s+(?:groups?|arms?|treatments?)\b"
    # An arm given both ("X plus drug") is the intervention's; an arm named by neither side is no arm.
    sides = {label: "intervention" if "intervention" in got else "comparator" for label, got in found.items() if got}
    if set(sides.values()) != {"intervention", "comparator"}:
        return vocab
    by_side = {side: [patterns[label] for label in sides if sides[label] == side] for side in ("intervention", "comparator")}
    return dataclasses.replace(
        vocab,
        intervention_arm=compile_classes({"intervention": by_side["intervention"]}) + vocab.intervention_arm,
        comparator_arm=compile_classes({"comparator": by_side["comparator"]}) + vocab.comparator_arm)


def _context_sides(context: str, vocab: Vocabulary) -> set[str]:
    """The sides of the arms a label's defining words name."""
    return {side for _, _, side in _sides(context, sentence_mentions(context, vocab), vocab)}


# A risk set higher or lower by what comes before: "X was associated with a higher risk of fracture",
# "X may lead to increased bone fragility", "each X raised the odds of ...", "X lowered the risk of surgery".
_RAISED = r"(?:increas(?:ed|ing)|higher|greater|elevated|raised)"
_LOWERED = r"(?:decreas(?:ed|ing)|lower|reduced|smaller|diminished)"
# (Not "rate": "increased the healing rate" is a gain, seen in h6f07.)
_RISK_WORDS = r"(?:risks?|likelihood|odds|incidence|hazards?|fragility)"
_RISK = re.compile(
    r"\b(?:(?:was|were|is|are|be) (?:significantly |independently )?(?:associated with|linked (?:with|to))|(?:lead|leads|led|result(?:s|ed)?) (?:to|in)|"
    r"(?:increas|rais|elevat|decreas|reduc|lower)(?:ed|es|e|ing)? the)\s+(?:an?\s+|the\s+)?(?:(?:significantly|statistically significantly|markedly|\d+(?:\.\d+)?-fold)\s+)?"
    rf"(?:(?P<up>{_RAISED})|(?P<down>{_LOWERED}))?\s*(?:[\w-]+\s+){{0,2}}?{_RISK_WORDS}\b",
    re.IGNORECASE,
)
_TITLE_RISK = re.compile(rf"\b(?:(?P<up>{_RAISED})|(?P<down>{_LOWERED})) (?:[\w-]+ ){{0,2}}?{_RISK_WORDS} of\b[^:.;]{{0,100}}?\b"
                         r"(?:following|after|with|among|in (?:patients|people|those) (?:receiving|given|treated with))\s", re.IGNORECASE)


def _risk_statement(s: str, mentions: tuple[Mention, ...], vocab: Vocabulary) -> str | None:
    """favours_comparator when the intervention, named before the words, raises a risk; favours_intervention
    when it lowers one; None when the sentence is negated, names a comparator or no such risk."""
    m = _RISK.search(s)
    if m is None or _NEGATIVE.search(s, max(0, m.start() - 30), m.start()) or not (m.group("up") or m.group("down") or
                                                                                   re.match(r"(?:increas|rais|elevat|decreas|reduc|lower)", m.group(), re.IGNORECASE)):
        return None
    named = [(b, side) for a, b, side in _sides(s, mentions, vocab) if b <= m.start()]
    sides = {side for b, side in named}
    # The intervention is the subject, named just before the words (in "X alters steroid levels, with a
    # potential to reduce the risk of ..." the steroid named far before is not what lowers the risk).
    if not named or m.start() - max(b for b, side in named) > 60:
        return None
    # (A comparator named after the words is what the risk is of: "a reduced risk of surgery".)
    if sides != {"intervention"}:
        return None
    verb = m.group().lower()
    down = m.group("down") is not None or (m.group("up") is None and verb.startswith(("decreas", "reduc", "lower")))
    return "favours_intervention" if down else "favours_comparator"


def _title_risk(s: str, mentions: tuple[Mention, ...], vocab: Vocabulary) -> str | None:
    """The side a title gives by a risk set higher or lower after the intervention, named after the words."""
    m = _TITLE_RISK.search(s)
    if m is None:
        return None
    sides = {side for a, b, side in _sides(s, mentions, vocab) if a >= m.end() - 1}
    if sides != {"intervention"}:
        return None
    return "favours_intervention" if m.group("down") else "favours_comparator"


# The arms found to differ, without saying which did better ("significant differences were noted between
# groups in pain", "the two arms showed a statistically significant difference, P<0.05").
_DIFFERED = re.compile(
    r"\b(?:statistically )?significant(?:ly)? differen(?:ces?|t)\b[^.;]{0,60}?\b(?:between|among) (?:the )?(?:two |three |both )?(?:\w+ )?(?:groups|arms)\b"
    r"|\bdifferences? between (?:the )?(?:two |three )?(?:\w+ )?(?:groups|arms) (?:was|were) (?:statistically )?significant\b",
    re.IGNORECASE,
)
# The authors' claim that the intervention, named first, brings a gain: "X can reduce pain", "X may
# effectively relieve symptoms", "X can promote recovery".
_CLAIM = re.compile(
    r"\b(?:can|could|may|might|will|did|does|do|effectively|significantly|markedly|confirmatively)\s+(?:\w+ly\s+)?"
    r"(?:reduce|relieve|improve|promote|alleviate|ease|decrease|lower|enhance|shorten|accelerate)\b",
    re.IGNORECASE,
)


def _significant_between_arms(s: str) -> bool:
    m = _DIFFERED.search(s)
    return (m is not None and not _NEGATIVE.search(s, max(0, m.start() - 40), m.start())
            and not _DEMOGRAPHICS.search(s) and not compares_before_treatment(s) and not _says_no_difference(s))


def _claims_benefit(s: str, mentions: tuple[Mention, ...], vocab: Vocabulary) -> bool:
    m = _CLAIM.search(s)
    if m is None or _NEGATIVE.search(s) or _SAME.search(s) or _NOT_A_RESULT.search(s):
        return False
    return {side for a, b, side in _sides(s, mentions, vocab) if b <= m.start()} == {"intervention"}


# Sections that come before the results: the shared ones, and those of journals' own formats
# ("Importance: X has shown superior analgesia compared with placebo in animals" is background).
_BEFORE_RESULTS = NON_RESULT_SECTIONS | {"IMPORTANCE", "QUESTION", "RATIONALE", "DESIGN, SETTING, AND PARTICIPANTS"}
_LIST_OF_AIMS = re.compile(r"\b(?:hypothes[ie]s|aims|objectives|questions)\b[^.:]{0,50}?(?:\bas follows\b\s*:?|:)", re.IGNORECASE)


def _statement(s: str, mentions: tuple[Mention, ...], vocab: Vocabulary) -> str | None:
    """What a sentence says of the arms as a whole: its last clause that says something decides
    ("the effect was better in the treatment group.(3)The effective rate did not differ ..., it
    shows the treatment group's method is better than the control group's")."""
    if compares_before_treatment(s):
        return None
    found = None
    start = 0
    for stop in [b.end() for b in _CLAUSE_END.finditer(s)] + [len(s)]:
        if stop > start:
            found = _clause_statement(s, start, stop, mentions, vocab) or found
        start = stop
    return found


def _clause_statement(s: str, start: int, end: int, mentions: tuple[Mention, ...], vocab: Vocabulary) -> str | None:
    inside = [x for x in mentions if start <= x.start and x.end <= end]
    same = _SAME.search(s, start, end)
    # "The total effective rate did not differ between the groups" is said of its subject, one
    # outcome, not of the arms as a whole ("no difference between the arms in VAS or ODI" is).
    # The arms a verdict of no difference is said of may stand after its "no" or "not" ("no advantage of X
    # over Y", "did not differ between X and Y"): named all the same.
    unnegated = tuple(dataclasses.replace(x, negated=False) for x in inside)
    pair = _NO_DIFFERENCE_BETWEEN.match(same.group()) if same else None
    if same is not None and pair is not None and {side for a, b, side in _sides(s, unnegated, vocab)
                 if same.start() + pair.end() <= a and b <= same.end()} != {"intervention", "comparator"}:
        # "no difference between X and Y" must name an arm of each side after "between".
        same = None
    if same and same.group().lower().startswith("no ") and re.search(r"(?:benefits?|advantages?)$", same.group(), re.IGNORECASE) and not any(
            side == "intervention" for a, b, side in _sides(s, unnegated, vocab)):
        # "no additional benefit" must be said of the intervention, named in the clause.
        same = None
    if same and same.group().lower().startswith(("similar ", "comparable ")) and _DEMOGRAPHICS.search(s, start, end) and not _AFTER_TREATMENT.search(s, start, end):
        # "Age, sex and disease duration were similar between the groups": arms alike before treatment.
        same = None
    if same and not any(x.kind == "outcome" and x.end <= same.start() for x in inside):
        # "Nonparticulate X is as effective as particulate X" compares two forms of the
        # intervention: no comparator after "as effective as" says nothing of the comparison (y19).
        sides = [(a, b, side) for a, b, side in _sides(s, unnegated, vocab) if start <= a and b <= end]
        if same.group().lower().startswith(("as effective as", "was ", "were ", "is ", "are ")) and not any(
                side == "comparator" and a >= same.end() for a, b, side in sides):
            return None
        # "X's effects were similar to Y": the intervention must be what is likened ("pain outcomes
        # of ozone were similar to those after discectomy" likens two comparators, seen in q12).
        if _ARM_VERDICTS.match(same.group()) and not any(
                side == "intervention" and b <= same.start() for a, b, side in sides):
            return None
        return "no_difference"
    fronted = _fronted_comparison(s, start, end, inside, vocab)
    if fronted is not None:
        return fronted
    favoured = _favoured_arm(s, start, end, inside, vocab)
    if favoured is not None:
        return favoured
    sides = [(a, b, side) for a, b, side in _sides(s, tuple(inside), vocab) if start <= a and b <= end]
    # Two forms of the intervention set against each other, no comparator named: the usual form is
    # the comparison arm ("X was superior to the traditional moxibustion group", "better than the
    # standardised dose", "dropped more than in the conventional needling arm", seen in h7i01, h7i02).
    # A comparator named by the usual form itself ("the traditional moxibustion group", once the
    # topic reads that form's dose or point selection as other acupuncture) is that same arm.
    usual = _usual_forms(s, start, end)
    if any(side == "comparator" and not any(a < v and u < b for u, v, _ in usual) for a, b, side in sides):
        usual = []
    if usual:
        sides = [x for x in sides if not any(a <= x[0] and x[1] <= b for a, b, _ in usual)] + usual
    best = _BEST.search(s, start, end)
    if best is not None and not _NEGATED.search(s, start, best.start()):
        # "X and Y were identified as the optimal treatments" (a network meta-analysis ranking its arms,
        # seen in h5c25): the side of the arms named as the best, when all are of one side.
        named = {side for a, b, side in sides if b <= best.start()}
        if named == {"intervention"}:
            return "favours_intervention"
        if named == {"comparator"}:
            return "favours_comparator"
    worse = _WORSE.search(s, start, end)
    if worse is not None and not _untested_or_not_significant(s):
        # "X was not as effective as Y", "X proved less effective than Y": the arm named first did worse.
        before = {side for a, b, side in sides if b <= worse.start()}
        after = {side for a, b, side in sides if a >= worse.end()}
        if before == {"intervention"} and "comparator" in after:
            return "favours_comparator"
        if before == {"comparator"} and "intervention" in after:
            return "favours_intervention"
    unnamed = _unnamed_gain(s, start, end, sides) or _gain_more_in_arm(s, start, end, sides)
    if unnamed is not None:
        return unnamed
    at = start
    # A comparison that names no arm on a side may be followed by one that does: "pain eased more
    # with real needling: over four weeks, acupuncture provided a clear benefit compared with sham".
    while (m := _BETTER.search(s, at, end)) is not None:
        if _NEGATED.search(s, start, m.start()):
            return None
        brought = bool(_BROUGHTS.fullmatch(m.group()))
        if brought and _untested_or_not_significant(s):
            # "The steroid group had greater reductions than the saline group (MD -1.3 [-2.8 to
            # 0.3]; P = 0.11)": a gain the test does not bear out is no side (seen in q16).
            return None
        if brought and _says_no_difference(s):
            # "Pain did not differ between the arms; however, X yielded a larger gain in function
            # compared with sham": the gain is on another outcome than the one found alike (seen in h23).
            return None
        # The arms on either side of the word that compares ("than", "to"); in "the reduction was
        # greater for acupuncture than for exercise" the better arm stands inside the phrase.
        pivot = m.end() - len(m.group().split()[-1])
        # An arm that brought a gain is named before the verb: in "sites given A showed reductions in
        # responses following acupuncture compared to control sites" acupuncture is not what brought it.
        subject_end = m.start() if brought else pivot
        before = {side for a, b, side in sides if b <= subject_end}
        after = {side for a, b, side in sides if a >= pivot}
        # "Tuina and acupuncture were superior to traction": acupuncture among the better, none below.
        # "A greater proportion with transforaminal X than with transforaminal saline, intramuscular
        # X or ...": only the intervention before the pivot, comparators among the arms after (y21).
        if ("intervention" in before and after == {"comparator"}) or (before == {"intervention"} and "comparator" in after):
            return "favours_intervention"
        # "The new dose appears superior to the standardised dose": the arm before is named by a
        # form the vocabulary does not know; set against the usual form, it is the one under study.
        # (The arm before must be named as an arm, a dose or a method, not by a drug name outside
        # the vocabulary: "drug X was more effective than drug Y in conventional doses" is no side.)
        if usual and not before and after == {"comparator"} and not brought and _ARM_NOUN.search(s, start, pivot):
            return "favours_intervention"
        if before == {"comparator"} and "intervention" in after:
            return "favours_comparator"
        at = m.start() + 1
    return None


# A gain set against the comparison arm, the arm that gained left unnamed or named before: "significant
# improvements vs controls in pain (P = .02)", "greater improvement was found in those given X versus
# controls", "scores were all improved compared to usual care" (seen in h8m11, h8n09, h5a14). The words
# before the gain must not deny or share it ("no", "similar", "less"), and what the gain is set against must
# be an arm, not an earlier time ("compared with baseline").
_GAIN_AGAINST = re.compile(
    r"\b(?:(?:statistically |clinically )?significant(?:ly)?\s+|greater\s+|larger\s+|more\s+|better\s+|marked(?:ly)?\s+)+"
    r"(?:(?:degree|amount) of\s+)?(?:improvements?|reductions?|relief|benefits?|decreases?|gains?|improved|reduced|relieved)\b"
    r"|\b(?:were|was) (?:all |both )?(?:significantly |markedly |further )?(?:improved|reduced|relieved|decreased)\b",
    re.IGNORECASE,
)
_GAIN_PIVOT = re.compile(r"\b(?:versus|vs\.?|(?:when |as )?compared (?:with|to)|relative to|than|over)\s+(?!(?:the\s+|their\s+|at\s+)?"
                         r"(?:baseline|before|pre-?\w*|admission|entry|enrol+ment|initial|start)\b)", re.IGNORECASE)
_SHARED_GAIN = re.compile(r"\b(?:no|not|neither|nor|without|similar(?:ly)?|comparable|equal(?:ly)?|same|less|smaller|fewer|lower|"
                          r"both|all (?:three|two|four) groups|each|trends?|tended|tendency)\b", re.IGNORECASE)


def _unnamed_gain(s: str, start: int, end: int, sides: Sequence[tuple[int, int, str]]) -> str | None:
    """favours_intervention when a clause sets a significant gain against the comparison arm, named
    right after "versus" ("compared with", "than"), and names no comparator before it; else None."""
    gain = _GAIN_AGAINST.search(s, start, end)
    if gain is None or _SHARED_GAIN.search(s, start, gain.start()) or _SHARED_GAIN.search(s, gain.start(), gain.end()):
        return None
    pivot = _GAIN_PIVOT.search(s, gain.end(), min(end, gain.end() + 100))
    if pivot is None or _SHARED_GAIN.search(s, gain.end(), pivot.start()):
        return None
    # ("No difference in pain; however, a greater fall in disability compared with sham": the gain is on
    # another outcome than the one found alike, seen in h23.)
    if _untested_or_not_significant(s) or _says_no_difference(s):
        return None
    # A gain that must be significant: said so, or a p-value below 0.05 stated in the clause.
    if not _SIGNIFICANT.search(s, start, end) and not _P_STATED.search(s, start, end) and not re.search(
            r"\b(?:greater|larger|more|better)\b", gain.group(), re.IGNORECASE):
        return None
    before = {side for a, b, side in sides if b <= pivot.start()}
    after = sorted((a, side) for a, b, side in sides if a >= pivot.end())
    if "comparator" in before or not after or after[0][0] > pivot.end() + 30 or after[0][1] != "comparator":
        return None
    return "favours_intervention"


# A gain said to be larger in one arm, the other arm left to the reader: "the decreases were more marked
# in the acupuncture group (P<0.05)", "a significantly greater improvement was seen in the treatment group",
# "pain fell in both arms, which was more significant in the needling group (p < 0.05)" (seen in h02).
_MORE_GAIN = re.compile(
    r"\b(?:(?:significantly |markedly |much |even )?(?:greater|larger|bigger|more (?:marked|pronounced|obvious|significant|evident|notable))\s+"
    r"(?:(?:degree|amount) of\s+)?(?:[\w-]+\s+){0,2}?(?:improvements?|reductions?|relief|decreases?|declines?|falls?|gains?|benefits?)"
    r"|(?:improvements?|reductions?|relief|decreases?|declines?|falls?|changes?|improved|decreased|declined|fell|which)\b[^.;]{0,40}?"
    r"\b(?:(?:was|were) )?(?:(?:significantly|markedly|much) )?(?:greater|larger|more (?:marked|pronounced|obvious|significant|evident|notable)|more markedly|more significantly))"
    r"\b(?P<rest>[^.;]{0,40}?)\b(?:in|for|with|among) (?:the |those of the )?",
    re.IGNORECASE,
)


def _gain_more_in_arm(s: str, start: int, end: int, sides: Sequence[tuple[int, int, str]]) -> str | None:
    """The side of the arm named right after a gain said to be larger "in" it, when the clause names
    no arm of the other side, no "than" or "versus", says the gain is significant (in words or by a
    p-value below 0.05) and shares or denies nothing between the gain and the arm; else None."""
    m = _MORE_GAIN.search(s, start, end)
    if m is None or _SHARED_GAIN.search(s, m.start(), m.end()) or _NEGATED.search(s, start, m.start()) or re.search(
            r"\b(?:trends?|tend(?:ed|ency)|marginal(?:ly)?|insignificant|non-?significant)\b", s[start:end], re.IGNORECASE):
        return None
    if _PIVOT.search(s, start, end) or re.search(r"\bthan\b", s[start:end], re.IGNORECASE):
        return None
    if not (_SIGNIFICANT.search(s, start, end) or _P_STATED.search(s)) or _untested_or_not_significant(s) or _says_no_difference(s):
        return None
    named = sorted((a, side) for a, b, side in sides if m.end() <= a <= m.end() + 30)
    if not named or {side for a, b, side in sides} != {named[0][1]}:
        return None
    return "favours_intervention" if named[0][1] == "intervention" else "favours_comparator"


# The usual form of a treatment, named as the arm a new form is set against: "the traditional
# moxibustion group", "a standardised 15-minute dose", "routine acupuncture therapy", "the other therapies".
_USUAL_FORM = re.compile(
    r"\b(?:traditional|conventional|standard(?:i[sz]ed)?|routine|regular|ordinary|common)\s+(?!(?:deviations?|errors?)\b)(?:[\w-]+\s+){0,2}?"
    r"(?:groups?|arms?|doses?|therap(?:y|ies)|protocols?|methods?|acupuncture|moxibustion|needling|treatments?)\b"
    r"|\bthe other (?:therapies|treatments|groups|arms|interventions)\b",
    re.IGNORECASE,
)


_ARM_NOUN = re.compile(r"\b(?:groups?|arms?|doses?|dosages?|regimens?|protocols?|techniques?|methods?|points?|sessions?)\b", re.IGNORECASE)


def _usual_forms(s: str, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "comparator") for m in _USUAL_FORM.finditer(s, start, end)]


# A comparison put first: "Compared with X alone, adding Y led to greater relief of pain" (seen in
# p02's pooled result). The arm after the comma did better than the one named before it. Other
# authors put it as "Compared with X, Y significantly improved the response" or "..., Y was superior
# in terms of pain" (h5a14), or "for overall recovery, compared with X, there was a significant
# improvement following Y" (h5c24, a network meta-analysis), a short lead-in before the comparison.
_GAINS_WORDS = (r"(?:(?:a|an|the) )?(?:(?:statistically |clinically )?significant(?:ly)? |greater |larger |more |better |further )*"
                r"(?:improvements?|reductions?|relief|benefits?|efficacy|effectiveness)\b")
_FRONTED = re.compile(
    r"(?:[^,;.()]{1,60},\s*)?\s*(?:(?:when |as )?compared (?:with|to)|in comparison (?:with|to)|relative to) (?P<other>[^,;.]{1,80}),\s*"
    r"(?:(?P<subject>[^.;]{1,120}?)\s+"
    r"(?:(?:led|leads?|resulted|results?) (?:to|in)|(?:showed|shows|achieved|produced|yielded|gave|had|brought)) " + _GAINS_WORDS +
    r"|(?P<subject2>[^.;]{1,120}?)\s+(?:(?:(?:statistically |clinically )?significantly|markedly|further|greatly|better) )?"
    r"(?:improved|relieved|reduced|alleviated|eased)\b"
    r"|(?P<subject3>[^.;]{1,120}?)\s+(?:was|were|is|are|proved|appeared) (?:(?:statistically |clinically )?significantly )?"
    r"(?:superior|better|more effective|more efficacious)\b(?!\s+(?:to|than)\b)"
    r"|there (?:was|were|is|are) " + _GAINS_WORDS + r"[^.;]{0,60}?\b(?:following|with|after|from)\s+(?P<subject4>[^.;]{1,160}))",
    re.IGNORECASE,
)
_SUBJECTS = ("subject", "subject2", "subject3", "subject4")


def _fronted_comparison(s: str, start: int, end: int, inside: Sequence[Mention], vocab: Vocabulary) -> str | None:
    """The arm favoured by a clause that opens with "Compared with <arm>," and says the arm after
    the comma brought improvement: the intervention when only comparators stand before the comma
    and the intervention after it; the comparator the other way round; else None."""
    m = _FRONTED.match(s, start, end)
    if m is None:
        return None
    said = next(g for g in _SUBJECTS if m.group(g) is not None)
    if _NEGATIVE.search(m.group(said)):
        return None
    sides = _sides(s, tuple(inside), vocab)
    other = {side for a, b, side in sides if m.start("other") <= a and b <= m.end("other")}
    subject = {side for a, b, side in sides if m.start(said) <= a and b <= m.end(said)}
    if other == {"comparator"} and "intervention" in subject:
        return "favours_intervention"
    if other == {"intervention"} and subject == {"comparator"}:
        return "favours_comparator"
    return None


# "Differences in favour of X were significant", "a significant effect favouring X": the arm named
# right after the word is the one that did better (seen in h5b21). A favoured side must be said to be
# significant, without "not", "trend" or the like anywhere in the clause: "a trend favouring X" and "the
# estimate favoured X (95% CI -0.7 to 0.1)" are no side.
_FAVOURED = re.compile(r"\b(?:in favou?r of|favou?ring|(?<!was )(?<!were )(?<!is )(?<!are )(?<!been )(?<!be )favou?red)\s+(?:the\s+)?", re.IGNORECASE)
_SIGNIFICANT = re.compile(r"(?<!non-)(?<!non)(?<!in)\bsignificant(?:ly)?\b", re.IGNORECASE)
_NOT_SURE = re.compile(r"\b(?:no|not|non|nor|neither|trends?|tendency|tended|insignificant|non-?significant|marginal(?:ly)?)\b", re.IGNORECASE)


def _favoured_arm(s: str, start: int, end: int, inside: Sequence[Mention], vocab: Vocabulary) -> str | None:
    """The side of the arm named within a few words after "in favour of" ("favouring") in a clause
    that calls the result significant and says nothing to doubt it; else None."""
    m = _FAVOURED.search(s, start, end)
    if m is None or not _SIGNIFICANT.search(s, start, end) or _NOT_SURE.search(s, start, end):
        return None
    named = sorted((a, side) for a, b, side in _sides(s, tuple(inside), vocab) if m.end() <= a <= m.end() + 30 and b <= end)
    if not named:
        return None
    return "favours_intervention" if named[0][1] == "intervention" else "favours_comparator"


_P_STATED = re.compile(r"\b[Pp]s?\s*(?:-?\s*values?\s*)?(?P<op>[<>=≤≥]=?)\s*(?P<p>0?\.\d+|1(?:\.0+)?)\b")


def _untested_or_not_significant(s: str) -> bool:
    """Whether a sentence gives p-values and none of them below 0.05 ("P = 0.11", "p > 0.05")."""
    stated = [(m.group("op"), float(m.group("p"))) for m in _P_STATED.finditer(s)]
    if not stated:
        return False
    return not any(p < 0.05 or (op.startswith(("<", "≤")) and p <= 0.05) for op, p in stated)


_NEGATIVE = re.compile(r"\b(?:no|not|neither|nor|without)\b", re.IGNORECASE)


# Where a comparison's clause ends: "... better than the control arm.②The overall response rate".
_CLAUSE_END = re.compile(r"[.;](?=\s|\D|$)|,?\s+(?:while|whereas|but)\s", re.IGNORECASE)


_PIVOT = re.compile(r"\b(?:than|versus|vs\.?|compared (?:with|to))\b", re.IGNORECASE)
# Where the worse side of a comparison ends: a full stop, a semicolon, or a comma outside brackets
# ("... than that of (61.54%, 16/26) in the X group and ...", "... than the control group, indicating ...").
_SIDE_END = re.compile(r"[.;](?:\s|$)|,(?![^()]*\))")


def _mixed_arms(sentence: str, vocab: Vocabulary) -> bool:
    """Whether a sentence's comparison names acupuncture on both of its sides and a comparator
    on one: a combined arm against each treatment alone."""
    pivot = _PIVOT.search(sentence)
    if pivot is None:
        return False
    opens = max((b.end() for b in _CLAUSE_END.finditer(sentence, 0, pivot.start())), default=0)
    closes = next((b.start() for b in _SIDE_END.finditer(sentence, pivot.end())), len(sentence))
    sides = _sides(sentence, sentence_mentions(sentence, vocab), vocab)
    before = {side for a, b, side in sides if opens <= a and b <= pivot.start()}
    after = {side for a, b, side in sides if pivot.end() <= a and b <= closes}
    return "intervention" in before and "intervention" in after and "comparator" in before | after


def _sides(s: str, mentions: Sequence[Mention], vocab: Vocabulary) -> list[tuple[int, int, str]]:
    """``(start, end, side)`` of the arms named in a sentence: its treatment mentions, and arm
    words ("treatment group", "control group") where no treatment is named."""
    named: list[tuple[int, int, str]] = []
    for x in mentions:
        side = _side(x)
        if side is not None:
            named.append((x.start, x.end, side))
    taken = [(x.start, x.end) for x in mentions]
    for side, classes in (("comparator", vocab.comparator_arm), ("intervention", vocab.intervention_arm)):
        named.extend((x.start, x.end, side) for x in claim(s, side, classes, taken))
    return named


def _side(m: Mention) -> str | None:
    if m.negated:
        return None
    return "intervention" if m.kind in _ARM_KINDS else "comparator" if m.kind == "comparator" else None


def main_directions(findings: pd.DataFrame) -> dict[str, str | None]:
    """``main_direction`` of every study in a findings table, keyed by PMID."""
    return {str(pmid): main_direction(rows) for pmid, rows in findings.groupby("pmid", sort=False)}
