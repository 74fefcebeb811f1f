"""read_pubmed on fixtures written for this project, on real NCBI files, and on hostile input."""

from __future__ import annotations

import gzip
import re
import io
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

import evidence
from evidence.errors import InputError, ParseError
from evidence.tables.schema import RECORD_TABLES, validate

from .conftest import FIXTURES

DTD_PATH = Path(__import__("Bio").__file__).parent / "Entrez" / "DTDs" / "pubmed_250101.dtd"


@pytest.fixture(scope="module")
def sample() -> dict[str, pd.DataFrame]:
    return evidence.read_pubmed(FIXTURES / "pubmed_sample.xml")


def article(tables, pmid):
    rows = tables["articles"][tables["articles"]["pmid"] == pmid]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize("name", ["pubmed_sample.xml", "pubmed_update.xml"])
def test_fixtures_are_valid_against_ncbi_dtd(name):
    dtd = etree.DTD(str(DTD_PATH))
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    doc = etree.parse(str(FIXTURES / name), parser)
    assert dtd.validate(doc), dtd.error_log.filter_from_errors()


def test_tables_follow_their_contracts(sample):
    for name, table in RECORD_TABLES.items():
        assert validate(sample[name], table) == [], name


def test_structured_abstract_keeps_labels_and_order(sample):
    a = article(sample, "99000001")
    assert a["abstract"].startswith("BACKGROUND: Leg pain")
    assert "\nMETHODS: We randomly assigned 100 adults" in a["abstract"]
    sections = sample["abstract_sections"]
    s = sections[sections["pmid"] == "99000001"]
    assert s["label"].tolist() == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert s["nlm_category"].tolist() == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert s["position"].tolist() == [1, 2, 3, 4]


def test_inline_markup_keeps_its_text(sample):
    a = article(sample, "99000001")
    assert a["title"] == (
        "Electroacupuncture versus transforaminal epidural steroid injection for lumbar radicular pain: "
        "a randomized trial with 102 participants."
    )
    assert "with no significant difference" in a["abstract"]
    protocol = article(sample, "99000004")
    assert "H2O appears" in protocol["abstract"] and "with x+1 inline." in protocol["abstract"]


def test_entities_and_unicode_are_decoded(sample):
    a = article(sample, "99000003")
    assert a["title"] == "Acupuncture for sciatica: a systematic review & meta-analysis of α-level trials (retracted)."
    assert "SMD −0.5" in a["abstract"]
    authors = sample["authors"]
    names = authors[authors["pmid"] == "99000001"]["last_name"].tolist()
    assert names[:3] == ["Müller", "van der Berg", "Nguyễn"]


def test_missing_abstract(sample):
    a = article(sample, "99000002")
    assert pd.isna(a["abstract"]) and not a["has_abstract"]
    assert article(sample, "99000001")["has_abstract"]


def test_dates_year_medlinedate_season_and_articledate(sample):
    assert article(sample, "99000001")["year"] == 2023
    assert article(sample, "99000001")["pub_date"] == "2023 Mar 14"
    assert article(sample, "99000002")["year"] == 1998  # MedlineDate "1998 Dec-1999 Jan": first year
    assert article(sample, "99000002")["pub_date"] == "1998 Dec-1999 Jan"
    assert article(sample, "99000003")["pub_date"] == "2019 Winter"
    assert article(sample, "99000005")["year"] == 2021  # MedlineDate "Spring 2021"


def test_authors_collective_invalid_orcid_affiliations(sample):
    authors = sample["authors"]
    a = authors[authors["pmid"] == "99000001"].reset_index(drop=True)
    # The ValidYN="N" misspelling is dropped; positions stay contiguous.
    assert a["position"].tolist() == [1, 2, 3, 4]
    assert a.loc[3, "collective_name"] == "Invented Needling Trial Group"
    assert pd.isna(a.loc[3, "last_name"])
    assert a.loc[0, "orcid"] == "0000-0002-1825-009X"
    assert a.loc[0, "affiliations"] == ["Invented Spine Institute, Zürich, Switzerland.", "Second Invented Clinic, Basel, Switzerland."]
    assert a.loc[1, "affiliations"] == []


def test_identifiers_mesh_and_publication_types(sample):
    a = article(sample, "99000001")
    assert a["doi"] == "10.9999/jipr.2023.0001" and a["pmcid"] == "PMC9900001"
    assert a["publication_types"] == ["Journal Article", "Randomized Controlled Trial"]
    mesh = sample["mesh"][sample["mesh"]["pmid"] == "99000001"].set_index("descriptor")
    assert bool(mesh.loc["Electroacupuncture", "major"])  # major through its qualifier
    assert mesh.loc["Sciatica", "descriptor_ui"] == "D012585"
    assert not bool(mesh.loc["Humans", "major"])


def test_retraction_notice_flags_the_article(sample):
    a = article(sample, "99000003")
    assert a["is_retracted"]
    c = sample["corrections"]
    assert set(c[c["pmid"] == "99000003"]["ref_type"]) == {"RetractionIn", "ErratumIn"}
    assert c[(c["pmid"] == "99000003") & (c["ref_type"] == "RetractionIn")]["ref_pmid"].iloc[0] == "99000009"
    assert not article(sample, "99000001")["is_retracted"]


def test_book_article_is_kept(sample):
    b = article(sample, "99000006")
    assert b["record_type"] == "book"
    assert b["title"] == "Needling therapies for radicular leg pain"
    assert b["journal"] == "Invented Handbook of Spinal Pain"
    assert b["year"] == 2022
    authors = sample["authors"]
    assert authors[authors["pmid"] == "99000006"]["last_name"].tolist() == ["Jones"]


def test_gzip_path_and_binary_stream_give_the_same_tables(sample, tmp_path):
    raw = (FIXTURES / "pubmed_sample.xml").read_bytes()
    gz = tmp_path / "sample.xml.gz"
    gz.write_bytes(gzip.compress(raw))
    for source in (gz, io.BytesIO(raw), io.BytesIO(gzip.compress(raw))):
        got = evidence.read_pubmed(source)
        pd.testing.assert_frame_equal(got["articles"].drop(columns="source"), sample["articles"].drop(columns="source"))
        pd.testing.assert_frame_equal(got["authors"], sample["authors"])


def test_a_text_stream_is_refused_with_a_one_line_error():
    # A stream opened in text mode has neither peek nor readinto: it used to fail with an AttributeError.
    raw = (FIXTURES / "pubmed_sample.xml").read_text(encoding="utf-8")
    for reader in (evidence.read_pubmed, evidence.read_medline):
        with pytest.raises(InputError, match=r"not a binary stream; .* binary mode \('rb'\)"):
            reader(io.StringIO(raw))


def test_delete_citation_and_duplicates_within_a_file(tmp_path):
    t = evidence.read_pubmed(FIXTURES / "pubmed_update.xml")
    assert t["deleted"]["pmid"].tolist() == ["99000005"]
    raw = (FIXTURES / "pubmed_update.xml").read_text(encoding="utf-8")
    start, end = raw.index("<PubmedArticle>"), raw.index("</PubmedArticle>") + len("</PubmedArticle>")
    first = raw[start:end].replace("(corrected title)", "(older copy)")
    doubled = raw[:start] + first + raw[start:]  # older copy first, the later one wins
    path = tmp_path / "dup.xml"
    path.write_text(doubled, encoding="utf-8")
    t = evidence.read_pubmed(path)
    assert t["articles"]["pmid"].tolist() == ["99000002"]
    assert t["articles"]["title"].iloc[0].endswith("(corrected title).")
    assert t["authors"]["last_name"].tolist() == ["Chen", "Li"]


def test_external_entity_does_not_leak_a_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    xml = (FIXTURES / "xxe.xml").read_text(encoding="utf-8").replace("SECRET_PATH", secret.as_uri())
    path = tmp_path / "xxe.xml"
    path.write_text(xml, encoding="utf-8")
    tables = evidence.read_pubmed(path)
    assert tables["articles"]["title"].iloc[0] == "Entity test end"
    for df in tables.values():
        assert "TOP-SECRET" not in df.astype(str).to_csv()


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"hello, this is not xml", "not XML"),
        (b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>", "truncated"),
        (b"<?xml version='1.0'?><eSearchResult><Count>0</Count></eSearchResult>", "wrong root element <eSearchResult>"),
        (b"<html><body><PubmedArticle/></body></html>", "wrong root element <body>"),
    ],
)
def test_bad_input_gives_a_parse_error(tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=message) as info:
        evidence.read_pubmed(path)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_damaged_gzip_gives_a_parse_error(tmp_path):
    path = tmp_path / "cut.xml.gz"
    path.write_bytes(gzip.compress((FIXTURES / "pubmed_sample.xml").read_bytes())[:300])
    with pytest.raises(ParseError):
        evidence.read_pubmed(path)


# --- real NCBI files, checked against Biopython's own reader ---------------------------------

def _entrez_records(path: Path) -> list[dict]:
    from Bio import Entrez

    with open(path, "rb") as fh:
        data = Entrez.read(fh, validate=False)
    return list(data["PubmedArticle"]) + list(data.get("PubmedBookArticle", []))


def _norm(text: object) -> str:
    # Bio.Entrez keeps inline markup as literal tags (<i>TERT</i>); the tables keep the words.
    return " ".join(re.sub(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>", "", str(text)).split())


def test_real_pubmed_files_agree_with_bio_entrez(peer_data):
    files = sorted(peer_data.glob("*/pubmed*.xml"))
    assert files, "no real PubMed files found"
    for path in files:
        tables = evidence.read_pubmed(path)
        articles = tables["articles"].set_index("pmid")
        records = _entrez_records(path)
        assert sorted(articles.index) == sorted(str(r["MedlineCitation"]["PMID"]) for r in records), path
        for r in records:
            mc = r["MedlineCitation"]
            pmid = str(mc["PMID"])
            art = mc["Article"]
            assert articles.loc[pmid, "title"] == _norm(art["ArticleTitle"]), (path, pmid)
            texts = [_norm(t) for t in art.get("Abstract", {}).get("AbstractText", [])]
            sections = tables["abstract_sections"]
            got = sections[sections["pmid"] == pmid]["text"].tolist()
            # Compare without whitespace: Bio.Entrez keeps MathML layout whitespace, the tables drop it.
            assert [re.sub(r"\s", "", t) for t in got] == [re.sub(r"\s", "", t) for t in texts if t], (path, pmid)
            want_authors = [
                (_norm(a.get("LastName", "")) or None, _norm(a.get("CollectiveName", "")) or None)
                for a in art.get("AuthorList", []) if a.attributes.get("ValidYN", "Y") == "Y"
            ]
            au = tables["authors"][tables["authors"]["pmid"] == pmid]
            got_authors = [
                (None if pd.isna(x) else x, None if pd.isna(y) else y)
                for x, y in zip(au["last_name"], au["collective_name"])
            ]
            assert got_authors == want_authors, (path, pmid)
            dois = [str(i) for i in r["PubmedData"]["ArticleIdList"] if i.attributes.get("IdType") == "doi"]
            dois += [str(e) for e in art.get("ELocationID", []) if e.attributes.get("EIdType") == "doi"]
            doi = articles.loc[pmid, "doi"]
            assert (pd.isna(doi) and not dois) or doi in dois, (path, pmid)


def test_duplicates_across_flushed_chunks_keep_the_latest_version(tmp_path, monkeypatch):
    from evidence.ingest.parse import Rows

    monkeypatch.setattr(Rows, "FLUSH_EVERY", 2)  # so the records below span several chunks
    raw = (FIXTURES / "pubmed_sample.xml").read_text(encoding="utf-8")
    start, end = raw.index("<PubmedArticle>"), raw.index("</PubmedArticle>") + len("</PubmedArticle>")
    newer = raw[start:end].replace("randomized trial with", "randomized trial (corrected) with")
    path = tmp_path / "dup.xml"
    path.write_text(raw.replace("</PubmedArticleSet>", newer + "</PubmedArticleSet>"), encoding="utf-8")
    chunked = evidence.read_pubmed(path)
    assert chunked["articles"]["pmid"].is_unique and len(chunked["articles"]) == 6
    title = chunked["articles"].set_index("pmid").loc["99000001", "title"]
    assert "(corrected)" in title
    authors = chunked["authors"]
    assert authors[authors["pmid"] == "99000001"]["position"].tolist() == [1, 2, 3, 4]
    monkeypatch.undo()
    whole = evidence.read_pubmed(path)
    for name in whole:
        key = [c for c in ("pmid", "position", "descriptor", "publication_type", "id_type", "value", "ref_type") if c in whole[name]]
        a = whole[name].sort_values(key).reset_index(drop=True) if key else whole[name]
        b = chunked[name].sort_values(key).reset_index(drop=True) if key else chunked[name]
        pd.testing.assert_frame_equal(a, b, obj=name)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_xml_is_read(sample, tmp_path, encoding):
    from evidence.ingest.records import read_records

    text = (FIXTURES / "pubmed_sample.xml").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    path = tmp_path / "utf16.xml"
    path.write_bytes(text.encode(encoding))
    tables, fmt = read_records(path)
    assert fmt == "pubmed_xml"
    pd.testing.assert_frame_equal(tables["articles"].drop(columns="source"), sample["articles"].drop(columns="source"))


def test_utf16_medline_is_named(tmp_path):
    from evidence.ingest.records import read_records

    path = tmp_path / "utf16.nbib"
    path.write_bytes("PMID- 99000001\nTI  - t\n".encode("utf-16"))
    with pytest.raises(ParseError, match="in UTF-16: save it as UTF-8"):
        read_records(path)
