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
