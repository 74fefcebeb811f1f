"""index.html renders in a real browser (headless Chromium) with its figures.

Skips when Debian's ``chromium`` is not installed (``apt-get install -y chromium``). The page
is opened from disk with networking features off, so a page that needed the internet would
show it here.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

from evidence.outputs.report import build_report
from evidence.ingest.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = shutil.which("chromium")
FIGURE_BLUE = np.array([0x1F, 0x4E, 0x79]) / 255  # the bars and squares of every figure
NOTICE_YELLOW = np.array([0xFF, 0xF8, 0xE1]) / 255  # the NCBI notice box

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def screenshot(page: Path, out: Path, tmp_path: Path, height: int) -> np.ndarray:
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", f"--screenshot={out}", f"--window-size=1280,{height}",
         page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    return imread(out)[:, :, :3]


def share_of(pixels: np.ndarray, colour: np.ndarray) -> float:
    return float((np.abs(pixels - colour) < 0.02).all(axis=2).mean())


def test_index_renders_with_its_figures(tmp_path):
    store = tmp_path / "store"
    Store(store).import_files([FIXTURES / "pubmed_sample.xml"])
    result = build_report(store, tmp_path / "report", snapshot_folder=FIXTURES / "snapshot_small")
    # Tall enough for the whole page, the indirect panel included: the notice box is at the end.
    pixels = screenshot(result.index, tmp_path / "index.png", tmp_path, height=14000)
    assert share_of(pixels, NOTICE_YELLOW) > 0.001
    # Figures are drawn in one blue; a page whose images failed to decode would have none of it.
    assert share_of(pixels, FIGURE_BLUE) > 0.001
