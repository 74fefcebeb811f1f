"""The learned sentence selector (evidence.extract.selector) and how infer_result uses it.

The abstracts here were written for this project (fake PMIDs 99000900 and up).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest

import evidence
from evidence.errors import InputError
from evidence.extract import infer
from evidence.extract.selector import (DENSE_FEATURES, HASH_BUCKETS, WEIGHTS_FILE, SentenceSelector, hashed_ngrams,
                                       load_shipped)

# PMID 99000900: a within-group change reported before the between-group comparison.
WITHIN_THEN_BETWEEN = (
    "Electroacupuncture versus sham for sciatica: a randomised trial\n"
    "METHODS: Eighty adults with sciatica were randomly assigned to electroacupuncture or sham electroacupuncture "
    "for 6 weeks. Leg pain intensity was rated on a 0-10 numerical rating scale.\n"
    "RESULTS: Leg pain intensity fell from 6.8 to 3.1 in the electroacupuncture group and from 6.9 to 4.6 in the "
    "sham group (P < 0.001 within each group). At 6 weeks, leg pain was lower with electroacupuncture than with sham "
    "(mean difference -1.4 points, 95% CI -2.2 to -0.6; P = 0.001).\n"
    "CONCLUSIONS: Electroacupuncture relieved leg pain more than sham."
)
ARMS = {"intervention": "electroacupuncture", "comparator": "sham electroacupuncture", "outcome": "leg pain intensity"}


def _probabilities(selector: SentenceSelector, text: str) -> dict[str, float]:
    candidates = infer.candidate_sentences(text, **ARMS)
    return {s.text: float(p) for (s, _), p in zip(candidates, selector.probabilities(candidates))}


def test_shipped_selector_prefers_the_between_group_sentence_over_the_within_group_one():
    selector = load_shipped()
    assert selector is not None
    chances = _probabilities(selector, WITHIN_THEN_BETWEEN)
    within = next(p for s, p in chances.items() if s.startswith("Leg pain intensity fell"))
    between = next(p for s, p in chances.items() if s.startswith("At 6 weeks"))
    method = next(p for s, p in chances.items() if s.startswith("Leg pain intensity was rated"))
    assert between > 0.5 > within
    assert between > method
    result = evidence.infer_result(WITHIN_THEN_BETWEEN, **ARMS)
    assert result.label == "decreased"
    assert result.sentence is not None and result.sentence.startswith("At 6 weeks")
    assert WITHIN_THEN_BETWEEN[result.start : result.end] == result.sentence


def test_candidates_carry_what_the_rules_read():
    decisions = {s.text[:20]: c.decision for s, c in infer.candidate_sentences(WITHIN_THEN_BETWEEN, **ARMS)}
    assert decisions["Leg pain intensity f"] == "within_arm"
    assert decisions["At 6 weeks, leg pain"] == "direction"
    assert decisions["Leg pain intensity w"] == "none"


# PMID 99000901: two sentences report the same outcome with different results; the rules' relevance
# prefers the first (it holds all of the outcome's words).
TWO_READINGS = (
    "RESULTS: Morning stiffness duration was shorter with the gel than with placebo at week 2 (P = 0.01). "
    "In the tertiary analysis, stiffness did not differ between the groups (P = 0.40)."
)


def _selector_favouring(word: str) -> SentenceSelector:
    hashed = np.zeros(HASH_BUCKETS)
    hashed[hashed_ngrams(word)] = 10.0
    n = len(DENSE_FEATURES)
    return SentenceSelector(-5.0, np.zeros(n), np.zeros(n), np.ones(n), hashed)


def test_the_selector_decides_the_order_in_which_sentences_are_tried():
    prompt = {"intervention": "gel", "comparator": "placebo", "outcome": "morning stiffness duration"}
    rules = evidence.infer_result(TWO_READINGS, selector=None, **prompt)
    assert rules.label == "decreased" and rules.sentence is not None and rules.sentence.startswith("Morning")
    steered = evidence.infer_result(TWO_READINGS, selector=_selector_favouring("tertiary"), **prompt)
    assert steered.label == "no_difference" and steered.sentence is not None and steered.sentence.startswith("In the tertiary")
    # The confidence reads the rules' relevance, not the selector's boost.
    assert 0 < steered.confidence <= 1


def test_weights_round_trip_through_json():
    selector = _selector_favouring("tertiary")
    again = SentenceSelector.from_json(json.loads(json.dumps(selector.to_json())))
    candidates = infer.candidate_sentences(TWO_READINGS, intervention="gel", comparator="placebo",
                                           outcome="morning stiffness duration")
    assert np.allclose(selector.probabilities(candidates), again.probabilities(candidates), atol=1e-4)


def test_weights_for_other_features_are_refused_with_the_rebuild_command():
    data = load_shipped().to_json()  # type: ignore[union-attr]
    data["features"] = data["features"][:-1]
    with pytest.raises(InputError, match="rebuild them with benchmarks/train_selector.py"):
        SentenceSelector.from_json(data)


def test_shipped_weights_are_small_package_data():
    assert WEIGHTS_FILE.stat().st_size < 64_000
    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "extract/selector_weights.json" in pyproject["tool"]["setuptools"]["package-data"]["evidence"]
