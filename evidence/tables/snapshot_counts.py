"""What a curated snapshot holds, counted: rows by design and by comparator class.

The snapshot README quotes these tables before and after a curation pass; they are computed here
(``evidence snapshot counts``), never typed by hand. Counting reads the JSON lines as they are, so
an older copy of a snapshot (``git show REV:data/snapshot/studies.jsonl``) can be counted even when
it no longer passes today's ``evidence snapshot check``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from ..errors import InputError

NO_CLASS = "(no class)"
"""The comparator row for studies that list no comparator class (guidelines, single-arm studies)."""


def _studies(folder: Path) -> pd.DataFrame:
    path = folder / "studies.jsonl"
    if not path.is_file():
        raise InputError(f"{path}: missing; give a snapshot folder that holds studies.jsonl")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
    frame = pd.DataFrame(rows, columns=["study_id", "pmid", "design", "verified", "comparator_class"])
    frame["verified"] = frame["verified"].eq(True)
    frame["with_pmid"] = frame["pmid"].notna() & frame["pmid"].ne("")
    return frame


def snapshot_counts(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Counts of a snapshot's studies.

    Returns
    -------
    dict
        ``design``: one row per design (most rows first) and a last row ``all``, with columns
        ``rows``, ``verified`` and ``with_pmid``. ``comparator``: one row per comparator class
        (a study counts once under each class it lists) and :data:`NO_CLASS`, column ``rows``.

    Raises
    ------
    InputError
        The folder has no readable studies.jsonl.
    """
    s = _studies(Path(folder))
    design = (s.groupby("design")[["verified", "with_pmid"]].sum()
              .join(s.groupby("design").size().rename("rows"))[["rows", "verified", "with_pmid"]]
              .sort_values(["rows", "verified"], ascending=False))
    design.loc["all"] = [len(s), int(s["verified"].sum()), int(s["with_pmid"].sum())]
    classes = s["comparator_class"].map(lambda c: list(c) if isinstance(c, list) and c else [NO_CLASS])
    comparator = classes.explode().value_counts().rename("rows").to_frame()
    comparator.index.name = "comparator_class"
    return {"design": design.astype(int), "comparator": comparator.astype(int)}


def counts_markdown(after: dict[str, pd.DataFrame], before: dict[str, pd.DataFrame] | None = None) -> str:
    """The counts as two Markdown tables; with ``before``, each cell reads ``after (before)``."""
    blocks = []
    for name, key in (("design", "design"), ("comparator class", "comparator")):
        now = after[key]
        old = before[key].reindex(now.index.union(before[key].index)).fillna(0).astype(int) if before else None
        index = list(now.index) + ([i for i in old.index if i not in now.index] if old is not None else [])
        header = [name, *now.columns]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for label in index:
            cells = []
            for col in now.columns:
                value = int(now.at[label, col]) if label in now.index else 0
                cells.append(f"{value} ({int(old.at[label, col])})" if old is not None else str(value))
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
