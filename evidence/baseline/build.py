"""``evidence baseline build``: PubMed baseline and update files -> a partitioned Parquet dataset.

Layout of the output folder ``DIR``::

    DIR/manifest.json                    the files, in the order they apply, with their sha256
    DIR/<table>/<partition>.parquet      the 7 record tables, one partition per input file
    DIR/.parsed/<sha16>/                 each file's own tables as read (and its claimed PMIDs)
    DIR/.lock                            the writer lock: a second build into DIR waits for the first

Three steps, the first and last as one Dask task per file:

1. **parse**: each file is read with ``evidence.ingest.parse.read_pubmed``, the same per-record
   code as ``evidence import``, and its tables saved under ``.parsed/`` named by its sha256.
   A file parsed before (same bytes) is only hashed again; that is the resume.
2. **resolve** (on this machine, PMIDs only): which PMIDs of each file a later file carries or
   deletes (:mod:`evidence.baseline.updates`, the store's merge rule).
3. **publish**: each partition is its file's tables less those PMIDs: a hard link when nothing is
   dropped, else a filtered copy. A partition whose dropped set is unchanged is left alone.

So the dataset equals ``merge_tables({}, [read_pubmed(f) for f in files])``, with each PMID in
exactly one partition. ``DIR`` must be on storage that every worker and this machine can reach.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import InputError, StoreError
from ..ingest.journal import WriteLock
from ..ingest.sources import check_regular_file
from ..tables.schema import RECORD_TABLES
from .dataset import DERIVED_TABLES
from .manifest import FileEntry, Manifest, plan_order, read_manifest, write_manifest
from .updates import digest, superseded

PARSED = ".parsed"
CLAIMS = "claims.parquet"
DONE = "done.json"
XML_SUFFIXES = (".gz", ".xml")


@dataclass
class BuildResult:
    """What one build did."""

    files: int          # files in the dataset
    parsed: int         # files parsed by this run
    published: int      # partitions written by this run
    records: int        # PMIDs in the dataset
    superseded: int     # rows of records replaced or deleted by a later file (PMIDs)
    out: Path
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each step: parse, resolve, publish


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Paths from the arguments as given: a glob pattern becomes its matches in name order.

    Raises
    ------
    InputError
        A pattern matches nothing, or a path is not a readable regular file.
    """
    paths: list[Path] = []
    for item in inputs:
        text = str(item)
        if not Path(text).exists() and glob.has_magic(text):
            matches = sorted(glob.glob(text))
            if not matches:
                raise InputError(f"{text} matches no file; give PubMed baseline or update files (.xml.gz)")
            paths.extend(Path(m) for m in matches)
        else:
            if not Path(text).exists():
                raise InputError(f"{text}: no such file; give PubMed baseline or update files (.xml.gz)")
            paths.append(Path(text))
    for p in paths:
        check_regular_file(p)
    if not paths:
        raise InputError("no input files given; give PubMed baseline or update files (.xml.gz) or a glob")
    return paths


def partition_name(position: int, name: str) -> str:
    """``00001-pubmed25n0001``: the file's place in the order, then its name without suffixes."""
    stem = name
    while Path(stem).suffix in XML_SUFFIXES:
        stem = Path(stem).stem
    return f"{position:05d}-{stem}"


def build_baseline(inputs: Sequence[str | Path], out: str | Path, client: Any,
                   progress: Callable[[str], Callable[[Iterable], Iterable] | None] | None = None,
                   notify: Callable[[str], None] | None = None, lock_timeout: float | None = None) -> BuildResult:
    """Build (or bring up to date) the dataset in ``out`` from ``inputs``, on the Dask ``client``.

    Parameters
    ----------
    inputs:
        Files or glob patterns, in the order they apply: baseline files, then update files.
        Files built before keep their place; new ones must come after them.
    out:
        The dataset folder (created when missing).
    client:
        A ``distributed.Client`` (see :func:`evidence.baseline.cluster.dask_client`).
    progress:
        Given a step's name, returns a wrapper for the iterable of its finished tasks.
    notify, lock_timeout:
        Told (one line) when another build holds ``out``; how many seconds to wait for it. Two builds
        into one folder would each rewrite the manifest the other reads, so the second waits.

    Raises
    ------
    InputError, ParseError
        A file is missing, unreadable, not PubMed XML, or changed since it was built.
    StoreError
        The output folder cannot be written, or its manifest is damaged.
    """
    out = Path(out)
    paths = expand_inputs(inputs)
    try:
        (out / PARSED).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {out / PARSED} ({exc.strerror})") from exc
    with WriteLock(out, "evidence baseline build", notify, lock_timeout):
        return _build_locked(paths, out, client, progress)


def _build_locked(paths: list[Path], out: Path, client: Any,
                  progress: Callable[[str], Callable[[Iterable], Iterable] | None] | None) -> BuildResult:
    manifest = read_manifest(out)
    new_names = set(plan_order(manifest, [p.name for p in paths]))
    listed = manifest.by_name()

    wrap: Callable[[str], Callable[[Iterable], Iterable] | None] = progress or (lambda _step: None)
    from .cluster import run_tasks

    items = [(str(p.resolve()), str((out / PARSED).resolve())) for p in paths]
    clock = time.perf_counter()
    summaries = run_tasks(client, parse_file, items, progress=wrap("parse"))
    for path, summary in zip(paths, summaries):
        entry = listed.get(path.name)
        if entry is not None and entry.sha256 != summary["sha256"]:
            raise InputError(f"{path} has changed since it was built (sha256 differs); give the file as built, "
                             "or build into a new output folder", setting="out_dir")
        if entry is not None:
            entry.path = summary["path"]  # the same bytes, maybe moved: select reads it from here
    for summary in summaries:
        if summary["name"] in new_names:
            position = len(manifest.files) + 1
            manifest.files.append(FileEntry(
                name=summary["name"], path=summary["path"], sha256=summary["sha256"], bytes=summary["bytes"],
                records=summary["records"], deleted=summary["deleted"],
                partition=partition_name(position, summary["name"])))
    write_manifest(out, manifest)
    seconds = {"parse": time.perf_counter() - clock}

    clock = time.perf_counter()
    dropped = superseded([_claims(out, f) for f in manifest.files])
    todo = []
    for entry, drop in zip(manifest.files, dropped):
        fingerprint = digest(drop)
        if entry.published != fingerprint or not _partition_complete(out, entry.partition):
            todo.append((entry, drop, fingerprint))
    seconds["resolve"] = time.perf_counter() - clock

    def done(i: int, _result: object) -> None:
        entry, _, fingerprint = todo[i]
        entry.published = fingerprint

    clock = time.perf_counter()
    try:
        run_tasks(client, publish_partition,
                  [(str((out / PARSED / e.key).resolve()), str(out.resolve()), e.partition, d) for e, d, _ in todo],
                  progress=wrap("publish"), on_done=done)
    finally:
        write_manifest(out, manifest)
    seconds["publish"] = time.perf_counter() - clock
    records = sum(f.records for f in manifest.files)
    gone = int(sum(len(d) for d in dropped))
    held = _count_records(out, manifest)
    return BuildResult(files=len(manifest.files), parsed=sum(1 for s in summaries if s["parsed"]), published=len(todo),
                       records=held if held is not None else records - gone, superseded=gone, out=out,
                       seconds=seconds)


# -- the tasks (run on the workers) ---------------------------------------------------------------


def parse_file(path: str, parsed_root: str) -> dict:
    """Hash ``path`` and, unless its tables are saved already, parse it and save them.

    Returns the file's summary (name, path, sha256, bytes, records, deleted, parsed).
    """
    from ..ingest.parse import read_pubmed
    from ..ingest.store import named_stream, sha256_bytes

    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
    sha = sha256_bytes(data)
    target = Path(parsed_root) / sha[:16]
    summary = {"name": source.name, "path": path, "sha256": sha, "bytes": len(data)}
    saved = _read_done(target)
    if saved is not None:
        return {**summary, "records": saved["records"], "deleted": saved["deleted"], "parsed": False}
    tables = read_pubmed(named_stream(data, source.name))
    del data
    tables["articles"]["source"] = source.name
    claims = np.union1d(tables["articles"]["pmid"].astype("int64").to_numpy(),
                        tables["deleted"]["pmid"].astype("int64").to_numpy())
    counts = {"records": len(tables["articles"]), "deleted": len(tables["deleted"])}
    tmp = Path(tempfile.mkdtemp(prefix=f".{sha[:16]}.", dir=parsed_root))
    try:
        for name in RECORD_TABLES:
            tables[name].to_parquet(tmp / f"{name}.parquet", index=False)
        pd.DataFrame({"pmid": claims}).to_parquet(tmp / CLAIMS, index=False)
        (tmp / DONE).write_text(json.dumps({"sha256": sha, "name": source.name, **counts}) + "\n", encoding="utf-8")
        try:
            os.rename(tmp, target)
        except OSError:
            if _read_done(target) is None:  # not the same file parsed by another task at once
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {**summary, **counts, "parsed": True}


def publish_partition(parsed: str, out: str, partition: str, dropped: np.ndarray) -> None:
    """Write one partition of every table: the parsed tables less the ``dropped`` PMIDs.

    The partition's classification (``studies``, ``findings``) describes the records it replaces,
    so it goes first: a reader then meets a missing partition, with advice, never a stale one.
    """
    source, root = Path(parsed), Path(out)
    gone = {str(p) for p in dropped.tolist()}
    for name in DERIVED_TABLES:
        (root / name / f"{partition}.parquet").unlink(missing_ok=True)
    for name in RECORD_TABLES:
        folder = root / name
        folder.mkdir(exist_ok=True)
        target = folder / f"{partition}.parquet"
        tmp = folder / f".{partition}.{os.getpid()}.tmp"  # hidden: readers of the folder skip it
        tmp.unlink(missing_ok=True)
        if gone:
            df = pd.read_parquet(source / f"{name}.parquet")
            df = df[~df["pmid"].isin(gone)]
            df.to_parquet(tmp, index=False)
        else:
            try:
                os.link(source / f"{name}.parquet", tmp)
            except OSError:  # a file system without hard links
                shutil.copyfile(source / f"{name}.parquet", tmp)
        os.replace(tmp, target)


# -- helpers ----------------------------------------------------------------------------------------


def _read_done(folder: Path) -> dict | None:
    try:
        return json.loads((folder / DONE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _claims(out: Path, entry: FileEntry) -> np.ndarray:
    path = out / PARSED / entry.key / CLAIMS
    try:
        return pd.read_parquet(path)["pmid"].to_numpy(dtype=np.int64)
    except FileNotFoundError:
        raise StoreError(f"{path} is missing: give {entry.name} again so it is parsed again") from None


def _partition_complete(out: Path, partition: str) -> bool:
    return all((out / name / f"{partition}.parquet").is_file() for name in RECORD_TABLES)


def _count_records(out: Path, manifest: Manifest) -> int | None:
    """PMIDs in the dataset, from the Parquet footers (no rows read)."""
    import pyarrow.parquet as pq

    try:
        return sum(pq.ParquetFile(out / "articles" / f"{f.partition}.parquet").metadata.num_rows for f in manifest.files)
    except OSError:
        return None
