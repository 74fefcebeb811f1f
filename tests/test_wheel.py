"""The package as users get it: a wheel built from this checkout, installed (not editable) into a
fresh virtual environment, runs `report`, `claim` and `cite` from an empty folder.

This proves the wheel carries the notebooks, the snapshot, the CSL styles, the topic, the
claim JSON schema and the sentence selector's weights (see setup.py and ``evidence.package_data``), and that nothing reads the checkout.
Dependencies are resolved by pip as a user's install would (the pip cache makes it quick).
The test skips, naming the reason, only when the build tools themselves cannot run here: no
``venv``/``ensurepip``, or a package index that cannot supply the build or runtime requirements.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import venv
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
CLAIM = "Acupuncture outperforms epidural steroid injections for sciatica"
UNREACHABLE_INDEX = ("No matching distribution found", "Could not find a version that satisfies",
                     "Failed to establish a new connection")
"""pip's words for an index that cannot supply a requirement: the environment, not the package."""


def _clean_env() -> dict[str, str]:
    """The environment without settings that would let the checkout stand in for the installed package."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("EVIDENCE_", "NCBI_", "PYTHON", "VIRTUAL_ENV"))}


def _pip(*args: str, python: str | Path = sys.executable, cwd: Path = ROOT) -> None:
    done = subprocess.run([str(python), "-m", "pip", *args, "--disable-pip-version-check"], cwd=cwd,
                          env=_clean_env(), capture_output=True, text=True, timeout=900, check=False)
    if done.returncode != 0:
        said = done.stderr + done.stdout
        if any(words in said for words in UNREACHABLE_INDEX):
            pytest.skip(f"pip {args[0]} cannot get its requirements from the package index here: "
                        f"{next(line for line in said.splitlines() if any(w in line for w in UNREACHABLE_INDEX))}")
        pytest.fail(f"pip {' '.join(args)} failed:\n{said[-3000:]}")


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(command, cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{' '.join(command)} exited {done.returncode}:\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh venv holding the wheel built from this checkout."""
    where = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--wheel-dir", str(where / "dist"), str(ROOT))
    wheels = list((where / "dist").glob("evidence-*.whl"))
    assert len(wheels) == 1, wheels
    try:
        venv.EnvBuilder(with_pip=True).create(where / "venv")
    except (OSError, subprocess.CalledProcessError) as exc:  # no ensurepip (Debian without python3-venv)
        pytest.skip(f"cannot create a virtual environment with pip here: {exc}")
    bin_dir = where / "venv" / "bin"
    _pip("install", "--quiet", str(wheels[0]), python=bin_dir / "python", cwd=where)
    return bin_dir


@pytest.mark.slow
def test_wheel_installs_and_runs_from_an_empty_folder(installed, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    module = _run([str(installed / "python"), "-c", "import evidence; print(evidence.__file__)"], empty).stdout
    assert Path(module.strip()).is_relative_to(installed.parent), module  # the installed copy, not the checkout
    # The learned sentence selector's weights are package data: without them infer_result would
    # quietly fall back to the rules' order.
    check = "from evidence.extract.selector import load_shipped; print(load_shipped() is not None)"
    shipped = _run([str(installed / "python"), "-c", check], empty).stdout
    assert shipped.strip() == "True", "the selector weights are not in the installed package"

    _run([str(installed / "evidence"), "report", "--out", "r"], empty)
    index = (empty / "r" / "index.html").read_text(encoding="utf-8")
    assert "Bottom line" in index
    assert re.search(r"curated snapshot: \d+ studies, \d+ findings", index), "the bundled snapshot was not read"
    assert "Certainty:" in index
    assert sorted(p.name for p in (empty / "r").glob("0*.html")) == [
        p.with_suffix(".html").name for p in sorted((ROOT / "notebooks").glob("*.ipynb"))]

    claim = _run([str(installed / "evidence"), "claim", CLAIM], empty).stdout
    assert claim.splitlines()[0] == f"Claim: {CLAIM}"
    assert re.search(r"^Verdict: \S", claim, re.MULTILINE), claim

    verdict = json.loads(_run([str(installed / "evidence"), "claim", CLAIM, "--json"], empty).stdout)
    schemas = list(installed.parent.glob("lib/python3*/site-packages/evidence/outputs/claims/verdict.schema.json"))
    assert len(schemas) == 1, "the claim JSON schema is not in the installed package"
    jsonschema.validate(verdict, json.loads(schemas[0].read_text(encoding="utf-8")))

    cited = _run([str(installed / "evidence"), "cite", "39401008"], empty).stdout
    assert "PMID: 39401008" in cited and "Sciatica" in cited  # an AMA reference from the bundled snapshot
