"""``evidence baseline classify``: design classification (and, optionally, extraction) per partition, on Dask.

One task per partition reads its ``articles`` and ``mesh`` and runs the same code as ``evidence
classify`` (``evidence.extract.annotate.annotate_tables``, one process per task: the cluster is
the parallelism); ``DIR/studies/<partition>.parquet`` (and ``DIR/findings/...`` with extraction)
are written beside the record tables, so every table of the dataset shares its partitions.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..extract.annotate import annotate_tables
from ..extract.classify import classify_articles
from ..tables.schema import STUDIES, conform
from ..topic.model import Topic, load_topic
from .dataset import partitions, read_partition


@dataclass
class ClassifyResult:
    """What one classification run wrote."""

    partitions: int
    studies: int
    findings: int | None   # None: extraction was not asked for
    by_design: dict[str, int] = field(default_factory=dict)


def classify_dataset(dataset: str | Path, topic: Topic | str, client: Any, *, extract: bool = False,
                     progress: Callable[[Iterable], Iterable] | None = None) -> ClassifyResult:
    """Classify every record of the dataset in ``dataset``, one Dask task per partition.

    Parameters
    ----------
    topic:
        Supplies the vocabularies (populations, interventions, comparators).
    extract:
        Also extract findings (effect statements with their spans): several times slower.
    progress:
        Wraps the iterable of finished partitions.

    Raises
    ------
    InputError
        ``dataset`` holds no built dataset.
    """
    from .cluster import run_tasks

    topic = topic if isinstance(topic, Topic) else load_topic(topic)
    names = partitions(dataset)
    dataset = Path(dataset).resolve()
    results = run_tasks(client, classify_partition, [(str(dataset), p, topic, extract) for p in names], progress=progress)
    designs: Counter[str] = Counter()
    for _, _, by_design in results:
        designs.update(by_design)
    return ClassifyResult(partitions=len(names), studies=sum(r[0] for r in results),
                          findings=sum(r[1] for r in results) if extract else None, by_design=dict(designs))


def classify_partition(dataset: str, partition: str, topic: Topic, extract: bool) -> tuple[int, int, dict[str, int]]:
    """Classify one partition and write its ``studies`` (and ``findings``); returns their row counts
    and the studies by design."""
    tables = read_partition(dataset, partition, ("articles", "mesh"))
    if extract:
        studies, findings = annotate_tables(tables, topic, workers=1)
        _write(Path(dataset) / "findings", partition, findings)
    else:
        studies = conform(classify_articles(tables, topic), STUDIES)
        studies["study_id"] = studies["pmid"]
    _write(Path(dataset) / "studies", partition, studies)
    by_design = {str(k): int(v) for k, v in studies["design"].value_counts().items()}
    return len(studies), len(findings) if extract else 0, by_design


def _write(folder: Path, partition: str, df: Any) -> None:
    folder.mkdir(exist_ok=True)
    tmp = folder / f".{partition}.{os.getpid()}.tmp"  # hidden: readers of the folder skip it
    df.to_parquet(tmp, index=False)
    os.replace(tmp, folder / f"{partition}.parquet")
