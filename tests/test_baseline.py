"""evidence baseline on a local Dask cluster: build equals the single-process path, resumes, selects, classifies.

Generated baseline-shaped files (benchmarks/synthetic_baseline.py): 4 files x 200 invented
records and 2 update files with revisions, new records and deletions. The cluster runs its two
workers as threads of the test process (fast to start; the parallel speed-up is measured by
benchmarks/bench_baseline.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from evidence.baseline.build import build_baseline, expand_inputs
from evidence.baseline.classify import classify_dataset
from evidence.baseline.cluster import dask_client
from evidence.baseline.dataset import read_table
from evidence.baseline.evaluate import evaluate
from evidence.baseline.query import parse_query
from evidence.baseline.select import select_topic
from evidence.errors import ClusterError, InputError, ParseError, StoreBusyError, StoreError
from evidence.extract.classify import classify_articles
from evidence.ingest.parse import read_pubmed
from evidence.ingest.store import Store, merge_tables
from evidence.tables.schema import RECORD_TABLES, STUDIES, conform
from evidence.topic.model import load_topic

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic_baseline import write_baseline

EVIDENCE = str(Path(sys.executable).parent / "evidence")


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2, processes=False) as c:
        yield c


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_baseline(tmp_path_factory.mktemp("baseline-in"), files=4, per_file=200, update_files=2)


@pytest.fixture(scope="module")
def single_process(files):
    """The tables as `evidence import` would merge them: read_pubmed per file, merge_tables in order."""
    parts = []
    for path in files.all:
        tables = read_pubmed(path)
        tables["articles"]["source"] = path.name
        parts.append(tables)
    return merge_tables({}, parts)


@pytest.fixture(scope="module")
def built(files, client, tmp_path_factory):
    out = tmp_path_factory.mktemp("baseline-out") / "dataset"
    result = build_baseline(files.all, out, client)
    return out, result


def sorted_frame(df: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in ("pmid", "position", "descriptor", "publication_type", "id_type", "value", "ref_type", "ref_pmid")
            if c in df.columns]
    return df.sort_values(keys, kind="stable").reset_index(drop=True)


def mtimes(folder: Path) -> dict[str, int]:
    """Modification times of the dataset's files; the writer lock records its holder on each run."""
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.name != ".lock"}


def test_build_equals_the_single_process_path(built, single_process):
    out, result = built
    assert result.files == 6 and result.parsed == 6 and result.published == 6
    for name, table in RECORD_TABLES.items():
        got = sorted_frame(conform(read_table(out, name), table))
        want = sorted_frame(single_process[name])
        pd.testing.assert_frame_equal(got, want, check_dtype=True, obj=name)
    assert result.records == len(single_process["articles"])
    assert read_table(out, "articles")["pmid"].is_unique  # each PMID in one partition


def test_updates_apply_in_file_order(built, files):
    out, _ = built
    articles = read_table(out, "articles").set_index("pmid")
    first, second = (p.name for p in files.updates)
    gone = (files.deleted[0] - files.revised[1]) | files.deleted[1]
    assert not {str(p) for p in gone} & set(articles.index)
    assert {str(p) for p in files.revised[1] | files.added[1]} <= set(articles.index)
    assert (articles.loc[[str(p) for p in files.revised[1]], "source"] == second).all()
    only_first = files.revised[0] - files.revised[1] - files.deleted[1]
    assert (articles.loc[[str(p) for p in only_first], "source"] == first).all()
    back = min(files.deleted[0])  # deleted by the first update, carried again by the second
    assert back in files.revised[1] and articles.loc[str(back), "source"] == second


def test_a_second_run_resumes_and_writes_nothing(built, files, client):
    out, _ = built
    before = mtimes(out)
    again = build_baseline(files.all, out, client)
    assert (again.parsed, again.published, again.records) == (0, 0, built[1].records)
    assert mtimes(out) == before


def test_update_files_added_later_rewrite_only_the_partitions_they_touch(files, client, tmp_path, single_process):
    out = tmp_path / "dataset"
    first = build_baseline(files.baseline, out, client)
    assert (first.parsed, first.published) == (4, 4)
    later = build_baseline(files.all, out, client)
    # The 2 new partitions, and the baseline partitions that lose PMIDs (all 4 here: the
    # revisions are spread over every file). The first update loses PMIDs to the second.
    assert later.parsed == 2 and later.published == 6
    for name in RECORD_TABLES:
        pd.testing.assert_frame_equal(sorted_frame(read_table(out, name)), sorted_frame(single_process[name]), obj=name)


def test_a_later_build_drops_the_classification_of_the_partitions_it_rewrites(files, client, tmp_path):
    out = tmp_path / "dataset"
    build_baseline(files.baseline, out, client)
    classify_dataset(out, "acupuncture_sciatica", client)
    assert len(read_table(out, "studies")) == len(read_table(out, "articles"))
    build_baseline(files.all, out, client)  # rewrites every baseline partition (revisions in each)
    assert not list((out / "studies").glob("*.parquet"))  # none describes records that were replaced
    with pytest.raises(StoreError, match="missing; run `evidence baseline classify` again"):
        read_table(out, "studies")
    classify_dataset(out, "acupuncture_sciatica", client)
    studies, articles = read_table(out, "studies"), read_table(out, "articles")
    assert sorted(studies["pmid"]) == sorted(articles["pmid"])  # the classification of what is there now


def test_select_matches_the_query_on_the_merged_tables(built, single_process, client, tmp_path):
    out, _ = built
    topic = load_topic("acupuncture_sciatica")
    expected = evaluate(parse_query(topic.query), single_process)
    assert 0 < len(expected) < len(single_process["articles"])
    result = select_topic(topic, out, tmp_path / "store", client)
    stored = Store(tmp_path / "store").tables()
    assert set(stored["articles"]["pmid"]) == expected and result.matched == len(expected)
    for name in RECORD_TABLES:
        want = single_process[name][single_process[name]["pmid"].isin(expected)]
        got, want = sorted_frame(stored[name]), sorted_frame(want)
        if name == "articles":  # the store names its own raw file as the source
            assert set(got["source"]) == {Path(result.raw_file).name}
            got, want = got.drop(columns="source"), want.drop(columns="source")
        pd.testing.assert_frame_equal(got, want, obj=name)
    assert select_topic(topic, out, tmp_path / "store", client).imported is False  # same matches: nothing new


def test_select_with_a_stated_query_and_a_mesh_tree(client, tmp_path):
    out = tmp_path / "dataset"
    build_baseline([FIXTURES / "baseline_query.xml"], out, client)
    query = '("Sciatica"[MeSH] OR sciatic*[tiab]) AND ("warm needle"[tiab] OR "Acupuncture Therapy"[MeSH]) NOT "Review"[pt]'
    result = select_topic("acupuncture_sciatica", out, tmp_path / "store", client, query=query,
                          mesh_tree=FIXTURES / "mesh_tree_fixture.bin")
    assert result.matched == 4
    assert set(Store(tmp_path / "store").tables()["articles"]["pmid"]) == {"99000101", "99000104", "99000105", "99000106"}


def test_classify_per_partition_equals_classify_on_the_merged_tables(built, single_process, client):
    out, _ = built
    topic = load_topic("acupuncture_sciatica")
    result = classify_dataset(out, topic, client)
    got = sorted_frame(read_table(out, "studies"))
    want = conform(classify_articles({"articles": single_process["articles"], "mesh": single_process["mesh"]}, topic), STUDIES)
    want["study_id"] = want["pmid"]
    pd.testing.assert_frame_equal(got, sorted_frame(want))
    assert result.studies == len(single_process["articles"]) and sum(result.by_design.values()) == result.studies
    assert result.findings is None and not (out / "findings").exists()


# -- bad input: one-line errors ----------------------------------------------------------------------------------


def test_a_new_file_given_before_built_ones_is_refused(built, files, client):
    out, _ = built
    extra = files.baseline[0].with_name("pubmed25n0000.xml.gz")
    shutil.copyfile(files.baseline[0], extra)
    try:
        with pytest.raises(InputError, match="is given before .* which is built already"):
            build_baseline([extra, *files.all], out, client)
    finally:
        extra.unlink()


def test_a_changed_file_is_refused(files, client, tmp_path):
    copy = tmp_path / "in"
    copy.mkdir()
    paths = [Path(shutil.copy(p, copy)) for p in files.baseline[:2]]
    build_baseline(paths, tmp_path / "dataset", client)
    shutil.copyfile(files.baseline[2], paths[1])
    with pytest.raises(InputError, match="has changed since it was built"):
        build_baseline(paths, tmp_path / "dataset", client)


def test_a_second_build_into_the_same_folder_waits_for_the_first(files, client, tmp_path):
    out = tmp_path / "dataset"
    hold = ("import sys, time; from pathlib import Path; from evidence.ingest.journal import WriteLock\n"
            "with WriteLock(Path(sys.argv[1]), 'evidence baseline build'):\n    print('held', flush=True); time.sleep(30)")
    # Another process mid-build: it holds the folder's writer lock.
    holder = subprocess.Popen([sys.executable, "-c", hold, str(out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        told: list[str] = []
        with pytest.raises(StoreBusyError, match="still being written by .*evidence baseline build"):
            build_baseline(files.baseline[:1], out, client, notify=told.append, lock_timeout=0.5)
        assert told and "waiting" in told[0]
        assert not (out / "manifest.json").exists()  # it waited, and wrote nothing
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert build_baseline(files.baseline[:1], out, client).files == 1  # the lock went with the process


def test_a_file_that_is_not_pubmed_xml_fails_with_its_name(client, tmp_path):
    bad = tmp_path / "pubmed25n0001.xml"
    bad.write_text("<html><body>not a record file</body></html>\n", encoding="utf-8")
    with pytest.raises(ParseError, match="pubmed25n0001.xml: wrong root element <html>"):
        build_baseline([bad], tmp_path / "dataset", client)


def test_a_run_stopped_by_a_bad_file_keeps_the_files_it_parsed(files, client, tmp_path):
    bad = tmp_path / "pubmed25n0009.xml"
    bad.write_text("<PubmedArticleSet><PubmedArticle>", encoding="utf-8")  # cut short
    with pytest.raises(ParseError, match="pubmed25n0009.xml: truncated XML"):
        build_baseline([*files.baseline[:2], bad], tmp_path / "dataset", client)
    resumed = build_baseline(files.baseline[:2], tmp_path / "dataset", client)
    assert (resumed.parsed, resumed.published) == (0, 2)  # parsed by the failed run, published now


def test_inputs_are_checked_before_anything_runs(tmp_path):
    with pytest.raises(InputError, match="matches no file"):
        expand_inputs([str(tmp_path / "*.xml.gz")])
    with pytest.raises(InputError, match="no such file"):
        expand_inputs([tmp_path / "pubmed25n0001.xml.gz"])
    (tmp_path / "a.xml.gz").write_bytes(b"")
    with pytest.raises(InputError, match="two files are named a.xml.gz"):
        from evidence.baseline.manifest import Manifest, plan_order

        plan_order(Manifest(), ["a.xml.gz", "a.xml.gz"])


def test_select_and_classify_need_a_built_dataset(client, tmp_path):
    with pytest.raises(InputError, match="holds no baseline dataset"):
        select_topic("acupuncture_sciatica", tmp_path, tmp_path / "store", client)
    with pytest.raises(InputError, match="holds no baseline dataset"):
        classify_dataset(tmp_path, "acupuncture_sciatica", client)


def test_cluster_arguments_are_checked():
    with pytest.raises(InputError, match="worker count sizes a local cluster") as raised, dask_client("tcp://127.0.0.1:9", 2):
        pass
    assert raised.value.setting == "workers"  # the CLI names its option for this setting


def test_an_existing_cluster_given_by_its_address_builds_the_same_dataset(files, built, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, processes=False, protocol="tcp", dashboard_address=":0") as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        with dask_client(address) as remote:
            result = build_baseline(files.all, tmp_path / "dataset", remote)
    assert result.records == built[1].records
    for name in RECORD_TABLES:
        pd.testing.assert_frame_equal(read_table(tmp_path / "dataset", name), read_table(built[0], name), obj=name)


def test_an_unreachable_scheduler_is_a_one_line_error():
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"), dask_client("tcp://127.0.0.1:9"):
        pass


@pytest.mark.parametrize(("args", "message"), [
    (["build", "missing-*.xml.gz", "--out", "ds"], "error: missing-*.xml.gz matches no file"),
    (["select", "--from", "nowhere", "--data-dir", "store", "--workers", "1"], "error: nowhere holds no baseline dataset"),
    # An error raised on a worker process comes back as the library's error, not a traceback.
    (["build", "cut.xml", "--out", "ds", "--workers", "1"], "error: cut.xml: truncated XML at line 1"),
])
def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    (tmp_path / "cut.xml").write_text("<PubmedArticleSet><PubmedArticle>", encoding="utf-8")
    run = subprocess.run([EVIDENCE, "baseline", *args], check=False, cwd=tmp_path, capture_output=True, text=True,
                         env={**os.environ, "EVIDENCE_DATA_DIR": ""}, timeout=120)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == message or run.stderr.strip().startswith(message)
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


@pytest.mark.slow
def test_the_commands_run_end_to_end_on_worker_processes(files, tmp_path):
    """The CLI on a real local cluster (worker processes): build, build again, select, classify."""
    inputs = [str(p) for p in (files.baseline[0], files.updates[0])]

    def evidence(*args: str) -> str:
        run = subprocess.run([EVIDENCE, "baseline", *args, "--workers", "1"], check=False, cwd=tmp_path,
                             capture_output=True, text=True, env={**os.environ, "EVIDENCE_DATA_DIR": ""}, timeout=300)
        assert run.returncode == 0 and run.stderr == "", run.stderr
        return run.stdout

    assert "2 files built into ds (2 parsed now, 2 partitions written)" in evidence("build", *inputs, "--out", "ds")
    assert "(0 parsed now, 0 partitions written)" in evidence("build", *inputs, "--out", "ds")
    assert "records matched" in evidence("select", "--from", "ds", "--data-dir", "store")
    assert "classified" in evidence("classify", "--from", "ds")
    assert len(read_table(tmp_path / "ds", "studies")) == len(read_table(tmp_path / "ds", "articles"))


def test_classify_with_extraction_writes_findings_as_evidence_classify_would(client, tmp_path):
    from evidence.extract.annotate import annotate_tables

    out = tmp_path / "dataset"
    build_baseline([FIXTURES / "pubmed_sample.xml", FIXTURES / "pubmed_update.xml"], out, client)
    topic = load_topic("acupuncture_sciatica")
    result = classify_dataset(out, topic, client, extract=True)
    merged = {name: read_table(out, name) for name in ("articles", "mesh")}
    studies, findings = annotate_tables(merged, topic, workers=1)
    pd.testing.assert_frame_equal(sorted_frame(read_table(out, "studies")), sorted_frame(studies))
    # Each record's findings keep their order: sorted by PMID alone, stably.
    got = read_table(out, "findings").sort_values("pmid", kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, findings.sort_values("pmid", kind="stable").reset_index(drop=True))
    assert result.findings == len(findings) > 0 and result.partitions == 2
