"""Writers' discipline for a data directory: one lock, one journal, named phases.

Every step that writes the store (import, a fetched batch, rebuild, classify) runs as::

    with WriteLock(root, "import"):          # one writer at a time, others wait with a message
        recover(...)                           # finish or undo what a killed writer left
        Journal.begin(...)                     # what this step is about to create
        ... raw files, new table generation ...
        commit: os.replace of the ``tables`` link   # the single commit point
        Journal.end()

The lock is ``fcntl.flock`` on ``DIR/.lock``: the kernel drops it when its holder dies, so a
killed writer never leaves a stale lock. The journal (``DIR/.journal.json``) lists the raw files
and the generation the step creates; the next writer compares it with the committed generation to
decide whether the step reached its commit point (finish it) or not (remove what it wrote).

:func:`set_crash_point` (``<phase>[:int]``) makes the process kill itself (SIGKILL, or SIGINT with
``:int``) when it reaches ``phase``; the crash-injection tests use it, through the command's
``EVIDENCE_CRASH_AT`` variable, to stop a writer at every boundary. Unset, it costs one comparison.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from ..errors import DiskFullError, StoreBusyError, StoreError

LOCK_NAME = ".lock"
JOURNAL_NAME = ".journal.json"
DEFAULT_LOCK_TIMEOUT = 600.0
"""Seconds a writer waits for another one to finish before it gives up."""

# The phases a write step passes, in order; tests inject a kill at each of them.
PHASES = ("journal", "raw-partial", "raw", "generation-partial", "generation", "commit", "mirror", "done")


_crash_point: str | None = None


def set_crash_point(where: str | None) -> None:
    """Kill this process when a write step reaches the phase ``where`` (``<phase>[:int]``; None: never).

    A test instrument, process-wide on purpose: the crash tests stop a whole command at one
    boundary, wherever in the package that boundary is passed.
    """
    global _crash_point
    _crash_point = where or None


def phase(name: str) -> None:
    """Mark that a write step reached ``name``; kill the process here when asked to (tests)."""
    wanted = _crash_point
    if not wanted:
        return
    where, _, how = wanted.partition(":")
    if where == name:
        os.kill(os.getpid(), signal.SIGINT if how == "int" else signal.SIGKILL)
        if how == "int":
            time.sleep(1)  # the KeyboardInterrupt is raised here, at the next bytecode


def fsync_dir(path: Path) -> None:
    """Make a rename or unlink inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(action: str, path: Path, exc: OSError) -> StoreError:
    """A one-line StoreError for an OSError, naming a full disk or file-size limit as such."""
    # pyarrow's write errors are OSErrors without an errno; their text still names the cause.
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) or any(
            cause in str(exc) for cause in ("No space left", "File too large", "Disk quota")):
        return DiskFullError(f"cannot {action} {path}: {exc.strerror or exc} (the disk or a file-size limit is full); "
                             "nothing stored was changed; free space and run the command again")
    return StoreError(f"cannot {action} {path}: {exc.strerror or exc}")


class WriteLock:
    """The data directory's writer lock, re-entrant within one process.

    A fetch holds it for its whole run while its worker threads store batches through the same
    ``Store``; those nested acquisitions only count.

    Parameters
    ----------
    root:
        The data directory (created if missing).
    command:
        What the holder is doing, shown to writers who wait.
    notify:
        Called with a one-line message when this writer has to wait.
    timeout:
        Seconds to wait for another writer before giving up (default :data:`DEFAULT_LOCK_TIMEOUT`).
    """

    _held: ClassVar[dict[str, list]] = {}  # realpath of the lock file -> [fd, depth]
    _guard = threading.RLock()

    def __init__(self, root: Path, command: str, notify: Callable[[str], None] | None = None,
                 timeout: float | None = None):
        self.root = root
        self.command = command
        self.notify = notify
        self.timeout = DEFAULT_LOCK_TIMEOUT if timeout is None else timeout

    def __enter__(self) -> WriteLock:  # noqa: PYI034 - typing.Self needs Python 3.11; 3.10 is supported
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            path = self.root / LOCK_NAME
            key = os.path.realpath(path)
        except OSError as exc:
            raise StoreError(f"cannot use {self.root} as the data directory: {exc.strerror or exc}") from exc
        with self._guard:
            held = self._held.get(key)
            self.outermost = held is None
            if held is not None:
                held[1] += 1
                self._key = key
                return self
            fd = self._acquire(path)
            self._held[key] = [fd, 1]
            self._key = key
        return self

    def _acquire(self, path: Path) -> int:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot create the lock file {path}: {exc.strerror}") from exc
        timeout = self.timeout
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(path)
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusyError(f"{self.root} is still being written by {holder} after {timeout:.0f} s; "
                                         "run this again when it has finished") from None
                if not told and self.notify is not None:
                    self.notify(f"waiting: {self.root} is being written by {holder}")
                    told = True
                time.sleep(0.05)
        try:  # who holds it, for the message above; best effort (a full disk must not stop us)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {self.command}\n".encode(), 0)
        except OSError:
            pass
        return fd

    def __exit__(self, *exc_info) -> None:
        with self._guard:
            held = self._held[self._key]
            held[1] -= 1
            if held[1] == 0:
                del self._held[self._key]
                os.close(held[0])  # closing the descriptor releases the flock


def _holder(path: Path) -> str:
    try:
        pid, _, command = path.read_text(encoding="utf-8", errors="replace").strip().partition(" ")
    except OSError:
        return "another evidence command"
    return f"evidence {command} (pid {pid})" if pid else "another evidence command"


def writer_active(root: Path) -> bool:
    """True when another process holds the writer lock right now (status uses it)."""
    path = root / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


class Journal:
    """``DIR/.journal.json``: the step in flight, what it creates, and the generation it commits."""

    def __init__(self, root: Path):
        self.path = root / JOURNAL_NAME

    def read(self) -> dict | None:
        """The pending step, or None. A damaged journal is treated as a step that never committed."""
        try:
            doc = json.loads(self.path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return {"step": "unknown", "raw": [], "generation": None}
        return doc if isinstance(doc, dict) else {"step": "unknown", "raw": [], "generation": None}

    def begin(self, step: str, generation: str, raw: list[str]) -> None:
        """Record the step before it writes anything (write, fsync, rename)."""
        from .store import atomic_write_bytes, now_iso

        doc = {"step": step, "pid": os.getpid(), "started": now_iso(), "generation": generation, "raw": raw}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_bytes(self.path, json.dumps(doc).encode("utf-8"))
        except OSError as exc:
            raise storage_error("write", self.path, exc) from exc
        phase("journal")

    def end(self) -> None:
        self.path.unlink(missing_ok=True)
