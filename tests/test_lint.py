"""Lint and type checks run with the tests, so the README's test command (and CI) covers them.

Settings live in pyproject.toml (`[tool.ruff]`, `[tool.mypy]`). Both tools are in the `test`
extra; a missing tool is a failure here, not a skip, because CI must never pass unlinted code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.parametrize("command", [["ruff", "check", "."], ["mypy"]], ids=["ruff", "mypy"])
def test_the_code_passes_its_checker(command):
    tool = BIN / command[0]
    assert tool.exists(), f"{command[0]} is not installed beside this Python: pip install -e '.[test]'"
    done = subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False, timeout=900)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _module_names_bound_twice(source: str) -> list[str]:
    """Module-level names a file binds more than once (assignment, def or class)."""
    import ast
    seen: set[str] = set()
    twice = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names = [node.target.id]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [node.name]
        else:
            continue
        twice += [n for n in names if n in seen]
        seen.update(names)
    return twice


def test_no_module_binds_a_name_twice():
    # Two branches that each add a pattern of the same name merge without a conflict, and the later
    # one silently replaces the earlier wherever it is used (seen once, in findings.py); ruff flags
    # only re-imports and re-defined functions that were never used.
    assert _module_names_bound_twice("A = 1\nB = 2\nA = 3\n") == ["A"]
    found = {str(path.relative_to(ROOT)): twice for path in sorted((ROOT / "evidence").rglob("*.py"))
             if (twice := _module_names_bound_twice(path.read_text(encoding="utf-8")))}
    assert not found, found
