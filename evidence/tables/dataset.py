"""``evidence.load``: the store and the embedded snapshot, as one set of tables.

Record tables: the snapshot's studies with a PMID become minimal article rows (source =
'snapshot'); records in the store (imported or fetched) replace them for the same PMID, so
fetched bibliographic fields win. ``studies`` and ``findings``: curated snapshot rows win over
automatic rows (from ``evidence classify``) for the same PMID; ``provenance`` says which is which.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from .schema import FINDINGS, RECORD_TABLES, STUDIES, Table, conform, empty_frame
from .snapshot import empty_review_grades, load_snapshot, snapshot_records
from ..ingest.store import Store, merge_tables
from ..topic.model import Topic, load_topic


def load(data_dir: str | Path | None = None, *, snapshot: bool = True, snapshot_folder: str | Path | None = None,
         topic: Topic | str | None = None) -> dict[str, pd.DataFrame]:
    """Load every table: record tables, ``studies`` and ``findings``.

    Parameters
    ----------
    data_dir:
        The store (``None``: ./data). A missing folder is an empty store.
    snapshot:
        Include the embedded snapshot (curated facts). False gives the store alone.
    snapshot_folder:
        Another snapshot folder of the same shape (tests, other topics).
    topic:
        A topic (or its name or file): its own snapshot is used when ``snapshot_folder`` is not given.

    Raises
    ------
    SnapshotError
        The snapshot fails its checks.
    TopicError
        ``topic`` names no topic, or its file is malformed.
    StoreError
        The store's tables cannot be read.
    """
    # An audit event (no cost without a hook) lets a test count loads across the report's kernels.
    sys.audit("evidence.load", str(data_dir))
    resolved = None if topic is None else topic if isinstance(topic, Topic) else load_topic(topic)
    if resolved is not None and snapshot_folder is None:
        snapshot_folder = resolved.snapshot_folder
    stored = Store(data_dir).tables()
    base: dict[str, pd.DataFrame] = {}
    curated = {"studies": empty_frame(STUDIES), "findings": empty_frame(FINDINGS)}
    if snapshot:
        curated = load_snapshot(snapshot_folder, resolved)
        base = snapshot_records(curated["studies"])
    if stored.get("articles") is not None:
        update = {name: stored.get(name, empty_frame(t)) for name, t in RECORD_TABLES.items()}
        tables = merge_tables(base, [update])
    else:
        tables = {name: base.get(name, empty_frame(t)) for name, t in RECORD_TABLES.items()}
    # Automatic rows come from `evidence classify`, which writes them with their study_id.
    tables["studies"] = merge_curated(curated["studies"], stored.get("studies", empty_frame(STUDIES)), STUDIES)
    tables["findings"] = merge_curated(curated["findings"], stored.get("findings", empty_frame(FINDINGS)), FINDINGS)
    # Reviews' own GRADE certainty per comparison and outcome (curated only).
    tables["review_grades"] = curated.get("review_grades", empty_review_grades())
    return tables


def merge_curated(curated: pd.DataFrame, auto: pd.DataFrame, table: Table = STUDIES) -> pd.DataFrame:
    """Combine curated and automatic rows; curated rows win for the same study.

    Works for ``studies`` and ``findings`` alike: every automatic row whose PMID (or study_id)
    has any curated row is dropped, so a study is described by one source, never a blend. The
    ``provenance`` column says which rows are which.

    Parameters
    ----------
    curated:
        Snapshot rows (``provenance == "curated"``).
    auto:
        Rows from :func:`classify_articles` or ``evidence.extract.findings.extract_findings``.
    table:
        The contract both frames follow (``STUDIES`` or ``FINDINGS``).

    Returns
    -------
    pandas.DataFrame
        Curated rows first, then the automatic rows for PMIDs no curated row covers, conforming
        to ``table``.
    """
    curated = conform(curated, table)
    auto = conform(auto, table)
    covered = auto["pmid"].isin(set(curated["pmid"].dropna())) | auto["study_id"].isin(set(curated["study_id"]))
    kept = auto[~covered]
    frames = [f for f in (curated, kept) if not f.empty]
    if not frames:
        return empty_frame(table)
    return conform(pd.concat(frames, ignore_index=True), table)
