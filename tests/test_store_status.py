"""``evidence status`` verifies the store, says what is wrong and how to repair it; ``rebuild`` repairs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence.cli import cli
from evidence.ingest.store import Store

from .conftest import FIXTURES


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "data"
    store = Store(folder)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    store.import_files([FIXTURES / "sample.nbib"])
    return folder


def status(data: Path):
    return CliRunner().invoke(cli, ["status", "--data-dir", str(data)])


def rebuild(data: Path):
    return CliRunner().invoke(cli, ["rebuild", "--data-dir", str(data)])


def assert_broken(data: Path, expected: str) -> None:
    result = status(data)
    assert result.exit_code == 1, result.output
    assert expected in result.stderr
    assert result.stderr.strip().splitlines()[-1].endswith("run `evidence rebuild` to repair the store from its raw files")
    assert "Traceback" not in result.output


def assert_repaired(data: Path) -> None:
    result = rebuild(data)
    assert result.exit_code == 0, result.output
    after = status(data)
    assert after.exit_code == 0, after.output
    assert "8 records from 2 raw file(s)" in after.stdout


def test_a_whole_store_passes(data):
    result = status(data)
    assert result.exit_code == 0 and "8 records from 2 raw file(s)" in result.stdout


def test_a_dangling_tables_link(data):
    shutil.rmtree(Store(data).generation())
    assert_broken(data, "which does not exist")
    assert_repaired(data)


def test_tables_as_a_plain_folder(data):
    (data / "tables").unlink()
    (data / "tables").mkdir()
    (data / "tables" / "articles.parquet").write_bytes(b"not parquet")
    assert_broken(data, "is a plain folder")
    assert_repaired(data)
    assert list(data.glob("tables.moved-*"))  # moved aside, not deleted


def test_manifest_lines_that_are_not_objects(data):
    for path in (Store(data).generation() / "manifest.jsonl", data / "raw" / "manifest.jsonl"):
        path.write_text(path.read_text() + '"a string"\n[1, 2]\n', encoding="utf-8")
    assert_broken(data, "is not a JSON object")
    assert_repaired(data)


def test_the_data_dir_a_symlink_loop(tmp_path):
    loop = tmp_path / "loop"
    os.symlink(loop, loop)
    result = status(loop)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1  # no `rebuild` advice: it cannot help
    assert "is a symlink loop" in result.stderr and "make it a folder" in result.stderr
    result = rebuild(loop)  # nothing to repair from: one line, non-zero
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "symlink loop" in result.stderr


def test_an_unlisted_raw_file_is_listed_again(data):
    extra = data / "raw" / "imports"
    digest_named = next(extra.glob("*-sample.nbib"))
    shutil.copy(FIXTURES / "pubmed_update.xml", extra / "0123456789ab-update.xml")  # name and hash disagree
    assert_broken(data, "not listed in the manifest")
    result = rebuild(data)
    assert result.exit_code == 0 and "lost+found" in result.stderr
    assert (data / "lost+found" / "imports" / "0123456789ab-update.xml").exists()
    assert digest_named.exists()
    assert status(data).exit_code == 0


def test_a_missing_or_changed_raw_file(data):
    store = Store(data)
    victim = store.raw_dir / store.manifest()[1]["path"]
    original = victim.read_bytes()
    victim.write_bytes(original + b"\n")
    assert_broken(data, "has changed since it was stored")
    victim.unlink()
    assert_broken(data, "is listed in the manifest but missing")
    assert rebuild(data).exit_code == 1  # refuses to drop records silently; restoring the file repairs
    victim.write_bytes(original)
    assert status(data).exit_code == 0


def test_a_step_left_half_done(data):
    (data / ".journal.json").write_text('{"step": "import", "generation": "nope", "raw": []}', encoding="utf-8")
    assert_broken(data, "interrupted import was left half done")
    assert_repaired(data)
