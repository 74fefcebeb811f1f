"""Fetch runs end to end against the local E-utilities server on 127.0.0.1, in real time.

Most tests raise the server's and the client's rate so they stay short; the full-fetch test
keeps NCBI's default of 3 requests per second and checks it from the server's log.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import math
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from lxml import etree

from evidence.errors import NetworkUnavailableError, NotEutilsServerError, QueryError
from evidence.ingest.eutils import RetryPolicy
from evidence.ingest.fetch import Window, fetch, parse_date, plan_batches
from evidence.ingest.store import Store
from tests.eutils_server import EutilsTestServer

TERM = "needle AND leg pain"
EMAIL = "tester@example.org"
SECRET = "K3Y-do-not-show-0123456789abcdef"
FAST = {"rate": 40, "retry": RetryPolicy(budget=5, backoff_base=0.05), "timeout": (2.0, 0.5), "workers": 3}
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def server():
    with EutilsTestServer(rate_limit=50, rate_limit_with_key=50, max_requests=400) as srv:
        yield srv


def stored_pmids(data_dir: Path) -> Counter:
    """How often each PMID occurs across every archived fetch batch."""
    store = Store(data_dir)
    counts: Counter = Counter()
    for entry in store.manifest():
        root = etree.fromstring(gzip.decompress((store.raw_dir / entry["path"]).read_bytes()))
        counts.update(p.text for p in root.iterfind("PubmedArticle/MedlineCitation/PMID"))
    return counts


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_full_fetch_in_fewest_requests_at_the_default_rate(tmp_path):
    with EutilsTestServer(rate_limit=3) as srv:
        pmids = srv.add_corpus(TERM, 2500)
        summary = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=srv.base_url, batch_size=500)
        log = srv.log
        assert srv.max_requests_in_window(1.0) <= 3
    assert [r.endpoint for r in log] == ["esearch"] + ["efetch"] * math.ceil(2500 / 500)
    assert all(r.status == 200 for r in log)
    assert summary.requests == len(log) and summary.retries == 0 and summary.rate_limited == 0
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})
    assert summary.tables["articles"] == 2500
    assert Store(tmp_path).tables()["articles"]["pmid"].nunique() == 2500
    manifest = json.loads(next(tmp_path.glob("raw/fetch-*/manifest.json")).read_text())
    assert manifest["status"] == "complete" and manifest["count"] == 2500
    assert manifest["query"] == TERM and manifest["query_translation"] == f"{TERM}[All Fields]"
    assert len(manifest["batches_done"]) == 5 and manifest["tool_version"]
    assert "2,500 records" in summary.line()


def test_every_record_once_through_injected_faults(server, tmp_path, caplog):
    pmids = server.add_corpus(TERM, 1200)
    for kind in ("500", "503", "reset", "truncate", "cut", "short", "slow", "429"):
        server.inject("efetch", kind, delay=1.0)
    server.inject("esearch", "502")
    summary = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, batch_size=200, **FAST)
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})
    faults = Counter(r.fault for r in server.log if r.fault)
    assert faults == Counter({k: 1 for k in ("500", "503", "reset", "truncate", "cut", "short", "slow", "429", "502")})
    assert summary.retries == 9 and summary.fetched == 1200


def test_expired_history_gets_a_new_one(server, tmp_path):
    pmids = server.add_corpus(TERM, 1000)
    server.inject("efetch", "expire")
    fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, batch_size=250, **{**FAST, "workers": 1})
    assert [r.endpoint for r in server.log].count("epost") == 1
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})


def test_more_than_10000_records_by_date_splitting(server, tmp_path):
    pmids = server.add_corpus(TERM, 12_500)
    summary = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, batch_size=2500, **FAST)
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})
    efetches = server.requests_to("efetch")
    assert all(int(r.params["retstart"]) <= 9998 for r in efetches)
    searches = server.requests_to("esearch")
    assert all(r.params["datetype"] == "edat" for r in searches)
    # No search of a date range already known to be empty: every search finds records.
    assert all(server.count_between(TERM, r.params["mindate"], r.params["maxdate"]) > 0 for r in searches)
    windows = json.loads(next(tmp_path.glob("raw/fetch-*/manifest.json")).read_text())["windows"]
    assert len(windows) >= 2 and sum(len(w["ids"]) for w in windows) == 12_500
    # One efetch per planned batch. On a loaded machine a slow reply can time out and be asked again,
    # so batches are counted once each (a repeat is the same WebEnv, query key and start).
    batches = {(r.params["WebEnv"], r.params["query_key"], r.params["retstart"]) for r in efetches}
    assert len(batches) == sum(math.ceil(len(w["ids"]) / 2500) for w in windows)
    assert summary.count == 12_500


def test_empty_result_stores_nothing(server, tmp_path):
    server.add_corpus(TERM, 0)
    summary = fetch(TERM, email=EMAIL, data_dir=tmp_path / "data", eutils_url=server.base_url, **FAST)
    assert summary.run_id is None and summary.count == 0 and "0 records" in summary.line()
    assert not (tmp_path / "data").exists()


def test_bad_query_and_unknown_phrase_are_query_errors(server, tmp_path):
    with pytest.raises(QueryError, match="unbalanced"):
        fetch("needle AND (leg", email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, **FAST)
    with pytest.raises(QueryError, match="phrase not found: qqzzx"):
        fetch("qqzzx", email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, **FAST)
    assert list(tmp_path.iterdir()) == []


def test_phrase_not_found_with_results_is_surfaced(server, tmp_path):
    server.add_corpus(TERM, 30, phrase_not_found="lge pian")
    summary = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, **FAST)
    assert summary.notices == ["PubMed: phrase not found: lge pian"]
    assert summary.fetched == 30


def test_no_network_changes_nothing_and_says_what_to_do(server, tmp_path):
    server.add_corpus(TERM, 100)
    fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, **FAST)
    before = snapshot(tmp_path)
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/entrez/eutils/"
    with pytest.raises(NetworkUnavailableError) as info:
        fetch(TERM, email=EMAIL, api_key=SECRET, data_dir=tmp_path, eutils_url=dead, since="2020/01/01", **FAST)
    message = str(info.value)
    assert "\n" not in message and "evidence import" in message and SECRET not in message
    assert snapshot(tmp_path) == before


def test_api_key_is_sent_but_never_stored_or_logged(server, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    server.add_corpus(TERM, 300)
    server.inject("efetch", "503")
    summary = fetch(TERM, email=EMAIL, api_key=SECRET, data_dir=tmp_path, eutils_url=server.base_url,
                    batch_size=100, **FAST)
    assert all(r.params.get("api_key") == SECRET for r in server.log)
    assert caplog.text and SECRET not in caplog.text
    assert SECRET not in summary.line() and SECRET not in repr(summary)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in (gzip.decompress(data) if path.suffix == ".gz" else data), path


def test_since_and_rerun_fetch_only_what_is_new(server, tmp_path):
    old = server.add_corpus(TERM, 400, first=dt.date(2020, 1, 1), last=dt.date(2024, 12, 31))
    recent = [p for p, d in zip(old, [server._state.edats[p] for p in old]) if d >= dt.date(2024, 7, 1)]
    since = fetch(TERM, email=EMAIL, data_dir=tmp_path / "since", eutils_url=server.base_url, since="2024/07/01", **FAST)
    assert set(stored_pmids(tmp_path / "since")) == set(recent) and since.fetched == len(recent)

    first = fetch(TERM, email=EMAIL, data_dir=tmp_path / "data", eutils_url=server.base_url, **FAST)
    assert first.fetched == 400
    today = dt.datetime.now(dt.timezone.utc).date()
    new = server.add_corpus(TERM, 25, first=today, last=today)  # PubMed grew since
    again = fetch(TERM, email=EMAIL, data_dir=tmp_path / "data", eutils_url=server.base_url, **FAST)
    assert again.fetched == 25 and parse_date(again.mindate) == today - dt.timedelta(days=1)
    assert stored_pmids(tmp_path / "data") == Counter({p: 1 for p in old + new})
    assert again.tables["articles"] == 425


def test_resume_after_the_process_is_killed(tmp_path):
    with EutilsTestServer(rate_limit=10) as srv:
        pmids = srv.add_corpus(TERM, 1500)
        env = {**os.environ, "EVIDENCE_EUTILS_URL": srv.base_url, "NCBI_EMAIL": EMAIL,
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        command = [sys.executable, "-m", "evidence", "fetch", "--query", TERM, "--data-dir", str(tmp_path),
                   "--batch-size", "100", "--workers", "1"]
        child = subprocess.Popen(command, env=env, cwd=tmp_path,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 20
            while len(list(tmp_path.glob("raw/fetch-*/batch-*.xml.gz"))) < 4:
                assert child.poll() is None, child.stderr.read().decode()
                assert time.monotonic() < deadline, "the child stored nothing in time"
                time.sleep(0.05)
            child.send_signal(signal.SIGKILL)
        finally:
            child.wait(timeout=10)
            child.stderr.close()
        stored = {p.name for p in tmp_path.glob("raw/fetch-*/batch-*.xml.gz")}
        assert 4 <= len(stored) < 15
        before = len(srv.log)
        summary = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=srv.base_url, batch_size=100, rate=10, workers=2)
        after = srv.log[before:]
    assert summary.resumed
    assert {r.endpoint for r in after} == {"efetch"}  # no new search
    assert len([r for r in after if r.status == 200]) == 15 - len(stored)
    fetched_again = {f"batch-{int(r.params['retstart']) // 100:04d}.xml.gz" for r in after}
    assert not fetched_again & stored
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})
    runs = list(tmp_path.glob("raw/fetch-*"))
    assert len(runs) == 1


def test_plan_batches_respects_max_records():
    windows = [Window("2024/01/01", "2024/12/31", [str(i) for i in range(250)]),
               Window("2023/01/01", "2023/12/31", [str(i) for i in range(250, 400)])]
    batches = plan_batches(windows, 100, max_records=320)
    assert [(b.window, b.retstart, len(b.pmids)) for b in batches] == [
        (0, 0, 100), (0, 100, 100), (0, 200, 50), (1, 0, 70)]
    assert sum(len(b.pmids) for b in plan_batches(windows, 100)) == 400


def test_max_records_run_is_not_a_base_for_reruns(server, tmp_path):
    server.add_corpus(TERM, 300)
    capped = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, max_records=120, batch_size=50, **FAST)
    assert capped.fetched == 120
    full = fetch(TERM, email=EMAIL, data_dir=tmp_path, eutils_url=server.base_url, batch_size=100, **FAST)
    assert full.fetched == 300 and full.mindate == "1800/01/01"


def test_missing_email_is_an_input_error_before_any_request(server, tmp_path, monkeypatch):
    """The library names the setting to fix; the command line names its option and variable."""
    from click.testing import CliRunner

    from evidence.cli import cli
    from evidence.errors import InputError

    monkeypatch.setenv("NCBI_EMAIL", EMAIL)  # the library never reads it: only the command line does
    with pytest.raises(InputError, match="contact email") as missing:
        fetch(TERM, data_dir=tmp_path, eutils_url=server.base_url)
    assert missing.value.setting == "email" and "--email" not in str(missing.value)
    with pytest.raises(InputError, match="YYYY/MM/DD") as bad_date:
        fetch(TERM, email=EMAIL, since="last week", data_dir=tmp_path, eutils_url=server.base_url)
    assert bad_date.value.setting == "since"
    monkeypatch.delenv("NCBI_EMAIL")
    result = CliRunner().invoke(cli, ["fetch", "--data-dir", str(tmp_path), "--eutils-url", server.base_url])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        ("error: NCBI asks for a contact email with every request: give yours (e.g. you@example.org) "
         "[--email or $NCBI_EMAIL]")]
    result = CliRunner().invoke(cli, ["fetch", "--email", EMAIL, "--since", "2999/01/01", "--data-dir", str(tmp_path),
                                      "--eutils-url", server.base_url])
    assert result.exit_code == 2 and result.stderr.strip().endswith("is in the future [--since]"), result.stderr
    assert server.log == []



def test_fetch_command_stores_every_record_once_through_faults(tmp_path):
    """The issue's "done when": the CLI against the test server, with faults injected."""
    from click.testing import CliRunner

    from evidence.cli import cli

    with EutilsTestServer(rate_limit=3) as srv:
        pmids = srv.add_corpus(TERM, 1200)
        srv.inject("efetch", "503")
        srv.inject("efetch", "truncate")
        env = {"EVIDENCE_EUTILS_URL": srv.base_url, "NCBI_EMAIL": EMAIL}
        result = CliRunner(env=env).invoke(cli, ["fetch", "--query", TERM, "--data-dir", str(tmp_path)], catch_exceptions=False)
        assert srv.max_requests_in_window(1.0) <= 3
    assert result.exit_code == 0, result.output
    assert "1,200 records" in result.output
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})


def test_fetch_command_without_network_is_one_line(tmp_path):
    from click.testing import CliRunner

    from evidence.cli import cli

    result = CliRunner(env={"NCBI_EMAIL": EMAIL}).invoke(
        cli, ["fetch", "--query", TERM, "--data-dir", str(tmp_path), "--eutils-url", "http://127.0.0.1:9/entrez/eutils/"],
        catch_exceptions=False)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "evidence import" in lines[0]
    assert not (tmp_path / "raw").exists()


# -- rate under load, fault storms, incomplete runs, foreign servers, progress bars --------------


@contextmanager
def cpu_load():
    """Keep the CPU busy beside the fetch: a spinning thread in this process (it competes with
    the fetch's threads for the GIL) and a spinning process (it competes for the cores)."""
    stop = threading.Event()

    def spin() -> None:
        n = 0
        while not stop.is_set():
            n += 1

    thread = threading.Thread(target=spin, name="cpu-load", daemon=True)
    thread.start()
    process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        stop.set()
        process.kill()
        process.wait()
        thread.join()


@pytest.mark.parametrize("api_key, limit, records", [(None, 3, 1500), (SECRET, 10, 3000)])
def test_rate_holds_in_every_second_with_a_loaded_cpu(tmp_path, api_key, limit, records):
    # As many workers as the limit, so the limiter, not the pool, is what holds the rate back.
    with EutilsTestServer(rate_limit=1000, rate_limit_with_key=1000) as srv, cpu_load():
        srv.add_corpus(TERM, records)
        summary = fetch(TERM, email=EMAIL, api_key=api_key, data_dir=tmp_path, eutils_url=srv.base_url,
                        batch_size=100, workers=limit, rebuild=False)
        worst = srv.max_requests_in_window(1.0)
        requests = len(srv.log)
    # The server counts arrivals in every sliding second: never more than NCBI's limit.
    assert 2 <= worst <= limit
    assert summary.fetched == records and requests == 1 + records // 100


def test_fault_storm_on_3000_records_ends_complete(tmp_path):
    with EutilsTestServer(rate_limit=3, rate_limit_with_key=10, max_requests=1000) as srv, cpu_load():
        pmids = srv.add_corpus(TERM, 3000)
        srv.inject("esearch", "503")
        srv.inject("esearch", "reset")
        storm = ("429", "503", "reset", "truncate", "cut", "short", "expire", "500", "502")
        for kind in storm:
            srv.inject("efetch", kind, times=3)
        srv.inject("epost", "reset")
        summary = fetch(TERM, email=EMAIL, api_key=SECRET, data_dir=tmp_path, eutils_url=srv.base_url, batch_size=100,
                        workers=3, retry=RetryPolicy(budget=60, backoff_base=0.1), timeout=(2.0, 5.0))
        worst = srv.max_requests_in_window(1.0)
        faults = Counter((r.endpoint, r.fault) for r in srv.log if r.fault)
        rate_limited = sum(r.status == 429 and r.fault is None for r in srv.log)
    assert faults == Counter({**{("efetch", k): 3 for k in storm}, ("esearch", "503"): 1, ("esearch", "reset"): 1,
                              ("epost", "reset"): 1})
    assert worst <= 10 and rate_limited == 0
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})
    assert summary.tables["articles"] == 3000
    assert json.loads(next(tmp_path.glob("raw/fetch-*/manifest.json")).read_text())["status"] == "complete"


def fetch_cli(env: dict, *args: str):
    from click.testing import CliRunner

    from evidence.cli import cli

    return CliRunner(env=env).invoke(cli, ["fetch", "--query", TERM, *args])


def test_fetch_command_exits_3_with_what_is_missing_then_resumes(tmp_path):
    with EutilsTestServer(rate_limit=3) as srv:
        pmids = srv.add_corpus(TERM, 1000)
        srv.inject("efetch", "503", times=10_000, after=4)  # NCBI goes down after four batches
        env = {"EVIDENCE_EUTILS_URL": srv.base_url, "NCBI_EMAIL": EMAIL}
        args = ("--data-dir", str(tmp_path), "--batch-size", "100", "--workers", "1", "--retry-budget", "2")
        first = fetch_cli(env, *args)
        tried = {r.params["retstart"] for r in srv.requests_to("efetch")}
        stored = sorted(p.name for p in tmp_path.glob("raw/fetch-*/batch-*.xml.gz"))
        srv.clear_faults()
        second = fetch_cli(env, *args)
    assert first.exit_code == 3, first.output
    errors = [line for line in first.stderr.splitlines() if line.startswith("error:")]
    assert errors == [first.stderr.strip().splitlines()[-1]]
    assert errors[0].startswith("error: fetch incomplete: 600 of 1,000 records are missing")
    assert "HTTP 503" in errors[0] and "run the same command again" in errors[0]
    assert stored == [f"batch-{n:04d}.xml.gz" for n in range(4)]  # what was fetched is kept
    assert tried == {"0", "100", "200", "300", "400"}  # no batch is started after the failure
    assert second.exit_code == 0, second.output
    assert "resuming" in second.output and "1,000 of 1,000 records" in second.output
    assert stored_pmids(tmp_path) == Counter({p: 1 for p in pmids})


@pytest.mark.parametrize("status", [200, 404])
def test_a_web_server_instead_of_eutils_is_named_in_one_line(tmp_path, status):
    with EutilsTestServer() as srv:
        srv.inject("esearch", "html", times=100, status=status)
        result = fetch_cli({"NCBI_EMAIL": EMAIL, "EVIDENCE_EUTILS_URL": srv.base_url}, "--data-dir", str(tmp_path))
        sent = len(srv.log)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert f"is not an NCBI E-utilities server: HTTP {status}" in lines[0]
    assert "an HTML page titled 'Welcome to nginx!'" in lines[0] and "<" not in lines[0]
    assert sent == 1 and not (tmp_path / "raw").exists()


def test_other_xml_is_not_an_eutils_reply(server, tmp_path):
    server.add_corpus(TERM, 10)
    with pytest.raises(NotEutilsServerError, match="HTTP 200, esearch replied with <rss>"):
        from evidence.ingest.eutils import EutilsClient, parse_esearch

        client = EutilsClient(EMAIL, base_url=server.base_url, rate=40)
        with client:
            client.request("esearch.fcgi", {"term": TERM}, lambda body: parse_esearch(b"<rss><channel/></rss>"))
    assert len(server.log) == 1


def test_progress_bar_only_on_a_terminal(tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    with EutilsTestServer(rate_limit=3) as srv:
        srv.add_corpus(TERM, 300)
        env = {**os.environ, "EVIDENCE_EUTILS_URL": srv.base_url, "NCBI_EMAIL": EMAIL,
               "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        piped = fetch_cli({"EVIDENCE_EUTILS_URL": srv.base_url, "NCBI_EMAIL": EMAIL},
                          "--data-dir", str(tmp_path / "piped"), "--batch-size", "100")
        main, secondary = pty.openpty()
        # A terminal of 80 columns: tqdm draws nothing on one without a size.
        fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        child = subprocess.Popen([sys.executable, "-m", "evidence", "fetch", "--query", TERM, "--batch-size", "100",
                                  "--data-dir", str(tmp_path / "tty")], env=env, stdout=subprocess.PIPE,
                                 stderr=secondary, stdin=subprocess.DEVNULL)
        os.close(secondary)
        shown = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closes when the child exits
                break
            if not chunk:
                break
            shown += chunk
        out, _ = child.communicate(timeout=60)
        os.close(main)
    assert piped.exit_code == 0 and child.returncode == 0
    assert "fetching" not in piped.stderr and "\r" not in piped.stderr
    assert b"fetching" in shown
    assert b"300 of 300 records" in out
