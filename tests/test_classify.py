"""Study design and the studies table (evidence.classify)."""

from __future__ import annotations

import gzip
import json

import pandas as pd
import pytest

from evidence import schema
from evidence.classify import classify_articles, classify_design, merge_curated

from .labelled import HELDOUT, LABELLED, labelled_tables as tables_of


def test_labelled_set_covers_every_design_and_comparator_class(labelled):
    designs = {r["expected"]["design"] for r in labelled}
    classes = {c for r in labelled for c in r["expected"]["comparator_classes"]}
    assert len(labelled) >= 60
    assert designs == set(schema.DESIGNS)
    assert classes >= set(schema.COMPARATOR_CLASSES) - {"none", "other"}
    assert all(int(r["pmid"]) >= 99000000 for r in labelled)


@pytest.mark.parametrize("path", [LABELLED, HELDOUT], ids=["development", "heldout"])
def test_design_accuracy_on_labelled_sets_is_at_least_90_percent(path):
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = sum(
        classify_design(r["title"], r["abstract"], r["publication_types"], r["mesh"]).design == r["expected"]["design"]
        for r in records
    )
    assert right / len(records) >= 0.9


def test_design_from_text_alone_when_record_is_not_indexed(labelled):
    """Dropping MeSH and publication types must not break the call on indexed records."""
    indexed = [r for r in labelled if r["publication_types"] or r["mesh"]]
    assert indexed
    for r in indexed:
        assert classify_design(r["title"], r["abstract"]).design == r["expected"]["design"], r["pmid"]


@pytest.mark.parametrize(
    ("title", "abstract", "design"),
    [
        # A protocol speaks of randomization in the future tense.
        ("Acupuncture for sciatica: a trial", "Participants will be randomly assigned to acupuncture or sham. Outcomes will be assessed at 12 weeks.", "protocol"),
        # A review lists RCTs but is not one.
        ("Acupuncture for sciatica", "We searched MEDLINE and CNKI for randomized controlled trials. Ten RCTs were included and pooled with a random-effects model.", "meta_analysis"),
        # Negated randomization.
        ("A non-randomized controlled trial of acupuncture", "Patients chose acupuncture or drugs.", "non_randomized_trial"),
        ("Acupuncture for sciatica", "Eighty patients were randomly divided into two groups.", "rct"),
        ("Electroacupuncture in rats with sciatic nerve injury", "Rats received electroacupuncture.", "animal_or_lab"),
        ("Acupuncture for sciatica", "A 62-year-old woman developed a haematoma after acupuncture.", "case_report"),
        ("Acupuncture for sciatica", None, "other"),
    ],
)
def test_design_hard_cases(title, abstract, design):
    call = classify_design(title, abstract)
    assert call.design == design
    assert 0.0 <= call.confidence <= 1.0
    assert call.rule


def test_publication_type_is_used_and_reported():
    call = classify_design("Acupuncture and sciatica", "Outcomes are described.", ["Randomized Controlled Trial"], [])
    assert call.design == "rct"
    assert "publication type: Randomized Controlled Trial" in call.evidence
    assert call.rule == "pt.rct"


def test_indexing_raises_confidence_over_text_alone():
    text_only = classify_design("Acupuncture for sciatica: a randomized trial", "Patients were randomized.")
    indexed = classify_design("Acupuncture for sciatica: a randomized trial", "Patients were randomized.",
                              ["Randomized Controlled Trial"], ["Random Allocation"])
    assert text_only.design == indexed.design == "rct"
    assert indexed.confidence > text_only.confidence


def test_animal_headings_on_a_human_study_do_not_make_it_animal():
    call = classify_design("Acupuncture for sciatica", "Patients were randomly assigned.", [], ["Animals", "Humans", "Rats"])
    assert call.design == "rct"


def test_classify_articles_conforms_to_studies_contract(labelled, topic):
    studies = classify_articles(tables_of(labelled), topic)
    assert schema.validate(studies, schema.STUDIES) == []
    assert len(studies) == len(labelled)
    assert (studies["provenance"] == "auto").all()
    assert studies["rule"].str.startswith("design:").all()
    assert studies["confidence"].between(0, 1).all()


def test_classify_articles_fills_pico_and_counts(labelled, topic):
    studies = classify_articles(tables_of(labelled), topic).set_index("pmid")
    acupoint = studies.loc["99000004"]
    assert acupoint["interventions"] == ["acupoint_injection"]
    assert "nerve_block" not in acupoint["comparator_class"] and "other_injection" not in acupoint["comparator_class"]
    assert acupoint["n_randomized"] == 60 and acupoint["n_arms"] == 2
    minimal = studies.loc["99000003"]
    assert minimal["comparator_class"] == ["sham"]
    review = studies.loc["99000203"]
    assert review["design"] == "systematic_review"
    assert review["n_studies"] == 11 and review["n_participants"] == 1024
    assert pd.isna(review["n_randomized"])
    # A case report has no comparison arm, whatever treatments it names.
    assert studies.loc["99000802"]["comparator_class"] == []


def test_classify_articles_handles_empty_and_missing_text(topic):
    empty = classify_articles({"articles": schema.empty_frame(schema.ARTICLES)}, topic)
    assert empty.empty and list(empty.columns) == schema.STUDIES.names
    bare = schema.conform(pd.DataFrame([{"pmid": "99009999", "record_type": "article", "source": "test"}]), schema.ARTICLES)
    row = classify_articles({"articles": bare}, topic).iloc[0]
    assert row["design"] == "other"


def test_merge_curated_keeps_curated_rows_over_auto_rows(labelled, topic):
    auto = classify_articles(tables_of(labelled[:3]), topic)
    curated = schema.conform(
        pd.DataFrame([{"study_id": labelled[0]["pmid"], "pmid": labelled[0]["pmid"], "design": "rct", "n_randomized": 118, "provenance": "curated", "verified": True}]),
        schema.STUDIES,
    )
    merged = merge_curated(curated, auto)
    assert schema.validate(merged, schema.STUDIES) == []
    assert sorted(merged["pmid"]) == sorted(auto["pmid"])
    first = merged[merged["pmid"] == labelled[0]["pmid"]]
    assert len(first) == 1 and first.iloc[0]["provenance"] == "curated" and first.iloc[0]["n_randomized"] == 118
    assert (merged[merged["pmid"] != labelled[0]["pmid"]]["provenance"] == "auto").all()


def test_merge_curated_works_for_findings():
    auto = schema.conform(pd.DataFrame([
        {"study_id": p, "pmid": p, "outcome": "odi", "provenance": "auto", "span_start": 0, "span_end": 3, "sentence": "ODI"}
        for p in ("99000001", "99000002")
    ]), schema.FINDINGS)
    curated = schema.conform(pd.DataFrame([{"study_id": "99000001", "pmid": "99000001", "outcome": "leg_pain_vas", "provenance": "curated"}]), schema.FINDINGS)
    merged = merge_curated(curated, auto, schema.FINDINGS)
    assert list(zip(merged["pmid"], merged["provenance"])) == [("99000001", "curated"), ("99000002", "auto")]


@pytest.mark.slow
def test_rct_recall_from_text_on_real_rct_abstracts(peer_data):
    """EBM-NLP abstracts are all RCT reports; measured recall 0.87 (0.975 where 'random' appears)."""
    path = peer_data / "ebm-nlp" / "rct_abstracts.jsonl.gz"
    texts = [" ".join(json.loads(line)["tokens"]) for line in gzip.open(path, "rt", encoding="utf-8")]
    calls = [classify_design(None, t) for t in texts]
    assert sum(c.design == "rct" for c in calls) / len(texts) >= 0.85
    stated = [(c, t) for c, t in zip(calls, texts) if "random" in t.lower()]
    assert sum(c.design in ("rct", "protocol") for c, _ in stated) / len(stated) >= 0.97
