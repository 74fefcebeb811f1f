"""Sample size on real RCT abstracts of any topic: EBM-NLP abstracts labelled by readers.

Readers who never ran the extractor read 140 EBM-NLP abstracts (the first in sha256(pmid) order) and wrote
the number randomised in the whole trial (``benchmarks/ebmnlp_sample_labels_*.jsonl``: PMID, number, its
basis and a note; no abstract text). 70 come from the part of EBM-NLP that rules are tuned on (split
``ebm_tune``), 70 from the fifth never tuned on (PMID divisible by 5, split ``ebm_heldout``). These
abstracts are not of this topic, but the wordings of enrolment and allocation are the same in every
field, so they show whether the sample-size reader holds on prose nobody here wrote. Session 10 (lead-measured): the
session-start code gave 0.833 (40/48) on ``ebm_tune`` and 0.778 (35/45) on ``ebm_heldout``; after one helper
tuned on ``ebm_tune``, 0.979 (47/48) and 0.800 (36/45). The readers left a size empty for studies that are not
trials of people or hold several trials; ``number given where none`` counts the extractor's numbers there.

Run from the repository root::

    .venv/bin/python benchmarks/ebm_sample_size.py              # tuned split, with each disagreement
    .venv/bin/python benchmarks/ebm_sample_size.py --heldout    # also the held-out split, figures only
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence.extract.sample_size import extract_sample_size

EBM_NLP = ROOT.parent / "shared" / "peer-data" / "ebm-nlp" / "rct_abstracts.jsonl.gz"
LABELS = sorted((ROOT / "benchmarks").glob("ebmnlp_sample_labels_*.jsonl"))


def load_labels() -> list[dict]:
    """Every reader's label line, in file order."""
    return [json.loads(line) for path in LABELS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score(split: str, labels: list[dict], texts: dict[str, str]) -> dict:
    """Agreement of ``extract_sample_size`` with the readers on one split.

    ``stated`` counts the abstracts whose reader found a whole-trial number; ``right`` those where the
    extractor gave that number; ``wrong_number`` where it gave another; ``invented`` where the reader
    found none (only an analysed count, several trials) and the extractor still gave one.
    """
    out = {"n": 0, "stated": 0, "right": 0, "wrong_number": 0, "missed": 0, "none_stated": 0, "invented": 0, "wrong": []}
    for label in (x for x in labels if x["split"] == split):
        got = extract_sample_size(texts[label["pmid"]]).n_randomized
        expected = label["n_randomized"]
        out["n"] += 1
        if expected is None:
            out["none_stated"] += 1
            out["invented"] += got is not None
            if got is not None:
                out["wrong"].append(f"{label['pmid']}: reader found no whole-trial number ({label.get('note', '')}), got {got}")
            continue
        out["stated"] += 1
        if got == expected:
            out["right"] += 1
        else:
            out["wrong_number" if got is not None else "missed"] += 1
            out["wrong"].append(f"{label['pmid']}: expected {expected} ({label.get('basis')}), got {got}")
    return out


def report(verbose: bool = True, splits: tuple[str, ...] = ("ebm_tune",)) -> None:
    """Print the figures per split; disagreements only for the tuned split and only when ``verbose``."""
    labels = load_labels()
    if not labels or not EBM_NLP.exists():
        print("== EBM-NLP sample-size labels or ../shared/peer-data absent; skipped")
        return
    wanted = {x["pmid"] for x in labels}
    with gzip.open(EBM_NLP, "rt", encoding="utf-8") as lines:
        texts = {r["pmid"]: " ".join(r["tokens"]) for r in map(json.loads, lines) if r["pmid"] in wanted}
    for split in splits:
        s = score(split, labels, texts)
        if not s["n"]:
            continue
        print(f"== sample size on EBM-NLP abstracts, {split} ({s['n']} labelled by readers)")
        print(f"whole-trial number right   {s['right'] / max(s['stated'], 1):.3f}  ({s['right']}/{s['stated']} where the reader found one)")
        print(f"  another number           {s['wrong_number']}")
        print(f"  none found               {s['missed']}")
        print(f"number given where none    {s['invented']}/{s['none_stated']}")
        if verbose and split == "ebm_tune":
            print("\n".join("  " + w for w in s["wrong"]))
        print()


if __name__ == "__main__":
    report(splits=("ebm_tune", "ebm_heldout") if "--heldout" in sys.argv else ("ebm_tune",))
