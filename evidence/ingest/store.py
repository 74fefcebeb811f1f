"""The data directory: raw archive, its listing, and generations of Parquet tables.

Layout (DIR is the data directory given, else ``./data``)::

    DIR/raw/imports/<sha12>-<name>        imported files, byte for byte (a long name is hashed)
    DIR/raw/fetch-<run>/batch-NNNN.xml.gz + manifest.json   fetch runs (evidence.ingest.fetch)
    DIR/raw/manifest.jsonl                a copy of the committed listing, for people and for repair
    DIR/tables -> .tables/<generation>    the commit point: a symlink to the current generation
    DIR/.tables/<generation>/GENERATION.json      segment order, counts
    DIR/.tables/<generation>/manifest.jsonl       the raw listing these tables were built from
    DIR/.tables/<generation>/<table>/<segment>.parquet   record tables, one file per segment
    DIR/.tables/<generation>/<derived>.parquet    studies, findings (from ``evidence classify``)
    DIR/.lock, DIR/.journal.json          the writer lock and the step in flight (evidence.ingest.journal)

Raw files are never changed. Tables are derived from them: a PMID's latest version (by arrival)
wins, and ``DeleteCitation`` removals apply in order.

**One commit point.** A write step (import, a fetched batch, rebuild, classify) writes its raw
files and a whole new generation (tables and the raw listing together) next to the current one,
fsyncs them, then swaps the ``tables`` symlink with one ``os.replace``. Before the swap nothing
of the step is visible; after it, all of it is. The step's journal lets the next writer finish
or undo a step that was killed (see :mod:`evidence.ingest.journal`).

**Incremental.** An import parses only its new files. Their rows form a new segment; older
segments that hold a PMID the new files replace or delete are rewritten without it, and all
other segments are hard links to the previous generation's files. ``rebuild`` parses every raw
file again into a single segment; both give equal tables. Past ``MAX_SEGMENTS`` segments an
import compacts them into one.

Stores written before generations carried their listing (flat ``<table>.parquet`` files and
``raw/manifest.jsonl`` as the listing) are read as they are and converted by their next write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from ..errors import InputError, ManifestError, StoreError
from .journal import Journal, WriteLock, fsync_dir, phase, storage_error
from ..tables.schema import RECORD_TABLES, conform, empty_frame, upgrade_legacy_frame

log = logging.getLogger(__name__)

DELETED = "deleted"
GENERATION_FILE = "GENERATION.json"
LISTING_FILE = "manifest.jsonl"
LAYOUT = 2
MAX_SEGMENTS = 48
FORMATS = ("pubmed_xml", "medline")
# Archived names stay well under the 255-byte file-name limit, temporary prefix and suffix included.
MAX_ARCHIVED_NAME = 180
LOST_AND_FOUND = "lost+found"
LEGACY = "legacy"


def default_data_dir() -> Path:
    """``./data``: the store when no data directory is given (the command line resolves its own default)."""
    return Path("data")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write_bytes(path: Path, data: bytes, partial_phase: str | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one (fsynced).

    ``partial_phase`` names the crash-injection point between the two halves of the write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            half = len(data) // 2
            fh.write(data[:half])
            if partial_phase:
                phase(partial_phase)  # tests stop here to leave a half-written copy behind
            fh.write(data[half:])
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def archived_name(name: str, digest: str) -> str:
    """The file name an import is kept under: ``<sha12>-<name>``, or a hashed name when ``name`` is long."""
    if len(name.encode("utf-8")) <= MAX_ARCHIVED_NAME:
        return f"{digest[:12]}-{name}"
    suffix = "".join(Path(name).suffixes[-2:])
    suffix = suffix if len(suffix) <= 16 else ""
    return f"{digest[:12]}-name-{sha256_bytes(name.encode('utf-8'))[:16]}{suffix}"


@dataclass
class ImportResult:
    """What one ``Store.import_files`` call did."""

    files_added: list[str] = field(default_factory=list)
    files_already_stored: list[str] = field(default_factory=list)
    records_read: int = 0
    new_pmids: int = 0
    total_pmids: int = 0


@dataclass
class NewFile:
    """A raw file on its way into the store: where it goes, its bytes (None: already there), its rows."""

    relpath: str
    data: bytes | None
    entry: dict
    tables: dict[str, pd.DataFrame]


@dataclass
class Recovery:
    """What the start of a write step found and did."""

    notes: list[str] = field(default_factory=list)
    unlisted: list[NewFile] = field(default_factory=list)


class Store:
    """A data directory. Creating the object touches nothing on disk.

    Parameters
    ----------
    data_dir:
        The folder (default ./data).
    notify:
        Called with one-line messages a user should see: waiting for another writer, and what
        was recovered after an interrupted step (default: the ``evidence.ingest.store`` logger).
    lock_timeout:
        Seconds a write step waits for another writer to finish (default 600).
    """

    def __init__(self, data_dir: str | Path | None = None, notify: Callable[[str], None] | None = None,
                 lock_timeout: float | None = None):
        self.root = Path(data_dir) if data_dir is not None else default_data_dir()
        self.notify = notify or log.warning
        self.lock_timeout = lock_timeout

    # -- paths ---------------------------------------------------------------------------
    @property
    def raw_dir(self) -> Path:
        return self.root / "raw"

    @property
    def manifest_path(self) -> Path:
        """The copy of the committed raw listing (``raw/manifest.jsonl``)."""
        return self.raw_dir / "manifest.jsonl"

    @property
    def tables_dir(self) -> Path:
        return self.root / "tables"

    @property
    def generations_dir(self) -> Path:
        return self.root / ".tables"

    # -- the committed generation ------------------------------------------------------------
    def check_root(self) -> None:
        """Refuse a data directory that is a symlink loop or not a folder."""
        try:
            if self.root.is_symlink():
                self.root.resolve(strict=True)
            if self.root.exists() and not self.root.is_dir():
                raise StoreError(f"{self.root} is a file, not a data directory")
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.root} is a symlink loop or points nowhere; make it a folder "
                             "(or a link to one) and run the command again") from exc

    def generation(self) -> Path | None:
        """The current generation folder, or None when no tables were written yet.

        Raises
        ------
        StoreError
            ``tables`` is a plain folder or a link that dangles.
        """
        self.check_root()
        link = self.tables_dir
        if not link.is_symlink():
            if link.exists():
                raise StoreError(f"{link} is a plain folder, not the link to a table generation; "
                                 "run `evidence rebuild` (it moves the folder aside)")
            return None
        target = self.root / os.readlink(link)
        if not target.is_dir():
            raise StoreError(f"{link} points at {os.readlink(link)}, which does not exist; run `evidence rebuild`")
        return target

    def manifest(self) -> list[dict]:
        """Entries of the committed raw listing, in arrival order.

        Raises
        ------
        ManifestError
            The listing cannot be read or has a damaged line.
        """
        return read_listing(self.listing_path(self.generation()))

    def listing_path(self, gen: Path | None) -> Path:
        """Where the raw listing committed with ``gen`` is (raw/manifest.jsonl for older generations)."""
        # Generations written by older code carry no listing: raw/manifest.jsonl was it.
        if gen is not None and (gen / GENERATION_FILE).exists():
            return gen / LISTING_FILE
        return self.manifest_path

    def stored_hashes(self) -> set[str]:
        return {e["sha256"] for e in self.manifest()}

    def tables(self) -> dict[str, pd.DataFrame]:
        """The current tables ({} when nothing was imported yet).

        A generation is never changed once committed; a reader that loses its generation to a
        writer's clean-up mid-read simply reads the new one.
        """
        for _ in range(10):
            gen = self.generation()
            if gen is None:
                return {}
            try:
                return read_generation(gen)
            except FileNotFoundError:
                if self.generation() == gen:
                    raise StoreError(f"{gen} is missing files; run `evidence rebuild`") from None
        raise StoreError(f"{self.root} keeps changing under this reader; try again")

    def write_json_atomic(self, relpath: str, obj: object) -> None:
        """Write JSON at ``DIR/<relpath>`` atomically."""
        atomic_write_bytes(self.root / relpath, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode("utf-8"))

    def read_json(self, relpath: str) -> object | None:
        path = self.root / relpath
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise StoreError(f"{path} is damaged (not JSON); delete it to start that run again") from exc

    def table_counts(self) -> dict[str, int]:
        """Rows per table of the current generation."""
        return {name: len(df) for name, df in self.tables().items()}

    # -- write steps -------------------------------------------------------------------------
    @contextmanager
    def writing(self, command: str, repairing: bool = False) -> Iterator[None]:
        """Hold the writer lock; on the outermost entry, recover from an interrupted step first.

        Whole raw files no listing names are committed again here, before the step. With
        ``repairing`` (rebuild) a damaged listing copy in raw/ may pass, and unlisted files are
        left to the step, which lists everything afresh.
        """
        self.check_root()
        with WriteLock(self.root, command, self.notify, self.lock_timeout) as lock:
            if lock.outermost:
                recovery = self.recover(repairing)
                if recovery.unlisted and not repairing:
                    self._add(recovery.unlisted, "re-register")
            yield

    def recover(self, repairing: bool = False) -> Recovery:
        """Finish or undo a step a killed writer left, and clear what it left behind.

        Call with the writer lock held. Says what it did in one line (``notify``). Unlisted raw
        files that are whole (an import's hash matches its name; every file parses) are returned
        to be committed again (``writing`` does it); the others go to ``DIR/lost+found``.
        """
        from .recovery import recover_store

        recovery = Recovery()
        try:
            recover_store(self, recovery, repairing)
        finally:
            if recovery.notes:
                self.notify(f"recovered {self.root}: " + "; ".join(recovery.notes))
        return recovery

    def import_files(self, paths: Iterable[str | Path], progress: Callable[[Iterable], Iterable] | None = None) -> ImportResult:
        """Import PubMed XML or MEDLINE files: archive each raw file and add its records to the tables.

        Every file is parsed before anything is written, so a bad file among good ones changes
        nothing stored. Files already archived (same bytes) are skipped. Only the new files are
        parsed; the tables of earlier imports are kept as they are, less the PMIDs replaced.

        Raises
        ------
        ParseError, InputError
            A file is unreadable or not a PubMed record file; nothing is written.
        StoreError
            The store cannot be written (full disk, permissions); nothing is changed.
        """
        from .records import read_records  # local: lxml and Bio load only when records are read

        result = ImportResult()
        parsed: dict[str, NewFile] = {}
        given: dict[str, str] = {}  # sha256 -> the path as the caller gave it
        files = [Path(p) for p in paths]
        for path in progress(files) if progress else files:
            tables, fmt = read_records(path)
            tables["articles"]["source"] = path.name
            try:
                data = path.read_bytes()  # kept for the archive: the bytes hashed are the bytes stored
            except OSError as exc:
                raise InputError(f"{path}: cannot be read ({exc.strerror})") from exc
            digest = sha256_bytes(data)
            result.records_read += len(tables["articles"])
            if digest in parsed:
                result.files_already_stored.append(str(path))
                continue
            given[digest] = str(path)
            relpath = f"imports/{archived_name(path.name, digest)}"
            entry = {"path": relpath, "source": path.name, "sha256": digest, "time": now_iso(),
                     "records": len(tables["articles"]), "format": fmt, "bytes": len(data)}
            parsed[digest] = NewFile(relpath, data, entry, tables)
        with self.writing("import"):
            known = self.stored_hashes()
            new = []
            for digest, item in parsed.items():
                if digest in known:
                    result.files_already_stored.append(given[digest])
                else:
                    new.append(item)
                    result.files_added.append(given[digest])
            result.new_pmids, result.total_pmids = self._add(new, "import")
        return result

    def add_raw(self, relpath: str, data: bytes, *, source: str, fmt: str = "pubmed_xml", records: int | None = None) -> bool:
        """Archive ``data`` at ``raw/<relpath>`` and commit its records to the tables, in one step.

        Returns False (and writes nothing) when identical bytes are already registered.
        """
        from .records import read_records

        digest = sha256_bytes(data)
        tables, fmt = read_records(named_stream(data, relpath), fmt=fmt)
        tables["articles"]["source"] = source
        entry = {"path": relpath, "source": source, "sha256": digest, "time": now_iso(),
                 "records": records if records is not None else len(tables["articles"]), "format": fmt,
                 "bytes": len(data)}
        with self.writing("fetch"):
            if digest in self.stored_hashes():
                return False
            self._add([NewFile(relpath, data, entry, tables)], "fetch")
        return True

    def rebuild_tables(self, progress: Callable[[Iterable], Iterable] | None = None) -> dict[str, int]:
        """Parse every raw file in listing order and write the tables afresh (one segment).

        Also the repair path: a damaged listing keeps its good lines and whole unlisted raw
        files are listed again; a ``tables`` folder in the way is moved aside.

        Returns the row count of each table.

        Raises
        ------
        StoreError
            A listed raw file is missing or changed (restore it from a backup).
        """
        from .records import read_records
        from .recovery import find_unlisted, salvage_listing

        with self.writing("rebuild", repairing=True):
            entries, notes = salvage_listing(self)
            entries += [f.entry for f in find_unlisted(self, entries)[0]]
            parts = []
            for entry in progress(entries) if progress else entries:
                path = self.raw_dir / entry["path"]
                check_raw_file(path, entry)
                tables, _ = read_records(path, fmt=entry.get("format"))
                tables["articles"]["source"] = entry.get("source") or entry["path"]
                parts.append(tables)
            merged = merge_tables({}, parts)
            self._commit("rebuild", [], entries, {"p000000": merged}, ["p000000"], 1, {})
            for note in notes:
                self.notify(note)
        return {k: len(v) for k, v in merged.items()}

    def add_tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """Write derived tables (``studies``, ``findings``) beside the record tables, in one commit.

        Importing or fetching later drops derived tables, which would then be stale; run the
        step that made them again.
        """
        with self.writing("classify"):
            gen = self.generation()
            if gen is None:
                raise StoreError(f"{self.root} holds no records yet; run `evidence import` or `evidence fetch` first")
            meta, base = self._base(gen)
            derived = {**read_derived(gen), **tables}
            self._commit("classify", [], read_listing(self.listing_path(gen)), {}, meta["segments"],
                         meta["next_segment"], derived, base)

    def write_tables(self, tables: dict[str, pd.DataFrame]) -> None:
        """Write all tables as a new generation (record tables as one segment) and commit it."""
        with self.writing("write tables"):
            listing = read_listing(self.listing_path(self.generation()))
            records = {name: conform(tables.get(name, empty_frame(t)), t) for name, t in RECORD_TABLES.items()}
            derived = {k: v for k, v in tables.items() if k not in RECORD_TABLES}
            self._commit("write tables", [], listing, {"p000000": records}, ["p000000"], 1, derived)

    # -- the incremental step ---------------------------------------------------------------------
    def _add(self, items: list[NewFile], step: str) -> tuple[int, int]:
        """Commit ``items`` (raw files and their parsed rows) as one new generation.

        Only the stored PMID columns are read, and only segments holding a PMID the new files
        replace or delete are rewritten. Returns (new PMIDs, PMIDs held after).
        """
        gen = self.generation()
        meta, base = self._base(gen)
        listing = read_listing(self.listing_path(gen))
        columns = {s: read_pmids(*base[s]) for s in meta["segments"]}
        held = sum(len(c) for c in columns.values())
        if not items:
            return 0, held
        update = merge_tables({}, [i.tables for i in items])
        claimed = claimed_pmids([i.tables for i in items])
        order = list(meta["segments"])
        next_segment = meta["next_segment"]
        fresh: dict[str, dict[str, pd.DataFrame]] = {}
        if len(order) + 1 > MAX_SEGMENTS:  # compact: one segment for all that came before
            old = merge_tables({}, [read_segment(*base[s]) for s in order])
            fresh[segment_name(next_segment)], order = old, [segment_name(next_segment)]
            next_segment += 1
            columns = {order[0]: pa.array(old["articles"]["pmid"].tolist(), pa.string())}
        new_pmids = update["articles"]["pmid"].tolist()
        replaced = again = 0
        for i, name in enumerate(order):
            hits, again_here = count_in(columns[name], claimed), count_in(columns[name], new_pmids)
            again += again_here
            if hits:  # rewrite it without the PMIDs the new files replace or delete
                replaced += hits
                kept = {t: df[~df["pmid"].isin(claimed)] for t, df in (fresh.get(name) or read_segment(*base[name])).items()}
                fresh.pop(name, None)
                order[i] = segment_name(next_segment)
                fresh[order[i]] = kept
                next_segment += 1
        new_name = segment_name(next_segment)
        fresh[new_name] = update
        order.append(new_name)
        # Segments left without rows are dropped rather than kept as empty files.
        order = [s for s in order if s not in fresh or len(fresh[s]["articles"])]
        self._commit(step, [i for i in items if i.data is not None], listing + [i.entry for i in items],
                     {s: fresh[s] for s in order if s in fresh}, order, next_segment + 1, {}, base)
        return len(new_pmids) - again, held - replaced + len(new_pmids)

    def _base(self, gen: Path | None) -> tuple[dict, dict[str, tuple[Path, str]]]:
        """The current generation's segment order, and where each segment's files are."""
        if gen is None:
            return {"segments": [], "next_segment": 0}, {}
        meta = read_meta(gen)
        if meta is None:  # written by older code: its flat files become the first segment
            return {"segments": [segment_name(0)], "next_segment": 1}, {segment_name(0): (gen, LEGACY)}
        return meta, {s: (gen, s) for s in meta["segments"]}

    def _commit(self, step: str, raw: list[NewFile], listing: list[dict], fresh: dict[str, dict[str, pd.DataFrame]],
                order: list[str], next_segment: int, derived: dict[str, pd.DataFrame],
                base: dict[str, tuple[Path, str]] | None = None) -> None:
        """Write raw files and a new generation, then swap it in: the one commit point of a step."""
        from .recovery import finish_step, undo_step

        for f in raw:  # raw files are never changed, whatever a caller asks
            if (self.raw_dir / f.relpath).exists():
                raise StoreError(f"{self.raw_dir / f.relpath} exists already; run `evidence status` to check the store")
        name = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f-") + os.urandom(3).hex()
        gen = self.generations_dir / name
        journal = Journal(self.root)
        raw_paths = [f.relpath for f in raw]
        doc = {"step": step, "generation": name, "raw": raw_paths}
        committed = False
        try:
            journal.begin(step, name, raw_paths)
            self.generations_dir.mkdir(parents=True, exist_ok=True)
            for f in raw:
                if f.data is None:  # a programming error: only new files, with their bytes, come here
                    raise StoreError(f"{f.relpath}: no bytes to write; pass only files not yet stored")
                atomic_write_bytes(self.raw_dir / f.relpath, f.data, "raw-partial")
                phase("raw")
            gen.mkdir()
            write_generation(gen, listing, fresh, order, next_segment, derived, base or {})
            phase("generation")
            self._swap_link(gen)
            committed = True
            phase("commit")
        except BaseException as exc:
            if not committed:
                undo_step(self, doc)
                if isinstance(exc, OSError):
                    raise storage_error("write to", self.root, exc) from exc
            raise
        finally:
            if committed:
                try:
                    finish_step(self)
                except OSError as exc:  # the step is stored; only its tidying is left for the next writer
                    self.notify(f"stored, but the tidying after it failed ({exc.strerror or exc}); "
                                "the next evidence command finishes it")

    def _swap_link(self, gen: Path) -> None:
        if self.tables_dir.exists() and not self.tables_dir.is_symlink():
            moved = self.root / f"tables.moved-{dt.datetime.now():%Y%m%dT%H%M%S}"
            self.tables_dir.rename(moved)
            self.notify(f"{self.tables_dir} was a plain folder; moved it to {moved}")
        link_tmp = self.root / f".tables-link-{gen.name}"
        os.symlink(os.path.relpath(gen, self.root), link_tmp)
        os.replace(link_tmp, self.tables_dir)
        fsync_dir(self.root)


def named_stream(data: bytes, name: str) -> io.BytesIO:
    """Bytes as a binary stream with a name for messages (fetched batches, files being verified)."""
    stream = io.BytesIO(data)
    stream.name = name  # type: ignore[attr-defined]  # a BytesIO takes a name at run time; typeshed does not declare it
    return stream


# -- reading and writing generations ---------------------------------------------------------------


def segment_name(n: int) -> str:
    return f"p{n:06d}"


def read_meta(gen: Path) -> dict | None:
    """A generation's GENERATION.json, or None for a generation written by older code."""
    path = gen / GENERATION_FILE
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path} is damaged; run `evidence rebuild`") from exc
    if not isinstance(meta, dict) or not isinstance(meta.get("segments"), list):
        raise StoreError(f"{path} is damaged; run `evidence rebuild`")
    return meta


def segment_file(gen: Path, segment: str, table: str) -> Path:
    """Where a segment's table lives; a generation written by older code is one segment, ``legacy``."""
    return gen / f"{table}.parquet" if segment == LEGACY else gen / table / f"{segment}.parquet"


def read_segment(gen: Path, segment: str) -> dict[str, pd.DataFrame]:
    """Every record table of one segment."""
    out = {}
    for name, table in RECORD_TABLES.items():
        path = segment_file(gen, segment, name)
        # Legacy generations may lack a table that had no rows.
        out[name] = conform(_read_parquet(path), table) if segment != LEGACY or path.exists() else empty_frame(table)
    return out


def read_pmids(gen: Path, segment: str) -> pa.Array:
    """The PMIDs of one segment, reading only that column (kept in Arrow: no Python strings)."""
    import pyarrow.parquet as pq

    path = segment_file(gen, segment, "articles")
    if segment == LEGACY and not path.exists():
        return pa.array([], pa.string())
    try:
        # ParquetFile, not read_table: no dataset machinery for one column of one file.
        return pq.ParquetFile(path).read(columns=["pmid"]).column("pmid").combine_chunks()
    except FileNotFoundError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for damaged files
        raise StoreError(f"{path} cannot be read ({exc}); run `evidence rebuild`") from exc


def count_in(column: pa.Array, pmids: Iterable[str]) -> int:
    """How many values of ``column`` are among ``pmids``."""
    import pyarrow.compute as pc

    values = pa.array(list(pmids), pa.string()).cast(column.type)
    return int(pc.sum(pc.is_in(column, value_set=values)).as_py() or 0) if len(values) and len(column) else 0


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        return pd.read_parquet(path)
    except FileNotFoundError:
        raise
    except Exception as exc:  # pyarrow raises several unrelated types for damaged files
        raise StoreError(f"{path} cannot be read ({exc}); run `evidence rebuild` to derive it again from raw/") from exc


def read_derived(gen: Path) -> dict[str, pd.DataFrame]:
    """The derived tables (studies, findings) of a generation."""
    return {p.stem: upgrade_legacy_frame(_read_parquet(p)) for p in sorted(gen.glob("*.parquet")) if p.stem not in RECORD_TABLES}


def read_generation(gen: Path) -> dict[str, pd.DataFrame]:
    """All tables of one generation, record tables as the concatenation of their segments."""
    meta = read_meta(gen)
    if meta is None:  # older layout: one flat file per table
        if not (gen / "articles.parquet").exists():  # removed by a writer's clean-up under this reader
            raise FileNotFoundError(gen / GENERATION_FILE)
        out = {p.stem: upgrade_legacy_frame(_read_parquet(p)) for p in sorted(gen.glob("*.parquet"))}
        for name, table in RECORD_TABLES.items():
            if name in out:
                out[name] = conform(out[name], table)
        return out
    out = {}
    for name, table in RECORD_TABLES.items():
        parts = [_read_parquet(gen / name / f"{s}.parquet") for s in meta["segments"]]
        out[name] = conform(pd.concat(parts, ignore_index=True), table) if parts else empty_frame(table)
    out.update(read_derived(gen))
    return out


def write_generation(gen: Path, listing: list[dict], fresh: dict[str, dict[str, pd.DataFrame]], order: list[str],
                     next_segment: int, derived: dict[str, pd.DataFrame], base: dict[str, tuple[Path, str]]) -> None:
    """Fill the new folder ``gen``: new segments written, kept ones hard-linked, all fsynced."""
    for name, table in RECORD_TABLES.items():
        (gen / name).mkdir()
        for s in order:
            target = gen / name / f"{s}.parquet"
            if s in fresh:  # merge_tables output, or its rows filtered: conformed already
                _write_parquet(fresh[s][name], target)
            else:
                source = segment_file(*base[s], name)
                if source.exists():
                    _link_or_copy(source, target)
                else:  # a legacy generation without this table
                    _write_parquet(empty_frame(table), target)
        fsync_dir(gen / name)
        phase("generation-partial")
    for name, df in derived.items():
        _write_parquet(df, gen / f"{name}.parquet")
    lines = "".join(json.dumps(e, sort_keys=True) + "\n" for e in listing)
    _write_file(gen / LISTING_FILE, lines.encode("utf-8"))
    meta = {"layout": LAYOUT, "segments": order, "next_segment": next_segment, "created": now_iso(),
            "raw_files": len(listing)}
    _write_file(gen / GENERATION_FILE, (json.dumps(meta, indent=1) + "\n").encode("utf-8"))
    fsync_dir(gen)


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    df.to_parquet(path, index=False)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copyfile(source, target)


# -- the raw listing ---------------------------------------------------------------------------------


def parse_listing(data: bytes, path: Path, *, salvage: bool = False) -> tuple[list[dict], list[str]]:
    """Entries of a raw listing and (with ``salvage``) the problems of the lines left out.

    Without ``salvage`` the first problem raises ManifestError.
    """
    repair = "run `evidence rebuild` to repair the listing from the raw files"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if not salvage:
            raise ManifestError(f"{path}: byte {exc.start} is not UTF-8; {repair}") from exc
        text = data.decode("utf-8", errors="replace")
    entries, problems = [], []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        problem = None
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            problem = f"line {n} is not JSON"
        else:
            if not isinstance(entry, dict):
                problem = f"line {n} is not a JSON object"
            elif not isinstance(entry.get("path"), str) or not isinstance(entry.get("sha256"), str):
                problem = f"line {n} lacks a path or sha256"
            elif entry.get("format") not in (*FORMATS, None):
                problem = f"line {n} names an unknown format {entry.get('format')!r}"
            elif ".." in Path(entry["path"]).parts or Path(entry["path"]).is_absolute():
                problem = f"line {n} points outside raw/"
        if problem is None:
            entries.append(entry)
        elif salvage:
            problems.append(f"{path}: {problem}")
        else:
            raise ManifestError(f"{path}: {problem}; {repair}")
    return entries, problems


def read_listing(path: Path) -> list[dict]:
    """The entries of the raw listing at ``path`` ([] when it does not exist)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror}; check its permissions") from exc
    return parse_listing(data, path)[0]


def check_raw_file(path: Path, entry: dict) -> None:
    """Raise StoreError unless the listed raw file exists with the sha256 the listing gives."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{path} is listed in the manifest but is not a regular file; restore it from a backup")
        digest = sha256_bytes(path.read_bytes())
    except FileNotFoundError:
        raise StoreError(f"{path} is listed in the manifest but missing; restore it from a backup, "
                         "then run `evidence rebuild`") from None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror}") from exc
    if digest != entry["sha256"]:
        raise StoreError(f"{path} has changed since it was stored (sha256 differs); restore it from a backup, "
                         "then run `evidence rebuild`")


# -- merging ---------------------------------------------------------------------------------------------


def claimed_pmids(updates: list[dict[str, pd.DataFrame]]) -> set[str]:
    """Every PMID the updates carry or delete: older rows of these PMIDs give way."""
    claimed: set[str] = set()
    for update in updates:
        claimed |= set(update["articles"]["pmid"])
        if DELETED in update:
            claimed |= set(update[DELETED]["pmid"])
    return claimed


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
        ordered.append((update, claimed.copy()))
        claimed |= claimed_pmids([update])
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
