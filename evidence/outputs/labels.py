"""Names readers see instead of the tables' codes, links to a study, and which source page to show.

The tables speak in codes (``odi``, ``favours_comparator``, ``very_low``, ``dry_needling``) so
that code can compare them; a reader should meet "Oswestry Disability Index", "favours the nerve
block", "very low" and "dry needling (trigger-point needling)". Outcome names, scales, directions
and minimal important differences live in the topic file's ``[outcomes]`` section, with the page
where each difference was seen; comparator classes and forms are named by the topic too
(``label`` of each comparator class, ``[claims.form_names]``); the other names are fixed here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import pandas as pd

from ..topic.model import Topic

MACHINE_EXTRACTED = "machine-extracted, not verified"
"""The label every machine-extracted row (provenance ``auto``) carries wherever a reader sees it."""

FORM_NOT_STATED = "form not stated"
"""A finding's form when neither it nor its study names one and the topic gives no name for that."""
SHARED_COMPARATOR_NAMES = {"none": "no comparator", "other": "other comparator"}
"""Names of the comparator classes every topic has; a topic's own classes are named by its
``label`` (:attr:`evidence.topic.model.Topic.comparator_labels`, see :func:`comparator_names`)."""
DESIGN_NAMES = {
    "rct": "randomised trial", "systematic_review": "systematic review", "meta_analysis": "meta-analysis",
    "non_randomized_trial": "non-randomised trial", "cohort": "cohort study", "case_control": "case-control study",
    "case_series": "case series", "case_report": "case report", "protocol": "trial protocol",
    "narrative_review": "narrative review", "guideline": "guideline", "animal_or_lab": "animal or lab study",
    "other": "other design",
}
GRADE_NAMES = {"very_low": "very low", "low": "low", "moderate": "moderate", "high": "high",
               "not_graded": "not graded", "no_evidence": "no evidence"}


def comparator_names(topic: Topic | None = None) -> dict[str, str]:
    """Readers' names of comparator classes: the topic's ``label`` of each class, over the shared names."""
    return {**SHARED_COMPARATOR_NAMES, **(topic.comparator_labels if topic is not None else {})}


def form_names(topic: Topic | None = None) -> dict[str, str]:
    """Readers' names of the intervention's forms: the topic's ``[claims.form_names]`` (none without a topic)."""
    return topic.form_labels if topic is not None else {}


def unspecified_form_name(topic: Topic | None = None) -> str:
    """What a reader sees for a finding whose form no one stated: the topic's name of its
    ``intervention_unspecified`` form ("acupuncture (form not stated)"), else :data:`FORM_NOT_STATED`."""
    code = topic.unspecified_form if topic is not None else None
    return form_names(topic).get(code, FORM_NOT_STATED) if code else FORM_NOT_STATED


def is_missing(value: object) -> bool:
    """None or a pandas/numpy missing value (a list is never missing)."""
    return value is None or (not isinstance(value, (list, tuple)) and pd.isna(value))


def name_of(code: object, names: dict[str, str]) -> str | None:
    """The reader's name of a code (the code with spaces when it has none); None for a missing value."""
    if is_missing(code):
        return None
    return names.get(str(code), str(code).replace("_", " "))


def sides(comparator_class: str, design_kind: object, intervention: str,
          names: dict[str, str] | None = None) -> tuple[str, str]:
    """The two arms of a comparison in plain words: ('acupuncture', 'the nerve block'), ...

    ``intervention`` is the topic's intervention as a sentence names it; ``names`` the readers'
    names of comparator classes (:func:`comparator_names`; a class without one is its code in words).
    """
    comparator = (names or SHARED_COMPARATOR_NAMES).get(comparator_class, comparator_class.replace("_", " "))
    if design_kind == "add_on":
        return f"adding {intervention}", f"the {comparator} alone"
    if design_kind == "package":
        return f"the package with {intervention}", f"the package with the {comparator}"
    return intervention, f"the {comparator}"


def direction_name(direction: object, comparator_class: str, design_kind: object,
                   intervention: str, names: dict[str, str] | None = None) -> str | None:
    """'favours acupuncture', 'favours the nerve block', 'no difference' ... for a direction code.

    ``names``: the readers' names of comparator classes, as for :func:`sides`.
    """
    if direction is None or pd.isna(direction):
        return None
    ours, theirs = sides(comparator_class, design_kind, intervention, names)
    return {"favours_intervention": f"favours {ours}", "favours_comparator": f"favours {theirs}",
            "no_difference": "no difference", "unknown": "direction not known",
            }.get(str(direction), str(direction).replace("_", " "))


@dataclass(frozen=True)
class Outcome:
    """An outcome as the topic file describes it.

    Attributes
    ----------
    code:
        The findings table's outcome code.
    name:
        What a reader sees.
    scale:
        The instrument and its range ("" when the topic does not say).
    lower_is_better:
        Direction of the scale; None when the topic does not say.
    mid:
        Minimal important difference in ``mid_unit``; None when no source gave one.
    mid_unit, mid_source, mid_note:
        Unit of the MID, the URL of the page where it was seen, and who proposed it for what.
    """

    code: str
    name: str
    scale: str = ""
    lower_is_better: bool | None = None
    mid: float | None = None
    mid_unit: str = ""
    mid_source: str = ""
    mid_note: str = ""

    @property
    def direction(self) -> str:
        """'lower is better', 'higher is better' or 'not stated'."""
        if self.lower_is_better is None:
            return "not stated"
        return "lower is better" if self.lower_is_better else "higher is better"

    @property
    def mid_text(self) -> str:
        """'10 points (Ostelo 2008 ...)' or 'none found'."""
        if self.mid is None:
            return "none found" + (f" ({self.mid_note})" if self.mid_note else "")
        return f"{self.mid:g} {self.mid_unit}".strip() + (f" ({self.mid_note})" if self.mid_note else "")


def outcomes(topic: Topic | None = None) -> dict[str, Outcome]:
    """The topic's ``[outcomes]`` section as :class:`Outcome` objects, by code.

    Without a topic there are none, and readers see each outcome code in words: no topic's
    outcomes are assumed.
    """
    return _outcomes_of(topic) if topic is not None else {}


def _outcomes_of(topic: Topic) -> dict[str, Outcome]:
    found = {}
    for code, entry in topic.section("outcomes").items():
        found[code] = Outcome(code=code, name=entry.get("name", code.replace("_", " ")), scale=entry.get("scale", ""),
                              lower_is_better=entry.get("lower_is_better"), mid=entry.get("mid"),
                              mid_unit=entry.get("mid_unit", ""), mid_source=entry.get("mid_source", ""),
                              mid_note=entry.get("mid_note", ""))
    return found


def other_outcome_name(code: str) -> str | None:
    """The reader's name for an outcome outside the topic's vocabulary ("other: procedure time"): the
    abstract's own words, marked as such; None for any other code."""
    if not code.startswith("other: "):
        return None
    return f"{code[len('other: '):]} (as the abstract words it; outcome outside the topic's vocabulary, machine-extracted)"


def outcome_name(code: object, known: dict[str, Outcome]) -> str | None:
    """A reader's name for an outcome code (the code with spaces when the topic has none)."""
    if code is None or pd.isna(code):
        return None
    entry = known.get(str(code))
    if entry is None and (other := other_outcome_name(str(code))) is not None:
        return other
    return entry.name if entry else str(code).replace("_", " ")


def reader_label(label: object, pmid: object, *, study_id: object = None, authors: Sequence[object] | None = None,
                 year: object = None, with_identifier: bool = False) -> str:
    """A study's name for readers: 'Lee 2024', 'PMID 26593277', 'DOI 10.1/x', never an internal 'ref:' code.

    Parameters
    ----------
    label, pmid:
        The synthesis label (see ``synthesize``) and the study's PMID (missing: None or NA).
    study_id, authors, year:
        When given and the label is only the study's own id (authors recorded but no year, no title),
        the first author names it: 'Lee (year not recorded)'.
    with_identifier:
        Add what a reader looks the study up with: 'Ji 2015 (PMID 26425130)', 'Lee (DOI 10.1/x)',
        'Lee (no PMID or DOI)'; a name that is that identifier is shown once.
    """
    text = str(label)
    has_pmid = not is_missing(pmid) and bool(str(pmid).strip())
    sid = "" if is_missing(study_id) else str(study_id)
    if sid and text == sid and not sid.isdigit() and authors is not None and len(authors):
        text = f"{str(authors[0]).split()[0]} ({'year not recorded' if is_missing(year) or not year else year})"
    elif text.startswith("doi:"):
        text = "DOI " + text[4:]
    elif text.startswith("ref:"):
        text = f"PMID {pmid}" if has_pmid else "an untitled study"
    if not with_identifier:
        return text
    if has_pmid:
        identifier = f"PMID {pmid}"
    elif sid.startswith("doi:"):
        identifier = f"DOI {sid[4:]}"
    else:
        identifier = "no PMID or DOI"
    return identifier if text in (identifier, sid, f"PMID {pmid}") else f"{text} ({identifier})"


def study_link(pmid: object, doi: object) -> str | None:
    """The study's own page: PubMed for a PMID, else doi.org for a DOI, else None."""
    if pmid is not None and not pd.isna(pmid) and str(pmid).isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
    if doi is not None and not pd.isna(doi) and str(doi).strip():
        return f"https://doi.org/{str(doi).strip()}"
    return None


def is_traceable(pmid: object, doi: object, title: object) -> bool:
    """A reader can find the study again: it has a PMID, a DOI or a title."""
    return any(v is not None and not pd.isna(v) and str(v).strip() for v in (pmid, doi, title))


# Hosts that copy other sites' pages (aggregators, document mirrors); their copies are shown only
# when no first-hand page was seen.
MIRROR_HOSTS = (
    "booksci.cn", "ouci.dntb.gov.ua", "bohrium.dp.tech", "suppr.wilddata.cn", "selectdataset.com",
    "readbyqxmd.com", "referencecitationanalysis.com", "scribd.com", "kipdf.com", "docksci.com", "123dok",
    "paperexplained.cn", "medluna.com", "coek.info", "docobook.com", "lausr.org", "proxy.weglot.com",
)
FIRST_HAND_HOSTS = (
    "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "ncbi.nlm.nih.gov", "pubmed.gov", "doi.org",
    "clinicaltrials.gov", "trialsearch.who.int", "cris.nih.go.kr", "chictr.org.cn", "isrctn.com",
    "cochranelibrary.com", "nice.org.uk", "who.int",
)


def source_rank(url: str) -> int:
    """0 for NCBI, DOI and registry pages; 1 for publishers and other sites; 2 for mirrors; 3 for forums and bare IPs."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
        return 3
    except ValueError:
        pass
    if "forum" in host or "bbs." in host:
        return 3
    if any(host == h or host.endswith("." + h) for h in FIRST_HAND_HOSTS):
        return 0
    if any(m in host for m in MIRROR_HOSTS):
        return 2
    return 1


def preferred_source(urls) -> str | None:
    """The source page to show a reader: the first-hand page when one was seen, mirrors last."""
    candidates = [str(u) for u in urls if u is not None and not pd.isna(u) and str(u).strip()]
    return min(candidates, key=source_rank) if candidates else None


# Readers' names for the measures that carry no effect size (the code stays in ``measure``).
# MD, SMD, RR, OR and HR keep their usual abbreviations.
MEASURE_NAMES = {
    "group_comparison": "between-group comparison without an effect size",
    "between_group_test": "between-group test without an effect size",
    "mean_per_arm": "means per group, without a between-group effect size",
    "mean_change_per_arm": "mean change per group, without a between-group effect size",
    "percent_change_per_arm": "percentage change per group, without a between-group effect size",
    "effective_rate_per_arm": "response rate per group",
    "events_per_arm": "events per group",
    "p_only": "a p-value only",
    "t_test": "t-test statistic",
    "network_meta_analysis_significance": "network meta-analysis result stated only as significant or not",
    "pooled_significance": "pooled result stated only as significant or not",
    "qualitative_conclusion": "the review's conclusion in words, without an effect size",
    "ratio_unspecified": "ratio of unstated kind",
}


def measure_name(code: str | None) -> str | None:
    """A reader's name for a measure code (``group_comparison`` -> 'between-group comparison ...')."""
    if code is None:
        return None
    return MEASURE_NAMES.get(code, code if code.isupper() else code.replace("_", " "))
