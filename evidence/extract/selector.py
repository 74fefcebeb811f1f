"""A learned sentence selector: how likely a sentence is to be the one that reports an outcome's result.

The rules of ``evidence.extract.infer`` label a sentence well once they have the right one; most of
their misses on real abstracts come from choosing the wrong sentence (a within-arm change, a
secondary outcome, a conclusion). This module scores each candidate sentence with a small linear
model (logistic regression) over features a reader would name: the rules' own relevance score and
its rank, the outcome's and the arms' words in the sentence, the section, the position, p-values,
intervals, words of comparison and of change within an arm, and hashed word pairs of the sentence.

The weights are package data (``selector_weights.json``), trained on the development split of
Evidence Inference 2.0 only, by ``benchmarks/train_selector.py``. Scoring needs numpy only.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import result_cues as cues
from ..errors import InputError
from .text import Sentence

HASH_BUCKETS = 4096
"""Hashed word n-gram buckets (crc32 of the n-gram, modulo this)."""
WEIGHTS_FILE = Path(__file__).resolve().parent / "selector_weights.json"

_RESULT = cues.RESULT_SECTIONS
_NON_RESULT = cues.NON_RESULT_SECTIONS

DENSE_FEATURES = (
    "relevance", "relevance_rank_1", "relevance_rank_2", "relevance_rank_3plus", "relevance_gap_to_best",
    "outcome_share", "intervention_named", "comparator_named", "both_arms_named",
    "section_result", "section_conclusion", "section_non_result", "section_title", "section_none",
    "position", "is_last", "is_first_of_section",
    "p_value", "ci", "significant_word", "no_difference_word", "than", "between_arms", "within_arm",
    "from_to", "both_arms_changed", "aim", "baseline", "log_length", "numbers",
    *(f"decision_{d}" for d in ("none", "within_arm", "weak", "untested", "no_difference", "direction")),
)
DECISIONS = ("none", "within_arm", "weak", "untested", "no_difference", "direction")
"""What the rules read in a sentence: nothing, a change within the arms, a significant difference
with no direction, a direction with no test, no difference, a tested direction."""


@dataclass(frozen=True)
class Candidate:
    """What the selector reads about one sentence, besides its words.

    Attributes
    ----------
    relevance:
        The rules' relevance score of the sentence for the outcome.
    rank:
        Its 0-based rank by relevance in the abstract.
    best_relevance:
        The best relevance of any sentence in the abstract.
    outcome_share:
        Share of the outcome's words the sentence holds.
    sides:
        The arms the sentence names (``"intervention"``, ``"comparator"``).
    index, count:
        The sentence's position in the abstract and the number of sentences.
    first_of_section:
        Whether it opens its section.
    decision:
        What the rules read in it, one of ``DECISIONS``.
    """

    relevance: float
    rank: int
    best_relevance: float
    outcome_share: float
    sides: frozenset[str]
    index: int
    count: int
    first_of_section: bool
    decision: str


def dense_features(sentence: Sentence, c: Candidate) -> list[float]:
    """The hand features of a sentence, in the order of ``DENSE_FEATURES``."""
    text = sentence.text
    section = (sentence.section or "").upper()
    conclusion = "CONCLUSION" in section or "INTERPRETATION" in section
    return [
        c.relevance, float(c.rank == 0), float(c.rank == 1), float(c.rank >= 2), c.best_relevance - c.relevance,
        c.outcome_share, float("intervention" in c.sides), float("comparator" in c.sides), float(len(c.sides) == 2),
        float(any(k in section for k in _RESULT) and not conclusion), float(conclusion),
        float(any(k in section for k in _NON_RESULT)), float(section == "TITLE"), float(not section),
        c.index / max(1, c.count - 1), float(c.index == c.count - 1), float(c.first_of_section),
        float(bool(cues.P_VALUE.search(text))), float(bool(cues.CI.search(text))), float(bool(cues.SIGNIFICANT.search(text))),
        float(bool(cues.NO_DIFFERENCE.search(text))), float(bool(cues.THAN.search(text))),
        float(bool(cues.BETWEEN_ARMS.search(text))), float(bool(cues.WITHIN_ARM.search(text))),
        float(bool(cues.FROM_TO.search(text))), float(bool(cues.BOTH_ARMS.search(text))), float(bool(cues.AIM.search(text))),
        float("baseline" in text.lower()), math.log1p(len(text)) / 6, min(len(_DIGITS.findall(text)), 20) / 10,
        *(float(c.decision == d) for d in DECISIONS),
    ]


_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def hashed_ngrams(text: str) -> list[int]:
    """Buckets of the sentence's words and word pairs (numbers folded to one token)."""
    words = ["#" if w.isdigit() else w for w in cues.WORD.findall(text.lower())]
    grams = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    return sorted({zlib.crc32(g.encode()) % HASH_BUCKETS for g in grams})


class SentenceSelector:
    """A linear scorer of candidate sentences: ``bias + dense . w_dense + sum of hashed weights``."""

    def __init__(self, bias: float, dense: np.ndarray, mean: np.ndarray, scale: np.ndarray, hashed: np.ndarray):
        if dense.shape != (len(DENSE_FEATURES),) or hashed.shape != (HASH_BUCKETS,):
            raise InputError("selector weights do not match the features of this version: rebuild them with "
                             "benchmarks/train_selector.py (its write option; see the README)")
        self.bias = bias
        self.dense = dense
        self.mean = mean
        self.scale = scale
        self.hashed = hashed

    def probabilities(self, candidates: list[tuple[Sentence, Candidate]]) -> np.ndarray:
        """The modelled probability that each sentence reports the outcome's result (one array op
        for all of an abstract's candidates: per-sentence numpy calls would halve the engine's speed)."""
        if not candidates:
            return np.zeros(0)
        x = (np.array([dense_features(s, c) for s, c in candidates]) - self.mean) / self.scale
        z = self.bias + x @ self.dense + np.array([self.hashed[hashed_ngrams(s.text)].sum() for s, _ in candidates])
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def probability(self, sentence: Sentence, candidate: Candidate) -> float:
        """The modelled probability that ``sentence`` reports the outcome's result."""
        return float(self.probabilities([(sentence, candidate)])[0])

    def to_json(self) -> dict:
        """The weights as plain lists (rounded: the file stays small and diffs stay readable)."""
        return {"features": list(DENSE_FEATURES), "hash_buckets": HASH_BUCKETS, "bias": round(self.bias, 5),
                "dense": [round(float(v), 5) for v in self.dense], "mean": [round(float(v), 5) for v in self.mean],
                "scale": [round(float(v), 5) for v in self.scale], "hashed": [round(float(v), 4) for v in self.hashed]}

    @classmethod
    def from_json(cls, data: dict) -> SentenceSelector:
        """A selector from :meth:`to_json` output."""
        if data.get("features") != list(DENSE_FEATURES) or data.get("hash_buckets") != HASH_BUCKETS:
            raise InputError("selector weights were trained on other features: rebuild them with "
                             "benchmarks/train_selector.py (its write option; see the README)")
        return cls(float(data["bias"]), np.asarray(data["dense"], dtype=float), np.asarray(data["mean"], dtype=float),
                   np.asarray(data["scale"], dtype=float), np.asarray(data["hashed"], dtype=float))


def load_shipped() -> SentenceSelector | None:
    """The selector shipped with the package, or None when its weights file is absent."""
    if not WEIGHTS_FILE.exists():
        return None
    return SentenceSelector.from_json(json.loads(WEIGHTS_FILE.read_text(encoding="utf-8")))
