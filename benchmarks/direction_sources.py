"""Which source decided each study's main direction on the real abstracts, and how often each was right.

Run from the repository root with the local texts (see ``real_abstracts.py``)::

    EVIDENCE_REAL_TEXTS=<file> .venv/bin/python benchmarks/direction_sources.py [split ...] [--verbose]

Without splits it reads every tuning split. For each split (a batch of records read at one time) it
prints right/decided for each source ``main_direction_source`` reports, then right/spoke for each
source read alone: the primary outcome's rows (the most frequent direction), all result rows, and the
authors' statement about the arms as a whole (``overall_direction``). A source that is right in most
batches is more likely to hold on text not yet read than one that wins overall on a few. ``--verbose``
lists the records the combined reading gets wrong (ids and directions only, no text).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict

import pandas as pd

import real_abstracts as r
from evidence.extract.findings import extract_findings
from evidence.extract.main_result import mark_main_results
from evidence.extract.study_direction import _HARMS, main_direction_source, overall_direction, result_rows
from evidence.extract.text import record_text

SOURCES = ("primary rows", "statement of a side", "rows", "statement, rows tied", "statement, no rows")


def _most(rows: pd.DataFrame) -> str | None:
    """The most frequent direction among ``rows``, a tie going to the earliest sentence (as ``main_direction`` breaks it)."""
    if rows.empty:
        return None
    rows = rows.sort_values("span_start", kind="stable")
    counts = Counter(rows["direction"])
    return next(d for d in dict.fromkeys(rows["direction"]) if counts[d] == max(counts.values()))


def trace(splits: tuple[str, ...]) -> list[dict]:
    """One dict per labelled record: split, id, expected, got, the deciding source and each source alone."""
    path = r.texts_path()
    if path is None:
        raise SystemExit("set EVIDENCE_REAL_TEXTS to the local texts file")
    texts = {t["id"]: t for t in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    out = []
    for split in splits:
        labels = {x["id"]: x for x in r.all_labels() if x["split"] == split and "main_direction" in x["labels"]}
        records = [texts[i] for i in labels if i in texts and not r._mostly_chinese(texts[i])]
        topic_of = {t["id"]: labels[t["id"]].get("topic", r.DEFAULT) for t in records}
        for name in sorted(set(topic_of.values())):
            topic = r._topic(name)
            part = r._tables([t for t in records if topic_of[t["id"]] == name], True)
            findings = mark_main_results(extract_findings(part, topic), part["articles"], topic)
            for t in (t for t in records if topic_of[t["id"]] == name):
                rows = findings[findings["pmid"] == t["id"]]
                text = record_text(t["title"], t["abstract"])
                got, source = main_direction_source(rows, text, topic)
                kept = result_rows(rows, text, topic)
                efficacy = kept[~kept["outcome"].isin(_HARMS)]
                kept = efficacy if not efficacy.empty else kept
                main = kept[kept["main_result"].fillna(False).astype(bool)] if "main_result" in kept else kept.iloc[:0]
                out.append({"split": split, "id": t["id"], "expected": labels[t["id"]]["labels"]["main_direction"], "got": got,
                            "source": source, "primary rows alone": _most(main), "rows alone": _most(kept),
                            "statement alone": overall_direction(text, topic)})
    return out


def report(splits: tuple[str, ...], verbose: bool = False) -> None:
    """Print, per split, right/decided for each deciding source and right/spoke for each source alone."""
    records = trace(splits)
    shown = [s for s in splits if any(x["split"] == s for x in records)]
    print(f"{'':24}" + "".join(f"{s[-8:]:>10}" for s in shown) + f"{'all':>10}")
    print("decided by (right/decided)")
    cells: dict = defaultdict(Counter)
    for x in records:
        cells[(x["source"], x["split"])][x["got"] == x["expected"]] += 1
    for source in SOURCES:
        row = [(cells[(source, s)][True], sum(cells[(source, s)].values())) for s in shown]
        print(f"  {source:22}" + "".join(f"{a:>6}/{b:<3}" for a, b in row) + f"{sum(a for a, _ in row):>6}/{sum(b for _, b in row):<3}")
    print("alone (right/spoke)")
    for key in ("primary rows alone", "rows alone", "statement alone"):
        row = [(sum(x[key] == x["expected"] for x in records if x["split"] == s and x[key] is not None),
                sum(x[key] is not None for x in records if x["split"] == s)) for s in shown]
        print(f"  {key:22}" + "".join(f"{a:>6}/{b:<3}" for a, b in row) + f"{sum(a for a, _ in row):>6}/{sum(b for _, b in row):<3}")
    row = [(sum(x["got"] == x["expected"] for x in records if x["split"] == s), sum(x["split"] == s for x in records)) for s in shown]
    print(f"  {'main direction':22}" + "".join(f"{a:>6}/{b:<3}" for a, b in row) + f"{sum(a for a, _ in row):>6}/{sum(b for _, b in row):<3}")
    if verbose:
        for x in records:
            if x["got"] != x["expected"]:
                print(f"{x['split']} {x['id']}: expected {x['expected']}, got {x['got']} ({x['source']}); alone: primary rows "
                      f"{x['primary rows alone']}, rows {x['rows alone']}, statement {x['statement alone']}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    report(tuple(args) or r.TUNING_SPLITS, verbose="--verbose" in sys.argv)
