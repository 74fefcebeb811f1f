"""Comparison tables and pooling rules on small frames built here through evidence.tables.schema.conform."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evidence.errors import SynthesisError
from evidence.synthesize.pooling import pool
from evidence.tables.schema import FINDINGS, STUDIES, conform
from evidence.synthesize.synthesis import ROW_COLUMNS, comparison_rows, timepoint_window
from .first_topic import synthesize

ESI = "epidural_steroid_injection"


def study(pmid: str, design: str = "rct", **extra) -> dict:
    base = {"pmid": pmid, "authors": [f"Author{pmid} AB"], "year": 2000 + int(pmid) % 100, "design": design,
            "population": "sciatica due to lumbar disc herniation", "n_randomized": 200, "verified": True,
            "provenance": "curated"}
    return {**base, **extra}


def finding(pmid: str, comparator: str = ESI, add_on: bool | None = False, outcome: str = "leg_pain_vas",
            weeks: float | None = 4, measure: str = "MD", **extra) -> dict:
    base = {"pmid": pmid, "comparator_class": comparator, "add_on": add_on, "outcome": outcome,
            "timepoint": None if weeks is None else f"{weeks:g} weeks", "timepoint_weeks": weeks, "measure": measure,
            "lower_is_better": True, "provenance": "curated"}
    return {**base, **extra}


def tables(studies: list[dict], findings: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return conform(pd.DataFrame(studies), STUDIES), conform(pd.DataFrame(findings), FINDINGS)


def md(estimate: float, low: float, high: float) -> dict:
    return {"estimate": estimate, "ci_low": low, "ci_high": high}


@pytest.mark.parametrize(("weeks", "window"), [
    (0.5, "<=6 weeks"), (6, "<=6 weeks"), (6.5, "6-26 weeks"), (26, "6-26 weeks"), (27, ">26 weeks"),
    (None, "timepoint not stated"), (float("nan"), "timepoint not stated"),
])
def test_timepoint_windows(weeks, window):
    assert timepoint_window(weeks) == window


def test_rows_keep_reported_numbers_and_compute_from_arms():
    studies, findings = tables(
        [study("1"), study("2"), study("3")],
        [finding("1", measure="RR", outcome="responder", lower_is_better=False, estimate=1.5, ci_low=1.2, ci_high=1.9),
         finding("2", measure="mean_per_arm", int_mean=3.1, int_sd=1.5, n_intervention=40,
                 comp_mean=3.9, comp_sd=1.7, n_comparator=40),
         finding("3", measure="responder_rate", outcome="responder", lower_is_better=False,
                 int_events=30, n_intervention=50, comp_events=20, n_comparator=50)],
    )
    rows = comparison_rows(studies, findings).set_index("pmid")
    assert list(comparison_rows(studies, findings).columns) == list(ROW_COLUMNS)
    reported = rows.loc["1"]
    assert (reported["estimate"], reported["ci_low"], reported["ci_high"]) == (1.5, 1.2, 1.9)
    assert reported["yi"] == pytest.approx(math.log(1.5))
    assert reported["effect_source"] == "reported estimate and CI"
    assert reported["direction_from_numbers"] == "favours_intervention"
    means = rows.loc["2"]
    assert (means["measure"], means["reported_measure"]) == ("MD", "mean_per_arm")
    assert means["estimate"] == pytest.approx(-0.8)
    assert means["vi"] == pytest.approx(1.5**2 / 40 + 1.7**2 / 40)
    assert means["n"] == 80
    events = rows.loc["3"]
    assert events["measure"] == "RR"
    assert events["estimate"] == pytest.approx(1.5)  # 30/50 over 20/50
    assert events["events"] == 50


def test_row_without_ci_or_arm_data_says_why():
    studies, findings = tables([study("1")], [finding("1", estimate=-1.0, p_value_text="<0.05")])
    row = comparison_rows(studies, findings).iloc[0]
    assert row["estimate"] == -1.0
    assert pd.isna(row["yi"])
    assert "cannot be weighted" in row["row_note"]


def test_direction_from_numbers_can_disagree_with_reported_direction():
    studies, findings = tables([study("1")], [finding("1", direction="favours_intervention", **md(1.0, 0.2, 1.8))])
    row = comparison_rows(studies, findings).iloc[0]
    assert row["direction"] == "favours_intervention"
    assert row["direction_from_numbers"] == "favours_comparator"


def test_two_trials_sharing_everything_are_pooled():
    studies, findings = tables([study("1"), study("2")],
                               [finding("1", **md(-1.2, -2.0, -0.4)), finding("2", weeks=6, **md(-0.6, -1.4, 0.2))])
    result = synthesize(studies, findings)
    group = result.group(ESI, "leg_pain_vas")
    assert group.reason is None
    expected = pool(group.rows["yi"].astype(float), group.rows["vi"].astype(float), method="REML")
    assert group.pooled.estimate == pytest.approx(expected.estimate)
    assert group.pooled.k == 2
    summary = result.summary_frame()
    row = summary[summary["comparator_class"] == ESI].iloc[0]
    assert row["pooled"] and row["k"] == 2 and row["n"] == 400
    assert row["estimate"] == pytest.approx(expected.estimate)


def test_add_on_designs_are_kept_apart_from_head_to_head():
    studies, findings = tables([study("1"), study("2")],
                               [finding("1", add_on=False, **md(-1.0, -2.0, 0.0)),
                                finding("2", add_on=True, **md(-1.5, -2.5, -0.5))])
    result = synthesize(studies, findings)
    head = result.group(ESI, "leg_pain_vas", add_on=False)
    add = result.group(ESI, "leg_pain_vas", add_on=True)
    assert head.k == add.k == 1
    assert head.pooled is None and add.pooled is None
    assert "Only one study" in head.reason
    assert add.summary_frame().loc[0, "comparison_label"] == (
        "acupuncture + epidural steroid injection vs epidural steroid injection")


def test_different_time_windows_are_not_pooled():
    studies, findings = tables([study("1"), study("2")],
                               [finding("1", weeks=4, **md(-1.0, -2.0, 0.0)), finding("2", weeks=12, **md(-1.5, -2.5, -0.5))])
    result = synthesize(studies, findings)
    assert all(g.pooled is None for g in result.groups)
    assert {g.key["window"] for g in result.groups} == {"<=6 weeks", "6-26 weeks"}


def test_trials_are_not_pooled_with_observational_studies():
    studies, findings = tables([study("1"), study("2", design="cohort")],
                               [finding("1", **md(-1.0, -2.0, 0.0)), finding("2", **md(-1.5, -2.5, -0.5))])
    result = synthesize(studies, findings)
    assert sorted(g.key["design_group"] for g in result.groups) == ["observational", "randomised_trial"]
    assert all(g.pooled is None for g in result.groups)


def test_review_estimates_are_never_re_pooled():
    studies, findings = tables([study("1", design="meta_analysis"), study("2", design="systematic_review")],
                               [finding("1", **md(-1.0, -2.0, 0.0)), finding("2", **md(-1.5, -2.5, -0.5))])
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas", design_group="review")
    assert group.k == 2
    assert group.pooled is None
    assert "never re-pooled" in group.reason
    assert group.certainty.grade == "not_graded"


def test_a_study_counts_once_per_window():
    studies, findings = tables(
        [study("1"), study("2")],
        [finding("1", weeks=2, **md(-3.0, -4.0, -2.0)), finding("1", weeks=4, **md(-1.0, -2.0, 0.0)),
         finding("2", weeks=4, **md(-1.5, -2.5, -0.5))],
    )
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas")
    assert group.pooled.k == 2
    used = group.rows[group.rows["in_pool"]]
    assert sorted(zip(used["pmid"], used["timepoint_weeks"])) == [("1", 4.0), ("2", 4.0)]
    dropped = group.rows[~group.rows["in_pool"]].iloc[0]
    assert "same study" in dropped["row_note"]


def test_no_weightable_effect_gives_a_reason():
    studies, findings = tables([study("1"), study("2")],
                               [finding("1", estimate=-1.0), finding("2", estimate=-2.0)])
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas")
    assert group.pooled is None
    assert group.reason.startswith("No study reports a confidence interval")


def test_disagreeing_scale_direction_blocks_pooling():
    studies, findings = tables([study("1"), study("2")],
                               [finding("1", **md(-1.0, -2.0, 0.0)),
                                finding("2", lower_is_better=False, **md(-1.5, -2.5, -0.5))])
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas")
    assert group.pooled is None
    assert "lower scores are better" in group.reason


def test_comparators_without_studies_are_reported_as_no_evidence():
    studies, findings = tables([study("1")], [finding("1", **md(-1.0, -2.0, 0.0))])
    summary = synthesize(studies, findings).summary_frame()
    nerve_block = summary[summary["comparator_class"] == "nerve_block"].iloc[0]
    assert nerve_block["certainty"] == "no_evidence"
    assert nerve_block["k"] == 0
    assert "nerve block" in nerve_block["reason"]
    assert nerve_block["comparison_label"] == "acupuncture vs nerve block"  # the topic's intervention names it
    assert ESI not in set(summary.loc[summary["certainty"] == "no_evidence", "comparator_class"])


def test_group_lookup_is_explicit():
    studies, findings = tables([study("1"), study("2")],
                               [finding("1", weeks=4, **md(-1.0, -2.0, 0.0)), finding("2", weeks=12, **md(-1.5, -2.5, -0.5))])
    result = synthesize(studies, findings)
    with pytest.raises(SynthesisError, match="2 groups match"):
        result.group(ESI, "leg_pain_vas")
    assert result.group(ESI, "leg_pain_vas", window="6-26 weeks").k == 1
    empty = result.group("nerve_block", "leg_pain_vas")
    assert empty.k == 0 and empty.certainty.grade == "no_evidence"


def test_curated_study_rows_win_over_automatic_rows():
    studies, findings = tables(
        [study("1", design="cohort", provenance="auto", verified=False), study("1", design="rct")],
        [finding("1", **md(-1.0, -2.0, 0.0))],
    )
    row = comparison_rows(studies, findings).iloc[0]
    assert (row["design"], row["design_group"]) == ("rct", "randomised_trial")


def test_comparator_class_falls_back_to_the_study_when_unambiguous():
    studies, findings = tables([study("1", comparator_class=["sham"], add_on=False)],
                               [finding("1", comparator=None, add_on=None, **md(-1.0, -2.0, 0.0))])
    row = comparison_rows(studies, findings).iloc[0]
    assert (row["comparator_class"], row["design_kind"]) == ("sham", "head_to_head")


def test_unknown_method_is_refused():
    studies, findings = tables([study("1")], [finding("1", **md(-1.0, -2.0, 0.0))])
    with pytest.raises(SynthesisError, match="unknown pooling method"):
        synthesize(studies, findings, method="PM")


def test_findings_without_a_study_row_are_not_pooled():
    studies, findings = tables([], [finding("8", **md(-1.0, -2.0, 0.0)), finding("9", **md(-1.5, -2.5, -0.5))])
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas", design_group=None)
    assert group.key["design_group"] == "unknown"
    assert group.pooled is None
    assert "design of these studies is not known" in group.reason
    assert group.rows["label"].tolist() == ["PMID 8", "PMID 9"]


def test_unsupported_measure_with_ci_says_arm_data_are_needed():
    studies, findings = tables([study("1")], [finding("1", measure="responder_rate", **md(0.6, 0.5, 0.7))])
    row = comparison_rows(studies, findings).iloc[0]
    assert pd.isna(row["yi"])
    assert "arm data are needed" in row["row_note"]


def test_package_comparisons_are_kept_apart_and_never_pooled():
    studies, findings = tables(
        [study("11"), study("12"), study("13"), study("14")],
        [finding("11", comparator="nerve_block", package=True, **md(-1.5, -2.5, -0.5)),
         finding("12", comparator="nerve_block", package=True, **md(-1.0, -2.0, 0.0)),
         finding("13", comparator="nerve_block", **md(-0.5, -1.5, 0.5)),
         finding("14", comparator="nerve_block", **md(-0.7, -1.6, 0.2))],
    )
    groups = {g.key["design_kind"]: g for g in synthesize(studies, findings).groups if g.key["comparator_class"] == "nerve_block"}
    assert set(groups) == {"package", "head_to_head"}
    assert groups["package"].pooled is None and "package" in groups["package"].reason
    assert groups["package"].k == 2
    assert groups["head_to_head"].pooled is not None and groups["head_to_head"].k == 2
    summary = groups["package"].summary_frame().iloc[0]
    assert summary["comparison_label"].startswith("treatment package including acupuncture")


def test_single_arm_safety_data_are_not_comparisons():
    studies, findings = tables(
        [study("21", design="cohort"), study("22", design="cohort")],
        [finding("21", comparator=ESI, add_on=None, intervention="none", outcome="vasovagal", measure="percent"),
         finding("22", comparator="none", intervention="manual", outcome="adverse_events", measure="percent")],
    )
    labels = {g.summary_frame().iloc[0]["comparison_label"]: g for g in synthesize(studies, findings).groups if g.k}
    assert set(labels) == {"epidural steroid injection: studies without an acupuncture arm",
                           "acupuncture alone (single arm, no comparator)"}
    assert all(g.pooled is None and "without a comparison with acupuncture" in g.reason for g in labels.values())


def test_outcomes_outside_the_vocabulary_are_shown_apart_and_never_pooled():
    # Two trials with the same words for an outcome the topic has no key for, a third with other
    # words, and one on a vocabulary outcome: each "other" outcome keeps its words, none is pooled,
    # and none joins the vocabulary outcome's group.
    studies, findings = tables(
        [study("1"), study("2"), study("3"), study("4")],
        [finding("1", outcome="other", outcome_text="procedure time", provenance="auto", **md(-4.0, -6.0, -2.0)),
         finding("2", outcome="other", outcome_text="procedure time", provenance="auto", **md(-3.0, -5.0, -1.0)),
         finding("3", outcome="other", outcome_text="sleep quality", provenance="auto", **md(-1.0, -2.0, 0.0)),
         finding("4", **md(-1.2, -2.0, -0.4))])
    result = synthesize(studies, findings)
    rows = result.rows.set_index("pmid")
    assert rows.loc["1", "outcome"] == "other: procedure time" and rows.loc["1", "outcome_text"] == "procedure time"
    assert rows.loc["3", "outcome"] == "other: sleep quality"
    other = [g for g in result.groups if g.key["outcome"].startswith("other")]
    assert sorted(g.key["outcome"] for g in other) == ["other: procedure time", "other: sleep quality"]
    assert all(g.pooled is None and "outside the topic's vocabulary" in g.reason for g in other)
    assert result.group(ESI, "leg_pain_vas").k == 1
    # Without the rule, the two "procedure time" trials would share everything and be pooled.
    assert next(g for g in other if g.key["outcome"] == "other: procedure time").k == 2


def test_outcome_outside_the_vocabulary_is_named_by_its_words_and_marked():
    from evidence.outputs.labels import outcome_name
    name = outcome_name("other: procedure time", {})
    assert name.startswith("procedure time") and "machine-extracted" in name and "outside the topic's vocabulary" in name
