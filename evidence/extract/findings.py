"""PICO and effect statements from a record's title and abstract.

Everything here is a pure function of one record's text and the topic's vocabularies
(``[vocab]`` in the topic file, read by the shared matcher :mod:`evidence.topic.matcher`), so
other topics reuse the engine and the work maps over files.

Findings come from single sentences and carry the sentence's span in
``record_text(title, abstract)``: a number without a sentence to quote is never produced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import pairwise
from typing import Any

import pandas as pd

from ..tables import schema
from . import arm_descriptions as arm_desc
from .allocation import read_arms
from .arm_descriptions import DUMMY as _DUMMY
from .infer import finding_direction
from ..topic.literals import Gate, could_match, gate
from ..topic.matcher import Mention, Vocabulary, claim, sentence_mentions, span_mentions, vocabulary
from .numbers import COUNT, parse_count
from .primary import primary_outcome
from .sample_size import WEEKS_PER
from .text import NON_RESULT_SECTIONS, Sentence, cached_sentences, record_text
from ..topic.model import Topic

# sentence_mentions and vocabulary are the shared matcher's, re-exported for the extract stage's callers.
__all__ = ["OTHER_OUTCOME", "Finding", "Mention", "Pico", "analysed_sentences", "extract_effects", "extract_findings",
           "extract_pico", "outcome_polarity", "sentence_mentions", "vocabulary"]

# --------------------------------------------------------------------------------------------
# Mentions (the topic's vocabularies are matched by evidence.topic.matcher)
# --------------------------------------------------------------------------------------------


def outcome_polarity(outcome: str, topic: Topic) -> bool | None:
    """Whether lower values are better for an outcome named in free words ("VAS", "JOA score"),
    from the topic's outcome vocabulary: the first outcome class (specific before generic) whose
    pattern matches. None when the topic does not know the outcome.
    """
    vocab = vocabulary(topic)
    mentions = claim(outcome, "outcome", vocab.outcomes, [])  # in the order of the classes
    return vocab.lower_is_better[mentions[0].label] if mentions else None


# Exclusion criteria name conditions and treatments that are not the study's.
_EXCLUSION = re.compile(r"\bexclu(?:de|ded|ding|sion)\b", re.IGNORECASE)
# Treatment-history sentences name treatments patients had before, not comparators.
_HISTORY = re.compile(
    r"\b(?:previous(?:ly)?|prior(?!\s+to\s+(?:the\s+|their\s+|an?\s+)?(?:planned\s+|elective\s+|scheduled\s+)?(?:surgery|operations?|procedures?|discectomy|microdiscectomy|fusion|decompression|an(?:a)?esthesia|induction|incision)\b)|history of|had (?:already )?(?:received|undergone|had)|fail(?:ed|ing)|"
    r"did not respond|did not (?:benefit|improve)|(?:without|no|little|insufficient|inadequate) (?:benefit|relief|improvement|response) (?:from|with|to)|not (?:benefit(?:ed|ted)?|helped|relieved) (?:from|by)|refractory to|unresponsive to|when no improvement|as (?:a )?rescue)\b"
    # People who came for an operation: surgery is why they were seen, not an arm.
    r"|\b(?:visited|referred|admitted|presented)\b[^.;]{0,60}\bfor (?:surgical|surgery|operati)\w*"
    r"|\b(?:candidates? for|scheduled for|awaiting) (?:surgery|surgical|operati)\w*"
    # Rescue medication allowed alongside the arms: "Only paracetamol were authorized".
    r"|\b(?:were|was) (?:authori[sz]ed|allowed|permitted)\b|\b(?:rescue|escape) (?:medication|analgesi)\w*",
    re.IGNORECASE,
)
# A sentence that speaks of the study itself (its aim, its people, its arms, its numbers): where an
# unstructured abstract's scene-setting opening ends.
_STUDY_SAID = re.compile(
    r"\b(?:we|our|this|these|here|present|current|aim\w*|objectives?|purposes?|goals?|stud(?:y|ies)|trials?|reviews?|"
    r"randomi[sz]\w*|patients|participants|subjects|cases|volunteers|enrolled|recruited|included|compar\w*|versus|vs|"
    r"groups?|arms?|investigat\w*|evaluat\w*|assess\w*|examin\w*|report\w*|determin\w*|explor\w*)\b|\d",
    re.IGNORECASE)
# A line of keywords lists terms, not arms.
_KEYWORDS = re.compile(r"\s*(?:key\s*words?|MeSH terms?)\s*[:.]", re.IGNORECASE)
# "acupuncture and electroacupuncture": plain acupuncture listed beside a named form.
_LISTED_WITH = re.compile(r"^\s*(?:,|and|or|,\s*and|versus|vs\.?|plus|/)\s*$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def analysed_sentences(text: str, vocab: Vocabulary) -> tuple[tuple[Sentence, tuple[Mention, ...]], ...]:
    """The sentences of a record text, each with its vocabulary mentions.

    Cached per (text, vocabulary): classification and effect extraction read the same record,
    and this is where their time goes. The record is scanned once for the opening words of every
    vocabulary pattern (:func:`evidence.topic.matcher.span_mentions`).
    """
    sentences = cached_sentences(text)
    return tuple(zip(sentences, span_mentions(text, [(s.start, s.end) for s in sentences], vocab)))


# --------------------------------------------------------------------------------------------
# PICO
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pico:
    """Study-level PICO labels, each list in order of first mention."""

    population: list[str]
    interventions: list[str]
    comparators: list[str]
    comparator_classes: list[str]
    outcomes: list[str]
    add_on: bool | None = None
    # What decided the comparator classes and the add-on flag, for the studies table's rule column.
    rules: dict[str, str] = field(default_factory=dict)


_BACKGROUND_SECTIONS = frozenset({"BACKGROUND", "INTRODUCTION", "CONTEXT", "RATIONALE", "SUMMARY OF BACKGROUND DATA"})
_ADD_ON = re.compile(r"\b(?:plus|combined with|in combination with|in addition to|added to|together with|adjunct\w*|combined (?:therapy|treatment) of)\b", re.IGNORECASE)
# "X alone", "X only", and the "simple X group" of translated abstracts.
# "better than single therapy (acupuncture or traction)": either part given by itself.
_ALONE = re.compile(r"\b(?:alone|only)\b|\bsimple (?:[\w-]+ ){0,2}?(?:group|treatment|therapy)\b|\bsingle (?:therapy|therapies|treatments?)\b", re.IGNORECASE)
# Wordings that state an add-on design by themselves: the experimental arm gets the control
# arm's treatment and more ("on the basis of the control group", "additionally received").
_ADD_ON_STATED = re.compile(
    r"\bon the basis of (?:the )?(?:control|conventional|routine|usual|standard)\b"
    # "treated with acupuncture on the basis of lumbar traction", "treated with X based on the control
    # group": an arm's treatment given on top of the other arm's.
    r"|\b(?:treated with|given|received|adopted|used)\b[^.;]{0,80}?\bon the basis of\b"
    r"|\b(?:on the basis of|based on) (?:that of |the treatment (?:of|in) )?(?:the )?control groups?\b"
    r"|\bin addition to (?:the )?(?:treatment|therapy|care) (?:of|in|given to) the control group\b"
    r"|\badditionally received\b|\b(?:received|receives|(?:will|would) receive) (?:an |(?:two|three|four|five|six|seven|eight|nine|ten|twelve|\d+) )?additional\b|\bsame (?:treatment|therapy|care) as the control group\b"
    # "the control group was treated with X; on which basis, the study group was also treated with Y"
    r"|\bon (?:which|this|that|that of the control group's) basis\b|\bgroups? (?:was|were) also (?:treated|given|managed)\b"
    r"|\b(?:based on|on the basis of) (?:the )?[\w-]+(?:\s+[\w-]+)?\s+(?:combined with|plus)\b"
    r"|\b(?:standard|usual|routine|conventional) (?:\w+ )?(?:care|treatment|therapy) plus (?:\w+ )?(?:acupuncture|electroacupuncture|needling)\b"
    # "SESIs as an addition to usual care", "an effective adjunct to physiotherapy".
    r"|\b(?:as )?an? (?:\w+ )?(?:addition|adjunct|add-on) to\b"
    # "Both groups received traction; additionally, the observation group was given acupuncture."
    r"|\badditionally,? (?:the |an? )?[\w-]+ (?:\w+ )?groups? (?:was|were|also )?\s*(?:given|treated|received|managed)\b"
    # "the latter only by the rehabilitation therapy", "the control group was treated only with
    # traction": the control arm had part of what the other arm had.
    # "group B, 27 people, were treated solely with stretching and pills".
    r"|\b(?:the latter|the other (?:group|arm)|(?:the )?control (?:group|arm)s?|group [B2])\b[^.;]{0,40}?"
    r"(?:(?:only|solely|merely)\s+(?:treated|managed|given)\s+|(?:treated|managed|given)\s+(?:only|solely|merely)\s+|(?:only|solely|merely)\s+)"
    r"(?:by|with)\s+(?!(?:\w+\s+){0,2}(?:sham|placebo|saline|dummy)\b)"
    # "Complex oriental medical treatment with or without balanced acupuncture".
    r"|\bwith or without (?:the |an? )?(?:[\w-]+ ){0,2}?(?:acupuncture|electroacupuncture|needling|acupotomy|injections?|blocks?|(?:cortico)?steroids?)\b"
    # "Usual care was compared with usual care plus one extra injection": one
    # arm named again with more.
    r"|\b(?P<base>[a-z][\w-]*(?:\s+[\w-]+){0,3})\s+(?:\([^()]{1,15}\)\s+)?(?:was|were)\s+compared\s+(?:to|with)\s+"
    r"(?P=base)\s+(?:combined with|plus|and|with|together with)\b",
    re.IGNORECASE,
)
# Two acupuncture forms as the arms of one comparison ("acupotomy or manual acupuncture group",
# "Shinbaro pharmacopuncture and bee venom pharmacopuncture were compared"): the second form is
# the comparator, which is another acupuncture.
_FORMS_JOINED = re.compile(r"^[^;]{0,40}?\b(?P<word>versus|vs\.?|or|compared (?:with|to)|than|and)\b[^;]{0,20}$", re.IGNORECASE)
_NOT_ARMS = re.compile(r"\b(?:plus|combined|combination|together|followed|added)\b|\bwith(?=\s+(?:the\s+)?(?:addition|adjunct))", re.IGNORECASE)
_ALLOCATES = re.compile(r"\b(?:randomi[sz]\w*|randomly|allocated|assigned|divided)\b", re.IGNORECASE)
_COMPARISON = re.compile(r"\b(?:randomi[sz]\w*|assign\w*|allocat\w*|divided|compar\w*|versus|vs\.?|than|either)\b", re.IGNORECASE)
# A treatment every arm received is a co-intervention, not a comparator: "Both groups were given
# mecobalamin tablets".
_EVERY_ARM = re.compile(
    r"\b(?:(?:both|all(?: the)?(?: three| four)?|the two|each of the two) (?:groups|arms)|(?:each|every) (?:group|arm))\b[^.;]{0,30}?"
    r"\b(?:(?:was|were) (?:also )?(?:given|treated with|prescribed|administered|offered)|received|took|underwent)\b"
    # "After 12 weeks, participants received usual care": what all had once the compared period ended.
    r"|^\s*(?:after|following|beyond)\s+(?:the\s+)?(?:\d+|[a-z]+)[- ](?:weeks?|months?|days?)\s*,?\s+(?:all\s+)?"
    r"(?:participants|patients|subjects)\s+(?:then\s+)?(?:received|were given|got)\b",
    re.IGNORECASE,
)
_REFERENCE_CUE = re.compile(r"\b(?:versus|vs\.?|compared (?:with|to)|against|relative to)\s+", re.IGNORECASE)
_REFERENCE_CLASSES = frozenset({"sham", "usual_care", "no_treatment", "waiting_list"})
_NETWORK = re.compile(r"\bnetwork meta-?analys[ie]s\b", re.IGNORECASE)
# A study's aim: "to evaluate the efficacy of", "we assessed the effect and safety of".
_AIM_OF = re.compile(
    r"\b(?:to|we|this study|this trial|the aim was to|aimed to)\s+(?:\w+\s+)?(?:evaluat|investigat|assess|examin|determin|stud|test|explor|confirm|compar)\w*\s+"
    r"(?:the\s+)?(?:clinical\s+)?(?:efficacy|effects?|effectiveness|safety|value|role|use|outcomes?)(?:\s+and\s+(?:safety|efficacy|tolerability))?\s+of\s+",
    re.IGNORECASE)
# A background sentence that states the study's own aim and sets its treatment against another
# ("This study assessed epidural dextrose versus saline", "we aimed to compare X with Y"): the
# treatments after the comparison word are the arms compared, not treatments in use.
_OWN_AIM = re.compile(
    r"\b(?:this|the\s+present|the\s+current|our)\s+(?:study|trial|research|work)\b|\b(?:study|trial)\s+(?:aimed|assessed|compared|evaluated|investigated|examined|tested)\b|\bwe\s+(?:aimed|sought|compared|assessed|evaluated|investigated|studied|tested)\b"
    r"|\b(?:aims?|aimed|purpose|objectives?|goals?)\b[^.;]{0,30}?\bto\s+(?:\w+\s+)?(?:compar|assess|evaluat|investigat|examin|determin|test)\w*",
    re.IGNORECASE)
_AIM_VERSUS = re.compile(r"\b(?:versus|vs\.?|compared\s+(?:with|to)|in\s+comparison\s+(?:with|to)|against)\s+", re.IGNORECASE)
# Where the name of a study's own treatment ends: a word that sets it against, or joins it to, another.
_STUDIED_END = re.compile(r"\b(?:versus|vs\.?|compared|or|plus|and|with|than|in|for|among|as|METHODS?)\b|\b(?:placebo|sham)-|[;:.]", re.IGNORECASE)
# "in addition to the routine care", "on top of this conventional treatment": what an arm's
# treatment was added to (the comparator mention starts where the match ends).
_ON_TOP_OF = re.compile(r"\b(?:in addition to|on top of|on the basis of|besides)\s+(?:the\s+|this\s+|that\s+|their\s+|such\s+)?", re.IGNORECASE)
# A word of a noun phrase, not one that links phrases or starts a clause.
_CONTENT_WORD = r"(?!(?:in|on|at|of|the|a|an|with|for|to|and|or|from|by|than|which|that|where|who|whom|was|were|is|are|had|has|received)\b)[\w-]+"
# A treatment named as something an arm may come to need is an outcome: "did not reduce the need
# for surgery", "the rate of conversion to surgery".
_NEED_FOR = re.compile(
    r"\b(?:need(?:ed)? for|avoid(?:ed|ing|ance of)?|rates? of|proceed(?:ed|ing)? to|progress(?:ed|ion)? to|(?:go|goes|going|went|gone)\s+on\s+to|"
    r"conver(?:sion|ted) to|(?:never\s+)?underw[e]nt|(?:having\s+|had\s+)?undergone|requir(?:ed|ing)|needing)\s+"
    r"(?:an?\s+|further\s+|subsequent\s+|later\s+|additional\s+)?(?:[\w-]+\s+(?:and/or|or)\s+)?(?:lumbar\s+|spinal\s+|spine\s+)?$"
    # "the usage of analgesic drugs", "demand for pain medication": how much of a treatment was taken.
    r"|\b(?:usage|consumption|intake|amounts?|demands?|requirements?)\s+(?:of|for)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+)?$"
    # "factors associated with surgery": a later event the study relates things to.
    r"|\bassociat(?:ed|ion|ions)\s+with\s+(?:an?\s+|subsequent\s+|later\s+|further\s+)?(?:[\w-]+\s+)?$"
    # "by one year, 17% had surgery", "9 per cent of them went on to an operation": a share counted.
    r"|\d\s*(?:%|per\s*cent)\s*\)?\s+(?:of\s+(?:[\w-]+\s+){0,3})?(?:had|underwent|required|needed|went\s+on\s+to|proceeded\s+to)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}$"
    # "additional injection and/or surgery": more treatment, counted after the arms'.
    r"|\badditional\s+(?:[\w-]+\s+(?:and/or|or)\s+)?$"
    # "10 cases reported using opioids": what patients went on to take is counted, not compared.
    r"|\breport(?:ed|ing)?\s+(?:using|taking|still taking)\s+(?:an?\s+)?$"
    # "without a clear indication for surgery", "a way of preventing surgery", "the proportion of
    # lumbar surgery": what patients may come to need, counted or avoided, not an arm.
    r"|\b(?:indications?\s+for|prevent(?:s|ed|ing|ion\s+of)?|proportions?\s+of|percentages?\s+of|rates?\s+of|incidence\s+of|(?:risk|odds|likelihood|hazard)s?\s+of|(?-i:HRs?|ORs?|RRs?|IRRs?)\s+(?:for|of)|(?:hazard|odds|risk|rate)\s+ratios?\s+(?:for|of))\s+"
    r"(?:an?\s+|further\s+|subsequent\s+|later\s+)?(?:[\w-]+\s+){0,2}$"
    # "the number of patients taking pain tablets": how many went on to take it.
    r"|\b(?:numbers?|proportions?|percentages?)\s+of\s+(?:patients|participants|cases|people|subjects)\s+"
    r"(?:with|using|taking|on|needing|requiring|who\s+(?:used|took|needed|required))\s+(?:an?\s+)?(?:[\w-]+\s+)?$"
    # "acupuncture and subsequent surgery": a treatment that came later.
    r"|\b(?:subsequent|eventual|later|future)\s+(?:[\w-]+\s+)?$"
    # "both groups used less opioids": how much of a treatment an arm went on to take.
    r"|\b(?:used|using|took|taking|consumed|needed|required)\s+(?:less|more|fewer|lower|higher)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
# ... or as a time or a later event of the trial, not an arm: "assessed before and after lumbar
# discectomy", "three patients left the trial early for microdiscectomy".
_EVENT_BEFORE = re.compile(
    r"\b(?:before|after)\s+and\s+(?:before|after)\s+(?:[\w-]+\s+){0,4}$|\b(?:around|at) the time of\s+(?:[\w-]+\s+){0,3}$"
    r"|\b(?:left|leaving|withdr[ae]wn?|withdrawals?|dropped out|drop-?outs?|terminat\w*|discontinu\w*)\b[^.;]{0,50}?"
    r"\bfor\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}$"
    # People on a list for an operation: surgery is why they were seen ("patients listed for disc surgery").
    r"|\b(?:(?:listed|booked|scheduled|planned|candidates?|waiting)\s+for|awaiting)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}$"
    r"|\b(?:before|prior to|ahead of)\s+(?:an?\s+|the\s+|their\s+)?(?:planned|scheduled|elective|intended)\s+(?:[\w-]+\s+){0,2}$"
    # An operation that sets who was studied or when: "low back pain after disc herniation surgery",
    # "pain during endoscopic discectomy",
    # "patients undergoing endoscopic surgery", "adults who had at least one earlier spinal operation".
    # "sensory loss caused by lumbar discectomy": the operation as the cause of the condition studied.
    rf"|\b(?:caused by|due to|resulting from|secondary to)\s+(?:an?\s+|the\s+|previous\s+|prior\s+)?(?:{_CONTENT_WORD}\s+){{0,4}}$"
    # (The words between are the operation's own: "after treatment in the medication group" names an arm.)
    rf"|\b(?:after|following|post|during|before|prior\s+to|preceding|ahead\s+of)[\s-]+(?:an?\s+|the\s+|their\s+|previous\s+|prior\s+|recent\s+)?(?:{_CONTENT_WORD}\s+){{0,3}}$"
    r"|\b(?:patients|participants|subjects|people|individuals|adults|those|cases)\b(?:\s+with\s+[^.;,()]{1,50}?)?\s+"
    r"(?:undergoing|(?:who|that)\s+(?:had\s+|have\s+)?(?:undergone|underwent|were\s+undergoing|are\s+undergoing)"
    r"|(?:who|that)\s+(?:had|have had)\s+(?:at least one|one or more|(?:an?\s+)?(?:previous|prior|earlier)))\s+"
    rf"(?:an?\s+|the\s+)?(?:{_CONTENT_WORD}\s+){{0,4}}$",
    re.IGNORECASE,
)
# ... "Surgical treatment was later required in 6 patients".
_EVENT_AFTER = re.compile(
    r"\s+(?:(?:treatment|intervention|procedures?)\s+)?(?:was|were)\s+(?:(?:subsequently|later|eventually|ultimately|finally|then)\s+)?"
    r"(?:required|needed|necessary|indicated)\b"
    r"|\s+(?:(?:treatment|intervention|procedures?)\s+)?(?:was|were)\s+(?:subsequently|later|eventually|ultimately|finally)\s+"
    r"(?:performed|done|carried out|undertaken)\b"
    # "Surgery was avoided in 80% of patients".
    r"|\s+(?:(?:treatment|intervention|procedures?)\s+)?(?:was|were)\s+(?:\w+\s+)?(?:avoided|prevented|spared|averted)\b",
    re.IGNORECASE,
)
# A class named as the place of the study ("in the physiotherapy department"): the conventional
# treatment given there ("Group A received conventional therapy") is that class's treatment.
_SETTING_AFTER = re.compile(r"\s+(?:departments?|clinics?|units?|wards?|cent(?:er|re)s?)\b", re.IGNORECASE)
# ... a place, "in the" or "at a" one ("with TENS units" names devices, not a place).
_SETTING_BEFORE = re.compile(r"\b(?:in|at|of|from|to)\s+(?:the|a|an|our|this)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_CONVENTIONAL = re.compile(r"(?:conventional|routine|usual|standard)\s+(?:therapy|therapies|treatments?|care)", re.IGNORECASE)
# ... or as words of an institution's name: "the Hospital of Integrated Chinese and Western Medicine".
_INSTITUTION_OF = re.compile(
    r"(?-i:\b(?:Hospital|University|College|Institute|Academy|School|Department|Cent(?:er|re)|Committee)\s+of\s+"
    r"(?:(?:the\s+)?[A-Z][\w'-]*\s+(?:and\s+|&\s+)?){0,5})$")
# ... or as what the blinded did not know: "the patients were blinded to the medication".
_BLINDED_TO = re.compile(
    r"(?:\b(?:blind(?:ed)?\s+(?:to|as to)|unaware\s+of|masked\s+to)\s+(?:the\s+|which\s+)?(?:(?:type|kind|identity|nature|content)s?\s+of\s+(?:the\s+)?)?"
    r"|\bkn[eo]w\s+(?:which\s+|(?:the\s+)?(?:type|kind|identity|nature|content)s?\s+of\s+(?:the\s+)?))"
    r"(?:injected\s+|study\s+|allocated\s+)?$",
    re.IGNORECASE,
)
# ... or a treatment named as the thing counted: "the surgical rates were comparable".
# ("opioid use", "analgesic intake", "current opioid consumption", "analgesic requirements", "opioid needs").
# ... and "the drawbacks of standard treatment options": the choices in general, not an arm;
# "spine surgery (arm A: 12% vs arm B: 9%)": a share of each arm given per arm; "Western medicine
# institutions": a kind of place.
_COUNTED = re.compile(r"\s*(?:rates?|incidence|use|usage|intake|consumption|requirements?|needs|demands?|doses?|dosages?|options|institutions?|facilities)\b"
                      # "had surgery at rates five times higher": how often, not an arm.
                      r"|\s+at\s+(?:[\w-]+\s+){0,2}rates?\b"
                      r"|\s*\(\s*[^():;]{1,60}:\s*\d+(?:\.\d+)?\s*%", re.IGNORECASE)
# A double-dummy design: each arm gets a placebo of the other arm's treatment ("ESI plus placebo
# pills or sham injection plus gabapentin"); the sham is a blind, not a comparator of its own.
_DOUBLE_DUMMY = re.compile(
    rf"\b(?:plus|with|and)\s+(?:an?\s+)?{_DUMMY}\b[^.;]*?\b{_DUMMY}\s+(?:[\w-]+\s+){{0,2}}?(?:plus|with|and)\b"
    rf"|\b{_DUMMY}\s+(?:[\w-]+\s+){{0,2}}?(?:plus|with|and)\b[^.;]*?\b(?:plus|with|and)\s+(?:an?\s+)?{_DUMMY}\b",
    re.IGNORECASE,
)
_DUMMY_WORD = re.compile(rf"\b{_DUMMY}\b", re.IGNORECASE)
_PLACEBO_WORD = re.compile(r"\b(?:placebo|nocebo)\b", re.IGNORECASE)
_PLACEBO_EFFECT = re.compile(r"[\s-]*(?:effects?|responses?|phenomen(?:on|a))\b", re.IGNORECASE)
# A sentence that says what the intervention is ("Electroacupuncture is based on ... electrical
# stimulation"; "Acupotomy, which involves ..."): the treatments it names are not arms.
_DEFINES = re.compile(
    r"\s*(?:,\s*which\s+|\s+)(?:is|are|involves?|refers to|uses|combines|consists of)\b"
    # ... with what it is set between dashes or brackets first: "Acupotomy (a blend of needling and
    # minimally invasive surgery) is ...".
    r"|\s*(?P<open>[—–(]|--|,)[^.;]{3,120}?(?:[—–)]|--|,)\s*(?:is|are)\b", re.IGNORECASE)
# A sentence that asks for other studies: the controls it names are the next trials', not this one's
# ("larger trials against placebo are warranted").
_FURTHER_STUDIES = re.compile(
    r"\b(?:further|future|more|larger|additional|well-designed|high-quality)\s+(?:[\w-]+\s+){0,3}?(?:studies|trials|research|investigations?)\b"
    r"[^.;]{0,120}?\b(?:warranted|needed|required|necessary|recommended)\b",
    re.IGNORECASE)
# A list of what was measured: "pain scores, disability, satisfaction, surgery and recurrence were
# investigated". A treatment in it is counted, not given; a list that names groups is left alone.
_MEASURED_LIST = re.compile(
    r"(?:^|[;:])(?P<list>[^;:]*?)\s+(?:were|was|will be)\s+(?:\w+\s+)?(?:investigated|assessed|measured|recorded|collected|"
    r"evaluated|observed|documented|surveyed|monitored|noted)\b",
    re.IGNORECASE)
# What an injection holds: "a 5 mL mixture of dexamethasone and lidocaine", "drugs given in the
# block": a drug inside another arm's treatment, not an arm of its own.
_INJECTATE_BEFORE = re.compile(r"\b(?:mixture|solution|injectate|cocktail)\s+of\s+(?:\d+(?:\.\d+)?\s*(?:mg|ml|mL|%|IU)\s+(?:of\s+)?)?$", re.IGNORECASE)
_USED_IN = re.compile(r"\s+(?:used|given|injected|administered)\s+(?:in|for|with|during)\s+(?:the\s+|each\s+|an?\s+)?", re.IGNORECASE)
# "differences were found for satisfaction and surgery": a treatment named as what differed.
_DIFFERED_FOR = re.compile(r"\bdif+erences?\s+(?:(?:were|was)\s+(?:\w+\s+)?(?:found|seen|observed|noted)\s+)?(?:for|in|on|regarding)\s+"
                           rf"(?:{_CONTENT_WORD},?\s+){{0,4}}?(?:and\s+|or\s+)?$", re.IGNORECASE)
# "Other outcomes covered analgesic intake, reoperation and switching arms": a list of outcomes.
_OUTCOMES_LISTED = re.compile(
    r"\b(?:primary|secondary|main|other)?\s*(?:outcomes?|end-?points?|outcome measures?)\s+(?:included|includes|include|were|was|are|will be|comprised)\s+"
    r"(?P<list>[^;:.]*)", re.IGNORECASE)
_GROUP_WORDS = re.compile(r"\b(?:groups?|arms?|versus|vs\.?|compared|than|between|received|treated|randomi[sz]\w*|allocated|assigned)\b", re.IGNORECASE)
# What the usual care of an arm consists of is part of it: "usual care, including physical therapy
# and education", "usual care consisting of pain tablets".
_CONTENT_OF = re.compile(r"^\s*(?:[\w-]+\s*){0,2}?(?:\(|,)?\s*(?:consist(?:s|ed|ing)? of|including|includes|included|comprising|comprised|such as|namely)\s+(?:[^.;()]{0,60}?)$", re.IGNORECASE)
# The experimental arm's own description: what it names belongs to that arm, not to the control
# arm ("The treatment group was treated with acupuncture and massage. The control group ...").
_EXPERIMENTAL_ARM = re.compile(
    r"\b(?:treatment|observation|study|experimental|intervention|combination|combined|test|research|trial) groups?\s+"
    r"(?:(?:was|were)\s+(?:also\s+)?(?:treated with|given|managed with)|(?:also\s+)?received)\b",
    re.IGNORECASE,
)
# "the control group was treated with X", "Regarding the control group, subjects were treated with
# X", "the control group taking X".
_CONTROL_ARM_TREATED = re.compile(
    r"\bcontrol groups?\b(?:\s*,\s*(?:the\s+)?(?:patients|participants|subjects)\b)?\s+"
    r"(?:(?:was|were)\s+(?:also\s+)?(?:treated with|given|managed with)|(?:also\s+)?(?:received|receiving|took|taking|underwent))\b",
    re.IGNORECASE)
_ARM_CLAUSE_END = re.compile(r"[;.]|\b(?:and |while |whereas |but )?(?:the |a )?control\b|\bwhile\b|\bwhereas\b", re.IGNORECASE)


def extract_pico(text: str, topic: Topic) -> Pico:
    """Population flags, acupuncture forms, comparator classes and outcomes named in a record.

    Parameters
    ----------
    text:
        ``record_text(title, abstract)``.
    topic:
        Supplies the vocabularies.

    Returns
    -------
    Pico
        Mentions that are negated ("without radiculopathy") or in exclusion criteria are not
        counted; nor are comparators named in treatment history ("had received epidural
        injections") or in a BACKGROUND section. Generic "acupuncture" means the topic's default
        form when no form is named, or when it is listed beside a named form ("acupuncture and
        electroacupuncture").
    """
    return _pico(text, vocabulary(topic))


@lru_cache(maxsize=4096)
def _pico(text: str, vocab: Vocabulary) -> Pico:
    kept: list[Mention] = []
    # Comparator classes named in the experimental arm's description and in the control arm's.
    experimental_named: set[str] = set()
    control_named: set[str] = set()
    control_described = False
    add_on_cue = alone_cue = listed_generic = add_on_stated = forms_compared = plain_arm = amount_arms = False
    # Each arm's own description (is it the control arm, is it needled, the classes it names), and
    # the classes said to be "the same" in every arm.
    arm_clauses: list[arm_desc.ArmClause] = []
    same_named: set[str] = set()
    settings: set[str] = set()
    # Comparator classes a sentence says every arm received ("Both groups were given routine care").
    every_arm_named: set[str] = set()
    # Comparator classes naming the treatment the title or the aim says the study is about.
    studied: set[str] = set()
    # Comparator classes named right after "versus", "compared with/to" or "against".
    referenced: set[str] = set()
    # Classes an arm's treatment is said to be given on top of ("acupuncture in addition to the routine care").
    added_to: set[str] = set()
    # A cue whose words are nowhere in the record is in none of its sentences.
    record_folded = text.casefold()
    live = {p for p in (_EXCLUSION, _HISTORY, _ADD_ON, _ALONE, _ADD_ON_STATED) if could_match(_gate_of(p), record_folded)}
    # An unstructured abstract's opening sentences, before any that speaks of the study itself, set
    # the scene: the treatments they name are those in use, not those compared.
    opening = True
    for sentence, found in analysed_sentences(text, vocab):
        s, folded = sentence.text, sentence.text.casefold()
        if sentence.section != "TITLE":
            opening = opening and sentence.section is None and _STUDY_SAID.search(s) is None

        def said(pattern: re.Pattern, s: str = s, folded: str = folded) -> bool:
            return pattern in live and _gated_search(pattern, s, folded) is not None

        if said(_EXCLUSION):
            continue
        # Background and history sentences name treatments in use, not the ones compared.
        # A heading read from unstructured text may be followed by a missed one ("Method/design"):
        # under it, a sentence that allocates or compares arms is not background.
        background = sentence.section in _BACKGROUND_SECTIONS and not (
            sentence.inline_section and _ALLOCATES.search(s)) or sentence.section != "TITLE" and opening
        # Treatment history names what patients had before; where the same sentence then allocates
        # them ("who did not benefit from drugs were randomized to X or sham"), the arms after the
        # allocation word are compared.
        history = _HISTORY.search(s) if said(_HISTORY) else None
        allocated = _ALLOCATES.search(s, history.end()) if history else None
        history_until = 0 if history is None else allocated.start() if allocated else len(s)
        every_arm = not background and _EVERY_ARM.search(s) is not None
        if every_arm:
            every_arm_named.update(m.label for m in found if m.kind == "comparator" and not m.negated)
        # The treatment the study is about, as its title or its aim names it ("Efficacy of trigger point
        # injections in ...", "to evaluate the efficacy of infliximab, ..."), before any word that
        # sets it against another.
        for start in ([0] if sentence.section == "TITLE" else [m.end() for m in _AIM_OF.finditer(s)]):
            cut = _STUDIED_END.search(s, start)
            studied.update(m.label for m in found if m.kind == "comparator" and not m.negated
                           and start <= m.start < (cut.start() if cut else len(s)))
        if not background:
            for cue in _REFERENCE_CUE.finditer(s):
                referenced.update(m.label for m in found if m.kind == "comparator" and not m.negated
                                  and cue.end() <= m.start <= cue.end() + 40 and not re.search(r"[.;,]", s[cue.end():m.start]))
            for base in _ON_TOP_OF.finditer(s):
                added_to.update(m.label for m in found if m.kind == "comparator" and not m.negated and m.start == base.end())
        aim = _OWN_AIM.search(s) if background and sentence.section in _BACKGROUND_SECTIONS else None
        aim_versus = _AIM_VERSUS.search(s, aim.start()) if aim else None
        aim_from = aim_versus.start() if aim_versus and not (
            _EVERY_ARM.search(s) or _defines(s, found) or _FURTHER_STUDIES.search(s) or _KEYWORDS.match(s)) else len(s) + 1
        not_compared = background or _EVERY_ARM.search(s) is not None or _defines(s, found) \
            or _FURTHER_STUDIES.search(s) is not None or _KEYWORDS.match(s) is not None
        aside = _not_arms(s, found)
        experimental_named.update(m.label for m in _experimental_extras(s, found))
        for arm in _CONTROL_ARM_TREATED.finditer(s):
            end = _ARM_CLAUSE_END.search(s, arm.end())
            control_named.update(x.label for x in found if x.kind == "comparator" and arm.end() <= x.start < (end.start() if end else len(s)))
            control_described = True
        mentions = [
            m for m in found
            if not m.negated and not (m.kind == "comparator" and (not_compared and m.start < aim_from
                                                                  or m.start < history_until or m in aside))
        ]
        kept.extend(mentions)
        settings.update(m.label for m in mentions if m.kind == "comparator" and _SETTING_AFTER.match(s, m.end)
                        and _SETTING_BEFORE.search(s, max(0, m.start - 40), m.start))
        if not background:
            arm_clauses.extend(arm_desc.arm_clauses(s, folded, found))
            same_named |= arm_desc.same_in_every_arm(s, folded, mentions)
        # Each flag, once raised, stays raised: later sentences need not be read for it.
        listed_generic = listed_generic or _generic_listed_with_form(s, mentions)
        add_on_cue = add_on_cue or said(_ADD_ON)
        alone_cue = alone_cue or said(_ALONE)
        add_on_stated = add_on_stated or said(_ADD_ON_STATED) or arm_desc.combined_against_base(s, folded) \
            or not background and arm_desc.named_again_with_more(s, folded)
        plain_arm = plain_arm or not background and arm_desc.plain_form_arm(s, mentions)
        amount_arms = amount_arms or not background and arm_desc.amount_arms(s, folded)
        forms_compared = forms_compared or plain_arm or not background and (
            _forms_compared(s, mentions) or _doses_compared(s, mentions) or _control_arm_needled(s, mentions)
            or arm_desc.control_acupoints(s, folded) or "group" in folded and arm_desc.needled_arm_names(s, found))
    # The arms may be described in two sentences: "The treatment group was treated with X and Y.
    # The control group was treated with X."
    add_on_stated = add_on_stated or _arm_extends_other(text) or _with_and_without(text)
    # Arms named as one another plus more: what is added belongs to the experimental arm, and a
    # needled base arm is another acupuncture.
    added_classes, needled_base = _extension_classes(text, vocab)
    forms_compared = forms_compared or needled_base
    # Two needling arms given the same other treatment ("electroacupuncture with massage" against
    # "regular acupuncture with massage"): that treatment is a co-intervention, and the comparison
    # is of the needling.
    co_interventions = arm_desc.co_interventions(arm_clauses, same_named)
    forms_compared = forms_compared or co_interventions is not None
    interventions = _unique(m.label for m in kept if m.kind == "intervention")
    generic = any(m.kind == "generic" for m in kept)
    # Arms named by amounts of a needling treatment are doses of it.
    forms_compared = forms_compared or amount_arms and bool(interventions or generic)
    default = vocab.default_intervention
    if default and default not in interventions and generic and (not interventions or listed_generic):
        interventions.append(default)
    # A class named for the experimental arm and not for a described control arm is part of the
    # experimental treatment ("acupuncture and massage" against "ordinary acupuncture"), wherever
    # else the record names it.
    extra = experimental_named - control_named if control_described else set()
    extra |= added_classes if needled_base else set()
    extra |= co_interventions or set()
    extra |= arm_desc.arm_contents(arm_clauses)
    comparators = [m for m in kept if m.kind == "comparator" and m.label not in extra]
    if len(settings) == 1:
        comparators = _conventional_of_setting(comparators, settings.pop())
    classes = _unique(m.label for m in comparators)
    # What every arm received is the comparator only when the control arm had nothing else: where
    # another class remains ("both groups were given routine care; the one group also had needling,
    # the other laser"), it is a co-treatment of both arms.
    if every_arm_named and set(classes) - every_arm_named:
        classes = [c for c in classes if c not in every_arm_named]
        comparators = [m for m in comparators if m.label not in every_arm_named]
    rules = {"comparators": "vocabulary"} if classes else {}
    # The comparator is then the topic's class for another form of the intervention, if it has one.
    form_class = vocab.intervention_form_classes[0] if vocab.intervention_form_classes else None
    if forms_compared and form_class and form_class not in classes:
        classes.append(form_class)
        rules["comparators"] = "vocabulary+two_forms_compared" if rules else "two_forms_compared"
    # A record that never names the topic's intervention studies a treatment of its own (an injection
    # topic's trial of trigger-point injections, of an infused antibody against placebo): where its
    # title or aim names that treatment by a comparator class, the class is the study's intervention,
    # and the others are what it was compared with.
    if not interventions and not generic and studied and set(classes) - studied:
        classes = [c for c in classes if c not in studied]
        comparators = [m for m in comparators if m.label not in studied]
        rules["comparators"] = rules.get("comparators", "vocabulary") + "+studied_treatment_not_comparator"
    # A network meta-analysis names many treatments, each an intervention of the network; its
    # comparators are the reference it sets them against ("versus placebo", "compared with inactive
    # control or conventional care"), when that is an inactive or usual-care node; where the
    # treatments are set against one another ("better ODI compared to the anti-TNF"), all are.
    reference = referenced & _REFERENCE_CLASSES
    if _NETWORK.search(text) and reference and set(classes) - reference:
        classes = [c for c in classes if c in reference]
        comparators = [m for m in comparators if m.label in reference]
        rules["comparators"] = rules.get("comparators", "vocabulary") + "+network_reference"
    # An arm given its treatment on top of what every arm received, when that is all the control
    # arm had: an add-on.
    on_top = bool(classes) and set(classes) <= added_to & every_arm_named
    add_on_stated = add_on_stated or on_top
    add_on = True if classes and (add_on_cue and alone_cue or add_on_stated or plain_arm) else None
    if add_on:
        rules["add_on"] = "stated" if add_on_stated else "plain_form_arm" if plain_arm else "plus_and_alone"
    # First choice: the arms read from how the groups were formed, each classed from its own
    # description (evidence.extract.allocation); the mention-based reading above is the fallback.
    structural = read_arms(analysed_sentences(text, vocab), vocab)
    if structural is not None:
        wanted = set(structural.comparator_classes)
        same = wanted == set(classes)
        classes = [c for c in classes if c in wanted] + [c for c in structural.comparator_classes if c not in classes]
        # The arms say "add-on" only when one arm visibly holds another's treatment and more; where
        # they do not, an add-on stated in words ("on the basis of the control group") still counts
        # when both readings agree on the comparators.
        if structural.add_on or not same:
            add_on = structural.add_on
            rules = {"comparators": f"arms:{structural.how}", **({"add_on": f"arms:{structural.how}"} if add_on else {})}
        else:
            rules["comparators"] = f"arms:{structural.how}"
    return Pico(
        population=_unique(m.label for m in kept if m.kind == "population"),
        interventions=interventions,
        comparators=_unique(m.text.strip().lower() for m in comparators),
        comparator_classes=classes,
        outcomes=_unique(m.label for m in kept if m.kind == "outcome"),
        # Only claimed when the abstract says so: "acupuncture plus X ... X alone", or a
        # wording that states it ("the observation group ... on the basis of the control group").
        add_on=add_on,
        rules=rules,
    )


def _conventional_of_setting(comparators: list[Mention], setting: str) -> list[Mention]:
    """Comparator mentions with "conventional therapy" read as the treatment of the study's
    setting ("the physiotherapy department"), when the setting is named by a comparator class."""
    return [replace(m, label=setting) if m.label != setting and _CONVENTIONAL.fullmatch(m.text) else m for m in comparators]


def _defines(text: str, mentions: Iterable[Mention]) -> bool:
    """Whether a sentence opens by saying what the intervention is ("Electroacupuncture is ...",
    "Motion style acupuncture treatment (MSAT) is a ...")."""
    first = next((m for m in mentions if m.kind in ("intervention", "generic")), None)
    if first is None:
        return False
    if not text[: first.start].strip(" (") and _DEFINES.match(text, first.end) is not None:
        return True
    # The intervention's name in a few words around the needling word, then what it is.
    return _NAME_BEFORE.fullmatch(text, 0, first.start) is not None and _NAMED_IS.match(text, first.end) is not None


# A few words of a treatment's name before its needling word, and after it, before "is" or "are":
# no verb, nothing that joins a second treatment or names a group.
_NAME_WORD = r"(?!(?:plus|and|with|versus|vs|or|than|groups?|arms?|patients|participants|the|a|an|this|that|in|of|for)\b)[\w-]+"
_NAME_BEFORE = re.compile(rf"\s*(?:{_NAME_WORD}\s+){{1,3}}", re.IGNORECASE)
_NAMED_IS = re.compile(rf"(?:\s+{_NAME_WORD}){{0,2}}\s*(?:\([^()]{{1,20}}\))?\s*(?:,\s*which\s+)?(?:is|are|involves?|refers to|combines|consists of)\s+(?:an?|the)\b",
                       re.IGNORECASE)


def _not_arms(text: str, mentions: Iterable[Mention]) -> set[Mention]:
    """Comparator mentions of a sentence that name no comparison arm: a treatment an arm may come
    to need ("the need for surgery"), what the experimental arm's description names, and the
    placebo of a double-dummy design."""
    found = [m for m in mentions if m.kind == "comparator"]
    if not found:
        return set()
    out = {m for m in found if _NEED_FOR.search(text, max(0, m.start - 40), m.start) or _COUNTED.match(text, m.end)
           or _EVENT_BEFORE.search(text, max(0, m.start - 140), m.start) or _EVENT_AFTER.match(text, m.end)
           or _BLINDED_TO.search(text, max(0, m.start - 50), m.start)
           or _INSTITUTION_OF.search(text, max(0, m.start - 80), m.start)}
    out |= _experimental_extras(text, mentions)
    out |= _measured(text, mentions)
    out |= _what_differed(text, mentions)
    out |= _injected_contents(text, mentions)
    out |= _usual_care_contents(text, found)
    if _DOUBLE_DUMMY.search(text):
        out |= {m for m in found if _DUMMY_WORD.search(m.text)}
    # "a placebo effect could not be assessed": the effect of expectation, not an arm.
    out |= {m for m in found if _PLACEBO_WORD.search(m.text) and _PLACEBO_EFFECT.match(text, m.end)}
    return out


def _measured(text: str, mentions: Iterable[Mention]) -> set[Mention]:
    """Comparator mentions in a list of what was measured, beside an outcome the topic knows
    ("pain, the ODI, satisfaction, surgery and recurrence were investigated")."""
    mentions = list(mentions)
    out: set[Mention] = set()
    for listed in _MEASURED_LIST.finditer(text):
        start, end = listed.span("list")
        if _GROUP_WORDS.search(text, start, end):
            continue
        inside = [m for m in mentions if start <= m.start and m.end <= end]
        if any(m.kind == "outcome" for m in inside):
            out |= {m for m in inside if m.kind == "comparator"}
    for listed in _OUTCOMES_LISTED.finditer(text):
        start, end = listed.span("list")
        if not _GROUP_WORDS.search(text, start, end):
            out |= {m for m in mentions if m.kind == "comparator" and start <= m.start and m.end <= end}
    return out


def _injected_contents(text: str, mentions: Iterable[Mention]) -> set[Mention]:
    """Comparator mentions that name what another treatment holds ("a mixture of dexamethasone and
    lidocaine", "drugs given in the nerve block", where the block is named right after)."""
    mentions = list(mentions)
    starts = {n.start for n in mentions if n.kind in ("intervention", "generic", "comparator")}
    out: set[Mention] = set()
    for m in mentions:
        if m.kind != "comparator":
            continue
        used = _USED_IN.match(text, m.end)
        if _INJECTATE_BEFORE.search(text, max(0, m.start - 40), m.start) or used and used.end() in starts:
            out.add(m)
    return out


def _what_differed(text: str, mentions: Iterable[Mention]) -> set[Mention]:
    """Comparator mentions named as what differed between the arms ("differences were found for
    satisfaction and surgery"), where no arm is named between the difference and the mention."""
    mentions = list(mentions)
    out: set[Mention] = set()
    for m in mentions:
        if m.kind != "comparator":
            continue
        said = _DIFFERED_FOR.search(text, max(0, m.start - 90), m.start)
        if said and not _GROUP_WORDS.search(text, said.start(), m.start) and not any(
                said.start() <= n.start < m.start and n.kind in ("intervention", "generic", "comparator") for n in mentions):
            out.add(m)
    return out


def _usual_care_contents(text: str, found: list[Mention]) -> set[Mention]:
    """Comparator mentions that say what a usual-care mention before them consists of."""
    bases = [m for m in found if m.label == "usual_care"]
    return {m for m in found if m.label != "usual_care"
            and any(b.end <= m.start and _CONTENT_OF.match(text[b.end:m.start]) for b in bases)}


def _experimental_extras(text: str, mentions: Iterable[Mention]) -> set[Mention]:
    """Comparator mentions that the experimental arm's description adds after its needling ("the
    treatment group was treated with acupuncture and massage"); a treatment named first ("received
    routine care and home visits") is the base both arms share and stays a comparator."""
    mentions = list(mentions)
    out: set[Mention] = set()
    for arm in _EXPERIMENTAL_ARM.finditer(text):
        end = _ARM_CLAUSE_END.search(text, arm.end())
        stop = end.start() if end else len(text)
        needles = [m.end for m in mentions if m.kind in ("intervention", "generic") and arm.end() <= m.start < stop]
        out |= {m for m in mentions if m.kind == "comparator" and arm.end() <= m.start < stop and any(e <= m.start for e in needles)}
    return out


# One treatment named with and without the same addition as the two arms: "a CT-guided injection
# with botulinum toxin" and "an injection without Botox", "acupuncture with moxibustion" and "acupuncture
# without moxibustion"; the arms written as "Group S(+)" and "Group S(-)"; "between LA and LA + CS",
# "lidocaine versus lidocaine plus a steroid".
_ARM_NOUN = r"(?:injections?|blocks?|infiltrations?|treatment|therapy|care|needling|acupuncture)"
_WITHOUT = re.compile(rf"\b{_ARM_NOUN}\s+without\s+(?:the\s+|an?\s+|added\s+|additional\s+)?(?P<w>[a-z][\w-]{{2,}})", re.IGNORECASE)
_PLUS_MINUS = re.compile(r"\b(?P<g>[A-Za-z][\w-]{0,15})\s*\(\s*\+\s*\)(?=[^.]*?\b(?P=g)\s*\(\s*[-\u2212\u2013]\s*\))")
_SELF_PLUS = re.compile(
    r"\b(?:between|compar\w*|either|versus|vs\.?)\b[^.;]{0,60}?\b(?P<b>[A-Za-z][\w-]+)\s*\)?\s+(?:and|or|versus|vs\.?|with|to)\s+"
    r"(?P=b)\s*(?:\+|plus\b|combined with\b|together with\b|with (?:an? )?(?:added|additional)\b)\s*[A-Za-z]",
    re.IGNORECASE)


def _with_and_without(text: str) -> bool:
    """Whether the record names one treatment with and without the same addition as its arms."""
    if _PLUS_MINUS.search(text) or _SELF_PLUS.search(text):
        return True
    for m in _WITHOUT.finditer(text):
        word = re.escape(m.group("w")[:5])
        if re.search(rf"\b{_ARM_NOUN}\s+(?:with|plus|and)\s+(?:the\s+|an?\s+|added\s+|additional\s+)?{word}", text, re.IGNORECASE):
            return True
    return False


def _arm_extends_other(text: str) -> bool:
    """Whether one arm's description is another's plus more: "(standard physical therapy, n = 29)"
    and "(standard physical therapy and DN, n = 29)"; "the control group was treated with lumbar
    traction, and the combination group ... with lumbar traction plus warm needling"."""
    return bool(_extended_arms(text))


@lru_cache(maxsize=256)
def _extended_arms(text: str) -> tuple[tuple[str, str], ...]:
    """(base, added) for each arm whose description is another arm's (``base``) plus more
    (``added``, the words beyond the base). Where what is added is an arm of its own ("A plus B",
    "A" and "B" groups), the trial compares all three: no arm is just another plus more. A name
    counts as such a third arm where it stands as an arm (listed, sized, or given its treatment),
    not as a later short name of the combined arm ("The electro acupuncture group major point is")."""
    arms = [_USUAL_KIND.sub("", (m.group(1) or m.group(2)).strip().lower()) for m in _ARM_DESCRIPTION.finditer(text)]
    arms += [_USUAL_KIND.sub("", m.group("t").strip().lower()) for m in _ARM_TREATED.finditer(text)]
    named = [(_USUAL_KIND.sub("", m.group("t").strip().lower()), _AS_ARM.match(text, m.end()) is not None) for m in _ARM_NAMED.finditer(text)]
    third_arms = arms + [name for name, as_arm in named if as_arm]
    # A name given its own treatment right after it ("The acupressure group received routine care
    # and acupressure") is that arm's short name, not a third arm.
    own: dict[str, set[str]] = {}
    for m in _ARM_NAMED.finditer(text):
        given = _ARM_TREATED.match(text, m.end() - len(m.group(0).split()[-1]))
        if given:
            own.setdefault(_USUAL_KIND.sub("", m.group("t").strip().lower()), set()).add(_USUAL_KIND.sub("", given.group("t").strip().lower()))
    arms += [name for name, _ in named]
    out = []
    for a in arms:
        for b in arms:
            if a == b:
                continue
            if b.startswith(a) and _ADDED.match(b[len(a):]):
                more = b[len(a):]
            elif b.endswith(a) and _ADDED_BEFORE.search(b[: -len(a)]):
                more = b[: -len(a)]
            else:
                continue
            if not any(c not in (a, b) and not own.get(c, set()) & {a, b} and re.search(rf"\b{re.escape(c)}\b", more)
                       for c in third_arms):
                out.append((a, more))
    return tuple(out)


def _extension_classes(text: str, vocab: Vocabulary) -> tuple[set[str], bool]:
    """Comparator classes named only in what an extended arm adds to its base ("acupuncture
    assisted by core exercise" against "acupuncture": exercise is the experimental arm's), and
    whether a base arm is itself needled (then the comparison is against another acupuncture)."""
    added: set[str] = set()
    needled_base = False
    for base, more in _extended_arms(text):
        base_mentions = sentence_mentions(base, vocab)
        base_classes = {m.label for m in base_mentions if m.kind == "comparator"}
        added |= {m.label for m in sentence_mentions(more, vocab) if m.kind == "comparator"} - base_classes
        needled_base = needled_base or any(m.kind in ("intervention", "generic") for m in base_mentions)
    return added, needled_base


# Words that qualify an arm's treatment without changing it: "the combination of acupuncture and
# massage" extends "normal acupuncture".
_USUAL_KIND = re.compile(r"^(?:the |a )?(?:combination of |combined use of )?(?:the )?(?:(?:normal|conventional|ordinary|common|routine|simple|standard|regular|usual)\s+)?")
# "(standard physical therapy, n = 29)": an arm's treatment and size in brackets; "a control
# group(conventional intervention)", "the exercise group (back exercise, 32 cases)": an arm's
# treatment in brackets after its name.
_ARM_DESCRIPTION = re.compile(r"\(\s*([A-Za-z][^(),;=]{3,60}?)\s*[,;]\s*n\s*=\s*\d+\s*\)|\bgroups?\s*\(\s*([A-Za-z][^(),;=]{3,80}?)\s*(?:[,;]\s*(?:n\s*=\s*)?\d+(?:\s*(?:cases|patients|participants))?\s*)?\)")
# "the control group was treated with hot packs": an arm and what it received.
_ARM_TREATED = re.compile(r"\bgroups?\s+(?:(?:was|were)\s+(?:treated with|given|managed with)|received)\s+(?P<t>[A-Za-z][^,.;()]{2,120}?)(?=\s*(?:[,.;(]|\band\b(?=\s+the\b)|$))", re.IGNORECASE)
# "the EA plus stretching drills group (group 1) and the EA group (group 2)": arms named
# by their treatment, where one name is another's plus more.
_ARM_NAMED = re.compile(r"\b(?:the|an?)\s+(?P<t>(?:(?!(?:the|an?|and|or|of|in|to)\b)[A-Za-z][\w-]*\s+){0,6}?[A-Za-z][\w-]*)\s+groups?\b", re.IGNORECASE)
# What follows an arm's name where it stands as an arm: a list, a size, its treatment.
_AS_ARM = re.compile(r"\s*(?:[(,;.:]|$|\d|(?:and|or|versus|vs|was|were|received|receiving|had|underwent|will)\b)", re.IGNORECASE)
# "EA combined with caudal epidural injection" against "caudal epidural injection".
_ADDED_BEFORE = re.compile(r"\S\s+(?:combined with|plus|and|added to|on top of|together with)\s+$|\S\s*\+\s*$", re.IGNORECASE)
_ADDED = re.compile(r"\s+(?:and|plus|with|combined with|together with|along with|in combination with|in addition to|assisted (?:by|with)|supplemented (?:by|with))\s+\S|\s*\+\s*\S", re.IGNORECASE)


def _forms_compared(text: str, mentions: list[Mention]) -> bool:
    """Whether a sentence sets two different acupuncture forms against each other as arms."""
    forms = [m for m in mentions if m.kind == "intervention"]
    if len({m.label for m in forms}) < 2 or not _COMPARISON.search(text):
        return False
    return any(
        a.label != b.label and not _NOT_ARMS.search(text[a.end:b.start]) and (
            # "X or Y group", "X versus Y"; "X and Y" only after the word that compares them
            # ("compared the effects of X and Y"), not in a list ("acupuncture, EA and dry needling").
            (joined := _FORMS_JOINED.match(text[a.end:b.start]))
            and (joined.group("word").lower() != "and" or _COMPARISON.search(text, 0, a.start))
            # "We compared patients given X with patients given Y"
            or _COMPARED_BEFORE.search(text, max(0, a.start - 60), a.start) and _WITH_BETWEEN.match(text[a.end:b.start])
            # "randomly assigned to the X, Y, or sham group": forms listed as the arms of an allocation.
            or text[a.end:b.start].strip() == "," and _ALLOCATES.search(text, 0, a.start) is not None
            and _LISTED_ARMS_END.match(text, b.end) is not None
        )
        for a, b in pairwise(forms)
    )


# The control arm's own description, where the arm it names is needled too: "simple body acupuncture
# group (control group)", "In control group, body acupuncture was applied", "the control group was
# treated with ordinary acupuncture", "... group and conventional acupuncture group".
_SALINE = re.compile(r"\bsaline\b", re.IGNORECASE)
_CONTROL_ARM = re.compile(
    r"\bgroup\s*\(\s*(?:the\s+)?controll?e?d? group\s*\)"
    r"|\b(?:in|for) (?:the )?control group\s*,?\s*(?P<in>[^.;]{0,60}?)\s+(?:was|were) (?:applied|given|used|performed|administered)\b"
    r"|\bcontrol group (?:was|were) (?:treated with|given|managed with)\s+(?P<with>[^.;,]{0,60})"
    # "divided into FSN group and conventional acupuncture (CA) group": the second arm, named as the usual kind.
    r"|\band (?:an? |the )?(?P<usual>(?:conventional|ordinary|routine|common|simple|standard) [^.;,]{0,30}?)\s*group\b"
    # "randomly split into the sham needling group and the warm-needle group"
    r"|\b(?P<named>[\w-]+(?:\s+[\w-]+)?)(?=\s+control groups?\b)"
    # "compare floating needle therapy and common acupuncture", "between balance acupuncture and
    # traditional acupuncture": the usual kind of needling as the second member of a comparison.
    r"|\b(?:compar\w*|between|versus|vs\.?)\b[^.;]{0,120}?\b(?:and|versus|vs\.?|with|to|than)\s+(?:the\s+)?"
    r"(?P<versus>(?:conventional|traditional|ordinary|common|normal|regular|routine|standard|simple|general)\s+[^.;,]{0,25})"
    # "control interventions (such as manual needling or electroacupuncture)": a review's
    # controls named by example.
    r"|\bcontrol\s+(?:measures|interventions|treatments|therapies|groups|arms|conditions)\s*(?:\(\s*|,\s*)?(?:such as|e\.g\.,?|including|like)\s+"
    r"(?P<examples>[^.;)]{0,80})",
    re.IGNORECASE,
)


def _control_arm_needled(text: str, mentions: list[Mention]) -> bool:
    """Whether a sentence describes the control arm as an acupuncture arm (of another kind)."""
    needles = [m for m in mentions if m.kind in ("intervention", "generic") and not m.negated]
    if not needles:
        return False
    for m in _CONTROL_ARM.finditer(text):
        named = next((g for g in ("in", "with", "usual", "named", "versus", "examples") if m.group(g) is not None), None)
        if named is not None:
            part = m.span(named)
        else:
            # "... acupuncture group (control group)": the arm name just before the bracket.
            part = (max(0, m.start() - 40), m.start())
        # "normal saline-pharmacopuncture-treated group (control group)" is a placebo arm.
        if _DUMMY_WORD.search(text, *part) or _SALINE.search(text, *part):
            continue
        if any(part[0] <= n.start and n.end <= part[1] for n in needles):
            return True
    return False


# "Group A had 4 sessions of acupotomy, while Group B had 6 acupotomy sessions": one form given in
# two amounts. A number of sessions (or times, treatments, needles) per arm, and two arms set apart.
_DOSE = re.compile(rf"\b(?P<n>{COUNT})\s+(?:[\w-]+\s+){{0,2}}?(?:sessions|treatments|times|needles|courses)\b", re.IGNORECASE)
_TWO_ARMS = re.compile(r"\b(?:while|whereas|versus|vs\.?|compared (?:with|to)|group [B2]|the other group|(?:low|high)[- ]dose)\b", re.IGNORECASE)


def _doses_compared(text: str, mentions: list[Mention]) -> bool:
    """Whether a sentence gives one acupuncture form to two arms in different amounts."""
    forms = [m.label for m in mentions if m.kind == "intervention"]
    if len(forms) < 2 or len(set(forms)) != 1 or not _TWO_ARMS.search(text):
        return False
    doses = {parse_count(m.group("n")) for m in _DOSE.finditer(text)}
    return len(doses - {None}) >= 2


_LISTED_ARMS_END = re.compile(r"[^.;]{0,60}?\b(?:or|and)\b[^.;]{0,40}?\bgroups\b|[^.;]{0,60}?,?\s+or\s+[^.;]{0,40}?\bgroup\b", re.IGNORECASE)
_COMPARED_BEFORE = re.compile(r"\bcompar(?:e|ed|ing)\b", re.IGNORECASE)
_WITH_BETWEEN = re.compile(r"^[^;,]{0,40}?\bwith\b[^;,]{0,30}$", re.IGNORECASE)


def _gated_search(pattern: re.Pattern, text: str, folded: str) -> re.Match | None:
    """``pattern.search(text)``, skipped when the words it needs are not in ``folded``."""
    return pattern.search(text) if could_match(_gate_of(pattern), folded) else None


def _gate_of(pattern: re.Pattern) -> Gate:
    """The gate of one pattern (``evidence.topic.literals.gate``), made once."""
    if pattern not in _GATES:
        _GATES[pattern] = gate((pattern,))
    return _GATES[pattern]


_GATES: dict[re.Pattern, Gate] = {}


def _generic_listed_with_form(text: str, mentions: list[Mention]) -> bool:
    arms = [m for m in mentions if m.kind in ("generic", "intervention")]
    return any(
        {a.kind, b.kind} == {"generic", "intervention"} and _LISTED_WITH.match(text[a.end : b.start])
        for a, b in pairwise(arms)
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# --------------------------------------------------------------------------------------------
# Effect statements
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One effect statement found in one sentence.

    ``span_start``/``span_end`` index ``record_text(title, abstract)``; ``sentence`` is that slice.
    """

    pmid: str
    outcome: str
    span_start: int
    span_end: int
    sentence: str
    rule: str
    measure: str | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_value_text: str | None = None
    direction: str | None = None
    lower_is_better: bool | None = None
    timepoint: str | None = None
    timepoint_weeks: float | None = None
    intervention: str | None = None
    comparator_class: str | None = None
    add_on: bool | None = None
    confidence: float | None = None
    # The outcome as the sentence words it ("procedure time"): the only name of an outcome the topic
    # has no key for (``outcome`` "other"), and the words that named a vocabulary outcome otherwise.
    outcome_text: str | None = None

    @property
    def comparison(self) -> str | None:
        """'<intervention> vs <comparator class>' when both are known."""
        if self.intervention and self.comparator_class:
            return f"{self.intervention} vs {self.comparator_class}"
        return None


_NUMBER = r"[-−–]?\s?\d+(?:\.\d+)?"
# A bare "difference" is a risk difference for a proportion and a mean difference for a score:
# which one is known only once the outcome is.
_DIFFERENCE = "difference"
_MEASURE_NAMES = {
    "md": "MD", "wmd": "MD", "mean difference": "MD", "weighted mean difference": "MD", "difference": _DIFFERENCE,
    "between-group difference": "MD", "smd": "SMD", "standardized mean difference": "SMD",
    "standardised mean difference": "SMD", "standard mean difference": "SMD", "standard md": "SMD", "standardised md": "SMD", "standardized md": "SMD", "rr": "RR", "risk ratio": "RR", "relative risk": "RR",
    "or": "OR", "odds ratio": "OR", "hr": "HR", "hazard ratio": "HR", "rd": "RD", "risk difference": "RD",
}
# Abbreviations are case-sensitive ("OR", never "or"); spelled-out names are not.
_ESTIMATE = re.compile(
    # "standard MD" is a meta-analysis's short name for the standardised mean difference.
    r"(?P<measure>\b(?:(?i:standardi[sz]ed|standard) MD|WMD|SMD|MD|RR|OR|HR|RD)\b|(?i:\b(?:weighted mean difference|(?:standardi[sz]ed|standard) mean difference|"
    r"mean dif+erence|between-group dif+erence|risk ratio|relative risk|odds ratio|hazard ratio|risk difference|"
    # "average treatment effect, 2.3; 95% CI ...": a difference between the arms by another name.
    r"(?:average |adjusted |estimated )?treatment (?:effect|difference)|"
    # A threshold for what matters ("the minimal clinically important difference of 10 mm") is no result.
    r"(?<!important )(?<!relevant )(?<!detectable )(?<!meaningful )(?:adjusted )?dif+erence)\b))"
    # The spelled-out name may carry its abbreviation in brackets: "standardized mean difference (SMD) -2.4".
    r"(?:\s*[\[(]\s*(?:SMD|WMD|MD|RR|OR|HR|RD)\s*[\])])?"
    r"(?:\s+(?i:in|of|for|between|on|versus|vs\.?|compared with)\b[^0-9;=()\[\]]{0,60}?"
    # "difference in the average effect between the A group and the B group, -1.0": the two arms may take longer.
    r"|\s+(?i:in|of|for|between)\b[^0-9;=()\[\]]{0,60}?\b(?i:between)\b[^0-9;=()\[\]]{0,50}?\b(?i:groups?)\b[^0-9;=()\[\]]{0,50}?\b(?i:groups?|arms?)\b)?\s*(?:[=:,]|(?i:was|were|of|is))?\s*"
    # A number followed by a unit of time is when, not how much: "difference ... at 4 weeks"; one
    # after "than" is a threshold ("no difference between groups greater than 0.05"); one followed by
    # "to" and another number is the interval's lower bound ("95% CI for the difference 12.5 to 40.1");
    # one followed by "groups" or "patients" is a count ("the difference between the 3 groups").
    rf"(?<!\bthan\s)(?<!\bthan)(?P<est>{_NUMBER})(?!\d|\.\d|\s*-?\s*(?i:weeks?|months?|days?|years?|hours?)\b|\s+to\s+[-−–]?\d|\s+(?:[A-Za-z-]+\s+)?(?i:groups?|arms?|patients|participants|subjects|studies|trials|sessions|times)\b)(?:\s*(?:points?|mm|cm|%))?"
    r"(?:\s*[,;(\[]?\s*(?:95\s*%\s*)?(?i:CI|confidence interval(?:\s*[\[(]CI[\])])?)\s*[,:=]?\s*[(\[]?\s*"
    rf"(?P<lo>{_NUMBER})\s*(?:to|,|;|–|—|−|-)\s*(?P<hi>{_NUMBER})"
    # A named estimate with its interval in brackets and no CI label: "risk ratio 1.44 [1.09 to 1.83]".
    rf"|\s*[\[(]\s*(?P<lo2>{_NUMBER})\s*(?:to|,|;|–|—)\s*(?P<hi2>{_NUMBER})\s*[\])])?"
)
# A difference given with no measure named, only its interval and p-value in one bracket:
# "(-1.2 [-0.4 to -2.0], P = .01)". The p-value must follow, so that ranges and "mean (SD)" pairs
# stay out; what kind of difference it is follows from the outcome, as for a bare "difference".
_UNNAMED_ESTIMATE = re.compile(
    rf"\(\s*(?P<est>{_NUMBER})\s*[\[(]\s*(?P<lo>{_NUMBER})\s*(?:to|,)\s*(?P<hi>{_NUMBER})\s*[\])]\s*[,;]\s*(?=[Pp]\s*(?:<=|>=|[<>=≤≥]))"
)
_UNIT = r"(?:\s*(?:mm|cm|points?|%))?"
# A pooled or between-arm difference printed alone in a bracket with its interval in a nested one and
# nothing else: "(-3.1 [-5.0; -1.2])", "(0.9 [0.2 to 1.6])". Read only where the interval holds the
# number, no summary word (median, range, IQR) stands right before, and the sentence sets the arms
# against each other, so a median with its quartiles stays out.
_UNNAMED_BRACKETED = re.compile(
    rf"\(\s*(?P<est>{_NUMBER})\s*\[\s*(?P<lo>{_NUMBER})\s*(?:to|;|,|–|—)\s*(?P<hi>{_NUMBER})\s*\]\s*\)"
)
_SUMMARY_BEFORE = re.compile(r"\b(?:median|medians|mean|means|range|IQR|interquartile|quartiles?|aged?|years|SD)\b[^.;()]{0,25}$", re.IGNORECASE)
# One arm's own value, not a difference: the bracket follows an arm's name or is followed by one
# ("(3.1 [2.0; 4.2]) in the steroid group", "... versus (4.0 [3.1; 5.2])").
_ONE_ARM_AFTER = re.compile(r"\s*(?:in|for|with|among)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:groups?|arms?|patients|participants)\b|\s*(?:vs\.?|versus|and|compared (?:with|to))\s*\(\s*[-−–]?\s?\d", re.IGNORECASE)
_ONE_ARM_BEFORE = re.compile(r"(?:\b(?:groups?|arms?)|\b(?:vs\.?|versus)|\bcompared (?:with|to))\s*$", re.IGNORECASE)
_ARMS_COMPARED_WORD = re.compile(r"\b(?:superior|inferior|better|worse|differ\w*|compared|versus|vs\.?|than|favou?r\w*|placebo|sham|control)\b", re.IGNORECASE)
_UNNAMED_WITH_CI = re.compile(
    rf"\(\s*(?P<est>{_NUMBER}){_UNIT}\s*[;,]?\s*95\s*%\s*(?:CI|confidence interval(?:\s*[\[(]CI[\])])?)\s*[:=,]?\s*(?P<lo>{_NUMBER}){_UNIT}\s*(?:to|,|–|—)\s*(?P<hi>{_NUMBER}){_UNIT}"
    r"\s*(?:\)|[;,]\s*(?=[Pp]\s*(?:<=|>=|[<>=≤≥])))"
)
_BARE_WITH_CI = re.compile(
    rf"(?<![\w.])(?P<est>{_NUMBER}){_UNIT}\s*[(\[]\s*95\s*%\s*(?:CI|confidence interval)\s*[:=,]?\s*(?P<lo>{_NUMBER}){_UNIT}\s*(?:to|,|–|—)\s*(?P<hi>{_NUMBER}){_UNIT}")
_MORE_AFTER = re.compile(r"\s*(?:more|less|greater|fewer|larger|smaller|higher|lower)\s+than\b", re.IGNORECASE)
_DIFFERENCE_BEFORE = re.compile(r"\bdif+erences?\b[^.;()\[\]0-9]{0,150}?\b(?:was|were|of|is)\s*$", re.IGNORECASE)
# "The fall in VAS was greater by 0.7 (95% CI ...) in group A than in group B": a comparative with "by"
# right before the number gives how much one arm's score differs from the other's; only where the
# sentence sets the arms against each other and not against the time before treatment.
# So does "favoured acupuncture by 1.1 points (95% CI ...)".
_BY_BEFORE = re.compile(r"\b(?:higher|lower|greater|larger|smaller|better|worse|more|less)\s+by\s*$"
                        r"|\bfavou?r(?:ed|ing|s)?\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3}?\s+by\s*$", re.IGNORECASE)
_AGAINST_BASELINE = re.compile(r"\bfrom (?:the )?(?:baseline|pre-?treatment)\b|\bthan (?:at |those at |that at )?(?:baseline|before|pre-?treatment|prior)\b", re.IGNORECASE)
# A p-value whose letter was lost (pages drop the italic P): a sign and a decimal right after an
# estimate's interval, inside its bracket ("RR = 1.39, 95%CI [1.21, 1.58], < 0.00001)").
_BARE_P_AFTER_CI = re.compile(r"\s*[\])]?\s*[,;]\s*(?P<op><=|>=|[<>=≤≥])\s*(?P<p>0?\.\d+)(?=\s*[)\]])")
_DIFFERENCES_WORD = re.compile(r"\bdifferences?\b", re.IGNORECASE)
# "P < 0.05", "P-value = 0.3", and the plural "Ps > 0.05" of a statement about several comparisons.
# Digits may be grouped in threes ("P<0.000 01"): only after three zeros, where "P<0.000" alone means nothing.
# A space typeset after the point ("P<0. 05", as some journals' English abstracts print it) joins the digits.
_P_VALUE = re.compile(
    r"\b[Pp]s?\s*(?:-?\s*values?)?\s*(?P<op><=|>=|[<>=≤≥])\s*(?P<p>0?\.000 \d{1,3}|0?\.\d+|0\. \d+|1(?:\.0+)?)\b|\b[Pp]\s*=\s*(?P<ns>NS|n\.s\.)"
    # Said in words with no sign: "the p value for pain between the groups was 0.07" (a made-up
    # example). A few words without numbers may say what was compared; "less than" and the like
    # give the sign. A significance level set in the methods ("a P value of 0.05 was considered
    # significant") is no result, so a number followed by such a verb is left out.
    r"|\b[Pp][- ]?values?\b(?:\s+(?:for|of|in|on|between|after|at)\b[^0-9;=<>()\[\]]{0,80}?)?\s+(?:was|is|were|of)\s+"
    r"(?:(?P<word_op>less than|lower than|below|greater than|more than|above)\s+)?(?P<said>0?\.\d+|1(?:\.0+)?)\b(?!\.\d)"
    r"(?!\s*(?:was|were|is)?\s*(?:considered|set|defined|taken|regarded|accepted|deemed|used|chosen)\b)"
)
_WORD_OPS = {"less than": "<", "lower than": "<", "below": "<", "greater than": ">", "more than": ">", "above": ">"}
_NO_DIFFERENCE = re.compile(
    r"\bno (?:statistically )?significant (?:between-group )?(?:difference|change|effect|improvement)s?\b|\bnot (?:statistically )?significant(?:ly)?(?: different)?\b"
    r"|\bdid not (?:significantly )?differ\b|\bno (?:between-group )?differences?\b|\b(?:were|was) (?:similar|comparable)\b"
    r"|\bnon-?significant\b|\bnot superior\b|\bwas not better\b|\bno better than\b",
    re.IGNORECASE,
)
_TIMEPOINT = re.compile(
    # "between baseline and week 8", "from baseline to 8 weeks": the change up to that time.
    rf"\b(?:at|after|by|over|during|within|from baseline to|between baseline and)\s+(?:the\s+)?(?:(?P<n>{COUNT})[- ](?P<u>day|week|month|year)s?(?:\s+(?:of\s+)?(?:follow-?up|treatment|intervention))?)"
    r"|\b(?:at|by|in|after|from baseline to|between baseline and)\s+(?:the\s+)?(?:end of\s+)?week\s+(?P<week>\d+)\b|\b(?:in|at|by)\s+(?:the\s+)?(?P<nth>\d+)(?:st|nd|rd|th)\s+week\b"
    # "on day 30", "at day 15": a day counted from the start, as the week is above; also right after
    # a heading glued to the sentence ("ResultsOn day 15").
    r"|(?:\b|(?<=[a-z])(?=(?-i:On|At|By|After)\b))(?:at|on|by|after|from baseline to|between baseline and)\s+(?:the\s+)?(?:end of\s+)?day\s+(?P<day>\d+)\b"
    # "1 month after treatment", "six weeks post-randomization": a time counted from an event.
    rf"|\b(?P<n2>{COUNT})[- ](?P<u2>day|week|month|year)s?\s+(?:after|post-?|following)\s*(?:the\s+)?(?:(?:end of (?:the\s+)?)?(?:treatment|intervention|therapy)|randomi[sz]ation|injection|procedure)\b"
    r"|(?P<eot>\b(?:at )?(?:the )?end of (?:the )?(?:treatment|intervention|therapy)|post-?treatment|after treatment\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Stat:
    start: int
    end: int
    measure: str | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    p_value_text: str | None = None


def extract_effects(pmid: str, title: str | None, abstract: str | None, topic: Topic) -> list[Finding]:
    """Effect statements in a record, each with the sentence it came from.

    A finding needs an outcome named in the sentence and at least one of: an effect estimate,
    a p-value, a statement of (no) difference, or, for adverse events, a report of them.
    Sentences under aim or methods headings are skipped, so the outcomes a trial *plans* to
    measure are not read as results; under such a heading written inside unstructured text, only
    those without statistics of their own.

    Parameters
    ----------
    pmid:
        The record's PMID.
    title, abstract:
        Record text; spans index ``record_text(title, abstract)``.
    topic:
        Supplies outcome, arm and comparator vocabularies.

    Returns
    -------
    list of Finding
        ``direction`` is ``no_difference`` whenever the sentence's own statistics are not
        significant, whatever its wording; it is ``None`` when the favoured arm cannot be told.
    """
    vocab = vocabulary(topic)
    text = record_text(title, abstract)
    pico = extract_pico(text, topic)
    findings: list[Finding] = []
    previous: _Said | None = None
    primary = _primary_said(text, vocab)
    aliases = _instrument_aliases(text, vocab)
    scale_site = _site_of_bare_scales(text, vocab)
    pain_scale = _pain_scale(text)
    disability = _disability_instrument(text, vocab)
    # The one outcome a sentence with no statistics named ("Leg pain was the primary outcome.",
    # "Disability was scored with the ODI."), for the next sentence, which gives numbers and names none.
    named_before: _Said | None = None
    for sentence, mentions in analysed_sentences(text, vocab):
        if sentence.section == "TITLE" or (sentence.section or "").upper() in NON_RESULT_SECTIONS and not (
                # A results heading glued to the sentence before can be missed: under a heading read
                # from the text itself, a sentence with its own statistics is still read.
                sentence.inline_section and _stats(sentence.text)):
            previous = named_before = None
            continue
        naming, named_before = named_before, None
        if aliases:
            mentions = _with_aliases(sentence.text, mentions, aliases)
        mentions = _without_arms_inside_outcomes(mentions)
        mentions = _scale_of_the_named_pain(mentions)
        if scale_site:
            mentions = _bare_scale_at_its_site(mentions, scale_site)
        if _HAS_DIGIT.search(sentence.text):
            mentions = _with_pain_named_bare(sentence.text, mentions, vocab, pain_scale, disability)
        clauses = _clauses(sentence, mentions)
        # The p-value that closes a sentence cut at semicolons, for the clauses before it that compare
        # the arms in words and give no statistic of their own ("VAS of the study group was 2.8, lower than
        # 4.1 in the control group; its JOA was higher than the control group's (P<0.05)").
        tail = _closing_p(sentence.text) if len(clauses) > 1 else None
        for n, (clause, clause_mentions) in enumerate(clauses):
            outcomes = [m for m in clause_mentions if m.kind == "outcome"]
            said = None
            if not outcomes and previous is not None and (previous.sentence_start == sentence.start or _DIFFERENCE_SUBJECT.match(clause.text)):
                said = previous
            elif naming is not None and not any(m.kind == "outcome" for m in mentions) and _between_stat(clause.text) \
                    and not _other_findings(pmid, clause, clause_mentions, vocab, pico, None):
                # "The primary outcome was leg pain. At week 4 the difference was 1.2 points (95% CI 0.4
                # to 2.0)": a sentence that names no outcome, not even one outside the topic's words, and
                # gives a between-group statistic speaks of the one outcome the sentence before named.
                said = naming
            elif primary is not None and not findings and not any(m.kind == "outcome" for m in mentions) \
                    and any(st.ci_low is not None for st in _stats(clause.text)) and _ARMS_COMPARED_WORD.search(clause.text) \
                    and not _other_findings(pmid, clause, clause_mentions, vocab, pico, None):
                # "(Methods) The primary outcome was leg pain. (Results) At 6 weeks the difference between
                # the groups was 1.0 (95% CI 0.2 to 1.8)": the first result given with an interval, setting
                # the arms against each other and naming no outcome, is the primary outcome's.
                said = replace(primary, sentence_start=sentence.start, source="primary_named_before")
            reference = _PRIMARY_REFERENCE.search(clause.text) if primary is not None else None
            if primary is not None and reference and not {o.label for o in outcomes} & primary.labels \
                    and all(o.start > reference.end() for o in outcomes):
                # "no difference for the primary outcome measure (mean pain score ...; P=0.25)": the
                # outcome the abstract named as primary, not the looser words beside the numbers
                # (an outcome named before the reference is another one: "back pain fell, but the
                # primary outcome did not differ").
                clause_mentions = [m for m in clause_mentions if m.kind != "outcome"]
                # Its time point is the clause's, or else the one the primary outcome was named with
                # ("The primary outcome was the ODI at 12 weeks").
                when = _timepoint(clause.text)
                said = replace(primary, timepoint=when if when[0] is not None else primary.timepoint, sentence_start=sentence.start,
                               outcomes=tuple(replace(o, start=reference.start(), end=reference.end()) for o in primary.outcomes))
            # A clause with no time of its own is at the time the sentence set before it ("After treatment, X
            # improved in both groups (P<0.05), and X in group A was better than in group B (P<0.05)").
            opening = _timepoint_before(sentence.text, clause.start - sentence.start) if n else None
            got = _sentence_findings(pmid, clause, clause_mentions, vocab, pico, said,
                                     closing_p=tail if n < len(clauses) - 1 else None, when=opening)
            findings.extend(got)
            if outcomes and said is None and _HAS_DIGIT.search(clause.text):
                # The statistics no named outcome took may belong to outcomes the topic has no key for,
                # listed beside it: "no differences in heat thresholds (p = 0.81), pain (p = 0.27) ...".
                used = {(f.estimate, f.p_value_text) for f in got}
                findings.extend(_other_findings(pmid, clause, clause_mentions, vocab, pico, opening, skip=used))
            if outcomes:
                # Words about "the differences" after a comparison of each arm before and after treatment
                # speak of those changes, not of the arms against each other.
                previous = None if _WITHIN_STATED.search(clause.text) else _Said(tuple(outcomes), _timepoint(clause.text), sentence.start)
        named = [m for m in mentions if m.kind == "outcome"]
        if named and len({m.label for m in named}) == 1 and _NAMES_A_MEASURE.search(sentence.text) and not _stats(sentence.text) \
                and not _WITHIN_STATED.search(sentence.text) and not _ARMS_COMPARED_WORD.search(sentence.text) and "%" not in sentence.text:
            # Only a sentence that names what was measured and reports nothing itself (no share, no
            # arms set against each other).
            named_before = _Said((named[0],), _timepoint(sentence.text), sentence.start, source="sentence_before")
    return findings


# A sentence that says what was measured, or which outcome was the main one: "Leg pain was the primary
# outcome", "Our main end point was the effective rate", "Disability was scored with the ODI".
_NAMES_A_MEASURE = re.compile(
    r"\b(?:primary|main|principal|secondary)\s+(?:efficacy\s+)?(?:outcomes?|end\s?-?points?|measures?|variables?)\b"
    r"|\b(?:measured|assessed|scored|evaluated|rated|recorded|quantified|graded)\s+(?:with|by|using|on|in terms of)\b", re.IGNORECASE)


def _between_stat(clause: str) -> bool:
    """Whether a clause gives a confidence interval or a p-value."""
    return any(st.ci_low is not None or st.p_value_text for st in _stats(clause))


def _without_arms_inside_outcomes(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """The mentions less the arm words that lie inside an outcome's words: "opioid use" or "need for
    surgery" is what was measured, not the opioid or surgery arm."""
    outcomes = [m for m in mentions if m.kind == "outcome"]
    if not outcomes:
        return mentions
    return tuple(m for m in mentions if m.kind not in ("comparator", "intervention", "generic")
                 or not any(o.start <= m.start and m.end <= o.end and (o.start, o.end) != (m.start, m.end) for o in outcomes))


_SITED = {"pain_vas": ("leg_pain_vas", "back_pain_vas"), "pain_nrs": ("leg_pain_nrs", "back_pain_nrs")}


def _scale_of_the_named_pain(mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """The mentions with a scale named bare ("NRS") taken as the one site's pain the sentence names
    on that scale ("a fall in average leg pain on the NRS of 2.3, against an NRS of 1.1 in the control
    group (p<0.001)"): one outcome, not a second one of pain in general. Not where both sites are named."""
    labels = {m.label for m in mentions if m.kind == "outcome"}
    relabel = {}
    for bare, sited in _SITED.items():
        named = [x for x in sited if x in labels]
        if bare in labels and len(named) == 1:
            relabel[bare] = named[0]
    if not relabel:
        return mentions
    return tuple(replace(m, label=relabel[m.label]) if m.kind == "outcome" and m.label in relabel else m for m in mentions)


# "The primary outcome was leg pain intensity, measured on a numeric rating scale (NRS)": the scale is
# set to one site's pain, and a bare "NRS" in the results means that site's score.
_SCALE_OF_SITE = re.compile(
    r"^[^.;()]{0,60}?\b(?:assessed|measured|rated|scored|evaluated|quantified|recorded|graded)\s+(?:(?:with|on|by|using|via|through)\s+)?"
    r"(?:(?:a|an|the)\s+)?(?:\d+[-–]\w+\s+|(?:11|10|100)[- ]point\s+)?$|^\s*(?:,\s*)?(?:(?:with|on|by|using)\s+(?:(?:a|an|the)\s+)?)$|^\s*\(\s*$",
    re.IGNORECASE)
_SITE_OF = {"leg_pain": "leg", "back_pain": "back"}


@lru_cache(maxsize=1024)
def _site_of_bare_scales(text: str, vocab: Vocabulary) -> tuple[tuple[str, str], ...]:
    """Bare pain scales the record sets to one site's pain, as (bare label, sited label) pairs.

    Only where every such definition in the record names the same site and the record never
    names the scale for the other site ("back pain NRS"): then "NRS" alone is that site's score."""
    sites: dict[str, set[str]] = {}
    named: set[str] = set()
    for sentence, mentions in analysed_sentences(text, vocab):
        outcomes = [m for m in mentions if m.kind == "outcome"]
        named |= {m.label for m in outcomes}
        for a, b in pairwise(outcomes):
            between = sentence.text[a.end:b.start]
            # "leg pain, assessed with the NRS", or the scale's abbreviation defined right after the
            # sited scale's full name ("leg pain on a visual analogue scale (VAS)").
            if b.label in _SITED and (a.label in _SITE_OF and _SCALE_OF_SITE.search(between)
                                      or a.label in _SITED[b.label] and re.fullmatch(r"\s*\(\s*", between)):
                sites.setdefault(b.label, set()).add(next(site for site in _SITE_OF if a.label.startswith(site)))
    pairs = []
    for bare, found in sites.items():
        if len(found) != 1:
            continue
        site = next(iter(found))
        sited = next(x for x in _SITED[bare] if x.startswith(site))
        if not any(label.startswith(other) for label in named for other in _SITE_OF if other != site):
            pairs.append((bare, sited))
    return tuple(pairs)


def _bare_scale_at_its_site(mentions: tuple[Mention, ...], scale_site: tuple[tuple[str, str], ...]) -> tuple[Mention, ...]:
    """The mentions with each bare scale the record set to one site taken as that site's score."""
    relabel = dict(scale_site)
    return tuple(replace(m, label=relabel[m.label]) if m.kind == "outcome" and m.label in relabel else m for m in mentions)


# An outcome named by its instrument in brackets: "low back dysfunction (Roland-Morris score)",
# "disability (ODI)". The lay name may then stand alone in the results.
_NAMED_INSTRUMENT = re.compile(r"\b(?P<name>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2})\s*\(\s*(?P<inst>[^()]{2,80}?)\s*\)")
# The lay names that may stand for an instrument: disability scales go by them ("dysfunction scores",
# "disability eased"). Other words ("pain relief (VAS)", "complications (...)") name more than the
# instrument and, read as it, gave wrong rows on EBM-NLP abstracts.
_LAY_NAMES = frozenset({"dysfunction", "disability", "disabilities"})


@lru_cache(maxsize=1024)
def _instrument_aliases(text: str, vocab: Vocabulary) -> tuple[tuple[re.Pattern, str], ...]:
    """(pattern of a lay name, outcome label) for each outcome a record names by its instrument in
    brackets: "disability (Oswestry Disability Index)" lets "disability eased by 9.8 points" be the ODI."""
    if "(" not in text or not any(word in text.lower() for word in _LAY_NAMES):
        return ()
    out: dict[str, str] = {}
    for m in _NAMED_INSTRUMENT.finditer(text):
        head = m.group("name").split()[-1].lower()
        if head not in _LAY_NAMES or head in out:
            continue
        named = [x for x in sentence_mentions(m.group("inst"), vocab) if x.kind == "outcome"]
        if len({x.label for x in named}) != 1 or any(x.kind == "outcome" for x in sentence_mentions(m.group("name"), vocab)):
            continue
        out[head] = named[0].label
    return tuple((re.compile(rf"\b{re.escape(head)}\b", re.IGNORECASE), label) for head, label in out.items())


def _with_aliases(s: str, mentions: tuple[Mention, ...], aliases: tuple[tuple[re.Pattern, str], ...]) -> tuple[Mention, ...]:
    """The sentence's mentions with an outcome added wherever a lay name from ``aliases`` stands
    outside every outcome the vocabulary found."""
    added = [Mention("outcome", label, m.start(), m.end(), m.group()) for pattern, label in aliases for m in pattern.finditer(s)
             if not any(x.kind == "outcome" and x.start < m.end() and m.start() < x.end for x in mentions)]
    return tuple(sorted((*mentions, *added), key=lambda x: x.start)) if added else mentions


# Pain said with no scale in a results sentence ("greater pain relief (MD -1.2 ...)", "more effective
# for leg pain (P < 0.05)", "[back pain, P = 0.6; ...]") is read on the scale the record names for
# pain: the VAS when it names the VAS (or no scale at all), the NRS when it names only the NRS. Only
# pain in general, or of the leg or back; the word before must not name another site ("body pain" of
# the SF-36, "calf pain"), and what follows must not make it something else ("pain medication").
_BARE_PAIN = re.compile(
    r"(?<![\w-])(?:(?P<site>leg|radiating|radicular|sciatic|(?:low(?:er)?\s+)?back)\s+)?pain"
    r"(?:\s+(?:relief|reduction|relieving effects?|intensity|scores?|levels?))?(?![\w-])"
    r"(?!\s+(?:medications?|medicines?|killers?|drugs?|management|clinics?|physicians?|specialists?|thresholds?|"
    r"pressure|duration|history|catastroph\w*|disability|interference|self-efficacy|diar(?:y|ies)|free|tolera\w+)\b)",
    re.IGNORECASE,
)
# Words that may stand right before a bare pain word: articles, prepositions and the words that
# compare or change it. Any other word ("body", "muscle", "patients with") names something else.
_BEFORE_BARE_PAIN = frozenset({
    "the", "in", "of", "on", "for", "and", "or", "to", "their", "its", "greater", "more", "better", "less", "lower", "higher",
    "stronger", "larger", "smaller", "reduced", "reducing", "decreased", "decreasing", "relieving", "relieved", "improved",
    "improving", "significant", "overall", "sustained", "both", "mean", "average", "worst", "was", "were", "whose",
})
_BEFORE_BARE_PAIN |= {"term", "short-term", "long-term", "lowering", "lowered", "easing", "eased", "alleviating", "alleviated", "reduce", "relieve"}
# Pain counted or timed, not scored: "time to pain relief", "duration of pain relief", "complained of pain".
_NOT_A_PAIN_SCORE = re.compile(
    r"\b(?:duration|time|onset|incidence|frequency|episodes?|history|absence|free|complain\w*|complaints?|number|"
    r"proportion|percentage|rates?|site|location)\s+(?:of|to|from|with)\s+(?:the\s+)?$"
    r"|\b(?:until|interval|time)\b[^.;,()]{0,30}$", re.IGNORECASE)
# "a stronger effect on the leg pain than sham": more effect on pain is more relief.
_EFFECT_ON = re.compile(r"\b(?:effects?|efficacy|effectiveness)\s+(?:on|in|for)\s+(?:the\s+)?$", re.IGNORECASE)


_RELIEF = re.compile(r"\b(?:relief|relieving|reduction)\b", re.IGNORECASE)


@dataclass(frozen=True)
class _BareMention(Mention):
    """Pain said with no scale, read on the record's scale: a finding only with a statistic of its own."""


_VAS_NAMED = re.compile(r"\bVAS\b|\bvisual analog(?:ue)? (?:scale|score)", re.IGNORECASE)
_NRS_NAMED = re.compile(r"\bN?P?RS\b|\bnumeric(?:al)? (?:pain )?rating scale", re.IGNORECASE)
_SCALED = {None: ("pain_vas", "leg_pain", "back_pain"), "vas": ("pain_vas", "leg_pain_vas", "back_pain_vas"),
           "nrs": ("pain_nrs", "leg_pain_nrs", "back_pain_nrs")}


# Pain rated from 0 to 10 with no scale named ("intensity of leg pain, scored on a scale from 0 to 10",
# "pain intensity (range, 0 [none] to 10 [worst])"): eleven whole numbers are a numeric rating scale.
_ZERO_TO_TEN = re.compile(
    r"\bpain\b[^.;]{0,40}?\b(?:scale|range|rated|scored)\b[^.;\d]{0,15}?(?<![\d.])0\s*(?:\[[^\]]{0,40}\]\s*|\([^)]{0,40}\)\s*)?"
    r"(?:to|-|–)\s*10\b(?![.,]\d)(?!\s*(?:cm|mm)\b)", re.IGNORECASE)


def _pain_scale(text: str) -> str:
    """The pain scale a record names: "vas" (named at all), "nrs" (named alone, or pain scored from
    0 to 10 with no scale named), or "" for none."""
    if _VAS_NAMED.search(text):
        return "vas"
    return "nrs" if _NRS_NAMED.search(text) or _ZERO_TO_TEN.search(text) else ""


_DISABILITY_INSTRUMENTS = ("odi", "rmdq")
_BARE_DISABILITY = re.compile(r"(?<![\w-])disability(?![\w-])(?!\s+(?:index|questionnaire|scale|pension|benefits?|leave)\b)", re.IGNORECASE)


def _disability_instrument(text: str, vocab: Vocabulary) -> str | None:
    """The one disability instrument a record names (ODI or RMDQ), if it names exactly one."""
    if "disab" not in text.lower():
        return None
    named = {m.label for m in sentence_mentions(text, vocab) if m.kind == "outcome" and m.label in _DISABILITY_INSTRUMENTS}
    return named.pop() if len(named) == 1 else None


def _with_pain_named_bare(s: str, mentions: tuple[Mention, ...], vocab: Vocabulary, scale: str,
                          disability: str | None = None) -> tuple[Mention, ...]:
    """The sentence's mentions with pain said bare read as an outcome on the record's scale, when the
    sentence has a statistic and the words stand outside every other mention; and an unscaled leg or
    back pain outcome read on that scale, when the record names one."""
    if not _stats_of(s):
        return mentions
    general, leg, back = _SCALED[scale or None]
    mentions = tuple(replace(m, label=(leg if m.label == "leg_pain" else back)) if m.kind == "outcome" and scale
                     and m.label in ("leg_pain", "back_pain") and (leg if m.label == "leg_pain" else back) in vocab.lower_is_better
                     else m for m in mentions)
    added = []
    for m in _BARE_PAIN.finditer(s):
        if any(x.start < m.end() and m.start() < x.end for x in mentions):
            continue
        word = re.search(r"([A-Za-z][\w-]*)\s+$", s[max(0, m.start() - 40) : m.start()])
        if word and word.group(1).lower() not in _BEFORE_BARE_PAIN or _NOT_A_PAIN_SCORE.search(s, max(0, m.start() - 40), m.start()):
            continue
        site = (m.group("site") or "").lower()
        label = general if not site else back if site.endswith("back") else leg
        if label in vocab.lower_is_better:
            added.append(_BareMention("outcome", label, m.start(), m.end(), m.group()))
    # "reducing disability (p > 0.05)" in a record that measured disability with one instrument only.
    for m in _BARE_DISABILITY.finditer(s) if disability else ():
        if not any(x.start < m.end() and m.start() < x.end for x in (*mentions, *added)):
            added.append(_BareMention("outcome", disability or "", m.start(), m.end(), m.group()))
    return tuple(sorted((*mentions, *added), key=lambda x: x.start)) if added else mentions


@dataclass(frozen=True)
class _Said:
    """What the clause before spoke about, for a clause that only says "the difference was ...";
    or the outcome the abstract named as primary, for a clause about "the primary outcome"."""

    outcomes: tuple[Mention, ...]
    timepoint: tuple[str | None, float | None]
    sentence_start: int
    source: str = "previous_clause"

    @property
    def labels(self) -> set[str]:
        return {o.label for o in self.outcomes}


# "for the primary outcome measure", "the primary end point did not differ".
_PRIMARY_REFERENCE = re.compile(r"\b(?:primary|main)\s+(?:efficacy\s+)?(?:outcome|end\s?-?point)s?(?:\s+(?:measures?|variables?))?\b", re.IGNORECASE)


def _primary_said(text: str, vocab: Vocabulary) -> _Said | None:
    """The first outcome of the vocabulary in the phrase that names the primary outcome, if any."""
    primary = primary_outcome(text)
    if primary is None:
        return None
    named = next((m for m in sentence_mentions(primary.text, vocab) if m.kind == "outcome"), None)
    return _Said((named,), _timepoint(primary.text), -1, source="primary_outcome") if named else None


# "That gap was significant (P < 0.001)": the outcome is the previous sentence's.
# Also "Moreover the two arms differed significantly (P<0.05)" and "In
# comparison, the efficacy of the X group was superior (P < 0.01, P < 0.05)".
_DIFFERENCE_SUBJECT = re.compile(
    r"^\s*(?:(?:and|but|however|in comparison|by comparison|moreover|also)\b[,\s]*)?"
    # A time said first: "By the end of week 6, the comparison of the two groups was significant (P=0.01)".
    r"(?:(?:at the end of|after|at|by)\s+(?:the\s+)?[\w-]+(?:\s+[\w-]+){0,3}?\s*,\s*)?"
    r"(?:(?:(?:the|this|these|such|a)\s+)?(?:(?:between|inter)[- ]?groups?\s+)?differences?\b"
    r"|(?:the\s+)?comparisons?\s+(?:between|of)\s+(?:the\s+)?(?:two\s+|three\s+|both\s+)?groups\s+(?:was|were|is|are|showed)\b"
    # "Gains in all the above indicators ...": a pointer back to the outcomes just named.
    r"|(?:the\s+)?(?:improvements?|changes?|gains?)\s+(?:of|in)\s+(?:all\s+)?(?:of\s+)?the\s+above\s+(?:items|indexes|indices|indicators|outcomes|scores|measures)\b"
    r"|there (?:was|were|is|are) (?:an? )?(?:statistically )?significant(?:ly)? differences?\b"
    r"|the (?:overall )?(?:efficacy|effect|curative effect|therapeutic effect) of the [\w-]+(?:\s+[\w-]+){0,3}? group\b"
    # An arm said to beat the other with no outcome named: "After treatment, the treatment group was
    # superior to the control group (P<0.05)": the outcomes are those just named.
    r"|(?:the\s+)?"
    r"(?:improvements? of the above (?:items|indexes|indices|indicators|outcomes|scores) in the )?"
    r"[\w-]+(?:\s+[\w-]+){0,3}? groups?\s+(?:(?:was|were|is|are)\s+)?(?:all\s+)?(?:significantly\s+|obviously\s+|markedly\s+)?"
    r"(?:superior|better|inferior|worse)\b)",
    re.IGNORECASE,
)
# Semicolons outside brackets part statements that each carry their own numbers.
_CLAUSE_BREAK = re.compile(r"[()\[\];]")


def _clauses(sentence: Sentence, mentions: tuple[Mention, ...]) -> list[tuple[Sentence, list[Mention]]]:
    """The sentence cut at semicolons outside brackets, each part with its own mentions (offsets rebased)."""
    s, cuts, depth = sentence.text, [], 0
    for m in _CLAUSE_BREAK.finditer(s):
        mark = m.group()
        depth += mark in "([" and 1 or mark in ")]" and -1 or 0
        depth = max(depth, 0)
        if mark == ";" and depth == 0:
            cuts.append(m.start())
    # "... fell in each group (P<0.05), and the ODI of group A was lower than group B's (P<0.05)": a
    # bracketed p-value then ", and" (or "while", "whereas", "but") and a new subject starts another clause.
    for m in _P_CLAUSE_END.finditer(s):
        cuts.append(m.start("cut"))
    cuts.sort()
    if not cuts:
        return [(sentence, list(mentions))]
    parts = []
    for a, b in zip([0, *(c + 1 for c in cuts)], [*cuts, len(s)]):
        while a < b and s[a].isspace():
            a += 1
        if a >= b:
            continue
        part = Sentence(sentence.start + a, sentence.start + b, s[a:b], sentence.section)
        inside = [replace(m, start=m.start - a, end=m.end - a) for m in mentions if a <= m.start and m.end <= b]
        parts.append((part, inside))
    return parts


_P_CLAUSE_END = re.compile(r"\(\s*[Pp]\s*(?:<=|>=|[<>=≤≥])\s*0?\.\d+\s*\)\s*(?P<cut>,)\s*(?:and|while|whereas|but)\s+(?=the\b)", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)


def _respective_stats(s: str, outcomes: list[Mention], stats: list[_Stat]) -> list[_Stat] | None:
    """The statistics of "A and B ... (P = 0.04 and P = 0.02, respectively)", one per outcome in order.

    Only when every statistic of the sentence stands after the last outcome and before
    "respectively", and there are as many as outcomes; otherwise ``None`` (the usual pairing).
    """
    if len(outcomes) < 2 or not stats:
        return None
    said = _RESPECTIVELY.search(s, outcomes[-1].end)
    if said is None or not all(outcomes[-1].end <= st.start < said.start() for st in stats) or len(stats) != len(outcomes):
        return None
    return list(stats)


# What may stand between a p-value and the outcome it names: "for", "in", "both", "the" and up to
# three other words ("P = .05 for severity of pain").
_NAMED_AFTER_P = re.compile(r"\s*(?:for|in|on)\s+(?:(?:both|all|the)\s+)?(?:[A-Za-z][\w-]*\s+){0,3}?", re.IGNORECASE)


def _bound_p_values(s: str, mentions: list[Mention], stats: list[_Stat]) -> dict[str, list[_Stat]]:
    """The p-values that name their outcome right after them ("P = 0.472 for ODI and P = 0.318 for
    NRS", "P < 0.001 for both NRS and ODI"), by outcome label, in text order."""
    found = [m for m in mentions if m.kind == "outcome"]
    bound: dict[str, list[_Stat]] = {}
    for st in stats:
        if st.measure is not None or not st.p_value_text:
            continue
        lead = re.match(r"\s*(?:for|in|on)\s", s[st.end:])
        if lead is None:
            continue
        named = [m for m in found if st.end < m.start and _NAMED_AFTER_P.fullmatch(s, st.end, m.start)]
        if not named:
            continue
        run = [named[0]]
        for m in found[found.index(named[0]) + 1:]:
            if not _LISTED_OUTCOMES.fullmatch(s[run[-1].end : m.start]) or s[run[-1].end : m.start].strip() == "":
                break
            run.append(m)
        if _RESPECTIVELY.match(s, run[-1].end) or re.match(r"\s*,?\s*respectively\b", s[run[-1].end:], re.IGNORECASE):
            # "(p = 0.85 and p = 0.31 for the NRS and ODI, respectively)": one each, in order.
            continue
        for m in run:
            bound.setdefault(m.label, [])
            if st not in bound[m.label]:
                bound[m.label].append(st)
    # An outcome named as a heading before its numbers: "(VAS: 1.8 vs 2.4, p = 0.029; ODI: 22 vs 27, p = 0.025)".
    for k, m in enumerate(found):
        if not re.match(r"\s*:", s[m.end:]):
            continue
        stop = min([x.start for x in found[k + 1:]] + [len(s)])
        under = next((x for x in stats if m.end < x.start < stop and x.measure is None and x.p_value_text), None)
        if under is not None and not any(under in sts for sts in bound.values()):
            bound.setdefault(m.label, []).append(under)
    for sts in bound.values():
        sts.sort(key=lambda x: x.start)
    return bound


def _listed_p_values(s: str, outcomes: list[Mention], stats: list[_Stat]) -> dict[int, _Stat]:
    """For outcomes listed together ("VAS and JOA were improved (P<0.05, P<0.01)"), the p-values of the
    first bracket after the list that holds only p-values, as many as the outcomes: one each, in order."""
    out: dict[int, _Stat] = {}
    i = 0
    while i < len(outcomes):
        j = i
        while j + 1 < len(outcomes) and _LISTED_OUTCOMES.fullmatch(s[outcomes[j].end : outcomes[j + 1].start]) \
                and s[outcomes[j].end : outcomes[j + 1].start].strip():
            j += 1
        if j > i:
            bracket = _P_BRACKET.search(s, outcomes[j].end)
            later = [o for o in outcomes if outcomes[j].end < o.start < (bracket.start() if bracket else 0)]
            if bracket and not later and ";" not in s[outcomes[j].end : bracket.start()] and bracket.start() - outcomes[j].end <= 80:
                inside = [st for st in stats if bracket.start() < st.start < bracket.end()]
                if len(inside) == j - i + 1 and all(st.measure is None and st.p_value_text for st in inside):
                    out.update({i + k: st for k, st in enumerate(inside)})
        i = j + 1
    return out


_P_ONE = r"[Pp]\s*(?:<=|>=|[<>=≤≥])\s*0?\.\d+"
_P_BRACKET = re.compile(rf"\(\s*{_P_ONE}(?:\s*[,;]\s*(?:and\s+)?{_P_ONE})+\s*\)")


def _timepoint_before(s: str, at: int) -> tuple[str | None, float | None] | None:
    """The time point said last before position ``at`` of a sentence, if any."""
    last = None
    for m in _TIMEPOINT.finditer(s, 0, at):
        last = m
    return _timepoint(s[last.start():last.end()]) if last else None


_TIME_BEFORE_P = re.compile(
    rf"(?<![\w-])(?P<n>{COUNT})[- ](?P<u>day|week|month|year)s?(?:\s+(?:follow-?up|post-?(?:treatment|injection|operative)))?\s*[(\[]\s*(?:[Pp]\b|[Pp]-value)[^()\[\]]{{0,3}}$",
    re.IGNORECASE)


def _time_right_before(s: str, at: int) -> tuple[str, float | None] | None:
    """The time written right before the bracket a p-value opens ("1 month (P = 0.5", "three-month
    (p-value is"), as (label, weeks), if any."""
    m = _TIME_BEFORE_P.search(s, max(0, at - 40), at + 3)
    if m is None:
        return None
    count = parse_count(m.group("n"))
    unit = m.group("u").lower()
    return f"{count} {unit}{'s' if count != 1 else ''}", (None if count is None else count * WEEKS_PER[unit])


_TIME_BEFORE_BRACKET = re.compile(
    rf"(?<![\w-])(?P<n>{COUNT})[- ](?P<u>day|week|month|year)s?(?:\s+(?:follow-?up|post-?(?:treatment|injection|operative)))?\s*[(\[]\s*$",
    re.IGNORECASE)


def _time_right_before_estimate(s: str, at: int) -> tuple[str, float | None] | None:
    """The time written right before the bracket an estimate opens ("4 weeks (difference, 2.1"), as
    (label, weeks), if any."""
    m = _TIME_BEFORE_BRACKET.search(s, max(0, at - 40), at)
    if m is None:
        return None
    count = parse_count(m.group("n"))
    unit = m.group("u").lower()
    return f"{count} {unit}{'s' if count != 1 else ''}", (None if count is None else count * WEEKS_PER[unit])


def _p_significant(st: _Stat) -> bool | None:
    """Whether a p-value is below 0.05 ("<0.05", "=0.003"); "NS", ">0.05" and "=0.61" are not; an
    exact 0.05 is left undecided (None)."""
    text = st.p_value_text or ""
    if text.startswith(">") or text == "NS":
        return False
    if st.p_value is not None:
        return None if st.p_value == 0.05 else st.p_value < 0.05
    return text.startswith("<")


def _closing_p(sentence: str) -> _Stat | None:
    """The lone p-value that ends a sentence ("... in the control group (P<0.05)."), if it is significant."""
    m = _CLOSING_P.search(sentence)
    if m is None:
        return None
    p = _P_VALUE.match(sentence, m.start("p"))
    if p is None or _p_sign(p) not in ("<", "<=") or _p_number(p) > 0.05:
        return None
    return _Stat(p.start(), p.end(), None, None, None, None, *_p_fields(p))


_CLOSING_P = re.compile(r"\(\s*(?P<p>[Pp]\s*[<≤]=?\s*0?\.\d+)\s*\)\s*[.;]?\s*$")


def _sentence_findings(pmid: str, sentence: Sentence, mentions: list[Mention], vocab: Vocabulary,
                       pico: Pico, said: _Said | None = None, closing_p: _Stat | None = None,
                       when: tuple[str | None, float | None] | None = None) -> list[Finding]:
    """Findings in one sentence (or clause); the study's first form and comparator label the
    comparison unless the sentence names its own comparator, or a comparator stands right
    before an estimate ("than traction (RR 1.1 ...), ibuprofen (RR 1.24 ...)").

    ``said`` gives the outcomes and time point of the clause before, for a clause that names
    no outcome of its own but states numbers about "the difference"; its findings say so in
    their rule.
    """
    s = sentence.text
    intervention = pico.interventions[0] if pico.interventions else None
    study_comparator = pico.comparator_classes[0] if pico.comparator_classes else None
    # One finding per outcome and sentence: a repeated mention ("pain scores ... a pain score
    # above 5") belongs to the first.
    outcomes: list[Mention] = []
    for m in mentions:
        if m.kind == "outcome" and all(o.label != m.label for o in outcomes):
            outcomes.append(m)
    inherited = not outcomes and said is not None
    if inherited and said is not None:
        # The outcome stands where the clause refers to it ("the primary outcome"), or nowhere.
        outcomes = [o if said.source == "primary_outcome" else replace(o, start=0, end=0) for o in said.outcomes]
    if not outcomes:
        return _other_findings(pmid, sentence, mentions, vocab, pico, when) if said is None and _HAS_DIGIT.search(s) else []
    stats = _stats(s) if _HAS_DIGIT.search(s) else []
    if inherited and not stats:
        return []
    comparators = [m for m in mentions if m.kind == "comparator" and not m.negated]
    comparator = comparators[0].label if comparators else study_comparator
    # Another named form of the intervention right before an estimate ("higher than that of conventional
    # acupuncture (RR = 1.27 ...)") is the arm the estimate is against: the topic's other-form class.
    form_class = vocab.intervention_form_classes[0] if vocab.intervention_form_classes else None
    other_forms = [replace(m, kind="comparator", label=form_class) for m in mentions
                   if form_class and m.kind == "intervention" and intervention and m.label != intervention and not m.negated]
    timepoint, weeks = _timepoint(s)
    if inherited and timepoint is None and said is not None:
        timepoint, weeks = said.timepoint
    if timepoint is None and when is not None:
        timepoint, weeks = when
    arms = _arms(s, mentions, vocab)
    backward = [bool(_OUTCOME_AFTER_NUMBERS.search(s, max(0, o.start - 30), o.start)) for o in outcomes]
    respective = _respective_stats(s, outcomes, stats)
    # "NRS and ODI were lower (P<0.01, P<0.05)": a bracket of p-values only, one for each outcome listed.
    in_order = _listed_p_values(s, outcomes, stats) if respective is None and not inherited else {}
    # "(P = 0.61 for ODI and P = 0.58 for VAS)": a p-value that names its outcome right after it, or
    # one under the outcome's name as a heading ("VAS: 1.8 vs 2.4, p = 0.029").
    bound = _bound_p_values(s, mentions, stats) if not inherited else {}
    bound_at = {st.start for sts in bound.values() for st in sts}
    # "(VAS: MD -1.4 ..., ODI: MD -4.9 ...)": an estimate under an outcome's name as its heading is that
    # outcome's alone.
    headed = _headed_estimates(s, mentions, stats) if not inherited else {}
    if respective is None and inherited and 1 < len(outcomes) == len(stats):
        # "... the cure rate and the total effective rate ... . The efficacy was superior
        # (P < 0.01, P < 0.05)": one p-value for each outcome of the sentence before, in order.
        respective = stats
    # "The cure rate and the effective rate were 68% and 88% ... versus 36% and 66% ..., and the
    # differences were significant (P<0.05)": one p-value, said of every outcome listed.
    p_values = [st for st in stats if st.measure is None and st.p_value_text]
    # So does the one p-value of a clause that names no outcome and speaks of those just named.
    # And one p-value, not significant, after "no differences in A, B and C": said of every outcome listed.
    shared = p_values[0] if len(outcomes) > 1 and len(stats) == len(p_values) == 1 and (
        inherited or _SHARED_P.search(s) or _p_significant(p_values[0]) is False and (
            _NO_DIFFERENCE.search(s, 0, outcomes[0].start)
            # "VAS and ODI were similar in both groups, with no significant difference (p>0.05)": the
            # same after a list of outcomes that holds the sentence's every outcome.
            or _one_list(s, outcomes) and _NO_DIFFERENCE.search(s, outcomes[-1].end, p_values[0].start))
            or _judged_over_a_list(s, outcomes, p_values[0])) else None
    out: list[Finding] = []
    for i, outcome in enumerate(outcomes):
        start, end = _clause(s, outcomes, i)
        # An outcome listed after others ("improvement in NRS and ODI") shares the words before the
        # list: "All three groups improved significantly in VAS, ODI and JOA" is within the arms for each.
        lead = _list_start(s, outcomes, i)
        if _WITHIN_GROUP.search(s, lead, end) and not _BETWEEN_GROUPS.search(s, lead, end) or _WITHIN_STATED.search(s, lead, end):
            # A change within the arms ("decreased in both groups, P < 0.01") is not a comparison.
            continue
        if outcome.label != "adverse_events" and _change_only(s, mentions, stats):
            # A change over time with no comparison of the arms ("The ODI of the acupotomy group
            # dropped by 18 points", "VAS fell from 7.1 to 2.3 in group A (P<0.001) and from 7.0 to
            # 3.6 in group B (P<0.001)") decides nothing between them: its p-values test each arm.
            continue
        if compares_before_treatment(s) or _at_baseline_only(s):
            # The arms alike before treatment ("no difference in VAS at baseline") is comparability, not a
            # result; so is any comparison said only of the time before treatment ("Before treatment, the
            # VAS scores were 6.6 and 6.5 (P=0.71)"), whatever its p-value.
            continue
        # Statistics belong to the outcome they follow (the first outcome also takes those
        # before it); the clause before an outcome may still hold its verb. An outcome named
        # after its numbers ("(SMD 0.96 ...) with respect to JOA scores") takes those instead.
        own = [st for st in stats if (outcome.start if i else 0) <= st.start < end]
        if i + 1 < len(outcomes) and backward[i + 1]:
            own = [st for st in own if st.start < outcome.end]
        if backward[i]:
            before = [st for st in stats if (outcomes[i - 1].end if i else 0) <= st.start < outcome.start]
            # An outcome that takes the numbers before it does not also take those after it, which
            # belong to what the sentence names next ("... for leg pain and for function (-4.1 [...])").
            own = before + ([st for st in own if st.start < outcome.start and st not in before] if before else own)
        if respective is not None:
            own = [respective[i]]
        elif i in in_order:
            own = [in_order[i]]
        elif not own and shared is not None:
            own = [shared]
        if headed:
            own = [st for st in own if st.start not in headed] + [st for st in stats if headed.get(st.start) == outcome.label]
            own.sort(key=lambda st: st.start)
        if outcome.label in bound:
            own = [st for st in own if st.measure] + bound[outcome.label][:1]
        elif bound_at:
            own = [st for st in own if st.start not in bound_at]
        # A ratio is not a difference in a score, nor a difference in a score a ratio of rates.
        proportion = outcome.label in vocab.proportions
        own = [replace(st, measure="RD" if proportion else "MD") if st.measure == _DIFFERENCE else st for st in own]
        own = [st for st in own if st.measure is None or (st.measure in _RATE_MEASURES) == proportion]
        lower_is_better = vocab.lower_is_better.get(outcome.label)
        if isinstance(outcome, _BareMention):
            # Bare pain takes the numbers after it, or those right before it ("[MD 0.7 ...] pain relief"):
            # a p-value further before it is about something else.
            ahead = [st for st in own if st.start < outcome.start]
            if ahead and not re.fullmatch(r"[\s\d.,;:=<>()\[\]Pp-]{0,30}", s[max(st.end for st in ahead) : outcome.start]):
                own = [st for st in own if st.start > outcome.start]
            elif ahead and any(st.start > outcome.start for st in own) and re.search(r"[)\]]\s*,\s*$", s[: outcome.start]):
                # An item of a list with a statistic each ("no differences in A (p = 0.8), pain relief (p
                # = 0.2), or B (p = 0.3)"): the bracket before it closed the item before.
                own = [st for st in own if st.start > outcome.start]
        if isinstance(outcome, _BareMention) and not own:
            # Pain said bare gives a finding only with a statistic of its own: no narrative row.
            continue
        # "More effect on pain" is more relief: the words read the other way round from the scale.
        relief = _EFFECT_ON.search(s, max(0, outcome.start - 30), outcome.start) or isinstance(outcome, _BareMention) and _RELIEF.search(outcome.text)
        polarity = not lower_is_better if lower_is_better is not None and relief else lower_is_better
        direction = finding_direction(s, outcome.start, outcome.end, arms, intervention, comparator, polarity)
        if inherited and direction is None:
            # "The treatment group was superior to the control group": which arm did better, whatever
            # the outcome's scale.
            direction = _arm_judged_better(s, arms)
        if not own and closing_p is not None and direction in ("favours_intervention", "favours_comparator") \
                and not _NO_DIFFERENCE.search(s, start, end):
            # An arm said to do better, with the sentence's closing p-value after a later clause.
            own = [replace(closing_p, start=len(s), end=len(s))]
            borrowed_p = True
        else:
            borrowed_p = False
        # Which arm is favoured is only meaningful when acupuncture is one of them.
        if direction != "no_difference" and not pico.interventions:
            direction = None
        narrative = bool(_NO_DIFFERENCE.search(s, start, end) or direction)
        reported = outcome.label == "adverse_events" and re.search(r"\b(?:reported|occurred|observed|experienced|recorded)\b", s)
        if not (own or narrative or reported):
            continue
        if inherited and not own:
            continue
        common: dict[str, Any] = {
            "pmid": pmid, "outcome": outcome.label, "outcome_text": outcome.text or None, "span_start": sentence.start, "span_end": sentence.end,
            "sentence": s, "direction": direction, "lower_is_better": lower_is_better, "timepoint": timepoint,
            "timepoint_weeks": weeks, "intervention": intervention, "comparator_class": comparator, "add_on": pico.add_on,
        }
        suffix = f".outcome_from_{said.source}" if inherited and said is not None else ""
        suffix += ".p_from_sentence_end" if borrowed_p else ""
        estimates = [st for st in own if st.measure]
        # A later estimate right after the name of something else that was measured ("pain intensity
        # (MD ...) and pain threshold (MD ...)", "... and the change in cyst size (SMD ...)") is that
        # thing's, even when the topic has no word for it.
        estimates = [st for k, st in enumerate(estimates)
                     if not k or st.start in headed or not _OTHER_MEASURED_BEFORE.search(s, estimates[k - 1].end, st.start)]
        p_only = next((st for st in own if st.measure is None), None)
        if estimates:
            # Several estimates of one outcome, each in a bracket right after its own time ("at 2 weeks
            # (difference, 3.4; P = 0.009), 4 weeks (difference, 4.0; P = 0.002)"): each at that time,
            # when every one has its own.
            own_times = [_time_right_before_estimate(s, st.start) for st in estimates] if len(estimates) > 1 else []
            if None in own_times or len(set(own_times)) < len(own_times):
                own_times = []
            for k, st in enumerate(estimates):
                p = st if st.p_value_text else p_only
                if p is p_only and len(estimates) > 1:
                    # Of several estimates, each takes the lone p-value between it and the next one, if any
                    # ("hazard ratio, 0.5; 95 percent CI, 0.3 to 0.9; P=0.02), bleeding (hazard ratio, 0.4; ...").
                    stop = estimates[k + 1].start if k + 1 < len(estimates) else len(s)
                    p = next((x for x in own if x.measure is None and x.p_value_text and st.end <= x.start < stop), None)
                rule = "effect.estimate" + ("_ci" if st.ci_low is not None else "")
                # Several estimates of one outcome, each after its own time ("early (under 4 weeks)
                # [MD 0.3 ...] and later (by 12 weeks) [MD 0.9 ...]"): each at the time said last before it.
                when = (own_times[k] if own_times else _timepoint_before(s, st.start)) if len(estimates) > 1 else None
                timed = {"timepoint": when[0], "timepoint_weeks": when[1]} if when else {}
                out.append(Finding(
                    **{**common, **timed, "comparator_class": _comparator_before(st, comparators + other_forms, start) or comparator},
                    rule=rule + suffix, confidence=_CONFIDENCE[rule] * (_INHERITED if inherited else 1.0),
                    measure=st.measure, estimate=st.estimate, ci_low=st.ci_low, ci_high=st.ci_high,
                    p_value=p.p_value if p else None, p_value_text=p.p_value_text if p else None,
                ))
        elif p_only:
            out.append(Finding(**common, rule="effect.p_value" + suffix, p_value=p_only.p_value, p_value_text=p_only.p_value_text,
                               confidence=_CONFIDENCE["effect.p_value"] * (_INHERITED if inherited or borrowed_p else 1.0)))
            if outcome.label in bound:
                # Each p-value named for this outcome is a row, at the time said last before it ("better
                # with A at 1 month (P < 0.001 for VAS) ... no difference at 3 months (P = 0.61 for VAS)").
                first = out.pop()
                for st in bound[outcome.label]:
                    when = _timepoint_before(s, st.start) or (first.timepoint, first.timepoint_weeks)
                    significant = _p_significant(st)
                    out.append(replace(first, p_value=st.p_value, p_value_text=st.p_value_text, timepoint=when[0], timepoint_weeks=when[1],
                                       direction=(first.direction if first.direction != "no_difference" and st is bound[outcome.label][0] else None)
                                       if significant or significant is None else "no_difference", rule="effect.p_value.named_with_it"))
            else:
                # Several p-values of one outcome, each right after its own time ("at 1 week (P = 0.06), 1
                # month (P = 0.52), or 3 months (P = 0.95)", "in the two-week (p = 0.8) and three-month (p >
                # 0.7) periods"): a row for each, at its time.
                p_stats = [x for x in own if x.measure is None and x.p_value_text]
                at_times = [(x, when_p) for x in p_stats if (when_p := _time_right_before(s, x.start)) is not None]
                if len(at_times) == len(p_stats) > 1 and len({w for _, w in at_times}) == len(at_times):
                    first = out.pop()
                    for pv, (label, in_weeks) in at_times:
                        significant = _p_significant(pv)
                        out.append(replace(first, p_value=pv.p_value, p_value_text=pv.p_value_text, timepoint=label, timepoint_weeks=in_weeks,
                                           direction=(first.direction if first.direction != "no_difference" else None)
                                           if significant or significant is None else "no_difference", rule="effect.p_value.after_its_time"))
        else:
            rule = "effect.statement" if narrative else "effect.adverse_events_reported"
            out.append(Finding(**common, rule=rule, confidence=_CONFIDENCE[rule]))
    return out


# How often a finding of each rule had the right outcome and numbers when checked by hand (on
# the labelled fixtures and the real abstracts in benchmarks/real_labels.jsonl): a guide for
# readers, not a probability. A finding whose outcome was read from the clause before counts
# for less.
_CONFIDENCE = {
    "effect.estimate_ci": 0.9, "effect.estimate": 0.8, "effect.p_value": 0.7,
    "effect.statement": 0.5, "effect.adverse_events_reported": 0.5,
}
_INHERITED = 0.8
_RATE_MEASURES = frozenset({"RR", "OR", "HR", "RD"})
_SHARED_P = re.compile(r"\b(?:the|these|both|all)\s+(?:\w+\s+)?(?:differences|comparisons)\s+(?:\w+\s+){0,3}?(?:were|being)\s+(?:all\s+)?"
                       r"(?:statistically\s+)?significant", re.IGNORECASE)
_HAS_DIGIT = re.compile(r"\d")
# Words that put an outcome after the numbers about it.
# The name of a measured thing that ends right before an estimate's bracket, perhaps with a verb
# saying how it moved: "... and joint mobility was better (MD", "the lesion volume change (SMD".
_OTHER_MEASURED_BEFORE = re.compile(
    r"\b(?:change|changes|scores?|range|volume|threshold|function|level|levels|index|time|duration|strength|mobility|"
    r"flexion|extension|size|area|length|thickness|velocity|satisfaction|quality|consumption|intake|use|usage)"
    r"(?:\s+(?:was|were)\s+(?:(?:also|significantly|markedly)\s+)?(?:improved|increased|reduced|decreased|lowered|raised|better|higher|lower|greater|shorter|longer))?"
    r"\s*[(\[]?\s*$", re.IGNORECASE)
# An outcome's name written as the heading of its estimate, right after a bracket, comma or semicolon.
_HEADING_BEFORE = re.compile(r"(?:^|[(\[,;])\s*(?P<head>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2})\s*:\s*$")


def _headed_estimates(s: str, mentions: list[Mention], stats: list[_Stat]) -> dict[int, str | None]:
    """Estimates written under a heading ("VAS: MD = -1.2 ...") by their start, with the outcome label
    the heading names, or ``None`` for a heading that names no outcome of the topic ("efficacy: MD =
    2.3"). Only when at least one heading names an outcome: a sentence written that way."""
    outcomes = [m for m in mentions if m.kind == "outcome"]
    found: dict[int, str | None] = {}
    for st in stats:
        if st.measure is None:
            continue
        head = _HEADING_BEFORE.search(s, max(0, st.start - 45), st.start)
        if head is None:
            continue
        named = [m for m in outcomes if head.start("head") <= m.start and m.end <= head.end("head")]
        found[st.start] = named[-1].label if named else None
    return found if any(label is not None for label in found.values()) else {}


# "... at 6 weeks (-3.1 [-5.0; -1.2]) for leg pain": "for" right after a closing bracket names what the
# bracket before it measured.
_OUTCOME_AFTER_NUMBERS = re.compile(r"\b(?:in terms of|with respect to|with regard to|regarding|as regards)\s+(?:the\s+)?$|[)\]]\s*for\s+(?:the\s+)?$", re.IGNORECASE)
# Changes within the arms, not between them.
_WITHIN_GROUP = re.compile(
    r"\b(?:in|of|within) (?:the )?(?:all|both|each|either|two|three|four|all three|all four) (?:\w+ )?groups?\b[^.;]{0,60}?\b(?:significantly )?(?:decreased|improved|increased|reduced|declined|rose|raised|lowered|changed)\b"
    # "Every arm's pain eased by week 3", "... were improved in either group", "... decreased in both
    # control and treatment groups".
    r"|\b(?:decreased|improved|increased|reduced|declined|rose|changed)\s+(?:significantly\s+)?(?:(?:respectively\s+)?(?:after|at|in)\s+[^;()]{0,80}?\s+)?(?:in|within)\s+(?:the\s+)?(?:all|both|each|either|every)\s+(?:the\s+)?(?:\w+\s+(?:and\s+(?:the\s+)?\w+\s+)?)?groups?\b"
    # ... unless the sentence goes on to set one arm's change against the other's ("..., which was more
    # significant in the acupotomy group").
    r"(?![^;]*\b(?:more|greater|better|superior|larger|less|smaller)\b)"
    # "the difference ... between pretreatment and posttreatment".
    r"|\bbetween (?:the )?pre-?treatment and (?:the )?post-?treatment\b"
    r"|\bthan (?:that |those )?(?:before|prior to) (?:the )?(?:treatment|intervention|therapy)\b"
    r"|\b(?:both|all|each|every) (?:\w+ )?groups? (?:\w+ )?(?:showed|had|were|was)? ?(?:an? )?(?:significant(?:ly)? )?(?:decrease|improve|increase|reduc|declin)\w*"
    r"|\b(?:compared|as compared) (?:with|to) (?:the )?(?:baseline|pre-?treatment|before treatment)\b"
    # A score that fell "after treatment with" a named treatment, set against nothing: each pooled
    # before-and-after change of a review ("scores dropped after treatment with drug A (SMD ...), drug B (SMD ...)").
    r"|\b(?:decreased|improved|increased|reduced|declined|fell|dropped)\s+(?:significantly\s+)?(?:after|following)\s+(?:the\s+)?"
    r"(?:treatment|therapy|injections?|intervention)\s+with\b(?![^;]*\b(?:compared|versus|vs\.?|than|relative to|against)\b)"
    # The whole sample pooled ("For all patients, acupuncture achieved significant improvement").
    r"|\b(?:for|in|across|among) (?:all|the whole|the entire|the total) (?:sample|cohort|patients|participants|subjects)\b",
    re.IGNORECASE,
)
# A comparison said to be within the arms even where "between the groups" follows: "comparing
# ODI scores pre- and post-treatment between the two groups, the observation group's scores
# fell (P < 0.01) and so did the control group's (P < 0.01)".
_WITHIN_STATED = re.compile(
    r"\bwithin[- ]groups?\b|\b(?:comparing|compared|comparison of|in comparison)\b[^.;]{0,40}?\b(?:before and after|pre-? and post-?)\s*(?:the\s+)?(?:treatment|intervention|therapy)\b"
    # "each arm's pain before and after therapy was then compared"
    r"|\b(?:before and after|pre-? and post-?)\s*(?:the\s+)?(?:treatment|intervention|therapy)\s+(?:were|was)\s+(?:then\s+)?compared\b",
    re.IGNORECASE,
)
# Words that place a comparison before treatment began, and words that place it after.
_BASELINE = re.compile(
    r"\b(?:at|before|prior to) (?:the )?(?:baseline|admission|enrol?ment|randomi[sz]ation|(?:start of )?(?:treatment|intervention|therapy))\b"
    r"|\bpre-?(?:treatment|intervention)\b|\bbaseline (?:characteristics|data|values|scores?|levels?)\b",
    re.IGNORECASE,
)
_AFTER_START = re.compile(r"\b(?:after|post-?(?:treatment|intervention)|at (?:the )?(?:end|week|month|\d)|follow-?up|weeks? \d|\d+ (?:weeks?|months?|days?))\b", re.IGNORECASE)


def compares_before_treatment(sentence: str) -> bool:
    """Whether a sentence says the arms were alike before treatment ("no difference in VAS at
    baseline"), and nothing after it began: a check of comparability, not a result."""
    return bool(_BASELINE.search(sentence) and not _AFTER_START.search(sentence) and _NO_DIFFERENCE.search(sentence))
# A change over time ("dropped by 18 points", "fell from 7.1 to 2.3", "showed significant changes"),
# and any word that sets arms or values against each other.
_CHANGE = re.compile(
    r"\b(?:increased|decreased|improved|reduced|declined|fell|rose|dropped|lowered|elevated|changed|"
    r"changes|improvements?|decreases|reductions?|increases)\b",
    re.IGNORECASE,
)
_SETS_AGAINST = re.compile(
    r"\b(?:differ\w*|more|less|greater|larger|smaller|better|worse|superior|inferior|lower|higher|favou?r\w*|"
    r"compar\w*|versus|vs|than|between|relative to|over|against|similar|same|equal\w*)\b",
    re.IGNORECASE,
)
_ARM_WORD = re.compile(r"\bgroups?\b|\barms?\b", re.IGNORECASE)
# Two values side by side: "to 20 and 22", "3.1 vs 3.5".
# A number glued to a letter names a time ("4.2 at D0 and 2.9 at week 4": day 0), not an arm's value.
_TWO_VALUES = re.compile(r"(?<![A-Za-z])\d(?:\.\d+)?\s*(?:%|points?|mm|cm)?\s*(?:and|vs\.?|versus)\s*[-−]?\d", re.IGNORECASE)
# "for the ELT and the SLT group": two arms under one arm word.
_TWO_ARMS_NAMED = re.compile(r"\b[\w-]+ and (?:the )?[\w-]+ (?:group|arm)\b", re.IGNORECASE)


def _change_only(clause: str, mentions: list[Mention], stats: list[_Stat]) -> bool:
    """Whether a clause only reports a change over time, in one arm, in each arm apart, or with no arm
    named, and sets nothing against anything: no effect estimate, no comparing word. A treatment named
    without an arm word ("Acupuncture reduced VAS (P<0.01)") is a claim of effect and is kept."""
    change = _CHANGE.search(clause)
    if any(st.measure for st in stats) or change is None or _SETS_AGAINST.search(clause):
        return False
    if stats and change.start() > stats[0].start:
        # The change is told after a statistic, which is about something said before it.
        return False
    if _TWO_VALUES.search(clause, change.end()):
        # "ODI fell to 20 and 22 (P=0.45)": the values of two arms side by side.
        return False
    # The changes of two arms side by side are a comparison unless each arm has its own p-value: one
    # p-value after both ("fell to 3.4 in the A group and 3.9 in the B group (P=0.27)") tests
    # the difference, and without one the next sentence may ("... decreased by 2.1 and 0.4 in the
    # EA and sham groups. The difference was significant").
    arms = sum(2 if word.lower().endswith("s") else 1 for word in _ARM_WORD.findall(clause))
    arms += len(_TWO_ARMS_NAMED.findall(clause))
    if arms >= 2 and len([st for st in stats if st.p_value_text]) < 2:
        return False
    treatments = any(m.kind in ("intervention", "comparator", "generic") for m in mentions)
    return not treatments or arms > 0


# A sentence that opens by placing itself before treatment began ("Before treatment, ...", "At baseline, ...").
_OPENS_AT_BASELINE = re.compile(
    r"^\s*(?:(?:at|before|prior to)\s+(?:the\s+)?(?:baseline|(?:start of (?:the )?)?(?:treatment|intervention|therapy)|randomi[sz]ation|enrol?ment)"
    # "Pretreatment VAS ...", "Baseline scores ...", not "Pretreatment does not affect ...".
    r"|(?:pre-?(?:treatment|intervention)|baseline)\s+(?!(?:does|did|do|is|was|were|has|had|can|may|will|could|might)\b)\w)",
    re.IGNORECASE,
)


# Traits of patients that only a baseline table compares: "similar in age, gender, illness duration, VAS ...".
_DEMOGRAPHIC = re.compile(
    r"\b(?:age|sex|gender|body mass index|BMI|demographics?|course of (?:the )?disease|disease (?:course|duration)|"
    r"duration of (?:the )?(?:disease|illness|symptoms|pain))\b",
    re.IGNORECASE,
)


def _at_baseline_only(sentence: str) -> bool:
    """Whether a sentence opens at baseline, or finds the arms alike in traits such as age and sex,
    and says nothing of the time after treatment began: it compares the arms before treatment
    (comparability), not the result."""
    if _AFTER_START.search(sentence):
        return False
    return bool(_OPENS_AT_BASELINE.match(sentence) or _DEMOGRAPHIC.search(sentence) and _NO_DIFFERENCE.search(sentence))


_BETWEEN_GROUPS = re.compile(r"\bbetween(?:[- ]groups?| the (?:two |three )?groups)\b|\bthan\b(?!\s+(?:that\s+|those\s+)?(?:before|prior|at baseline|baseline|pre-?treatment))|\bversus\b|\bvs\.?|\b(?:superior|inferior) to\b|\bcompared (?:with|to) (?:the )?(?!baseline|pre-?treatment|before)\w+(?:-\w+)? group", re.IGNORECASE)


# An arm judged against the other in words that hold whatever an outcome's scale.
_JUDGED = re.compile(r"\b(?P<good>superior|better)\b|\b(?:inferior|worse)\b", re.IGNORECASE)


def _arm_judged_better(s: str, arms: list[tuple[int, int, str]]) -> str | None:
    """The direction of "the X group was superior (inferior) to the Y group": the arm named before
    the judging word is the one judged, and the other side must be named after it."""
    judged = _JUDGED.search(s)
    if judged is None or _NO_DIFFERENCE.search(s):
        return None
    before = [side for a, _b, side in arms if a < judged.start()]
    after = [side for a, _b, side in arms if a > judged.start()]
    if not before or not after or before[-1] == after[0]:
        return None
    better = before[-1] if judged.group("good") else after[0]
    return "favours_intervention" if better == "intervention" else "favours_comparator"


def _comparator_before(st: _Stat, comparators: list[Mention], start: int) -> str | None:
    """The comparator named right before an estimate in its clause ("than traction (RR 1.1"), if any."""
    before = [m for m in comparators if start <= m.end <= st.start and st.start - m.end <= 15]
    return before[-1].label if before else None


def _stats(s: str) -> list[_Stat]:
    """Effect estimates (with the p-value right after them, if any) and lone p-values."""
    return list(_stats_of(s))


@lru_cache(maxsize=4096)
def _stats_of(s: str) -> tuple[_Stat, ...]:
    """:func:`_stats`, cached: a sentence is read for its statistics more than once."""
    return tuple(_read_stats(s))


# A space typeset after the decimal point, as some journals' English abstracts print every number
# of a sentence ("OR = 2. 41, 95% CI [1. 37, 4. 25]"). Read as a decimal only where the sentence
# prints at least two numbers so, each a short whole part and its decimals standing alone
# (followed by a bracket, a separator or "to"), so a list number or a sentence end stays apart.
_SPACED_DECIMAL = re.compile(r"(?<![\w.])(\d{1,3})\. (\d{1,6})(?=\s*(?:[,;:)\]]|to\b|and\b|[-\u2013\u2014]\s*\d|$))")


def _closed_decimals(s: str) -> str:
    """``s`` with spaced decimals closed up ("1. 86" -> "1.86 "), same length, so positions hold."""
    if len(_SPACED_DECIMAL.findall(s)) < 2:
        return s
    return _SPACED_DECIMAL.sub(lambda m: f"{m.group(1)}.{m.group(2)} ", s)


def _read_stats(s: str) -> list[_Stat]:
    s = _closed_decimals(s)
    stats: list[_Stat] = []
    used: list[tuple[int, int]] = []
    for m in _ESTIMATE.finditer(s):
        if _THRESHOLD_BEFORE.search(s, max(0, m.start() - 60), m.start()):
            # "larger than the minimal clinically important difference of 5 mm": a threshold the
            # authors set, not a difference they found.
            continue
        measure = _MEASURE_NAMES[_measure_key(m.group("measure"))]
        lo, hi = m.group("lo") or m.group("lo2"), m.group("hi") or m.group("hi2")
        p = _P_VALUE.search(s, m.end(), min(len(s), m.end() + 30))
        bare = _BARE_P_AFTER_CI.match(s, m.end()) if p is None and lo else None
        # An estimate named with what it measures ("mean difference in ODI -0.1") stands, for pairing
        # with outcomes, where its number does: after the scale it names, not before it.
        named_scale = re.search(r"[A-Za-z]{2,}", s[m.end("measure"):m.start("est")]) is not None
        stats.append(_Stat(m.start("est") if named_scale else m.start(), m.end(), measure, _float(m.group("est")),
                           _float(lo) if lo else None, _float(hi) if hi else None,
                           *(_p_fields(p) if p else _bare_p_fields(bare) if bare else (None, None))))
        used.append((m.start(), p.end() if p else m.end()))
    for m in _UNNAMED_ESTIMATE.finditer(s):
        if any(a <= m.start("est") < b for a, b in used):
            continue
        p = _P_VALUE.match(s, m.end())
        if p is None:
            continue
        # The interval may be written upper bound first ("[-0.5 to -1.9]").
        lo, hi = sorted((_float(m.group("lo")), _float(m.group("hi"))))
        stats.append(_Stat(m.start("est"), m.end(), _DIFFERENCE, _float(m.group("est")), lo, hi, *_p_fields(p)))
        used.append((m.start("est"), p.end()))
    if _ARMS_COMPARED_WORD.search(s):
        for m in _UNNAMED_BRACKETED.finditer(s):
            if any(a <= m.start("est") < b for a, b in used) or _SUMMARY_BEFORE.search(s, max(0, m.start() - 40), m.start()) \
                    or _ONE_ARM_AFTER.match(s, m.end()) or _ONE_ARM_BEFORE.search(s, max(0, m.start() - 30), m.start()):
                continue
            est, lo, hi = _float(m.group("est")), _float(m.group("lo")), _float(m.group("hi"))
            lo, hi = sorted((lo, hi))
            if not lo <= est <= hi or lo == hi:
                continue
            stats.append(_Stat(m.start("est"), m.end(), _DIFFERENCE, est, lo, hi, None, None))
            used.append((m.start("est"), m.end()))
    arms_set_against = _BETWEEN_GROUPS.search(s) is not None or _DIFFERENCES_WORD.search(s) is not None
    if arms_set_against:
        # "The differences ... in the 2.5-mg group (-11.2 mm; 95% CI -20.7 to -1.7 mm; p = 0.02)": a bare
        # number with its labelled interval in one bracket, in a sentence about differences between arms.
        for m in _UNNAMED_WITH_CI.finditer(s):
            if any(a <= m.start("est") < b for a, b in used):
                continue
            p = _P_VALUE.match(s, m.end())
            lo, hi = sorted((_float(m.group("lo")), _float(m.group("hi"))))
            stats.append(_Stat(m.start("est"), m.end(), _DIFFERENCE, _float(m.group("est")), lo, hi,
                               *(_p_fields(p) if p else (None, None))))
            used.append((m.start("est"), p.end() if p else m.end()))
    # "... fell 3.1 (95% CI 2.2 to 4.0; P < .001) more than in the control group", "the between-group
    # difference ... was -7.3 mm (95% CI -13.8 to -0.8)": a number outside the bracket of its
    # interval, when words right before or after say it is a difference between the arms; or the next
    # item of a list begun by an estimate with its interval ("... were 1.2 (95% CI ...) and 3.4 (95% CI
    # ...), respectively"), in any sentence, unless an arm's name follows it (one arm's own value).
    if arms_set_against or any(st.ci_low is not None for st in stats):
        for m in _BARE_WITH_CI.finditer(s):
            if any(a <= m.start("est") < b for a, b in used):
                continue
            close = s.find(")", m.end())
            listed = _listed_after_estimate(s, stats, used, m.start("est"))
            if listed is not None and close != -1 and _ONE_ARM_AFTER.match(s, close + 1):
                listed = None
            if not arms_set_against and listed is None:
                continue
            after = _MORE_AFTER.match(s, close + 1) if close != -1 else None
            by_words = _BY_BEFORE.search(s, max(0, m.start("est") - 40), m.start("est"))
            by = (by_words is not None and (_BETWEEN_GROUPS.search(s) is not None or by_words.group().lower().startswith("favo"))
                  and _AGAINST_BASELINE.search(s) is None)
            if after is None and not by and listed is None and not _DIFFERENCE_BEFORE.search(s, max(0, m.start("est") - 170), m.start("est")):
                continue
            p = _P_VALUE.search(s, m.end(), min(len(s), m.end() + 30))
            lo, hi = sorted((_float(m.group("lo")), _float(m.group("hi"))))
            stats.append(_Stat(m.start("est"), m.end(), listed.measure if listed is not None else _DIFFERENCE, _float(m.group("est")), lo, hi,
                               *(_p_fields(p) if p else (None, None))))
            used.append((m.start("est"), p.end() if p else m.end()))
    for p in _P_VALUE.finditer(s):
        if not any(a <= p.start() < b for a, b in used):
            stats.append(_Stat(p.start(), p.end(), None, None, None, None, *_p_fields(p)))
    return sorted(stats, key=lambda st: st.start)


# What joins one estimate's bracket to the next number of a list: "1.2 (95% CI 0.4 to 2.0, p = 0.01) and
# 3.4 (95% CI ...)", "...; 0.8 (95% CI ...)", "..., and 2.1 (95% CI ...)".
# Each item may name its outcome after its bracket and say the next number with "by": "8.2 (95% CI ...)
# for the ODI and 1.6 (95% CI ...) for leg pain", "by 1.1 points (95% CI ...) for pain and by 4.8 ...".
_ESTIMATES_JOINED = re.compile(
    r"[\s)\]]*(?:for\s+(?:the\s+)?(?!(?:[\w-]+\s+){0,4}?(?:groups?|arms?|patients|participants)\b)[A-Za-z][\w-]*(?:\s+[\w-]+){0,4}?\s*)?"
    r"(?:[,;]\s*)?(?:and\s+|as well as\s+)?(?:by\s+)?", re.IGNORECASE)


def _listed_after_estimate(s: str, stats: list[_Stat], used: list[tuple[int, int]], start: int) -> _Stat | None:
    """The estimate whose list a bare number with its interval continues: the sentence has already
    given an estimate with its interval ("difference ... were 1.2 (95% CI ...) and 3.4 (95% CI ...),
    respectively") and only a bracket's end, a comma and "and" stand between the two. The number is of
    the same kind as the one before it; ``None`` when nothing such comes right before."""
    for st, (a, b) in zip(stats, used):
        if st.estimate is None or st.ci_low is None or b > start:
            continue
        if _ESTIMATES_JOINED.fullmatch(s, b, start) and s[b:start].strip():
            return st
    return None


# The smallest difference that matters to patients, named before "difference": "the minimal clinically
# important difference of 5 mm", "a minimum detectable difference of 8 points".
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:minimal(?:ly)?|minimum|smallest|least)\s+(?:clinically\s+)?(?:important|relevant|meaningful|worthwhile|detectable)\s+$",
    re.IGNORECASE)


def _measure_key(name: str) -> str:
    """A measure's name as ``_MEASURE_NAMES`` keys it: lower case, "adjusted" dropped, the common
    misspelling "diference" mended."""
    key = re.sub(r"dif+erence", "difference", name.lower())
    if re.search(r"treatment (?:effect|difference)$", key):
        return "difference"
    return key.removeprefix("adjusted ")


def _float(text: str) -> float:
    return float(re.sub(r"\s", "", text).replace("−", "-").replace("–", "-"))


def _p_number(m: re.Match) -> float:
    """The number of a ``_P_VALUE`` match, its digit groups joined ("0.000 01" is 1e-05)."""
    return float((m.group("p") or m.group("said")).replace(" ", ""))


def _p_sign(m: re.Match) -> str:
    """The comparison a ``_P_VALUE`` match states: its sign, the words for it, or "=" for a bare number."""
    if m.group("said") is not None:
        return _WORD_OPS.get((m.group("word_op") or "").lower(), "=")
    return {"≤": "<=", "≥": ">="}.get(m.group("op"), m.group("op"))


def _bare_p_fields(m: re.Match) -> tuple[float | None, str]:
    """The fields of a p-value written without its letter (``_BARE_P_AFTER_CI``)."""
    op = {"≤": "<=", "≥": ">="}.get(m.group("op"), m.group("op"))
    value = float(m.group("p"))
    return (value if op == "=" else None), (f"{value:g}" if op == "=" else f"{op}{value:g}")


def _p_fields(m: re.Match) -> tuple[float | None, str]:
    if m.group("ns"):
        return None, "NS"
    op = _p_sign(m)
    value = _p_number(m)
    return (value if op == "=" else None), (f"{value:g}" if op == "=" else f"{op}{value:g}")


def _clause(s: str, outcomes: list[Mention], i: int) -> tuple[int, int]:
    """The part of a sentence that speaks about outcome ``i``.

    It runs from the end of the previous outcome to the start of the next. An outcome listed
    with the next one ("VAS and ODI were lower (P < .05)") shares the next one's clause.
    """
    start = outcomes[i - 1].end if i else 0
    j = i
    while j + 1 < len(outcomes) and _LISTED_OUTCOMES.fullmatch(s[outcomes[j].end : outcomes[j + 1].start]):
        j += 1
    end = outcomes[j + 1].start if j + 1 < len(outcomes) else len(s)
    return start, end


def _list_start(s: str, outcomes: list[Mention], i: int) -> int:
    """Where the clause of the first outcome of the list that outcome ``i`` ends starts."""
    j = i
    while j > 0 and _LISTED_OUTCOMES.fullmatch(s[outcomes[j - 1].end : outcomes[j].start]):
        j -= 1
    return outcomes[j - 1].end if j else 0


# "The treatment group was superior to the control group in lowering the VAS score and the syndrome
# score and raising the JOA score (P<0.05)": one arm judged better over a list of outcomes, with one
# significant p-value closing the list, said of each outcome listed.
_JUDGED_OVER = re.compile(r"\b(?:superior|better|more effective|greater|larger|more marked)\b[^;:]{0,80}?\b(?:than|to)\b[^;:]{0,60}?\b(?:in|on|for|regarding|concerning|as to)\b", re.IGNORECASE)
_LIST_BREAK = re.compile(r"[;:()\[\]]|\b(?:not|no|while|whereas|but|although|however|similar|comparable|differ\w*|except)\b|\d", re.IGNORECASE)


def _judged_over_a_list(s: str, outcomes: list[Mention], p: _Stat) -> bool:
    """Whether one significant p-value closes a list of outcomes over which one arm was judged better."""
    if _p_significant(p) is not True or p.start < outcomes[-1].end or _LIST_BREAK.search(s, outcomes[-1].end, p.start - 1 if s[p.start - 1:p.start] == "(" else p.start):
        return False
    if not _JUDGED_OVER.search(s, 0, outcomes[0].start) or _JUDGED_OVER.search(s, outcomes[0].start, p.start):
        return False
    return all(len(s[a.end:b.start]) <= 60 and not _LIST_BREAK.search(s, a.end, b.start) for a, b in pairwise(outcomes))


def _one_list(s: str, outcomes: list[Mention]) -> bool:
    """Whether a sentence's outcomes are named one after the other in one list ("pain score (VAS)
    and functional disability index (ODI)", "VAS, ODI and JOA"), with nothing else between them."""
    return all(_LISTED_OUTCOMES.fullmatch(s[a.end:b.start]) or _LISTED_NAMED.fullmatch(s[a.end:b.start])
               for a, b in pairwise(outcomes))


# Between two outcomes of a list: the first one's bracket closed, a joining word, and the next one's
# full name of a few words before its abbreviation in brackets ("(VAS) and functional disability index (").
# The first may carry its own abbreviation in brackets ("pain score (VAS) and ...").
_LISTED_NAMED = re.compile(r"\s*[)\]]?\s*(?:[(\[][^()\[\]]{1,15}[)\]])?[\s,]*(?:,|and|or|as well as)[\s,]*(?:the\s+)?(?:(?:[A-Za-z-]+\s+){0,4}?[(\[]\s*)?|\s*[(\[]\s*", re.IGNORECASE)
_LISTED_OUTCOMES = re.compile(r"[\s,]*(?:scores?|values?|index)?[\s,]*(?:and|or|as well as)?[\s,]*(?:the\s+)?", re.IGNORECASE)


def _arms(s: str, mentions: list[Mention], vocab: Vocabulary) -> list[tuple[int, int, str]]:
    """Arm mentions (start, end, side) in a sentence, from arm words and PICO mentions."""
    # Named treatments first, so "acupoint injection group" is not read as an injection arm.
    named = [m for m in mentions if m.kind in ("intervention", "comparator", "generic")]
    arms = [(m.start, m.end, "comparator" if m.kind == "comparator" else "intervention") for m in named]
    taken = [(m.start, m.end) for m in named]
    for side, classes in (("comparator", vocab.comparator_arm), ("intervention", vocab.intervention_arm)):
        arms.extend((m.start, m.end, side) for m in claim(s, side, classes, taken))
    arms.sort()
    # "Electroacupuncture was more effective than acupuncture": of two acupuncture arms, the one
    # after the word that compares them is the comparator.
    first = next((a for a in arms if a[2] == "intervention"), None)
    if first is not None:
        for i, (a, b, side) in enumerate(arms):
            if side == "intervention" and a > first[1] and _COMPARED_TO.search(s, first[1], a):
                arms[i] = (a, b, "comparator")
    return arms


# "than the ...", "than did the manual acupuncture group"
_COMPARED_TO = re.compile(r"\b(?:than|versus|vs\.?|compared (?:with|to))\s+(?:(?:the|that|those|with|of|in|for|did|does|do|was|were|had)\s+)*$", re.IGNORECASE)


def _timepoint(s: str) -> tuple[str | None, float | None]:
    m = _TIMEPOINT.search(s)
    if not m:
        return None, None
    if m.group("eot"):
        return "end of treatment", None
    if m.group("day"):
        n = int(m.group("day"))
        return f"{n} day{'s' if n != 1 else ''}", n * WEEKS_PER["day"]
    if m.group("week") or m.group("nth"):
        n = int(m.group("week") or m.group("nth"))
        return f"{n} week{'s' if n != 1 else ''}", float(n)
    count = parse_count(m.group("n") or m.group("n2"))
    unit = (m.group("u") or m.group("u2")).lower()
    label = f"{count} {unit}{'s' if count != 1 else ''}"
    return label, (None if count is None else count * WEEKS_PER[unit])


def extract_findings(tables: dict[str, pd.DataFrame], topic: Topic) -> pd.DataFrame:
    """Effect statements for every article, as a ``findings`` table.

    Parameters
    ----------
    tables:
        Record tables; ``articles`` (pmid, title, abstract) is used.
    topic:
        Supplies the vocabularies.

    Returns
    -------
    pandas.DataFrame
        Conforming to ``evidence.tables.schema.FINDINGS`` with ``provenance="auto"``, the rule that
        fired, and ``span_start``/``span_end``/``sentence`` on every row. Where two findings
        share the table key, the one with more numbers is kept, unless both give estimates and
        these differ: then both are kept (the key and the estimate are unique).
    """
    rows = []
    for rec in tables["articles"][["pmid", "title", "abstract"]].to_dict("records"):
        for f in extract_effects(rec["pmid"], rec["title"], rec["abstract"], topic):
            rows.append(_finding_row(f))
    if not rows:
        return schema.empty_frame(schema.FINDINGS)
    frame = schema.conform(pd.DataFrame(rows), schema.FINDINGS)
    richness = frame[["estimate", "ci_low", "p_value_text"]].notna().sum(axis=1)
    key = list(schema.FINDINGS.key)
    order = frame.assign(_richness=-richness).sort_values(["pmid", "_richness"], kind="stable").index
    # Rows of one key that give different estimates are different effects (two doses against one
    # placebo, one form against two other forms of the comparator's class, or the same outcome "short-"


    # Rows of the outcome "other" are told apart by their words: "procedure time" and "satisfaction"
    # in one sentence are two effects.
    frame["_other"] = frame["outcome_text"].where(frame["outcome"] == OTHER_OUTCOME, "").fillna("").str.lower()
    key = [*key, "_other"]
    ordered = frame.loc[order]
    kept = ordered["estimate"].notna() & ~ordered.duplicated(subset=[*key, "estimate"]) | ~ordered.duplicated(subset=key)
    # The kept row takes the direction another row of its key states when it states none: one
    # sentence gives the rates ("99% against 97%"), the next the p-value about them.
    stated = frame["direction"].groupby([frame[k].astype("string").fillna("") for k in key]).transform("first")
    frame["direction"] = frame["direction"].fillna(stated)
    return frame.loc[order[kept.to_numpy()]].sort_index().reset_index(drop=True).drop(columns="_other")


def _finding_row(f: Finding) -> dict:
    return {
        "study_id": f.pmid, "pmid": f.pmid, "comparison": f.comparison, "intervention": f.intervention,
        "comparator_class": f.comparator_class, "add_on": f.add_on, "outcome": f.outcome, "timepoint": f.timepoint,
        "timepoint_weeks": f.timepoint_weeks, "measure": f.measure, "estimate": f.estimate,
        "ci_low": f.ci_low, "ci_high": f.ci_high, "p_value": f.p_value, "p_value_text": f.p_value_text,
        "lower_is_better": f.lower_is_better, "direction": f.direction, "span_start": f.span_start,
        "span_end": f.span_end, "sentence": f.sentence, "provenance": "auto", "rule": f.rule, "confidence": f.confidence,
        "outcome_text": f.outcome_text,
    }


OTHER_OUTCOME = schema.OTHER_OUTCOME
_NP_WORD = r"[A-Za-z][\w'/-]*"
# Words that end the name of a measured thing: prepositions that bring in the arms or the time,
# verbs, and the like.
_NP_STOP = frozenset(["between", "among", "at", "after", "before", "during", "from", "in", "on", "within", "by", "over", "since", "until", "than", "that", "those", "which", "who", "whose", "with", "without", "was", "were", "is", "are", "be", "been", "being", "did", "do", "does", "had", "has", "have", "showed", "shown", "remained", "differed", "differ", "differs", "reached", "compared", "comparing", "versus", "vs", "respectively", "significantly", "statistically", "significant", "not", "no", "both", "all", "each", "either", "the", "a", "an", "this", "these", "there", "it", "its", "their", "group", "groups", "arm", "arms", "patients", "participants", "subjects", "p", "ci", "but", "however", "although", "though", "yet", "whereas", "while", "regarding", "concerning", "about", "including"])
# Words that name no outcome by themselves.
_GENERIC = frozenset(["difference", "differences", "result", "results", "outcome", "outcomes", "effect", "effects", "efficacy", "therapeutic", "treatment", "treatments", "intervention", "change", "changes", "score", "scores", "value", "values", "mean", "median", "total", "average", "overall", "improvement", "improvements", "rate", "rates", "level", "levels", "clinical", "comparison", "significance", "trend", "trends", "number", "proportion", "percentage", "data", "effectiveness", "benefit", "benefits", "response", "finding", "findings", "measure", "measures", "parameter", "parameters", "index", "indices", "decrease", "increase", "reduction", "other", "others", "further", "also", "any", "some", "more", "less", "next", "effective", "efficacious", "beneficial", "useful", "successful", "favorable", "favourable",
                      "numbers", "likely", "unlikely", "frequent", "common", "pronounced", "marked", "evident", "test", "tests", "analysis", "meta-analysis", "meta-analyses", "study", "studies", "trial", "trials", "review", "log-rank", "pooled"])
_COMPARATIVE = (r"(?:lower|higher|greater|less|more|fewer|shorter|longer|better|worse|smaller|larger|"
                r"reduced|increased|decreased|improved)")
# "no differences in X", "differed in X", "a significant difference ... in terms of X".
_DIFFERENCE_IN = re.compile(
    r"\b(?:differences?|differed|differ|superior|inferior)\b[^;()\[\]]{0,60}?\b(?:in terms of|with respect to|with regard to|regarding|in|for|on)\s+"
    r"(?:the\s+|their\s+)?(?P<np>[^;()\[\]]+)$", re.IGNORECASE)
# "a lower morphine intake was seen", "needed more fluoroscopic images".
_COMPARATIVE_NP = re.compile(rf"\b{_COMPARATIVE}(?!\s+(?:limbs?|back|extremit\w*|legs?|abdom\w*|lumbar)\b)\s+(?P<np>{_NP_WORD}(?:\s+{_NP_WORD}){{0,5}})", re.IGNORECASE)
# The subject of "X was shorter", "X were similar", after a heading, a joining word or a time.
_SUBJECT = re.compile(
    r"^\W*(?:(?:results?|findings|and|but|while|whereas|however|moreover|also|furthermore|additionally)\b[:,]?\s*)*"
    r"(?:(?:at|after|by|during|over|on|within)\s+[^,;]{1,40},\s*)?(?:the\s+|a\s+|an\s+)?"
    rf"(?P<np>{_NP_WORD}(?:\s+{_NP_WORD}){{0,9}}?)(?:\s+(?:\w+ly|also|not))?\s+(?:was|were|did|differed|varied|showed|remained|tended)\b", re.IGNORECASE)
# After "X was": words that make X an arm judged against another.
_ARM_JUDGED_AFTER = re.compile(r"\s*(?:(?:also|significantly|statistically|clearly|markedly)\s+)*(?:(?:more|most|less|least|as)\s+(?:effective|efficacious|useful|beneficial)|associated with)\b"
                               r"|\s*(?:\w+\s+){0,2}?(?:superior|inferior|the (?:best|next|most|least|second))\b", re.IGNORECASE)
_BEFORE_AS_COMPARATOR = re.compile(
    r"\bthan\s+(?:(?:that|those)\s+)?(?:(?:at|of|in)\s+)?(?:the\s+)?(?:baseline|before|pre-?treatment|pre-?operative|pre-?intervention|prior)\b"
    r"|\b(?:compared|as compared)\s+(?:with|to)\s+(?:the\s+)?(?:baseline|pre-?treatment|before|pre-?operative)\b|\bfrom\s+(?:the\s+)?baseline\b", re.IGNORECASE)
# "rose in group A (from 2.5 to 3.1; P < 0.001)": a change within one arm, set against nothing.
_FROM_TO = re.compile(r"\bfrom\s+[-−]?\d[\d.]*[^;()]{0,30}?\s+to\s+[-−]?\d", re.IGNORECASE)
_EXCEPT = re.compile(r"\b(?:except|apart from|other than|but not)\b", re.IGNORECASE)
# A further item of a list of outcomes, one statistic each: "in A (p = 0.8), B (p = 0.2), or C (p = 0.3)".
_LIST_ITEM = re.compile(rf"^\s*[,;]?\s*(?:and\s+|or\s+)?(?:the\s+)?(?P<np>{_NP_WORD}(?:\s+{_NP_WORD}){{0,4}})\s*$", re.IGNORECASE)
# Where a part of a sentence starts afresh.
_PART_BREAK = re.compile(r";|,\s*(?:and|but|while|whereas)\s+|\b(?:whereas|while)\s+|\.\s+", re.IGNORECASE)
# A cue that the arms are set against each other.
_ARMS_SET_AGAINST = re.compile(
    r"\bdiffer\w*\b|\bin favou?r of\b|\bcompared (?:with|to)\b|\brelative to\b|\b(?:similar|comparable|alike)\b"
    r"|\b(?:in|between|across|among) (?:the )?(?:two|three|four|both|all|the) (?:\w+ )?(?:groups|arms)\b"
    # "a lower X in the block arm": a comparative said of one arm sets it against the other.
    r"|\b(?:lower|higher|greater|less|more|fewer|shorter|longer|better|worse|smaller|larger)\b[^;]{0,80}\b(?:groups?|arms?)\b"
    r"|\b(?:groups?|arms?)\b[^;]{0,40}\b(?:lower|higher|greater|less|more|fewer|shorter|longer|better|worse|smaller|larger)\b",
    re.IGNORECASE)
_GROUP_WORD = re.compile(r"\b(?:groups?|arms?)\b", re.IGNORECASE)
# Two arms set against each other by their counts: "11 (14%) of 77 given A and 19 (24%) of 79 given B",
# "40 of 52 (77%) ... and 27 of 50 (54%)".
_COUNT_OF = r"\b(?:\d+|[a-z]+(?=\s*\())\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?of\s+\d+\b"
_TWO_COUNTS = re.compile(
    rf"{_COUNT_OF}[^;]{{0,120}}?\b(?:and|but|versus|vs\.?|compared (?:with|to)|whereas|while)\b"
    r"[^;]{0,60}?(?:\b\d+\s*(?:\(\s*\d+(?:\.\d+)?\s*%\s*\)\s*)?(?:of\s+\d+|\(\s*\d+(?:\.\d+)?\s*%\s*\))|\b\d+(?:\.\d+)?\s*%\s*of\b)", re.IGNORECASE)
# The name of a measured thing after a word of change or of analysis: "a rise in the 12-month revision
# rate (OR ...)", "the pooled analysis concerning sleep disturbance showed ...".
_CHANGE_IN = re.compile(
    r"\b(?:(?:increase|decrease|reduction|rise|fall|drop|decline)s?\s+in|(?:meta-?analys[ie]s|analys[ie]s)\s+(?:regarding|concerning|about|on))"
    r"\s+(?:the\s+|their\s+)?(?P<np>[^;()\[\]]+)$", re.IGNORECASE)
# How the course went, rated: "results were unsatisfactory in 11 (14%) of ...", "the injection was successful in 61".
_RATED_IN = re.compile(
    r"\s*(?:\w+ly\s+)?(?P<rated>(?:poor|good|excellent|fair|(?:un)?satisfactory|(?:un)?successful|(?:un)?favou?rable)"
    r"(?:\s+(?:or|and|to)\s+(?:poor|good|excellent|fair|(?:un)?satisfactory|(?:un)?successful|(?:un)?favou?rable))?)\s+(?:in|for|among)\s+(?:\d|[a-z]+\s*\(\s*\d)",
    re.IGNORECASE)
# What the people counted in each arm did or had, said last before the statistic: "4 (6%) of 66 in the block
# arm but 13 (20%) in the saline arm had a poor result", "fewer patients on A (12%) than on B (31%) switched
# treatment". The counted sentence opens with a count or "more/fewer patients".
_COUNTED_OPENING = re.compile(
    r"^\W*(?:(?:among|in|at|after|by|within|during)\b[^,;]{1,60},\s*)?(?:\d+\b|[a-z]+\s*\(\s*\d+(?:\.\d+)?\s*%\s*\)|(?:more|fewer|less)\s+(?:patients|participants|subjects|people|women|men)\b"
    r"|(?:a\s+)?(?:higher|lower|larger|smaller|greater)\s+(?:proportion|number|percentage|share)\s+of\b)", re.IGNORECASE)
_COUNTED_DID = re.compile(
    r"(?:[)%]|\b[A-Za-z][\w-]*)\s+(?:also\s+)?(?P<vp>(?:had|reported|experienced|developed|achieved|needed|required|underwent|"
    r"returned|switched|crossed|went|resumed|stopped|discontinued|withdrew|used|took)\b[^()\[\];,%]{1,80}?)\s*$", re.IGNORECASE)
_MEASURE_WORD = re.compile(r"(?:S?MD|[OHR]R|RD|CI|WMD|mean difference|odds ratio|hazard ratio|risk ratio|relative risk)", re.IGNORECASE)
_HAD_VERB = re.compile(r"^(?:had|reported|experienced|developed|achieved)\s+(?:an?\s+|the\s+|any\s+)?", re.IGNORECASE)
_TIME_WORD = re.compile(r"^(?:[\w-]*\d[\w-]*|one|two|three|four|five|six|seven|eight|nine|ten|twelve)-(?:hours?|days?|weeks?|months?|years?)\s+", re.IGNORECASE)


def _noun_phrase(words: str) -> str | None:
    """The leading words of ``words`` that can name a measured thing, or None when they name none."""
    kept: list[str] = []
    # Adverbs and comparatives before the name: "a markedly smaller opioid intake".
    words = re.sub(rf"^(?:(?:significantly|markedly|statistically|notably|considerably|slightly|substantially|clearly|much|far|{_COMPARATIVE})\s+)+",
                   "", words.strip(), flags=re.IGNORECASE)
    for w in re.findall(r"[^\s,]+|,", words):
        word = w.strip(".:\"'")
        if w == "," or word.lower() in _NP_STOP or not re.fullmatch(_NP_WORD, word) or re.search(r"\d", w):
            break
        # "of" is no stop word: it joins two nouns ("duration of pain relief").
        kept.append(word)
    while kept and kept[-1].lower() in ("of", "and", "or", "in", "for", "to", "with"):
        kept.pop()
    if not kept or len(kept) > 8 or kept[0].lower() in ("of", "and", "or", "to", "for"):
        return None
    # Words that say when ("the three-month period") or how much name no outcome either.
    if all(w.lower() in _GENERIC or re.fullmatch(r"(?:\w+-)?(?:hours?|days?|weeks?|months?|years?|periods?|time-?points?)", w.lower()) for w in kept):
        return None
    return " ".join(kept)


def _outcome_words(part: str, after_stat: bool, after: str = "") -> list[str]:
    """The outcomes one part of a sentence names before its statistic: several for "differences in A,
    B and C" with one statistic, else at most one. ``after_stat``: the part follows another statistic."""
    piece = _PART_BREAK.split(part)[-1]
    # "differences in A, B, and C": a list may run over the joining words that end a part; not when
    # a verb follows in it ("no difference in A, and B was lower").
    m = _DIFFERENCE_IN.search(re.split(r";|\.\s+", part)[-1])
    if m is None or re.search(r"\b(?:was|were|is|are|did|had|showed)\b", m.group("np"), re.IGNORECASE):
        m = _DIFFERENCE_IN.search(piece)
    if m:
        # A list of times after the names ("A, B and C at 24, 48 and 72 h") is when, not what.
        listed = re.sub(r"\s+(?:at|after|on|by|within|over|during)?\s*\d.*$", "", m.group("np"))
        items = re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", listed)
        named = [x for x in (_noun_phrase(re.sub(r"^(?:the|their)\s+", "", i.strip(), flags=re.IGNORECASE)) for i in items) if x]
        # Only as a list when every item names something: "in pain at 24, 48 and 72 h" is one outcome.
        if named and len(named) == len([i for i in items if i.strip()]):
            return named
        first = _noun_phrase(m.group("np"))
        if first:
            return [first]
    for m in (_SUBJECT.search(piece), _SUBJECT.search(_PART_BREAK.split(part)[0]) if piece != part else None):
        # "X was more effective than Y", "X was the best approach": X is an arm, not an outcome; and
        # "A and B were similar, except for C (P = ...)": the statistic is C's.
        if m is None or _EXCEPT.search(m.string, m.end()):
            continue
        # What follows the verb, with the brackets of statistics left out: "X was significantly (p <
        # 0.001) more effective than Y".
        said = re.sub(r"\s*[(\[][^()\[\]]*[)\]]", "", m.string[m.end():] + " " + re.sub(r"^[\s)\],;]+", "", after))
        if _ARM_JUDGED_AFTER.match(said):
            continue
        np = re.split(r"\s+(?:of|in|for)\s+(?:the\s+)?(?=\S*\s*(?:groups?|arms?)\b|group\b|arm\b)", m.group("np"), flags=re.IGNORECASE)[0]
        np = re.split(r"\s+(?:of|in|for)\s+(?:the\s+)?(?:\S+\s+)?(?:groups?|arms?)\b", np, flags=re.IGNORECASE)[0]
        found = None if _GROUP_WORD.search(np) else _noun_phrase(np)
        if found:
            return [found]
        if not _PART_BREAK.search(part):
            break
    for m in _COMPARATIVE_NP.finditer(piece):
        found = _noun_phrase(m.group("np"))
        if found:
            return [found]
    # The words of an estimate's bracket before its number are no part of the name: "rate (odds ratio 1.9".
    piece = re.sub(r"\s*[(\[][^()]*$", "", piece)
    # "a rise in the 12-month revision rate": the name less its time word and any verb after it; not a
    # measure ("a decrease in HR") nor an arm ("a decrease in the high-dose group").
    m = _CHANGE_IN.search(piece)
    np = _TIME_WORD.sub("", re.sub(r"\s+(?:found|showed|revealed|demonstrated|indicated|suggested|yielded)\b.*$", "", m.group("np"), flags=re.IGNORECASE)) if m else ""
    if (found := _noun_phrase(np) if np else None) and not _MEASURE_WORD.fullmatch(found) \
            and not re.search(rf"\b{re.escape(found)}\s+(?:groups?|arms?)\b", np, re.IGNORECASE):
        return [found]
    # "Results were poor in 11 (14%) of 77 ...": the rating is the outcome.
    m = re.search(r"\b(?P<np>[A-Za-z][\w-]*)\s+(?:was|were)(?=" + _RATED_IN.pattern + ")", piece, re.IGNORECASE)
    rated = _RATED_IN.match(piece, m.end()) if m else None
    if m and rated:
        return [f"{rated.group('rated').lower()} {m.group('np').lower() if m.group('np').lower() in _GENERIC else 'outcome'}"]
    m = _COUNTED_DID.search(piece)
    if m and _COUNTED_OPENING.search(piece):
        vp = re.sub(r"\s+(?:at|after|before|by|within|during|over|since|until|in)\s+.*$", "", _HAD_VERB.sub("", m.group("vp")), flags=re.IGNORECASE)
        if (found := _noun_phrase(vp)):
            return [found]
    if after_stat:
        m = _LIST_ITEM.match(part)
        if m and (found := _noun_phrase(m.group("np"))):
            return [found]
    return []


def _other_findings(pmid: str, sentence: Sentence, mentions: list[Mention], vocab: Vocabulary, pico: Pico,
                    when: tuple[str | None, float | None] | None, skip: set | None = None) -> list[Finding]:
    """Between-group statistics of a sentence that names no outcome of the topic, each under the
    outcome the words before it name ("Procedure time was similar (P = 0.17)"), as outcome
    "other" with those words in ``outcome_text``. The same rules as for named outcomes keep out
    changes within the arms and comparisons before treatment; a statistic must come with words
    that set the arms against each other (or be a named estimate, which does), and a name
    must be found for it. No narrative rows: only statistics.

    ``skip``: (estimate, p-value text) of the statistics rows of named outcomes took, in a sentence
    that names some; a name found for another statistic must then name no outcome of the topic."""
    s = sentence.text
    stats = sorted(_stats(s), key=lambda st: st.start)
    if not stats:
        return []
    if _WITHIN_GROUP.search(s) and not _BETWEEN_GROUPS.search(s) or _WITHIN_STATED.search(s) \
            or _change_only(s, mentions, stats) or compares_before_treatment(s) or _at_baseline_only(s):
        return []
    if _BEFORE_AS_COMPARATOR.search(s) or _FROM_TO.search(s) and not _BETWEEN_GROUPS.search(s):
        # "higher than that before treatment": each arm against its own start.
        return []
    against = bool(_BETWEEN_GROUPS.search(s) or _ARMS_SET_AGAINST.search(s) or len(_GROUP_WORD.findall(s)) >= 2 or _TWO_COUNTS.search(s))
    intervention = pico.interventions[0] if pico.interventions else None
    comparator = pico.comparator_classes[0] if pico.comparator_classes else None
    timepoint, weeks = _timepoint(s)
    if timepoint is None and when is not None:
        timepoint, weeks = when
    out: list[Finding] = []
    names: list[str] = []
    previous_end = 0
    for k, st in enumerate(stats):
        # The words between the statistic before and this one, less the brackets around each.
        part = re.sub(r"^[\s)\]]+|[\s(\[,;:=]+$", "", s[previous_end:st.start])
        previous_end = st.end
        if st.measure is None and st.p_value_text is None:
            continue
        found = _outcome_words(part, after_stat=k > 0, after=s[st.end:])
        if not found and k and re.fullmatch(r"[\s,;]*(?:and|or)?[\s,;]*", part, re.IGNORECASE):
            # "(p = 0.06 with weighting, p = 0.10 without)": a second statistic of the same thing.
            found = names
        names = found
        if skip is not None:
            found = [x for x in found if not any(m.kind == "outcome" for m in sentence_mentions(x, vocab))]
            if (st.estimate, st.p_value_text) in skip:
                continue
        if not found or not (against or st.measure is not None):
            continue
        significant = _p_significant(st) if st.p_value_text else None
        measure = st.measure
        if measure == _DIFFERENCE:
            measure = "RD" if re.search(r"\b(?:rates?|proportions?|percentages?|incidence|risk)\b", " ".join(found), re.IGNORECASE) else "MD"
        rule = "effect.other_outcome." + ("estimate" if st.measure else "p_value")
        for name in found:
            out.append(Finding(
                pmid=pmid, outcome=OTHER_OUTCOME, outcome_text=name, span_start=sentence.start, span_end=sentence.end, sentence=s,
                rule=rule, measure=measure, estimate=st.estimate, ci_low=st.ci_low, ci_high=st.ci_high,
                p_value=st.p_value, p_value_text=st.p_value_text,
                direction="no_difference" if significant is False else None, lower_is_better=None,
                timepoint=timepoint, timepoint_weeks=weeks, intervention=intervention, comparator_class=comparator,
                add_on=pico.add_on, confidence=_CONFIDENCE["effect.p_value"] * 0.7))
    return out
