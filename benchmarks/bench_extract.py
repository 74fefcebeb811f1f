"""Accuracy and speed of the result-direction engine (``evidence.infer_result``).

Run from the repository root::

    .venv/bin/python benchmarks/bench_extract.py            # figures
    .venv/bin/python benchmarks/bench_extract.py --errors   # also the development-split misses

Prints:

1. Evidence Inference 2.0 prompts (905 prompts over 499 real RCT abstracts, read from
   ../shared/peer-data/evidence-inference, never copied): macro-F1 and per-class F1 on the
   held-out split (about 30% of the abstracts, chosen by a hash of the PMCID and never tuned on)
   and on the development split the rules were tuned on. ``None`` answers count as misses;
2. for answered prompts, the share right beside the mean stated confidence (is the confidence
   honest?), and how often the deciding sentence overlaps the annotators' evidence span
   (development split);
3. the fixture scores: the failure-pattern fixtures in tests/fixtures/infer/ (written for this
   project, fake PMIDs);
4. prompts per second (all 905 prompts, best of three passes).

``--errors`` lists development-split misses only: the held-out split is never printed.
``--swap`` asks every development-split prompt again with its intervention and comparator swapped
and counts the answers that turn round as they should (increased <-> decreased, no_difference and
None stay): a check of which arm each statement is read for that needs no labels, so it can guide
changes without fitting them to the development labels.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence.extract.infer import LABELS, infer_result

PEER = ROOT.parent / "shared" / "peer-data" / "evidence-inference"
FIXTURES = ROOT / "tests" / "fixtures" / "infer" / "patterns.jsonl"
# The dataset's label names, mapped to the engine's.
DATASET_LABELS = {
    "significantly increased": "increased",
    "significantly decreased": "decreased",
    "no significant difference": "no_difference",
}
HELDOUT_SHARE = 30  # percent of abstracts


def is_heldout(pmcid: str) -> bool:
    """The fixed held-out split: about 30% of abstracts, by the first bytes of sha256(pmcid)."""
    return int(hashlib.sha256(pmcid.encode()).hexdigest()[:8], 16) % 100 < HELDOUT_SHARE


def load_prompts() -> list[dict]:
    """Evidence Inference prompts joined with their abstract text, each with ``gold`` and ``heldout``."""
    with gzip.open(PEER / "abstracts.jsonl.gz", "rt", encoding="utf-8") as fh:
        texts = {a["pmcid"]: a["text"] for a in map(json.loads, fh)}
    with gzip.open(PEER / "prompts.jsonl.gz", "rt", encoding="utf-8") as fh:
        prompts = [json.loads(line) for line in fh]
    return [{**p, "text": texts[p["pmcid"]], "gold": DATASET_LABELS[p["label"]], "heldout": is_heldout(p["pmcid"])}
            for p in prompts]


def f1_scores(gold: list[str], predicted: list[str | None]) -> dict[str, float]:
    """Per-class F1 for the three labels and their unweighted mean (``macro``)."""
    scores = {}
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted))
        scores[label] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    scores["macro"] = sum(scores[label] for label in LABELS) / len(LABELS)
    return scores


def load_fixtures() -> list[dict]:
    """The failure-pattern fixtures: each has text, intervention, comparator, outcome, label, name."""
    return [json.loads(line) for line in FIXTURES.read_text(encoding="utf-8").splitlines() if line.strip()]


def _line(name: str, scores: dict[str, float], n: int) -> str:
    per_class = "  ".join(f"{label} {scores[label]:.3f}" for label in LABELS)
    return f"{name:<10} n={n:<4} macro-F1 {scores['macro']:.3f}   ({per_class})"


def _span_overlap(prompt: dict, sentence: str | None) -> bool:
    if not sentence:
        return False
    evidence = prompt["evidence"].strip()
    return evidence[:40] in sentence or sentence[:40] in evidence


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list development-split misses")
    parser.add_argument("--swap", action="store_true",
                        help="development split: how often swapping intervention and comparator turns the answer round")
    parser.add_argument("--rules-only", action="store_true",
                        help="rank sentences by the rules' relevance alone (no learned sentence selector)")
    args = parser.parse_args()

    selector = None if args.rules_only else "shipped"
    fixtures = load_fixtures()
    fixture_hits = [infer_result(f["text"], intervention=f["intervention"], comparator=f["comparator"],
                                 outcome=f["outcome"], selector=selector).label == f["label"] for f in fixtures]
    if not PEER.exists():
        print(f"{PEER} not found: Evidence Inference figures skipped")
    else:
        prompts = load_prompts()
        results = [infer_result(p["text"], intervention=p["intervention"], comparator=p["comparator"],
                                outcome=p["outcome"], selector=selector) for p in prompts]
        print("Evidence Inference 2.0 prompts (real abstracts), engine", results[0].rule.split(":")[0],
              "rules only" if args.rules_only else "with the learned sentence selector")
        for name, held in (("held-out", True), ("dev", False)):
            pairs = [(p, r) for p, r in zip(prompts, results) if p["heldout"] is held]
            scores = f1_scores([p["gold"] for p, _ in pairs], [r.label for _, r in pairs])
            unanswered = sum(r.label is None for _, r in pairs)
            print(_line(name, scores, len(pairs)) + f"  no answer {unanswered}")
            answered = [(p, r) for p, r in pairs if r.label is not None]
            right = sum(r.label == p["gold"] for p, r in answered) / len(answered)
            mean_confidence = sum(r.confidence for _, r in answered) / len(answered)
            print(f"{'':<10} answered: {right:.3f} right, mean confidence {mean_confidence:.3f}")
        dev = [(p, r) for p, r in zip(prompts, results) if not p["heldout"]]
        found = sum(_span_overlap(p, r.sentence) for p, r in dev)
        print(f"dev: deciding sentence is the annotators' evidence in {found}/{len(dev)}")
        rules = Counter((r.rule, r.label == p["gold"]) for p, r in dev)
        for rule in sorted({rule for rule, _ in rules}):
            print(f"   {rule:<55} right {rules[(rule, True)]:>4}  wrong {rules[(rule, False)]:>4}")
        timings = []
        for _ in range(3):
            t0 = time.perf_counter()
            for p in prompts:
                infer_result(p["text"], intervention=p["intervention"], comparator=p["comparator"], outcome=p["outcome"], selector=selector)
            timings.append(time.perf_counter() - t0)
        print(f"speed: {len(prompts) / min(timings):,.0f} prompts/s (best of 3 passes over {len(prompts)})")
        if args.swap:
            turned = {"increased": "decreased", "decreased": "increased", "no_difference": "no_difference", None: None}
            consistent = 0
            for p, r in dev:
                swapped = infer_result(p["text"], intervention=p["comparator"], comparator=p["intervention"],
                                       outcome=p["outcome"], selector=selector)
                consistent += turned[swapped.label] == r.label
            print(f"dev: answer turns round when intervention and comparator are swapped in {consistent}/{len(dev)}")
        if args.errors:
            for p, r in dev:
                if r.label != p["gold"]:
                    print(f"\n[{p['prompt_id']}] gold {p['gold']} got {r.label} ({r.rule})\n  I: {p['intervention'][:80]}\n"
                          f"  C: {p['comparator'][:80]}\n  O: {p['outcome']}\n  EVID: {p['evidence'][:300]}\n  SENT: {(r.sentence or '')[:300]}")
    print(f"fixtures: {sum(fixture_hits)}/{len(fixtures)} failure-pattern fixtures right ({FIXTURES.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
