"""The build manifest: which files a baseline dataset is built from, in which order, and their sha256.

``DIR/manifest.json`` lists the files in the order they are applied (baseline files, then
update files), each with its sha256, size and record counts, and for each published partition
the digest of the PMIDs that later files took from it. A file whose sha256 is listed was parsed
already and is skipped; a partition whose digest is unchanged is not written again. That is
what makes a second run of the same command do nothing.

The order is fixed once a file is built: new files come after the listed ones. A listed name
given with other bytes is refused, since partitions after it were resolved against the old ones.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import InputError, StoreError

MANIFEST = "manifest.json"
FORMAT = 1


@dataclass
class FileEntry:
    """One input file, as built."""

    name: str           # the file name: unique in a dataset, and the ``source`` of its articles
    path: str           # where it was read from (absolute), for ``select`` to read its records again
    sha256: str
    bytes: int
    records: int        # PubmedArticle/PubmedBookArticle records in the file
    deleted: int        # PMIDs its DeleteCitation elements remove
    partition: str      # the partition name: NNNNN-<stem>, the position keeps the file order visible
    published: str | None = None  # digest of the PMIDs dropped from it when its partition was written

    @property
    def key(self) -> str:
        """The folder of its parse output: the content, not the name, says what it holds."""
        return self.sha256[:16]


@dataclass
class Manifest:
    """The files of a dataset, in the order they apply."""

    files: list[FileEntry] = field(default_factory=list)

    def by_name(self) -> dict[str, FileEntry]:
        return {f.name: f for f in self.files}


def read_manifest(out: Path) -> Manifest:
    """The manifest in ``out`` (an empty one when there is none yet).

    Raises
    ------
    StoreError
        The manifest exists but cannot be read.
    """
    path = out / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path} cannot be read ({exc}); build into a new output folder", setting="out_dir") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("files"), list):
        raise StoreError(f"{path} is not a baseline build manifest (format {FORMAT}); build into a new output folder", setting="out_dir")
    try:
        return Manifest([FileEntry(**f) for f in data["files"]])
    except TypeError as exc:
        raise StoreError(f"{path} has a damaged file entry ({exc}); build into a new output folder", setting="out_dir") from exc


def write_manifest(out: Path, manifest: Manifest) -> None:
    """Replace the manifest in one step (a reader sees the old or the new one, whole)."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": FORMAT, "files": [asdict(f) for f in manifest.files]}, indent=1) + "\n"
    try:
        if (out / MANIFEST).read_text(encoding="utf-8") == text:
            return  # unchanged: a run that does nothing writes nothing
    except (OSError, UnicodeDecodeError):
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{MANIFEST}.", suffix=".tmp", dir=out)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out / MANIFEST)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def plan_order(manifest: Manifest, names: list[str]) -> list[str]:
    """The names of the files given that are new, after checking they can go after the listed ones.

    Raises
    ------
    InputError
        Two files given share a name, or a new file is given before one already built (the
        order of applied files cannot change).
    """
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(f"two files are named {name}: a dataset keys its files by name; rename one")
        seen.add(name)
    listed = manifest.by_name()
    new = [n for n in names if n not in listed]
    if new and listed:
        last_listed = max(i for i, n in enumerate(names) if n in listed) if any(n in listed for n in names) else -1
        first_new = names.index(new[0])
        if first_new < last_listed:
            raise InputError(f"{new[0]} is given before {names[last_listed]}, which is built already: new files are "
                             "applied after the built ones; give them last, or build into a new output folder", setting="out_dir")
    return new
