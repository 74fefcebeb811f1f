"""Settings are resolved once, at the command line.

The library never reads an environment variable and never names a command-line option in what
it says to a user: ``evidence/cli.py`` reads the variables (each listed in ``evidence --help``),
passes every setting as an argument, and adds its own option to an error that names a setting.
The notebooks take their settings as parameters that ``evidence report`` injects.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner

from evidence.cli import ENVIRONMENT, cli
from evidence.errors import InputError
from evidence.outputs.report import INJECTED_TAG, inject_parameters, notebook_parameters

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "evidence"
LIBRARY = sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "cli.py")
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
"""A long command-line option such as ``--since`` or ``--eutils-url`` (not an em-dash rule, not ``a--b``)."""


def environment_reads(source: str) -> list[str]:
    """Where ``source`` reads the environment: ``os.environ``, ``os.getenv``, ``os.environb``, or those imported."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv", "getenvb"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            found += [f"line {node.lineno}: from os import {a.name}" for a in node.names
                      if a.name in ("environ", "environb", "getenv", "getenvb")]
    return found


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string constants that are docstrings (of the module, a class or a function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                found.add(id(first.value))
    return found


def flags_in_messages(source: str) -> list[str]:
    """Command-line options named in the string literals of ``source`` (docstrings are documentation)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found += [f"line {node.lineno}: {flag}" for flag in FLAG.findall(node.value)]
    return found


def test_the_checks_find_what_they_look_for():
    """The two detectors below would catch a regression (each finds a planted one)."""
    assert environment_reads("import os\nx = os.environ.get('EVIDENCE_DATA_DIR')") == ["line 2: .environ"]
    assert environment_reads("import os\nx = os.getenv('X')") == ["line 2: .getenv"]
    assert environment_reads("from os import environ") == ["line 1: from os import environ"]
    assert environment_reads("import os\nos.replace('a', 'b')") == []
    planted = 'def f(d):\n    """Give ``--since`` here."""\n    raise ValueError(f"{d} is wrong; check --eutils-url")\n'
    assert flags_in_messages(planted) == ["line 3: --eutils-url"]
    assert flags_in_messages('x = "a -- b, 1--2, ---"') == []


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_library_reads_no_environment_and_names_no_option(path):
    source = path.read_text(encoding="utf-8")
    assert environment_reads(source) == [], f"{path.name} reads the environment; take the setting as an argument"
    assert flags_in_messages(source) == [], (
        f"{path.name} names a command-line option; give the error a `setting=` and let the CLI name its option")


def test_native_reader_and_notebooks_read_no_environment():
    texts = {p.name: p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.pyx")}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(notebook, as_version=4)
        texts[notebook.name] = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert len(texts) >= 4
    for name, text in texts.items():
        assert not re.search(r"\benviron\b|\bgetenv\b", text), name


def test_every_variable_the_cli_reads_is_listed_in_its_help():
    source = (PACKAGE / "cli.py").read_text(encoding="utf-8")
    read = set(re.findall(r"""(?:envvar=|environ\.get\()["']([A-Z_]+)["']""", source))
    assert read and read <= set(ENVIRONMENT), read - set(ENVIRONMENT)
    shown = CliRunner().invoke(cli, ["--help"]).output
    for name in ENVIRONMENT:
        assert name in shown


def test_an_error_names_its_setting_and_the_cli_its_option(tmp_path):
    """The library's message speaks of the setting; the command adds its own option and variable."""
    from evidence.ingest.fetch import fetch

    with pytest.raises(InputError) as raised:
        fetch("acupuncture", email="you@example.org", eutils_url="ftp://mirror.example.org", data_dir=tmp_path)
    assert raised.value.setting == "eutils_url" and "--" not in str(raised.value)
    result = CliRunner().invoke(cli, ["fetch", "--email", "you@example.org", "--eutils-url", "ftp://mirror.example.org",
                                      "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        ("error: the E-utilities URL must start with http:// or https://, not 'ftp://mirror.example.org' "
         "[--eutils-url or $EVIDENCE_EUTILS_URL]")]


def _broken_snapshot(tmp_path: Path) -> Path:
    folder = tmp_path / "broken-snapshot"
    folder.mkdir()
    (folder / "studies.jsonl").write_text("{not json\n", encoding="utf-8")
    (folder / "findings.jsonl").write_text("", encoding="utf-8")
    return folder


def test_snapshot_folder_comes_from_the_cli_not_the_library(tmp_path, monkeypatch):
    import evidence

    folder = _broken_snapshot(tmp_path)
    monkeypatch.setenv("EVIDENCE_SNAPSHOT_DIR", str(folder))
    # The library ignores the variable: the shipped snapshot loads.
    assert len(evidence.load(tmp_path / "empty-store")["studies"]) > 0
    # The command reads it, once, and hands the folder to the library.
    checked = CliRunner().invoke(cli, ["snapshot", "check"])
    assert checked.exit_code == 1 and "studies.jsonl:1: not valid JSON" in checked.stderr
    cited = CliRunner().invoke(cli, ["cite", "99000001", "--data-dir", str(tmp_path / "empty-store")])
    assert cited.exit_code == 1 and cited.stderr.startswith("error: snapshot check failed: studies.jsonl:1")
    assert "Traceback" not in cited.output + cited.stderr


def test_lock_timeout_that_is_not_a_number_is_one_line(tmp_path):
    result = CliRunner(env={"EVIDENCE_LOCK_TIMEOUT": "soon"}).invoke(cli, ["rebuild", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "EVIDENCE_LOCK_TIMEOUT must be a number of seconds, not 'soon'" in result.stderr
    assert "Traceback" not in result.stderr


def test_report_parameters_go_in_a_cell_after_the_parameters_cell(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"),
                nbformat.v4.new_code_cell('DATA_DIR = "../data"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(DATA_DIR)")]
    odd = tmp_path / "it's a \"store\""
    inject_parameters(nb, notebook_parameters(odd, False, None, tmp_path / "computed.pickle"))
    assert [c.metadata.get("tags", []) for c in nb.cells] == [[], ["parameters"], [INJECTED_TAG], []]
    namespace: dict = {}
    saved_path = list(sys.path)
    try:
        exec(nb.cells[2].source, namespace)  # noqa: S102 - the cell the report writes, run as the kernel would
    finally:
        sys.path[:] = saved_path
    assert namespace["sys"].path is sys.path
    assert namespace["DATA_DIR"] == str(odd) and namespace["USE_SNAPSHOT"] is False
    assert namespace["SNAPSHOT_DIR"] is None and namespace["TOPIC"] is None
    assert namespace["COMPUTED"] == str(tmp_path / "computed.pickle")
