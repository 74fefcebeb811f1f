"""Generate invented files shaped like PubMed's annual baseline and its daily update files.

Baseline files ``pubmed25nNNNN.xml.gz`` hold consecutive fake PMIDs (99000000 upwards) made by
``synthetic_pubmed.record``; update files (numbered after them, as NLM numbers them) hold
revised versions of earlier records (other text: another random seed), a few new records, and a
``DeleteCitation`` of other PMIDs. The second update file revises again some records the first
one revised, and brings back one PMID the first one deleted, so "latest version wins" is tested
across files and not only against the baseline. Used by tests/test_baseline_build.py and
benchmarks/bench_baseline.py.
"""

from __future__ import annotations

import gzip
import random
from dataclasses import dataclass, field
from pathlib import Path

from synthetic_pubmed import HEADER, record

FIRST_PMID = 99000000


@dataclass
class BaselineFiles:
    """The files written, and what the updates do (for tests to state the expected result)."""

    baseline: list[Path]
    updates: list[Path]
    revised: list[set[int]] = field(default_factory=list)   # per update file
    added: list[set[int]] = field(default_factory=list)
    deleted: list[set[int]] = field(default_factory=list)

    @property
    def all(self) -> list[Path]:
        return [*self.baseline, *self.updates]


def _write(path: Path, pmids: list[int], deleted: list[int], seed: int) -> Path:
    rng = random.Random(seed)
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        fh.write(HEADER)
        fh.writelines(record(p, rng) for p in pmids)
        if deleted:
            fh.write("<DeleteCitation>\n")
            fh.writelines(f'  <PMID Version="1">{p}</PMID>\n' for p in deleted)
            fh.write("</DeleteCitation>\n")
        fh.write("</PubmedArticleSet>\n")
    return path


def write_baseline(folder: Path, files: int = 4, per_file: int = 200, update_files: int = 2, seed: int = 7) -> BaselineFiles:
    """Write ``files`` baseline files of ``per_file`` records and ``update_files`` update files.

    Each update file revises 5% of the baseline's records, adds 2% new ones and deletes 1%.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    result = BaselineFiles([], [])
    for i in range(files):
        first = FIRST_PMID + i * per_file
        path = folder / f"pubmed25n{i + 1:04d}.xml.gz"
        result.baseline.append(_write(path, list(range(first, first + per_file)), [], seed * 1000 + i))
    total = files * per_file
    next_new = FIRST_PMID + total
    for u in range(update_files):
        existing = list(range(FIRST_PMID, next_new))
        revised = set(rng.sample(existing, max(1, total // 20)))
        if result.revised:  # revise again some the previous update revised
            revised |= set(rng.sample(sorted(result.revised[-1]), max(1, len(result.revised[-1]) // 4)))
        if result.deleted:  # bring back one PMID the previous update deleted
            revised.add(min(result.deleted[-1]))
        added = set(range(next_new, next_new + max(1, total // 50)))
        next_new += len(added)
        deleted = set(rng.sample(sorted(set(existing) - revised), max(1, total // 100)))
        path = folder / f"pubmed25n{files + u + 1:04d}.xml.gz"
        result.updates.append(_write(path, sorted(revised | added), sorted(deleted), seed * 1000 + 500 + u))
        result.revised.append(revised)
        result.added.append(added)
        result.deleted.append(deleted)
    return result
