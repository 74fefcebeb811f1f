"""``build_report`` executes every notebook on real data and writes a page a reader can trust.

Each report is built once per module (a notebook run costs seconds): on a fixture store with the
invented fixture snapshot, on the same store without any snapshot (nothing to compare), and on
the shipped snapshot when data/snapshot/ is present.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest

import evidence
from evidence.outputs.comparisons import EVIDENCE_TABLE_COLUMNS, evidence_table
from evidence.errors import EvidenceError
from evidence.outputs.report import NCBI_POLICIES, ReportError, build_report, default_notebooks_dir
from .first_topic import FIRST_TOPIC, synthesize

FIXTURES = Path(__file__).parent / "fixtures"
SNAPSHOT_SMALL = FIXTURES / "snapshot_small"
SHIPPED_SNAPSHOT = Path(__file__).resolve().parents[1] / "data" / "snapshot"
NOTEBOOKS = sorted(default_notebooks_dir().glob("*.ipynb"))


@pytest.fixture(scope="module")
def fixture_report(store_dir, tmp_path_factory):
    seen = []

    def progress(items):
        seen.extend(items)
        return seen

    result = build_report(store_dir, tmp_path_factory.mktemp("report"), snapshot_folder=SNAPSHOT_SMALL,
                          progress=progress)
    return result, seen


@pytest.fixture(scope="module")
def classified_report(tmp_path_factory):
    """The fixture store after `evidence classify`: its one finding is machine-extracted."""
    from evidence.extract.annotate import annotate_store
    from evidence.ingest.store import Store

    store = tmp_path_factory.mktemp("classified")
    Store(store).import_files([FIXTURES / "pubmed_sample.xml"])
    annotate_store(store)
    return build_report(store, tmp_path_factory.mktemp("classified-report"), snapshot=False)


@pytest.fixture(scope="module")
def store_only_report(store_dir, tmp_path_factory):
    return build_report(store_dir, tmp_path_factory.mktemp("store-only"), snapshot=False)


@pytest.fixture(scope="module")
def snapshot_report(tmp_path_factory):
    if not (SHIPPED_SNAPSHOT / "studies.jsonl").exists():
        pytest.skip("data/snapshot/ is not in this checkout yet")
    return build_report(tmp_path_factory.mktemp("empty-store"), tmp_path_factory.mktemp("snapshot-report"))


def read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"pmid": str, "study_id": str})


def test_every_notebook_runs_and_becomes_a_page(fixture_report):
    result, seen = fixture_report
    assert [p.name for p in seen] == [p.name for p in NOTEBOOKS]  # every notebook, in name order
    assert [p.name for p in result.notebooks] == [f"{p.stem}.html" for p in NOTEBOOKS]
    for page in result.notebooks:
        text = page.read_text(encoding="utf-8")
        assert "Traceback" not in text and "Error" not in text.split("</style>")[-1]
        assert "In&nbsp;[" not in text and "In [" not in text  # no prompts
        assert "import evidence" not in text  # code hidden
        assert "Data source: store (folder " in text
        assert str(page.parent) not in text.split("</style>")[-1]  # no local build path reaches readers


def test_notebooks_show_the_data_and_say_what_is_missing(fixture_report):
    result, _ = fixture_report
    comparison = result.notebooks[1].read_text(encoding="utf-8")
    for expected in ("Alpha 2019", "PMID 99000101", "Zeta 2018 (no PMID)", "https://example.org/snapshot-small/99000101",
                     "What the evidence does not show", "No study of any design makes this comparison.",
                     "The trial evidence rests on one small trial: Delta 2022 (PMID 99000103), 40 participants.",
                     "The trials report only 'effective rate' outcomes"):
        assert expected in comparison, expected
    overview = result.notebooks[0].read_text(encoding="utf-8")
    assert "6 records in the store" in overview


def test_index_is_self_contained_with_notice_figures_and_headline(fixture_report):
    result, _ = fixture_report
    index = result.index.read_text(encoding="utf-8")
    assert NCBI_POLICIES in index and "copyright of their publishers" in index and "source URL" in index
    assert re.search(r"Built \d{4}-\d\d-\d\d \d\d:\d\d UTC", index)
    assert result.data_source in index and "curated snapshot: 6 studies, 5 findings" in index
    for page in result.notebooks + result.tables:
        assert f'href="{page.name}"' in index
    assert index.count("data:image/png;base64,") == result.figures >= 3
    assert not re.search(r'<(?:img|script|link)[^>]+(?:src|href)="https?://', index)  # nothing fetched
    assert "acupuncture vs epidural steroid injection</td>" in index
    assert "Alpha 2019 (PMID 99000101); Gamma 2021 (PMID 99000102)" in index


def test_index_answers_first_in_plain_words(fixture_report):
    result, _ = fixture_report
    index = result.index.read_text(encoding="utf-8")
    body = index.split("</style>")[-1]
    # The bottom line comes before any table, one paragraph per comparison.
    assert body.index("<h2>Bottom line</h2>") < body.index("<table")
    assert "<h3>Acupuncture instead of an epidural steroid injection</h3>" in body
    assert "Alpha 2019 (randomised trial, manual acupuncture, 80 participants) found no difference on leg pain (VAS)" in body
    assert "<h3>Acupuncture instead of a nerve block</h3><p>No study found makes this comparison.</p>" in body
    assert "Delta 2022 (randomised trial, manual acupuncture, 40 participants; not verified against a source page) "\
           "favoured adding manual acupuncture on Oswestry Disability Index" in body
    # Every study with a PMID links to PubMed; readers see names, not codes or missing-value markers.
    for pmid in ("99000101", "99000102", "99000103"):
        assert f'href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/"' in body
    text = re.sub(r"<[^>]+>", " ", body)
    for code in ("leg_pain_vas", "favours_intervention", "very_low", "NaN", "(None)", "<NA>", "ref:", "nan "):
        assert code not in text, code
    assert "leg pain (VAS)" in text and "Oswestry Disability Index" in text


def test_index_holds_the_review_basics(fixture_report):
    result, _ = fixture_report
    body = result.index.read_text(encoding="utf-8").split("</style>")[-1]
    assert "The topic&#x27;s PubMed query" in body and "&quot;Sciatica&quot;[MeSH]" in body
    assert "PRISMA-style flow" in body
    flow = re.search(r"PRISMA-style flow\)</h3>.*?(<table>.*?</table>)", body).group(1)
    counts = [int(n) for n in re.findall(r"</td><td>(\d+)</td>", flow)]
    assert counts[0] == 12 and counts[1] == 6 and len(set(counts)) > 2  # real, different counts per step
    rob = re.search(r"RoB 2 domains\)</h3>.*?(<table>.*?</table>)", body).group(1)
    assert "Randomisation process" in rob and rob.count("not assessed") == 6 * 4  # 4 trials, 6 columns each
    scales = re.search(r"minimal important difference</h3>.*?(<table>.*?</table>)", body).group(1)
    assert "Oswestry Disability Index" in scales or "leg pain (VAS)" in scales
    assert "15 points on 0-100" in scales and "https://paperexplained.cn/" in scales


def test_csv_and_xlsx_equal_the_evidence_table(fixture_report, store_dir):
    result, _ = fixture_report
    csv_path, xlsx_path = result.tables
    tables = evidence.load(store_dir, snapshot_folder=SNAPSHOT_SMALL)
    expected = evidence_table(synthesize(tables["studies"], tables["findings"]), tables["findings"], tables["studies"],
                              topic=FIRST_TOPIC)
    written = read_csv(csv_path)
    assert tuple(written.columns) == EVIDENCE_TABLE_COLUMNS and len(written) == len(expected) == 4
    assert written["source_url"].tolist() == expected["source_url"].tolist()
    assert written["estimate"].tolist() == pytest.approx(expected["estimate"].astype(float).tolist(), nan_ok=True)
    book = openpyxl.load_workbook(xlsx_path, read_only=True)
    assert book.sheetnames == ["evidence", "headline", "about"]
    rows = list(book["evidence"].values)
    assert rows[0] == EVIDENCE_TABLE_COLUMNS and len(rows) == 5
    assert any(NCBI_POLICIES in (r[0] or "") for r in book["about"].values)
    book.close()


def test_store_without_snapshot_renders_no_studies(store_only_report):
    result = store_only_report
    comparison = result.notebooks[1].read_text(encoding="utf-8")
    assert "No studies" in comparison  # the evidence-table message
    assert comparison.count("No study of any design makes this comparison.") == 6
    assert read_csv(result.tables[0]).empty
    index = result.index.read_text(encoding="utf-8")
    assert "snapshot not used" in index and "no studies" in index


def test_machine_extracted_rows_say_so_wherever_shown(classified_report):
    result = classified_report
    body = result.index.read_text(encoding="utf-8").split("</style>")[-1]
    bottom_line = body[body.index("<h2>Bottom line</h2>"):body.index("<h2>The studies</h2>")]
    studies = body[body.index("<h2>The studies</h2>"):body.index("<h2>How much evidence</h2>")]
    for part in (bottom_line, studies):
        assert "machine-extracted, not verified" in part
    assert "Machine-extracted, not verified (read from the abstract" in body  # the gaps name it too
    written = read_csv(result.tables[0])
    assert len(written) >= 1 and set(written["extraction"]) == {"machine-extracted, not verified"}
    comparison = result.notebooks[1].read_text(encoding="utf-8")
    assert "machine-extracted, not verified" in comparison


def test_the_shipped_snapshot(snapshot_report):
    written = read_csv(snapshot_report.tables[0])
    assert len(written) > 0 and written["source_url"].notna().all()
    shipped = pd.read_json(SHIPPED_SNAPSHOT / "studies.jsonl", lines=True, dtype={"pmid": str})
    assert set(written["pmid"].dropna()) <= set(shipped["pmid"].dropna())
    assert snapshot_report.figures >= 1
    body = snapshot_report.index.read_text(encoding="utf-8").split("</style>")[-1]
    # The only head-to-head comparison with a nerve block favours the block: the bottom line says so.
    block = re.search(r"<h3>Acupuncture instead of a nerve block</h3><p>(.*?)</p>", body).group(1)
    assert "favoured the nerve block" in block
    for pmid in written["pmid"].dropna().unique():
        assert f'href="https://pubmed.ncbi.nlm.nih.gov/{pmid}/"' in body
    text = re.sub(r"<[^>]+>", " ", body)
    for code in ("ref:", "partly_supported", "pain_nrs", " odi", "NaN", "(None)", str(snapshot_report.out_dir)):
        assert code not in text, code
    # Figures are drawn with 10-point text or larger at 110 dpi (15 px); a figure at most 1600 px wide is shrunk
    # by at most a quarter in the page's 1200 px column, so no label falls below about 11 px on screen.
    widths = [int.from_bytes(base64.b64decode(png)[16:20], "big")  # the PNG header's width field
              for png in re.findall(r'src="data:image/png;base64,([^"]+)"', body)]
    assert widths and max(widths) <= 1600, widths


def failing_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# A notebook that fails"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("import evidence\nevidence.load(snapshot_folder='/no/such/snapshot')"),
    ])
    path = folder / "01_fails.ipynb"
    nbformat.write(nb, path)
    return path


def test_a_failing_notebook_names_its_cell(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    failing_notebook(notebooks)
    with pytest.raises(ReportError) as err:
        build_report(tmp_path / "store", tmp_path / "out", snapshot=False, notebooks_dir=notebooks)
    message = str(err.value)
    assert isinstance(err.value, EvidenceError) and "\n" not in message
    assert message.startswith("01_fails.ipynb, cell 3 (`import evidence`) failed: SnapshotError: snapshot check failed")
    assert "Traceback" not in message


def test_no_notebooks_is_an_error(tmp_path):
    with pytest.raises(ReportError, match="no notebooks"):
        build_report(tmp_path, tmp_path / "out", notebooks_dir=tmp_path)


def test_comparison_page_tables_show_names_not_codes(snapshot_report):
    page = next(p for p in snapshot_report.notebooks if p.name.startswith("02_"))
    text = re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))
    # Measure codes and Python booleans stay in the CSV for machines; the page shows words.
    for code in ("group_comparison", "mean_change_per_arm", "effective_rate_per_arm", " False ", " True "):
        assert code not in text, code
    assert "between-group comparison without an effect size" in text
    assert "'The Effect of Comprehensive and Integrative Medical Services...' (2025)" in text  # untitled by author, named by title


def test_p_values_are_shown_as_printed_or_else_from_the_number():
    from evidence.outputs.comparisons import _p_value

    assert _p_value(0.03, "<0.05") == "p < 0.05"  # the printed text wins
    assert _p_value(pd.NA, "0.04") == "p = 0.04"
    assert _p_value(pd.array([0.2], dtype="Float64")[0], pd.NA) == "p = 0.2"  # a Float64 column's value
    assert _p_value(0.001, None) == "p = 0.001"
    assert _p_value(pd.NA, pd.NA) is pd.NA
