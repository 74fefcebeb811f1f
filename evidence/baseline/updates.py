"""Which rows of each file survive the files after it: the latest version of a PMID wins.

The rule is ``evidence.ingest.store.merge_tables``'s: a file *claims* every PMID it carries or
deletes (``DeleteCitation``), and rows of a PMID are dropped from every file before the last one
that claims it. So a revised record in an update file replaces the baseline's, a deleted one
goes, and a PMID deleted and later carried again comes back.

Done on PMIDs as 64-bit integers (a PMID is 1-8 digits): one sort of every (PMID, file) pair,
about 50 bytes a record at the peak, so the full baseline's ~37 million records resolve in about
2 GB on the machine that runs the build, without the rows themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np


def superseded(claims: Sequence[np.ndarray]) -> list[np.ndarray]:
    """For each file, the PMIDs it claims that a later file claims too (sorted, unique).

    Parameters
    ----------
    claims:
        Per file, in the order the files apply, the PMIDs it carries or deletes (int64).
    """
    if not claims:
        return []
    pmids = np.concatenate([np.asarray(c, dtype=np.int64) for c in claims])
    files = np.concatenate([np.full(len(c), i, dtype=np.int32) for i, c in enumerate(claims)])
    order = np.lexsort((files, pmids))  # by PMID, then by file
    pmids, files = pmids[order], files[order]
    # Within each PMID's run the last entry is its latest file; every other entry is superseded
    # unless it is that same file again (a PMID twice in one file is the file's own business).
    last_of_run = np.r_[pmids[1:] != pmids[:-1], True]
    run_id = np.cumsum(np.r_[True, pmids[1:] != pmids[:-1]]) - 1
    latest_file = files[last_of_run][run_id]
    dropped = files < latest_file
    out = []
    hit_pmids, hit_files = pmids[dropped], files[dropped]
    by_file = np.argsort(hit_files, kind="stable")
    hit_pmids, hit_files = hit_pmids[by_file], hit_files[by_file]
    bounds = np.searchsorted(hit_files, np.arange(len(claims) + 1))
    for i in range(len(claims)):
        out.append(np.unique(hit_pmids[bounds[i]:bounds[i + 1]]))
    return out


def digest(pmids: np.ndarray) -> str:
    """A short fingerprint of a sorted PMID set: a partition is rewritten only when it changes."""
    return hashlib.sha256(np.ascontiguousarray(pmids, dtype=np.int64).tobytes()).hexdigest()[:32]
