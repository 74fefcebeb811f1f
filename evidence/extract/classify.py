"""Study design from publication types, MeSH and text, and the ``studies`` table built from it.

Design is called by weighted cues. Each cue is a piece of evidence for one design with a weight
(the chance it is right when seen alone): a publication type, a MeSH heading, or a phrase in the
title or abstract. A design's score combines its cues by noisy-or, so two independent hints count
for more than one, but no pile of weak hints reaches certainty. The best score wins, after
precedence rules that mirror how abstracts are written:

* a *protocol* describes a trial in the future tense, so its randomization words do not make it
  an RCT;
* a *review* talks about the trials it includes, so its trial words do not make it a trial;
* a trial that says its allocation was *not random* is not made an RCT by blinding, arms or a
  comparison, which only stated randomization outweighs.

RCT cues are graded by what they show: stated randomization ("were randomly assigned") weighs
most; blinding, allocation to arms, a comparison and a trial registry id are features RCTs
usually have, and weigh less, so a call resting on them shows it in its confidence and rule.

Text cues are enough on their own, so records not yet indexed (no MeSH, no publication types)
are still classified; indexing, when present, raises confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pandas as pd

from ..tables import schema
from .findings import extract_pico
from .sample_size import extract_sample_size
from ..topic.literals import Searcher
from .text import record_text
from ..topic.model import Topic


@dataclass(frozen=True)
class DesignCall:
    """A design decision with what it rests on.

    Attributes
    ----------
    design:
        One of ``evidence.tables.schema.DESIGNS``.
    confidence:
        Combined weight of the cues for the chosen design (0-1).
    evidence:
        Human-readable cues that supported it, e.g. ``"publication type: Randomized Controlled Trial"``.
    rule:
        Name of the strongest cue, or of the precedence rule that decided.
    cues:
        Names of the cues behind ``evidence``, in the same order (e.g. ``"text.double_blind"``).
    """

    design: str
    confidence: float
    evidence: list[str] = field(default_factory=list)
    rule: str = ""
    cues: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Cue:
    design: str
    name: str
    weight: float


# Publication types as NCBI spells them: https://www.nlm.nih.gov/mesh/pubtypes.html
_PUBLICATION_TYPE_CUES: dict[str, _Cue] = {
    "randomized controlled trial": _Cue("rct", "pt.rct", 0.95),
    "meta-analysis": _Cue("meta_analysis", "pt.meta_analysis", 0.95),
    "network meta-analysis": _Cue("meta_analysis", "pt.meta_analysis", 0.95),
    "systematic review": _Cue("systematic_review", "pt.systematic_review", 0.95),
    "clinical trial protocol": _Cue("protocol", "pt.protocol", 0.95),
    "practice guideline": _Cue("guideline", "pt.guideline", 0.95),
    "guideline": _Cue("guideline", "pt.guideline", 0.95),
    "consensus development conference": _Cue("guideline", "pt.consensus", 0.8),
    "case reports": _Cue("case_report", "pt.case_report", 0.9),
    "review": _Cue("narrative_review", "pt.review", 0.6),
    "controlled clinical trial": _Cue("non_randomized_trial", "pt.controlled_clinical_trial", 0.6),
    "clinical trial": _Cue("non_randomized_trial", "pt.clinical_trial", 0.3),
    "observational study": _Cue("cohort", "pt.observational", 0.6),
    "letter": _Cue("other", "pt.letter", 0.8),
    "editorial": _Cue("other", "pt.editorial", 0.8),
    "comment": _Cue("other", "pt.comment", 0.8),
    "news": _Cue("other", "pt.news", 0.8),
}

_MESH_CUES: dict[str, _Cue] = {
    "random allocation": _Cue("rct", "mesh.random_allocation", 0.6),
    "double-blind method": _Cue("rct", "mesh.blinding", 0.4),
    "single-blind method": _Cue("rct", "mesh.blinding", 0.4),
    "cohort studies": _Cue("cohort", "mesh.cohort", 0.6),
    "prospective studies": _Cue("cohort", "mesh.prospective", 0.3),
    "retrospective studies": _Cue("cohort", "mesh.retrospective", 0.3),
    "case-control studies": _Cue("case_control", "mesh.case_control", 0.8),
    "rats": _Cue("animal_or_lab", "mesh.animal", 0.8),
    "mice": _Cue("animal_or_lab", "mesh.animal", 0.8),
    "rats, sprague-dawley": _Cue("animal_or_lab", "mesh.animal", 0.8),
    "rats, wistar": _Cue("animal_or_lab", "mesh.animal", 0.8),
    "rabbits": _Cue("animal_or_lab", "mesh.animal", 0.8),
    "cells, cultured": _Cue("animal_or_lab", "mesh.cells", 0.8),
}

_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen|twenty[\w-]*|thirty[\w-]*|forty[\w-]*|fifty[\w-]*|sixty[\w-]*|seventy[\w-]*|eighty[\w-]*|ninety[\w-]*)"
# Treatment chosen by the patients or their doctors, not by the study: allocation "according to
# their preference", "by the patient's own choice", people who "chose to receive" or "opted for" a
# treatment. (Not "at the discretion of" or "decided": trials say so of rescue care.)
_GROUPS_BY_CHOICE = (
    r"\b(?:according to|based on|by|following|depending on|on the basis of)\s+(?:the\s+)?(?:(?:patient|participant|physician|surgeon|doctor|clinician)(?:s|'s|s')?\s+|their\s+|his\s+or\s+her\s+)?"
    r"(?:own\s+)?(?:choice|preference|wish)(?:s|es)?\b"
    r"|\b(?:chose|opted|elected|preferred)\s+(?:to\s+(?:receive|undergo|have|be\s+treated)|for)\b"
)
_NOT_FUTURE = r"(?<!will be )(?<!will )(?<!to be )"
# "Mendelian randomization" allocates no one: genetic variants stand in for an exposure.
_NOT_NEGATED = r"(?<!non-)(?<!non )(?<!quasi-)(?<!quasi )(?<!not )(?<!pseudo-)(?<!mendelian )"
# How reviews describe the trials they include ("nine double-blind, placebo-controlled trials").
_TRIAL_ADJECTIVES = r"(?:(?:double|single|triple)-blind(?:ed)?,?\s+|(?:placebo|sham)-controlled,?\s+|(?:parallel-group|crossover|multicent(?:er|re)|eligible),?\s+){0,3}"

# Traits of a disease or of people by which a study may sort those who all had the same care.
_TRAIT = (r"(?:severity|degree|grades?|grading|stages?|staging|presence|absence|extent|response|responsiveness|chronicity|age|sex|gender|BMI"
          r"|body mass index|diagnos[ie]s|etiology|aetiology|morphology|comorbidit\w*|diabet\w*|smoking|(?:symptom|pain|disease|illness) duration"
          r"|duration of (?:symptoms|pain|disease|illness))\b")

# (design, name, weight in the abstract, weight in the title, pattern). Weights are judgement
# calls tuned on tests/fixtures/labelled; the benchmark reports how well they do.
_TEXT_CUES: tuple[tuple[str, str, float, float, str], ...] = (
    # Not where "were_randomized" reads the same word: one phrase is one piece of evidence.
    ("rct", "randomized", 0.75, 0.8, _NOT_FUTURE + _NOT_NEGATED + r"(?<!were )(?<!was )(?<!been )(?<!we )\brandomi[sz](?:ed|ation|ing)\b"),
    ("rct", "randomly_assigned", 0.9, 0.9, _NOT_FUTURE + _NOT_NEGATED + r"\b(?:randomly|at random),?\s+(?:\w+\s+){0,2}(?:assigned|allocated|divided|subdivided|distributed|split|grouped|enrolled|treated|exposed|given|stratified|sequenced|studied|selected to (?:receive|consume|undergo))"
     r"|\b(?:assigned|allocated|divided|subdivided|distributed|treated|exposed|given)\s+(?:\w+\s+){0,3}?(?<!not )(?<!non )(?:randomly|at random)\b"
     # Groups, not people, "randomly selected": the allocation was random ("two randomly selected groups").
     r"|\b(?:randomly|at random)\s+(?:selected|chosen|formed)\s+(?:[\w-]+\s+){0,2}?(?:groups|arms)\b"),
    # Randomization stated as done to the participants ("were randomized to", "we randomised 30
    # subjects"): as plain as "randomly assigned", unlike the adjective in "a randomized trial".
    ("rct", "were_randomized", 0.9, 0.9, r"\b(?:were|was|been|we)\s+(?:\w+ly\s+|then\s+)?randomi[sz]ed\b(?!\s+(?:controlled|clinical|trials?|studies)\b)"),
    ("rct", "random_sequence", 0.8, 0.8, _NOT_NEGATED + r"\brandom(?:ized|ised)?\s+(?:number|numer(?:ical|ic)|allocation|assignment|sequence|digit|method|envelope|lottery|grouping|(?:counterbalanced\s+)?order)"
     r"|\b(?:by|through)\s+(?:the\s+)?(?:drawing|draw(?:ing)? of)\s+lots\b"
     # A factorial split within groups: "a random half of each group also had massage".
     # Allocation said to be random in a clause of its own: "Allocation was random: ...".
     r"|\b(?:allocation|assignment|grouping)\s+(?:was|were)\s+(?:done\s+|made\s+|performed\s+)?(?:at\s+)?random(?:ly)?\b"
     r"|\brandom\s+(?:half|third|two-thirds)\s+(?:of\s+)?(?:the\s+)?(?:patients|participants|subjects|each|every)\b"),
    # People "randomly selected" or "randomly gathered" were sampled at random, not allocated.
    ("rct", "randomly", 0.6, 0.6, _NOT_FUTURE + _NOT_NEGATED + r"\b(?:randomly|at random)\b(?!\s+(?:selected|chosen|sampled|drawn|gathered|collected)\b(?!\s+to))"),
    # Weakest RCT cue: treatments compared between groups, randomization not stated. Most such
    # abstracts report RCTs, but the low weight keeps the doubt visible in the confidence.
    ("rct", "comparison_randomization_not_stated", 0.4, 0.4, r"\b(?:placebo|versus|vs\.?|compared (?:with|to)(?!\s+(?:the\s+)?(?:baseline|before|pre-?(?:treatment|operative|procedure|injection|intervention)\b))|comparison of|comparing|compared between(?!\s+(?:the\s+)?(?:baseline|before|pre))|(?:control|experimental|intervention|treatment|placebo) groups?|(?:two|three|both|study) groups|groups? receiving|(?:received|treated with|underwent|were given) either|wait(?:ing)?[- ]?list|trial(?!\s+(?:(?:is|was|has been)\s+)?regist))\b"),
    ("rct", "rct_abbreviation", 0.6, 0.8, r"\bRCT\b"),
    # Blinding both sides almost always comes with random allocation, but neither says it was
    # random: lower than stated randomization. Blinding one side (or only the assessors) is also
    # done in cohort and diagnostic studies, so it counts for less.
    ("rct", "double_blind", 0.65, 0.7, _NOT_NEGATED + r"\b(?:double|triple|quadruple)[- ]?(?:blind|mask)\w*"),
    ("rct", "single_blind", 0.5, 0.6, _NOT_NEGATED + r"\b(?:single|observer|assessor|evaluator)[- ]?(?:blind|mask)\w*"),
    ("rct", "placebo_controlled", 0.5, 0.6, r"\b(?:placebo|sham)[- ]controlled\b"),
    ("rct", "crossover", 0.4, 0.5, r"\bcross-?over\s+(?:trial|study|design)\b"),
    # Participants allocated to arms, without saying how: a trial, most often randomized, but the
    # allocation could be by any method, so it counts for little more than a comparison does.
    # Treatment "assigned by the treating physician" is routine care, which a cohort describes.
    ("rct", "allocated_to_arms", 0.5, 0.5, _NOT_FUTURE + r"\b(?:allocated|assigned)\s+(?:in)?to\s+(?:receive\b|either\b|one of\b|(?:the\s+)?(?:two|three|four|five|six|[2-6])\s+(?:\w+\s+){0,2}?(?:groups|arms|regimens|conditions)\b)"
     r"(?![^.]*\bby\s+(?:the\s+|their\s+)?(?:treating\s+|attending\s+)?(?:clinicians?|physicians?|surgeons?|doctors?)\b)"),
    # Registries take observational and single-arm studies too, so a trial id alone says little
    # about the design: its weight is below _MIN_SCORE and only adds to other trial cues.
    ("rct", "trial_registration", 0.3, 0.3, r"\b(?:NCT\s?\d{8}|ISRCTN\s?\d{6,}|ChiCTR[-\w]*\d{6,}|ACTRN\s?\d{10,}|EudraCT\s?(?:number\s?:?\s?)?\d{4}-\d{6}|IRCT\s?\d{6,}|UMIN\s?\d{6,}|DRKS\s?\d{6,}|CTRI/\d{4})"),
    ("protocol", "protocol_title", 0.6, 0.95, (r"(?<!per-)(?<!per )\b(?:study|trial|research|review)\s+protocol\b|\bprotocol\s+(?:for|of)\s+an?\b"
     # The kind of study planned, without an article: "protocol for systematic review and meta-analysis".
     r"|\bprotocol\s+(?:for|of)\s+(?:the\s+)?(?:(?:updated|living|rapid)\s+)?(?:systematic|scoping|umbrella|network|meta-analy|overview|randomi[sz]ed|pilot|feasibility|multicent)"
     # A title that opens with the word: "Protocol for evaluation of ...".
     r"|^\s*protocol\s+(?:for|of)\b"
     # The paper saying it is the protocol: "This protocol describes ...", "we present the trial
     # protocol" (not "this protocol was approved", said of a reported trial's plan).
     r"|\bthis\s+(?:study\s+|trial\s+)?protocol\s+(?:describes|outlines|presents|details|sets\s+out)\b|\bwe\s+(?:describe|present|report)\s+(?:the|our|a)\s+(?:study\s+|trial\s+)?protocol\b")),
    ("protocol", "future_methods", 0.75, 0.75, (r"\b(?:will|shall)\s+be\s+(?:randomi[sz]ed|randomly|recruited|enrolled|allocated|assigned|included|measured|assessed|evaluated|analy[sz]ed|collected|followed|divided|searched)"
     # Plans said in the present: "240 participants are to be recruited", "are going to be assigned".
     r"|\b(?:are|is)\s+(?:to|going to)\s+be\s+(?:randomi[sz]ed|randomly|recruited|enrolled|allocated|assigned|included|divided)"
     # "Participants are going to receive ...", and the heading a protocol gives its hopes: "Expected outcomes:".
     # Not people "who are going to undergo" an operation already planned for them.
     r"|(?<!who )(?<!that )(?<!which )\bare\s+going\s+to\s+(?:receive|undergo)\b|\bexpected\s+(?:outcomes?|results)\s*:"
     # A plan for the participants in the present tense: "the study aims to include 50 participants".
     r"|\b(?:aims?|plans?|intends?)\s+to\s+(?:include|recruit|enrol|enroll|randomi[sz]e)\b")),
    # Not "this study will review the research": a review that says what it will go over.
    ("protocol", "future_trial", 0.6, 0.6, r"\b(?:this|the|our)\s+(?:study|trial|review)\s+will\b(?!\s+(?:\w+\s+)?(?:review|summari[sz]e|discuss|introduce|outline|elaborate|describe)\b)|\bwe will\s+(?:recruit|enrol|enroll|randomi[sz]e|conduct|search|assess|include|evaluate)"),
    # A trial-registry entry (ClinicalTrials.gov, CRIS, IRCT and their copies) lists a planned
    # study's fields: its target size, recruitment status, study type, sponsor. Whatever the
    # study's status, the entry describes the plan, not results.
    ("protocol", "registry_record", 0.85, 0.85, (r"\b(?:target|planned|anticipated|estimated|expected)\s+(?:recruitment|enrol?l?ment|sample\s+size|number\s+of\s+(?:participants|subjects))\s*:?\s*\d"
     r"|\brecruitment\s+(?:&|and)\s+eligibility\b|\brecruitment\s+status\s*:?\s*(?:recruiting|completed|terminated|withdrawn|not yet|active|suspended|pending)"
     r"|\bstudy\s+type\s*:?\s*(?:interventional|observational)\b|\blead\s+sponsor\b|\bbrief\s+summary\s*:"
     # A registry's own words for an entry and for its arms: "Registry record:", "(active comparator)",
     # "Placebo Comparator: saline".
     r"|\b(?:trial\s+)?regist(?:ry|ration)\s+(?:record|entry)\s*:|\((?:experimental|active\s+comparator|placebo\s+comparator|sham\s+comparator)\)"
     r"|\b(?:active|placebo|sham)\s+comparator\s*:"
     # Other fields only a registry prints: "Official title:", "Enrollment: 180 (anticipated)",
     # "Allocation: Randomized", "Status: recruiting", "Intervention model:".
     r"|\bofficial\s+(?:scientific\s+)?title\s*:|\benrol?l?ment\s*:?\s*\d+\s*\(?(?:anticipated|estimated|actual)\b|\ballocation\s*:\s*(?:randomi[sz]ed|non-?randomi[sz]ed|N/A)\b"
     r"|\b(?:overall\s+|recruitment\s+)?status\s*:\s*(?:recruiting|not\s+yet\s+recruiting|enrolling|active,?\s+not\s+recruiting)\b|\bintervention\s+model\s*:|\bmasking\s*:\s*(?:none|single|double|triple|quadruple)\b")),
    # The plain-language summary registries now ask for: "The main questions it aims to answer
    # are ...", "Researchers will compare ...", said of a study still to be done.
    ("protocol", "registry_summary", 0.8, 0.8, r"\bmain\s+questions?\s+(?:it|this\s+(?:study|trial))\s+aims?\s+to\s+answer\b|\b(?:researchers|investigators)\s+will\s+(?:compare|recruit|enrol|enroll|assess|measure|evaluate|randomi[sz]e|test|examine|follow|look)\b"),
    # A review still to be done says what its authors will do: "we will search MEDLINE", "two
    # reviewers will screen", "data will be extracted and pooled". A finished review tells it in the past.
    ("protocol", "review_plan", 0.75, 0.75, (r"\bwe\s+will\s+(?:search|screen|extract|pool|synthesi[sz]e|use\s+(?:the\s+)?(?:Cochrane|GRADE|RevMan|Stata))"
     r"|\b(?:will|shall)\s+be\s+(?:independently\s+)?(?:screened|extracted|pooled|synthesi[sz]ed|meta-?analy[sz]ed)\b"
     r"|\b(?:two|2)\s+(?:independent\s+)?(?:reviewers|review\s+authors|authors|investigators)\s+will\b")),
    # A trial told while it runs: "a trial in progress", "the trial is currently recruiting" (not
    # "an interim analysis of this ongoing trial", which reports results).
    ("protocol", "trial_in_progress", 0.8, 0.85, r"\b(?:trial|study)\s+in\s+progress\b|\b(?:trial|study)\s+(?:is|was)\s+(?:currently\s+|now\s+|still\s+)?(?:recruiting|enrolling)\b"),
    ("protocol", "protocol_sections", 0.8, 0.8, r"\b(?:METHODS AND ANALYSIS|ETHICS AND DISSEMINATION):"),
    # The heading trial protocols are published under; alone it does not outweigh a reported trial.
    ("protocol", "methods_design_heading", 0.6, 0.6, r"\bMethods?\s*/\s*design\b"),
    # A paper on the design of a trial ("design of a randomized controlled trial", "rationale and
    # design of a ... study"): in a title it names a protocol; in an abstract it may be a remark on
    # a reported trial's design, so it counts for little there.
    ("protocol", "design_paper", 0.4, 0.9, r"\b(?:design|rationale)(?:\s+and\s+(?:design|rationale|methods?))?\s+(?:of|for)\s+(?:an?|the)\s+(?:[\w-]+,?\s+){0,5}?(?:trial|study|RCT)\b"),
    # Not the name of the PRISMA statement ("Preferred Reporting Items for Systematic Reviews and
    # Meta-Analyses"), which systematic reviews that pool nothing follow too.
    ("meta_analysis", "meta_analysis", 0.8, 0.95, r"(?<!no )(?<!without )(?<!not )(?<!reviews and )\bmeta-?\s?analy[sz]\w*"),
    ("meta_analysis", "pooling_model", 0.8, 0.8, r"\b(?:random|fixed)[- ]effects?\s+(?:model|meta)|\bpooled\s+(?:analysis|estimate|effect|results?|data|mean|risk|odds)|\bI(?:2|²|\^2)\s*=|\bforest plot"),
    ("systematic_review", "systematic_review", 0.85, 0.95, r"\bsystematic(?:al)?\s+(?:literature\s+)?review"),
    ("systematic_review", "database_search", 0.85, 0.85, (r"\b(?:searched|searching|search(?:es)? of|search(?:es)? in|retrieved from|identified (?:using|from|in|through))\b[^.]{0,150}\b(?:PubMed|MEDLINE|EMBASE|Cochrane|CNKI|Web of Science|Scopus|CINAHL|Wanfang|VIP|(?<!claims )(?<!insurance )(?<!records )(?<!record )(?<!administrative )(?<!billing )(?<!hospital )(?<!national )(?<!nationwide )(?<!institutional )databases?)\b"
     # The databases named first: "PubMed, Scopus and the Cochrane Library were searched".
     r"|\b(?:PubMed|MEDLINE|EMBASE|Cochrane|CNKI|Web of Science|Scopus|CINAHL|Wanfang)\b[^.]{0,150}?\b(?:were|was|had been)\s+(?:\w+\s+)?searched\b")),
    ("systematic_review", "prisma", 0.8, 0.8, r"\bPRISMA\b"),
    # Reviews that search systematically under another name ("a scoping review", "an umbrella
    # review", "an evidence map"; not "an overview of reviews", which the labels read as a narrative
    # review when it names no search).
    ("systematic_review", "evidence_synthesis", 0.85, 0.95, r"\b(?:scoping|umbrella|rapid|mapping|realist)\s+(?:literature\s+)?reviews?\b|\bevidence\s+map(?:ping)?\b"),
    # Databases counted as a review counts its sources ("six databases", "eight electronic
    # databases"; not "two administrative databases"): below the weight that outweighs a primary study.
    ("systematic_review", "counted_databases", 0.7, 0.7, (r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|[2-9]|1[0-9])\s+(?:(?:electronic|bibliographic|online|major|English|Chinese|international|medical|literature)\s+(?:and\s+\w+\s+)?)?databases\b")),
    # A document calling itself a systematic review ("This work is a systematic review with meta-analysis")
    # outweighs "in this review", which alone would make it a narrative review.
    ("systematic_review", "self_described_systematic_review", 0.95, 0.95,
     (r"\b(?:this|the present|our)\s+(?:(?:study|work|paper|article)\s+)?(?:is\s+an?\s+)?(?:updated\s+)?systematic(?:al)?\s+(?:literature\s+)?review\b"
     # A structured abstract's design heading: "Design. Comprehensive systematic review."
     r"|(?-i:\b(?:Design|DESIGN))\s*[.:]\s*(?:an?\s+)?(?:[\w-]+\s+){0,2}?systematic(?:al)?\s+(?:literature\s+)?review\b")),
    ("systematic_review", "included_studies", 0.6, 0.6, r"\b" + _NUM + r"\s+" + _TRIAL_ADJECTIVES + r"(?:randomi[sz]ed\s+)?(?:controlled\s+)?(?:clinical\s+)?(?:studies|trials|RCTs|articles)\b(?:\s+\w+){0,4}\s+(?:were|was|met|fulfilled|involving|including|with)\b"),
    # "We included 31 randomized trials (from 36 reports)": a counted set of included studies.
    # "We included 31 randomized trials (from 36 reports)", "Fourteen RCTs were included
    # for review": a review's own set. Written to open with a word, which is found far faster
    # than a count.
    ("systematic_review", "we_included_studies", 0.9, 0.9, r"(?<=\bwe )(?:included|identified|collected|selected)\s+" + _NUM + r"\s+(?:[\w-]+\s+){0,3}?(?:studies|trials|RCTs|articles)\b"
     r"|\b(?:studies|trials|RCTs)\s+(?:(?:that|which)\s+)?(?:were|was)\s+(?:(?:finally|eventually|ultimately)\s+)?(?:included|selected)\b"),
    ("systematic_review", "risk_of_bias", 0.5, 0.5, r"\brisk[- ]of[- ]bias\b|(?-i:\bGRADE\b)"),  # the approach in capitals, not "grade 3 toxicity"
    # Not the heading "Overview of Literature" that some journals put in a primary study's abstract.
    ("narrative_review", "review_title", 0.45, 0.75, (r"(?<!systematic )(?<!systematical )(?<!retrospective )(?<!chart )(?<!record )(?<!peer )(?<!umbrella )(?!(?-i:Overview of (?:the )?Literature\b))\b(?:review|overview)\b(?!\s+(?:protocol|of\s+(?:(?:the|each|all|their|our)\s+)?(?:patients?(?:['’]s?)?\s+|(?:\w+\s+)?patient(?:['’]s|s['’])\s+)?(?:medical\s+|clinical\s+|hospital\s+|electronic\s+)?(?:records|charts|notes|files)))|\ban update\b(?!\s+of\b)"
     # Titles that survey a field's work: "Research progress on ...", "Advances in the treatment of ...".
     r"|\bresearch\s+(?:progress|advances)\b|\b(?:recent\s+)?(?:advances|progress)\s+(?:in|on)\s+(?:the\s+)?(?:research|studies|study|treatment|clinical|management|application)\b")),
    ("narrative_review", "we_review", 0.6, 0.6, (r"\b(?:we|this (?:article|paper|chapter|update|overview))\s+(?:reviews?|summari[sz]es?|discuss(?:es)?|describes? the (?:current|evidence)|outlines?|highlights?|provides? an? (?:overview|summary|update))\b|\bliterature review\b"
     # A paper saying it goes over others' work ("our paper will review the published trials on
     # needling") or that it is written to describe ("the purpose of this chapter is to outline").
     r"|\b(?:this|the present|our)\s+(?:study|article|paper|work)\s+(?:will|aims to|is to|sets out to)\s+(?:review|summari[sz]e)\b"
     r"|\b(?:aim|purpose|objective|goal)\s+of\s+(?:this|the present|our)\s+(?:article|paper|chapter|manuscript)\s+is\s+to\s+(?:describe|review|discuss|summari[sz]e|introduce|outline)\b(?!\s+(?:our|the)\s+(?:experience|results|outcomes|findings)\b)")),
    # A document naming itself ("this narrative review") outweighs the designs it mentions.
    ("narrative_review", "self_described_review", 0.9, 0.9, (r"\b(?:this|our)\s+(?:narrative\s+|brief\s+|short\s+|literature\s+)?review\b(?!\s+of\s+(?:the\s+)?(?:medical\s+)?(?:records|charts|notes|files))|\bnarrative review\b"
     # A title that names its own kind after a colon: "...for Sciatica: A Brief Review".
     r"|:\s+an?\s+(?:brief|short|mini|concise|narrative|clinical|critical)[- ]?review\b(?!\s+(?:and|of\s+(?:the\s+)?(?:medical\s+)?(?:records|charts|cases)))")),
    # Other authors' case reports gathered and read ("we reviewed published case reports", "cases
    # reported in the literature"): a review, unless the text also tells a patient of its own.
    ("narrative_review", "published_cases", 0.6, 0.6, r"\b(?:published|reported|previous(?:ly\s+(?:published|reported))?)\s+(?:case\s+reports|case\s+series|cases)\b|\bcase\s+reports\s+(?:published|in\s+the\s+(?:English\s+)?literature)\b|\bcases\s+(?:(?:published|reported|described)\s+)?in\s+the\s+(?:English\s+|medical\s+)?literature\b"),
    # A clinical-practice article opens with a patient in the present tense ("A 45-year-old man
    # ... asks his physician"); a case report tells its patient in the past tense.
    ("narrative_review", "clinical_vignette", 0.85, 0.85, r"\b\d{1,3}-year-old\s+(?:man|woman|patient)\b[^.]{0,120}?\b(?:asks|presents|is referred|comes|seeks|wants|requests|wonders)\b"),
    ("guideline", "guideline", 0.5, 0.9, (r"(?<!CONSORT )(?<!STRICTA )(?<!PRISMA )(?<!SPIRIT )(?<!ethical )(?<!Helsinki )"
     # Work done "for clinical practice guidelines" (a survey as preliminary data) is not one.
     r"(?<!for )(?<!for clinical )(?<!for practice )(?<!for clinical practice )\bguidelines?\b(?!\s+(?:for reporting|of the Declaration))")),
    # A document naming itself a guideline ("this guideline", "our practice guidelines", a
    # guideline summary's "Guideline objective:" heading) or saying it sets out recommendations: it
    # searched the literature to advise, which a systematic review's search words do not outweigh.
    ("guideline", "self_described_guideline", 0.95, 0.95, (r"\b(?:this|the present|our)\s+(?:updated\s+|clinical\s+|evidence-based\s+|practice\s+|national\s+){0,3}guidelines?\b(?!\s+(?:for reporting|of the Declaration))"
     r"|\bguideline\s+(?:title|objectives?|category|scope)\s*(?:\(s\))?\s*:|\bpractice\s+parameters?\b"
     r"|\b(?:aim|purpose|objective|goal)s?\s+(?:of\s+(?:this|the)\s+(?:\w+\s+)?(?:is|was)\s+)?to\s+(?:provide|develop|make|issue|formulate|update)\s+(?:evidence-based\s+)?(?:clinical\s+)?(?:practice\s+)?recommendations\b"
     r"|(?-i:\bOBJECTIVE\(S\))\s*:\s*to\s+provide\s+recommendations\b"
     # A group that says it made them: "the committee issued recommendations".
     r"|\b(?:committee|panel|working\s+group|task\s+force|guideline\s+group|society)\s+(?:\w+\s+){0,2}?(?:issued|made|developed|formulated|drafted|agreed)\s+(?:\w+\s+){0,3}?recommendations\b")),
    # Other documents in which a body sets out what should be done: "a position statement",
    # "appropriate use criteria", "a practice advisory", rated with "the RAND/UCLA method".
    ("guideline", "position_statement", 0.85, 0.9, r"\bposition\s+(?:statement|paper)\b|\bappropriate\s+use\s+criteria\b|\bpractice\s+advisory\b|\bRAND(?:/UCLA)?\s+(?:appropriateness\s+)?method\b|\bbest\s+practice\s+(?:statement|recommendations)\b"),
    ("guideline", "recommendations", 0.6, 0.7, r"\b(?:strong|weak|conditional|grade [ABC])\s+recommendations?\b|\brecommendations? (?:were|are) (?:made|issued|developed|formulated)\b"),
    # A panel reaching agreement (Delphi rounds, a consensus statement) may search the literature
    # first, but what it reports is its agreement, not a systematic review.
    ("guideline", "consensus_process", 0.9, 0.95, r"\b(?:modified\s+|e-?)?Delphi\b|\b(?:expert|formal)\s+consensus\b|\bconsensus\s+(?:was|were)\s+(?:reached|achieved)\b|\bexpert\s+panel\b|\bconsensus\s+(?:statements?|conference|panel|process|study|exercise|meeting|rounds?)\b"),
    ("other", "correspondence", 0.9, 0.9, r"\b(?:this|our) (?:letter|commentary|editorial|correspondence)\b|\bwe comment on\b|\b(?:erratum|corrigendum)\b"),
    ("other", "survey", 0.6, 0.8, r"\b(?:questionnaire\s+)?survey\b"),
    # Studies of no one treated in them: genetic instruments for an exposure ("Mendelian
    # randomization"), counts of publications ("a bibliometric analysis"), and models of costs
    # ("a Markov model", "cost-utility analysis"). A trial's costs said beside its randomization
    # ("a cost-effectiveness analysis alongside a randomised trial") stay the trial's.
    ("other", "mendelian_randomization", 0.95, 0.95, r"\bmendelian\s+randomi[sz]ation\b|\bgenome-wide\s+association\s+stud(?:y|ies)\b[^.]{0,80}\binstrument"),
    ("other", "bibliometric", 0.95, 0.95, r"\bbibliometric\b|\bCiteSpace\b|\bVOSviewer\b|\bscientometric\b"),
    ("other", "economic_model", 0.8, 0.85, r"\bMarkov\s+(?:model|cohort|decision)\b|\bdecision[- ]analytic(?:al)?\s+model\b|\bdecision[- ]tree\s+model\b|\bcost[- ](?:utility|effectiveness|benefit)\s+(?:analysis|model|study|evaluation)\b(?![^.]{0,40}\b(?:alongside|within|nested in|of)\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?trial\b)"),
    ("other", "cross_sectional", 0.6, 0.8, r"\bcross-sectional\b(?!\s+areas?\b)"),
    ("other", "measurement_study", 0.6, 0.8, r"\btest-retest\b|\b(?:reliability and validity|validity and reliability)\b|\b(?:inter|intra)-?rater reliability\b|\bvalidation study\b|\bcross-cultural adaptation\b"),
    ("animal_or_lab", "animals", 0.7, 0.9, r"\b(?:rats?|mice|mouse|rabbits?|murine|Sprague[- ]Dawley|Wistar|rodents?|animal models?)\b"),
    ("animal_or_lab", "laboratory", 0.7, 0.85, r"\b(?:in vitro|cell lines?|cultured cells|Schwann cells|dorsal root ganglion neurons)\b"),
    # "We describe an unusual complication": one event told, as a case report tells it.
    ("case_report", "case_report", 0.9, 0.95, r"\bwe\s+(?:report|present|describe)\s+an?\s+(?:rare|unusual|uncommon|unique)\s+(?:complication|presentation|event)\b|\bcase reports?\b|\bcase presentation\b|\bwe (?:report|present|describe)\s+(?:the\s+)?(?:case|(?:a|an|one)\s+(?:[\w-]+\s+){0,2}?(?:case|patient|man|woman|boy|girl))\b"),
    ("case_report", "a_case_of", 0.6, 0.9, r"\b(?:a|one)\s+(?:rare\s+)?case\s+of\b"),
    ("case_report", "single_patient", 0.75, 0.85, (r"\b\d{1,3}[- ]year[- ]old\s+(?:man|woman|lady|gentleman|male|female|patient|boy|girl|athlete|runner)\b"
     # The age alone, after the article that opens a sentence: "An 83-year-old with ...", "A 38-year-old
     # office worker had ..." (not "a 12-week", nor "a 60-year-old and older group").
     r"|(?:(?<=(?-i:\bA) )|(?<=(?-i:\bAn) ))\d{1,3}[- ]year[- ]old\b(?!\s+(?:and|or|to)\b)")),
    # One person told as the subject of a sentence (its capital "A" opens one): "An 81-year-old
    # received ...", "A previously well man developed ...", "A woman in her fifties attended ...".
    ("case_report", "one_person_subject", 0.75, 0.85, (r"(?<=(?-i:\bA) )(?:(?:previously\s+(?:healthy|well|fit)|young|middle-aged|pregnant)\s+(?:man|woman|patient)|man|woman|patient)\s+(?:in\s+(?:his|her)\s+(?:early\s+|late\s+|mid-?)?\w+ties|aged\s+\d|presented|developed|received|reported|attended|was\s+(?:admitted|referred)|underwent|complained|sought)\b"
     r"|(?<=(?-i:\bAn) )elderly\s+(?:man|woman|patient)\s+(?:in\s+(?:his|her)\s+(?:early\s+|late\s+|mid-?)?\w+ties|aged\s+\d|presented|developed|received|reported|attended|was\s+(?:admitted|referred)|underwent|complained|sought)\b")),
    # The headings of the CARE template many journals ask case reports to follow: "Patient
    # concerns:", "Patient information:", "Lessons:".
    ("case_report", "care_headings", 0.9, 0.9, r"\bpatient\s+(?:concerns|information)\s*:|\blessons(?:\s+(?:learned|learnt))?\s*:"),
    ("case_series", "case_series", 0.85, 0.9, r"\bcase series\b|\b(?:observational|retrospective|prospective|consecutive|clinical)\s+series\b|\bseries of\s+" + _NUM + r"?\s*(?:consecutive\s+)?(?:patients|cases)\b|\bwe (?:report|present|describe)\s+" + _NUM + r"\s+(?:cases|patients)\b"),
    # "before and after" names a design only as one: trials measure "before and after treatment" too.
    # "Three illustrative cases ... are presented": several patients told one by one.
    ("case_series", "cases_presented", 0.8, 0.85, (r"\b(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|1\d)\s+(?:illustrative\s+|clinical\s+|consecutive\s+|similar\s+)?cases\b[^.]{0,80}?\b(?:are|were)\s+(?:presented|reported|described)\b"
     # "This report will present two cases of ...", "we describe three cases".
     r"|\b(?:present|presents|report|reports|describe|describes)\s+(?:two|three|four|five|six|seven|eight|nine|ten|[2-9])\s+(?:\w+\s+){0,2}?cases\b"
     # "report of three cases".
     r"|\b(?:report|series|description)\s+of\s+(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|1\d)\s+(?:\w+\s+){0,2}?cases\b")),
    ("case_series", "uncontrolled", 0.5, 0.5, r"\b(?:uncontrolled|(?:before[- ]and[- ]after|pre-?post)\s+(?:study|design|comparison|trial|analysis)|consecutive (?:in|out)?patients)\b"),
    # One treated group said to have no comparison: a series, whatever "control group" elsewhere suggests.
    ("case_series", "no_control_group", 0.7, 0.7, r"\b(?:no|without (?:a |any )?)\s*(?:control|comparison) (?:group|arm)s?\b"),
    ("case_series", "retrospective", 0.4, 0.4, (r"\bretrospective(?:ly)?\b|\b(?:chart|record)s?\s+review\b"
     # "drawn from a review of their hospital charts", "review of all patients' notes"
     r"|\breview\s+of\s+(?:(?:the|each|all|their|our)\s+)?(?:patients?(?:['’]s?)?\s+|(?:\w+\s+)?patient(?:['’]s|s['’])\s+)?(?:medical\s+|clinical\s+|hospital\s+|electronic\s+)?(?:records|charts|notes|files)\b|\breviewed\s+(?:the\s+)?(?:medical\s+|clinical\s+|hospital\s+|electronic\s+)?(?:charts|records|notes|files)\b"
     # Records kept for care read afterwards: "using electronic health records, we identified".
     r"|\b(?:using|from|in|of)\s+(?:the\s+|our\s+)?(?:electronic\s+)?(?:health|medical|hospital|clinical|patient)\s+records\b")),
    # "a case report ... upon 7 patients": several patients named by their number make a series.
    ("case_series", "several_patients", 0.3, 0.3, r"\b(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|1\d)\s+(?:[\w-]+\s+){0,2}?(?:patients|cases)\b"),
    ("cohort", "cohort", 0.7, 0.9, r"\bcohort\b"),
    # A structured abstract's own design heading ("Study Design. A prospective cohort study.")
    # outweighs a journal's section label printed above it ("Clinical Case Series").
    ("cohort", "design_heading_cohort", 0.95, 0.95, r"(?-i:\b(?:Study [Dd]esign|STUDY DESIGN|Design|DESIGN))\s*[.:]\s*(?:an?\s+|this\s+(?:is|was)\s+an?\s+)?(?:[\w-]+,?\s+){0,3}?cohort\b"),
    # People sorted by their own history or response, not by a treatment given them ("divided
    # into those without previous adhesiolysis and those unresponsive to it"): groups compared
    # by exposure, as a cohort compares them.
    # Not "divided into those who received A and those who underwent B": groups by treatment.
    ("cohort", "groups_by_trait", 0.6, 0.6, (r"\b(?:divided|classified|categori[sz]ed|separated|stratified|grouped|split)\s+(?:in)?to\s+(?:those|patients|participants|subjects|people)\s+(?:who|with|without|not|that|having|unresponsive|responsive|refractory)\b"
     r"(?:(?!\b(?:received|receiving|underwent|undergoing|were\s+treated|were\s+given|chose|opted|elected)\b)[^.]){0,150}?\band\s+(?:those|patients|participants|subjects|people)\b"
     r"(?!\s+(?:who\s+|that\s+)?(?:received|underwent|were\s+treated|were\s+given|chose|opted|elected)\b)"
     # Groups formed, or results compared, by a trait of the disease or the person ("split into
     # mild and marked groups by the grade of narrowing", "stratified by disease severity",
     # "compared the outcome according to the stage of stenosis"): everyone had the same care.
     r"|\b(?:divided|classified|categori[sz]ed|separated|stratified|grouped|sorted|split)\s+(?:in)?to\b[^.]{0,60}?\b(?:groups?|subgroups?|cohorts?|categories)\b[^.]{0,30}?"
     r"\b(?:based on|according to|on the basis of|depending on|by)\s+(?:the\s+|their\s+)?(?:[\w-]+\s+){0,2}?" + _TRAIT +
     r"|\b(?:stratified|grouped|compared|comparing|compare|divided|separated|sorted)\b(?:[^.]{0,60}?\s)?(?:based on|according to|on the basis of|depending on)\s+(?:the\s+|their\s+)?(?:[\w-]+\s+){0,2}?" + _TRAIT +
     # People "with and without diabetes" set side by side, or by their age ("between patients aged
     # over 65 and younger ones").
     r"|\b(?:patients|participants|subjects|people|individuals|those|cases)\s+with\s+and\s+without\b"
     r"|\bbetween\s+(?:patients|participants|people|subjects|those)\s+aged\b[^.]{0,40}?\b(?:and|or|versus|vs)\b"
     # A group named by its severity or a trait of its people: "the severe group", "the diabetic group".
     r"|\b(?:mild|moderate|severe|diabetic|non-?diabetic|obese|non-?obese|elderly|older|younger|responders?|non-?responders?)\s+(?:[\w-]+\s+)?groups?\b")),
    # (People set against their opposites, "diabetics and non-diabetics", are read by
    # _trait_and_opposite and counted as this cue.)
    # People sorted by whether they had an exposure, not put into arms: "those who received an
    # injection and those who did not", "exposed and unexposed patients", "divided according to
    # whether they had had a steroid injection".
    ("cohort", "exposure_groups", 0.6, 0.6, (r"\b(?:and|or|versus|vs\.?|with|to|from)\s+(?:those|patients|people|participants|subjects|individuals|adults)\s+(?:who|that)\s+(?:did|had|were|have)\s+not\b"
     r"|\bunexposed\b|\bnon-?exposed\b"
     r"|\b(?:divided|classified|categori[sz]ed|separated|grouped|split|stratified|compared)\b[^.]{0,60}?\b(?:according to|based on|by|depending on)\s+whether\b")),
    # Two treatment groups compared after the fact, from records: a cohort, not a series.
    ("cohort", "retrospective_comparison", 0.6, 0.7, r"\bretrospective(?:ly)?\s+(?:compar\w+|(?:analy[sz]ed|reviewed) and compared)\b|\bcompared\b[^.]{0,80}\bretrospectively\b"),
    # A study naming itself observational, or the long-term follow-up of people treated, names a
    # cohort even when one group is followed; "a prospective study" alone may be a series.
    ("cohort", "observational", 0.55, 0.6, r"\b(?:prospective\s+|retrospective\s+)?(?:observational|longitudinal)\s+(?:study|analysis|follow-up)\b"),
    ("cohort", "prospective_study", 0.55, 0.6, r"\bprospective\s+(?:study|analysis|follow-up)\b"),
    ("cohort", "follow_up_study", 0.6, 0.7, r"\b(?:long-term|[\w]+[- ]years?)\s+follow-up\s+(?:study|survey)\b|\bthis\s+follow-up\s+study\b"),
    # A study of a whole population's records, not of people recruited to it.
    ("cohort", "population_based", 0.55, 0.6, r"\bpopulation-based\s+(?:\w+\s+)?(?:study|analysis|cohort|data|sample)\b|\b(?:compensation|claims|insurance)\s+(?:data(?:set|base)?|records)\b"),
    # Matched or registry data compare people by what they had, which a single series does not.
    ("cohort", "registry_or_matching", 0.55, 0.6, (r"\bpropensity[- ]score|\bregistr(?:y|ies)\b"
     # A register kept of a country's patients: "the National Patient Register".
     r"|\b(?:national|patient|population|nationwide|health|quality|prescription|disease)\s+(?:[\w-]+\s+)?registers?\b"
     # Pairs matched by the investigators: "a matched-pair analysis", "pair-matched".
     r"|\bmatched[- ]pairs?\b|\bpair[- ]matched\b"
     # A named database queried for its records: "using the MarketScan database".
     r"|\b(?:using|from|in|queried|query\s+of)\s+(?:the\s+)?(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*)){0,3}\s+(?:database|databank)\b"
     # Records kept for care or billing and searched afterwards: "a retrospective records database
     # search", "a national claims database".
     r"|\b(?:administrative|claims|insurance|national|nationwide|records?|billing|institutional|hospital|health[- ]care|healthcare)\s+databases?\b"
     # People matched to others by the investigators ("matched 1:2 by age and sex", "a matched
     # cohort"), not groups said to be alike at baseline ("well matched for age").
     r"|(?<!well )(?<!well-)(?<!closely )\bmatched\s+(?:\d\s*:\s*\d\s+)?(?:by|on|for|according to|with respect to)\s+(?:age|sex|gender|propensity)"
     r"|\b1\s*:\s*[1-4]\s+matched\b|\bmatched\s+(?:in\s+a\s+)?1\s*:\s*[1-4]\b|\bmatched\s+cohorts?\b")),
    ("case_control", "case_control", 0.9, 0.95, r"\bcase[- ]control\b"),
    ("case_control", "matched_controls", 0.5, 0.5, r"\b(?:age|sex)[- ]and[- ](?:age|sex)[- ]matched\b|\bmatched (?:healthy )?controls\b"),
    # Other people's "nonrandomized studies" (plural) are background, not this study's design.
    ("non_randomized_trial", "not_randomized", 0.9, 0.9, r"\b(?:non-?\s?randomi[sz]ed|quasi-?\s?randomi[sz]ed|quasi-?experimental|not randomi[sz]ed|non-?\s?randomly|not\s+randomly|without randomi[sz]ation|pseudo-?randomi[sz]ed|(?:quasi|pseudo)-?\s?randomi[sz]ation)\b(?!\s+(?:\w+\s+)?(?:studies|trials|data|reports|series|evidence)\b)|\brandomi[sz]ation was not (?:performed|used|done)\b"),
    # "Randomized by patient choice" names a non-random allocation, whatever the word says.
    # Groups formed by what people chose or preferred (even "randomized according to the patients'
    # choice") are compared by what they had: a cohort, as the labels' convention reads it.
    ("cohort", "allocation_by_choice", 0.95, 0.95, r"\brandomi[sz]ed\s+(?:according to|by|on|following)\s+(?:the\s+)?(?:patients?'?s?'?|participants?'?s?'?|their\s+own)\s+(?:choice|preference|wish)"),
    # Designs that compare with a group not formed at random: "a controlled before-after study",
    # "compared with historical controls", "a concurrent control group".
    ("non_randomized_trial", "nonrandom_control", 0.8, 0.85, r"\bcontrolled\s+before[- ](?:and[- ])?after\b|\bhistorical(?:ly)?\s+(?:control|comparison|cohort)(?:s|led|\s+groups?)?\b|\bconcurrent(?:ly)?\s+(?:control|comparison)\s+(?:group|arm|cohort)s?\b"),
    ("non_randomized_trial", "single_arm_trial", 0.8, 0.85, r"\bsingle[- ](?:arm|group)\b[^.]{0,30}\btrial\b"),
    ("non_randomized_trial", "allocated_by_order", 0.85, 0.85, r"\b(?:assigned|allocated|allocation|divided|enrolled|placed|grouped|entered)\b[^.]{0,90}\b(?:according to|based on|by)\s+(?:the\s+)?(?:(?:visit|admission|arrival|enrol?ment|consultation)\s+)?(?:order|sequence|date|day|time|admission|hospital number)\b"),
    # Groups formed by the patients' or their doctors' choice ("enrolled in the A group or the B group
    # according to their preference", "chose to have", "at the surgeon's discretion"): people
    # compared by what was chosen for them in care, a cohort.
    ("cohort", "groups_by_choice", 0.85, 0.85, _GROUPS_BY_CHOICE),
    ("non_randomized_trial", "controlled_trial", 0.5, 0.6, r"(?<!randomized )(?<!randomised )(?<!randomized, )\bcontrolled\s+(?:clinical\s+)?(?:trial|study)\b"),
    # Sorting people into groups, unlike allocating them to arms, is as often done by a trait.
    ("non_randomized_trial", "divided_into_groups", 0.45, 0.45, (r"(?<!randomly )\b(?:divided|classified|categori[sz]ed|separated|sorted|split)\s+(?:in)?to\s+(?:(?:two|three|four|2|3|4)\s+(?:[\w-]+\s+)?groups\b"
     # "divided into FSN group and conventional acupuncture (CA) group"
     # The size of the first group may stand in brackets after it: "an injection group (n = 45) and a drug group".
     r"|(?:an?\s+|the\s+)?[\w()-]+(?:\s+[\w()-]+){0,4}?\s+group\s*(?:\([^()]{1,20}\))?,?\s+and\s+(?:an?\s+|the\s+)?[\w()-]+(?:\s+[\w()-]+){0,4}?\s*group\b)")),
)
_COMPILED_TEXT_CUES = tuple((d, n, wa, wt, re.compile(p, re.IGNORECASE)) for d, n, wa, wt, p in _TEXT_CUES)
# Each cue searched only where it can match (evidence.topic.literals): most cues are absent from most records.
_CUE_SEARCHERS = {pattern: Searcher(pattern) for _, _, _, _, pattern in _COMPILED_TEXT_CUES}

# Cues read in the title only, where a paper names its own kind: as often a title's words as an
# abstract's, they would say little in the abstract. (design, name, weight, pattern); a cue's name
# is one of _TEXT_CUES when it is more of the same evidence, and counts once.
_TITLE_CUES: tuple[tuple[str, str, float, str], ...] = (
    # The plan of analysis published before a trial's results: "Statistical analysis plan for ...".
    ("protocol", "protocol_title", 0.95, r"\bstatistical\s+analysis\s+plan\b"),
    # A topic's overview: "Current management of ...", "Update on ...", "State of the art in ...",
    # "Lumbar stenosis: diagnosis and treatment", "...: where do we stand?", "past, present and future".
    ("narrative_review", "we_review", 0.6, (r"\b(?:current|contemporary)\s+(?:concepts|management|treatment|approaches|perspectives|strategies|status|trends|options|understanding)\b(?![^\n]*\b(?:study|trial|cases?|patients)\b)"
     r"|^\s*(?:an?\s+)?update\s+on\b|\bstate\s+of\s+the\s+art\b"
     r"|\b(?:where\s+do\s+we\s+stand|what\s+do\s+we\s+(?:really\s+)?know|past,\s+present,?\s+and\s+future|the\s+way\s+forward|myth\s+or\s+(?:reality|fact))\b"
     r"|:\s*(?:diagnosis|evaluation|assessment|pathophysiology)\s+and\s+(?:management|treatment)\s*\.?\s*$")),
    # A guideline naming its own kind: "...: a clinical practice guideline", "...: recommendations of
    # the national pain society", "Recommendations for ...".
    ("guideline", "self_described_guideline", 0.95, (r":\s*(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,4}?(?:guidelines?|recommendations|consensus\s+statement)\b(?!\s+(?:adherence|compliance|concordance|uptake|use|implementation)\b)(?![^\n]*\b(?:study|trial|survey|audit|analysis|review)\b)"
     r"|^\s*(?:(?:clinical|practice|evidence-based|updated)\s+)*(?:guidelines?|recommendations)\s+(?:for|on|of)\b(?![^\n]*\b(?:study|trial|survey|audit|analysis|review)\b)")),
    # One rare event: "...: a rare complication", "an unusual presentation of ...".
    ("case_report", "a_case_of", 0.9, r"\b(?:an?\s+)?(?:rare|unusual|uncommon|unique)\s+(?:complication|presentation|cause|event|adverse\s+event)\b(?![^\n]*\b(?:study|trial|review|series|cases|patients|incidence)\b)"),
    # One person: "... in an elderly patient with sciatica", "... in a pregnant woman".
    ("case_report", "single_patient", 0.85, r"\b(?:in|of)\s+an?\s+(?:(?:elderly|young|pregnant|older|middle-aged|\d{1,3}[- ]year[- ]old)\s+)?(?:patient|man|woman|boy|girl|athlete)\b(?!\s+(?:population|sample|cohort)\b)"),
    # A few cases counted: "...: two cases", "Three cases of ...".
    ("case_series", "cases_presented", 0.85, r"\b(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|1\d)\s+(?:\w+\s+){0,1}?cases\b(?!\s+(?:and|versus|vs)\s+\w+\s+controls)"),
    # The follow-up of people treated: "Long-term follow-up of patients given ...".
    ("cohort", "follow_up_study", 0.7, r"\b(?:long-term|[\w]+[- ]years?)\s+follow-up\s+of\s+(?:\w+\s+){0,2}?(?:patients|participants|people|adults|cases)\b"),
    # A comment on other work: "...: a commentary", "...: viewpoint".
    ("other", "correspondence", 0.9, r":\s*(?:an?\s+)?(?:commentary|viewpoint|editorial|letter(?:\s+to\s+the\s+editor)?|reply|response)\s*\.?\s*$"),
)
_COMPILED_TITLE_CUES = tuple((d, n, w, re.compile(p, re.IGNORECASE)) for d, n, w, p in _TITLE_CUES)

_PRIMARY_STUDY = frozenset(
    {"rct", "non_randomized_trial", "cohort", "case_control", "case_series", "case_report"}
)
_UNCONTROLLED = frozenset({"case_report", "case_series"})
_CONTROLLED_PRIMARY = _PRIMARY_STUDY - _UNCONTROLLED
# Cues that state randomization itself, as opposed to features RCTs usually have (blinding,
# allocation to arms, a comparison, a registry id).
RANDOMIZATION_STATED_RULES = frozenset(
    {"pt.rct", "mesh.random_allocation", "text.randomized", "text.randomly_assigned", "text.were_randomized",
     "text.random_sequence", "text.randomly", "text.rct_abbreviation"}
)
# Randomization said of the participants themselves, not of "a randomized design" or others' trials.
_RANDOMIZED_PARTICIPANTS = frozenset({"pt.rct", "mesh.random_allocation", "text.randomly_assigned", "text.were_randomized", "text.random_sequence"})
_ALLOCATION_DENIED = frozenset({"text.not_randomized", "text.allocation_by_choice", "text.allocated_by_order"})
_OUTWEIGHED_BY_RANDOMIZATION = frozenset({"cohort", "case_series", "case_control", "non_randomized_trial"})
# Confidence of a design chosen by a precedence rule alone, with no cue of its own.
_PRECEDENCE_ONLY = 0.5
_RETROSPECTIVE = frozenset({"text.retrospective", "text.retrospective_comparison"})
_RCT_TEXT_CUES = frozenset(f"text.{name}" for design, name, _, _, _ in _TEXT_CUES if design == "rct")
# Trial cues that a report of one treated group can show too: a "versus", a registry number.
_WEAK_RCT_CUES = frozenset({"text.comparison_randomization_not_stated", "text.trial_registration"})
# Trial cues that say groups were compared, or people put into them, but not how: with no other
# RCT cue, randomization is not shown.
_ALLOCATION_UNSTATED_CUES = _WEAK_RCT_CUES | {"text.allocated_to_arms"}
_REGISTERED_ALLOCATION = frozenset({"text.allocated_to_arms", "text.trial_registration"})
# Cues that say a cohort compared people by exposure, and cues that name groups or a comparison.
_COHORT_COMPARED = frozenset({"text.cohort", "text.groups_by_trait", "text.groups_by_choice", "text.allocation_by_choice", "text.exposure_groups", "text.retrospective_comparison", "text.registry_or_matching", "mesh.cohort", "pt.observational"})
# Cues that name a cohort design even for one group followed ("an observational study", "a
# 10-year follow-up study" of people treated years before).
_NAMED_COHORT = frozenset({"text.observational", "text.follow_up_study", "text.population_based"})
# The rule of a cohort that follows one group: like a series, it has no comparison arm.
SINGLE_GROUP_COHORT = "precedence.single_group_cohort"
# The cue of groups sorted by a trait or history, not by a treatment given them.
GROUPS_BY_TRAIT = "text.groups_by_trait"
_GROUPS_NAMED = frozenset({"text.comparison_randomization_not_stated", "text.divided_into_groups", "text.allocated_to_arms",
                           "text.controlled_trial", "text.matched_controls"})
# A study that calls itself a series stays one.
# One person told: of a stated age, or as a sentence's subject ("A previously well man developed").
_ONE_PERSON = frozenset({"text.single_patient", "text.one_person_subject"})
_NAMED_SERIES = frozenset({"text.case_series", "text.uncontrolled", "text.no_control_group", "text.case_report"}) | _ONE_PERSON
# Documents that summarise trials; a narrative review competes on score alone, since "case
# report and literature review" is still a case report (only "this review" outranks a trial).
_REVIEWS = frozenset({"systematic_review", "meta_analysis", "guideline"})

# Below this best score there is too little to go on.
_MIN_SCORE = 0.35
# Scores at or above these make a protocol or a review win over primary-study designs.
_PROTOCOL_PRECEDENCE = 0.7
_REVIEW_PRECEDENCE = 0.9
_ANIMAL_PRECEDENCE = 0.85

# A count of people studied ("twelve healthy volunteers", "30 patients"): animal or laboratory
# words in such an abstract are background ("shown in rats") or materials, not the design.
_HUMAN_SAMPLE = re.compile(
    r"\b" + _NUM + r"\s+(?:[\w-]+\s+){0,3}?(?:patients|volunteers|participants|outpatients|inpatients|men|women|adults|children|infants|neonates)\b"
    r"|\b(?:healthy|human)\s+(?:[\w-]+\s+)?(?:subjects|volunteers)\b",
    re.IGNORECASE,
)


# One group of people said to have had a treatment ("31 patients with ... received pulsed
# radiofrequency", "Forty patients underwent transforaminal injection"). Read only when no design
# cue is strong enough: with no second group, no comparison and no allocation named, what such
# an abstract reports is an uncontrolled series.
_ONE_GROUP_TREATED = re.compile(
    r"\b" + _NUM + r"\s+(?:[\w-]+\s+){0,3}?(?:patients|participants|subjects|cases|adults|people|individuals)\b"
    r"(?:[^.]|\.(?=\d)){0,200}?\b(?:received|underwent|treated|was performed|were given|were managed"
    r"|had\s+(?:an?\s+)?(?:[\w-]+\s+){0,3}?(?:injections?|blocks?|acupuncture|surgery|treatment|procedures?|radiofrequency))\b"
    # "Fifty patients were included. All received a transforaminal injection."
    r"|\b(?:all|each)\s+(?:of\s+them\s+|(?:the\s+)?(?:patients|participants|subjects)\s+(?:who\s+)?)?(?:received|underwent|were treated|had)\b"
    r"|\beach\s+(?:patient|participant|subject)\s+(?:was\s+given|received|underwent|was\s+treated|had)\b"
    # A practitioner's account of those seen: "clinical observation of 29 cases", "I observed a
    # group of 40 patients treated with ...".
    r"|\bobserv(?:ed|ation\s+(?:of|on))\s+(?:a\s+(?:group|series|cohort)\s+of\s+)?" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?(?:patients|cases|participants|subjects)\b"
    # "The patients received the following treatment: ...", said of the whole sample.
    r"|\b(?:the|these)\s+(?:in|out)?patients\s+(?:all\s+)?(?:received|underwent|were treated with)\b"
    # The authors as those who treated them: "we treated 33 patients with ...", "our experience of treating 45 patients".
    r"|\b(?:we\s+treated|treating|we\s+have\s+treated)\s+" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?(?:patients|cases|participants|subjects|people|adults)\b"
    # Everyone treated over a span of dates: "patients who received X from 2012 to 2015 were included".
    r"|\b(?:patients|participants|people|adults|cases)\s+(?:[\w-]+\s+){0,6}?who\s+(?:had\s+)?(?:received|underwent|were treated)\b[^.]{0,120}?\b(?:from|between|since)\s+(?:[A-Z][a-z]+\s+)?(?:19|20)\d\d\b"
    # The treatment named before the people: "acupuncture treatments with 7 patients", "effect of
    # a nerve root block in the management of radiculopathy in 50 patients".
    r"|\b(?:treatments?|therapy|therapies|injections?|blocks?|acupuncture|management)\b[^.]{0,80}?\b(?:with|in|on)\s+" + _NUM
    + r"\s+(?:[\w-]+\s+){0,2}?(?:patients|participants|subjects|cases)\b",
    re.IGNORECASE,
)
# Outcomes measured before and after a treatment, or set against the pretreatment values ("VAS and
# ODI were performed before and after injections", "improved at 4 weeks compared with
# pretreatment"): with no count of people given it and no second group named, one group treated.
_BEFORE_AND_AFTER = re.compile(
    r"\b(?:before|prior to)\s+and\s+(?:after|following)\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:treatments?|injections?|interventions?|procedures?|therapy|blocks?|acupuncture|administration|surgery)\b"
    r"|\bcompared\s+(?:with|to)\s+(?:the\s+)?(?:pre-?treatment|pre-?injection|pre-?operative|pre-?procedure|baseline|before\s+(?:the\s+)?(?:treatment|injection|procedure))(?:\s+(?:values?|levels?|scores?))?\b",
    re.IGNORECASE,
)
# Words that name a second group or arm. Without them, "versus" and "compared with" in a report
# of one treated group set values before and after against each other, not groups.
_GROUP_WORDS = re.compile(
    r"\b(?:control|experimental|intervention|treatment|placebo|sham|observation|comparison|study|usual[- ]care|other)\s+(?:groups?|arms?)\b"
    r"|\b(?:two|three|four|both|2|3|4)\s+(?:[\w-]+\s+)?(?:groups|arms|cohorts)\b|\bgroups?\s+(?:[A-D]|I{1,3})\b|\bgroups? receiving\b"
    r"|\breceived either\b|\bwait(?:ing)?[- ]?list\b"
    # "each underwent one of the three procedures": as many groups as procedures.
    r"|\b(?:one|either)\s+of\s+(?:the\s+)?(?:two|three|four|[2-4])\s+(?:[\w-]+\s+){0,3}?(?:procedures|treatments|techniques|therapies|interventions|methods|injections)\b|\bplacebo\b|\bsham\b|\bgroups\b|\barms\b|\bcontrols\b|\bcontrol\s+(?:subjects|patients|participants|individuals)\b",
    re.IGNORECASE,
)
# Two groups each named by its treatment: "between the acupuncture group and the drug group".
_TWO_GROUPS_NAMED = re.compile(r"\b[\w-]+\s+group\s+(?:and|or|versus|vs\.?)\s+(?:the\s+|an?\s+)?[\w-]+\s+group\b", re.IGNORECASE)
_VERSUS = re.compile(r"\b(?:versus|vs)\b\.?", re.IGNORECASE)
_PEOPLE = r"(?:patients|participants|subjects|cases|people|individuals|adults)"
# How a comparison's groups were formed, told without a word of randomization:
# people put into named groups ("were equally assigned into the treatment group and the control
# group"): allocated by the investigators, by an unstated method;
_ASSIGNED_TO_NAMED_GROUPS = re.compile(
    r"\b(?:assigned|allocated|distributed|grouped|placed)\s+(?:equally\s+)?(?:in)?to\s+(?:an?\s+|the\s+)?[\w()-]+(?:\s+[\w()-]+){0,4}?\s+group,?"
    r"\s+(?:and|or)\s+(?:an?\s+|the\s+)?[\w()-]+(?:\s+[\w()-]+){0,4}?\s*group\b"
    # "The two groups of 30 patients, formed on the basis of which drug was injected"
    r"|\bgroups?\b[^.]{0,60}?\b(?:formed|made|constituted|created)\s+(?:on the basis of|according to|based on)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:drugs?|steroids?|treatments?|therap(?:y|ies)|injections?|medications?|procedures?|techniques?)\b",
    re.IGNORECASE,
)
# and groups named by what each had ("Fourteen patients received A and eighteen patients had B",
# "A was performed in 67 patients and B in 62 patients", "... were compared with 453 patients
# who had not received an injection"): people compared by the treatment they got.
_GROUPS_BY_TREATMENT_HAD = re.compile(
    # "120 patients were included: 58 received A and 62 received B" (the people named once, before).
    r"\b" + _NUM + r"\s+(?:received|underwent|were treated with|were given)\b[^.;]{0,120}?(?:\band|;|,|\bwhile|\bwhereas)\s+(?:the\s+other\s+|the\s+remaining\s+)?"
    + _NUM + r"\s+(?:" + _PEOPLE + r"\s+)?(?:received|underwent|were treated|were given)\b|"
    r"\b" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?" + _PEOPLE + r"\s+(?:received|underwent|had|were treated with|were given)\b[^.;]{0,120}?"
    r"(?:\band|;|,|\bwhile|\bwhereas)\s+(?:the\s+other\s+|the\s+remaining\s+)?" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?(?:" + _PEOPLE + r"\s+)?(?:received|underwent|had|were treated|were given)\b"
    r"|\b(?:was|were)\s+(?:performed|done|given|administered|applied|used)\s+(?:to|in|on|for)\s+" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?" + _PEOPLE
    + r"\b[^.;]{0,80}?\band\b[^.;]{0,80}?\b(?:to|in|on|for)\s+" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?" + _PEOPLE + r"\b"
    r"|\bcompared\s+(?:with|to)\s+(?:" + _NUM + r"\s+)?(?:[\w-]+\s+){0,2}?(?:" + _PEOPLE + r"|those)\s+(?:who|that)\s+(?:had\s+)?(?:not|never|did\s+not)\b"
    # "92 adults, each of them received either of two injection techniques": each had what they had.
    r"|\beach\s+(?:of\s+(?:whom|them)\s+)?(?:underwent|received|had)\s+(?:one|either)\s+of\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:procedures|treatments|techniques|therapies|interventions|methods|injections)\b",
    re.IGNORECASE,
)
# Treatment given in routine care, not by the study: people drawn from those already treated
# ("among 359 patients who underwent the injection, 118 were eligible"). Groups that differ by
# such care are compared by exposure, as a cohort is. (Groups each "planned for" a treatment in a
# prospective study are the study's own plan: the labels read them as a non-randomized trial.)
# What makes groups named by the treatment each had a cohort rather than a non-randomized trial:
# a word that the treatment came from care, not from the study: records, charts, a database or
# registry looked back on, routine care or practice, the patients' or doctors' choice, or a span
# of dates over which people were treated ("seen from 2016 to 2020").
# Groups each "planned" or "scheduled for" one treatment ("patients planned for conservative care
# ...; those planned for an injection"; said once, "scheduled for surgery" names only the
# population): the study's plan, a non-randomized trial unless the text says care chose it.
_GROUPS_PLANNED_FOR = re.compile(
    r"\b(?:patients|those|people|participants|subjects|cases)\s+(?:who\s+were\s+)?(?:planned|scheduled|booked)\s+for\b(?:.|\n){0,250}?"
    r"\b(?:patients|those|people|participants|subjects|cases)\s+(?:who\s+were\s+)?(?:planned|scheduled|booked)\s+for\b",
    re.IGNORECASE,
)
_GROUPS_BY_CHOICE_FOUND = re.compile(_GROUPS_BY_CHOICE, re.IGNORECASE)
_FORMED_IN_CARE = re.compile(
    r"\bretrospective(?:ly)?\b|\b(?:medical|clinical|hospital|patient|surgical|electronic)\s+(?:health\s+)?(?:records|charts|files)\s+(?:of|were\s+(?:reviewed|searched|analy[sz]ed|examined))\b"
    r"|\b(?:charts?|records?)\s+(?:review|were\s+reviewed|of\s+(?:all\s+)?" + _NUM + r")\b|\bdata(?:base|set)s?\b|\bregistr(?:y|ies)\b|\bclaims\b"
    r"|\broutine(?:ly)?\s+(?:clinical\s+)?(?:care|practice|treated|treatment|given)\b|\b(?:in|of)\s+(?:daily|everyday|usual)\s+(?:clinical\s+)?practice\b"
    r"|\b(?:from|between)\s+(?:\w+\s+)?(?:19|20)\d\d\s+(?:to|and|through|until)\s+(?:\w+\s+)?(?:19|20)\d\d\b|" + _GROUPS_BY_CHOICE,
    re.IGNORECASE,
)
_TREATED_IN_ROUTINE_CARE = re.compile(
    r"\b(?:among|of|from)\s+(?:the\s+|all\s+)?" + _NUM + r"\s+(?:[\w-]+\s+){0,3}?" + _PEOPLE + r"\s+(?:who\s+)?(?:were\s+treated|underwent|had\s+undergone|had\s+received|received)\b"
    r"[^.;]{0,120}?,\s*" + _NUM + r"\s+(?:[\w-]+\s+){0,2}?(?:(?:" + _PEOPLE + r")\s+)?(?:were|met|fulfilled)\b",
    re.IGNORECASE,
)
# Patients (not animals) put into groups or arms.
_PATIENTS_ALLOCATED = re.compile(
    r"\b(?:patients|participants|volunteers)\b[^.]{0,120}?\b(?:divided|allocated|assigned|randomi[sz]ed|split)\s+(?:in)?to\b",
    re.IGNORECASE,
)
# A text telling a patient of its own: "we report a case", "we present two patients", "our patient".
_OWN_CASE = re.compile(r"\bwe\s+(?:report|present|describe|treated|saw)\b(?!\s+(?:on\s+)?(?:the\s+)?(?:published|reported|previous))|\bour\s+(?:patients?|case|cases)\b|\bthe\s+(?:present|current)\s+case\b|\bcase\s+presentation\b", re.IGNORECASE)
_PLACEBO_OR_SHAM = re.compile(r"\b(?:placebo|sham|dummy)\b", re.IGNORECASE)
# Arms a study's investigators formed and treated: people put into an experimental and a control
# group (not "according to whether they received it", which names groups by exposure), or a
# sham or placebo given. A study that names itself a cohort but does this is a trial.
_TRIAL_ARMS_FORMED = re.compile(
    r"\b(?:divided|allocated|assigned|split|distributed|placed|enrolled)\s+(?:in)?to\s+(?:an?\s+|the\s+)?(?:experimental|intervention|treatment|study|active)"
    r"(?:\s+group)?,?\s+(?:and|or)\s+(?:an?\s+|the\s+)?(?:control|sham|placebo)\s+groups?\b(?![^.]{0,80}\b(?:according to|based on|by whether|depending on)\b)"
    r"|\b(?:received|were given|was given|underwent)\s+(?:an?\s+|the\s+)?(?:sham|placebo)\b",
    re.IGNORECASE,
)


def _groups_formed_without_randomization(text: str) -> str | None:
    """The design a comparison is, when the text tells how its groups were formed and not that it
    was at random: ``"non_randomized_trial"`` when people were put into groups,
    ``"cohort"`` when groups are named by the treatment people had and the text says that treatment
    came from care (records, routine practice, choice, a span of dates), ``None`` when it says neither
    or names a placebo or sham (which only trials give).
    """
    if _PLACEBO_OR_SHAM.search(text):
        return None
    if _TREATED_IN_ROUTINE_CARE.search(text):
        return "cohort"
    if _ASSIGNED_TO_NAMED_GROUPS.search(text):
        return "cohort" if _GROUPS_BY_CHOICE_FOUND.search(text) else "non_randomized_trial"
    if _GROUPS_PLANNED_FOR.search(text):
        return "cohort" if _FORMED_IN_CARE.search(text) else "non_randomized_trial"
    had = _GROUPS_BY_TREATMENT_HAD.search(text)
    if had:
        # People set against others who never had the treatment: an exposure, a cohort.
        # Otherwise groups named by what each had came from care only when the text says so;
        # treatments the study gave its groups, their allocation untold, make a non-randomized trial.
        return "cohort" if _FORMED_IN_CARE.search(text) or had.group(0).lower().startswith("compared") else "non_randomized_trial"
    return None
# What stands either side of a "versus" that sets times, not treatments, against each other.
_TIME_OR_VALUE = re.compile(
    r"(?:[\d.,%±)\]]+|before|after|pre|post|baseline|pre-?(?:treatment|operative|injection|procedure)|post-?(?:treatment|operative|injection|procedure)|initial|final|admission|discharge)$",
    re.IGNORECASE,
)


def _one_group_treated(text: str, abstract: str) -> bool:
    """The abstract reports one group of people given a treatment, and names no second one.

    Without such a count, outcomes measured before and after a treatment (or against the
    pretreatment values) show the treated group. A second count given a treatment ("19 received
    iopamidol and 18 received iothalamate"), treatments offered as alternatives ("received A or B"), words for groups or controls, and a
    "versus" between two treatments (not between times or values) each name a second group.
    """
    if _GROUPS_BY_TREATMENT_HAD.search(text):
        return False
    treated = list(_ONE_GROUP_TREATED.finditer(abstract))
    if not treated and len(text) > len(abstract):
        # Said only in the title: "clinical observation of 42 cases treated with ...".
        treated = list(_ONE_GROUP_TREATED.finditer(text[:len(text) - len(abstract)]))
    if len(treated) > 1 or _GROUP_WORDS.search(text):
        return False
    if not treated:
        if not _BEFORE_AND_AFTER.search(abstract):
            return False
    elif re.search(r"\s(?:or|and/or)\s", abstract[treated[0].end():_sentence_end(abstract, treated[0].end())]):
        return False
    for m in _VERSUS.finditer(text):
        before = text[max(0, m.start() - 20):m.start()].split()
        after = text[m.end():m.end() + 20].split()
        if before and after and not _TIME_OR_VALUE.search(before[-1]) and not _TIME_OR_VALUE.match(after[0].rstrip(",.;:")):
            return False
    return True


def _sentence_end(text: str, pos: int) -> int:
    end = re.compile(r"\.(?:\s|$)").search(text, pos)
    return end.start() if end else len(text)


def classify_design(
    title: str | None,
    abstract: str | None,
    publication_types: Iterable[str] = (),
    mesh_terms: Iterable[str] = (),
) -> DesignCall:
    """Call a study's design from whatever the record has.

    Parameters
    ----------
    title, abstract:
        Record text; either may be missing (``None`` or ``pd.NA``).
    publication_types:
        PubMed publication type names (empty for records not yet indexed).
    mesh_terms:
        MeSH descriptor names (empty for records not yet indexed).

    Returns
    -------
    DesignCall
        ``design`` is ``"other"`` when no cue is strong enough.
    """
    found: dict[str, list[tuple[float, str, str]]] = {}

    def add(cue: _Cue, weight: float, evidence: str) -> None:
        found.setdefault(cue.design, []).append((weight, cue.name, evidence))

    for pt in publication_types:
        cue = _PUBLICATION_TYPE_CUES.get(str(pt).strip().lower())
        if cue:
            add(cue, cue.weight, f"publication type: {pt}")
    mesh = {str(m).strip().lower() for m in mesh_terms}
    for term in sorted(mesh):
        cue = _MESH_CUES.get(term)
        # Animal headings on a human study (both indexed) say nothing about the design.
        if cue and not (cue.design == "animal_or_lab" and "humans" in mesh):
            add(cue, cue.weight, f"MeSH: {term}")
    if "animals" in mesh and "humans" not in mesh:
        add(_Cue("animal_or_lab", "mesh.animals_only", 0.9), 0.9, "MeSH: Animals (no Humans)")

    title_text = _without_calls_for_research(_rejoin_split_hyphens(record_text(title, "").rstrip("\n")))
    abstract_text = _without_calls_for_research(_rejoin_split_hyphens(record_text("", abstract).lstrip("\n")))
    # Title and abstract are searched as one text: its first hit is the title's when the title
    # has one. A hit that runs from one into the other is searched again in each part.
    joined = f"{title_text}\n{abstract_text}"
    joined_folded, title_end = joined.casefold(), len(title_text)
    for design, name, w_abstract, w_title, pattern in _COMPILED_TEXT_CUES:
        searcher = _CUE_SEARCHERS[pattern]
        hit = searcher.search(joined, joined_folded)
        if hit is None:
            continue
        if hit.end() <= title_end:
            where, weight = "title", w_title
        elif hit.start() > title_end:
            where, weight = "abstract", w_abstract
        else:
            hit, where, weight = searcher.search(title_text), "title", w_title
            if not hit:
                hit, where, weight = searcher.search(abstract_text), "abstract", w_abstract
        if hit:
            add(_Cue(design, f"text.{name}", weight), weight, f"{where}: '{hit.group(0)}'")

    if title_text:
        for design, name, weight, pattern in _COMPILED_TITLE_CUES:
            name = f"text.{name}"
            cues = found.get(design, [])
            # A cue seen in the abstract counts once, at the title's weight when the title says it too.
            if any(n == name and w >= weight for w, n, _ in cues):
                continue
            hit = pattern.search(title_text)
            if hit:
                cues[:] = [c for c in cues if c[1] != name]
                add(_Cue(design, name, weight), weight, f"title: '{hit.group(0)}'")

    if not any(n == GROUPS_BY_TRAIT for cues in found.values() for _, n, _ in cues):
        opposite = _trait_and_opposite(joined)
        if opposite:
            add(_Cue("cohort", GROUPS_BY_TRAIT, 0.6), 0.6, f"{'title' if opposite.start() < title_end else 'abstract'}: '{opposite.group(0)}'")
    # A review that says it pooled nothing is not called a meta-analysis for naming one.
    if "meta_analysis" in found and not any(n in ("text.pooling_model", "pt.meta_analysis") for _, n, _ in found["meta_analysis"]) \
            and _NO_POOLING.search(joined):
        del found["meta_analysis"]
    scores = {design: _noisy_or(w for w, _, _ in cues) for design, cues in found.items()}
    fired = frozenset(name for cues in found.values() for _, name, _ in cues)
    # Read only when an animal score could decide: the search costs as much as several cues.
    def human_sample() -> bool:
        return bool(_HUMAN_SAMPLE.search(abstract_text) or _HUMAN_SAMPLE.search(title_text))

    def one_group_treated() -> bool:
        return _one_group_treated(joined, abstract_text)

    def groups_formed() -> str | None:
        return _groups_formed_without_randomization(joined)

    def before_and_after() -> bool:
        return bool(_BEFORE_AND_AFTER.search(abstract_text))

    def patients_allocated() -> bool:
        return bool(_PATIENTS_ALLOCATED.search(joined))

    def placebo_or_sham() -> bool:
        return bool(_PLACEBO_OR_SHAM.search(joined))

    def trial_arms_formed() -> bool:
        return bool(_TRIAL_ARMS_FORMED.search(joined))

    def groups_named() -> bool:
        return bool(_GROUP_WORDS.search(joined) or _TWO_GROUPS_NAMED.search(joined))

    def change_in_treated() -> bool:
        return bool(_CHANGE_FROM_TO.search(abstract_text) and _TREATED.search(joined))

    def cases_or_controls() -> bool:
        return bool(_CASES_OR_CONTROLS.search(joined))

    def own_case() -> bool:
        return bool(_OWN_CASE.search(joined))

    design, rule = _decide(scores, fired, human_sample, one_group_treated, groups_formed, before_and_after, patients_allocated,
                           placebo_or_sham, trial_arms_formed, groups_named, change_in_treated, cases_or_controls, own_case)
    if design == "other" and design not in found:
        return DesignCall("other", round(1.0 - max(scores.values(), default=0.0), 3), [], rule)
    if design not in found:
        # A precedence rule chose a design no cue named (a retrospective "comparison" is a
        # cohort): the cues that were seen are its evidence, and the doubt shows in the confidence.
        cues = sorted((c for cs in found.values() for c in cs), reverse=True)
        return DesignCall(design, _PRECEDENCE_ONLY, [e for _, _, e in cues], rule, [n for _, n, _ in cues])
    cues = sorted(found[design], reverse=True)
    return DesignCall(design, round(scores[design], 3), [e for _, _, e in cues], rule or cues[0][1], [n for _, n, _ in cues])


# Tokenized corpora (EBM-NLP) and some exports split hyphenated words into "double - blind" and
# "non - randomized"; read as written, the first hides a cue and the second escapes its negation.
# The literal comes first so that the regex engine can skip to it; the look-behind then checks
# the letter before it.
_SPLIT_HYPHEN = re.compile(r" - (?<=[A-Za-z] - )(?=[A-Za-z])")


# Hyphens other than the ASCII one ("40\u2011year-old" with a non-breaking hyphen): one character
# each, so replacing them keeps every position.
_OTHER_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-"})


def _rejoin_split_hyphens(text: str) -> str:
    """``"double - blind"`` as ``"double-blind"``, so cues and their negations read the same either way.

    Unicode hyphens ("40\u2011year-old") are read as "-" too.
    """
    if not text.isascii():
        text = text.translate(_OTHER_HYPHENS)
    return _SPLIT_HYPHEN.sub("-", text)


# A call for studies not yet done ("future large randomized trials are needed", "further studies
# with placebo controls are warranted"): the designs it names are not this study's.
_CALL_FOR_RESEARCH = re.compile(
    r"\b(?:future|further|more|larger|additional|well-designed|high-quality|large-scale|rigorous)\s+(?:[\w/-]+,?\s+){0,5}?"
    r"(?:trials?|studies|research|RCTs?|investigations?)\b[^.]{0,100}?\b(?:are|is|be|remain)\s+"
    r"(?:still\s+|urgently\s+|therefore\s+|thus\s+|clearly\s+)?(?:needed|warranted|required|necessary|recommended|called for|justified)\b"
    # Studies named as still to come, whatever the verb ("we hope this prompts future prospective
    # randomized trials", "subsequent randomized studies should confirm").
    r"|(?<!were )(?<!was )\b(?:future|subsequent|upcoming|forthcoming|later)\s+(?:[\w/-]+,?\s+){0,5}?(?:trials?|studies|research|RCTs?|investigations?)\b"
    # Trials named as needed, with no adjective before them ("randomized trials are needed").
    # Said of one study to come too: "a prospective, controlled study is needed".
    r"|\b(?:randomi[sz]ed|controlled|blinded)\s+(?:[\w-]+\s+){0,3}?(?:trials?|stud(?:y|ies)|RCTs?)\s+(?:are|is|would be|will be)\s+"
    r"(?:still\s+|now\s+)?(?:needed|warranted|required|necessary)\b"
    # Findings to be checked by trials ("should be confirmed in a large randomized trial").
    r"|\b(?:should|must|needs? to|remains? to|ought to)\s+be\s+(?:further\s+)?(?:confirmed|verified|validated|tested|evaluated|investigated|explored|studied|examined|assessed)"
    r"\s+(?:by|in|with|through)\b[^.]{0,80}?\b(?:trials?|studies|RCTs?)\b",
    re.IGNORECASE,
)


# People and their opposites: "diabetics and non-diabetics", "the operated patients and the
# non-operated", "responders versus nonresponders" (a trait or a later course, not an arm). Said
# of people: a noun for them after either side, or a word that names them ("smokers"). Found
# from the "non" backwards, since a pattern that opens on any word would be tried at every one.
_NON_WORD = re.compile(r"\bnon-?\s?([a-z]{2,}(?:ed|ic|ics|ers?))\b(\s+(?:patients|subjects|cases|individuals|people|participants|groups?)\b)?", re.IGNORECASE)
_NOT_A_TRAIT = ("randomi", "invasive", "surgical", "operative", "pharmacolog", "steroid")


def _trait_and_opposite(text: str) -> re.Match | None:
    """Where ``text`` sets people against their opposite ("smokers and non-smokers"), or None."""
    if "non" not in text and "Non" not in text and "NON" not in text:
        return None
    for m in _NON_WORD.finditer(text):
        word = m.group(1)
        if word.lower().startswith(_NOT_A_TRAIT):
            continue
        people_after = bool(m.group(2))
        names_people = word.lower().endswith(("ics", "ers", "er"))
        before = re.compile(r"\b" + re.escape(word) + r"\b(\s+(?:patients|subjects|cases|individuals|people|participants|groups?)\b)?"
                            r"(?:\s+\w+){0,5}?\s+(?:and|or|against|vs\.?|versus|with|to)\s+(?:(?:the|that|those)\s+(?:of\s+)?(?:the\s+)?)?$",
                            re.IGNORECASE).search(text, max(0, m.start() - 90), m.start())
        if before and (names_people or people_after or before.group(1)):
            return re.compile(re.escape(text[before.start():m.end()])).search(text, before.start())
    return None


# A review saying it did not pool ("the trials could not be pooled in a meta-analysis", "a
# meta-analysis was not possible", "heterogeneity precluded meta-analysis"): its word
# "meta-analysis" names what it did not do.
_NO_POOLING = re.compile(
    r"\b(?:could not|cannot|can not|were not|was not|not|unable to)\s+(?:be\s+)?(?:\w+\s+){0,2}?(?:combined|pooled|synthesi[sz]ed|aggregated)\s+"
    r"(?:(?:in|into|by|using|with|for)\s+)?(?:an?\s+)?meta-?\s?analy\w*"
    r"|\bmeta-?\s?analy\w*\s+(?:was|were|is|could)\s+(?:(?:deemed|considered|judged|thought|found)\s+)?(?:not\s+(?:be\s+)?(?:possible|feasible|performed|conducted|done|appropriate|undertaken|attempted|justified)"
    r"|impossible|infeasible|precluded|inappropriate)"
    r"|\b(?:precluded?|prevented|precluding|did not allow|does not allow|unsuitable for|not suitable for|inappropriate for|too heterogeneous (?:for|to allow)|not amenable to)"
    r"\s+(?:(?:a|an|any|the|quantitative|formal|statistical|data)\s+)*(?:pooling|meta-?\s?analy\w*|quantitative synthesis)",
    re.IGNORECASE,
)
# A change within one group, figure to figure: "decreased from 7.2 ± 1.1 to 2.3 ± 0.9".
_CHANGE_FROM_TO = re.compile(
    r"\b(?:increased|decreased|improved|reduced|declined|dropped|fell|rose|changed|went\s+(?:down|up))\s+(?:significantly\s+)?from\s+"
    r"(?:an?\s+(?:mean|median|average)\s+(?:of\s+)?)?\d[\d.,]*\s*(?:(?:±|\+/-)\s*\d[\d.]*\s*)?%?\s*(?:[\w-]+\s+){0,2}?to\s+\d",
    re.IGNORECASE,
)
_TREATED = re.compile(r"\b(?:treated|treatment|therapy|injections?|procedures?|acupuncture|surgery)\b", re.IGNORECASE)
# People named as cases or controls (not the design's own name "case-control").
_CASES_OR_CONTROLS = re.compile(r"\bcontrols\b|\bcases\b|\bcontrol\s+(?:subjects|patients|participants|individuals|group)\b|\bhealthy\b|\bodds\b", re.IGNORECASE)


def _without_calls_for_research(text: str) -> str:
    """``text`` with calls for future research blanked out (spaces, so every position is kept)."""
    if "need" not in text and "warrant" not in text and "requir" not in text and "necessar" not in text \
            and "recommend" not in text and "called for" not in text and "justified" not in text \
            and "uture" not in text and "ubsequent" not in text and "coming" not in text and "later" not in text \
            and " be " not in text:
        return text
    return _CALL_FOR_RESEARCH.sub(lambda m: " " * len(m.group(0)), text)


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for w in weights:
        miss *= 1.0 - w
    return 1.0 - miss


def _decide(scores: dict[str, float], fired: frozenset[str], human_sample: Callable[[], bool],
            one_group_treated: Callable[[], bool] = lambda: False,
            groups_formed: Callable[[], str | None] = lambda: None,
            before_and_after: Callable[[], bool] = lambda: False,
            patients_allocated: Callable[[], bool] = lambda: False,
            placebo_or_sham: Callable[[], bool] = lambda: False,
            trial_arms_formed: Callable[[], bool] = lambda: False,
            groups_named: Callable[[], bool] = lambda: False,
            change_in_treated: Callable[[], bool] = lambda: False,
            cases_or_controls: Callable[[], bool] = lambda: True,
            own_case: Callable[[], bool] = lambda: True) -> tuple[str, str]:
    """Pick the design; return it with the precedence rule's name when one decided.

    ``fired`` names every cue seen; ``human_sample()`` says the text counts people studied, so
    animal words do not take precedence; ``one_group_treated()`` says it reports one group of
    people given a treatment; ``groups_formed()`` names the design of a comparison whose groups
    the text says were formed without saying it was at random; ``before_and_after()`` says
    outcomes were measured before and after a treatment; ``patients_allocated()`` says patients
    were put into groups or arms; ``placebo_or_sham()`` says the text names a placebo or sham;
    ``trial_arms_formed()`` says people were put into experimental and control groups or given a sham;
    ``groups_named()`` says the text names two or more groups, arms or controls;
    ``change_in_treated()`` says a treatment is named and a value changed "from X to Y";
    ``cases_or_controls()`` says the text names cases or controls as people (or odds);
    ``own_case()`` says the text tells a patient of its own ("we report", "our patient").
    """
    if not scores or max(scores.values()) < _MIN_SCORE:
        if one_group_treated():
            return "case_series", "precedence.one_group_treated"
        # Groups named by the treatment each had ("58 received A and 62 received B"): a cohort when
        # the text says the treatment came from care (records, choice, dates), else the study's own
        # groups, their allocation untold: a non-randomized trial.
        formed = groups_formed()
        if formed:
            return formed, "precedence.groups_by_treatment_had"
        return "other", "no_cue"
    rct_cues = {name for name in fired if name.startswith("text.")} & _RCT_TEXT_CUES
    best = max(scores, key=scores.__getitem__)
    protocol = scores.get("protocol", 0.0)
    if protocol >= _PROTOCOL_PRECEDENCE and best != "protocol":
        return "protocol", "precedence.protocol_over_reported_design"
    rule = ""
    # Blinding, arms and comparisons are features of RCTs, not proof of one: a text that says its
    # allocation was not random is believed unless it also states randomization.
    if best == "rct" and "text.not_randomized" in fired and not fired & RANDOMIZATION_STATED_RULES:
        best, rule = "non_randomized_trial", "precedence.randomization_denied"
    # A trial that states randomization or blinding and also names a choice ("elected to continue
    # the drug after the study", a side group "by surgeon preference") stays a trial.
    if best == "rct" and ("text.allocation_by_choice" in fired
                          or "text.groups_by_choice" in fired and not fired & RANDOMIZATION_STATED_RULES
                          and rct_cues <= _ALLOCATION_UNSTATED_CUES):
        best, rule = "cohort", "precedence.allocation_by_choice"
    # "A retrospective cross-sectional study" whose patients "were divided into two groups:
    # transforaminal (n=30) and caudal (n=30)" compares treatment groups from the records, as a
    # cohort does; a cross-sectional description of one population stays 'other'.
    if best == "other" and "text.cross_sectional" in fired and "text.survey" not in fired and fired & _RETROSPECTIVE \
            and not fired & RANDOMIZATION_STATED_RULES and (fired & _GROUPS_NAMED or groups_formed() == "cohort"):
        best, rule = "cohort", "precedence.retrospective_comparison"
    # "A cross-sectional study" of people given one treatment and followed, its results told as
    # changes within them ("pain fell from 9.7 to 2.3"), is a treated series under another name.
    if best == "other" and "text.cross_sectional" in fired and not fired & {"text.survey", "text.measurement_study"} \
            and not groups_named() and (one_group_treated() or change_in_treated()):
        best, rule = "case_series", "precedence.cross_sectional_treated_series"
    # A "case-control study" whose groups are treatments compared ("interlaminar versus
    # transforaminal", "for each technique, 19 patients who received it") and that names no cases
    # or controls as people is a comparison of treatments by exposure: a cohort.
    if best == "case_control" and "mesh.case_control" not in fired and "text.matched_controls" not in fired \
            and (fired & _GROUPS_NAMED or groups_named()) and not cases_or_controls():
        best, rule = "cohort", "precedence.case_control_of_treatments"
    # Groups sorted by a trait in a report of a placebo-controlled comparison (a trial's subgroups
    # by prognosis) do not make the trial a cohort.
    if best == "cohort" and fired & _COHORT_COMPARED == {GROUPS_BY_TRAIT} \
            and not fired & _NAMED_COHORT and scores.get("rct", 0.0) >= _MIN_SCORE and placebo_or_sham():
        best, rule = "rct", "precedence.trial_subgroups_by_trait"
    # Records looked back on were not randomized: without stated randomization, a retrospective
    # comparison of groups is a cohort, and a retrospective account of one group a case series.
    if best in ("rct", "case_series", "non_randomized_trial") and not fired & RANDOMIZATION_STATED_RULES and fired & _RETROSPECTIVE \
            and not fired & _NAMED_SERIES:
        # Groups formed from the records ("divided into 2 groups according to ...") are compared too.
        # So are groups named by the treatment each had ("20 patients received A and 24 received B").
        compared = bool(fired & _GROUPS_NAMED) or "text.retrospective_comparison" in fired or groups_formed() is not None
        best, rule = ("cohort", "precedence.retrospective_comparison") if compared else ("case_series", "precedence.retrospective_series")
    # "A prospective study of 60 patients" followed one group: with no second group, allocation
    # or comparison named, it is an uncontrolled series, not a cohort compared by exposure.
    # "A prospective study on 40 patients" that goes on to compare "the transforaminal and
    # interlaminar groups": two groups treated in a planned study, their allocation untold, is a
    # non-randomized comparison (as a comparison with no randomization stated is), not a cohort
    # compared by exposure nor one group followed.
    # Groups whose treatment was chosen in care ("those planned for injection") stay a cohort.
    if best == "cohort" and "text.prospective_study" in fired and not fired & (_COHORT_COMPARED | _NAMED_COHORT | _RETROSPECTIVE) \
            and (fired & _GROUPS_NAMED or groups_named()) and groups_formed() != "cohort":
        best, rule = "non_randomized_trial", "precedence.prospective_comparison"
    elif best == "cohort" and not fired & _COHORT_COMPARED and not fired & _GROUPS_NAMED and rule != "precedence.retrospective_comparison":
        # Unless it names itself observational or a long-term follow-up: a cohort of one group,
        # but one whose outcomes are measured before and after the treatment is a treated series.
        if fired & _NAMED_COHORT and not before_and_after():
            best, rule = "cohort", SINGLE_GROUP_COHORT
        else:
            best, rule = "case_series", "precedence.one_group_followed"
    # Randomization said of this study's participants ("were randomly assigned", "were
    # randomized", a random sequence) makes it a randomized trial whatever else it names ("a cohort
    # of 400 women", "case series" of earlier work, groups of a trait), unless allocation is also
    # said to be non-random. Reviews and animal studies are decided below, as before.
    if best in _OUTWEIGHED_BY_RANDOMIZATION and fired & _RANDOMIZED_PARTICIPANTS and not fired & _ALLOCATION_DENIED \
            and scores.get("rct", 0.0) >= _MIN_SCORE:
        best, rule = "rct", "precedence.participants_randomized"
    # "Pain fell from 7.9 vs 3.1" in a report of one treated group compares times, not groups:
    # with no other trial cue and no second group named, the report is a series.
    if best == "rct" and rct_cues <= _WEAK_RCT_CUES and not fired & RANDOMIZATION_STATED_RULES \
            and not fired & {"pt.rct", "pt.observational"} and one_group_treated():
        best, rule = "case_series", "precedence.one_group_treated"
    # A comparison that tells how its groups were formed ("were assigned into the treatment group
    # and the control group", "14 patients received A and 18 had B") without saying it was at
    # random is not shown to be randomized: people put into groups make a non-randomized trial,
    # people compared by what they had a cohort.
    if best == "rct" and rct_cues <= _ALLOCATION_UNSTATED_CUES and not fired & RANDOMIZATION_STATED_RULES \
            and not fired & {"pt.rct", "mesh.blinding"}:
        formed = groups_formed()
        if formed:
            best, rule = formed, "precedence.groups_formed_not_randomized"
        # Nothing said of how the groups were formed ("A and B were compared in 30 cases", "were
        # assigned to three treatment groups", "each underwent one of the procedures"): randomization
        # is not shown, and on real searches most such reports are not randomized. A placebo or sham
        # arm, which only a trial gives, keeps the RCT call and its low confidence; so does
        # allocation to arms in a trial that cites its registry id (a registered, allocated trial).
        elif not placebo_or_sham() and not _REGISTERED_ALLOCATION <= fired:
            best, rule = "non_randomized_trial", "precedence.randomization_not_stated"
    # A study named a cohort whose investigators formed the arms ("were divided into experimental
    # and control groups", "the control group received sham needling") is a trial; without a
    # word of randomization, a non-randomized one. Records looked back on stay a cohort.
    if best == "cohort" and not fired & RANDOMIZATION_STATED_RULES and not fired & _RETROSPECTIVE \
            and not fired & {"text.registry_or_matching", "mesh.cohort", "pt.observational"} and trial_arms_formed():
        best, rule = "non_randomized_trial", "precedence.cohort_with_trial_arms"
    # Case reports that other authors published, gathered with none of the text's own patients
    # ("we report", "our patient", a patient's age), make a review of cases.
    if best in _UNCONTROLLED and "text.published_cases" in fired and not fired & _ONE_PERSON and "text.care_headings" not in fired \
            and not own_case():
        return "narrative_review", "precedence.review_of_published_cases"
    # Its own patients told beside a review of cases others reported ("we report a 58-year-old
    # man ... and review 16 cases in the literature"): the text's own cases decide the design.
    if best == "narrative_review" and "text.published_cases" in fired and not fired & {"text.clinical_vignette", "text.self_described_review"} \
            and own_case():
        told = max(_UNCONTROLLED, key=lambda d: scores.get(d, 0.0))
        if scores.get(told, 0.0) >= _MIN_SCORE:
            best, rule = told, "precedence.own_cases_beside_published_ones"
    # A "case report" of several patients is a series.
    if best == "case_report" and "text.several_patients" in fired and not fired & _ONE_PERSON:
        best, rule = "case_series", "precedence.several_patients_reported"
    # A document naming itself a review reports other people's trials, whatever they did; "in
    # this review" from a text that also calls itself systematic or pooled is that kind of review.
    review = max(_REVIEWS, key=lambda d: scores.get(d, 0.0))
    if best in _CONTROLLED_PRIMARY and "text.self_described_review" in fired and scores.get(review, 0.0) < _REVIEW_PRECEDENCE:
        return "narrative_review", "precedence.self_described_review"
    # A clinical trial reported with an animal experiment ("patients ... were divided into three
    # treatment groups ... in anesthetized rats"): when the animal words are only the abstract's,
    # the patients' trial is the design.
    if best == "animal_or_lab" and scores["animal_or_lab"] < _ANIMAL_PRECEDENCE and patients_allocated():
        primary = max(_CONTROLLED_PRIMARY, key=lambda d: scores.get(d, 0.0))
        if scores.get(primary, 0.0) >= _MIN_SCORE:
            best, rule = primary, "precedence.clinical_part_of_animal_study"
    if best in _PRIMARY_STUDY:
        if scores.get(review, 0.0) >= _REVIEW_PRECEDENCE:
            best, rule = review, ""
        # Animal experiments randomize and compare groups too.
        elif scores.get("animal_or_lab", 0.0) >= _ANIMAL_PRECEDENCE and not human_sample():
            best, rule = "animal_or_lab", ""
    # "This review" that goes on to count the trials it included ("We included 25 trials") is a
    # systematic review, however plainly it is written (a plain-language summary).
    if best == "narrative_review" and "text.we_included_studies" in fired:
        best, rule = "systematic_review", "precedence.counted_included_studies"
    # A guideline that says so searched and graded the literature as a systematic review does: it
    # is the guideline, whatever its search words.
    if best in ("systematic_review", "meta_analysis", "narrative_review") and "text.self_described_guideline" in fired \
            and not fired & {"pt.systematic_review", "pt.meta_analysis"}:
        return "guideline", "precedence.self_described_guideline"
    # A meta-analysis is a systematic review that pools: keep the more specific label.
    if best == "systematic_review" and scores.get("meta_analysis", 0.0) >= 0.75:
        return "meta_analysis", "precedence.pooled_review"
    if best == "meta_analysis" and scores.get("meta_analysis", 0.0) < 0.75:
        return "systematic_review", "precedence.unpooled_review"
    return best, rule


def classify_articles(tables: dict[str, pd.DataFrame], topic: Topic) -> pd.DataFrame:
    """Classify every article: design, PICO and sample size, one row per PMID.

    Parameters
    ----------
    tables:
        Record tables as returned by ``evidence.read_pubmed`` (``articles`` is required; ``mesh``
        and ``publication_types`` are used when present).
    topic:
        The topic whose vocabularies name populations, interventions and comparators.

    Returns
    -------
    pandas.DataFrame
        Conforming to ``evidence.tables.schema.STUDIES`` with ``provenance="auto"``.
    """
    articles = tables["articles"]
    mesh = _grouped(tables.get("mesh"), "descriptor")
    rows = [
        classify_record(
            {**rec, "mesh": mesh.get(rec["pmid"], [])},
            topic,
        )
        for rec in articles.to_dict("records")
    ]
    if not rows:
        return schema.empty_frame(schema.STUDIES)
    return schema.conform(pd.DataFrame(rows), schema.STUDIES)


def classify_record(record: dict, topic: Topic) -> dict:
    """One ``studies`` row (as a dict) for one article record.

    ``record`` holds the ``articles`` columns plus ``mesh`` (a list of descriptor names).
    Pure: the same record and topic always give the same row, so this maps over files.
    """
    title, abstract = record.get("title"), record.get("abstract")
    call = classify_design(title, abstract, record.get("publication_types") or [], record.get("mesh") or [])
    text = record_text(title, abstract)
    pico = extract_pico(text, topic)
    size = extract_sample_size(text)
    # A narrative review that says how many studies it gathered ("we gathered 45 articles")
    # has a study count too, though no one was randomized in it.
    counts_studies = call.design in {"systematic_review", "meta_analysis", "narrative_review"}
    size_rules = dict(size.rules)
    n_randomized = size.n_randomized
    if call.design == "case_report" and n_randomized is None:
        # A case report describes one patient, whose count it seldom states.
        n_randomized = 1
        size_rules["n_randomized"] = "case_report_one_patient"
    is_review = call.design in {"systematic_review", "meta_analysis"}
    # Reports of single patients, uncontrolled series or one group followed have no comparison arm: treatments they
    # name are history or co-treatment, never a comparator.
    # A primary study whose text never sets anything against anything (no group, arm, control,
    # allocation, comparison or "versus"; at most one sized arm) followed one set of patients: the
    # treatments it names are the package all received or what they might need, not comparators.
    # So do groups sorted by a trait or history of people all given the same treatment ("divided
    # into those with and those without a previous procedure"): none had a comparator.
    uncontrolled = call.design in _UNCONTROLLED or call.rule == SINGLE_GROUP_COHORT or call.rule == GROUPS_BY_TRAIT \
        or not is_review and not _sets_arms_against(text)
    comparator_classes = [] if uncontrolled else pico.comparator_classes
    comparator_rules = {}
    # A cohort of the topic's intervention that sets the treated against a control group or a matched
    # cohort whose treatment it never names ("64 patients who had the injection and a control group of 256") compared them
    # with people who did not have it: no treatment.
    if call.design == "cohort" and not uncontrolled and not comparator_classes and pico.interventions \
            and "no_treatment" in topic.comparator_classes and _UNNAMED_CONTROLS.search(text):
        comparator_classes = ["no_treatment"]
        comparator_rules["comparators"] = "cohort_unnamed_controls"
    return {
        "study_id": record["pmid"],
        "pmid": record["pmid"],
        "doi": record.get("doi"),
        "pmcid": record.get("pmcid"),
        "title": title,
        "journal": record.get("journal"),
        "year": record.get("year"),
        "country": record.get("country"),
        "design": call.design,
        "population": ", ".join(p.replace("_", " ") for p in pico.population) or pd.NA,
        "interventions": pico.interventions,
        "comparators": [] if uncontrolled else pico.comparators,
        "comparator_class": comparator_classes,
        # Without a comparison arm nothing is added to one.
        "add_on": pd.NA if uncontrolled else pico.add_on,
        "n_randomized": pd.NA if is_review else n_randomized,
        "n_analysed": pd.NA if is_review else size.n_analysed,
        "n_arms": pd.NA if is_review else size.n_arms,
        "n_studies": size.n_studies if counts_studies else pd.NA,
        "n_participants": size.n_participants if counts_studies else pd.NA,
        "follow_up": size.follow_up,
        "outcomes": pico.outcomes,
        "verified": False,
        "notes": "design evidence: " + "; ".join(call.evidence) if call.evidence else pd.NA,
        "provenance": "auto",
        "rule": "; ".join([
            f"design:{call.rule}",
            *([] if uncontrolled else (f"{k}:{v}" for k, v in pico.rules.items())),
            *(f"{k}:{v}" for k, v in comparator_rules.items()),
            *([] if is_review else (f"{k}:{v}" for k, v in size_rules.items())),
        ]),
        "confidence": call.confidence,
    }


# A cohort's comparison group named without a treatment: "a control group", "matched controls".
_UNNAMED_CONTROLS = re.compile(
    r"\b(?:(?:a|the|an?\s+\w+)\s+control (?:group|cohort)s?|(?:age[- ]|propensity[- ]|sex[- ])?matched (?:control|comparison)s?(?: (?:group|cohort))?)\b"
    r"|\bcontrols?\s+(?:group\s+)?(?:of|with)\s+\d+",
    re.IGNORECASE)


# Words that set arms or treatments against each other, or name an arm.
_ARMS_WORDS = re.compile(
    r"\b(?:groups?|arms?|randomi[sz]\w*|versus|vs|compar\w*|controls?|controlled|allocat\w*|assign\w*|divided|"
    r"placebo|sham|than|either|against|alone|whereas|cohorts?)\b",
    re.IGNORECASE)
_ARM_SIZE = re.compile(r"\bn\s*=\s*\d+", re.IGNORECASE)


def _sets_arms_against(text: str) -> bool:
    """Whether a record's text has any word that sets arms against each other, or sizes two arms
    ("acupuncture (n = 30) or tablets (n = 30)")."""
    return _ARMS_WORDS.search(text) is not None or len(_ARM_SIZE.findall(text)) >= 2


def _grouped(frame: pd.DataFrame | None, column: str) -> dict[str, list[str]]:
    if frame is None or frame.empty:
        return {}
    return frame.groupby("pmid")[column].agg(list).to_dict()
