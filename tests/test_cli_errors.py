"""No ValueError or RuntimeError reaches a user: bad input files, bad options, bad topic files and
bad infer input all end as one line on stderr, a non-zero exit code, and no traceback.

The cases are the ones that escaped as Python exceptions before they were mapped into the error
tree (``evidence.errors``): a topic file that is not UTF-8 or is a folder (UnicodeDecodeError,
IsADirectoryError), a topic pattern that is not a regular expression (re.error, raised only once a
classification or an inference used it), a malformed E-utilities URL (requests' InvalidURL, a
ValueError), and the library's own ``raise ValueError``/``RuntimeError``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from evidence.cli import cli
from evidence.errors import TopicError
from evidence.topic.model import load_topic

PACKAGE = Path(__file__).resolve().parents[1] / "evidence"
SHIPPED = PACKAGE / "topic" / "installed" / "acupuncture_sciatica.toml"
PROMPT = '{"text": "RESULTS: The VAS fell more with acupuncture (P = 0.01).", "intervention": "acupuncture", ' \
         '"comparator": "sham", "outcome": "VAS"}\n'
BUILTIN_ERRORS = {"ValueError", "RuntimeError", "TypeError", "KeyError", "IndexError", "Exception", "OSError"}


def builtin_raises(source: str) -> list[str]:
    """``raise ValueError(...)`` and the like: errors outside the package's tree."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name) and raised.id in BUILTIN_ERRORS:
                found.append(f"line {node.lineno}: {raised.id}")
    return found


def test_the_library_raises_only_errors_of_its_tree():
    assert builtin_raises("def f():\n    raise ValueError('x')\n") == ["line 2: ValueError"]
    assert builtin_raises("try:\n    pass\nexcept OSError:\n    raise\n") == []
    found = {str(p.relative_to(PACKAGE)): builtin_raises(p.read_text(encoding="utf-8")) for p in PACKAGE.rglob("*.py")}
    assert {name: where for name, where in found.items() if where} == {}


def _topic_file(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace('name = "acupuncture_sciatica"', f'name = "{name}"').replace(old, new, 1),
                    encoding="utf-8")
    return path


def _bad_topics(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Topic files that cannot be used, with words their one-line error must hold."""
    not_text = tmp_path / "latin1.toml"
    not_text.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    return {
        "not UTF-8": (not_text, "not UTF-8 text"),
        "a folder": (folder, "cannot be read"),
        "bad pattern": (_topic_file(tmp_path, "bad_pattern", r"'\bODI\b'", "'(ODI'"),
                        "'vocab.outcome.odi.patterns' has a pattern that is not a regular expression: '(ODI'"),
        "polarity in words": (_topic_file(tmp_path, "words", "lower_is_better = false", 'lower_is_better = "no"'),
                              "must be true or false, not 'no'"),
    }


def _assert_one_line_error(result, *words: str, code: int = 2) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for w in words:
        assert w in lines[0]
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("case", ["not UTF-8", "a folder", "bad pattern", "polarity in words"])
def test_a_bad_topic_file_is_one_line_for_every_command(tmp_path, case):
    path, words = _bad_topics(tmp_path)[case]
    with pytest.raises(TopicError, match=words.split(":")[0]):
        load_topic(path)
    commands = [["infer", "--topic", str(path), "-"],
                ["classify", "--topic", str(path), "--data-dir", str(tmp_path / "store")],
                ["claim", "Acupuncture works", "--topic", str(path), "--data-dir", str(tmp_path / "store")],
                ["cite", "99000001", "--topic", str(path), "--data-dir", str(tmp_path / "store")],
                ["snapshot", "check", "--topic", str(path)]]
    for args in commands:
        _assert_one_line_error(CliRunner().invoke(cli, args, input=PROMPT), str(path), words)


@pytest.mark.parametrize("url", ["http://[::1", "http://exa mple.org"])
def test_a_malformed_eutils_url_is_one_line_naming_the_option(tmp_path, url):
    result = CliRunner().invoke(cli, ["fetch", "--email", "you@example.org", "--query", "acupuncture",
                                      "--eutils-url", url, "--data-dir", str(tmp_path)])
    _assert_one_line_error(result, "is not a usable URL", "[--eutils-url or $EVIDENCE_EUTILS_URL]")
    assert not (tmp_path / "raw").exists()  # refused before anything was written


@pytest.mark.parametrize("since", ["2020/02/30", "0000/01/01", "2020/1/1/1", "yesterday"])
def test_a_day_that_does_not_exist_is_one_line(tmp_path, since):
    result = CliRunner().invoke(cli, ["fetch", "--email", "you@example.org", "--query", "acupuncture", "--since", since,
                                      "--eutils-url", "http://127.0.0.1:9", "--data-dir", str(tmp_path)])
    _assert_one_line_error(result, "is not a date", "[--since]")


def test_infer_with_a_good_topic_still_answers(tmp_path):
    """The checks above refuse bad topic files only: the shipped topic loads and answers."""
    result = CliRunner().invoke(cli, ["infer", "--topic", str(SHIPPED), "-"], input=PROMPT)
    assert result.exit_code == 0 and '"label": "decreased"' in result.stdout


def test_a_snapshot_number_too_big_for_its_column_is_one_line(tmp_path):
    """A year of 10**30 overflowed pandas' int64 cast (OverflowError) past the snapshot's type check."""
    import json

    from evidence.tables.snapshot import snapshot_dir

    rows = [json.loads(line) for line in (snapshot_dir() / "studies.jsonl").read_text(encoding="utf-8").splitlines()]
    rows[0]["year"] = 10**30
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "studies.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    (folder / "findings.jsonl").write_text((snapshot_dir() / "findings.jsonl").read_text(encoding="utf-8"), encoding="utf-8")
    checked = CliRunner().invoke(cli, ["snapshot", "check", "--folder", str(folder)])
    assert checked.exit_code == 1 and "wrong type for its column" in checked.stderr
    claimed = CliRunner(env={"EVIDENCE_SNAPSHOT_DIR": str(folder)}).invoke(
        cli, ["claim", "Acupuncture is better than nerve blocks", "--data-dir", str(tmp_path / "store")])
    _assert_one_line_error(claimed, "snapshot check failed", "wrong type for its column", code=1)
