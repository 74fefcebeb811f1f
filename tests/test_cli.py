"""The command line: thin commands, one-line errors, help everywhere."""

from __future__ import annotations

import subprocess
from pathlib import Path
import sys

import click
import pytest
from click.testing import CliRunner

from evidence.cli import cli

from .conftest import FIXTURES


def all_commands(group: click.Group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if isinstance(cmd, click.Group):
            yield from all_commands(cmd, prefix + (name,))


def test_every_command_has_help_text():
    runner = CliRunner()
    for path, cmd in all_commands(cli):
        result = runner.invoke(cli, [*path, "--help"], catch_exceptions=False)
        assert result.exit_code == 0, path
        assert cmd.help and len(cmd.help.strip()) > 20, f"{' '.join(path)} needs help text"


def test_import_then_status(tmp_path):
    runner = CliRunner()
    data = tmp_path / "data"
    result = runner.invoke(cli, ["import", str(FIXTURES / "pubmed_sample.xml"), str(FIXTURES / "sample.nbib"), "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "8 new PMIDs" in result.output
    result = runner.invoke(cli, ["status", "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 0
    assert "8 records from 2 raw file(s)" in result.output
    assert "retracted: 2" in result.output


def test_data_dir_from_environment(tmp_path):
    runner = CliRunner(env={"EVIDENCE_DATA_DIR": str(tmp_path / "env-data")})
    result = runner.invoke(cli, ["import", str(FIXTURES / "sample.nbib")], catch_exceptions=False)
    assert result.exit_code == 0
    assert (tmp_path / "env-data" / "raw" / "manifest.jsonl").exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not xml at all", b"<PubmedArticleSet><PubmedArticle>", b"<eSearchResult/>", b"\x00\x01\x02binary"],
)
def test_bad_input_is_one_line_and_changes_nothing(tmp_path, content):
    runner = CliRunner()
    data = tmp_path / "data"
    runner.invoke(cli, ["import", str(FIXTURES / "pubmed_sample.xml"), "--data-dir", str(data)], catch_exceptions=False)
    before = (data / "raw" / "manifest.jsonl").read_bytes()
    bad = tmp_path / "bad.xml"
    bad.write_bytes(content)
    result = runner.invoke(cli, ["import", str(bad), "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert (data / "raw" / "manifest.jsonl").read_bytes() == before


def test_missing_and_unreadable_files(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(tmp_path / "nope.xml"), "--data-dir", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 2 and "no such file" in result.stderr
    result = runner.invoke(cli, ["import", str(tmp_path), "--data-dir", str(tmp_path / "d")], catch_exceptions=False)
    assert result.exit_code == 2 and "folder" in result.stderr


def test_python_dash_m_runs_the_same_cli(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "evidence", "status", "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    assert "empty store" in proc.stdout


def imported(tmp_path) -> Path:
    """A data dir holding pubmed_sample.xml, imported through the CLI."""
    data = tmp_path / "data"
    result = CliRunner().invoke(cli, ["import", str(FIXTURES / "pubmed_sample.xml"), "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 0
    return data


def test_classify_writes_auto_studies_and_findings_with_spans(tmp_path):
    import evidence

    runner = CliRunner()
    data = imported(tmp_path)
    result = runner.invoke(cli, ["classify", "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "classified 6 of 6 records" in result.output
    tables = evidence.load(data, snapshot=False)
    studies = tables["studies"].set_index("pmid")
    assert studies.loc["99000001", "design"] == "rct" and studies.loc["99000001", "provenance"] == "auto"
    assert studies.loc["99000004", "design"] == "protocol"
    findings = tables["findings"]
    assert len(findings) >= 1
    articles = tables["articles"].set_index("pmid")
    from evidence.extract.text import record_text

    for _, f in findings.iterrows():
        text = record_text(articles.loc[f["pmid"], "title"], articles.loc[f["pmid"], "abstract"])
        assert text[f["span_start"]:f["span_end"]] == f["sentence"]
    status = runner.invoke(cli, ["status", "--data-dir", str(data)], catch_exceptions=False)
    assert "designs: " in status.output and "rct: 1" in status.output


def test_an_empty_topic_means_the_default_topic_in_every_command(tmp_path):
    # `--topic ""` (an unset shell variable) is the default topic, as if the option were left out:
    # cite used to call it an unknown topic while the other commands took the default.
    runner = CliRunner()
    data = imported(tmp_path)
    for args in (["cite", "99000001", "--format", "ris", "--data-dir", str(data)],
                 ["classify", "--data-dir", str(data)],
                 ["status", "--data-dir", str(data)],
                 ["snapshot", "check"]):
        plain = runner.invoke(cli, args)
        empty = runner.invoke(cli, [*args, "--topic", ""])
        assert empty.exit_code == plain.exit_code == 0, (args, empty.output)
        assert "unknown topic" not in empty.output
        assert empty.output == plain.output, args


def test_classify_on_an_empty_store_says_what_to_do(tmp_path):
    result = CliRunner().invoke(cli, ["classify", "--data-dir", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "evidence import" in result.stderr


def test_cite_command_formats_and_exports(tmp_path):
    runner = CliRunner()
    data = imported(tmp_path)
    result = runner.invoke(cli, ["cite", "99000003", "--style", "vancouver", "--data-dir", str(data)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "RETRACTED" in result.output and "O'Brien" in result.output
    ris = runner.invoke(cli, ["cite", "99000001", "--format", "ris", "--data-dir", str(data)], catch_exceptions=False)
    assert ris.exit_code == 0 and "TY  - JOUR" in ris.output and "Müller" in ris.output
    missing = runner.invoke(cli, ["cite", "99999999", "--data-dir", str(data)], catch_exceptions=False)
    assert missing.exit_code == 2 and "99999999" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1


def test_claim_command_answers_in_text_and_json(tmp_path):
    import json

    runner = CliRunner()
    text = runner.invoke(cli, ["claim", "Acupuncture outperforms nerve blocks for sciatica", "--data-dir", str(tmp_path)],
                         catch_exceptions=False)
    assert text.exit_code == 0, text.output
    assert "Verdict: " in text.output
    as_json = runner.invoke(cli, ["claim", "Acupuncture outperforms nerve blocks for sciatica", "--json", "--data-dir", str(tmp_path)],
                            catch_exceptions=False)
    verdict = json.loads(as_json.output)
    assert verdict["verdict"] in {"not_supported", "insufficient_evidence", "contradicted"}
