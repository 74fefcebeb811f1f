"""The top-level package's public names, pinned: adding or dropping one is a deliberate change."""

import evidence


def test_the_public_api_is_the_curated_list():
    assert sorted(evidence.__all__) == [
        "EvidenceError", "ResultStatement", "__version__", "infer_result", "load", "read_medline", "read_pubmed",
    ]
    for name in evidence.__all__:
        assert hasattr(evidence, name), name
