"""Bad inputs: one line on stderr, a non-zero exit code, and a store left byte for byte as it was.

Run with ``-s`` to print the table of inputs and messages.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence.cli import cli
from evidence.ingest.store import Store

from .conftest import FIXTURES
from .store_helpers import EVIDENCE, ROOT, records_file, tree

MESSAGES: list[tuple[str, int, str]] = []


@pytest.fixture
def data(tmp_path) -> Path:
    """A store holding one import."""
    folder = tmp_path / "data"
    Store(folder).import_files([FIXTURES / "pubmed_sample.xml"])
    return folder


def one_line_error(case: str, code: int, stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert code not in (0, None), (case, stderr)
    assert len(lines) == 1 and lines[0].startswith("error: "), (case, stderr)
    assert "Traceback" not in stderr
    MESSAGES.append((case, code, lines[0]))
    return lines[0]


def import_in_process(case: str, data: Path, *files: Path) -> str:
    before = tree(data)
    result = CliRunner().invoke(cli, ["import", *map(str, files), "--data-dir", str(data)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    message = one_line_error(case, result.exit_code, result.stderr)
    assert tree(data) == before, case
    return message


def damaged_gzip(path: Path) -> Path:
    packed = bytearray(gzip.compress((FIXTURES / "pubmed_sample.xml").read_bytes()))
    middle = len(packed) // 2
    packed[middle:middle + 40] = bytes(40)  # zeroed deflate blocks: zlib or CRC errors
    path.write_bytes(bytes(packed))
    return path


def test_a_corrupt_gzip_alone_and_among_good_files(tmp_path, data):
    bad = damaged_gzip(tmp_path / "export.xml.gz")
    assert "export.xml.gz" in import_in_process("corrupt gzip", data, bad)
    assert "export.xml.gz" in import_in_process("corrupt gzip among good files", data, FIXTURES / "sample.nbib", bad,
                                                FIXTURES / "pubmed_update.xml")
    truncated = tmp_path / "cut.xml.gz"
    truncated.write_bytes(gzip.compress((FIXTURES / "pubmed_sample.xml").read_bytes())[:300])
    assert "cut.xml.gz" in import_in_process("truncated gzip", data, truncated)


def test_a_fifo_or_a_device_is_refused_before_it_is_opened(tmp_path, data):
    fifo = tmp_path / "pipe.xml"
    os.mkfifo(fifo)  # opening it for reading would block forever with no writer
    assert "FIFO" in import_in_process("FIFO", data, fifo)
    assert "character device" in import_in_process("character device", data, Path("/dev/null"))


def damage_listing(data: Path, how: str) -> None:
    """Damage the committed listing and its copy in raw/ the same way."""
    store = Store(data)
    for path in (store.generation() / "manifest.jsonl", store.manifest_path):
        text = path.read_bytes()
        if how == "utf8":
            path.write_bytes(text[:20] + b"\xff\xfe" + text[20:])
        elif how == "not objects":
            path.write_bytes(text + b'["a", "list"]\n42\n')
        elif how == "unknown format":
            entry = json.loads(text.splitlines()[0])
            path.write_bytes(text.replace(f'"format": "{entry["format"]}"'.encode(), b'"format": "csv"'))


@pytest.mark.parametrize("how,expected", [("utf8", "is not UTF-8"), ("not objects", "is not a JSON object"),
                                          ("unknown format", "unknown format 'csv'")])
def test_a_damaged_manifest_stops_writers_and_rebuild_repairs_it(how, expected, data):
    damage_listing(data, how)
    message = import_in_process(f"manifest: {how}", data, FIXTURES / "sample.nbib")
    assert expected in message and "evidence rebuild" in message
    status = CliRunner().invoke(cli, ["status", "--data-dir", str(data)])
    assert status.exit_code == 1 and expected in status.stderr and "evidence rebuild" in status.stderr
    assert CliRunner().invoke(cli, ["rebuild", "--data-dir", str(data)]).exit_code == 0
    assert CliRunner().invoke(cli, ["status", "--data-dir", str(data)]).exit_code == 0
    assert len(Store(data).tables()["articles"]) == 6


def test_a_damaged_copy_of_the_listing_is_caught_too(data):
    (data / "raw" / "manifest.jsonl").write_bytes(b"\xff\n")
    assert "is not UTF-8" in import_in_process("manifest copy in raw/: invalid UTF-8", data, FIXTURES / "sample.nbib")
    assert CliRunner().invoke(cli, ["rebuild", "--data-dir", str(data)]).exit_code == 0
    committed = Store(data).generation() / "manifest.jsonl"
    assert (data / "raw" / "manifest.jsonl").read_bytes() == committed.read_bytes()
    assert len(Store(data).manifest()) == 1
    assert CliRunner().invoke(cli, ["status", "--data-dir", str(data)]).exit_code == 0


def world_writable_copy(data: Path) -> Path:
    """A copy of the store another user can reach (pytest's tmp folders are root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="evidence-perm-"))
    copy = folder / "data"
    shutil.copytree(data, copy, symlinks=True)
    for path in [folder, *copy.rglob("*"), copy]:
        if not path.is_symlink():
            os.chmod(path, 0o777)
    return copy


def run_as(user_args: list[str], *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([*user_args, *EVIDENCE, *args], check=False, capture_output=True, text=True, cwd=ROOT,
                          env={k: v for k, v in {**os.environ, **env}.items() if k != "EVIDENCE_CRASH_AT"})


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="setpriv is needed to run as an unprivileged user")
def test_an_unreadable_manifest(data):
    """Tests run as root, which reads any file: the command runs as user nobody instead."""
    copy = world_writable_copy(data)
    try:
        os.chmod(Store(copy).generation() / "manifest.jsonl", 0)
        before = tree(copy)
        nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        # A checkout inside a private folder (mktemp -d is 0700) cannot be reached by nobody at all.
        probe = subprocess.run([*nobody, *EVIDENCE, "--help"], check=False, capture_output=True, text=True)
        if probe.returncode != 0:
            pytest.skip(f"user nobody cannot run this checkout's evidence here: {probe.stderr.strip()[:120]}")
        done = run_as(nobody, "import", str(FIXTURES / "sample.nbib"), "--data-dir", str(copy),
                      env={"HOME": str(copy.parent)})
        message = one_line_error("manifest unreadable (PermissionError, run as nobody)", done.returncode, done.stderr)
        assert "Permission denied" in message and "manifest.jsonl" in message
        assert tree(copy) == before
    finally:
        shutil.rmtree(copy.parent)


def test_a_full_disk_during_import_is_undone(tmp_path, data):
    """``ulimit -f`` caps file size: the raw copy hits it (SIGXFSZ ignored, EFBIG raised)."""
    big = records_file(tmp_path / "big.xml", 99800000, 200)  # about 1.4 MB
    assert big.stat().st_size > 600 * 1024
    before = tree(data)
    done = run_as(["bash", "-c", 'ulimit -f 512 && exec "$@"', "bash"], "import", str(big), "--data-dir", str(data),
                  env={})
    message = one_line_error("full disk (ulimit -f 512) during import", done.returncode, done.stderr)
    assert "File too large" in message and "nothing stored was changed" in message
    assert tree(data) == before
    assert Store(data).import_files([big]).new_pmids == 200  # and with room again, it goes in




def test_a_full_disk_while_writing_tables_is_undone(tmp_path):
    """Here the Parquet write (pyarrow) hits the limit, not a raw copy: rebuild writes no raw file."""
    data = tmp_path / "data"
    store = Store(data)
    for i in range(3):
        store.import_files([records_file(tmp_path / f"part{i}.xml", 99810000 + 1000 * i, 150, seed=i)])
    biggest = max(p.stat().st_size for p in store.generation().rglob("*.parquet"))
    limit_kb = max(4, (biggest * 3 // 2) // 1024)  # room for every segment file, not for all of them in one
    assert limit_kb * 1024 < 3 * biggest
    before = tree(data)
    done = run_as(["bash", "-c", f'ulimit -f {limit_kb} && exec "$@"', "bash"], "rebuild", "--data-dir", str(data),
                  env={})
    message = one_line_error(f"full disk (ulimit -f {limit_kb}) while writing tables (rebuild)", done.returncode,
                             done.stderr)
    assert "File too large" in message and "nothing stored was changed" in message
    assert tree(data) == before


def test_print_the_table_of_messages():
    """Last in the file: the table of the cases above (shown with -s)."""
    for case, code, message in MESSAGES:
        print(f"| {case} | {code} | `{message}` |")
