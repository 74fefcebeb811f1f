"""Citations: styles, exports that read back into their libraries, names, and correction flags."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

import evidence
from evidence.cite import FORMATS, STYLES, cite, cite_comparison, cited_ids, csl_items
from evidence.errors import InputError
from evidence.schema import STUDIES, conform
from evidence.synthesis import synthesize

FIXTURES = Path(__file__).parent / "fixtures"
ALL = ["99000001", "99000002", "99000003", "99000004", "99000005", "99000006"]


@pytest.fixture(scope="module")
def tables():
    return evidence.read_pubmed(FIXTURES / "pubmed_sample.xml")


@pytest.fixture(scope="module")
def claims_tables(tmp_path_factory):
    return evidence.load(tmp_path_factory.mktemp("empty"), snapshot_folder=FIXTURES / "claims" / "trials")


def test_names_particles_collective_and_non_ascii(tables):
    first = csl_items(["99000001"], tables)[0]
    assert first["author"] == [
        {"family": "Müller", "given": "Jürgen"},
        {"non-dropping-particle": "van der", "family": "Berg", "given": "Anneke"},
        {"family": "Nguyễn", "given": "Thị Lan"},
        {"literal": "Invented Needling Trial Group"},
    ]
    assert csl_items(["99000003"], tables)[0]["author"][1] == {
        "non-dropping-particle": "de la", "family": "Cruz", "given": "María José"}


def test_missing_fields_are_left_out(tables):
    no_author = csl_items(["99000005"], tables)[0]
    assert "author" not in no_author and "volume" not in no_author and "DOI" not in no_author
    book = csl_items(["99000006"], tables)[0]
    assert book["type"] == "book" and book["publisher"] == "Invented Handbook of Spinal Pain"


@pytest.mark.parametrize("style", list(STYLES))
def test_text_styles(tables, style):
    text = cite(ALL, tables, style=style)
    lines = text.strip().splitlines()
    assert len(lines) == len(ALL)
    assert "van der Berg" in text and "de la Cruz" in text and "Nguyễn" in text
    assert "Invented Needling Trial Group" in text
    # An authorless reference prints its title once (citeproc-py would print it twice).
    assert text.count("Dry needling and lidocaine injection compared for piriformis syndrome") == 1


def test_ama_and_vancouver_shapes(tables):
    ama = cite(["99000001"], tables, style="ama")
    assert ama.startswith("1. Müller J, van der Berg A, Nguyễn TL, Invented Needling Trial Group.")
    assert "2023;12(3):101-110. doi:10.9999/jipr.2023.0001" in ama
    assert "PubMed PMID: 99000001" in cite(["99000001"], tables, style="vancouver")
    apa = cite(["99000001"], tables, style="apa")
    assert apa.startswith("Müller, J., van der Berg, A., Nguyễn, T. L., & Invented Needling Trial Group. (2023).")


@pytest.mark.parametrize("style", list(STYLES))
def test_retraction_and_erratum_are_visible_in_text(tables, style):
    line = next(x for x in cite(ALL, tables, style=style).splitlines() if "α-level" in x)
    assert "[RETRACTED: Invent Rev Integr Care. 2020;5:1 (PMID 99000009)]" in line
    assert "[Erratum: Invent Rev Integr Care. 2019;4:77]" in line
    clean = next(x for x in cite(ALL, tables, style=style).splitlines() if "Electroacupuncture versus" in x)
    assert "RETRACTED" not in clean


def test_is_retracted_without_a_retraction_row_is_flagged(tables):
    only_flag = dict(tables, corrections=tables["corrections"].iloc[0:0])
    assert "[RETRACTED: see the PubMed record]" in cite(["99000003"], only_flag)


def test_csljson_reads_back_into_citeproc(tables):
    items = json.loads(cite(ALL, tables, fmt="csljson"))
    assert items[2]["note"].startswith("[RETRACTED:")
    style = CitationStylesStyle(str(Path(evidence.__file__).parent / "csl" / "apa.csl"), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    assert len(bibliography.bibliography()) == len(ALL)


def test_bibtex_reads_back_with_name_parts(tables):
    library = bibtexparser.parse_string(cite(ALL, tables, fmt="bibtex"), append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert set(entries) == {f"pmid{p}" for p in ALL}
    authors = entries["pmid99000001"]["author"]
    assert authors[1].von == ["van", "der"] and authors[1].last == ["Berg"]
    assert authors[3].last == ["{Invented Needling Trial Group}"]
    assert entries["pmid99000001"]["pages"] == "101--110"
    assert "RETRACTED" in entries["pmid99000003"]["note"]
    assert "author" not in entries["pmid99000005"].fields_dict


def test_ris_reads_back(tables):
    records = rispy.loads(cite(ALL, tables, fmt="ris"))
    assert len(records) == len(ALL)
    first = records[0]
    assert first["authors"] == ["Müller, Jürgen", "van der Berg, Anneke", "Nguyễn, Thị Lan", "Invented Needling Trial Group"]
    assert (first["start_page"], first["end_page"], first["accession_number"]) == ("101", "110", "99000001")
    retracted = next(r for r in records if r.get("accession_number") == "99000003")
    assert "RETRACTED" in retracted["notes"][0]


def test_nbib_reads_back_with_the_package_reader(tables, tmp_path):
    path = tmp_path / "refs.nbib"
    path.write_text(cite(ALL, tables, fmt="nbib"), encoding="utf-8")
    back = evidence.read_medline(path)
    assert sorted(back["articles"]["pmid"]) == ALL
    authors = back["authors"][back["authors"]["pmid"] == "99000001"]
    assert list(authors["last_name"].dropna()) == ["Müller", "van der Berg", "Nguyễn"]
    assert list(authors["collective_name"].dropna()) == ["Invented Needling Trial Group"]
    corrections = back["corrections"]
    assert set(corrections["ref_type"]) == {"RetractionIn", "ErratumIn"}
    assert bool(back["articles"].set_index("pmid").loc["99000003", "is_retracted"])


def test_unknown_pmid_names_it_and_says_how_to_add_it(tables):
    with pytest.raises(InputError, match=r"12345678.*evidence fetch.*evidence import"):
        cite(["99000001", "12345678"], tables)


def test_unknown_style_and_format(tables):
    with pytest.raises(InputError, match="style"):
        cite(["99000001"], tables, style="harvard")
    with pytest.raises(InputError, match="format"):
        cite(["99000001"], tables, fmt="docx")
    assert set(FORMATS) == {"text", "bibtex", "ris", "csljson", "nbib"}


def test_snapshot_studies_with_and_without_pmid_are_citable(claims_tables):
    assert "van der Berg A, Nguyễn TL" in cite(["99001001"], claims_tables)
    extra = conform(pd.DataFrame([{"study_id": "ref:invented-2020", "title": "An invented trial without a PMID",
                                   "authors": ["de la Cruz MJ"], "year": 2020, "provenance": "curated"}]), STUDIES)
    tables = dict(claims_tables, studies=pd.concat([claims_tables["studies"], extra], ignore_index=True))
    item = csl_items(["ref:invented-2020"], tables)[0]
    assert "PMID" not in item and item["author"][0]["non-dropping-particle"] == "de la"
    assert cite(["ref:invented-2020"], tables).startswith("1. de la Cruz MJ. An invented trial without a PMID.")


def test_cite_comparison_cites_every_study_of_a_group(claims_tables):
    synthesis = synthesize(claims_tables["studies"], claims_tables["findings"])
    group = synthesis.group("epidural_steroid_injection", "leg_pain_vas")
    assert cited_ids(group) == ["99001001", "99001002"]
    refs = cite_comparison(group, claims_tables, fmt="ris")
    assert [r["accession_number"] for r in rispy.loads(refs)] == ["99001001", "99001002"]
    assert len(cite_comparison(claims_tables["studies"], claims_tables).splitlines()) == len(claims_tables["studies"])
