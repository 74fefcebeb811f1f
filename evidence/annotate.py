"""Classify every stored record and extract its findings, keeping the results in the store."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .classify import classify_articles
from .errors import StoreError
from .extract import extract_findings
from .store import Store
from .topic import Topic, load_topic


@dataclass
class AnnotateResult:
    records: int
    studies: int
    findings: int
    by_design: dict[str, int]


def annotate_store(data_dir: str | Path | None = None, topic: Topic | str | None = None) -> AnnotateResult:
    """Run ``classify_articles`` and ``extract_findings`` on the store and save both tables.

    The rows carry ``provenance='auto'`` and the rule that fired; ``evidence.load`` puts curated
    snapshot rows first for the same PMID.
    """
    topic = topic if isinstance(topic, Topic) else load_topic(topic or "acupuncture_sciatica")
    store = Store(data_dir)
    tables = store.tables()
    if "articles" not in tables:
        raise StoreError(f"{store.root} holds no records yet; run `evidence import FILE` or `evidence fetch` first")
    studies = classify_articles(tables, topic)
    findings = extract_findings(tables, topic)
    studies["study_id"] = studies["pmid"]
    findings["study_id"] = findings["pmid"]
    store.add_tables({"studies": studies, "findings": findings})
    counts = {str(k): int(v) for k, v in studies["design"].value_counts().items()}
    return AnnotateResult(len(tables.get("articles", ())), len(studies), len(findings), counts)
