"""The readers' sample-size labels of EBM-NLP abstracts (benchmarks/ebmnlp_sample_labels_*.jsonl) are
data a benchmark trusts: each must name a real EBM-NLP PMID once, sit in the split its PMID decides
(the fifth with PMID divisible by 5 is never tuned on), and give a whole number or null with a note."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import ebm_sample_size

LABELS = ebm_sample_size.load_labels()
BASES = {"randomized", "allocated", "enrolled", "included", "arms_summed", "other"}


def test_labels_are_there_and_pmids_unique():
    assert len(ebm_sample_size.LABELS) >= 2
    pmids = [x["pmid"] for x in LABELS]
    assert len(pmids) == len(set(pmids))


@pytest.mark.parametrize("label", LABELS, ids=[x["pmid"] for x in LABELS])
def test_label_sits_in_its_pmids_split(label):
    assert label["split"] == ("ebm_heldout" if int(label["pmid"]) % 5 == 0 else "ebm_tune")
    if label["n_randomized"] is None:
        assert label["note"].strip(), "a null size needs the reader's reason"
    else:
        assert isinstance(label["n_randomized"], int) and label["n_randomized"] > 0
        assert label["basis"] in BASES


def test_every_labelled_pmid_is_an_ebm_nlp_abstract():
    if not ebm_sample_size.EBM_NLP.exists():
        pytest.skip("../shared/peer-data is absent in a user's clone")
    with gzip.open(ebm_sample_size.EBM_NLP, "rt", encoding="utf-8") as lines:
        known = {json.loads(line)["pmid"] for line in lines}
    assert {x["pmid"] for x in LABELS} <= known


def test_score_counts_a_wrong_number_and_an_invented_one():
    labels = [{"pmid": "1", "split": "s", "n_randomized": 40, "basis": "randomized"},
              {"pmid": "2", "split": "s", "n_randomized": None, "note": "only analysed"}]
    texts = {"1": "Sixty patients were randomized to drug or placebo .",
             "2": "A total of 80 patients were randomized ."}
    s = ebm_sample_size.score("s", labels, texts)
    assert (s["stated"], s["right"], s["wrong_number"], s["none_stated"], s["invented"]) == (1, 0, 1, 1, 1)
