"""evidence: PubMed records to tidy tables, syntheses, reports and claim checks.

Public API (pandas-style)::

    import evidence
    tables = evidence.read_pubmed("pubmed.xml.gz")     # dict of DataFrames
    tables = evidence.read_medline("export.nbib")
    tables = evidence.load("data")                      # the store (+ embedded snapshot)
    statement = evidence.infer_result(abstract, intervention="acupuncture", comparator="sham",
                                      outcome="leg pain")  # increased / decreased / no_difference / None
"""

__version__ = "0.1.0"

from .dataset import load  # noqa: E402
from .errors import EvidenceError  # noqa: E402
from .infer import ResultStatement, infer_result  # noqa: E402
from .medline import read_medline  # noqa: E402
from .parse import read_pubmed  # noqa: E402

__all__ = ["EvidenceError", "ResultStatement", "infer_result", "load", "read_medline", "read_pubmed", "__version__"]
