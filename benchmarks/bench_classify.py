"""Accuracy and speed of evidence.classify / evidence.extract.

Run from the repository root::

    .venv/bin/python benchmarks/bench_classify.py

Prints:

1. on the labelled fixture abstracts (written for this project under fake PMIDs): design
   accuracy with a confusion summary, PICO and sample-size agreement, and recall of the labelled
   effect statements. ``abstracts.jsonl`` is the development set the rules were tuned on;
   ``heldout.jsonl`` was written and labelled afterwards and never tuned on, so its figures are
   the honest estimate;
2. on the 1,999 real RCT abstracts of EBM-NLP (read from ../shared/peer-data, never copied):
   RCT recall from text alone, with the kind of cue that decided each RCT call (stated
   randomization, or only blinding, allocation to arms or a comparison), and the share of
   abstracts where a sample size is found;
3. records per second for classification and for effect extraction.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence import schema
from evidence.classify import RANDOMIZATION_STATED_RULES, classify_articles, classify_design
from evidence.extract import extract_findings, extract_sample_size
from evidence.topic import load_topic
from tests.labelled import HELDOUT, LABELLED, labelled_tables, load_labelled

EBM_NLP = ROOT.parent / "shared" / "peer-data" / "ebm-nlp" / "rct_abstracts.jsonl.gz"
# The kinds of cue that can decide an RCT call, strongest first; the recall figure is only as
# good as the share of calls that rest on stated randomization.
RCT_CUE_KINDS = {
    "stated randomization": RANDOMIZATION_STATED_RULES,
    "blinding, placebo or crossover": frozenset({"text.double_blind", "text.single_blind", "text.placebo_controlled", "text.crossover"}),
    "allocation to arms": frozenset({"text.allocated_to_arms"}),
    "a comparison only": frozenset({"text.comparison_randomization_not_stated"}),
}
# Sample-size rules that read a statement about enrolment or randomization (not a bare head count).
STATED_SIZE_RULES = frozenset(
    {"randomized_n", "of_n_randomized", "n_randomized_people", "n_were_randomized", "n_equals_randomized",
     "total_of_n", "n_were_enrolled", "enrolled_n", "n_eligible", "participants_were_n", "sum_of_arm_sizes"}
)


def _population_labels(population) -> list[str]:
    """The population flags back from the studies table's short description."""
    return [] if pd.isna(population) else sorted(p.replace(" ", "_") for p in population.split(", "))


def _same(a, b) -> bool:
    if a is None or b is None or (not isinstance(b, str) and pd.isna(b)):
        return a is None and (b is None or pd.isna(b))
    if isinstance(a, float):
        return abs(a - float(b)) < 1e-9
    return str(a) == str(b)


EFFECT_FIELDS = ("measure", "estimate", "ci_low", "ci_high", "p_value_text", "direction")


def score_labelled(records: list[dict], topic) -> dict:
    """Agreement of the automatic tables with the labels."""
    tables = labelled_tables(records)
    studies = classify_articles(tables, topic).set_index("pmid")
    findings = extract_findings(tables, topic)
    by_pmid = {pmid: g for pmid, g in findings.groupby("pmid")}
    confusion: Counter = Counter()
    hits = Counter()
    effects_expected = effects_found = 0
    field_hits = Counter()
    wrong: list[str] = []
    n_expected = 0
    for r in records:
        exp, got = r["expected"], studies.loc[r["pmid"]]
        confusion[(exp["design"], got["design"])] += 1
        for key, column in (("population", None), ("interventions", "interventions"), ("comparator_classes", "comparator_class")):
            value = _population_labels(got["population"]) if key == "population" else sorted(got[column])
            ok = value == exp[key]
            hits[key] += ok
            if not ok:
                wrong.append(f"{r['pmid']} {key}: expected {exp[key]}, got {value}")
        if exp["n_randomized"] is not None:
            n_expected += 1
            ok = not pd.isna(got["n_randomized"]) and int(got["n_randomized"]) == exp["n_randomized"]
            hits["n_randomized"] += ok
            if not ok:
                wrong.append(f"{r['pmid']} n_randomized: expected {exp['n_randomized']}, got {got['n_randomized']}")
        rows = by_pmid.get(r["pmid"], pd.DataFrame(columns=findings.columns))
        for e in exp["effects"]:
            effects_expected += 1
            candidates = rows[rows["outcome"] == e["outcome"]]
            if candidates.empty:
                wrong.append(f"{r['pmid']} effect {e['outcome']}: not found")
                continue
            effects_found += 1
            best = max(candidates.to_dict("records"), key=lambda row: sum(_same(e[f], row[f]) for f in EFFECT_FIELDS))
            for f in EFFECT_FIELDS:
                same = _same(e[f], best[f])
                field_hits[f] += same
                if not same:
                    wrong.append(f"{r['pmid']} effect {e['outcome']}.{f}: expected {e[f]}, got {best[f]}")
    text = {r["pmid"]: f"{r['title']}\n{r['abstract']}" for r in records}
    spans_ok = all(text[row.pmid][row.span_start:row.span_end] == row.sentence for row in findings.itertuples())
    return {
        "n": len(records), "confusion": confusion, "hits": hits, "n_expected": n_expected,
        "effects_expected": effects_expected, "effects_found": effects_found, "field_hits": field_hits,
        "findings": len(findings), "findings_without_span": int(findings["span_start"].isna().sum()),
        "spans_ok": spans_ok, "wrong": wrong,
    }


def score_ebm_nlp(path: Path = EBM_NLP) -> dict:
    """RCT recall from text and sample-size coverage on the EBM-NLP abstracts."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        texts = [" ".join(json.loads(line)["tokens"]) for line in lines]
    start = time.perf_counter()
    calls = [classify_design(None, t) for t in texts]
    design_seconds = time.perf_counter() - start
    start = time.perf_counter()
    sizes = [extract_sample_size(t) for t in texts]
    size_seconds = time.perf_counter() - start
    designs = Counter(c.design for c in calls)
    rct_calls = [c for c in calls if c.design == "rct"]
    decided_by = Counter(next((kind for kind, rules in RCT_CUE_KINDS.items() if c.rule in rules), c.rule) for c in rct_calls)
    states_random = [("random" in t.lower()) for t in texts]
    return {
        "n": len(texts), "designs": designs, "rct": designs["rct"], "decided_by": decided_by,
        "with_registry_id": sum("text.trial_registration" in c.cues for c in rct_calls),
        "rct_or_protocol": designs["rct"] + designs["protocol"],
        "states_random": sum(states_random),
        "rct_when_stated": sum(c.design == "rct" for c, s in zip(calls, states_random) if s),
        "size_any": sum(s.n_randomized is not None for s in sizes),
        "size_stated": sum(s.rules.get("n_randomized") in STATED_SIZE_RULES for s in sizes),
        "design_rate": len(texts) / design_seconds, "size_rate": len(texts) / size_seconds,
    }


def main() -> None:
    topic = load_topic()
    for path in (LABELLED, HELDOUT):
        report_labelled(path, topic)
    report_ebm_nlp()


def report_labelled(path: Path, topic) -> None:
    """Print the agreement figures for one labelled file."""
    records = load_labelled(path)
    start = time.perf_counter()
    lab = score_labelled(records, topic)
    seconds = time.perf_counter() - start
    n = lab["n"]
    correct = sum(v for (e, g), v in lab["confusion"].items() if e == g)
    print(f"== labelled fixtures ({n} abstracts, {path.relative_to(ROOT)})")
    print(f"design accuracy            {correct / n:.3f}  ({correct}/{n})")
    per_design = Counter()
    for (e, _got), v in lab["confusion"].items():
        per_design[e] += v
    for design in schema.DESIGNS:
        if not per_design[design]:
            continue
        right = lab["confusion"][(design, design)]
        errors = ", ".join(f"{g} x{v}" for (e, g), v in sorted(lab["confusion"].items()) if e == design and g != design)
        print(f"  {design:22s} {right}/{per_design[design]}" + (f"   confused with: {errors}" if errors else ""))
    for key in ("population", "interventions", "comparator_classes"):
        print(f"{key:26s} {lab['hits'][key] / n:.3f}  (exact set match)")
    print(f"n_randomized               {lab['hits']['n_randomized'] / lab['n_expected']:.3f}  ({lab['hits']['n_randomized']}/{lab['n_expected']} labelled)")
    print(f"effects found              {lab['effects_found']}/{lab['effects_expected']} labelled effect statements")
    for f in EFFECT_FIELDS:
        print(f"  {f:24s} {lab['field_hits'][f]}/{lab['effects_found']} agree")
    print(f"findings rows              {lab['findings']}, without a span: {lab['findings_without_span']}, text[span] == sentence: {lab['spans_ok']}")
    print(f"classify+extract speed     {n / seconds:.0f} records/s (tables, labelled set)")
    if "-v" in sys.argv:
        print("\n".join("  " + w for w in lab["wrong"]))
    print()


def report_ebm_nlp() -> None:
    """Print RCT recall and sample-size coverage on the EBM-NLP abstracts."""
    if not EBM_NLP.exists():
        print(f"\n(EBM-NLP abstracts not found at {EBM_NLP}; skipped)")
        return
    ebm = score_ebm_nlp()
    m = ebm["n"]
    print(f"== EBM-NLP real RCT abstracts ({m}, text only: no MeSH, no publication types)")
    print(f"RCT recall from text       {ebm['rct'] / m:.3f}  ({ebm['rct']}/{m})")
    for kind, count in ebm["decided_by"].most_common():
        print(f"  {'decided by ' + kind:42s}{count / m:.3f}  ({count})")
    print(f"  {'also citing a trial registry id':42s}{ebm['with_registry_id'] / m:.3f}  ({ebm['with_registry_id']})")
    print(f"  rct or protocol (a planned RCT)        {ebm['rct_or_protocol'] / m:.3f}")
    print(f"  among abstracts containing 'random'    {ebm['rct_when_stated'] / ebm['states_random']:.3f}  ({ebm['rct_when_stated']}/{ebm['states_random']}; {m - ebm['states_random']} never say 'random')")
    print("  other calls: " + ", ".join(f"{d} {v}" for d, v in ebm["designs"].most_common() if d != "rct"))
    print(f"sample size found          {ebm['size_any'] / m:.3f}  (any rule)")
    print(f"  from an enrolment/randomization statement or arm sizes  {ebm['size_stated'] / m:.3f}")
    print(f"speed                      design {ebm['design_rate']:.0f} records/s, sample size {ebm['size_rate']:.0f} records/s")


if __name__ == "__main__":
    main()
