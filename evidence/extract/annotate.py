"""Classify every stored record and extract its findings, keeping the results in the store."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .classify import classify_articles
from ..errors import StoreError
from .findings import extract_findings, vocabulary
from .main_result import mark_main_results
from ..tables.schema import FINDINGS, STUDIES, conform, empty_frame
from ..ingest.store import Store
from ..topic.model import DEFAULT_TOPIC, Topic, load_topic

CHUNK = 250  # records per step: small enough for a smooth progress bar, large enough to stay vectorised
# Below this many records, starting worker processes costs more than it saves (on 1,999
# EBM-NLP abstracts two forked workers gave 1.8x the records/s of one process).
PARALLEL_MIN = 1000


@dataclass
class AnnotateResult:
    records: int
    studies: int
    findings: int
    by_design: dict[str, int]


def annotate_store(data_dir: str | Path | None = None, topic: Topic | str | None = None,
                   progress: Callable[[Iterable], Iterable] | None = None, workers: int | None = None, *,
                   notify: Callable[[str], None] | None = None, lock_timeout: float | None = None) -> AnnotateResult:
    """Run ``classify_articles`` and ``extract_findings`` on the store and save both tables.

    The rows carry ``provenance='auto'`` and the rule that fired; ``evidence.load`` puts curated
    snapshot rows first for the same PMID. ``progress`` wraps the iterable of record chunks;
    ``workers`` is as in :func:`annotate_tables`; ``notify`` and ``lock_timeout`` as in
    :class:`~evidence.ingest.store.Store`.
    """
    topic = topic if isinstance(topic, Topic) else load_topic(topic or DEFAULT_TOPIC)
    store = Store(data_dir, notify=notify, lock_timeout=lock_timeout)
    tables = store.tables()
    if "articles" not in tables:
        raise StoreError(f"{store.root} holds no records yet; run `evidence import FILE` or `evidence fetch` first")
    studies_df, findings_df = annotate_tables(tables, topic, progress, workers)
    store.add_tables({"studies": studies_df, "findings": findings_df})
    counts = {str(k): int(v) for k, v in studies_df["design"].value_counts().items()}
    return AnnotateResult(len(tables["articles"]), len(studies_df), len(findings_df), counts)


def annotate_tables(tables: dict[str, pd.DataFrame], topic: Topic,
                    progress: Callable[[Iterable], Iterable] | None = None,
                    workers: int | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``studies`` and ``findings`` tables of the records in ``tables`` (articles, mesh).

    Parameters
    ----------
    tables:
        Record tables; ``articles`` is required, ``mesh`` is used when present.
    topic:
        Supplies the vocabularies.
    progress:
        Wraps the iterable of finished chunks (a progress bar).
    workers:
        Processes to spread the chunks over. By default one per CPU core (at most 4) when there
        are at least ``PARALLEL_MIN`` records, else the work stays in this process. Every record
        is classified on its own, so the tables are the same whichever is used.

    Returns
    -------
    tuple of pandas.DataFrame
        ``studies`` and ``findings``, conforming to their contracts.
    """
    articles, mesh = tables["articles"], tables.get("mesh")
    parts = []
    for i in range(0, len(articles), CHUNK):
        chunk = articles.iloc[i:i + CHUNK]
        parts.append({"articles": chunk, "mesh": None if mesh is None else mesh[mesh["pmid"].isin(chunk["pmid"])]})
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(articles) >= PARALLEL_MIN else 1
    if workers > 1 and len(parts) > 1:
        # Compiled before the workers start, the vocabularies reach them with the topic (a
        # forked worker shares the parent's memory); sent with every chunk, the topic would
        # arrive as a new object each time and be compiled again per chunk.
        vocabulary(topic)
        with ProcessPoolExecutor(workers, initializer=_set_worker_topic, initargs=(topic,)) as pool:
            results = pool.map(_annotate_in_worker, parts)
            done = list(progress(results) if progress else results)
    else:
        results = (_annotate_part(part, topic) for part in parts)
        done = list(progress(results) if progress else results)
    studies = [s for s, _ in done] or [empty_frame(STUDIES)]
    findings = [f for _, f in done] or [empty_frame(FINDINGS)]
    studies_df = conform(pd.concat(studies, ignore_index=True), STUDIES)
    findings_df = conform(pd.concat(findings, ignore_index=True), FINDINGS)
    studies_df["study_id"] = studies_df["pmid"]
    findings_df["study_id"] = findings_df["pmid"]
    return studies_df, findings_df


_worker_topic: Topic | None = None


def _set_worker_topic(topic: Topic) -> None:
    global _worker_topic
    _worker_topic = topic


def _annotate_in_worker(part: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame]:
    assert _worker_topic is not None, "the pool's initializer sets the topic"
    return _annotate_part(part, _worker_topic)


def _annotate_part(part: dict[str, pd.DataFrame], topic: Topic) -> tuple[pd.DataFrame, pd.DataFrame]:
    return classify_articles(part, topic), mark_main_results(extract_findings(part, topic), part["articles"], topic)
