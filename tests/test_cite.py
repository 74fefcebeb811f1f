"""Citations: styles, exports that read back into their libraries, names, and correction flags."""

from __future__ import annotations

import io
import json
import shutil
import unicodedata
import urllib.parse
from pathlib import Path

import bibtexparser
import pandas as pd
import pytest
import rispy
from Bio import Medline
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

import evidence
from evidence.cli import cli
from evidence.outputs.cite import FORMATS, STYLES, cite, cite_available, cite_comparison, cited_ids, csl_items, missing_parts
from evidence.errors import InputError
from evidence.tables.schema import RECORD_TABLES, STUDIES, conform
from evidence.tables.snapshot import check_snapshot, load_snapshot, snapshot_dir
from .first_topic import synthesize

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
    style = CitationStylesStyle(str(Path(evidence.__file__).parent / "outputs" / "csl" / "apa.csl"), validate=False)
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


# --- Publication-ready citations: volume, issue, pages, NLM abbreviation, PMID, dates -------------

def test_volume_issue_pages_and_abbreviation_reach_every_style_and_export(tables):
    ama = cite(["99000001"], tables, style="ama")
    vancouver = cite(["99000001"], tables, style="vancouver")
    apa = cite(["99000001"], tables, style="apa")
    assert "J Invent Pain Res. 2023;12(3):101-110." in ama and "J Invent Pain Res. 2023;12(3):101–10." in vancouver
    assert "Journal of Invented Pain Research, 12(3), 101–110." in apa  # APA spells the journal out
    entry = bibtexparser.parse_string(cite(["99000001"], tables, fmt="bibtex")).entries[0]
    assert (entry["volume"], entry["number"], entry["pages"], entry["shortjournal"]) == ("12", "3", "101--110", "J Invent Pain Res")
    ris = rispy.loads(cite(["99000001"], tables, fmt="ris"))[0]
    assert (ris["volume"], ris["number"], ris["start_page"], ris["alternate_title1"]) == ("12", "3", "101", "J Invent Pain Res")
    nbib = cite(["99000001"], tables, fmt="nbib")
    assert all(line in nbib.splitlines() for line in ("VI  - 12", "IP  - 3", "PG  - 101-110", "TA  - J Invent Pain Res"))
    item = json.loads(cite(["99000001"], tables, fmt="csljson"))[0]
    assert (item["volume"], item["issue"], item["page"], item["container-title-short"]) == ("12", "3", "101-110", "J Invent Pain Res")


def test_ama_and_vancouver_end_with_the_pmid_apa_does_not(tables):
    assert cite(["99000001"], tables, style="ama").rstrip().endswith("doi:10.9999/jipr.2023.0001 PMID: 99000001")
    assert "PubMed PMID: 99000005" in cite(["99000005"], tables, style="vancouver")
    assert "PMID" not in cite(["99000001"], tables, style="apa")
    # A curated study without a PMID gets none.
    extra = conform(pd.DataFrame([{"study_id": "ref:invented-2020", "title": "An invented trial", "year": 2020,
                                   "provenance": "curated"}]), STUDIES)
    assert "PMID" not in cite(["ref:invented-2020"], dict(tables, studies=extra), style="ama")


def test_the_shipped_snapshot_cites_volume_issue_pages_and_abbreviation(tmp_path):
    snapshot = evidence.load(tmp_path / "empty")
    ama = cite(["39401008"], snapshot)
    assert "JAMA Intern Med. 2024;184(12):1417-1424. doi:10.1001/jamainternmed.2024.5463 PMID: 39401008" in ama
    studies = snapshot["studies"].set_index("study_id")
    cited = studies[studies["volume"].notna() | studies["pages"].notna()]
    assert len(cited) >= 25
    # Every recorded value reaches the citation, and each row names the page that showed it.
    for study_id, row in cited.iterrows():
        item = csl_items([study_id], snapshot)[0]
        assert all(item.get(key) == row[col] for key, col in (("volume", "volume"), ("page", "pages"))
                   if not pd.isna(row[col])), study_id
        assert row["citation_urls"], study_id


def _undated(tables):
    articles = tables["articles"].copy()
    articles.loc[articles["pmid"] == "99000001", "year"] = pd.NA
    return dict(tables, articles=articles)


@pytest.mark.parametrize("style, says", [("ama", None), ("vancouver", "[date unknown]"), ("apa", "(date unknown)")])
def test_a_year_never_seen_is_not_n_d(tables, style, says):
    text = cite(["99000001"], _undated(tables), style=style)
    assert "n.d." not in text and "Published online" not in text
    assert (says in text) if says else "J Invent Pain Res. 12(3):101-110." in text  # AMA leaves it out


def test_a_missing_title_is_left_out_and_reported_incomplete(tables):
    articles = tables["articles"].copy()
    articles.loc[articles["pmid"] == "99000002", "title"] = pd.NA
    untitled = dict(tables, articles=articles)
    result = cite_available(["99000001", "99000002"], untitled, fmt="ris")
    assert "Title not available" not in result.text
    assert [r.get("title") for r in rispy.loads(result.text)] == [csl_items(["99000001"], tables)[0]["title"], None]
    assert not result.complete and result.incomplete == {"99000002": ("title",)}
    assert result.problems() == [("incomplete citation: 99000002 has no title in the tables; find it on the source "
                                 "before publishing this reference")]
    assert missing_parts(csl_items(["99000002"], dict(tables, articles=articles.assign(year=pd.NA)))[0]) == ["title", "year"]


def test_a_study_with_nothing_citable_says_so_under_its_id(tables):
    bare = conform(pd.DataFrame([{"study_id": "ref:untitled-9", "provenance": "curated"}]), STUDIES)
    for style in STYLES:
        text = cite(["ref:untitled-9"], dict(tables, studies=bare), style=style)
        assert text.rstrip().endswith("ref:untitled-9: no title, authors or journal recorded"), text


def test_some_unknown_ids_cite_the_known_and_name_the_rest(tables):
    result = cite_available(["99000001", "12345678", "99000005", "abc"], tables)
    assert [line.split(".")[0] for line in result.text.splitlines()] == ["1", "2"]
    assert "Müller J" in result.text and result.unknown == ("12345678", "abc")
    assert result.problems()[0].startswith("not cited: cannot cite 12345678, abc: not in the tables")
    with pytest.raises(InputError, match="cannot cite 12345678"):
        cite_available(["12345678"], tables)


# --- Exports that no title, name or DOI can break -------------------------------------------------

HOSTILE = ["}, url = {http://x}", "and ", "x and y ", "{", "}", "\\", "\\}", "@article{x,", "%", "#", "&", "$", "_", "~", "^", "--", "---",
           "``", "''", "?`", "!`", " and ", " AND ", ",", "=", '"', "\nTY  - JOUR\n", "\nER  - \n",
           "\nPMID- 99000777\n", "\n      continued", "\n\nPMID- 1", "\r\n", "\u2028", "\x85", "\x00", "\t", "[doi]"]


def _article(pmid="99000900", title="T", family="Doe", given="Ann", journal="J", doi="10.9999/x"):
    """Record tables for one article with one author."""
    articles = conform(pd.DataFrame([{"pmid": pmid, "title": title, "journal": journal, "journal_iso": journal,
                                      "volume": "7", "issue": "2", "pages": "10-19", "year": 2020, "doi": doi,
                                      "record_type": "article", "source": "test"}]), RECORD_TABLES["articles"])
    authors = conform(pd.DataFrame([{"pmid": pmid, "position": 1, "last_name": family, "fore_name": given}]),
                      RECORD_TABLES["authors"])
    return {"articles": articles, "authors": authors}


def _one_line(text: str) -> str:
    """What an export keeps of a text: control characters dropped, whitespace runs one space."""
    return " ".join("".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc").split())


def _latex_to_text() -> LatexNodes2Text:
    """pylatexenc's LaTeX decoding (as bibtexparser uses it), taught the LaTeX macros for a
    literal brace and circumflex, which it does not know."""
    context = get_default_latex_context_db()
    context.add_context_category("literal-characters", prepend=True, macros=[
        MacroTextSpec("textbraceleft", "{"), MacroTextSpec("textbraceright", "}"), MacroTextSpec("textasciicircum", "^")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def test_a_name_that_closes_the_field_adds_no_bibtex_field():
    tables = _article(family="Evil}, url = {http://x}", given="A} , note = {owned")
    library = bibtexparser.parse_string(cite(["99000900"], tables, fmt="bibtex"))
    assert not library.failed_blocks and len(library.entries) == 1
    assert "url" not in library.entries[0].fields_dict and "note" not in library.entries[0].fields_dict


def test_a_line_break_in_a_title_starts_no_ris_or_nbib_record(tmp_path):
    tables = _article(title="A title\nER  - \nTY  - JOUR\nTI  - Forged\nPMID- 99000777\n\nPMID- 99000778")
    assert len(rispy.loads(cite(["99000900"], tables, fmt="ris"))) == 1
    records = list(Medline.parse(io.StringIO(cite(["99000900"], tables, fmt="nbib"))))
    assert len(records) == 1 and records[0]["PMID"] == "99000900"


hostile = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=8)), min_size=1, max_size=6).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=hostile, family=hostile, given_name=hostile, journal=hostile, doi=hostile)
def test_hostile_fields_read_back_as_one_entry_with_the_same_fields(title, family, given_name, journal, doi):
    assume(all(_one_line(v) for v in (title, family, given_name, journal, doi)))
    tables = _article(title=title, family=family, given=given_name, journal=journal, doi=doi)
    want = {"title": _one_line(title), "journal": _one_line(journal), "doi": _one_line(doi)}
    # The particle words CSL splits off the family name come back in front of it.
    name = f"{_one_line(family)}, {_one_line(given_name)}"

    # Names are split first (braces keep "and" and commas inside one name), then decoded.
    library = bibtexparser.parse_string(cite(["99000900"], tables, fmt="bibtex"), append_middleware=[SeparateCoAuthors()])
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    assert set(entry.fields_dict) == {"author", "title", "journal", "shortjournal", "year", "volume", "number",
                                      "pages", "doi", "pmid"}
    decode = _latex_to_text().latex_to_text
    assert (decode(entry["title"]), decode(entry["journal"]), [decode(a) for a in entry["author"]]) == (
        want["title"], want["journal"], [name])
    assert urllib.parse.unquote(entry["doi"]) == want["doi"]  # a verbatim field: percent-encoded, not LaTeX

    ris = rispy.loads(cite(["99000900"], tables, fmt="ris"))
    assert len(ris) == 1
    assert set(ris[0]) == {"type_of_reference", "authors", "title", "journal_name", "alternate_title1", "year",
                           "volume", "number", "start_page", "end_page", "doi", "accession_number",
                           "name_of_database", "urls"}
    assert (ris[0]["title"], ris[0]["journal_name"], ris[0]["doi"], ris[0]["authors"]) == (
        want["title"], want["journal"], want["doi"], [name])

    records = list(Medline.parse(io.StringIO(cite(["99000900"], tables, fmt="nbib"))))
    assert len(records) == 1
    record = records[0]
    assert set(record) == {"PMID", "DP", "TI", "VI", "IP", "PG", "LID", "FAU", "AU", "TA", "JT", "AID"}
    assert (record["TI"], record["JT"], record["FAU"], record["LID"]) == (
        want["title"], want["journal"], [name], f"{want['doi']} [doi]")


def test_cite_command_prints_the_known_and_names_the_unknown_on_stderr(tmp_path):
    runner = CliRunner()
    data = tmp_path / "data"
    imported = runner.invoke(cli, ["import", str(FIXTURES / "pubmed_sample.xml"), "--data-dir", str(data)],
                             catch_exceptions=False)
    assert imported.exit_code == 0
    result = runner.invoke(cli, ["cite", "99000001", "12345678", "99000005", "--data-dir", str(data)],
                           catch_exceptions=False)
    assert result.exit_code == 1
    assert [line[:3] for line in result.stdout.splitlines()] == ["1. ", "2. "] and "Müller J" in result.stdout
    assert "12345678" not in result.stdout
    assert result.stderr.startswith("not cited: cannot cite 12345678:") and len(result.stderr.splitlines()) == 1
    complete = runner.invoke(cli, ["cite", "99000001", "--data-dir", str(data)], catch_exceptions=False)
    assert complete.exit_code == 0 and complete.stderr == ""
    none_known = runner.invoke(cli, ["cite", "12345678", "--data-dir", str(data)], catch_exceptions=False)
    assert none_known.exit_code == 2 and none_known.stdout == "" and "12345678" in none_known.stderr


def test_cite_command_reports_an_untitled_snapshot_study_as_incomplete(tmp_path):
    result = CliRunner().invoke(cli, ["cite", "39401008", "ref:untitled-1", "--format", "ris",
                                      "--data-dir", str(tmp_path / "empty")], catch_exceptions=False)
    assert result.exit_code == 1 and len(rispy.loads(result.stdout)) == 2
    assert result.stderr.splitlines() == [
        ("incomplete citation: ref:untitled-1 has no title and no year in the tables; "
        "find it on the source before publishing this reference")]


# --- The snapshot's bibliographic fields and their checks -----------------------------------------

def _snapshot_with(tmp_path, **changes) -> Path:
    """A copy of the shipped snapshot with ``changes`` made to the Tu 2024 row."""
    folder = tmp_path / "snap"
    folder.mkdir()
    shutil.copy(snapshot_dir() / "findings.jsonl", folder / "findings.jsonl")
    rows = [json.loads(line) for line in (snapshot_dir() / "studies.jsonl").read_text(encoding="utf-8").splitlines()]
    next(r for r in rows if r["study_id"] == "39401008").update(changes)
    (folder / "studies.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return folder


@pytest.mark.parametrize("changes, message", [
    ({"citation_urls": []}, "volume, issue, pages need the page where they were seen in citation_urls"),
    ({"pages": "1417-\nTY  - JOUR"}, "pages must be one line of text"),
    ({"volume": 184}, "volume must be one line of text as the source prints it, not 184"),
    ({"citation_urls": ["pubmed 39401008"]}, "citation_urls must be a list of http/https URLs"),
])
def test_snapshot_check_requires_one_line_citation_fields_with_their_page(tmp_path, changes, message):
    problems = check_snapshot(_snapshot_with(tmp_path, **changes))
    assert any(message in p for p in problems), problems


def test_a_snapshot_written_before_the_citation_fields_still_loads(tmp_path):
    folder = _snapshot_with(tmp_path)
    rows = [json.loads(line) for line in (folder / "studies.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        for key in ("journal_abbrev", "volume", "issue", "pages", "citation_urls"):
            row.pop(key)
    (folder / "studies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert check_snapshot(folder) == []
    studies = load_snapshot(folder)["studies"]
    assert studies["volume"].isna().all() and studies["citation_urls"].map(len).eq(0).all()
