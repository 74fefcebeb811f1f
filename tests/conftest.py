from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
# ../shared/peer-data sits beside the repository on developer machines and in CI; a user's
# fresh clone has no shared/ folder, so tests that read it skip.
PEER_DATA = Path(__file__).resolve().parents[2] / "shared" / "peer-data"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def peer_data() -> Path:
    if not PEER_DATA.is_dir():
        pytest.skip("../shared/peer-data is not present (only on developer and CI machines)")
    return PEER_DATA


@pytest.fixture(scope="module")
def topic():
    from evidence.topic.model import load_topic

    return load_topic()


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    from .labelled import load_labelled

    return load_labelled()


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """A store holding the six records of pubmed_sample.xml (one retracted)."""
    from evidence.ingest.store import Store

    path = tmp_path_factory.mktemp("store")
    Store(path).import_files([FIXTURES / "pubmed_sample.xml"])
    return path


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    """Every test starts without EVIDENCE_* and NCBI_* settings from the developer's shell or CI.

    A stray EVIDENCE_DATA_DIR or EVIDENCE_SNAPSHOT_DIR would point tests at another store or
    snapshot, and NCBI_API_KEY could reach a request; a test that needs one sets it itself.
    """
    for name in list(os.environ):
        if name.startswith(("EVIDENCE_", "NCBI_")):
            monkeypatch.delenv(name)
