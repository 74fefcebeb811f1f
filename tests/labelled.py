"""The labelled fixture abstracts (written for this project, fake PMIDs) and tables built from them.

Shared by the classification/extraction tests and benchmarks/bench_classify.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from evidence.extract.classify import classify_articles
from evidence.extract.findings import extract_findings
from evidence.extract.main_result import mark_main_results
from evidence.extract.study_direction import main_direction
from evidence.extract.text import record_text
from evidence.tables import schema

LABELLED = Path(__file__).parent / "fixtures" / "labelled" / "abstracts.jsonl"
# Written and labelled after the rules were tuned on LABELLED, and never tuned on.
HELDOUT = LABELLED.with_name("heldout.jsonl")
# One record per failure pattern seen on real abstracts (benchmarks/real_labels.jsonl), written in
# my own words with other numbers; "pattern" names it and "seen_in" the real record it came from.
REAL_PATTERNS = LABELLED.with_name("real_patterns.jsonl")
PATTERN_FIELDS = ("design", "comparator set", "add-on flag", "sample size", "effects", "main direction")


def load_labelled(path: Path = LABELLED) -> list[dict]:
    """The labelled records of one file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled_tables(records: list[dict]) -> dict[str, pd.DataFrame]:
    """Record tables (articles, mesh) built from labelled records."""
    articles = schema.conform(
        pd.DataFrame(
            [{"pmid": r["pmid"], "title": r["title"], "abstract": r["abstract"] or None,
              "publication_types": r["publication_types"], "record_type": "article", "source": "labelled"}
             for r in records]
        ),
        schema.ARTICLES,
    )
    mesh = schema.conform(
        pd.DataFrame([{"pmid": r["pmid"], "descriptor": d} for r in records for d in r["mesh"]],
                     columns=["pmid", "descriptor"]),
        schema.MESH,
    )
    return {"articles": articles, "mesh": mesh}


def read_under_topics(records: list[dict], default_topic) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Classify and extract records as ``evidence classify`` does, each under the topic it names
    ("topic": an injection study under the epidural steroid topic), the others under ``default_topic``.

    Returns the studies (indexed by pmid), the findings with their main results marked, and each
    record's topic by pmid.
    """
    from evidence.topic.model import load_topic

    loaded = {name: load_topic(name) for name in {r["topic"] for r in records if r.get("topic")}}
    topic_of = {r["pmid"]: loaded.get(r.get("topic") or "", default_topic) for r in records}
    studies_parts, findings_parts = [], []
    for name in sorted({r.get("topic") or "" for r in records}):
        topic = loaded.get(name, default_topic)
        tables = labelled_tables([r for r in records if (r.get("topic") or "") == name])
        studies_parts.append(classify_articles(tables, topic))
        findings_parts.append(mark_main_results(extract_findings(tables, topic), tables["articles"], topic))
    studies = pd.concat(studies_parts, ignore_index=True).set_index("pmid")
    return studies, pd.concat(findings_parts, ignore_index=True), topic_of


def pattern_mismatches(record: dict, study: pd.Series, findings: pd.DataFrame, topic=None) -> dict[str, list[str]]:
    """What the automatic rows of one failure-pattern record get wrong, by field (empty lists: right).

    ``main_direction``, when the record states it, is checked against the study's main result
    (``evidence.extract.study_direction``) read from ``findings`` as marked by
    ``mark_main_results`` and from the record's text with ``topic``.
    """
    exp = record["expected"]
    wrong: dict[str, list[str]] = {f: [] for f in PATTERN_FIELDS}
    if study["design"] != exp["design"]:
        wrong["design"].append(f"design {study['design']}")
    if exp["comparator_classes"] is not None and sorted(study["comparator_class"]) != sorted(exp["comparator_classes"]):
        wrong["comparator set"].append(f"comparators {sorted(study['comparator_class'])}")
    flagged = not pd.isna(study["add_on"]) and bool(study["add_on"])
    if exp["comparator_classes"] is not None and flagged != bool(exp["add_on"]):
        wrong["add-on flag"].append(f"add_on {study['add_on']}")
    for key in ("n_randomized", "n_studies", "n_participants"):
        if exp.get(key) is not None:
            got = None if pd.isna(study[key]) else int(study[key])
            if got != exp[key]:
                wrong["sample size"].append(f"{key} {got}")
    frame = findings[findings["pmid"] == record["pmid"]]
    rows = frame.to_dict("records")
    for e in exp["effects"]:
        if not any(_finding_matches(e, r) for r in rows):
            wrong["effects"].append(f"effect {e} not found")
    # Rows a record must not yield: a baseline comparison, a change within one arm.
    for e in exp.get("not_effects", []):
        if any(_finding_matches(e, r) for r in rows):
            wrong["effects"].append(f"effect {e} found, though the text states no such between-group result")
    if "main_direction" in exp and topic is not None:
        got = main_direction(frame, record_text(record["title"], record["abstract"]), topic)
        if got != exp["main_direction"]:
            wrong["main direction"].append(f"main direction {got}")
    return wrong


def _finding_matches(expected: dict, row: dict) -> bool:
    for key, value in expected.items():
        got = row[key]
        if value is None:
            if not pd.isna(got):
                return False
        elif isinstance(value, float):
            if pd.isna(got) or abs(float(got) - value) > 1e-9:
                return False
        elif got != value:
            return False
    return True
