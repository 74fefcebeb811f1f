"""Finishing or undoing an interrupted write step, and clearing what failures leave behind.

Run by every writer at the start of its step, with the writer lock held (``Store.recover``):

- a journal whose generation is the committed one: the step passed its commit point, so its
  tail is finished (the listing copy in ``raw/``, old generations removed);
- a journal whose generation is not committed: the step's generation folder and imported raw
  files are removed, so the store is as it was before the step (a fetched batch that was written
  whole is kept and listed again, so NCBI is not asked for it twice);
- temporary files (half-written copies, link and journal temporaries) are removed; generations
  other than the current one are removed; raw files no listing names are listed again when they
  are whole (an import's hash matches its name; every file must parse), else moved to
  ``DIR/lost+found``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
from pathlib import Path

from ..errors import EvidenceError, ManifestError, StoreError
from .journal import JOURNAL_NAME, Journal, fsync_dir, phase
from .sources import sniff_format
from .store import (
    GENERATION_FILE,
    LISTING_FILE,
    LOST_AND_FOUND,
    NewFile,
    Recovery,
    Store,
    atomic_write_bytes,
    named_stream,
    parse_listing,
    sha256_bytes,
)

RUN_MANIFEST = "manifest.json"


def finish_step(store: Store) -> None:
    """The tail of a committed step: the listing copy, old generations gone, journal closed."""

    gen = store.generation()
    if gen is not None and (gen / GENERATION_FILE).exists():
        atomic_write_bytes(store.manifest_path, (gen / LISTING_FILE).read_bytes())
    phase("mirror")
    remove_other_generations(store, gen)
    Journal(store.root).end()
    fsync_dir(store.root)
    phase("done")


def undo_step(store: Store, doc: dict) -> None:
    """Remove what an uncommitted step wrote: its raw files (unless listed) and its generation."""
    try:
        listed = {e["path"] for e in store.manifest()}
    except StoreError:
        listed = None  # cannot tell what is listed: keep the files; rebuild sorts them out
    if listed is not None:
        for rel in doc.get("raw") or []:
            # A fetched batch under its final name is whole (written atomically) and cost NCBI a
            # request: it stays, and the next writer lists it once it parses. Imports are re-run.
            if isinstance(rel, str) and rel not in listed and not rel.startswith("fetch-"):
                (store.raw_dir / rel).unlink(missing_ok=True)
    name = doc.get("generation")
    if isinstance(name, str) and name and "/" not in name:
        if store.tables_dir.is_symlink() and os.readlink(store.tables_dir).endswith(name):
            return  # committed after all
        shutil.rmtree(store.generations_dir / name, ignore_errors=True)
        (store.root / f".tables-link-{name}").unlink(missing_ok=True)
    Journal(store.root).end()


def remove_other_generations(store: Store, keep: Path | None) -> int:
    """Remove every generation folder but ``keep``; returns how many were removed."""
    removed = 0
    if keep is None or not store.generations_dir.is_dir():
        return removed
    for gen in store.generations_dir.iterdir():
        if gen.name != keep.name and gen.is_dir() and not gen.is_symlink():
            shutil.rmtree(gen, ignore_errors=True)
            removed += 1
    return removed


def recover_store(store: Store, recovery: Recovery, repairing: bool = False) -> None:
    """Finish or undo an interrupted step, then clear leftovers (see the module docstring).

    Fills ``recovery`` as it goes, so what was done is known even when a damaged listing stops
    it. A listing copy in raw/ that differs from the committed listing stops every writer but a
    ``repairing`` one (rebuild), which writes it again.
    """
    notes = recovery.notes
    journal = Journal(store.root)
    doc = journal.read()
    try:
        current = store.generation()
    except StoreError:
        current = None  # broken tables: only `rebuild` repairs them
        healthy = False
    else:
        healthy = True
    if doc is not None:
        step = doc.get("step", "write")
        if current is not None and doc.get("generation") == current.name:
            finish_step(store)
            notes.append(f"finished an interrupted {step} (it had reached its commit point; its records are stored)")
        else:
            undo_step(store, doc)
            notes.append(f"undid an interrupted {step} (it had not reached its commit point; nothing of it was kept)")
    temps = remove_temporary_files(store)
    if temps:
        notes.append(f"removed {temps} temporary file(s)")
    if healthy:
        orphans = remove_other_generations(store, current)
        if orphans:
            notes.append(f"removed {orphans} unused table generation(s)")
    try:
        listing = store.manifest()
    except StoreError:
        return  # a damaged listing: `rebuild` salvages it
    if current is not None and (current / GENERATION_FILE).exists():
        committed = (current / LISTING_FILE).read_bytes()
        try:
            copy = store.manifest_path.read_bytes()
        except FileNotFoundError:
            copy = None
        except OSError as exc:
            raise ManifestError(f"cannot read {store.manifest_path}: {exc.strerror}; check its permissions") from exc
        if copy is None:
            atomic_write_bytes(store.manifest_path, committed)
            notes.append(f"wrote the missing {store.manifest_path} again")
        elif copy != committed and not repairing:
            parse_listing(copy, store.manifest_path)  # names the damaged line, if any
            raise ManifestError(f"{store.manifest_path} differs from the committed listing "
                                f"{current / LISTING_FILE}; run `evidence rebuild` to repair it")
    recovery.unlisted, moved = find_unlisted(store, listing)
    if recovery.unlisted:
        notes.append(f"listing {len(recovery.unlisted)} whole raw file(s) no listing named")
    if moved:
        notes.append(f"moved {moved} damaged unlisted raw file(s) to {store.root / LOST_AND_FOUND}")


def remove_temporary_files(store: Store) -> int:
    """Remove temporaries of atomic writes and link swaps; returns how many."""
    removed = 0
    candidates = list(store.root.glob(".tables-link-*")) + list(store.root.glob(f".{JOURNAL_NAME}.*.tmp"))
    if store.raw_dir.is_dir():
        for folder, _, files in os.walk(store.raw_dir):
            candidates += [Path(folder) / f for f in files if f.startswith(".") and f.endswith(".tmp")]
    for path in candidates:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def raw_files(store: Store) -> list[str]:
    """Every file under raw/ that should be listed (not the listing copy, run manifests or temporaries)."""
    out: list[str] = []
    if not store.raw_dir.is_dir():
        return out
    for folder, dirs, files in os.walk(store.raw_dir):
        dirs.sort()
        for name in sorted(files):
            rel = (Path(folder) / name).relative_to(store.raw_dir).as_posix()
            if rel == "manifest.jsonl" or (name.startswith(".") and name.endswith(".tmp")):
                continue
            if name == RUN_MANIFEST and rel.startswith("fetch-") and rel.count("/") == 1:
                continue
            out.append(rel)
    return out


def find_unlisted(store: Store, listing: list[dict]) -> tuple[list[NewFile], int]:
    """Raw files no listing entry names: the whole ones (to list again) and how many were moved away."""

    listed = {e["path"] for e in listing}
    known = {e["sha256"] for e in listing}
    whole, moved = [], 0
    for rel in raw_files(store):
        if rel in listed:
            continue
        item = verify_unlisted(store, rel)
        if item is None or item.entry["sha256"] in known:
            target = store.root / LOST_AND_FOUND / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(store.raw_dir / rel, target)
            moved += 1
        else:
            known.add(item.entry["sha256"])
            whole.append(item)
    whole.sort(key=lambda f: f.entry["time"])
    return whole, moved


def verify_unlisted(store: Store, rel: str) -> NewFile | None:
    """A raw file no listing names, ready to be listed again, or None when it is not whole."""

    path = store.raw_dir / rel
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return None
        data = path.read_bytes()
    except OSError:
        return None
    digest = sha256_bytes(data)
    folder, _, name = rel.partition("/")
    if folder == "imports":
        prefix, _, source = name.partition("-")
        if prefix != digest[:12]:
            return None  # a copy that does not hold the bytes its name promises
    elif folder.startswith("fetch-") and "/" not in name:
        source = folder
    else:
        return None
    try:
        from .records import read_records  # local: lxml and Bio load only when a file must be read

        fmt = sniff_format(named_stream(data, rel))  # a stream is read once: sniff and parse get one each
        tables, _ = read_records(named_stream(data, rel), fmt=fmt)
    except (EvidenceError, ValueError, OSError):
        return None
    tables["articles"]["source"] = source
    when = dt.datetime.fromtimestamp(info.st_mtime, dt.timezone.utc).replace(microsecond=0).isoformat()
    entry = {"path": rel, "source": source, "sha256": digest, "time": when, "records": len(tables["articles"]),
             "format": fmt, "bytes": len(data)}
    return NewFile(rel, None, entry, tables)


def salvage_listing(store: Store) -> tuple[list[dict], list[str]]:
    """The committed listing's usable entries for a rebuild, and one-line notes of what was dropped.

    The committed listing is preferred; when the tables are broken, the copy in ``raw/``.
    """

    try:
        path = store.listing_path(store.generation())
    except StoreError:
        path = store.manifest_path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror}; check its permissions") from exc
    entries, problems = parse_listing(data, path, salvage=True)
    seen, unique = set(), []
    for entry in entries:
        if entry["sha256"] not in seen:
            seen.add(entry["sha256"])
            unique.append(entry)
    notes = []
    if problems:
        notes.append(f"dropped {len(problems)} damaged line(s) of the listing ({problems[0]}); "
                     "whole raw files they named are listed again")
    return unique, notes


