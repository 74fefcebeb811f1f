"""Shared helpers of the store tests: invented record files, file trees, table comparison, the CLI."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bench_store import write_records as records_file  # noqa: F401  (re-exported for the store tests: invented records, fake PMIDs 99000000+)

EVIDENCE = [str(Path(sys.executable).parent / "evidence")]  # the console script, so main() runs


def pmids_of(first: int, n: int) -> set[str]:
    return {str(first + i) for i in range(n)}


def tree(folder: Path) -> dict[str, str]:
    """Every entry under ``folder`` with a digest of its content (links by target); the lock file aside."""
    out = {}
    for dirpath, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(dirpath) / name
            rel = str(path.relative_to(folder))
            if rel == ".lock":
                continue
            if path.is_symlink():
                out[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    """The same tables, the same rows in the same order."""
    assert sorted(a) == sorted(b)
    for name, frame in a.items():
        pd.testing.assert_frame_equal(frame.reset_index(drop=True), b[name].reset_index(drop=True), obj=name)


def run_cli(*args: str, env: dict | None = None, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run ``evidence ARGS`` in a fresh interpreter, as a user would."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("EVIDENCE_CRASH_AT", "EVIDENCE_DATA_DIR")}
    full_env.update(env or {})
    return subprocess.run([*EVIDENCE, *args], check=False, capture_output=True, text=True, env=full_env, timeout=timeout,
                          cwd=ROOT, **kwargs)
