"""The real-abstract labels (benchmarks/real_labels*.jsonl) are data the benchmark trusts: every row
must name a known split, design, topic and comparator classes of its own topic, and ids must be unique
across files, or a reader's typo would silently drop a record from the figures."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from evidence.tables.schema import DESIGNS, DIRECTIONS
from evidence.topic.model import load_topic

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import real_abstracts

ROWS = real_abstracts.all_labels()
DEFAULT_TOPIC = "acupuncture_sciatica"


def test_every_label_file_is_read_and_ids_are_unique():
    assert len(real_abstracts.LABEL_FILES) >= 2
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("row", ROWS, ids=[row["id"] for row in ROWS])
def test_label_row_uses_known_values(row):
    assert row["split"] in real_abstracts.SPLITS
    assert row["url"].startswith("http")
    labels = row["labels"]
    assert labels["design"] in DESIGNS
    topic = load_topic(row.get("topic", DEFAULT_TOPIC))
    unknown = set(labels.get("comparator_classes") or []) - set(topic.comparator_classes)
    assert not unknown, f"{row['id']}: not a comparator class of {topic.name}: {sorted(unknown)}"
    assert labels.get("main_direction") in (None, *DIRECTIONS)
    for effect in labels.get("effects") or []:
        assert effect.get("p_value_text") is None or effect["p_value_text"][0] in "<>=0123456789", effect


def test_any_outcome_field_counts_an_other_row_only_with_a_shared_word_and_the_same_numbers():
    import pandas as pd
    rows = pd.DataFrame([
        {"outcome": "other", "outcome_text": "Total fluoroscopy time", "measure": None, "estimate": None, "p_value_text": "<0.001"},
        {"outcome": "other", "outcome_text": "repeat operations", "measure": "OR", "estimate": 1.9, "p_value_text": "0.005"},
        {"outcome": "pain_vas", "outcome_text": "pain relief", "measure": None, "estimate": None, "p_value_text": "0.22"},
    ])
    vocabulary = {"pain_vas": {}, "odi": {}}
    label = {"outcome": "fluoroscopy_time", "measure": None, "estimate": None, "p_value_text": "<0.001"}
    assert not real_abstracts._effect_found(label, rows)  # the old field is unchanged
    assert real_abstracts._effect_found_any(label, rows, vocabulary)
    # A shared word but another p-value; the same p-value but no shared word.
    assert not real_abstracts._effect_found_any({**label, "p_value_text": "=0.04"}, rows, vocabulary)
    assert not real_abstracts._effect_found_any({**label, "outcome": "patient_comfort"}, rows, vocabulary)
    # "reoperation" and "operations" share a stem start; the estimate must match too.
    reop = {"outcome": "reoperation", "measure": "OR", "estimate": 1.9, "p_value_text": "=0.005"}
    assert real_abstracts._effect_found_any(reop, rows, vocabulary) is False  # "reoperation" is not "operation"
    assert real_abstracts._effect_found_any({**reop, "outcome": "repeat_operation"}, rows, vocabulary)
    assert not real_abstracts._effect_found_any({**reop, "outcome": "repeat_operation", "estimate": 2.5}, rows, vocabulary)
    # A label on a vocabulary outcome is never found through an "other" row.
    assert not real_abstracts._effect_found_any({"outcome": "odi", "measure": None, "estimate": None, "p_value_text": "<0.001"},
                                                rows.assign(outcome_text="odi score"), vocabulary)


def test_any_outcome_field_accepts_the_topic_key_a_label_synonym_names_and_nothing_else():
    import pandas as pd
    rows = pd.DataFrame([
        {"outcome": "pain_nrs", "outcome_text": "pain", "measure": "MD", "estimate": -1.4, "p_value_text": "0.01"},
        {"outcome": "odi", "outcome_text": "ODI", "measure": "MD", "estimate": -6.0, "p_value_text": "0.02"},
    ])
    vocabulary = {"pain_vas": {}, "pain_nrs": {}, "odi": {}}
    pain = {"outcome": "pain", "measure": "MD", "estimate": -1.4, "p_value_text": None}
    assert not real_abstracts._effect_found(pain, rows)  # the strict field keeps the label's own name
    assert real_abstracts._effect_found_any(pain, rows, vocabulary)
    assert not real_abstracts._effect_found_any({**pain, "estimate": -2.0}, rows, vocabulary)
    # "disability_index" maps to the injection topic's disability key, not to the ODI.
    assert not real_abstracts._effect_found_any({"outcome": "disability_index", "measure": "MD", "estimate": -6.0,
                                                 "p_value_text": None}, rows, vocabulary)
