"""Exports a spreadsheet opens safely: no cell can start a formula, in the CSV or the XLSX."""

from __future__ import annotations

import openpyxl
import pandas as pd

from evidence.outputs.report import FORMULA_STARTS, csv_safe, write_tables

HOSTILE = ["=HYPERLINK(\"http://example.invalid\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "= p=0.21",
           "plain title"]


def hostile_table() -> pd.DataFrame:
    return pd.DataFrame({
        "study": HOSTILE,
        "estimate": [-0.79, 1.5, -2.0, 0.0, None, 3.0, 0.5, -1.0],  # numbers, negative ones included
        "pmid": pd.array(["99000201", None, "99000203", "99000204", "99000205", "99000206", "99000207", "99000208"],
                         dtype="string"),
    })


def test_csv_cells_that_would_run_get_an_apostrophe():
    safe = csv_safe(hostile_table())
    for original, written in zip(HOSTILE, safe["study"]):
        assert written == ("'" + original if original.startswith(FORMULA_STARTS) else original)
    assert safe["estimate"].tolist()[:4] == [-0.79, 1.5, -2.0, 0.0]  # numbers are left as numbers
    assert pd.isna(safe["pmid"].iloc[1])


def test_written_files_keep_hostile_text_as_text(tmp_path):
    table = hostile_table()
    headline = pd.DataFrame({"comparison": ["=cmd|' /C calc'!A0"], "studies": [1]})
    csv_path, xlsx_path = write_tables(table, headline, tmp_path, about=["-about line", "fine"])
    written = pd.read_csv(csv_path, encoding="utf-8-sig", dtype={"pmid": str}, keep_default_na=False)
    assert all(not cell.startswith(FORMULA_STARTS) for cell in written["study"])
    assert written["study"].iloc[-1] == "plain title"

    book = openpyxl.load_workbook(xlsx_path)
    sheet = book["evidence"]
    column = [c.value for c in sheet[1]].index("study") + 1
    cells = [sheet.cell(row=r, column=column) for r in range(2, len(HOSTILE) + 2)]
    # Every text cell is a string cell holding exactly the original text: none is a formula.
    assert [c.value for c in cells] == HOSTILE
    assert {c.data_type for c in cells} == {"s"}
    estimates = [sheet.cell(row=r, column=2) for r in range(2, len(HOSTILE) + 2)]
    assert estimates[0].value == -0.79 and estimates[0].data_type == "n" and estimates[4].value is None
    assert book["headline"]["A2"].data_type == "s" and book["headline"]["A2"].value.startswith("=cmd")
    assert book["about"]["A2"].data_type == "s" and book["about"]["A2"].value == "-about line"
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
    book.close()
    # The file itself stores the cells as inline strings, never as formulas.
    import zipfile
    with zipfile.ZipFile(xlsx_path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in xml and 't="inlineStr"' in xml
