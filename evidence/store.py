"""The data directory: raw archive, manifests and Parquet tables.

Layout (DIR is ``--data-dir``, ``$EVIDENCE_DATA_DIR`` or ``./data``)::

    DIR/raw/manifest.jsonl            one line per raw file, in arrival order
    DIR/raw/imports/<sha12>-<name>    imported files, byte for byte
    DIR/raw/fetch-<run>/batch-NNNN.xml.gz + manifest.json   fetch runs (evidence.fetch)
    DIR/tables -> .tables/<generation>   symlink to the current generation of tables
    DIR/.tables/<generation>/<table>.parquet

Raw files are never changed or deleted. Tables are derived from them: a PMID's latest
version (by arrival) wins, and ``DeleteCitation`` removals apply in order.

Atomicity: every file is written to a temporary name and renamed. Tables are written as a
whole new generation folder, then the ``tables`` symlink is swapped with one ``os.replace``,
so a crash or Ctrl-C at any point leaves the previous tables whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import StoreError
from .schema import RECORD_TABLES, conform, empty_frame

DELETED = "deleted"


def default_data_dir() -> Path:
    """``$EVIDENCE_DATA_DIR`` if set, else ``./data``."""
    return Path(os.environ.get("EVIDENCE_DATA_DIR") or "data")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class ImportResult:
    """What one ``Store.import_files`` call did."""

    files_added: list[str] = field(default_factory=list)
    files_already_stored: list[str] = field(default_factory=list)
    records_read: int = 0
    new_pmids: int = 0
    total_pmids: int = 0


class Store:
    """A data directory. Creating the object touches nothing on disk."""

    def __init__(self, data_dir: str | Path | None = None):
        self.root = Path(data_dir) if data_dir is not None else default_data_dir()

    # -- paths ---------------------------------------------------------------------------
    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def manifest_path(self) -> Path:
        return self.raw_dir / "manifest.jsonl"

    @property
    def tables_dir(self) -> Path:
        return self.root / "tables"

    # -- raw archive ---------------------------------------------------------------------
    def manifest(self) -> list[dict]:
        """Entries of the raw manifest, in arrival order."""
        if not self.manifest_path.exists():
            return []
        entries = []
        # The manifest is only ever replaced whole (atomically), so a bad line is real damage.
        for n, line in enumerate(self.manifest_path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise StoreError(f"{self.manifest_path}: line {n} is damaged; restore it from a backup, "
                                 "or delete it and import the raw files again") from exc
        return entries

    def stored_hashes(self) -> set[str]:
        return {e["sha256"] for e in self.manifest()}

    def add_raw(self, relpath: str, data: bytes, *, source: str, fmt: str = "pubmed_xml", records: int | None = None) -> bool:
        """Archive ``data`` at ``raw/<relpath>`` atomically and register it in the manifest.

        Returns False (and writes nothing) when identical bytes are already registered.
        """
        digest = sha256_bytes(data)
        if digest in self.stored_hashes():
            return False
        self._register([self._archive(relpath, data, digest, source=source, fmt=fmt, records=records)])
        return True

    def _archive(self, relpath: str, data: bytes, digest: str, *, source: str, fmt: str, records: int | None) -> dict:
        """Write a raw file atomically and return its manifest entry (registered by the caller)."""
        try:
            atomic_write_bytes(self.raw_dir / relpath, data)
        except OSError as exc:
            raise StoreError(f"cannot write to {self.raw_dir}: {exc.strerror}") from exc
        return {"path": relpath, "source": source, "sha256": digest, "time": now_iso(),
                "records": records, "format": fmt, "bytes": len(data)}

    def _register(self, entries: list[dict]) -> None:
        # Rewrite the whole manifest atomically rather than append, so no torn lines appear.
        lines = [json.dumps(e, sort_keys=True) for e in self.manifest() + entries]
        try:
            atomic_write_bytes(self.manifest_path, ("\n".join(lines) + "\n").encode("utf-8"))
        except OSError as exc:
            raise StoreError(f"cannot write {self.manifest_path}: {exc.strerror}") from exc

    def write_json_atomic(self, relpath: str, obj: object) -> None:
        """Write JSON at ``DIR/<relpath>`` atomically."""
        atomic_write_bytes(self.root / relpath, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def read_json(self, relpath: str) -> object | None:
        path = self.root / relpath
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise StoreError(f"{path} is damaged (not JSON); delete it to start that run again") from exc

    # -- import ----------------------------------------------------------------------------
    def import_files(self, paths: Iterable[str | Path], progress: Callable[[Iterable], Iterable] | None = None) -> ImportResult:
        """Import PubMed XML or MEDLINE files: archive each raw file, then update the tables.

        Every file is parsed before anything is written, so a bad file among good ones changes
        nothing stored. Files already archived (same bytes) are skipped.

        Raises
        ------
        ParseError, InputError
            A file is unreadable or not a PubMed record file; nothing is written.
        """
        from .records import read_records  # local: records imports store helpers

        result = ImportResult()
        known = self.stored_hashes()
        parsed: list[tuple[Path, bytes, str, str, dict[str, pd.DataFrame]]] = []
        paths = [Path(p) for p in paths]
        iterator = progress(paths) if progress else paths
        for path in iterator:
            tables, fmt = read_records(path)
            tables["articles"]["source"] = path.name
            data = path.read_bytes()  # kept for the archive: the bytes hashed are the bytes stored
            digest = sha256_bytes(data)
            result.records_read += len(tables["articles"])
            if digest in known:
                result.files_already_stored.append(str(path))
                continue
            known.add(digest)
            parsed.append((path, data, digest, fmt, tables))
        if not parsed:
            result.total_pmids = len(self.tables().get("articles", ()))
            return result
        before = self.tables()
        merged = merge_tables(before, [t for *_, t in parsed])
        # Order matters for crash safety: raw bytes first, then the tables, and the manifest
        # last. A crash before the manifest line leaves the file unregistered, so importing it
        # again redoes the work instead of skipping it as "already stored".
        entries = []
        for path, data, digest, fmt, tables in parsed:
            relpath = f"imports/{digest[:12]}-{path.name}"
            entries.append(self._archive(relpath, data, digest, source=path.name, fmt=fmt, records=len(tables["articles"])))
            result.files_added.append(str(path))
        self.write_tables(merged)
        self._register(entries)
        old = set(before["articles"]["pmid"]) if "articles" in before else set()
        result.total_pmids = len(merged["articles"])
        result.new_pmids = len(set(merged["articles"]["pmid"]) - old)
        return result

    def rebuild_tables(self, progress: Callable[[Iterable], Iterable] | None = None) -> dict[str, int]:
        """Parse every raw file in manifest order and write the tables afresh.

        Returns the row count of each table.
        """
        from .records import read_records

        entries = self.manifest()
        iterator = progress(entries) if progress else entries
        parts = []
        for entry in iterator:
            tables, _ = read_records(self.raw_dir / entry["path"], fmt=entry.get("format"))
            tables["articles"]["source"] = entry.get("source") or entry["path"]
            parts.append(tables)
        merged = merge_tables({}, parts)
        self.write_tables(merged)
        return {k: len(v) for k, v in merged.items()}

    # -- tables ------------------------------------------------------------------------------
    def tables(self) -> dict[str, pd.DataFrame]:
        """The current tables ({} when nothing was imported yet)."""
        if not self.tables_dir.exists():
            return {}
        out = {}
        for path in sorted(self.tables_dir.glob("*.parquet")):
            try:
                out[path.stem] = pd.read_parquet(path)
            except Exception as exc:  # pyarrow raises several unrelated types for damaged files
                raise StoreError(f"{path} cannot be read ({exc}); run `evidence rebuild` to derive it again from raw/") from exc
        for name, table in RECORD_TABLES.items():
            if name in out:
                out[name] = conform(out[name], table)
        return out

    def add_tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """Write derived tables (``studies``, ``findings``) beside the record tables, atomically.

        Importing or fetching later rewrites the record tables and drops derived ones, which
        would be stale; run the step that made them again.
        """
        if not self.tables_dir.exists():
            raise StoreError(f"{self.root} holds no records yet; run `evidence import` or `evidence fetch` first")
        self.write_tables({**self.tables(), **tables})

    def write_tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """Write all tables as a new generation and swap it in atomically."""
        gen_root = self.root / ".tables"
        gen_root.mkdir(parents=True, exist_ok=True)
        gen = Path(tempfile.mkdtemp(prefix=dt.datetime.now().strftime("%Y%m%dT%H%M%S-"), dir=gen_root))
        try:
            for name, df in tables.items():
                df.to_parquet(gen / f"{name}.parquet", index=False)
            link_tmp = self.root / f".tables-link-{gen.name}"
            os.symlink(os.path.relpath(gen, self.root), link_tmp)
            if self.tables_dir.exists() and not self.tables_dir.is_symlink():
                raise StoreError(f"{self.tables_dir} is a folder, not the store's link; move it away and run `evidence rebuild`")
            previous = self.tables_dir.resolve() if self.tables_dir.is_symlink() else None
            os.replace(link_tmp, self.tables_dir)
        except BaseException:
            shutil.rmtree(gen, ignore_errors=True)
            raise
        if previous is not None and previous != gen.resolve():
            shutil.rmtree(previous, ignore_errors=True)


def merge_tables(base: dict[str, pd.DataFrame], updates: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Apply ``updates`` in order on top of ``base``: a PMID's latest version wins everywhere.

    Each update replaces all rows of the PMIDs it carries, in every record table, and removes
    the PMIDs listed in its ``deleted`` table.
    """
    frames = {name: [base.get(name, empty_frame(table))] for name, table in RECORD_TABLES.items()}
    # Work backwards: the newest update's PMIDs block the same PMIDs in everything older.
    claimed: set[str] = set()
    ordered = []
    for update in reversed(updates):
        pmids = set(update["articles"]["pmid"])
        deleted = set(update.get(DELETED, pd.DataFrame({"pmid": []}))["pmid"]) - pmids
        ordered.append((update, claimed.copy()))
        claimed |= pmids | deleted
    for update, newer in reversed(ordered):
        for name in RECORD_TABLES:
            df = update[name]
            if newer:
                df = df[~df["pmid"].isin(newer)]
            frames[name].append(df)
    out = {}
    for name, table in RECORD_TABLES.items():
        base_df = frames[name][0]
        base_df = base_df[~base_df["pmid"].isin(claimed)]
        merged = pd.concat([base_df, *frames[name][1:]], ignore_index=True)
        out[name] = conform(merged, table)
    return out
