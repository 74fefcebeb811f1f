"""The labelled fixture abstracts (written for this project, fake PMIDs) and tables built from them.

Shared by the classification/extraction tests and benchmarks/bench_classify.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from evidence import schema

LABELLED = Path(__file__).parent / "fixtures" / "labelled" / "abstracts.jsonl"
# Written and labelled after the rules were tuned on LABELLED, and never tuned on.
HELDOUT = LABELLED.with_name("heldout.jsonl")


def load_labelled(path: Path = LABELLED) -> list[dict]:
    """The labelled records of one file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def labelled_tables(records: list[dict]) -> dict[str, pd.DataFrame]:
    """Record tables (articles, mesh) built from labelled records."""
    articles = schema.conform(
        pd.DataFrame(
            [{"pmid": r["pmid"], "title": r["title"], "abstract": r["abstract"] or None,
              "publication_types": r["publication_types"], "record_type": "article", "source": "labelled"}
             for r in records]
        ),
        schema.ARTICLES,
    )
    mesh = schema.conform(
        pd.DataFrame([{"pmid": r["pmid"], "descriptor": d} for r in records for d in r["mesh"]],
                     columns=["pmid", "descriptor"]),
        schema.MESH,
    )
    return {"articles": articles, "mesh": mesh}
