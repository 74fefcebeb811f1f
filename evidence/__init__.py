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

from .tables.dataset import load
from .errors import EvidenceError
from .extract.infer import ResultStatement, infer_result
from .ingest.medline import read_medline
from .ingest.parse import read_pubmed

__all__ = ["EvidenceError", "ResultStatement", "__version__", "infer_result", "load", "read_medline", "read_pubmed"]
