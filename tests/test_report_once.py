"""One computation per report: `evidence report` loads the tables and synthesizes once, and the
notebooks read that saved result instead of computing their own.

The count is taken from the audit events ``evidence.load`` and ``evidence.synthesize`` that the
library raises (:func:`sys.audit`), in the report process and in every notebook kernel: a
``sitecustomize`` module on ``PYTHONPATH`` adds a hook that writes each event to a file. Nothing in
the library is patched.
"""

from __future__ import annotations

import collections
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from evidence.outputs.report import ReportInputs, report_inputs

HOOK = '''
import os, sys

def _count(event, args, _log=os.environ["AUDIT_EVENTS_LOG"]):
    if event.startswith("evidence."):
        with open(_log, "a", encoding="utf-8") as f:
            f.write(f"{event} {args[0]}\\n")

sys.addaudithook(_count)
'''


def _report_events(tmp_path: Path) -> collections.Counter:
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    log = tmp_path / "events.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EVIDENCE_", "NCBI_"))}
    env |= {"PYTHONPATH": str(hook_dir), "AUDIT_EVENTS_LOG": str(log)}
    done = subprocess.run([sys.executable, "-m", "evidence", "report", "--data-dir", str(tmp_path / "data"),
                           "--out", str(tmp_path / "r")], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "r" / "index.html").is_file()
    return collections.Counter(tuple(line.split(" ", 1)) for line in log.read_text(encoding="utf-8").splitlines())


@pytest.mark.slow
def test_report_loads_and_synthesizes_once(tmp_path):
    """Before this change: 4 loads (the report and each of the 3 notebooks) and 2 syntheses of all 86
    findings (the report and notebook 02), besides the claims notebook's 2 syntheses of a selection."""
    events = _report_events(tmp_path)
    loads = sum(n for (event, _), n in events.items() if event == "evidence.load")
    sizes = collections.Counter({int(size): n for (event, size), n in events.items() if event == "evidence.synthesize"})
    assert loads == 1, events
    everything = max(sizes)
    assert sizes[everything] == 1, events  # the report's synthesis of all findings, read by every notebook
    # What remains is the claims notebook's own work: a claim about some comparators synthesises only
    # their findings, one selection at a time (4 claims, never more than one computation each).
    assert sum(n for size, n in sizes.items() if size < everything) <= 4, events


def test_notebook_inputs_standalone_and_saved(tmp_path):
    """A notebook run on its own loads and synthesizes; in a report it reads the saved result."""
    alone = report_inputs(None, tmp_path / "empty-store", True)
    assert len(alone.tables["findings"]) > 0
    synthesis = alone.synthesis
    assert len(synthesis.rows) == len(alone.tables["findings"])
    saved = tmp_path / "computed.pickle"
    saved.write_bytes(pickle.dumps(ReportInputs(alone.tables, synthesis)))
    read = report_inputs(saved, tmp_path / "not-read", False)
    assert read.tables["findings"].equals(alone.tables["findings"])
    assert read.synthesis.summary_frame().equals(synthesis.summary_frame())
