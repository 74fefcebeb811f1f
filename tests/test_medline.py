"""read_medline on an export written for this project and on real PubMed-format exports."""

from __future__ import annotations

import pandas as pd
import pytest

import evidence
from evidence.errors import ParseError
from evidence.tables.schema import RECORD_TABLES, validate

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def nbib():
    return evidence.read_medline(FIXTURES / "sample.nbib")


def test_tables_follow_their_contracts(nbib):
    for name, table in RECORD_TABLES.items():
        assert validate(nbib[name], table) == [], name


def test_fields_map_to_the_xml_columns(nbib):
    a = nbib["articles"].set_index("pmid").loc["99000101"]
    assert a["title"] == "Pharmacopuncture compared with epidural injection for sciatica in an invented cohort."
    assert a["doi"] == "10.9999/inv.2022.101" and a["pmcid"] == "PMC9900101"
    assert a["year"] == 2022 and a["pub_date"] == "2022 Oct"
    assert a["journal"] == "Invented journal of Korean medicine" and a["journal_iso"] == "Invent J Korean Med"
    assert a["publication_types"] == ["Journal Article", "Observational Study"]
    assert a["is_retracted"]  # RIN line
    assert a["abstract"].split("\n")[0] == "BACKGROUND: This abstract was written for tests."


def test_structured_abstract_labels_are_split_back(nbib):
    s = nbib["abstract_sections"]
    assert s["label"].tolist() == ["BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert s["text"].iloc[1] == "Sixty invented patients were followed for twelve weeks."
    assert s["nlm_category"].isna().all()  # the format has no NlmCategory


def test_affiliations_and_orcid_stay_with_their_author(nbib):
    au = nbib["authors"]
    au = au[au["pmid"] == "99000101"].reset_index(drop=True)
    assert au["last_name"].tolist()[:2] == ["Park", "Søndergaard"]
    assert au.loc[0, "orcid"] == "0000-0001-2345-6789" and pd.isna(au.loc[1, "orcid"])
    assert au.loc[1, "affiliations"] == ["Invented Institute, Aarhus, Denmark.", "Second affiliation of the same author, Odense, Denmark."]
    assert au.loc[2, "collective_name"] == "Invented Pharmacopuncture Study Group"
    assert au.loc[0, "initials"] == "JH"


def test_mesh_major_and_qualifiers(nbib):
    m = nbib["mesh"].set_index("descriptor")
    assert bool(m.loc["Sciatica", "major"]) and m.loc["Sciatica", "qualifiers"] == ["therapy"]
    assert bool(m.loc["Acupuncture Therapy", "major"])
    assert not bool(m.loc["Humans", "major"])


def test_corrections_carry_the_referenced_pmid(nbib):
    c = nbib["corrections"]
    assert c["ref_type"].tolist() == ["RetractionIn"] and c["ref_pmid"].tolist() == ["99000199"]


def test_missing_fields_stay_empty(nbib):
    a = nbib["articles"].set_index("pmid").loc["99000102"]
    assert pd.isna(a["abstract"]) and pd.isna(a["doi"]) and not a["has_abstract"]
    assert a["year"] == 2024


@pytest.mark.parametrize(
    "content, message",
    [(b"", "empty"), (b"TI  - a title without a PMID\n", "PubMed format"), (b"\xff\xfe\x00binary", "line 1 is not UTF-8"),
     (b"PMID- 99000001\nTI  - t\n\nPMID- \xc2\xb9\xc2\xb2\xc2\xb3\nTI  - superscript digits\n",
      r"record 2 \(line 4\): PMID '\u00b9\u00b2\u00b3' is not valid"),
     (b"PMID- 00012345\nTI  - t\n", "record 1 \\(line 1\\): PMID '00012345' is not valid"),
     (b"PMID-\nTI  - t\n", "the PMID is empty")],
)
def test_bad_exports_give_a_parse_error(tmp_path, content, message):
    path = tmp_path / "bad.nbib"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=message):
        evidence.read_medline(path)


def test_real_exports_agree_with_bio_medline(peer_data):
    from Bio import Medline

    files = sorted(peer_data.glob("biopython/medline_*.txt"))
    assert files
    for path in files:
        tables = evidence.read_medline(path)
        with open(path, encoding="utf-8") as fh:
            records = list(Medline.parse(fh))
        arts = tables["articles"].set_index("pmid")
        assert list(arts.index) == [r["PMID"] for r in records]
        for r in records:
            a = arts.loc[r["PMID"]]
            assert a["title"] == " ".join(r["TI"].split())
            if "AB" in r:
                assert a["abstract"].replace("\n", " ") == " ".join(r["AB"].split())
            au = tables["authors"]
            got = au[au["pmid"] == r["PMID"]]
            want_fau = r.get("FAU", [])
            assert [f"{x}, {y}" if isinstance(y, str) else x for x, y in zip(got["last_name"], got["fore_name"])][: len(want_fau)] == want_fau
            dois = [x[: -len(" [doi]")] for x in r.get("AID", []) + ([r["LID"]] if "LID" in r else []) if x.endswith("[doi]")]
            assert (pd.isna(a["doi"]) and not dois) or a["doi"] == dois[0]


def test_a_huge_line_is_refused_without_reading_it_whole(tmp_path):
    import tracemalloc

    from evidence.ingest.medline import MAX_LINE_BYTES

    path = tmp_path / "huge.nbib"
    with open(path, "wb") as fh:
        fh.write(b"PMID- 99000001\nTI  - ")
        fh.write(b"x" * 60_000_000)
        fh.write(b"\n")
    tracemalloc.start()
    try:
        with pytest.raises(ParseError, match=r"line 2 is longer than 1,048,576 bytes") as info:
            evidence.read_medline(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "\n" not in str(info.value)
    assert peak < 4 * MAX_LINE_BYTES  # a few MB, not the 60 MB line (nor 1.28 GB, as before)


def test_control_characters_and_malformed_ids_are_removed(tmp_path):
    path = tmp_path / "controls.nbib"
    path.write_bytes("PMID- 99000001\nTI  - Ti\x00tle with\x07 a bell\x7f\nAB  - Text\x1b.\n"
                     "FAU - Le\x00e, Ann\nAU  - Lee A\nAID - not a doi [doi]\nAID - 10.1000/ok.1 [doi]\n"
                     "PMC - 12345\nCIN - J X. 2020;1:1. PMID: \u0661\u0662\n".encode())
    tables = evidence.read_medline(path)
    a = tables["articles"].iloc[0]
    assert a["title"] == "Title with a bell" and a["abstract"] == "Text."
    assert tables["authors"]["last_name"].tolist() == ["Lee"]
    assert a["doi"] == "10.1000/ok.1" and pd.isna(a["pmcid"])
    assert tables["article_ids"][["id_type", "value"]].values.tolist() == [["pubmed", "99000001"], ["doi", "10.1000/ok.1"]]
    assert tables["corrections"]["ref_pmid"].isna().all()
