"""Concurrent writers serialise on the store's lock; readers never see a half-written generation.

Real processes: ``evidence import`` started together, a reader process polling the tables.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from evidence.ingest.status import verify_store
from evidence.ingest.store import Store

from .store_helpers import EVIDENCE, ROOT, assert_same_tables, pmids_of, records_file

pytestmark = pytest.mark.slow
PER_FILE = 40


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("concurrent")
    return [records_file(folder / f"f{i}.xml", 99700000 + 1000 * i, PER_FILE, seed=i) for i in range(8)]


def start_import(path: Path, data: Path) -> subprocess.Popen:
    return subprocess.Popen([*EVIDENCE, "import", str(path), "--data-dir", str(data)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(procs: list[subprocess.Popen]) -> list[tuple[int, str]]:
    errs = [p.communicate(timeout=300)[1] for p in procs]
    return [(p.returncode, err) for p, err in zip(procs, errs)]


def check_all_there(data: Path, files: list[Path]) -> None:
    store = Store(data)
    expected = set().union(*(pmids_of(99700000 + 1000 * int(f.stem[1:]), PER_FILE) for f in files))
    assert set(store.tables()["articles"]["pmid"]) == expected
    assert sorted(e["source"] for e in store.manifest()) == sorted(f.name for f in files)
    assert verify_store(store) == []
    before = store.tables()
    store.rebuild_tables()
    assert_same_tables(before, store.tables())


def test_ten_pairs_of_concurrent_imports_lose_nothing(tmp_path, files):
    for trial in range(10):
        data = tmp_path / f"pair{trial}"
        pair = [files[trial % 8], files[(trial + 3) % 8]]
        results = finish([start_import(f, data) for f in pair])
        assert [rc for rc, _ in results] == [0, 0], results
        for _, err in results:  # a writer that waited says so in one line; nothing else is printed
            assert all(line.startswith("waiting: ") for line in err.splitlines()), err
        check_all_there(data, pair)


READER = textwrap.dedent("""
    import sys, time
    from evidence.ingest.store import Store
    store, sizes, reads = Store(sys.argv[1]), set(), 0
    deadline = time.monotonic() + float(sys.argv[2])
    while time.monotonic() < deadline:
        tables = store.tables()
        if tables:
            pmids = set(tables["articles"]["pmid"])
            assert len(pmids) % {per} == 0, len(pmids)   # whole files only, never part of one
            for name in ("authors", "mesh", "abstract_sections"):
                assert set(tables[name]["pmid"]) <= pmids, name   # no rows of records not there
            sizes.add(len(pmids))
            reads += 1
    print(reads, sorted(sizes))
""")


def test_eight_imports_at_once_with_a_reader_beside_them(tmp_path, files):
    data = tmp_path / "data"
    Store(data).import_files([files[0]])
    reader = subprocess.Popen([sys.executable, "-c", READER.replace("{per}", str(PER_FILE)), str(data), "25"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    results = finish([start_import(f, data) for f in files[1:]] + [start_import(files[0], data)])
    assert [rc for rc, _ in results] == [0] * 8, results
    check_all_there(data, files)
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    reads, _sizes = out.split(" ", 1)
    assert int(reads) > 0
    print("reader:", out.strip())


def test_an_import_during_a_fetch_waits_for_it(tmp_path, files):
    from tests.eutils_server import EutilsTestServer

    data, term = tmp_path / "data", "needle AND leg pain"
    with EutilsTestServer(rate_limit=3) as srv:
        fetched = set(srv.add_corpus(term, 300))
        env = {**os.environ, "EVIDENCE_EUTILS_URL": srv.base_url, "NCBI_EMAIL": "tester@example.org"}
        fetcher = subprocess.Popen([*EVIDENCE, "fetch", "--query", term, "--batch-size", "50", "--workers", "1",
                                    "--data-dir", str(data)], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not list(data.glob("raw/fetch-*/batch-*.xml.gz")):
            assert fetcher.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        (rc_import, err_import), (rc_fetch, _) = finish([start_import(files[2], data), fetcher])
    assert (rc_import, rc_fetch) == (0, 0)
    assert err_import.startswith("waiting: ") and "evidence fetch (pid" in err_import
    store = Store(data)
    assert set(store.tables()["articles"]["pmid"]) == fetched | pmids_of(99702000, PER_FILE)
    assert verify_store(store) == []
    before = store.tables()
    store.rebuild_tables()
    assert_same_tables(before, store.tables())


def test_a_writer_that_waits_too_long_fails_clearly(tmp_path, files):
    from evidence.ingest.journal import WriteLock

    data = tmp_path / "data"
    with WriteLock(data, "import"):
        done = subprocess.run([*EVIDENCE, "import", str(files[0]), "--data-dir", str(data)], check=False, cwd=ROOT, text=True,
                              capture_output=True, env={**os.environ, "EVIDENCE_LOCK_TIMEOUT": "1"})
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1 and len(lines) == 2, done.stderr
    assert lines[0].startswith("waiting: ") and f"evidence import (pid {os.getpid()})" in lines[0]
    assert lines[1].startswith("error: ") and "still being written" in lines[1] and "after 1 s" in lines[1]
    assert not list(data.glob("raw/*"))
