"""Incremental import: 100 records into a store of 100,000 against 100 records into an empty store.

The target (issue 14) is a ratio under 2: an import parses only its own files and keeps the
stored segments as they are (hard links), so its cost must not grow with the store. Both imports
are timed in interleaved rounds in the same run, each into a fresh copy, and the median ratio
is printed; the full rebuild of the big store is timed once for scale.

    python benchmarks/bench_store.py [--stored 100000] [--new 100] [--rounds 5]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic_pubmed import HEADER, record

from evidence.ingest.store import Store


def write_records(path: Path, first_pmid: int, n: int, seed: int = 1) -> Path:
    """Write ``n`` invented PubMed records with PMIDs ``first_pmid`` onwards; returns ``path``."""
    import random

    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.writelines(record(first_pmid + i, rng) for i in range(n))
        fh.write("</PubmedArticleSet>\n")
    return path


def timed_import(data: Path, path: Path) -> float:
    start = time.perf_counter()
    Store(data).import_files([path])
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stored", type=int, default=100_000, help="records in the big store (default 100000)")
    ap.add_argument("--new", type=int, default=100, help="records imported (default 100)")
    ap.add_argument("--files", type=int, default=10, help="files the big store is imported from (default 10)")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_store-") as tmp:
        work = Path(tmp)
        big = work / "big"
        per_file = args.stored // args.files
        t0 = time.perf_counter()
        for i in range(args.files):
            src = write_records(work / f"stored-{i}.xml", 90_000_000 + i * per_file, per_file, seed=i)
            Store(big).import_files([src])
            src.unlink()
        print(f"built a store of {args.stored:,} records from {args.files} files in {time.perf_counter() - t0:.1f} s")
        new = write_records(work / "new.xml", 98_000_000, args.new, seed=99)
        # One untimed import of each kind first: module loading is not what is measured.
        warm = work / "warm"
        shutil.copytree(big, warm, symlinks=True)
        timed_import(work / "warm-empty", new)
        timed_import(warm, new)
        shutil.rmtree(warm)
        shutil.rmtree(work / "warm-empty")
        ratios, small_times, big_times = [], [], []
        for r in range(args.rounds):
            empty_copy, big_copy = work / f"empty-{r}", work / f"big-{r}"
            shutil.copytree(big, big_copy, symlinks=True)
            small = timed_import(empty_copy, new)
            large = timed_import(big_copy, new)
            assert len(Store(big_copy).tables()["articles"]) == args.stored + args.new
            small_times.append(small)
            big_times.append(large)
            ratios.append(large / small)
            print(f"round {r + 1}: empty store {small * 1000:.0f} ms, {args.stored:,}-record store "
                  f"{large * 1000:.0f} ms, ratio {large / small:.2f}")
            shutil.rmtree(empty_copy)
            shutil.rmtree(big_copy)
        t0 = time.perf_counter()
        Store(big).rebuild_tables()
        rebuild = time.perf_counter() - t0
    print(f"median: empty {statistics.median(small_times) * 1000:.0f} ms, "
          f"stored {statistics.median(big_times) * 1000:.0f} ms")
    print(f"incremental import ratio (store of {args.stored:,} / empty, median of {args.rounds}): "
          f"{statistics.median(ratios):.2f} (target < 2)")
    print(f"full rebuild of {args.stored:,} records, for scale: {rebuild:.1f} s")


if __name__ == "__main__":
    main()
