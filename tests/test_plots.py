"""Forest plots and evidence maps: the numbers drawn equal the findings; empty input says so."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from matplotlib.patches import Polygon

from evidence.outputs.plots import NO_STUDIES, evidence_map, forest_plot
from evidence.tables.schema import FINDINGS, STUDIES, conform
from .first_topic import FIRST_TOPIC, synthesize

ESI = "epidural_steroid_injection"


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    studies = pd.DataFrame([
        {"pmid": p, "authors": [f"{name} J"], "year": year, "design": "rct", "population": "sciatica",
         "n_randomized": 120, "verified": True, "provenance": "curated"}
        for p, name, year in (("11", "Smith", 2018), ("12", "Li", 2020), ("13", "Chen", 2021), ("14", "Park", 2022))
    ])
    findings = pd.DataFrame([
        {"pmid": "11", "comparator_class": ESI, "add_on": False, "outcome": "leg_pain_vas", "timepoint": "4 weeks",
         "timepoint_weeks": 4.0, "measure": "MD", "estimate": -1.2, "ci_low": -2.0, "ci_high": -0.4,
         "lower_is_better": True, "provenance": "curated"},
        {"pmid": "12", "comparator_class": ESI, "add_on": False, "outcome": "leg_pain_vas", "timepoint": "6 weeks",
         "timepoint_weeks": 6.0, "measure": "MD", "estimate": -0.3, "ci_low": -1.1, "ci_high": 0.5,
         "lower_is_better": True, "provenance": "curated"},
        {"pmid": "13", "comparator_class": "drug", "add_on": False, "outcome": "responder", "timepoint": "8 weeks",
         "timepoint_weeks": 8.0, "measure": "RR", "estimate": 1.4, "ci_low": 1.1, "ci_high": 1.8,
         "lower_is_better": False, "provenance": "curated"},
        {"pmid": "14", "comparator_class": ESI, "add_on": True, "outcome": "leg_pain_vas", "timepoint": "4 weeks",
         "timepoint_weeks": 4.0, "measure": "MD", "estimate": -0.9, "ci_low": -1.6, "ci_high": -0.2,
         "lower_is_better": True, "provenance": "curated"},
    ])
    return conform(studies, STUDIES), conform(findings, FINDINGS)


def draw(group):
    """A forest plot labelled with the first topic's words (its intervention and comparator names)."""
    return forest_plot(group, intervention=FIRST_TOPIC.report.intervention, topic=FIRST_TOPIC)


def texts(figure) -> str:
    found = [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]
    return "\n".join(found)


def test_forest_numbers_equal_the_findings(tables):
    studies, findings = tables
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas")
    plot = draw(group)
    drawn = plot.data[plot.data["kind"] == "study"].set_index("pmid")
    source = findings.set_index("pmid").loc[["11", "12"]]
    for column in ("estimate", "ci_low", "ci_high"):
        assert drawn.loc[["11", "12"], column].tolist() == source[column].astype(float).tolist()
    assert drawn["weight_percent"].sum() == pytest.approx(100)
    assert drawn.loc["11", "label"] == "Smith 2018 (4 weeks)"
    pooled = plot.data[plot.data["kind"] == "pooled"].iloc[0]
    assert (pooled["estimate"], pooled["ci_low"], pooled["ci_high"]) == pytest.approx(group.pooled.reported())
    assert len([p for p in plot.figure.axes[0].patches if isinstance(p, Polygon)]) == 1
    ax = plot.figure.axes[0]
    assert ax.get_xlabel().splitlines()[1].startswith("\u2190 favours acupuncture")
    assert any(line.get_xdata()[0] == 0.0 for line in ax.get_lines())  # the no-effect line


def test_unpooled_group_has_no_diamond_and_says_why(tables):
    studies, findings = tables
    group = synthesize(studies, findings).group(ESI, "leg_pain_vas", add_on=True)
    plot = draw(group)
    assert "pooled" not in set(plot.data["kind"])
    assert not [p for p in plot.figure.axes[0].patches if isinstance(p, Polygon)]
    assert "Not pooled: Only one study" in texts(plot.figure)
    assert "acupuncture + epidural steroid injection vs epidural steroid injection" in plot.figure.axes[0].get_title()
    assert "favours the epidural steroid injection alone" in plot.figure.axes[0].get_xlabel()


def test_ratio_forest_uses_log_axis_and_benefit_side(tables):
    studies, findings = tables
    plot = draw(synthesize(studies, findings).group("drug", "responder"))
    ax = plot.figure.axes[0]
    assert ax.get_xscale() == "log"
    assert plot.data.loc[0, ["estimate", "ci_low", "ci_high"]].tolist() == [1.4, 1.1, 1.8]
    assert ax.get_xlabel().splitlines()[1].startswith("\u2190 favours the drug treatment")
    assert any(line.get_xdata()[0] == 1.0 for line in ax.get_lines())


def test_empty_comparison_says_no_studies(tables):
    studies, findings = tables
    plot = draw(synthesize(studies, findings).group("nerve_block", "leg_pain_vas"))
    assert NO_STUDIES in texts(plot.figure)
    assert plot.data.empty
    plot.figure.savefig(io.BytesIO(), format="png")


def test_evidence_map_counts_studies_and_shows_empty_comparators(tables):
    studies, findings = tables
    plot = evidence_map(synthesize(studies, findings), topic=FIRST_TOPIC)
    counts = {(r.comparator_class, r.outcome): r.n_studies for r in plot.data.itertuples()}
    assert counts == {(ESI, "leg_pain_vas"): 3, ("drug", "responder"): 1}
    x_labels = [t.get_text() for t in plot.figure.axes[0].get_xticklabels()]
    y_labels = [t.get_text() for t in plot.figure.axes[0].get_yticklabels()]
    assert "nerve block" in x_labels and "leg pain (VAS)" in y_labels  # names from the topic, not codes
    assert min(t.get_fontsize() for t in plot.figure.axes[0].get_xticklabels() + plot.figure.axes[0].get_yticklabels()) >= 10
    buffer = io.BytesIO()
    plot.figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_evidence_map_of_nothing_says_no_studies():
    empty = synthesize(conform(pd.DataFrame(), STUDIES), conform(pd.DataFrame(), FINDINGS))
    plot = evidence_map(empty)
    assert NO_STUDIES in texts(plot.figure)
    assert plot.data.empty


def test_estimate_without_ci_is_drawn_hollow_and_labelled(tables):
    studies, findings = tables
    findings.loc[findings["pmid"] == "13", ["ci_low", "ci_high"]] = pd.NA
    plot = draw(synthesize(studies, findings).group("drug", "responder"))
    row = plot.data.iloc[0]
    assert row["estimate"] == 1.4 and pd.isna(row["ci_low"])
    assert "no CI reported" in texts(plot.figure)
    assert "Not pooled: No study reports a confidence interval" in texts(plot.figure)


def test_each_row_shows_its_estimate_and_ci_as_text(tables):
    studies, findings = tables
    plot = draw(synthesize(studies, findings).group(ESI, "leg_pain_vas"))
    shown = texts(plot.figure)
    assert "Estimate [95% CI]" in shown
    assert "-1.20 [-2.00, -0.40]" in shown and "-0.30 [-1.10, 0.50]" in shown
    pooled = plot.data[plot.data["kind"] == "pooled"].iloc[0]
    assert f"{pooled['estimate']:.2f} [{pooled['ci_low']:.2f}, {pooled['ci_high']:.2f}]" in shown


def test_the_not_pooled_note_does_not_overlap_the_axis_label(tables):
    studies, findings = tables
    plot = draw(synthesize(studies, findings).group(ESI, "leg_pain_vas", add_on=True))
    figure = plot.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ax = figure.axes[0]
    note = next(t for t in ax.texts if t.get_text().startswith("Not pooled"))
    label_box, note_box = ax.xaxis.label.get_window_extent(renderer), note.get_window_extent(renderer)
    tick_boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
    assert note_box.y1 <= label_box.y0  # below the label, not on it
    assert not any(note_box.overlaps(box) for box in tick_boxes)


def test_machine_extracted_rows_are_labelled_on_the_plot(tables):
    studies, findings = tables
    findings.loc[findings["pmid"] == "12", "provenance"] = "auto"
    plot = draw(synthesize(studies, findings).group(ESI, "leg_pain_vas"))
    labels = plot.data.set_index("pmid")["label"]
    assert "machine-extracted, not verified" in labels["12"]
    assert "machine-extracted" not in labels["11"]
