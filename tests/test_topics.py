"""Topics are data: `--topic` on every command, each topic's own snapshot, neutral tables, validation.

The fake topic (tests/fixtures/fake_topic/) is an invented treatment for an invented question,
built only from a topic file, a fixture snapshot and a PubMed XML fixture: no code names it.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import evidence
from evidence.cli import cli
from evidence.errors import TopicError
from evidence.tables.snapshot import check_snapshot, load_snapshot
from evidence.ingest.store import Store
from evidence.topic.model import available_topics, load_topic

from .conftest import FIXTURES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

FAKE = FIXTURES / "fake_topic"
FAKE_TOPIC = FAKE / "topic.toml"
FIRST_TOPIC_WORDS = re.compile(r"(?:acupunct|sciatic|nerve block|injection)\w*", re.IGNORECASE)
"""The first topic's words, which no other topic's report or verdict may name."""


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def page_text(path: Path) -> str:
    """An HTML page's visible text (no styles, scripts or inlined images)."""
    text = re.sub(r"<style.*?</style>|<script.*?</script>", " ", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def test_topics_command_lists_both_shipped_topics_with_their_snapshots():
    result = invoke("topics")
    assert result.exit_code == 0, result.output
    rows = {line.split("\t")[0]: line.split("\t") for line in result.output.splitlines()}
    assert set(rows) == set(available_topics()) >= {"acupuncture_sciatica", "epidural_steroid_sciatica"}
    for name, (_, shipped, title) in rows.items():
        assert shipped == "snapshot", name
        assert title == load_topic(name).title


def test_each_topic_loads_its_own_snapshot(tmp_path):
    first = evidence.load(tmp_path / "empty", topic="acupuncture_sciatica")
    esi = evidence.load(tmp_path / "empty", topic="epidural_steroid_sciatica")
    assert load_topic("epidural_steroid_sciatica").snapshot_folder.name == "epidural_steroid_sciatica"
    for tables, name in ((first, "acupuncture_sciatica"), (esi, "epidural_steroid_sciatica")):
        own = load_snapshot(load_topic(name).snapshot_folder)["studies"]
        assert len(own) and set(tables["studies"]["study_id"]) == set(own["study_id"])
    # The ESI snapshot's arm 1 is the injection; it is read under the neutral names.
    assert esi["findings"]["direction"].dropna().isin(["favours_intervention", "favours_comparator", "no_difference"]).all()


def test_snapshot_check_takes_a_topic():
    result = invoke("snapshot", "check", "--topic", "epidural_steroid_sciatica")
    assert result.exit_code == 0, result.output
    expected = len(load_snapshot(load_topic("epidural_steroid_sciatica").snapshot_folder)["studies"])
    assert f"snapshot ok: {expected} studies" in result.output


def test_fake_topic_end_to_end(tmp_path, monkeypatch):
    """Import, classify, report, claim and cite for a topic that exists only as files."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVIDENCE_DATA_DIR", raising=False)
    monkeypatch.delenv("EVIDENCE_SNAPSHOT_DIR", raising=False)
    spec = tomllib.loads(FAKE_TOPIC.read_text(encoding="utf-8"))
    topic = str(FAKE_TOPIC)
    data = tmp_path / f"data-{spec['name']}"  # each topic keeps its own store by default

    result = invoke("import", "--topic", topic, str(FAKE / "pubmed.xml"))
    assert result.exit_code == 0, result.output
    assert "2 new PMIDs" in result.output and data.is_dir()
    result = invoke("classify", "--topic", topic)
    assert result.exit_code == 0, result.output
    auto = Store(data).tables()["findings"]
    assert set(auto["pmid"]) == {"99000611", "99000612"}
    # The topic's own vocabulary told the comparators apart.
    assert set(auto["comparator_class"]) == {"sham", "drug"}
    assert "favours_intervention" in set(auto["direction"].dropna())

    result = invoke("report", "--topic", topic, "--out", "r")
    assert result.exit_code == 0, result.output
    index = page_text(tmp_path / "r" / "index.html")
    assert spec["report"]["title"] in index
    wording = spec["report"]["intervention"]
    assert f"{wording} vs sham" in index
    # A comparator class only this topic declares reaches the synthesis and the report.
    assert f"{wording} vs insoles" in index
    pages = " ".join(page_text(p) for p in (tmp_path / "r").glob("*.html"))
    # Nothing of the first topic leaks into another topic's report: its pages, and the tables
    # written beside them, name no acupuncture, sciatica, nerve block or injection.
    for name in sorted(p.name for p in (tmp_path / "r").glob("*.csv")):
        pages += " " + (tmp_path / "r" / name).read_text(encoding="utf-8-sig")
    assert not FIRST_TOPIC_WORDS.search(pages), re.search(r".{60}" + FIRST_TOPIC_WORDS.pattern + ".{60}", pages,
                                                          re.IGNORECASE).group(0)
    evidence_csv = pd.read_csv(tmp_path / "r" / "evidence_table.csv", encoding="utf-8-sig", dtype=str)
    assert {"99000601", "99000602", "99000603", "99000611"} <= set(evidence_csv["pmid"].dropna())

    claim = spec["report"]["example_claims"][0]  # against naproxen: the one trial found no difference
    result = invoke("claim", "--topic", topic, claim, "--json")
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.output)
    assert verdict["verdict"] == "not_supported"
    assert {i["pmid"] for i in verdict["evidence_neutral"]} >= {"99000603"}
    assert wording in verdict["supported_wording"]
    assert verdict["parsed"]["intervention"] == wording  # the topic's intervention, not a literal
    assert not re.search(r"acupunct|sciatica", json.dumps(verdict["reasons"]), re.IGNORECASE)
    text = invoke("claim", "--topic", topic, claim)
    assert text.exit_code == 0 and not FIRST_TOPIC_WORDS.search(text.output), text.output

    result = invoke("cite", "--topic", topic, "99000601", "99000611")
    assert result.exit_code == 0, result.output
    assert "PMID: 99000601" in result.output and "PMID: 99000611" in result.output


def test_esi_topic_report_builds_in_its_own_words(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVIDENCE_DATA_DIR", raising=False)
    monkeypatch.delenv("EVIDENCE_SNAPSHOT_DIR", raising=False)
    result = invoke("report", "--topic", "epidural_steroid_sciatica", "--out", "r")
    assert result.exit_code == 0, result.output
    index = page_text(tmp_path / "r" / "index.html")
    topic = load_topic("epidural_steroid_sciatica")
    assert topic.report.title in index
    assert "epidural steroid injection vs sham" in index
    # The first topic's words appear on no page of the ESI report (its notebooks and claims included).
    pages = " ".join(page_text(p) for p in (tmp_path / "r").glob("*.html"))
    assert len(list((tmp_path / "r").glob("*.html"))) == 4
    assert not re.search(r"acupunct", pages, re.IGNORECASE), re.search(r".{60}acupunct.{60}", pages, re.IGNORECASE).group(0)


def test_old_store_with_arm_one_named_acupuncture_is_read_with_neutral_names(tmp_path):
    """A store written before the rename (favours_acupuncture, n_acupuncture, acu_*) still reads."""
    store = Store(tmp_path / "data")
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    old = pd.DataFrame({
        "study_id": ["99000001"], "pmid": ["99000001"], "comparison": ["electroacupuncture vs epidural steroid injection"],
        "comparator_class": ["epidural_steroid_injection"], "outcome": ["leg_pain_vas"], "measure": ["MD"],
        "n_acupuncture": [50], "n_comparator": [50], "acu_mean": [3.1], "acu_sd": [1.2], "acu_events": [4],
        "comp_mean": [3.5], "comp_sd": [1.3], "lower_is_better": [True], "direction": ["favours_acupuncture"],
        "provenance": ["auto"],
    })
    store.add_tables({"findings": old})
    findings = Store(tmp_path / "data").tables()["findings"]
    assert not {"n_acupuncture", "acu_mean", "acu_sd", "acu_events"} & set(findings.columns)
    row = findings.iloc[0]
    assert (row["n_intervention"], row["int_mean"], row["int_sd"], row["int_events"]) == (50, 3.1, 1.2, 4)
    assert row["direction"] == "favours_intervention"
    loaded = evidence.load(tmp_path / "data", snapshot=False)["findings"]
    assert loaded.loc[loaded["pmid"] == "99000001", "int_mean"].iloc[0] == 3.1


def test_old_snapshot_rows_are_renamed_on_load(tmp_path):
    folder = tmp_path / "snapshot"
    shutil.copytree(FIXTURES / "snapshot_small", folder)
    rows = [json.loads(line) for line in (folder / "findings.jsonl").read_text(encoding="utf-8").splitlines() if line]
    renames = {"n_intervention": "n_acupuncture", "int_mean": "acu_mean", "int_sd": "acu_sd", "int_events": "acu_events"}
    old = [{renames.get(k, k): ("favours_acupuncture" if v == "favours_intervention" else v) for k, v in r.items()} for r in rows]
    (folder / "findings.jsonl").write_text("".join(json.dumps(r) + "\n" for r in old), encoding="utf-8")
    assert any(r["direction"] == "favours_acupuncture" for r in old)
    new = load_snapshot(folder)["findings"]
    expected = load_snapshot(FIXTURES / "snapshot_small")["findings"]
    pd.testing.assert_frame_equal(new, expected)


@pytest.mark.parametrize(("edit", "named"), [
    (lambda t: t.replace('[report]\ntitle = ', '[report]\nheadline = '), "report.title"),
    (lambda t: t.replace('focus = ["sham", "drug", "physiotherapy", "insoles"]', 'focus = "sham"'), "report.focus"),
    (lambda t: t.replace("[certainty]\ncondition", "[certainty]\nillness"), "certainty.condition"),
    (lambda t: re.sub(r'\n\[query\]\nintervention = .*\n', "\n[query]\n", t), "query.intervention"),
])
def test_a_bad_topic_file_is_one_error_naming_the_key_and_the_file(tmp_path, edit, named):
    bad = tmp_path / "bad_topic.toml"
    text = FAKE_TOPIC.read_text(encoding="utf-8")
    changed = edit(text)
    assert changed != text
    bad.write_text(changed, encoding="utf-8")
    with pytest.raises(TopicError) as caught:
        load_topic(bad)
    assert repr(named) in str(caught.value) and str(bad) in str(caught.value)
    result = CliRunner().invoke(cli, ["claim", "--topic", str(bad), "Lumen therapy works"])
    assert result.exit_code == 2  # bad input
    assert result.output.count("\n") == 1 and result.output.startswith("error: topic ")


def test_indirect_panel_sets_both_topics_against_their_controls_on_one_scale(tmp_path):
    from evidence.outputs.indirect import INDIRECT_LABEL, indirect_panel

    first = load_topic("acupuncture_sciatica")
    panel = indirect_panel(first, evidence.load(tmp_path / "empty", topic=first))
    assert panel is not None and panel.label == INDIRECT_LABEL
    assert "not evidence that one beats the other" in panel.label.lower()
    rows = panel.rows
    other = load_topic(first.section("report")["indirect"]["other_topic"])
    assert set(rows["treatment"]) == {first.report.intervention, other.report.intervention}
    assert set(rows["control"]) == {"sham"}
    # A 0-10 scale is brought to 0-100 by the topic's factor; 0-100 rows keep their numbers.
    esi = load_snapshot(other.snapshot_folder)["findings"]
    nrs = esi[(esi["outcome"] == "leg_pain_nrs") & (esi["comparator_class"] == "sham") & esi["ci_low"].notna()].iloc[0]
    shown = rows[(rows["pmid"] == nrs["pmid"]) & (rows["timepoint"] == nrs["timepoint"])].iloc[0]
    assert shown["ci_low"] == pytest.approx(nrs["ci_low"] * 10) and shown["md"] == pytest.approx(nrs["estimate"] * 10)
    assert rows["ci_low"].notna().all() and rows["source_url"].notna().all()
    # A topic without [report.indirect] has no panel.
    assert indirect_panel(other, evidence.load(tmp_path / "empty", topic=other)) is None


def test_the_claim_checker_never_uses_the_indirect_panel(tmp_path):
    from evidence.outputs.claims.check import check_claim
    from evidence.outputs.indirect import indirect_panel

    first = load_topic("acupuncture_sciatica")
    tables = evidence.load(tmp_path / "empty", topic=first)
    panel = indirect_panel(first, tables)
    injection_rows = panel.rows[panel.rows["treatment"] != first.report.intervention]
    assert len(injection_rows) >= 3
    verdict = check_claim("Acupuncture works better than epidural steroid injections for sciatica", tables, first)
    used = {i.pmid for group in (verdict.evidence_for, verdict.evidence_against, verdict.evidence_neutral,
                                 verdict.context) for i in group}
    assert not used & set(injection_rows["pmid"].dropna())
    # Injection-against-sham results say nothing about acupuncture against injections.
    assert verdict.verdict in ("insufficient_evidence", "not_supported")


def test_first_topic_report_shows_the_indirect_panel_apart(tmp_path, monkeypatch):
    from evidence.outputs.indirect import INDIRECT_LABEL

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("EVIDENCE_DATA_DIR", raising=False)
    monkeypatch.delenv("EVIDENCE_SNAPSHOT_DIR", raising=False)
    result = invoke("report", "--out", "r")
    assert result.exit_code == 0, result.output
    index = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert f"<h2>{INDIRECT_LABEL}</h2>" in index
    section = index.split(f"<h2>{INDIRECT_LABEL}</h2>", 1)[1].split("<h2>", 1)[0]
    assert "epidural steroid injection" in section and "acupuncture" in section


def test_fake_topic_declares_its_own_comparator_classes_and_forms():
    fake = load_topic(FAKE_TOPIC)
    assert fake.comparator_classes == ("sham", "drug", "physiotherapy", "insoles", "other_lumen", "none", "other")
    assert fake.reported_comparators == (*fake.report.focus, "other_lumen")
    assert fake.comparator_labels["insoles"] == "shoe insoles"
    assert fake.intervention_form_classes == ("other_lumen",)
    assert fake.blinded_control_classes == ("sham",) == fake.certainty_rules.blinded_controls
    assert fake.intervention_forms == ("pulsed_lumen", "lumen_unspecified")
    first = load_topic("acupuncture_sciatica")
    assert first.intervention_form_classes == ("other_acupuncture",)
    assert "insoles" not in first.comparator_classes


def test_snapshot_check_takes_the_topics_classes_forms_and_intervention(tmp_path):
    fake = load_topic(FAKE_TOPIC)
    assert check_snapshot(FAKE / "snapshot", fake) == []
    # Checked against the first topic, the fake topic's own class and form are unknown.
    problems = check_snapshot(FAKE / "snapshot", load_topic("acupuncture_sciatica"))
    assert any("comparator_class 'insoles'" in p for p in problems)
    assert any("intervention 'pulsed_lumen'" in p for p in problems)
    # A review's own grade names the comparison with the topic's intervention.
    folder = tmp_path / "snapshot"
    shutil.copytree(FAKE / "snapshot", folder)
    review = json.loads((folder / "studies.jsonl").read_text(encoding="utf-8").splitlines()[0])
    review.update(study_id="99000606", pmid="99000606", design="systematic_review", title="Invented review of lumen therapy")
    with (folder / "studies.jsonl").open("a", encoding="utf-8") as f:
        f.write(json.dumps(review) + "\n")
    grade = {"study_id": "99000606", "pmid": "99000606", "outcome": "heel_pain_nrs", "grade": "low",
             "source_url": "https://example.org/fake-topic/99000606", "note": "Invented."}
    rows = [{**grade, "comparison": "lumen therapy vs insoles"}, {**grade, "comparison": "acupuncture vs sham"}]
    (folder / "review_grades.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    problems = check_snapshot(folder, fake)
    assert len(problems) == 1 and "'acupuncture vs sham'" in problems[0] and "'lumen therapy'" in problems[0]


def test_the_evidence_map_names_classes_as_the_topic_labels_them(tmp_path):
    from evidence.outputs.plots import evidence_map
    from evidence.outputs.report import topic_synthesis

    fake = load_topic(FAKE_TOPIC)
    synthesis = topic_synthesis(evidence.load(tmp_path / "empty", topic=fake), fake)
    assert synthesis.comparators == fake.reported_comparators
    plot = evidence_map(synthesis, topic=fake)
    labels = [t.get_text() for t in plot.figure.axes[0].get_xticklabels()]
    # Its own class, with studies, and its class for another dose, empty but shown.
    assert "shoe insoles" in labels and "other lumen dose" in labels


def test_a_review_grade_recorded_for_the_second_topic_reaches_its_claims(tmp_path):
    """review_grades.jsonl rows name the topic's own intervention ("epidural steroid injection vs
    sham"); the claim checker finds them by the synthesis's label, not by a first-topic label."""
    from evidence.outputs.claims.check import check_claim

    topic = load_topic("epidural_steroid_sciatica")
    tables = evidence.load(tmp_path / "empty", topic=topic)
    grades = tables["review_grades"]
    assert (grades["comparison"] == "epidural steroid injection vs sham").any()
    claim = "Epidural steroid injections reduce leg pain more than sham injections"
    with_grades = check_claim(claim, tables, topic)
    without = check_claim(claim, {**tables, "review_grades": grades.iloc[0:0]}, topic)
    # The Cochrane review's own rating (moderate, leg pain vs placebo) lifts the certainty that the
    # trial-level grade alone (low) would give.
    assert (without.certainty, with_grades.certainty) == ("low", "moderate")


def test_report_tables_default_to_the_topics_focus_and_names(tmp_path):
    # No comparator classes, comparator names or form names of the first topic are assumed: the
    # tables are about the topic's report focus and say what the topic calls each class and form.
    from evidence.outputs.bottom_line import bottom_line
    from evidence.outputs.comparisons import evidence_table, headline_table
    from evidence.outputs.gaps import evidence_gaps
    from evidence.outputs.labels import comparator_names, direction_name
    from evidence.outputs.overview import corpus_frame, counts_by
    from evidence.outputs.report import topic_synthesis

    fake = load_topic(FAKE_TOPIC)
    tables = evidence.load(tmp_path / "empty", topic=fake)
    synthesis = topic_synthesis(tables, fake)
    studies, findings = tables["studies"], tables["findings"]
    focus = {c.replace("_", " ") for c in fake.report.focus}

    def compared_with(labels) -> set[str]:
        return {str(label).rsplit(" vs ", 1)[1] for label in labels}

    headline = headline_table(synthesis, findings, studies, topic=fake)
    assert compared_with(headline["comparison"]) == focus  # every focus class, even without studies
    assert compared_with(evidence_gaps(synthesis, topic=fake)["comparison"]) <= focus
    assert compared_with(p.comparison for p in bottom_line(synthesis, findings, studies, topic=fake)) == focus
    table = evidence_table(synthesis, findings, studies, topic=fake)
    assert set(table["intervention_form"]) == {"pulsed lumen therapy", "lumen therapy (form not stated)"}
    assert direction_name("favours_comparator", "insoles", "head_to_head", fake.report.intervention,
                          comparator_names(fake)) == "favours the shoe insoles"
    named = set(counts_by(corpus_frame(tables), "comparator_class", fake)["comparator_class"])
    assert "shoe insoles" in named and not FIRST_TOPIC_WORDS.search(" ".join(named))


def test_the_injection_topic_has_a_no_treatment_class_its_synthesis_reports(tmp_path):
    from evidence.outputs.plots import evidence_map
    from evidence.outputs.report import topic_synthesis

    esi = load_topic("epidural_steroid_sciatica")
    assert "no_treatment" in esi.comparator_classes and esi.comparator_labels["no_treatment"] == "no treatment"
    # The old home of "no-treatment group" (waiting list) no longer claims it.
    assert not any("treatment" in p for p in esi.comparator_patterns["waiting_list"])
    synthesis = topic_synthesis(evidence.load(tmp_path / "empty", topic=esi), esi)
    assert "no_treatment" in synthesis.comparators
    plot = evidence_map(synthesis, topic=esi)
    assert "no treatment" in [t.get_text() for t in plot.figure.axes[0].get_xticklabels()]
