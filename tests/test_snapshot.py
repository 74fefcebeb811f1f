"""The embedded snapshot: its checks, and how it joins the store in evidence.load."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import evidence
from evidence.cli import cli
from evidence.errors import SnapshotError
from evidence.tables.schema import FINDINGS, STUDIES, validate
from evidence.tables.snapshot import (
    FINDING_KEYS, STUDY_KEYS, check_snapshot, load_snapshot, snapshot_dir, snapshot_warnings,
)
from evidence.tables.snapshot_counts import NO_CLASS, counts_markdown, snapshot_counts
from evidence.topic.model import load_topic
from evidence.ingest.store import Store

from .conftest import FIXTURES


def test_shipped_snapshot_passes_its_check():
    assert check_snapshot() == []
    tables = load_snapshot()
    assert validate(tables["studies"], STUDIES) == []
    assert validate(tables["findings"], FINDINGS) == []
    assert (tables["studies"]["provenance"] == "curated").all()


def test_snapshot_check_command():
    result = CliRunner().invoke(cli, ["snapshot", "check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("snapshot ok: ")


@pytest.fixture
def snapshot_copy(tmp_path) -> Path:
    folder = tmp_path / "snap"
    folder.mkdir()
    for name in ("studies.jsonl", "findings.jsonl"):
        shutil.copy(snapshot_dir() / name, folder / name)
    return folder


def rewrite(path: Path, line: int, **changes) -> None:
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    rows[line].update(changes)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


@pytest.mark.parametrize(
    "file, changes, message",
    [
        ("studies.jsonl", {"source_urls": []}, "needs at least one source URL"),
        ("studies.jsonl", {"pmid": "123456789", "study_id": "123456789"}, "must be 1 to 8 digits"),
        ("studies.jsonl", {"doi": "not-a-doi"}, "is not of the form 10.NNNN/suffix"),
        ("studies.jsonl", {"year": 1820}, "implausible year 1820"),
        ("studies.jsonl", {"design": "anecdote"}, "design 'anecdote' is not one of"),
        ("studies.jsonl", {"comparator_class": ["magic"]}, "comparator_class 'magic'"),
        ("findings.jsonl", {"source_url": None}, "needs a source_url"),
        ("findings.jsonl", {"study_id": "ref:nowhere", "pmid": None}, "has no row in studies.jsonl"),
        ("findings.jsonl", {"estimate": 5.0, "ci_low": 1.0, "ci_high": 2.0}, "lies outside its CI"),
        ("findings.jsonl", {"direction": "favours_nobody"}, "direction 'favours_nobody'"),
    ],
)
def test_check_finds_each_kind_of_problem(snapshot_copy, file, changes, message):
    rewrite(snapshot_copy / file, 0, **changes)
    problems = check_snapshot(snapshot_copy)
    assert any(message in p for p in problems), problems
    with pytest.raises(SnapshotError, match="snapshot check failed"):
        load_snapshot(snapshot_copy)


def test_duplicate_pmids_and_unknown_keys_are_reported(snapshot_copy):
    rows = [json.loads(x) for x in (snapshot_copy / "studies.jsonl").read_text(encoding="utf-8").splitlines()]
    with_pmid = [r for r in rows if r["pmid"]]
    rows.append(dict(with_pmid[0]))
    rows[1]["surprise"] = 1
    (snapshot_copy / "studies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    problems = check_snapshot(snapshot_copy)
    assert any("unknown ['surprise']" in p for p in problems)
    del rows[1]["surprise"]
    (snapshot_copy / "studies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    problems = check_snapshot(snapshot_copy)
    assert f"studies.jsonl: duplicate PMID {with_pmid[0]['pmid']}" in problems


def test_check_command_lists_problems_and_fails(snapshot_copy):
    rewrite(snapshot_copy / "studies.jsonl", 0, source_urls=[])
    rewrite(snapshot_copy / "findings.jsonl", 0, source_url=None)
    result = CliRunner().invoke(cli, ["snapshot", "check", "--folder", str(snapshot_copy)], catch_exceptions=False)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) >= 2


def test_load_joins_snapshot_and_store_with_fetched_fields_winning(tmp_path, snapshot_copy):
    # A stored record with the same PMID as a curated study replaces its bibliographic row,
    # while the curated study and findings stay.
    studies = [json.loads(x) for x in (snapshot_copy / "studies.jsonl").read_text(encoding="utf-8").splitlines()]
    target = next(r for r in studies if r["pmid"])
    xml = (FIXTURES / "pubmed_sample.xml").read_text(encoding="utf-8").replace("99000001", target["pmid"])
    path = tmp_path / "fetched.xml"
    path.write_text(xml, encoding="utf-8")
    Store(tmp_path / "data").import_files([path])
    tables = evidence.load(tmp_path / "data", snapshot_folder=snapshot_copy)
    arts = tables["articles"].set_index("pmid")
    assert arts.loc[target["pmid"], "source"] == "fetched.xml"
    assert arts.loc[target["pmid"], "title"].startswith("Electroacupuncture versus transforaminal")
    assert "99000002" in arts.index  # the store's other records are there too
    others = [r["pmid"] for r in studies if r["pmid"] and r["pmid"] != target["pmid"]]
    assert (arts.loc[others, "source"] == "snapshot").all()
    st = tables["studies"].set_index("study_id")
    assert st.loc[target["pmid"], "provenance"] == "curated"
    assert len(tables["findings"]) == len((snapshot_copy / "findings.jsonl").read_text(encoding="utf-8").splitlines())


def test_load_without_snapshot_is_the_store_alone(tmp_path):
    Store(tmp_path).import_files([FIXTURES / "sample.nbib"])
    tables = evidence.load(tmp_path, snapshot=False)
    assert sorted(tables["articles"]["pmid"]) == ["99000101", "99000102"]
    assert tables["studies"].empty and tables["findings"].empty


# --------------------------------------------------------------------------------------------
# Small snapshots of our own (fake PMIDs 99000000 and up): the checks added for issue 15
# --------------------------------------------------------------------------------------------

def _study(**values) -> dict:
    """A valid study row: every snapshot key, lists empty, the rest null, then ``values``."""
    lists = {c.name for c in STUDIES.columns if c.dtype == "list"}
    row = {k: [] if k in lists else None for k in STUDY_KEYS}
    row.update(study_id="99000001", pmid="99000001", title="A made-up trial", design="rct", verified=False,
               source_urls=["https://pubmed.ncbi.nlm.nih.gov/99000001/"], interventions=["manual"],
               comparator_class=["nerve_block"], comparators=["nerve block"])
    row.update(values)
    return row


def _finding(**values) -> dict:
    row = {k: None for k in FINDING_KEYS}
    row.update(study_id="99000001", pmid="99000001", comparison="manual acupuncture vs nerve block",
               intervention="manual", comparator_class="nerve_block", outcome="pain_vas",
               source_url="https://pubmed.ncbi.nlm.nih.gov/99000001/")
    row.update(values)
    return row


def tiny_snapshot(folder: Path, studies: list[dict], findings: list[dict] = ()) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (("studies.jsonl", studies), ("findings.jsonl", findings)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return folder


ACUPUNCTURE = load_topic("acupuncture_sciatica")


def test_tiny_snapshot_passes(tmp_path):
    folder = tiny_snapshot(tmp_path / "s", [_study()], [_finding()])
    assert check_snapshot(folder, topic=ACUPUNCTURE) == []
    assert snapshot_warnings(folder) == []


@pytest.mark.parametrize("notes", ["PMID seen on a mirror only; not verified.", "Title unverified.",
                                   "Verified=false until the PMID is seen.", "The result could not be confirmed."])
def test_a_verified_row_whose_notes_say_otherwise_is_flagged(tmp_path, notes):
    folder = tiny_snapshot(tmp_path / "s", [_study(verified=True, notes=notes)])
    problems = check_snapshot(folder)
    assert len(problems) == 1 and "verified is true but the notes say" in problems[0], problems
    # The same notes on an unverified row are what the notes are for.
    tiny_snapshot(folder, [_study(verified=False, notes=notes)])
    assert check_snapshot(folder) == []


def test_notes_about_a_side_detail_do_not_unverify_a_row(tmp_path):
    notes = "Registration number probably NCT99000001 - link not confirmed; PMID, title and result seen."
    folder = tiny_snapshot(tmp_path / "s", [_study(verified=True, notes=notes)])
    assert check_snapshot(folder) == []


def test_a_form_of_acupuncture_as_comparator_must_be_classed_as_such(tmp_path):
    # Hydro-acupuncture is an injection into acupoints: a form of acupuncture, never acupuncture
    # against an injection.
    study = _study(interventions=["manual"], comparators=["hydro-acupuncture (acupoint injection)"],
                   comparator_class=["other_injection"])
    finding = _finding(comparison="manual acupuncture vs hydro-acupuncture", comparator_class="other_injection")
    folder = tiny_snapshot(tmp_path / "s", [study], [finding])
    problems = check_snapshot(folder, topic=ACUPUNCTURE)
    assert [p.split(":")[0] for p in problems] == ["studies.jsonl", "findings.jsonl"], problems
    assert "(acupoint_injection)" in problems[0] and "other_acupuncture" in problems[1]
    # Without the topic the check cannot know what the intervention's forms are.
    assert check_snapshot(folder) == []
    # Classed as another form of the intervention, it passes.
    tiny_snapshot(folder, [dict(study, comparator_class=["other_acupuncture"])],
                  [dict(finding, comparator_class="other_acupuncture")])
    assert check_snapshot(folder, topic=ACUPUNCTURE) == []


@pytest.mark.parametrize("comparator, klass", [
    ("sham acupuncture", "sham"),                       # claimed by sham, not a form
    ("acupuncture + nerve block", "nerve_block"),       # a combined arm: the add-on design
    ("usual care (acupuncture assessed as add-on)", "usual_care"),
    ("epidural steroid injection", "epidural_steroid_injection"),
])
def test_comparators_that_are_not_forms_of_acupuncture_pass(tmp_path, comparator, klass):
    folder = tiny_snapshot(tmp_path / "s", [_study(comparators=[comparator], comparator_class=[klass])],
                           [_finding(comparison=f"manual acupuncture vs {comparator}", comparator_class=klass)])
    assert check_snapshot(folder, topic=ACUPUNCTURE) == []


def test_a_topic_that_marks_no_forms_skips_the_form_check(tmp_path):
    epidural = load_topic("epidural_steroid_sciatica")
    assert epidural.intervention_form_classes == ()
    assert ACUPUNCTURE.intervention_form_classes == ("other_acupuncture",)
    study = _study(comparators=["transforaminal local anaesthetic"], comparator_class=["other_injection"],
                   interventions=["transforaminal"])
    assert check_snapshot(tiny_snapshot(tmp_path / "s", [study]), topic=epidural) == []


def test_bare_ip_sources_are_warnings_not_errors(tmp_path):
    mirror = "http://47.251.13.51:8081/99000001"
    folder = tiny_snapshot(tmp_path / "s", [_study(source_urls=[mirror, mirror])],
                           [_finding(source_url="http://10.0.0.7/record?id=1"),
                            _finding(source_url="https://10.0.0.7.example.org/x")])
    assert check_snapshot(folder) == []
    warnings = snapshot_warnings(folder)
    assert len(warnings) == 2, warnings  # one per row and URL; a host name with digits is not an IP
    assert warnings[0].startswith(f"studies.jsonl:1: source {mirror} is on a bare IP address")
    assert warnings[1].startswith("findings.jsonl:1: source http://10.0.0.7/record?id=1")
    result = CliRunner().invoke(cli, ["snapshot", "check", "--folder", str(folder)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("snapshot ok: 1 studies")
    assert result.stderr.count("warning: ") == 2


@pytest.mark.parametrize("topic", ["acupuncture_sciatica", "epidural_steroid_sciatica"])
def test_shipped_snapshots_pass_with_their_topics(topic):
    t = load_topic(topic)
    assert check_snapshot(t.snapshot_folder, topic=t) == []
    result = CliRunner().invoke(cli, ["snapshot", "check", "--topic", topic], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_counts_by_design_and_comparator(tmp_path):
    studies = [_study(),
               _study(study_id="99000002", pmid="99000002", verified=True, comparator_class=["sham", "drug"]),
               _study(study_id="ref:a-guideline", pmid=None, design="guideline", comparator_class=[])]
    after = snapshot_counts(tiny_snapshot(tmp_path / "after", studies))
    design = after["design"]
    assert design.loc["rct"].tolist() == [2, 1, 2]
    assert design.loc["guideline"].tolist() == [1, 0, 0]
    assert design.index[-1] == "all" and design.loc["all"].tolist() == [3, 1, 2]
    assert after["comparator"]["rows"].to_dict() == {"nerve_block": 1, "sham": 1, "drug": 1, NO_CLASS: 1}
    before = snapshot_counts(tiny_snapshot(tmp_path / "before", studies[:1]))
    table = counts_markdown(after, before)
    assert "| rct | 2 (1) | 1 (0) | 2 (1) |" in table
    assert "| guideline | 1 (0) | 0 (0) | 0 (0) |" in table
    assert "| sham | 1 (0) |" in table
    result = CliRunner().invoke(cli, ["snapshot", "counts", "--folder", str(tmp_path / "after"),
                                      "--before", str(tmp_path / "before")], catch_exceptions=False)
    assert result.exit_code == 0 and result.output == table


def test_counts_of_a_folder_without_studies_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["snapshot", "counts", "--folder", str(tmp_path)])
    assert result.exit_code != 0
    assert "studies.jsonl: missing" in result.output and "Traceback" not in result.output
