"""The indirect panel: two topics' results against the same control, side by side, never compared.

Acupuncture was tested against sham acupuncture, and epidural steroid injections against placebo
or sham injections, in different trials, populations and years. Setting the two sets of results
on one outcome scale shows the size of each against its own control; it is **not** evidence
that one treatment beats the other, and nothing here feeds a synthesis, a certainty grade or a
claim verdict. The topic file says what to place side by side (``[report.indirect]``):

* ``other_topic``: the topic whose snapshot gives the second set of results;
* ``comparators``: the control classes (``["sham"]``);
* ``outcome``: the common scale in words;
* ``scale``: each outcome code that is on that scale, with the factor that brings it there
  (10 for a 0-10 scale shown on 0-100).

Only curated, head-to-head mean differences with a confidence interval are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .labels import is_missing
from ..tables.snapshot import load_snapshot
from ..topic.model import Topic, load_topic

INDIRECT_LABEL = "Indirect comparison, not evidence that one beats the other"
"""The label the panel carries wherever it is shown."""

PANEL_COLUMNS = ("treatment", "control", "study", "pmid", "doi", "outcome", "timepoint", "md", "ci_low", "ci_high",
                 "verified", "source_url")


@dataclass(frozen=True)
class IndirectPanel:
    """Both topics' results against their controls on one scale.

    Attributes
    ----------
    label:
        :data:`INDIRECT_LABEL`.
    outcome:
        The common scale in words.
    rows:
        Columns :data:`PANEL_COLUMNS`, one row per result; ``md`` and its CI on the common scale.
    """

    label: str
    outcome: str
    rows: pd.DataFrame


def _study_name(study: dict) -> str:
    authors = study.get("authors")
    first = authors[0].rsplit(" ", 1)[0] if isinstance(authors, list) and authors else None
    year = None if is_missing(study.get("year")) else int(study["year"])
    if first and year:
        return f"{first} {year}"
    return f"PMID {study['pmid']}" if not is_missing(study.get("pmid")) else str(study["study_id"])


def _rows(topic: Topic, tables: dict[str, pd.DataFrame], comparators: list[str], scale: dict[str, float]) -> list[dict]:
    findings, studies = tables["findings"], tables["studies"]
    by_id = {s["study_id"]: s for s in studies.astype(object).where(studies.notna(), None).to_dict("records")}
    chosen = findings[findings["comparator_class"].isin(comparators) & ~findings["add_on"].fillna(False).astype(bool)
                      & ~findings["package"].fillna(False).astype(bool) & (findings["measure"] == "MD")
                      & findings["outcome"].isin(list(scale)) & findings["ci_low"].notna() & findings["ci_high"].notna()
                      & (findings["provenance"] == "curated")]
    out = []
    for f in chosen.astype(object).where(chosen.notna(), None).to_dict("records"):
        factor = float(scale[f["outcome"]])
        study = by_id.get(f["study_id"], {"study_id": f["study_id"], "pmid": f["pmid"]})
        estimate = f["estimate"] if f["estimate"] is not None else None
        out.append({
            "treatment": topic.report.intervention, "control": f["comparator_class"].replace("_", " "),
            "study": _study_name(study), "pmid": f["pmid"], "doi": study.get("doi"),
            "outcome": topic.outcome_labels().get(f["outcome"], f["outcome"]), "timepoint": f["timepoint"],
            "md": None if estimate is None else round(estimate * factor, 2),
            "ci_low": round(f["ci_low"] * factor, 2), "ci_high": round(f["ci_high"] * factor, 2),
            "verified": bool(study.get("verified")), "source_url": f["source_url"],
        })
    return out


def indirect_panel(topic: Topic, tables: dict[str, pd.DataFrame]) -> IndirectPanel | None:
    """The indirect panel of ``topic`` (None when its topic file asks for none).

    Parameters
    ----------
    topic:
        The topic reported on; its ``[report.indirect]`` section names the other topic.
    tables:
        This topic's tables (from :func:`evidence.load`); the other topic's come from its snapshot.

    Raises
    ------
    TopicError
        The other topic does not exist.
    SnapshotError
        The other topic's snapshot fails its checks.
    """
    spec = topic.section("report").get("indirect")
    if not spec:
        return None
    other = load_topic(spec["other_topic"])
    comparators, scale = list(spec["comparators"]), dict(spec["scale"])
    rows = _rows(topic, tables, comparators, scale) + _rows(other, load_snapshot(other.snapshot_folder, other), comparators, scale)
    return IndirectPanel(INDIRECT_LABEL, str(spec["outcome"]), pd.DataFrame(rows, columns=list(PANEL_COLUMNS)))
