"""Classify every stored record and extract its findings, keeping the results in the store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .classify import classify_articles
from .errors import StoreError
from .extract import extract_findings
from .main_result import mark_main_results
from .schema import FINDINGS, STUDIES, conform
from .store import Store
from .topic import Topic, load_topic

CHUNK = 250  # records per step: small enough for a smooth progress bar, large enough to stay vectorised


@dataclass
class AnnotateResult:
    records: int
    studies: int
    findings: int
    by_design: dict[str, int]


def annotate_store(data_dir: str | Path | None = None, topic: Topic | str | None = None,
                   progress: Callable[[Iterable], Iterable] | None = None) -> AnnotateResult:
    """Run ``classify_articles`` and ``extract_findings`` on the store and save both tables.

    The rows carry ``provenance='auto'`` and the rule that fired; ``evidence.load`` puts curated
    snapshot rows first for the same PMID. ``progress`` wraps the iterable of record chunks.
    """
    topic = topic if isinstance(topic, Topic) else load_topic(topic or "acupuncture_sciatica")
    store = Store(data_dir)
    tables = store.tables()
    if "articles" not in tables:
        raise StoreError(f"{store.root} holds no records yet; run `evidence import FILE` or `evidence fetch` first")
    articles, mesh = tables["articles"], tables.get("mesh")
    chunks = [articles.iloc[i:i + CHUNK] for i in range(0, len(articles), CHUNK)]
    studies, findings = [], []
    for chunk in (progress(chunks) if progress else chunks):
        part = {"articles": chunk, "mesh": None if mesh is None else mesh[mesh["pmid"].isin(chunk["pmid"])]}
        studies.append(classify_articles(part, topic))
        findings.append(mark_main_results(extract_findings(part, topic), chunk, topic))
    studies_df = conform(pd.concat(studies, ignore_index=True), STUDIES)
    findings_df = conform(pd.concat(findings, ignore_index=True), FINDINGS)
    studies_df["study_id"] = studies_df["pmid"]
    findings_df["study_id"] = findings_df["pmid"]
    store.add_tables({"studies": studies_df, "findings": findings_df})
    counts = {str(k): int(v) for k, v in studies_df["design"].value_counts().items()}
    return AnnotateResult(len(articles), len(studies_df), len(findings_df), counts)
