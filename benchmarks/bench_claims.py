"""Claim-check latency, cold and warm (the synthesis cache under DATA_DIR/cache/claims).

Run from the repository root::

    .venv/bin/python benchmarks/bench_claims.py [--rounds 3] [--scale 30]

Prints the machine's load, then, each as the median of the rounds (wall and CPU seconds):

1. the command a user runs, ``evidence claim "..."`` in a new process: cold (empty data dir,
   so the synthesis is computed and stored) and warm (the same data dir again, so the stored
   synthesis is read), and warm / cold;
2. the library call alone (``evidence.load`` + ``check_claim``) on the snapshot and on the
   snapshot's findings repeated ``--scale`` times under new study ids (a store the size a
   classified fetch produces): cold (no cache) and warm (a new cache object reading the stored
   entry, as a new process would), and warm / cold.

The target (issue 14 item 7): a claim check after the first takes under 1 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import evidence
from evidence.outputs.claims.check import SynthesisCache, check_claim
from evidence.topic.model import load_topic

CLAIMS = ("Painkillers work better than acupuncture", "Acupuncture outperforms nerve blocks for sciatica")
EVIDENCE = Path(sys.executable).with_name("evidence")


def _cli_seconds(claim: str, data_dir: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(EVIDENCE), "claim", claim, "--data-dir", str(data_dir)], check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _scaled(tables: dict, scale: int) -> dict:
    """The snapshot's studies and findings repeated under new study ids (ref:bench-<copy>-<id>)."""
    studies, findings = [], []
    for copy in range(scale):
        rename = lambda sid, c=copy: f"ref:bench-{c}-{sid.replace(':', '-').replace('/', '-').lower()}"[:120]
        s = tables["studies"].assign(study_id=tables["studies"]["study_id"].map(rename), pmid=pd.NA, doi=pd.NA)
        f = tables["findings"].assign(study_id=tables["findings"]["study_id"].map(rename), pmid=pd.NA)
        studies.append(s)
        findings.append(f)
    out = dict(tables)
    out["studies"] = pd.concat(studies, ignore_index=True)
    out["findings"] = pd.concat(findings, ignore_index=True)
    return out


def _library_seconds(tables: dict, topic, cache_dir: Path | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one check; a new cache object, as a new process has."""
    start, cpu = time.perf_counter(), time.process_time()
    cache = SynthesisCache(cache_dir) if cache_dir else SynthesisCache()
    check_claim(CLAIMS[0], tables, topic, cache=cache)
    return time.perf_counter() - start, time.process_time() - cpu


def _line(label: str, cold: list[tuple[float, float]], warm: list[tuple[float, float]]) -> str:
    (cw, cc), (ww, wc) = ([statistics.median(x) for x in zip(*runs)] for runs in (cold, warm))
    return (f"{label}: cold {cw:.2f} s (CPU {cc:.2f} s), warm {ww:.2f} s (CPU {wc:.2f} s), "
            f"warm/cold {ww / cw:.2f} (CPU {wc / cc:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scale", type=int, default=30)
    args = parser.parse_args()
    topic = load_topic()

    cold, warm = [], []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(_cli_seconds(CLAIMS[0], Path(tmp)))
            warm.append(_cli_seconds(CLAIMS[1], Path(tmp)))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with it; CPU times do not)")
    print(_line("evidence claim (new process, snapshot only)", cold, warm))

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        base = evidence.load(Path(tmp) / "store")
        load_s = time.perf_counter() - start
    for name, tables in (("snapshot", base), (f"snapshot x{args.scale}", _scaled(base, args.scale))):
        cold, warm = [], []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                cold.append(_library_seconds(tables, topic, None))
                _library_seconds(tables, topic, Path(tmp))  # stores the entry
                warm.append(_library_seconds(tables, topic, Path(tmp)))
        print(_line(f"check_claim on {name} ({len(tables['findings'])} findings; evidence.load {load_s:.2f} s not included)",
                    cold, warm))


if __name__ == "__main__":
    main()
