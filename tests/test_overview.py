"""Corpus counts, the flow, the comparison tables and the gaps, on the invented fixture snapshot."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import evidence
from evidence.errors import InputError
from evidence.outputs.comparisons import (
    EVIDENCE_TABLE_COLUMNS, evidence_table, forest_sections, headline_table, undrawn_comparisons,
)
from evidence.synthesize.effects import z_critical
from evidence.outputs.gaps import evidence_gaps, gaps_markdown
from evidence.outputs.overview import (
    COUNT_DIMENSIONS, corpus_figure, corpus_flow, corpus_frame, counts_by, flow_figure, read_search_log,
    search_description,
)
from .first_topic import FIRST_TOPIC, synthesize

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT_SMALL = FIXTURES / "snapshot_small"
ESI = "epidural_steroid_injection"
FOCUS = FIRST_TOPIC.report.focus


@pytest.fixture(scope="module")
def snapshot_only(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return evidence.load(tmp_path_factory.mktemp("empty"), snapshot_folder=SNAPSHOT_SMALL)


@pytest.fixture(scope="module")
def with_store(store_dir) -> dict[str, pd.DataFrame]:
    return evidence.load(store_dir, snapshot_folder=SNAPSHOT_SMALL)


@pytest.fixture(scope="module")
def synthesis(snapshot_only):
    return synthesize(snapshot_only["studies"], snapshot_only["findings"])


def steps(flow) -> dict[str, int]:
    return {s.step: s.records for s in flow.steps}


def test_flow_on_the_snapshot_alone_says_there_were_no_query_hits(snapshot_only):
    flow = corpus_flow(corpus_frame(snapshot_only), FOCUS)
    counts = steps(flow)
    assert list(counts.values()) == [6, 6, 5, 4, 4]
    assert "No records from a PubMed query" in flow.steps[0].meaning
    # The guideline has no findings, so it leaves before "included", with its design named.
    assert flow.steps[2].excluded == (("no reported effect (guideline)", 1),)
    assert flow.steps[3].excluded == (("other comparators only", 1),)


def write_search_log(folder: Path) -> Path:
    """A search log in the snapshot's format: two dated parts, four query rows, two exclusions."""
    log = folder / "search_log"
    log.mkdir(parents=True)
    (log / "part-a.md").write_text(
        "# Log A\n\nDate: 2026-11-24. Tool: search.\n\n| # | corpus | query | found |\n|---|---|---|---|\n"
        "| 1 | pages | invented query one | trial X FOUND |\n| 2 | pages | invented query two | trial Y EXCLUDED (cervical) |\n"
        "| 3-4 | pages | invented query three | nothing |\n", encoding="utf-8")
    (log / "part-b.md").write_text(
        "Date: 2026-11-25.\n\n| 1 | pages | invented query four | review Z, not recorded (not sciatica) |\n"
        "Total: 4 look-ups, one EXCLUDED mention outside the table.\n", encoding="utf-8")
    return folder


def test_the_search_log_is_counted_into_the_flow(snapshot_only, tmp_path):
    log = read_search_log(write_search_log(tmp_path / "snapshot"))
    assert (log.dates, log.queries, log.excluded) == (("2026-11-24", "2026-11-25"), 4, 2)
    flow = corpus_flow(corpus_frame(snapshot_only), FOCUS, search_log=log)
    counts = list(steps(flow).values())
    assert counts == [8, 6, 5, 4, 4]  # two records found and left out at screening
    assert flow.steps[1].excluded[0] == ("left out at screening (search log)", 2)
    assert read_search_log(tmp_path / "no-such-folder").queries == 0


def test_search_description_gives_dates_counts_and_the_query(snapshot_only, tmp_path):
    folder = write_search_log(tmp_path / "snapshot")
    lines = search_description(snapshot_only, tmp_path / "empty-store", folder, query="(a) AND (b)")
    assert any("2026-11-24, 2026-11-25" in line and "4 logged queries" in line for line in lines)
    assert lines[-1].endswith("(a) AND (b)")
    nothing = search_description(evidence.load(tmp_path / "e", snapshot=False), tmp_path / "e", None, query="q")
    assert nothing[0].startswith("No search is recorded")


def test_flow_with_a_store_counts_retracted_and_unscreened_records(with_store):
    corpus = corpus_frame(with_store)
    flow = corpus_flow(corpus, FOCUS)
    assert steps(flow)["identified"] == 12  # 6 store records + 6 curated studies, none shared
    assert "6 records in the store" in flow.steps[0].meaning
    assert dict(flow.steps[1].excluded) == {
        "retracted": 1, "not screened yet (no studies row; run `evidence classify`)": 5}
    assert steps(flow)["screened and recorded"] == 6
    summary = flow.summary_frame()
    assert summary["records"].tolist() == [s.records for s in flow.steps]
    assert flow_figure(flow).data.equals(summary)


def test_flow_of_nothing(tmp_path):
    flow = corpus_flow(corpus_frame(evidence.load(tmp_path, snapshot=False)), FOCUS)
    assert set(steps(flow).values()) == {0}
    assert "Nothing to count" in flow.steps[0].meaning


def test_counts_add_up_and_missing_values_are_counted(with_store):
    corpus = corpus_frame(with_store)
    for dimension in ("year", "design", "country"):
        assert counts_by(corpus, dimension)["records"].sum() == len(corpus)
    design = counts_by(corpus, "design").set_index("design")["records"]
    assert design["not classified"] == 6 and design["randomised trial"] == 5 and design["guideline"] == 1
    years = counts_by(corpus, "year")
    assert years["year"].tolist() == sorted(years["year"]) and years["year"].iloc[0] == 1998
    comparators = counts_by(corpus, "comparator_class", FIRST_TOPIC).set_index("comparator_class")["records"]
    assert comparators["epidural steroid injection"] == 2 and comparators["not stated"] == 7  # 6 store records + the guideline
    # A curated study's own country wins over its journal's country of publication.
    row = corpus.set_index("record_id").loc["99000102"]
    assert (row["country"], row["country_source"]) == ("Exampleland", "study")
    assert corpus.set_index("record_id").loc["99000005", "country_source"] == "journal"
    with pytest.raises(InputError, match="unknown dimension"):
        counts_by(corpus, "colour")


def test_corpus_figure_draws_the_counts(with_store):
    corpus = corpus_frame(with_store)
    data = corpus_figure(corpus).data
    for dimension in COUNT_DIMENSIONS:
        drawn = data[data["dimension"] == dimension]
        assert drawn["records"].sum() == counts_by(corpus, dimension)["records"].sum()


def test_evidence_table_keeps_every_injection_finding_with_its_source(snapshot_only, synthesis):
    table = evidence_table(synthesis, snapshot_only["findings"], snapshot_only["studies"], topic=FIRST_TOPIC)
    assert tuple(table.columns) == EVIDENCE_TABLE_COLUMNS
    assert len(table) == 4
    findings = snapshot_only["findings"].set_index("source_url")
    assert set(table["source_url"]) == set(findings.index[findings["comparator_class"] != "sham"])
    by_study = table.set_index("study")
    assert by_study.loc["Alpha 2019", "p_value"] == "p = 0.05"
    assert by_study.loc["Delta 2022", "p_value"] == "p < 0.05"
    assert pd.isna(by_study.loc["Zeta 2018", "pmid"])
    assert (by_study.loc["Alpha 2019", ["estimate", "ci_low", "ci_high"]].astype(float).tolist() == [-0.8, -1.6, 0.0])
    # Readers' words, not codes; every study with a PMID links to PubMed.
    assert by_study.loc["Alpha 2019", "outcome"] == "leg pain (VAS)"
    assert by_study.loc["Alpha 2019", "intervention_form"] == "manual acupuncture"
    assert by_study.loc["Gamma 2021", "intervention_form"] == "electroacupuncture"
    assert by_study.loc["Alpha 2019", "link"] == "https://pubmed.ncbi.nlm.nih.gov/99000101/"
    assert by_study.loc["Alpha 2019", "design"] == "randomised trial"
    assert by_study.loc["Delta 2022", "direction_reported"] == "favours adding acupuncture"
    assert set(table["extraction"]) == {"curated"}
    with pytest.raises(InputError, match="row counts differ"):
        evidence_table(synthesis, snapshot_only["findings"].iloc[:2], snapshot_only["studies"], topic=FIRST_TOPIC)


def test_headline_table_shows_empty_comparisons(snapshot_only, synthesis):
    headline = headline_table(synthesis, snapshot_only["findings"], snapshot_only["studies"], topic=FIRST_TOPIC).set_index("comparison")
    h2h = headline.loc["acupuncture vs epidural steroid injection"]
    assert (h2h["studies"], h2h["randomised_trials"], h2h["participants_in_trials"], h2h["pooled_results"]) == (2, 2, 140, 1)
    empty = headline.loc["acupuncture + epidural steroid injection vs epidural steroid injection"]
    assert (empty["studies"], empty["certainty"], empty["studies_listed"]) == (0, "no evidence", "no studies")
    assert headline.loc["acupuncture vs other injection", "studies_listed"] == "Zeta 2018 (no PMID)"
    assert headline.loc["acupuncture vs epidural steroid injection", "outcomes"] == "leg pain (VAS)"
    assert headline.loc["acupuncture vs epidural steroid injection", "intervention_forms"] == "manual acupuncture, electroacupuncture"
    assert headline["could_not_be_traced"].sum() == 0


def test_forest_plot_numbers_equal_the_findings(snapshot_only, synthesis):
    section = next(s for s in forest_sections(synthesis, topic=FIRST_TOPIC) if s.comparator_class == ESI and s.design_kind == "head_to_head")
    (figure,) = section.figures
    drawn = figure.plot.data.set_index("label")
    findings = snapshot_only["findings"].set_index("study_id")
    reported = findings.loc["99000101"]
    assert drawn.loc["Alpha 2019 (4 weeks)", ["estimate", "ci_low", "ci_high"]].tolist() == [
        reported["estimate"], reported["ci_low"], reported["ci_high"]]
    arms = findings.loc["99000102"]
    md = arms["int_mean"] - arms["comp_mean"]
    se = math.sqrt(arms["int_sd"] ** 2 / arms["n_intervention"] + arms["comp_sd"] ** 2 / arms["n_comparator"])
    assert drawn.loc["Gamma 2021 (6 weeks)", ["estimate", "ci_low", "ci_high"]].tolist() == pytest.approx(
        [md, md - z_critical(0.95) * se, md + z_critical(0.95) * se])
    pooled = figure.plot.data[figure.plot.data["kind"] == "pooled"].iloc[0]
    assert (pooled["estimate"], pooled["ci_low"], pooled["ci_high"]) == pytest.approx(figure.group.pooled.reported())
    assert figure.caption == ("acupuncture vs epidural steroid injection, leg pain (VAS) (<=6 weeks): 2 studies, "
                              "pooled (REML), certainty " + figure.group.certainty.grade.replace("_", " "))


def test_only_comparisons_with_an_estimable_result_are_drawn(synthesis):
    sections = forest_sections(synthesis, topic=FIRST_TOPIC)
    drawn = {(s.comparator_class, s.design_kind) for s in sections}
    # ESI head-to-head has CIs; the add-on nerve-block trial states only "better" (no numbers); the other
    # comparisons have no study at all: neither is drawn as an empty box.
    assert (ESI, "head_to_head") in drawn
    assert ("nerve_block", "add_on") not in drawn and (ESI, "add_on") not in drawn
    for section in sections:
        for figure in section.figures:
            rows = figure.group.rows
            assert (rows["estimate"].notna() & rows["ci_low"].notna()).any()
    assert "acupuncture + nerve block vs nerve block" in undrawn_comparisons(synthesis, sections, topic=FIRST_TOPIC)
    assert "acupuncture vs epidural steroid injection" not in undrawn_comparisons(synthesis, sections, topic=FIRST_TOPIC)


def test_gaps_name_each_weakness(synthesis):
    gaps = evidence_gaps(synthesis, topic=FIRST_TOPIC)
    found = {(row.comparison, row.gap) for row in gaps.itertuples()}
    assert ("acupuncture vs nerve block", "no_studies") in found
    assert ("acupuncture + epidural steroid injection vs epidural steroid injection", "no_studies") in found
    add_on_block = "acupuncture + nerve block vs nerve block"
    assert {(add_on_block, g) for g in ("one_small_trial", "no_numbers", "unverified", "no_long_term")} <= found
    other = "acupuncture vs other injection"
    assert {(other, g) for g in ("one_small_trial", "effective_rate_only", "no_pmid", "unverified")} <= found
    # Two pooled trials with numbers: neither "one small trial" nor "no numbers" nor "not pooled".
    esi = {g for c, g in found if c == "acupuncture vs epidural steroid injection"}
    assert esi == {"no_long_term"}
    statement = gaps[(gaps["comparison"] == other) & (gaps["gap"] == "no_pmid")]["statement"].iloc[0]
    assert "Zeta 2018 (no PMID)" in statement
    markdown = gaps_markdown(gaps)
    assert markdown.count("**") == 2 * gaps["comparison"].nunique()


def test_gaps_of_an_empty_synthesis_list_every_comparison_as_missing(tmp_path):
    tables = evidence.load(tmp_path, snapshot=False)
    gaps = evidence_gaps(synthesize(tables["studies"], tables["findings"]), topic=FIRST_TOPIC)
    assert set(gaps["gap"]) == {"no_studies"} and len(gaps) == 6
