"""Benchmark ``evidence baseline build`` (and ``select``) on a local Dask cluster with 1 and 2 workers.

Generates baseline-shaped files (``synthetic_baseline.py``: 8 files x 5,000 invented records and
2 update files by default), builds the dataset from scratch with 1 worker process and then with 2,
and prints records/s, the speed-up, each worker's peak memory (its maximum resident set, read
on the worker) and the driver's growth during each build (it holds every file's PMIDs to resolve
updates). The cluster's start is not timed. The load average is printed beside the figures:
on a shared machine the speed-up says as much about the neighbours as about the code.

    python benchmarks/bench_baseline.py [--files 8] [--per-file 5000] [--workers 1 2] [--select]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_baseline import write_baseline

from evidence.baseline.build import build_baseline
from evidence.baseline.cluster import dask_client
from evidence.baseline.select import select_topic

FULL_BASELINE_RECORDS = 1_300 * 30_000  # ~1,300 files of up to 30,000 records (NLM's annual baseline)


def peak_rss_mb() -> float:
    """This process's peak resident set in MB: VmHWM, which starts afresh at exec (getrusage's
    maxrss would carry the forked parent's peak into a spawned worker)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_only(path: Path) -> int:
    from evidence.ingest.parse import read_pubmed

    return len(read_pubmed(path)["articles"])


def machine_control(inputs: list[Path], workers: int) -> float:
    """Seconds to parse every file with plain worker processes (no Dask, nothing written): what
    the machine gives now, so the Dask speed-up can be read against it on a shared machine."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(parse_only, inputs[:workers]))  # start the processes and import before timing
        start = time.perf_counter()
        list(pool.map(parse_only, inputs))
        return time.perf_counter() - start


def resident_mb() -> float:
    """This process's resident set now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> bool:
    """Start this process's VmHWM afresh (Linux: writing 5 to clear_refs), so the driver's peak
    during one build is read on its own; False where the kernel does not allow it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def load() -> str:
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def run(workers: int, inputs: list[Path], work: Path, select: bool, round_no: int) -> dict:
    control_s = machine_control(inputs, workers)
    out = work / f"dataset-{workers}-{round_no}"
    with dask_client(workers=workers) as client:
        client.wait_for_workers(workers)
        load_before = load()
        # The driver holds every file's PMIDs during the resolve step: its growth is what a full
        # baseline would scale.
        driver_before, fresh_peak = resident_mb(), reset_peak()
        start = time.perf_counter()
        result = build_baseline(inputs, out, client)
        build_s = time.perf_counter() - start
        figures = {"workers": workers, "build_s": build_s, "steps": result.seconds, "control_s": control_s, "load_before": load_before,
                   "load_after": load(), "driver_mb": (driver_before, peak_rss_mb() if fresh_peak else float("nan"))}
        if select:
            start = time.perf_counter()
            selected = select_topic("acupuncture_sciatica", out, work / f"store-{workers}-{round_no}", client)
            figures["select_s"] = time.perf_counter() - start
            figures["selected"] = selected.matched
            figures["select_steps"] = selected.seconds
        figures["peak_mb"] = sorted(client.run(peak_rss_mb).values())
    figures["records"] = result.records
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=8, help="baseline files (default 8)")
    ap.add_argument("--per-file", type=int, default=5000, help="records per baseline file (default 5000)")
    ap.add_argument("--updates", type=int, default=2, help="update files (default 2)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to time (default 1 2)")
    ap.add_argument("--select", action="store_true", help="also time `select` of the first topic's query")
    ap.add_argument("--rounds", type=int, default=1, help="interleaved rounds of every worker count (default 1)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_baseline-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        files = write_baseline(work / "in", files=args.files, per_file=args.per_file, update_files=args.updates)
        parsed = 0
        import gzip

        for p in files.all:  # records read by a build (every file's records, before updates apply)
            with gzip.open(p, "rt", encoding="utf-8") as fh:
                parsed += sum(line.count("<PubmedArticle>") for line in fh)
        size = sum(p.stat().st_size for p in files.all) / 1e6
        print(f"{len(files.all)} files ({args.files} baseline x {args.per_file:,} + {args.updates} updates), "
              f"{parsed:,} records, {size:.1f} MB gzipped; generated in {time.perf_counter() - t0:.1f} s; "
              f"{os.cpu_count()} CPUs")
        rows = [run(w, files.all, work, args.select, n) for n in range(args.rounds) for w in args.workers]
    for i, r in enumerate(rows):
        rate = parsed / r["build_s"]
        r["rate"] = rate
        sel = (f"; select {r['select_s']:.1f} s ({', '.join(f'{k} {v:.1f} s' for k, v in r['select_steps'].items())}; "
               f"{r['selected']:,} matched)" if "select_s" in r else "")
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in r["steps"].items())
        print(f"workers={r['workers']}: build {r['build_s']:.1f} s ({steps}; plain processes parse the files in "
              f"{r['control_s']:.1f} s), {rate:,.0f} records/s "
              f"({rate / r['workers']:,.0f} per worker), dataset {r['records']:,} records; peak memory per worker "
              f"{', '.join(f'{m:.0f}' for m in r['peak_mb'])} MB{sel}; load average (1/5/15 min) before {r['load_before']}, "
              f"after {r['load_after']}")
        before, peak = r["driver_mb"]
        grew = peak - before
        scale = (f"{grew * 1e6 / parsed:,.0f} bytes per record read; at that rate a full baseline of "
                 f"{FULL_BASELINE_RECORDS / 1e6:.0f} M records would add {grew * FULL_BASELINE_RECORDS / parsed / 1024:.1f} GB"
                 if i else "the first build in this process also loads its libraries: not a per-record figure")
        print(f"  driver (this process): resident {before:.0f} MB before the build, peak {peak:.0f} MB during it "
              f"(+{grew:.0f} MB; {scale})")
    ratios = []
    for n in range(args.rounds):
        base, *others = rows[n * len(args.workers):(n + 1) * len(args.workers)]
        for r in others:
            parse = base["steps"]["parse"] / r["steps"]["parse"]
            control = base["control_s"] / r["control_s"]
            ratios.append((r["rate"] / base["rate"], control))
            print(f"round {n + 1}: speed-up {r['workers']} vs {base['workers']} workers: {r['rate'] / base['rate']:.2f}x (build), "
                  f"{parse:.2f}x (its parse step); the machine now: {control:.2f}x (plain processes parsing the same files)"
                  + (f", {base['select_s'] / r['select_s']:.2f}x (select)" if "select_s" in r else ""))
    if ratios:
        print(f"median over {len(ratios)} rounds: build speed-up {statistics.median(r for r, _ in ratios):.2f}x, "
              f"the machine's {statistics.median(c for _, c in ratios):.2f}x")
    one = [r["rate"] for r in rows if r["workers"] == 1]
    per_core = statistics.median(one) if one else rows[0]["rate"] / rows[0]["workers"]
    hours = FULL_BASELINE_RECORDS / per_core / 3600
    print(f"sizing: the full baseline (~{FULL_BASELINE_RECORDS / 1e6:.0f}M records) at {per_core:,.0f} records/s per core "
          f"is ~{hours:.1f} core-hours of build: ~{hours / 16:.1f} h on 16 cores")


if __name__ == "__main__":
    main()
