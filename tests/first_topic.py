"""The first topic's synthesis, for tests whose rows are the first topic's (acupuncture for sciatica).

``synthesize`` and ``grade_certainty`` take the topic's certainty rules and comparator classes
with no default, so that no code path assumes a topic; these tests state theirs here.
"""

from __future__ import annotations

import pandas as pd

from evidence.synthesize import certainty, synthesis
from evidence.topic.model import load_topic

FIRST_TOPIC = load_topic("acupuncture_sciatica")


def synthesize(studies: pd.DataFrame, findings: pd.DataFrame, **options) -> synthesis.Synthesis:
    """:func:`evidence.synthesize.synthesis.synthesize` with the first topic's rules and comparator classes."""
    options = {"rules": FIRST_TOPIC.certainty_rules, "comparators": FIRST_TOPIC.reported_comparators, **options}
    return synthesis.synthesize(studies, findings, **options)


def grade_certainty(rows: pd.DataFrame, pooled, design_group: str | None) -> certainty.Certainty:
    """:func:`evidence.synthesize.certainty.grade_certainty` with the first topic's rules."""
    return certainty.grade_certainty(rows, pooled, design_group, FIRST_TOPIC.certainty_rules)
