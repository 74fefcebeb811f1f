"""Sample size, arms and follow-up of a record: the number randomized or enrolled in the whole trial,
the number analysed, the number of arms, and for reviews the number of studies and participants.

A pure function of one record's text; ``rules`` name the rule that gave each count so a reader can
see why (an arm, a subgroup, the screened or the analysed count is never the trial size).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from ..topic.literals import Searcher, could_match, gate, word_positions
from .numbers import COUNT, DIGITS_COUNT, NUMBER_WORDS, parse_count
from .text import cached_sentences

__all__ = ["WEEKS_PER", "SampleSize", "extract_sample_size"]


@dataclass(frozen=True)
class SampleSize:
    """Counts found in a record; each is ``None`` when not stated. ``rules`` name what fired."""

    n_randomized: int | None = None
    n_analysed: int | None = None
    n_arms: int | None = None
    n_studies: int | None = None
    n_participants: int | None = None
    follow_up: str | None = None
    rules: dict[str, str] = field(default_factory=dict)


# Words after a number that show it is not a head count.
_NOT_PEOPLE = (
    r"(?!\s*(?:%|percent|per\s?cent|mg|ml|mL|kg|g\b|mcg|µg|IU|U\b|mm|cm|nm\b|°|degrees?|years?|months?|weeks?|days?|"
    r"hours?|h\b|min\w*|sec\w*|times|sessions?|points?|groups|arms|centers|centres|sites|hospitals|clusters|"
    r"practices|studies|trials|RCTs|articles|doses?|cycles|visits|items|questions|[-–]\s*\d))"
)
_PEOPLE = (
    r"patients|participants|subjects|individuals|people|persons|adults|women|men|males|females|volunteers|"
    r"children|infants|neonates|newborns|adolescents|students|smokers|outpatients|inpatients|mothers|athletes|"
    r"workers|veterans|residents|cases|eyes|teeth|"
    # People named by their condition: "66 essential hypertensives", "40 insulin-treated diabetics".
    r"hypertensives|normotensives|diabetics|asthmatics|epileptics|alcoholics|schizophrenics|survivors|clients"
)
_PEOPLE_GAP = r"(?:[A-Za-z(][\w'(),/-]*\s+){0,8}?"
# A share of a larger set in brackets after a count: "32 (78%) were recruited".
_SHARE = r"(?:\s*\(\s*\d+(?:\.\d+)?\s*%\s*\))?"
# Words describing people before the noun: "untreated, mildly hypertensive", "obese [BMI > 30]".
_DESCRIBING = r"(?:[\w-]+,?\s+|\[[^\[\]]{0,80}\]\s+|\([^()]{0,40}\)\s+)"
_RANDOMIZING = r"(?:randomi[sz]ed|randomly|allocated|assigned|divided|distributed)"
_ENROLLING = r"(?:enrolled|recruited|included|entered|studied|treated|investigated|evaluated)"

# Words between a count and its people that show the count is of something else: "performed in
# 5 teaching hospitals in Peru of adults".
_NOT_A_PLACE = r"(?!(?:in|of|at|from|across|for|hospitals?|centers?|centres?|sites?|clinics?|countries|cities|regions?|wards?|units?)\b)"
# (rule name, pattern with a group named n), most specific first.
_RANDOMIZED_RULES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (name, re.compile(p, re.IGNORECASE))
    for name, p in (
        # Not "randomized 20 each to ...": one arm's size, said for every arm.
        ("randomized_n", rf"\b(?:randomi[sz]ed|randomly (?:assigned|allocated|divided)|divided|assigned|allocated)\s+(?:a total of\s+)?(?P<n>{COUNT}){_NOT_PEOPLE}(?:\s+(?!groups|arms|each\b|per\b)|(?=[.;]))"),
        ("of_n_randomized", rf"\b(?:of|among)\s+(?:the\s+|all\s+)?(?P<n>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:randomi[sz]ed|randomly\s+(?:assigned|allocated|divided)|enrolled|recruited)\b"),
        ("n_randomized_people", rf"(?P<n>{COUNT})\s+randomi[sz]ed\s+(?:{_PEOPLE})"),
        ("n_were_randomized", rf"(?P<n>{COUNT}){_NOT_PEOPLE}{_SHARE}\s+{_PEOPLE_GAP}(?:were|was|had been|being|will be)\s+(?:\w+\s+){{0,2}}?{_RANDOMIZING}"),
        ("n_equals_randomized", rf"\(\s*n\s*=\s*(?P<n>\d+)\s*\)\s*(?:were|was)\s+(?:\w+\s+){{0,2}}?{_RANDOMIZING}"),
        # "Sixty patients with ... collected as experimental subjects were divided into", "90 patients
        # with ... seen at one clinic between May 2019 and March 2020 were split at random":
        # the whole sample, however long the description between the people and the verb.
        # "212 consecutive eligible adults with leg pain who had ... and who never underwent
        # surgery were randomized": adjectives before the people, a long description after them
        # (but not "of whom 35 were randomized", which is a part).
        ("n_people_then_randomized", rf"(?P<n>{COUNT}){_NOT_PEOPLE}\s+{_DESCRIBING}{{0,4}}?(?:{_PEOPLE})\s+(?:(?!of\s+(?:whom|these|them)\b)[A-Za-z0-9(][\w'(),/-]*\s+){{0,20}}?(?:were|was)\s+(?:\w+\s+){{0,2}}?{_RANDOMIZING}\b"),
        # "Fifty-one patients took part in this study", "105 obese [BMI > 30] adults participated in
        # the trial": the people who took part, however they are described before the verb.
        ("n_people_took_part", rf"(?P<n>{COUNT}){_NOT_PEOPLE}(?!\s+(?:out\s+)?of\b)\s+{_DESCRIBING}{{0,4}}?(?:{_PEOPLE})\b(?:(?!of\s+(?:whom|these|them)\b)[^.;]){{0,200}}?\b(?:participated|took\s+part)\s+in\s+(?:an?|the|this|our)\s+(?:[\w,-]+\s+){{0,5}}?(?:study|trial|experiment|investigation|programme|program)\b"),
        ("total_of_n", rf"\b(?:a total of|in total,?|overall,?)\s+(?P<n>{COUNT}){_NOT_PEOPLE}(?=\s+(?:[\w-]+\s+){{0,4}}?(?:{_PEOPLE})\b)"),
        # "Retrospective analysis of 557 patients with ...", "we retrospectively reviewed the records
        # of 212 adults": in a study that randomized no one, those analysed are its whole sample
        # (before "342 cases were treated with A", one group of them).
        ("retrospective_analysis_of_n", rf"\bretrospective(?:ly)?\s+(?:\w+\s+){{0,2}}?(?:analy[sz](?:is|ed|ing)|review(?:ed|ing)?|stud(?:y|ied)|evaluat(?:ion|ed)|assess(?:ment|ed)|examin(?:ation|ed))\s+(?:of\s+|on\s+|in\s+|including\s+|involving\s+)?(?:the\s+)?(?:(?:medical\s+|clinical\s+)?(?:records|charts|data|files)\s+(?:of|from|on)\s+)?(?:a total of\s+|all\s+)?(?P<n>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\b"),
        ("n_were_enrolled", rf"(?P<n>{COUNT}){_NOT_PEOPLE}{_SHARE}\s+{_PEOPLE_GAP}(?:were|was|had been|will be)\s+(?:\w+\s+){{0,2}}?{_ENROLLING}"),
        # "64 adults with leg pain and a pain score >= 6 on most days were enrolled":
        # the people first, a long description, then the verb (not "of whom 35 were enrolled").
        ("n_people_then_enrolled", rf"(?P<n>{COUNT}){_NOT_PEOPLE}(?!\s+(?:out\s+)?of\b)\s+{_DESCRIBING}{{0,4}}?(?:{_PEOPLE})\s+(?:(?!of\s+(?:whom|these|them)\b)[A-Za-z0-9(<>≥≤/=][\w'(),/=-]*\s+){{0,30}}?(?:were|was)\s+(?:\w+\s+){{0,2}}?(?:enrolled|recruited|included|entered|studied|investigated|evaluated)\b"),
        ("enrolled_n", rf"\b(?:enrolled|recruited|included|studied|comprised|consisted of|involving)\s+(?P<n>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,3}}?(?:patients|participants|subjects|individuals|people|persons|adults|women|men|volunteers|cases|children|outpatients|inpatients|workers)\b"),
        ("n_eligible", rf"(?P<n>{COUNT})\s+(?:eligible|consecutive)\s+(?:\w+\s+){{0,2}}?(?:patients|participants|subjects|cases)\b"),
        ("participants_were_n", rf"\b(?:subjects|participants|patients|sample)\s+(?:were|was|comprised|consisted of|included)\s+(?P<n>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})"),
        # "A cohort study was performed in 316 lumbar canal stenosis (LCS) outpatients": the
        # study's people, however long their condition's name.
        # "Patients (n = 90) who underwent lumbar fusion were ...": the whole sample as a small n
        # in brackets right after the people (not "control patients (n = 30)", one arm).
        ("people_then_n", r"(?<!control )(?<!placebo )(?<!sham )(?<!treated )(?<!other )\b(?:patients|participants|subjects|adults|volunteers)\s*\(\s*n\s*=\s*(?P<n>" + DIGITS_COUNT + r")\s*\)\s+(?:who|with|were|aged|undergoing|scheduled|having|after|following|receiving)\b"),
        # "Results: 72 included.", "Methods: 140 randomised (70/70)": a terse count with no people
        # named, opening its clause and closing on the verb (not "Two randomized, double-blind studies").
        ("bare_n_enrolled", rf"(?:^|[:;\n]\s*|\.\s+)(?P<n>{COUNT})\s+(?:in\s+total\s+)?(?:were\s+)?(?:included|enrolled|recruited|randomi[sz]ed)(?=\s*(?:[.;]|\(\s*\d|$))"),
        ("study_done_in_n", rf"\b(?:study|trial)\s+(?:was\s+|were\s+)?(?:conducted|performed|carried out|undertaken)\s+(?:in|on|among|with|involving)\s+(?:a total of\s+)?(?P<n>{COUNT}){_NOT_PEOPLE}\s+(?:{_NOT_A_PLACE}[\w-]+\s+|\([\w-]{{1,12}}\)\s+){{0,6}}?(?:{_PEOPLE})\b"),
    )
)
# Last resort, after arm sizes: the first head count in the abstract ("in 3837 patients with
# ..."), skipping "N of M" (part of a group). Its rule name tells users it is a weaker reading.
_HEAD_COUNT_RULES: tuple[tuple[str, re.Pattern], ...] = (
    ("first_head_count", re.compile(rf"(?P<n>{COUNT})(?!\s+of\s+\d){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\b", re.IGNORECASE)),
)
_ANALYSED_RULES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (name, re.compile(p, re.IGNORECASE))
    for name, p in (
        ("n_analysed", rf"(?P<n>{COUNT}){_NOT_PEOPLE}\s+{_PEOPLE_GAP}(?:were|was)\s+(?:\w+\s+){{0,2}}?(?:analy[sz]ed|included in the (?:final |primary )?analys[ie]s|evaluable)"),
        ("n_completed", rf"(?P<n>{COUNT}){_NOT_PEOPLE}\s+{_PEOPLE_GAP}(?:completed|finished)\s+(?:the\s+)?(?:study|trial|treatment|follow-?up|protocol)"),
        ("analysed_n", rf"\b(?:data (?:from|of)|analy[sz]ed)\s+(?P<n>{COUNT}){_NOT_PEOPLE}\s+(?:patients|participants|subjects)"),
    )
)
# Each arm's size listed in one sentence, the arms named after them "respectively".
_ARMS_LISTED = re.compile(
    rf"(?P<list>(?:{COUNT}),\s*(?:{COUNT},\s*)*(?:and\s+)?(?:{COUNT}))\s+(?:{_PEOPLE})\s+(?:were|was)\s+(?:\w+\s+){{0,2}}?"
    rf"(?:allocated|assigned|randomi[sz]ed|enrolled|included)\b[^.]{{0,160}}?\brespectively\b",
    re.IGNORECASE,
)
# One arm's size said in words, for each of two arms.
_GROUP_OF_N = re.compile(
    r"\b(?:in|to)\s+(?P<n>\d+)\s+(?:patients|participants|subjects)\s+in\s+(?:one|the (?:first|second|other))\s+group\b"
    r"|\b(?:the\s+)?(?:other|first|second|one|control|treatment|experimental|placebo|steroid)\s+group\s+(?:consisted of|comprised|included)\s+(?P<m>\d+)\s+(?:patients|participants|subjects)\b"
    # "Group (A): included 25 patients who ... Group (B): included 25 patients": each labelled arm.
    r"|\bgroup\s*(?:\(\s*(?:[A-D]|[1-4])\s*\)|(?:[A-D]|[1-4])\b)\s*:?\s*(?:consisted of|comprised|included|contained|had)\s+(?P<l>\d+)\s+(?:patients|participants|subjects|cases)\b",
    re.IGNORECASE,
)
# Two arms' sizes said one after the other, each with its group's name.
_TWO_NAMED_GROUPS = re.compile(
    rf"(?P<a>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:were|was)\s+(?:\w+\s+){{0,2}}?(?:included|enrolled|allocated|assigned|randomi[sz]ed|placed)\s+(?:in|into|to)\s+"
    rf"(?:the\s+)?[^,;.]{{0,50}}?\bgroup\b(?:\s*\([^()]{{0,12}}\))?,?\s+(?:and\s+|while\s+|whereas\s+)?(?P<b>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:were\s+|was\s+)?(?:\w+\s+)?(?:in|into|to)\s+(?:the\s+)?[^,;.]{{0,50}}?\bgroup\b",
    re.IGNORECASE,
)
# The verb first, then each arm's size with its group's name: "We recruited 43 patients in the
# steroid group and 43 patients in the saline group".
_RECRUITED_TWO_GROUPS = re.compile(
    rf"\b(?:recruited|enrolled|included|randomi[sz]ed)\s+(?P<a>{COUNT})\s+(?:{_PEOPLE})\s+(?:in|into|to)\s+the\s+[^,;.]{{0,60}}?\bgroup\b,?\s+"
    rf"and\s+(?P<b>{COUNT})\s+(?:{_PEOPLE})\s+(?:in|into|to)\s+the\s+[^,;.]{{0,60}}?\bgroup\b",
    re.IGNORECASE,
)
_RECRUITED_TWO_GROUPS_HINT = Searcher(re.compile(r"\b(?:recruited|enrolled|included|randomi[sz]ed)\s+\S+\s+(?:patients|participants|subjects)\s+in\s+the\b", re.IGNORECASE))
# The verb and the first group's name: far rarer than a count, and found from its opening words.
_TWO_NAMED_GROUPS_HINT = Searcher(re.compile(
    r"\b(?:were|was)\s+(?:\w+\s+){0,2}?(?:included|enrolled|allocated|assigned|randomi[sz]ed|placed)\s+(?:in|into|to)\s+(?:the\s+)?[^,;.]{0,50}?\bgroup\b",
    re.IGNORECASE))
# Two groups that together are a study's sample, each with its own description: people who had one
# thing and people who had another, both then enrolled; a cohort and its control group, each "of
# N"; people matched with controls.
_GROUP_WORD = r"(?:cohort|group|population|sample|series)"
_DESCRIBED = r"(?:who|with|receiving|treated|undergoing|given|having|on|from|in)\b"
# Each pattern names the two groups x and y; those opening with a count are tried only where a count starts.
_TWO_PARTS = tuple(re.compile(p, re.IGNORECASE) for p in (
    (rf"(?P<x>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+{_DESCRIBED}[^.;]{{0,120}}?\band\s+(?P<y>{COUNT}){_NOT_PEOPLE}\s+"
    rf"(?:(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+{_DESCRIBED}|(?:who|with|receiving|treated|undergoing|given|having)\b)[^.;]{{0,120}}?\b(?:were|was)\s+(?:\w+\s+){{0,2}}?"
    rf"(?:randomi[sz]ed|enrolled|included|compared|studied|recruited|identified|selected|reviewed|allocated|assigned)\b"),
    rf"(?P<x>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\b[^.;]{{0,100}}?\b(?:were|was)\s+(?:\w+\s+)?matched\s+(?:\([^()]{{0,30}}\)\s+)?(?:with|to)\s+(?P<y>{COUNT}){_NOT_PEOPLE}\s",
))
_TWO_COHORTS = Searcher(re.compile(
    rf"\b{_GROUP_WORD}\s+of\s+(?P<x>{COUNT}){_NOT_PEOPLE}\s+[^.;]{{0,150}}?\band\s+(?:(?:we|they)\s+(?:\w+\s+){{0,2}}?)?(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}?{_GROUP_WORD}\s+of\s+(?P<y>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE}|controls)\b",
    re.IGNORECASE,
))
_TWO_PARTS_HINT = Searcher(re.compile(rf"\band\s+\S+\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|{_DESCRIBED})|\b{_GROUP_WORD}\s+of\s+\S|\bmatched\s+(?:\([^()]{{0,30}}\)\s+)?(?:with|to)\s+\S", re.IGNORECASE))
_ANOTHER_COUNT = re.compile(rf"(?:^|[,;:(]\s*|\band\s+){COUNT}\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|showed|had|were|was|did)\b", re.IGNORECASE)
# "Of 200 patients, 100 with A and 100 with B ...", "including 30 with A and 40 with B": parts of a whole already said.
_WHOLE_BEFORE = re.compile(r"(?:\b(?:of|among|from)\s+(?:the\s+|all\s+)?|\bof\s+(?:whom|these|them|those)|\bincluding|\bamong\s+(?:them|these|whom)|\b(?:of|among)\s+(?:the\s+)?\d[\d,]*\s+(?:[\w-]+\s+){0,3}?[\w-]+\s*,)\s*$", re.IGNORECASE)
# A case report: the authors report, describe or present a case; each patient introduced with an
# age ("a 70-year-old man") is one of its own.
_CASE_REPORTED = re.compile(r"\b(?:we|authors?|this\s+(?:report|paper|article))\s+(?:\w+\s+)?(?:report|reports|describe|describes|present|presents|document|documents)\b|\bcase\s+report\b|\ba\s+case\s+of\b", re.IGNORECASE)
_CASE_INTRO = re.compile(
    r"\b(?:a|an)\s+(?:\d+|[a-z]+(?:-[a-z]+)*)[- ](?:years?|months?)[- ]old\s+(?:[\w-]+\s+){0,2}?(?:man|woman|male|female|patient|boy|girl|gentleman|lady|child|infant)\b",
    re.IGNORECASE,
)
# A survey, and those who answered it: "a response rate of 64% (n = 90/140)", "90 respondents",
# "90 of the 140 nurses returned the questionnaire".
_SURVEY = re.compile(r"\bsurvey(?:s|ed)?\b", re.IGNORECASE)
_LIST_BEFORE = re.compile(r"\band\s+$", re.IGNORECASE)
_RANDOMIZED_WORD = re.compile(r"\brandomi[sz]", re.IGNORECASE)
_RESPONDENTS = re.compile(
    rf"\bresponse rate\b(?:[^.;]|\.(?=\d)){{0,60}}?\(\s*n\s*=\s*(?P<n>\d+)\s*/\s*\d+"
    rf"|\b(?P<n2>{COUNT})\s+(?:(?:eligible|valid|survey|total)\s+)?respondents\b"
    rf"|\b(?P<n3>{COUNT})\s+(?:(?!\d)[\w-]+\s+){{0,5}}?(?:responded|replied|returned|answered|completed)\s+(?:to\s+)?(?:the\s+|our\s+|this\s+)?(?:online\s+)?(?:survey|questionnaire)",
    re.IGNORECASE,
)
# A part chosen for the study from a larger set just named: "and out of those, 58 meeting the
# criteria were chosen for the present study" (not "of whom 20 were randomized to cupping").
_SELECTED_FROM_POOL = re.compile(
    rf"\b(?:out\s+)?of\s+(?:those|these|them|whom|which)\b,?\s+(?P<n>{COUNT})\s+(?:[\w-]+\s+){{0,6}}?(?:were|was)\s+(?:\w+\s+)?"
    rf"(?:selected|included|enrolled|recruited)\s+(?:for|in|into)\s+(?:the|this|our)\s+(?:\w+\s+)?(?:study|research|trial)\b(?!\s+(?:group|arm))",
    re.IGNORECASE,
)
# A study that randomized no one, its sample a part of a larger set just described: "Among 359
# patients who had the injection at our clinic, 118 were eligible and analysed", "Of 412 adults
# treated with ..., 160 met the inclusion criteria" (the larger set is the clinic's, not the study's).
_PART_OF_TREATED_POOL = Searcher(re.compile(
    rf"\b(?:among|of|from|out\s+of)\s+(?:the\s+|all\s+|a\s+total\s+of\s+)?(?P<pool>{COUNT}){_NOT_PEOPLE}\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\b"
    rf"(?:[^.;]|\.(?=\d)){{0,200}}?,\s*(?P<n>{COUNT}){_NOT_PEOPLE}\s+(?:(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+)?"
    rf"(?:(?:were|was)\s+(?:\w+\s+)?(?:eligible|included|enrolled|selected|recruited|analy[sz]ed|reviewed|studied)\b"
    rf"|(?:met|fulfilled|satisfied)\s+(?:the\s+|all\s+|our\s+)?(?:\w+\s+)?criteria)",
    re.IGNORECASE,
))
_POOL_WAS_THE_SAMPLE = re.compile(r"\b(?:enrolled|included|recruited|participat\w*|studied|followed)\b", re.IGNORECASE)
_FROM_POOL_HINT = Searcher(re.compile(r"\bof\s+(?:those|these|them|whom|which)\b", re.IGNORECASE))
# "three groups of 12 volunteers" (not "two groups of 30 and 32 patients").
_GROUPS_OF_N = re.compile(
    rf"\b(?P<arms>two|three|four|2|3|4)\s+(?:equal\s+|equally[\s-]sized\s+)?(?:groups|arms)\s+of\s+(?P<n>{COUNT})(?!\s*(?:,|and|or|to|-|–)\s*\d)"
    rf"(?=\s+(?:{_PEOPLE})\b|\s+each\b|\s*[,.;)])",
    re.IGNORECASE,
)
_GROUPS_OF_HINT = Searcher(re.compile(r"\b(?:groups|arms)\s+of\s+\S", re.IGNORECASE))
# The whole sample as a capital N in brackets a few words after the people, no group between.
_TOTAL_N = re.compile(
    rf"(?i:\b(?:{_PEOPLE})\b)(?:(?!(?i:\b(?:groups?|arms?)\b))[^.;()]){{0,80}}?\(\s*N\s*=\s*(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+)\s*[,;)]"
)
# One arm's share randomized, then the other arms' shares in the same clause.
_SPLIT_HEAD = re.compile(
    rf"(?P<n>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:were|was)\s+(?:\w+\s+)?(?:randomi[sz]ed|allocated|assigned)\s+to\s+(?!(?:one|two|three|four|either|each|receive|the\s+(?:two|three|four))\b)",
    re.IGNORECASE,
)
_SPLIT_MORE = re.compile(
    rf"(?:,|:|\band\b|\bwhile\b|\bwhereas\b)\s+(?:and\s+)?(?P<n>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:(?:were|was)\s+)?(?:(?:randomi[sz]ed|allocated|assigned)\s+)?to\s+(?!(?:\d|receive\b))",
    re.IGNORECASE,
)
_SPLIT_HINT = Searcher(re.compile(r"\b(?:were|was)\s+(?:\w+\s+)?(?:randomi[sz]ed|allocated|assigned)\s+to\b", re.IGNORECASE))
_CAPITAL_N = re.compile(r"\bN\s*=\s*\d")
_FULL_STOP = re.compile(r"\.(?=\s|$|[A-Z][a-z])")
# Eligible people left out before randomization: "we could not randomise 9 of the 118 eligible people",
# "17 of the 133 eligible patients were not randomized".
_NOT_ALLOCATED = re.compile(
    rf"\b(?:did|could)\s+not\s+(?:allocate|randomi[sz]e|include)\s+(?P<k>{COUNT})\s+of\s+(?:the\s+)?(?P<n>{COUNT})\s+eligible\b"
    rf"|(?P<k2>{COUNT})\s+of\s+(?:the\s+)?(?P<n2>{COUNT})\s+eligible\s+(?:\w+\s+){{0,2}}?(?:were|was)\s+not\s+(?:randomi[sz]ed|allocated)\b",
    re.IGNORECASE,
)
# Found from its opening word "not", far faster than the regex engine scanning every character.
_NOT_ALLOCATED_HINT = Searcher(re.compile(r"\bnot\s+(?:allocate|randomi[sz]e|include)", re.IGNORECASE))
# One size said once for every arm ("30 cases in each group", "each with 45 patients", "43 in
# each", "25 per arm"): the trial is that size times the number of arms, never one arm.
# What "each" and "per" can be said of when the size is one arm's: a group, and the thing that made it.
_EACH_KIND = r"(?:group|arm|cohort|technique|procedure|approach|treatment|intervention|modality|method|condition)"
_PER_GROUP = re.compile(
    # "2,417 adults were enrolled in each treatment arm": the verb between the count and "each".
    rf"(?P<n>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:(?:were|was|will\s+be)\s+(?:\w+\s+)?(?:included|enrolled|matched|allocated|assigned|placed|recruited)\s+)?"
    rf"(?:(?:in|to|into|for)\s+)?each(?:\s+(?:of\s+(?:the\s+)?(?:two|three|four|five|[2-5])\s+)?(?:(?:study|treatment|matched)\s+)?(?:groups?|arms?)\b|(?=\s*[.,;)])|(?=\s+(?:to|into)\b))"
    rf"|\beach\s+(?:of\s+(?:the\s+)?(?:two|three|four|[2-4])\s+(?=groups|arms|cohorts))?(?:groups?\s+|arms?\s+|cohorts?\s+)?(?:with|of|had|having|containing|comprising|consisting of|included|comprised)\s+(?P<m>{COUNT})\s+(?:{_PEOPLE})\b"
    rf"|(?P<k>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?per\s+(?:(?:study|treatment|matched)\s+(?=group|arm))?{_EACH_KIND}\b"
    # "For each technique, 19 patients were identified", "In each of the two cohorts, 150 adults".
    rf"|\b(?:for|in|within|from)\s+each\s+(?:of\s+(?:the\s+)?(?:two|three|four|[2-4])\s+)?{_EACH_KIND}s?\s*,\s*(?P<j>{COUNT})(?=\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\b)",
    re.IGNORECASE,
)
# The arms named in brackets right after a size said for each ("40 subjects in each group (TFESI
# and PT)"): one arm per listed name.
_ARMS_IN_BRACKETS = re.compile(r"\s*\(([^()]{1,80}?\s(?:and|or|vs\.?|versus)\s[^()]{1,40})\)")
_LIST_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and|or)?|\band\b|\bor\b|\bvs\b\.?|\bversus\b)\s*", re.IGNORECASE)
# A planned size in a trial-registry entry's fields ("Target Recruitment 98", "Target sample
# size: 60", "Anticipated enrollment: 120", "Enrollment 50 (ESTIMATED)"): the study's own size.
_PLANNED_SIZE = re.compile(
    r"\b(?:target|planned|anticipated|estimated|expected|intended)\s+(?:recruitment|enrol?l?ment|sample\s+size|number\s+of\s+(?:participants|subjects|patients))"
    r"\s*(?::|=|of|is|was)?\s*(?P<n>" + DIGITS_COUNT + r")\b(?!\s*(?:%|\.\d|years?|months?|weeks?|days?|sites?|centers?|centres?))(?!\s+(?:[\w-]+\s+)?(?:per|in each|for each|each)\b)"
    r"|(?-i:\b(?:Enrollment|ENROLLMENT|Enrolment|ENROLMENT))\s*:?\s*(?P<m>" + DIGITS_COUNT + r")(?=\s*(?:\((?:estimated|actual|anticipated)\)|participants\b|$|\n))",
    re.IGNORECASE | re.MULTILINE,
)
_PLANNED_SIZE_HINT = re.compile(r"\b(?:target|planned|anticipated|estimated|expected|intended)\s+(?:recruitment|enrol|sample|number)|(?-i:Enrol|ENROL)", re.IGNORECASE)
_PER_GROUP_HINT = re.compile(r"\beach\b|\bper\s+" + _EACH_KIND + r"\b", re.IGNORECASE)
# The word "group": arms named one by one before the size ("into a treatment group and a control
# group"), and the cheap gate of _GROUP_OF_N.
_NAMED_GROUP = re.compile(r"\bgroup\b", re.IGNORECASE)
# "... into group A and group B,with 35 cases in each group.The points ...": some pages drop the
# space after a full stop.
_SENTENCE_END = re.compile(r"[.;](?=\s|$|[A-Z][a-z])")
_BRACKETED = re.compile(r"\([^()]*\)")
_ARMS_LISTED_HINT = re.compile(r"\brespectively\b", re.IGNORECASE)
_COUNT_IN_LIST = re.compile(COUNT, re.IGNORECASE)
_RULE_GATES = {p: gate((p,)) for _, p in _RANDOMIZED_RULES + _HEAD_COUNT_RULES + _ANALYSED_RULES}
_RULE_SEARCHERS = {p: Searcher(p) for p in _RULE_GATES}
# Arm sizes: "(n = 30)", "group (30 cases)", "group, n = 30"; not "(45%, n = 90)", those of an
# arm with some outcome.
# "(manual acupuncture plus electroacupuncture (EA), n = 34)": a bracket inside the arm's bracket.
_ARM_SIZE = re.compile(r"(?:[(\[](?!\s*\d+(?:\.\d+)?\s*%\s*[,;]\s*n\s*=)[^()\[\]]{0,100}?\bn\s*=\s*|\)\s*,\s*n\s*=\s*|\bgroups?\s*\(\s*|\bgroups?,?\s+n\s*=\s*)(" + DIGITS_COUNT + r")(?:\s*(?:cases|patients|participants|subjects))?\s*[,;)\]]", re.IGNORECASE)
_BARE_ARM_SIZE = re.compile(r"\(\s*(" + DIGITS_COUNT + r")\s+(?:cases|patients|participants|subjects)\s*\)", re.IGNORECASE)
_ALLOCATING = re.compile(r"\b(?:randomi[sz]ed|randomly|allocated|assigned|divided)\b", re.IGNORECASE)
_GROUP_OPENS_WITH_SIZE = re.compile(
    r"\s*(?:(?:the|in the)\s+)?(?:group\s+(?:[A-D]|[IV]{1,3}|\d)|[\w-]+(?:\s+[\w-]+){0,2}\s+group)\s*\(\s*n\s*=\s*(?P<n>" + DIGITS_COUNT + r")\s*\)\s+"
    r"(?:received|was given|was treated|underwent|had|got)\b",
    re.IGNORECASE,
)
_ARMS = re.compile(
    r"\b(two|three|four|five|2|3|4|5)[- ](?:arm|armed|group|parallel[- ]group)\b"
    r"|\b(?:into|to|in|among|between|across|with)\s+(?:one of\s+|each of\s+)?(?:the\s+)?(two|three|four|five|2|3|4|5)\s+(?:[\w-]+\s+){0,2}?(?:groups|arms)\b",
    re.IGNORECASE,
)
_ARMS_IN_SENTENCE = re.compile(r"\b(two|three|four|five|2|3|4|5)\s+(?:[\w-]+\s+)?(?:groups|arms|cohorts)\b()", re.IGNORECASE)
_REVIEW_STUDIES = re.compile(
    # An overview counts the systematic reviews it included.
    # "Six selected clinical trials", "122 relevant studies": words that say which studies were kept.
    rf"(?P<n>{COUNT})\s+(?:eligible[\s-]+|randomi[sz]ed[\s-]+|controlled[\s-]+|clinical[\s-]+|published[\s-]+|systematic[\s-]+"
    r"|selected[\s-]+|relevant[\s-]+|research[\s-]+|scientific[\s-]+|empirical[\s-]+|peer[\s-]+reviewed[\s-]+|included[\s-]+|qualifying[\s-]+|original[\s-]+|primary[\s-]+"
    # "Nine prospective randomized controlled trials", "two before-after controlled trials",
    # "4 quasi-randomised trials": the studies' kind, however many words name it.
    r"|prospective[\s-]+|retrospective[\s-]+|observational[\s-]+|comparative[\s-]+|cohort[\s-]+|parallel[\s-]+|interventional[\s-]+"
    r"|double[\s-]+blind(?:ed)?[\s-]+|single[\s-]+blind(?:ed)?[\s-]+|placebo[\s-]+controlled[\s-]+|sham[\s-]+controlled[\s-]+|multi-?cent(?:er|re)[\s-]+"
    r"|(?:quasi|non|pseudo)[\s-]?randomi[sz]ed[\s-]+|before[\s-]+(?:and[\s-]+)?after[\s-]+|high[\s-]+quality[\s-]+|full[\s-]+text[\s-]+|independent[\s-]+|separate[\s-]+)*"
    r"(?:studies|trials|RCTs|articles|papers|publications|reviews)\b",
    re.IGNORECASE,
)
_STUDY_KINDS = r"(?:studies|trials|RCTs|articles|papers|publications|reports)"
_POOL_KINDS = r"(?:studies|trials|RCTs|articles|papers|publications|records|references|citations|abstracts|reports|hits|titles|items)"
_KEPT = r"(?:were|was)\s+(?:\w+\s+){0,2}?(?:included|eligible|selected|retained|analy[sz]ed|pooled)\b|(?:met|fulfilled|satisfied|qualified|matched)\b"
# The part kept, after its pool: "14 were included", "12 trials met the criteria".
_PART_KEPT = rf"(?P<part>{COUNT})\s+(?:(?:[\w-]+\s+){{0,2}}?{_STUDY_KINDS}\s+)?(?:{_KEPT})"
# A part kept from the records a search found: "Seventeen out of 732 articles were included", "12 of
# 640 records met the inclusion criteria", "Of 640 records screened, 12 trials met the criteria".
# Each pattern names the part kept and the pool; those opening with a count are tried only where a count starts.
_KEPT_FROM_POOL = tuple(re.compile(p, re.IGNORECASE) for p in (
    (rf"(?P<part>{COUNT})\s+(?:{_STUDY_KINDS}\s+)?(?:out\s+of|of|from|among)\s+(?:the\s+|a\s+total\s+of\s+)?(?P<pool>{COUNT})\s+(?:[\w-]+\s+){{0,3}}?{_POOL_KINDS}\b"
    rf"(?:\s+(?:\w+\s+){{0,2}}?(?:screened|identified|retrieved|found|assessed|reviewed|searched))?\s*,?\s+(?:{_KEPT})"),
    # "The search yielded 2,345 records, of which 14 were included".
    (rf"(?P<pool>{COUNT})\s+(?:[\w-]+\s+){{0,3}}?{_POOL_KINDS}\b[^.;]{{0,60}}?,?\s+(?:of|from|among)\s+(?:which|these|them|those)\s*,?\s*"
    + _PART_KEPT),
))
_KEPT_AFTER_POOL = Searcher(re.compile(
    rf"\b(?:of|from|among|out\s+of)\s+(?:the\s+|a\s+total\s+of\s+)?(?P<pool>{COUNT})\s+(?:[\w-]+\s+){{0,3}}?{_POOL_KINDS}\b[^.;,]{{0,60}},\s*"
    + _PART_KEPT,
    re.IGNORECASE,
))
_KEPT_FROM_POOL_HINT = Searcher(re.compile(r"\b(?:of|from|among)\s+(?:(?:the\s+|a\s+total\s+of\s+)?\S+\s+(?:[\w-]+\s+){0,3}?" + _POOL_KINDS + r"|which|these|them|those)\b", re.IGNORECASE))
# Another kind of study after the first, both included: "Nine RCTs and two before-after trials".
_MORE_STUDIES = re.compile(
    rf"(?:\s*\([^()]{{0,20}}\))?,?\s+(?:and|plus)\s+(?P<n>{COUNT})\s+(?:[\w-]+[\s-]+){{0,3}}?(?:studies|trials|RCTs)\b",
    re.IGNORECASE,
)
# Records searched or screened, not the studies a review included: "Among 583 articles that were searched".
_POOL_BEFORE = re.compile(r"\bamong\s+(?:the\s+)?$", re.IGNORECASE)
# "searched from 2009 to Oct 2020 RCTs", "up to May 2021 trials": the end of a search's dates
# before the kind of study searched, never a count of studies.
_DATE_BEFORE_YEAR = re.compile(
    r"(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|\b(?:to|until|till|through|since|from|between|and|in|of)|[-–/])\s*$",
    re.IGNORECASE,
)
# "The initial search identified 126 papers": what a search found, before screening.
_SEARCH_FOUND_BEFORE = re.compile(r"\bsearch(?:es)?\s+(?:\w+\s+){0,2}?(?:identified|found|yielded|retrieved|returned)\s+(?:a total of\s+)?$", re.IGNORECASE)
# Only hits of no stated kind: "the search identified 14 eligible RCTs" may be the included set.
_SEARCH_HITS = re.compile(r"^(?!.*\beligible\b).*\b(?:papers|articles|publications)$", re.IGNORECASE)
# Not "six papers found eligible for the review": the included set.
_POOL_AFTER = re.compile(r"\s*(?:that |which )?(?:were |was )?(?:initially )?(?:searched|identified|screened|retrieved|found|records)\b"
                         r"(?!\s+(?:as\s+)?(?:suitable|eligible|appropriate|relevant)\s+(?:for\s+(?:inclusion|the\s+review|analysis|synthesis)|to\s+(?:be\s+)?include))", re.IGNORECASE)
# "Seventeen RCTs were identified": trials of a named kind that were found are the review's set,
# unlike "583 articles were identified", which were then screened.
_TRIALS_OF_A_KIND = re.compile(r"\b(?:trials|RCTs)$", re.IGNORECASE)
_FOUND_AFTER = re.compile(r"\s*(?:that |which )?(?:were |was )?(?:finally |eventually |ultimately )?(?:identified|found)\b", re.IGNORECASE)
_REVIEW_PARTICIPANTS = re.compile(
    # "three RCTs done in China on 336 patients in total", "Seven studies involved 799 patients",
    # "five trials enrolling 420 adults": the verb or preposition that joins the people to the studies.
    # "19 trials overall, in which 1460 participants took part": the people in a relative clause.
    rf"(?:\b(?:of|in|among|across)\s+which\s*,?\s*(?:(?:a total of|altogether|overall)\s+)?|\b(?:involving|involved|including|included|includes|with|totaling|totalling|comprising|comprised|of|and|on|enrolling|enrolled|recruiting|recruited|covering|encompassing|containing|randomi[sz]ing|randomi[sz]ed)\s+(?:a total of\s+|altogether\s+|overall\s+)?|\(\s*(?:n\s*=\s*)?)(?P<n>{COUNT})\s+(?:\w+\s+){{0,2}}?(?:participants|patients|subjects|individuals|people|adults|women|men)\b",
    re.IGNORECASE,
)
# "Three trials (n=132)": the people of the included trials as a bare n in brackets.
_BRACKET_N = re.compile(r"\s*\(\s*n\s*=\s*(?P<n>\d[\d,]*)\s*$", re.IGNORECASE)
# "187 patients (given steroid) were compared with 181 patients (given anaesthetic)": the two
# pooled sides of one comparison, which together are everyone.
_COMPARED_SIDES = re.compile(
    rf"(?P<a>{COUNT})\s+(?:{_PEOPLE})\b[^.;]{{0,120}}?\b(?:were|was)\s+compared\s+(?:with|to|against)\s+(?P<b>{COUNT})\s+(?:{_PEOPLE})\b",
    re.IGNORECASE,
)
# "2579 patients in 27 studies": the people named just before the studies that hold them.
_PEOPLE_IN_STUDIES = re.compile(
    rf"(?P<n>{COUNT})\s+(?:\w+\s+){{0,2}}?(?:participants|patients|subjects|individuals|people)\s+(?:in|from|across|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "... with 1,204 people in the steroid arm and 611 people in the saline arm": the people of a
# review's two pooled sides, each named by its group.
_SECOND_SIDE_AFTER = re.compile(
    rf"\s+in\s+(?:the\s+)?(?:[\w-]+\s+){{1,3}}?(?:groups?|arms?)\s*,?\s+(?:and|versus|vs\.?)\s+(?P<b>{COUNT})\s+(?:\w+\s+){{0,2}}?"
    r"(?:participants|patients|subjects|individuals|people)\s+in\s+(?:the\s+)?(?:[\w-]+\s+){1,3}?(?:groups?|arms?)\b",
    re.IGNORECASE,
)
_TWO_SIDES = re.compile(r"\b(?:and|versus|vs)\b", re.IGNORECASE)
_NOT_TWO_SIDES = re.compile(r"\bof\b|%|\bwhom\b|\btotal\b|\bincluding\b", re.IGNORECASE)
_PEOPLE_COUNT = re.compile(rf"({COUNT})\s+(?:\w+\s+){{0,2}}?(?:participants|patients|subjects|individuals|people)\b", re.IGNORECASE)
_UNIT = r"(?:days?|weeks?|months?|years?)"
_FOLLOW_UP = re.compile(
    rf"\bfollow(?:ed)?[- ]?up\s+(?:period\s+)?(?:of|for|at|to|lasting|was|lasted)?\s*(?:\w+\s+){{0,2}}?(?P<a>(?:{COUNT})(?:\s*(?:-|to|–)\s*{COUNT})?[- ]{_UNIT})"
    rf"|(?P<b>(?:{COUNT})[- ]{_UNIT})[- ](?:of\s+)?follow[- ]?up",
    re.IGNORECASE,
)
WEEKS_PER = {"day": 1 / 7, "week": 1.0, "month": 52.0 / 12, "year": 52.0}

_MIN_PEOPLE, _MAX_PEOPLE = 2, 1_000_000


_FOLLOW_UP_GATE = gate((_FOLLOW_UP,))
_ARMS_SEARCHER, _ARM_SIZE_SEARCHER = (Searcher(p) for p in (_ARMS, _ARM_SIZE))


def extract_sample_size(text: str) -> SampleSize:
    """Participants randomized and analysed, arms, included studies (reviews) and follow-up.

    Parameters
    ----------
    text:
        ``record_text(title, abstract)``.

    Returns
    -------
    SampleSize
        When no total is stated but two or more arm sizes are ("(n = 30)"), ``n_randomized``
        is their sum and ``rules["n_randomized"]`` says so.
    """
    rules: dict[str, str] = {}
    if len(list(islice(_SPACED_MARK.finditer(text, 0, 2000), 3))) >= 3:  # the first three are enough to tell
        # "20 healthy , male subjects were randomized ( n = 20 )": text split into tokens, as some
        # corpora store it; the marks are put back against their words so every rule reads it.
        text = _SPACE_BEFORE_MARK.sub(_group_one, _SPACE_AFTER_OPEN.sub(_group_one, text))
    if _SPACED_THOUSANDS_HINT.search(text):
        # "A total of 13 388 women": thousands set apart by a space, as some journals print them.
        text = _SPACED_THOUSANDS.sub(r"\1\2", text)
    if _GLUED_HINT.search(text):
        text = _GLUED_COUNT.sub(r"\1 ", text)
    if _GLUED_HEADING_HINT.search(text):
        # "RESULTSNinety patients", "Methods80 subjects": a heading run into the sentence
        # after it, which hides the count's start.
        text = _GLUED_HEADING.sub(r"\1 ", text)
    folded = text.casefold()
    listed = _ARMS_LISTED.search(text) if _ARMS_LISTED_HINT.search(text) else None
    if listed:
        # "Twenty-six, 29, and 31 patients went to the ... groups, respectively"
        counts = [parse_count(c) for c in _COUNT_IN_LIST.findall(listed.group("list"))]
        n_randomized = sum(c for c in counts if c) if all(counts) else None
        if n_randomized is not None:
            rules["n_randomized"] = "arm_sizes_listed_respectively"
    else:
        n_randomized = None
    groups = [int(m.group("n") or m.group("m") or m.group("l")) for m in _GROUP_OF_N.finditer(text)] if _NAMED_GROUP.search(text) else []
    if n_randomized is None and len(groups) != 2 and _NAMED_GROUP.search(text):
        # "37 patients were placed in the control group (CG), 39 in the steroid arm (SG)"
        pair = next(_matches_at(_TWO_NAMED_GROUPS, text, _count_starts(text)), None) if _TWO_NAMED_GROUPS_HINT.search(text, folded) else None
        if pair is None and _RECRUITED_TWO_GROUPS_HINT.search(text, folded):
            pair = _RECRUITED_TWO_GROUPS.search(text)
        if pair and _PART_OF.search(text, max(0, pair.start() - 16), pair.start()):
            # "We recruited 641 patients, of whom 160 were assigned to A, 161 to B, ...": arms of a whole said before.
            pair = None
        sizes = [parse_count(pair.group("a")), parse_count(pair.group("b"))] if pair else []
        if sizes and all(sizes):
            groups = [n for n in sizes if n is not None]
    if n_randomized is None and len(groups) == 2:
        # "injected in 52 subjects in the first arm. The second arm held 50 subjects"
        n_randomized = sum(groups)
        rules["n_randomized"] = "two_groups_described"
    if n_randomized is None and _NOT_ALLOCATED_HINT.search(text, folded):
        # "We left 9 of 118 eligible people unallocated": the remainder were randomized.
        left_out = _NOT_ALLOCATED.search(text)
        if left_out:
            part = parse_count(left_out.group("k") or left_out.group("k2"))
            whole = parse_count(left_out.group("n") or left_out.group("n2"))
            if part is not None and whole is not None and 0 < part < whole:
                n_randomized = whole - part
                rules["n_randomized"] = "eligible_less_not_randomized"
    if n_randomized is None and _SPLIT_HINT.search(text, folded):
        # "32 were randomized to ESI and 32 to saline": every arm's share, which together are all.
        n_randomized = _randomized_split(text)
        if n_randomized is not None:
            rules["n_randomized"] = "randomized_shares_summed"
    if n_randomized is None and _SURVEY.search(text) and not _RANDOMIZED_WORD.search(text):
        # A survey's sample is those who answered it: "a response rate of 64% (n = 90/140)".
        # Not "Ninety surgeons and 41 anaesthetists completed the questionnaire": one part of two.
        answered = [parse_count(m.group("n") or m.group("n2") or m.group("n3")) for m in _RESPONDENTS.finditer(text)
                    if not _LIST_BEFORE.search(text, max(0, m.start() - 6), m.start())]
        n_randomized = next((n for n in answered if n is not None and _MIN_PEOPLE <= n <= _MAX_PEOPLE), None)
        if n_randomized is not None:
            rules["n_randomized"] = "survey_respondents"
    if n_randomized is None and _FROM_POOL_HINT.search(text, folded):
        # "96 patients were treated, and out of those, 58 ... were chosen for the study": the
        # study's sample is the part chosen from the larger pool.
        chosen = _SELECTED_FROM_POOL.search(text)
        part = parse_count(chosen.group("n")) if chosen else None
        if part is not None and _MIN_PEOPLE <= part <= _MAX_PEOPLE:
            n_randomized = part
            rules["n_randomized"] = "selected_for_study_from_pool"
    if n_randomized is None and not _RANDOMIZED_WORD.search(text):
        # "Among 359 treated patients, 118 were eligible and analysed": the part studied.
        pooled = _PART_OF_TREATED_POOL.search(text, folded)
        part, pool = (parse_count(pooled.group("n")), parse_count(pooled.group("pool"))) if pooled else (None, None)
        if pooled and _POOL_WAS_THE_SAMPLE.search(text, pooled.end("pool"), pooled.start("n")):
            # "Of the 150 patients enrolled, 130 were analysed": the pool is the study's own sample.
            part = None
        if part is not None and pool is not None and _MIN_PEOPLE <= part < pool:
            n_randomized = part
            rules["n_randomized"] = "part_of_treated_pool"
    if n_randomized is None and _TWO_PARTS_HINT.search(text, folded):
        # "28 patients who had A and 28 who had B were randomized", "a cohort of 64 patients given
        # ESI and a control group of 256 patients", "3000 injected patients were matched with 3000
        # controls": the two groups the study compared, which together are its sample.
        n_randomized = _two_parts(text, folded)
        if n_randomized is not None:
            rules["n_randomized"] = "two_parts_summed"
    if n_randomized is None and not _RANDOMIZED_WORD.search(text) and _CASE_REPORTED.search(text):
        # "We report ... in a 70-year-old man": a case report's own patients, one for each
        # introduced (not the published cases its review of the literature counts).
        # The same patient introduced again under a later heading is counted once.
        n_randomized = len({" ".join(m.group().lower().split()) for m in _CASE_INTRO.finditer(text)}) or None
        if n_randomized is not None:
            rules["n_randomized"] = "case_reported"
    if n_randomized is None:
        n_randomized = _first_count(text, _RANDOMIZED_RULES, rules, "n_randomized", _NOT_RANDOMIZED)
    if n_randomized is None and _GROUPS_OF_HINT.search(text, folded):
        # "three groups of 12 volunteers": the size of each of the named number of arms.
        groups_of = _GROUPS_OF_N.search(text)
        n_groups, each = (parse_count(groups_of.group("arms")), parse_count(groups_of.group("n"))) if groups_of else (None, None)
        if n_groups and each and _MIN_PEOPLE <= each <= _MAX_PEOPLE:
            n_randomized = n_groups * each
            rules["n_randomized"] = "groups_of_n_times_arms"
    if n_randomized is None and "N" in text:
        # "Adults with sciatica (N=240)": the whole sample as a capital N after the people,
        # before arm sizes in brackets can be summed instead.
        total = next((m for m in _TOTAL_N.finditer(text) if _whole_sample_n(text, m)), None)
        if total:
            n_randomized = parse_count(total.group("n"))
            rules["n_randomized"] = "people_then_total_N"
    arm_sizes = _arm_sizes(text)
    if n_randomized is None and len(arm_sizes) >= 2:
        n_randomized = sum(arm_sizes)
        rules["n_randomized"] = "sum_of_arm_sizes"
    if n_randomized is None and _PER_GROUP_HINT.search(text):
        n_randomized = _size_from_per_group(text)
        if n_randomized is not None:
            rules["n_randomized"] = "per_group_size_times_arms"
    if n_randomized is None and _PLANNED_SIZE_HINT.search(text):
        # Read after every statement of who was enrolled or randomized: a reported trial's
        # "target sample size of 380" is not the number it randomized.
        planned = _PLANNED_SIZE.search(text)
        size = parse_count(planned.group("n") or planned.group("m")) if planned else None
        if size is not None and _MIN_PEOPLE <= size <= _MAX_PEOPLE:
            n_randomized = size
            rules["n_randomized"] = "registry_planned_size"
    if n_randomized is None:
        n_randomized = _first_count(text, _HEAD_COUNT_RULES, rules, "n_randomized", _NOT_RANDOMIZED)
    n_analysed = _first_count(text, _ANALYSED_RULES, rules, "n_analysed")
    n_arms = None
    arms = _ARMS_SEARCHER.search(text, folded)
    if arms:
        n_arms = parse_count(arms.group(1) or arms.group(2))
        rules["n_arms"] = "arms_named"
    elif len(arm_sizes) >= 2:
        n_arms = len(arm_sizes)
        rules["n_arms"] = "arm_sizes_counted"
    studies = next((m for m in _matches_at(_REVIEW_STUDIES, text, _count_starts(text))
                    if not (_POOL_BEFORE.search(text, max(0, m.start() - 12), m.start())
                            or _is_year(m.group("n")) and _DATE_BEFORE_YEAR.search(text, max(0, m.start() - 12), m.start())
                            or _SEARCH_FOUND_BEFORE.search(text, max(0, m.start() - 60), m.start()) and _SEARCH_HITS.search(m.group(0))
                            or _POOL_AFTER.match(text, m.end()) and "eligible" not in m.group(0).lower()
                            and not (_TRIALS_OF_A_KIND.search(m.group(0)) and _FOUND_AFTER.match(text, m.end())))), None)
    n_studies = parse_count(studies.group("n")) if studies else None
    kept = _kept_from_pool(text, folded) if _KEPT_FROM_POOL_HINT.search(text, folded) else None
    if kept and (studies is None or studies.start() >= kept.start()):
        # "Seventeen out of 732 articles were included", "Of 640 records screened, 12 trials met
        # the criteria": the part kept, not the pool it was taken from.
        n_studies, studies = parse_count(kept.group("part")), kept
    elif studies:
        more = _MORE_STUDIES.match(text, studies.end())
        extra = parse_count(more.group("n")) if more else None
        if extra:
            # "Nine RCTs and two before-after trials involving 531 patients": both kinds were included.
            n_studies = (n_studies or 0) + extra
            studies = more
    n_participants = _review_participants(text, studies) if studies else None
    follow = _longest_follow_up(text)
    return SampleSize(
        n_randomized=n_randomized,
        n_analysed=n_analysed,
        n_arms=n_arms,
        n_studies=n_studies,
        n_participants=n_participants,
        follow_up=follow,
        rules=rules,
    )


def _kept_from_pool(text: str, folded: str) -> re.Match | None:
    """The first statement of the studies kept from a searched pool (see _KEPT_FROM_POOL)."""
    starts = _count_starts(text)
    found = [m for p in _KEPT_FROM_POOL for m in _matches_at(p, text, starts)] + list(_KEPT_AFTER_POOL.finditer(text, folded))
    return min((m for m in found if parse_count(m.group("part"))), key=lambda m: m.start(), default=None)


def _two_parts(text: str, folded: str) -> int | None:
    """The sum of two groups said as one sample's parts (see _TWO_PARTS), when not a part of a whole said before."""
    starts = _count_starts(text)
    found = [m for p in _TWO_PARTS for m in _matches_at(p, text, starts)] + list(_TWO_COHORTS.finditer(text, folded))
    for m in sorted(found, key=lambda m: m.start()):
        if _WHOLE_BEFORE.search(text, max(0, m.start() - 60), m.start()):
            continue
        between = text[m.end("x"):m.start("y")]
        if between.count("(") != between.count(")") or _ANOTHER_COUNT.search(between):
            # "41 patients with tumours (38 of grade III ..., and two cases with ...)": a list
            # inside the first group's brackets, or a third group between the two.
            continue
        a, b = parse_count(m.group("x")), parse_count(m.group("y"))
        if a and b and _MIN_PEOPLE <= a + b <= _MAX_PEOPLE:
            return a + b
    return None


def _randomized_split(text: str) -> int | None:
    """The sum of the shares in "32 were randomized to ESI, 30 to saline and 31 to sham"."""
    for head in _SPLIT_HEAD.finditer(text):
        first = parse_count(head.group("n"))
        end = _clause_end(text, head.end())
        if first is None or _LIST_BEFORE.search(text, max(0, head.start() - 6), head.start()):
            continue
        if _PART_OF.search(text, max(0, head.start() - 16), head.start()):
            # "64 patients, of whom 31 were randomized to EA, 31 to sham": the whole is stated.
            return None
        more = list(_SPLIT_MORE.finditer(text, head.end(), end))
        rest = [parse_count(m.group("n")) for m in more]
        if rest and all(rest):
            shares = sum(n for n in rest if n)
            # "60 were randomised to care: 29 to drug A and 31 to drug B": the total, then its shares.
            if more[0].group(0).startswith(":"):
                return first if shares == first else None
            return first + shares
    return None


def _whole_sample_n(text: str, m: re.Match) -> bool:
    """Whether a capital "(N = 240)" after the people is the whole sample: the only capital N in
    its sentence (not "... (N = 5); ... (N = 6); or sham (N = 5)", one per arm) and not said of
    those completing, analysed or screened."""
    starts = [e.end() for e in _FULL_STOP.finditer(text, 0, m.start())]
    end = _FULL_STOP.search(text, m.end())
    sentence = text[starts[-1] if starts else 0:end.start() if end else len(text)]
    return len(_CAPITAL_N.findall(sentence)) == 1 and not _NOT_RANDOMIZED.search(m.group(0))


def _size_from_per_group(text: str) -> int | None:
    """The whole sample from one size stated for every arm, when the number of arms is said.

    The arms are counted in the sentence that states the size ("divided into a treatment group
    and a control group, 40 cases in each group"), else taken from "two groups" anywhere.
    """
    for m in _PER_GROUP.finditer(text):
        size = parse_count(m.group("n") or m.group("m") or m.group("k") or m.group("j"))
        if size is None or not _MIN_PEOPLE <= size <= _MAX_PEOPLE:
            continue
        starts = [e.end() for e in _SENTENCE_END.finditer(text, 0, m.start())]
        sentence = text[starts[-1] if starts else 0:m.start()]
        listed = _ARMS_IN_BRACKETS.match(text, m.end())
        # "Two groups (n = 45 each)": the arms counted in the words that open the size's sentence.
        stop = _SENTENCE_END.search(text, m.end())
        whole_sentence = text[starts[-1] if starts else 0:stop.start() if stop else len(text)]
        arms_said = None if listed else _ARMS.search(sentence) or _ARMS_IN_SENTENCE.search(whole_sentence) or _ARMS.search(text)
        if listed:
            names = [part for part in _LIST_SEPARATOR.split(listed.group(1)) if part.strip()]
            arms = len(names) if 2 <= len(names) <= 5 else None
        elif arms_said:
            arms = parse_count(arms_said.group(1) or arms_said.group(2))
        else:
            # "the Cupping Group (Treatment Group) and the Massage Group (Control Group)":
            # a group's other name in brackets is not another arm.
            named = len(_NAMED_GROUP.findall(_BRACKETED.sub("", sentence)))
            arms = named if named >= 2 else None
        if arms:
            return size * arms
    return None


def _review_participants(text: str, studies: re.Match) -> int | None:
    """The people in a review's included studies, said before, in brackets after, or after the count.

    "2579 patients in 27 studies"; "22 trials (1,875 patients)"; "12 studies involving 1842
    participants". A bracket holding several counts (arms, subgroups) gives no total.
    """
    before = _PEOPLE_IN_STUDIES.search(text, max(0, studies.start() - 60), studies.start())
    if before:
        return parse_count(before.group("n"))
    opening = text[studies.end():studies.end() + 2].lstrip()
    if opening.startswith("("):
        close = text.find(")", studies.end())
        inside = text[studies.end():close] if close > 0 else ""
        bare = _BRACKET_N.match(inside)
        if bare:
            return parse_count(bare.group("n").replace(",", ""))
        counts = _PEOPLE_COUNT.findall(inside)
        if len(counts) == 1:
            return parse_count(counts[0])
        # "(301 patients given ESI and 288 patients given usual care)": the two sides
        # of the pooled comparison, which together are everyone (not a part, a share or a total).
        if len(counts) == 2 and _TWO_SIDES.search(inside) and not _NOT_TWO_SIDES.search(inside):
            sides = [n for n in map(parse_count, counts) if n]
            if len(sides) == 2:
                return sum(sides)
    participants = _REVIEW_PARTICIPANTS.search(text, studies.end())
    # Two sides compared that begin before (or at) the first people counted after the studies:
    # their sum, not the first side alone.
    pooled = _COMPARED_SIDES.search(text, studies.end()) if " compared " in text else None
    if pooled and (participants is None or pooled.start() <= participants.end()):
        a, b = parse_count(pooled.group("a")), parse_count(pooled.group("b"))
        if a and b:
            return a + b
    if participants:
        second = _SECOND_SIDE_AFTER.match(text, participants.end())
        a, b = parse_count(participants.group("n")), parse_count(second.group("b")) if second else None
        if a and b:
            return a + b
    return parse_count(participants.group("n")) if participants else None


def _first_count(text: str, rules_list: tuple[tuple[str, re.Pattern], ...], rules: dict[str, str],
                 field_name: str, reject: re.Pattern | None = None) -> int | None:
    """The first plausible head count by the first rule that finds one; records the rule.

    A count whose sentence goes on to say it is of another set of people (``reject``: those
    analysed, screened, completing) is passed over.
    """
    folded = text.casefold()
    for name, pattern in rules_list:
        if not could_match(_RULE_GATES[pattern], folded):
            continue
        if pattern.pattern.startswith(_COUNT_LED):
            matches = _matches_at(pattern, text, _count_starts(text))
        else:
            matches = _RULE_SEARCHERS[pattern].finditer(text, folded)
        for m in matches:
            n = parse_count(m.group("n"))
            if n is None or not _MIN_PEOPLE <= n <= _MAX_PEOPLE or _is_year(m.group("n")):
                continue
            if _NOT_A_COUNT_BEFORE.search(text, max(0, m.start("n") - 8), m.start("n")):
                # "5.2 ± 4.6 patients a day", "4-6 weekly treatments": the decimals of a mean, a
                # spread or the upper end of a range, never a head count.
                continue
            if _LABEL_BEFORE.search(text, max(0, m.start("n") - 12), m.start("n")):
                # "patients in stage 4 of the disease were randomized", "type 2 diabetes": a
                # label's number, never a head count.
                continue
            if _UNITS_AFTER.match(text, m.end("n")) or _ARM_LABEL_AFTER.match(text, m.end("n")):
                # "with 80 research sites", "divided into three parallel groups", "10 (Group A)
                # were randomized": places, groups or one labelled arm, not the trial's people.
                continue
            if _LIST_PART_BEFORE.search(text, max(0, m.start("n") - 60), m.start("n")) and not _OWN_SUBJECT_AFTER.match(text, m.end("n")):
                # "66 patients with 43 leukaemias and 23 solid tumours were randomized", "from 76
                # clinics in one city and three in another": a later item of a list of counts.
                continue
            if name == "total_of_n" and m.group().lower().startswith("overall") and _IN_AN_ARM_AFTER.match(text, m.end("n")):
                # "Overall, 45 participants in the gel group and 35 in the control group had ...": an
                # arm's count in the results, not the trial's.
                continue
            if name in _SUBJECT_LED and _POOL_BEFORE_SUBJECT.search(text, max(0, m.start("n") - 24), m.start("n")):
                # "representing 38% of the 404 patients in the registry, were randomized", "Of 54
                # patients with ..., 36 were randomized": a larger set named, never the subject.
                continue
            if name in _LONG_GAP and _ANOTHER_SUBJECT.search(text, m.end("n"), m.end()):
                # "Of 90 adults screened, 40 women and men with ... were enrolled": the verb is
                # said of another count, or the count is of those screened.
                continue
            if _inside_closed_bracket(text, m):
                # "52 patients (median age 60, 30 women) were randomized": a part described in
                # brackets, the verb said of the people outside them.
                continue
            if _PART_OF.search(text, max(0, m.start("n") - 16), m.start("n")):
                # "64 patients, 30 of whom were randomized to PRF": a part of the count before it.
                continue
            if _ARM_LABEL_BEFORE.search(text, max(0, m.start("n") - 16), m.start("n")):
                # "group II (18 patients) received drugs": one arm's size, in brackets after its name.
                continue
            # Read after the statement: "58 subjects were screened and randomized" says both.
            if reject is not None and reject.search(text, m.end(), _own_stretch_end(text, m)):
                continue
            # "2,417 adults were enrolled in each treatment arm": one arm's size, said for every
            # arm (read by _size_from_per_group), never the whole sample.
            if _EACH_GROUP_AFTER.match(text, m.end()) or _EACH_GROUP_BEFORE.search(text, max(0, m.start("n") - 60), m.start("n")):
                continue
            if name in _VERB_LED and _ARM_SUBJECT_BEFORE.search(text, max(0, m.start() - 30), m.start()):
                # "Group (A): included 25 patients who received ...": one arm's size.
                continue
            sibling = _SIBLING_GROUP.match(text, m.end("n")) if field_name == "n_randomized" else None
            more = parse_count(sibling.group("h") or sibling.group("i") or sibling.group("j") or sibling.group("k")) if sibling else None
            second = next((g for g in "hijk" if sibling and sibling.group(g)), None)
            if more and sibling and second and _ANOTHER_COUNT.search(text, m.end("n"), sibling.start(second)):
                # "12 patients with A, 11 patients with B and 10 controls": three groups, not two.
                more = None
            if more and not _LIST_BEFORE.search(text, max(0, m.start("n") - 6), m.start("n")):
                # "45 patients received A and 44 received B", "45 cases in the observation group and
                # 44 cases in the control group", "60 patients who had ESI and 120 patients who did
                # not": the count read is one of two groups said side by side; the sample is both.
                rules[field_name] = name + "+sibling_group"
                return n + more
            rules[field_name] = name
            return n
    return None


_UNITS_AFTER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:groups|arms|sites|cent(?:er|re)s|hospitals|clinics|practices|units|countries|wards|schools|villages|facilities)\b", re.IGNORECASE)
_ARM_LABEL_AFTER = re.compile(r"\s*\(\s*(?:group|arm)\s+\w{1,4}\s*\)", re.IGNORECASE)
_LIST_PART_BEFORE = re.compile(r"\d[\d,]*\s+(?:(?!(?:were|was|had|received|and|or)\b)[\w-]+\s+){1,4}?(?:and|or)\s+$", re.IGNORECASE)
# Rules that reach far from the count to the verb, and what in that stretch shows the verb is not its own.
_IN_AN_ARM_AFTER = re.compile(rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+in\s+(?:the|each)\s+[^,.;]{{0,40}}?\b(?:group|arm)\b", re.IGNORECASE)
_OWN_SUBJECT_AFTER = re.compile(rf"\s+(?:(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\b|(?:were|was)\b)", re.IGNORECASE)
_SUBJECT_LED = frozenset({"n_were_randomized", "n_people_then_randomized", "n_were_enrolled", "n_people_then_enrolled", "n_people_took_part"})
_POOL_BEFORE_SUBJECT = re.compile(r"(?:(?:^|[.;:]\s*|%\s*|\b(?:thirds?|half|quarters?|fifths?|tenths?|proportion|portion|share)\s+)of|\bamong|\bout\s+of)\s+(?:the\s+|all\s+|these\s+)?$", re.IGNORECASE)
_LONG_GAP = frozenset({"n_people_then_randomized", "n_people_then_enrolled", "n_people_took_part"})
_ANOTHER_SUBJECT = re.compile(rf",\s*{COUNT}\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE}|men|women|male|female|of\b|showed|had|were|was|did|received|developed)|\b(?:screened|assessed\s+for\s+eligibility|of\s+whom|of\s+these)\b", re.IGNORECASE)
_N_EQUALS = re.compile(r"\(\s*n\s*=\s*", re.IGNORECASE)


def _inside_closed_bracket(text: str, m: re.Match) -> bool:
    """Whether the count opens inside a bracket that closes before the rest of the match."""
    depth = 0
    before = text[max(0, m.start("n") - 120):m.start("n")]
    for at in range(len(before) - 1, -1, -1):
        depth += (before[at] == ")") - (before[at] == "(")
        if depth < 0:
            break
    else:
        return False
    if _N_EQUALS.fullmatch(before, at) and text[m.end("n"):].lstrip().startswith(")"):
        # "Patients (n = 90) were randomized": the bracket holds the whole sample's size.
        return False
    inner = m.group()[m.end("n") - m.start():]
    depth = 0
    for ch in inner:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            return True
    return False


def _own_stretch_end(text: str, m: re.Match) -> int:
    """Where the words about a count end: its clause's end, or the next count after the match.

    In "64 patients were randomized and 60 completed the study", "completed" is said of the 60.
    """
    end = _clause_end(text, m.end())
    starts = _count_starts(text)
    for start in starts[bisect_right(starts, m.end()):]:
        if start >= end:
            break
        between = text[m.end():start]
        # A count in brackets ("(mean age 50 years)") describes the same people.
        if between.count("(") <= between.count(")") and between.count("[") <= between.count("]"):
            return start
    return end


def _clause_end(text: str, pos: int) -> int:
    """Where the clause running at ``pos`` ends: a full stop, a line end, or a semicolon outside brackets."""
    depth = 0
    for m in _CLAUSE_MARK.finditer(text, pos):
        mark = m.group()
        if mark in "([":
            depth += 1
        elif mark in ")]":
            depth = max(0, depth - 1)
        elif mark != ";" or depth == 0:
            return m.start()
    return len(text)


# A second group said right after the first, in the same words: the same verb of treatment, the
# same "in the ... group", a second described set of people, or matched controls.
_TREATED = r"(?:were\s+|was\s+)?(?:received|underwent|had|got|treated|given|managed|operated)"
_SIBLING_GROUP = re.compile(
    rf"\s+(?:[\w-]+\s+){{0,2}}?(?:(?:{_PEOPLE})\s+)?(?P<v>{_TREATED})\b[^.;]{{0,120}}?(?:,\s*|\s+)(?:and|while|whereas)\s+(?P<h>{COUNT})\s+(?:(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+)?(?P=v)\b"
    rf"|\s+(?:(?:{_PEOPLE})\s+)?(?:(?:were|was)\s+)?(?:in|into)\s+(?:the\s+)?[^,;.()]{{0,50}}?\b(?:group|arm)\b(?:\s*\([^()]{{0,12}}\))?,?\s+(?:and|while|whereas)\s+(?P<i>{COUNT})\s+(?:(?:{_PEOPLE})\s+)?(?:(?:were|was)\s+)?(?:in|into)\s+(?:the\s+)?[^,;.()]{{0,50}}?\b(?:group|arm)\b"
    rf"|\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+(?:who|with|receiving|undergoing|given|having)\b[^.;()]{{0,100}}?\band\s+(?P<j>{COUNT})\s+(?:(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+(?:who|with|receiving|undergoing|given|having)\b|(?:[\w-]+\s+){{0,2}}?controls\b)"
    rf"|\s+(?:[\w-]+\s+){{0,2}}?(?:{_PEOPLE})\s+(?:and|with|to)\s+(?P<k>{COUNT})\s+(?:[\w-]+\s+){{0,2}}?controls\b",
    re.IGNORECASE,
)
_NOT_A_COUNT_BEFORE = re.compile(r"(?:\d\.|±\s*|\d\s*[-–]\s*|[<>≤≥]\s*(?:/?\s*=\s*)?|\s\?\s*|\bor\s*=\s*|\d\s*/\s*|\d\s+out\s+of\s+)$")
# "stage 4", "type 2", "grade 3", "day 30": a number that labels, then what it labels.
_LABEL_BEFORE = re.compile(r"\b(?:aged?|stages?|grades?|types?|class|phases?|levels?|steps?|days?|weeks?|versions?|parts?|visits?|cycles?|tables?|figures?)\s+$", re.IGNORECASE)
_EACH_GROUP_AFTER = re.compile(r"\s+(?:\w+\s+){0,2}?(?:(?:in|to|into)\s+each\s+(?:of\s+(?:the\s+)?(?:two|three|four|five|[2-5])\s+)?(?:(?:study|treatment|matched)\s+)?(?:groups?|arms?)|(?:for|per)\s+(?:each\s+)?" + _EACH_KIND + r")\b", re.IGNORECASE)
_EACH_GROUP_BEFORE = re.compile(r"\b(?:for|in|within|from)\s+each\s+(?:of\s+(?:the\s+)?(?:two|three|four|[2-4])\s+)?" + _EACH_KIND + r"s?\s*,\s*$", re.IGNORECASE)
# Rules whose match opens with the verb, and the arm that can be its subject: "Group (A): included".
_VERB_LED = frozenset({"enrolled_n", "participants_were_n"})
# Not "the study group included 60 patients", the whole sample: a group with a label or an arm's role.
_ARM_SUBJECT_BEFORE = re.compile(r"(?:\b(?:group|arm|cohort)\s*(?:\(\s*(?:[A-D]|[IV]{1,3}|\d)\s*\)|(?:[A-D]|[IV]{1,3}|\d)\b)"
                                 r"|\b(?:control|treatment|experimental|intervention|placebo|sham)\s+(?:group|arm|cohort)"
                                 r"|\beach\s+(?:of\s+(?:the\s+)?\w+\s+)?(?:groups?|arms?|cohorts?))\s*[:,]?\s*$", re.IGNORECASE)
_PART_OF = re.compile(r"\bof (?:whom|which|these|them)\s+$|\b(?:an?\s+)?(?:additional|further|extra)\s+$", re.IGNORECASE)
_ARM_LABEL_BEFORE = re.compile(r"\b(?:group|arm|subgroup)\s*(?:[A-D]|[IV]{1,3}[A-Z]?|\d)?\s*\(\s*$", re.IGNORECASE)
_CLAUSE_MARK = re.compile(r"[()\[\];\n]|\.(?=\s|$)")
# Counts that are not of the people randomized: a subset analysed or completing, or the larger
# set screened before randomization.
_NOT_RANDOMIZED = re.compile(
    r"\b(?:included in (?:the )?(?:final |primary |statistical )?analys[ie]s|analy[sz]ed|evaluable|completed|screened|"
    r"assessed for eligibility|lost to follow|withdr[ae]w|dropped out|excluded|available for (?:the\s+)?(?:follow|final|analys)\w*)\b",
    re.IGNORECASE,
)
# Text split into tokens: a comma, full stop or closing bracket with a space before it.
_SPACED_MARK = re.compile(r"\w \s*[,;:)\]](?= )")
_SPACE_BEFORE_MARK = re.compile(r" +([,.;:%)\]])(?=\s|$)")
_SPACE_AFTER_OPEN = re.compile(r"([(\[]) +")


def _group_one(m: re.Match) -> str:
    """The first group of ``m``: as the template ``\\1`` gives it, without expanding a template at every match."""
    return m.group(1)


# "13 388 women", "2 417 adults": a count of thousands with a space (or a thin or no-break space)
# for the comma, read only right before the people it counts and never after another number.
_SPACED_THOUSANDS = re.compile(
    rf"(?<!\d\s)(?<!\d[.,]\s)(?<![\d.,])\b(\d{{1,3}})[ \u00a0\u2009\u202f](\d{{3}})\b(?![.,]\d)(?=\s+(?:[\w-]+\s+){{0,3}}?(?:{_PEOPLE})\b)",
    re.IGNORECASE,
)
_SPACED_THOUSANDS_HINT = re.compile(r"\b\d{1,3}[ \u00a0\u2009\u202f]\d{3}\b")
# "60patients": a count run into the next word, as some exports print it.
_GLUED_COUNT = re.compile(r"(?<![.,])\b(\d+)(?=[A-Za-z]{3,})")
# What every such place holds; opening with a digit, it is found far faster than the above.
_GLUED_HINT = re.compile(r"\d[A-Za-z]{3}")
# A section heading run into its first word, as some pages print structured abstracts:
# "RESULTSNinety ...", "Methods80 subjects ...". Only headings, so "L4" or "GV3" stay whole.
_HEADINGS = r"BACKGROUND|OBJECTIVES?|METHODS?|RESULTS?|CONCLUSIONS?|DESIGN|SETTING|PARTICIPANTS|PATIENTS|SUBJECTS|INTERVENTIONS?|PURPOSE|AIMS?|MATERIALS"
_GLUED_HEADING = re.compile(rf"\b((?:{_HEADINGS})(?=[A-Z][a-z]|\d)|(?:{_HEADINGS.title()})(?=[A-Z0-9]))")
_GLUED_HEADING_HINT = re.compile(rf"(?:{_HEADINGS})(?:[A-Z][a-z]|\d)|(?:{_HEADINGS.title()})[A-Z0-9]")


# Rules that open with a count can only match where a count starts, and a record has a few dozen
# such places: trying the rule there is much faster than letting the regex engine try every
# character. The places are the starts of words that are digits or number words, which covers
# every position where the count pattern (it opens with a word boundary) can begin.
_COUNT_LED = "(?P<n>"
_WORD = re.compile(r"\w+")
# A digit at a word start (as r"\b\d"), written to open with the digit so the engine skips to it.
_DIGITS_START = re.compile(r"\d(?<!\w\d)")
_NUMBER_WORDS = frozenset(NUMBER_WORDS)


@lru_cache(maxsize=64)
def _count_starts(text: str) -> tuple[int, ...]:
    starts = [m.start() for m in _DIGITS_START.finditer(text)]
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: read word by word
        return tuple(sorted(m.start() for m in _WORD.finditer(text) if m.group()[0].isdigit() or m.group().lower() in _NUMBER_WORDS))
    for word in _NUMBER_WORDS:
        at = lowered.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not lowered[at - 1].isalnum() and lowered[at - 1] != "_") and (end == len(lowered) or not (lowered[end].isalnum() or lowered[end] == "_")):
                starts.append(at)
            at = lowered.find(word, end)
    return tuple(sorted(starts))


def _matches_at(pattern: re.Pattern, text: str, starts: tuple[int, ...]) -> Iterator[re.Match]:
    """Matches of ``pattern`` starting at ``starts``, without overlaps, in text order (as finditer)."""
    end = 0
    for start in starts:
        if start >= end:
            m = pattern.match(text, start)
            if m:
                end = max(m.end(), start + 1)
                yield m


def _is_year(token: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", token.strip()))


def _arm_sizes(text: str) -> list[int]:
    """Arm sizes listed in the first sentence that lists two or more."""
    for sentence in cached_sentences(text):
        # "(n = 2,210)": a count with thousands commas.
        sizes = [int(m.group(1).replace(",", "")) for m in _ARM_SIZE_SEARCHER.finditer(sentence.text)]
        if len(sizes) < 2 and "(" in sentence.text and _ALLOCATING.search(sentence.text):
            # "randomized into two groups: acupuncture (34 cases) and medication (34 cases)": bare
            # head counts in brackets, read only in the sentence that allocates.
            sizes = [int(m.group(1).replace(",", "")) for m in _BARE_ARM_SIZE.finditer(sentence.text)]
        if len(sizes) >= 3 and sizes[0] == sum(sizes[1:]):
            # "Patients (n = 44) ... were assigned to EA (n = 22) or MA (n = 22)": the whole
            # sample first, then its arms.
            return sizes[1:]
        if len(sizes) >= 2:
            return sizes
    # "Group A (n=25) received acupuncture. Group B (n=25) received diclofenac.": each arm's size
    # opening its own sentence, the sentences one after another.
    run: list[int] = []
    for sentence in cached_sentences(text):
        opening = _GROUP_OPENS_WITH_SIZE.match(sentence.text)
        if opening:
            run.append(int(opening.group("n").replace(",", "")))
        elif len(run) >= 2:
            break
        else:
            run = []
    return run if len(run) >= 2 else []


def _longest_follow_up(text: str) -> str | None:
    best: tuple[float, str] | None = None
    lowered = text.lower()
    if not could_match(_FOLLOW_UP_GATE, lowered):
        return None
    if len(lowered) == len(text):
        # Every match opens with "follow" or with a count: trying only there is much faster.
        starts = tuple(sorted({*word_positions(lowered, ("follow",)), *_count_starts(text)}))
        matches = _matches_at(_FOLLOW_UP, text, starts)
    else:
        matches = _FOLLOW_UP.finditer(text)
    for m in matches:
        phrase = (m.group("a") or m.group("b")).replace("-", " ")
        weeks = _phrase_weeks(phrase)
        if weeks is not None and (best is None or weeks > best[0]):
            best = (weeks, phrase)
    return best[1] if best else None


def _phrase_weeks(phrase: str) -> float | None:
    """Weeks in '6 months', '12 weeks', 'three months' (the upper end of '3 to 6 months')."""
    m = re.search(rf"(?P<n>{COUNT})\s*(?P<u>day|week|month|year)s?\s*$", phrase, re.IGNORECASE)
    if not m:
        return None
    n = parse_count(m.group("n"))
    return None if n is None else n * WEEKS_PER[m.group("u").lower()]
