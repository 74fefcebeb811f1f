"""Property-based: truncated or mutated valid files give correct tables or the documented error."""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import evidence
from evidence.errors import ParseError
from evidence.tables.schema import RECORD_TABLES, validate

from .conftest import FIXTURES

XML = (FIXTURES / "pubmed_sample.xml").read_bytes()
NBIB = (FIXTURES / "sample.nbib").read_bytes()
# Deterministic by default, so CI is reproducible; FUZZ_RANDOM=1 FUZZ_EXAMPLES=5000 explores further.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                derandomize=os.environ.get("FUZZ_RANDOM") != "1", suppress_health_check=[HealthCheck.too_slow])


def check(reader, data: bytes) -> None:
    try:
        tables = reader(io.BytesIO(data))
    except ParseError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    for name, table in RECORD_TABLES.items():
        assert validate(tables[name], table) == [], name
    arts = tables["articles"]
    assert arts["pmid"].str.fullmatch(r"\d+").all()
    assert arts["pmid"].is_unique


END = XML.rindex(b"</PubmedArticleSet>") + len(b"</PubmedArticleSet>")


@FUZZ
@given(st.integers(min_value=0, max_value=END - 1))
def test_truncated_xml(cut):
    data = XML[:cut]
    try:
        evidence.read_pubmed(io.BytesIO(data))
    except ParseError:
        return
    raise AssertionError(f"a file cut at byte {cut} of {len(XML)} was accepted")


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(XML) - 1), st.binary(min_size=0, max_size=8)), min_size=1, max_size=6))
def test_mutated_xml(edits):
    data = bytearray(XML)
    for pos, chunk in edits:
        data[pos:pos + len(chunk)] = chunk
    check(evidence.read_pubmed, bytes(data))


@FUZZ
@example(709, [])  # once cut a 'CN  - ' line to an empty collective name
@given(st.integers(min_value=0, max_value=len(NBIB)), st.lists(st.tuples(st.integers(0, len(NBIB) - 1), st.binary(max_size=6)), max_size=4))
def test_truncated_or_mutated_medline(cut, edits):
    data = bytearray(NBIB[:cut])
    for pos, chunk in edits:
        if pos < len(data):
            data[pos:pos + len(chunk)] = chunk
    check(evidence.read_medline, bytes(data))
