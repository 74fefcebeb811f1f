"""Benchmark `evidence.ingest.fetch` against the local E-utilities test server (127.0.0.1).

For each scenario it measures, in the same run:

* **requests**: what the fetch sent, against the floor of one esearch per date window
  searched plus ceil(records / batch) efetch calls per window;
* **429s**: rate-limit replies provoked (the server enforces NCBI's limit; none is injected);
* **wall time** of the fetch (tables not rebuilt), against a baseline: the same requests
  replayed by a bare `requests` loop paced at exactly 1/rate (its 429s show what even spacing
  without a margin provokes on a busy machine); against the floor NCBI's rule sets, bursts of
  ``rate`` requests one second apart, (ceil(requests / rate) - 1) s; and against what the
  limiter allows, the same bursts a window of 1 s + its margin apart.

Run:  .venv/bin/python benchmarks/bench_fetch.py
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evidence.ingest.eutils import RateLimiter
from evidence.ingest.fetch import fetch
from tests.eutils_server import EutilsTestServer

TERM = "benchmark needle AND leg pain"
SCENARIOS = [
    # (label, records, batch size, api key)
    ("2,500 records, no key (3/s)", 2_500, 500, None),
    ("2,500 records, API key (10/s)", 2_500, 500, "bench-key"),
    ("3,000 records in small batches, no key (3/s)", 3_000, 100, None),
    ("12,500 records split by date, API key (10/s)", 12_500, 1_000, "bench-key"),
]


def replay(base_url: str, log: list, rate: float) -> tuple[float, int]:
    """Send the logged requests again with a bare session at exactly 1/rate; (seconds, 429s)."""
    throttled = 0
    with requests.Session() as session:
        started = time.monotonic()
        for n, entry in enumerate(log):
            wait = started + n / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            reply = session.post(base_url + entry.endpoint + ".fcgi", data=entry.params, timeout=60)
            throttled += reply.status_code == 429
        return time.monotonic() - started, throttled


def run(label: str, records: int, batch: int, api_key: str | None) -> None:
    rate = 10 if api_key else 3
    with EutilsTestServer(rate_limit=3, rate_limit_with_key=10, max_requests=10_000) as server, \
            tempfile.TemporaryDirectory() as data_dir:
        server.add_corpus(TERM, records)
        started = time.monotonic()
        summary = fetch(TERM, email="bench@example.org", api_key=api_key, data_dir=data_dir,
                        eutils_url=server.base_url, batch_size=batch, rebuild=False)
        seconds = time.monotonic() - started
        log = server.log
        searches = [r for r in log if r.endpoint == "esearch"]
        manifest = next(Path(data_dir).glob("raw/fetch-*/manifest.json")).read_text()
        windows = json.loads(manifest)["windows"]
        floor_requests = len(searches) + sum(math.ceil(len(w["ids"]) / batch) for w in windows)
        fetch_429 = sum(r.status == 429 for r in log)
        time.sleep(1.1)  # let the server's one-second window empty before the baseline starts
        base_seconds, base_429 = replay(server.base_url, [r for r in log if r.status == 200], rate)
    bursts = math.ceil(len(log) / rate) - 1
    floor_seconds = float(bursts)
    limiter_seconds = bursts * (1 + RateLimiter.MARGIN)
    print(f"\n{label}: {summary.fetched:,} records, batch {batch}, {len(windows)} date window(s)")
    print(f"  requests   {len(log):4d}  floor {floor_requests:4d}  ratio {len(log) / floor_requests:.2f}"
          f"  ({len(searches)} esearch, {len(log) - len(searches)} efetch)")
    print(f"  429s       {fetch_429:4d}  (baseline replay: {base_429})")
    print(f"  wall time  {seconds:6.2f} s  baseline {base_seconds:6.2f} s  ratio {seconds / base_seconds:.3f}")
    print(f"             rate floor {floor_seconds:6.2f} s  ratio {_ratio(seconds, floor_seconds)};"
          f"  limiter's windows {limiter_seconds:6.2f} s  ratio {_ratio(seconds, limiter_seconds)}")


def _ratio(seconds: float, floor: float) -> str:
    return f"{seconds / floor:.3f}" if floor > 0 else "n/a (one burst)"


def main() -> None:
    for scenario in SCENARIOS:
        run(*scenario)


if __name__ == "__main__":
    main()
