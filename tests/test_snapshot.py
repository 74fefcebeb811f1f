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
from evidence.tables.snapshot import check_snapshot, load_snapshot, snapshot_dir
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
