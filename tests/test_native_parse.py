"""The compiled record reader (evidence/ingest/_records.pyx) gives exactly the tables of the Python one.

The Python reader in ``parse.py`` is the oracle: every file below is read both ways and every
table must be equal, value for value and dtype for dtype. Generated records push text through
every whitespace, markup, CDATA, entity and MathML case the two must agree on.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.ingest import parse
from evidence.errors import InputError, ParseError

from .conftest import FIXTURES, PEER_DATA as PEER

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic_pubmed import write_file

# Without the compiled reader there is nothing to compare; test_the_compiled_reader_is_built fails then.
needs_native = pytest.mark.skipif(parse.native_article is None, reason="evidence.ingest._records is not compiled")


def read_both(source) -> tuple[dict | str, dict | str]:
    """The tables (or the error message) from each reader."""
    out = []
    for native in (False, True):
        if isinstance(source, bytes):
            src = io.BytesIO(source)
        else:
            src = source
        try:
            out.append(parse.read_pubmed(src, native=native))
        except ParseError as exc:
            out.append(f"ParseError: {exc}")
    return out[0], out[1]


def assert_same(source) -> dict | str:
    python, native = read_both(source)
    if isinstance(python, str) or isinstance(native, str):
        assert python == native
        return python
    assert python.keys() == native.keys()
    for name in python:
        pd.testing.assert_frame_equal(python[name], native[name], obj=name)
    return python


def test_the_compiled_reader_is_built():
    # `pip install -e .` builds it; without it read_pubmed is about 2x slower. This fails rather
    # than skips, so a build that quietly dropped the extension does not pass CI.
    assert parse.native_article is not None, "evidence.ingest._records is missing or stale: run pip install -e . with a C compiler"


@needs_native
@pytest.mark.parametrize("name", ["pubmed_sample.xml", "pubmed_update.xml", "xxe.xml"])
def test_fixtures_read_the_same(name):
    assert_same(FIXTURES / name)


@needs_native
def test_real_ncbi_files_read_the_same():
    files = sorted(PEER.glob("*/pubmed*.xml")) if PEER.exists() else []
    if not files:
        pytest.skip("../shared/peer-data is absent")
    for path in files:
        tables = assert_same(path)
        assert not isinstance(tables, str), path


@needs_native
def test_synthetic_records_read_the_same(tmp_path):
    # 300 records carry every optional part the generator makes (MathML, MedlineDate, ValidYN="N", ...).
    tables = assert_same(write_file(tmp_path / "synthetic.xml", 300, seed=7))
    assert len(tables["articles"]) == 300


def test_native_true_is_refused_when_not_built(monkeypatch):
    monkeypatch.setattr(parse, "native_article", None)
    with pytest.raises(InputError, match="not compiled"):
        parse.read_pubmed(FIXTURES / "pubmed_sample.xml", native=True)
    assert len(parse.read_pubmed(FIXTURES / "pubmed_sample.xml")["articles"]) > 0  # the Python reader stands in


# Text pieces chosen to stress what the two readers must agree on: every kind of whitespace that
# str.split() knows (ASCII controls, no-break and ideographic spaces, line separators), non-ASCII
# letters, character references, inline markup, CDATA, MathML and a declared entity left unresolved.
PIECES = st.sampled_from([
    "pain", "leg pain", "  two  spaces ", "\ttab\n", "x\x1cy", "no\u00a0break", "ideo\u3000graphic",
    "line\u2028sep", "thin\u2009space", "\u0085nel", "Müller", "日本語", "&amp;", "&lt;5", "&#233;", "&#x2009;",
    "<i>italic</i>", "<sup>2</sup>", "<b> bold </b>", "<i>a<sub>b</sub> c</i>", "<![CDATA[ raw <text> ]]>",
    "<mml:math><mml:mi> V </mml:mi><mml:mo>.</mml:mo><mml:msub><mml:mi>O</mml:mi><mml:mn>2</mml:mn></mml:msub></mml:math>",
    "&ent;", "", " ", "\n", "1998 Dec", "2019", "Spring", "Q1", "PMC123", "10.1000/x",
    "0000-0002-1825-0097", "https://orcid.org/", "000000021825009x", "-", "1234", "X",
    "\x7f", "a\u0080b", "\u009f ", "&#x7f;", "&#133;", "doi:10.1000/a b", "PMC", "012",
])
TEXT = st.lists(PIECES, max_size=6).map("".join)


def label(text: str) -> str:
    """Attribute-safe text: letters, digits and spaces only."""
    return "".join(c for c in text if c.isalnum() or c == " ")[:12]


def record_xml(pmid: int, t: list[str]) -> str:
    return f"""<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID>{pmid}</PMID>
<Article><Journal><JournalIssue><Volume>{t[1]}</Volume><Issue>{t[2]}</Issue><PubDate><Year>{t[3]}</Year><Season>{t[4]}</Season><Day>{t[5]}</Day><MedlineDate>{t[6]}</MedlineDate></PubDate></JournalIssue>
<Title>{t[7]}</Title><ISOAbbreviation>{t[8]}</ISOAbbreviation></Journal>
<ArticleTitle>{t[9]}</ArticleTitle><Pagination><StartPage>{t[10]}</StartPage><EndPage>{t[11]}</EndPage><MedlinePgn>{t[12]}</MedlinePgn></Pagination>
<ELocationID EIdType="doi" ValidYN="Y">{t[13]}</ELocationID>
<Abstract><AbstractText Label="{label(t[14])}">{t[15]}</AbstractText><AbstractText>{t[16]}</AbstractText></Abstract>
<AuthorList><Author ValidYN="Y"><LastName>{t[17]}</LastName><ForeName>{t[18]}</ForeName><Initials>{t[19]}</Initials>
<Identifier Source="ORCID">{t[20]}</Identifier><AffiliationInfo><Affiliation>{t[21]}</Affiliation></AffiliationInfo></Author>
<Author ValidYN="N"><LastName>{t[22]}</LastName></Author><Author><CollectiveName>{t[23]}</CollectiveName></Author></AuthorList>
<Language>{t[24]}</Language><PublicationTypeList><PublicationType UI="D1">{t[25]}</PublicationType></PublicationTypeList>
<VernacularTitle>{t[26]}</VernacularTitle><ArticleDate><Year>{t[27]}</Year></ArticleDate></Article>
<MedlineJournalInfo><Country>{t[28]}</Country><MedlineTA>{t[29]}</MedlineTA></MedlineJournalInfo>
<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn"><RefSource>{t[30]}</RefSource><PMID>{t[31]}</PMID></CommentsCorrections></CommentsCorrectionsList>
<MeshHeadingList><MeshHeading><DescriptorName UI="D2" MajorTopicYN="N">{t[32]}</DescriptorName><QualifierName MajorTopicYN="Y">{t[33]}</QualifierName></MeshHeading></MeshHeadingList>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pmc">{t[34]}</ArticleId><ArticleId IdType="doi">{t[35]}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>"""


HEAD = ('<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [<!ENTITY ent "ENTITY TEXT">]>\n'
        '<PubmedArticleSet xmlns:mml="http://www.w3.org/1998/Math/MathML">')


@needs_native
@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(TEXT, min_size=36, max_size=36), min_size=1, max_size=3))
def test_generated_records_read_the_same(records):
    body = "".join(record_xml(99000000 + i, texts) for i, texts in enumerate(records))
    assert_same((HEAD + body + "</PubmedArticleSet>").encode())


@needs_native
def test_entities_in_attributes_read_the_same():
    # lxml's .get() substitutes a declared entity inside an attribute value; the compiled reader
    # must read ValidYN="&yes;" as "Y" too, and keep "a&yes;b" whole.
    head = HEAD.replace("]>", '<!ENTITY yes "Y">]>')
    body = """<PubmedArticle><MedlineCitation><PMID>99000001</PMID><Article><ArticleTitle>T</ArticleTitle>
<ELocationID EIdType="d&ent;" ValidYN="Y">10.1000/a</ELocationID><ELocationID EIdType="doi" ValidYN="&yes;">10.1000/b</ELocationID>
<Abstract><AbstractText Label="a&yes;b" NlmCategory="&ent;">x</AbstractText></Abstract>
<AuthorList><Author ValidYN="&yes;"><LastName>A</LastName></Author><Author ValidYN="N&yes;"><LastName>B</LastName></Author></AuthorList>
</Article><MeshHeadingList><MeshHeading><DescriptorName UI="D&yes;" MajorTopicYN="&yes;">M</DescriptorName></MeshHeading></MeshHeadingList>
</MedlineCitation></PubmedArticle>"""
    tables = assert_same((head + body + "</PubmedArticleSet>").encode())
    assert tables["articles"]["doi"].tolist() == ["10.1000/b"]
    assert tables["authors"]["last_name"].tolist() == ["A"]
    assert tables["mesh"]["major"].tolist() == [True]


@needs_native
def test_orcid_forms_read_the_same():
    # The compiled reader matches ORCID iDs without the regex: random strings of ORCID characters.
    rng = random.Random(1)
    texts = ["0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-009X", "000000021825009x", "0000--0002-1825-0097"]
    texts += ["".join(rng.choice("0123456789-Xx /:ab") for _ in range(rng.randint(0, 24))) for _ in range(1000)]
    texts += ["".join(rng.choice("0123456789-X") for _ in range(rng.randint(14, 22))) for _ in range(1000)]
    authors = "".join(
        f'<Author><LastName>A{i}</LastName><Identifier Source="ORCID">{t}</Identifier></Author>' for i, t in enumerate(texts)
    )
    body = f"<PubmedArticle><MedlineCitation><PMID>99000001</PMID><Article><AuthorList>{authors}</AuthorList></Article></MedlineCitation></PubmedArticle>"
    tables = assert_same((HEAD + body + "</PubmedArticleSet>").encode())
    assert tables["authors"]["orcid"].iloc[:3].tolist() == ["0000-0002-1825-0097", "0000-0002-1825-009X", "0000-0002-1825-009X"]
    assert tables["authors"]["orcid"].notna().sum() > 10


@needs_native
def test_mutated_sample_reads_the_same():
    # The fuzz test's kind of damage, at fixed places: both readers accept or refuse alike.
    data = (FIXTURES / "pubmed_sample.xml").read_bytes()
    for pos in range(0, len(data), max(1, len(data) // 60)):
        for chunk in (b"<", b"x", b"</Author>", b"&ent;", b" "):
            mutated = data[:pos] + chunk + data[pos + len(chunk):]
            assert_same(mutated)


def simple_record(pmid: str, title: str = "A title", extra: str = "") -> str:
    return (f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><ArticleTitle>{title}</ArticleTitle>"
            f"</Article></MedlineCitation>{extra}</PubmedArticle>\n")


# What adversarial runs stored as PMIDs before, and what else is not 1-8 ASCII digits.
BAD_PMIDS = ["abc", "12345678901234567890", "-5", "../..", "\u0661\u0662\u0663", "00012345", "\u00b9\u00b2\u00b3",
             "123456789", "0", "12 34", "&#x31;&#x32;x"]


@needs_native
@pytest.mark.parametrize("bad", BAD_PMIDS)
def test_invalid_pmids_are_refused_alike_with_their_place(bad):
    body = HEAD + "\n" + simple_record("99000001") + simple_record(bad) + "</PubmedArticleSet>"
    message = assert_same(body.encode())
    assert isinstance(message, str)
    assert "record 2 (PubmedArticle at line 5): PMID " in message and "is not valid" in message
    assert "the file is refused" in message and "(after PMID 99000001)" in message


@needs_native
def test_control_characters_are_removed_alike():
    # XML cannot carry NUL, but DEL and the C1 controls (U+0080-U+009F) are legal characters.
    title = "Ti\x7ftle \u0080with\u009f controls &#x7f; and&#133;a next line"
    record = simple_record("99000001", title).replace(
        "</Article>", '<Abstract><AbstractText Label="AIM&#x9f;S" NlmCategory="\x7fOBJECTIVE">x</AbstractText></Abstract></Article>')
    tables = assert_same((HEAD + record + "</PubmedArticleSet>").encode())
    assert tables["articles"]["title"].tolist() == ["Title with controls and a next line"]
    assert tables["abstract_sections"][["label", "nlm_category"]].values.tolist() == [["AIMS", "OBJECTIVE"]]


@needs_native
def test_malformed_dois_and_pmc_ids_are_dropped_alike():
    ids = ('<PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/good.1</ArticleId>'
           '<ArticleId IdType="pmc">12345</ArticleId><ArticleId IdType="pmc">PMC7654321</ArticleId>'
           '<ArticleId IdType="pubmed">0099</ArticleId><ArticleId IdType="pii">S0-anything</ArticleId>'
           '</ArticleIdList></PubmedData>')
    record = simple_record("99000001", extra=ids).replace(
        "</ArticleTitle>", '</ArticleTitle><ELocationID EIdType="doi" ValidYN="Y">not a doi</ELocationID>')
    refs = ('<CommentsCorrectionsList><CommentsCorrections RefType="ErratumIn"><RefSource>X</RefSource>'
            '<PMID>00042</PMID></CommentsCorrections></CommentsCorrectionsList>')
    record = record.replace("</MedlineCitation>", refs + "</MedlineCitation>")
    tables = assert_same((HEAD + record + "</PubmedArticleSet>").encode())
    a = tables["articles"].iloc[0]
    assert a["doi"] == "10.1000/good.1" and a["pmcid"] == "PMC7654321"
    assert tables["article_ids"][["id_type", "value"]].values.tolist() == [
        ["doi", "10.1000/good.1"], ["pmc", "PMC7654321"], ["pii", "S0-anything"]]
    assert tables["corrections"]["ref_pmid"].isna().all()


@needs_native
def test_delete_citation_with_a_bad_pmid_is_refused():
    body = HEAD + simple_record("99000001") + "<DeleteCitation><PMID>12a</PMID></DeleteCitation></PubmedArticleSet>"
    message = assert_same(body.encode())
    assert isinstance(message, str) and "record 2 (DeleteCitation at line 4)" in message
