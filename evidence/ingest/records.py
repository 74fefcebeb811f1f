"""One entry point for any record file: tell its format, then read it into tables."""

from __future__ import annotations


import pandas as pd

from .medline import read_medline
from .parse import read_pubmed
from .sources import Source, sniff_format

READERS = {"pubmed_xml": read_pubmed, "medline": read_medline}


def read_records(source: Source, fmt: str | None = None) -> tuple[dict[str, pd.DataFrame], str]:
    """Read a PubMed XML or MEDLINE file, telling which by content when ``fmt`` is None.

    Returns the tables and the format name ('pubmed_xml' or 'medline').
    """
    if fmt is None:
        fmt = sniff_format(source)
    return READERS[fmt](source), fmt
