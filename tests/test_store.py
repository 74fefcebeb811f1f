"""The store: raw archive, manifest, latest-wins merging, atomic table writes."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from evidence.errors import InputError, ParseError
from evidence.ingest.status import verify_store
from evidence.ingest.store import Store, merge_tables

from .conftest import FIXTURES
from .store_helpers import assert_same_tables, pmids_of, records_file


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


# -- incremental store ---------------------------------------------------------------------------


def full_rebuild(store: Store) -> dict[str, pd.DataFrame]:
    store.rebuild_tables()
    return store.tables()


def test_incremental_imports_equal_a_full_rebuild(tmp_path):
    """Imports in turn (new PMIDs, replaced PMIDs, a deletion) give the same tables as one rebuild."""
    store = Store(tmp_path / "data")
    files = [
        records_file(tmp_path / "a.xml", 99100000, 40, seed=1),
        records_file(tmp_path / "b.xml", 99100030, 20, seed=2),  # replaces 10 PMIDs of a.xml
        FIXTURES / "pubmed_sample.xml",
        records_file(tmp_path / "c.xml", 99100045, 30, seed=3),  # replaces PMIDs of a.xml and b.xml
        FIXTURES / "pubmed_update.xml",  # a corrected record and a DeleteCitation
        FIXTURES / "sample.nbib",
    ]
    for f in files:
        store.import_files([f])
    incremental = store.tables()
    assert set(incremental["articles"]["pmid"]) == (pmids_of(99100000, 75) | {
        "99000001", "99000002", "99000003", "99000004", "99000006", "99000101", "99000102"})
    by_pmid = incremental["articles"].set_index("pmid")
    assert by_pmid.loc["99100035", "source"] == "b.xml" and by_pmid.loc["99100050", "source"] == "c.xml"
    segments = json.loads((store.generation() / "GENERATION.json").read_text())["segments"]
    assert len(segments) > 1  # the imports were not folded into one file
    assert_same_tables(incremental, full_rebuild(store))


def test_an_import_rewrites_only_the_segments_it_touches(tmp_path):
    store = Store(tmp_path)
    store.import_files([records_file(tmp_path / "a.xml", 99200000, 30)])
    store.import_files([records_file(tmp_path / "b.xml", 99300000, 30)])
    first = store.generation()
    a_file = first / "authors" / "p000000.parquet"
    inode_before = a_file.stat().st_ino
    store.import_files([records_file(tmp_path / "c.xml", 99300010, 5, seed=9)])  # replaces 5 PMIDs of b.xml
    gen = store.generation()
    meta = json.loads((gen / "GENERATION.json").read_text())
    assert meta["segments"][0] == "p000000" and (gen / "authors" / "p000000.parquet").stat().st_ino == inode_before
    assert meta["segments"][1] != "p000001"  # b.xml's segment was written again without the 5 PMIDs
    assert_same_tables(store.tables(), full_rebuild(store))


def test_many_imports_are_compacted_and_still_equal_a_rebuild(tmp_path, monkeypatch):
    monkeypatch.setattr("evidence.ingest.store.MAX_SEGMENTS", 4)
    store = Store(tmp_path)
    for i in range(7):
        store.import_files([records_file(tmp_path / f"f{i}.xml", 99400000 + 5 * i, 8, seed=i)])  # overlapping
        meta = json.loads((store.generation() / "GENERATION.json").read_text())
        assert len(meta["segments"]) <= 4
    assert set(store.tables()["articles"]["pmid"]) == pmids_of(99400000, 38)
    assert_same_tables(store.tables(), full_rebuild(store))


def test_import_result_counts_new_and_total_pmids(tmp_path):
    store = Store(tmp_path)
    store.import_files([records_file(tmp_path / "a.xml", 99500000, 10)])
    result = store.import_files([records_file(tmp_path / "b.xml", 99500005, 10, seed=4)])
    assert (result.new_pmids, result.total_pmids, result.records_read) == (5, 15, 10)


def write_old_layout_store(root: Path, files: list[Path]) -> None:
    """A store as the code before generations carried their listing wrote it (flat files, raw listing)."""
    from evidence.ingest.records import read_records

    raw = root / "raw"
    (raw / "imports").mkdir(parents=True)
    parts, lines = [], []
    for f in files:
        data = f.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        rel = f"imports/{digest[:12]}-{f.name}"
        (raw / rel).write_bytes(data)
        tables, fmt = read_records(f)
        tables["articles"]["source"] = f.name
        parts.append(tables)
        lines.append(json.dumps({"path": rel, "source": f.name, "sha256": digest, "time": "2025-01-01T00:00:00+00:00",
                                 "records": len(tables["articles"]), "format": fmt, "bytes": len(data)}, sort_keys=True))
    (raw / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gen = root / ".tables" / "20250101T000000-abcd1234"
    gen.mkdir(parents=True)
    for name, df in merge_tables({}, parts).items():
        df.to_parquet(gen / f"{name}.parquet", index=False)
    os.symlink(".tables/20250101T000000-abcd1234", root / "tables")


def test_a_store_written_by_the_old_layout_is_read_and_converted(tmp_path):
    old = tmp_path / "old"
    write_old_layout_store(old, [FIXTURES / "pubmed_sample.xml", FIXTURES / "sample.nbib"])
    store = Store(old)
    assert [e["source"] for e in store.manifest()] == ["pubmed_sample.xml", "sample.nbib"]
    assert len(store.tables()["articles"]) == 8
    assert verify_store(store) == []
    # The next import converts it: the old flat files become the first segment.
    store.import_files([FIXTURES / "pubmed_update.xml"])
    assert (store.generation() / "GENERATION.json").exists()
    assert [e["source"] for e in store.manifest()] == ["pubmed_sample.xml", "sample.nbib", "pubmed_update.xml"]
    assert "99000005" not in set(store.tables()["articles"]["pmid"])
    assert verify_store(store) == []
    fresh = Store(tmp_path / "fresh")
    for f in ("pubmed_sample.xml", "sample.nbib", "pubmed_update.xml"):
        fresh.import_files([FIXTURES / f])
    for name, df in fresh.tables().items():
        pd.testing.assert_frame_equal(store.tables()[name], df, obj=name)
    assert_same_tables(store.tables(), full_rebuild(store))


def test_a_long_file_name_is_archived_under_a_hashed_name(tmp_path):
    long_name = "pubmed-" + "acupuncture-sciatica-" * 11 + "export.nbib"
    assert len(long_name) > 240
    source = tmp_path / long_name
    source.write_bytes((FIXTURES / "sample.nbib").read_bytes())
    store = Store(tmp_path / "data")
    store.import_files([source])
    (entry,) = store.manifest()
    assert entry["source"] == long_name
    assert len(Path(entry["path"]).name) < 100 and entry["path"].endswith(".nbib")
    assert (store.raw_dir / entry["path"]).read_bytes() == source.read_bytes()
    assert set(store.tables()["articles"]["source"]) == {long_name}
    assert verify_store(store) == []
    assert_same_tables(store.tables(), full_rebuild(store))


def test_derived_tables_are_kept_until_the_next_import(tmp_path):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    studies = pd.DataFrame({"study_id": ["99000001"], "pmid": ["99000001"]})
    store.add_tables({"studies": studies})
    assert store.tables()["studies"]["study_id"].tolist() == ["99000001"]
    assert len(store.tables()["articles"]) == 6
    store.import_files([FIXTURES / "sample.nbib"])
    assert "studies" not in store.tables()


def test_a_failure_after_the_commit_point_keeps_the_step_and_the_next_writer_tidies(tmp_path, monkeypatch):
    import errno

    import evidence.ingest.recovery

    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    real = evidence.ingest.recovery.atomic_write_bytes

    def disk_full_for_the_listing_copy(path, data, partial_phase=None):
        if path == store.manifest_path:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data, partial_phase)

    monkeypatch.setattr(evidence.ingest.recovery, "atomic_write_bytes", disk_full_for_the_listing_copy)
    notes: list[str] = []
    store.notify = notes.append
    store.import_files([FIXTURES / "sample.nbib"])  # committed: no error for the user
    assert len(notes) == 1 and notes[0].startswith("stored, but the tidying after it failed (No space left")
    assert len(store.tables()["articles"]) == 8 and (tmp_path / ".journal.json").exists()
    monkeypatch.undo()
    store.import_files([FIXTURES / "pubmed_update.xml"])
    assert notes[1].startswith(f"recovered {tmp_path}: finished an interrupted import")
    assert verify_store(store) == [] and not (tmp_path / ".journal.json").exists()


def test_write_tables_commits_record_and_derived_tables_together(tmp_path):
    store = Store(tmp_path)
    store.import_files([FIXTURES / "pubmed_sample.xml"])
    tables = store.tables()
    kept = {"articles": tables["articles"].head(2), "studies": pd.DataFrame({"study_id": ["x"]})}
    store.write_tables(kept)
    after = store.tables()
    assert after["articles"]["pmid"].tolist() == tables["articles"]["pmid"].head(2).tolist()
    assert after["authors"].empty and after["studies"]["study_id"].tolist() == ["x"]
    assert [e["source"] for e in store.manifest()] == ["pubmed_sample.xml"]  # the listing is carried over
