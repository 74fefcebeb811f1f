"""The store: raw archive, manifest, latest-wins merging, atomic table writes."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from evidence.errors import InputError, ParseError
from evidence.store import Store

from .conftest import FIXTURES


def test_import_keeps_raw_files_and_writes_tables(tmp_path):
    store = Store(tmp_path / "data")
    result = store.import_files([FIXTURES / "pubmed_sample.xml", FIXTURES / "sample.nbib"])
    assert result.new_pmids == 8 and result.total_pmids == 8
    entries = store.manifest()
    assert [e["source"] for e in entries] == ["pubmed_sample.xml", "sample.nbib"]
    assert [e["records"] for e in entries] == [6, 2]
    for e in entries:
        assert (store.raw_dir / e["path"]).read_bytes() == (FIXTURES / e["source"]).read_bytes()
        assert len(e["sha256"]) == 64 and e["time"]
    tables = store.tables()
    assert sorted(tables["articles"]["pmid"]) == sorted(
        ["99000001", "99000002", "99000003", "99000004", "99000005", "99000006", "99000101", "99000102"]
    )
    assert list((tmp_path / "data" / "tables" / "articles").glob("*.parquet"))
    assert set(tables["articles"]["source"]) == {"pubmed_sample.xml", "sample.nbib"}


def test_importing_again_adds_nothing(tmp_path):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    before = store.tables()
    again = store.import_files([FIXTURES / "pubmed_sample.xml"])
    assert again.files_added == [] and again.new_pmids == 0
    assert len(store.manifest()) == 1
    after = store.tables()
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])


def test_latest_version_wins_and_deletions_apply(tmp_path):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    store.import_files([FIXTURES / "pubmed_update.xml"])
    t = store.tables()
    arts = t["articles"].set_index("pmid")
    assert "99000005" not in arts.index  # DeleteCitation
    assert arts.loc["99000002", "title"].endswith("(corrected title).")
    assert arts.loc["99000002", "source"] == "pubmed_update.xml"
    au = t["authors"]
    assert au[au["pmid"] == "99000002"]["last_name"].tolist() == ["Chen", "Li"]  # no rows of the old version
    assert (t["articles"]["pmid"].value_counts() == 1).all()


def test_rebuild_derives_the_same_tables_from_raw(tmp_path):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    store.import_files([FIXTURES / "pubmed_update.xml", FIXTURES / "sample.nbib"])
    incremental = store.tables()
    shutil.rmtree(store.root / ".tables")
    (store.root / "tables").unlink()
    store.rebuild_tables()
    rebuilt = store.tables()
    for name, df in incremental.items():
        key = ["pmid"] + [c for c in ("position", "descriptor", "publication_type", "id_type", "value", "ref_type") if c in df]
        a = df.sort_values(key).reset_index(drop=True)
        b = rebuilt[name].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, obj=name)


def test_a_bad_file_among_good_ones_changes_nothing(tmp_path):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    before = store.tables()
    manifest = store.manifest_path.read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_text("<PubmedArticleSet><PubmedArticle>", encoding="utf-8")
    with pytest.raises(ParseError):
        store.import_files([FIXTURES / "sample.nbib", bad])
    assert store.manifest_path.read_bytes() == manifest
    after = store.tables()
    pd.testing.assert_frame_equal(before["articles"], after["articles"])
    with pytest.raises(InputError, match="no such file"):
        store.import_files([tmp_path / "missing.nbib"])


def test_a_crash_while_writing_tables_leaves_the_old_tables_whole(tmp_path, monkeypatch):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    before = store.tables()
    calls = {"n": 0}
    real = pd.DataFrame.to_parquet

    def crash_on_third_table(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # what Ctrl-C raises mid-write
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", crash_on_third_table)
    with pytest.raises(KeyboardInterrupt):
        store.import_files([FIXTURES / "sample.nbib"])
    monkeypatch.undo()
    after = store.tables()
    assert set(after) == set(before)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name])
    # No half-written generation is left behind, and the next import succeeds.
    assert len(list((tmp_path / ".tables").iterdir())) == 1
    store.import_files([FIXTURES / "sample.nbib"])
    assert len(store.tables()["articles"]) == 8


def test_json_helpers_round_trip_and_report_damage(tmp_path):
    store = Store(tmp_path)
    store.write_json_atomic("raw/run/manifest.json", {"a": 1})
    assert store.read_json("raw/run/manifest.json") == {"a": 1}
    assert store.read_json("raw/none.json") is None
    (tmp_path / "raw" / "run" / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(Exception, match="damaged"):
        store.read_json("raw/run/manifest.json")


def test_add_raw_is_idempotent(tmp_path):
    store = Store(tmp_path)
    data = (FIXTURES / "pubmed_sample.xml").read_bytes()
    assert store.add_raw("fetch-1/batch-0001.xml", data, source="fetch:1", records=6)
    assert not store.add_raw("fetch-1/batch-0001.xml", data, source="fetch:1", records=6)
    assert [json.dumps(e["path"]) for e in store.manifest()] == ['"fetch-1/batch-0001.xml"']
    store.rebuild_tables()
    assert len(store.tables()["articles"]) == 6
