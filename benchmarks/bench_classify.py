"""Accuracy and speed of evidence.extract.classify / evidence.extract.findings.

Run from the repository root::

    .venv/bin/python benchmarks/bench_classify.py
    .venv/bin/python benchmarks/bench_classify.py --tables /tmp/before.pkl   # equal outputs before/after a change
    .venv/bin/python benchmarks/bench_classify.py --heldout   # also the held-out real-abstract splits

Prints:

1. on the labelled fixture abstracts (written for this project under fake PMIDs): design
   accuracy with a confusion summary, PICO and sample-size agreement, and recall of the labelled
   effect statements. ``abstracts.jsonl`` is the development set the rules were tuned on;
   ``heldout.jsonl`` was written and labelled afterwards and never tuned on, so its figures are
   the honest estimate;
2. on the 1,999 real RCT abstracts of EBM-NLP (read from ../shared/peer-data, never copied):
   RCT recall from text alone, with the kind of cue that decided each RCT call (stated
   randomization, or only blinding, allocation to arms or a comparison), and the share of
   abstracts where a sample size is found; and, on the 140 of them whose whole-trial size readers
   labelled (benchmarks/ebm_sample_size.py), how often the extractor gives that number;
3. ``evidence classify`` speed (classification and effect extraction together, as
   ``evidence.extract.annotate.annotate_tables`` runs them) on the EBM-NLP abstracts, in one process and
   spread over two, as records per second and as a ratio to the parse rate of invented PubMed
   XML measured in the same run (the machine's load moves both alike, the ratio less);
4. on real abstracts of this topic, when ``EVIDENCE_REAL_TEXTS`` points at their texts
   (benchmarks/real_abstracts.py): per-field agreement with the labels on the tuning splits, and
   on the held-out splits only with ``--heldout`` (so that tuning runs never show them).
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evidence.tables import schema
from evidence.extract.classify import RANDOMIZATION_STATED_RULES, classify_articles, classify_design
from evidence.extract.findings import extract_findings
from evidence.extract.sample_size import extract_sample_size
from evidence.topic.model import load_topic
from tests.labelled import (
    HELDOUT, LABELLED, PATTERN_FIELDS, REAL_PATTERNS, labelled_tables, load_labelled, pattern_mismatches, read_under_topics,
)

sys.path.insert(0, str(ROOT / "benchmarks"))
import ebm_sample_size
import real_abstracts

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
     "total_of_n", "n_were_enrolled", "enrolled_n", "n_eligible", "participants_were_n", "sum_of_arm_sizes",
     "two_groups_described", "arm_sizes_listed_respectively", "eligible_less_not_randomized",
     "selected_for_study_from_pool", "people_then_total_N", "study_done_in_n",
     "randomized_shares_summed", "people_then_n",
     # The people first, a long description, then the verb of randomization, enrolment or taking part.
     "n_people_then_randomized", "n_people_then_enrolled", "n_people_took_part"}
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


# An abstract states randomisation when it says randomized/randomly/at random (not "a random
# sample of blood"). EBM-NLP holds some trial protocols; for those "protocol" is the right call.
STATES_RANDOMISATION = re.compile(r"\brandomi[sz](?:ed|ation|ing)\b|\brandomly\b|\bat random\b|\bRCT\b", re.IGNORECASE)
# A paper on the design of a trial ("design of a randomized clinical trial") describes it before its results.
# So does one under the protocol heading "Methods/Design" that speaks in the future tense, one
# that names itself a research protocol or says it describes its design, and one whose people
# "will be included and randomized".
_PLANNED = re.compile(r"\bwill be (?:\w+ )?(?:and )?(?:randomi[sz]ed|randomly|allocated|assigned)\b|\b(?:study|trial|research) protocol\b|\bplan to conduct\b"
                      r"|\bdesign of an? (?:[\w-]+,? ){0,5}?(?:trial|study)\b|\bdescribes? the (?:design|rationale)\b"
                      r"|\bMETHODS?\s*/\s*DESIGN\b(?=.*\bwill\b)", re.IGNORECASE)


def _right_design(design: str, text: str) -> bool:
    return design == "rct" or design == "protocol" and bool(_PLANNED.search(text))


def ebm_nlp_split(pmid: str) -> str:
    """The fixed split of EBM-NLP: a fifth of the abstracts (by PMID) is never tuned on."""
    return "heldout" if int(pmid) % 5 == 0 else "tune"


def score_ebm_nlp(path: Path = EBM_NLP) -> dict:
    """RCT recall from text and sample-size coverage on the EBM-NLP abstracts, per split."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    texts = [" ".join(r["tokens"]) for r in records]
    start = time.perf_counter()
    calls = [classify_design(None, t) for t in texts]
    design_seconds = time.perf_counter() - start
    start = time.perf_counter()
    sizes = [extract_sample_size(t) for t in texts]
    size_seconds = time.perf_counter() - start
    out = {"design_rate": len(texts) / design_seconds, "size_rate": len(texts) / size_seconds, "splits": {}}
    for split in ("tune", "heldout"):
        keep = [i for i, r in enumerate(records) if ebm_nlp_split(r["pmid"]) == split]
        part_calls = [calls[i] for i in keep]
        designs = Counter(c.design for c in part_calls)
        rct_calls = [c for c in part_calls if c.design == "rct"]
        states_random = [bool(STATES_RANDOMISATION.search(texts[i])) for i in keep]
        out["splits"][split] = {
            "n": len(keep), "designs": designs, "rct": designs["rct"],
            "decided_by": Counter(next((kind for kind, rules in RCT_CUE_KINDS.items() if c.rule in rules), c.rule) for c in rct_calls),
            "with_registry_id": sum("text.trial_registration" in c.cues for c in rct_calls),
            "rct_or_protocol": designs["rct"] + designs["protocol"],
            "states_random": sum(states_random),
            "rct_when_stated": sum(c.design == "rct" for c, st in zip(part_calls, states_random) if st),
            "right_when_stated": sum(_right_design(c.design, texts[i]) for i, c, st in zip(keep, part_calls, states_random) if st),
            "missed_when_stated": Counter(c.design for i, c, st in zip(keep, part_calls, states_random) if st and not _right_design(c.design, texts[i])),
            "size_any": sum(sizes[i].n_randomized is not None for i in keep),
            "size_stated": sum(sizes[i].rules.get("n_randomized") in STATED_SIZE_RULES for i in keep),
        }
    return out


def report_patterns(topic, path: Path = REAL_PATTERNS) -> None:
    """Print per-field agreement on one file of failure-pattern fixtures (tests/fixtures/labelled/real_patterns*.jsonl)."""
    records = load_labelled(path)
    studies, findings, topic_of = read_under_topics(records, topic)
    right, seen = Counter(), Counter()
    for r in records:
        exp = r["expected"]
        wrong = pattern_mismatches(r, studies.loc[r["pmid"]], findings, topic_of[r["pmid"]])
        applies = {"design": True, "comparator set": exp["comparator_classes"] is not None,
                   "add-on flag": exp["comparator_classes"] is not None,
                   "sample size": any(exp.get(k) is not None for k in ("n_randomized", "n_studies", "n_participants")),
                   "effects": bool(exp["effects"] or exp.get("not_effects")), "main direction": "main_direction" in exp}
        for field, problems in wrong.items():
            if applies[field]:
                seen[field] += 1
                right[field] += not problems
    print(f"== failure-pattern fixtures ({len(records)} records written after real abstracts, {path.relative_to(ROOT)})")
    for field in PATTERN_FIELDS:
        if seen[field]:
            print(f"{field:26s} {right[field] / seen[field]:.3f}  ({right[field]}/{seen[field]} records)")
    print()


def check_tables(path: Path, topic, n: int = 300) -> None:
    """Save, or compare with a saved copy, the studies and findings tables of ``n`` EBM-NLP abstracts.

    Run once before a change that should not alter any output (``--tables /tmp/before.pkl``),
    then again after it with the same path: it prints whether both tables are equal. The copy
    belongs outside the repository (it holds abstract text).
    """
    import pickle

    from evidence.extract.annotate import annotate_tables

    with gzip.open(EBM_NLP, "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    records = [r for r in map(json.loads, lines) if ebm_nlp_split(r["pmid"]) == "tune"][:n]
    articles = schema.conform(pd.DataFrame([
        {"pmid": r["pmid"], "title": None, "abstract": " ".join(r["tokens"]), "record_type": "article", "source": "ebm-nlp"}
        for r in records]), schema.ARTICLES)
    tables = annotate_tables({"articles": articles}, topic, workers=1)
    if not path.exists():
        path.write_bytes(pickle.dumps(tables))
        print(f"== tables of {len(records)} EBM-NLP abstracts saved to {path}; run again after the change to compare")
        return
    before = pickle.loads(path.read_bytes())
    for name, old, new in zip(("studies", "findings"), before, tables):
        try:
            pd.testing.assert_frame_equal(old, new)
            print(f"== {name} of {len(records)} EBM-NLP abstracts: equal to {path} ({len(new)} rows)")
        except AssertionError as exc:
            print(f"== {name} of {len(records)} EBM-NLP abstracts: DIFFER from {path}: {str(exc).splitlines()[0]}")


def main() -> None:
    topic = load_topic()
    if "--tables" in sys.argv:
        check_tables(Path(sys.argv[sys.argv.index("--tables") + 1]), topic)
        return
    for path in (LABELLED, HELDOUT):
        report_labelled(path, topic)
    # One file of failure-pattern fixtures per helper that wrote them (real_patterns.jsonl, then
    # real_patterns_design.jsonl, real_patterns_arms2.jsonl, ...), so parallel fixers do not collide.
    for path in sorted(REAL_PATTERNS.parent.glob("real_patterns*.jsonl")):
        report_patterns(topic, path)
    report_ebm_nlp()
    ebm_sample_size.report(verbose="-v" in sys.argv,
                           splits=("ebm_tune", "ebm_heldout") if "--heldout" in sys.argv else ("ebm_tune",))
    report_speed(topic)
    real_abstracts.report(verbose="-v" in sys.argv,
                          splits=real_abstracts.SPLITS if "--heldout" in sys.argv else real_abstracts.TUNING_SPLITS)


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
    """Print RCT recall and sample-size coverage on the EBM-NLP abstracts, tuned and held-out."""
    if not EBM_NLP.exists():
        print(f"\n(EBM-NLP abstracts not found at {EBM_NLP}; skipped)")
        return
    result = score_ebm_nlp()
    for split, ebm in result["splits"].items():
        m = ebm["n"]
        print(f"== EBM-NLP real RCT abstracts, {split} split ({m}, text only: no MeSH, no publication types)")
        print(f"RCT recall from text       {ebm['rct'] / m:.3f}  ({ebm['rct']}/{m})")
        stated = ebm["states_random"]
        print(f"  among abstracts stating randomisation    {ebm['right_when_stated'] / stated:.3f}  ({ebm['right_when_stated']}/{stated}; "
              f"rct, or protocol for a planned trial; {m - stated} never state it)")
        print(f"    rct calls only                         {ebm['rct_when_stated'] / stated:.3f}  ({ebm['rct_when_stated']}/{stated})")
        print("    missed: " + (", ".join(f"{d} {v}" for d, v in ebm["missed_when_stated"].most_common()) or "none"))
        for kind, count in ebm["decided_by"].most_common():
            print(f"  {'decided by ' + kind:42s}{count / m:.3f}  ({count})")
        print(f"  {'also citing a trial registry id':42s}{ebm['with_registry_id'] / m:.3f}  ({ebm['with_registry_id']})")
        print(f"  rct or protocol (a planned RCT)        {ebm['rct_or_protocol'] / m:.3f}")
        print("  other calls: " + ", ".join(f"{d} {v}" for d, v in ebm["designs"].most_common() if d != "rct"))
        print(f"sample size found          {ebm['size_any'] / m:.3f}  (any rule)")
        print(f"  from an enrolment/randomization statement or arm sizes  {ebm['size_stated'] / m:.3f}")
        print()
    print(f"speed (text only)          design {result['design_rate']:.0f} records/s, sample size {result['size_rate']:.0f} records/s")


def _seconds(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def report_speed(topic, rounds: int = 3) -> None:
    """Print classify records/s, in one process and over two, beside the parse rate.

    The three are measured in interleaved rounds, so a change in the machine's load during the
    run moves all of them; each ratio is the median of the per-round ratios.
    """
    if not EBM_NLP.exists():
        return
    import statistics
    import tempfile

    import evidence
    from evidence.extract.annotate import annotate_tables
    from evidence.extract.findings import analysed_sentences
    from synthetic_pubmed import write_file

    with gzip.open(EBM_NLP, "rt", encoding="utf-8") as lines:
        texts = [" ".join(json.loads(line)["tokens"]) for line in lines]
    articles = schema.conform(pd.DataFrame([
        {"pmid": str(i), "title": None, "abstract": t, "record_type": "article", "source": "ebm-nlp"}
        for i, t in enumerate(texts)]), schema.ARTICLES)
    tables = {"articles": articles}

    def classify(workers: int):
        def run():
            analysed_sentences.cache_clear()  # every round reads the records afresh
            annotate_tables(tables, topic, workers=workers)
        return run

    with tempfile.TemporaryDirectory() as tmp:
        xml = write_file(Path(tmp) / "records.xml", len(texts))
        runs = {"parse": lambda: evidence.read_pubmed(xml), "one": classify(1), "two": classify(2)}
        seconds = {name: [] for name in runs}
        for _ in range(rounds):
            for name, func in runs.items():
                seconds[name].append(_seconds(func))
    rate = {name: len(texts) / min(s) for name, s in seconds.items()}
    ratio = {name: statistics.median(p / s for p, s in zip(seconds["parse"], seconds[name])) for name in ("one", "two")}
    print(f"\n== classify speed ({len(texts)} EBM-NLP abstracts, {rounds} interleaved rounds; baseline: parsing {len(texts)} invented records)")
    print(f"parse (baseline)           {rate['parse']:7.0f} records/s (best round)")
    print(f"classify, 1 process        {rate['one']:7.0f} records/s (best round)   {ratio['one']:.3f} x parse (median ratio)")
    print(f"classify, 2 processes      {rate['two']:7.0f} records/s (best round)   {ratio['two']:.3f} x parse (median ratio)")


if __name__ == "__main__":
    main()
