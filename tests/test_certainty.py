"""GRADE-style certainty: starting level, each rating-down domain, and the empty case."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evidence.tables.schema import FINDINGS, STUDIES, conform
from .first_topic import grade_certainty, synthesize


def build(n_studies: int, *, comparator: str = "sham", design: str = "rct", n: int = 300, outcome: str = "leg_pain_vas",
          population: str = "sciatica with radicular leg pain", verified: bool = True, notes: str | None = None,
          effects=None, ci_half_width: float = 0.5):
    effects = effects if effects is not None else [-1.0] * n_studies
    studies = pd.DataFrame([{"pmid": str(i), "authors": [f"A{i} B"], "year": 2010 + i, "design": design,
                             "population": population, "n_randomized": n, "verified": verified, "notes": notes,
                             "provenance": "curated"} for i in range(1, n_studies + 1)])
    hw = np.broadcast_to(ci_half_width, (n_studies,))
    findings = pd.DataFrame([{"pmid": str(i), "comparator_class": comparator, "add_on": False, "outcome": outcome,
                              "timepoint_weeks": 4.0, "timepoint": "4 weeks", "measure": "MD", "estimate": e,
                              "ci_low": e - h, "ci_high": e + h, "lower_is_better": True, "provenance": "curated"}
                             for i, (e, h) in enumerate(zip(effects, hw), start=1)])
    result = synthesize(conform(studies, STUDIES), conform(findings, FINDINGS))
    return result.group(comparator, outcome, design_group=None)


def test_large_consistent_sham_controlled_trials_are_high():
    group = build(3)
    assert group.pooled is not None
    assert group.certainty.grade == "high"
    assert group.certainty.reasons[0] == "Randomised trials: certainty starts at high."
    assert dict(group.certainty.downgrades) == {"risk_of_bias": 0, "inconsistency": 0, "indirectness": 0,
                                                 "imprecision": 0, "publication_bias": 0}


def test_unblinded_small_unverified_trials_are_rated_down_twice_for_risk_of_bias():
    group = build(3, comparator="epidural_steroid_injection", n=60, verified=False)
    downgrades = dict(group.certainty.downgrades)
    assert downgrades["risk_of_bias"] == 2
    assert any("No sham control" in r for r in group.certainty.reasons)
    assert any("small studies" in r for r in group.certainty.reasons)
    assert downgrades["imprecision"] == 1  # 180 participants
    assert group.certainty.grade == "very_low"


def test_single_centre_trials_named_in_notes_count_as_risk_of_bias():
    group = build(3, notes="Single-centre trial in Beijing")
    assert dict(group.certainty.downgrades)["risk_of_bias"] == 1
    assert group.certainty.grade == "moderate"


def test_effective_rate_and_non_sciatica_population_are_indirect():
    group = build(3, outcome="effective_rate", population="chronic low back pain")
    assert dict(group.certainty.downgrades)["indirectness"] == 2
    assert any("effective rate" in r for r in group.certainty.reasons)
    assert any("sciatica-specific" in r for r in group.certainty.reasons)


def test_heterogeneity_rates_down_by_i2():
    very = build(3, effects=[-3.0, 0.0, 3.0], ci_half_width=0.3)
    assert very.pooled.i2 > 75
    assert dict(very.certainty.downgrades)["inconsistency"] == 2
    some = build(2, effects=[-1.0, -0.45], ci_half_width=0.45)
    assert 50 < some.pooled.i2 <= 75
    assert dict(some.certainty.downgrades)["inconsistency"] == 1


def test_large_heterogeneity_in_one_direction_rates_down_once():
    same_way = build(3, effects=[-4.0, -2.0, -0.8], ci_half_width=0.3)
    assert same_way.pooled.i2 > 75
    assert dict(same_way.certainty.downgrades)["inconsistency"] == 1
    assert any("point the same way" in r for r in same_way.certainty.reasons)


def test_ci_crossing_no_effect_is_imprecise():
    group = build(2, effects=[-0.2, 0.1])
    assert any("includes no effect" in r for r in group.certainty.reasons)
    assert dict(group.certainty.downgrades)["imprecision"] == 1


def test_publication_bias_is_tested_only_from_ten_studies():
    few = build(3)
    assert any("not tested" in r for r in few.certainty.reasons)
    half_widths = np.linspace(0.1, 1.5, 12)
    # larger (less precise) studies report larger benefits: a small-study effect
    asymmetric = build(12, effects=list(-0.5 - 2.0 * half_widths + np.tile([0.02, -0.02], 6)), ci_half_width=half_widths)
    assert asymmetric.pooled.k == 12
    assert dict(asymmetric.certainty.downgrades)["publication_bias"] == 1
    assert any("Egger" in r for r in asymmetric.certainty.reasons)


def test_observational_evidence_starts_low():
    group = build(3, design="cohort")
    assert group.certainty.reasons[0].startswith("Non-randomised studies")
    assert group.certainty.grade == "low"


def test_single_study_is_graded_from_its_own_interval():
    group = build(1, effects=[-0.2])
    assert group.pooled is None
    assert any("includes no effect" in r for r in group.certainty.reasons)
    assert any("Few participants" in r for r in group.certainty.reasons)


def test_no_rows_means_no_evidence():
    empty = pd.DataFrame(columns=["pmid"])
    certainty = grade_certainty(empty, None, "randomised_trial")
    assert certainty.grade == "no_evidence"
    assert certainty.reasons
    assert certainty.summary_frame().loc[0, "grade"] == "no_evidence"


def test_which_controls_are_blinded_is_the_topics_word():
    # The first topic marks its sham class as a blinded control: sham-controlled trials are not
    # rated down for it. A topic that marks no class (or names its blinded class otherwise) is
    # read as it says, not by the class name "sham".
    import dataclasses

    from evidence.synthesize.certainty import grade_certainty as grade
    from .first_topic import FIRST_TOPIC

    rules = FIRST_TOPIC.certainty_rules
    assert rules.blinded_controls == ("sham",)
    group = build(3)
    assert dict(group.certainty.downgrades)["risk_of_bias"] == 0
    unmarked = grade(group.rows, group.pooled, "randomised_trial", dataclasses.replace(rules, blinded_controls=()))
    assert dict(unmarked.downgrades)["risk_of_bias"] == 1
    assert any("No sham control" in r for r in unmarked.reasons)
    other = grade(group.rows, group.pooled, "randomised_trial", dataclasses.replace(rules, blinded_controls=("placebo_pill",)))
    assert dict(other.downgrades)["risk_of_bias"] == 1
    assert dataclasses.replace(rules, blinded_controls=()).key != rules.key  # cached syntheses tell them apart
